#include "app/failure_tally.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace jobtrawl::app {
namespace {

TEST(FailureTallyTest, NothingFailedSaysNothing) {
  FailureTally t;
  EXPECT_EQ(t.pages(), 0);
  EXPECT_EQ(t.Describe(), "");
  EXPECT_EQ(t.FirstStartFailure(), "");
}

TEST(FailureTallyTest, CountsKindsMostFirstAndKeepsTheFirstFailure) {
  FailureTally t;
  t.Add("https://b.example/jobs/1", "timeout", "Operation timed out after 1000 ms", false);
  t.Add("https://b.example/jobs/2", "http_status", "HTTP 503 after 3 retries", false);
  t.Add("https://b.example/jobs/3", "http_status", "HTTP 500", false);
  EXPECT_EQ(t.pages(), 3);
  EXPECT_EQ(t.Describe(),
            "3 pages failed (2 http_status, 1 timeout); first: https://b.example/jobs/1: timeout: "
            "Operation timed out after 1000 ms");
  EXPECT_EQ(t.FirstStartFailure(), "");
}

TEST(FailureTallyTest, FirstStartPageFailureIsKeptApart) {
  FailureTally t;
  t.Add("https://b.example/jobs/9", "parse", "no posting found", false);
  t.Add("https://b.example/", "connect", "Failed to connect to b.example port 443", true);
  t.Add("https://b.example/2", "dns", "Could not resolve host", true);
  EXPECT_EQ(t.FirstStartFailure(), "https://b.example/: connect: Failed to connect to b.example port 443");
  EXPECT_EQ(t.Describe().substr(0, 45), "3 pages failed (1 connect, 1 dns, 1 parse); f");
}

TEST(FailureTallyTest, OnePageIsSingular) {
  FailureTally t;
  t.Add("u", "too_slow", "", false);
  EXPECT_EQ(t.Describe(), "1 page failed (1 too_slow); first: u: too_slow");
}

TEST(FailureTallyTest, ThreadsMayAddAtOnce) {
  FailureTally t;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 1000; ++j) t.Add("u", "parse", "m", j == 0);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(t.pages(), 4000);
  EXPECT_EQ(t.Describe(), "4000 pages failed (4000 parse); first: u: parse: m");
}

}  // namespace
}  // namespace jobtrawl::app
