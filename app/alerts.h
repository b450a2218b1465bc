// Alerts (issue 14 part 4; README "Alerts"): [[alert]] entries deliver new
// and reopened postings that match a search, and breakage alarms, to a
// webhook (one JSON POST each) or a command (JSON lines on its standard
// input).
//
// The outbox: the writer adds an alert_outbox row in the same transaction
// that stores the posting (or finishes the degraded run), so a posting is
// never stored without its alerts nor an alert queued for a posting that
// was rolled back. AlertDelivery reads due rows, delivers them, and marks a
// row delivered only after its target accepted it (a 2xx answer, exit
// status 0), in a commit of its own. Before it sends a row it claims it
// (next_attempt_at moves past the attempt's end, in a commit), so a second
// process delivering the same outbox (the daemon and a one-shot crawl)
// never sends a row the first is sending. A failed attempt is tried again
// after retry_base, doubling up to retry_max; when a target fails, the
// rest of its rows wait with it instead of each waiting out its own
// timeout. A row still undelivered give_up_after ([delivery]) after it
// was queued is given up (kept, with next_attempt_at "never").
//
// Rows done with are pruned (PostingStore::PruneOutbox), at most once an
// hour per AlertDelivery: a row delivered more than keep_delivered
// (kKeepDeliveredAlerts, 30 days) ago, and a given-up row queued more
// than that ago. Breakage alarms are kept (one row per breakage).
//
// Both engines: on PostgreSQL (a postgresql:// database) the outbox, the
// claims and the rules' matching are the same (a rule's query matches as
// `jobtrawl search` matches there); every fleet node may deliver, and a
// row's claim keeps two nodes from sending it both.
//
// Delivery is at least once, not exactly once. A row is sent again, with
// the same idempotency_key (in the payload, and the webhook's
// Idempotency-Key header), whenever its target took it but the delivered
// mark was not committed: a crash (SIGKILL, power) between the answer and
// the commit, a receiver that acted on it and then answered non-2xx or too
// late ([delivery] timeout), a command that did its work and then exited
// non-zero or was killed at the timeout, a webhook POST cut off by the
// daemon's shutdown. A receiver that remembers the keys it has seen gets
// each event exactly once.
//
// Webhook URLs are the operator's own, so [http] allow_private_networks
// (which guards the crawl from addresses a page names) does not apply:
// a webhook on localhost or a private address is delivered to. Only http
// and https are used, and redirects are not followed.
#ifndef JOBTRAWL_APP_ALERTS_H_
#define JOBTRAWL_APP_ALERTS_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <optional>
#include <expected>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/log.h"
#include "config/config.h"
#include "model/clock.h"
#include "model/error.h"
#include "storage/store.h"

namespace jobtrawl::app {

// How long delivered alerts stay in alert_outbox (README "Alerts").
inline constexpr std::chrono::hours kKeepDeliveredAlerts{24 * 30};

// The store's rules for the config's [[alert]] entries.
std::vector<storage::AlertRule> AlertRules(const std::vector<config::AlertConfig>& alerts);

// Errors for [[alert]] entries the config reader cannot check alone: a
// query FTS5 cannot read, or, for a postgresql:// database, one that
// cannot be made a tsquery (storage/pg/search_query.h: NEAR, ^). `check-config` and the commands that crawl fail
// on them.
std::vector<config::ConfigError> CheckAlerts(const config::Config& config);

// One delivery attempt per due outbox row. Not thread-safe: one thread
// uses it (DeliveryWorker's, or the caller's).
class AlertDelivery {
 public:
  struct Options {
    std::vector<config::AlertConfig> alerts;
    config::DeliveryConfig delivery;
    std::string user_agent = "jobtrawl/0.1";
    NowFunction now = [] { return Clock::now(); };
    LogFunction log;  // failed deliveries, as warnings; empty: quiet
    // Counts, for metrics: `n` events of `alert` were "delivered",
    // "failed" (an attempt that failed; tried again) or "given_up". Called
    // on the delivering thread. Empty: none.
    std::function<void(const std::string& alert, std::string_view outcome, int n)> on_outcome;
    // The rows waiting after each DeliverDue (CountPendingOutbox).
    std::function<void(std::int64_t pending)> on_pending;
    // Delivered rows older than this are deleted (see above).
    std::chrono::milliseconds keep_delivered = kKeepDeliveredAlerts;
  };
  struct Pass {
    int delivered = 0;
    int failed = 0;  // attempts that failed (to be tried again)
  };

  // Opens its own connection to the database (which must exist): a file,
  // or a postgresql:// URL.
  static std::expected<std::unique_ptr<AlertDelivery>, Error> Open(const std::filesystem::path& database,
                                                                   Options options);
  AlertDelivery(const AlertDelivery&) = delete;
  AlertDelivery& operator=(const AlertDelivery&) = delete;
  ~AlertDelivery();

  // Delivers the rows due now, once each, first giving up the rows older
  // than give_up_after. Rows of a target that failed in this pass wait
  // with the failed one. Stops between rows after RequestStop() or past
  // the FlushFor budget; a webhook POST in flight is cut off by
  // RequestStop() (the row stays undelivered).
  std::expected<Pass, Error> DeliverDue();
  // How long until the earliest undelivered row is due (zero: now), or
  // nullopt when every row is delivered.
  std::expected<std::optional<std::chrono::milliseconds>, Error> UntilNextDue();
  // Delivers until every row is delivered or `budget` has passed (waiting
  // out backoffs meanwhile); returns the rows delivered, and how many are
  // left for a later run. For the end of a one-shot crawl.
  struct Flush {
    int delivered = 0;
    int pending = 0;
  };
  // A row started before the budget ends may run up to [delivery] timeout
  // past it.
  std::expected<Flush, Error> FlushFor(std::chrono::milliseconds budget);

  // The [[alert]] entries and [delivery] settings of a reloaded config,
  // used from the next DeliverDue. Thread-safe.
  void Reconfigure(std::vector<config::AlertConfig> alerts, config::DeliveryConfig delivery);
  // Ends the pass in flight soon (see DeliverDue). Thread-safe.
  void RequestStop();

 private:
  AlertDelivery(std::unique_ptr<storage::PostingStore> store, Options options);
  std::string Backoff(const config::DeliveryConfig& delivery, int attempts) const;  // when the next attempt is due
  void Log(const std::string& message) const;
  void Count(const std::string& alert, std::string_view outcome, int n) const;
  bool Stopping() const;

  std::unique_ptr<storage::PostingStore> store_;
  const Options options_;  // alerts and delivery: see config_
  mutable std::mutex config_mu_;
  std::vector<config::AlertConfig> alerts_;  // guarded by config_mu_
  config::DeliveryConfig delivery_;          // guarded by config_mu_
  std::atomic<bool> stop_{false};
  std::optional<std::chrono::steady_clock::time_point> deadline_;  // FlushFor's; delivering thread only
  static constexpr std::chrono::hours kPruneEvery{1};
  std::optional<std::chrono::steady_clock::time_point> last_prune_;  // delivering thread only
};

// Runs an AlertDelivery on a thread of its own: a pass whenever Wake() is
// called (the writer committed outbox rows) or a failed row is due again.
// The destructor cuts off a webhook POST in flight, lets a command in
// flight end (at most [delivery] timeout), then joins. What is not
// delivered stays in the outbox.
class DeliveryWorker {
 public:
  explicit DeliveryWorker(std::unique_ptr<AlertDelivery> delivery);
  ~DeliveryWorker();
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  void Wake();  // thread-safe
  // AlertDelivery::Reconfigure, then a pass. Thread-safe.
  void Reconfigure(std::vector<config::AlertConfig> alerts, config::DeliveryConfig delivery);

 private:
  void Loop();

  const std::unique_ptr<AlertDelivery> delivery_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = true;     // guarded by mu_; the first pass runs at once
  bool stopping_ = false; // guarded by mu_
  std::thread thread_;
};

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_ALERTS_H_
