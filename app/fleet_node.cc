#include "app/fleet_node.h"

#include <unistd.h>

#include <boost/asio/post.hpp>

#include <string>
#include <utility>

namespace jobtrawl::app {

namespace asio = boost::asio;
namespace pg = storage::pg;

namespace {

std::string HostName() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "localhost";
  return host;
}

}  // namespace

std::string FleetNodeName(const std::string& configured) {
  if (!configured.empty()) return configured;
  return HostName() + ":" + std::to_string(::getpid());
}

FleetNode::FleetNode(asio::io_context& ioc, Options options)
    : ioc_(ioc),
      options_(std::move(options)),
      db_work_(asio::make_work_guard(db_ioc_)),
      poll_timer_(db_ioc_),
      heartbeat_timer_(db_ioc_),
      sources_(options_.sources),
      thread_([this] { db_ioc_.run(); }) {}

FleetNode::~FleetNode() {
  asio::post(db_ioc_, [this] {
    poll_timer_.cancel();
    heartbeat_timer_.cancel();
    stopping_ = true;
    db_work_.reset();
  });
  thread_.join();
}

void FleetNode::Log(LogLevel level, const std::string& message) {
  if (options_.log) options_.log(level, "node " + options_.name + ": " + message);
}

bool FleetNode::Connect() {
  if (queue_ && connection_ && connection_->ok()) return true;
  queue_.reset();
  connection_.reset();
  pg::ConnectOptions co;
  co.application_name = "jobtrawl " + options_.name;
  auto c = pg::Connection::Open(options_.database_url, co);
  if (!c) {
    Log(LogLevel::kError, c.error().message);
    return false;
  }
  connection_.emplace(std::move(*c));
  pg::WorkQueueOptions wo;
  wo.node = options_.name;
  wo.hostname = HostName();
  wo.pid = ::getpid();
  wo.lease = options_.lease;
  wo.backoff = options_.backoff;
  wo.lock_timeout = options_.lock_timeout;
  wo.statement_timeout = options_.statement_timeout;
  auto q = pg::WorkQueue::Open(*connection_, std::move(wo));
  if (!q) {
    Log(LogLevel::kError, q.error().message);
    connection_.reset();
    return false;
  }
  queue_.emplace(std::move(*q));
  // Registering frees the leases of an earlier process of this name; after
  // a reconnect this process's own leases are still its own.
  // Until it has registered, the node has no queue: the next call tries
  // again, and nothing claims or heartbeats meanwhile.
  if (!registered_) {
    if (auto r = queue_->Register(); !r) {
      Log(LogLevel::kError, r.error().message);
      queue_.reset();
      connection_.reset();
      return false;
    }
    auto added = queue_->SetSources(sources_);
    if (!added) {
      Log(LogLevel::kError, added.error().message);
      queue_.reset();
      connection_.reset();
      return false;
    }
    registered_ = true;
    sources_changed_ = false;
    Log(LogLevel::kInfo, "joined the fleet with " + std::to_string(sources_.size()) + " sources (" +
                             std::to_string(*added) + " new to the schedule)");
  }
  return true;
}

void FleetNode::Start() {
  asio::post(db_ioc_, [this] {
    Poll();
    Heartbeat();
  });
}

void FleetNode::SetSources(std::vector<pg::ScheduledSource> sources) {
  asio::post(db_ioc_, [this, sources = std::move(sources)]() mutable {
    if (stopping_) return;
    sources_ = std::move(sources);
    sources_changed_ = true;
    FlushSources();
  });
}

// A changed source list goes to the database; kept for the next poll
// while the database cannot be reached (registering sends it too).
void FleetNode::FlushSources() {
  if (!sources_changed_ || !registered_ || !Connect()) return;
  auto added = queue_->SetSources(sources_);
  if (!added) {
    Log(LogLevel::kError, "setting this node's sources failed: " + added.error().message);
    return;
  }
  Log(LogLevel::kInfo, std::to_string(sources_.size()) + " sources (" + std::to_string(*added) +
                           " new to the schedule)");
  sources_changed_ = false;
}

void FleetNode::StopClaiming() {
  asio::post(db_ioc_, [this] {
    claiming_ = false;
    poll_timer_.cancel();
  });
}

void FleetNode::GiveBack(const pg::Claim& claim) {
  asio::post(db_ioc_, [this, claim] {
    if (in_flight_ > 0) --in_flight_;
    unreleased_.emplace_back(claim, std::nullopt);
    if (!stopping_) RetryReleases();
  });
}

void FleetNode::Poll() {
  if (stopping_ || !claiming_) return;
  FlushSources();
  RetryReleases();
  const int free = options_.capacity - in_flight_;
  if (free > 0 && Connect()) {
    auto claims = queue_->ClaimDue(free);
    if (!claims) {
      Log(LogLevel::kError, "claiming sources failed: " + claims.error().message);
    } else {
      in_flight_ += static_cast<int>(claims->size());
      for (pg::Claim& c : *claims) {
        held_.insert(c.source_id);
        if (!c.previous_owner.empty()) {
          Log(LogLevel::kNotice, "took over source " + std::to_string(c.source_id) + " from " + c.previous_owner);
        }
        asio::post(ioc_, [this, c = std::move(c)] {
          if (options_.start) options_.start(c);
        });
      }
    }
  }
  poll_timer_.expires_after(options_.poll);
  poll_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) Poll();
  });
}

void FleetNode::Heartbeat() {
  if (stopping_) return;
  if (registered_ && Connect()) {
    std::vector<std::int64_t> ids;
    bool rejoined = false;
    auto renewed = queue_->Heartbeat(&ids, &rejoined);
    if (!renewed) {
      Log(LogLevel::kError, "renewing leases failed: " + renewed.error().message);
    } else {
      if (rejoined) {
        // Silent so long that the other nodes forgot this one: it claims
        // nothing until its source list is back.
        Log(LogLevel::kWarning, "this node was silent beyond the forget age and had been forgotten by the "
                                "fleet; rejoined, giving its sources again");
        sources_changed_ = true;
        FlushSources();
      }
      // Claims committed by the server whose reply was lost with the
      // connection: nothing here crawls them, so they go back at once.
      std::vector<std::int64_t> unknown;
      for (std::int64_t id : ids) {
        if (!held_.contains(id)) unknown.push_back(id);
      }
      if (!unknown.empty()) {
        auto given = queue_->GiveBackUnknown(unknown);
        if (!given) {
          Log(LogLevel::kError, "giving back leases this node did not know it held failed (tried again at the "
                                "next heartbeat): " + given.error().message);
        } else {
          Log(LogLevel::kWarning, "gave back " + std::to_string(*given) +
                                      " leases whose claim this node never received (a lost reply)");
        }
      }
      const std::int64_t known = *renewed - static_cast<std::int64_t>(unknown.size());
      if (known < in_flight_) {
        Log(LogLevel::kWarning, std::to_string(in_flight_ - known) + " leases were taken over by other nodes");
      }
    }
  }
  heartbeat_timer_.expires_after(options_.lease.renew_every());
  heartbeat_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) Heartbeat();
  });
}

void FleetNode::Finish(const pg::Claim& claim, storage::work::Outcome outcome) {
  asio::post(db_ioc_, [this, claim, outcome] {
    if (in_flight_ > 0) --in_flight_;
    unreleased_.emplace_back(claim, outcome);
    if (!stopping_) RetryReleases();
  });
}

// A release that fails stays queued: while this node lives its heartbeat
// renews the lease, so dropping it would keep the source from every node.
void FleetNode::RetryReleases() {
  if (unreleased_.empty() || !Connect()) return;
  std::vector<std::pair<pg::Claim, std::optional<storage::work::Outcome>>> failed;
  for (const auto& [claim, outcome] : unreleased_) {
    auto released = outcome ? queue_->Release(claim, *outcome) : queue_->GiveBack(claim);
    if (!released) {
      Log(LogLevel::kError, "releasing source " + std::to_string(claim.source_id) +
                                " failed (tried again at the next poll): " + released.error().message);
      failed.emplace_back(claim, outcome);
      continue;
    }
    held_.erase(claim.source_id);
    if (!*released) {
      Log(LogLevel::kWarning, "source " + std::to_string(claim.source_id) + ": the lease had been taken over");
    }
  }
  unreleased_ = std::move(failed);
}

void FleetNode::Stop(std::function<void(std::int64_t)> done) {
  asio::post(db_ioc_, [this, done = std::move(done)] {
    stopping_ = true;
    poll_timer_.cancel();
    heartbeat_timer_.cancel();
    std::int64_t released = 0;
    if (registered_) {
      // The crawls that ended during the drain go with their outcome first.
      RetryReleases();
      if (Connect()) {
        auto r = queue_->Drain();
        if (!r) Log(LogLevel::kError, "releasing leases failed: " + r.error().message);
        else released = *r;
      }
    }
    Log(LogLevel::kInfo, "left the fleet, giving back " + std::to_string(released) + " leases");
    asio::post(ioc_, [done, released] {
      if (done) done(released);
    });
  });
}

}  // namespace jobtrawl::app
