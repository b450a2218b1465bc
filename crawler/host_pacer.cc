#include "crawler/host_pacer.h"

#include <algorithm>

namespace jobtrawl::crawler {

using std::chrono::milliseconds;

HostPacer::HostPacer(const PacerSettings& settings)
    : settings_(settings), base_(settings.delay), current_(settings.delay) {}

void HostPacer::RaiseBaseDelay(Duration d) {
  if (d <= base_) return;
  base_ = d;
  current_ = std::max(current_, d);
}

bool HostPacer::CanStart(TimePoint now) {
  if (state_ == State::kOpen) {
    if (now < open_until_) return false;
    state_ = State::kHalfOpen;
  }
  if (state_ == State::kHalfOpen && probe_in_flight_) return false;
  return now >= next_start_;
}

HostPacer::TimePoint HostPacer::NextWakeUp() const {
  return state_ == State::kOpen ? std::max(open_until_, next_start_) : next_start_;
}

void HostPacer::OnStart(TimePoint now, double jitter_sample) {
  if (state_ == State::kHalfOpen) probe_in_flight_ = true;
  auto gap = milliseconds(static_cast<milliseconds::rep>(
      static_cast<double>(current_.count()) * (1.0 + settings_.jitter * jitter_sample)));
  next_start_ = std::max(next_start_, now + gap);
}

void HostPacer::OnAbandon() { probe_in_flight_ = false; }

void HostPacer::Trip(TimePoint now) {
  ++trips_;
  // The cool-down doubles with each trip in a row, up to 32 times the first.
  // Doubling stops at a day (or the first cool-down, if longer), which
  // also keeps `now + cooldown` far inside the clock's range.
  auto cooldown = std::min<Duration>(settings_.breaker_cooldown * (1 << std::min(trips_ - 1, 5)),
                                     std::max<Duration>(settings_.breaker_cooldown, std::chrono::hours(24)));
  state_ = State::kOpen;
  open_until_ = now + cooldown;
  probe_in_flight_ = false;
}

void HostPacer::OnFinish(TimePoint now, Outcome outcome, Duration latency,
                         std::optional<Duration> retry_after) {
  if (retry_after) {
    held_until_ = std::max(held_until_, now + *retry_after);
    next_start_ = std::max(next_start_, held_until_);
  }
  const bool probe = state_ == State::kHalfOpen && probe_in_flight_;
  if (probe) probe_in_flight_ = false;

  if (outcome == Outcome::kSuccess) {
    consecutive_failures_ = 0;
    if (probe || state_ == State::kHalfOpen) {
      state_ = State::kClosed;
      trips_ = 0;
    }
    // Latency well above what this host usually takes is a sign of strain.
    double ms = static_cast<double>(latency.count());
    bool slow = latency_ewma_ms_ > 0 && ms > 3 * latency_ewma_ms_ && ms > 500;
    latency_ewma_ms_ = latency_ewma_ms_ < 0 ? ms : 0.8 * latency_ewma_ms_ + 0.2 * ms;
    if (slow) {
      current_ = std::min(settings_.max_adaptive_delay,
                          std::max(current_ * 3 / 2, current_ + milliseconds(250)));
    } else if (current_ > base_) {
      // Narrow back slowly: 10% per good answer.
      current_ = std::max(base_, current_ * 9 / 10);
    }
    return;
  }

  if (outcome == Outcome::kSlowDown) {
    current_ = std::min(settings_.max_adaptive_delay,
                        std::max({current_ * 2, base_, milliseconds(1000)}));
  }
  ++consecutive_failures_;
  if (probe) {
    Trip(now);
  } else if (state_ == State::kClosed && consecutive_failures_ >= settings_.breaker_failures) {
    Trip(now);
  }
}

}  // namespace jobtrawl::crawler
