// The single writer of a crawl: owns the PostingStore on a thread of its own
// and commits whatever has queued up in one transaction (group commit), so
// parse threads never wait on the disk and a batch is all or nothing.
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
  bool allowed = false;                        // the crawl succeeded and saw every page
  std::chrono::milliseconds close_after{0};    // unseen for longer than this: closed
};

class StoreWriter {
 public:
  // Called on the writer thread once the source's run row is final.
  using FinishedCallback = std::function<void(const storage::RunRecord&, std::optional<Error>)>;

  struct SourceInfo {
    std::string name;
    std::string kind;
  };

  // Registers the sources, opens one crawl_runs row for each and reads
  // their HTTP caches (into `caches`, indexed as `sources`), then starts the
  // thread.
  static std::expected<std::unique_ptr<StoreWriter>, Error> Start(
      std::unique_ptr<storage::PostingStore> store, const std::vector<SourceInfo>& sources,
      NowFunction now, std::vector<HttpCache>& caches);

  ~StoreWriter();  // writes everything queued, then joins
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  // Thread-safe; each returns at once.
  void Upsert(std::size_t source, std::vector<Posting> postings);
  void Touch(std::size_t source, std::vector<std::string> listing_keys);
  void Close(std::size_t source, std::vector<std::string> listing_keys);
  void SaveCache(std::size_t source, std::string url, storage::CachedPage page);
  void RecordError(std::size_t source, storage::CrawlError error);
  // Completes the source's run after everything queued before this call:
  // the record's counts are filled in from what was stored, and unseen
  // listings are closed as `rule` allows.
  void FinishSource(std::size_t source, storage::RunRecord record, CloseRule rule,
                    FinishedCallback done);

  // Errors the writer met (a full disk, a locked database); the crawl goes on.
  std::int64_t write_errors() const;

 private:
  struct Job;
  struct Tally {
    storage::UpsertCounts counts;
    std::int64_t closed = 0;
  };
  struct SourceRow {
    std::int64_t source_id = 0;
    std::int64_t run_id = 0;
    std::string started_at;
    std::int64_t open_at_start = 0;
  };

  StoreWriter(std::unique_ptr<storage::PostingStore> store, std::vector<SourceRow> rows,
              NowFunction now);
  void Push(Job job);
  void Loop();
  void WriteBatch(std::vector<Job>& batch);
  std::optional<Error> Apply(Job& job, std::vector<Tally>& tallies);
  std::optional<Error> Finish(Job& job, Tally& tally);

  std::unique_ptr<storage::PostingStore> store_;
  const std::vector<SourceRow> rows_;
  const NowFunction now_;
  std::vector<Tally> tallies_;     // committed, per source (writer thread only)
  std::vector<std::int64_t> lost_;  // jobs per source that could not be written

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::int64_t write_errors_ = 0;
  std::thread thread_;
};

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_STORE_WRITER_H_
