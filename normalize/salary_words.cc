// The salary reader's words around an amount: letters and words, units
// other than money, labels of pay, extra pay, range joins and bounds.

#include "normalize/salary_parts.h"

#include <algorithm>
#include <unordered_set>
#include <vector>

#include "model/ascii.h"
#include "normalize/tables.h"
#include "normalize/text.h"
#include "normalize/utf8.h"

namespace jobtrawl::normalize::salary_detail {
namespace {

// True when the folded `s` (Fold(..., "-~")) is a word or dash joining two
// amounts into a range.
bool IsJoinWord(std::string_view s) {
  static constexpr std::string_view kJoins[] = {"-", "to", "and", "bis", "a", "ate", "~", "-to-", "au",
                                                 "до", "-до", "et", "und", "y", "e", "do", "tot", "till"};
  for (std::string_view j : kJoins) {
    if (s == j) return true;
  }
  return s.empty() ? false : std::all_of(s.begin(), s.end(), [](char c) { return c == '-' || c == ' '; });
}

bool Contains(std::string_view folded, std::string_view phrase) {
  for (size_t at = folded.find(phrase); at != std::string_view::npos; at = folded.find(phrase, at + 1)) {
    bool start = at == 0 || !IsLetterByte(folded[at - 1]);
    size_t after = at + phrase.size();
    bool end = after >= folded.size() || !IsLetterByte(folded[after]);
    if (start && end) return true;
  }
  return false;
}

}  // namespace

// A byte that may be part of a letter: ASCII letters and any non-ASCII byte.
bool IsLetterByte(char c) { return ascii::IsAlpha(c) || !ascii::IsAscii(c); }

// Dashes, and the spaces people put between digit groups, made plain.
std::string Plain(std::string_view text) {
  static constexpr std::pair<std::string_view, std::string_view> kReplace[] = {
      {"\u2013", "-"}, {"\u2014", "-"}, {"\u2012", "-"}, {"\u2212", "-"}, {"\u2011", "-"},
      {"\u00A0", " "}, {"\u202F", " "}, {"\u2009", " "}, {"\u2007", " "}, {"\u2019", "'"},
      {"\u301C", "-"}, {"\uFF5E", "-"}};  // CJK ranges: "500\u4e07\u301c800\u4e07"
  // One pass: replacing in place shifted the rest of the text each time,
  // quadratic in a field made of dashes.
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (static_cast<unsigned char>(text[i]) >= 0x80) {
      for (const auto& [from, to] : kReplace) {
        if (text.compare(i, from.size(), from) == 0) {
          out.append(to);
          i += from.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out.push_back(text[i++]);
  }
  return out;
}

// Is there a letter at `at`: an ASCII letter, or a code point of a letter
// or a mark ("\u00e9", "\u4e07"), not a sign or punctuation ("\u20ac", "\u00b2",
// "\u00b7")? A continuation byte, and bytes that do not decode, count as
// letters, as IsLetterByte has them.
bool LetterAt(std::string_view t, size_t at) {
  if (at >= t.size()) return false;
  if (ascii::IsAscii(t[at])) return ascii::IsAlpha(t[at]);
  if ((t[at] & 0xC0) == 0x80) return true;
  utf8proc_int32_t cp = 0;
  if (utf8::Decode(reinterpret_cast<const unsigned char*>(t.data() + at), t.size() - at, &cp) < 0) return true;
  const utf8proc_category_t c = utf8proc_category(cp);
  return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME;
}

// The word starting at `at` (spaces skipped): its letters, or "%".
std::string_view WordAt(std::string_view t, size_t at, size_t* begin) {
  while (at < t.size() && t[at] == ' ') ++at;
  if (begin != nullptr) *begin = at;
  if (at < t.size() && t[at] == '%') return t.substr(at, 1);
  size_t end = at;
  while (end < t.size() && LetterAt(t, end)) ++end;
  return t.substr(at, end - at);
}

// Does a unit other than money follow `at` ("40 hours", "50 km", "3 years",
// "2400 MHz", "15%", "5K run", "5000 employees")? Then the number before it
// counts that, not money.
Unit CountsUnit(std::string_view t, size_t at) {
  const std::string_view word = WordAt(t, at);
  if (word.empty()) return Unit::kNone;
  static const std::unordered_set<std::string> kDurationsAndPeople = {
      // time
      "h", "hr", "hrs", "hour", "hours", "day", "days", "week", "weeks", "wk", "wks", "month", "months",
      "year", "years", "yr", "yrs", "stunde", "stunden", "tag", "tage", "wochen", "monate", "jahre", "heure",
      "heures", "jour", "jours", "semaines", "ans", "horas", "dias", "d\u00edas", "semanas", "meses", "anos",
      "a\u00f1os",
      // counts of people and things
      "employees", "people", "staff", "users", "customers", "clients", "members", "students", "patients",
      "beds", "seats", "stores", "locations", "units", "sites"};
  static const std::unordered_set<std::string> kUnits = {
      // distance, area, weight, size, frequency, share
      "km", "kms", "kilometer", "kilometers", "kilometre", "kilometres", "mi", "mile", "miles", "meter",
      "meters", "metre", "metres", "ft", "feet", "foot", "sq", "sqft", "sqm", "square", "acre", "acres", "kg", "kgs", "kilo",
      "kilos", "lb", "lbs", "ton", "tons", "tonnes", "kb", "mb", "gb", "tb", "kbps", "mbps", "gbps", "hz",
      "khz", "mhz", "ghz", "kw", "kwh", "mw", "%", "percent", "pct",
      // races; openings ("$75,000 - 2 positions"); written work ("$100/150 words")
      "run", "race", "walk", "steps", "positions", "openings", "vacancies", "hires", "words", "pages"};
  const std::string lower = ascii::ToLower(word);
  if (kUnits.contains(lower)) return Unit::kAlways;
  size_t begin = 0;
  WordAt(t, at, &begin);
  // CJK counters written against the number: people (\u4eba, \u540d, \uba85), things and
  // cases (\u4ef6, \u500b, \u4e2a, \uac1c, \uac74), companies (\u793e), times (\u56de, \ud68c): "300\u4e07\u4eba",
  // "10\u4e07\u4ef6".
  static constexpr std::string_view kCounters[] = {"\u4eba", "\u540d", "\uba85", "\u4ef6", "\u500b", "\u4e2a",
                                                   "\uac1c", "\uac74", "\u793e", "\u56de", "\ud68c"};
  for (std::string_view counter : kCounters) {
    if (t.substr(begin).starts_with(counter)) return Unit::kAlways;
  }
  // A square or cubic unit ("5,000 ft\u00b2", "120 m\u00b2").
  const std::string_view power = t.substr(begin + word.size());
  if (power.starts_with("\u00b2") || power.starts_with("\u00b3")) return Unit::kAlways;
  if (kDurationsAndPeople.contains(lower)) return Unit::kUnlessMoney;
  return Unit::kNone;
}

// The folded words of `t` ending at `end` (spaces skipped), at most `n`
// of them, made only of letters, dots, hyphens and apostrophes; `begin` is
// where they start.
std::string WordsBefore(std::string_view t, size_t end, int n, size_t& begin) {
  while (end > 0 && t[end - 1] == ' ') --end;
  size_t at = end;
  int words = 0;
  while (at > 0 && words < n) {
    size_t w = at;
    while (w > 0 && (IsLetterByte(t[w - 1]) || t[w - 1] == '.' || t[w - 1] == '-' || t[w - 1] == '\'')) --w;
    if (w == at) break;
    ++words;
    at = w;
    if (words < n && at > 1 && t[at - 1] == ' ' && IsLetterByte(t[at - 2])) {
      --at;
    } else {
      break;
    }
  }
  begin = at;
  return Fold(t.substr(at, end - at));
}

// The folded words of `t` from `at` (spaces skipped), at most `n` of them.
std::string WordsAfter(std::string_view t, size_t at, int n) {
  while (at < t.size() && t[at] == ' ') ++at;
  size_t end = at;
  for (int words = 0; words < n && end < t.size();) {
    size_t w = end;
    while (w < t.size() && (IsLetterByte(t[w]) || t[w] == '.' || t[w] == '-' || t[w] == '\'')) ++w;
    if (w == end) break;
    end = w;
    if (++words < n && end + 1 < t.size() && t[end] == ' ' && IsLetterByte(t[end + 1])) {
      ++end;
    } else {
      break;
    }
  }
  return Fold(t.substr(at, end - at));
}

// Does a word that labels pay stand right before `at` ("Salary 55000
// Berlin", "Fizet\u00e9s: 500 000 Ft")? Then the number after it is pay,
// whatever follows.
bool PayLabelBefore(std::string_view t, size_t at) {
  static constexpr std::string_view kLabels[] = {
      "salary", "salaries", "pay", "wage", "wages", "compensation", "remuneration", "gehalt", "jahresgehalt",
      "bruttojahresgehalt", "monatsgehalt", "lohn", "vergutung", "salaire", "sueldo", "salario", "stipendio",
      "retribuzione", "ral", "remuneracao", "wynagrodzenie", "pensja", "fizetes", "ber", "mzda", "plat", "lon",
      "lonn", "palkka", "salaris", "loon", "maas", "gaji", "luong",
      "\u0437\u0430\u0440\u043f\u043b\u0430\u0442\u0430", "\u043e\u043a\u043b\u0430\u0434",  // зарплата, оклад
      "\uae09\uc5ec", "\u7d66\u4e0e", "\u85aa\u8d44", "\u5de5\u8d44", "\u85aa\u916c"};   // 급여, 給与, 薪资, 工资, 薪酬
  size_t from = at > 40 ? at - 40 : 0;
  while (from > 0 && (t[from] & 0xC0) == 0x80) --from;  // a whole character
  const std::string before = Fold(t.substr(from, at - from));
  for (std::string_view label : kLabels) {
    if (before.ends_with(label) &&
        (before.size() == label.size() || before[before.size() - label.size() - 1] == ' ')) {
      return true;
    }
  }
  return false;
}

// A unit of time among CountsUnit's words ("month" of "6 month contract").
bool IsDurationWord(std::string_view word) {
  static const std::unordered_set<std::string> kDurations = {
      "h", "hr", "hrs", "hour", "hours", "day", "days", "week", "weeks", "wk", "wks", "month", "months",
      "year", "years", "yr", "yrs", "stunde", "stunden", "tag", "tage", "wochen", "monate", "jahre", "heure",
      "heures", "jour", "jours", "semaines", "ans", "horas", "dias", "d\u00edas", "semanas", "meses", "anos",
      "a\u00f1os"};
  return kDurations.contains(ascii::ToLower(word));
}

// True when `between` joins two amounts into a range: a join word or dash,
// also after the first amount's own period ("$50/hr - $60/hr", "$50 an
// hour to $60 an hour", "$4,000/month - $5,000/month": each bound states it).
bool IsRangeJoin(std::string_view between) {
  if (IsJoinWord(Fold(between, "-~"))) return true;
  const std::string s = Fold(between, "/.-~");
  for (const auto& [phrase, period] : Tables::Get().salary_periods) {  // longest first
    if (s.starts_with(phrase) && (s.size() == phrase.size() || !IsLetterByte(s[phrase.size()]))) {
      return IsJoinWord(Fold(std::string_view(s).substr(phrase.size()), "-~"));
    }
  }
  return false;
}

// True when `between` offers a second amount ("$85K/95K", "$85K or $95K",
// "$15/hr or $20/hr"): a slash or "or", also after the first amount's own
// period. Two such amounts of one sign and size are a range.
bool IsAlternativeJoin(std::string_view between) {
  auto alternative = [](std::string_view s) { return s == "/" || s == "or"; };
  const std::string s = Fold(between, "/");
  if (alternative(s)) return true;
  const std::string periods = Fold(between, "/.");
  for (const auto& [phrase, period] : Tables::Get().salary_periods) {  // longest first
    if (periods.starts_with(phrase) && (periods.size() == phrase.size() || !IsLetterByte(periods[phrase.size()]))) {
      return alternative(Fold(std::string_view(periods).substr(phrase.size()), "/"));
    }
  }
  return false;
}

// Do the words of its clause after the amount ending at `end` name a rate
// paid on top of the base one: overtime, holidays, weekends, a shift's
// premium or differential ("$44/hr overtime", "$30/hr OT", "$45/hr
// holidays")?
bool PremiumRate(std::string_view t, size_t end) {
  static const std::unordered_set<std::string> kPremium = {
      "overtime", "ot", "holiday", "holidays", "weekend", "weekends", "premium", "differential", "diff",
      "night", "nights", "evening", "evenings", "shift"};
  size_t stop = end;
  while (stop < t.size() && stop - end < 40 && t[stop] != ',' && t[stop] != ';' && t[stop] != '!' &&
         t[stop] != '|' && t[stop] != '(' && t[stop] != ')') {
    ++stop;
  }
  const std::string folded = Fold(t.substr(end, stop - end), "/");
  for (size_t at = 0; at < folded.size();) {
    size_t space = folded.find_first_of(" /", at);
    if (space == std::string::npos) space = folded.size();
    if (kPremium.contains(folded.substr(at, space - at))) return true;
    at = space + 1;
  }
  return false;
}

// Is the amount `a` pay beside the salary ("$10k sign-on bonus",
// "relocation of $5,000"), by the words right before or after it?
bool ExtraPay(std::string_view t, const Amount& a) {
  const size_t from = a.begin > 32 ? a.begin - 32 : 0;
  const std::string near = Fold(t.substr(from, a.begin - from)) + " " + Fold(t.substr(a.end, 32));
  for (std::string_view w : {"bonus", "bonuses", "sign on", "signing", "relocation", "stipend", "allowance",
                             "equity", "commission", "commissions", "referral", "tips", "ote"}) {
    if (Contains(near, w)) return true;
  }
  return false;
}

// Does a word of extra pay name what the amount `a` of `clause` is: the
// first such word within four after it ("$15,000 Sign-On Bonus", "$5k
// referral bonus", "Up to $10,000 one-time sign on bonus") or within five
// before it ("Relocation $5,000", "Sign-on bonus of up to $5,000"), with no
// word of pay, period or join between ("$90,000 base with annual bonus",
// "$25/hr including tips" name pay beside it)? Eligibility for extra pay
// names none ("$120-150k bonus eligible"). A stipend or an allowance alone
// is the pay of a fellowship, an internship or a trainee ("Monthly stipend
// of $2,500", "Allowance: RM 800/month").
//
// A word before it names no pay that states its own period or base after
// it ("Sign On Bonus $22/hr", "Tips $15/hr": no bonus is paid by the
// hour), nor a bound of a range (`range_bound`: "Relocation assistance
// $120k-$140k", "Uncapped commission $50,000 - $70,000 base"): extra pay
// is one figure. Equity before a lone amount stays extra pay ("Equity
// $150k" is a grant of shares, whose worth is not a wage).
bool NamesExtraPay(std::string_view clause, const Amount& a, bool range_bound) {
  static const std::unordered_set<std::string> kExtra = {
      "bonus", "bonuses", "sign", "signing", "relocation", "referral", "equity", "commission", "commissions", "tips"};
  static const std::unordered_set<std::string> kPay = {
      "salary", "salaries", "base", "pay", "wage", "wages", "rate", "compensation", "earnings", "ctc",
      "with", "plus", "and", "or", "including", "incl", "includes", "included", "excluding", "per", "a", "an",
      "offers", "offering", "eligible"};
  auto words = [](const std::string& folded) {
    std::vector<std::string> out;
    for (size_t at = 0; at < folded.size();) {
      size_t space = folded.find(' ', at);
      if (space == std::string::npos) space = folded.size();
      if (space > at) out.push_back(folded.substr(at, space - at));
      at = space + 1;
    }
    return out;
  };
  auto stops = [&](const std::string& word) {
    return kPay.contains(word) || IsDurationWord(word) || PeriodAtStart(word).has_value();
  };
  const std::vector<std::string> after = words(Fold(clause.substr(a.end)));
  bool named_pay = range_bound || PeriodWrittenAfter(clause, a.end).has_value();
  for (size_t i = 0; i < after.size() && i < 4; ++i) {
    if (kExtra.contains(after[i])) {
      return i + 1 == after.size() || (after[i + 1] != "eligible" && after[i + 1] != "eligibility");
    }
    if (stops(after[i])) {
      named_pay = named_pay || after[i] == "base";
      break;
    }
  }
  if (named_pay) return false;
  const std::vector<std::string> before = words(Fold(clause.substr(0, a.begin)));
  for (size_t i = 0; i < before.size() && i < 5; ++i) {
    const std::string& word = before[before.size() - 1 - i];
    if (kExtra.contains(word)) return true;
    if (stops(word)) break;
  }
  return false;
}

// Is the amount `a` on-target earnings ("\u00a360k OTE")? Beside a base
// they are extra pay (the base is the salary); alone they are the pay,
// not pay beside it.
bool OnTargetEarnings(std::string_view t, const Amount& a) {
  const size_t from = a.begin > 32 ? a.begin - 32 : 0;
  const std::string near = Fold(t.substr(from, a.begin - from)) + " " + Fold(t.substr(a.end, 32));
  return Contains(near, "ote") || Contains(near, "on target earnings");
}

Bound BoundBefore(std::string_view text, size_t begin) {
  // The words right before the amount: its last 64 bytes folded (a word
  // cut at the start is farther back than any bound word reaches).
  const size_t from = begin > 64 ? begin - 64 : 0;
  std::string before = Fold(text.substr(from, begin - from));
  if (before.size() > 24) before = before.substr(before.size() - 24);
  // Polish, Czech, Slovak, Croatian and Slovene write "od" (from) and "do"
  // (up to).
  for (std::string_view w : {"up to", "upto", "max", "maximum", "bis zu", "ate", "hasta", "jusqu a",
                             "jusqu", "до", "under", "below", "do", "no more than", "not more than"}) {
    if (Contains(before, w) && before.ends_with(w)) return Bound::kMaxOnly;
  }
  for (std::string_view w : {"from", "starting at", "starting from", "min", "minimum", "at least", "ab",
                             "desde", "a partir de", "from only", "від", "от", "od", "no less than",
                             "not less than"}) {
    if (Contains(before, w) && before.ends_with(w)) return Bound::kMinOnly;
  }
  return Bound::kBoth;
}

// CJK write "or more" and "or less" after the amount: "3000\ub9cc\uc6d0 \uc774\uc0c1",
// "500\u4e07\u5186\u4ee5\u4e0a", "\u4ee5\u4e0b".
bool MinimumAfter(std::string_view t, size_t end) {
  const std::string_view rest = ascii::TrimLeft(t.substr(end));
  return rest.starts_with("\uc774\uc0c1") || rest.starts_with("\u4ee5\u4e0a");
}
bool MaximumAfter(std::string_view t, size_t end) {
  const std::string_view rest = ascii::TrimLeft(t.substr(end));
  return rest.starts_with("\uc774\ud558") || rest.starts_with("\u4ee5\u4e0b");
}

// "$50,000 and up", "$120,000 or more", "$25/hr minimum": only a minimum;
// "$90,000 max": only a maximum. A period of the amount may come first.
// The bound words are the whole rest of the amount's clause: "$25/hr,
// minimum 2 years experience" and "$20/hr and up to $5k bonus" state both.
Bound BoundAfter(std::string_view text, size_t end) {
  std::string_view clause = text.substr(end, 48);
  for (size_t i = 0; i < clause.size(); ++i) {
    const char c = clause[i];
    if (c == ',' || c == ';' || c == '!' || c == '|' || c == '(' || c == ')' ||
        (c == '.' && (i + 1 == clause.size() || clause[i + 1] == ' '))) {
      clause = clause.substr(0, i);
      break;
    }
  }
  std::string after = " " + Fold(clause, "/.") + " ";
  for (const auto& [phrase, period] : Tables::Get().salary_periods) {  // longest first
    if (after.starts_with(" " + phrase + " ")) {
      after.erase(1, phrase.size() + 1);
      break;
    }
  }
  for (std::string_view w : {"and up", "and above", "and higher", "or more", "or above", "or higher",
                             "minimum", "min", "at minimum", "at least"}) {
    if (after == " " + std::string(w) + " ") return Bound::kMinOnly;
  }
  for (std::string_view w : {"or less", "or below", "maximum", "max", "at most"}) {
    if (after == " " + std::string(w) + " ") return Bound::kMaxOnly;
  }
  return Bound::kBoth;
}

}  // namespace jobtrawl::normalize::salary_detail
