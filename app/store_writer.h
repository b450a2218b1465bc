// The single writer: owns the PostingStore on a thread of its own and
// commits whatever has queued up in one transaction (group commit), so the
// event loop and parse threads never wait on the disk and a batch is all or
// nothing. Every call is thread-safe; results come back through callbacks
// that run on the writer thread (post them onward).
//
// Bounds: the queue holds at most max_queue_jobs jobs and max_queue_bytes
// (estimated) bytes. Upsert, Touch and SaveCache wait while it is full, so
// the parse pool slows down to the disk's pace (back-pressure); the other
// calls are small and never wait, so the event loop may make them. A batch
// takes at most max_batch_jobs jobs and max_batch_bytes bytes from the
// queue; a longer queue is committed in several transactions.
//
// Failures: a batch whose write fails with a transient error (a busy,
// locked or full database, an I/O error) is tried again after a backoff
// (retry_base, doubling up to 30 s, all retries of a batch within
// retry_budget). On
// PostgreSQL, an attempt that failed on a dedup-group lock it could only
// try is run again with every group lock the failed attempts asked for
// taken first, in order (PostingStore::LockGroups), so each attempt gets
// further than the last instead of failing the same way. A batch that
// still fails is written job by job, each retried the same way, so a bad
// job costs only itself. A job that cannot be written at all is counted
// once in its run's `lost` and makes the run "failed", with a message that
// says how many writes were lost and why; nothing is dropped silently.
//
// Outages: a transient failure after which the store's session is gone
// (PostingStore::Connected() false: the connection was lost and could not
// be reopened, the server is shutting down) spends no retry budget. The writer holds the
// batch and its queue and tries again each time the connection may
// reconnect (PostingStore::ReconnectWait, at least retry_base) until the
// database is back, however long that takes; meanwhile Upsert, Touch and
// SaveCache wait once the queue is full, so crawls slow down rather than
// memory grow. An outage is logged once as it starts and once as it ends,
// and reported through Options::availability. StopWaitingForDatabase ends
// an outage's wait at once. A writer being destroyed (stopping) instead
// treats an unreachable database as any other transient failure, within
// one whole retry budget counted from the stop (an outage's wait spent the
// batch's own); after that budget, everything still queued is
// given up at once. Either way every write not stored is counted lost (in
// its run and write_errors()) and one log line says how many.
//
// A batch whose COMMIT outcome is unknown (PostgreSQL's 08007,
// PostingStore::CommitOutcomeUnknown: it may be stored) is not written
// again job by job: each of its jobs fails with that error.
//
// Leases: before a batch writes for a run, it checks (inside the batch's
// transaction) that this process still holds the run's source lease, and
// RenewLease extends it. A fleet node's run (SourceInfo::fleet) checks its
// claim on the shared schedule instead, with kFleetLeaseCheck, which locks
// the schedule row (FOR KEY SHARE: other nodes' claims skip it, the node's
// own heartbeat does not wait for it) until the transaction ends. A run whose lease another process holds gets no
// more writes: `lease_lost` is called once, its remaining postings, touches,
// closes and cache rows are not applied (counted once each, by the attempt
// that committed), and FinishRun records it "failed".
#ifndef JOBTRAWL_APP_STORE_WRITER_H_
#define JOBTRAWL_APP_STORE_WRITER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/clock.h"
#include "model/error.h"
#include "model/posting.h"
#include "storage/store.h"

namespace jobtrawl::app {

using HttpCache = std::unordered_map<std::string, storage::CachedPage>;  // by URL

// The write-time lease check of a fleet node (storage/pg/work_queue.h):
// a row when the claim (source id, owner, token) still holds the lease.
// The row stays locked FOR KEY SHARE until the transaction ends: claims
// (FOR UPDATE SKIP LOCKED) skip it, so no other node takes the source over
// before commit, and the node's heartbeat (an UPDATE of no key column)
// neither waits for it nor deadlocks with it (storage/pg/work_queue.h).
inline constexpr std::string_view kFleetLeaseCheck =
    "SELECT 1 FROM source_schedule WHERE source_id = ? AND lease_owner = ? AND lease_token = ? FOR KEY SHARE";

// When a finished run may close the listings it did not see.
struct CloseRule {
  bool allowed = false;                      // the crawl succeeded and saw every page
  std::chrono::milliseconds close_after{0};  // unseen for longer than this: closed
};

class StoreWriter {
 public:
  using RunId = std::size_t;

  struct Options {
    std::string lease_holder;  // who this process is, in source_leases (LeaseHolderName)
    std::chrono::milliseconds lease_ttl{std::chrono::minutes(2)};
    // Whether another holder of a lease is a process of this machine that
    // no longer runs (LeaseHolderIsDead); its lease is taken over at once.
    // Empty: a lease is only taken once it expires.
    std::function<bool(std::string_view holder)> holder_is_dead;
    // Called once, on the writer thread, when a run's lease turns out to be
    // another's (`holder`, or "" when nobody holds it). Stop that crawl.
    std::function<void(RunId run, const std::string& holder)> lease_lost;
    // Called on the writer thread after a batch committed new writes for a
    // run, with its counts so far (for a progress display). Empty: none.
    std::function<void(RunId run, const storage::UpsertCounts& committed)> committed;
    // Cache rows of a source not used for this long are deleted when a
    // complete crawl of it finishes; zero keeps them.
    std::chrono::milliseconds cache_ttl{std::chrono::hours(24 * 30)};
    std::size_t max_queue_jobs = 4096;
    std::size_t max_queue_bytes = std::size_t{64} << 20;
    std::size_t max_batch_jobs = 512;
    std::size_t max_batch_bytes = std::size_t{8} << 20;
    // Alerts (app/alerts.h): in each batch's transaction, postings it made
    // new or reopened that a rule matches get an outbox row, and a run
    // finished `degraded` one per rule with `alarms`. After a commit that
    // added rows, `outbox_added` is called on the writer thread.
    // SetAlerts replaces the rules.
    std::vector<storage::AlertRule> alerts;
    std::function<void()> outbox_added;
    std::chrono::milliseconds retry_base{20};     // first backoff after a transient failure
    std::chrono::milliseconds retry_budget{5000};  // all backoffs of one batch together
    // Called on the writer thread as an outage starts (true, with what
    // failed) and as it ends (false, ""); see "Outages" above. Empty: none.
    std::function<void(bool unavailable, const std::string& why)> availability;
    // The clock retry_budget is measured by; empty: steady_clock (tests
    // pass a fake one).
    std::function<std::chrono::steady_clock::time_point()> clock;
  };
  // A fleet node's claim on a source (storage/pg/work_queue.h, PostgreSQL
  // only): the work queue's lease replaces source_leases for the run.
  struct FleetLease {
    std::string owner;        // the node's name (source_schedule.lease_owner)
    std::int64_t token = 0;   // the claim's fencing token (lease_token)
  };
  struct SourceInfo {
    std::string name;
    std::string kind;  // the config's; never empty
    // Set: OpenRun and every batch that writes for the run check this claim
    // first in their transaction (kFleetLeaseCheck) instead of taking and
    // checking source_leases; RenewLease does nothing (the node heartbeats).
    std::optional<FleetLease> fleet;
  };
  struct RunStart {
    RunId run = 0;
    HttpCache cache;   // the source's http_cache rows
    std::string note;  // for people: e.g. the lease of a dead process was taken over
    // crawl_runs.stats of the source's last good run (LastGoodRunStats),
    // which breakage alarms compare this run with; nullopt: none yet.
    std::optional<std::string> last_good_stats;
  };
  struct Refusal {
    std::string message;
    bool leased = false;  // another process holds the source's lease
  };
  using OpenCallback = std::function<void(std::expected<RunStart, Refusal>)>;
  using FinishedCallback = std::function<void(const storage::RunRecord&)>;

  StoreWriter(std::unique_ptr<storage::PostingStore> store, Options options, NowFunction now);
  ~StoreWriter();  // writes everything queued, then joins
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  // Registers the source, takes its lease (at once from a dead holder, see
  // Options::holder_is_dead), marks runs of it a dead process left
  // "running" as interrupted, opens a crawl_runs row and reads its HTTP
  // cache.
  void OpenRun(SourceInfo source, OpenCallback done);
  // Extends the run's lease by lease_ttl; call it every lease_ttl / 3.
  void RenewLease(RunId run);

  // May wait while the queue is full (see above).
  void Upsert(RunId run, std::vector<Posting> postings);
  // Refreshes these listings; `url` (may be empty) is the page that held
  // them, whose cache row is thereby still in use. May wait.
  void Touch(RunId run, std::string url, std::vector<std::string> listing_keys);
  void SaveCache(RunId run, std::string url, storage::CachedPage page);  // may wait
  void Close(RunId run, std::vector<std::string> listing_keys);
  void RecordError(RunId run, storage::CrawlError error);
  // The run's fetch counters so far (pages, bytes, errors, retries,
  // not_modified; absolute, not increments) and its stats JSON: they and the posting counts
  // committed so far are written to its crawl_runs row with the next batch,
  // so the row shows progress while the run is `running`.
  void Progress(RunId run, storage::RunRecord fetched);
  // Completes the run after everything queued before this call: the
  // record's counts are filled in from what was stored, unseen listings are
  // closed and unused cache rows pruned as `rule` allows, and the lease is
  // released. The run's state is freed; its id must not be used again.
  void FinishRun(RunId run, storage::RunRecord record, CloseRule rule, FinishedCallback done);

  // The daemon's schedule, kept across restarts. ReadNextRun, which the
  // daemon calls for each source as it starts, also clears what a dead
  // process of this machine left on the source: its lease, and runs still
  // "running" (marked "interrupted").
  void SetNextRun(SourceInfo source, Clock::time_point at);
  void ReadNextRun(SourceInfo source, std::function<void(std::optional<Clock::time_point>)> done);
  // The source's id in the store, registering it when new; nullopt when
  // that could not be written.
  void SourceId(SourceInfo source, std::function<void(std::optional<std::int64_t>)> done);

  // The alert rules of a reloaded config, applied from the next batch
  // written on. Thread-safe.
  void SetAlerts(std::vector<storage::AlertRule> rules);

  // Shutdown: a writer held by an outage (see "Outages") stops waiting for
  // the database, now or as soon as one starts: the writes it holds, and
  // every one queued later, are counted lost without being tried, so the
  // callers waiting on a full queue go on. Call it once nothing more must
  // be stored (the daemon does, after its drain, before joining the
  // threads that may wait on the queue). Thread-safe.
  void StopWaitingForDatabase();

  // Jobs that could not be written even job by job, after retries.
  std::int64_t write_errors() const;
  // Runs opened and not yet finished (their state is held in memory).
  std::size_t active_runs() const { return active_runs_.load(); }

 private:
  struct Job;
  struct Tally {
    storage::UpsertCounts counts;
    std::int64_t closed = 0;
    // Jobs skipped because the run's lease was lost. Counted per attempt
    // like the rest, so a rolled-back attempt's skips do not count.
    std::int64_t not_applied = 0;
  };
  struct Run {
    std::string source_name;
    std::int64_t source_id = 0;
    std::int64_t run_id = 0;
    std::string started_at;
    std::int64_t open_at_start = 0;
    std::string note;
    Tally tally;            // committed
    storage::RunRecord fetched;  // the last Progress() counters
    std::int64_t lost = 0;  // jobs that could not be written
    std::string lost_reason;
    bool lease_lost = false;
    std::string lease_holder_now;  // who has it instead
    std::string breakage_key;  // "SOURCE:HASH" of its last good run's stats; empty: none
    std::optional<FleetLease> fleet;  // a fleet node's claim: checked instead of source_leases
  };
  struct OpenFailure;

  void Push(Job job, bool may_wait);
  void Loop();
  void WriteBatch(std::vector<Job>& batch);
  // Applies `jobs` (kOpen ones are skipped) in one transaction, started
  // afresh while its failure is transient and `deadline` allows; `delta`
  // holds what the committed attempt counted.
  std::optional<Error> Transact(std::span<Job> jobs, std::unordered_map<RunId, Tally>& delta,
                                std::chrono::steady_clock::time_point& deadline);
  void Open(Job& job);
  std::expected<RunStart, OpenFailure> TryOpen(const SourceInfo& source);
  std::optional<Error> Apply(Job& job, std::unordered_map<RunId, Tally>& delta,
                             std::unordered_set<RunId>& leased);
  bool HoldsLease(RunId id, Run& run, std::unordered_set<RunId>& leased, std::optional<Error>& error);
  // Runs kFleetLeaseCheck for `run`'s claim in the open transaction.
  std::expected<bool, Error> HoldsFleetLease(std::int64_t source_id, const FleetLease& lease);
  std::optional<Error> Finish(Job& job, Run& run, const Tally& tally);
  // Runs `attempt` until it succeeds, fails for good, or the batch's retry
  // budget (ending at `deadline`) is spent.
  // While the database is unavailable the budget is not spent: `deadline`
  // starts again once it is back.
  std::optional<Error> WithRetries(const std::function<std::optional<Error>()>& attempt,
                                   std::chrono::steady_clock::time_point& deadline);
  // An outage (`why`): noted (once), then waits until the connection may
  // reconnect. False when the writer is stopping: it gives up.
  bool AwaitDatabase(const Error& why);
  bool Stopping() const;
  std::chrono::steady_clock::time_point Now() const;
  Run* FindRun(RunId id);

  std::unique_ptr<storage::PostingStore> store_;
  const Options options_;
  const NowFunction now_;
  std::unordered_map<RunId, Run> runs_;  // writer thread only
  int outbox_rows_ = 0;                  // writer thread only: added by the transaction being written
  std::vector<storage::AlertRule> alerts_;  // writer thread only: the rules in force
  bool capturing_ = false;               // writer thread only: CaptureFreshPostings done
  RunId next_run_ = 0;                   // writer thread only
  // Writer thread only: the database is unreachable since outage_start_.
  bool unavailable_ = false;
  std::chrono::steady_clock::time_point outage_start_;
  // Writer thread only: set when stopping (or abandoned) during an outage; no write is
  // tried after that, and lost_at_stop_ counts the ones not stored.
  std::optional<Error> gave_up_;
  std::int64_t lost_at_stop_ = 0;
  std::atomic<std::size_t> active_runs_{0};

  mutable std::mutex mu_;
  std::condition_variable cv_;     // a job arrived, or stopping
  std::condition_variable space_;  // the queue shrank
  std::deque<Job> queue_;
  std::size_t queued_bytes_ = 0;
  bool stopping_ = false;
  bool abandon_ = false;  // StopWaitingForDatabase
  std::int64_t write_errors_ = 0;
  std::optional<std::vector<storage::AlertRule>> next_alerts_;  // guarded by mu_: from SetAlerts
  std::thread thread_;
};

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_STORE_WRITER_H_
