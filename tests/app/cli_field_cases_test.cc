// Field cases: inputs that reproduce faults public bug reports describe in
// other scrapers, kept in tests/fixtures/field-cases/, read through the
// commands a config author runs (`jobtrawl normalize`, `jobtrawl parse`)
// with the values a careful reader expects.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/commands.h"

namespace jobtrawl::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::filesystem::path kCases = std::filesystem::path(JOBTRAWL_SOURCE_DIR) / "tests/fixtures/field-cases";

std::string Normalize(const std::string& what, const std::string& text, const std::string& country = "") {
  std::ostringstream out, err;
  EXPECT_EQ(NormalizeCommand({.what = what, .text = text, .country = country}, out, err), 0) << err.str();
  return out.str();
}

std::string Parse(const std::string& file, const std::string& kind, const std::string& url = "") {
  std::ostringstream out, err;
  EXPECT_EQ(ParseCommand({.file = kCases / file, .url = url, .kind = kind, .pretty = false}, out, err), 0)
      << err.str();
  return out.str();
}

TEST(FieldCaseTest, RupeesOnAPakistaniBoardArePkrMonthly) {
  // 03: "Rs." is the rupee of six countries; the board's country decides.
  std::ifstream in(kCases / "03-salary-pkr-monthly.tsv");
  std::string line;
  std::getline(in, line);  // header
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    ++rows;
    const size_t tab = line.find('\t');
    const std::string text = line.substr(0, tab);
    const std::string country = tab == std::string::npos ? "" : line.substr(tab + 1);
    const std::string json = Normalize("salary", text, country);
    SCOPED_TRACE(text);
    EXPECT_THAT(json, HasSubstr(R"("currency":"PKR")"));
    EXPECT_THAT(json, HasSubstr(R"("currency_guessed":false)"));
    EXPECT_THAT(json, HasSubstr(R"("period":"MONTH")"));
    EXPECT_THAT(json, HasSubstr(R"("min":150000)"));
    EXPECT_THAT(json, HasSubstr(R"("max":200000)"));
    EXPECT_THAT(json, HasSubstr(R"("annual_min":1800000)"));
    EXPECT_THAT(json, HasSubstr(R"("annual_max":2400000)"));
  }
  EXPECT_EQ(rows, 3);
}

TEST(FieldCaseTest, GeorgiaIsTheCountryOrTheStateTheCityAgreesWith) {
  // 05: a qualifier with several readings takes the one its city or a later country agrees with.
  std::ifstream in(kCases / "05-location-georgia-country-vs-state.txt");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_THAT(Normalize("location", lines[0]),
              HasSubstr(R"("places":[{"city":"Tbilisi","region":null,"country":"GE"}])"));
  EXPECT_THAT(Normalize("location", lines[1]),
              HasSubstr(R"("places":[{"city":"Atlanta","region":"GA","country":"US"}])"));
  EXPECT_THAT(Normalize("location", lines[2]), HasSubstr(R"("places":[{"city":null,"region":"GA","country":"US"}])"));
  EXPECT_THAT(Normalize("location", lines[3]),
              HasSubstr(R"("places":[{"city":"Vancouver","region":"BC","country":"CA"},)"
                        R"({"city":"San Francisco","region":"CA","country":"US"}])"));
}

TEST(FieldCaseTest, RecruiteeOnSiteOfferIsOnSite) {
  // 06: every workplace flag of the API is read.
  const std::string out = Parse("06-remote-recruitee-workmode-flags.json", "recruitee",
                                "https://example-analytics.recruitee.com/api/offers/");
  std::istringstream lines(out);
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_THAT(first, HasSubstr(R"("title":"Backend Engineer")"));
  EXPECT_THAT(first, HasSubstr(R"("remote":"hybrid")"));
  EXPECT_THAT(second, HasSubstr(R"("title":"Lab Technician")"));
  EXPECT_THAT(second, HasSubstr(R"("remote":"onsite")"));
}

TEST(FieldCaseTest, RssDescriptionHoldingAnEscapedCdataSectionKeepsItsText) {
  // 10: markup escaped one level deeper than expected keeps its text, and skills are read from it.
  const std::string out = Parse("10-rss-escaped-cdata-description.xml", "rss");
  EXPECT_THAT(out, HasSubstr(R"("description":"Build dashboards in SQL and Python.")"));
  EXPECT_THAT(out, HasSubstr(R"("skills":["SQL","Python"])"));
  EXPECT_THAT(out, Not(HasSubstr("CDATA")));
}

TEST(FieldCaseTest, Rfc822DatesWithTwoDigitYears) {
  // 13: RFC 5322 §4.3, a 2-digit year 00-49 is 20xx; offsets applied.
  std::ifstream in(kCases / "13-date-rfc822-two-digit-year.txt");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(Normalize("date", lines[0]), HasSubstr(R"("date":"2026-11-16T04:57:31Z")"));
  EXPECT_THAT(Normalize("date", lines[1]), HasSubstr(R"("date":"2026-11-16T06:57:31Z")"));
  EXPECT_THAT(Normalize("date", lines[2]), HasSubstr(R"("date":"2026-11-16T05:57:31Z")"));
}

TEST(FieldCaseTest, DotSegmentsAboveTheRootAreDropped) {
  // 16: RFC 3986 §5.2.4 remove_dot_segments, ".." above the root dropped.
  std::ostringstream out, err;
  ASSERT_EQ(ParseCommand({.file = kCases / "16-dot-segments-above-root.html",
                          .url = "https://careers.example.org/",
                          .config = kCases / "16-dot-segments-above-root.toml",
                          .source = "careers",
                          .links = true,
                          .pretty = false},
                         out, err),
            0)
      << err.str();
  const std::string links = out.str();
  EXPECT_THAT(links, HasSubstr(R"({"link":"https://careers.example.org/jobs/","role":"detail"})"));
  EXPECT_THAT(links, HasSubstr(R"({"link":"https://careers.example.org/jobs/engineering.html","role":"detail"})"));
  EXPECT_THAT(links,
              HasSubstr(R"({"link":"https://careers.example.org/jobs/1234-backend-engineer.html","role":"detail"})"));
  EXPECT_THAT(links, Not(HasSubstr("..")));
}

// The same kinds in saved real responses (the corpus; skipped when absent).
std::string ParseCorpus(const std::string& file, const std::string& kind) {
  const std::filesystem::path path = std::filesystem::path(JOBTRAWL_CORPUS_DIR) / file;
  if (!std::filesystem::exists(path)) return {};
  std::ostringstream out, err;
  EXPECT_EQ(ParseCommand({.file = path, .kind = kind, .pretty = false}, out, err), 0) << err.str();
  return out.str();
}

TEST(FieldCaseTest, CorpusResponsesOfTheSameKinds) {
  // Lever's 2015 demo board escaped "&" twice in a list ("guidelines &amp;amp;
  // processes"); Remotive's "$80k - $100k" for remote roles open to Uruguay
  // (a US employer) is US dollars, a guess, not Uruguayan pesos.
  const std::string lever = ParseCorpus("api/lever-postings-api-leverdemo-json-2015.vcr.yml", "lever");
  if (lever.empty()) GTEST_SKIP() << "corpus not present at " << JOBTRAWL_CORPUS_DIR;
  EXPECT_THAT(lever, HasSubstr("implement guidelines & processes for MQLs & SQLs"));
  EXPECT_THAT(lever, Not(HasSubstr("&amp;")));
  const std::string remotive = ParseCorpus("api/remotive-api-remote-jobs-2026-07.json", "remotive");
  std::istringstream lines(remotive);
  int montevideo = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("(Montevideo)") == std::string::npos) continue;
    ++montevideo;
    EXPECT_THAT(line, HasSubstr(R"("salary_currency":"USD")"));
    EXPECT_THAT(line, HasSubstr(R"("salary_currency_guessed":true)"));
  }
  EXPECT_EQ(montevideo, 2);
}

}  // namespace
}  // namespace jobtrawl::app
