// Salaries: text as boards write it (the first byte picks the board's
// country), and structured amounts with arbitrary doubles, NaN and
// infinities included.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "fuzz/fuzz_checks.h"
#include "normalize/salary.h"

namespace {

using jobtrawl::fuzz::Check;
using jobtrawl::normalize::Salary;

void CheckSalary(const Salary& s) {
  Check(s.min || s.max);
  for (const auto& amount : {s.min, s.max, s.annual_min, s.annual_max}) {
    if (amount) Check(std::isfinite(*amount) && *amount > 0);
  }
  if (s.currency) {
    Check(s.currency->size() == 3);
    for (char c : *s.currency) Check(c >= 'A' && c <= 'Z');
  }
  if (s.period) Check(jobtrawl::normalize::PeriodsPerYear(*s.period) > 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  if (size < 1) return 0;
  static constexpr const char* kCountries[] = {"", "US", "GB", "IN", "DE", "CA", "AU", "JP"};
  std::string_view country = kCountries[data[0] % 8];
  std::string_view text = fuzz::AsText(data + 1, size - 1);

  if (auto s = normalize::ParseSalary(text, country)) CheckSalary(*s);
  if (auto period = normalize::PeriodOf(text)) {
    fuzz::Check(normalize::PeriodsPerYear(*period) > 0);
  }

  // Structured: two doubles from the first bytes, then currency and period.
  if (text.size() >= 16) {
    double min = 0, max = 0;
    std::memcpy(&min, text.data(), 8);
    std::memcpy(&max, text.data() + 8, 8);
    auto [currency, period] = fuzz::SplitAt(text.substr(16), '\n');
    auto s = normalize::NormalizeStructuredSalary((data[0] & 8) ? std::nullopt : std::optional(min),
                                                  (data[0] & 16) ? std::nullopt : std::optional(max),
                                                  currency, period, country);
    if (s) {
      CheckSalary(*s);
      if (s->min && s->max) fuzz::Check(*s->min <= *s->max);
    }
  }
  return 0;
}
