// Politeness towards one host: the delay between request starts (with
// jitter, widened while the host struggles and narrowed back slowly),
// Retry-After, and a circuit breaker. Pure logic over the times it is given,
// so it is tested without clocks. Internal to crawler/.
#ifndef JOBTRAWL_CRAWLER_HOST_PACER_H_
#define JOBTRAWL_CRAWLER_HOST_PACER_H_

#include <chrono>
#include <optional>

namespace jobtrawl::crawler {

struct PacerSettings {
  std::chrono::milliseconds delay{1000};  // base gap between starts
  double jitter = 0.25;                   // up to this fraction of the gap added at random
  std::chrono::milliseconds max_adaptive_delay{60000};
  int breaker_failures = 5;
  std::chrono::milliseconds breaker_cooldown{60000};
  int breaker_max_trips = 3;
};

class HostPacer {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::milliseconds;

  enum class Outcome {
    kSuccess,   // the host answered (any status that is not a complaint)
    kSlowDown,  // 429 or 503: the host asks us to back off
    kFailure,   // timeout, reset, connect or DNS failure, other 5xx
  };
  enum class State { kClosed, kOpen, kHalfOpen };

  explicit HostPacer(const PacerSettings& settings);

  // The base delay only ever grows: a source's own delay or robots
  // Crawl-delay may ask for more than the default, never for less.
  void RaiseBaseDelay(Duration d);

  // Whether a request may start at `now`. Moves an open breaker whose
  // cool-down has passed to half-open, where a single probe may start.
  bool CanStart(TimePoint now);
  // The earliest time CanStart may turn true (meaningful when it is false
  // and no probe is in flight).
  TimePoint NextWakeUp() const;

  // `jitter_sample` in [0, 1) picks the jitter for the gap that follows.
  void OnStart(TimePoint now, double jitter_sample);
  void OnFinish(TimePoint now, Outcome outcome, Duration latency,
                std::optional<Duration> retry_after);
  // A started request ended with nothing to judge the host by (cancelled,
  // or refused before connecting): a probe slot it held is free again.
  void OnAbandon();

  // The breaker tripped more than breaker_max_trips times in a row and its
  // cool-down has not passed: work queued for this host should fail rather
  // than wait. Once the cool-down passes a probe may go out again, so a
  // host that comes back is crawled again (a failed probe trips it anew).
  bool down(TimePoint now) const {
    return trips_ > settings_.breaker_max_trips && state_ == State::kOpen && now < open_until_;
  }
  // A half-open breaker's single probe is in flight: nothing else starts
  // until it ends.
  bool probing() const { return probe_in_flight_; }
  // Until when the host's Retry-After holds it (a past time when it does not).
  TimePoint held_until() const { return held_until_; }
  // No wait the host asked for or the breaker imposes is still running, so
  // forgetting the host loses no promise (an adaptive slow-down is relearnt).
  bool quiet(TimePoint now) const {
    return now >= held_until_ && now >= next_start_ && !probe_in_flight_ &&
           (state_ == State::kClosed || now >= open_until_);
  }
  State state() const { return state_; }
  Duration current_delay() const { return current_; }
  Duration base_delay() const { return base_; }

 private:
  void Trip(TimePoint now);

  PacerSettings settings_;
  Duration base_;
  Duration current_;
  TimePoint next_start_{};
  TimePoint held_until_{};
  State state_ = State::kClosed;
  TimePoint open_until_{};
  bool probe_in_flight_ = false;
  int consecutive_failures_ = 0;
  int trips_ = 0;
  double latency_ewma_ms_ = -1;
};

}  // namespace jobtrawl::crawler

#endif  // JOBTRAWL_CRAWLER_HOST_PACER_H_
