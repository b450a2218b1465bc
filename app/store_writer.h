// The single writer: owns the PostingStore on a thread of its own and
// commits whatever has queued up in one transaction (group commit), so the
// event loop and parse threads never wait on the disk and a batch is all or
// nothing. Every call is thread-safe and returns at once; results come back
// through callbacks that run on the writer thread (post them onward).
#ifndef JOBTRAWL_APP_STORE_WRITER_H_
#define JOBTRAWL_APP_STORE_WRITER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "model/clock.h"
#include "model/error.h"
#include "model/posting.h"
#include "storage/store.h"

namespace jobtrawl::app {

using HttpCache = std::unordered_map<std::string, storage::CachedPage>;  // by URL

// When a finished run may close the listings it did not see.
struct CloseRule {
  bool allowed = false;                      // the crawl succeeded and saw every page
  std::chrono::milliseconds close_after{0};  // unseen for longer than this: closed
};

class StoreWriter {
 public:
  using RunId = std::size_t;

  struct Options {
    std::string lease_holder;  // who this process is, in source_leases
    std::chrono::milliseconds lease_ttl{std::chrono::minutes(2)};
  };
  struct SourceInfo {
    std::string name;
    std::string kind;
  };
  struct RunStart {
    RunId run = 0;
    HttpCache cache;  // the source's http_cache rows
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

  // Registers the source, takes its lease, opens a crawl_runs row and reads
  // its HTTP cache.
  void OpenRun(SourceInfo source, OpenCallback done);
  // Extends the run's lease by lease_ttl; call it every lease_ttl / 3.
  void RenewLease(RunId run);

  void Upsert(RunId run, std::vector<Posting> postings);
  void Touch(RunId run, std::vector<std::string> listing_keys);
  void Close(RunId run, std::vector<std::string> listing_keys);
  void SaveCache(RunId run, std::string url, storage::CachedPage page);
  void RecordError(RunId run, storage::CrawlError error);
  // Completes the run after everything queued before this call: the
  // record's counts are filled in from what was stored, unseen listings are
  // closed as `rule` allows, and the lease is released.
  void FinishRun(RunId run, storage::RunRecord record, CloseRule rule, FinishedCallback done);

  // The daemon's schedule, kept across restarts.
  void SetNextRun(std::string source, Clock::time_point at);
  void ReadNextRun(std::string source, std::function<void(std::optional<Clock::time_point>)> done);

  // Writes that failed (a full disk, a locked database); the crawl goes on.
  std::int64_t write_errors() const;

 private:
  struct Job;
  struct Tally {
    storage::UpsertCounts counts;
    std::int64_t closed = 0;
  };
  struct Run {
    std::int64_t source_id = 0;
    std::int64_t run_id = 0;
    std::string started_at;
    std::int64_t open_at_start = 0;
    Tally tally;         // committed
    std::int64_t lost = 0;  // jobs that could not be written
  };

  void Push(Job job);
  void Loop();
  void WriteBatch(std::vector<Job>& batch);
  void Open(Job& job);
  std::optional<Error> Apply(Job& job, std::unordered_map<RunId, Tally>& delta);
  std::optional<Error> Finish(Job& job, Tally& tally);

  std::unique_ptr<storage::PostingStore> store_;
  const Options options_;
  const NowFunction now_;
  std::deque<Run> runs_;  // writer thread only; RunId indexes it

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::int64_t write_errors_ = 0;
  std::thread thread_;
};

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_STORE_WRITER_H_
