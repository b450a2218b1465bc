#include "app/store_writer.h"

#include "model/date_time.h"
#include "storage/sql.h"

#include <boost/json.hpp>

#include <algorithm>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

namespace jobtrawl::app {

struct StoreWriter::Job {
  enum class Kind {
    kOpen, kRenew, kUpsert, kTouch, kClose, kCache, kError, kProgress, kFinish, kSetNext, kReadNext,
    kSourceId
  } kind = Kind::kUpsert;
  RunId run = 0;
  SourceInfo source;
  std::vector<Posting> postings;
  std::vector<std::string> keys;
  std::string url;
  storage::CachedPage page;
  storage::CrawlError error;
  storage::RunRecord record;   // as the caller gave it
  storage::RunRecord written;  // as Finish wrote it
  CloseRule rule;
  Clock::time_point at;
  OpenCallback opened;
  FinishedCallback finished;
  std::function<void(std::optional<Clock::time_point>)> next_run;
  std::function<void(std::optional<std::int64_t>)> source_id_done;
  std::int64_t source_id = 0;  // kSourceId: the answer
  std::size_t bytes = 0;         // estimated size, for the queue's bound
  std::optional<Error> failure;  // set when the job could not be written
};

struct StoreWriter::OpenFailure {
  Refusal refusal;
  bool transient = false;
};

namespace {

// The longest wait between two attempts of one batch: a long retry_budget
// must not leave a writer asleep for half of it.
constexpr std::chrono::milliseconds kMaxRetryBackoff{30'000};

std::optional<Clock::time_point> ParseUtc(const std::string& text) {
  auto t = ParseDateTime(text);
  if (!t) return std::nullopt;
  return t->time_point();
}

std::size_t Size(const std::optional<std::string>& s) { return s ? s->size() : 0; }

// What a job holds, roughly: the queue's byte bound counts this.
std::size_t ApproxBytes(const std::vector<Posting>& postings, const std::vector<std::string>& keys,
                        const std::string& url, const storage::CachedPage& page) {
  std::size_t n = 256 + url.size();
  for (const Posting& p : postings) {
    n += 1024 + p.url.size() + Size(p.title) + Size(p.company) + Size(p.location) +
         Size(p.description) + Size(p.description_markdown) + Size(p.apply_url);
  }
  for (const std::string& k : keys) n += 32 + k.size();
  for (const Link& l : page.links) n += 48 + l.url.size() + l.lastmod.size();
  for (const std::string& k : page.listing_keys) n += 32 + k.size();
  return n;
}

}  // namespace

StoreWriter::StoreWriter(std::unique_ptr<storage::PostingStore> store, Options options,
                         NowFunction now)
    : store_(std::move(store)),
      options_(std::move(options)),
      now_(std::move(now)),
      alerts_(options_.alerts),
      thread_([this] { Loop(); }) {}

StoreWriter::~StoreWriter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void StoreWriter::Push(Job job, bool may_wait) {
  job.bytes = ApproxBytes(job.postings, job.keys, job.url, job.page);
  {
    std::unique_lock lock(mu_);
    // A run's progress report and lease renewal never wait, so while the
    // writer is held (an outage) they would pile up: one of each per run
    // stays queued, the newest report replacing the one waiting (its
    // counters are absolute), unless the run's finish is queued after it.
    if (job.kind == Job::Kind::kProgress || job.kind == Job::Kind::kRenew) {
      for (auto it = queue_.rbegin(); it != queue_.rend(); ++it) {
        if (it->run != job.run || it->kind == Job::Kind::kOpen || it->kind == Job::Kind::kSetNext ||
            it->kind == Job::Kind::kReadNext || it->kind == Job::Kind::kSourceId) {
          continue;
        }
        if (it->kind == Job::Kind::kFinish) break;
        if (it->kind != job.kind) continue;
        if (job.kind == Job::Kind::kProgress) it->record = std::move(job.record);
        return;
      }
    }
    // The writer's own callbacks must never wait for the writer.
    if (may_wait && std::this_thread::get_id() != thread_.get_id()) {
      space_.wait(lock, [&] {
        return queue_.empty() || (queue_.size() < options_.max_queue_jobs &&
                                  queued_bytes_ + job.bytes <= options_.max_queue_bytes);
      });
    }
    queued_bytes_ += job.bytes;
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void StoreWriter::OpenRun(SourceInfo source, OpenCallback done) {
  Push({.kind = Job::Kind::kOpen, .source = std::move(source), .opened = std::move(done)}, false);
}
void StoreWriter::RenewLease(RunId run) { Push({.kind = Job::Kind::kRenew, .run = run}, false); }
void StoreWriter::Upsert(RunId run, std::vector<Posting> postings) {
  Push({.kind = Job::Kind::kUpsert, .run = run, .postings = std::move(postings)}, true);
}
void StoreWriter::Touch(RunId run, std::string url, std::vector<std::string> listing_keys) {
  Push({.kind = Job::Kind::kTouch, .run = run, .keys = std::move(listing_keys), .url = std::move(url)},
       true);
}
void StoreWriter::Close(RunId run, std::vector<std::string> listing_keys) {
  Push({.kind = Job::Kind::kClose, .run = run, .keys = std::move(listing_keys)}, false);
}
void StoreWriter::SaveCache(RunId run, std::string url, storage::CachedPage page) {
  Push({.kind = Job::Kind::kCache, .run = run, .url = std::move(url), .page = std::move(page)}, true);
}
void StoreWriter::RecordError(RunId run, storage::CrawlError error) {
  Push({.kind = Job::Kind::kError, .run = run, .error = std::move(error)}, false);
}
void StoreWriter::Progress(RunId run, storage::RunRecord fetched) {
  Push({.kind = Job::Kind::kProgress, .run = run, .record = std::move(fetched)}, false);
}
void StoreWriter::FinishRun(RunId run, storage::RunRecord record, CloseRule rule,
                            FinishedCallback done) {
  Push({.kind = Job::Kind::kFinish, .run = run, .record = std::move(record), .rule = rule,
        .finished = std::move(done)},
       false);
}
void StoreWriter::SetNextRun(SourceInfo source, Clock::time_point at) {
  Push({.kind = Job::Kind::kSetNext, .source = std::move(source), .at = at}, false);
}
void StoreWriter::ReadNextRun(SourceInfo source,
                              std::function<void(std::optional<Clock::time_point>)> done) {
  Push({.kind = Job::Kind::kReadNext, .source = std::move(source), .next_run = std::move(done)},
       false);
}

void StoreWriter::SourceId(SourceInfo source, std::function<void(std::optional<std::int64_t>)> done) {
  Push({.kind = Job::Kind::kSourceId, .source = std::move(source), .source_id_done = std::move(done)}, false);
}

void StoreWriter::StopWaitingForDatabase() {
  {
    std::lock_guard lock(mu_);
    abandon_ = true;
  }
  cv_.notify_one();
}

std::int64_t StoreWriter::write_errors() const {
  std::lock_guard lock(mu_);
  return write_errors_;
}

StoreWriter::Run* StoreWriter::FindRun(RunId id) {
  auto it = runs_.find(id);
  return it == runs_.end() ? nullptr : &it->second;
}

void StoreWriter::SetAlerts(std::vector<storage::AlertRule> rules) {
  std::lock_guard lock(mu_);
  next_alerts_ = std::move(rules);
}

void StoreWriter::Loop() {
  while (true) {
    std::vector<Job> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {  // stopping, and everything is written (or given up)
        if (gave_up_) {
          std::cerr << "jobtrawl: " << lost_at_stop_
                    << " writes held during the outage were not stored and are lost (" << gave_up_->message
                    << ")\n";
        }
        return;
      }
      // A reloaded config's alerts apply from the next batch on.
      if (next_alerts_) {
        alerts_ = std::move(*next_alerts_);
        next_alerts_.reset();
      }
      std::size_t bytes = 0;
      while (!queue_.empty() && batch.size() < options_.max_batch_jobs &&
             (batch.empty() || bytes + queue_.front().bytes <= options_.max_batch_bytes)) {
        bytes += queue_.front().bytes;
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      queued_bytes_ -= bytes;
    }
    space_.notify_all();
    if (!alerts_.empty() && !capturing_) {
      // Postings are noted from the first batch an alert can see on.
      if (auto captured = store_->CaptureFreshPostings(); !captured) {
        // Said once: the alerts are off for the rest of this writer's life.
        std::cerr << "jobtrawl: alerts are off: " << captured.error().message << '\n';
        alerts_.clear();
      } else {
        capturing_ = true;
      }
    }
    WriteBatch(batch);
  }
}

std::chrono::steady_clock::time_point StoreWriter::Now() const {
  return options_.clock ? options_.clock() : std::chrono::steady_clock::now();
}

std::optional<Error> StoreWriter::WithRetries(const std::function<std::optional<Error>()>& attempt,
                                              std::chrono::steady_clock::time_point& deadline) {
  auto backoff = options_.retry_base;
  bool stop_budget_given = false;
  while (true) {
    if (gave_up_) return gave_up_;
    std::optional<Error> failure = attempt();
    // A transient failure with the session gone: the database cannot be
    // reached (an outage), whatever the call was.
    const bool unreachable = failure && failure->transient && !store_->Connected();
    if (unavailable_ && !unreachable) {
      // The server answered: the outage is over, and the batch gets its
      // whole budget again.
      unavailable_ = false;
      const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(Now() - outage_start_).count();
      std::cerr << "jobtrawl: the database is back after " << seconds << " s; writing what was held\n";
      if (options_.availability) options_.availability(false, "");
      deadline = Now() + options_.retry_budget;
      backoff = options_.retry_base;
    }
    if (!failure || !failure->transient) return failure;
    // Held through an outage, but not while stopping: then an unreachable
    // database is a transient failure like any other, within the budget.
    if (unreachable && !Stopping()) {
      if (!AwaitDatabase(*failure)) return gave_up_;
      continue;
    }
    if (unreachable && unavailable_ && !stop_budget_given) {
      // Stopping during an outage: the batch's deadline was spent while
      // it was held, so the stop gets one whole budget from now on.
      stop_budget_given = true;
      deadline = Now() + options_.retry_budget;
      backoff = options_.retry_base;
    }
    if (Now() + backoff > deadline) {
      // Stopping, and the database still cannot be reached after a whole
      // budget: the writes still queued are given up at once (lost, and
      // said so once) rather than each waiting its own budget.
      if (unreachable) gave_up_ = Error::Storage("the writer stopped while the database was unavailable: " +
                                                 failure->message);
      return failure;
    }
    std::this_thread::sleep_for(backoff);  // the writer's own thread: nobody else waits on it
    backoff = std::min(backoff * 2, std::max(options_.retry_base, kMaxRetryBackoff));
  }
}

bool StoreWriter::Stopping() const {
  std::lock_guard lock(mu_);
  return stopping_;
}

bool StoreWriter::AwaitDatabase(const Error& why) {
  std::unique_lock lock(mu_);
  if (!unavailable_) {
    unavailable_ = true;
    outage_start_ = Now();
    std::cerr << "jobtrawl: the database is unavailable (" << why.message << "); holding "
              << queue_.size() << " queued writes and the batch being written, and trying again until it is back\n";
    if (options_.availability) {
      lock.unlock();
      options_.availability(true, why.message);
      lock.lock();
    }
  }
  // The connection's own backoff says when reopening it is next tried; a
  // stop ends the wait (and the outage's writes) at once.
  const auto wait = std::max(options_.retry_base, store_->ReconnectWait());
  cv_.wait_for(lock, wait, [&] { return stopping_ || abandon_; });
  if (!abandon_) return true;  // try again (a stop: within the budget from now on)
  Error e = Error::Storage("the writer stopped while the database was unavailable: " + why.message);
  gave_up_ = std::move(e);
  return false;
}

// Opening a run is its own transaction: the run's id must be real before
// anything refers to it, whatever becomes of the rest of the batch.
std::expected<StoreWriter::RunStart, StoreWriter::OpenFailure> StoreWriter::TryOpen(
    const SourceInfo& source) {
  const auto now_point = now_();
  const std::string now = FormatUtc(now_point);
  const std::string expires = FormatUtc(now_point + options_.lease_ttl);
  auto fail = [&](const Error& e) {
    store_->Rollback();
    return std::unexpected(OpenFailure{{e.message, false}, e.transient});
  };
  if (auto began = store_->Begin(); !began) return fail(began.error());
  auto id = store_->EnsureSource(source.name, source.kind, now);
  if (!id) return fail(id.error());
  std::string note;
  if (source.fleet) {
    // The claim is the lease: checked first, and the schedule row stays
    // locked until this transaction commits.
    auto held = HoldsFleetLease(*id, *source.fleet);
    if (!held) return fail(held.error());
    if (!*held) {
      store_->Rollback();
      return std::unexpected(OpenFailure{{"the fleet lease of this claim is no longer held", true}});
    }
  } else if (auto lease = store_->AcquireLease(*id, options_.lease_holder, now, expires); !lease) {
    return fail(lease.error());
  } else if (lease->has_value()) {
    const std::string holder = (*lease)->holder;
    bool taken = false;
    if (options_.holder_is_dead && options_.holder_is_dead(holder)) {
      auto took = store_->TakeOverLease(*id, holder, options_.lease_holder, now, expires);
      if (!took) return fail(took.error());
      taken = *took;
    }
    if (!taken) {
      store_->Rollback();
      return std::unexpected(OpenFailure{
          {"being crawled by " + holder + " (lease until " + (*lease)->expires_at + ")", true}});
    }
    note = "took over the lease of " + holder + ", a process of this machine that no longer runs";
  }
  // Holding the lease, every run of the source still "running" was left by
  // a process that died (or lost its lease) before it finished.
  auto abandoned = store_->MarkAbandonedRuns(
      *id, "never finished: the process crawling it ended (killed or crashed) first");
  if (!abandoned) return fail(abandoned.error());
  Run run{.source_name = source.name, .source_id = *id, .started_at = now, .note = note, .fleet = source.fleet};
  auto open = store_->CountOpenListings(*id);
  if (!open) return fail(open.error());
  run.open_at_start = *open;
  auto cache = store_->LoadHttpCache(*id);
  if (!cache) return fail(cache.error());
  auto last_good = store_->LastGoodRunStats(*id);
  if (!last_good) return fail(last_good.error());
  // The runs degraded against one last good run are one breakage: one alarm.
  if (*last_good) run.breakage_key = source.name + ":" + storage::StableHash(**last_good);
  auto run_id = store_->BeginRun(*id, now);
  if (!run_id) return fail(run_id.error());
  run.run_id = *run_id;
  if (auto committed = store_->Commit(); !committed) return fail(committed.error());
  RunStart start{.run = next_run_++, .note = note, .last_good_stats = std::move(*last_good)};
  for (auto& [url, page] : *cache) start.cache.emplace(std::move(url), std::move(page));
  runs_.emplace(start.run, std::move(run));
  active_runs_.store(runs_.size());
  return start;
}

void StoreWriter::Open(Job& job) {
  auto deadline = Now() + options_.retry_budget;
  std::expected<RunStart, OpenFailure> result = std::unexpected(OpenFailure{});
  WithRetries(
      [&]() -> std::optional<Error> {
        result = TryOpen(job.source);
        if (result || !result.error().transient) return std::nullopt;
        Error e = Error::Storage(result.error().refusal.message);
        e.transient = true;
        return e;
      },
      deadline);
  if (result) {
    job.opened(std::move(*result));
  } else {
    job.opened(std::unexpected(std::move(result.error().refusal)));
  }
}

// Whether this process still holds `run`'s lease, checked once per batch
// inside its transaction, so no write lands after another process took it.
bool StoreWriter::HoldsLease(RunId id, Run& run, std::unordered_set<RunId>& leased,
                             std::optional<Error>& error) {
  if (run.lease_lost) return false;
  if (leased.contains(id)) return true;
  if (run.fleet) {
    auto held = HoldsFleetLease(run.source_id, *run.fleet);
    if (!held) {
      error = held.error();
      return false;
    }
    if (*held) {
      leased.insert(id);
      return true;
    }
    run.lease_lost = true;
    run.lease_holder_now.clear();  // taken over after expiry, or released by a drain
    if (options_.lease_lost) options_.lease_lost(id, run.lease_holder_now);
    return false;
  }
  auto holder = store_->LeaseHolder(run.source_id);
  if (!holder) {
    error = holder.error();
    return false;
  }
  if (*holder == options_.lease_holder) {
    leased.insert(id);
    return true;
  }
  run.lease_lost = true;
  run.lease_holder_now = holder->value_or("");
  if (options_.lease_lost) options_.lease_lost(id, run.lease_holder_now);
  return false;
}

std::expected<bool, Error> StoreWriter::HoldsFleetLease(std::int64_t source_id, const FleetLease& lease) {
  try {
    auto check = store_->connection().Cached(kFleetLeaseCheck);
    check.Bind(1, source_id);
    check.Bind(2, lease.owner);
    check.Bind(3, lease.token);
    const bool held = check.Step();
    check.Reset();
    return held;
  } catch (const storage::sql::Exception& e) {
    Error error = Error::Storage(std::string("checking the fleet lease: ") + e.what());
    error.transient = e.transient();
    return std::unexpected(std::move(error));
  }
}

std::optional<Error> StoreWriter::Finish(Job& job, Run& run, const Tally& tally) {
  const auto now_point = now_();
  const std::string now = FormatUtc(now_point);
  // A copy: if this batch is rolled back, the job is finished again from
  // the caller's record, not from this attempt's.
  storage::RunRecord r = job.record;
  if (!run.note.empty()) r.message = r.message.empty() ? run.note : r.message + "; " + run.note;
  if (job.rule.allowed && !run.lease_lost) {
    // No mass closing on an outage: a run that saw far fewer listings than
    // were open closes nothing.
    auto seen = store_->CountSeenSince(run.source_id, run.started_at);
    if (!seen) return seen.error();
    Tally closed = tally;
    if (run.open_at_start >= 10 && *seen * 2 < run.open_at_start) {
      r.message = "saw " + std::to_string(*seen) + " listings where " +
                  std::to_string(run.open_at_start) + " were open: closed none";
    } else {
      auto n = store_->CloseUnseen(run.source_id, FormatUtc(now_point - job.rule.close_after), now);
      if (!n) return n.error();
      closed.closed += *n;
    }
    r.closed = closed.closed;
    if (options_.cache_ttl.count() > 0) {
      // Pages the board no longer links to: their rows would otherwise be
      // loaded on every crawl, forever.
      auto pruned = store_->PruneHttpCache(run.source_id, FormatUtc(now_point - options_.cache_ttl));
      if (!pruned) return pruned.error();
    }
  } else {
    r.closed = tally.closed;
  }
  if (r.status == "degraded" && !run.lease_lost) {
    // The pages it read are read afresh next time, so the next run checks
    // them again rather than passing on unchanged bodies.
    auto forgot = store_->ForgetHttpCacheSince(run.source_id, run.started_at);
    if (!forgot) return forgot.error();
  }
  r.counts = tally.counts;
  r.finished_at = now;
  if (run.lost > 0) {
    // Writes that never reached the disk make the run a failure.
    r.status = "failed";
    r.errors += run.lost;
    r.message = std::to_string(run.lost) + " database writes lost (" + run.lost_reason + ")" +
                (r.message.empty() ? "" : "; " + r.message);
  }
  if (run.lease_lost) {
    r.status = "failed";
    r.message = "lost the source's lease to " +
                (run.lease_holder_now.empty() ? std::string("nobody (it was released)")
                                              : run.lease_holder_now) +
                ": stopped, and " + std::to_string(tally.not_applied) + " writes not applied" +
                (r.message.empty() ? "" : "; " + r.message);
  }
  if (r.status == "degraded" && !alerts_.empty()) {
    const std::string alarm = boost::json::serialize(boost::json::object{
        {"source", run.source_name}, {"run_id", run.run_id}, {"status", r.status},
        {"message", r.message}, {"started_at", run.started_at}, {"finished_at", now}});
    // Keyed by the breakage, not the run: the runs that stay degraded add no
    // alarm (the outbox ignores a key it holds).
    auto added = store_->EnqueueAlarm(
        alerts_, run.breakage_key.empty() ? std::to_string(run.run_id) : run.breakage_key, alarm, now);
    if (!added) return added.error();
    outbox_rows_ += *added;
  }
  if (auto written = store_->FinishRun(run.run_id, r); !written) return written.error();
  if (!run.lease_lost && !run.fleet) {  // a fleet claim is released by its node
    if (auto released = store_->ReleaseLease(run.source_id, options_.lease_holder); !released) {
      return released.error();
    }
  }
  job.written = std::move(r);
  return std::nullopt;
}

std::optional<Error> StoreWriter::Apply(Job& job, std::unordered_map<RunId, Tally>& delta,
                                        std::unordered_set<RunId>& leased) {
  const std::string now = FormatUtc(now_());
  Run* run = nullptr;
  const bool of_a_run = job.kind != Job::Kind::kOpen && job.kind != Job::Kind::kSetNext &&
                        job.kind != Job::Kind::kReadNext && job.kind != Job::Kind::kSourceId;
  if (of_a_run) {
    run = FindRun(job.run);
    if (run == nullptr) {
      // A late progress report or lease renewal of a finished run has
      // nothing left to update.
      if (job.kind == Job::Kind::kProgress || job.kind == Job::Kind::kRenew) return std::nullopt;
      return Error::Internal("no open run " + std::to_string(job.run));
    }
  }
  // Writes that change the source's postings and cache need its lease.
  std::optional<Error> lease_error;
  auto may_write = [&] {
    if (HoldsLease(job.run, *run, leased, lease_error)) return true;
    // In the attempt's delta: an attempt rolled back and tried again (or
    // the batch then written job by job) skips the job again.
    if (!lease_error) ++delta[job.run].not_applied;
    return false;
  };
  switch (job.kind) {
    case Job::Kind::kOpen:
      return std::nullopt;  // done before the batch
    case Job::Kind::kRenew: {
      if (run->lease_lost) return std::nullopt;  // never taken back behind the new holder's back
      if (run->fleet) return std::nullopt;       // the fleet node heartbeats its claims
      auto lease = store_->AcquireLease(run->source_id, options_.lease_holder, now,
                                        FormatUtc(now_() + options_.lease_ttl));
      if (!lease) return lease.error();
      if (lease->has_value()) {
        run->lease_lost = true;
        run->lease_holder_now = (*lease)->holder;
        if (options_.lease_lost) options_.lease_lost(job.run, run->lease_holder_now);
      }
      return std::nullopt;
    }
    case Job::Kind::kUpsert: {
      if (!may_write()) return lease_error;
      auto c = store_->Upsert(run->source_id, job.postings, now);
      if (!c) return c.error();
      delta[job.run].counts += *c;
      return std::nullopt;
    }
    case Job::Kind::kTouch: {
      if (!may_write()) return lease_error;
      auto c = store_->Touch(run->source_id, job.keys, now);
      if (!c) return c.error();
      if (!job.url.empty()) {
        if (auto used = store_->MarkCacheUsed(run->source_id, job.url, now); !used) return used.error();
      }
      delta[job.run].counts += *c;
      return std::nullopt;
    }
    case Job::Kind::kClose: {
      if (!may_write()) return lease_error;
      auto n = store_->CloseListings(run->source_id, job.keys, now);
      if (!n) return n.error();
      delta[job.run].closed += *n;
      return std::nullopt;
    }
    case Job::Kind::kCache: {
      if (!may_write()) return lease_error;
      auto r = store_->SaveHttpCache(run->source_id, job.url, job.page, now);
      if (!r) return r.error();
      return std::nullopt;
    }
    case Job::Kind::kError: {
      auto r = store_->RecordError(run->run_id, job.error, now);
      if (!r) return r.error();
      return std::nullopt;
    }
    case Job::Kind::kProgress:
      run->fetched = job.record;
      delta[job.run];  // the run's row is brought up to date with the batch
      return std::nullopt;
    case Job::Kind::kFinish: {
      // Whether the lease is still ours decides what finishing may do.
      if (!run->lease_lost) {
        HoldsLease(job.run, *run, leased, lease_error);
        if (lease_error) return lease_error;
      }
      // The run ends here: its record counts what is committed plus what
      // this batch wrote before it.
      Tally total = run->tally;
      if (auto it = delta.find(job.run); it != delta.end()) {
        total.counts += it->second.counts;
        total.closed += it->second.closed;
        total.not_applied += it->second.not_applied;
      }
      return Finish(job, *run, total);
    }
    case Job::Kind::kSetNext: {
      auto id = store_->EnsureSource(job.source.name, job.source.kind, now);
      if (!id) return id.error();
      auto r = store_->SetNextRun(*id, FormatUtc(job.at));
      if (!r) return r.error();
      return std::nullopt;
    }
    case Job::Kind::kSourceId: {
      auto id = store_->EnsureSource(job.source.name, job.source.kind, now);
      if (!id) return id.error();
      job.source_id = *id;
      return std::nullopt;
    }
    case Job::Kind::kReadNext: {
      job.at = {};
      auto id = store_->FindSource(job.source.name);
      if (!id) return id.error();
      if (!*id) return std::nullopt;  // never crawled: no schedule yet
      // The daemon reads its schedule as it starts: what a dead process of
      // this machine left on the source (its lease, a run still "running")
      // is cleared now, not only when the source is next crawled.
      auto holder = store_->LeaseHolder(**id);
      if (!holder) return holder.error();
      if (*holder && options_.holder_is_dead && options_.holder_is_dead(**holder)) {
        const std::string at_now = FormatUtc(now_());
        auto took = store_->TakeOverLease(**id, **holder, options_.lease_holder, at_now, at_now);
        if (!took) return took.error();
        if (*took) {
          auto abandoned = store_->MarkAbandonedRuns(
              **id, "never finished: the process crawling it ended (killed or crashed) first");
          if (!abandoned) return abandoned.error();
          if (auto released = store_->ReleaseLease(**id, options_.lease_holder); !released) {
            return released.error();
          }
        }
      }
      auto at = store_->NextRun(**id);
      if (!at) return at.error();
      if (*at) {
        if (auto parsed = ParseUtc(**at)) job.at = *parsed;
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<Error> StoreWriter::Transact(std::span<Job> jobs, std::unordered_map<RunId, Tally>& delta,
                                           std::chrono::steady_clock::time_point& deadline) {
  // The dedup-group locks (PostgreSQL) the failed attempts asked for: each
  // attempt takes them first, in order, so one that failed on a group lock
  // it could only try waits for it the next time.
  std::set<std::int32_t> groups;
  auto failed = [&](Error e) -> std::optional<Error> {
    const std::vector<std::int32_t> asked = store_->GroupLocksAsked();
    groups.insert(asked.begin(), asked.end());
    store_->Rollback();
    return e;
  };
  return WithRetries(
      [&]() -> std::optional<Error> {
        delta.clear();
        outbox_rows_ = 0;
        std::unordered_set<RunId> leased;
        if (auto began = store_->Begin(); !began) return began.error();
        if (!groups.empty()) {
          const std::vector<std::int32_t> first(groups.begin(), groups.end());
          if (auto locked = store_->LockGroups(first); !locked) return failed(locked.error());
        }
        for (Job& job : jobs) {
          if (job.kind == Job::Kind::kOpen) continue;
          if (auto e = Apply(job, delta, leased)) return failed(std::move(*e));
        }
        // Alerts for what this batch stored, committed with it.
        // Also with no alert left after a reload: the notes are cleared.
        if (capturing_) {
          std::vector<std::string> skipped;
          auto added = store_->EnqueueAlerts(alerts_, FormatUtc(now_()), &skipped);
          if (!added) return failed(added.error());
          outbox_rows_ += *added;
          for (const std::string& why : skipped) std::cerr << "jobtrawl: alert skipped: " << why << '\n';
        }
        // Runs still going show what is committed so far (crawl_runs is
        // read while a crawl runs); a finished run's row is already final.
        for (const auto& [id, t] : delta) {
          const Run* run = FindRun(id);
          if (run == nullptr) continue;
          storage::RunRecord progress = run->fetched;
          progress.counts = run->tally.counts;
          progress.counts += t.counts;
          progress.closed = run->tally.closed + t.closed;
          if (auto e = store_->UpdateRunProgress(run->run_id, progress); !e) return failed(e.error());
        }
        if (auto committed = store_->Commit(); !committed) return failed(committed.error());
        if (outbox_rows_ > 0 && options_.outbox_added) options_.outbox_added();
        return std::nullopt;
      },
      deadline);
}

void StoreWriter::WriteBatch(std::vector<Job>& batch) {
  for (Job& job : batch) {
    if (job.kind == Job::Kind::kOpen) Open(job);
  }
  if (std::all_of(batch.begin(), batch.end(), [](const Job& j) { return j.kind == Job::Kind::kOpen; })) {
    return;
  }
  auto deadline = Now() + options_.retry_budget;
  auto merge = [this](std::unordered_map<RunId, Tally>& d) {
    for (auto& [id, t] : d) {
      if (Run* run = FindRun(id)) {
        run->tally.counts += t.counts;
        run->tally.closed += t.closed;
        run->tally.not_applied += t.not_applied;
        if (options_.committed) options_.committed(id, run->tally.counts);
      }
    }
  };
  // The rest in one transaction, tried again while the failure is
  // transient. Each attempt starts from nothing: delta and the lease checks
  // are per transaction.
  std::unordered_map<RunId, Tally> delta;
  std::optional<Error> failure = Transact(batch, delta, deadline);
  if (!failure) {
    merge(delta);
  } else {
    // One by one, so a single bad job costs only itself; but not a batch
    // whose COMMIT may have been applied (its reply lost, the server unable
    // to say): written again, its postings would count as unchanged, its
    // errors twice, and its finished run as failed for a lease it released.
    // Its jobs are reported failed with that message instead.
    const bool maybe_applied = store_->CommitOutcomeUnknown();
    for (Job& job : batch) {
      if (job.kind == Job::Kind::kOpen) continue;
      std::unordered_map<RunId, Tally> one;
      job.failure = maybe_applied ? failure : Transact(std::span<Job>(&job, 1), one, deadline);
      if (!job.failure) {
        merge(one);
        continue;
      }
      if (job.kind != Job::Kind::kSetNext && job.kind != Job::Kind::kReadNext &&
          job.kind != Job::Kind::kSourceId) {
        if (Run* run = FindRun(job.run)) {
          ++run->lost;
          run->lost_reason = job.failure->message;
        }
      }
      if (gave_up_) ++lost_at_stop_;  // said once, as the writer ends
      std::lock_guard lock(mu_);
      ++write_errors_;
    }
  }
  for (Job& job : batch) {
    if (job.failure && !gave_up_) {
      std::cerr << "jobtrawl: database write failed: " << job.failure->message << '\n';
    }
    if (job.kind == Job::Kind::kFinish) {
      if (job.failure) {
        // The run's row could not be finished: it stays "running" until the
        // next run of the source marks it, and the caller hears why.
        job.written = job.record;
        job.written.status = "failed";
        job.written.message = "the run's record could not be written: " + job.failure->message;
      }
      runs_.erase(job.run);
      active_runs_.store(runs_.size());
      if (job.finished) job.finished(job.written);
    }
    if (job.kind == Job::Kind::kSourceId && job.source_id_done) {
      job.source_id_done(job.failure ? std::nullopt : std::optional(job.source_id));
    }
    if (job.kind == Job::Kind::kReadNext && job.next_run) {
      job.next_run(job.at == Clock::time_point{} ? std::nullopt : std::optional(job.at));
    }
  }
}

}  // namespace jobtrawl::app
