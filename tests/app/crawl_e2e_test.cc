// End to end: the real crawl (fetcher, parsers, writer) against a board
// served by an in-process HTTP server on 127.0.0.1, into a real database.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/wait.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "app/commands.h"
#include "app/crawl_pipeline.h"
#include "crawler/fetcher.h"
#include "support/sqlite_query.h"
#include "support/test_server.h"

namespace jobtrawl::app {
namespace {

using jobtrawl::testing::Reply;
using jobtrawl::testing::TestServer;
using ::testing::Contains;
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

  CrawlSummary Crawl(std::optional<Clock::time_point> at = std::nullopt) {
    CrawlOptions options{.parse_threads = 2};
    if (at) options.now = [t = *at] { return t; };
    auto summary = RunCrawl(ioc_, Config(), options);
    EXPECT_TRUE(summary.has_value()) << summary.error().message;
    return summary.value_or(CrawlSummary{});
  }

  std::vector<std::string> Column(const std::string& sql) {
    return jobtrawl::testing::QueryColumn(dir_ / "jobs.db", sql);
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
  // Normalized on the parse pool before they were stored.
  EXPECT_THAT(Column("SELECT city || ' ' || country || ' ' || salary_annual_min || ' ' || salary_source || ' ' || "
                     "coalesce(seniority, '-') || ' ' || title_family FROM postings ORDER BY external_id"),
              ElementsAre("Oslo NO 700000.0 structured - platform engineer",
                          "Oslo NO 700000.0 structured - data engineer",
                          "Oslo NO 700000.0 structured - designer", "Oslo NO 700000.0 structured - sre"));
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

TEST_F(CrawlEndToEndTest, HostileSourceNameAndDatabasePathAreOnlyData) {
  // Every user-supplied string that reaches SQLite (the source name from
  // the config and from -s, the --db path) is a bound parameter or a file
  // name, never SQL text: a name built to inject SQL crawls and is stored as
  // written, and the tables are all still there.
  const std::string name = "x'); DROP TABLE postings;--";
  const std::filesystem::path db = dir_ / "it's; DROP TABLE postings;--.db";
  std::string text = "[http]\ndelay = \"0s\"\nallow_private_networks = true\nretries = 0\n"
                     "[[source]]\nname = \"x'); DROP TABLE postings;--\"\nstart = [\"" + server_.Url("/board") +
                     "\"]\nfollow = { detail = \"/jobs/[0-9]+$\", next = \"[?&]page=[0-9]+\" }\n";
  auto config = config::ParseConfig(text, "e2e.toml", dir_);
  ASSERT_TRUE(config.has_value()) << config.error().front().ToString();
  ASSERT_EQ(config->sources[0].name, name);
  for (int crawl = 0; crawl < 2; ++crawl) {
    auto summary = RunCrawl(ioc_, *config, {.only_sources = {name}, .database = db, .parse_threads = 2});
    ASSERT_TRUE(summary.has_value()) << summary.error().message;
    ASSERT_EQ(summary->sources.size(), 1u);
    EXPECT_EQ(summary->sources[0].record.counts.new_postings, crawl == 0 ? 4 : 0);
  }
  EXPECT_TRUE(std::filesystem::exists(db));
  EXPECT_THAT(jobtrawl::testing::QueryColumn(db, "SELECT name FROM sources"), ElementsAre(name));
  EXPECT_THAT(jobtrawl::testing::QueryColumn(db, "SELECT count(*) FROM postings"), ElementsAre("4"));
  EXPECT_THAT(jobtrawl::testing::QueryColumn(db, "SELECT count(*) FROM sqlite_master WHERE name IN "
                                                 "('postings', 'listings', 'sources', 'crawl_runs')"),
              ElementsAre("4"));
}

TEST_F(CrawlEndToEndTest, PageOverItsBudgetIsRecordedTooSlowAndTheCrawlGoesOn) {
  // [parse] page_budget: a page whose extraction runs past it keeps what
  // was read in time, is recorded as a too_slow crawl error and is not
  // cached; the crawl goes on to the other pages. (3,000 JSON-LD blocks
  // with long descriptions take far more than 1 ms of CPU.)
  std::string slow;
  for (int i = 0; i < 3000; ++i) {
    slow += R"(<script type="application/ld+json">{"@type":"JobPosting","title":"Job )" + std::to_string(i) +
            R"(","url":"/s/)" + std::to_string(i) + R"(","description":")" + std::string(2000, 'x') +
            R"("}</script>)";
  }
  slow += R"(<a href="/jobs/1">one</a>)";
  server_.Route("/slow", {200, slow});
  std::string text = "[storage]\ndatabase = \"jobs.db\"\n[parse]\npage_budget = \"1ms\"\n"
                     "[http]\ndelay = \"0s\"\nallow_private_networks = true\nretries = 0\n"
                     "[[source]]\nname = \"slow\"\nstart = [\"" + server_.Url("/slow") +
                     "\"]\nfollow = { detail = \"/jobs/[0-9]+$\" }\n";
  auto config = config::ParseConfig(text, "e2e.toml", dir_);
  ASSERT_TRUE(config.has_value()) << config.error().front().ToString();
  auto summary = RunCrawl(ioc_, *config, {.parse_threads = 2});
  ASSERT_TRUE(summary.has_value()) << summary.error().message;
  // Contains, not ElementsAre: the detail page is tiny, but it may be the
  // first page a parse thread reads (lazy tables, sanitizer start-up), which
  // can cost more than 1 ms of CPU on a loaded machine.
  EXPECT_THAT(Column("SELECT kind || ' ' || url FROM crawl_errors"), Contains("too_slow " + server_.Url("/slow")));
  EXPECT_LT(std::stoi(Column("SELECT count(*) FROM postings")[0]), 3000 + 1);
  // The listing's link was still followed: the detail page was fetched.
  EXPECT_EQ(server_.Hits("/jobs/1"), 1);
  EXPECT_THAT(Column("SELECT count(*) FROM http_cache WHERE url = '" + server_.Url("/slow") + "'"), ElementsAre("0"));
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
  // Issue 13: the summary names the cause, not only the count.
  EXPECT_THAT(summary.sources[0].record.message,
              HasSubstr("1 of 1 start pages failed: " + server_.Url("/board") + ": http_status: HTTP 503"));
}

TEST_F(CrawlEndToEndTest, PartialSourceSaysWhichPagesFailedAndWhy) {
  // Issue 13: a partial run's message counts the failures by kind.
  CrawlSummary summary = Crawl();
  const storage::RunRecord& r = summary.sources[0].record;
  EXPECT_EQ(r.status, "partial");
  EXPECT_THAT(r.message, HasSubstr("3 pages failed ("));
  EXPECT_THAT(r.message, HasSubstr("2 http_status"));
  EXPECT_THAT(r.message, HasSubstr("1 parse"));
  EXPECT_THAT(Column("SELECT message FROM crawl_runs"), ElementsAre(r.message));
}

TEST_F(CrawlEndToEndTest, DueCrawlsOnlySourcesWhoseIntervalHasPassed) {
  // Issue 13: `crawl --due` keeps each source's `every` (1 h by default)
  // when a timer fires more often.
  const Clock::time_point t0 = Clock::from_time_t(1'800'000'000);
  ASSERT_EQ(Crawl(t0).sources.size(), 1u);
  auto crawl_due = [&](Clock::time_point at) {
    CrawlOptions options{.parse_threads = 2, .due = true};
    options.now = [at] { return at; };
    auto summary = RunCrawl(ioc_, Config(), options);
    EXPECT_TRUE(summary.has_value());
    return summary.value_or(CrawlSummary{});
  };
  CrawlSummary early = crawl_due(t0 + std::chrono::minutes(59));
  EXPECT_TRUE(early.sources.empty());
  ASSERT_EQ(early.not_due.size(), 1u);
  EXPECT_EQ(early.not_due[0].record.status, "not_due");
  EXPECT_THAT(early.not_due[0].record.message, HasSubstr("due at 2027-01-15T09:00:00Z"));
  EXPECT_TRUE(early.all_ok());
  EXPECT_FALSE(early.all_skipped());
  EXPECT_THAT(FormatSummary(early), HasSubstr("1 not due"));
  EXPECT_THAT(Column("SELECT count(*) FROM crawl_runs"), ElementsAre("1"));
  CrawlSummary later = crawl_due(t0 + std::chrono::hours(1));
  EXPECT_EQ(later.sources.size(), 1u);
  EXPECT_TRUE(later.not_due.empty());
  EXPECT_THAT(Column("SELECT count(*) FROM crawl_runs"), ElementsAre("2"));
}

TEST_F(CrawlEndToEndTest, FailedRunIsDueAgainAtOnce) {
  // Only a successful (ok or partial) run counts: a failed one is retried
  // at the next timer.
  const Clock::time_point t0 = Clock::from_time_t(1'800'000'000);
  server_.Route("/board", {503, "down"});
  Crawl(t0);
  CrawlOptions options{.parse_threads = 2, .due = true};
  options.now = [t0] { return t0 + std::chrono::minutes(5); };
  auto summary = RunCrawl(ioc_, Config(), options);
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->sources.size(), 1u);
  EXPECT_TRUE(summary->not_due.empty());
}

TEST_F(CrawlEndToEndTest, RecrawlWithValidatorsGets304sAndParsesNothing) {
  // Conditional GET: ETags stored on the first crawl are sent on the next;
  // 304 listing pages replay their stored links, so details are still checked.
  server_.Route("/board?page=1", {404, ""});
  server_.Route("/jobs/3", {404, ""});
  auto with_etag = [&](const std::string& target, std::string body) {
    server_.Route(target, {.status = 200, .body = std::move(body), .etag = "\"" + target + "\""});
  };
  with_etag("/board", R"(<a href="/jobs/1">1</a><a href="/jobs/2">2</a><a rel="next" href="/board?page=2">n</a>)");
  with_etag("/board?page=2", R"(<a href="/jobs/4">4</a>)");
  with_etag("/jobs/1", Detail("J1", "Platform Engineer", "Fjord AS"));
  with_etag("/jobs/2", Detail("J2", "Data Engineer", "Fjord AS"));
  with_etag("/jobs/4", Detail("J4", "SRE", "Nordlys"));
  CrawlSummary first = Crawl();
  EXPECT_EQ(first.sources[0].record.counts.new_postings, 3);
  const size_t before = server_.requests().size();
  CrawlSummary again = Crawl();
  const storage::RunRecord& r = again.sources[0].record;
  EXPECT_EQ(r.status, "ok");
  EXPECT_EQ(r.not_modified, 5);
  EXPECT_EQ(r.counts.unchanged, 3);
  EXPECT_EQ(r.counts.new_postings + r.counts.updated, 0);
  int conditional = 0;
  for (size_t i = before; i < server_.requests().size(); ++i) {
    conditional += server_.requests()[i].headers.count("if-none-match");
  }
  EXPECT_EQ(conditional, 5);
  EXPECT_THAT(Column("SELECT not_modified FROM crawl_runs ORDER BY id"), ElementsAre("0", "5"));
}

TEST_F(CrawlEndToEndTest, GonePageClosesItsListingAndItReopensWhenBack) {
  Crawl();
  server_.Route("/jobs/4", {410, "gone"});
  CrawlSummary second = Crawl();
  EXPECT_EQ(second.sources[0].record.closed, 1);
  EXPECT_THAT(Column("SELECT external_id FROM postings WHERE closed_at IS NOT NULL"), ElementsAre("J4"));
  EXPECT_THAT(Column("SELECT count(*) FROM open_postings"), ElementsAre("3"));
  server_.Route("/jobs/4", {200, Detail("J4", "SRE", "Nordlys")});
  CrawlSummary third = Crawl();
  EXPECT_EQ(third.sources[0].record.counts.reopened, 1);
  EXPECT_THAT(Column("SELECT count(*) FROM open_postings"), ElementsAre("4"));
  EXPECT_THAT(Column("SELECT reopened_listings FROM crawl_runs ORDER BY id"), ElementsAre("0", "0", "1"));
}

TEST_F(CrawlEndToEndTest, ListingsUnseenForTheGracePeriodClose) {
  // Default close_after is 3 days: a job gone from the board closes after it.
  const auto t0 = Clock::now();
  Crawl(t0);
  server_.Route("/board", {200, R"(<a href="/jobs/1">1</a><a href="/jobs/2">2</a><a href="/jobs/3">3</a>)"});
  CrawlSummary day1 = Crawl(t0 + std::chrono::hours(24));
  EXPECT_EQ(day1.sources[0].record.closed, 0);  // J4 unseen for a day only
  CrawlSummary day4 = Crawl(t0 + std::chrono::hours(4 * 24));
  EXPECT_EQ(day4.sources[0].record.closed, 1);
  EXPECT_THAT(Column("SELECT external_id FROM postings WHERE closed_at IS NOT NULL"), ElementsAre("J4"));
}

TEST_F(CrawlEndToEndTest, FailedOrShrunkenCrawlsCloseNothing) {
  // No mass closing on an outage: a failed crawl, or one that finds far fewer
  // listings than were open, leaves every listing open.
  std::string list;
  for (int i = 10; i < 22; ++i) {
    std::string t = "/jobs/" + std::to_string(i);
    list += "<a href=\"" + t + "\">x</a>";
    server_.Route(t, {200, Detail("J" + std::to_string(i), "Job " + std::to_string(i), "Big Co")});
  }
  server_.Route("/board", {200, list});
  const auto t0 = Clock::now();
  EXPECT_EQ(Crawl(t0).sources[0].record.counts.new_postings, 12);
  server_.Route("/board", {503, "down"});
  EXPECT_EQ(Crawl(t0 + std::chrono::hours(5 * 24)).sources[0].record.closed, 0);
  server_.Route("/board", {200, R"(<a href="/jobs/10">x</a>)"});
  CrawlSummary shrunk = Crawl(t0 + std::chrono::hours(6 * 24));
  EXPECT_EQ(shrunk.sources[0].record.closed, 0);
  // The breakage alarm (README "Breakage alarms") says so first; the
  // writer's own check ("saw 1 listings where 12 were open") stands behind it.
  EXPECT_EQ(shrunk.sources[0].record.status, "degraded");
  EXPECT_THAT(shrunk.sources[0].record.message,
              HasSubstr("degraded: found 1 postings; found 12 last good run; closed none"));
  EXPECT_THAT(Column("SELECT count(*) FROM open_postings"), ElementsAre("12"));
}

TEST_F(CrawlEndToEndTest, RetriedFailuresAreRecordedPerAttempt) {
  server_.Sequence("/jobs/2", {{.status = 503}, {200, Detail("J2", "Data Engineer", "Fjord AS")}});
  std::string text = "[storage]\ndatabase = \"jobs.db\"\n[http]\ndelay = \"0s\"\n"
                     "allow_private_networks = true\nretries = 2\nretry_base = \"1ms\"\n"
                     "max_adaptive_delay = \"10ms\"\n"
                     "[[source]]\nname = \"fjord\"\nstart = [\"" + server_.Url("/board") +
                     "\"]\nfollow = { detail = \"/jobs/[0-9]+$\", next = \"[?&]page=[0-9]+\" }\n";
  auto config = config::ParseConfig(text, "e2e.toml", dir_);
  ASSERT_TRUE(config.has_value());
  auto summary = RunCrawl(ioc_, *config, {.parse_threads = 1});
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->sources[0].record.counts.new_postings, 4);
  EXPECT_GE(summary->sources[0].record.retries, 3);  // /jobs/2 once, /jobs/7 (500) twice
  EXPECT_THAT(Column("SELECT attempt || ' ' || kind || ' ' || status FROM crawl_errors "
                     "WHERE url LIKE '%/jobs/7' ORDER BY attempt"),
              ElementsAre("1 http_status 500", "2 http_status 500", "3 http_status 500"));
  EXPECT_THAT(Column("SELECT attempt || ' ' || status FROM crawl_errors WHERE url LIKE '%/jobs/2'"),
              ElementsAre("1 503"));
}

TEST_F(CrawlEndToEndTest, LegacyCharsetsAndMojibakeAreStoredAsCleanUtf8) {
  // A page in ISO-8859-1 (declared only in the header) and one whose JSON-LD
  // was double-encoded upstream: both end up as the same clean UTF-8.
  server_.Route("/board", {200, R"(<a href="/jobs/1">1</a><a href="/jobs/2">2</a>)"});
  server_.Route("/jobs/1", {.status = 200,
                            .body = "<script type=\"application/ld+json\">{\"@type\":\"JobPosting\","
                                    "\"title\":\"Entwickler M\xFCnchen\",\"identifier\":\"L1\"}</script>",
                            .headers = {{"Content-Type", "text/html; charset=ISO-8859-1"}}});
  server_.Route("/jobs/2", {200, "<script type=\"application/ld+json\">{\"@type\":\"JobPosting\","
                                 "\"title\":\"Entwickler M\xC3\x83\xC2\xBCnchen\",\"identifier\":\"L2\"}</script>"});
  CrawlSummary summary = Crawl();
  EXPECT_EQ(summary.sources[0].record.counts.new_postings, 2);
  EXPECT_THAT(Column("SELECT title FROM postings ORDER BY external_id"),
              ElementsAre("Entwickler M\xC3\xBCnchen", "Entwickler M\xC3\xBCnchen"));
}

TEST_F(CrawlEndToEndTest, PlainHtmlBoardByItemsAndFields) {
  // A board with no structured data at all: postings come from selectors.
  server_.Route("/plain", {200, R"(<ul>
      <li class="job"><a class="t" href="/plain/1">Welder</a><span class="loc">Bergen</span></li>
      <li class="job"><a class="t" href="/plain/2">Electrician</a><span class="loc">Oslo</span></li>
      </ul><nav><a class="more" href="/plain?p=2">more</a></nav>)"});
  server_.Route("/plain?p=2", {200, R"(<ul><li class="job"><a class="t" href="/plain/3">Plumber</a></li></ul>)"});
  std::string text = "[storage]\ndatabase = \"jobs.db\"\n[http]\ndelay = \"0s\"\n"
                     "allow_private_networks = true\n[[source]]\nname = \"plain\"\nstart = [\"" +
                     server_.Url("/plain") + "\"]\nitem = \"li.job\"\n"
                     "fields = { title = \"a.t\", location = \".loc\" }\n"
                     "follow = { next_css = \"nav a.more\" }\n";
  auto config = config::ParseConfig(text, "e2e.toml", dir_);
  ASSERT_TRUE(config.has_value()) << config.error().front().ToString();
  auto summary = RunCrawl(ioc_, *config, {.parse_threads = 1});
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->sources[0].record.status, "ok");
  EXPECT_THAT(Column("SELECT title || ' | ' || coalesce(location, '-') || ' | ' || url FROM postings ORDER BY id"),
              ElementsAre("Welder | Bergen | " + server_.Url("/plain/1"),
                          "Electrician | Oslo | " + server_.Url("/plain/2"),
                          "Plumber | - | " + server_.Url("/plain/3")));
}

TEST_F(CrawlEndToEndTest, BoardApiSourcesStoreBoardIdsAndFollowPages) {
  // A SmartRecruiters-shaped API on the test server: two pages, ids as listing keys.
  server_.Route("/v1/companies/acme/postings?limit=2&offset=0", {200, R"({"offset":0,"limit":2,"totalFound":3,
      "content":[{"id":"11","name":"Welder","company":{"identifier":"acme","name":"Acme"},"location":{"city":"Oslo"}},
                 {"id":"12","name":"Fitter","company":{"identifier":"acme","name":"Acme"}}]})"});
  server_.Route("/v1/companies/acme/postings?limit=2&offset=2", {200, R"({"offset":2,"limit":2,"totalFound":3,
      "content":[{"id":"13","name":"Rigger","company":{"identifier":"acme","name":"Acme"}}]})"});
  std::string text = "[storage]\ndatabase = \"jobs.db\"\n[http]\ndelay = \"0s\"\n"
                     "allow_private_networks = true\n[[source]]\nname = \"acme\"\nkind = \"smartrecruiters\"\n"
                     "start = \"" + server_.Url("/v1/companies/acme/postings?limit=2&offset=0") + "\"\n";
  auto config = config::ParseConfig(text, "e2e.toml", dir_);
  ASSERT_TRUE(config.has_value()) << config.error().front().ToString();
  auto summary = RunCrawl(ioc_, *config, {.parse_threads = 1});
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->sources[0].record.status, "ok");
  EXPECT_EQ(summary->sources[0].record.pages, 2);
  EXPECT_THAT(Column("SELECT listings.external_id || ' ' || title || ' ' || listings.url FROM listings "
                     "JOIN postings ON postings.id = listings.posting_id ORDER BY listings.external_id"),
              ElementsAre("11 Welder https://jobs.smartrecruiters.com/acme/11",
                          "12 Fitter https://jobs.smartrecruiters.com/acme/12",
                          "13 Rigger https://jobs.smartrecruiters.com/acme/13"));
}

TEST_F(CrawlEndToEndTest, FeedSourceStoresEveryItem) {
  // No charset in the header: the XML declaration's is used.
  server_.Route("/jobs.rss", {200, R"(<?xml version="1.0" encoding="ISO-8859-1"?>
      <rss version="2.0"><channel><title>Jobs</title><link>https://board.example/</link>
      <item><title>Caf)" "\xE9" R"( Manager</title><link>https://board.example/jobs/1</link>
        <description>&lt;p&gt;Run the caf&amp;eacute;.&lt;/p&gt;</description>
        <pubDate>Mon, 14 Nov 2022 17:07:35 +0000</pubDate></item>
      <item><title>Barista</title><link>https://board.example/jobs/2</link></item>
      </channel></rss>)", {{"Content-Type", "application/rss+xml"}}});
  std::string text = "[storage]\ndatabase = \"jobs.db\"\n[http]\ndelay = \"0s\"\n"
                     "allow_private_networks = true\n[[source]]\nname = \"feed\"\nkind = \"rss\"\n"
                     "company = \"Board Cafe\"\nstart = \"" + server_.Url("/jobs.rss") + "\"\n";
  auto config = config::ParseConfig(text, "e2e.toml", dir_);
  ASSERT_TRUE(config.has_value()) << config.error().front().ToString();
  auto summary = RunCrawl(ioc_, *config, {.parse_threads = 1});
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->sources[0].record.status, "ok");
  // The XML declaration's charset is honoured: "Café", not mojibake.
  EXPECT_THAT(Column("SELECT title || ' | ' || company || ' | ' || coalesce(description, '-') || ' | ' || "
                     "coalesce(date_posted, '-') FROM postings ORDER BY id"),
              ElementsAre("Café Manager | Board Cafe | Run the café. | 2022-11-14T17:07:35Z",
                          "Barista | Board Cafe | - | -"));
}

TEST_F(CrawlEndToEndTest, SitemapLastmodSkipsPagesReadSinceTheyChanged) {
  auto sitemap = [&](const std::string& lastmod2) {
    return "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
           "<url><loc>" + server_.Url("/jobs/1") + "</loc><lastmod>2020-01-01</lastmod></url>"
           "<url><loc>" + server_.Url("/jobs/2") + "</loc><lastmod>" + lastmod2 + "</lastmod></url>"
           "<url><loc>" + server_.Url("/about") + "</loc></url></urlset>";
  };
  server_.Route("/sitemap.xml", {200, sitemap("2020-01-01")});
  std::string text = "[storage]\ndatabase = \"jobs.db\"\n[http]\ndelay = \"0s\"\n"
                     "allow_private_networks = true\n[[source]]\nname = \"map\"\nkind = \"sitemap\"\n"
                     "start = \"" + server_.Url("/sitemap.xml") + "\"\nfollow = { detail = \"/jobs/\" }\n";
  auto config = config::ParseConfig(text, "e2e.toml", dir_);
  ASSERT_TRUE(config.has_value()) << config.error().front().ToString();
  auto at = [](int month) {
    std::tm tm{.tm_mday = 1, .tm_mon = month - 1, .tm_year = 126};  // 2026-MM-01
    return Clock::from_time_t(timegm(&tm));
  };
  auto crawl = [&](int month) {
    CrawlOptions options{.parse_threads = 1};
    options.now = [t = at(month)] { return t; };
    return RunCrawl(ioc_, *config, options);
  };
  auto first = crawl(1);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->sources[0].record.counts.new_postings, 2);
  EXPECT_EQ(server_.Hits("/jobs/1"), 1);
  EXPECT_EQ(server_.Hits("/about"), 0);  // not a detail page

  // Job 2 changed (in June) after our first read (in January); job 1 did not.
  server_.Route("/sitemap.xml", {200, sitemap("2026-06-01")});
  auto second = crawl(7);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->sources[0].record.status, "ok");
  EXPECT_EQ(server_.Hits("/jobs/1"), 1);
  EXPECT_EQ(server_.Hits("/jobs/2"), 2);
  EXPECT_EQ(second->sources[0].record.not_modified, 1);
  // Job 1 was seen all the same: still open, and its last sighting is this crawl's.
  EXPECT_THAT(Column("SELECT count(*) FROM listings WHERE closed_at IS NULL"), ElementsAre("2"));

  // Job 2's body had not changed, but it was read in July: in August the
  // same lastmod fetches neither page.
  auto third = crawl(8);
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(server_.Hits("/jobs/1"), 1);
  EXPECT_EQ(server_.Hits("/jobs/2"), 2);
  EXPECT_EQ(third->sources[0].record.not_modified, 2);
}

TEST_F(CrawlEndToEndTest, LeasedSourceIsSkippedOrWaitedFor) {
  // A daemon (another process) holds the source's lease: a one-shot crawl
  // skips it and says so; with --wait it crawls once the lease is released.
  Crawl();  // creates the database and the source row
  auto other = std::move(*storage::PostingStore::Open(dir_ / "jobs.db"));
  std::int64_t id = other->database().execAndGet("SELECT id FROM sources WHERE name = 'fjord'").getInt64();
  auto held = other->AcquireLease(id, "daemon otherhost:42", FormatUtc(Clock::now()),
                                  FormatUtc(Clock::now() + std::chrono::hours(1)));
  ASSERT_TRUE(held.has_value() && !held->has_value());

  CrawlSummary skipped = Crawl();
  EXPECT_EQ(skipped.sources[0].record.status, "skipped");
  EXPECT_THAT(skipped.sources[0].record.message, HasSubstr("being crawled by daemon otherhost:42"));
  EXPECT_TRUE(skipped.all_ok());
  EXPECT_THAT(FormatSummary(skipped), HasSubstr("(0 failed, 1 skipped)"));
  EXPECT_THAT(Column("SELECT count(*) FROM crawl_runs"), ElementsAre("1"));

  boost::asio::steady_timer release(ioc_, std::chrono::milliseconds(100));
  release.async_wait([&](boost::system::error_code) { (void)other->ReleaseLease(id, "daemon otherhost:42"); });
  auto waited = RunCrawl(ioc_, Config(), {.parse_threads = 1, .wait = true,
                                           .wait_poll = std::chrono::milliseconds(20)});
  ASSERT_TRUE(waited.has_value());
  EXPECT_EQ(waited->sources[0].record.status, "partial");
  EXPECT_EQ(waited->sources[0].record.counts.unchanged, 4);
  EXPECT_THAT(Column("SELECT count(*) FROM source_leases"), ElementsAre("0"));  // released after
}

TEST(CrawlCommandTest, ShippedConfigCrawlsTheSampleBoard) {
  // The quick start: the default config crawls the bundled board offline.
  crawler::GlobalInit();
  auto db = std::filesystem::temp_directory_path() / ("jobtrawl-sample-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(db);
  std::ostringstream out, err;
  int rc = CrawlCommand(JOBTRAWL_SOURCE_DIR "/config/jobtrawl.toml", {.database = db}, false, out, err);
  EXPECT_EQ(rc, kExitOk) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("14 pages (22 KB, 0 not modified), 0 errors, 0 retries"));
  EXPECT_THAT(out.str(), HasSubstr("postings: 12 new, 0 updated, 0 unchanged, 0 closed"));
  EXPECT_THAT(out.str(), HasSubstr("database: " + db.string()));
  // Issue 13: Scrapy-style statistics per source after the summary.
  EXPECT_THAT(out.str(), HasSubstr("stats of sample-board:\n"));
  EXPECT_THAT(out.str(), HasSubstr("  requests/file: 14\n"));  // the sample board is file://
  EXPECT_THAT(out.str(), HasSubstr("  postings/new: 12\n"));
  SQLite::Database check(db.string());
  // ... and stored in crawl_runs.stats (schema v9) as JSON.
  EXPECT_EQ(check.execAndGet("SELECT json_extract(stats, '$.requests.file') FROM crawl_runs").getInt(), 14);
  EXPECT_EQ(check.execAndGet("SELECT count(*) FROM open_postings").getInt(), 12);
  EXPECT_EQ(check.execAndGet("SELECT count(*) FROM postings WHERE remote = 'remote'").getInt(), 1);
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix);
}

TEST(CrawlCommandTest, SecondProcessSkipsALeasedSource) {
  // Two real processes: this test holds the sample board's lease, and a
  // separate `jobtrawl crawl` process must skip the source and say why.
  auto dir = std::filesystem::temp_directory_path() / ("jobtrawl-2proc-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto db = dir / "jobs.db";
  auto store = std::move(*storage::PostingStore::Open(db));
  auto id = *store->EnsureSource("sample-board", "html", FormatUtc(Clock::now()));
  ASSERT_FALSE(store->AcquireLease(id, "daemon test:1", FormatUtc(Clock::now()),
                                   FormatUtc(Clock::now() + std::chrono::hours(1)))->has_value());
  std::string command = std::string(JOBTRAWL_BINARY) + " crawl --config " + JOBTRAWL_SOURCE_DIR +
                        "/config/jobtrawl.toml --db " + db.string() + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buf[512];
  while (size_t n = std::fread(buf, 1, sizeof buf, pipe)) output.append(buf, n);
  int status = ::pclose(pipe);
  // Every source skipped, nothing stored: its own exit code, for cron.
  EXPECT_EQ(WEXITSTATUS(status), kExitAllSkipped) << output;
  EXPECT_THAT(output, HasSubstr("sample-board             skipped"));
  EXPECT_THAT(output, HasSubstr("being crawled by daemon test:1"));
  EXPECT_EQ(store->database().execAndGet("SELECT count(*) FROM postings").getInt(), 0);
  // Released: the other process crawls it.
  ASSERT_TRUE(store->ReleaseLease(id, "daemon test:1").has_value());
  pipe = ::popen(command.c_str(), "r");
  output.clear();
  while (size_t n = std::fread(buf, 1, sizeof buf, pipe)) output.append(buf, n);
  EXPECT_EQ(WEXITSTATUS(::pclose(pipe)), 0) << output;
  EXPECT_EQ(store->database().execAndGet("SELECT count(*) FROM postings").getInt(), 12);
  store.reset();
  std::filesystem::remove_all(dir);
}

TEST(CrawlCommandTest, QuietStillReportsAFailedSourceWithItsCause) {
  // Issue 13: `crawl -q` under cron printed nothing when a source failed.
  crawler::GlobalInit();
  auto dir = std::filesystem::temp_directory_path() / ("jobtrawl-quiet-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string dead_port;
  {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor probe(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    dead_port = std::to_string(probe.local_endpoint().port());
  }  // closed: nothing listens there
  const auto file = dir / "jobtrawl.toml";
  std::ofstream(file) << "[storage]\ndatabase = \"jobs.db\"\n[http]\nretries = 0\n"
                         "allow_private_networks = true\n[[source]]\nname = \"gone\"\n"
                         "start = [\"http://127.0.0.1:" << dead_port << "/jobs\"]\n";
  std::ostringstream out, err;
  EXPECT_EQ(CrawlCommand(file, {}, /*quiet=*/true, out, err), kExitSourcesFailed);
  EXPECT_EQ(out.str(), "");
  EXPECT_THAT(err.str(), HasSubstr("gone: failed: 1 of 1 start pages failed: http://127.0.0.1:" + dead_port +
                                   "/jobs: connect: "));
  EXPECT_THAT(jobtrawl::testing::QueryColumn(dir / "jobs.db", "SELECT kind FROM crawl_errors"),
              ElementsAre("connect"));
  std::filesystem::remove_all(dir);
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

TEST(ParseCommandTest, ExampleSelectorConfigsReadTheirCorpusPages) {
  // config/examples/html-selectors.toml against pages saved from those boards.
  struct Case {
    const char* source;
    const char* file;
    const char* url;
    std::vector<const char*> expected;
  } cases[] = {
      {"seek-au", "plain/seek-au-job-senior-platform-engineer-93856863.html",
       "https://www.seek.com.au/job/93856863",
       {R"("title":"Senior Platform Engineer | Remote | Australia")", R"("company":"iterate")",
        R"x("location":"Melbourne VIC (Remote)")x", R"("title":"css:h1[data-automation=job-detail-title]")"}},
      {"workinstartups", "plain/workinstartups-adzuna-detail-attio-product-engineer.html",
       "https://workinstartups.com/job-board/job/1",
       {R"("title":"Product Engineer")", R"("company":"Attio")", R"x("location":"London [Remote], UK")x"}},
      {"lever-board", "listing/lever-jobs-janux-therapeutics.html", "https://jobs.lever.co/januxrx",
       {R"("title":"Director, Corporate Strategy and Analytics")",
        R"("url":"https://jobs.lever.co/januxrx/2d3977f1-f207-4c2d-a534-c7e517b66bfb")"}},
      {"greenhouse-embed", "listing/greenhouse-job-boards-mirador-therapeutics.html",
       "https://job-boards.greenhouse.io/embed/job_board?for=miradortherapeutics",
       {R"x("location":"San Diego, CA")x", R"("url":"https://miradortx.com/careers/?gh_jid=5139831008")"}},
  };
  for (const auto& c : cases) {
    std::filesystem::path file = std::filesystem::path(JOBTRAWL_CORPUS_DIR) / c.file;
    if (!std::filesystem::exists(file)) GTEST_SKIP() << "corpus not present at " << JOBTRAWL_CORPUS_DIR;
    std::ostringstream out, err;
    ParseOptions options{.file = file, .url = c.url,
                         .config = JOBTRAWL_SOURCE_DIR "/config/examples/html-selectors.toml",
                         .source = c.source, .pretty = false};
    ASSERT_EQ(ParseCommand(options, out, err), kExitOk) << err.str();
    for (const char* e : c.expected) EXPECT_THAT(out.str(), HasSubstr(e)) << c.source;
  }
}

TEST(SelectCommandTest, PrintsTextAttributesHtmlOrCount) {
  // `jobtrawl select` on the sample board's first listing page.
  const std::string file = JOBTRAWL_SOURCE_DIR "/sample-board/index.html";
  auto run = [&](SelectOptions o) {
    o.file = file;
    std::ostringstream out, err;
    int rc = SelectCommand(o, out, err);
    return std::to_string(rc) + "|" + out.str() + err.str();
  };
  EXPECT_THAT(run({.selector = "li.job a"}), ::testing::StartsWith("0|Senior C++ Engineer\nBackend Engineer (Go)\n"));
  EXPECT_EQ(run({.selector = "li.job:first-child a", .attribute = "href"}), "0|jobs/1001.html\n");
  EXPECT_EQ(run({.selector = "li.job", .count = true}), "0|6\n");
  EXPECT_EQ(run({.selector = "a[rel=next]", .html = true}), "0|<a rel=\"next\" href=\"page-2.html\">Next page</a>\n");
  EXPECT_THAT(run({.selector = "li["}), HasSubstr("2|jobtrawl: invalid selector \"li[\" at column 4: expected an attribute name"));
}

}  // namespace
}  // namespace jobtrawl::app

namespace jobtrawl::app {
namespace {

// review13: the one-shot crawl renews the lease of every run it started,
// finished ones too, every lease_ttl / 3 (40 s by default). Once a source has
// finished, each renewal of its run is "jobtrawl: database write failed: no
// open run N" on standard error, so `crawl --due -q` from cron, whose
// standard error should hold only failed sources, mails a database failure
// that did not happen whenever one source outlasts another by 40 s.
TEST_F(CrawlEndToEndTest, FinishedSourceWhileAnotherRunsWritesNoDatabaseError) {
  server_.Route("/quick", {200, "<html><body>nothing</body></html>"});
  server_.Route("/slow", {.status = 200, .body = "<html><body>late</body></html>",
                          .delay = std::chrono::milliseconds(1500)});
  std::string text = "[storage]\ndatabase = \"jobs.db\"\n[http]\ndelay = \"0s\"\n"
                     "allow_private_networks = true\nretries = 0\n"
                     "[[source]]\nname = \"quick\"\nstart = [\"" + server_.Url("/quick") + "\"]\n"
                     "[[source]]\nname = \"slow\"\nstart = [\"" + server_.Url("/slow") + "\"]\n";
  auto config = config::ParseConfig(text, "e2e.toml", dir_);
  ASSERT_TRUE(config.has_value());
  std::ostringstream err;
  auto* old = std::cerr.rdbuf(err.rdbuf());
  auto summary = RunCrawl(ioc_, *config, {.parse_threads = 1, .lease_ttl = std::chrono::milliseconds(300)});
  std::cerr.rdbuf(old);
  ASSERT_TRUE(summary.has_value());
  EXPECT_TRUE(summary->all_ok());
  EXPECT_THAT(err.str(), ::testing::Not(HasSubstr("no open run"))) << err.str();
}

}  // namespace
}  // namespace jobtrawl::app
