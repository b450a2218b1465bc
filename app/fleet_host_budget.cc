#include "app/fleet_host_budget.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <memory>
#include <utility>

namespace jobtrawl::app {

namespace asio = boost::asio;
namespace pg = storage::pg;
namespace work = storage::work;

FleetHostBudget::FleetHostBudget(Options options)
    : options_(std::move(options)), db_work_(asio::make_work_guard(db_ioc_)), thread_([this] { db_ioc_.run(); }) {}

FleetHostBudget::~FleetHostBudget() {
  db_work_.reset();
  db_ioc_.stop();  // reservations waiting to be retried are dropped
  thread_.join();
}

void FleetHostBudget::Log(LogLevel level, const std::string& message) {
  if (options_.log) options_.log(level, "node " + options_.node + ": host budget: " + message);
}

std::optional<FleetHostBudget::Clock::time_point> FleetHostBudget::Next(const std::string& host,
                                                                        std::chrono::milliseconds gap,
                                                                        Clock::time_point now, int wanted,
                                                                        std::function<void()> wake) {
  std::lock_guard lock(mu_);
  Host& h = hosts_[host];
  h.wanted = std::max(wanted, 1);
  // The slot handed out stays this host's until taken, for one gap after
  // its start (a timer that fires late); one never taken is let go then.
  if (h.handed && now - *h.handed < gap) return h.handed;
  h.handed.reset();
  // A slot whose start has passed unused is skipped, never used late
  // (work::FirstUsableSlot): late requests cannot bunch up with the next
  // slot's, whichever node holds it.
  while (!h.slots.empty() && h.slots.front() < now) h.slots.pop_front();
  if (!h.slots.empty()) {
    h.handed = h.slots.front();
    h.slots.pop_front();
    return h.handed;
  }
  h.waiting.push_back(std::move(wake));
  if (!h.reserving) {
    h.reserving = true;
    asio::post(db_ioc_, [this, host, gap] { Reserve(host, gap); });
  }
  return std::nullopt;
}

void FleetHostBudget::Take(const std::string& host, Clock::time_point at) {
  std::lock_guard lock(mu_);
  auto it = hosts_.find(host);
  if (it != hosts_.end() && it->second.handed == at) it->second.handed.reset();
}

std::int64_t FleetHostBudget::reservations() const {
  std::lock_guard lock(mu_);
  return reservations_;
}

bool FleetHostBudget::Connect() {
  if (queue_ && connection_ && connection_->ok()) return true;
  queue_.reset();
  connection_.reset();
  pg::ConnectOptions co;
  co.application_name = "jobtrawl " + options_.node + " host budget";
  auto c = pg::Connection::Open(options_.database_url, co);
  if (!c) {
    Log(LogLevel::kError, c.error().message);
    return false;
  }
  connection_.emplace(std::move(*c));
  auto q = pg::WorkQueue::Open(*connection_, pg::WorkQueueOptions{.node = options_.node,
                                                                 .lock_timeout = options_.lock_timeout,
                                                                 .statement_timeout = options_.statement_timeout});
  if (!q) {
    Log(LogLevel::kError, q.error().message);
    connection_.reset();
    return false;
  }
  queue_.emplace(std::move(*q));
  return true;
}

void FleetHostBudget::Reserve(std::string host, std::chrono::milliseconds gap) {
  auto again = [this, host, gap] {
    auto timer = std::make_shared<asio::steady_timer>(db_ioc_, options_.retry);
    timer->async_wait([this, timer, host, gap](boost::system::error_code ec) {
      if (!ec) Reserve(host, gap);
    });
  };
  if (!Connect()) return again();
  const auto us = [](std::chrono::milliseconds d) { return std::chrono::duration_cast<work::Duration>(d); };
  // A host that asks for no delay still gets distinct slots.
  const work::Duration slot_gap = std::max(us(gap), work::Duration(1));
  int n = 1;
  {
    std::lock_guard lock(mu_);
    n = std::clamp(hosts_[host].wanted, 1, options_.batch);
  }
  auto grant = queue_->ReserveHost(host, n, slot_gap, us(options_.horizon));
  const auto arrived = Clock::now();
  {
    std::lock_guard lock(mu_);
    ++reservations_;
  }
  if (!grant) {
    Log(LogLevel::kError, "reserving request slots for " + host + " failed: " + grant.error().message);
    return again();
  }
  if (!*grant) return again();  // booked beyond the horizon: ask again later
  const work::SlotGrant& g = (*grant)->slots;
  // Slot i begins (first - now) + i * gap after the reply arrived.
  const auto offset = g.first - (*grant)->now;
  std::vector<std::function<void()>> wake;
  {
    std::lock_guard lock(mu_);
    Host& h = hosts_[host];
    int i = 0;
    // The request that waited gets the first slot, however late it asks
    // within the handed slot's grace (Next).
    if (!h.handed && !h.waiting.empty()) h.handed = arrived + offset + g.gap * i++;
    for (; i < g.count; ++i) h.slots.push_back(arrived + offset + g.gap * i);
    h.reserving = false;
    wake.swap(h.waiting);
  }
  for (auto& w : wake) w();
}

}  // namespace jobtrawl::app
