// A fleet node's writes (issue 15 part 2): the StoreWriter checks the
// run's claim on the shared schedule (kFleetLeaseCheck) first in every
// transaction that writes for it, on a real PostgreSQL server. A claim
// that lost its lease writes nothing and its crawl is told to stop.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <optional>
#include <vector>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "app/store_writer.h"
#include "storage/pg/connection.h"
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

}  // namespace
}  // namespace jobtrawl::app
