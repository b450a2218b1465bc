// Internal to the salary reader: the parts normalize/salary.cc and the
// normalize/salary_*.cc files beside it share. Only they include this; the
// API is normalize/salary.h. Each function is described where it is defined.
#ifndef JOBTRAWL_NORMALIZE_SALARY_PARTS_H_
#define JOBTRAWL_NORMALIZE_SALARY_PARTS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "normalize/salary.h"

namespace jobtrawl::normalize::salary_detail {

// A currency token with what TokenMatchesAt asks of it worked out once:
// every number in a text is tried against every token, and looking the
// code up each time made a field of numbers slow.
struct CurrencyToken {
  std::string text;
  bool exact_case = false;  // ISO codes, signs in capitals ("SR", "RM"), and of one or two letters
  bool alphabetic = false;
  bool letter = false;  // one ASCII letter ("R", "K", "L", "Q")
  bool script = false;  // starts with a letter of another script ("\uc6d0", "\u5186", "\u043b\u0432")
};

struct Amount {
  double raw = 0;
  double multiplier = 1;
  size_t begin = 0;
  size_t end = 0;  // past the number and its multiplier word
  std::string currency;
  bool lakh = false;       // lakh or crore: Indian rupees
  bool per_annum = false;  // "LPA"
  bool digits_only = false;  // written without separators ("2024", not "2.024")
  bool sign_before = false;  // its currency is written before it ("$45", not "45 \u20ac")
  bool myriad = false;       // counted in CJK units ("4,000\ub9cc")
  bool other_money = false;  // counted in a scale word of another money ("10 tri\u1ec7u" in the US)
  double value() const { return raw * multiplier; }
};

// What a unit word after a number says of it.
enum class Unit {
  kNone,
  // A duration or a count of people ("3 years", "40 hours", "5000
  // employees"), which a number marked as money does not count: there it
  // is the pay's period ("$60-70k yr", "$25-30 hr") or the next word of a
  // title ("$200-250k Staff Software Engineer").
  kUnlessMoney,
  kAlways,  // a distance, a weight, a size, a share, a race ("5K run")
};

// "up to $90k": only a maximum; "from $90k", "$90k+": only a minimum.
enum class Bound { kBoth, kMinOnly, kMaxOnly };

// salary_words.cc: Letters and words, units, labels of pay, extra pay, range joins and bounds.
bool IsLetterByte(char c);
std::string Plain(std::string_view text);
bool LetterAt(std::string_view t, size_t at);
std::string_view WordAt(std::string_view t, size_t at, size_t* begin = nullptr);
Unit CountsUnit(std::string_view t, size_t at);
std::string WordsBefore(std::string_view t, size_t end, int n, size_t& begin);
std::string WordsAfter(std::string_view t, size_t at, int n);
bool PayLabelBefore(std::string_view t, size_t at);
bool IsDurationWord(std::string_view word);
bool IsRangeJoin(std::string_view between);
bool IsAlternativeJoin(std::string_view between);
bool PremiumRate(std::string_view t, size_t end);
bool ExtraPay(std::string_view t, const Amount& a);
bool NamesExtraPay(std::string_view clause, const Amount& a, bool range_bound);
bool OnTargetEarnings(std::string_view t, const Amount& a);
Bound BoundBefore(std::string_view text, size_t begin);
bool MinimumAfter(std::string_view t, size_t end);
bool MaximumAfter(std::string_view t, size_t end);
Bound BoundAfter(std::string_view text, size_t end);

// salary_currency.cc: Currency signs and codes.
bool IsIsoCode(std::string_view token);
std::string CurrencyBefore(std::string_view text, size_t end, size_t& begin);
std::string CurrencyAfter(std::string_view text, size_t at, size_t& end);
bool Ambiguous(const std::string& token);
std::string CurrencyAt(std::string_view text, size_t at, size_t& end);
const CurrencyToken* LetterCurrencyEndingAt(std::string_view text, size_t end);
bool ShortLetterSign(std::string_view token);
bool ForeignLocalSign(const std::string& token, std::string_view country);
bool LocalSignOf(const std::string& token, std::string_view country);
bool SignAfter(std::string_view t, size_t at, std::string_view country);
std::optional<std::string> ResolveCurrency(std::string_view token, std::string_view country, bool& guessed);

// salary_address.cc: Addresses and postcodes, which are no amount.
bool AddressNumber(std::string_view t, Amount& a, bool sign_after, bool range_bound,
                   std::string_view country);

// salary_periods.cc: Periods.
std::optional<std::string> PeriodAfter(std::string_view t, size_t end);
bool StatesPeriodAfter(std::string_view t, size_t end);
std::string WithoutExtraPayPeriods(std::string t);
std::string WithoutCapitalAbbreviations(std::string t);
std::optional<std::string> PeriodAtStart(std::string_view s);
std::optional<std::string> PeriodWrittenAfter(std::string_view t, size_t end);
std::optional<std::string> PeriodLabelBefore(std::string_view t, size_t begin);
void InferPeriod(Salary& s, bool lakh, std::string_view country);
double PeriodCeiling(std::string_view period, const Salary& s, std::string_view country);
void ApplyMultiPeriod(Salary& s, std::string_view text);

}  // namespace jobtrawl::normalize::salary_detail

#endif  // JOBTRAWL_NORMALIZE_SALARY_PARTS_H_
