// Work sharing between nodes on a real PostgreSQL server (issue 15 part 2):
// storage/pg/work_queue.h. Nodes are WorkQueues on separate connections,
// in threads where the test is about concurrency; time is a fake clock
// passed to every statement, so nothing here waits on the wall clock.
#include "storage/pg/work_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "support/pg_server.h"

namespace jobtrawl::storage::pg {
namespace {

using jobtrawl::testing::PgTest;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
namespace work = jobtrawl::storage::work;

const work::Time kT0 = work::Time(work::Duration(1'780'000'000'123'456));

template <typename T>
T Must(std::expected<T, Error> r) {
  if (!r) throw std::runtime_error(r.error().sqlstate + " " + r.error().message);
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

Connection Connect(const std::string& url) { return Must(Connection::Open(url)); }

// A node: its own connection, a work queue and a fake clock.
struct Node {
  Node(const std::string& url, std::string name, work::BackoffPolicy backoff = {})
      : connection(Connect(url)) {
    WorkQueueOptions o;
    o.node = std::move(name);
    o.hostname = "test";
    o.lease.ttl = minutes(2);
    o.backoff = backoff;
    o.first_run_spread = work::Duration::max();  // over the whole interval, as these tests expect
    o.clock = [this] { return std::optional<work::Time>(now); };
    queue.emplace(Must(WorkQueue::Open(connection, std::move(o))));
    Must(queue->Register());
  }
  WorkQueue& q() { return *queue; }
  work::Time now = kT0;
  Connection connection;
  std::optional<WorkQueue> queue;
};

class WorkQueueTest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Connection c = Connect(url_);
    const Migration m[] = {WorkQueueMigration(1), WorkQueueMigrationV2(2)};
    ASSERT_EQ(Must(Migrate(c, m)), 2);
  }

  // Adds sources 1..n with `interval`, every one due at `due`.
  void AddDue(Node& node, int n, work::Duration interval, work::Time due) {
    std::vector<ScheduledSource> s;
    for (int i = 1; i <= n; ++i) s.push_back({i, interval});
    ASSERT_EQ(Must(node.q().AddSources(s)), n);
    Connection c = Connect(url_);
    Must(c.Exec("UPDATE source_schedule SET next_run_at = fleet_ts($1)",
                {Value{due.time_since_epoch().count()}}));
  }

  work::Time NextRunAt(std::int64_t source_id) {
    Connection c = Connect(url_);
    auto r = Must(c.Exec("SELECT fleet_us(next_run_at) FROM source_schedule WHERE source_id = $1",
                         {Value{source_id}}));
    return work::Time(work::Duration(r.Int64(0, 0).value_or(-1)));
  }
};

TEST_F(WorkQueueTest, TimesCrossTheWireExactly) {
  // work::Time is microseconds; fleet_ts/fleet_us must not round them.
  Connection c = Connect(url_);
  for (std::int64_t us : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{999'999},
                          kT0.time_since_epoch().count(), std::int64_t{4'102'444'800'000'001}}) {
    auto r = Must(c.Exec("SELECT fleet_us(fleet_ts($1)), fleet_us(fleet_interval($1))", {Value{us}}));
    EXPECT_EQ(r.Int64(0, 0), us);
    EXPECT_EQ(r.Int64(0, 1), us);
  }
}

TEST_F(WorkQueueTest, NewSourcesSpreadOverTheirIntervalAndKeepTheirScheduleWhenReadded) {
  // work::InitialRunAt, offset from the database's now; adding again only
  // updates the interval.
  Node a(url_, "a");
  const ScheduledSource s[] = {{1, hours(1)}, {2, hours(1)}, {3, hours(6)}};
  EXPECT_EQ(Must(a.q().AddSources(s)), 3);
  for (const ScheduledSource& x : s) EXPECT_EQ(NextRunAt(x.source_id), work::InitialRunAt(x.source_id, x.interval, kT0));
  a.now = kT0 + hours(3);
  const ScheduledSource again[] = {{1, hours(2)}};
  EXPECT_EQ(Must(a.q().AddSources(again)), 0);
  EXPECT_EQ(NextRunAt(1), work::InitialRunAt(1, hours(1), kT0));
}

TEST_F(WorkQueueTest, ANewSourceIsFirstDueWithinTheFirstRunSpreadNotItsWholeInterval) {
  // A source added to a fleet's config with `every = "24h"` is crawled
  // within 30 s (the default spread), not up to a day later.
  Connection c = Connect(url_);
  WorkQueueOptions o;
  o.node = "spread";
  o.hostname = "test";
  o.clock = [] { return std::optional<work::Time>(kT0); };
  WorkQueue q = Must(WorkQueue::Open(c, std::move(o)));
  Must(q.Register());
  std::vector<ScheduledSource> s;
  for (std::int64_t id = 1; id <= 50; ++id) s.push_back({id, hours(24)});
  s.push_back({51, std::chrono::seconds(10)});
  EXPECT_EQ(Must(q.AddSources(s)), 51);
  std::set<work::Time> distinct;
  for (std::int64_t id = 1; id <= 50; ++id) {
    const work::Time at = NextRunAt(id);
    EXPECT_EQ(at, work::InitialRunAt(id, std::chrono::seconds(30), kT0));
    EXPECT_LT(at, kT0 + std::chrono::seconds(30));
    distinct.insert(at);
  }
  EXPECT_GT(distinct.size(), 40u);  // spread, not all in one instant
  EXPECT_LT(NextRunAt(51), kT0 + std::chrono::seconds(10));
}

TEST_F(WorkQueueTest, ConcurrentClaimsNeverReturnOneSourceTwice) {
  // Three nodes claim from 600 due sources at once, in small batches, until
  // nothing is left: every source is claimed exactly once while leased.
  constexpr int kSources = 600;
  std::vector<std::unique_ptr<Node>> nodes;
  for (const char* name : {"a", "b", "c"}) nodes.push_back(std::make_unique<Node>(url_, name));
  AddDue(*nodes[0], kSources, hours(1), kT0 - minutes(1));
  std::mutex mu;
  std::map<std::int64_t, int> times_claimed;
  std::vector<int> per_node(3);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&, i] {
      Node& n = *nodes[static_cast<size_t>(i)];
      for (;;) {
        auto claims = n.q().ClaimDue(7);
        ASSERT_TRUE(claims.has_value()) << claims.error().message;
        if (claims->empty()) break;
        std::lock_guard lock(mu);
        per_node[static_cast<size_t>(i)] += static_cast<int>(claims->size());
        for (const Claim& c : *claims) ++times_claimed[c.source_id];
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(times_claimed.size(), static_cast<size_t>(kSources));
  for (const auto& [id, times] : times_claimed) EXPECT_EQ(times, 1) << "source " << id;
  EXPECT_EQ(per_node[0] + per_node[1] + per_node[2], kSources);
  EXPECT_TRUE(Must(nodes[1]->q().ClaimDue(10)).empty());
}

TEST_F(WorkQueueTest, AnExpiredLeaseIsTakenOverAndTheOldClaimCanNoLongerWrite) {
  // A node that stops renewing (killed) loses its sources after the
  // lease's ttl; a renewal keeps them; the new claim is fenced by its token.
  Node a(url_, "a"), b(url_, "b");
  AddDue(a, 1, hours(1), kT0 - minutes(10));
  const auto mine = Must(a.q().ClaimDue(5));
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].due_at, kT0 - minutes(10));
  EXPECT_EQ(mine[0].expires_at, kT0 + minutes(2));

  b.now = kT0 + minutes(2) - work::Duration(1);
  EXPECT_TRUE(Must(b.q().ClaimDue(5)).empty());
  a.now = kT0 + minutes(1);
  EXPECT_EQ(Must(a.q().Heartbeat()), 1);  // lease now ends at kT0 + 3 min
  b.now = kT0 + minutes(2) + seconds(1);
  EXPECT_TRUE(Must(b.q().ClaimDue(5)).empty());

  b.now = kT0 + minutes(3);
  const auto taken = Must(b.q().ClaimDue(5));
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].previous_owner, "a");
  EXPECT_EQ(taken[0].due_at, kT0 - minutes(10));  // still the run that was due
  EXPECT_NE(taken[0].token, mine[0].token);
  EXPECT_EQ(b.q().stats().taken_over, 1);

  {
    auto tx = Must(Transaction::Begin(a.connection));
    EXPECT_FALSE(Must(a.q().CheckLease(mine[0])));
  }
  EXPECT_FALSE(Must(a.q().Release(mine[0], work::Outcome::kSuccess)));
  EXPECT_EQ(Must(a.q().Heartbeat()), 0);
  EXPECT_TRUE(Must(b.q().Release(taken[0], work::Outcome::kSuccess)));
  EXPECT_EQ(NextRunAt(1), kT0 + minutes(3) + hours(1));
}

TEST_F(WorkQueueTest, ANodeNeverReclaimsASourceItStillHoldsAndItsHeartbeatKeepsIt) {
  // The node's heartbeats were delayed past its lease's expiry while the
  // crawl ran on: its own claim must not hand it the source again (a
  // second crawl of it, and a new token that fences off the first), and
  // its next heartbeat renews the lease, so the first claim still holds.
  Node a(url_, "a"), b(url_, "b");
  AddDue(a, 1, hours(1), kT0);
  const auto mine = Must(a.q().ClaimDue(5));
  ASSERT_EQ(mine.size(), 1u);
  a.now = kT0 + minutes(5);  // expired at kT0 + 2 min
  EXPECT_TRUE(Must(a.q().ClaimDue(5)).empty());
  EXPECT_EQ(Must(a.q().Heartbeat()), 1);  // renewed to kT0 + 7 min
  b.now = kT0 + minutes(5) + seconds(1);
  EXPECT_TRUE(Must(b.q().ClaimDue(5)).empty());
  {
    auto tx = Must(Transaction::Begin(a.connection));
    EXPECT_TRUE(Must(a.q().CheckLease(mine[0])));
  }
  a.now = kT0 + minutes(6);
  EXPECT_TRUE(Must(a.q().Release(mine[0], work::Outcome::kSuccess)));
  EXPECT_EQ(NextRunAt(1), kT0 + hours(1));
}

TEST_F(WorkQueueTest, RepeatedLeaseExpiriesBackOffLikeFailures) {
  // A source whose crawl kills its node every time never releases: the
  // claim counts the attempt, so each expiry after the first waits
  // work::ExpiryBackoff before the next node may take it over.
  const work::BackoffPolicy backoff{minutes(1), minutes(10)};
  std::vector<std::unique_ptr<Node>> nodes;
  nodes.push_back(std::make_unique<Node>(url_, "setup", backoff));
  AddDue(*nodes[0], 1, hours(1), kT0);
  const work::Duration want[] = {minutes(0), minutes(1), minutes(2), minutes(4), minutes(8), minutes(10)};
  for (size_t k = 0; k < std::size(want); ++k) {
    auto& n = *nodes.emplace_back(std::make_unique<Node>(url_, "crashing-" + std::to_string(k), backoff));
    n.now = NextRunAt(1);
    if (k > 0) {
      // Not a moment before the backoff.
      auto early = std::make_unique<Node>(url_, "early-" + std::to_string(k), backoff);
      early->now = n.now - work::Duration(1);
      EXPECT_TRUE(Must(early->q().ClaimDue(1)).empty()) << "expiry " << k;
    }
    const work::Time claimed = n.now;
    auto c = Must(n.q().ClaimDue(1));
    ASSERT_EQ(c.size(), 1u) << "expiry " << k;
    EXPECT_EQ(c[0].attempts, static_cast<int>(k));
    // The node dies: no heartbeat, no release.
    EXPECT_EQ(NextRunAt(1), claimed + minutes(2) + want[k]) << "expiry " << k + 1;
    EXPECT_EQ(work::ExpiryBackoff(static_cast<int>(k) + 1, backoff), want[k]);
  }
  // A crawl that finishes resets the count.
  auto& last = *nodes.emplace_back(std::make_unique<Node>(url_, "healthy", backoff));
  last.now = NextRunAt(1);
  auto c = Must(last.q().ClaimDue(1));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].attempts, static_cast<int>(std::size(want)));
  ASSERT_TRUE(Must(last.q().Release(c[0], work::Outcome::kSuccess)));
  last.now = NextRunAt(1);
  EXPECT_EQ(Must(last.q().ClaimDue(1)).at(0).attempts, 0);
}

TEST_F(WorkQueueTest, ARestartUnderTheSameNameCountsTheDeadProcesssRunsAsExpiries) {
  // systemd restarts a node (same name) that a source's crawl crashes:
  // registering frees the dead process's leases, and the second time in a
  // row the source waits its backoff instead of crashing the node again.
  const work::BackoffPolicy backoff{minutes(1), minutes(10)};
  auto a = std::make_unique<Node>(url_, "a", backoff);
  AddDue(*a, 1, hours(1), kT0);
  ASSERT_EQ(Must(a->q().ClaimDue(1)).size(), 1u);
  a = std::make_unique<Node>(url_, "a", backoff);  // restarted: due at once (first expiry)
  EXPECT_EQ(NextRunAt(1), kT0);
  ASSERT_EQ(Must(a->q().ClaimDue(1)).size(), 1u);
  a = std::make_unique<Node>(url_, "a", backoff);  // again: backs off
  EXPECT_EQ(NextRunAt(1), kT0 + minutes(1));
  EXPECT_TRUE(Must(a->q().ClaimDue(1)).empty());
}

TEST_F(WorkQueueTest, ANodeClaimsOnlyTheSourcesOfItsListAndOneNoNodeListsIsClaimedByNone) {
  // A rolling config change: b still has source 1, a dropped it; b keeps
  // crawling it. Once b drops it too, nobody claims it (its schedule row
  // stays for a config that brings it back). A claim given back is due at
  // once, is not a failure and counts no crawl.
  Node a(url_, "a"), b(url_, "b");
  const std::vector<ScheduledSource> all = {{1, hours(1)}, {2, hours(1)}, {3, hours(1)}};
  const std::vector<ScheduledSource> two_three = {{2, hours(1)}, {3, hours(1)}};
  EXPECT_EQ(Must(a.q().SetSources(all)), 3);
  EXPECT_EQ(Must(b.q().SetSources(all)), 0);
  EXPECT_EQ(Must(a.q().SetSources(two_three)), 0);  // a's reload drops 1
  Connection c = Connect(url_);
  Must(c.Exec("UPDATE source_schedule SET next_run_at = fleet_ts($1)", {Value{kT0.time_since_epoch().count()}}));
  auto ca = Must(a.q().ClaimDue(10));
  std::vector<std::int64_t> ids;
  for (const Claim& cl : ca) ids.push_back(cl.source_id);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{2, 3}));
  auto cb = Must(b.q().ClaimDue(10));
  ASSERT_EQ(cb.size(), 1u);
  EXPECT_EQ(cb[0].source_id, 1);

  // b gives 1 back (its reload raced the claim): due at its due time, the
  // attempt taken back, no crawl counted.
  EXPECT_TRUE(Must(b.q().GiveBack(cb[0])));
  EXPECT_FALSE(Must(b.q().GiveBack(cb[0])));
  EXPECT_EQ(NextRunAt(1), kT0);
  EXPECT_EQ(Must(b.q().SetSources(two_three)), 0);  // b drops 1 too
  a.now = b.now = kT0 + hours(5);
  for (const Claim& cl : ca) ASSERT_TRUE(Must(a.q().Release(cl, work::Outcome::kSuccess)));
  ids.clear();
  for (Node* n : {&a, &b}) {
    for (const Claim& cl : Must(n->q().ClaimDue(10))) ids.push_back(cl.source_id);
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::int64_t>{2, 3}));
  // A config that brings 1 back: claimed again, attempts as before.
  EXPECT_EQ(Must(b.q().SetSources(all)), 0);
  auto back = Must(b.q().ClaimDue(10));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].source_id, 1);
  EXPECT_EQ(back[0].attempts, 0);
  const NodeList list = Must(ListNodes(c));
  for (const NodeInfo& n : list.nodes) EXPECT_EQ(n.crawls, n.name == "a" ? 2 : 0) << n.name;
}

TEST_F(WorkQueueTest, NodesStoreTheirLeaseTtl) {
  // `jobtrawl nodes` judges silence by each node's own ttl.
  Node a(url_, "a");
  Connection c = Connect(url_);
  const NodeList list = Must(ListNodes(c));
  ASSERT_EQ(list.nodes.size(), 1u);
  EXPECT_EQ(list.nodes[0].lease_ttl, work::Duration(minutes(2)));
}

TEST_F(WorkQueueTest, TheLeaseCheckHoldsOffATakeoverUntilTheWriteCommits) {
  // The write transaction's CheckLease locks the row; a claim skips it
  // even after the lease expired, until the write commits.
  Node a(url_, "a"), b(url_, "b");
  AddDue(a, 1, hours(1), kT0);
  const auto mine = Must(a.q().ClaimDue(1));
  ASSERT_EQ(mine.size(), 1u);
  auto tx = Must(Transaction::Begin(a.connection));
  ASSERT_TRUE(Must(a.q().CheckLease(mine[0])));
  b.now = kT0 + hours(1);
  EXPECT_TRUE(Must(b.q().ClaimDue(1)).empty());
  Must(tx.Commit());
  EXPECT_EQ(Must(b.q().ClaimDue(1)).size(), 1u);
}

TEST_F(WorkQueueTest, TheWritersLeaseCheckNeitherBlocksNorDeadlocksTheNodesHeartbeat) {
  // Issue 15 review: the writer's lease check locked its schedule row FOR
  // UPDATE for the whole write transaction, and the node's heartbeat
  // (another session) updates every row the node holds. A heartbeat that
  // had locked row B waited for the writer's row A while the writer, on to
  // B's jobs, waited for B: "deadlock detected", and in any case the
  // heartbeat stalled behind every write. The check takes FOR KEY SHARE,
  // which the heartbeat's UPDATE (no key column) does not wait for, while a
  // claim's FOR UPDATE ... SKIP LOCKED still passes the row over.
  Node a(url_, "a"), b(url_, "b");
  AddDue(a, 2, hours(1), kT0);
  const auto mine = Must(a.q().ClaimDue(2));
  ASSERT_EQ(mine.size(), 2u);
  Connection writer_connection = Connect(url_);
  WorkQueueOptions o;
  o.node = "a";
  o.clock = [&a] { return std::optional<work::Time>(a.now); };
  WorkQueue writer = Must(WorkQueue::Open(writer_connection, std::move(o)));
  Connection beat_connection = Connect(url_);
  WorkQueueOptions bo;
  bo.node = "a";
  bo.lease.ttl = minutes(2);
  bo.lock_timeout = milliseconds(200);
  bo.clock = [&a] { return std::optional<work::Time>(a.now); };
  WorkQueue beat = Must(WorkQueue::Open(beat_connection, std::move(bo)));
  auto tx = Must(Transaction::Begin(writer_connection));
  ASSERT_TRUE(Must(writer.CheckLease(mine[0])));
  a.now = kT0 + minutes(1);
  auto renewed = beat.Heartbeat();
  ASSERT_TRUE(renewed) << renewed.error().message;
  EXPECT_EQ(*renewed, 2);
  ASSERT_TRUE(Must(writer.CheckLease(mine[1])));
  // Expired for everyone else, still fenced off while the write runs.
  b.now = kT0 + hours(1);
  EXPECT_TRUE(Must(b.q().ClaimDue(2)).empty());
  Must(tx.Commit());
}

TEST_F(WorkQueueTest, AFailingSourceBacksOffExponentiallyUpToTheCap) {
  // work::NextRun: failure k is retried min(10 min, 1 min * 2^(k-1)) after
  // it; a success resets the count and returns to the interval.
  Node a(url_, "a", work::BackoffPolicy{minutes(1), minutes(10)});
  AddDue(a, 1, hours(1), kT0);
  const work::Duration want[] = {minutes(1), minutes(2), minutes(4), minutes(8), minutes(10), minutes(10)};
  for (size_t k = 0; k < std::size(want); ++k) {
    a.now = NextRunAt(1);
    auto c = Must(a.q().ClaimDue(1));
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].attempts, static_cast<int>(k));
    a.now += seconds(7);  // the crawl's length
    ASSERT_TRUE(Must(a.q().Release(c[0], work::Outcome::kFailure)));
    EXPECT_EQ(NextRunAt(1), a.now + want[k]) << "failure " << k + 1;
  }
  a.now = NextRunAt(1);
  auto c = Must(a.q().ClaimDue(1));
  ASSERT_EQ(c.size(), 1u);
  const work::Time started = a.now;
  a.now += seconds(7);
  ASSERT_TRUE(Must(a.q().Release(c[0], work::Outcome::kSuccess)));
  EXPECT_EQ(NextRunAt(1), started + hours(1));
  a.now = NextRunAt(1);
  EXPECT_EQ(Must(a.q().ClaimDue(1)).at(0).attempts, 0);
}

TEST_F(WorkQueueTest, ClaimsTakeTheLongestOverdueFirstAndAFailingSourceWaitsItsTurn) {
  // Claim order is work::ClaimsBefore; a failed source goes to the back.
  Node a(url_, "a", work::BackoffPolicy{minutes(1), minutes(10)});
  AddDue(a, 5, hours(1), kT0);
  Connection c = Connect(url_);
  for (int id = 1; id <= 5; ++id) {
    // Due times 5,4,3,2,1 minutes before kT0 for ids 1..5, ids 4 and 5 tied.
    const work::Time due = kT0 - minutes(id <= 4 ? 6 - id : 2);
    Must(c.Exec("UPDATE source_schedule SET next_run_at = fleet_ts($2) WHERE source_id = $1",
                {Value{std::int64_t{id}}, Value{due.time_since_epoch().count()}}));
  }
  auto first = Must(a.q().ClaimDue(1));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].source_id, 1);
  ASSERT_TRUE(Must(a.q().Release(first[0], work::Outcome::kFailure)));  // due again at kT0 + 1 min
  a.now = kT0 + minutes(1);
  std::vector<std::int64_t> order;
  for (const Claim& cl : Must(a.q().ClaimDue(10))) order.push_back(cl.source_id);
  EXPECT_EQ(order, (std::vector<std::int64_t>{2, 3, 4, 5, 1}));
}

TEST_F(WorkQueueTest, DrainReleasesEveryLeaseAndARestartUnderTheSameNameDoesToo) {
  // SIGTERM: the node's runs are due again at once for the others; a
  // process restarted under a dead node's name frees its old leases.
  Node a(url_, "a"), b(url_, "b");
  AddDue(a, 4, hours(1), kT0 - minutes(1));
  ASSERT_EQ(Must(a.q().ClaimDue(2)).size(), 2u);
  EXPECT_EQ(Must(a.q().Drain()), 2);
  auto nodes = Must(b.q().Nodes());
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[0].name, "a");
  EXPECT_TRUE(nodes[0].stopped_at.has_value());
  EXPECT_EQ(nodes[0].leases, 0);
  ASSERT_EQ(Must(b.q().ClaimDue(2)).size(), 2u);

  Node a2(url_, "a");
  EXPECT_EQ(Must(a2.q().ClaimDue(5)).size(), 2u);
  Node a3(url_, "a");  // a2 "died"; its successor registers
  nodes = Must(b.q().Nodes());
  EXPECT_FALSE(nodes[0].stopped_at.has_value());
  EXPECT_EQ(nodes[0].leases, 0);
  EXPECT_EQ(nodes[1].leases, 2);
  EXPECT_EQ(Must(b.q().ClaimDue(5)).size(), 2u);
}

TEST_F(WorkQueueTest, NodesListsEachNodesLeasesAndCrawlCounts) {
  // `jobtrawl nodes`: leases held now, crawls released and failed since
  // the node started; a lost lease's release counts nothing.
  Node a(url_, "a"), b(url_, "b");
  AddDue(a, 5, hours(1), kT0 - minutes(1));
  const auto ca = Must(a.q().ClaimDue(3));
  ASSERT_EQ(ca.size(), 3u);
  ASSERT_TRUE(Must(a.q().Release(ca[0], work::Outcome::kSuccess)));
  ASSERT_TRUE(Must(a.q().Release(ca[1], work::Outcome::kFailure)));
  b.now = kT0 + minutes(30);  // a's third lease has expired; the failed source is due again
  ASSERT_EQ(Must(b.q().ClaimDue(5)).size(), 4u);
  EXPECT_FALSE(Must(a.q().Release(ca[2], work::Outcome::kSuccess)));
  Connection c = Connect(url_);
  const NodeList list = Must(ListNodes(c));
  ASSERT_EQ(list.nodes.size(), 2u);
  EXPECT_EQ(list.nodes[0].name, "a");
  EXPECT_EQ(list.nodes[0].leases, 0);
  EXPECT_EQ(list.nodes[0].crawls, 2);
  EXPECT_EQ(list.nodes[0].failures, 1);
  EXPECT_EQ(list.nodes[0].started_at, kT0);
  EXPECT_EQ(list.nodes[1].name, "b");
  EXPECT_EQ(list.nodes[1].leases, 4);
  EXPECT_EQ(list.nodes[1].crawls, 0);
  EXPECT_GT(list.now, kT0 - hours(24 * 365 * 10));  // the server's clock
}

TEST_F(WorkQueueTest, ADrainDropsTheNodesSourceListAndKeepsItsRowAsStopped) {
  // Issue 15 (operations): a stopped node's list wanted its sources for a
  // node that is gone; the drain deletes it, `jobtrawl nodes` still shows
  // the node as stopped.
  Node a(url_, "a"), b(url_, "b");
  const std::vector<ScheduledSource> all = {{1, hours(1)}, {2, hours(1)}};
  Must(a.q().SetSources(all));
  Must(b.q().SetSources(all));
  Must(a.q().Drain());
  Connection c = Connect(url_);
  EXPECT_EQ(*Must(c.Exec("SELECT count(*) FROM node_sources WHERE node = 'a'")).Int64(0, 0), 0);
  EXPECT_EQ(*Must(c.Exec("SELECT count(*) FROM node_sources WHERE node = 'b'")).Int64(0, 0), 2);
  const NodeList list = Must(ListNodes(c));
  ASSERT_EQ(list.nodes.size(), 2u);
  EXPECT_TRUE(list.nodes[0].stopped_at.has_value());
}

TEST_F(WorkQueueTest, ANodeSilentBeyondTheForgetAgeIsForgottenAndClaimsNothingUntilItRejoins) {
  // Issue 15 (operations): rows of nodes that never come back (a new
  // HOSTNAME:PID on every restart) grew forever, each with its whole
  // source list. The others' heartbeats forget a node silent for a day
  // (WorkQueueOptions::forget_after); one that does come back claims
  // nothing (not even sources outside its config) until its heartbeat
  // puts its row back and its list is given again.
  Node a(url_, "a"), b(url_, "b"), old(url_, "old");
  Must(a.q().SetSources(std::vector<ScheduledSource>{{1, hours(1)}}));
  Must(b.q().SetSources(std::vector<ScheduledSource>{{2, hours(1)}}));
  Must(old.q().SetSources(std::vector<ScheduledSource>{{1, hours(1)}, {2, hours(1)}}));
  Must(old.q().Drain());
  Connection c = Connect(url_);
  Must(c.Exec("UPDATE source_schedule SET next_run_at = fleet_ts($1)", {Value{kT0.time_since_epoch().count()}}));

  b.now = kT0 + hours(23);  // silent for less than a day: kept
  EXPECT_EQ(Must(b.q().Heartbeat()), 0);
  EXPECT_EQ(Must(ListNodes(c)).nodes.size(), 3u);
  EXPECT_EQ(b.q().stats().forgotten_nodes, 0);

  b.now = kT0 + hours(25);
  bool rejoined = true;
  EXPECT_EQ(Must(b.q().Heartbeat(nullptr, &rejoined)), 0);
  EXPECT_FALSE(rejoined);
  EXPECT_EQ(b.q().stats().forgotten_nodes, 2);  // a (silent) and old (stopped)
  NodeList list = Must(ListNodes(c));
  ASSERT_EQ(list.nodes.size(), 1u);
  EXPECT_EQ(list.nodes[0].name, "b");
  EXPECT_EQ(*Must(c.Exec("SELECT count(*) FROM node_sources WHERE node <> 'b'")).Int64(0, 0), 0);

  // a comes back: forgotten, it claims nothing, neither its own source 1
  // nor b's source 2.
  a.now = kT0 + hours(26);
  EXPECT_TRUE(Must(a.q().ClaimDue(10)).empty());
  EXPECT_EQ(Must(a.q().Heartbeat(nullptr, &rejoined)), 0);
  EXPECT_TRUE(rejoined);
  EXPECT_EQ(a.q().stats().rejoins, 1);
  EXPECT_EQ(Must(ListNodes(c)).nodes.size(), 2u);
  EXPECT_TRUE(Must(a.q().ClaimDue(10)).empty());  // its list is not back yet
  Must(a.q().SetSources(std::vector<ScheduledSource>{{1, hours(1)}}));
  auto claims = Must(a.q().ClaimDue(10));
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims[0].source_id, 1);
  EXPECT_EQ(Must(a.q().Heartbeat(nullptr, &rejoined)), 1);
  EXPECT_FALSE(rejoined);
}

TEST_F(WorkQueueTest, HostSlotReservationsFollowThePureRule) {
  // One sequence of reservations through SQL and through
  // work::ReserveSlots gives the same grants and refusals.
  Node a(url_, "a");
  work::HostSlots model;
  const work::Duration gap = milliseconds(300), horizon = seconds(2);
  for (int i = 0; i < 60; ++i) {
    a.now = kT0 + milliseconds(i * 173 % 700 + i * 90);
    const int n = 1 + i % 3;
    const auto want = work::ReserveSlots(model, a.now, n, gap, horizon);
    const auto got = Must(a.q().ReserveHost("boards.example", n, gap, horizon));
    ASSERT_EQ(got.has_value(), want.has_value()) << "reservation " << i;
    if (!got) continue;
    EXPECT_EQ(got->slots.first, want->first) << "reservation " << i;
    EXPECT_EQ(got->slots.count, n);
    EXPECT_EQ(got->now, a.now);
  }
  EXPECT_GT(a.q().stats().refused_reservations, 0);
}

TEST_F(WorkQueueTest, AHostsBudgetIsNeverExceededAcrossThreeConnections) {
  // Three nodes reserve slots on one host at once, their clocks in
  // different steps: counted per one-second window, the reserved slots
  // never exceed the host's 5 requests per second (gap 200 ms), and no two
  // are closer than the gap.
  const work::Duration gap = milliseconds(200), horizon = seconds(1);
  const work::Duration window = seconds(1);
  std::vector<std::unique_ptr<Node>> nodes;
  for (const char* name : {"a", "b", "c"}) nodes.push_back(std::make_unique<Node>(url_, name));
  std::mutex mu;
  std::vector<work::Time> slots;
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&, i] {
      Node& n = *nodes[static_cast<size_t>(i)];
      const work::Duration step = milliseconds(37 + 16 * i);
      for (int k = 0; k < 150; ++k) {
        n.now = kT0 + step * k;
        auto g = n.q().ReserveHost("api.example", 1 + (k + i) % 3, gap, horizon);
        ASSERT_TRUE(g.has_value()) << g.error().message;
        if (!*g) continue;
        ASSERT_LE((*g)->slots.first, n.now + horizon);
        std::lock_guard lock(mu);
        for (int s = 0; s < (*g)->slots.count; ++s) slots.push_back((*g)->slots.first + gap * s);
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_GT(slots.size(), 20u);
  std::sort(slots.begin(), slots.end());
  std::map<std::int64_t, int> per_window;
  for (work::Time s : slots) ++per_window[(s - kT0) / window];
  for (const auto& [w, count] : per_window) EXPECT_LE(count, 5) << "window " << w;
  for (size_t i = 1; i < slots.size(); ++i) ASSERT_GE(slots[i] - slots[i - 1], gap);
  Connection c = Connect(url_);
  auto r = Must(c.Exec("SELECT reserved FROM host_budgets WHERE host = 'api.example'"));
  EXPECT_EQ(r.Int64(0, 0), static_cast<std::int64_t>(slots.size()));
}


TEST_F(WorkQueueTest, AFleetOnTheServerKeepsIntervalsBacksOffAndTakesOverADeadNode) {
  // bench/fleet_sim.cc's model, small, on the real SQL: three nodes of 4
  // crawls each poll every 10 simulated seconds for 3 hours; 90 sources
  // every 10, 30 or 60 min; every 17th source always fails; node c is
  // killed (no drain) holding crawls at 1.5 h. No source is crawled by two
  // nodes at once, intervals after a success stay within 10%, the failing
  // ones back off, and c's sources are taken over one tick after expiry.
  constexpr int kSources = 90, kCapacity = 4;
  const work::Duration tick = seconds(10), heartbeat = seconds(40), ttl = minutes(2);
  std::mt19937_64 rng(7);  // crawl lengths, seed 7
  std::vector<std::unique_ptr<Node>> nodes;
  for (const char* name : {"a", "b", "c"}) {
    nodes.push_back(std::make_unique<Node>(url_, name, work::BackoffPolicy{minutes(1), hours(6)}));
  }
  auto interval_of = [](std::int64_t id) { return id % 3 == 0 ? minutes(10) : id % 3 == 1 ? minutes(30) : hours(1); };
  std::vector<ScheduledSource> sources;
  for (std::int64_t id = 1; id <= kSources; ++id) sources.push_back({id, interval_of(id)});
  ASSERT_EQ(Must(nodes[0]->q().AddSources(sources)), kSources);

  struct Running {
    Claim claim;
    size_t node;
    work::Time ends;
  };
  std::vector<Running> running;
  std::map<std::int64_t, size_t> holder;
  std::map<std::int64_t, work::Time> last_start;
  std::set<std::int64_t> last_succeeded;
  std::map<std::int64_t, int> runs;
  std::map<std::int64_t, work::Time> orphaned;  // the dead node's sources, by lease expiry
  std::vector<Claim> dead_claims;
  std::vector<work::Time> last_heartbeat(3, kT0);
  bool dead = false;
  int intervals = 0, taken_over = 0;
  const work::Time end = kT0 + hours(3), kill_after = kT0 + minutes(90);

  for (work::Time t = kT0; t < end; t += tick) {
    if (!dead && t >= kill_after &&
        std::any_of(running.begin(), running.end(), [](const Running& r) { return r.node == 2; })) {
      dead = true;
      for (auto it = running.begin(); it != running.end();) {
        if (it->node != 2) {
          ++it;
          continue;
        }
        orphaned[it->claim.source_id] = std::max(it->claim.started_at, last_heartbeat[2]) + ttl;
        dead_claims.push_back(it->claim);
        holder.erase(it->claim.source_id);
        it = running.erase(it);
      }
    }
    const size_t first = static_cast<size_t>((t - kT0) / tick) % 3;
    for (size_t k = 0; k < 3; ++k) {
      const size_t n = (first + k) % 3;
      if (dead && n == 2) continue;
      Node& node = *nodes[n];
      node.now = t;
      for (auto it = running.begin(); it != running.end();) {
        if (it->node != n || it->ends > t) {
          ++it;
          continue;
        }
        const bool fails = it->claim.source_id % 17 == 0;
        ASSERT_TRUE(Must(node.q().Release(it->claim, fails ? work::Outcome::kFailure : work::Outcome::kSuccess)));
        if (fails) last_succeeded.erase(it->claim.source_id);
        else last_succeeded.insert(it->claim.source_id);
        holder.erase(it->claim.source_id);
        it = running.erase(it);
      }
      const auto mine = static_cast<int>(
          std::count_if(running.begin(), running.end(), [n](const Running& r) { return r.node == n; }));
      if (t - last_heartbeat[n] >= heartbeat) {
        ASSERT_EQ(Must(node.q().Heartbeat()), mine);
        last_heartbeat[n] = t;
      }
      if (mine == kCapacity) continue;
      for (const Claim& c : Must(node.q().ClaimDue(kCapacity - mine))) {
        const std::int64_t id = c.source_id;
        ASSERT_EQ(holder.count(id), 0u) << "source " << id << " claimed while node " << holder[id] << " crawls it";
        if (auto o = orphaned.find(id); o != orphaned.end()) {
          EXPECT_EQ(c.previous_owner, "c");
          EXPECT_GE(t, o->second);
          EXPECT_LT(t - o->second, tick);
          orphaned.erase(o);
          ++taken_over;
        } else {
          EXPECT_EQ(c.previous_owner, "") << "source " << id;
          if (last_succeeded.count(id)) {
            const double ratio = std::chrono::duration<double>(t - last_start[id]) /
                                 std::chrono::duration<double>(interval_of(id));
            EXPECT_NEAR(ratio, 1.0, 0.10) << "source " << id;
            ++intervals;
          }
        }
        last_start[id] = t;
        ++runs[id];
        holder[id] = n;
        running.push_back({c, n, t + seconds(std::uniform_int_distribution<int>(5, 60)(rng))});
      }
    }
  }
  ASSERT_TRUE(dead);
  EXPECT_GT(taken_over, 0);
  EXPECT_TRUE(orphaned.empty());
  EXPECT_GT(intervals, 500);
  for (std::int64_t id = 1; id <= kSources; ++id) {
    if (id % 17 == 0) {
      // Backoff: failures 1, 2, 4, ... 64 min apart fit at most 8 tries in 3 h.
      EXPECT_LE(runs[id], 8) << "source " << id;
      EXPECT_GE(runs[id], 5) << "source " << id;
    } else {
      // Due first within one interval, then every interval.
      EXPECT_GE(runs[id], 3 * 60 / static_cast<int>(interval_of(id) / minutes(1)) - 1) << "source " << id;
    }
  }
  // The dead node's old claims are fenced off.
  for (const Claim& c : dead_claims) EXPECT_FALSE(Must(nodes[2]->q().Release(c, work::Outcome::kSuccess)));
}

}  // namespace
}  // namespace jobtrawl::storage::pg

namespace jobtrawl::storage::pg {
namespace {

TEST_F(WorkQueueTest, AClaimAndAHeartbeatAfterTheSessionWasTerminatedSucceed) {
  // Issue 15 review: the queue's connection never reconnected, so a node
  // whose session the server ended stopped claiming and heartbeating.
  Node node(url_, "a");
  AddDue(node, 2, minutes(10), kT0);
  Connection admin = Connect(url_);
  auto ended = Must(admin.Exec("SELECT pg_terminate_backend($1::int, 120000)",
                               {Value{std::int64_t{node.connection.BackendPid()}}}));
  ASSERT_EQ(ended.Int64(0, 0), 1);
  auto claims = node.q().ClaimDue(1);
  ASSERT_TRUE(claims) << claims.error().message;
  EXPECT_EQ(claims->size(), 1u);
  EXPECT_EQ(node.connection.reconnects(), 1);
  EXPECT_EQ(Must(node.q().Heartbeat()), 1);
  // The session's timeouts came back with it.
  auto timeouts = Must(node.connection.Exec("SELECT current_setting('lock_timeout')"));
  EXPECT_EQ(timeouts.Text(0, 0), "5s");
}

TEST_F(WorkQueueTest, AHeartbeatOrReservationBehindAnotherSessionsLockFailsTransientlyWithinTheTimeout) {
  // Issue 15 review: no lock_timeout, so a heartbeat stuck behind a lock
  // hung the node (and its leases expired while it still crawled).
  Connection c = Connect(url_);
  WorkQueueOptions o;
  o.node = "a";
  o.lock_timeout = milliseconds(100);
  WorkQueue q = Must(WorkQueue::Open(c, std::move(o)));
  Must(q.Register());
  ASSERT_TRUE(Must(q.ReserveHost("h.example", 1, seconds(1), minutes(1))));
  Connection holder = Connect(url_);
  auto held = Must(Transaction::Begin(holder));
  Must(holder.Exec("SELECT 1 FROM nodes WHERE name = 'a' FOR UPDATE"));
  Must(holder.Exec("SELECT 1 FROM host_budgets WHERE host = 'h.example' FOR UPDATE"));
  auto beat = q.Heartbeat();
  ASSERT_FALSE(beat);
  EXPECT_EQ(beat.error().sqlstate, "55P03") << beat.error().message;
  EXPECT_TRUE(beat.error().transient);
  auto reserved = q.ReserveHost("h.example", 1, seconds(1), minutes(1));
  ASSERT_FALSE(reserved);
  EXPECT_TRUE(reserved.error().transient);
  Must(held.Commit());
  EXPECT_TRUE(q.Heartbeat()) << "usable once the lock is gone";
}

}  // namespace
}  // namespace jobtrawl::storage::pg
