#include "crawler/fetcher.h"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <filesystem>
#include <fstream>

#include "support/test_server.h"

namespace jobtrawl::crawler {
namespace {

using jobtrawl::testing::Reply;
using jobtrawl::testing::RunUntil;
using jobtrawl::testing::TestServer;
using namespace std::chrono_literals;

class FetcherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { GlobalInit(); }

  FetcherTest() : server_(ioc_) {
    http_.delay = 0ms;
    http_.user_agent = "jobtrawl-test/1.0";
    // The test server lives on 127.0.0.1; robots.txt has tests of its own.
    http_.allow_private_networks = true;
    http_.obey_robots = false;
    http_.retries = 0;
  }

  static std::shared_ptr<const FetchPolicy> Policy(bool allow_file = false) {
    auto p = std::make_shared<FetchPolicy>();
    p->allow_file = allow_file;
    return p;
  }

  // Fetches one URL and runs the loop until its result arrives.
  FetchResult FetchOne(const std::string& url, bool allow_file = false,
                       FetchRequest request = {}) {
    Fetcher fetcher(ioc_, http_);
    fetcher.SeedRandom(1);
    std::optional<FetchResult> result;
    request.url = url;
    if (!request.policy) request.policy = Policy(allow_file);
    fetcher.Fetch(request, [&](FetchResult r) { result = std::move(r); });
    EXPECT_TRUE(RunUntil(ioc_, [&] { return result.has_value(); })) << url;
    return result.value_or(FetchResult{});
  }

  boost::asio::io_context ioc_;
  TestServer server_;
  config::HttpConfig http_;
};

TEST_F(FetcherTest, FetchesBodyStatusHeadersAndSendsUserAgent) {
  server_.Route("/jobs", {200, "<html>jobs</html>", {{"ETag", "\"v1\""}}});
  FetchResult r = FetchOne(server_.Url("/jobs"));
  EXPECT_TRUE(r.ok()) << r.error_message;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<html>jobs</html>");
  EXPECT_EQ(r.Header("etag"), "\"v1\"");
  EXPECT_EQ(r.final_url, server_.Url("/jobs"));
  EXPECT_GT(r.timings.total.count(), 0);
  ASSERT_EQ(server_.requests().size(), 1u);
  EXPECT_EQ(server_.requests()[0].headers.at("user-agent"), "jobtrawl-test/1.0");
  EXPECT_NE(server_.requests()[0].headers.at("accept-encoding").find("gzip"), std::string::npos);
}

TEST_F(FetcherTest, HttpErrorsAreResultsNotExceptions) {
  // 4xx and 5xx come back as FetchError::kHttpStatus with the status kept.
  server_.Route("/gone", {404, "no"});
  server_.Route("/broken", {500, "oops"});
  for (auto [target, status] : {std::pair{"/gone", 404}, std::pair{"/broken", 500}}) {
    FetchResult r = FetchOne(server_.Url(target));
    EXPECT_EQ(r.error, FetchError::kHttpStatus) << target;
    EXPECT_EQ(r.status, status);
  }
}

TEST_F(FetcherTest, FollowsRedirectsWithinTheLimit) {
  server_.Redirect("/a", "/b");
  server_.Redirect("/b", "/c", 301);
  server_.Route("/c", {200, "here"});
  FetchResult r = FetchOne(server_.Url("/a"));
  EXPECT_TRUE(r.ok()) << r.error_message;
  EXPECT_EQ(r.final_url, server_.Url("/c"));
  EXPECT_EQ(r.body, "here");

  server_.Redirect("/loop", "/loop");
  http_.max_redirects = 3;
  EXPECT_EQ(FetchOne(server_.Url("/loop")).error, FetchError::kTooManyRedirects);
}

TEST_F(FetcherTest, PostSendsItsBodyAndRedirectsAsRfc9110Says) {
  // RFC 9110 §15.4: 303 (and 301/302, as user agents do) turn a POST into a
  // GET; 307 and 308 repeat the POST with its body. A POST is never conditional.
  auto echo = [](const jobtrawl::testing::RecordedRequest& r) {
    return jobtrawl::testing::Reply{.status = 200, .body = r.method + " " + r.body};
  };
  server_.Handle("/search", echo);
  server_.Handle("/moved-post", echo);
  server_.Handle("/as-get", echo);
  server_.Redirect("/keep", "/moved-post", 307);
  server_.Redirect("/see-other", "/as-get", 303);
  const PostBody body{.content_type = "application/json", .data = R"({"offset":20})"};
  FetchResult r = FetchOne(server_.Url("/search"), false,
                           FetchRequest{.post = body, .etag = "\"x\"", .last_modified = "Mon, 02 Nov 2026 10:00:00 GMT"});
  ASSERT_TRUE(r.ok()) << r.error_message;
  EXPECT_EQ(r.body, R"(POST {"offset":20})");
  EXPECT_EQ(r.post, body);  // the result says how it was asked for
  const auto& sent = server_.requests().back();
  EXPECT_EQ(sent.headers.at("content-type"), "application/json");
  EXPECT_FALSE(sent.headers.contains("if-none-match"));
  EXPECT_FALSE(sent.headers.contains("if-modified-since"));
  EXPECT_EQ(FetchOne(server_.Url("/keep"), false, FetchRequest{.post = body}).body, R"(POST {"offset":20})");
  EXPECT_EQ(FetchOne(server_.Url("/see-other"), false, FetchRequest{.post = body}).body, "GET ");
  // A GET stays a GET, with no body and no post in its result.
  FetchResult get = FetchOne(server_.Url("/search"));
  EXPECT_EQ(get.body, "GET ");
  EXPECT_FALSE(get.post);
}

TEST_F(FetcherTest, DecodesGzip) {
  std::string body(50000, 'x');
  server_.Route("/gz", {.status = 200, .body = body, .gzip = true});
  FetchResult r = FetchOne(server_.Url("/gz"));
  EXPECT_TRUE(r.ok()) << r.error_message;
  EXPECT_EQ(r.body, body);
}

TEST_F(FetcherTest, AbortsBodiesOverTheLimitWhileReceiving) {
  // max_body counts decoded bytes, so a small gzip bomb is caught too.
  http_.max_body = 10000;
  server_.Route("/big", {200, std::string(200000, 'a')});
  server_.Route("/bomb", {.status = 200, .body = std::string(5000000, 'a'), .gzip = true});
  for (const char* target : {"/big", "/bomb"}) {
    FetchResult r = FetchOne(server_.Url(target));
    EXPECT_EQ(r.error, FetchError::kTooLarge) << target;
    EXPECT_TRUE(r.body.empty());
  }
}

TEST_F(FetcherTest, TruncatedBodyIsAnErrorAfterRetries) {
  // A connection reset mid-body is transient: retried, then reported.
  http_.retries = 2;
  http_.retry_base = 1ms;
  server_.Route("/cut", {.status = 200, .body = std::string(10000, 'a'), .truncate = true});
  FetchResult r = FetchOne(server_.Url("/cut"));
  EXPECT_EQ(r.error, FetchError::kProtocol) << r.error_message;
  EXPECT_EQ(r.retried.size(), 2u);
  EXPECT_EQ(server_.Hits("/cut"), 3);
}

TEST_F(FetcherTest, SlowServerTimesOut) {
  http_.timeout = 200ms;
  server_.Route("/slow", {.status = 200, .body = "late", .delay = 5s});
  EXPECT_EQ(FetchOne(server_.Url("/slow")).error, FetchError::kTimeout);
}

TEST_F(FetcherTest, RefusedConnectionIsConnectError) {
  std::string url;
  {
    boost::asio::io_context other;
    TestServer closed(other);
    url = closed.Url("/");
  }  // the port is closed now
  EXPECT_EQ(FetchOne(url).error, FetchError::kConnect);
}

TEST_F(FetcherTest, FileUrlsOnlyWhenAllowed) {
  auto path = std::filesystem::temp_directory_path() / "jobtrawl-fetcher-test.html";
  std::ofstream(path) << "<p>local</p>";
  std::string url = "file://" + path.string();
  FetchResult allowed = FetchOne(url, true);
  EXPECT_TRUE(allowed.ok()) << allowed.error_message;
  EXPECT_EQ(allowed.body, "<p>local</p>");
  EXPECT_EQ(FetchOne(url, false).error, FetchError::kForbiddenUrl);
  EXPECT_FALSE(FetchOne("file:///nonexistent/x.html", true).ok());
  std::filesystem::remove(path);
}

TEST_F(FetcherTest, RunsManyTransfersWithinConnectionLimits) {
  // One loop thread, hundreds of requests; never more than the limits in flight.
  http_.max_connections = 16;
  http_.per_host_connections = 4;
  const int n = 400;
  for (int i = 0; i < n; ++i) server_.Route("/p" + std::to_string(i), {200, "page " + std::to_string(i)});
  Fetcher fetcher(ioc_, http_);
  int ok = 0, done = 0;
  std::size_t max_running = 0;
  for (int i = 0; i < n; ++i) {
    fetcher.Fetch({.url = server_.Url("/p" + std::to_string(i))}, [&, i](FetchResult r) {
      ++done;
      ok += r.ok() && r.body == "page " + std::to_string(i);
    });
  }
  EXPECT_TRUE(RunUntil(ioc_, [&] {
    max_running = std::max(max_running, fetcher.running());
    return done == n;
  }));
  EXPECT_EQ(ok, n);
  EXPECT_LE(max_running, 4u);  // one host: the per-host limit binds
  EXPECT_GE(max_running, 2u);
}

TEST_F(FetcherTest, OneLoopThreadRunsThousandsOfTransfersAtOnce) {
  // The engine's reason to exist: 2,000 transfers in flight on one thread.
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  const rlim_t wanted = 4 * 2000 + 256;  // client and server side of each, and spare
  if (files.rlim_cur < wanted && files.rlim_max >= wanted) {
    files.rlim_cur = wanted;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  if (files.rlim_cur < wanted) GTEST_SKIP() << "open-file limit " << files.rlim_cur << " is too low";
  const int n = 2000;
  http_.max_connections = n;
  http_.per_host_connections = n;
  // Every reply waits until all requests have arrived, so all are in flight together.
  server_.Route("/wait", {.status = 200, .body = "ok", .delay = 300ms});
  Fetcher fetcher(ioc_, http_);
  int ok = 0, done = 0;
  std::size_t max_running = 0;
  for (int i = 0; i < n; ++i) {
    fetcher.Fetch({.url = server_.Url("/wait")}, [&](FetchResult r) {
      ++done;
      ok += r.ok();
    });
  }
  EXPECT_TRUE(RunUntil(ioc_, [&] {
    max_running = std::max(max_running, fetcher.running());
    return done == n;
  }, 60s));
  EXPECT_EQ(ok, n);
  EXPECT_EQ(max_running, static_cast<std::size_t>(n));
  EXPECT_EQ(server_.Hits("/wait"), n);
}

TEST_F(FetcherTest, DelaySpacesRequestsToOneHost) {
  // Politeness: starts to one host are at least `delay` apart.
  http_.delay = 100ms;
  http_.per_host_connections = 8;
  for (int i = 0; i < 4; ++i) server_.Route("/d" + std::to_string(i), {200, "x"});
  Fetcher fetcher(ioc_, http_);
  int done = 0;
  for (int i = 0; i < 4; ++i) fetcher.Fetch({.url = server_.Url("/d" + std::to_string(i))}, [&](FetchResult) { ++done; });
  EXPECT_TRUE(RunUntil(ioc_, [&] { return done == 4; }));
  // Measured where it matters: when the server saw each request arrive.
  // The pacer spaces the starts; each request then reaches the server after
  // its own connection setup, which on a loaded machine can take a few
  // milliseconds longer for one request than for the next, hence the slack
  // (without a delay the gaps are under a millisecond).
  const auto& seen = server_.requests();
  ASSERT_EQ(seen.size(), 4u);
  constexpr auto kSlack = 20ms;
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_GE(seen[i].arrived - seen[i - 1].arrived, 100ms - kSlack) << i;
  }
  EXPECT_GE(seen.back().arrived - seen.front().arrived, 300ms - kSlack);

}

TEST_F(FetcherTest, CancelAllFailsEverythingPending) {
  server_.Route("/slow", {.status = 200, .body = "late", .delay = 5s});
  http_.per_host_connections = 1;
  Fetcher fetcher(ioc_, http_);
  std::vector<FetchError> errors;
  for (int i = 0; i < 3; ++i) fetcher.Fetch({.url = server_.Url("/slow")}, [&](FetchResult r) { errors.push_back(r.error); });
  RunUntil(ioc_, [&] { return server_.Hits("/slow") == 1; });
  fetcher.CancelAll();
  EXPECT_TRUE(RunUntil(ioc_, [&] { return errors.size() == 3; }));
  for (FetchError e : errors) EXPECT_EQ(e, FetchError::kCancelled);
  EXPECT_EQ(fetcher.running(), 0u);
  EXPECT_EQ(fetcher.queued(), 0u);
}

}  // namespace
}  // namespace jobtrawl::crawler
