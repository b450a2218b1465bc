// Microdata and RDFa Lite: the schema.org examples give the same posting in
// JSON-LD, microdata and RDFa; all three must read the same.
#include "parsers/microdata.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "parsers/extractor.h"
#include "parsers/html_document.h"
#include "support/corpus.h"

namespace jobtrawl::parsers {
namespace {

using ::testing::HasSubstr;

// The block of a schema.org examples file under `heading` ("MICRODATA:").
std::string Section(const std::string& text, const std::string& heading) {
  size_t at = text.find("\n" + heading + "\n");
  if (at == std::string::npos) return {};
  at += heading.size() + 2;
  static constexpr const char* kHeadings[] = {"\nPRE-MARKUP:", "\nMICRODATA:", "\nRDFA:", "\nJSON:", "\nTYPES:"};
  size_t end = text.size();
  for (const char* h : kHeadings) end = std::min(end, text.find(h, at));
  return text.substr(at, end - at);
}

Extracted Parse(const std::string& html) {
  return Extractor({}).Extract("https://schema.example/job", html, Link::Role::kDetail);
}

TEST(MicrodataTest, SchemaOrgJobPostingReadsTheSameInAllThreeSyntaxes) {
  std::string text = jobtrawl::testing::ReadCorpus("schemaorg-examples/schemaorg-examples-eg-0028-JobPosting.txt");
  if (text.empty()) GTEST_SKIP() << "corpus not present at " << JOBTRAWL_CORPUS_DIR;
  Extracted json = Parse(Section(text, "JSON:"));
  Extracted micro = Parse(Section(text, "MICRODATA:"));
  Extracted rdfa = Parse(Section(text, "RDFA:"));
  ASSERT_EQ(json.postings.size(), 1u);
  ASSERT_EQ(micro.postings.size(), 1u);
  ASSERT_EQ(rdfa.postings.size(), 1u);
  for (const Extracted* x : {&json, &micro, &rdfa}) {
    const Posting& p = x->postings[0];
    EXPECT_EQ(p.title, "Software Engineer");
    EXPECT_EQ(p.location, "Kirkland, WA");
    EXPECT_EQ(p.employment_type, "FULL_TIME");
    EXPECT_EQ(p.salary_min, 100000);
    EXPECT_EQ(p.salary_max, 100000);
    EXPECT_EQ(p.salary_currency, "USD");
    EXPECT_EQ(p.date_posted, "2011-10-31");
    EXPECT_THAT(p.description.value_or(""),
                HasSubstr("Description: ABC Company Inc. seeks a full-time mid-level software engineer"));
  }
  // The markup says more than the JSON-LD: the organization nested in the
  // description is an item of its own.
  EXPECT_EQ(micro.postings[0].company, "ABC Company Inc.");
  EXPECT_EQ(rdfa.postings[0].company, "ABC Company Inc.");
  EXPECT_EQ(micro.postings[0].provenance.at("title"), "microdata");
}

TEST(MicrodataTest, ValuesComeFromTheAttributesTheSpecNames) {
  HtmlDocument doc(R"(<div itemscope itemtype="http://schema.org/JobPosting" itemref="loc extra">
      <h1 itemprop="title name">  Welder
        </h1>
      <time itemprop="datePosted" datetime="2024-02-03">3 Feb</time>
      <meta itemprop="validThrough" content="2024-03-01">
      <a itemprop="url" href="/jobs/9">details</a>
      <img itemprop="image" src="/logo.png">
      <data itemprop="identifier" value="W-9">nine</data>
      <div itemprop="hiringOrganization" itemscope itemtype="http://schema.org/Organization">
        <span itemprop="name">Fjord Steel</span><span itemprop="title">not the job's title</span></div>
    </div>
    <p id="loc" itemprop="jobLocation" itemscope itemtype="http://schema.org/Place">
      <span itemprop="address">Bergen</span></p>
    <p id="extra"><span itemprop="employmentType">Contract</span></p>)");
  boost::json::array items = ReadMarkupItems(doc);
  ASSERT_EQ(items.size(), 1u);  // the referenced <p> is no top-level item: it has itemprop
  const boost::json::object& o = items[0].as_object();
  EXPECT_EQ(o.at("@type"), "JobPosting");
  EXPECT_EQ(o.at("title"), "Welder");
  EXPECT_EQ(o.at("name"), "Welder");
  EXPECT_EQ(o.at("datePosted"), "2024-02-03");
  EXPECT_EQ(o.at("validThrough"), "2024-03-01");
  EXPECT_EQ(o.at("url"), "/jobs/9");
  EXPECT_EQ(o.at("image"), "/logo.png");
  EXPECT_EQ(o.at("identifier"), "W-9");
  EXPECT_EQ(o.at("hiringOrganization").at("title"), "not the job's title");
  EXPECT_EQ(o.at("jobLocation").at("address"), "Bergen");
  EXPECT_EQ(o.at("employmentType"), "Contract");

  Extracted x;
  ExtractMarkupPostings(doc, "https://board.example/list", x);
  ASSERT_EQ(x.postings.size(), 1u);
  EXPECT_EQ(x.postings[0].title, "Welder");
  EXPECT_EQ(x.postings[0].company, "Fjord Steel");
  EXPECT_EQ(x.postings[0].url, "https://board.example/jobs/9");
  EXPECT_EQ(x.postings[0].external_id, "W-9");
  EXPECT_EQ(x.postings[0].location, "Bergen");
  EXPECT_EQ(x.postings[0].employment_type, "CONTRACTOR");
}

TEST(MicrodataTest, SalaryBoundsWrittenAsPageTextAreSalaryText) {
  // Microdata values are the page's text ("$80,000"), which the JSON-LD
  // reader they go through took for no number: the salary was lost.
  HtmlDocument doc(R"(<div itemscope itemtype="https://schema.org/JobPosting"><h1 itemprop="title">Welder</h1>
      <div itemprop="baseSalary" itemscope itemtype="https://schema.org/MonetaryAmount">
        <meta itemprop="currency" content="USD">
        <div itemprop="value" itemscope itemtype="https://schema.org/QuantitativeValue">
          <span itemprop="minValue">$80,000</span> to <span itemprop="maxValue">$95,000</span>
          <meta itemprop="unitText" content="YEAR"></div></div></div>)");
  Extracted x;
  ExtractMarkupPostings(doc, "https://board.example/jobs/1", x);
  ASSERT_EQ(x.postings.size(), 1u);
  EXPECT_EQ(x.postings[0].salary_text, "$80,000 - $95,000 USD/YEAR");
  EXPECT_FALSE(x.postings[0].salary_min);
}

TEST(MicrodataTest, AUnitWrittenAsAnIsoDurationIsItsPeriod) {
  // Microdata goes through the JSON-LD reader
  // (JsonLdTest.AUnitWrittenAsAnIsoDurationIsItsPeriod): "PT1H" is an hour.
  HtmlDocument doc(R"(<div itemscope itemtype="https://schema.org/JobPosting"><h1 itemprop="title">Welder</h1>
      <div itemprop="baseSalary" itemscope itemtype="https://schema.org/MonetaryAmount">
        <meta itemprop="currency" content="USD">
        <div itemprop="value" itemscope itemtype="https://schema.org/QuantitativeValue">
          <meta itemprop="value" content="1000"><meta itemprop="unitText" content="PT1H"></div></div></div>)");
  Extracted x;
  ExtractMarkupPostings(doc, "https://board.example/jobs/1", x);
  ASSERT_EQ(x.postings.size(), 1u);
  EXPECT_EQ(x.postings[0].salary_min, 1000);
  EXPECT_EQ(x.postings[0].salary_period, "HOUR");
}

TEST(MicrodataTest, RepeatedPropertiesAndSeveralItemsOnAListingPage) {
  HtmlDocument doc(R"(<ul>
      <li itemscope itemtype="https://schema.org/JobPosting"><span itemprop="title">A</span>
        <span itemprop="employmentType">FULL_TIME</span><span itemprop="employmentType">PART_TIME</span></li>
      <li itemscope itemtype="https://schema.org/JobPosting"><span itemprop="title">B</span></li>
      <li itemscope itemtype="https://schema.org/Event"><span itemprop="name">Party</span></li></ul>)");
  Extracted x;
  ExtractMarkupPostings(doc, "https://board.example/list", x);
  ASSERT_EQ(x.postings.size(), 2u);
  EXPECT_EQ(x.postings[0].employment_type, "FULL_TIME,PART_TIME");
  // Neither has a URL of its own: each gets a stable fragment.
  EXPECT_NE(x.postings[0].url, x.postings[1].url);
  EXPECT_THAT(x.postings[0].url, HasSubstr("https://board.example/list#job-"));
}

TEST(MicrodataTest, CyclesAndDepthAreBounded) {
  // itemref pointing back at the item itself, and items nested 1,000 deep.
  std::string html = R"(<div id="self" itemscope itemtype="https://schema.org/JobPosting" itemref="self">
      <span itemprop="title">Loop</span></div>)";
  for (int i = 0; i < 1000; ++i) html += R"(<div itemprop="x" itemscope>)";
  Extracted x = Parse("<html><body>" + html + "</body></html>");
  ASSERT_EQ(x.postings.size(), 1u);
  EXPECT_EQ(x.postings[0].title, "Loop");
}

TEST(MicrodataTest, PagesWithoutMarkupBuildNoTreeForIt) {
  EXPECT_FALSE(MayHaveMarkupJobPosting("<html><body><h1>JobPosting</h1></body></html>"));
  EXPECT_FALSE(MayHaveMarkupJobPosting("<div itemscope itemtype='https://schema.org/Person'>"));
  EXPECT_TRUE(MayHaveMarkupJobPosting("<div itemscope itemtype='https://schema.org/JobPosting'>"));
  EXPECT_TRUE(MayHaveMarkupJobPosting("<div vocab='https://schema.org/' typeof='JobPosting'>"));
}

}  // namespace
}  // namespace jobtrawl::parsers
