// The time one page may take to extract, checked cooperatively: parsers
// ask between units of work (a JSON-LD block, a feed item, a selector item,
// a board API entry) and stop when it is spent, keeping what they have.
#ifndef JOBTRAWL_PARSERS_PAGE_BUDGET_H_
#define JOBTRAWL_PARSERS_PAGE_BUDGET_H_

#include <time.h>

#include <chrono>
#include <functional>
#include <string>

#include "model/posting.h"

namespace jobtrawl::parsers {

// One page's budget. Not thread-safe: one extraction owns it.
class PageBudget {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Clock = std::function<TimePoint()>;

  // `limit` of zero or less: no limit (the clock is never read). `clock`
  // empty: the calling thread's CPU time, so a page is not charged for the
  // time other threads and processes held the CPU. The budget starts now.
  PageBudget(std::chrono::milliseconds limit, Clock clock)
      : limit_(limit), clock_(std::move(clock)) {
    if (limit_.count() > 0) start_ = Now();
  }

  // True once the limit has passed since construction, and from then on.
  bool Spent() {
    if (spent_) return true;
    if (limit_.count() <= 0) return false;
    spent_ = Now() - start_ >= limit_;
    return spent_;
  }

  std::chrono::milliseconds limit() const { return limit_; }

 private:
  TimePoint Now() const {
    if (clock_) return clock_();
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return TimePoint(std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec));
  }

  const std::chrono::milliseconds limit_;
  const Clock clock_;
  TimePoint start_{};
  bool spent_ = false;
};

// True when `budget` (nullptr: none) is spent; the first time, marks `out`
// too slow with a warning. Extraction stops where it is and keeps what it has.
inline bool OutOfTime(PageBudget* budget, Extracted& out) {
  if (budget == nullptr || !budget->Spent()) return false;
  if (!out.too_slow) {
    out.too_slow = true;
    out.warnings.push_back("page budget of " + std::to_string(budget->limit().count()) +
                           " ms spent: extraction stopped with " +
                           std::to_string(out.postings.size()) + " posting(s)");
  }
  return true;
}

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_PAGE_BUDGET_H_
