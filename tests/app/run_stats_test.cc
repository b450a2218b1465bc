// Crawl statistics (issue 13, part 4): what a run counts, and the kinds of
// the parsers' warnings, read off warnings the parsers really write.
#include "app/run_stats.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "parsers/extractor.h"

namespace jobtrawl::app {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

std::vector<std::string> Warnings(parsers::SourceKind kind, std::string_view body, Link::Role role) {
  parsers::Extractor x(parsers::ExtractOptions{.kind = kind});
  return x.Extract("https://board.example/x", body, role).warnings;
}

TEST(RunStatsTest, WarningKindsOfWhatTheParsersWrite) {
  auto json_ld = Warnings(parsers::SourceKind::kHtml,
                          R"(<script type="application/ld+json">{"@type":"JobPosting","title":</script>)",
                          Link::Role::kDetail);
  ASSERT_FALSE(json_ld.empty());
  EXPECT_EQ(WarningKind(json_ld[0]), "unreadable_json_ld") << json_ld[0];
  auto feed = Warnings(parsers::SourceKind::kRss, "<rss><channel><item><title>A</title></item><item><tit",
                       Link::Role::kListing);
  ASSERT_FALSE(feed.empty());
  EXPECT_EQ(WarningKind(feed[0]), "unreadable_feed") << feed[0];
  auto sitemap = Warnings(parsers::SourceKind::kSitemap, "<?xml version=\"1.0\"?><html></html>",
                          Link::Role::kListing);
  ASSERT_FALSE(sitemap.empty());
  EXPECT_EQ(WarningKind(sitemap[0]), "not_a_sitemap") << sitemap[0];
  auto api = Warnings(parsers::SourceKind::kGreenhouse, "{\"jobs\": [", Link::Role::kListing);
  ASSERT_FALSE(api.empty());
  EXPECT_EQ(WarningKind(api[0]), "unreadable_api_response") << api[0];
  EXPECT_EQ(WarningKind("3 invalid sequences replaced"), "invalid_utf8");
  EXPECT_EQ(WarningKind("something new"), "other");
}

TEST(RunStatsTest, CountsRequestsByStatusErrorsWarningsAndLatency) {
  RunStatsCollector c;
  FetchResult ok;
  ok.status = 200;
  ok.body = "12345";
  ok.timings.total = std::chrono::milliseconds(250);
  c.OnFetch(ok);
  c.OnFetch(ok);
  FetchResult gone;
  gone.status = 404;
  gone.error = FetchError::kHttpStatus;
  gone.retried = {{FetchError::kTimeout, 0, "t"}};
  gone.timings.total = std::chrono::milliseconds(750);
  c.OnFetch(gone);
  FetchResult denied;
  denied.error = FetchError::kRobotsDisallowed;
  c.OnFetch(denied);
  c.OnPageProblem("parse");
  c.OnWarning("unreadable JSON-LD block of 12 bytes");
  auto v = boost::json::parse(c.Json()).as_object();
  EXPECT_EQ(v["requests"].as_object()["200"].as_int64(), 2);
  EXPECT_EQ(v["requests"].as_object()["404"].as_int64(), 1);
  EXPECT_EQ(v["requests"].as_object()["none"].as_int64(), 1);
  EXPECT_EQ(v["response_bytes"].as_int64(), 10);
  EXPECT_EQ(v["retries"].as_int64(), 1);
  EXPECT_EQ(v["robots_denials"].as_int64(), 1);
  EXPECT_EQ(v["errors"].as_object()["http_status"].as_int64(), 1);
  EXPECT_EQ(v["errors"].as_object()["robots_disallowed"].as_int64(), 1);
  EXPECT_EQ(v["errors"].as_object()["parse"].as_int64(), 1);
  EXPECT_EQ(v["warnings"].as_object()["unreadable_json_ld"].as_int64(), 1);
  EXPECT_EQ(v["fetch_seconds"].as_object()["count"].as_int64(), 3);
  EXPECT_DOUBLE_EQ(v["fetch_seconds"].as_object()["sum"].as_double(), 1.25);
  EXPECT_DOUBLE_EQ(v["fetch_seconds"].as_object()["max"].as_double(), 0.75);
  EXPECT_GE(v["duration_seconds"].as_double(), 0.0);
}

TEST(RunStatsTest, DumpIsSortedKeyValueLinesOfRecordAndStats) {
  storage::RunRecord r{.status = "partial", .pages = 3, .closed = 1, .counts = {.new_postings = 2, .merged = 4}};
  r.stats = R"({"errors":{"timeout":2},"requests":{"200":3},"retries":1})";
  auto lines = FormatRunStats(r);
  EXPECT_TRUE(std::is_sorted(lines.begin(), lines.end()));
  EXPECT_THAT(lines, Contains("errors/timeout: 2"));
  EXPECT_THAT(lines, Contains("requests/200: 3"));
  EXPECT_THAT(lines, Contains("postings/new: 2"));
  EXPECT_THAT(lines, Contains("listings/closed: 1"));
  EXPECT_THAT(lines, Contains("listings/merged: 4"));  // cross-posts folded into another board's posting
  EXPECT_THAT(lines, Contains("status: partial"));
  r.stats = "not json";
  EXPECT_EQ(FormatRunStats(r).size(), 9u);  // the record's own lines only
}

// review13: the dump is read by people (Scrapy prints 0.004, not 4E-3).
// Seconds come out of Json() as boost::json doubles, whose serializer writes
// 0.004 as "4E-3", 1.317 as "1.317E0" and 0 as "0E0".
TEST(RunStatsTest, DumpWritesSecondsAsPlainDecimals) {
  storage::RunRecord r{.status = "ok"};
  r.stats = R"({"duration_seconds":0.004,"fetch_seconds":{"count":1,"max":1.317,"sum":0.0}})";
  auto lines = FormatRunStats(r);
  EXPECT_THAT(lines, Contains("duration_seconds: 0.004"));
  EXPECT_THAT(lines, Contains("fetch_seconds/max: 1.317"));
  EXPECT_THAT(lines, Contains("fetch_seconds/sum: 0"));
}

}  // namespace
}  // namespace jobtrawl::app
