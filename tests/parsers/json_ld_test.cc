#include "parsers/json_ld.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "support/corpus.h"

namespace jobtrawl::parsers {
namespace {

using jobtrawl::testing::ReadCorpus;

const char* kPage = "https://jobs.example.com/jobs/42";

Extracted Extract(std::string_view html) {
  Extracted out;
  ExtractJsonLd(html, kPage, out);
  return out;
}

std::string Script(std::string_view json) {
  return "<html><head><script type=\"application/ld+json\">" + std::string(json) +
         "</script></head><body></body></html>";
}

TEST(JsonLdTest, ReadsAFullPosting) {
  // The common Google-for-Jobs shape with nested organization, place and salary.
  auto out = Extract(Script(R"({
    "@context": "https://schema.org", "@type": "JobPosting",
    "title": "Senior C++ Engineer",
    "hiringOrganization": {"@type": "Organization", "name": "Acme &amp; Sons"},
    "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress",
        "addressLocality": "Berlin", "addressRegion": "Berlin", "addressCountry": {"@type": "Country", "name": "DE"}}},
    "employmentType": ["FULL_TIME", "Part-time"],
    "baseSalary": {"@type": "MonetaryAmount", "currency": "EUR",
        "value": {"@type": "QuantitativeValue", "minValue": 70000, "maxValue": "90,000", "unitText": "YEAR"}},
    "datePosted": "2026-11-20", "validThrough": "2026-12-31T00:00:00Z",
    "identifier": {"@type": "PropertyValue", "name": "Acme", "value": "REQ-42"},
    "description": "<p>Build <b>fast</b> things.</p><ul><li>C++23</li></ul>",
    "url": "/jobs/42?utm_source=feed"
  })"));
  ASSERT_EQ(out.postings.size(), 1u);
  const Posting& p = out.postings[0];
  EXPECT_EQ(p.title, "Senior C++ Engineer");
  EXPECT_EQ(p.company, "Acme & Sons");
  EXPECT_EQ(p.location, "Berlin, DE");
  EXPECT_EQ(p.country, "DE");
  EXPECT_EQ(p.employment_type, "FULL_TIME,PART_TIME");
  EXPECT_EQ(p.salary_min, 70000);
  EXPECT_EQ(p.salary_max, 90000);
  EXPECT_EQ(p.salary_currency, "EUR");
  EXPECT_EQ(p.salary_period, "YEAR");
  EXPECT_EQ(p.date_posted, "2026-11-20");
  EXPECT_EQ(p.valid_through, "2026-12-31T00:00:00Z");
  EXPECT_EQ(p.external_id, "REQ-42");
  EXPECT_EQ(p.description, "Build fast things.\n\n- C++23");
  EXPECT_EQ(p.url, "https://jobs.example.com/jobs/42");
  EXPECT_EQ(p.remote, std::nullopt);
  EXPECT_EQ(out.structured_blocks, 1);
  EXPECT_EQ(out.broken_blocks, 0);
}

TEST(JsonLdTest, UrlsAboveTheRootLoseTheirDotSegments) {
  // RFC 3986 §5.2.4 for JSON-LD urls (field case 16's kind).
  auto out = Extract(Script(R"({"@type":"JobPosting","title":"A","url":"../../jobs/42?b=1",
                               "hiringOrganization":{"name":"X"}})"));
  ASSERT_EQ(out.postings.size(), 1u);
  EXPECT_EQ(out.postings[0].url, "https://jobs.example.com/jobs/42?b=1");
  auto absolute = Extract(Script(R"({"@type":"JobPosting","title":"A","url":"https://jobs.example.com/../x"})"));
  ASSERT_EQ(absolute.postings.size(), 1u);
  EXPECT_EQ(absolute.postings[0].url, "https://jobs.example.com/x");
}

TEST(JsonLdTest, FindsPostingsInEveryContainerShape) {
  // Arrays, @graph, ItemList nesting and several blocks per page.
  struct Case {
    const char* name;
    std::string html;
    size_t postings;
  } cases[] = {
      {"array", Script(R"([{"@type":"JobPosting","title":"A"},{"@type":"JobPosting","title":"B"}])"), 2},
      {"graph", Script(R"({"@context":"https://schema.org","@graph":[{"@type":"WebPage"},{"@type":"JobPosting","title":"A"}]})"), 1},
      {"item list", Script(R"({"@type":"ItemList","itemListElement":[{"@type":"ListItem","item":{"@type":"JobPosting","title":"A"}}]})"), 1},
      {"type array", Script(R"({"@type":["Thing","JobPosting"],"title":"A"})"), 1},
      {"type iri", Script(R"({"@type":"http://schema.org/JobPosting","title":"A"})"), 1},
      {"two blocks", Script(R"({"@type":"JobPosting","title":"A"})") + Script(R"({"@type":"JobPosting","title":"B"})"), 2},
      {"other types only", Script(R"({"@type":"Organization","name":"Acme"})"), 0},
  };
  for (const auto& c : cases) EXPECT_EQ(Extract(c.html).postings.size(), c.postings) << c.name;
}

TEST(JsonLdTest, ScriptTagVariantsAreFound) {
  // Attribute order, quoting and case vary; other scripts are ignored.
  std::string html =
      "<SCRIPT data-rh=\"true\" TYPE='application/ld+json'>{\"@type\":\"JobPosting\",\"title\":\"A\"}</SCRIPT>"
      "<script type=application/ld+json>{\"@type\":\"JobPosting\",\"title\":\"B\"}</script>"
      "<script type=\"text/javascript\">var x = {\"@type\":\"JobPosting\"};</script>"
      "<script>{\"@type\":\"JobPosting\"}</script>";
  EXPECT_EQ(FindJsonLdBlocks(html).size(), 2u);
  EXPECT_EQ(Extract(html).postings.size(), 2u);
}

TEST(JsonLdTest, RemoteAndApplicantRequirements) {
  // A remote job may name only where applicants must live.
  auto out = Extract(Script(R"({"@type":"JobPosting","title":"A","jobLocationType":"TELECOMMUTE",
      "applicantLocationRequirements":{"@type":"Country","name":"USA"}})"));
  ASSERT_EQ(out.postings.size(), 1u);
  EXPECT_EQ(out.postings[0].remote, "remote");
  EXPECT_EQ(out.postings[0].location, "USA");
}

TEST(JsonLdTest, SalaryShapes) {
  // baseSalary as a bare number, a single value, and min/max on the amount itself.
  struct Case {
    const char* salary;
    std::optional<double> min, max;
    std::optional<std::string> currency, period;
  } cases[] = {
      {R"(50000)", 50000, 50000, std::nullopt, std::nullopt},
      {R"({"currency":"USD","value":{"value":40,"unitText":"HOUR"}})", 40, 40, "USD", "HOUR"},
      {R"({"currency":"GBP","minValue":"100000","maxValue":"133000"})", 100000, 133000, "GBP", std::nullopt},
      {R"({"currency":"USD","value":"competitive"})", std::nullopt, std::nullopt, std::nullopt, std::nullopt},
      // min/max on the amount, the unit on a value object of its own
      {R"({"@type":"MonetaryAmount","currency":"USD","minValue":50000,"maxValue":70000,)"
       R"("value":{"@type":"QuantitativeValue","unitText":"YEAR"}})", 50000, 70000, "USD", "YEAR"},
      // and the unit on the amount beside a value object holding the range
      {R"({"currency":"EUR","unitText":"MONTH","value":{"minValue":4000,"maxValue":5000}})", 4000, 5000, "EUR",
       "MONTH"},
  };
  for (const auto& c : cases) {
    auto out = Extract(Script(std::string(R"({"@type":"JobPosting","title":"A","baseSalary":)") +
                              c.salary + "}"));
    ASSERT_EQ(out.postings.size(), 1u) << c.salary;
    const Posting& p = out.postings[0];
    EXPECT_EQ(p.salary_min, c.min) << c.salary;
    EXPECT_EQ(p.salary_max, c.max) << c.salary;
    EXPECT_EQ(p.salary_currency, c.currency) << c.salary;
    EXPECT_EQ(p.salary_period, c.period) << c.salary;
  }
}

TEST(JsonLdTest, AUnitWrittenAsAnIsoDurationIsItsPeriod) {
  // schema.org's unitText may be an ISO 8601 duration ("P1Y", "PT1H"): each
  // was read as no unit and sized by the amount, so a week's or an hour's
  // pay of 1,000 was a month's. A multiple is read as Ashby's "2 WEEK" is
  // (AshbyIntervalsOfSeveralUnitsAreNotOneUnit): "P2W" is 26 a year.
  struct Case {
    const char* unit;
    double min;
    const char* period;
  };
  const Case kCases[] = {{"P1Y", 1000, "YEAR"},    {"P1M", 1000, "MONTH"},  {"P1W", 1000, "WEEK"},
                         {"P1D", 1000, "DAY"},     {"PT1H", 1000, "HOUR"},  {"p1y", 1000, "YEAR"},
                         {"P2W", 26000, "YEAR"},   {"P0.5M", 2000, "MONTH"}, {"P3M", 4000, "YEAR"},
                         {"HOURLY", 1000, "HOUR"}, {"PER YEAR", 1000, "YEAR"}};
  for (const Case& c : kCases) {
    auto out = Extract(Script(std::string(R"({"@type":"JobPosting","title":"A","baseSalary":)"
                                          R"({"currency":"USD","value":{"value":1000,"unitText":")") +
                              c.unit + "\"}}}"));
    ASSERT_EQ(out.postings.size(), 1u) << c.unit;
    EXPECT_EQ(out.postings[0].salary_min, c.min) << c.unit;
    EXPECT_EQ(out.postings[0].salary_period, c.period) << c.unit;
  }
  // Bounds written as text carry the period in words the text reader reads.
  auto text = Extract(Script(R"({"@type":"JobPosting","title":"A","baseSalary":)"
                             R"({"currency":"USD","value":{"minValue":"$3,000","unitText":"P2W"}}})"));
  ASSERT_EQ(text.postings.size(), 1u);
  EXPECT_EQ(text.postings[0].salary_text, "$3,000 USD/bi-weekly");
}

TEST(JsonLdTest, AOneTimeAmountIsNoSalary) {
  // unitText "ONE_TIME" (a signing bonus, a fee) was stored as a month's
  // pay; Lever's "one-time" interval is no salary, and neither is this.
  for (const char* unit : {"ONE_TIME", "one-time", "Lump sum"}) {
    auto out = Extract(Script(std::string(R"({"@type":"JobPosting","title":"A","baseSalary":)"
                                          R"({"currency":"USD","value":{"minValue":5000,"maxValue":"$6,000","unitText":")") +
                              unit + "\"}}}"));
    ASSERT_EQ(out.postings.size(), 1u) << unit;
    const Posting& p = out.postings[0];
    EXPECT_FALSE(p.salary_min) << unit;
    EXPECT_FALSE(p.salary_max) << unit;
    EXPECT_FALSE(p.salary_text) << unit;
    EXPECT_FALSE(p.salary_currency) << unit;
    EXPECT_FALSE(p.salary_period) << unit;
  }
}

TEST(JsonLdTest, StringAmountsThatReadTwoWaysTakeTheOtherBoundsSize) {
  // "0.500" is a half (a first group of zeros groups nothing); "12.500" is
  // 12.5 beside a bound of 15 and 12500 beside 15000; alone it keeps the
  // grouped reading (de "12.500", model/decimal.h).
  struct Case {
    const char* salary;
    std::optional<double> min, max;
  } cases[] = {
      {R"({"currency":"EUR","minValue":"0.500"})", 0.5, std::nullopt},
      {R"({"currency":"USD","minValue":"12.500","maxValue":15})", 12.5, 15},
      {R"({"currency":"USD","minValue":"12.500","maxValue":"15.75"})", 12.5, 15.75},
      {R"({"currency":"EUR","minValue":"12.500","maxValue":"15000"})", 12500, 15000},
      {R"({"currency":"EUR","minValue":10,"maxValue":"12.500"})", 10, 12.5},
      {R"({"currency":"EUR","minValue":"12.500","maxValue":"15.000"})", 12500, 15000},
      {R"({"currency":"EUR","minValue":"12.500"})", 12500, std::nullopt},
  };
  for (const auto& c : cases) {
    auto out = Extract(Script(std::string(R"({"@type":"JobPosting","title":"A","baseSalary":)") +
                              c.salary + "}"));
    ASSERT_EQ(out.postings.size(), 1u) << c.salary;
    EXPECT_EQ(out.postings[0].salary_min, c.min) << c.salary;
    EXPECT_EQ(out.postings[0].salary_max, c.max) << c.salary;
  }
}

TEST(JsonLdTest, BoundsWrittenWithASignACodeOrKAreSalaryText) {
  // Hand-written JSON-LD puts "$80,000", "80,000 USD" or "80k" in minValue
  // (Google's validator only warns): no number, and the salary was lost. As
  // salary text, with the currency and unit beside them, the normalizer
  // reads them as it reads any salary text.
  struct Case {
    const char* salary;
    const char* text;
  } cases[] = {
      {R"({"currency":"USD","value":{"minValue":"$80,000","maxValue":"$80,000","unitText":"YEAR"}})",
       "$80,000 USD/YEAR"},
      {R"({"currency":"USD","value":{"minValue":"80,000 USD","maxValue":"90,000 USD","unitText":"YEAR"}})",
       "80,000 USD - 90,000 USD USD/YEAR"},
      {R"({"currency":"USD","value":{"minValue":"USD 80,000","unitText":"YEAR"}})", "USD 80,000 USD/YEAR"},
      {R"({"currency":"USD","value":{"minValue":"80k","maxValue":"100k","unitText":"YEAR"}})",
       "80k - 100k USD/YEAR"},
      {R"({"currency":"GBP","minValue":"£40k","maxValue":"£45k"})", "£40k - £45k GBP"},
      {R"({"currency":"EUR","unitText":"MONTH","value":{"minValue":"4.000 €","maxValue":"5.000 €"}})",
       "4.000 € - 5.000 € EUR/MONTH"},
      {R"({"value":{"value":"$40","unitText":"HOUR"}})", "$40/HOUR"},
  };
  for (const auto& c : cases) {
    auto out = Extract(Script(std::string(R"({"@type":"JobPosting","title":"A","baseSalary":)") +
                              c.salary + "}"));
    ASSERT_EQ(out.postings.size(), 1u) << c.salary;
    const Posting& p = out.postings[0];
    EXPECT_EQ(p.salary_text, c.text) << c.salary;
    EXPECT_FALSE(p.salary_min) << c.salary;
    EXPECT_FALSE(p.salary_currency) << c.salary;
  }
  // Bounds that read as numbers stay numbers.
  auto out = Extract(Script(R"({"@type":"JobPosting","title":"A","baseSalary":)"
                            R"({"currency":"USD","value":{"minValue":"80,000","maxValue":" 90000.00 ","unitText":"YEAR"}}})"));
  ASSERT_EQ(out.postings.size(), 1u);
  EXPECT_EQ(out.postings[0].salary_min, 80000);
  EXPECT_EQ(out.postings[0].salary_max, 90000);
  EXPECT_FALSE(out.postings[0].salary_text);
}

// Relative URLs in JSON-LD resolve against the page's <base href> (JSON-LD
// 1.1 §7.3: the HTML document's base URL), as the page's links do; a page
// without one resolves against its own URL.
TEST(JsonLdTest, RelativeUrlsResolveAgainstThePagesBaseHref) {
  const std::string posting = R"({"@type":"JobPosting","title":"A","url":"jobs/4",)"
                              R"("potentialAction":{"@type":"ApplyAction","target":"../apply?id=4&amp;x=1"}})";
  Extracted based;
  ExtractJsonLd("<html><head><basefont size=3><BASE target=_blank HREF=\"https://cdn.example.net/x/\">" + Script(posting),
                "https://careers.example.org/a/b.html", based);
  ASSERT_EQ(based.postings.size(), 1u);
  EXPECT_EQ(based.postings[0].url, "https://cdn.example.net/x/jobs/4");
  EXPECT_EQ(based.postings[0].apply_url, "https://cdn.example.net/apply?id=4&x=1");
  Extracted plain;
  ExtractJsonLd("<html><head>" + Script(posting), "https://careers.example.org/a/b.html", plain);
  ASSERT_EQ(plain.postings.size(), 1u);
  EXPECT_EQ(plain.postings[0].url, "https://careers.example.org/a/jobs/4");
  // A page without a URL of its own in the data keeps the page's URL.
  Extracted own;
  ExtractJsonLd("<base href=\"https://cdn.example.net/\">" + Script(R"({"@type":"JobPosting","title":"B"})"),
                "https://careers.example.org/a/b.html", own);
  ASSERT_EQ(own.postings.size(), 1u);
  EXPECT_EQ(own.postings[0].url, "https://careers.example.org/a/b.html");
}

TEST(JsonLdTest, BrokenBlocksAreCountedNotFatal) {
  // One unreadable block must not hide a good one beside it.
  auto out = Extract(Script("{\"@type\":\"JobPosting\",\"title\":") +
                     Script(R"({"@type":"JobPosting","title":"Good",})") + Script("") +
                     "<script type=\"application/ld+json\">{\"@type\":\"JobPosting\"");
  EXPECT_EQ(out.postings.size(), 1u);
  EXPECT_EQ(out.structured_blocks, 4);
  EXPECT_EQ(out.broken_blocks, 3);
}

TEST(JsonLdTest, ALoneSurrogateEscapeCostsOneCharacterNotTheBlock) {
  // JSON-LD goes through the same reader as the board APIs: a lone UTF-16
  // surrogate escape is U+FFFD, not an unreadable block.
  auto out = Extract(Script(R"({"@type":"JobPosting","title":"Chef \ud83d","description":"<p>Cook \udc00</p>"})"));
  EXPECT_EQ(out.broken_blocks, 0);
  ASSERT_EQ(out.postings.size(), 1u);
  EXPECT_EQ(out.postings[0].title, "Chef \uFFFD");
  EXPECT_EQ(out.postings[0].description, "Cook \uFFFD");
}

TEST(JsonLdTest, DescriptionEscapedOneLevelDeeperKeepsItsText) {
  // A JSON-LD description holding a CDATA section or HTML escaped twice is
  // the description's text, as in feeds.
  auto out = Extract(Script(R"({"@type":"JobPosting","title":"Data Analyst",
      "description":"<![CDATA[<p>Build dashboards in <b>SQL</b> and Python.</p>]]>"})") +
                     Script(R"({"@type":"JobPosting","title":"R&amp;amp;D Lead",
      "description":"&amp;lt;p&amp;gt;Lead R&amp;amp;amp;D.&amp;lt;/p&amp;gt;"})"));
  ASSERT_EQ(out.postings.size(), 2u);
  EXPECT_EQ(out.postings[0].description, "Build dashboards in SQL and Python.");
  EXPECT_EQ(out.postings[0].description_markdown, "Build dashboards in **SQL** and Python.");
  EXPECT_EQ(out.postings[1].title, "R&D Lead");
  EXPECT_EQ(out.postings[1].description, "Lead R&D.");
}

TEST(JsonLdTest, WrongTypesNeverCrash) {
  // Values of unexpected JSON types are skipped field by field.
  auto out = Extract(Script(R"({"@type":"JobPosting","title":["A"],"hiringOrganization":7,
      "jobLocation":[null,3,"Paris",{"address":"1 Rue X, Lyon"}],"employmentType":{"x":1},
      "baseSalary":{"value":{"minValue":{"a":1}}},"description":42,"url":{"x":1},"datePosted":true})"));
  ASSERT_EQ(out.postings.size(), 1u);
  EXPECT_EQ(out.postings[0].title, "A");
  EXPECT_EQ(out.postings[0].company, "7");
  EXPECT_EQ(out.postings[0].location, "Paris; 1 Rue X, Lyon");
  EXPECT_EQ(out.postings[0].salary_min, std::nullopt);
  EXPECT_EQ(out.postings[0].description, std::nullopt);
  EXPECT_EQ(out.postings[0].url, kPage);
}

TEST(JsonLdTest, InlinePostingsWithoutIdentityStayDistinct) {
  // RemoteOK-style rows: many postings on one page, none with a url or id.
  auto out = Extract(Script(R"([{"@type":"JobPosting","title":"A","hiringOrganization":"X"},
      {"@type":"JobPosting","title":"B","hiringOrganization":"X"},
      {"@type":"JobPosting","title":"B","hiringOrganization":"X"},
      {"@type":"JobPosting","title":"C","identifier":"c-1"}])"));
  ASSERT_EQ(out.postings.size(), 4u);
  std::set<std::string> urls;
  for (const auto& p : out.postings) urls.insert(p.url);
  EXPECT_EQ(urls.size(), 4u);
  EXPECT_TRUE(out.postings[0].url.starts_with(std::string(kPage) + "#job-"));
  EXPECT_EQ(out.postings[2].url, out.postings[1].url + "-2");
  EXPECT_EQ(out.postings[3].url, kPage);  // has an id: the key is the id
  // Deterministic: the same page gives the same keys on every crawl.
  EXPECT_EQ(Extract(Script(R"([{"@type":"JobPosting","title":"A","hiringOrganization":"X"},
      {"@type":"JobPosting","title":"Z"}])")).postings[0].url, out.postings[0].url);
}

TEST(JsonLdCorpusTest, IndeedAustraliaViewJob) {
  // indeed.com.au escapes '/' and '<' as \u002F and \u003C inside a 550 KB page.
  std::string html = ReadCorpus("jsonld/indeed-au-viewjob-senior-devops-papercut.html");
  if (html.empty()) GTEST_SKIP() << "corpus not present at " << JOBTRAWL_CORPUS_DIR;
  Extracted out;
  ExtractJsonLd(html, "https://au.indeed.com/viewjob?jk=1", out);
  ASSERT_EQ(out.postings.size(), 1u);
  const Posting& p = out.postings[0];
  EXPECT_EQ(p.title, "Senior DevOps Engineer");
  EXPECT_EQ(p.company, "PaperCut Software");
  EXPECT_EQ(p.location, "Camberwell, VIC, AU");
  EXPECT_EQ(p.country, "AU");
  EXPECT_EQ(p.salary_min, 130000);
  EXPECT_EQ(p.salary_max, 160000);
  EXPECT_EQ(p.salary_currency, "AUD");
  EXPECT_EQ(p.salary_period, "YEAR");
  EXPECT_EQ(p.employment_type, "FULL_TIME");
  EXPECT_EQ(p.date_posted, "2026-08-06T07:39:35.941Z");
  ASSERT_TRUE(p.description.has_value());
  EXPECT_TRUE(p.description->starts_with("Company Description\n\nAt PaperCut, we believe two things"))
      << *p.description;
  EXPECT_EQ(p.description->find('<'), std::string::npos);
}

TEST(JsonLdCorpusTest, RemoteOkListingRowsEachCarryAPosting) {
  // remoteok.com rows embed one JSON-LD JobPosting each, with no url or id.
  std::string html = ReadCorpus("listing/remoteok-listing-rows-fragment-2022-09.html");
  if (html.empty()) GTEST_SKIP() << "corpus not present at " << JOBTRAWL_CORPUS_DIR;
  Extracted out;
  ExtractJsonLd(html, "https://remoteok.com/remote-dev-jobs", out);
  EXPECT_EQ(out.structured_blocks, 18);
  EXPECT_EQ(out.broken_blocks, 0);
  ASSERT_EQ(out.postings.size(), 18u);
  std::set<std::string> urls;
  for (const auto& p : out.postings) {
    urls.insert(p.url);
    EXPECT_TRUE(p.title && p.company) << p.url;
    EXPECT_EQ(p.remote, "remote");
  }
  EXPECT_EQ(urls.size(), 18u);
}

TEST(JsonLdCorpusTest, WelcomeToTheJungleSnippets) {
  // Otta/WTTJ: identifier as a URL, remote with applicant requirements, min/max as strings.
  struct Case {
    const char* file;
    const char* title;
    const char* company;
    const char* location;
    double min, max;
    const char* currency;
    std::optional<std::string> remote;
  } cases[] = {
      {"jsonld/wttj-otta-jsonld-snippet-monzo-greenhouse-product-marketing-lead.html",
       "Product Marketing Lead (Core Banking)", "Monzo", "London, GB", 100000, 133000, "GBP",
       "remote"},
      {"jsonld/wttj-otta-jsonld-snippet-salesforce-workday-smts.html",
       "Senior Member of Technical Staff (Software Engineering)", "Salesforce",
       "San Francisco Bay Area, US", 148500, 246000, "USD", std::nullopt},
  };
  for (const auto& c : cases) {
    std::string html = ReadCorpus(c.file);
    if (html.empty()) GTEST_SKIP() << "corpus not present at " << JOBTRAWL_CORPUS_DIR;
    Extracted out;
    ExtractJsonLd(html, "https://app.welcometothejungle.com/jobs/x", out);
    ASSERT_EQ(out.postings.size(), 1u) << c.file;
    const Posting& p = out.postings[0];
    EXPECT_EQ(p.title, c.title);
    EXPECT_EQ(p.company, c.company);
    EXPECT_EQ(p.location, c.location);
    EXPECT_EQ(p.salary_min, c.min);
    EXPECT_EQ(p.salary_max, c.max);
    EXPECT_EQ(p.salary_currency, c.currency);
    EXPECT_EQ(p.remote, c.remote);
    EXPECT_TRUE(p.external_id.has_value());
  }
}

}  // namespace
}  // namespace jobtrawl::parsers
