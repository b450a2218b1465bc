// The fetcher as a good citizen: robots.txt, pacing, retries, the address
// policy, redirects and conditional GET, against misbehaving servers.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>

#include "crawler/fetcher.h"
#include "support/test_server.h"

namespace jobtrawl::crawler {
namespace {

using jobtrawl::testing::Reply;
using jobtrawl::testing::RunUntil;
using jobtrawl::testing::TestServer;
using namespace std::chrono_literals;

class PolitenessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { GlobalInit(); }

  PolitenessTest() : server_(ioc_) {
    http_.delay = 0ms;
    http_.delay_jitter = 0;
    http_.user_agent = "jobtrawl-test/1.0";
    http_.allow_private_networks = true;
    http_.retries = 0;
    http_.retry_base = 1ms;
  }

  // Fetches all `targets` with one Fetcher; results in the same order.
  std::vector<FetchResult> FetchAll(const std::vector<std::string>& targets,
                                    std::shared_ptr<const FetchPolicy> policy = nullptr) {
    Fetcher fetcher(ioc_, http_);
    fetcher.SeedRandom(7);
    std::vector<std::optional<FetchResult>> results(targets.size());
    for (size_t i = 0; i < targets.size(); ++i) {
      fetcher.Fetch({.url = server_.Url(targets[i]), .policy = policy},
                    [&results, i](FetchResult r) { results[i] = std::move(r); });
    }
    EXPECT_TRUE(RunUntil(ioc_, [&] {
      return std::all_of(results.begin(), results.end(), [](const auto& r) { return r.has_value(); });
    }));
    std::vector<FetchResult> out;
    for (auto& r : results) out.push_back(r.value_or(FetchResult{}));
    return out;
  }

  FetchResult FetchOne(const std::string& target) { return FetchAll({target})[0]; }

  boost::asio::io_context ioc_;
  TestServer server_;
  config::HttpConfig http_;
};

TEST_F(PolitenessTest, RobotsAllowAndDisallow) {
  // RFC 9309: fetched once per host, before anything else, and obeyed.
  server_.Route("/robots.txt", {200, "User-agent: *\nDisallow: /private\n\nUser-agent: jobtrawl-test\nDisallow: /hidden\n"});
  server_.Route("/private", {200, "p"});
  server_.Route("/hidden", {200, "h"});
  server_.Route("/open", {200, "o"});
  auto r = FetchAll({"/open", "/hidden", "/private"});
  EXPECT_TRUE(r[0].ok());
  EXPECT_EQ(r[1].error, FetchError::kRobotsDisallowed);
  EXPECT_EQ(r[1].error_message, "robots.txt disallows /hidden (line 5: Disallow: /hidden)");
  EXPECT_TRUE(r[2].ok());  // our own group replaces "*"
  EXPECT_EQ(server_.Hits("/robots.txt"), 1);
  EXPECT_EQ(server_.Hits("/hidden"), 0);
  EXPECT_EQ(server_.requests().front().target, "/robots.txt");
}

TEST_F(PolitenessTest, RobotsUnavailableCases) {
  // 4xx (even 401/403): all allowed. 5xx or unreachable: all disallowed for now.
  struct Case {
    Reply robots;
    bool allowed;
  } cases[] = {
      {{.status = 404}, true}, {{.status = 403}, true}, {{.status = 401}, true},
      {{.status = 500}, false}, {{.status = 503}, false},
  };
  for (const auto& c : cases) {
    server_.Route("/robots.txt", c.robots);
    server_.Route("/page", {200, "x"});
    FetchResult r = FetchOne("/page");
    EXPECT_EQ(r.ok(), c.allowed) << c.robots.status << ": " << r.error_message;
    if (!c.allowed) {
      EXPECT_EQ(r.error, FetchError::kRobotsDisallowed);
    }
  }
}

TEST_F(PolitenessTest, RobotsRedirectsAreFollowed) {
  // RFC 9309 2.3.1.2: up to five redirects for robots.txt.
  server_.Redirect("/robots.txt", "/real-robots.txt", 301);
  server_.Route("/real-robots.txt", {200, "User-agent: *\nDisallow: /no\n"});
  server_.Route("/no", {200, "x"});
  EXPECT_EQ(FetchOne("/no").error, FetchError::kRobotsDisallowed);
}

TEST_F(PolitenessTest, DotSegmentsCannotSlipPastRobotsTxt) {
  // RFC 3986 §5.2.4: "/allowed/../private/x" is "/private/x", as libcurl
  // sends it; robots.txt (RFC 9309 §2.2.2) is checked against that path,
  // for a redirect's Location, a URL asked for directly, and "%2e%2e".
  server_.Route("/robots.txt", {200, "User-agent: *\nDisallow: /private\n"});
  server_.Redirect("/allowed/jump", "/allowed/../private/x");
  server_.Redirect("/allowed/jump-absolute", server_.Url("/allowed/./../private/x"));
  server_.Route("/private/x", {200, "secret"});
  server_.Route("/allowed/ok", {200, "fine"});
  auto r = FetchAll({"/allowed/jump", "/allowed/jump-absolute", "/allowed/../private/x",
                     "/allowed/%2e%2e/private/x", "/allowed/ok"});
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(r[i].error, FetchError::kRobotsDisallowed) << i << ": " << r[i].error_message;
  }
  EXPECT_TRUE(r[4].ok()) << r[4].error_message;
  EXPECT_EQ(server_.Hits("/private/x"), 0);
  EXPECT_EQ(server_.Hits("/allowed/jump"), 1);  // the redirect itself was allowed
}

TEST_F(PolitenessTest, CrawlDelayIsHonouredAndCapped) {
  http_.max_crawl_delay = 80ms;
  server_.Route("/robots.txt", {200, "User-agent: *\nCrawl-delay: 60\n"});
  for (int i = 0; i < 3; ++i) server_.Route("/c" + std::to_string(i), {200, "x"});
  FetchAll({"/c0", "/c1", "/c2"});
  const auto& seen = server_.requests();
  ASSERT_EQ(seen.size(), 4u);  // robots.txt and three pages
  for (size_t i = 2; i < seen.size(); ++i) {
    // 80 ms between starts; 20 ms of slack for one request's connection
    // reaching the server later than the next one's (FetcherTest.DelaySpacesRequestsToOneHost).
    EXPECT_GE(seen[i].arrived - seen[i - 1].arrived, 60ms);
    EXPECT_LT(seen[i].arrived - seen[i - 1].arrived, 2s);  // capped, not 60 s
  }
}

TEST_F(PolitenessTest, TooManyRequestsWithRetryAfter) {
  // 429 + Retry-After: wait as told, then succeed; the failure is recorded.
  http_.obey_robots = false;
  http_.retries = 2;
  server_.Sequence("/busy", {{.status = 429, .headers = {{"Retry-After", "1"}}}, {200, "ok"}});
  auto start = std::chrono::steady_clock::now();
  FetchResult r = FetchOne("/busy");
  EXPECT_TRUE(r.ok()) << r.error_message;
  ASSERT_EQ(r.retried.size(), 1u);
  EXPECT_EQ(r.retried[0].status, 429);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 950ms);
}

TEST_F(PolitenessTest, FlappingServerRecovers) {
  // 503, 503, 200: transient failures retried with backoff.
  http_.obey_robots = false;
  http_.retries = 3;
  server_.Sequence("/flap", {{.status = 503}, {.status = 503}, {200, "back"}});
  FetchResult r = FetchOne("/flap");
  EXPECT_TRUE(r.ok()) << r.error_message;
  EXPECT_EQ(r.body, "back");
  EXPECT_EQ(r.retried.size(), 2u);
}

TEST_F(PolitenessTest, FailureAfterRetriesSaysHowManyRetries) {
  // Issue 13: the cause in words, e.g. "HTTP 503 after 2 retries".
  http_.obey_robots = false;
  http_.retries = 2;
  server_.Route("/down", {.status = 503});
  FetchResult r = FetchOne("/down");
  EXPECT_EQ(r.error, FetchError::kHttpStatus);
  EXPECT_EQ(r.error_message, "HTTP 503 after 2 retries");
  http_.retries = 0;
  EXPECT_EQ(FetchOne("/down").error_message, "HTTP 503");
}

TEST_F(PolitenessTest, RefusedAddressIsTheCauseAlsoWhenRobotsTxtComesFirst) {
  // Issue 13: the robots.txt fetch that comes first fails on the address
  // policy; the page fails with that cause (forbidden_address, which
  // address and why), not as robots_disallowed.
  http_.allow_private_networks = false;
  server_.Route("/jobs", {200, "j"});
  FetchResult r = FetchOne("/jobs");
  EXPECT_EQ(r.error, FetchError::kForbiddenAddress) << r.error_message;
  EXPECT_NE(r.error_message.find("address 127.0.0.1 is loopback"), std::string::npos) << r.error_message;
  EXPECT_NE(r.error_message.find("robots.txt"), std::string::npos) << r.error_message;
  EXPECT_EQ(server_.Hits("/robots.txt"), 0);
  EXPECT_EQ(server_.Hits("/jobs"), 0);
}

TEST_F(PolitenessTest, DeadHostIsAConnectFailureNotARobotsRefusal) {
  // Issue 13: nothing listens: robots.txt cannot be fetched, and the page
  // fails as `connect` (RFC 9309 2.3.1.4 still keeps it unfetched).
  std::string dead_port;
  {
    boost::asio::ip::tcp::acceptor probe(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0});
    dead_port = std::to_string(probe.local_endpoint().port());
  }  // closed: connections to it are refused
  Fetcher fetcher(ioc_, http_);
  std::optional<FetchResult> got;
  fetcher.Fetch({.url = "http://127.0.0.1:" + dead_port + "/jobs"}, [&](FetchResult r) { got = std::move(r); });
  ASSERT_TRUE(RunUntil(ioc_, [&] { return got.has_value(); }));
  EXPECT_EQ(got->error, FetchError::kConnect) << got->error_message;
  EXPECT_NE(got->error_message.find("robots.txt"), std::string::npos) << got->error_message;
}

TEST_F(PolitenessTest, PermanentErrorsAreNotRetried) {
  http_.obey_robots = false;
  http_.retries = 3;
  server_.Route("/gone", {.status = 410});
  server_.Route("/nope", {.status = 403});
  auto r = FetchAll({"/gone", "/nope"});
  EXPECT_EQ(r[0].status, 410);
  EXPECT_TRUE(r[0].retried.empty());
  EXPECT_EQ(server_.Hits("/gone"), 1);
  EXPECT_EQ(server_.Hits("/nope"), 1);
}

TEST_F(PolitenessTest, SlowDripHitsTheLowSpeedLimit) {
  http_.obey_robots = false;
  http_.low_speed_limit = 1000;
  http_.low_speed_time = 1000ms;
  server_.Route("/drip", {.status = 200, .body = std::string(100, 'x'), .drip = 100ms});
  EXPECT_EQ(FetchOne("/drip").error, FetchError::kTimeout);
}

TEST_F(PolitenessTest, PrivateAddressesNeedTheSwitch) {
  // Checked on the connected address: 127.0.0.1 is refused unless allowed.
  http_.obey_robots = false;
  server_.Route("/x", {200, "x"});
  http_.allow_private_networks = false;
  FetchResult refused = FetchOne("/x");
  EXPECT_EQ(refused.error, FetchError::kForbiddenAddress);
  EXPECT_NE(refused.error_message.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(server_.Hits("/x"), 0);
  auto per_source = std::make_shared<FetchPolicy>();
  per_source->allow_private_networks = true;  // a source may switch it on for itself
  EXPECT_TRUE(FetchAll({"/x"}, per_source)[0].ok());
  http_.allow_private_networks = true;
  EXPECT_TRUE(FetchOne("/x").ok());
}

TEST_F(PolitenessTest, RedirectsStayOnTheSourcesHosts) {
  // Each hop is checked: a redirect to a host the source does not own is refused.
  http_.obey_robots = false;
  server_.Redirect("/away", "http://localhost:" + std::to_string(server_.port()) + "/x");
  server_.Redirect("/here", "/x");
  server_.Route("/x", {200, "x"});
  auto policy = std::make_shared<FetchPolicy>();
  policy->allowed_hosts = {"127.0.0.1"};
  auto r = FetchAll({"/away", "/here"}, policy);
  EXPECT_EQ(r[0].error, FetchError::kForbiddenUrl);
  EXPECT_NE(r[0].error_message.find("localhost is not one of the source's hosts"), std::string::npos);
  EXPECT_TRUE(r[1].ok());
  EXPECT_EQ(r[1].url, server_.Url("/here"));
  EXPECT_EQ(r[1].final_url, server_.Url("/x"));
  EXPECT_EQ(server_.Hits("/x"), 1);
}

TEST_F(PolitenessTest, OverlongUrlsAreRefused) {
  http_.max_url_length = 100;
  FetchResult r = FetchOne("/" + std::string(200, 'a'));
  EXPECT_EQ(r.error, FetchError::kForbiddenUrl);
  EXPECT_EQ(server_.requests().size(), 0u);
}

TEST_F(PolitenessTest, ConditionalGetGets304) {
  // If-None-Match with the stored ETag: 304, no body, counted as success.
  http_.obey_robots = false;
  server_.Route("/page", {.status = 200, .body = "content", .etag = "\"v1\""});
  Fetcher fetcher(ioc_, http_);
  std::optional<FetchResult> fresh, again;
  fetcher.Fetch({.url = server_.Url("/page")}, [&](FetchResult r) { fresh = std::move(r); });
  ASSERT_TRUE(RunUntil(ioc_, [&] { return fresh.has_value(); }));
  EXPECT_EQ(fresh->body, "content");
  ASSERT_EQ(fresh->Header("ETag"), "\"v1\"");
  fetcher.Fetch({.url = server_.Url("/page"), .etag = std::string(fresh->Header("ETag")),
                 .last_modified = "Wed, 21 Oct 2026 07:28:00 GMT"},
                [&](FetchResult r) { again = std::move(r); });
  ASSERT_TRUE(RunUntil(ioc_, [&] { return again.has_value(); }));
  EXPECT_TRUE(again->not_modified());
  EXPECT_TRUE(again->body.empty());
  EXPECT_EQ(server_.requests().back().headers.at("if-modified-since"), "Wed, 21 Oct 2026 07:28:00 GMT");
}

TEST_F(PolitenessTest, BreakerGivesUpOnADeadHostWithoutSlowingOthers) {
  // Repeated failures pause the host, one probe goes out, then its queue fails.
  http_.obey_robots = false;
  http_.per_host_connections = 1;
  http_.breaker_failures = 2;
  http_.breaker_cooldown = 20ms;
  http_.breaker_max_trips = 1;
  std::vector<std::string> targets;
  for (int i = 0; i < 8; ++i) {
    targets.push_back("/dead" + std::to_string(i));
    server_.Route(targets.back(), {.status = 500});
  }
  auto r = FetchAll(targets);
  int down = 0;
  for (const auto& x : r) down += x.error == FetchError::kHostDown;
  EXPECT_GE(down, 4);
  EXPECT_LE(server_.requests().size(), 4u);  // two failures, two failed probes at most
}

TEST_F(PolitenessTest, AFailingHostNeverSlowsAnother) {
  // 127.0.0.1 and localhost are two hosts to the fetcher (one server behind
  // both): while the first is paused by its breaker, the second runs at full speed.
  http_.obey_robots = false;
  http_.per_host_connections = 1;
  http_.breaker_failures = 1;
  http_.breaker_cooldown = 10s;
  http_.breaker_max_trips = 1;
  Fetcher fetcher(ioc_, http_);
  std::vector<FetchResult> dead, healthy;
  const std::string other = "http://localhost:" + std::to_string(server_.port());
  for (int i = 0; i < 4; ++i) {
    server_.Route("/dead" + std::to_string(i), {.status = 500});
    server_.Route("/ok" + std::to_string(i), {200, "ok"});
    fetcher.Fetch({.url = server_.Url("/dead" + std::to_string(i))},
                  [&](FetchResult r) { dead.push_back(std::move(r)); });
    fetcher.Fetch({.url = other + "/ok" + std::to_string(i)},
                  [&](FetchResult r) { healthy.push_back(std::move(r)); });
  }
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(RunUntil(ioc_, [&] { return healthy.size() == 4; }));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);  // not held by the 10 s pause
  for (const auto& r : healthy) EXPECT_TRUE(r.ok()) << r.error_message;
  EXPECT_EQ(dead.size(), 1u);  // the rest wait out the first host's cool-down
  fetcher.CancelAll();
  RunUntil(ioc_, [&] { return dead.size() == 4; });
}

}  // namespace
}  // namespace jobtrawl::crawler
