// Normalizers on hostile text: each must do work linear in its input and
// keep its results bounded, whatever a page puts in a field.
#include <gtest/gtest.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <limits>
#include <string>

#include "normalize/classify.h"
#include "normalize/dates.h"
#include "normalize/location.h"
#include "normalize/normalize.h"
#include "normalize/salary.h"
#include "normalize/text.h"

namespace jobtrawl::normalize {
namespace {

const auto kFetched = std::chrono::system_clock::from_time_t(1795867200);  // 2026-11-28T12:00:00Z

std::string Repeat(std::string_view unit, std::size_t bytes) {
  std::string out;
  out.reserve(bytes + unit.size());
  while (out.size() < bytes) out.append(unit);
  return out;
}

// This thread's CPU time for `f`, the least of three runs: the measure of
// work least disturbed by other processes on the machine.
double CpuSeconds(const std::function<void()>& f) {
  double best = 1e9;
  for (int run = 0; run < 3; ++run) {
    timespec a{}, b{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
    f();
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
    best = std::min(best, static_cast<double>(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
  }
  return best;
}

struct Case {
  const char* name;
  const char* unit;  // repeated to the input size
  std::function<void(const std::string&)> run;
};

std::string Towns(std::size_t bytes) {
  std::string out;
  for (int i = 0; out.size() < bytes; ++i) out += "Town" + std::to_string(i) + "; ";
  return out;
}

const Case kCases[] = {
    {"SalaryDashes", "1\u2013", [](const std::string& s) { ParseSalary(s, "US"); }},
    {"SalaryNoBreakSpaces", "1\u00A0", [](const std::string& s) { ParseSalary(s, "US"); }},
    {"SalaryDigitsAndSeparators", "1,2.3 4'", [](const std::string& s) { ParseSalary(s, "US"); }},
    {"SalarySpaces", " ", [](const std::string& s) { ParseSalary(s, "US"); }},
    // Bare numbers, ranges and extra pay before the one amount of pay: each
    // amount once looked at every later one.
    {"SalaryBareNumbersBeforeASign", "1 ", [](const std::string& s) { ParseSalary(s + "$5", "US"); }},
    {"SalaryBareRangesBeforeASign", "1 - ", [](const std::string& s) { ParseSalary(s + "$5", "US"); }},
    {"SalaryLargeBareNumbersBeforeASign", "5000 ", [](const std::string& s) { ParseSalary(s + "$5", "US"); }},
    {"SalaryBonusesBeforeThePay", "$1000 bonus, ", [](const std::string& s) { ParseSalary(s + "$25/hr", "US"); }},
    {"SalaryForeignSignsBeforeThePay", "5 KM ", [](const std::string& s) { ParseSalary(s + "$25/hr", "CA"); }},
    {"LocationParentheses", "a (b) ", [](const std::string& s) { ParseLocation(s, "US"); }},
    {"LocationOrNotes", "(x or y or z) ", [](const std::string& s) { ParseLocation(s, "US"); }},
    {"LocationDashes", "x - ", [](const std::string& s) { ParseLocation(s, "US"); }},
    {"LocationManyPlaces", nullptr, [](const std::string& s) { ParseLocation(s, "US"); }},
    {"LocationCountriesAndRegions", "Georgia, USA, ", [](const std::string& s) { ParseLocation(s, "US"); }},
    {"LocationSharedRegionCodes", "Perth, WA, Punjab, ", [](const std::string& s) { ParseLocation(s, "AU"); }},
    {"LocationStreetsAndPostcodes", "Foo 5, 10115 Berlin, ", [](const std::string& s) { ParseLocation(s, "DE"); }},
    {"CompanyKeyParentheses", "()", [](const std::string& s) { CompanyKey(s); }},
    {"TitleKeysParentheses", "()", [](const std::string& s) { TitleKeysOf(s); }},
    {"TitleKeysGenderMarkers", "m/w/d", [](const std::string& s) { TitleKeysOf(s); }},
    // Markers nested in one another ("m/wm/w/d/d"): removing one makes the
    // next, a pass over the title per level.
    {"TitleKeysNestedGenderMarkers", "m/w",
     [](const std::string& s) { TitleKeysOf(s + Repeat("/d", s.size() * 2 / 3)); }},
    {"TitleKeysEmploymentHeads", "contract - ", [](const std::string& s) { TitleKeysOf(s); }},
    // A level number in every part ("1/2 1/2 ..."): each looked through
    // every part's end.
    {"SeniorityLevelNumbersInParts", "1/2 ", [](const std::string& s) { SeniorityOf(s); }},
    {"TitleKeysTrailingSegments", "a, b - c | ", [](const std::string& s) { TitleKeysOf(s); }},
    {"SkillsAmbiguousNames", "Go ", [](const std::string& s) { Skills(s); }},
    {"DatesRepeatedWords", "foo ", [](const std::string& s) { NormalizeDate(s, kFetched, DateOrder::kDayFirst); }},
    {"ExperienceNumberWords", "three years ", [](const std::string& s) { ExperienceYears(s); }},
    {"EmploymentRepeatedWords", "contract ", [](const std::string& s) { EmploymentTypes(s); }},
    {"RemoteRepeatedWords", "remote ", [](const std::string& s) { RemoteFrom(s); }},
    {"CleanTextRepeatedWords", "word \u200b", [](const std::string& s) { CleanText(s, true); }},
};

TEST(NormalizeHostileTest, WorkGrowsLinearlyWithTheInput) {
  // Complexity, not speed: four times the input may cost at most eight
  // times the CPU (a quadratic loop costs sixteen). 100 KB inputs of digits,
  // separators, spaces and repeated words.
  constexpr std::size_t kSmall = 100'000;
  for (const Case& c : kCases) {
    const std::string small = c.unit ? Repeat(c.unit, kSmall) : Towns(kSmall);
    const std::string large = c.unit ? Repeat(c.unit, 4 * kSmall) : Towns(4 * kSmall);
    const double t_small = CpuSeconds([&] { c.run(small); });
    const double t_large = CpuSeconds([&] { c.run(large); });
    // Below a millisecond the clock's grain dominates; such work is linear enough.
    EXPECT_LE(t_large, std::max(8 * t_small, 0.004)) << c.name << ": " << t_small << " s -> " << t_large << " s";
    // A backstop only.
    EXPECT_LT(t_large, 5.0) << c.name;
  }
}

TEST(NormalizeHostileTest, HugeAmountsAreNoSalary) {
  // An amount past any salary (over 1e11 a period: 1e400, 400 digits, 15
  // digits times a crore) is dropped, never stored as inf or an absurd figure.
  const std::string digits400(400, '9');
  for (const std::string& text : {std::string("$1e400"), "$" + digits400, std::string("999999999999999 crore INR"),
                                  std::string("USD 99999999999999"), std::string("$-0")}) {
    auto s = ParseSalary(text, "US");
    if (!s) continue;
    for (auto v : {s->min, s->max, s->annual_min, s->annual_max}) {
      if (v) {
        EXPECT_LE(*v, 1e15) << text;
      }
    }
  }
  for (double v : {1e300, std::numeric_limits<double>::infinity(), -0.0, std::numeric_limits<double>::quiet_NaN(),
                   5e11}) {
    auto s = NormalizeStructuredSalary(v, v, "USD", "HOUR", "US");
    EXPECT_FALSE(s.has_value()) << v;
  }
  auto ok = NormalizeStructuredSalary(50, 60, "USD", "HOUR", "US");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->annual_max, 60 * 2080);
}

TEST(NormalizeHostileTest, HostilePostingNormalizesWithBoundedFields) {
  // A whole posting of 100 KB fields goes through NormalizePosting.
  Posting p;
  p.title = Repeat("Senior (m/w/d) Go Engineer - Remote, ", 100'000);
  p.company = Repeat("Acme (Inc.) ", 100'000);
  p.location = Repeat("Berlin (or Munich) / ", 100'000);
  p.salary_text = Repeat("$1\u2013", 100'000);
  p.date_posted = Repeat("posted ", 100'000);
  p.description = Repeat("three years of Go experience. ", 100'000);
  NormalizePosting(p, {.fetched_at = kFetched, .country = "DE"});
  EXPECT_LE(p.places.size(), 64u);
  EXPECT_TRUE(p.normalized);
}

}  // namespace
}  // namespace jobtrawl::normalize
