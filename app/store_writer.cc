#include "app/store_writer.h"

#include <iostream>

namespace jobtrawl::app {

struct StoreWriter::Job {
  enum class Kind { kUpsert, kError, kFinish } kind = Kind::kUpsert;
  std::size_t source = 0;
  std::vector<Posting> postings;
  storage::CrawlError error;
  storage::RunRecord record;
  FinishedCallback done;
  std::optional<Error> failure;  // set when the job could not be written
};

std::expected<std::unique_ptr<StoreWriter>, Error> StoreWriter::Start(
    std::unique_ptr<storage::PostingStore> store, const std::vector<std::string>& names,
    const std::vector<std::string>& kinds, NowFunction now) {
  std::vector<std::int64_t> source_ids, run_ids;
  std::string at = FormatUtc(now());
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto id = store->EnsureSource(names[i], kinds[i], at);
    if (!id) return std::unexpected(id.error());
    auto run = store->BeginRun(*id, at);
    if (!run) return std::unexpected(run.error());
    source_ids.push_back(*id);
    run_ids.push_back(*run);
  }
  return std::unique_ptr<StoreWriter>(
      new StoreWriter(std::move(store), std::move(source_ids), std::move(run_ids), std::move(now)));
}

StoreWriter::StoreWriter(std::unique_ptr<storage::PostingStore> store,
                         std::vector<std::int64_t> source_ids, std::vector<std::int64_t> run_ids,
                         NowFunction now)
    : store_(std::move(store)),
      source_ids_(std::move(source_ids)),
      run_ids_(std::move(run_ids)),
      now_(std::move(now)),
      counts_(source_ids_.size()),
      lost_(source_ids_.size()),
      thread_([this] { Loop(); }) {}

StoreWriter::~StoreWriter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void StoreWriter::Push(Job job) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void StoreWriter::Upsert(std::size_t source, std::vector<Posting> postings) {
  Push({.kind = Job::Kind::kUpsert, .source = source, .postings = std::move(postings)});
}

void StoreWriter::RecordError(std::size_t source, storage::CrawlError error) {
  Push({.kind = Job::Kind::kError, .source = source, .error = std::move(error)});
}

void StoreWriter::FinishSource(std::size_t source, storage::RunRecord record,
                               FinishedCallback done) {
  Push({.kind = Job::Kind::kFinish, .source = source, .record = std::move(record),
        .done = std::move(done)});
}

std::int64_t StoreWriter::write_errors() const {
  std::lock_guard lock(mu_);
  return write_errors_;
}

void StoreWriter::Loop() {
  while (true) {
    std::vector<Job> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything is written
      batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
      queue_.clear();
    }
    WriteBatch(batch);
  }
}

std::optional<Error> StoreWriter::Apply(Job& job, std::vector<storage::UpsertCounts>& counts) {
  const std::string now = FormatUtc(now_());
  switch (job.kind) {
    case Job::Kind::kUpsert: {
      auto c = store_->Upsert(source_ids_[job.source], job.postings, now);
      if (!c) return c.error();
      counts[job.source] += *c;
      return std::nullopt;
    }
    case Job::Kind::kError: {
      auto r = store_->RecordError(run_ids_[job.source], job.error, now);
      if (!r) return r.error();
      return std::nullopt;
    }
    case Job::Kind::kFinish: {
      job.record.counts = counts[job.source];
      job.record.finished_at = now;
      if (std::int64_t lost = lost_[job.source]; lost > 0) {
        // Postings that never reached the disk make the run a failure.
        job.record.status = "failed";
        job.record.errors += lost;
        job.record.message = std::to_string(lost) + " database writes failed";
      }
      auto r = store_->FinishRun(run_ids_[job.source], job.record);
      if (!r) return r.error();
      return std::nullopt;
    }
  }
  return std::nullopt;
}

void StoreWriter::WriteBatch(std::vector<Job>& batch) {
  // All jobs in one transaction; if any fails, roll back and write them one
  // by one so a single bad job costs only itself.
  std::vector<storage::UpsertCounts> counts = counts_;
  bool ok = static_cast<bool>(store_->Begin());
  for (Job& job : batch) {
    if (!ok) break;
    ok = !Apply(job, counts).has_value();
  }
  if (ok) ok = static_cast<bool>(store_->Commit());
  if (ok) {
    counts_ = std::move(counts);
  } else {
    store_->Rollback();
    for (Job& job : batch) {
      std::vector<storage::UpsertCounts> one = counts_;
      auto began = store_->Begin();
      std::optional<Error> failure = began ? Apply(job, one) : std::optional<Error>(began.error());
      if (!failure) {
        if (auto committed = store_->Commit(); !committed) failure = committed.error();
      }
      if (failure) {
        store_->Rollback();
        job.failure = failure;
        ++lost_[job.source];
        std::lock_guard lock(mu_);
        ++write_errors_;
      } else {
        counts_ = std::move(one);
      }
    }
  }
  for (Job& job : batch) {
    if (job.failure) std::cerr << "jobtrawl: database write failed: " << job.failure->message << '\n';
    if (job.kind == Job::Kind::kFinish && job.done) job.done(job.record, job.failure);
  }
}

}  // namespace jobtrawl::app
