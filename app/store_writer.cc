#include "app/store_writer.h"

#include <ctime>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace jobtrawl::app {

struct StoreWriter::Job {
  enum class Kind {
    kOpen, kRenew, kUpsert, kTouch, kClose, kCache, kError, kFinish, kSetNext, kReadNext
  } kind = Kind::kUpsert;
  RunId run = 0;
  SourceInfo source;
  std::vector<Posting> postings;
  std::vector<std::string> keys;
  std::string url;
  storage::CachedPage page;
  storage::CrawlError error;
  storage::RunRecord record;
  CloseRule rule;
  Clock::time_point at;
  OpenCallback opened;
  FinishedCallback finished;
  std::function<void(std::optional<Clock::time_point>)> next_run;
  std::optional<Error> failure;  // set when the job could not be written
};

namespace {

std::optional<Clock::time_point> ParseUtc(const std::string& text) {
  std::tm tm{};
  std::istringstream in(text);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
  if (in.fail()) return std::nullopt;
  return Clock::from_time_t(timegm(&tm));
}

}  // namespace

StoreWriter::StoreWriter(std::unique_ptr<storage::PostingStore> store, Options options,
                         NowFunction now)
    : store_(std::move(store)),
      options_(std::move(options)),
      now_(std::move(now)),
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

void StoreWriter::OpenRun(SourceInfo source, OpenCallback done) {
  Push({.kind = Job::Kind::kOpen, .source = std::move(source), .opened = std::move(done)});
}
void StoreWriter::RenewLease(RunId run) { Push({.kind = Job::Kind::kRenew, .run = run}); }
void StoreWriter::Upsert(RunId run, std::vector<Posting> postings) {
  Push({.kind = Job::Kind::kUpsert, .run = run, .postings = std::move(postings)});
}
void StoreWriter::Touch(RunId run, std::vector<std::string> listing_keys) {
  Push({.kind = Job::Kind::kTouch, .run = run, .keys = std::move(listing_keys)});
}
void StoreWriter::Close(RunId run, std::vector<std::string> listing_keys) {
  Push({.kind = Job::Kind::kClose, .run = run, .keys = std::move(listing_keys)});
}
void StoreWriter::SaveCache(RunId run, std::string url, storage::CachedPage page) {
  Push({.kind = Job::Kind::kCache, .run = run, .url = std::move(url), .page = std::move(page)});
}
void StoreWriter::RecordError(RunId run, storage::CrawlError error) {
  Push({.kind = Job::Kind::kError, .run = run, .error = std::move(error)});
}
void StoreWriter::FinishRun(RunId run, storage::RunRecord record, CloseRule rule,
                            FinishedCallback done) {
  Push({.kind = Job::Kind::kFinish, .run = run, .record = std::move(record), .rule = rule,
        .finished = std::move(done)});
}
void StoreWriter::SetNextRun(std::string source, Clock::time_point at) {
  Push({.kind = Job::Kind::kSetNext, .source = {std::move(source), ""}, .at = at});
}
void StoreWriter::ReadNextRun(std::string source,
                              std::function<void(std::optional<Clock::time_point>)> done) {
  Push({.kind = Job::Kind::kReadNext, .source = {std::move(source), ""}, .next_run = std::move(done)});
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

// Opening a run is its own transaction: the run's id must be real before
// anything refers to it, whatever becomes of the rest of the batch.
void StoreWriter::Open(Job& job) {
  const auto now_point = now_();
  const std::string now = FormatUtc(now_point);
  auto refuse = [&](std::string message, bool leased) {
    store_->Rollback();
    job.opened(std::unexpected(Refusal{std::move(message), leased}));
  };
  if (auto began = store_->Begin(); !began) return refuse(began.error().message, false);
  auto id = store_->EnsureSource(job.source.name, job.source.kind, now);
  if (!id) return refuse(id.error().message, false);
  auto lease = store_->AcquireLease(*id, options_.lease_holder, now,
                                    FormatUtc(now_point + options_.lease_ttl));
  if (!lease) return refuse(lease.error().message, false);
  if (lease->has_value()) {
    return refuse("being crawled by " + (*lease)->holder + " (lease until " + (*lease)->expires_at + ")",
                  true);
  }
  Run run;
  run.source_id = *id;
  run.started_at = now;
  auto open = store_->CountOpenListings(*id);
  if (!open) return refuse(open.error().message, false);
  run.open_at_start = *open;
  auto cache = store_->LoadHttpCache(*id);
  if (!cache) return refuse(cache.error().message, false);
  auto run_id = store_->BeginRun(*id, now);
  if (!run_id) return refuse(run_id.error().message, false);
  run.run_id = *run_id;
  if (auto committed = store_->Commit(); !committed) return refuse(committed.error().message, false);
  RunStart start{.run = runs_.size()};
  for (auto& [url, page] : *cache) start.cache.emplace(std::move(url), std::move(page));
  runs_.push_back(std::move(run));
  job.opened(std::move(start));
}

std::optional<Error> StoreWriter::Finish(Job& job, Tally& tally) {
  Run& run = runs_[job.run];
  const auto now_point = now_();
  const std::string now = FormatUtc(now_point);
  storage::RunRecord& r = job.record;
  if (job.rule.allowed) {
    // No mass closing on an outage: a run that saw far fewer listings than
    // were open closes nothing.
    auto seen = store_->CountSeenSince(run.source_id, run.started_at);
    if (!seen) return seen.error();
    if (run.open_at_start >= 10 && *seen * 2 < run.open_at_start) {
      r.message = "saw " + std::to_string(*seen) + " listings where " +
                  std::to_string(run.open_at_start) + " were open: closed none";
    } else {
      auto closed = store_->CloseUnseen(run.source_id,
                                        FormatUtc(now_point - job.rule.close_after), now);
      if (!closed) return closed.error();
      tally.closed += *closed;
    }
  }
  r.counts = tally.counts;
  r.closed = tally.closed;
  r.finished_at = now;
  if (run.lost > 0) {
    // Postings that never reached the disk make the run a failure.
    r.status = "failed";
    r.errors += run.lost;
    r.message = std::to_string(run.lost) + " database writes failed";
  }
  if (auto written = store_->FinishRun(run.run_id, r); !written) return written.error();
  if (auto released = store_->ReleaseLease(run.source_id, options_.lease_holder); !released) {
    return released.error();
  }
  return std::nullopt;
}

std::optional<Error> StoreWriter::Apply(Job& job, std::unordered_map<RunId, Tally>& delta) {
  const std::string now = FormatUtc(now_());
  switch (job.kind) {
    case Job::Kind::kOpen:
      return std::nullopt;  // done before the batch
    case Job::Kind::kRenew: {
      const Run& run = runs_[job.run];
      auto lease = store_->AcquireLease(run.source_id, options_.lease_holder, now,
                                        FormatUtc(now_() + options_.lease_ttl));
      if (!lease) return lease.error();
      if (lease->has_value()) {
        std::cerr << "jobtrawl: lost the lease on a source to " << (*lease)->holder << '\n';
      }
      return std::nullopt;
    }
    case Job::Kind::kUpsert: {
      auto c = store_->Upsert(runs_[job.run].source_id, job.postings, now);
      if (!c) return c.error();
      delta[job.run].counts += *c;
      return std::nullopt;
    }
    case Job::Kind::kTouch: {
      auto c = store_->Touch(runs_[job.run].source_id, job.keys, now);
      if (!c) return c.error();
      delta[job.run].counts += *c;
      return std::nullopt;
    }
    case Job::Kind::kClose: {
      auto n = store_->CloseListings(runs_[job.run].source_id, job.keys, now);
      if (!n) return n.error();
      delta[job.run].closed += *n;
      return std::nullopt;
    }
    case Job::Kind::kCache: {
      auto r = store_->SaveHttpCache(runs_[job.run].source_id, job.url, job.page, now);
      if (!r) return r.error();
      return std::nullopt;
    }
    case Job::Kind::kError: {
      auto r = store_->RecordError(runs_[job.run].run_id, job.error, now);
      if (!r) return r.error();
      return std::nullopt;
    }
    case Job::Kind::kFinish: {
      // The run ends here: its record counts what is committed plus what
      // this batch wrote before it.
      Tally total = runs_[job.run].tally;
      if (auto it = delta.find(job.run); it != delta.end()) {
        total.counts += it->second.counts;
        total.closed += it->second.closed;
      }
      return Finish(job, total);
    }
    case Job::Kind::kSetNext: {
      auto id = store_->EnsureSource(job.source.name, "html", now);
      if (!id) return id.error();
      auto r = store_->SetNextRun(*id, FormatUtc(job.at));
      if (!r) return r.error();
      return std::nullopt;
    }
    case Job::Kind::kReadNext: {
      auto id = store_->EnsureSource(job.source.name, "html", now);
      if (!id) return id.error();
      auto at = store_->NextRun(*id);
      if (!at) return at.error();
      job.at = {};
      if (*at) {
        if (auto parsed = ParseUtc(**at)) job.at = *parsed;
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

void StoreWriter::WriteBatch(std::vector<Job>& batch) {
  for (Job& job : batch) {
    if (job.kind == Job::Kind::kOpen) Open(job);
  }
  // The rest in one transaction; if any job fails, roll back and write them
  // one by one so a single bad job costs only itself.
  std::unordered_map<RunId, Tally> delta;
  bool ok = static_cast<bool>(store_->Begin());
  for (Job& job : batch) {
    if (!ok) break;
    ok = !Apply(job, delta).has_value();
  }
  if (ok) ok = static_cast<bool>(store_->Commit());
  auto merge = [this](std::unordered_map<RunId, Tally>& d) {
    for (auto& [run, t] : d) {
      runs_[run].tally.counts += t.counts;
      runs_[run].tally.closed += t.closed;
    }
  };
  if (ok) {
    merge(delta);
  } else {
    store_->Rollback();
    for (Job& job : batch) {
      if (job.kind == Job::Kind::kOpen) continue;
      std::unordered_map<RunId, Tally> one;
      auto began = store_->Begin();
      std::optional<Error> failure = began ? Apply(job, one) : std::optional<Error>(began.error());
      if (!failure) {
        if (auto committed = store_->Commit(); !committed) failure = committed.error();
      }
      if (failure) {
        store_->Rollback();
        job.failure = failure;
        if (job.kind != Job::Kind::kSetNext && job.kind != Job::Kind::kReadNext) {
          ++runs_[job.run].lost;
        }
        std::lock_guard lock(mu_);
        ++write_errors_;
      } else {
        merge(one);
      }
    }
  }
  for (Job& job : batch) {
    if (job.failure) std::cerr << "jobtrawl: database write failed: " << job.failure->message << '\n';
    if (job.kind == Job::Kind::kFinish && job.finished) job.finished(job.record);
    if (job.kind == Job::Kind::kReadNext && job.next_run) {
      job.next_run(job.at == Clock::time_point{} ? std::nullopt : std::optional(job.at));
    }
  }
}

}  // namespace jobtrawl::app
