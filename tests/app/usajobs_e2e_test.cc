// End to end: a USAJOBS source (issue 14 part 1), crawled for real
// (fetcher, parsers, writer) against in-process servers on 127.0.0.1: the
// source's `headers` (the API key from the environment, the registered
// e-mail as User-Agent) reach the API on every page, and go neither with
// robots.txt (shared by every source of the host) nor across a redirect to
// another host.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "app/crawl_pipeline.h"
#include "crawler/fetcher.h"
#include "support/sqlite_query.h"
#include "support/test_server.h"

namespace jobtrawl::app {
namespace {

using jobtrawl::testing::RecordedRequest;
using jobtrawl::testing::Reply;
using jobtrawl::testing::TestServer;
using ::testing::ElementsAre;

// One page of the Search API's documented shape.
std::string Page(int first, int count, int pages) {
  std::string items;
  for (int i = first; i < first + count; ++i) {
    const std::string id = std::to_string(800000 + i);
    items += std::string(items.empty() ? "" : ",") + R"({"MatchedObjectId":")" + id +
             R"(","MatchedObjectDescriptor":{"PositionTitle":"Analyst )" + std::to_string(i) +
             R"(","PositionURI":"https://www.usajobs.gov/GetJob/ViewDetails/)" + id +
             R"(","OrganizationName":"Bureau )" + std::to_string(i) +
             R"(","DepartmentName":"Department of )" + (i % 2 == 0 ? "Energy" : "Labor") +
             R"(","PositionLocation":[{"LocationName":"Denver, Colorado","CountryCode":"United States"}],
             "PositionRemuneration":[{"MinimumRange":"70000","MaximumRange":"90000","RateIntervalCode":"PA"}],
             "PublicationStartDate":"2026-11-20T00:00:00.0000",
             "UserArea":{"Details":{"JobSummary":"Analyse things.","RemoteIndicator":true}}}})";
  }
  return R"({"SearchResult":{"SearchResultCountAll":3,"SearchResultItems":[)" + items +
         R"(],"UserArea":{"NumberOfPages":")" + std::to_string(pages) + R"("}}})";
}

class UsaJobsEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crawler::GlobalInit(); }

  UsaJobsEndToEndTest() : api_(ioc_), elsewhere_(ioc_, "127.0.0.2") {
    dir_ = std::filesystem::temp_directory_path() /
           ("jobtrawl-usajobs-e2e-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ::setenv("JOBTRAWL_E2E_USAJOBS_KEY", "e2e-secret-key", 1);
    for (TestServer* s : {&api_, &elsewhere_}) s->Route("/robots.txt", {.body = "User-agent: *\nAllow: /\n"});
    const Reply json{.status = 200, .headers = {{"Content-Type", "application/json"}}};
    // Page 1 here; page 2 (its canonical URL sorts Page first) moved to
    // another host, which serves it.
    api_.Fallback([this, json](const std::string& target) -> Reply {
      if (target == "/api/search?ResultsPerPage=500") {
        Reply r = json;
        r.body = Page(0, 2, 2);
        return r;
      }
      if (target == "/api/search?Page=2&ResultsPerPage=500") {
        return {.status = 302, .headers = {{"Location", elsewhere_.Url(target)}}};
      }
      return {404, "no"};
    });
    elsewhere_.Fallback([json](const std::string& target) -> Reply {
      if (target != "/api/search?Page=2&ResultsPerPage=500") return {404, "no"};
      Reply r = json;
      r.body = Page(2, 1, 2);
      return r;
    });
  }
  ~UsaJobsEndToEndTest() override {
    std::filesystem::remove_all(dir_);
    ::unsetenv("JOBTRAWL_E2E_USAJOBS_KEY");
  }

  CrawlSummary Crawl() {
    const std::string text =
        "[storage]\ndatabase = \"jobs.db\"\n[http]\nuser_agent = \"jobtrawl-test/1.0\"\ndelay = \"0s\"\n"
        "allow_private_networks = true\n"
        "[[source]]\nname = \"usajobs\"\nkind = \"usajobs\"\nstart = [\"" +
        api_.Url("/api/search?ResultsPerPage=500") +
        "\"]\nallow_hosts = [\"127.0.0.2\"]\n"
        "headers = { \"Authorization-Key\" = \"${JOBTRAWL_E2E_USAJOBS_KEY}\", \"User-Agent\" = \"jobs@example.org\" }\n";
    auto config = config::ParseConfig(text, "usajobs.toml", dir_);
    EXPECT_TRUE(config.has_value()) << (config ? "" : config.error().front().ToString());
    auto summary = RunCrawl(ioc_, *config, CrawlOptions{.parse_threads = 2});
    EXPECT_TRUE(summary.has_value()) << summary.error().message;
    return summary.value_or(CrawlSummary{});
  }

  static std::string Header(const RecordedRequest& r, const std::string& name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? "<none>" : it->second;
  }

  boost::asio::io_context ioc_;
  TestServer api_;
  TestServer elsewhere_;
  std::filesystem::path dir_;
};

TEST_F(UsaJobsEndToEndTest, HeadersReachTheApiButNotRobotsTxtNorAnotherHost) {
  // USAJOBS: Authorization-Key and User-Agent on each API request; RFC 9309
  // robots.txt is fetched as [http]'s agent, without the source's headers.
  CrawlSummary summary = Crawl();
  ASSERT_EQ(summary.sources.size(), 1u);
  EXPECT_EQ(summary.sources[0].record.status, "ok") << summary.sources[0].record.message;
  EXPECT_EQ(summary.sources[0].record.counts.new_postings, 3);
  int api_requests = 0, robots = 0;
  for (const RecordedRequest& r : api_.requests()) {
    if (r.target == "/robots.txt") {
      ++robots;
      EXPECT_EQ(Header(r, "authorization-key"), "<none>");
      EXPECT_EQ(Header(r, "user-agent"), "jobtrawl-test/1.0");
    } else {
      ++api_requests;
      EXPECT_EQ(Header(r, "authorization-key"), "e2e-secret-key") << r.target;
      EXPECT_EQ(Header(r, "user-agent"), "jobs@example.org") << r.target;
      EXPECT_EQ(Header(r, "host"), api_.address() + ":" + std::to_string(api_.port())) << r.target;
    }
  }
  EXPECT_EQ(robots, 1);
  EXPECT_EQ(api_requests, 2);  // page 1, and page 2 before its redirect
  ASSERT_EQ(elsewhere_.Hits("/api/search?Page=2&ResultsPerPage=500"), 1);
  for (const RecordedRequest& r : elsewhere_.requests()) {
    EXPECT_EQ(Header(r, "authorization-key"), "<none>") << r.target;
    EXPECT_EQ(Header(r, "user-agent"), "jobtrawl-test/1.0") << r.target;
  }
  EXPECT_THAT(jobtrawl::testing::QueryColumn(dir_ / "jobs.db",
                                             "SELECT external_id || ' | ' || company || ' | ' || department || ' | ' || "
                                             "remote || ' | ' || salary_period FROM postings ORDER BY external_id"),
              ElementsAre("800000 | Bureau 0 | Department of Energy | remote | YEAR",
                          "800001 | Bureau 1 | Department of Labor | remote | YEAR",
                          "800002 | Bureau 2 | Department of Energy | remote | YEAR"));
}

}  // namespace
}  // namespace jobtrawl::app
