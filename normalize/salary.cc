#include "normalize/salary.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <unordered_set>
#include <vector>

#include "model/ascii.h"
#include "model/decimal.h"
#include "normalize/salary_parts.h"
#include "normalize/tables.h"
#include "normalize/text.h"

namespace jobtrawl::normalize {
namespace salary_detail {
namespace {

// No salary is this large in any currency and period; a larger figure is a
// phone number, an id or a hostile page, and stored it would skew every
// average.
constexpr double kMaxAmount = 1e11;

bool Plausible(std::optional<double> v) { return !v || (std::isfinite(*v) && *v <= kMaxAmount); }

// An amount of money a salary can be stated in: from a cent to 10^15, more
// than a year's pay in any currency's smallest unit. Outside it the annual
// figures round to 0 or overflow to infinity, and neither is a salary.
bool StatedAmount(double amount) { return std::isfinite(amount) && amount >= 0.01 && amount <= 1e15; }

// CJK numbers count in myriads: \u4e07 (\u842c, Korean \ub9cc) ten thousand and
// \u5104 (\u4ebf, \uc5b5) a hundred million, with \u5343 (\ucc9c) a thousand and
// \u767e (\ubc31) a hundred inside them, written against the digits: "4,000\ub9cc\uc6d0"
// (40,000,000 won), "1\uc5b5 2,000\ub9cc\uc6d0" (120,000,000), "25\u4e075\u5343\u5186" (255,000),
// "2\ucc9c\ub9cc\uc6d0" (20,000,000). Reads the units after `a`'s number and any
// further number with a smaller unit; false when no unit follows.
bool ReadCjkUnits(std::string_view t, Amount& a) {
  struct Unit {
    std::string_view word;
    double factor;
  };
  static constexpr Unit kHundreds[] = {{"\u5343", 1e3}, {"\ucc9c", 1e3}, {"\u767e", 1e2}, {"\ubc31", 1e2}};
  static constexpr Unit kMyriads[] = {{"\u4e07", 1e4}, {"\u842c", 1e4}, {"\ub9cc", 1e4},
                                      {"\u5104", 1e8}, {"\u4ebf", 1e8}, {"\uc5b5", 1e8}};
  auto read = [&](std::span<const Unit> units, size_t& at, double& factor) {
    for (const Unit& u : units) {
      if (t.substr(at).starts_with(u.word)) {
        factor *= u.factor;
        at += u.word.size();
        return;
      }
    }
  };
  double number = a.raw;
  double total = 0;
  double last = 0;  // the factor of the last part read
  int parts = 0;
  // Korean may space the first unit ("3,000 \ub9cc\uc6d0").
  for (size_t at = a.end < t.size() && t[a.end] == ' ' ? a.end + 1 : a.end;;) {
    double factor = 1;
    read(kHundreds, at, factor);
    read(kMyriads, at, factor);
    if (factor == 1 || (last != 0 && factor >= last)) break;
    total += number * factor;
    last = factor;
    a.end = at;
    ++parts;
    // "1\uc5b5 2,000\ub9cc": a further part, smaller, after at most one space.
    size_t next = at < t.size() && t[at] == ' ' ? at + 1 : at;
    if (next >= t.size() || !ascii::IsDigit(t[next])) break;
    std::optional<double> n = ReadDecimal(t, next, at);
    if (!n) break;
    number = *n;
  }
  if (parts == 0) return false;
  // Counted in the last part's unit, whole where the text is ("1\uc5b5
  // 2,000\ub9cc" is 12,000 \ub9cc).
  if (parts > 1) a.raw = total / last;
  a.multiplier = last;
  a.myriad = true;
  return true;
}

// A multiplier word right after a number ("k", "lakh", "crore", "LPA",
// "tys.", "mille"; Hungarian "ezer", "e" and "milli\u00f3" for the forint;
// "mil", a thousand in Portuguese and Spanish, when
// `mil_thousand` or beside the euro), or CJK units (ReadCjkUnits). A
// currency may be written against it ("45k\u20ac", "45 kEUR", "60 T\u20ac").
void ReadMultiplier(std::string_view t, Amount& a, bool mil_thousand, std::string_view country) {
  if (ReadCjkUnits(t, a)) return;
  size_t i = a.end;
  size_t spaced = i;
  while (spaced < t.size() && t[spaced] == ' ') ++spaced;
  struct Word {
    std::string_view word;
    double factor;
    bool needs_attached;  // no space allowed before it
    bool lakh;
    bool per_annum;
    bool abbreviation = false;  // a dot may end it ("tys.", "Mio.")
    bool needs_sign = false;    // only with a currency written against it ("60 T\u20ac", "40 tkr")
    std::string_view money;     // only for this currency, by the sign or the board ("Rp 5 juta")
  };
  static constexpr Word kWords[] = {
      {"lpa", 1e5, false, true, true},      {"lakhs", 1e5, false, true, false},
      {"lakh", 1e5, false, true, false},    {"lacs", 1e5, false, true, false},
      {"lac", 1e5, false, true, false},     {"crores", 1e7, false, true, false},
      {"crore", 1e7, false, true, false},   {"cr", 1e7, false, true, false},
      {"million", 1e6, false, false, false}, {"mio", 1e6, false, false, false, true},
      {"mln", 1e6, false, false, false, true}, {"\u043c\u043b\u043d", 1e6, false, false, false, true},
      {"mn", 1e6, true, false, false},      {"mm", 1e6, true, false, false},
      {"thousand", 1e3, false, false, false}, {"tsd", 1e3, false, false, false, true},
      {"tys", 1e3, false, false, false, true}, {"tis", 1e3, false, false, false, true},
      {"\u0442\u044b\u0441\u044f\u0447", 1e3, false, false, false}, {"\u0442\u0438\u0441\u044f\u0447", 1e3, false, false, false},
      {"\u0442\u044b\u0441", 1e3, false, false, false, true}, {"\u0442\u0438\u0441", 1e3, false, false, false, true},
      {"mille", 1e3, false, false, false},  {"mila", 1e3, false, false, false},
      {"mil", 1e3, false, false, false, false, false, "EUR"},
      {"juta", 1e6, false, false, false, false, false, "IDR"}, {"jt", 1e6, false, false, false, true, false, "IDR"},
      {"ribu", 1e3, false, false, false, false, false, "IDR"}, {"rb", 1e3, false, false, false, true, false, "IDR"},
      {"tri\u1ec7u", 1e6, false, false, false, false, false, "VND"}, {"tr", 1e6, true, false, false, false, false, "VND"},
      {"bin", 1e3, false, false, false, false, false, "TRY"},
      {"ezer", 1e3, false, false, false, false, false, "HUF"}, {"milli\u00f3", 1e6, false, false, false, false, false, "HUF"},
      {"millio", 1e6, false, false, false, false, false, "HUF"}, {"e", 1e3, false, false, false, false, false, "HUF"},
      {"k", 1e3, false, false, false},      {"m", 1e6, true, false, false},
      {"t", 1e3, false, false, false, false, true},
      {"l", 1e5, true, true, false}};
  for (const Word& w : kWords) {
    size_t at = w.needs_attached ? i : spaced;
    if (!ascii::StartsWithIgnoreCase(t.substr(at), w.word)) continue;
    size_t after = at + w.word.size();
    if (w.abbreviation && after < t.size() && t[after] == '.') ++after;
    // A currency written against the word ("k\u20ac", "kCHF"), not one
    // starting at the word itself ("45 KSh", "45 TL", "45kr").
    size_t sign_end = 0;
    const std::string sign_after = CurrencyAt(t, after, sign_end);
    const bool sign_attached = !sign_after.empty() && CurrencyAt(t, at, sign_end).empty();
    // Thousands written "T\u20ac", "TEUR" (German) and "tkr" (Swedish kronor).
    if (w.needs_sign && (!sign_attached || (t[at] != 'T' && sign_after != "kr"))) continue;
    if (LetterAt(t, after) && !sign_attached) continue;
    if (w.word == "l" && t[at] != 'L') continue;  // "12L", never "12 l"
    if (!w.money.empty() && !(w.word == "mil" && mil_thousand)) {
      // English "5 mil" (film), Turkish "bin" only for the lira.
      size_t edge = 0;
      std::string sign = CurrencyBefore(t, a.begin, edge);
      if (sign.empty()) sign = CurrencyAfter(t, after, edge);
      bool guessed = false;
      std::optional<std::string> money;
      if (!sign.empty()) {
        money = ResolveCurrency(sign, country, guessed);
      } else if (auto c = Tables::Get().countries.find(std::string(country)); c != Tables::Get().countries.end()) {
        money = c->second.currency;
      }
      if (money != w.money) {
        // A whole word of one language counts its money, not the board's:
        // with no sign, "10 tri\u1ec7u/th\u00e1ng" off a Vietnamese board
        // is no 10 dollars a month, as "800 ezer" is none. The short forms
        // ("tr", "jt", "e", "bin", "mil") are words or abbreviations
        // elsewhere and name nothing.
        static constexpr std::string_view kWholeWords[] = {"tri\u1ec7u", "juta", "ribu", "ezer",
                                                           "milli\u00f3", "millio"};
        if (sign.empty() &&
            std::find(std::begin(kWholeWords), std::end(kWholeWords), w.word) != std::end(kWholeWords)) {
          a.other_money = true;
        }
        continue;
      }
    }
    a.multiplier = w.factor;
    a.lakh = w.lakh;
    a.per_annum = w.per_annum;
    a.end = after;
    return;
  }
}

// Is the bare number `a` a bound of a range whose other bound is a bare
// number too ("90000 - 110000"), the one before it (`amounts.back()`) or
// the one after it?
bool BareRangeBound(std::string_view t, const std::vector<Amount>& amounts, const Amount& a,
                    std::string_view country) {
  if (!amounts.empty() && amounts.back().currency.empty() &&
      IsRangeJoin(t.substr(amounts.back().end, a.begin - amounts.back().end))) {
    return true;
  }
  if (SignAfter(t, a.end, country)) return false;
  size_t next = a.end;
  while (next < t.size() && next - a.end <= 8 && !ascii::IsDigit(t[next])) ++next;
  if (next >= t.size() || !ascii::IsDigit(t[next]) || !IsRangeJoin(t.substr(a.end, next - a.end))) return false;
  size_t edge = 0;
  if (!CurrencyBefore(t, next, edge).empty()) return false;
  size_t end = next;
  if (!ReadDecimal(t, next, end)) return false;
  return CurrencyAfter(t, end, edge).empty();
}

// Is the amount ending at `end` pay per distance driven: "$0.65 CPM",
// "$0.55/mile", "60 cents per loaded mile", "\u20ac0.30/km"? Truck drivers
// are paid so; it is pay for no period, as the board adapters read their
// "per mile" intervals.
bool PerDistance(std::string_view t, size_t end) {
  const std::string s = Fold(t.substr(end, 40), "/");
  std::string_view rest = s;
  auto word = [&](std::initializer_list<std::string_view> words) {
    for (std::string_view w : words) {
      if (rest.starts_with(w) && (rest.size() == w.size() || !IsLetterByte(rest[w.size()]))) {
        rest.remove_prefix(w.size());
        while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
        return true;
      }
    }
    return false;
  };
  word({"cents", "cent"});
  if (word({"cpm", "cpk", "c/mi", "c/km", "c/mile"})) return true;
  if (!rest.starts_with('/') && !word({"per", "a", "an"})) return false;
  if (rest.starts_with('/')) rest.remove_prefix(1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  word({"loaded", "paid", "empty", "dispatched", "practical", "all", "running", "total", "driven"});
  return word({"mile", "miles", "mi", "km", "kms", "kilometer", "kilometers", "kilometre", "kilometres"});
}

// Is `a` a number under 100 written after an ISO code ("PHP 8", "TOP
// 10")? PHP, CAD, ALL, TOP and AMD are words and names as often as money,
// and no salary is stated this small without its period.
bool CodeBeforeSmallNumber(const Amount& a) {
  return a.sign_before && IsIsoCode(a.currency) && a.multiplier == 1 && a.value() < 100;
}

// `period_stated`: the text names a period ("per hour"); without one, an
// amount under 10 after a sign of one or two letters is a rank, a grade or
// a quarter ("TL 2 Team Lead", "Q 3 2026"), not money.
//
// `unit_spans` receives where a number with a unit other than money and
// the words after the unit stand, whose period is not the pay's.
std::vector<Amount> FindAmounts(std::string_view t, bool period_stated, bool mil_thousand,
                                std::string_view country,
                                std::vector<std::pair<size_t, size_t>>* unit_spans = nullptr) {
  std::vector<Amount> amounts;
  size_t i = 0;
  while (i < t.size()) {
    // A number glued to letters starts no amount ("H1B", "Q3"), unless the
    // letters are a currency ("R40,000", "USD100k").
    const bool glued = i > 0 && ascii::IsAlpha(t[i - 1]);
    const CurrencyToken* glued_to = nullptr;
    if (!ascii::IsDigit(t[i]) || (i > 0 && ascii::IsDigit(t[i - 1])) ||
        (glued && (glued_to = LetterCurrencyEndingAt(t, i)) == nullptr)) {
      ++i;
      continue;
    }
    // A number joined to a word by a hyphen is part of a name ("COVID-19",
    // "K-12"), unless the word is a currency code ("USD-50,000") or the
    // multiplier of an amount before ("50k-70k").
    if (i >= 2 && t[i - 1] == '-' && ascii::IsAlpha(t[i - 2])) {
      size_t word = i - 1;
      while (word > 0 && ascii::IsAlpha(t[word - 1])) --word;
      if ((word == 0 || !ascii::IsDigit(t[word - 1])) && !IsIsoCode(ascii::ToUpper(t.substr(word, i - 1 - word)))) {
        while (i < t.size() && ascii::IsDigit(t[i])) ++i;
        continue;
      }
    }
    Amount a{.begin = i};
    // The one reader of written amounts (model/decimal.h), which board
    // APIs' string amounts go through too.
    if (std::optional<double> raw = ReadDecimal(t, i, a.end)) {
      a.raw = *raw;
      a.digits_only = std::all_of(t.begin() + static_cast<std::ptrdiff_t>(i),
                                  t.begin() + static_cast<std::ptrdiff_t>(a.end), ascii::IsDigit);
    } else {
      i = a.end + 1;
      continue;
    }
    // US retirement plans are named by their section of the tax code, not
    // amounts ("401k match", "401(k)", "403b", "457(b)"; "$457k" is pay).
    size_t sign_begin = 0;
    if (a.digits_only && (a.raw == 401 || a.raw == 403 || a.raw == 457) && !glued &&
        CurrencyBefore(t, a.begin, sign_begin).empty()) {
      size_t at = a.end;
      const bool bracket = at < t.size() && t[at] == '(';
      if (bracket) ++at;
      if (at < t.size() && (ascii::ToLower(t[at]) == 'k' || ascii::ToLower(t[at]) == 'b')) {
        ++at;
        if (bracket && at < t.size() && t[at] == ')') {
          ++at;
        } else if (bracket) {
          at = std::string_view::npos;
        }
        if (at != std::string_view::npos && (at == t.size() || !IsLetterByte(t[at]))) {
          i = at;
          continue;
        }
      }
    }
    ReadMultiplier(t, a, mil_thousand, country);
    if (a.other_money) {
      // So is a bare first bound of its range ("15-20 tri\u1ec7u").
      if (!amounts.empty() && amounts.back().currency.empty() &&
          IsRangeJoin(t.substr(amounts.back().end, a.begin - amounts.back().end))) {
        amounts.pop_back();
      }
      i = a.end;
      continue;
    }
    // "R2D2", "Kr3": a name, not money; against one letter, only an amount
    // of money's size is money ("R40,000", "K5k"; "Q4", "L3", "K12" are not).
    if (glued && ((a.end < t.size() && ascii::IsAlpha(t[a.end])) || a.value() < 10 ||
                  (glued_to->letter && a.value() < 1000))) {
      i = a.end;
      continue;
    }
    // A number glued to letters after it is a name or a model ("3D", "7950X",
    // "4G"), unless they are a sign of money ("500TL"), a unit ("40hrs") or
    // a period ("\u00a3500pd", "$25hr"), or follow a multiplier that was
    // read because a sign is written against it ("45kCHF").
    size_t cur_begin = 0, cur_end = 0;
    if (a.multiplier == 1 && a.end < t.size() && ascii::IsAlpha(t[a.end]) &&
        CurrencyAfter(t, a.end, cur_end).empty() &&
        CountsUnit(t, a.end) == Unit::kNone && !PeriodAfter(t, a.end)) {
      i = a.end;
      while (i < t.size() && ascii::IsAlpha(t[i])) ++i;
      continue;
    }
    a.currency = CurrencyBefore(t, a.begin, cur_begin);
    // Only a sign that counts makes a number money whatever follows it; a
    // local sign of other countries is a state code or an abbreviation as
    // often ("VT 05401", "KM 5000 km").
    const bool signed_before = !a.currency.empty() && !ForeignLocalSign(a.currency, country);
    // An id is no amount ("Job ID 4567", "Req 12345", "Ref. 2231").
    if (!signed_before && a.digits_only && a.multiplier == 1) {
      static const std::unordered_set<std::string> kIds = {"id", "req", "ref", "requisition", "reference",
                                                           "ticket", "jobid", "job-id", "req.", "ref."};
      size_t word_begin = 0;
      if (kIds.contains(WordsBefore(t, a.begin, 1, word_begin))) {
        i = a.end;
        continue;
      }
    }
    // An address is no amount ("Burlington, VT 05401", "Suite 1200"), nor is
    // a number with another unit ("40 hours a week", "50 km", "5K run"),
    // also one that is a sign of money only elsewhere ("3,000 KM" in Canada).
    if (!signed_before && !glued && a.digits_only && a.multiplier == 1 &&
        (a.currency.empty() || ascii::IsAlpha(a.currency.front())) && !IsIsoCode(a.currency) &&
        AddressNumber(t, a, SignAfter(t, a.end, country), BareRangeBound(t, amounts, a, country), country)) {
      i = a.end;
      continue;
    }
    // A number is marked as money by a multiplier ("70k") or by a sign
    // that counts on the first bound of its range ("$25-30 hr").
    const bool signed_range = !amounts.empty() && !amounts.back().currency.empty() &&
                              !ForeignLocalSign(amounts.back().currency, country) &&
                              IsRangeJoin(t.substr(amounts.back().end, a.begin - amounts.back().end));
    const Unit unit = signed_before ? Unit::kNone : CountsUnit(t, a.end);
    const bool people = unit == Unit::kUnlessMoney && !IsDurationWord(WordAt(t, a.end));
    if (unit == Unit::kAlways ||
        (unit == Unit::kUnlessMoney && a.multiplier == 1 && (people || !signed_range))) {
      size_t unit_at = 0;
      WordAt(t, a.end, &unit_at);
      size_t unit_end = 0;
      const std::string unit_sign = CurrencyAfter(t, unit_at, unit_end);
      // A sign of money that is a unit too ("Ft" the forint, "ft" feet) is
      // money after an amount written as pay, with digit groups ("800.000
      // Ft"), on a board of no country: a guess, as for "RM" or "Rp".
      // So is it after a label of pay, on any board ("Salary: 5,000 Ft"), and
      // before a period unless the unit is a distance, which a period makes
      // mileage ("5,000 Ft per month" is pay, "3,000 KM per week" driving).
      const bool distance = ascii::EqualsIgnoreCase(WordAt(t, a.end), "km");
      const bool pay_sign = (country.empty() && !a.digits_only) || PayLabelBefore(t, a.begin) ||
                            (StatesPeriodAfter(t, unit_end) && !distance);
      if (unit_sign.empty() || (ForeignLocalSign(unit_sign, country) && !pay_sign)) {
        // The unit counts a range's first bound too ("20-25 hours", "3 - 5
        // years").
        if (!amounts.empty() && amounts.back().currency.empty() &&
            IsRangeJoin(t.substr(amounts.back().end, a.begin - amounts.back().end))) {
          amounts.pop_back();
        }
        // The words after the unit are its own ("37.5 hours per week", "6
        // month contract"): no period of the pay is read in them.
        if (unit_spans != nullptr) {
          size_t end = unit_at;
          while (end < t.size() && end - unit_at < 48 && (IsLetterByte(t[end]) || t[end] == ' ' || t[end] == '/' ||
                                    (t[end] == '.' && end > 0 && IsLetterByte(t[end - 1])) || t[end] == '-') &&
                 !(t[end] == ' ' && end + 1 < t.size() && !CurrencyAfter(t, end + 1, unit_end).empty())) {
            ++end;
          }
          unit_spans->emplace_back(a.begin, end);
        }
        i = a.end;
        continue;
      }
    }
    if (!a.currency.empty()) {
      a.begin = cur_begin;
      a.sign_before = true;
    }
    // "Rs. 25,000/-": Indian usage closes an amount with "/-" (no paise
    // follow), so "25,000/- to 35,000/-" is a range.
    if (t.compare(a.end, 2, "/-") == 0 && (a.end + 2 == t.size() || !ascii::IsDigit(t[a.end + 2]))) a.end += 2;
    // A sign written right before the next number is that number's ("Band 6
    // \u00a335,392": the pound is not the band's).
    std::string after = CurrencyAfter(t, a.end, cur_end);
    if (after.empty() && a.multiplier > 1) after = CurrencyAt(t, a.end, cur_end);  // "45kCHF"
    if (!after.empty() && a.currency.empty()) {
      size_t next = cur_end;
      while (next < t.size() && t[next] == ' ') ++next;
      if (next < t.size() && ascii::IsDigit(t[next])) after.clear();
    }
    if (!after.empty()) {
      // "$85,000 CAD": the code says which dollar.
      if (a.currency.empty() || (Ambiguous(a.currency) && !Ambiguous(after))) a.currency = after;
      a.end = cur_end;
    }
    // An amount under 10 after a sign of one or two letters is a rank or a
    // quarter, unless it is the first bound of a range counted in a scale
    // word ("Rp 8-10 jt").
    auto scaled_range_follows = [&] {
      size_t next = a.end;
      while (next < t.size() && next - a.end <= 8 && !ascii::IsDigit(t[next])) ++next;
      Amount b{.begin = next};
      if (next >= t.size() || !IsRangeJoin(t.substr(a.end, next - a.end)) || !ReadDecimal(t, next, b.end)) {
        return false;
      }
      ReadMultiplier(t, b, mil_thousand, country);
      return b.multiplier > 1;
    };
    if (!period_stated && ShortLetterSign(a.currency) && a.value() < 10 && !scaled_range_follows()) {
      i = a.end;
      continue;
    }
    // A code of money that is a word too, before a number under money's
    // size and then a word, names a language, a design tool, a count or a
    // rank ("PHP 8 Developer", "CAD 2 Technician", "ALL 50 states", "TOP 10
    // Sales Rep").
    if (!period_stated && CodeBeforeSmallNumber(a) && !WordAt(t, a.end).empty()) {
      i = a.end;
      continue;
    }
    // Pay per mile is no salary, nor is the range it ends ("$0.60 - $0.65
    // per mile").
    if (PerDistance(t, a.end)) {
      if (!amounts.empty() && IsRangeJoin(t.substr(amounts.back().end, a.begin - amounts.back().end))) {
        amounts.pop_back();
      }
      i = a.end;
      continue;
    }
    i = a.end;
    amounts.push_back(std::move(a));
  }
  return amounts;
}

}  // namespace

}  // namespace salary_detail

using salary_detail::Ambiguous;
using salary_detail::Amount;
using salary_detail::ApplyMultiPeriod;
using salary_detail::Bound;
using salary_detail::BoundAfter;
using salary_detail::BoundBefore;
using salary_detail::CodeBeforeSmallNumber;
using salary_detail::ExtraPay;
using salary_detail::FindAmounts;
using salary_detail::ForeignLocalSign;
using salary_detail::InferPeriod;
using salary_detail::IsAlternativeJoin;
using salary_detail::IsIsoCode;
using salary_detail::IsRangeJoin;
using salary_detail::LocalSignOf;
using salary_detail::MaximumAfter;
using salary_detail::MinimumAfter;
using salary_detail::NamesExtraPay;
using salary_detail::OnTargetEarnings;
using salary_detail::PeriodCeiling;
using salary_detail::PeriodLabelBefore;
using salary_detail::PeriodWrittenAfter;
using salary_detail::Plain;
using salary_detail::Plausible;
using salary_detail::PremiumRate;
using salary_detail::ResolveCurrency;
using salary_detail::ShortLetterSign;
using salary_detail::StatedAmount;
using salary_detail::StatesPeriodAfter;
using salary_detail::WithoutCapitalAbbreviations;
using salary_detail::WithoutExtraPayPeriods;

std::optional<Salary> ParseSalary(std::string_view text, std::string_view country) {
  const std::string t = WithoutExtraPayPeriods(Plain(text));
  std::optional<std::string> period = PeriodOf(t);
  // Portuguese and Spanish write a thousand "mil" ("R$ 8 mil", "$ 25 mil").
  static constexpr std::string_view kMilCountries[] = {
      "BR", "PT", "AO", "MZ", "CV", "GW", "ST", "TL", "ES", "MX", "AR", "CO", "CL", "PE", "VE", "EC", "GT",
      "CU", "BO", "DO", "HN", "PY", "SV", "NI", "CR", "PA", "UY", "PR", "GQ"};
  const bool mil_thousand =
      std::find(std::begin(kMilCountries), std::end(kMilCountries), country) != std::end(kMilCountries) ||
      t.find("R$") != std::string::npos;
  std::vector<std::pair<size_t, size_t>> unit_spans;
  std::vector<Amount> amounts = FindAmounts(t, period.has_value(), mil_thousand, country, &unit_spans);
  if (amounts.empty()) return std::nullopt;
  // The period of hours or of a duration is not the pay's ("$60,000, 40
  // hrs/wk", "6 month contract, $45/hr").
  std::string own = t;
  for (const auto& [from, to] : unit_spans) std::fill(own.begin() + static_cast<std::ptrdiff_t>(from),
                                                      own.begin() + static_cast<std::ptrdiff_t>(to), ' ');
  if (!unit_spans.empty()) period = PeriodOf(own);
  // The clause of amount `k`, and the amount within it.
  auto own_clause = [&](size_t k) -> std::pair<std::string_view, Amount> {
    const Amount& a = amounts[k];
    const size_t left = k > 0 ? amounts[k - 1].end : 0;
    const size_t right = k + 1 < amounts.size() ? amounts[k + 1].begin : t.size();
    // A clause ends at punctuation, a bullet ("$160K - $200K \u2022 Offers
    // Equity") and a joining word or sign between spaces ("$5,000 Sign-On
    // Bonus - $25/hr", "+", "&", "and", "plus").
    auto clause_break = [&](size_t p) {
      const char c = t[p];
      if (c == ',' || c == ';' || c == '!' || c == '|' || c == '(' || c == ')') return true;
      for (std::string_view join : {" - ", " + ", " & ", " / ", " and ", " plus ", "\u2022"}) {
        const size_t from = p >= join.size() ? p - join.size() + 1 : 0;
        const size_t at = std::string_view(t).substr(from, p - from + join.size()).find(join);
        if (at != std::string_view::npos && from + at <= p) return true;
      }
      return false;
    };
    size_t l = a.begin;
    while (l > left && a.begin - l < 32 && !clause_break(l - 1)) --l;
    size_t r = a.end;
    while (r < right && r - a.end < 32 && !clause_break(r)) ++r;
    return {std::string_view(t).substr(l, r - l), Amount{.begin = a.begin - l, .end = a.end - l}};
  };
  // Is amount `k` extra pay by the words of its own clause ("$5,000
  // sign-on bonus! $22/hour": the bonus's words are not the $22's)?
  auto own_extra_pay = [&](size_t k) {
    const auto [clause, a] = own_clause(k);
    return ExtraPay(clause, a);
  };
  // Two amounts make a range when a join stands between them, but not a
  // bare number of digits before one with its sign written before it
  // ("Job 4567 - $45/hr", "12345 - $90,000": an id; "$50k - $60k" and
  // "50,000 - $60,000" are ranges).
  auto range_at = [&](size_t k) {
    const Amount& lo = amounts[k];
    const Amount& hi = amounts[k + 1];
    if (lo.currency.empty() && lo.digits_only && lo.multiplier == 1 && hi.sign_before) return false;
    const std::string_view between = std::string_view(t).substr(lo.end, hi.begin - lo.end);
    const bool range_join = IsRangeJoin(between);
    // "$120-150k", "$85/95K": the first bound takes the second's
    // multiplier, but not across "/" or "or" from its own period ("$20/hr
    // or $40k/yr").
    const bool carried = lo.multiplier == 1 && hi.multiplier > 1 && lo.raw < 1000 &&
                         (range_join || !PeriodWrittenAfter(t, lo.end));
    const double ratio = hi.value() / (carried ? lo.raw * hi.multiplier : lo.value());
    if (!range_join) {
      // One amount or another of the same sign and kind, the second larger
      // but at most twice the first, is a range ("$85K/95K", "$85K or
      // $95K"); not an hourly and a yearly figure ("$20/hr or $45,000/yr",
      // "$20/hr or $40k/yr"), nor a number after a slash ("$25/1099"),
      // nor a rate and its premium ("$22/hr or $44/hr overtime").
      const bool same_sign = !lo.currency.empty() && !ForeignLocalSign(lo.currency, country) &&
                             (hi.currency.empty() || hi.currency == lo.currency);
      if (!IsAlternativeJoin(between) || !same_sign || ratio <= 1 || ratio > 2) return false;
      // Digits against a slash are a fraction ("$1/2 million").
      if (between == "/" && lo.raw < 10 && hi.raw < 10 && lo.digits_only && hi.digits_only) return false;
      const std::optional<std::string> lo_period = PeriodWrittenAfter(t, lo.end);
      const std::optional<std::string> hi_period = PeriodWrittenAfter(t, hi.end);
      if (lo_period && hi_period && *lo_period != *hi_period) return false;
      if (PremiumRate(t, hi.end)) return false;
    }
    // Extra pay joined to the pay is no bound of its range ("$25/hr -
    // $2,000 sign-on bonus", "$25 per hour and $2,000 bonus"): one bound
    // is extra pay by its own clause and the two differ tenfold.
    if (own_extra_pay(k) != own_extra_pay(k + 1) && (ratio > 10 || ratio < 0.1)) return false;
    return true;
  };

  // Bare numbers before an amount with a currency are counts, grades, ids
  // or hours ("24/7 Support $25/hr", "Grades 6-12 Teacher, $50,000"): the
  // salary starts at the first amount with money's sign when one follows.
  // So are amounts after a local sign of other countries than the board's
  // ("Up to 3,000 KM weekly, $1,800/week" on a Canadian board). A range is
  // skipped whole, and only when neither bound has a sign that counts.
  // A bare number of any size goes after a signed amount too ("Req 12345,
  // $90,000"), unless it states its own period ("50,000 - 60,000 per
  // year, plus $5,000 bonus") or the signed amount is extra pay
  // ("80000-90000 plus $10k sign-on bonus").
  // So is a code of money that is a word too before a small number that
  // is no range's bound and has no period of its own ("PHP 7 / Laravel
  // Developer, \u00a345,000").
  auto bare_small = [&](const Amount& a, bool alone) {
    return (a.currency.empty() && a.multiplier == 1 && a.value() < 1000) || ForeignLocalSign(a.currency, country) ||
           (alone && CodeBeforeSmallNumber(a) && !StatesPeriodAfter(t, a.end));
  };
  auto bare = [&](const Amount& a) { return a.currency.empty() && !StatesPeriodAfter(t, a.end); };
  auto joined = [&](size_t k) { return k + 1 < amounts.size() && range_at(k); };
  // What follows each amount, so that the walk below stays linear in the
  // number of amounts: is there a later amount with a sign that counts
  // (`signed`), one of them not extra pay by the words near it (`pay`), one
  // not extra pay by its own clause (`own_pay`)? Entry k covers amounts k
  // and after; filled from the end, once, when first asked.
  const size_t n = amounts.size();
  struct Follows {
    std::vector<char> signed_, pay, own_pay;
  };
  std::optional<Follows> follows;
  auto follows_table = [&]() -> const Follows& {
    if (!follows) {
      follows.emplace(Follows{std::vector<char>(n + 1), std::vector<char>(n + 1), std::vector<char>(n + 1)});
      for (size_t j = n; j-- > 0;) {
        const bool counts = !amounts[j].currency.empty() && !ForeignLocalSign(amounts[j].currency, country);
        follows->signed_[j] = static_cast<char>(follows->signed_[j + 1] || counts);
        follows->pay[j] = static_cast<char>(follows->pay[j + 1] || (counts && !ExtraPay(t, amounts[j])));
        follows->own_pay[j] = static_cast<char>(follows->own_pay[j + 1] || (counts && !own_extra_pay(j)));
      }
    }
    return *follows;
  };
  size_t first = 0;
  while (first < n) {
    const size_t next = joined(first) ? first + 2 : first + 1;
    bool skip = next < n;
    bool small = true;
    for (size_t k = first; k < next && skip; ++k) {
      if (!bare_small(amounts[k], next == first + 1)) {
        small = false;
        skip = bare(amounts[k]);
      }
    }
    const bool money_follows = skip && (small ? follows_table().signed_[next] : follows_table().pay[next]);
    if (!money_follows) {
      // Signed extra pay before the pay gives way to it, as after it.
      bool extra = false;
      for (size_t k = first; k < next && !extra; ++k) extra = !amounts[k].currency.empty() && own_extra_pay(k);
      if (!extra || next >= n || !follows_table().own_pay[next]) break;
    }
    first = next;
  }
  Amount lo = amounts[first];
  std::optional<Amount> hi;
  if (amounts.size() > first + 1 && range_at(first)) {
    hi = amounts[first + 1];
    // "$120-150k", "6-9 LPA", "3,000~4,000\ub9cc\uc6d0": the second amount's
    // multiplier, currency and kind carry over to a bare first one, but not
    // to a first bound larger than the second's number ("$500 - 2k" is 500
    // to 2,000).
    if (lo.multiplier == 1 && hi->multiplier > 1 && (lo.raw < 1000 || hi->myriad) && lo.raw <= hi->raw) {
      lo.multiplier = hi->multiplier;
      lo.lakh = hi->lakh;
      lo.per_annum = hi->per_annum;
    }
    if (lo.currency.empty() || (Ambiguous(lo.currency) && !hi->currency.empty() && !Ambiguous(hi->currency))) {
      lo.currency = hi->currency;
    }
    if (hi->currency.empty()) hi->currency = lo.currency;
    // "\u00a340-45,000", "\u20ac45-55.000": the thousands written once, on
    // the upper bound, are the lower one's too (as "k" above) when that
    // makes a range, not when the lower bound states its own period ("$20/hr
    // - 25,000") or the upper one is extra pay ("$20 - 25,000 bonus").
    if (lo.multiplier == 1 && hi->multiplier == 1 && lo.digits_only && !hi->digits_only && lo.raw < 1000 &&
        hi->raw >= 1000 && lo.raw * 1000 <= hi->raw && hi->raw <= lo.raw * 3000 &&
        !PeriodWrittenAfter(t, lo.end) && !own_extra_pay(first + 1)) {
      lo.multiplier = 1000;
    }
  }
  // Extra pay read because no pay is stated beside it ("$15,000 Sign-On
  // Bonus", "Up to $10,000 sign-on bonus"): the text states no salary.
  // On-target earnings alone are the pay.
  for (size_t k = first; k < (hi ? first + 2 : first + 1); ++k) {
    const auto [clause, a] = own_clause(k);
    if (NamesExtraPay(clause, a, hi.has_value()) && !OnTargetEarnings(t, amounts[k])) return std::nullopt;
  }
  Salary s;
  const std::string& token = lo.currency;
  const bool lakh = lo.lakh || (hi && hi->lakh);
  // The period written with the amount is its own ("Weekly pay $17/hr",
  // "Annual bonus! $25/hr"), then one that labels it ("Paid weekly. Annual
  // salary: $52,000"); a period word elsewhere (how often pay is paid)
  // counts only when neither is written.
  std::optional<std::string> stated = PeriodWrittenAfter(own, hi ? hi->end : lo.end);
  if (!stated && hi) stated = PeriodWrittenAfter(own, lo.end);  // "$50/hr - $60"
  if (!stated && (lo.per_annum || (hi && hi->per_annum))) stated = "YEAR";
  const std::string elsewhere = stated ? std::string() : WithoutCapitalAbbreviations(own);
  if (!stated) stated = PeriodLabelBefore(elsewhere, lo.begin);
  const bool own_period = stated.has_value();
  s.period = stated ? stated : PeriodOf(elsewhere);

  const bool has_multiplier = lo.multiplier > 1 || (hi && hi->multiplier > 1);
  const double top = hi ? std::max(lo.value(), hi->value()) : lo.value();
  // A bare number is no salary ("2024", "3 days"): some sign of money is needed.
  if (token.empty() && !s.period && !has_multiplier && top < 1000) return std::nullopt;
  // A year is no amount, also after a sign of one or two letters that is
  // an abbreviation too ("BD 2024 intern", "TL 2025": business
  // development, team lead). On a board of the sign's own country, where
  // the sign is decided money, a round amount is pay ("RM 2000" in
  // Malaysia, "2000 TL" in Turkey, "QR 1950"); a year is seldom round.
  const bool short_sign = ShortLetterSign(token) && lo.digits_only &&
                          !(LocalSignOf(token, country) && std::fmod(lo.value(), 50) == 0);
  if ((token.empty() || short_sign) && !s.period && !has_multiplier && top >= 1900 && top <= 2100 && !hi) {
    return std::nullopt;
  }

  if (!token.empty()) {
    s.currency = ResolveCurrency(token, country, s.currency_guessed);
  }
  if (!s.currency && lakh) {
    // Lakh and crore count the money of South Asia: the country's, else India's.
    static constexpr std::string_view kLakhCurrencies[] = {"INR", "PKR", "BDT", "NPR", "LKR"};
    const auto c = Tables::Get().countries.find(std::string(country));
    const std::string money = c != Tables::Get().countries.end() ? c->second.currency : std::string();
    s.currency = std::find(std::begin(kLakhCurrencies), std::end(kLakhCurrencies), money) != std::end(kLakhCurrencies)
                     ? money
                     : "INR";
  }
  if (!s.currency) {
    if (auto c = Tables::Get().countries.find(std::string(country));
        c != Tables::Get().countries.end() && !c->second.currency.empty()) {
      s.currency = c->second.currency;
      s.currency_guessed = true;
    }
  }

  switch (hi ? Bound::kBoth : BoundBefore(t, lo.begin)) {
    case Bound::kBoth:
      s.min = lo.value();
      s.max = hi ? hi->value() : lo.value();
      if (!hi) {
        const Bound after = BoundAfter(t, lo.end);
        if ((lo.end < t.size() && t[lo.end] == '+') || MinimumAfter(t, lo.end) || after == Bound::kMinOnly) {
          s.max.reset();
        }
        if (MaximumAfter(t, lo.end) || after == Bound::kMaxOnly) s.min.reset();
      }
      break;
    case Bound::kMinOnly: s.min = lo.value(); break;
    case Bound::kMaxOnly: s.max = lo.value(); break;
  }
  if (s.min && s.max && *s.min > *s.max) std::swap(s.min, s.max);
  if (s.min && !StatedAmount(*s.min)) s.min.reset();
  if (s.max && !StatedAmount(*s.max)) s.max.reset();
  if (!s.min && !s.max) return std::nullopt;
  if (!Plausible(s.min) || !Plausible(s.max)) return std::nullopt;

  if (!own_period) {
    // A period word away from the amount says how often pay is paid, which
    // a year's pay is too ("$52,000, paid bi-weekly", "$60,000 paid
    // monthly"): an amount of a year's size too large for the word's
    // period stays a year's; a smaller one takes the word's period
    // ("$2,000 paid monthly", "$12,000 paid monthly", "Monthly retainer
    // $15,000"). Too large is more than the period's hours at the top of
    // an hourly rate (data/salary_ranges.tsv): for a month in dollars
    // 300 * 2080 / 12 = 52,000.
    Salary sized = s;
    sized.period.reset();
    InferPeriod(sized, lakh, country);
    if (sized.period == "YEAR" &&
        (!s.period || sized.max.value_or(*sized.min) >= PeriodCeiling(*s.period, sized, country))) {
      s.period = "YEAR";
    }
  }
  ApplyMultiPeriod(s, t);
  if (!s.period) InferPeriod(s, lakh, country);
  Annualize(s);
  return s;
}

std::optional<Salary> NormalizeStructuredSalary(std::optional<double> min, std::optional<double> max,
                                                std::string_view currency, std::string_view period,
                                                std::string_view country) {
  Salary s;
  if (min && StatedAmount(*min)) s.min = min;
  if (max && StatedAmount(*max)) s.max = max;
  if (!s.min && !s.max) return std::nullopt;
  if (!Plausible(s.min) || !Plausible(s.max)) return std::nullopt;
  if (s.min && s.max && *s.min > *s.max) std::swap(s.min, s.max);
  std::string code;
  for (char c : currency) {
    if (c != ' ') code.push_back(ascii::ToUpper(c));
  }
  if (!code.empty()) {
    if (IsIsoCode(code)) {
      s.currency = code;
    } else {
      s.currency = ResolveCurrency(std::string(currency), country, s.currency_guessed);
    }
  }
  if (!period.empty()) {
    s.period = PeriodOf(period);
    ApplyMultiPeriod(s, period);
  }
  if (!s.period) InferPeriod(s, false, country);  // as for the same amounts written as text
  Annualize(s);
  return s;
}

}  // namespace jobtrawl::normalize
