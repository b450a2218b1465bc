// The crawler's HostBudget (crawler/host_budget.h) for a fleet node: request
// slots per host reserved in PostgreSQL's host_budgets through
// storage::pg::WorkQueue::ReserveHost (the slot rule and its slack:
// storage/work_rules.h "Per-host request budget"), so the nodes on one
// database together keep each host's delay.
//
// Slots are reserved as many as requests wait for the host (Next's
// `wanted`), at most `batch` at a time, on a thread of the budget's own
// (libpq blocks; the fetcher's loop never waits on the database), booking
// no further ahead than `horizon`; a refused reservation (the host is
// booked beyond it) is asked again after `retry`. A reply's slots are
// placed on this process's steady clock by their offset from the
// database's `now` at the reply's arrival. The first slot of a reply goes
// to the request that waited for it (handed, as Next hands one out: an
// idle host's first slot begins at the reply, so it has always begun by
// the time the request asks again). A slot whose start has passed unused
// is skipped, never used late (work::FirstUsableSlot), except the one
// handed out, which stays the host's until Take, for one gap after its
// start (see host_budget.h). Database errors are logged and retried after
// `retry`.
//
// Thread-safety: Next and Take from the fetcher's thread; the rest is
// internal. Lifetime: destroy it (joining its thread) before the
// io_context the fetcher's wake handlers post to.
#ifndef JOBTRAWL_APP_FLEET_HOST_BUDGET_H_
#define JOBTRAWL_APP_FLEET_HOST_BUDGET_H_

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/log.h"
#include "crawler/host_budget.h"
#include "storage/pg/work_queue.h"

namespace jobtrawl::app {

class FleetHostBudget : public crawler::HostBudget {
 public:
  struct Options {
    std::string database_url;  // postgresql://...
    std::string node;          // for the work queue and log lines
    // Its work queue session's lock_timeout and statement_timeout
    // (storage/pg/work_queue.h WorkQueueOptions); zero: none.
    std::chrono::milliseconds lock_timeout{5'000};
    std::chrono::milliseconds statement_timeout{30'000};
    int batch = 4;             // slots per reservation; REQUIRES: > 0
    std::chrono::milliseconds horizon{std::chrono::seconds(30)};
    std::chrono::milliseconds retry{std::chrono::milliseconds(500)};
    LogFunction log;
  };

  explicit FleetHostBudget(Options options);
  ~FleetHostBudget() override;
  FleetHostBudget(const FleetHostBudget&) = delete;
  FleetHostBudget& operator=(const FleetHostBudget&) = delete;

  std::optional<Clock::time_point> Next(const std::string& host, std::chrono::milliseconds gap,
                                        Clock::time_point now, int wanted, std::function<void()> wake) override;
  void Take(const std::string& host, Clock::time_point at) override;

  // Reservations asked of the database so far (tests).
  std::int64_t reservations() const;

 private:
  struct Host {
    std::deque<Clock::time_point> slots;  // not yet begun, in order
    std::optional<Clock::time_point> handed;  // Next gave it; Take consumes it
    bool reserving = false;
    int wanted = 1;  // requests waiting, as the last Next said
    std::vector<std::function<void()>> waiting;
  };

  // On the budget's thread.
  void Reserve(std::string host, std::chrono::milliseconds gap);
  bool Connect();
  void Log(LogLevel level, const std::string& message);

  const Options options_;
  mutable std::mutex mu_;
  std::map<std::string, Host> hosts_;  // guarded by mu_
  std::int64_t reservations_ = 0;      // guarded by mu_

  boost::asio::io_context db_ioc_;  // the budget's thread runs it
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> db_work_;
  std::optional<storage::pg::Connection> connection_;  // budget's thread only
  std::optional<storage::pg::WorkQueue> queue_;        // budget's thread only
  std::thread thread_;
};

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_FLEET_HOST_BUDGET_H_
