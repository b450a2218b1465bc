// Time as the database stores it: UTC ISO-8601 text with a 'Z' suffix.
#ifndef JOBTRAWL_MODEL_CLOCK_H_
#define JOBTRAWL_MODEL_CLOCK_H_

#include <charconv>
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

// An ISO 8601 time as boards and sitemaps write it.
struct IsoTime {
  Clock::time_point time;  // UTC; midnight for a date alone
  bool has_time = false;   // false: "2026-11-20", a calendar date
};

// Reads "2026-11-20", "2026-11-20T10:00", "2026-11-20T10:00:00.123Z",
// "2026-11-20 10:00:00 UTC", "...+05:30", "...-0500", "...+01"; offsets are
// applied. nullopt for anything else, impossible days (2026-02-29) included.
inline std::optional<IsoTime> ParseIso8601(std::string_view s) {
  auto number = [](std::string_view d) {
    int v = -1;
    auto [ptr, ec] = std::from_chars(d.data(), d.data() + d.size(), v);
    return ec == std::errc() && ptr == d.data() + d.size() ? v : -1;
  };
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const int y = number(s.substr(0, 4)), m = number(s.substr(5, 2)), d = number(s.substr(8, 2));
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || y > 2200 || m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return std::nullopt;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  if (s.size() == 10) return IsoTime{Clock::from_time_t(timegm(&tm)), false};
  if ((s[10] != 'T' && s[10] != ' ') || s.size() < 16 || s[13] != ':') return std::nullopt;
  tm.tm_hour = number(s.substr(11, 2));
  tm.tm_min = number(s.substr(14, 2));
  std::string_view rest = s.substr(16);
  if (rest.starts_with(':') && rest.size() >= 3) {
    tm.tm_sec = number(rest.substr(1, 2));
    rest.remove_prefix(3);
  }
  if (rest.starts_with('.') || rest.starts_with(',')) {
    size_t i = 1;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
    rest.remove_prefix(i);
  }
  while (rest.starts_with(' ')) rest.remove_prefix(1);
  if (tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  long offset = 0;
  if (!rest.empty() && rest != "Z" && rest != "z" && rest != "UTC" && rest != "GMT") {
    if (rest[0] != '+' && rest[0] != '-') return std::nullopt;
    std::string digits;
    for (char c : rest.substr(1)) {
      if (c != ':') digits.push_back(c);
    }
    if (digits.size() == 2) digits += "00";
    if (digits.size() != 4) return std::nullopt;
    const int hh = number(std::string_view(digits).substr(0, 2)), mm = number(std::string_view(digits).substr(2, 2));
    if (hh < 0 || hh > 14 || mm < 0 || mm > 59) return std::nullopt;
    offset = (rest[0] == '-' ? -1 : 1) * (hh * 3600L + mm * 60L);
  }
  return IsoTime{Clock::from_time_t(timegm(&tm) - offset), true};
}

// Injected wherever behaviour depends on the time, so tests can fix it.
using NowFunction = std::function<Clock::time_point()>;

}  // namespace jobtrawl

#endif  // JOBTRAWL_MODEL_CLOCK_H_
