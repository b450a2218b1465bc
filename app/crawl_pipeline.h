// The one-shot crawl, wired: config -> crawler (fetch on the event loop) ->
// parsers (on a thread pool) -> storage (one writer thread).
#ifndef JOBTRAWL_APP_CRAWL_PIPELINE_H_
#define JOBTRAWL_APP_CRAWL_PIPELINE_H_

#include <boost/asio/io_context.hpp>
#include <expected>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "app/lease_holder.h"
#include "app/log.h"
#include "app/progress.h"
#include "config/config.h"
#include "model/clock.h"
#include "model/error.h"
#include "storage/store.h"

namespace jobtrawl::app {

struct SourceSummary {
  std::string name;
  storage::RunRecord record;  // status, pages, bytes, errors and posting counts
};

struct CrawlSummary {
  std::vector<SourceSummary> sources;  // those crawled (or skipped: another process had them)
  std::vector<SourceSummary> not_due;  // with `due`: those left alone, status "not_due"
  std::filesystem::path database;
  bool interrupted = false;
  // Alerts delivered after the crawl, those left in the outbox for later
  // (their target failed; retried by the next crawl or the daemon), and
  // why delivery could not run at all (empty: it ran).
  int alerts_delivered = 0;
  int alerts_pending = 0;
  std::string alerts_message;

  bool all_ok() const;  // no source failed or was interrupted
  // Every selected source was skipped: other live processes hold them all,
  // so this crawl stored nothing. (Not-due sources are not "selected".)
  bool all_skipped() const;
};

struct CrawlOptions {
  std::vector<std::string> only_sources;  // empty: all
  std::filesystem::path database;         // empty: the config's
  int parse_threads = 0;                  // 0: one per core
  bool verbose = false;                   // print each failed page to stderr
  // A source another process is crawling (it holds the lease) is skipped
  // and reported; with `wait`, it is crawled once the lease is free.
  bool wait = false;
  // Crawl only the sources whose `every` has passed since their last
  // successful (ok or partial) run, or that never had one, so a frequent
  // timer or cron job keeps each source's interval.
  bool due = false;
  // What is shown while it runs (app/progress.h), on `progress_out`
  // (standard error by default).
  ProgressMode progress = ProgressMode::kNone;
  std::ostream* progress_out = nullptr;
  std::chrono::milliseconds wait_poll{std::chrono::seconds(5)};
  std::chrono::milliseconds lease_ttl{std::chrono::minutes(2)};
  // After SIGINT/SIGTERM, how long the crawl may take to wind down.
  std::chrono::milliseconds shutdown_grace{std::chrono::seconds(10)};
  NowFunction now = [] { return Clock::now(); };
  // After the crawl, deliver the outbox ([[alert]]) for up to [delivery]
  // flush_timeout; failed deliveries are logged to `alert_log`.
  bool deliver_alerts = true;
  std::function<void(LogLevel, std::string_view)> alert_log;
};

// Crawls the selected sources once on `ioc` (which must not be running
// elsewhere), storing what it finds, and returns when every source has
// finished and been written. Runs `ioc` itself; other work on it (a test
// server) runs alongside. SIGINT/SIGTERM stop the crawl early, keeping what
// was stored. A source whose lease another process holds is skipped (or
// waited for), unless that process is dead (LeaseHolderIsDead): then its
// lease is taken over at once and the source's message says so. A source
// whose lease is lost mid-crawl stops and is recorded "failed". Fails only when the crawl cannot start (unknown source name,
// database unusable).
std::expected<CrawlSummary, Error> RunCrawl(boost::asio::io_context& ioc,
                                            const config::Config& config,
                                            const CrawlOptions& options);

// How the store groups listings, from the config's [storage].
storage::StoreOptions StoreOptionsFrom(const config::StorageConfig& storage);

// "Crawled 2 sources: 40 pages ..." and a table per source, for people.
// Sources another process was crawling show as "skipped".
std::string FormatSummary(const CrawlSummary& summary);

// Each crawled source's statistics, Scrapy-style "key: value" lines
// (FormatRunStats), for the end of a one-shot crawl.
std::string FormatStatsDump(const CrawlSummary& summary);

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_CRAWL_PIPELINE_H_
