// Regression tests for the fetcher faults of issue 10 ("Proof that it keeps
// working"): each failed, crashed or hung before its fix.
#include <gtest/gtest.h>

#include <cstdlib>

#include <boost/asio/steady_timer.hpp>

#include "crawler/fetcher.h"
#include "crawler/retry_policy.h"
#include "support/test_server.h"

namespace jobtrawl::crawler {
namespace {

using jobtrawl::testing::Reply;
using jobtrawl::testing::RunUntil;
using jobtrawl::testing::TestServer;
using namespace std::chrono_literals;

class FetcherFaultsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { GlobalInit(); }

  FetcherFaultsTest() : server_(ioc_) {
    http_.delay = 0ms;
    http_.delay_jitter = 0;
    http_.user_agent = "jobtrawl-test/1.0";
    http_.allow_private_networks = true;
    http_.obey_robots = false;
    http_.retries = 3;
    http_.retry_base = 1ms;
    http_.retry_max = 1s;
  }

  // Fetches `urls` with `fetcher`; every callback must come exactly once.
  std::vector<FetchResult> FetchWith(Fetcher& fetcher, const std::vector<std::string>& urls,
                                     std::shared_ptr<const FetchPolicy> policy = nullptr,
                                     std::chrono::milliseconds limit = 10s) {
    std::vector<std::optional<FetchResult>> results(urls.size());
    std::vector<int> calls(urls.size());
    for (size_t i = 0; i < urls.size(); ++i) {
      fetcher.Fetch({.url = urls[i], .policy = policy}, [&results, &calls, i](FetchResult r) {
        ++calls[i];
        results[i] = std::move(r);
      });
    }
    EXPECT_TRUE(RunUntil(ioc_, [&] {
      return std::all_of(results.begin(), results.end(), [](const auto& r) { return r.has_value(); });
    }, limit));
    std::vector<FetchResult> out;
    for (size_t i = 0; i < urls.size(); ++i) {
      EXPECT_EQ(calls[i], 1) << urls[i];
      out.push_back(results[i].value_or(FetchResult{}));
    }
    return out;
  }

  std::vector<FetchResult> Fetch(const std::vector<std::string>& urls,
                                 std::shared_ptr<const FetchPolicy> policy = nullptr) {
    Fetcher fetcher(ioc_, http_);
    fetcher.SeedRandom(3);
    return FetchWith(fetcher, urls, std::move(policy));
  }

  // Runs the loop for `d` without sleeping: a timer is the event awaited.
  void Wait(std::chrono::milliseconds d) {
    boost::asio::steady_timer timer(ioc_, d);
    bool fired = false;
    timer.async_wait([&](boost::system::error_code) { fired = true; });
    RunUntil(ioc_, [&] { return fired; });
  }

  boost::asio::io_context ioc_;
  TestServer server_;
  config::HttpConfig http_;
};

TEST_F(FetcherFaultsTest, RetryAfterLongerThanRetryMaxEndsTheRetriesAsRateLimited) {
  // Known fault 1: a 429/503 whose Retry-After exceeds retry_max destroyed
  // the transfer and then used it (a segmentation fault). Now the URL ends as
  // rate_limited, and the host's queue with it instead of waiting an hour.
  const std::pair<int, std::string> cases[] = {
      {429, "3600"},
      {503, "3600"},
      {429, "99999999999999999999999999"},
      {503, "Fri, 31 Dec 9999 23:59:59 GMT"},
  };
  http_.per_host_connections = 1;
  for (const auto& [status, retry_after] : cases) {
    SCOPED_TRACE(std::to_string(status) + " Retry-After: " + retry_after);
    server_.Route("/limited", {.status = status, .headers = {{"Retry-After", retry_after}}});
    server_.Route("/next", {200, "never asked for"});
    const int before = server_.Hits("/next");
    auto r = Fetch({server_.Url("/limited"), server_.Url("/next")});
    EXPECT_EQ(r[0].error, FetchError::kRateLimited);
    EXPECT_EQ(r[0].status, status);
    EXPECT_NE(r[0].error_message.find("Retry-After"), std::string::npos) << r[0].error_message;
    EXPECT_EQ(r[1].error, FetchError::kRateLimited) << r[1].error_message;
    EXPECT_EQ(server_.Hits("/next"), before);
  }
}

TEST_F(FetcherFaultsTest, RobotsTxt503WithALongRetryAfterDoesNotCrash) {
  // Known fault 1, robots.txt variant: the robots fetch took the same path.
  http_.obey_robots = true;
  server_.Route("/robots.txt", {.status = 503, .headers = {{"Retry-After", "3600"}}});
  server_.Route("/jobs", {200, "jobs"});
  auto r = Fetch({server_.Url("/jobs")});
  EXPECT_EQ(r[0].error, FetchError::kRateLimited) << r[0].error_message;
  EXPECT_EQ(server_.Hits("/jobs"), 0);
  EXPECT_EQ(server_.Hits("/robots.txt"), 1);
}

TEST_F(FetcherFaultsTest, ShortRetryAfterIsStillWaitedOut) {
  // The clamp only ends waits longer than retry_max; a short one is honoured.
  server_.Sequence("/busy", {{.status = 503, .headers = {{"Retry-After", "0"}}}, {200, "ok"}});
  auto r = Fetch({server_.Url("/busy")});
  EXPECT_TRUE(r[0].ok()) << r[0].error_message;
  EXPECT_EQ(r[0].retried.size(), 1u);
}

TEST(RetryPolicyTest, RetryAfterForms) {
  // RFC 9110 10.2.3: delta-seconds or an HTTP-date (all three forms of 5.6.7);
  // absurd values are clamped to a day so time arithmetic cannot overflow.
  const std::time_t now = 1'700'000'000;  // 2023-11-14T22:13:20Z
  EXPECT_EQ(ParseRetryAfter("120", now), 120s);
  EXPECT_EQ(ParseRetryAfter(" 5 ", now), 5s);
  EXPECT_EQ(ParseRetryAfter("0", now), 0s);
  EXPECT_EQ(ParseRetryAfter("99999999999999999999999", now), kMaxRetryAfter);
  EXPECT_EQ(ParseRetryAfter("Tue, 14 Nov 2023 22:15:20 GMT", now), 120s);
  EXPECT_EQ(ParseRetryAfter("Tuesday, 14-Nov-23 22:15:20 GMT", now), 120s);
  EXPECT_EQ(ParseRetryAfter("Tue Nov 14 22:15:20 2023", now), 120s);
  // Read by model/date_time.h as leniently as RFC 9110 5.6.7 asks: case,
  // obsolete zones (RFC 5322 4.3), a numeric offset, a comment.
  EXPECT_EQ(ParseRetryAfter("tue, 14 nov 2023 22:15:20 gmt", now), 120s);
  EXPECT_EQ(ParseRetryAfter("Tue, 14 Nov 2023 17:15:20 EST", now), 120s);
  EXPECT_EQ(ParseRetryAfter("Tue, 14 Nov 2023 23:15:20 +0100 (CET)", now), 120s);
  EXPECT_EQ(ParseRetryAfter("2023-11-14T22:15:20Z", now), std::nullopt);  // not an HTTP-date
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now), 0s);  // past
  EXPECT_EQ(ParseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", now), kMaxRetryAfter);
  EXPECT_EQ(ParseRetryAfter("", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("soon", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", now), std::nullopt);
  // RFC 9110 §5.6.7 against `now`: "14-Nov-73" is 2073 (50 years ahead, not
  // more), "15-Nov-73" 1973 (past); both were 1973 by RFC 5322's rule.
  EXPECT_EQ(ParseRetryAfter("Tuesday, 14-Nov-73 22:13:20 GMT", now), kMaxRetryAfter);
  EXPECT_EQ(ParseRetryAfter("Wednesday, 15-Nov-73 22:13:20 GMT", now), 0s);
}

TEST(RetryPolicyTest, BackoffRetryAfterAndExhaustion) {
  // Full jitter in [0, min(max, base * 2^n)]; Retry-After raises the wait;
  // one longer than max gives up at once, with the wait it asked for.
  using Kind = RetryPolicy::Decision::Kind;
  RetryPolicy p({.retries = 2, .base = 100ms, .max = 1s});
  EXPECT_EQ(p.OnFailure(1, std::nullopt, 0.5).wait, 50ms);
  EXPECT_EQ(p.OnFailure(2, std::nullopt, 0.999).kind, Kind::kRetry);
  EXPECT_LE(p.OnFailure(2, std::nullopt, 0.999).wait, 200ms);
  EXPECT_EQ(p.OnFailure(3, std::nullopt, 0.5).kind, Kind::kExhausted);
  EXPECT_EQ(p.OnFailure(1, 700ms, 0.0).wait, 700ms);
  auto too_long = p.OnFailure(1, 3600s, 0.5);
  EXPECT_EQ(too_long.kind, Kind::kWaitTooLong);
  EXPECT_EQ(too_long.wait, 3600s);
  RetryPolicy huge({.retries = 1000, .base = 1000ms, .max = 60s});
  EXPECT_LE(huge.OnFailure(999, std::nullopt, 0.999).wait, 60s);  // no overflow in 2^n
}

TEST_F(FetcherFaultsTest, ADownHostIsCrawledAgainAfterItsCooldown) {
  // Known fault 2: after breaker_max_trips a host stayed down until the
  // process restarted, so the daemon's fetcher never crawled it again.
  http_.retries = 0;
  http_.per_host_connections = 1;
  http_.breaker_failures = 1;
  http_.breaker_cooldown = 30ms;
  http_.breaker_max_trips = 0;
  server_.Sequence("/flaky", {{.status = 500}, {200, "back"}});
  Fetcher fetcher(ioc_, http_);
  EXPECT_EQ(FetchWith(fetcher, {server_.Url("/flaky")})[0].status, 500);
  EXPECT_EQ(FetchWith(fetcher, {server_.Url("/flaky")})[0].error, FetchError::kHostDown);
  Wait(40ms);  // the cool-down passes, as between two daemon runs
  auto r = FetchWith(fetcher, {server_.Url("/flaky")});
  EXPECT_TRUE(r[0].ok()) << r[0].error_message;
  EXPECT_EQ(r[0].body, "back");
}

TEST_F(FetcherFaultsTest, ASecondFetcherOnTheSameIoContextIsSafe) {
  // Known fault 3: socket and timer handlers of a destroyed fetcher's curl
  // glue could run later on an io_context that outlives it. A fetcher is
  // destroyed at every stage of a transfer, then another one runs there.
  server_.Route("/slow", {.status = 200, .body = std::string(200'000, 'x'), .delay = 2ms});
  server_.Route("/ok", {200, "ok"});
  for (int stage = 0; stage < 40; ++stage) {
    SCOPED_TRACE(stage);
    auto destroyed = std::make_shared<bool>(false);
    {
      Fetcher first(ioc_, http_);
      first.Fetch({.url = server_.Url("/slow")}, [destroyed](FetchResult) {
        EXPECT_FALSE(*destroyed) << "called back after destruction";
      });
      for (int i = 0; i < stage; ++i) ioc_.run_one_for(5ms);
    }
    *destroyed = true;
    Fetcher second(ioc_, http_);
    auto r = FetchWith(second, {server_.Url("/ok")});
    EXPECT_TRUE(r[0].ok()) << r[0].error_message;
  }
  Wait(20ms);  // whatever the first fetchers left behind runs now, and must do nothing
}

TEST_F(FetcherFaultsTest, TheAddressActuallyConnectedToIsJudged) {
  // Known fault 4: a name resolving to a refused and an allowed address was
  // discarded although the allowed one was used.
  http_.allow_private_networks = false;
  server_.Route("/x", {200, "x"});
  const std::string port = std::to_string(server_.port());
  auto both = std::make_shared<FetchPolicy>();
  both->resolve = {"two.test:" + port + ":127.0.0.2,127.0.0.1"};
  both->allowed_networks = {*Network::Parse("127.0.0.1/32")};
  auto r = Fetch({"http://two.test:" + port + "/x"}, both);
  EXPECT_TRUE(r[0].ok()) << r[0].error_message;
  EXPECT_EQ(r[0].body, "x");

  auto refused = std::make_shared<FetchPolicy>();
  refused->resolve = {"one.test:" + port + ":127.0.0.2"};
  refused->allowed_networks = {*Network::Parse("127.0.0.1/32")};
  r = Fetch({"http://one.test:" + port + "/x"}, refused);
  EXPECT_EQ(r[0].error, FetchError::kForbiddenAddress);
  EXPECT_NE(r[0].error_message.find("127.0.0.2"), std::string::npos) << r[0].error_message;
}

TEST_F(FetcherFaultsTest, LoopbackInEverySpellingIsRefused) {
  // SSRF: decimal, octal, hex and IPv4-mapped spellings of loopback, and a
  // name resolving to it, all reach the same check after DNS.
  http_.allow_private_networks = false;
  server_.Route("/secret", {200, "secret"});
  const std::string port = std::to_string(server_.port());
  auto policy = std::make_shared<FetchPolicy>();
  policy->resolve = {"internal.test:" + port + ":127.0.0.1"};
  auto r = Fetch({"http://2130706433:" + port + "/secret", "http://0177.0.0.1:" + port + "/secret",
                  "http://0x7f.0.0.1:" + port + "/secret", "http://[::ffff:127.0.0.1]:" + port + "/secret",
                  "http://internal.test:" + port + "/secret"},
                 policy);
  for (const auto& x : r) EXPECT_EQ(x.error, FetchError::kForbiddenAddress) << x.url << ": " << x.error_message;
  EXPECT_EQ(server_.Hits("/secret"), 0);
}

TEST_F(FetcherFaultsTest, RedirectsToLoopbackAreRefusedAtEachHop) {
  // SSRF: an allowed host redirecting to a loopback one (by address, by
  // mapped IPv6, by a name) is refused at the hop, and the target never hit.
  http_.allow_private_networks = false;
  TestServer front(ioc_, "127.0.0.2");
  server_.Route("/secret", {200, "secret"});
  const std::string port = std::to_string(server_.port());
  front.Redirect("/a", server_.Url("/secret"));
  front.Redirect("/b", "http://[::ffff:127.0.0.1]:" + port + "/secret", 307);
  front.Redirect("/c", "http://internal.test:" + port + "/secret", 301);
  auto policy = std::make_shared<FetchPolicy>();
  policy->allowed_networks = {*Network::Parse("127.0.0.2/32")};
  policy->resolve = {"internal.test:" + port + ":127.0.0.1"};
  auto r = Fetch({front.Url("/a"), front.Url("/b"), front.Url("/c")}, policy);
  for (const auto& x : r) EXPECT_EQ(x.error, FetchError::kForbiddenAddress) << x.url << ": " << x.error_message;
  EXPECT_EQ(front.Hits("/a") + front.Hits("/b") + front.Hits("/c"), 3);
  EXPECT_EQ(server_.Hits("/secret"), 0);
}

TEST_F(FetcherFaultsTest, CancelEndsOneSourcesTransfersExactlyOnce) {
  // A run deadline cancels one source's requests (queued, running, waiting
  // to retry) with its own kind; another source's go on.
  server_.Route("/slow", {.status = 200, .body = "slow", .delay = 300ms});
  server_.Sequence("/retry", {{.status = 503}, {200, "ok"}});
  server_.Route("/other", {200, "other"});
  http_.retry_base = 10s;  // the retry waits long enough to be cancelled
  http_.retry_max = 10s;
  Fetcher fetcher(ioc_, http_);
  auto a = std::make_shared<FetchPolicy>();
  auto b = std::make_shared<FetchPolicy>();
  std::vector<FetchResult> got_a, got_b;
  for (int i = 0; i < 4; ++i) {
    fetcher.Fetch({.url = server_.Url("/slow"), .policy = a}, [&](FetchResult r) { got_a.push_back(std::move(r)); });
  }
  // Another host (a name pinned to the same server), so the retry is not queued behind /slow.
  const std::string port = std::to_string(server_.port());
  a->resolve = {"r.test:" + port + ":127.0.0.1"};
  fetcher.Fetch({.url = "http://r.test:" + port + "/retry", .policy = a},
                [&](FetchResult r) { got_a.push_back(std::move(r)); });
  ASSERT_TRUE(RunUntil(ioc_, [&] {
    return server_.Hits("/retry") == 1 && server_.Hits("/slow") == 2 && fetcher.running() == 2;
  }));
  fetcher.Cancel(a.get(), FetchError::kDeadline, "run deadline reached");
  fetcher.Fetch({.url = server_.Url("/other"), .policy = b}, [&](FetchResult r) { got_b.push_back(std::move(r)); });
  ASSERT_TRUE(RunUntil(ioc_, [&] { return got_a.size() == 5 && got_b.size() == 1; }));
  for (const auto& r : got_a) EXPECT_EQ(r.error, FetchError::kDeadline) << r.url;
  EXPECT_TRUE(got_b[0].ok()) << got_b[0].error_message;
  Wait(400ms);  // the cancelled transfers' late answers change nothing
  EXPECT_EQ(got_a.size(), 5u);
  EXPECT_EQ(fetcher.running(), 0u);
  EXPECT_EQ(fetcher.queued(), 0u);
}

TEST_F(FetcherFaultsTest, IdleHostsAreForgotten) {
  // Known fault 6: per-host state only grew. Hosts idle past the TTL are
  // dropped; one still held by a Retry-After is kept.
  server_.Route("/x", {200, "x"});
  server_.Route("/held", {.status = 429, .headers = {{"Retry-After", "3600"}}});
  http_.retries = 0;
  http_.retry_max = 60s;
  const std::string port = std::to_string(server_.port());
  auto policy = std::make_shared<FetchPolicy>();
  for (const char* name : {"a.test", "b.test", "c.test", "held.test"}) {
    policy->resolve.push_back(std::string(name) + ":" + port + ":127.0.0.1");
  }
  Fetcher fetcher(ioc_, http_);
  FetchWith(fetcher, {"http://a.test:" + port + "/x", "http://b.test:" + port + "/x",
                      "http://c.test:" + port + "/x", "http://held.test:" + port + "/held"},
            policy);
  EXPECT_EQ(fetcher.hosts(), 4u);
  const auto now = Fetcher::Clock::now();
  fetcher.ForgetIdleHosts(now, 5min);
  EXPECT_EQ(fetcher.hosts(), 4u);  // not idle long enough
  fetcher.ForgetIdleHosts(now + 6min, 5min);
  EXPECT_EQ(fetcher.hosts(), 1u);  // held.test: its Retry-After still holds it
}

// Faults found after the rewrite; each test failed before its fix.

// Cancel(policy A) while A's robots.txt fetch runs abandons it, but never
// considers the host again: source B's page, queued behind that robots.txt
// fetch on the same host, is never started and its completion never comes
// (until B's own run_deadline, 4 h by default). In the daemon two sources
// sharing a host, one hitting its run_deadline, is enough.
TEST_F(FetcherFaultsTest, CancellingOneSourcesRobotsFetchStrandsAnotherSourcesQueue) {
  http_.retries = 0;
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
TEST_F(FetcherFaultsTest, AHugeButAcceptedRetryMaxDoesNotFailEveryPage) {
  http_.retries = 0;
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
TEST_F(FetcherFaultsTest, AnEnvironmentProxyBypassesTheAddressPolicy) {
  http_.retries = 0;
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
TEST_F(FetcherFaultsTest, ANonHttpAnswerIsAProtocolFaultNotAForbiddenUrl) {
  http_.retries = 0;
  http_.obey_robots = false;
  server_.Route("/garbage", {.raw = "<html>hello, HTTP/0.9</html>"});
  Fetcher fetcher(ioc_, http_);
  std::optional<FetchResult> got;
  fetcher.Fetch({.url = server_.Url("/garbage")}, [&](FetchResult r) { got = std::move(r); });
  ASSERT_TRUE(RunUntil(ioc_, [&] { return got.has_value(); }, 5s));
  EXPECT_EQ(got->error, FetchError::kProtocol)
      << FetchErrorName(got->error) << ": " << got->error_message;
}

TEST_F(FetcherFaultsTest, ConflictingContentLengthsAreAnInvalidFramingNotABody) {
  // RFC 9112 section 6.3: a response whose Content-Length is invalid (two
  // different values) has no valid framing, and a user agent must discard
  // it. libcurl alone takes the last value: "hello" became 20 bytes of
  // whatever followed. The same length twice is one length.
  http_.retries = 0;
  server_.Route("/two", {.raw = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 20\r\n"
                                 "Content-Type: text/html\r\n\r\nhello world and more"});
  server_.Route("/list", {.raw = "HTTP/1.1 200 OK\r\nContent-Length: 5, 20\r\n"
                                  "Content-Type: text/html\r\n\r\nhello world and more"});
  server_.Route("/sign", {.raw = "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n"
                                  "Content-Type: text/html\r\n\r\nhello"});
  server_.Route("/same", {.raw = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n"
                                  "Content-Type: text/html\r\n\r\nhello"});
  auto r = Fetch({server_.Url("/two"), server_.Url("/list"), server_.Url("/sign"), server_.Url("/same")});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(r[i].error, FetchError::kProtocol) << i << ": " << r[i].body;
    EXPECT_NE(r[i].error_message.find("Content-Length"), std::string::npos) << r[i].error_message;
    EXPECT_TRUE(r[i].body.empty());
  }
  EXPECT_EQ(r[3].error, FetchError::kNone) << r[3].error_message;
  EXPECT_EQ(r[3].body, "hello");
}

}  // namespace
}  // namespace jobtrawl::crawler
