#include "crawler/crawl.h"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <map>

#include "support/test_server.h"

namespace jobtrawl::crawler {
namespace {

using jobtrawl::testing::RunUntil;
using jobtrawl::testing::TestServer;
using namespace std::chrono_literals;

// A sink whose "parser" is a table: page URL -> links it holds.
class TableSink : public CrawlSink {
 public:
  explicit TableSink(boost::asio::io_context& ioc) : ioc_(ioc) {}
  std::map<std::string, std::vector<Link>> links;
  std::map<std::string, bool> fail;
  std::vector<std::string> pages;
  std::vector<std::string> errors;
  std::optional<SourceStats> stats;

  void OnPage(std::size_t, Link::Role, FetchResult page,
              std::function<void(PageOutcome)> done) override {
    pages.push_back(page.url);
    PageOutcome outcome{links[page.url], fail[page.url]};
    // Processing completes later, as it does on the parse pool.
    boost::asio::post(ioc_, [done, outcome] { done(outcome); });
  }
  void OnFetchError(std::size_t, Link::Role, const FetchResult& r) override { errors.push_back(r.url); }
  void OnSourceDone(std::size_t, const SourceStats& s) override { stats = s; }

 private:
  boost::asio::io_context& ioc_;
};

class CrawlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { GlobalInit(); }
  CrawlTest() : server_(ioc_), sink_(ioc_) {
    http_.delay = 0ms;
    http_.allow_private_networks = true;  // the server is on 127.0.0.1
    http_.obey_robots = false;
    http_.retries = 0;
  }

  config::SourceConfig Source(std::vector<std::string> start, int max_pages = 20) {
    config::SourceConfig s;
    s.name = "test";
    s.start = std::move(start);
    s.follow.max_pages = max_pages;
    return s;
  }

  bool RunCrawl(Crawl& crawl) {
    crawl.Start();
    return RunUntil(ioc_, [&] { return crawl.done(); });
  }

  boost::asio::io_context ioc_;
  TestServer server_;
  TableSink sink_;
  config::HttpConfig http_;
};

TEST_F(CrawlTest, FollowsListingsAndDetailsOnce) {
  // Each URL is fetched once even when several pages link to it.
  for (auto t : {"/list1", "/list2", "/job/1", "/job/2", "/job/3"}) server_.Route(t, {200, "x"});
  sink_.links[server_.Url("/list1")] = {{server_.Url("/job/1"), Link::Role::kDetail},
                                        {server_.Url("/job/2"), Link::Role::kDetail},
                                        {server_.Url("/list2"), Link::Role::kListing}};
  sink_.links[server_.Url("/list2")] = {{server_.Url("/job/2"), Link::Role::kDetail},
                                        {server_.Url("/job/3"), Link::Role::kDetail},
                                        {server_.Url("/list1"), Link::Role::kListing}};
  Fetcher fetcher(ioc_, http_);
  ProcessingWindow window(fetcher, 8);
  Crawl crawl(fetcher, {Source({server_.Url("/list1")})}, sink_, window);
  ASSERT_TRUE(RunCrawl(crawl));
  EXPECT_EQ(sink_.pages.size(), 5u);
  for (auto t : {"/list1", "/list2", "/job/1", "/job/2", "/job/3"}) EXPECT_EQ(server_.Hits(t), 1) << t;
  ASSERT_TRUE(sink_.stats);
  EXPECT_EQ(sink_.stats->pages, 5);
  EXPECT_EQ(sink_.stats->bytes, 5);
  EXPECT_EQ(sink_.stats->errors, 0);
}

TEST_F(CrawlTest, ListingPageLimitStopsPagination) {
  // follow.max_pages bounds listing pages, start pages included.
  for (int i = 1; i <= 5; ++i) {
    std::string t = "/page" + std::to_string(i);
    server_.Route(t, {200, "x"});
    sink_.links[server_.Url(t)] = {{server_.Url("/page" + std::to_string(i + 1)), Link::Role::kListing}};
  }
  Fetcher fetcher(ioc_, http_);
  ProcessingWindow window(fetcher, 8);
  Crawl crawl(fetcher, {Source({server_.Url("/page1")}, 3)}, sink_, window);
  ASSERT_TRUE(RunCrawl(crawl));
  EXPECT_EQ(sink_.pages.size(), 3u);
  EXPECT_TRUE(sink_.stats->page_limit_hit);
}

TEST_F(CrawlTest, ErrorsAreCountedAndTheRestCompletes) {
  server_.Route("/list", {200, "x"});
  server_.Route("/ok", {200, "x"});
  server_.Route("/bad-data", {200, "x"});
  server_.Route("/boom", {500, "x"});
  sink_.links[server_.Url("/list")] = {{server_.Url("/ok"), Link::Role::kDetail},
                                       {server_.Url("/missing"), Link::Role::kDetail},
                                       {server_.Url("/boom"), Link::Role::kDetail},
                                       {server_.Url("/bad-data"), Link::Role::kDetail}};
  sink_.fail[server_.Url("/bad-data")] = true;
  Fetcher fetcher(ioc_, http_);
  ProcessingWindow window(fetcher, 8);
  Crawl crawl(fetcher, {Source({server_.Url("/list")})}, sink_, window);
  ASSERT_TRUE(RunCrawl(crawl));
  EXPECT_EQ(sink_.stats->pages, 3);
  EXPECT_EQ(sink_.stats->errors, 3);
  EXPECT_EQ(sink_.stats->start_failures, 0);
  EXPECT_EQ(sink_.errors.size(), 2u);
}

TEST_F(CrawlTest, UnreachableStartPageFailsTheSource) {
  Fetcher fetcher(ioc_, http_);
  ProcessingWindow window(fetcher, 8);
  Crawl crawl(fetcher, {Source({server_.Url("/nothing-here")})}, sink_, window);
  ASSERT_TRUE(RunCrawl(crawl));
  EXPECT_EQ(sink_.stats->start_failures, 1);
  EXPECT_EQ(sink_.stats->pages, 0);
}

TEST_F(CrawlTest, StaysOnTheSourcesHosts) {
  // Links to other hosts are skipped, not fetched and not errors.
  server_.Route("/list", {200, "x"});
  server_.Route("/job", {200, "x"});
  sink_.links[server_.Url("/list")] = {
      {server_.Url("/job"), Link::Role::kDetail},
      {"http://localhost:" + std::to_string(server_.port()) + "/job", Link::Role::kDetail},
      {"https://elsewhere.example/job", Link::Role::kDetail}};
  Fetcher fetcher(ioc_, http_);
  ProcessingWindow window(fetcher, 8);
  Crawl crawl(fetcher, {Source({server_.Url("/list")})}, sink_, window);
  ASSERT_TRUE(RunCrawl(crawl));
  EXPECT_EQ(sink_.stats->pages, 2);
  EXPECT_EQ(sink_.stats->offsite_links, 2);
  EXPECT_EQ(sink_.stats->errors, 0);
}

// A sink that keeps pages "in processing" until told to finish them.
class HoldingSink : public TableSink {
 public:
  using TableSink::TableSink;
  std::vector<std::function<void()>> held;
  std::size_t most_held = 0;
  void OnPage(std::size_t, Link::Role, FetchResult page,
              std::function<void(PageOutcome)> done) override {
    pages.push_back(page.url);
    PageOutcome outcome{links[page.url], false};
    held.push_back([done, outcome] { done(outcome); });
    most_held = std::max(most_held, held.size());
  }
};

TEST_F(CrawlTest, BackPressureBoundsPagesInProcessing) {
  // A slow consumer pauses the network instead of piling up bodies.
  http_.per_host_connections = 2;
  HoldingSink sink(ioc_);
  server_.Route("/list", {200, "x"});
  for (int i = 0; i < 20; ++i) {
    std::string t = "/job/" + std::to_string(i);
    server_.Route(t, {200, "x"});
    sink.links[server_.Url("/list")].push_back({server_.Url(t), Link::Role::kDetail});
  }
  Fetcher fetcher(ioc_, http_);
  ProcessingWindow window(fetcher, 3);
  Crawl crawl(fetcher, {Source({server_.Url("/list")})}, sink, window);
  crawl.Start();
  ASSERT_TRUE(RunUntil(ioc_, [&] { return sink.held.size() == 1; }));
  sink.held.back()();  // the listing page: its 20 links are queued now
  sink.held.clear();
  // Give the network every chance to overrun the window; it must not.
  RunUntil(ioc_, [&] { return sink.held.size() > 5; }, 300ms);
  EXPECT_LE(sink.held.size(), 3u + 2u);  // the window, plus transfers already running
  while (!crawl.done()) {
    auto batch = std::move(sink.held);
    sink.held.clear();
    for (auto& finish : batch) finish();
    RunUntil(ioc_, [&] { return !sink.held.empty() || crawl.done(); }, 2s);
  }
  EXPECT_EQ(sink.pages.size(), 21u);
  EXPECT_LE(sink.most_held, 5u);
}

TEST_F(CrawlTest, HandsTheFetcherOnlyAWindowOfUrls) {
  // The frontier waits in the crawl as strings; the fetcher holds at most
  // the window, so memory does not grow with the size of the board.
  server_.Route("/list", {200, "x"});
  for (int i = 0; i < 40; ++i) {
    std::string t = "/job/" + std::to_string(i);
    server_.Route(t, {200, "x"});
    sink_.links[server_.Url("/list")].push_back({server_.Url(t), Link::Role::kDetail});
  }
  Fetcher fetcher(ioc_, http_);
  ProcessingWindow window(fetcher, 100);
  Crawl crawl(fetcher, {Source({server_.Url("/list")})}, sink_, window, 4);
  crawl.Start();
  std::size_t most = 0;
  ASSERT_TRUE(RunUntil(ioc_, [&] {
    most = std::max(most, fetcher.queued() + fetcher.running());
    return crawl.done();
  }));
  EXPECT_LE(most, 4u);
  EXPECT_EQ(sink_.pages.size(), 41u);
}

TEST_F(CrawlTest, StopInterruptsAndReportsEverySource) {
  server_.Route("/slow", {.status = 200, .body = "x", .delay = 10s});
  Fetcher fetcher(ioc_, http_);
  ProcessingWindow window(fetcher, 8);
  Crawl crawl(fetcher, {Source({server_.Url("/slow")})}, sink_, window);
  crawl.Start();
  RunUntil(ioc_, [&] { return server_.Hits("/slow") == 1; });
  crawl.Stop();
  fetcher.CancelAll();  // the fetcher's owner decides to cut what is in flight
  ASSERT_TRUE(RunUntil(ioc_, [&] { return crawl.done(); }));
  EXPECT_TRUE(sink_.stats->interrupted);
  EXPECT_EQ(sink_.stats->errors, 0);
}

}  // namespace
}  // namespace jobtrawl::crawler
