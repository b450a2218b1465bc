// Faults a hostile tester found in the fetcher after the issue 10 rewrite;
// each failed before its fix.
#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>

#include <cstdlib>

#include "crawler/address_policy.h"
#include "crawler/fetcher.h"
#include "support/test_server.h"

namespace jobtrawl::crawler {
namespace {

using jobtrawl::testing::Reply;
using jobtrawl::testing::RunUntil;
using jobtrawl::testing::TestServer;
using namespace std::chrono_literals;

class FetcherHostileTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { GlobalInit(); }
  FetcherHostileTest() : server_(ioc_) {
    http_.delay = 0ms;
    http_.delay_jitter = 0;
    http_.user_agent = "jobtrawl-test/1.0";
    http_.allow_private_networks = true;
    http_.retries = 0;
    http_.retry_base = 1ms;
    http_.retry_max = 1s;
  }
  boost::asio::io_context ioc_;
  TestServer server_;
  config::HttpConfig http_;
};

// Cancel(policy A) while A's robots.txt fetch runs abandons it, but never
// considers the host again: source B's page, queued behind that robots.txt
// fetch on the same host, is never started and its completion never comes
// (until B's own run_deadline, 4 h by default). In the daemon two sources
// sharing a host, one hitting its run_deadline, is enough.
TEST_F(FetcherHostileTest, CancellingOneSourcesRobotsFetchStrandsAnotherSourcesQueue) {
  http_.obey_robots = true;
  server_.Sequence("/robots.txt", {{.status = 200, .body = "User-agent: *\nAllow: /\n", .delay = 2s},
                                   {.status = 200, .body = "User-agent: *\nAllow: /\n"}});
  server_.Route("/a", {200, "a"});
  server_.Route("/b", {200, "b"});
  Fetcher fetcher(ioc_, http_);
  auto a = std::make_shared<FetchPolicy>();
  auto b = std::make_shared<FetchPolicy>();
  std::vector<FetchResult> got_a, got_b;
  fetcher.Fetch({.url = server_.Url("/a"), .policy = a}, [&](FetchResult r) { got_a.push_back(std::move(r)); });
  ASSERT_TRUE(RunUntil(ioc_, [&] { return server_.Hits("/robots.txt") == 1; }));
  fetcher.Fetch({.url = server_.Url("/b"), .policy = b}, [&](FetchResult r) { got_b.push_back(std::move(r)); });
  RunUntil(ioc_, [] { return false; }, 100ms);
  fetcher.Cancel(a.get(), FetchError::kDeadline, "run deadline reached");
  EXPECT_TRUE(RunUntil(ioc_, [&] { return got_a.size() == 1 && got_b.size() == 1; }, 8s))
      << "B's page never completed; fetcher.running()=" << fetcher.running()
      << " queued()=" << fetcher.queued();
  ASSERT_EQ(got_b.size(), 1u);
  EXPECT_TRUE(got_b[0].ok()) << got_b[0].error_message;
}

// check-config accepts any duration under 1e15 ms (31,000 years), but
// Serve() computes `now + http_.retry_max` on steady_clock (int64 ns, about
// 292 years): with retry_max = "200000d" the sum overflows (UB) and every
// page of every host fails at once as rate_limited, "asked us (Retry-After)
// to wait -5131 s" -- though no server sent any Retry-After. The same
// overflow ends every crawl at once with run_deadline = "200000d"
// (SourceCrawl::Start, deadline_timer_.expires_after).
TEST_F(FetcherHostileTest, AHugeButAcceptedRetryMaxDoesNotFailEveryPage) {
  http_.obey_robots = false;
  http_.retry_max = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::days(200000));
  server_.Route("/ok", {200, "ok"});
  Fetcher fetcher(ioc_, http_);
  std::optional<FetchResult> got;
  fetcher.Fetch({.url = server_.Url("/ok")}, [&](FetchResult r) { got = std::move(r); });
  ASSERT_TRUE(RunUntil(ioc_, [&] { return got.has_value(); }, 5s));
  EXPECT_TRUE(got->ok()) << FetchErrorName(got->error) << ": " << got->error_message;
}

// libcurl honours http_proxy/HTTPS_PROXY/ALL_PROXY from the environment
// (the fetcher never sets CURLOPT_PROXY), and OnOpenSocket then judges the
// proxy's address, never the target's: a board whose name resolves to an
// internal address (DNS rebinding) is fetched through the proxy. Here the
// "proxy" (the test server on 127.0.0.1, an allowed network) serves
// http://127.0.0.2/secret, an address the policy refuses.
TEST_F(FetcherHostileTest, AnEnvironmentProxyBypassesTheAddressPolicy) {
  http_.obey_robots = false;
  http_.allow_private_networks = false;
  const std::string secret = "http://127.0.0.2:9/secret";
  server_.Route(secret, {200, "internal secret"});
  auto policy = std::make_shared<FetchPolicy>();
  policy->allowed_networks = {*Network::Parse("127.0.0.1/32")};  // the proxy's network
  ::setenv("http_proxy", server_.Url("").c_str(), 1);
  Fetcher fetcher(ioc_, http_);
  std::optional<FetchResult> got;
  fetcher.Fetch({.url = secret, .policy = policy}, [&](FetchResult r) { got = std::move(r); });
  const bool done = RunUntil(ioc_, [&] { return got.has_value(); }, 5s);
  ::unsetenv("http_proxy");
  ASSERT_TRUE(done);
  EXPECT_EQ(got->error, FetchError::kForbiddenAddress)
      << "fetched " << secret << " through the proxy: status " << got->status << ", body \""
      << got->body << "\"";
}

// A server answering with bytes that are not HTTP (garbage, an HTTP/0.9
// body) is recorded as forbidden_url, "a URL or redirect the source may not
// follow" (README), because ClassifyCurlError (crawler/transfer.cc) maps
// CURLE_UNSUPPORTED_PROTOCOL, which libcurl also returns for "Received
// HTTP/0.9 when not allowed", to kForbiddenUrl. It is a protocol fault.
TEST_F(FetcherHostileTest, ANonHttpAnswerIsAProtocolFaultNotAForbiddenUrl) {
  http_.obey_robots = false;
  server_.Route("/garbage", {.raw = "<html>hello, HTTP/0.9</html>"});
  Fetcher fetcher(ioc_, http_);
  std::optional<FetchResult> got;
  fetcher.Fetch({.url = server_.Url("/garbage")}, [&](FetchResult r) { got = std::move(r); });
  ASSERT_TRUE(RunUntil(ioc_, [&] { return got.has_value(); }, 5s));
  EXPECT_EQ(got->error, FetchError::kProtocol)
      << FetchErrorName(got->error) << ": " << got->error_message;
}

}  // namespace
}  // namespace jobtrawl::crawler
