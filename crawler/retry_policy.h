// When a failed attempt is tried again, and after how long: exponential
// backoff with full jitter (the "Full Jitter" scheme: a uniform wait in
// [0, min(max, base * 2^n)]), and the server's Retry-After (RFC 9110
// section 10.2.3) honoured up to a limit. Pure logic: the caller supplies
// the random sample and the time. Internal to crawler/.
#ifndef JOBTRAWL_CRAWLER_RETRY_POLICY_H_
#define JOBTRAWL_CRAWLER_RETRY_POLICY_H_

#include <chrono>
#include <ctime>
#include <optional>
#include <string_view>

namespace jobtrawl::crawler {

struct RetrySettings {
  int retries = 3;                           // further attempts after the first failure
  std::chrono::milliseconds base{1000};      // backoff of the first retry (before jitter)
  std::chrono::milliseconds max{60000};      // backoff cap; a longer Retry-After gives up
};

// The longest Retry-After ever taken literally (a day). Larger values, and
// HTTP-dates centuries ahead, are clamped to it so time arithmetic cannot
// overflow; they exceed any sensible retry_max anyway.
inline constexpr std::chrono::milliseconds kMaxRetryAfter{24LL * 3600 * 1000};

// Retry-After as delta-seconds or an HTTP-date relative to `now` (seconds
// since the epoch). nullopt when absent or unreadable; never negative,
// never above kMaxRetryAfter.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value, std::time_t now);

class RetryPolicy {
 public:
  explicit RetryPolicy(RetrySettings settings) : settings_(settings) {}

  struct Decision {
    enum class Kind {
      kRetry,        // try again after `wait`
      kExhausted,    // every retry is used up
      kWaitTooLong,  // the server asked for a wait (in `wait`) longer than `max`
    };
    Kind kind = Kind::kExhausted;
    std::chrono::milliseconds wait{0};
  };

  // After the `failures`-th failed attempt of one URL (1 for the first),
  // with the server's Retry-After if it sent one; `uniform` is a sample in
  // [0, 1) for the jitter.
  Decision OnFailure(int failures, std::optional<std::chrono::milliseconds> retry_after,
                     double uniform) const;

  const RetrySettings& settings() const { return settings_; }

 private:
  RetrySettings settings_;
};

}  // namespace jobtrawl::crawler

#endif  // JOBTRAWL_CRAWLER_RETRY_POLICY_H_
