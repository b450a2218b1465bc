// A request budget per host shared beyond this process (issue 15 part 2:
// "a host's request budget is leased too, so three nodes never hit one host
// three times as fast"). The Fetcher asks it before each request to a host,
// after its own HostPacer agreed; an implementation books request slots
// somewhere all the processes see (app/fleet_host_budget.h: PostgreSQL's
// host_budgets through storage/pg/work_queue.h). crawler/ knows only this
// interface.
//
// Protocol, per host key (scheme://host:port), on the Fetcher's thread:
//   Next(host, gap, now, wanted, wake) -> a slot time `at`: send the next request
//     to the host at `at` (now or later). The slot stays this host's
//     until Take(host, at): asking again returns the same `at`, so a timer
//     that fires late still uses it.
//   Next(...) -> nullopt: no slot is held; the budget is getting some
//     (off the Fetcher's thread) and calls `wake` once (from any thread)
//     when asking again may give one.
//   Take(host, at): the request was sent in slot `at`.
// `gap` is the least spacing the host wants now (HostPacer::current_delay);
// `wanted` (>= 1) is how many requests to the host are waiting now, so a
// budget books no more slots than there are requests to use them (a slot
// booked and not used is lost to every process).
//
// Thread-safety: Next and Take from one thread; `wake` from any.
#ifndef JOBTRAWL_CRAWLER_HOST_BUDGET_H_
#define JOBTRAWL_CRAWLER_HOST_BUDGET_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace jobtrawl::crawler {

class HostBudget {
 public:
  using Clock = std::chrono::steady_clock;

  virtual ~HostBudget() = default;
  virtual std::optional<Clock::time_point> Next(const std::string& host, std::chrono::milliseconds gap,
                                                Clock::time_point now, int wanted, std::function<void()> wake) = 0;
  virtual void Take(const std::string& host, Clock::time_point at) = 0;
};

}  // namespace jobtrawl::crawler

#endif  // JOBTRAWL_CRAWLER_HOST_BUDGET_H_
