// A crawl run's statistics, in the manner of Scrapy's stats collector: per
// run, requests by HTTP status, bytes, retries, robots denials, errors by
// kind, parse warnings by kind, fetch latency and the run's duration. Kept
// as a JSON object in crawl_runs.stats (with the posting counts in their own
// columns), printed at the end of a one-shot crawl and logged by the daemon
// on SIGUSR1. The collector is thread-safe (fetches end on the event loop,
// pages are read on the parse pool).
#ifndef JOBTRAWL_APP_RUN_STATS_H_
#define JOBTRAWL_APP_RUN_STATS_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "app/breakage.h"
#include "model/fetch.h"
#include "model/posting.h"
#include "storage/store.h"

namespace jobtrawl::app {

// The kind of an extraction warning (parsers' Extracted::warnings) for
// counting: "unreadable_json_ld", "unreadable_api_response",
// "unreadable_feed", "not_a_sitemap", "page_truncated", "page_budget",
// "invalid_utf8", else "other".
std::string_view WarningKind(std::string_view warning);

class RunStatsCollector {
 public:
  RunStatsCollector();

  void OnFetch(const FetchResult& result);  // answered or failed
  void OnPageProblem(std::string_view kind);  // "parse", "too_slow"
  void OnWarning(std::string_view warning);   // counted by WarningKind
  // Breakage alarms' counts (app/breakage.h): a posting page read afresh
  // and what it held, and listings of a page seen unchanged.
  void OnPostingPage(const std::vector<Posting>& postings);
  void OnListingsSeen(std::int64_t n);
  YieldCounts Yield() const;

  // The statistics so far as a JSON object (sorted keys): "duration_seconds",
  // "requests" {status or "none": n}, "response_bytes", "retries",
  // "robots_denials", "errors" {kind: n}, "warnings" {kind: n},
  // "fetch_seconds" {"count", "sum", "max"}, "yield" (YieldCounts::ToJson).
  std::string Json() const;

 private:
  const std::chrono::steady_clock::time_point started_;
  mutable std::mutex mutex_;
  std::map<std::string, std::int64_t> requests_;  // guarded by mutex_
  std::map<std::string, std::int64_t> errors_;    // guarded by mutex_
  std::map<std::string, std::int64_t> warnings_;  // guarded by mutex_
  std::int64_t bytes_ = 0, retries_ = 0, robots_denials_ = 0, fetches_ = 0;  // guarded by mutex_
  double fetch_sum_ = 0, fetch_max_ = 0;                                    // guarded by mutex_
  YieldCounts yield_;                                                       // guarded by mutex_
};

// The run as "key: value" lines, Scrapy's dump: its crawl_runs counters and
// the flattened stats JSON ("requests/200: 14", "errors/timeout: 2"), sorted.
std::vector<std::string> FormatRunStats(const storage::RunRecord& record);

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_RUN_STATS_H_
