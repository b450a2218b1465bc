// The fleet's shared host budget (app/fleet_host_budget.h, issue 15 part
// 2) against a real PostgreSQL server: the slot reserved for a waiting
// request is the one it gets, and a host's budget is booked only as far as
// requests wait for it.
#include "app/fleet_host_budget.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "support/pg_server.h"

namespace jobtrawl::app {
namespace {

namespace pg = storage::pg;
using jobtrawl::testing::PgTest;
using Clock = crawler::HostBudget::Clock;
using namespace std::chrono_literals;

template <typename T>
T Must(std::expected<T, pg::Error> r) {
  if (!r) throw std::runtime_error(r.error().sqlstate + " " + r.error().message);
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

class FleetHostBudgetTest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    pg::Connection c = Must(pg::Connection::Open(url_));
    const pg::Migration m[] = {pg::WorkQueueMigration(1), pg::WorkQueueMigrationV2(2)};
    ASSERT_EQ(Must(pg::Migrate(c, m)), 2);
  }

  // Asks for a slot as the fetcher does: Next, and when it says "being
  // reserved", waits for `wake` and asks again (with the time it asks at).
  std::optional<Clock::time_point> Ask(FleetHostBudget& budget, const std::string& host, std::chrono::milliseconds gap,
                                       int wanted) {
    std::mutex mu;
    std::condition_variable cv;
    bool woken = false;
    auto at = budget.Next(host, gap, Clock::now(), wanted, [&] {
      std::lock_guard lock(mu);
      woken = true;
      cv.notify_all();
    });
    if (at) return at;
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, 30s, [&] { return woken; })) return std::nullopt;
    return budget.Next(host, gap, Clock::now(), wanted, [] {});
  }

  std::int64_t Reserved(const std::string& host) {
    pg::Connection c = Must(pg::Connection::Open(url_));
    auto r = Must(c.Exec("SELECT reserved FROM host_budgets WHERE host = $1", {pg::Value{host}}));
    return r.Rows() == 0 ? 0 : r.Int64(0, 0).value_or(-1);
  }
};

TEST_F(FleetHostBudgetTest, AnIdleHostsFirstSlotGoesToTheRequestThatWaitedForIt) {
  // An idle host's first slot begins as the reservation is answered, so it
  // has begun by the time the woken request asks again: it must still be
  // that request's (not skipped as passed, making it wait a whole gap for
  // the next slot and wasting this one for every node).
  FleetHostBudget budget({.database_url = url_, .node = "n1"});
  const auto asked = Clock::now();
  auto at = Ask(budget, "http://idle.test:80", 10s, 1);
  ASSERT_TRUE(at.has_value());
  EXPECT_LE(*at, Clock::now());  // send at once
  EXPECT_GE(*at + 1s, asked);
  budget.Take("http://idle.test:80", *at);
  EXPECT_EQ(budget.reservations(), 1);
}

TEST_F(FleetHostBudgetTest, ABusyHostIsBookedOnlyAsFarAsRequestsWait) {
  // One request waits: one slot is booked, not a batch the other nodes
  // then cannot use. Three wait: three (up to the batch).
  FleetHostBudget budget({.database_url = url_, .node = "n1", .batch = 4});
  auto one = Ask(budget, "http://one.test:80", 1s, 1);
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(Reserved("http://one.test:80"), 1);

  auto first = Ask(budget, "http://three.test:80", 1s, 3);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(Reserved("http://three.test:80"), 3);
  // The other two are this node's next slots, a gap apart, with no
  // further reservation.
  budget.Take("http://three.test:80", *first);
  auto second = budget.Next("http://three.test:80", 1s, *first, 2, [] {});
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(*second - *first, 1s);
  EXPECT_EQ(budget.reservations(), 2);

  auto many = Ask(budget, "http://many.test:80", 1s, 50);
  ASSERT_TRUE(many.has_value());
  EXPECT_EQ(Reserved("http://many.test:80"), 4);
}

}  // namespace
}  // namespace jobtrawl::app
