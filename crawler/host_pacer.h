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

  // The breaker tripped more than breaker_max_trips times in a row: work
  // queued for this host should fail rather than wait on.
  bool down() const { return trips_ > settings_.breaker_max_trips; }
  State state() const { return state_; }
  Duration current_delay() const { return current_; }
  Duration base_delay() const { return base_; }

 private:
  void Trip(TimePoint now);

  PacerSettings settings_;
  Duration base_;
  Duration current_;
  TimePoint next_start_{};
  State state_ = State::kClosed;
  TimePoint open_until_{};
  bool probe_in_flight_ = false;
  int consecutive_failures_ = 0;
  int trips_ = 0;
  double latency_ewma_ms_ = -1;
};

}  // namespace jobtrawl::crawler

#endif  // JOBTRAWL_CRAWLER_HOST_PACER_H_
