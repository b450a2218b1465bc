// Dates: any text against a fixed "now"; the first byte picks the day-month
// order. A result is a real UTC date or time and normalizes to itself.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_checks.h"
#include "normalize/dates.h"

namespace {

bool Digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int Number(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ", naming a day that exists.
bool IsUtcDate(const std::string& s) {
  std::string_view v = s;
  if (v.size() != 10 && v.size() != 20) return false;
  if (!Digits(v.substr(0, 4)) || v[4] != '-' || !Digits(v.substr(5, 2)) || v[7] != '-' ||
      !Digits(v.substr(8, 2))) {
    return false;
  }
  std::chrono::year_month_day ymd{std::chrono::year(Number(v.substr(0, 4))),
                                  std::chrono::month(Number(v.substr(5, 2))),
                                  std::chrono::day(Number(v.substr(8, 2)))};
  if (!ymd.ok()) return false;
  if (v.size() == 10) return true;
  return v[10] == 'T' && Digits(v.substr(11, 2)) && Number(v.substr(11, 2)) < 24 &&
         v[13] == ':' && Digits(v.substr(14, 2)) && Number(v.substr(14, 2)) < 60 &&
         v[16] == ':' && Digits(v.substr(17, 2)) && Number(v.substr(17, 2)) < 61 && v[19] == 'Z';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  if (size < 1) return 0;
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1790000000));
  const auto order = (data[0] & 1) ? normalize::DateOrder::kMonthFirst : normalize::DateOrder::kDayFirst;
  std::string_view text = fuzz::AsText(data + 1, size - 1);
  auto date = normalize::NormalizeDate(text, now, order);
  if (!date) return 0;
  fuzz::Check(IsUtcDate(*date));
  auto again = normalize::NormalizeDate(*date, now, order);
  fuzz::Check(again.has_value() && *again == *date);
  return 0;
}
