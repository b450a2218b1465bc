// A fleet node's writes (issue 15 part 2): the StoreWriter checks the
// run's claim on the shared schedule (kFleetLeaseCheck) first in every
// transaction that writes for it, on a real PostgreSQL server. A claim
// that lost its lease writes nothing and its crawl is told to stop.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "app/store_writer.h"
#include "storage/dedup.h"
#include "storage/pg/connection.h"
#include "storage/pg/sql_pg.h"
#include "storage/pg/work_queue.h"
#include "storage/store.h"
#include "support/pg_server.h"

namespace jobtrawl::app {
namespace {

namespace pg = storage::pg;
using jobtrawl::testing::PgTest;
using std::chrono::hours;

template <typename T>
T Must(std::expected<T, pg::Error> r) {
  if (!r) throw std::runtime_error(r.error().sqlstate + " " + r.error().message);
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

Posting Job(const std::string& id) {
  Posting p;
  p.url = "https://board.example/jobs/" + id;
  p.title = "Job " + id;
  p.external_id = id;
  return p;
}

class FleetWriterTest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // The store brings the database to the latest schema, fleet tables included.
    auto store = storage::PostingStore::Open(url_);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    auto id = (*store)->EnsureSource("board", "html", "2026-01-01T00:00:00Z");
    ASSERT_TRUE(id.has_value()) << id.error().message;
    source_id_ = *id;
    store_ = std::move(*store);
    connection_.emplace(Must(pg::Connection::Open(url_)));
    queue_.emplace(Must(pg::WorkQueue::Open(*connection_, pg::WorkQueueOptions{.node = "node-a"})));
    Must(queue_->Register());
    const pg::ScheduledSource s[] = {{source_id_, hours(1)}};
    Must(queue_->AddSources(s));
    Must(connection_->Exec("UPDATE source_schedule SET next_run_at = now() - interval '1 minute'"));
    auto claims = Must(queue_->ClaimDue(1));
    ASSERT_EQ(claims.size(), 1u);
    claim_ = claims.front();
  }

  std::int64_t Count(const std::string& sql) {
    auto r = Must(connection_->Exec(sql));
    return r.Int64(0, 0).value_or(-1);
  }

  // Opens a run under `lease`, upserts two postings and finishes it.
  std::expected<storage::RunRecord, std::string> Crawl(StoreWriter& writer,
                                                       StoreWriter::FleetLease lease) {
    std::promise<std::expected<StoreWriter::RunStart, StoreWriter::Refusal>> opened;
    writer.OpenRun({"board", "html", lease}, [&](auto r) { opened.set_value(std::move(r)); });
    auto start = opened.get_future().get();
    if (!start) return std::unexpected(start.error().message);
    return Finish(writer, start->run);
  }

  storage::RunRecord Finish(StoreWriter& writer, StoreWriter::RunId run) {
    writer.Upsert(run, {Job("1"), Job("2")});
    std::promise<storage::RunRecord> done;
    writer.FinishRun(run, storage::RunRecord{.status = "ok"}, CloseRule{},
                     [&](const storage::RunRecord& r) { done.set_value(r); });
    return done.get_future().get();
  }

  std::unique_ptr<StoreWriter> MakeWriter(std::promise<StoreWriter::RunId>* lost = nullptr) {
    StoreWriter::Options o;
    o.lease_holder = "test";
    if (lost != nullptr) {
      o.lease_lost = [lost](StoreWriter::RunId run, const std::string&) { lost->set_value(run); };
    }
    return std::make_unique<StoreWriter>(std::move(store_), std::move(o), [] { return Clock::now(); });
  }

  std::int64_t source_id_ = 0;
  std::unique_ptr<storage::PostingStore> store_;
  std::optional<pg::Connection> connection_;
  std::optional<pg::WorkQueue> queue_;
  pg::Claim claim_;
};

TEST_F(FleetWriterTest, AClaimThatHoldsItsLeaseWrites) {
  auto writer = MakeWriter();
  auto r = Crawl(*writer, {"node-a", claim_.token});
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_EQ(r->status, "ok");
  EXPECT_EQ(r->counts.new_postings, 2);
  writer.reset();
  EXPECT_EQ(Count("SELECT count(*) FROM postings"), 2);
  // The fleet lease is the run's lease: source_leases is not used.
  EXPECT_EQ(Count("SELECT count(*) FROM source_leases"), 0);
}

TEST_F(FleetWriterTest, AClaimWithoutItsLeaseCannotOpenARun) {
  ASSERT_EQ(Must(queue_->Drain()), 1);  // the lease is released
  auto writer = MakeWriter();
  auto r = Crawl(*writer, {"node-a", claim_.token});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().find("fleet lease"), std::string::npos) << r.error();
  writer.reset();
  EXPECT_EQ(Count("SELECT count(*) FROM crawl_runs"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM postings"), 0);
}

TEST_F(FleetWriterTest, ALeaseLostMidRunWritesNothingAndStopsTheCrawl) {
  std::promise<StoreWriter::RunId> lost;
  auto writer = MakeWriter(&lost);
  std::promise<std::expected<StoreWriter::RunStart, StoreWriter::Refusal>> opened;
  writer->OpenRun({"board", "html", StoreWriter::FleetLease{"node-a", claim_.token}},
                  [&](auto r) { opened.set_value(std::move(r)); });
  auto start = opened.get_future().get();
  ASSERT_TRUE(start.has_value()) << start.error().message;

  // Another node takes the source over (this node's lease was drained and
  // claimed again: a new token), before any posting is written.
  ASSERT_EQ(Must(queue_->Drain()), 1);
  pg::Connection other_connection = Must(pg::Connection::Open(url_));
  auto other = Must(pg::WorkQueue::Open(other_connection, pg::WorkQueueOptions{.node = "node-b"}));
  Must(other.Register());
  auto taken = Must(other.ClaimDue(1));
  ASSERT_EQ(taken.size(), 1u);

  const storage::RunRecord r = Finish(*writer, start->run);
  EXPECT_EQ(lost.get_future().get(), start->run);
  EXPECT_EQ(r.status, "failed");
  EXPECT_EQ(r.counts.new_postings, 0);
  writer.reset();
  EXPECT_EQ(Count("SELECT count(*) FROM postings"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM listings"), 0);
  // The new holder's claim is untouched.
  EXPECT_EQ(Count("SELECT count(*) FROM source_schedule WHERE lease_owner = 'node-b'"), 1);
}

TEST_F(FleetWriterTest, AStaleTokenOfTheSameNodeWritesNothing) {
  // The same node claims the source again (after a drain): the first
  // claim's token no longer holds the lease, though the owner is the same.
  ASSERT_EQ(Must(queue_->Drain()), 1);
  Must(queue_->Register());
  auto again = Must(queue_->ClaimDue(1));
  ASSERT_EQ(again.size(), 1u);
  ASSERT_NE(again.front().token, claim_.token);
  auto writer = MakeWriter();
  auto r = Crawl(*writer, {"node-a", claim_.token});
  EXPECT_FALSE(r.has_value());
  writer.reset();
  EXPECT_EQ(Count("SELECT count(*) FROM postings"), 0);
}

// Two nodes store new listings at the same time: each gets ids of its own
// (a max(id) + 1 of each would be the same id, and the second commit would
// fail on listings' primary key: a listing lost; found by the fleet test).
TEST_F(FleetWriterTest, TwoNodesStoringNewListingsAtOnceBothCommit) {
  auto other = storage::PostingStore::Open(url_);
  ASSERT_TRUE(other.has_value()) << other.error().message;
  auto other_source = (*other)->EnsureSource("other board", "html", "2026-01-01T00:00:00Z");
  ASSERT_TRUE(other_source.has_value());

  ASSERT_TRUE(store_->Begin().has_value());
  const std::vector<Posting> mine = {Job("a1")};
  const std::vector<Posting> theirs = {Job("b1")};
  auto a = store_->Upsert(source_id_, mine, "2026-01-01T00:00:00Z");
  ASSERT_TRUE(a.has_value()) << a.error().message;
  // The other node's insert runs while this transaction is open (it may
  // wait for it: run it on a thread of its own).
  auto b = std::async(std::launch::async, [&]() -> std::optional<std::string> {
    if (auto began = (*other)->Begin(); !began) return began.error().message;
    auto r = (*other)->Upsert(*other_source, theirs, "2026-01-01T00:00:00Z");
    if (!r) {
      (*other)->Rollback();
      return r.error().message;
    }
    if (auto c = (*other)->Commit(); !c) return c.error().message;
    return std::nullopt;
  });
  // Commit once the other node is done, or waits on this transaction's
  // lock (what max(id) + 1 made it do: then it failed after this commit).
  while (b.wait_for(std::chrono::milliseconds(10)) != std::future_status::ready &&
         Count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") == 0) {
  }
  ASSERT_TRUE(store_->Commit().has_value());
  EXPECT_EQ(b.get(), std::nullopt);
  EXPECT_EQ(Count("SELECT count(*) FROM listings"), 2);
  EXPECT_EQ(Count("SELECT count(DISTINCT id) FROM listings"), 2);
}


// A listing of Acme with title family `family` and `description`.
Posting AcmeListing(const std::string& id, const std::string& family, const std::string& description) {
  Posting p = Job(id);
  p.company = "Acme";
  p.company_key = "acme";
  p.title = family;
  p.title_family = family;
  p.description = description;
  return p;
}

// The postings as their listings group them ("source/key ..." per posting,
// sorted) and the titles they show: what a single writer's database holds
// is compared with this.
std::string Grouping(pg::Connection& c) {
  auto r = Must(c.Exec(
      "SELECT string_agg(s.name || '/' || l.key, ' ' ORDER BY s.name, l.key) || ': ' || min(p.title) FROM listings l "
      "JOIN sources s ON s.id = l.source_id JOIN postings p ON p.id = l.posting_id GROUP BY l.posting_id ORDER BY 1"));
  std::string out;
  for (int i = 0; i < r.Rows(); ++i) out += r.Text(i, 0).value_or("NULL") + " | ";
  return out;
}

TEST_F(FleetWriterTest, ABatchThatFailedOnAGroupLockWaitsForItWhenTriedAgain) {
  // Issue 15 (nolose), fault 1: a listing whose title family changes is
  // regrouped in its old dedup group too, whose lock it asks for after the
  // new group's; a lock below one held is only tried. While another writer
  // held the old group, every retry failed the same way, and the batch was
  // lost once the retry budget was spent. Tried again, the batch now takes
  // every lock it asked for first, in order, waiting for them.
  std::string low = "software engineer", high = "product designer";
  auto key = [](const std::string& family) {
    return storage::internal::GroupLockKey(storage::internal::FeaturesOf(AcmeListing("x", family, "x")));
  };
  ASSERT_NE(key(low), key(high));
  if (key(low) > key(high)) std::swap(low, high);
  auto other_id = store_->EnsureSource("other", "html", "2026-01-01T00:00:00Z");
  ASSERT_TRUE(other_id.has_value()) << other_id.error().message;
  // Descriptions far apart: the other writer's listing is a job of its own
  // (its writes touch no row this writer's need).
  const std::string compilers =
      "Build compilers and static analysers for embedded targets with modern toolchains, "
      "profilers, register allocators and link-time optimisation in a small systems team.";
  const Posting earlier = AcmeListing("k", low, compilers);
  const Posting theirs = AcmeListing(
      "b", low,
      "Plant orchards, prune fruit trees and run irrigation across rural estates; drive a tractor, "
      "keep bees, sell apples at weekend markets and mend fences after winter storms.");
  const Posting now_high = AcmeListing("k", high, compilers);
  ASSERT_TRUE(store_->Upsert(source_id_, std::vector{earlier}, "2026-01-01T00:00:00Z").has_value());

  // Another writer stores a listing of the low group and holds the group's
  // lock until it commits.
  auto blocker = storage::PostingStore::Open(url_);
  ASSERT_TRUE(blocker.has_value()) << blocker.error().message;
  ASSERT_TRUE((*blocker)->Begin().has_value());
  ASSERT_TRUE((*blocker)->Upsert(*other_id, std::vector{theirs}, "2026-01-01T00:01:00Z").has_value());

  StoreWriter::Options o;
  o.lease_holder = "test";
  o.retry_budget = std::chrono::milliseconds(100);
  auto writer = std::make_unique<StoreWriter>(std::move(store_), std::move(o), [] { return Clock::now(); });
  std::promise<std::expected<StoreWriter::RunStart, StoreWriter::Refusal>> opened;
  writer->OpenRun({"board", "html"}, [&](auto r) { opened.set_value(std::move(r)); });
  auto start = opened.get_future().get();
  ASSERT_TRUE(start.has_value()) << start.error().message;
  writer->Upsert(start->run, {now_high});
  std::promise<storage::RunRecord> done;
  writer->FinishRun(start->run, storage::RunRecord{.status = "ok"}, CloseRule{},
                    [&](const storage::RunRecord& r) { done.set_value(r); });
  auto finished = done.get_future();
  // The other writer commits once this one waits for its group (or this
  // one has finished without waiting: lost, before the fix).
  const auto cap = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (finished.wait_for(std::chrono::milliseconds(10)) != std::future_status::ready &&
         Count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") == 0 &&
         std::chrono::steady_clock::now() < cap) {
  }
  ASSERT_TRUE((*blocker)->Commit().has_value());
  const storage::RunRecord r = finished.get();
  EXPECT_EQ(r.status, "ok") << r.message;
  EXPECT_EQ(r.counts.updated, 1);
  EXPECT_EQ(writer->write_errors(), 0);
  writer.reset();

  // What one writer storing the same listings one after another gives.
  const std::string single_url = jobtrawl::testing::SharedPgServer().CreateDatabase();
  ASSERT_FALSE(single_url.empty());
  {
    auto single = storage::PostingStore::Open(single_url);
    ASSERT_TRUE(single.has_value()) << single.error().message;
    auto board = (*single)->EnsureSource("board", "html", "2026-01-01T00:00:00Z");
    auto other = (*single)->EnsureSource("other", "html", "2026-01-01T00:00:00Z");
    ASSERT_TRUE(board && other);
    ASSERT_TRUE((*single)->Upsert(*board, std::vector{earlier}, "2026-01-01T00:00:00Z").has_value());
    ASSERT_TRUE((*single)->Upsert(*other, std::vector{theirs}, "2026-01-01T00:01:00Z").has_value());
    ASSERT_TRUE((*single)->Upsert(*board, std::vector{now_high}, "2026-01-01T00:02:00Z").has_value());
  }
  pg::Connection single_connection = Must(pg::Connection::Open(single_url));
  EXPECT_EQ(Grouping(*connection_), Grouping(single_connection));
  EXPECT_EQ(Count("SELECT count(*) FROM listings"), 2);
}

// The writer's events as it reports them (Options::availability).
struct Availability {
  std::mutex mu;
  std::condition_variable changed;
  std::vector<bool> events;  // true: became unavailable; false: back

  void Add(bool unavailable) {
    std::lock_guard lock(mu);
    events.push_back(unavailable);
    changed.notify_all();
  }
  // Waits until the writer said the database is unavailable, or `done`
  // is ready (capped); true when it said so.
  template <typename F>
  bool AwaitUnavailable(std::future<F>& done) {
    const auto cap = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::unique_lock lock(mu);
    while (std::find(events.begin(), events.end(), true) == events.end()) {
      if (std::chrono::steady_clock::now() >= cap) return false;
      lock.unlock();
      if (done.wait_for(std::chrono::milliseconds(0)) == std::future_status::ready) return false;
      lock.lock();
      changed.wait_for(lock, std::chrono::milliseconds(10));
    }
    return true;
  }
};

TEST_F(FleetWriterTest, ABatchWhoseCommitOutcomeIsUnknownIsNotWrittenAgain) {
  // Issue 15 (review of nolose): a batch whose COMMIT reply was lost, and
  // whose outcome the server could then not tell (SQLSTATE 08007,
  // pg::Connection::Commit), may be stored. Written again job by job, its
  // postings counted unchanged, its error twice, and its run finished
  // "failed" for the lease its first commit released. Its jobs are
  // reported failed with the "outcome is unknown" message instead.
  storage::StoreOptions so;
  so.pg_reconnect_backoff_min = std::chrono::milliseconds(1);
  so.pg_reconnect_backoff_max = std::chrono::milliseconds(20);
  auto store = storage::PostingStore::Open(url_, so);
  ASSERT_TRUE(store.has_value()) << store.error().message;
  pg::Connection* session = pg::Underlying((*store)->connection());
  ASSERT_NE(session, nullptr);
  // The batch that finishes the run: the server commits it, its reply is
  // lost, and the new session that would ask pg_xact_status is refused
  // (the database takes none, below).
  std::atomic<bool> finishing = false, lost = false;
  (*store)->SetFaultHook([&](std::string_view call) -> std::optional<int> {
    if (call == "finish run") finishing = true;
    if (call == "commit" && finishing && !lost.exchange(true)) session->LoseNextCommitReplyForTesting();
    return std::nullopt;
  });
  Availability availability;
  StoreWriter::Options o;
  o.lease_holder = "test";
  o.availability = [&](bool unavailable, const std::string&) { availability.Add(unavailable); };
  // Declared before the writer, which may still call back into them as a
  // failed assertion returns.
  std::promise<storage::RunRecord> done;
  std::promise<std::expected<StoreWriter::RunStart, StoreWriter::Refusal>> opened;
  auto writer = std::make_unique<StoreWriter>(std::move(*store), std::move(o), [] { return Clock::now(); });
  const std::string database = Must(connection_->Exec("SELECT current_database()")).Text(0, 0).value_or("");
  ASSERT_FALSE(database.empty());
  // Sessions open now (the writer's, this test's) stay; no new one is let
  // in. (A database cannot close itself to sessions: from another one.)
  pg::Connection admin = Must(pg::Connection::Open(jobtrawl::testing::SharedPgServer().Url("postgres")));
  Must(admin.Exec("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS false"));
  writer->OpenRun({"board", "html"}, [&](auto r) {
    if (r) {
      // Queued from the writer thread, after the run's own commit: one batch.
      writer->Upsert(r->run, {Job("1"), Job("2")});
      writer->RecordError(r->run, {"https://board.example/jobs/3", "http", 500, "", 1});
      writer->FinishRun(r->run, storage::RunRecord{.status = "ok"}, CloseRule{},
                        [&](const storage::RunRecord& record) { done.set_value(record); });
    }
    opened.set_value(std::move(r));
  });
  auto start = opened.get_future().get();
  ASSERT_TRUE(start.has_value()) << start.error().message;
  auto finished = done.get_future();
  // Written again, the batch would wait for a session (an outage): let
  // one in then, so that it goes on.
  const bool tried_again = availability.AwaitUnavailable(finished);
  Must(admin.Exec("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS true"));
  ASSERT_EQ(finished.wait_for(std::chrono::seconds(120)), std::future_status::ready);
  const storage::RunRecord r = finished.get();
  EXPECT_TRUE(lost.load());
  EXPECT_FALSE(tried_again) << "the batch was written again";
  EXPECT_EQ(r.status, "failed");
  EXPECT_NE(r.message.find("outcome is unknown"), std::string::npos) << r.message;
  EXPECT_EQ(writer->write_errors(), 3);
  writer.reset();
  // What the lost reply's COMMIT stored, once.
  EXPECT_EQ(Count("SELECT count(*) FROM listings"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM crawl_errors"), 1);
  auto run = Must(connection_->Exec("SELECT status || ' ' || new_postings FROM crawl_runs"));
  ASSERT_EQ(run.Rows(), 1);
  EXPECT_EQ(run.Text(0, 0), "ok 2");
}

// A clock for the retry budget that moves `step` hours at each reading and
// counts its readings.
struct StepClock {
  std::atomic<int> step{1};
  std::atomic<int> elapsed{0};  // hours
  std::mutex mu;
  std::condition_variable was_read;
  int readings = 0;  // guarded by mu

  std::chrono::steady_clock::time_point Now() {
    {
      std::lock_guard lock(mu);
      ++readings;
    }
    was_read.notify_all();
    return std::chrono::steady_clock::time_point{} + std::chrono::hours(elapsed += step);
  }
  int Readings() {
    std::lock_guard lock(mu);
    return readings;
  }
  // Waits until it was read after `after` readings, or `done` is ready
  // (capped); true when it was read.
  template <typename F>
  bool AwaitReadingAfter(int after, std::future<F>& done) {
    const auto cap = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::unique_lock lock(mu);
    while (readings <= after) {
      if (std::chrono::steady_clock::now() >= cap) return false;
      lock.unlock();
      if (done.wait_for(std::chrono::milliseconds(0)) == std::future_status::ready) return false;
      lock.lock();
      was_read.wait_for(lock, std::chrono::milliseconds(10));
    }
    return true;
  }
};

// A writer on its own server, which the tests stop and start again (issue
// 15, nolose fault 2). The retry budget is measured on a clock that moves
// an hour at each reading (clock_->step): any outage lasts longer than the
// budget. Store calls are counted by name (Calls).
class FleetWriterOutageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    JOBTRAWL_REQUIRE_SERVER(server_);
    url_ = server_.CreateDatabase();
    ASSERT_FALSE(url_.empty());
    storage::StoreOptions so;
    so.pg_reconnect_backoff_min = std::chrono::milliseconds(1);
    so.pg_reconnect_backoff_max = std::chrono::milliseconds(20);
    auto store = storage::PostingStore::Open(url_, so);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    (*store)->SetFaultHook([calls = calls_](std::string_view call) -> std::optional<int> {
      std::lock_guard lock(calls->mu);
      ++calls->by_name[std::string(call)];
      return std::nullopt;
    });
    StoreWriter::Options o;
    o.lease_holder = "test";
    o.retry_budget = retry_budget_;
    o.clock = [clock = clock_] { return clock->Now(); };
    o.availability = [this](bool unavailable, const std::string&) { availability_.Add(unavailable); };
    writer_ = std::make_unique<StoreWriter>(std::move(*store), std::move(o), [] { return Clock::now(); });
    std::promise<std::expected<StoreWriter::RunStart, StoreWriter::Refusal>> opened;
    writer_->OpenRun({"board", "html"}, [&](auto r) { opened.set_value(std::move(r)); });
    auto start = opened.get_future().get();
    ASSERT_TRUE(start.has_value()) << start.error().message;
    run_ = start->run;
    // The test server commits asynchronously: a checkpoint makes what is
    // committed so far outlive the immediate shutdown below.
    pg::Connection c = Must(pg::Connection::Open(url_));
    Must(c.Exec("CHECKPOINT"));
  }

  // Stores 3 postings in two batches and finishes the run while the server
  // is down; `finished` gets the run's record.
  void WriteDuringOutage() {
    server_.Kill();
    writer_->Upsert(run_, {Job("1"), Job("2")});
    writer_->Upsert(run_, {Job("3")});
    writer_->FinishRun(run_, storage::RunRecord{.status = "ok"}, CloseRule{},
                       [this](const storage::RunRecord& r) { done_.set_value(r); });
  }

  int Calls(const std::string& name) {
    std::lock_guard lock(calls_->mu);
    return calls_->by_name[name];
  }

  struct CallCounts {
    std::mutex mu;
    std::map<std::string, int> by_name;
  };
  std::shared_ptr<CallCounts> calls_ = std::make_shared<CallCounts>();
  std::shared_ptr<StepClock> clock_ = std::make_shared<StepClock>();
  std::chrono::milliseconds retry_budget_{1000};
  jobtrawl::testing::PgServer server_;
  std::string url_;
  Availability availability_;
  std::unique_ptr<StoreWriter> writer_;
  StoreWriter::RunId run_ = 0;
  std::promise<storage::RunRecord> done_;
};

TEST_F(FleetWriterOutageTest, WritesHeldThroughAnOutageLongerThanTheBudgetAreStoredOnce) {
  // A server that is down for longer than the writer's retry budget: the
  // writer holds its batches until the server is back, then stores each
  // once (they were lost once the budget was spent).
  auto finished = done_.get_future();
  WriteDuringOutage();
  const bool held = availability_.AwaitUnavailable(finished);
  ASSERT_TRUE(server_.Start()) << server_.why();
  ASSERT_TRUE(held) << "the writer did not hold its writes for the outage";
  ASSERT_EQ(finished.wait_for(std::chrono::seconds(120)), std::future_status::ready);
  const storage::RunRecord r = finished.get();
  EXPECT_EQ(r.status, "ok") << r.message;
  EXPECT_EQ(r.counts.new_postings, 3);
  EXPECT_EQ(writer_->write_errors(), 0);
  writer_.reset();
  EXPECT_EQ(availability_.events, (std::vector<bool>{true, false}));  // once per outage
  pg::Connection c = Must(pg::Connection::Open(url_));
  EXPECT_EQ(Must(c.Exec("SELECT count(*) FROM listings")).Int64(0, 0), 3);
  EXPECT_EQ(Must(c.Exec("SELECT count(*) FROM postings")).Int64(0, 0), 3);
  EXPECT_EQ(Must(c.Exec("SELECT status FROM crawl_runs")).Text(0, 0), "ok");
}

TEST_F(FleetWriterOutageTest, StoppingDuringAnOutageEndsAtOnceAndLogsTheHeldWritesLost) {
  // SIGTERM during an outage: the writer does not wait for the server (the
  // crawl threads waiting on its full queue would never end); the writes
  // it held are counted lost, in the run's record and in one log line.
  auto finished = done_.get_future();
  WriteDuringOutage();
  ASSERT_TRUE(availability_.AwaitUnavailable(finished));
  ::testing::internal::CaptureStderr();
  // What the daemon does after its drain; then the writer ends, the
  // server still down.
  writer_->StopWaitingForDatabase();
  const bool ended = finished.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
  writer_.reset();
  const std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(ended);
  const storage::RunRecord r = finished.get();
  EXPECT_EQ(r.status, "failed");
  EXPECT_NE(r.message.find("unavailable"), std::string::npos) << r.message;
  EXPECT_NE(log.find("3 writes held during the outage were not stored and are lost"), std::string::npos) << log;
  EXPECT_EQ(log.find("database write failed"), std::string::npos) << log;  // one line, not one per write
}

// The same writer with a long retry budget: the server's restart fits in it.
class FleetWriterStopBudgetTest : public FleetWriterOutageTest {
 protected:
  FleetWriterStopBudgetTest() { retry_budget_ = std::chrono::minutes(10); }
};

TEST_F(FleetWriterStopBudgetTest, StoppingTriesTheHeldWritesAgainWithinTheBudget) {
  // Issue 15 (review of nolose): a stopping writer (its destructor: the end
  // of a crawl or of the daemon) gave up at once on an unreachable
  // database, so a blip as it stopped lost what it held. Stopping, an
  // unreachable database is a transient failure like any other, tried
  // again within one whole retry budget counted from the stop: back within
  // it, everything is stored. The outage before the stop outlasts the
  // batch's own budget (the clock moves an hour at each reading), as a
  // real one would; the clock stands still from the stop on.
  auto finished = done_.get_future();
  WriteDuringOutage();
  ASSERT_TRUE(availability_.AwaitUnavailable(finished));
  // Held, the writer spends no budget and reads no clock; stopping, it
  // checks its budget after each failed attempt.
  clock_->step = 0;
  const int readings = clock_->Readings();
  auto stopped = std::async(std::launch::async, [this] { writer_.reset(); });
  const bool tried_while_stopping = clock_->AwaitReadingAfter(readings, finished);
  ASSERT_TRUE(server_.Start()) << server_.why();
  ASSERT_EQ(stopped.wait_for(std::chrono::seconds(120)), std::future_status::ready);
  EXPECT_TRUE(tried_while_stopping);
  ASSERT_EQ(finished.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  const storage::RunRecord r = finished.get();
  EXPECT_EQ(r.status, "ok") << r.message;
  EXPECT_EQ(r.counts.new_postings, 3);
  pg::Connection c = Must(pg::Connection::Open(url_));
  EXPECT_EQ(Must(c.Exec("SELECT count(*) FROM listings")).Int64(0, 0), 3);
  EXPECT_EQ(Must(c.Exec("SELECT status FROM crawl_runs")).Text(0, 0), "ok");
}

TEST_F(FleetWriterOutageTest, StoppingGivesUpEverythingQueuedAfterOneBudget) {
  // Issue 15 (review of nolose): stopping, with the database unreachable
  // for a whole retry budget (one clock reading here), the writes still
  // queued are given up at once and said lost in one line: no further
  // attempt, neither job by job nor for the batches behind, each of which
  // would wait a budget of its own and log its own failure.
  auto finished = done_.get_future();
  WriteDuringOutage();
  ASSERT_TRUE(availability_.AwaitUnavailable(finished));
  ::testing::internal::CaptureStderr();
  writer_.reset();  // stopping, without StopWaitingForDatabase
  const std::string log = ::testing::internal::GetCapturedStderr();
  // No attempt job by job or per batch after the budget: each would log
  // its own "database write failed" line (checked below). Held attempts
  // go on every 20 ms until the stop, so their number is not checked.
  ASSERT_EQ(finished.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  const storage::RunRecord r = finished.get();
  EXPECT_EQ(r.status, "failed");
  EXPECT_NE(r.message.find("unavailable"), std::string::npos) << r.message;
  EXPECT_NE(log.find("3 writes held during the outage were not stored and are lost"), std::string::npos) << log;
  EXPECT_EQ(log.find("database write failed"), std::string::npos) << log;
}

}  // namespace
}  // namespace jobtrawl::app
