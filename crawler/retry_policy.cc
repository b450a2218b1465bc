#include "crawler/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "model/ascii.h"
#include "model/date_time.h"

namespace jobtrawl::crawler {

using std::chrono::milliseconds;

std::optional<milliseconds> ParseRetryAfter(std::string_view value, std::time_t now) {
  value = ascii::Trim(value, ascii::IsBlank);
  if (value.empty()) return std::nullopt;
  const auto max_seconds = std::chrono::duration_cast<std::chrono::seconds>(kMaxRetryAfter).count();
  if (std::all_of(value.begin(), value.end(), ascii::IsDigit)) {
    // Digits only: delta-seconds, however many there are.
    std::int64_t seconds = 0;
    for (char c : value) {
      seconds = seconds * 10 + (c - '0');
      if (seconds > max_seconds) return kMaxRetryAfter;
    }
    return milliseconds(seconds * 1000);
  }
  auto date = ParseHttpDate(value, std::chrono::sys_seconds(std::chrono::seconds(now)));
  if (!date) return std::nullopt;
  const std::int64_t when = date->time.time_since_epoch().count();
  if (when <= now) return milliseconds(0);
  if (when - now > max_seconds) return kMaxRetryAfter;
  return milliseconds(static_cast<std::int64_t>(when - now) * 1000);
}

RetryPolicy::Decision RetryPolicy::OnFailure(int failures, std::optional<milliseconds> retry_after,
                                             double uniform) const {
  using Kind = Decision::Kind;
  if (retry_after && *retry_after > settings_.max) return {Kind::kWaitTooLong, *retry_after};
  if (failures > settings_.retries) return {Kind::kExhausted, milliseconds(0)};
  // Full jitter: uniform in [0, min(max, base * 2^(failures - 1))].
  const double cap = std::min(static_cast<double>(settings_.max.count()),
                              static_cast<double>(settings_.base.count()) *
                                  std::ldexp(1.0, std::min(failures - 1, 62)));
  auto wait = milliseconds(static_cast<std::int64_t>(std::clamp(uniform, 0.0, 1.0) * cap));
  if (retry_after) wait = std::max(wait, *retry_after);
  return {Kind::kRetry, wait};
}

}  // namespace jobtrawl::crawler
