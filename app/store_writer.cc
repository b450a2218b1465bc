#include "app/store_writer.h"

#include <iostream>

namespace jobtrawl::app {

struct StoreWriter::Job {
  enum class Kind { kUpsert, kTouch, kClose, kCache, kError, kFinish } kind = Kind::kUpsert;
  std::size_t source = 0;
  std::vector<Posting> postings;
  std::vector<std::string> keys;
  std::string url;
  storage::CachedPage page;
  storage::CrawlError error;
  storage::RunRecord record;
  CloseRule rule;
  FinishedCallback done;
  std::optional<Error> failure;  // set when the job could not be written
};

std::expected<std::unique_ptr<StoreWriter>, Error> StoreWriter::Start(
    std::unique_ptr<storage::PostingStore> store, const std::vector<SourceInfo>& sources,
    NowFunction now, std::vector<HttpCache>& caches) {
  std::vector<SourceRow> rows;
  caches.assign(sources.size(), {});
  const std::string at = FormatUtc(now());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    SourceRow row;
    row.started_at = at;
    auto id = store->EnsureSource(sources[i].name, sources[i].kind, at);
    if (!id) return std::unexpected(id.error());
    row.source_id = *id;
    auto open = store->CountOpenListings(*id);
    if (!open) return std::unexpected(open.error());
    row.open_at_start = *open;
    auto cache = store->LoadHttpCache(*id);
    if (!cache) return std::unexpected(cache.error());
    for (auto& [url, page] : *cache) caches[i].emplace(std::move(url), std::move(page));
    auto run = store->BeginRun(*id, at);
    if (!run) return std::unexpected(run.error());
    row.run_id = *run;
    rows.push_back(std::move(row));
  }
  return std::unique_ptr<StoreWriter>(new StoreWriter(std::move(store), std::move(rows), std::move(now)));
}

StoreWriter::StoreWriter(std::unique_ptr<storage::PostingStore> store, std::vector<SourceRow> rows,
                         NowFunction now)
    : store_(std::move(store)),
      rows_(std::move(rows)),
      now_(std::move(now)),
      tallies_(rows_.size()),
      lost_(rows_.size()),
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

void StoreWriter::Touch(std::size_t source, std::vector<std::string> listing_keys) {
  Push({.kind = Job::Kind::kTouch, .source = source, .keys = std::move(listing_keys)});
}

void StoreWriter::Close(std::size_t source, std::vector<std::string> listing_keys) {
  Push({.kind = Job::Kind::kClose, .source = source, .keys = std::move(listing_keys)});
}

void StoreWriter::SaveCache(std::size_t source, std::string url, storage::CachedPage page) {
  Push({.kind = Job::Kind::kCache, .source = source, .url = std::move(url), .page = std::move(page)});
}

void StoreWriter::RecordError(std::size_t source, storage::CrawlError error) {
  Push({.kind = Job::Kind::kError, .source = source, .error = std::move(error)});
}

void StoreWriter::FinishSource(std::size_t source, storage::RunRecord record, CloseRule rule,
                               FinishedCallback done) {
  Push({.kind = Job::Kind::kFinish, .source = source, .record = std::move(record), .rule = rule,
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

std::optional<Error> StoreWriter::Finish(Job& job, Tally& tally) {
  const SourceRow& row = rows_[job.source];
  const auto now_point = now_();
  const std::string now = FormatUtc(now_point);
  storage::RunRecord& r = job.record;
  if (job.rule.allowed) {
    // No mass closing on an outage: a run that saw far fewer listings than
    // were open closes nothing.
    auto seen = store_->CountSeenSince(row.source_id, row.started_at);
    if (!seen) return seen.error();
    if (row.open_at_start >= 10 && *seen * 2 < row.open_at_start) {
      r.message = "saw " + std::to_string(*seen) + " listings where " +
                  std::to_string(row.open_at_start) + " were open: closed none";
    } else {
      auto closed = store_->CloseUnseen(row.source_id, FormatUtc(now_point - job.rule.close_after), now);
      if (!closed) return closed.error();
      tally.closed += *closed;
    }
  }
  r.counts = tally.counts;
  r.closed = tally.closed;
  r.finished_at = now;
  if (std::int64_t lost = lost_[job.source]; lost > 0) {
    // Postings that never reached the disk make the run a failure.
    r.status = "failed";
    r.errors += lost;
    r.message = std::to_string(lost) + " database writes failed";
  }
  auto written = store_->FinishRun(row.run_id, r);
  if (!written) return written.error();
  return std::nullopt;
}

std::optional<Error> StoreWriter::Apply(Job& job, std::vector<Tally>& tallies) {
  const SourceRow& row = rows_[job.source];
  Tally& tally = tallies[job.source];
  switch (job.kind) {
    case Job::Kind::kUpsert: {
      auto c = store_->Upsert(row.source_id, job.postings, FormatUtc(now_()));
      if (!c) return c.error();
      tally.counts += *c;
      return std::nullopt;
    }
    case Job::Kind::kTouch: {
      auto c = store_->Touch(row.source_id, job.keys, FormatUtc(now_()));
      if (!c) return c.error();
      tally.counts += *c;
      return std::nullopt;
    }
    case Job::Kind::kClose: {
      auto n = store_->CloseListings(row.source_id, job.keys, FormatUtc(now_()));
      if (!n) return n.error();
      tally.closed += *n;
      return std::nullopt;
    }
    case Job::Kind::kCache: {
      auto r = store_->SaveHttpCache(row.source_id, job.url, job.page, FormatUtc(now_()));
      if (!r) return r.error();
      return std::nullopt;
    }
    case Job::Kind::kError: {
      auto r = store_->RecordError(row.run_id, job.error, FormatUtc(now_()));
      if (!r) return r.error();
      return std::nullopt;
    }
    case Job::Kind::kFinish:
      return Finish(job, tally);
  }
  return std::nullopt;
}

void StoreWriter::WriteBatch(std::vector<Job>& batch) {
  // All jobs in one transaction; if any fails, roll back and write them one
  // by one so a single bad job costs only itself.
  std::vector<Tally> tallies = tallies_;
  bool ok = static_cast<bool>(store_->Begin());
  for (Job& job : batch) {
    if (!ok) break;
    ok = !Apply(job, tallies).has_value();
  }
  if (ok) ok = static_cast<bool>(store_->Commit());
  if (ok) {
    tallies_ = std::move(tallies);
  } else {
    store_->Rollback();
    for (Job& job : batch) {
      std::vector<Tally> one = tallies_;
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
        tallies_ = std::move(one);
      }
    }
  }
  for (Job& job : batch) {
    if (job.failure) std::cerr << "jobtrawl: database write failed: " << job.failure->message << '\n';
    if (job.kind == Job::Kind::kFinish && job.done) job.done(job.record, job.failure);
  }
}

}  // namespace jobtrawl::app
