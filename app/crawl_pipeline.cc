#include "app/crawl_pipeline.h"

#include "app/alerts.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <csignal>
#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <iostream>
#include <thread>

#include <unistd.h>

#include "app/run_stats.h"
#include "app/source_crawl.h"
#include "app/store_writer.h"
#include "crawler/crawl.h"
#include "crawler/fetcher.h"
#include "model/database_location.h"
#include "model/date_time.h"

namespace jobtrawl::app {

namespace asio = boost::asio;

namespace {

std::string HumanBytes(std::int64_t bytes) {
  if (bytes >= 10'000'000) return std::to_string(bytes / 1'000'000) + " MB";
  if (bytes >= 10'000) return std::to_string(bytes / 1'000) + " KB";
  return std::to_string(bytes) + " B";
}

// printf into a std::string (g++ 12 has no <format>).
[[gnu::format(printf, 1, 2)]] std::string Printf(const char* fmt, ...) {
  char buf[512];
  va_list args;
  va_start(args, fmt);
  int n = std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  return std::string(buf, static_cast<size_t>(std::clamp(n, 0, static_cast<int>(sizeof buf) - 1)));
}

constexpr const char* kRow = "%-24s %-11s %7s %9s %6s %8s %10s %7s %7s\n";

struct DueSplit {
  std::vector<config::SourceConfig> due;
  std::vector<SourceSummary> not_due;  // status "not_due", the message says when it is due
};

// Sources whose `every` has passed since their last successful run (or that
// never had one) are due; the others are left for a later crawl.
std::expected<DueSplit, Error> SplitDue(storage::PostingStore& store,
                                        std::vector<config::SourceConfig> sources,
                                        Clock::time_point now) {
  DueSplit split;
  for (auto& s : sources) {
    auto id = store.FindSource(s.name);
    if (!id) return std::unexpected(id.error());
    std::optional<std::string> last;
    if (*id) {
      auto read = store.LastSuccessfulRun(**id);
      if (!read) return std::unexpected(read.error());
      if (*read) last = std::move((*read)->started_at);
    }
    const std::optional<DateTime> at = last ? ParseDateTime(*last) : std::nullopt;
    if (!at || at->time_point() + s.every <= now) {
      split.due.push_back(std::move(s));
      continue;
    }
    split.not_due.push_back(
        {s.name,
         {.status = "not_due",
          .message = "last crawled at " + *last + ", due at " + FormatUtc(at->time_point() + s.every) +
                     " (every " + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(s.every).count()) +
                     " s)"}});
  }
  return split;
}

}  // namespace

bool CrawlSummary::all_ok() const {
  for (const auto& s : sources) {
    if (s.record.status == "failed" || s.record.status == "interrupted") return false;
  }
  return !interrupted;
}

bool CrawlSummary::all_skipped() const {
  if (sources.empty()) return false;
  for (const auto& s : sources) {
    if (s.record.status != "skipped") return false;
  }
  return true;
}

std::expected<CrawlSummary, Error> RunCrawl(asio::io_context& ioc, const config::Config& config,
                                            const CrawlOptions& options) {
  std::vector<config::SourceConfig> sources;
  if (options.only_sources.empty()) {
    sources = config.sources;
  } else {
    for (const auto& name : options.only_sources) {
      const config::SourceConfig* s = config.FindSource(name);
      if (s == nullptr) {
        return std::unexpected(Error::InvalidArgument("no source named \"" + name + "\" in the config"));
      }
      sources.push_back(*s);
    }
  }

  CrawlSummary summary;
  summary.database = options.database.empty() ? config.storage.database : options.database;
  if (!IsPostgresUrl(summary.database.string())) summary.database = std::filesystem::absolute(summary.database);
  auto store = storage::PostingStore::Open(summary.database, StoreOptionsFrom(config.storage));
  if (!store) return std::unexpected(store.error());
  if (options.due) {
    auto due = SplitDue(**store, std::move(sources), options.now());
    if (!due) return std::unexpected(due.error());
    sources = std::move(due->due);
    summary.not_due = std::move(due->not_due);
  }
  for (const auto& s : sources) summary.sources.push_back({s.name, {}});

  // Set while the crawls below exist; a lost lease stops its crawl.
  auto on_lease_lost = std::make_shared<std::function<void(StoreWriter::RunId, const std::string&)>>();
  // The same for the progress display's posting counts.
  auto on_committed = std::make_shared<std::function<void(StoreWriter::RunId, storage::UpsertCounts)>>();
  auto writer_holder = std::make_unique<StoreWriter>(
      std::move(*store),
      StoreWriter::Options{
       .lease_holder = LeaseHolderName("crawl"),
       .lease_ttl = options.lease_ttl,
       .holder_is_dead = LeaseHolderIsDead,
       .lease_lost =
           [&ioc, weak = std::weak_ptr(on_lease_lost)](StoreWriter::RunId run, const std::string& holder) {
             asio::post(ioc, [weak, run, holder] {
               if (auto handler = weak.lock(); handler && *handler) (*handler)(run, holder);
             });
           },
       .committed =
           [&ioc, weak = std::weak_ptr(on_committed)](StoreWriter::RunId run, const storage::UpsertCounts& c) {
             asio::post(ioc, [weak, run, c] {
               if (auto handler = weak.lock(); handler && *handler) (*handler)(run, c);
             });
           },
       .cache_ttl = config.storage.cache_ttl,
       .alerts = AlertRules(config.alerts),
       .retry_budget = config.storage.retry_budget},
      options.now);
  StoreWriter& writer = *writer_holder;
  const int threads = options.parse_threads > 0
                          ? options.parse_threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  asio::thread_pool pool(static_cast<std::size_t>(threads));
  {
    crawler::Fetcher fetcher(ioc, config.http);
    // Enough pages in hand to keep every parse thread busy, few enough that
    // memory does not grow with the size of the boards.
    crawler::ProcessingWindow window(fetcher, static_cast<std::size_t>(threads) * 8 + 16);
    std::vector<std::unique_ptr<SourceCrawl>> crawls(sources.size());
    std::vector<std::unique_ptr<asio::steady_timer>> waits(sources.size());
    std::size_t finished = 0;
    bool stopping = false;

    ProgressDisplay display(options.progress_out != nullptr ? *options.progress_out : std::cerr,
                            options.progress, std::chrono::seconds(30),
                            options.progress == ProgressMode::kTerminal ? TerminalWidth() : 80);
    std::vector<SourceProgress> progress(sources.size());
    auto report = [&](std::size_t i, storage::RunRecord record) {
      if (crawls[i]) display.Finished(sources[i].name, record, std::chrono::steady_clock::now());
      summary.sources[i].record = std::move(record);
      ++finished;
    };
    *on_committed = [&](StoreWriter::RunId run, storage::UpsertCounts c) {
      for (std::size_t i = 0; i < crawls.size(); ++i) {
        if (crawls[i] && crawls[i]->run() == run) {
          progress[i].new_postings = c.new_postings;
          progress[i].updated = c.updated;
        }
      }
    };
    // The display is brought up to date a few times a second.
    asio::steady_timer redraw(ioc);
    std::function<void()> schedule_redraw = [&] {
      redraw.expires_after(options.progress == ProgressMode::kTerminal ? std::chrono::milliseconds(250)
                                                                       : std::chrono::seconds(1));
      redraw.async_wait([&](boost::system::error_code ec) {
        if (ec) return;
        for (std::size_t i = 0; i < crawls.size(); ++i) {
          if (!crawls[i] || !summary.sources[i].record.status.empty()) continue;
          const storage::RunRecord now = crawls[i]->Snapshot();
          progress[i].pages = now.pages;
          progress[i].errors = now.errors;
          progress[i].queued = crawls[i]->queued();
          display.Update(sources[i].name, progress[i]);
        }
        display.Tick(std::chrono::steady_clock::now());
        schedule_redraw();
      });
    };
    // Posted handlers check it: a crawl cut off at the grace period leaves
    // nothing behind on `ioc` that touches this frame.
    auto alive = std::make_shared<char>();
    // Lines for people while the crawl runs: on a terminal they go through
    // the display, which keeps them above its live block.
    const bool on_terminal = options.progress == ProgressMode::kTerminal;
    auto say = [&](const std::string& line) {
      if (on_terminal) {
        display.Print(line);
      } else {
        std::cerr << line << '\n';
      }
    };
    LogFunction page_log;
    if (options.verbose) {
      page_log = on_terminal ? LogFunction([&ioc, &display, weak = std::weak_ptr<char>(alive)](
                                               LogLevel level, std::string_view message) {
        // From the event loop or the parse pool: the display is the loop's.
        asio::post(ioc, [&display, weak, line = FormatLogLine(level, message, false)] {
          if (!weak.expired()) display.Print(line);
        });
      })
                             : LogFunction(LogLine);
    }
    std::function<void(std::size_t)> open = [&](std::size_t i) {
      writer.OpenRun({sources[i].name, sources[i].kind}, [&, i, weak = std::weak_ptr<char>(alive)](auto result) {
        asio::post(ioc, [&, i, weak, result = std::move(result)]() mutable {
          if (weak.expired()) return;
          if (!result) {
            if (result.error().leased && options.wait && !stopping) {
              waits[i] = std::make_unique<asio::steady_timer>(ioc, options.wait_poll);
              waits[i]->async_wait([&, i](boost::system::error_code ec) {
                if (ec) return;
                open(i);
              });
              return;
            }
            report(i, {.status = result.error().leased ? "skipped" : "failed",
                       .message = result.error().message});
            return;
          }
          if (!result->note.empty()) say("jobtrawl: " + sources[i].name + ": " + result->note);
          crawls[i] = std::make_unique<SourceCrawl>(
              ioc, pool, writer, fetcher, window, sources[i], std::move(*result),
              page_log,
              [&, i](const storage::RunRecord& record) { report(i, record); }, config.http.run_deadline);
          display.Started(sources[i].name, sources[i].start.front(), std::chrono::steady_clock::now());
          crawls[i]->Start();
          if (stopping) crawls[i]->Stop();
        });
      });
    };

    *on_lease_lost = [&](StoreWriter::RunId run, const std::string& holder) {
      for (std::size_t i = 0; i < crawls.size(); ++i) {
        if (crawls[i] && crawls[i]->run() == run) {
          say("jobtrawl: " + sources[i].name + ": lost its lease to " +
              (holder.empty() ? std::string("nobody") : holder) + "; stopping its crawl");
          crawls[i]->Stop();
        }
      }
    };

    // Leases are renewed while the crawl runs, so a long crawl keeps them.
    asio::steady_timer renew(ioc);
    std::function<void()> schedule_renewal = [&] {
      renew.expires_after(options.lease_ttl / 3);
      renew.async_wait([&](boost::system::error_code ec) {
        if (ec) return;
        for (std::size_t i = 0; i < crawls.size(); ++i) {
          // Finished runs hold no lease any more.
          if (crawls[i] && summary.sources[i].record.status.empty()) writer.RenewLease(crawls[i]->run());
        }
        schedule_renewal();
      });
    };

    // The first signal stops the crawl: nothing new is fetched, transfers in
    // flight are cancelled, and pages being read are stored. If that has not
    // finished within the grace period, the loop ends anyway and what is
    // queued for the writer is still written. A second signal exits at once
    // (every committed batch is already whole).
    bool give_up = false;
    asio::steady_timer grace(ioc);
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    std::chrono::steady_clock::time_point first_signal;
    std::function<void()> wait_again = [&] {
      signals.async_wait([&](const boost::system::error_code& again, int) {
        if (again) return;
        if (std::chrono::steady_clock::now() - first_signal < std::chrono::seconds(1)) return wait_again();
        std::cerr << "jobtrawl: second signal, exiting without waiting\n";
        std::_Exit(130);
      });
    };
    signals.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;  // cancelled: the crawl may already be gone
      summary.interrupted = true;
      stopping = true;
      grace.expires_after(options.shutdown_grace);
      grace.async_wait([&](boost::system::error_code e) {
        if (e) return;
        std::cerr << "jobtrawl: " << sources.size() - finished
                  << " source(s) still finishing after the grace period; exiting\n";
        give_up = true;
      });
      for (std::size_t i = 0; i < sources.size(); ++i) {
        if (crawls[i]) crawls[i]->Stop();
        if (waits[i] && waits[i]->cancel() > 0) {
          report(i, {.status = "skipped", .message = "stopped while waiting for the lease"});
        }
      }
      fetcher.CancelAll();
      // `timeout` and a shell's job control send one stop to the whole
      // process group, so the same signal may arrive twice at once: only a
      // signal a second or more after the first is a second one.
      first_signal = std::chrono::steady_clock::now();
      wait_again();
    });

    auto work = asio::make_work_guard(ioc);
    schedule_renewal();
    if (options.progress != ProgressMode::kNone) schedule_redraw();
    for (std::size_t i = 0; i < sources.size(); ++i) open(i);
    while (finished < sources.size() && !give_up) {
      if (ioc.stopped()) ioc.restart();
      ioc.run_one();
    }
    signals.cancel();
    renew.cancel();
    grace.cancel();
    redraw.cancel();
    for (std::size_t i = 0; i < sources.size(); ++i) {
      auto& r = summary.sources[i].record;
      if (r.status.empty()) {
        r.status = "interrupted";
        r.message = "did not finish within the shutdown grace period";
      }
    }
    // Interrupted during a database outage: parse threads may wait on the
    // writer's full queue while it waits for the database. It gives up now
    // (what it holds is lost and logged), so they end.
    if (summary.interrupted) writer.StopWaitingForDatabase();
    pool.join();
    *on_lease_lost = nullptr;
    *on_committed = nullptr;
  }
  writer_holder.reset();  // everything is committed, alerts in the outbox included
  // Interrupted: gone at once; what is queued waits in the outbox.
  if (!config.alerts.empty() && options.deliver_alerts && !summary.interrupted) {
    // Also what an earlier crawl or the daemon left undelivered.
    auto delivery = AlertDelivery::Open(summary.database,
                                        {.alerts = config.alerts,
                                         .delivery = config.delivery,
                                         .user_agent = config.http.user_agent,
                                         .now = options.now,
                                         .log = options.alert_log});
    if (!delivery) {
      summary.alerts_message = "alerts not delivered: " + delivery.error().message;
    } else {
      auto flushed = (*delivery)->FlushFor(config.delivery.flush_timeout);
      if (!flushed) {
        summary.alerts_message = "alerts not delivered: " + flushed.error().message;
      } else {
        summary.alerts_delivered = flushed->delivered;
        summary.alerts_pending = flushed->pending;
      }
    }
  }
  return summary;
}

storage::StoreOptions StoreOptionsFrom(const config::StorageConfig& storage) {
  return {.dedup_distance = storage.dedup_distance,
          .pg_lock_timeout = storage.lock_timeout,
          .pg_statement_timeout = storage.statement_timeout};
}

std::string FormatStatsDump(const CrawlSummary& summary) {
  std::string out;
  for (const auto& s : summary.sources) {
    if (s.record.stats.empty()) continue;  // skipped, or never started
    out += "stats of " + s.name + ":\n";
    for (const std::string& line : FormatRunStats(s.record)) out += "  " + line + "\n";
  }
  return out;
}

std::string FormatSummary(const CrawlSummary& summary) {
  auto n = [](std::int64_t v) { return std::to_string(v); };
  std::string out = Printf(kRow, "source", "status", "pages", "bytes", "new", "updated",
                           "unchanged", "closed", "errors");
  storage::RunRecord total;
  int failed = 0;
  int skipped = 0;
  int interrupted = 0;
  for (const auto& s : summary.sources) {
    const auto& r = s.record;
    out += Printf(kRow, s.name.c_str(), r.status.c_str(), n(r.pages).c_str(),
                  HumanBytes(r.bytes).c_str(), n(r.counts.new_postings).c_str(),
                  n(r.counts.updated).c_str(), n(r.counts.unchanged).c_str(), n(r.closed).c_str(),
                  n(r.errors).c_str());
    if (!r.message.empty()) out += "  " + r.message + "\n";
    total.pages += r.pages;
    total.bytes += r.bytes;
    total.errors += r.errors;
    total.retries += r.retries;
    total.not_modified += r.not_modified;
    total.closed += r.closed;
    total.counts += r.counts;
    failed += r.status == "failed";
    interrupted += r.status == "interrupted";
    skipped += r.status == "skipped";
  }
  for (const auto& s : summary.not_due) {
    out += Printf(kRow, s.name.c_str(), "not due", "", "", "", "", "", "", "");
    out += "  " + s.record.message + "\n";
  }
  const std::size_t sources = summary.sources.size();
  out += "crawled " + n(static_cast<std::int64_t>(sources)) + (sources == 1 ? " source" : " sources") +
         " (" + n(failed) + " failed" + (interrupted > 0 ? ", " + n(interrupted) + " interrupted" : "") +
         (skipped > 0 ? ", " + n(skipped) + " skipped" : "") +
         (summary.not_due.empty() ? std::string()
                                  : ", " + n(static_cast<std::int64_t>(summary.not_due.size())) + " not due") +
         "): " + n(total.pages) + " pages (" + HumanBytes(total.bytes) +
         ", " + n(total.not_modified) + " not modified), " + n(total.errors) + " errors, " +
         n(total.retries) + " retries\n";
  out += "postings: " + n(total.counts.new_postings) + " new, " + n(total.counts.updated) +
         " updated, " + n(total.counts.unchanged) + " unchanged, " + n(total.closed) + " closed; " + n(total.counts.merged) +
         " cross-posts merged into postings of other sources\n";
  if (summary.interrupted) out += "interrupted: what was fetched before the signal is stored\n";
  if (summary.alerts_delivered > 0 || summary.alerts_pending > 0) {
    out += "alerts: " + n(summary.alerts_delivered) + " delivered" +
           (summary.alerts_pending > 0 ? ", " + n(summary.alerts_pending) + " left in the outbox for the next try"
                                       : std::string()) + "\n";
  }
  if (!summary.alerts_message.empty()) out += summary.alerts_message + "\n";
  out += "database: " + RedactedDatabaseLocation(summary.database.string()) + "\n";
  return out;
}

}  // namespace jobtrawl::app
