// The writer thread: group commit, retries, bounds, leases and the state it
// keeps, against a real database file with faults injected into the store
// (storage::PostingStore::SetFaultHook, leveldb's ErrorEnv).
#include "app/store_writer.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>

#include "support/sqlite_query.h"

namespace jobtrawl::app {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

Posting Job(const std::string& id) {
  Posting p;
  p.url = "https://board.example/jobs/" + id;
  p.title = "Job " + id;
  p.external_id = id;
  return p;
}

// Counts the store's calls and fails those `fail` picks with its code.
class Faults {
 public:
  using Rule = std::function<std::optional<int>(std::string_view call, int nth)>;
  void Set(Rule rule) {
    std::lock_guard lock(mu_);
    rule_ = std::move(rule);
  }
  int Calls(const std::string& call) {
    std::lock_guard lock(mu_);
    return calls_[call];
  }
  storage::PostingStore::FaultHook Hook() {
    return [this](std::string_view call) -> std::optional<int> {
      Rule rule;
      int nth = 0;
      {
        std::lock_guard lock(mu_);
        nth = ++calls_[std::string(call)];
        rule = rule_;
      }
      return rule ? rule(call, nth) : std::nullopt;
    };
  }

 private:
  std::mutex mu_;
  Rule rule_;
  std::map<std::string, int> calls_;
};

class StoreWriterTest : public ::testing::Test {
 protected:
  StoreWriterTest() {
    dir_ = std::filesystem::temp_directory_path() /
           ("jobtrawl-writer-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~StoreWriterTest() override {
    writer_.reset();
    std::filesystem::remove_all(dir_);
  }

  StoreWriter& Writer(StoreWriter::Options options = {}) {
    auto store = storage::PostingStore::Open(dir_ / "jobs.db");
    EXPECT_TRUE(store.has_value());
    (*store)->SetFaultHook(faults_.Hook());
    if (options.lease_holder.empty()) options.lease_holder = "crawl test:1";
    options.retry_base = 1ms;
    writer_ = std::make_unique<StoreWriter>(std::move(*store), std::move(options),
                                            [this] { return now_.load(); });
    return *writer_;
  }

  // Opens a run; `then` runs on the writer thread, so what it queues is
  // written together in the next batch.
  StoreWriter::RunStart Open(const std::string& name, const std::string& kind = "html",
                             std::function<void(StoreWriter::RunId)> then = {}) {
    std::promise<std::expected<StoreWriter::RunStart, StoreWriter::Refusal>> opened;
    writer_->OpenRun({name, kind}, [&](auto result) {
      if (result && then) then(result->run);
      opened.set_value(std::move(result));
    });
    auto result = opened.get_future().get();
    EXPECT_TRUE(result.has_value()) << result.error().message;
    return result.value_or(StoreWriter::RunStart{});
  }

  std::expected<StoreWriter::RunStart, StoreWriter::Refusal> TryOpen(const std::string& name) {
    std::promise<std::expected<StoreWriter::RunStart, StoreWriter::Refusal>> opened;
    writer_->OpenRun({name, "html"}, [&](auto result) { opened.set_value(std::move(result)); });
    return opened.get_future().get();
  }

  // A future for the record FinishRun writes.
  std::shared_future<storage::RunRecord> Finish(StoreWriter::RunId run, bool complete = false) {
    auto done = std::make_shared<std::promise<storage::RunRecord>>();
    writer_->FinishRun(run, {.status = "ok"}, {.allowed = complete, .close_after = 72h},
                       [done](const storage::RunRecord& r) { done->set_value(r); });
    return done->get_future().share();
  }

  std::vector<std::string> Column(const std::string& sql) {
    return jobtrawl::testing::QueryColumn(dir_ / "jobs.db", sql);
  }

  // A run whose lease another process takes before its batch of two
  // upserts, a cache row and its finish (3 writes the lease forbids) is
  // written; `commit_fault` fails that batch's first commit, so it is tried
  // again (SQLITE_BUSY) or written job by job (SQLITE_CONSTRAINT). Returns
  // the finished run's record.
  storage::RunRecord FinishAfterLostLeaseAndAFailedCommit(int commit_fault) {
    StoreWriter& writer = Writer();
    std::atomic<bool> failed_once = false;
    faults_.Set([&](std::string_view call, int) -> std::optional<int> {
      if (call == "commit" && faults_.Calls("finish run") > 0 && !failed_once.exchange(true)) return commit_fault;
      return std::nullopt;
    });
    std::shared_future<storage::RunRecord> finished;
    Open("board", "html", [&](StoreWriter::RunId run) {
      // On the writer thread, between its transactions: another process
      // has the lease now, and the jobs below make one batch.
      SQLite::Database other((dir_ / "jobs.db").string(), SQLite::OPEN_READWRITE);
      other.setBusyTimeout(5000);
      other.exec("UPDATE source_leases SET holder = 'daemon elsewhere:7'");
      writer.Upsert(run, {Job("A")});
      writer.Upsert(run, {Job("B")});
      writer.SaveCache(run, "https://board.example/", {.body_hash = "1"});
      finished = Finish(run);
    });
    const storage::RunRecord r = finished.get();
    EXPECT_TRUE(failed_once.load());
    writer_.reset();
    EXPECT_THAT(Column("SELECT count(*) FROM postings"), ElementsAre("0"));
    return r;
  }

  std::filesystem::path dir_;
  Faults faults_;
  std::atomic<Clock::time_point> now_{Clock::from_time_t(1'800'000'000)};
  std::unique_ptr<StoreWriter> writer_;
};

TEST_F(StoreWriterTest, JobFailingAloneAfterAFailedBatchIsCountedOnceAndReported) {
  // Known fault 5: a write that fails on its own is never dropped silently;
  // the run says how many writes were lost and why, counting each once,
  // even when finishing the run itself has to be tried again.
  StoreWriter& writer = Writer();
  std::shared_future<storage::RunRecord> finished;
  // A and B share a batch, then go one by one: B (every 2nd upsert) always
  // fails; the run's final commit is busy once.
  std::atomic<bool> busy_given = false;
  faults_.Set([&](std::string_view call, int nth) -> std::optional<int> {
    if (call == "upsert" && nth % 2 == 0) return SQLITE_CONSTRAINT;
    if (call == "commit" && faults_.Calls("finish run") > 0 && !busy_given.exchange(true)) {
      return SQLITE_BUSY;
    }
    return std::nullopt;
  });
  Open("board", "html", [&](StoreWriter::RunId run) {
    writer.Upsert(run, {Job("A")});
    writer.Upsert(run, {Job("B")});
    finished = Finish(run);
  });
  const storage::RunRecord r = finished.get();
  EXPECT_EQ(r.status, "failed");
  EXPECT_EQ(r.errors, 1);
  EXPECT_THAT(r.message, HasSubstr("1 database writes lost"));
  EXPECT_THAT(r.message, HasSubstr("SQLite code 19"));
  EXPECT_EQ(r.counts.new_postings, 1);
  EXPECT_EQ(writer.write_errors(), 1);
  writer_.reset();
  EXPECT_THAT(Column("SELECT status || ' ' || errors || ' ' || new_postings FROM crawl_runs"),
              ElementsAre("failed 1 1"));
  EXPECT_THAT(Column("SELECT title FROM postings"), ElementsAre("Job A"));
}

TEST_F(StoreWriterTest, TransientFailuresAreRetriedAndLoseNothing) {
  // SQLITE_BUSY, FULL and IOERR are tried again with backoff: a write that
  // succeeds on a later try is stored, and the run is ok.
  StoreWriter& writer = Writer();
  faults_.Set([](std::string_view call, int nth) -> std::optional<int> {
    if (call == "upsert" && nth == 1) return SQLITE_BUSY;
    if (call == "upsert" && nth == 2) return SQLITE_FULL;
    if (call == "upsert" && nth == 3) return SQLITE_IOERR_WRITE;
    return std::nullopt;
  });
  std::shared_future<storage::RunRecord> finished;
  Open("board", "html", [&](StoreWriter::RunId run) {
    writer.Upsert(run, {Job("A"), Job("B")});
    finished = Finish(run);
  });
  const storage::RunRecord r = finished.get();
  EXPECT_EQ(r.status, "ok");
  EXPECT_EQ(r.counts.new_postings, 2);
  EXPECT_EQ(writer.write_errors(), 0);
  EXPECT_EQ(faults_.Calls("upsert"), 4);
}

TEST_F(StoreWriterTest, WritesFailingPastTheRetryBudgetAreReportedAsLost) {
  // A disk that stays full: retries stop at the budget, and the run fails
  // saying how many writes were lost and why.
  StoreWriter& writer = Writer({.retry_budget = 20ms});
  faults_.Set([](std::string_view call, int) -> std::optional<int> {
    return call == "upsert" ? std::optional(SQLITE_FULL) : std::nullopt;
  });
  std::shared_future<storage::RunRecord> finished;
  Open("board", "html", [&](StoreWriter::RunId run) {
    writer.Upsert(run, {Job("A")});
    writer.Upsert(run, {Job("B")});
    finished = Finish(run);
  });
  const storage::RunRecord r = finished.get();
  EXPECT_EQ(r.status, "failed");
  EXPECT_THAT(r.message, HasSubstr("2 database writes lost"));
  EXPECT_THAT(r.message, HasSubstr("SQLite code 13"));
  EXPECT_EQ(r.errors, 2);
}

TEST_F(StoreWriterTest, FullQueueMakesProducersWait) {
  // Back-pressure: with the writer stuck, a producer blocks once the queue
  // holds max_queue_jobs jobs, and goes on when the writer catches up.
  StoreWriter& writer = Writer({.max_queue_jobs = 2});
  const StoreWriter::RunId run = Open("board").run;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> stuck;
  faults_.Set([&](std::string_view call, int nth) -> std::optional<int> {
    if (call == "upsert" && nth == 1) {
      stuck.set_value();
      released.wait();
    }
    return std::nullopt;
  });
  writer.Upsert(run, {Job("1")});
  stuck.get_future().wait();  // the writer holds job 1 and waits
  writer.Upsert(run, {Job("2")});
  writer.Upsert(run, {Job("3")});  // the queue is full now
  std::atomic<bool> returned = false;
  std::thread producer([&] {
    writer.Upsert(run, {Job("4")});
    returned = true;
  });
  // Nothing can wake the producer but the writer: a bounded wait shows it stays put.
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(returned.load());
  release.set_value();
  producer.join();
  EXPECT_TRUE(returned.load());
  EXPECT_EQ(Finish(run).get().counts.new_postings, 4);
}

TEST_F(StoreWriterTest, LongQueueIsCommittedInBoundedBatches) {
  // A batch takes at most max_batch_jobs jobs: five queued upserts are
  // three transactions of at most two.
  StoreWriter& writer = Writer({.max_batch_jobs = 2});
  std::shared_future<storage::RunRecord> finished;
  int commits_before = 0;
  Open("board", "html", [&](StoreWriter::RunId run) {
    commits_before = faults_.Calls("commit");
    for (int i = 0; i < 5; ++i) writer.Upsert(run, {Job(std::to_string(i))});
    finished = Finish(run);
  });
  EXPECT_EQ(finished.get().counts.new_postings, 5);
  // Open's own commit came before; 5 upserts and the finish make 6 jobs.
  EXPECT_EQ(faults_.Calls("commit") - commits_before, 3);
}

TEST_F(StoreWriterTest, LostLeaseStopsWritesAndFailsTheRun) {
  // Known fault 5: another process holds the lease now; this run's writes
  // are not applied, the owner hears of it once, and the run fails.
  std::promise<std::string> lost;
  std::atomic<int> lost_calls = 0;
  StoreWriter& writer = Writer({.lease_lost = [&](StoreWriter::RunId, const std::string& holder) {
    if (lost_calls++ == 0) lost.set_value(holder);
  }});
  const StoreWriter::RunId run = Open("board").run;
  writer.Upsert(run, {Job("A")});
  {
    SQLite::Database other((dir_ / "jobs.db").string(), SQLite::OPEN_READWRITE);
    other.setBusyTimeout(5000);
    // Wait for A to be written, then take the lease as another process would.
    while (other.execAndGet("SELECT count(*) FROM postings").getInt() == 0) std::this_thread::yield();
    other.exec("UPDATE source_leases SET holder = 'daemon elsewhere:7'");
  }
  writer.RenewLease(run);
  writer.Upsert(run, {Job("B")});
  writer.SaveCache(run, "https://board.example/", {.body_hash = "1"});
  EXPECT_EQ(lost.get_future().get(), "daemon elsewhere:7");
  const storage::RunRecord r = Finish(run, true).get();
  EXPECT_EQ(lost_calls.load(), 1);
  EXPECT_EQ(r.status, "failed");
  EXPECT_THAT(r.message, HasSubstr("lost the source's lease to daemon elsewhere:7"));
  EXPECT_THAT(r.message, HasSubstr("2 writes not applied"));
  writer_.reset();
  EXPECT_THAT(Column("SELECT title FROM postings"), ElementsAre("Job A"));
  EXPECT_THAT(Column("SELECT count(*) FROM http_cache"), ElementsAre("0"));
  EXPECT_THAT(Column("SELECT holder FROM source_leases"), ElementsAre("daemon elsewhere:7"));
}

TEST_F(StoreWriterTest, WritesNotAppliedAfterALostLeaseAreCountedOnceWhenTheBatchIsTriedAgain) {
  // Issue 15 leftovers: each retried attempt of a batch counted the writes
  // it skipped for a lost lease again ("6 writes not applied" for 3).
  const storage::RunRecord r = FinishAfterLostLeaseAndAFailedCommit(SQLITE_BUSY);
  EXPECT_EQ(r.status, "failed");
  EXPECT_THAT(r.message, HasSubstr("lost the source's lease to daemon elsewhere:7: stopped, and 3 writes not applied"));
}

TEST_F(StoreWriterTest, WritesNotAppliedAfterALostLeaseAreCountedOnceWhenTheBatchGoesJobByJob) {
  // The same when the failed batch is written one job at a time.
  const storage::RunRecord r = FinishAfterLostLeaseAndAFailedCommit(SQLITE_CONSTRAINT);
  EXPECT_EQ(r.status, "failed");
  EXPECT_THAT(r.message, HasSubstr("lost the source's lease to daemon elsewhere:7: stopped, and 3 writes not applied"));
}

TEST_F(StoreWriterTest, DeadHoldersLeaseIsTakenOverAndItsRunMarked) {
  // Known fault 8: a lease whose holder is a dead process of this machine
  // is taken at once, not after it expires; the run it left "running" is
  // marked interrupted.
  {
    auto store = std::move(*storage::PostingStore::Open(dir_ / "jobs.db"));
    auto id = *store->EnsureSource("board", "html", "t0");
    ASSERT_TRUE(store->BeginRun(id, "2027-01-15T08:00:00Z").has_value());
    ASSERT_FALSE(store->AcquireLease(id, "crawl here:99:5", "2027-01-15T08:00:00Z", "2099-01-01T00:00:00Z")
                     ->has_value());
    ASSERT_FALSE(store->AcquireLease(*store->EnsureSource("other", "html", "t0"), "crawl alive:1:1",
                                     "2027-01-15T08:00:00Z", "2099-01-01T00:00:00Z")
                     ->has_value());
  }
  Writer({.holder_is_dead = [](std::string_view holder) { return holder == "crawl here:99:5"; }});
  StoreWriter::RunStart start = Open("board");
  EXPECT_THAT(start.note, HasSubstr("took over the lease of crawl here:99:5"));
  auto refused = TryOpen("other");
  ASSERT_FALSE(refused.has_value());
  EXPECT_TRUE(refused.error().leased);
  EXPECT_THAT(Finish(start.run).get().message, HasSubstr("took over the lease"));
  writer_.reset();
  EXPECT_THAT(Column("SELECT status || ' ' || coalesce(message, '') FROM crawl_runs ORDER BY id"),
              ElementsAre(HasSubstr("interrupted never finished"), HasSubstr("ok took over")));
}

TEST_F(StoreWriterTest, FinishedRunsAreForgotten) {
  // Known fault 6: the daemon opens runs forever; each one's state is freed
  // when it finishes.
  Writer();
  for (int i = 0; i < 3; ++i) {
    const StoreWriter::RunId run = Open("board").run;
    EXPECT_EQ(writer_->active_runs(), 1u);
    Finish(run).get();
    EXPECT_EQ(writer_->active_runs(), 0u);
  }
}

TEST_F(StoreWriterTest, RunningRunShowsItsProgressBeforeItFinishes) {
  // Issue 13: crawl_runs counters are updated while a run is in progress,
  // not only at its end (a run used to show pages = 0 while running).
  Writer();
  const StoreWriter::RunId run = Open("board").run;
  writer_->Progress(run, {.pages = 3, .bytes = 1200, .errors = 1, .retries = 2});
  writer_->Upsert(run, {Job("a"), Job("b")});
  std::promise<void> written;  // queued after them: called once they are committed
  writer_->ReadNextRun({"board", "html"}, [&](auto) { written.set_value(); });
  written.get_future().wait();
  EXPECT_THAT(Column("SELECT status || ' ' || pages || ' ' || bytes || ' ' || errors || ' ' || "
                     "retries || ' ' || new_postings FROM crawl_runs"),
              ElementsAre("running 3 1200 1 2 2"));
  writer_->Progress(run, {.pages = 5, .bytes = 2000, .errors = 1, .retries = 2});
  storage::RunRecord finished = Finish(run).get();
  // The finished row holds the final record, not a later progress report.
  writer_->Progress(run, {.pages = 99});
  writer_.reset();
  EXPECT_EQ(finished.counts.new_postings, 2);
  EXPECT_THAT(Column("SELECT status || ' ' || pages || ' ' || new_postings FROM crawl_runs"),
              ElementsAre("ok 0 2"));
}

TEST_F(StoreWriterTest, ScheduleKeepsTheSourcesKind) {
  // Known fault 6: storing or reading the daemon's schedule never turns a
  // source's kind into a guessed "html", and reading creates no source.
  Writer();
  Finish(Open("gh", "greenhouse").run).get();
  writer_->SetNextRun({"gh", "greenhouse"}, now_.load() + 1h);
  std::promise<std::optional<Clock::time_point>> read, unknown;
  writer_->ReadNextRun({"gh", "greenhouse"}, [&](auto at) { read.set_value(at); });
  writer_->ReadNextRun({"new", "lever"}, [&](auto at) { unknown.set_value(at); });
  EXPECT_EQ(read.get_future().get(), now_.load() + 1h);
  EXPECT_EQ(unknown.get_future().get(), std::nullopt);
  writer_.reset();
  EXPECT_THAT(Column("SELECT name || ' ' || kind FROM sources"), ElementsAre("gh greenhouse"));
}

TEST_F(StoreWriterTest, CacheRowsUnusedForTheTtlArePrunedAtFinish) {
  // Known fault 6: http_cache rows of pages not fetched for cache_ttl are
  // deleted when a complete crawl finishes; pages still fetched stay.
  Writer({.cache_ttl = 24h * 30});
  const StoreWriter::RunId first = Open("board").run;
  writer_->SaveCache(first, "https://board.example/kept", {.body_hash = "1"});
  writer_->SaveCache(first, "https://board.example/gone", {.body_hash = "2"});
  Finish(first, true).get();
  now_ = now_.load() + 24h * 20;
  const StoreWriter::RunId second = Open("board").run;
  writer_->Touch(second, "https://board.example/kept", {});
  Finish(second, true).get();
  EXPECT_THAT(Column("SELECT url FROM http_cache ORDER BY url"),
              ElementsAre("https://board.example/gone", "https://board.example/kept"));
  now_ = now_.load() + 24h * 20;
  const StoreWriter::RunId third = Open("board").run;
  writer_->Touch(third, "https://board.example/kept", {});
  // An incomplete crawl prunes nothing: it may not have reached every page.
  Finish(third, false).get();
  EXPECT_THAT(Column("SELECT count(*) FROM http_cache"), ElementsAre("2"));
  const StoreWriter::RunId fourth = Open("board").run;
  Finish(fourth, true).get();
  EXPECT_THAT(Column("SELECT url FROM http_cache"), ElementsAre("https://board.example/kept"));
}

}  // namespace
}  // namespace jobtrawl::app
