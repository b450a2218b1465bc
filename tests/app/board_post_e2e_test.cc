// End to end: a board API searched by POST (Workday's CXS jobs search),
// crawled for real (fetcher, parsers, writer) against an in-process server
// on 127.0.0.1, into a real database: the POST body pages the search, a
// retry sends the body again, and only GETs are made conditional.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
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

constexpr int kJobs = 23;  // two pages of the search at 20 a page

class BoardPostEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crawler::GlobalInit(); }

  BoardPostEndToEndTest() : server_(ioc_) {
    dir_ = std::filesystem::temp_directory_path() /
           ("jobtrawl-post-e2e-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    // The search: only the first page states the total, as Workday's does.
    server_.Handle("/wday/cxs/acme/External/jobs", [this](const RecordedRequest& r) -> Reply {
      std::smatch m;
      const std::regex offset_re(R"re("offset":([0-9]+))re");
      if (r.method != "POST" || !std::regex_search(r.body, m, offset_re)) return {405, "POST only"};
      const int offset = std::stoi(m[1]);
      if (offset == 20 && fail_second_page_-- > 0) return {503, "busy"};
      std::string jobs;
      for (int i = offset; i < std::min(offset + 20, kJobs); ++i) {
        jobs += std::string(jobs.empty() ? "" : ",") + R"({"title":"Job )" + std::to_string(i) +
                R"(","externalPath":"/job/Oslo/Job-)" + std::to_string(i) + R"(_R)" + std::to_string(i) + "\"}";
      }
      return {.status = 200,
              .body = R"({"total":)" + std::to_string(offset == 0 ? kJobs : 0) + R"(,"jobPostings":[)" + jobs + "]}",
              .headers = {{"Content-Type", "application/json"}},
              .etag = "\"search\""};
    });
    // The job details, by GET.
    server_.Fallback([](const std::string& target) -> Reply {
      const std::string prefix = "/wday/cxs/acme/External/job/Oslo/Job-";
      if (!target.starts_with(prefix)) return {404, "no"};
      const std::string id = target.substr(target.find("_R") + 2);
      return {.status = 200,
              .body = R"({"jobPostingInfo":{"title":"Engineer )" + id + R"(","jobReqId":"R)" + id +
                      R"(","location":"Oslo","timeType":"Full time","startDate":"2026-11-02",
                      "jobDescription":"<p>Build things.</p>","country":{"descriptor":"Norway"}}})",
              .headers = {{"Content-Type", "application/json"}},
              .etag = "\"job-" + id + "\""};
    });
  }
  ~BoardPostEndToEndTest() override { std::filesystem::remove_all(dir_); }

  CrawlSummary Crawl() {
    const std::string text = "[storage]\ndatabase = \"jobs.db\"\n[http]\ndelay = \"0s\"\n"
                             "allow_private_networks = true\nretries = 1\nretry_base = \"1ms\"\nmax_adaptive_delay = \"10ms\"\n"
                             "[[source]]\nname = \"acme\"\nkind = \"workday\"\nstart = [\"" +
                             server_.Url("/wday/cxs/acme/External/jobs") + "\"]\n";
    auto config = config::ParseConfig(text, "post.toml", dir_);
    EXPECT_TRUE(config.has_value()) << (config ? "" : config.error().front().ToString());
    auto summary = RunCrawl(ioc_, *config, CrawlOptions{.parse_threads = 2});
    EXPECT_TRUE(summary.has_value()) << summary.error().message;
    return summary.value_or(CrawlSummary{});
  }

  std::vector<const RecordedRequest*> Posts() const {
    std::vector<const RecordedRequest*> posts;
    for (const RecordedRequest& r : server_.requests()) {
      if (r.method == "POST") posts.push_back(&r);
    }
    return posts;
  }

  boost::asio::io_context ioc_;
  TestServer server_;
  std::filesystem::path dir_;
  int fail_second_page_ = 1;
};

TEST_F(BoardPostEndToEndTest, SearchIsPagedByItsPostBodyAndEveryJobIsStored) {
  // Workday CXS: POST {"offset":N} pages the search; a 503 is retried with the same body.
  CrawlSummary summary = Crawl();
  ASSERT_EQ(summary.sources.size(), 1u);
  EXPECT_EQ(summary.sources[0].record.status, "ok") << summary.sources[0].record.message;
  EXPECT_EQ(summary.sources[0].record.counts.new_postings, kJobs);
  EXPECT_EQ(summary.sources[0].record.retries, 1);
  const auto posts = Posts();
  ASSERT_EQ(posts.size(), 3u);  // page 1, page 2 (503), page 2 again
  EXPECT_EQ(posts[0]->body, R"({"appliedFacets":{},"limit":20,"offset":0,"searchText":""})");
  EXPECT_EQ(posts[1]->body, R"({"appliedFacets":{},"limit":20,"offset":20,"searchText":""})");
  EXPECT_EQ(posts[2]->body, posts[1]->body);
  for (const RecordedRequest* p : posts) EXPECT_EQ(p->headers.at("content-type"), "application/json");
  int details = 0;
  for (const RecordedRequest& r : server_.requests()) details += r.target.find("/job/Oslo/") != std::string::npos;
  EXPECT_EQ(details, kJobs);
  EXPECT_THAT(jobtrawl::testing::QueryColumn(dir_ / "jobs.db",
                                             "SELECT title || ' | ' || external_id || ' | ' || employment_type || "
                                             "' | ' || date_posted FROM postings WHERE external_id = 'R22'"),
              ElementsAre("Engineer 22 | R22 | FULL_TIME | 2026-11-02"));
}

TEST_F(BoardPostEndToEndTest, RecrawlSendsNoValidatorsWithAPostAndReplaysItsPages) {
  // RFC 9110 §13.1: a POST is not conditional; the GET details are (304s).
  Crawl();
  const std::size_t first = server_.requests().size();
  CrawlSummary again = Crawl();
  ASSERT_EQ(again.sources.size(), 1u);
  EXPECT_EQ(again.sources[0].record.status, "ok") << again.sources[0].record.message;
  EXPECT_EQ(again.sources[0].record.counts.new_postings, 0);
  int posts = 0, conditional_gets = 0;
  for (std::size_t i = first; i < server_.requests().size(); ++i) {
    const RecordedRequest& r = server_.requests()[i];
    if (r.method == "POST") {
      ++posts;
      EXPECT_FALSE(r.headers.contains("if-none-match")) << r.body;
    } else if (r.headers.contains("if-none-match")) {
      ++conditional_gets;
    }
  }
  EXPECT_EQ(posts, 2);  // both pages again, the second found from the first's cached links
  EXPECT_EQ(conditional_gets, kJobs);
  EXPECT_EQ(jobtrawl::testing::QueryColumn(dir_ / "jobs.db",
                                           "SELECT count(*) FROM listings WHERE closed_at IS NULL"),
            std::vector<std::string>{std::to_string(kJobs)});
}

}  // namespace
}  // namespace jobtrawl::app
