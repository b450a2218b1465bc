// The single writer of a crawl: owns the PostingStore on a thread of its own
// and commits whatever has queued up in one transaction (group commit), so
// parse threads never wait on the disk and a batch is all or nothing.
#ifndef JOBTRAWL_APP_STORE_WRITER_H_
#define JOBTRAWL_APP_STORE_WRITER_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "model/clock.h"
#include "model/error.h"
#include "model/posting.h"
#include "storage/store.h"

namespace jobtrawl::app {

class StoreWriter {
 public:
  // Called on the writer thread once the source's run row is final.
  using FinishedCallback = std::function<void(const storage::RunRecord&, std::optional<Error>)>;

  // Registers the sources and opens one crawl_runs row for each, then starts
  // the thread. `names`/`kinds` are indexed as the crawl's sources.
  static std::expected<std::unique_ptr<StoreWriter>, Error> Start(
      std::unique_ptr<storage::PostingStore> store, const std::vector<std::string>& names,
      const std::vector<std::string>& kinds, NowFunction now);

  ~StoreWriter();  // writes everything queued, then joins
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  // Thread-safe; each returns at once.
  void Upsert(std::size_t source, std::vector<Posting> postings);
  void RecordError(std::size_t source, storage::CrawlError error);
  // Completes the source's run after everything queued before this call:
  // the record's counts are filled in from what was stored.
  void FinishSource(std::size_t source, storage::RunRecord record, FinishedCallback done);

  // Errors the writer met (a full disk, a locked database); the crawl goes on.
  std::int64_t write_errors() const;

 private:
  struct Job;
  StoreWriter(std::unique_ptr<storage::PostingStore> store, std::vector<std::int64_t> source_ids,
              std::vector<std::int64_t> run_ids, NowFunction now);
  void Push(Job job);
  void Loop();
  void WriteBatch(std::vector<Job>& batch);
  std::optional<Error> Apply(Job& job, std::vector<storage::UpsertCounts>& counts);

  std::unique_ptr<storage::PostingStore> store_;
  const std::vector<std::int64_t> source_ids_;
  const std::vector<std::int64_t> run_ids_;
  const NowFunction now_;
  std::vector<storage::UpsertCounts> counts_;  // committed, per source (writer thread only)
  std::vector<std::int64_t> lost_;             // jobs per source that could not be written

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::int64_t write_errors_ = 0;
  std::thread thread_;
};

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_STORE_WRITER_H_
