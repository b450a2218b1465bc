// The salary reader's periods: the period written with an amount, labelling
// it or elsewhere in the text; pay of several periods; the period inferred
// from an amount's size; annual figures.

#include "normalize/salary_parts.h"

#include <cmath>
#include <unordered_set>

#include "model/ascii.h"
#include "normalize/tables.h"
#include "normalize/text.h"

namespace jobtrawl::normalize {
namespace salary_detail {
namespace {

// Pay intervals of several periods, which have no period of their own:
// every two weeks is given per year (26 a year, as USAJOBS's "BW"), twice a
// month per month (2), quarterly per year (4). `within` is the period
// PeriodOf reads inside the phrase ("weekly" of "bi-weekly"). Matched on
// folded words.
struct MultiPeriod {
  std::string_view phrase;
  std::string_view within;
  std::string_view period;
  double factor;
};
constexpr MultiPeriod kMultiPeriods[] = {
    {"bi weekly", "WEEK", "YEAR", 26},        {"biweekly", "", "YEAR", 26},
    {"fortnightly", "", "YEAR", 26},          {"fortnight", "", "YEAR", 26},
    {"every two weeks", "", "YEAR", 26},      {"every 2 weeks", "", "YEAR", 26},
    {"every other week", "", "YEAR", 26},     {"semi monthly", "MONTH", "MONTH", 2},
    {"semimonthly", "", "MONTH", 2},          {"twice a month", "", "MONTH", 2},
    {"twice monthly", "MONTH", "MONTH", 2},   {"twice per month", "", "MONTH", 2},
    {"quarterly", "", "YEAR", 4},             {"per quarter", "", "YEAR", 4},
};

// Is `phrase` at `at` of `folded`, a slash and one letter ("/d", "/a",
// "/y"), an item of a list of one-letter items rather than a period? The
// gender marker of German-language titles ("(m/w/d)", "(m/f/d)", "(w/m/d)",
// in nearly every one since 2019), "(w/d)", "n/a". "p/d", "p/a" are "per
// day" and "per annum"; "\u20ac500/d", "60k/a" and "EUR/h" have no list.
bool InLetterList(std::string_view folded, size_t at, std::string_view phrase) {
  if (phrase.size() != 2 || at == 0 || !ascii::IsAlpha(folded[at - 1])) return false;
  const size_t item = at - 1;
  const bool alone = item == 0 || folded[item - 1] == ' ' || folded[item - 1] == '/';
  return alone && (folded[item] != 'p' || (item > 0 && folded[item - 1] == '/'));
}

}  // namespace

// The pay period written right after `end` ("50,000 per year", "$20/hr",
// "\u00a3500pd"), or none.
std::optional<std::string> PeriodAfter(std::string_view t, size_t end) {
  const std::string s = Fold(t.substr(end, 32), "/.");
  auto starts = [&](std::string_view phrase) {
    return s.starts_with(phrase) && (s.size() == phrase.size() || !IsLetterByte(s[phrase.size()]));
  };
  for (const auto& [phrase, period] : Tables::Get().salary_periods) {
    if (starts(phrase)) return period;
  }
  // UK contract rates: "\u00a3500pd", "\u00a3350 pd". Elsewhere "PD" is a
  // department or a design team ("Senior PD Engineer").
  if (starts("pd")) return "DAY";
  return std::nullopt;
}

// Does a pay period follow `end` ("50,000 per year", "$20/hr")?
bool StatesPeriodAfter(std::string_view t, size_t end) { return PeriodAfter(t, end).has_value(); }

// The text with the period words of extra pay blanked ("annual bonus",
// "quarterly performance bonus", "monthly commission"): they state the
// bonus's period, not the pay's ("$25 + annual bonus" is pay by the hour,
// "$80,000 + quarterly bonus" no pay per quarter).
std::string WithoutExtraPayPeriods(std::string t) {
  static const std::unordered_set<std::string> kPeriods = {
      "annual",    "annually",    "yearly",    "monthly",      "weekly",       "daily",      "hourly",
      "quarterly", "biweekly",    "bi-weekly", "semi-monthly", "semimonthly",  "fortnightly", "semi-annual",
      "semiannual"};
  static const std::unordered_set<std::string> kExtra = {"bonus",      "bonuses",    "commission", "commissions",
                                                         "incentive",  "incentives", "stipend",    "allowance",
                                                         "allowances"};
  // Words that join the pay to the bonus rather than qualify the bonus
  // ("paid weekly plus bonus").
  static const std::unordered_set<std::string> kJoins = {"plus", "and", "or", "with", "pay", "paid"};
  struct Word {
    size_t begin = 0;
    size_t end = 0;
    bool period = false;
    bool join = false;
  };
  // The two words before, when only spaces stand between them.
  std::optional<Word> prev, prev2;
  for (size_t i = 0; i < t.size();) {
    if (!IsLetterByte(t[i])) {
      if (t[i] != ' ') {
        prev.reset();
        prev2.reset();
      }
      ++i;
      continue;
    }
    size_t end = i;
    while (end < t.size() && (IsLetterByte(t[end]) || t[end] == '-')) ++end;
    const std::string word = ascii::ToLower(std::string_view(t).substr(i, end - i));
    if (kExtra.contains(word)) {
      const Word* blank = nullptr;
      if (prev && prev->period) {
        blank = &*prev;
      } else if (prev2 && prev2->period && prev && !prev->join) {
        blank = &*prev2;  // "annual performance bonus"
      }
      if (blank != nullptr) std::fill(t.begin() + static_cast<std::ptrdiff_t>(blank->begin),
                                      t.begin() + static_cast<std::ptrdiff_t>(blank->end), ' ');
    }
    prev2 = prev;
    prev = Word{i, end, kPeriods.contains(word), kJoins.contains(word)};
    i = end;
  }
  return t;
}

// The text with the abbreviations in capitals that name a period only
// right after an amount ("$25 HR", "\u00a330,000 PA") blanked: elsewhere
// they name a department, a state or a job ("HR Manager - $80,000" is no
// pay by the hour, "Medical Assistant, PA - $18" none by the year).
std::string WithoutCapitalAbbreviations(std::string t) {
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    const bool word = (i == 0 || (!IsLetterByte(t[i - 1]) && t[i - 1] != '/')) &&
                      (i + 2 == t.size() || !IsLetterByte(t[i + 2]));
    if (word && ((t[i] == 'H' && t[i + 1] == 'R') || (t[i] == 'P' && (t[i + 1] == 'A' || t[i + 1] == 'W')))) {
      t[i] = t[i + 1] = ' ';
    }
  }
  return t;
}

// Does `s` (folded) start with a period phrase, as a whole word? Its period.
std::optional<std::string> PeriodAtStart(std::string_view s) {
  for (const auto& [phrase, period] : Tables::Get().salary_periods) {  // longest first
    if (s.starts_with(phrase) && (s.size() == phrase.size() || !IsLetterByte(s[phrase.size()]))) return period;
  }
  return std::nullopt;
}

// The period written with the amount ending at `end`, right after it
// within its clause ("$20/hr", "50,000 per year", "60.000 \u20ac
// j\u00e4hrlich", "3.800 \u20ac brutto/Monat", "80.000 \u20ac brutto im
// Jahr"): the amount's own, whatever period words the text has elsewhere.
std::optional<std::string> PeriodWrittenAfter(std::string_view t, size_t end) {
  size_t stop = end;
  while (stop < t.size() && stop - end < 40 && t[stop] != ';' && t[stop] != '!' && t[stop] != '|' &&
         t[stop] != '+' && t[stop] != '&' && !(t[stop] == ',' && (stop + 1 == t.size() || t[stop + 1] != '-'))) {
    ++stop;
  }
  const std::string folded = Fold(t.substr(end, stop - end), "/.");
  std::string_view s = folded;
  // Words of gross or net pay between the amount and its period.
  static constexpr std::string_view kGross[] = {"gross", "brutto", "bruto", "brut", "lordo", "net", "netto",
                                                "neto",  "base",   "im"};
  for (bool skipped = true; skipped;) {
    skipped = false;
    for (std::string_view w : kGross) {
      if (s.starts_with(w) && (s.size() == w.size() || s[w.size()] == ' ' || s[w.size()] == '/')) {
        s.remove_prefix(w.size());
        while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
        skipped = true;
      }
    }
  }
  if (auto period = PeriodAtStart(s)) return period;
  // A period word after a slash ("/Monat", "/Jahr", "/Stunde").
  if (s.starts_with('/')) return PeriodAtStart(s.substr(1));
  // UK contract rates: "\u00a3500pd", "\u00a3350 pd" (as PeriodAfter).
  if (s.starts_with("pd") && (s.size() == 2 || !IsLetterByte(s[2]))) return "DAY";
  return std::nullopt;
}

// The period that labels the amount starting at `begin`: "Annual salary:
// $90k", "Salary (annual): $50,000", "Stundenlohn: 14 \u20ac", "Hourly
// rate up to $25". A period after a slash is written after an amount,
// never before it: the "/d" of "(m/w/d)" is no label; nor is how often pay
// is paid ("Paid weekly - $48,000").
std::optional<std::string> PeriodLabelBefore(std::string_view t, size_t begin) {
  const size_t from = begin > 40 ? begin - 40 : 0;
  std::string s = Fold(t.substr(from, begin - from), "/.");
  static const std::unordered_set<std::string> kLabelWords = {
      "salary", "pay", "rate", "wage", "wages", "compensation", "base", "gross", "brutto", "gehalt",
      "lohn", "range", "up", "to", "from", "of", "ab", "bis", "zu", "between", "starting", "at", "is",
      "ca", "ca.", "approx", "approximately"};
  for (int n = 0; n < 4 && !s.empty(); ++n) {
    const size_t space = s.rfind(' ');
    const std::string last = space == std::string::npos ? s : s.substr(space + 1);
    if (!kLabelWords.contains(last)) break;
    s.resize(space == std::string::npos ? 0 : space);
  }
  for (const auto& [phrase, period] : Tables::Get().salary_periods) {  // longest first
    if (phrase.front() == '/' || !s.ends_with(phrase)) continue;
    const size_t at = s.size() - phrase.size();
    if (at > 0 && IsLetterByte(s[at - 1])) continue;
    // "Paid weekly - $48,000" says how often pay is paid, not what the
    // amount is paid for.
    if (std::string_view(s).substr(0, at).ends_with("paid ")) return std::nullopt;
    return period;
  }
  return std::nullopt;
}

// Documented inference (data/salary_ranges.tsv): the size of the amount in
// its currency says hourly, monthly or yearly; in between, not stated. A
// currency shared by countries of other wages has a row for those
// countries' boards ("USD/EC"). Amounts counted in lakh are yearly.
void InferPeriod(Salary& s, bool lakh, std::string_view country) {
  const auto& ranges = Tables::Get().salary_ranges;
  auto it = s.currency ? ranges.find(*s.currency + "/" + std::string(country)) : ranges.end();
  if (it == ranges.end() && s.currency) it = ranges.find(*s.currency);
  if (it == ranges.end()) it = ranges.find("*");
  const Tables::SalaryRange r = it != ranges.end() ? it->second : Tables::SalaryRange{};
  const double v = s.max.value_or(*s.min);
  if (lakh || v >= r.yearly_from) {
    s.period = "YEAR";
  } else if (v >= r.monthly_from) {
    s.period = "MONTH";
  } else if (v < r.hourly_below) {
    s.period = "HOUR";
  }
}

// The least amount too large to be one `period`'s pay in the currency of
// `s`: the period's working hours (2,080 a year) at the size below which
// an amount is an hourly rate.
double PeriodCeiling(std::string_view period, const Salary& s, std::string_view country) {
  const auto& ranges = Tables::Get().salary_ranges;
  auto it = s.currency ? ranges.find(*s.currency + "/" + std::string(country)) : ranges.end();
  if (it == ranges.end() && s.currency) it = ranges.find(*s.currency);
  if (it == ranges.end()) it = ranges.find("*");
  const Tables::SalaryRange r = it != ranges.end() ? it->second : Tables::SalaryRange{};
  const double per_year = PeriodsPerYear(period);
  return per_year > 0 ? r.hourly_below * 2080 / per_year : 0;
}

// When `text` states its amounts per several periods, and no other period
// (PeriodOf finds none, or only the one inside the phrase: "$3,000
// bi-weekly", not "$6,500 per month, paid bi-weekly"), the amounts and the
// period they make.
void ApplyMultiPeriod(Salary& s, std::string_view text) {
  const std::string folded = " " + Fold(text) + " ";
  for (const MultiPeriod& m : kMultiPeriods) {
    if (folded.find(" " + std::string(m.phrase) + " ") == std::string::npos) continue;
    if (s.period && *s.period != m.within) return;
    if (s.min) *s.min *= m.factor;
    if (s.max) *s.max *= m.factor;
    s.period = std::string(m.period);
    return;
  }
}

}  // namespace salary_detail

using salary_detail::InLetterList;
using salary_detail::IsLetterByte;

double PeriodsPerYear(std::string_view period) {
  static constexpr std::pair<std::string_view, double> kFactors[] = {
      {"HOUR", 2080}, {"DAY", 260}, {"WEEK", 52}, {"MONTH", 12}, {"YEAR", 1}};
  for (const auto& [p, f] : kFactors) {
    if (p == period) return f;
  }
  return 0;
}

void Annualize(Salary& s) {
  const double f = s.period ? PeriodsPerYear(*s.period) : 0;
  s.annual_min = f > 0 && s.min ? std::optional(std::round(*s.min * f * 100) / 100) : std::nullopt;
  s.annual_max = f > 0 && s.max ? std::optional(std::round(*s.max * f * 100) / 100) : std::nullopt;
}

std::optional<std::string> PeriodOf(std::string_view text) {
  const std::string folded = Fold(text, "/.");
  size_t best_at = std::string::npos;
  std::optional<std::string> best;
  for (const auto& [phrase, period] : Tables::Get().salary_periods) {
    for (size_t at = folded.find(phrase); at != std::string::npos && at < best_at;
         at = folded.find(phrase, at + 1)) {
      bool start = at == 0 || !IsLetterByte(folded[at - 1]) ||
                   (phrase.front() == '/' && !InLetterList(folded, at, phrase));
      // A CJK word right after a digit is a date's month ("3\uc6d4 \uc785\uc0ac", March).
      if (at > 0 && ascii::IsDigit(folded[at - 1]) && !ascii::IsAscii(phrase.front())) start = false;
      size_t after = at + phrase.size();
      bool end = after >= folded.size() || !IsLetterByte(folded[after]);
      if (start && end) {
        best_at = at;
        best = period;
        break;
      }
    }
  }
  return best;
}

}  // namespace jobtrawl::normalize
