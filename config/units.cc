#include "config/units.h"

#include <array>
#include <charconv>
#include <cmath>
#include <utility>

#include "model/ascii.h"

namespace jobtrawl::config {
namespace {

// Reads "<number><spaces?><unit>" from the front of `s`.
bool TakeTerm(std::string_view& s, double& number, std::string_view& unit) {
  while (!s.empty() && ascii::IsBlank(s.front())) s.remove_prefix(1);
  size_t i = 0;
  while (i < s.size() && (ascii::IsDigit(s[i]) || s[i] == '.')) ++i;
  if (i == 0) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + i, number);
  if (ec != std::errc() || ptr != s.data() + i || !std::isfinite(number)) return false;
  s.remove_prefix(i);
  while (!s.empty() && ascii::IsBlank(s.front())) s.remove_prefix(1);
  size_t j = 0;
  while (j < s.size() && ascii::IsAlpha(s[j])) ++j;
  unit = s.substr(0, j);
  s.remove_prefix(j);
  return true;
}

}  // namespace

std::expected<std::chrono::milliseconds, std::string> ParseDuration(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, double>, 5> kUnits{{
      {"ms", 1.0}, {"s", 1e3}, {"m", 60e3}, {"h", 3600e3}, {"d", 86400e3}}};
  const std::string expected =
      "expected a duration such as \"500ms\", \"30s\", \"1h30m\" (units ms, s, m, h, d)";
  std::string_view s = text;
  double total = 0;
  int terms = 0;
  while (true) {
    while (!s.empty() && ascii::IsBlank(s.front())) s.remove_prefix(1);
    if (s.empty()) break;
    double n = 0;
    std::string_view unit;
    if (!TakeTerm(s, n, unit)) return std::unexpected(expected);
    double factor = -1;
    for (const auto& [name, f] : kUnits) {
      if (unit == name) factor = f;
    }
    if (factor < 0) {
      return std::unexpected(unit.empty() ? expected + ", got a number without a unit"
                                          : expected + ", got unknown unit \"" +
                                                std::string(unit) + "\"");
    }
    total += n * factor;
    ++terms;
  }
  if (terms == 0) return std::unexpected(expected);
  // Ten years: any longer and `now + duration` could leave the range of
  // steady_clock's time points (about 292 years of nanoseconds) once added up.
  if (total > 3650.0 * 86400 * 1000) return std::unexpected("duration is too long (at most 3650d)");
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(total)));
}

std::expected<std::uint64_t, std::string> ParseSize(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, double>, 8> kUnits{{
      {"", 1.0}, {"B", 1.0}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9},
      {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}}};
  const std::string expected =
      "expected a size such as \"10MB\", \"512KiB\" or a number of bytes "
      "(units B, KB, MB, GB, KiB, MiB, GiB)";
  std::string_view s = text;
  double n = 0;
  std::string_view unit;
  if (!TakeTerm(s, n, unit)) return std::unexpected(expected);
  while (!s.empty() && ascii::IsBlank(s.front())) s.remove_prefix(1);
  if (!s.empty()) return std::unexpected(expected);
  for (const auto& [name, f] : kUnits) {
    if (unit == name) {
      double bytes = n * f;
      if (bytes > 1e18) return std::unexpected("size is too large");
      return static_cast<std::uint64_t>(std::llround(bytes));
    }
  }
  return std::unexpected(expected + ", got unknown unit \"" + std::string(unit) + "\"");
}

std::string FormatDuration(std::chrono::milliseconds d) {
  auto ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  auto part = [&](std::int64_t unit, const char* name) {
    if (ms >= unit) {
      out += std::to_string(ms / unit) + name;
      ms %= unit;
    }
  };
  part(86400000, "d");
  part(3600000, "h");
  part(60000, "m");
  part(1000, "s");
  part(1, "ms");
  return out;
}

std::string FormatSize(std::uint64_t bytes) {
  static constexpr std::array<std::pair<std::uint64_t, const char*>, 3> kUnits{
      {{1000000000, "GB"}, {1000000, "MB"}, {1000, "KB"}}};
  for (const auto& [f, name] : kUnits) {
    if (bytes >= f && bytes % f == 0) return std::to_string(bytes / f) + name;
  }
  return std::to_string(bytes) + "B";
}

}  // namespace jobtrawl::config
