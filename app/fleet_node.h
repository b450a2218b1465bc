// One jobtrawl node of a fleet sharing a PostgreSQL database (issue 15
// parts 2 and 3): the driver between the daemon's event loop and
// storage/pg/work_queue.h. It registers the node, adds the configured
// sources to the shared schedule, claims due sources as places free up
// (polling every `poll`), renews its leases every lease ttl / 3, hands each
// claim to `start` on the daemon's io_context, takes each crawl's end
// through Finish, and on Stop (SIGTERM) releases every lease it holds.
//
// libpq blocks, so every database call runs on a thread of the FleetNode's
// own, one at a time; the daemon's loop never waits on the database.
//
// The SIGTERM drain: StopClaiming first (no new claims; the heartbeat goes
// on renewing the leases of the crawls still running), each crawl's end
// through Finish (released with its outcome) or GiveBack (cut short:
// due again at once), then Stop gives back whatever is left and marks the
// node stopped.
// Database errors are logged (with the node's name) and retried at the next
// poll; they never stop the node.
//
// Thread-safety: Start, Finish and Stop are called from the daemon's
// io_context thread; `start` and Stop's `done` run there. `log` is called
// from the FleetNode's thread and must be thread-safe (LogLine is).
// Lifetime: the io_context outlives the FleetNode; destroy it after Stop's
// `done` ran (or without Start); the destructor joins its thread.
#ifndef JOBTRAWL_APP_FLEET_NODE_H_
#define JOBTRAWL_APP_FLEET_NODE_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/executor_work_guard.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "app/log.h"
#include "storage/pg/work_queue.h"

namespace jobtrawl::app {

// The node's name: `configured` when given, else "HOSTNAME:PID".
std::string FleetNodeName(const std::string& configured);

class FleetNode {
 public:
  struct Options {
    std::string database_url;  // postgresql://...
    std::string name;          // REQUIRES: not empty, unique among running nodes
    storage::work::LeasePolicy lease;
    storage::work::BackoffPolicy backoff;
    int capacity = 16;  // crawls at once; REQUIRES: > 0
    std::chrono::milliseconds poll{5000};
    // The work queue session's lock_timeout and statement_timeout
    // (storage/pg/work_queue.h WorkQueueOptions); zero: none.
    std::chrono::milliseconds lock_timeout{5'000};
    std::chrono::milliseconds statement_timeout{30'000};
    std::vector<storage::pg::ScheduledSource> sources;
    // A claimed source to crawl; the crawl ends with Finish(claim, outcome).
    std::function<void(const storage::pg::Claim&)> start;
    LogFunction log;
  };

  FleetNode(boost::asio::io_context& ioc, Options options);
  ~FleetNode();
  FleetNode(const FleetNode&) = delete;
  FleetNode& operator=(const FleetNode&) = delete;

  const std::string& name() const { return options_.name; }

  void Start();
  // The node's whole source list becomes `sources` (a reloaded config):
  // new ones go on the shared schedule, changed intervals are updated, and
  // the node claims only these from now on (WorkQueue::SetSources). From
  // the io_context thread.
  void SetSources(std::vector<storage::pg::ScheduledSource> sources);
  // The crawl of `claim` ended: release it with its next run (also while
  // draining). A claim the node no longer holds (taken over after expiry)
  // is logged.
  void Finish(const storage::pg::Claim& claim, storage::work::Outcome outcome);
  // The claim is not crawled (its source left the config, or the drain cut
  // its crawl short): give it back, due again at once, not counted as a
  // failure (WorkQueue::GiveBack).
  void GiveBack(const storage::pg::Claim& claim);
  // The drain begins: no new claims from now on; heartbeats and releases
  // go on.
  void StopClaiming();
  // Releases what Finish and GiveBack queued, gives back every lease still
  // held (claims handed to `start` during the drain) and marks the node
  // stopped; then `done(given_back)` runs on the io_context.
  void Stop(std::function<void(std::int64_t given_back)> done);

 private:
  // All below run on the FleetNode's thread.
  bool Connect();
  void Poll();
  void FlushSources();
  void RetryReleases();
  void Heartbeat();
  void Log(LogLevel level, const std::string& message);

  boost::asio::io_context& ioc_;
  const Options options_;
  boost::asio::io_context db_ioc_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> db_work_;
  boost::asio::steady_timer poll_timer_;
  boost::asio::steady_timer heartbeat_timer_;
  std::optional<storage::pg::Connection> connection_;
  std::optional<storage::pg::WorkQueue> queue_;
  std::vector<storage::pg::ScheduledSource> sources_;  // the node's list (SetSources)
  bool sources_changed_ = false;  // sources_ not yet in the database
  // Releases that failed (the database could not be reached): retried on
  // each poll, since the heartbeat keeps renewing a lease until it is
  // released. An empty outcome: give back (GiveBack).
  std::vector<std::pair<storage::pg::Claim, std::optional<storage::work::Outcome>>> unreleased_;
  // Source ids of the claims this node knows it holds (crawling, or
  // waiting for their release). A lease the heartbeat renews that is not
  // here was claimed by a reply the node never got: it is given back.
  std::unordered_set<std::int64_t> held_;
  bool registered_ = false;
  bool claiming_ = true;   // false once draining
  bool stopping_ = false;
  int in_flight_ = 0;
  std::thread thread_;
};

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_FLEET_NODE_H_
