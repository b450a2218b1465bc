#include "app/daemon.h"

#include "app/alerts.h"

#include <systemd/sd-daemon.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <csignal>
#include <map>
#include <random>
#include <thread>

#include "app/crawl_pipeline.h"
#include "app/metrics.h"
#include "app/metrics_server.h"
#include "app/run_stats.h"
#include "app/source_crawl.h"
#include "app/store_writer.h"
#include "model/database_location.h"
#include "model/date_time.h"
#include "crawler/crawl.h"
#include "crawler/fetcher.h"

#ifdef JOBTRAWL_HAVE_PG
#include "app/fleet_host_budget.h"
#include "app/fleet_node.h"
#endif

namespace jobtrawl::app {

namespace asio = boost::asio;
using std::chrono::milliseconds;

void NotifyServiceManager(const std::string& message) { sd_notify(0, message.c_str()); }

class Daemon::Impl {
 public:
  Impl(asio::io_context& ioc, config::Config config, DaemonOptions options)
      : ioc_(ioc),
        config_(std::move(config)),
        options_(std::move(options)),
        rng_(std::random_device{}()),
        signals_(ioc, SIGINT, SIGTERM),
        hangup_(ioc, SIGHUP),
        usr1_(ioc, SIGUSR1),
        renew_(ioc),
        watchdog_(ioc),
        drain_(ioc) {
    if (!options_.notify) options_.notify = NotifyServiceManager;
    if (!options_.log) options_.log = [](LogLevel, std::string_view) {};
  }

  int Run() {
    // On a PostgreSQL database this process is a fleet node: its name goes
    // into every log line (FleetNode's own lines name it already).
    fleet_mode_ = IsPostgresUrl(config_.storage.database.string());
    if (fleet_mode_) {
#ifdef JOBTRAWL_HAVE_PG
      node_name_ = FleetNodeName(config_.node.name);
      fleet_log_ = options_.log;
      options_.log = [inner = options_.log, prefix = "node " + node_name_ + ": "](LogLevel level,
                                                                                 std::string_view message) {
        inner(level, prefix + std::string(message));
      };
#else
      Log(LogLevel::kError, "this jobtrawl is built without PostgreSQL (libpq)");
      return 3;
#endif
    }
    auto store = storage::PostingStore::Open(config_.storage.database, StoreOptionsFrom(config_.storage));
    if (!store) {
      Log(LogLevel::kError, store.error().message);
      return 3;
    }
    metrics_ = std::make_unique<Metrics>(config_.storage.database);
    if (fleet_mode_) metrics_->SetNode(node_name_);
    // The last success of each source survives a restart, so an alert on
    // it also fires for a source that keeps failing after one.
    for (const auto& s : config_.sources) {
      auto id = (*store)->FindSource(s.name);
      if (!id || !*id) continue;
      auto last = (*store)->LastSuccessfulRun(**id);
      if (!last || !*last) continue;
      if (auto at = ParseDateTime((*last)->finished_at)) metrics_->SetLastSuccess(s.name, at->time_point());
    }
    if (!config_.alerts.empty()) StartDelivery();
    writer_ = std::make_unique<StoreWriter>(
        std::move(*store),
        StoreWriter::Options{
            .lease_holder = LeaseHolderName("daemon"),
            .lease_ttl = options_.lease_ttl,
            .holder_is_dead = LeaseHolderIsDead,
            .lease_lost =
                [this, &ioc = ioc_, alive = std::weak_ptr(alive_)](StoreWriter::RunId run,
                                                                     const std::string& holder) {
                  asio::post(ioc, [this, alive, run, holder] {
                    if (alive.lock()) OnLeaseLost(run, holder);
                  });
                },
            .cache_ttl = config_.storage.cache_ttl,
            .alerts = AlertRules(config_.alerts),
            .outbox_added = [this] {
              if (delivery_) delivery_->Wake();
            },
            .retry_budget = config_.storage.retry_budget,
            // Metrics is thread-safe and outlives the writer.
            .availability = [metrics = metrics_.get()](bool unavailable,
                                                       const std::string&) { metrics->SetStoreUnavailable(unavailable); }},
        options_.now);
    const int threads = options_.parse_threads > 0
                            ? options_.parse_threads
                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    pool_ = std::make_unique<asio::thread_pool>(static_cast<std::size_t>(threads));
    fetcher_ = std::make_unique<crawler::Fetcher>(ioc_, config_.http);
#ifdef JOBTRAWL_HAVE_PG
    if (fleet_mode_) {
      // Per-host politeness across the fleet: each request to a host waits
      // for a slot reserved in the shared database.
      host_budget_ = std::make_shared<FleetHostBudget>(FleetHostBudget::Options{
          .database_url = config_.storage.database.string(),
          .node = node_name_,
          .lock_timeout = config_.storage.queue_lock_timeout,
          .statement_timeout = config_.storage.queue_statement_timeout,
          .log = fleet_log_});
      fetcher_->SetHostBudget(host_budget_);
    }
#endif
    window_ = std::make_unique<crawler::ProcessingWindow>(*fetcher_,
                                                          static_cast<std::size_t>(threads) * 8 + 16);

    if (!config_.metrics.listen.empty()) {
      // Metrics that cannot be served are logged, never a reason to stop crawling.
      auto server = MetricsServer::Start(ioc_, config_.metrics.listen, *metrics_);
      if (server) {
        metrics_server_ = std::move(*server);
        Log(LogLevel::kInfo, "metrics at http://" + config_.metrics.listen.substr(0, config_.metrics.listen.rfind(':')) +
                                 ":" + std::to_string(metrics_server_->port()) + "/metrics");
      } else {
        Log(LogLevel::kError, server.error().message + "; running without metrics");
      }
    }
    if (fleet_mode_) {
      StartFleet();
    } else {
      for (const auto& s : config_.sources) AddSource(s);
    }
    WaitForSignals();
    RenewLeases();
    StartWatchdog();
    Log(LogLevel::kInfo, "serving " + std::to_string(sources_.size()) + " sources from " +
                             RedactedDatabaseLocation(config_.storage.database.string()) +
                             (fleet_mode_ ? " as a fleet node" : ""));
    options_.notify("READY=1\nSTATUS=" + Status());

    auto work = asio::make_work_guard(ioc_);
    while (!finished_) {
      if (ioc_.stopped()) ioc_.restart();
      ioc_.run_one();
    }
    work.reset();
    signals_.cancel();
    hangup_.cancel();
    usr1_.cancel();
    renew_.cancel();
    watchdog_.cancel();
    drain_.cancel();
    metrics_server_.reset();
#ifdef JOBTRAWL_HAVE_PG
    fleet_.reset();  // joins its thread; its leases were released by the drain
#endif
    // Parse threads may wait on the writer's full queue while it waits
    // for an unreachable database: it gives up now (what it holds is lost
    // and logged), so they end.
    writer_->StopWaitingForDatabase();
    pool_->join();
    fetcher_.reset();
#ifdef JOBTRAWL_HAVE_PG
    host_budget_.reset();  // joins its thread (the fetcher let go of it)
#endif
    window_.reset();
    writer_.reset();  // everything queued is on disk now
    delivery_.reset();  // the delivery in flight ends; the rest waits in the outbox
    Log(LogLevel::kInfo, "stopped after " + std::to_string(completed_) + " runs");
    return 0;
  }

  void Stop() {
    if (stopping_) return;
    stopping_ = true;
    options_.notify("STOPPING=1");
    Log(LogLevel::kNotice, "stopping: no new crawls; transfers in flight get " +
                               std::to_string(options_.shutdown_grace.count()) + " ms");
#ifdef JOBTRAWL_HAVE_PG
    // A fleet node claims nothing more; each crawl's end releases its claim.
    if (fleet_) fleet_->StopClaiming();
#endif
    for (auto& [name, s] : sources_) {
      if (s.timer) s.timer->cancel();
      if (s.crawl) s.crawl->Stop();
    }
    // Nothing new starts; what runs gets the grace period, then is cut.
    fetcher_->Pause();
    drain_deadline_ = Clock::now() + options_.shutdown_grace;
    Drain();
  }

  void Reload() {
    auto fresh = config::LoadConfig(options_.config_path);
    if (fresh) {
      // What `check-config` rejects (an alert query FTS5 cannot read) fails the reload too.
      if (auto errors = CheckAlerts(*fresh); !errors.empty()) fresh = std::unexpected(std::move(errors));
    }
    if (!fresh) {
      for (const auto& e : fresh.error()) Log(LogLevel::kError, "reload: " + e.ToString());
      Log(LogLevel::kWarning, "reload failed: still running on the previous config");
      return;
    }
    if (fresh->storage.database != config_.storage.database) {
      Log(LogLevel::kWarning, "reload: a new [storage] database takes effect after a restart");
    }
    if (fresh->storage.dedup_distance != config_.storage.dedup_distance) {
      Log(LogLevel::kWarning, "reload: a new [storage] dedup_distance takes effect after a restart");
    }
    Log(LogLevel::kNotice, "reload: " + std::to_string(fresh->sources.size()) + " sources");
    // Removed sources finish a running crawl and are not scheduled again;
    // new ones are scheduled; changed ones use their new config next time.
    for (auto& [name, s] : sources_) {
      if (fresh->FindSource(name) == nullptr) {
        s.removed = true;
        if (s.timer) s.timer->cancel();
        Log(LogLevel::kInfo, name + ": removed from the config");
      }
    }
    for (const auto& src : fresh->sources) {
      auto it = sources_.find(src.name);
      if (it == sources_.end()) {
        if (fleet_mode_) {
          sources_[src.name].config = src;
        } else {
          AddSource(src);
        }
        Log(LogLevel::kInfo, src.name + ": added");
      } else {
        it->second.config = src;
        it->second.removed = false;
      }
    }
    // A fleet node puts new sources (and changed intervals) on the shared schedule.
    if (fleet_mode_) ScheduleOnFleet(fresh->sources);
    std::erase_if(sources_, [](const auto& entry) {
      return entry.second.removed && !entry.second.crawl && !entry.second.opening;
    });
    if (fresh->http.user_agent != config_.http.user_agent ||
        fresh->http.max_connections != config_.http.max_connections ||
        fresh->http.per_host_connections != config_.http.per_host_connections ||
        fresh->http.delay != config_.http.delay) {
      Log(LogLevel::kWarning, "reload: [http] changes take effect after a restart");
    }
    config_.sources = fresh->sources;
    // [[alert]] and [delivery]: new rules from the writer's next batch, the
    // worker's next pass; what is queued for a removed alert waits in the
    // outbox in case it comes back.
    if (fresh->alerts.size() != config_.alerts.size() ||
        !std::equal(fresh->alerts.begin(), fresh->alerts.end(), config_.alerts.begin(),
                    [](const config::AlertConfig& a, const config::AlertConfig& b) { return a.name == b.name; })) {
      Log(LogLevel::kInfo, "reload: " + std::to_string(fresh->alerts.size()) + " alerts");
    }
    config_.alerts = fresh->alerts;
    config_.delivery = fresh->delivery;
    writer_->SetAlerts(AlertRules(config_.alerts));
    if (delivery_) {
      delivery_->Reconfigure(config_.alerts, config_.delivery);
    } else if (!config_.alerts.empty()) {
      StartDelivery();
    }
    options_.notify("STATUS=" + Status());
  }

  // Delivers what the outbox holds (also rows a previous process left) on
  // a thread of its own; the writer wakes it after each commit that queued
  // alerts.
  void StartDelivery() {
    auto delivery = AlertDelivery::Open(
        config_.storage.database,
        {.alerts = config_.alerts,
         .delivery = config_.delivery,
         .user_agent = config_.http.user_agent,
         // From the worker's thread to the loop's, as every log line.
         .log = [this, &ioc = ioc_, alive = std::weak_ptr(alive_)](LogLevel level, std::string_view message) {
           asio::post(ioc, [this, alive, level, m = std::string(message)] {
             if (alive.lock()) Log(level, m);
           });
         },
         // Metrics outlives the worker (reset after it).
         .on_outcome = [metrics = metrics_.get()](const std::string& alert, std::string_view outcome,
                                                  int n) { metrics->OnAlertOutcome(alert, outcome, n); },
         .on_pending = [metrics = metrics_.get()](std::int64_t n) { metrics->SetAlertOutboxPending(n); }});
    if (delivery) {
      delivery_ = std::make_unique<DeliveryWorker>(std::move(*delivery));
    } else {
      Log(LogLevel::kError, "alerts are not delivered: " + delivery.error().message);
    }
  }

  std::size_t completed_runs() const { return completed_; }
  std::uint16_t metrics_port() const { return metrics_server_ ? metrics_server_->port() : 0; }

 private:
  struct Source {
    config::SourceConfig config;
    std::unique_ptr<asio::steady_timer> timer;
    std::unique_ptr<SourceCrawl> crawl;  // set while a crawl runs
    bool opening = false;                // OpenRun asked, its answer not yet here
    storage::RunRecord last;             // of the last finished run, for DumpStats
    Clock::time_point next{};
    bool removed = false;
#ifdef JOBTRAWL_HAVE_PG
    std::optional<storage::pg::Claim> claim;  // a fleet node's claim the running crawl works under
#endif
  };

  void Log(LogLevel level, const std::string& message) { options_.log(level, message); }

  void AddSource(const config::SourceConfig& config) {
    Source& s = sources_[config.name];
    s.config = config;
    s.timer = std::make_unique<asio::steady_timer>(ioc_);
    // A restart continues the stored schedule; sources that are due (or
    // new) start within startup_spread, not all at the same moment.
    writer_->ReadNextRun({config.name, config.kind}, [this, &ioc = ioc_, name = config.name,
                                                         alive = std::weak_ptr(alive_)](
                                                          std::optional<Clock::time_point> at) {
      asio::post(ioc, [this, name, at, alive] {
        if (alive.expired()) return;  // the daemon is gone
        auto it = sources_.find(name);
        if (it == sources_.end() || stopping_) return;
        const auto now = options_.now();
        // Never later than one interval: a source crawled every second
        // does not wait half a minute after a restart.
        const milliseconds window = std::min(options_.startup_spread, it->second.config.every);
        auto spread = milliseconds(static_cast<milliseconds::rep>(
            Uniform() * static_cast<double>(window.count())));
        Schedule(it->second, at && *at > now ? *at : now + spread);
      });
    });
  }

  double Uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }

  void Schedule(Source& s, Clock::time_point at) {
    s.next = at;
    Log(LogLevel::kInfo, s.config.name + ": next crawl at " + FormatUtc(at));
    const auto wait = std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(at - options_.now()));
    s.timer->expires_after(wait);
    s.timer->async_wait([this, name = s.config.name](boost::system::error_code ec) {
      if (ec || stopping_) return;
      Fire(name);
    });
  }

  Clock::time_point NextAfter(const Source& s, Clock::time_point from) {
    double factor = 1.0 + options_.every_jitter * (2 * Uniform() - 1);
    return from + milliseconds(static_cast<milliseconds::rep>(
                      static_cast<double>(s.config.every.count()) * factor));
  }

  void Fire(const std::string& name) {
    auto it = sources_.find(name);
    if (it == sources_.end() || it->second.removed) return;
    Source& s = it->second;
    if (s.crawl) {
      // Still crawling from last time: never two crawls of one source.
      Log(LogLevel::kNotice, name + ": previous crawl still running; this one is skipped");
      Schedule(s, NextAfter(s, options_.now()));
      return;
    }
    if (s.opening) return;
    s.opening = true;
    writer_->OpenRun({s.config.name, s.config.kind}, [this, &ioc = ioc_, name, alive = std::weak_ptr(alive_)](
                                                          auto result) {
      asio::post(ioc, [this, name, alive, result = std::move(result)]() mutable {
        if (!alive.expired()) OnOpened(name, std::move(result));
      });
    });
  }

  void OnOpened(const std::string& name,
                std::expected<StoreWriter::RunStart, StoreWriter::Refusal> result) {
    auto it = sources_.find(name);
    if (it == sources_.end()) return;
    Source& s = it->second;
    s.opening = false;
    if (!result) {
#ifdef JOBTRAWL_HAVE_PG
      if (s.claim) {
        // The claim ends here: given back when stopping (due again at
        // once), else the crawl counts as failed (the source backs off).
        auto claim = std::move(*s.claim);
        s.claim.reset();
        if (stopping_) {
          fleet_->GiveBack(claim);
          return Drain();
        }
        Log(LogLevel::kError, name + ": cannot start a crawl: " + result.error().message);
        fleet_->Finish(claim, storage::work::Outcome::kFailure);
        return;
      }
#endif
      if (stopping_) return Drain();
      if (result.error().leased) {
        Log(LogLevel::kNotice, name + ": " + result.error().message + "; trying again later");
        Schedule(s, options_.now() + std::min<milliseconds>(s.config.every, std::chrono::minutes(1)));
      } else {
        Log(LogLevel::kError, name + ": cannot start a crawl: " + result.error().message);
        Schedule(s, NextAfter(s, options_.now()));
      }
      return;
    }
    if (stopping_) {
      // Opened as the daemon began to stop: close the run at once.
      s.crawl = MakeCrawl(s, std::move(*result));
      s.crawl->Start();
      s.crawl->Stop();
      return;
    }
    if (!result->note.empty()) Log(LogLevel::kNotice, name + ": " + result->note);
    Log(LogLevel::kInfo, name + ": crawling " + s.config.start.front());
    s.crawl = MakeCrawl(s, std::move(*result));
    s.crawl->Start();
    options_.notify("STATUS=" + Status());
  }

  // Another process holds the lease now: this crawl must stop writing.
  void OnLeaseLost(StoreWriter::RunId run, const std::string& holder) {
    for (auto& [name, s] : sources_) {
      if (s.crawl && s.crawl->run() == run) {
        Log(LogLevel::kWarning, name + ": lost its lease to " + (holder.empty() ? "nobody" : holder) +
                                    "; stopping this crawl");
        s.crawl->Stop();
      }
    }
  }

  std::unique_ptr<SourceCrawl> MakeCrawl(Source& s, StoreWriter::RunStart run) {
    return std::make_unique<SourceCrawl>(
        ioc_, *pool_, *writer_, *fetcher_, *window_, s.config, std::move(run), options_.log,
        [this, name = s.config.name](const storage::RunRecord& r) { OnCrawled(name, r); },
        config_.http.run_deadline, metrics_.get());
  }

  void OnCrawled(const std::string& name, const storage::RunRecord& r) {
    auto it = sources_.find(name);
    if (it == sources_.end()) return;
    Source& s = it->second;
    s.last = r;
    ++completed_;
#ifdef JOBTRAWL_HAVE_PG
    if (s.claim) {
      // A run the stop cut short is given back, due again at once for the
      // other nodes; any other end (also during the drain) is released with
      // its outcome.
      if (stopping_ && r.status == "interrupted") {
        fleet_->GiveBack(*s.claim);
      } else {
        fleet_->Finish(*s.claim, r.status == "failed" ? storage::work::Outcome::kFailure
                                                      : storage::work::Outcome::kSuccess);
      }
      s.claim.reset();
    }
#endif
    last_ = name + " " + r.status + " (" + std::to_string(r.pages) + " pages, " +
            std::to_string(r.counts.new_postings) + " new, " + std::to_string(r.counts.updated) +
            " updated, " + std::to_string(r.closed) + " closed, " + std::to_string(r.errors) +
            " errors)";
    Log(r.status == "failed" ? LogLevel::kWarning : LogLevel::kInfo,
        name + ": " + r.status + ": " + std::to_string(r.pages) + " pages, " +
            std::to_string(r.not_modified) + " not modified, postings " +
            std::to_string(r.counts.new_postings) + " new, " + std::to_string(r.counts.updated) +
            " updated, " + std::to_string(r.counts.unchanged) + " unchanged, " +
            std::to_string(r.closed) + " closed; " + std::to_string(r.errors) + " errors" +
            (r.message.empty() ? "" : "; " + r.message));
    // The crawl object called us: let it go once this handler is done.
    asio::post(ioc_, [crawl = std::move(s.crawl)] {});
    if (s.removed) {
      sources_.erase(it);
    } else if (!stopping_ && !fleet_mode_) {
      auto next = NextAfter(s, options_.now());
      writer_->SetNextRun({name, s.config.kind}, next);
      Schedule(s, next);
    }
    options_.notify("STATUS=" + Status());
    if (stopping_) Drain();
  }

  // Shutdown: once no transfer runs (or the grace period is over), what is
  // still queued is cancelled; once no crawl runs, the loop ends.
  void Drain() {
    // A run being opened counts: once open, it has a row and a lease that
    // only its crawl's end gives back.
    bool crawling = std::any_of(sources_.begin(), sources_.end(), [](const auto& e) {
      return e.second.crawl != nullptr || e.second.opening;
    });
    if (!crawling) {
      Finished();
      return;
    }
    if (Clock::now() >= drain_deadline_ + options_.shutdown_grace) {
      // Whatever still runs is stuck: exit anyway. What was queued for the
      // writer is still written; a run left open is taken over by the next
      // process (its lease names a process that no longer exists).
      Log(LogLevel::kWarning, "crawls still finishing twice the grace period after the stop; exiting");
      Finished();
      return;
    }
    if (fetcher_->running() == 0 || Clock::now() >= drain_deadline_) {
      fetcher_->CancelAll();
    }
    drain_.expires_after(milliseconds(50));
    drain_.async_wait([this](boost::system::error_code ec) {
      if (!ec) Drain();
    });
  }

  // The loop ends; a fleet node first leaves the fleet, releasing every
  // lease it holds (FleetNode::Stop).
  void Finished() {
#ifdef JOBTRAWL_HAVE_PG
    if (fleet_) {
      if (leaving_) return;
      leaving_ = true;
      fleet_->Stop([this, alive = std::weak_ptr(alive_)](std::int64_t) {
        if (!alive.expired()) finished_ = true;
      });
      return;
    }
#endif
    finished_ = true;
  }

  // Fleet mode (a postgresql:// database): no timers of its own; the
  // sources go onto the shared schedule (by their ids in the store) and
  // the FleetNode hands this node the claims it wins.
  void StartFleet() {
    for (const auto& src : config_.sources) sources_[src.name].config = src;
    ScheduleOnFleet(config_.sources);
  }

  void ScheduleOnFleet(const std::vector<config::SourceConfig>& sources) {
#ifdef JOBTRAWL_HAVE_PG
    auto pending = std::make_shared<std::size_t>(sources.size());
    auto scheduled = std::make_shared<std::vector<storage::pg::ScheduledSource>>();
    auto all_known = [this, pending, scheduled] {
      if (--*pending > 0 || stopping_) return;
      if (fleet_) {
        fleet_->SetSources(std::move(*scheduled));
        return;
      }
      FleetNode::Options o;
      o.database_url = config_.storage.database.string();
      o.name = node_name_;
      o.lease.ttl = std::chrono::duration_cast<storage::work::Duration>(config_.node.lease_ttl);
      o.capacity = config_.node.capacity;
      o.poll = config_.node.poll;
      o.lock_timeout = config_.storage.queue_lock_timeout;
      o.statement_timeout = config_.storage.queue_statement_timeout;
      o.sources = std::move(*scheduled);
      o.start = [this](const storage::pg::Claim& claim) { OnClaim(claim); };
      o.log = fleet_log_;
      fleet_ = std::make_unique<FleetNode>(ioc_, std::move(o));
      fleet_->Start();
    };
    if (sources.empty()) {
      ++*pending;
      all_known();
      return;
    }
    for (const auto& src : sources) {
      writer_->SourceId({src.name, src.kind},
                        [this, &ioc = ioc_, alive = std::weak_ptr(alive_), name = src.name, every = src.every,
                         scheduled, all_known](std::optional<std::int64_t> id) {
                          asio::post(ioc, [this, alive, name, every, id, scheduled, all_known] {
                            if (alive.expired()) return;
                            if (!id) {
                              Log(LogLevel::kError, name + ": cannot register the source; not scheduled");
                            } else {
                              fleet_names_[*id] = name;
                              scheduled->push_back(
                                  {*id, std::chrono::duration_cast<storage::work::Duration>(every)});
                            }
                            all_known();
                          });
                        });
    }
#else
    (void)sources;
#endif
  }

#ifdef JOBTRAWL_HAVE_PG
  // This node won a claim on a source: crawl it under that claim.
  // A claim this node does not crawl is given back, due again at once and
  // not counted as a failure: the source is not at fault. (A node claims
  // only the sources of its own config, so this is a claim made just
  // before a reload removed its source.)
  void OnClaim(const storage::pg::Claim& claim) {
    if (stopping_) {
      fleet_->GiveBack(claim);
      return;
    }
    auto named = fleet_names_.find(claim.source_id);
    auto it = named == fleet_names_.end() ? sources_.end() : sources_.find(named->second);
    if (it == sources_.end() || it->second.removed) {
      Log(LogLevel::kNotice, "claimed source " + std::to_string(claim.source_id) +
                                 ", which this node's config no longer has; given back");
      fleet_->GiveBack(claim);
      return;
    }
    Source& s = it->second;
    if (s.crawl || s.opening) {
      Log(LogLevel::kWarning, it->first + ": claimed while its crawl still runs; given back");
      fleet_->GiveBack(claim);
      return;
    }
    s.claim = claim;
    s.opening = true;
    const std::string name = it->first;
    writer_->OpenRun({name, s.config.kind, StoreWriter::FleetLease{node_name_, claim.token}},
                     [this, &ioc = ioc_, name, alive = std::weak_ptr(alive_)](auto result) {
                       asio::post(ioc, [this, name, alive, result = std::move(result)]() mutable {
                         if (!alive.expired()) OnOpened(name, std::move(result));
                       });
                     });
  }
#endif

  void WaitForSignals() {
    signals_.async_wait([this](const boost::system::error_code& ec, int) {
      if (ec) return;
      Stop();
    });
    WaitForHangup();
    WaitForStatsSignal();
  }

  void WaitForStatsSignal() {
    usr1_.async_wait([this](const boost::system::error_code& ec, int) {
      if (ec) return;
      DumpStats();
      WaitForStatsSignal();
    });
  }

  // Scrapy's stats dump, on SIGUSR1: one log line per source, of its
  // running crawl so far, else of its last finished run.
  void DumpStats() {
    for (const auto& [name, s] : sources_) {
      const bool running = s.crawl != nullptr;
      const storage::RunRecord record = running ? s.crawl->Snapshot() : s.last;
      if (!running && record.status.empty()) {
        Log(LogLevel::kInfo, "stats of " + name + ": no run yet");
        continue;
      }
      std::string line = "stats of " + name + (running ? " (running)" : " (last run)") + ":";
      for (const std::string& stat : FormatRunStats(record)) line += " " + stat + ";";
      line.pop_back();
      Log(LogLevel::kInfo, line);
    }
  }

  void WaitForHangup() {
    hangup_.async_wait([this](const boost::system::error_code& ec, int) {
      if (ec) return;
      Log(LogLevel::kNotice, "SIGHUP: reloading " + options_.config_path.string());
      options_.notify("RELOADING=1");
      Reload();
      options_.notify("READY=1");
      WaitForHangup();
    });
  }

  void RenewLeases() {
    renew_.expires_after(options_.lease_ttl / 3);
    renew_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      for (auto& [name, s] : sources_) {
        if (s.crawl) writer_->RenewLease(s.crawl->run());
      }
      RenewLeases();
    });
  }

  // WATCHDOG=1 comes from the event loop itself: if the loop stalls, the
  // pings stop and systemd restarts the service.
  void StartWatchdog() {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return;
    watchdog_interval_ = std::chrono::duration_cast<milliseconds>(std::chrono::microseconds(usec / 2));
    PingWatchdog();
  }

  void PingWatchdog() {
    options_.notify("WATCHDOG=1");
    watchdog_.expires_after(watchdog_interval_);
    watchdog_.async_wait([this](boost::system::error_code ec) {
      if (!ec) PingWatchdog();
    });
  }

  std::string Status() const {
    std::size_t crawling = 0;
    const Source* soonest = nullptr;
    for (const auto& [name, s] : sources_) {
      crawling += s.crawl != nullptr;
      if (!s.crawl && s.next != Clock::time_point{} && (soonest == nullptr || s.next < soonest->next)) {
        soonest = &s;
      }
    }
    std::string status = std::to_string(sources_.size()) + " sources, " + std::to_string(crawling) +
                         " crawling, " + std::to_string(completed_) + " runs done";
    if (!last_.empty()) status += "; last: " + last_;
    if (soonest != nullptr) status += "; next: " + soonest->config.name + " at " + FormatUtc(soonest->next);
    return status;
  }

  asio::io_context& ioc_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // handlers posted by the writer check it
  config::Config config_;
  DaemonOptions options_;
  std::mt19937_64 rng_;
  std::unique_ptr<DeliveryWorker> delivery_;  // with [[alert]]s; outlives writer_
  std::unique_ptr<StoreWriter> writer_;
  std::unique_ptr<asio::thread_pool> pool_;
  std::unique_ptr<crawler::Fetcher> fetcher_;
  std::unique_ptr<crawler::ProcessingWindow> window_;
  std::unique_ptr<Metrics> metrics_;               // outlives the crawls and the server
  std::unique_ptr<MetricsServer> metrics_server_;  // null: [metrics] listen is off
  std::map<std::string, Source> sources_;
  asio::signal_set signals_;
  asio::signal_set hangup_;
  asio::signal_set usr1_;  // SIGUSR1: log every source's statistics
  asio::steady_timer renew_;
  asio::steady_timer watchdog_;
  asio::steady_timer drain_;
  milliseconds watchdog_interval_{0};
  Clock::time_point drain_deadline_{};
  std::size_t completed_ = 0;
  std::string last_;
  bool stopping_ = false;
  bool finished_ = false;
  // Fleet mode: [storage] database is a postgresql:// URL.
  bool fleet_mode_ = false;
  std::string node_name_;
  LogFunction fleet_log_;  // the log without the node prefix (FleetNode adds its own)
  std::map<std::int64_t, std::string> fleet_names_;  // source id -> name
#ifdef JOBTRAWL_HAVE_PG
  std::unique_ptr<FleetNode> fleet_;  // set once the sources' ids are known
  std::shared_ptr<FleetHostBudget> host_budget_;  // shared with the fetcher
  bool leaving_ = false;
#endif
};

Daemon::Daemon(asio::io_context& ioc, config::Config config, DaemonOptions options)
    : impl_(std::make_unique<Impl>(ioc, std::move(config), std::move(options))) {}
Daemon::~Daemon() = default;
int Daemon::Run() { return impl_->Run(); }
void Daemon::Stop() { impl_->Stop(); }
void Daemon::Reload() { impl_->Reload(); }
std::size_t Daemon::completed_runs() const { return impl_->completed_runs(); }
std::uint16_t Daemon::metrics_port() const { return impl_->metrics_port(); }

}  // namespace jobtrawl::app
