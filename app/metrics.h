// The daemon's metrics, rendered in the Prometheus text exposition format
// 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/) and
// named after Prometheus conventions (https://prometheus.io/docs/practices/naming/):
// a `jobtrawl_` prefix, base units (seconds, bytes) in the name, `_total`
// for counters. Counters count from the process's start and never go down.
// README "Metrics" lists them. Thread-safe: fetches are recorded on the
// event loop, parse problems on the parse pool, renders on the loop.
#ifndef JOBTRAWL_APP_METRICS_H_
#define JOBTRAWL_APP_METRICS_H_

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "model/clock.h"
#include "model/fetch.h"
#include "storage/store.h"

namespace jobtrawl::app {

class Metrics {
 public:
  // `database`: its size (with its -wal) is read at each render.
  explicit Metrics(std::filesystem::path database);

  // One finished fetch of a page of `source`, answered or failed: its
  // status class, bytes, latency, retries and, when it failed, its kind.
  void OnFetch(std::string_view source, const FetchResult& result);
  // A fetched page that could not be used ("parse", "too_slow").
  void OnPageProblem(std::string_view source, std::string_view kind);
  // Pages of the source waiting, in the fetcher or being processed.
  void SetQueueDepth(std::string_view source, std::int64_t pages);
  // A run of `source` ended with `record`, at `at`.
  void OnRunFinished(std::string_view source, const storage::RunRecord& record, Clock::time_point at);

  // Alerts (app/alerts.h): `n` events of `alert` ended an attempt with
  // `outcome` ("delivered", "failed", "given_up"); and how many events the
  // outbox holds undelivered. Called on the delivery thread.
  void OnAlertOutcome(std::string_view alert, std::string_view outcome, std::int64_t n);
  void SetAlertOutboxPending(std::int64_t events);

  // The store writer's database (app/store_writer.h "Outages"): true while
  // it cannot be reached and the writer holds its writes. Each change to
  // true counts one outage. Called on the writer thread.
  void SetStoreUnavailable(bool unavailable);

  // A fleet node's name ([node] name): rendered as the info metric
  // jobtrawl_node_info{node="NAME"} 1 (Prometheus's info-metric
  // convention), so a node's series join to its name. Unset: none.
  void SetNode(std::string name);

  // What the database says of the source's last ok or partial run, at start.
  void SetLastSuccess(std::string_view source, Clock::time_point at);

  // The whole exposition, every family with its # HELP and # TYPE.
  std::string Render() const;

  // Upper bounds (seconds) of the fetch latency histogram's buckets.
  static constexpr std::array<double, 10> kLatencyBuckets = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

 private:
  struct Source {
    std::map<std::string, std::int64_t, std::less<>> requests_by_class;  // "2xx", ..., "none"
    std::map<std::string, std::int64_t, std::less<>> errors_by_kind;
    std::map<std::string, std::int64_t, std::less<>> runs_by_status;
    std::int64_t response_bytes = 0;
    std::int64_t retries = 0;
    std::int64_t robots_denials = 0;
    std::int64_t postings_new = 0;
    std::int64_t postings_updated = 0;
    std::int64_t listings_closed = 0;
    std::int64_t queue_pages = 0;
    double last_success = 0;  // Unix seconds; 0: none yet
    int degraded = 0;         // 1: the last finished run was `degraded` (app/breakage.h)
  };
  Source& At(std::string_view source);  // REQUIRES: mutex_ held

  const std::filesystem::path database_;
  std::string node_;  // guarded by mutex_
  mutable std::mutex mutex_;
  std::map<std::string, Source, std::less<>> sources_;       // guarded by mutex_
  std::array<std::int64_t, kLatencyBuckets.size()> latency_buckets_{};  // guarded; not cumulative
  std::int64_t latency_count_ = 0;                            // guarded by mutex_
  double latency_sum_ = 0;                                    // guarded by mutex_
  // (alert, outcome) -> events; guarded by mutex_
  std::map<std::pair<std::string, std::string>, std::int64_t, std::less<>> alert_outcomes_;
  std::int64_t outbox_pending_ = -1;                          // guarded; -1: not known (no delivery)
  bool store_unavailable_ = false;                            // guarded by mutex_
  std::int64_t store_outages_ = 0;                            // guarded by mutex_
};

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_METRICS_H_
