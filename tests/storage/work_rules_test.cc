// The fleet's scheduling, backoff and host budget rules (issue 15 part 2),
// storage/work_rules.h, without a database.
#include "storage/work_rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace jobtrawl::storage::work {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const Time kT0 = Time(Duration(1'780'000'000'000'000));

TEST(WorkRulesTest, FailuresBackOffExponentiallyUpToTheCap) {
  // k-th failure in a row: min(cap, base * 2^(k-1)) after the failure.
  const BackoffPolicy p{minutes(1), minutes(10)};
  const struct {
    int attempts_before;
    Duration delay;
  } cases[] = {{0, minutes(1)}, {1, minutes(2)}, {2, minutes(4)}, {3, minutes(8)}, {4, minutes(10)},
               {5, minutes(10)}, {60, minutes(10)}, {1000, minutes(10)}};
  for (const auto& c : cases) {
    const Reschedule r = NextRun(Outcome::kFailure, hours(1), c.attempts_before, p);
    EXPECT_FALSE(r.from_start) << c.attempts_before;
    EXPECT_EQ(r.delay, c.delay) << c.attempts_before;
    EXPECT_EQ(r.attempts, c.attempts_before + 1);
  }
}

TEST(WorkRulesTest, LeaseExpiriesAfterTheFirstInARowBackOffAsFailures) {
  // Attempts are counted at the claim: the first run in a row that never
  // released is taken over at once, each further one waits as the
  // failure before it would (1, 2, 4, ... min, capped).
  const BackoffPolicy p{minutes(1), minutes(10)};
  EXPECT_EQ(ExpiryBackoff(0, p), Duration::zero());
  EXPECT_EQ(ExpiryBackoff(1, p), Duration::zero());
  EXPECT_EQ(ExpiryBackoff(2, p), Duration(minutes(1)));
  EXPECT_EQ(ExpiryBackoff(3, p), Duration(minutes(2)));
  EXPECT_EQ(ExpiryBackoff(5, p), Duration(minutes(8)));
  EXPECT_EQ(ExpiryBackoff(6, p), Duration(minutes(10)));
  EXPECT_EQ(ExpiryBackoff(1000, p), Duration(minutes(10)));
  // As a failure release would have: the k-th in a row after k-1 before.
  for (int k = 2; k < 10; ++k) {
    EXPECT_EQ(ExpiryBackoff(k, p), NextRun(Outcome::kFailure, hours(1), k - 2, p).delay) << k;
  }
}

TEST(WorkRulesTest, SuccessKeepsTheIntervalBetweenStartsAndClearsFailures) {
  // Anchored at the start: a crawl's own length does not stretch the interval.
  const Reschedule r = NextRun(Outcome::kSuccess, hours(6), 7, BackoffPolicy{});
  EXPECT_TRUE(r.from_start);
  EXPECT_EQ(r.attempts, 0);
  EXPECT_EQ(NextRunAt(r, kT0, kT0 + minutes(5)), kT0 + hours(6));
  const Reschedule f = NextRun(Outcome::kFailure, hours(6), 0, BackoffPolicy{});
  EXPECT_EQ(NextRunAt(f, kT0, kT0 + minutes(5)), kT0 + minutes(6));
}

TEST(WorkRulesTest, InitialRunsSpreadOverOneInterval) {
  // 10,000 sources added at once fall in [now, now + interval), about
  // evenly (each tenth of the interval gets 7-13% of them).
  const Duration interval = hours(1);
  std::vector<int> tenths(10);
  for (std::int64_t id = 1; id <= 10'000; ++id) {
    const Time t = InitialRunAt(id, interval, kT0);
    ASSERT_GE(t, kT0);
    ASSERT_LT(t, kT0 + interval);
    ++tenths[static_cast<size_t>((t - kT0) * 10 / interval)];
  }
  for (int n : tenths) {
    EXPECT_GT(n, 700);
    EXPECT_LT(n, 1300);
  }
}

TEST(WorkRulesTest, ClaimableWhenDueAndUnleasedOrLeaseExpired) {
  const struct {
    Time next_run_at;
    std::optional<Time> expires;
    bool claimable;
  } cases[] = {
      {kT0, std::nullopt, true},
      {kT0 + seconds(1), std::nullopt, false},
      {kT0 - hours(1), kT0 + seconds(1), false},  // leased, lease running
      {kT0 - hours(1), kT0, true},                // lease expired now
  };
  for (const auto& c : cases) EXPECT_EQ(Claimable(c.next_run_at, c.expires, kT0), c.claimable);
  EXPECT_TRUE(ClaimsBefore(kT0, 9, kT0 + seconds(1), 1));
  EXPECT_TRUE(ClaimsBefore(kT0, 1, kT0, 2));
  EXPECT_FALSE(ClaimsBefore(kT0, 2, kT0, 2));
}

TEST(WorkRulesTest, HostSlotsAreAGapApartWhateverTheCallersClocks) {
  // Reservations from callers whose clocks disagree (some behind the
  // cursor, some ahead) never put two slots closer than the gap, and never
  // book beyond the horizon.
  HostSlots host;
  const Duration gap = milliseconds(250);
  const Duration horizon = seconds(2);
  std::vector<Time> slots;
  int refused = 0;
  for (int i = 0; i < 400; ++i) {
    const Time now = kT0 + milliseconds(i * 97 % 1000 + i * 40);
    const int n = 1 + i % 4;
    const auto g = ReserveSlots(host, now, n, gap, horizon);
    if (!g) {
      ++refused;
      EXPECT_GT(host.next_free_at, now + horizon);
      continue;
    }
    EXPECT_LE(g->first, now + horizon);
    EXPECT_GE(g->first, now);
    for (int k = 0; k < n; ++k) slots.push_back(g->first + g->gap * k);
  }
  EXPECT_GT(refused, 0);
  EXPECT_EQ(host.reserved, static_cast<std::int64_t>(slots.size()));
  std::sort(slots.begin(), slots.end());
  for (size_t i = 1; i < slots.size(); ++i) ASSERT_GE(slots[i] - slots[i - 1], gap);
}

TEST(WorkRulesTest, ARequestThatMissedItsSlotTakesALaterOneNeverALateStart) {
  // Slots are used only from their start: a late request skips to the
  // next slot that has not begun, or needs a new reservation.
  const SlotGrant g{kT0, milliseconds(100), 4};
  EXPECT_EQ(FirstUsableSlot(g, 0, kT0 - seconds(1)), 0);
  EXPECT_EQ(FirstUsableSlot(g, 0, kT0), 0);
  EXPECT_EQ(FirstUsableSlot(g, 0, kT0 + milliseconds(1)), 1);
  EXPECT_EQ(FirstUsableSlot(g, 2, kT0), 2);
  EXPECT_EQ(FirstUsableSlot(g, 0, kT0 + milliseconds(300)), 3);
  EXPECT_EQ(FirstUsableSlot(g, 0, kT0 + milliseconds(301)), std::nullopt);
}

}  // namespace
}  // namespace jobtrawl::storage::work
