// Time as the database stores it: UTC ISO-8601 text with a 'Z' suffix.
#ifndef JOBTRAWL_MODEL_CLOCK_H_
#define JOBTRAWL_MODEL_CLOCK_H_

#include <chrono>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace jobtrawl {

using Clock = std::chrono::system_clock;

// "2026-11-27T23:04:05Z" (second precision, always UTC).
inline std::string FormatUtc(Clock::time_point t) {
  std::time_t seconds = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Injected wherever behaviour depends on the time, so tests can fix it.
using NowFunction = std::function<Clock::time_point()>;

}  // namespace jobtrawl

#endif  // JOBTRAWL_MODEL_CLOCK_H_
