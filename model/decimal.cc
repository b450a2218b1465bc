#include "model/decimal.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "model/ascii.h"

namespace jobtrawl {

std::optional<double> ReadDecimal(std::string_view t, std::size_t at, std::size_t& end) {
  end = at;
  if (at >= t.size() || !ascii::IsDigit(t[at])) return std::nullopt;
  // First pass: how far the number runs and what its separators are.
  std::size_t group = 0, first_group = 0, last_sep_at = 0, seps = 0;
  int count[4] = {0, 0, 0, 0};  // ',', '.', ' ', '\''
  char last = 0;
  bool mixed = false;
  std::size_t j = at;
  while (j < t.size()) {
    const char c = t[j];
    if (ascii::IsDigit(c)) {
      ++group;
      ++j;
      continue;
    }
    if ((c == ',' || c == '.' || c == ' ' || c == '\'') && j + 1 < t.size() && ascii::IsDigit(t[j + 1])) {
      if (c == ' ' || c == '\'') {
        // "100 000": a group of exactly three digits after one of at most three.
        std::size_t k = j + 1;
        while (k < t.size() && ascii::IsDigit(t[k])) ++k;
        if (k - j - 1 != 3 || group > 3) break;
      }
      if (seps == 0) first_group = group;
      if (last != 0 && c != last) mixed = true;
      ++count[c == ',' ? 0 : c == '.' ? 1 : c == ' ' ? 2 : 3];
      last = c;
      last_sep_at = j;
      ++seps;
      group = 0;
      ++j;
      continue;
    }
    break;
  }
  end = j;
  bool decimal = false;
  if (seps > 0 && (last == '.' || last == ',')) {
    const bool repeated = count[last == ',' ? 0 : 1] > 1;
    // A first group of zeros is no group: "0.500" is a half (grouping
    // starts at a thousand).
    const bool zeros_first = seps == 1 && std::all_of(t.begin() + static_cast<std::ptrdiff_t>(at),
                                                      t.begin() + static_cast<std::ptrdiff_t>(at + first_group),
                                                      [](char c) { return c == '0'; });
    decimal = mixed || zeros_first || (!repeated && (group != 3 || (seps == 1 && first_group > 3)));
  }
  // Second pass: the digits, with '.' where the decimal separator was.
  char buf[16];
  std::size_t n = 0;
  for (std::size_t i = at; i < end; ++i) {
    const bool point = decimal && i == last_sep_at;
    if (!ascii::IsDigit(t[i]) && !point) continue;
    if (n == sizeof buf) return std::nullopt;
    buf[n++] = point ? '.' : t[i];
  }
  if (n > 15) return std::nullopt;
  double value = 0;
  const auto [ptr, ec] = std::from_chars(buf, buf + n, value);
  if (ec != std::errc() || ptr != buf + n || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<double> OtherDecimalReading(std::string_view text) {
  text = ascii::Trim(text, ascii::IsBlank);
  const std::size_t sep = text.find_first_of(".,");
  if (sep == std::string_view::npos || sep == 0 || sep > 3 || text.size() != sep + 4) return std::nullopt;
  bool zeros = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == sep) continue;
    if (!ascii::IsDigit(text[i])) return std::nullopt;
    if (i < sep && text[i] != '0') zeros = false;
  }
  if (zeros) return std::nullopt;  // "0.500" reads one way only
  char buf[8];
  std::size_t n = 0;
  for (char c : text) buf[n++] = c == ',' ? '.' : c;
  double value = 0;
  const auto [ptr, ec] = std::from_chars(buf, buf + n, value);
  if (ec != std::errc() || ptr != buf + n) return std::nullopt;
  return value;
}

std::optional<double> ParseDecimal(std::string_view text) {
  text = ascii::Trim(text, ascii::IsBlank);
  if (text.empty()) return std::nullopt;
  std::size_t end = 0;
  if (auto v = ReadDecimal(text, 0, end); v && end == text.size()) return v;
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace jobtrawl
