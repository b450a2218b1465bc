#include "crawler/host_pacer.h"

#include <gtest/gtest.h>

namespace jobtrawl::crawler {
namespace {

using namespace std::chrono_literals;
using Outcome = HostPacer::Outcome;
using State = HostPacer::State;

class HostPacerTest : public ::testing::Test {
 protected:
  HostPacerTest() {
    settings_.delay = 1000ms;
    settings_.jitter = 0.5;
    settings_.breaker_failures = 3;
    settings_.breaker_cooldown = 10s;
    settings_.breaker_max_trips = 2;
  }
  PacerSettings settings_;
  HostPacer::TimePoint t0_ = HostPacer::TimePoint{} + 1h;
};

TEST_F(HostPacerTest, SpacesStartsByDelayPlusJitter) {
  HostPacer p(settings_);
  EXPECT_TRUE(p.CanStart(t0_));
  p.OnStart(t0_, 0.5);  // 1000ms * (1 + 0.5 * 0.5)
  EXPECT_FALSE(p.CanStart(t0_ + 1249ms));
  EXPECT_TRUE(p.CanStart(t0_ + 1250ms));
}

TEST_F(HostPacerTest, BaseDelayOnlyGrows) {
  // A source's delay or robots Crawl-delay can slow us, never speed us up.
  HostPacer p(settings_);
  p.RaiseBaseDelay(500ms);
  EXPECT_EQ(p.base_delay(), 1000ms);
  p.RaiseBaseDelay(5s);
  EXPECT_EQ(p.base_delay(), 5s);
  EXPECT_EQ(p.current_delay(), 5s);
}

TEST_F(HostPacerTest, SlowDownWidensThenNarrowsSlowly) {
  // 429/503 double the gap; each good answer takes back 10%.
  HostPacer p(settings_);
  p.OnFinish(t0_, Outcome::kSlowDown, 10ms, std::nullopt);
  EXPECT_EQ(p.current_delay(), 2000ms);
  p.OnFinish(t0_, Outcome::kSlowDown, 10ms, std::nullopt);
  EXPECT_EQ(p.current_delay(), 4000ms);
  p.OnFinish(t0_, Outcome::kSuccess, 10ms, std::nullopt);
  EXPECT_EQ(p.current_delay(), 3600ms);
  for (int i = 0; i < 100; ++i) p.OnFinish(t0_, Outcome::kSuccess, 10ms, std::nullopt);
  EXPECT_EQ(p.current_delay(), 1000ms);
}

TEST_F(HostPacerTest, RisingLatencyWidensTheDelay) {
  HostPacer p(settings_);
  for (int i = 0; i < 10; ++i) p.OnFinish(t0_, Outcome::kSuccess, 100ms, std::nullopt);
  EXPECT_EQ(p.current_delay(), 1000ms);
  p.OnFinish(t0_, Outcome::kSuccess, 2000ms, std::nullopt);
  EXPECT_EQ(p.current_delay(), 1500ms);
}

TEST_F(HostPacerTest, RetryAfterHoldsTheHost) {
  HostPacer p(settings_);
  p.OnFinish(t0_, Outcome::kSlowDown, 10ms, 30s);
  EXPECT_FALSE(p.CanStart(t0_ + 29s));
  EXPECT_TRUE(p.CanStart(t0_ + 30s));
}

TEST_F(HostPacerTest, BreakerOpensProbesAndCloses) {
  // Repeated failures pause the host; after the cool-down one probe goes out.
  HostPacer p(settings_);
  for (int i = 0; i < 3; ++i) p.OnFinish(t0_, Outcome::kFailure, 10ms, std::nullopt);
  EXPECT_EQ(p.state(), State::kOpen);
  EXPECT_FALSE(p.CanStart(t0_ + 9s));
  EXPECT_EQ(p.NextWakeUp(), t0_ + 10s);
  EXPECT_TRUE(p.CanStart(t0_ + 10s));
  EXPECT_EQ(p.state(), State::kHalfOpen);
  p.OnStart(t0_ + 10s, 0);
  EXPECT_FALSE(p.CanStart(t0_ + 20s));  // only one probe at a time
  p.OnFinish(t0_ + 10s, Outcome::kSuccess, 10ms, std::nullopt);
  EXPECT_EQ(p.state(), State::kClosed);
  EXPECT_FALSE(p.down(t0_ + 10s));
}

TEST_F(HostPacerTest, FailedProbesDoubleTheCooldownThenGiveUp) {
  HostPacer p(settings_);
  for (int i = 0; i < 3; ++i) p.OnFinish(t0_, Outcome::kFailure, 10ms, std::nullopt);
  ASSERT_TRUE(p.CanStart(t0_ + 10s));
  p.OnStart(t0_ + 10s, 0);
  p.OnFinish(t0_ + 10s, Outcome::kFailure, 10ms, std::nullopt);
  EXPECT_EQ(p.state(), State::kOpen);
  EXPECT_EQ(p.NextWakeUp(), t0_ + 30s);  // 20 s cool-down after the second trip
  EXPECT_FALSE(p.down(t0_ + 10s));
  ASSERT_TRUE(p.CanStart(t0_ + 30s));
  p.OnStart(t0_ + 30s, 0);
  p.OnFinish(t0_ + 30s, Outcome::kFailure, 10ms, std::nullopt);
  EXPECT_TRUE(p.down(t0_ + 30s));  // three trips in a row, more than breaker_max_trips
}

TEST_F(HostPacerTest, DownExpiresAfterTheCooldownAndAProbeMayBringTheHostBack) {
  // Issue 10, known fault 2: "down" ends with its cool-down (40 s after the
  // third trip), a probe goes out, and a good answer closes the breaker.
  HostPacer p(settings_);
  for (int i = 0; i < 3; ++i) p.OnFinish(t0_, Outcome::kFailure, 10ms, std::nullopt);
  auto t = t0_ + 10s;
  for (auto cooldown : {20s, 40s}) {
    ASSERT_TRUE(p.CanStart(t));
    p.OnStart(t, 0);
    p.OnFinish(t, Outcome::kFailure, 10ms, std::nullopt);
    t += cooldown;
  }
  EXPECT_TRUE(p.down(t - 1s));
  EXPECT_FALSE(p.down(t));
  ASSERT_TRUE(p.CanStart(t));
  p.OnStart(t, 0);
  EXPECT_TRUE(p.probing());
  p.OnFinish(t, Outcome::kSuccess, 10ms, std::nullopt);
  EXPECT_EQ(p.state(), State::kClosed);
  EXPECT_FALSE(p.down(t));
  EXPECT_TRUE(p.CanStart(t + 2s));
}

TEST_F(HostPacerTest, AnAbandonedProbeFreesTheProbeSlot) {
  // A cancelled or refused probe must not leave the host waiting for ever.
  HostPacer p(settings_);
  for (int i = 0; i < 3; ++i) p.OnFinish(t0_, Outcome::kFailure, 10ms, std::nullopt);
  ASSERT_TRUE(p.CanStart(t0_ + 10s));
  p.OnStart(t0_ + 10s, 0);
  EXPECT_FALSE(p.CanStart(t0_ + 12s));
  p.OnAbandon();
  EXPECT_TRUE(p.CanStart(t0_ + 12s));
}

TEST_F(HostPacerTest, RetryAfterIsKeptApartFromTheBreaker) {
  // held_until() is the server's own wait, which the fetcher compares with retry_max.
  HostPacer p(settings_);
  p.OnFinish(t0_, Outcome::kSlowDown, 10ms, 3600s);
  EXPECT_EQ(p.held_until(), t0_ + 3600s);
  EXPECT_FALSE(p.CanStart(t0_ + 3599s));
  EXPECT_FALSE(p.quiet(t0_ + 3599s));
}

}  // namespace
}  // namespace jobtrawl::crawler
