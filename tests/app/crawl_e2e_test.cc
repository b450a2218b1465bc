// End to end: the real crawl (fetcher, parsers, writer) against a board
// served by an in-process HTTP server on 127.0.0.1, into a real database.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/commands.h"
#include "app/crawl_pipeline.h"
#include "crawler/fetcher.h"
#include "support/test_server.h"

namespace jobtrawl::app {
namespace {

using jobtrawl::testing::Reply;
using jobtrawl::testing::TestServer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Detail(const std::string& id, const std::string& title, const std::string& company) {
  return R"(<html><head><script type="application/ld+json">{"@context":"https://schema.org",
    "@type":"JobPosting","title":")" + title + R"(","hiringOrganization":{"name":")" + company +
         R"("},"identifier":{"@type":"PropertyValue","value":")" + id +
         R"("},"jobLocation":{"address":{"addressLocality":"Oslo","addressCountry":"NO"}},
    "baseSalary":{"currency":"NOK","value":{"minValue":700000,"maxValue":900000,"unitText":"YEAR"}},
    "description":"<p>Job )" + id + R"(.</p>"}</script></head><body><h1>)" + title +
         "</h1></body></html>";
}

class CrawlEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crawler::GlobalInit(); }

  CrawlEndToEndTest() : server_(ioc_) {
    dir_ = std::filesystem::temp_directory_path() /
           ("jobtrawl-e2e-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    server_.Route("/board", {200, R"(<html><body><ul>
        <li><a href="/jobs/1">Platform Engineer</a></li>
        <li><a href="/jobs/2?utm_source=board">Data Engineer</a></li>
        <li><a href="jobs/3#apply">Designer</a></li>
        <li><a href="/about">About us</a></li></ul>
        <a rel="next" href="/board?page=2">Next</a></body></html>)"});
    server_.Route("/board?page=2", {200, R"(<html><body>
        <a href="/jobs/1">Platform Engineer (again)</a> <a href="/jobs/4">SRE</a>
        <a href="/jobs/5">Broken</a> <a href="/jobs/6">Gone</a> <a href="/jobs/7">Crashing</a>
        <a href="/board?page=1">First</a></body></html>)"});
    server_.Route("/board?page=1", {200, "<html><body><a href='/jobs/1'>1</a></body></html>"});
    server_.Route("/jobs/1", {200, Detail("J1", "Platform Engineer", "Fjord AS")});
    server_.Route("/jobs/2", {200, Detail("J2", "Data Engineer", "Fjord AS")});
    server_.Route("/jobs/3", {.status = 200, .body = Detail("J3", "Designer", "Nordlys"), .gzip = true});
    server_.Route("/jobs/4", {200, Detail("J4", "SRE", "Nordlys")});
    server_.Route("/jobs/5", {200, R"(<script type="application/ld+json">{"@type":"JobPosting","title":</script>)"});
    server_.Route("/jobs/6", {404, "gone"});
    server_.Route("/jobs/7", {500, "crash"});
  }
  ~CrawlEndToEndTest() override { std::filesystem::remove_all(dir_); }

  config::Config Config() {
    // The board is on 127.0.0.1, so private addresses are allowed here.
    std::string text = "[storage]\ndatabase = \"jobs.db\"\n[http]\ndelay = \"0s\"\n"
                       "allow_private_networks = true\nretries = 0\n"
                       "[[source]]\nname = \"fjord\"\nstart = [\"" + server_.Url("/board") +
                       "\"]\nfollow = { detail = \"/jobs/[0-9]+$\", next = \"[?&]page=[0-9]+\" }\n";
    auto c = config::ParseConfig(text, "e2e.toml", dir_);
    EXPECT_TRUE(c.has_value());
    return *c;
  }

  CrawlSummary Crawl() {
    auto summary = RunCrawl(ioc_, Config(), {.parse_threads = 2});
    EXPECT_TRUE(summary.has_value()) << summary.error().message;
    return summary.value_or(CrawlSummary{});
  }

  std::vector<std::string> Column(const std::string& sql) {
    SQLite::Database db((dir_ / "jobs.db").string());
    SQLite::Statement q(db, sql);
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).isNull() ? "NULL" : q.getColumn(0).getString());
    return out;
  }

  boost::asio::io_context ioc_;
  TestServer server_;
  std::filesystem::path dir_;
};

TEST_F(CrawlEndToEndTest, StoresExactlyThePostingsOfTheBoard) {
  // Pagination, URL canonicalization, gzip, and errors that do not stop the crawl.
  CrawlSummary summary = Crawl();
  ASSERT_EQ(summary.sources.size(), 1u);
  const storage::RunRecord& r = summary.sources[0].record;
  EXPECT_EQ(r.status, "partial");
  EXPECT_EQ(r.pages, 8);   // 3 listing pages and 5 details; the 404 and 500 are errors, not pages
  EXPECT_EQ(r.errors, 3);  // broken JSON-LD, 404, 500
  EXPECT_EQ(r.counts.new_postings, 4);
  EXPECT_TRUE(summary.all_ok());

  EXPECT_THAT(Column("SELECT title || ' | ' || company || ' | ' || location || ' | ' || "
                     "salary_min || '-' || salary_max || ' ' || salary_currency || '/' || "
                     "salary_period || ' | ' || external_id || ' | ' || description "
                     "FROM postings ORDER BY external_id"),
              ElementsAre("Platform Engineer | Fjord AS | Oslo, NO | 700000.0-900000.0 NOK/YEAR | J1 | Job J1.",
                          "Data Engineer | Fjord AS | Oslo, NO | 700000.0-900000.0 NOK/YEAR | J2 | Job J2.",
                          "Designer | Nordlys | Oslo, NO | 700000.0-900000.0 NOK/YEAR | J3 | Job J3.",
                          "SRE | Nordlys | Oslo, NO | 700000.0-900000.0 NOK/YEAR | J4 | Job J4."));
  EXPECT_THAT(Column("SELECT url FROM listings ORDER BY external_id"),
              ElementsAre(server_.Url("/jobs/1"), server_.Url("/jobs/2"), server_.Url("/jobs/3"),
                          server_.Url("/jobs/4")));
  EXPECT_THAT(Column("SELECT kind || ' ' || coalesce(status, 0) || ' ' || url FROM crawl_errors ORDER BY url"),
              ElementsAre("parse 0 " + server_.Url("/jobs/5"),
                          "http_status 404 " + server_.Url("/jobs/6"),
                          "http_status 500 " + server_.Url("/jobs/7")));
  EXPECT_THAT(Column("SELECT status || ' ' || pages || ' ' || errors || ' ' || new_postings FROM crawl_runs"),
              ElementsAre("partial 8 3 4"));
  // Each page was fetched once, however many links pointed at it.
  EXPECT_EQ(server_.Hits("/jobs/1"), 1);
  EXPECT_EQ(server_.Hits("/about"), 0);
}

TEST_F(CrawlEndToEndTest, SecondCrawlAddsNoRows) {
  Crawl();
  CrawlSummary again = Crawl();
  const storage::RunRecord& r = again.sources[0].record;
  EXPECT_EQ(r.counts.new_postings, 0);
  EXPECT_EQ(r.counts.updated, 0);
  EXPECT_EQ(r.counts.unchanged, 4);
  EXPECT_THAT(Column("SELECT count(*) FROM postings"), ElementsAre("4"));
  EXPECT_THAT(Column("SELECT count(*) FROM listings"), ElementsAre("4"));
  EXPECT_THAT(Column("SELECT count(*) FROM crawl_runs"), ElementsAre("2"));
}

TEST_F(CrawlEndToEndTest, ChangedPostingIsUpdatedInPlace) {
  Crawl();
  server_.Route("/jobs/4", {200, Detail("J4", "Senior SRE", "Nordlys")});
  CrawlSummary again = Crawl();
  EXPECT_EQ(again.sources[0].record.counts.updated, 1);
  EXPECT_EQ(again.sources[0].record.counts.unchanged, 3);
  EXPECT_THAT(Column("SELECT title FROM postings WHERE external_id = 'J4'"), ElementsAre("Senior SRE"));
  EXPECT_THAT(Column("SELECT count(*) FROM postings"), ElementsAre("4"));
}

TEST_F(CrawlEndToEndTest, UnreachableBoardFailsTheSourceAndTheExitCode) {
  server_.Route("/board", {503, "down"});
  CrawlSummary summary = Crawl();
  EXPECT_EQ(summary.sources[0].record.status, "failed");
  EXPECT_FALSE(summary.all_ok());
  EXPECT_THAT(FormatSummary(summary), HasSubstr("1 of 1 start pages failed"));
}

TEST(CrawlCommandTest, ShippedConfigCrawlsTheSampleBoard) {
  // The quick start: the default config crawls the bundled board offline.
  crawler::GlobalInit();
  auto db = std::filesystem::temp_directory_path() / ("jobtrawl-sample-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(db);
  std::ostringstream out, err;
  int rc = CrawlCommand(JOBTRAWL_SOURCE_DIR "/config/jobtrawl.toml", {.database = db}, false, out, err);
  EXPECT_EQ(rc, kExitOk) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("postings 12 new, 0 updated, 0 unchanged; 0 errors"));
  EXPECT_THAT(out.str(), HasSubstr("database: " + db.string()));
  SQLite::Database check(db.string());
  EXPECT_EQ(check.execAndGet("SELECT count(*) FROM open_postings").getInt(), 12);
  EXPECT_EQ(check.execAndGet("SELECT count(*) FROM postings WHERE remote = 'remote'").getInt(), 1);
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix);
}

TEST(CrawlCommandTest, BadConfigIsAUsageError) {
  auto file = std::filesystem::temp_directory_path() / ("jobtrawl-bad-" + std::to_string(::getpid()) + ".toml");
  { std::ofstream(file) << "[http]\ndelay = 3\n"; }
  std::ostringstream out, err;
  EXPECT_EQ(CrawlCommand(file, {}, false, out, err), kExitUsage);
  EXPECT_THAT(err.str(), HasSubstr(file.string() + ":2:9: \"delay\" must be a duration string"));
  EXPECT_EQ(CheckConfigCommand(file, out, err), kExitUsage);
  std::filesystem::remove(file);
}

TEST(ParseCommandTest, PrintsPostingsAsJsonLines) {
  std::ostringstream out, err;
  ParseOptions options{.file = JOBTRAWL_SOURCE_DIR "/sample-board/jobs/1004.html", .pretty = false};
  EXPECT_EQ(ParseCommand(options, out, err), kExitOk);
  EXPECT_THAT(out.str(), HasSubstr(R"("title":"Site Reliability Engineer","company":"Tailspin Cloud")"));
  EXPECT_THAT(out.str(), HasSubstr(R"("remote":"remote")"));
  EXPECT_THAT(out.str(), HasSubstr(R"("salary_min":150000,"salary_max":190000,"salary_currency":"USD")"));
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

}  // namespace
}  // namespace jobtrawl::app
