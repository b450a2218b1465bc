#include "normalize/salary.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <unordered_set>
#include <vector>

#include "model/ascii.h"
#include "model/decimal.h"
#include "normalize/tables.h"
#include "normalize/text.h"
#include "normalize/utf8.h"

namespace jobtrawl::normalize {
namespace {

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

// No salary is this large in any currency and period; a larger figure is a
// phone number, an id or a hostile page, and stored it would skew every
// average.
constexpr double kMaxAmount = 1e11;

bool Plausible(std::optional<double> v) { return !v || (std::isfinite(*v) && *v <= kMaxAmount); }

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

// Currency tokens, longest first: the symbol table's and ISO codes.
const std::vector<std::string>& CurrencyTokens() {
  static const std::vector<std::string> kTokens = [] {
    std::vector<std::string> tokens;
    const Tables& t = Tables::Get();
    for (const auto& [token, codes] : t.currency_symbols) tokens.push_back(token);
    for (const auto& code : t.currency_codes) tokens.push_back(code);
    std::sort(tokens.begin(), tokens.end(), [](const auto& a, const auto& b) {
      return a.size() != b.size() ? a.size() > b.size() : a < b;
    });
    tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
    return tokens;
  }();
  return kTokens;
}

// An amount of money a salary can be stated in: from a cent to 10^15, more
// than a year's pay in any currency's smallest unit. Outside it the annual
// figures round to 0 or overflow to infinity, and neither is a salary.
bool StatedAmount(double amount) { return std::isfinite(amount) && amount >= 0.01 && amount <= 1e15; }

bool IsIsoCode(std::string_view token) {
  return token.size() == 3 && Tables::Get().currency_codes.contains(std::string(token));
}

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

const std::vector<CurrencyToken>& CurrencyTokenInfo() {
  static const std::vector<CurrencyToken> kInfo = [] {
    std::vector<CurrencyToken> info;
    for (const std::string& token : CurrencyTokens()) {
      // "SR" is the riyal, "Sr" a senior: capitals match only capitals. A
      // sign of one or two letters matches only as written ("Ks" the kyat,
      // "KS" Kansas; "Sh" the shilling, "SH" no money): the table lists the
      // spellings boards use.
      const bool capitals = token.size() >= 2 && std::all_of(token.begin(), token.end(), [](char c) {
                              return ascii::IsUpper(c) || !ascii::IsAlpha(c);
                            }) && ascii::IsAlpha(token.front());
      const bool short_word = token.size() <= 2 && std::all_of(token.begin(), token.end(), ascii::IsAscii);
      info.push_back({token, IsIsoCode(token) || capitals || short_word,
                      ascii::IsAlpha(token.front()) || ascii::IsAlpha(token.back()),
                      token.size() == 1 && ascii::IsAlpha(token.front()),
                      !ascii::IsAscii(token.front()) && LetterAt(token, 0)});
    }
    return info;
  }();
  return kInfo;
}

// Tokens made of letters must stand alone: "USD" not inside "USDT"; ISO
// codes and signs written in capitals only in capitals.
bool TokenMatchesAt(std::string_view text, size_t at, const CurrencyToken& t) {
  const std::string_view token = t.text;
  if (at + token.size() > text.size()) return false;
  if (ascii::ToLower(text[at]) != ascii::ToLower(token.front())) return false;
  const bool alphabetic = t.alphabetic;
  if (t.exact_case || !alphabetic) {
    if (text.compare(at, token.size(), token) != 0) return false;
  } else if (!ascii::StartsWithIgnoreCase(text.substr(at), token)) {
    return false;
  }
  // Nor is a word of another script the end of a longer word ("\ud68c\uc6d0" a
  // member, "\uc9c1\uc6d0" staff: not the won).
  if (t.script && at > 0) {
    size_t previous = at - 1;
    while (previous > 0 && (text[previous] & 0xC0) == 0x80) --previous;
    if (LetterAt(text, previous)) return false;
  }
  if (alphabetic) {
    if (at > 0 && IsLetterByte(text[at - 1]) && ascii::IsAlpha(token.front())) return false;
    // "5K 10K": the K after a number is its multiplier, never the next one's sign.
    if (t.letter && at > 0 && ascii::IsDigit(text[at - 1])) return false;
    size_t after = at + token.size();
    if (after < text.size() && IsLetterByte(text[after]) && ascii::IsAlpha(token.back())) return false;
  }
  return true;
}

// The tokens by their first and by their last byte in lower case, each
// list in the tokens' order (longest first): a number is tried only
// against the tokens that can start right after it or end right before it.
struct TokensByByte {
  std::array<std::vector<const CurrencyToken*>, 256> first, last;
};

const TokensByByte& TokenIndex() {
  static const TokensByByte kIndex = [] {
    TokensByByte index;
    for (const CurrencyToken& token : CurrencyTokenInfo()) {
      index.first[static_cast<unsigned char>(ascii::ToLower(token.text.front()))].push_back(&token);
      index.last[static_cast<unsigned char>(ascii::ToLower(token.text.back()))].push_back(&token);
    }
    return index;
  }();
  return kIndex;
}

// The currency token ending right before `end` (spaces skipped), or empty.
std::string CurrencyBefore(std::string_view text, size_t end, size_t& begin) {
  while (end > 0 && text[end - 1] == ' ') --end;
  if (end == 0) return {};
  for (const CurrencyToken* t : TokenIndex().last[static_cast<unsigned char>(ascii::ToLower(text[end - 1]))]) {
    const CurrencyToken& token = *t;
    if (token.text.size() > end) continue;
    if (TokenMatchesAt(text, end - token.text.size(), token)) {
      begin = end - token.text.size();
      return token.text;
    }
  }
  return {};
}

// The currency token starting at `at` (spaces skipped), or empty. A sign
// of one letter stands before its amount (CLDR's patterns for the
// countries that write R, K, L or Q); after a number a letter is a unit, a
// multiplier or a grade ("5 L" of lakh, "50 K", "Level 3 Q").
std::string CurrencyAfter(std::string_view text, size_t at, size_t& end) {
  while (at < text.size() && text[at] == ' ') ++at;
  if (at == text.size()) return {};
  for (const CurrencyToken* t : TokenIndex().first[static_cast<unsigned char>(ascii::ToLower(text[at]))]) {
    const CurrencyToken& token = *t;
    if (!token.letter && TokenMatchesAt(text, at, token)) {
      end = at + token.text.size();
      return token.text;
    }
  }
  return {};
}

// A symbol several currencies share ("$", "kr", "¥").
bool Ambiguous(const std::string& token) {
  const auto& symbols = Tables::Get().currency_symbols;
  auto it = symbols.find(token);
  return it != symbols.end() && it->second.size() > 1;
}

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
  double value() const { return raw * multiplier; }
};

// The currency token starting right at `at`, whatever stands before it: a
// multiplier it is written against ("45k\u20ac", "45kCHF", "60 TEUR"), or
// empty.
std::string CurrencyAt(std::string_view text, size_t at, size_t& end) {
  const std::string_view rest = text.substr(at);
  for (const CurrencyToken& token : CurrencyTokenInfo()) {
    if (!token.letter && TokenMatchesAt(rest, 0, token)) {
      end = at + token.text.size();
      return token.text;
    }
  }
  return {};
}

std::optional<std::string> ResolveCurrency(std::string_view token, std::string_view country, bool& guessed);

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
      if (money != w.money) continue;
    }
    a.multiplier = w.factor;
    a.lakh = w.lakh;
    a.per_annum = w.per_annum;
    a.end = after;
    return;
  }
}

// The currency token of letters ending right at `end` ("R" of "R40,000"),
// or nullptr.
const CurrencyToken* LetterCurrencyEndingAt(std::string_view text, size_t end) {
  if (end == 0 || end > text.size()) return nullptr;
  for (const CurrencyToken* t : TokenIndex().last[static_cast<unsigned char>(ascii::ToLower(text[end - 1]))]) {
    const CurrencyToken& token = *t;
    if (token.alphabetic && token.text.size() <= end && TokenMatchesAt(text, end - token.text.size(), token)) {
      return &token;
    }
  }
  return nullptr;
}

// The word starting at `at` (spaces skipped): its letters, or "%".
std::string_view WordAt(std::string_view t, size_t at, size_t* begin = nullptr) {
  while (at < t.size() && t[at] == ' ') ++at;
  if (begin != nullptr) *begin = at;
  if (at < t.size() && t[at] == '%') return t.substr(at, 1);
  size_t end = at;
  while (end < t.size() && LetterAt(t, end)) ++end;
  return t.substr(at, end - at);
}

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
      // races; openings ("$75,000 - 2 positions")
      "run", "race", "walk", "steps", "positions", "openings", "vacancies", "hires"};
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

// A sign of one or two ASCII letters ("TL", "Q", "K"), which is an
// abbreviation as often as money.
bool ShortLetterSign(std::string_view token) {
  return !token.empty() && token.size() <= 2 && std::all_of(token.begin(), token.end(), ascii::IsAlpha);
}

// A sign only some countries write money with ("VT", "KM", "R"), on a
// board of none of them.
bool ForeignLocalSign(const std::string& token, std::string_view country) {
  const auto& where = Tables::Get().currency_symbol_countries;
  auto it = where.find(token);
  return it != where.end() && std::find(it->second.begin(), it->second.end(), country) == it->second.end();
}

// A sign only some countries write money with, on a board of one of them
// ("RM" in Malaysia).
bool LocalSignOf(const std::string& token, std::string_view country) {
  const auto& where = Tables::Get().currency_symbol_countries;
  auto it = where.find(token);
  return it != where.end() && std::find(it->second.begin(), it->second.end(), country) != it->second.end();
}

// Does a sign of money that counts on a board of `country` follow `at`?
bool SignAfter(std::string_view t, size_t at, std::string_view country) {
  size_t end = 0;
  const std::string sign = CurrencyAfter(t, at, end);
  return !sign.empty() && !ForeignLocalSign(sign, country);
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

// Where a country writes its postcode beside the city name (Universal
// Postal Union's addressing formats): before it ("10115 Berlin", "75001
// Paris"), after it ("Bangalore 560001", "Singapore 018956"), or either.
enum class PostcodeSide { kBefore, kAfter, kEither };

// Are `country`'s postcodes numbers of `digits` digits (UPU: 5 in
// Germany, France, Italy, Spain, Mexico; 4 in Austria, Switzerland,
// Belgium, Denmark, Norway, Australia; 6 in India, China, Russia,
// Singapore), written on `side` of the city? Not in the UK or Canada,
// whose postcodes have letters: there "London 45000" is pay; nor the US,
// whose ZIP follows the state ("Dallas 75000" is pay).
bool WritesPostcodes(std::string_view country, size_t digits, PostcodeSide side) {
  using enum PostcodeSide;
  struct Format {
    std::string_view country;
    size_t digits;
    PostcodeSide side;
  };
  static constexpr Format kFormats[] = {
      {"DE", 5, kBefore}, {"FR", 5, kBefore}, {"IT", 5, kBefore}, {"ES", 5, kBefore}, {"MX", 5, kBefore},
      {"FI", 5, kBefore}, {"TR", 5, kBefore}, {"UA", 5, kEither}, {"KR", 5, kEither}, {"MY", 5, kBefore},
      {"ID", 5, kAfter},  {"TH", 5, kAfter},  {"EG", 5, kEither}, {"MA", 5, kBefore}, {"SA", 5, kEither},
      {"PK", 5, kAfter},  {"HR", 5, kBefore}, {"EE", 5, kBefore}, {"LT", 5, kBefore}, {"AT", 4, kBefore},
      {"CH", 4, kBefore}, {"BE", 4, kBefore}, {"DK", 4, kBefore}, {"NO", 4, kBefore}, {"AU", 4, kAfter},
      {"NZ", 4, kAfter},  {"ZA", 4, kAfter},  {"HU", 4, kEither}, {"BG", 4, kBefore}, {"LU", 4, kBefore},
      {"SI", 4, kBefore}, {"PH", 4, kAfter},  {"IN", 6, kAfter},  {"CN", 6, kEither}, {"RU", 6, kEither},
      {"SG", 6, kAfter},  {"KZ", 6, kEither}, {"BY", 6, kEither}, {"VN", 6, kEither}, {"RO", 6, kEither},
      {"NG", 6, kEither}};
  for (const Format& f : kFormats) {
    if (country == f.country && f.digits == digits && (f.side == side || f.side == kEither)) return true;
  }
  return false;
}

// Is `folded` a city in a country whose postcodes WritesPostcodes says
// are numbers of `digits` digits on `side` of the city?
bool IsCityWithPostcodesOf(const std::string& folded, size_t digits, PostcodeSide side) {
  if (folded.empty()) return false;
  auto it = Tables::Get().cities.find(folded);
  if (it == Tables::Get().cities.end()) return false;
  for (const CityInfo& city : it->second) {
    if (WritesPostcodes(city.country, digits, side)) return true;
  }
  return false;
}

// Is `folded`, written at `t[begin]`, a region of a country whose
// postcodes of `digits` digits follow the region ("Telangana 500081",
// "VIC 3000")? A region's code counts only in capitals, as addresses write
// it ("UP 201301", not "up 201301").
bool IsRegionWithPostcodesAfter(std::string_view t, size_t begin, const std::string& folded, size_t digits) {
  const Tables& tables = Tables::Get();
  auto it = tables.region_countries.find(folded);
  if (it == tables.region_countries.end()) return false;
  const std::string written(t.substr(begin, folded.size()));
  return std::any_of(it->second.begin(), it->second.end(), [&](const std::string& country) {
    const bool code = tables.regions.contains({country, ascii::ToUpper(folded)});
    return WritesPostcodes(country, digits, PostcodeSide::kAfter) && (!code || written == ascii::ToUpper(folded));
  });
}

// Does a city or region of `country` stand within three words before
// `begin` (a comma skipped) or after `end`?
bool PlaceOfNear(std::string_view t, size_t begin, size_t end, std::string_view country) {
  const Tables& tables = Tables::Get();
  auto of_country = [&](const std::string& folded) {
    if (folded.empty()) return false;
    if (auto it = tables.cities.find(folded); it != tables.cities.end()) {
      for (const CityInfo& city : it->second) {
        if (city.country == country) return true;
      }
    }
    auto it = tables.region_countries.find(folded);
    return it != tables.region_countries.end() &&
           std::find(it->second.begin(), it->second.end(), country) != it->second.end();
  };
  while (begin > 0 && t[begin - 1] == ' ') --begin;
  if (begin > 0 && t[begin - 1] == ',') --begin;
  for (int n = 1; n <= 3; ++n) {
    size_t words_begin = 0;
    if (of_country(WordsBefore(t, begin, n, words_begin)) || of_country(WordsAfter(t, end, n))) return true;
  }
  return false;
}

// Postcodes whose shape the digits alone do not give (UPU addressing
// formats): the Netherlands' four digits and two capitals ("1012 AB
// Amsterdam"), Portugal's "1000-001 Lisboa" and Brazil's "20040-002" (a
// hyphen and three digits), Israel's seven digits ("Tel Aviv 6100000").
// Each is a postcode on its country's board or beside a city or region of
// its country. Moves `a.end` past the part after the digits.
bool PostcodeOfItsShape(std::string_view t, Amount& a, std::string_view country) {
  struct Shape {
    std::string_view country;
    size_t digits;
    size_t after_hyphen;  // digits after a hyphen ("1000-001")
    bool capitals;        // two capitals after it ("1012 AB", "1012AB")
  };
  static constexpr Shape kShapes[] = {
      {"NL", 4, 0, true}, {"PT", 4, 3, false}, {"BR", 5, 3, false}, {"IL", 7, 0, false}};
  const size_t digits = a.end - a.begin;
  for (const Shape& shape : kShapes) {
    if (shape.digits != digits) continue;
    size_t end = a.end;
    if (shape.after_hyphen > 0) {
      if (end >= t.size() || t[end] != '-') continue;
      size_t d = end + 1;
      while (d < t.size() && ascii::IsDigit(t[d])) ++d;
      if (d - end - 1 != shape.after_hyphen) continue;
      end = d;
    } else if (shape.capitals) {
      const size_t at = end < t.size() && t[end] == ' ' ? end + 1 : end;
      if (at + 2 > t.size() || !ascii::IsUpper(t[at]) || !ascii::IsUpper(t[at + 1]) ||
          (at + 2 < t.size() && IsLetterByte(t[at + 2]))) {
        continue;
      }
      end = at + 2;
    }
    if (country != shape.country && !PlaceOfNear(t, a.begin, end, shape.country)) continue;
    a.end = end;
    return true;
  }
  return false;
}

// Does a sign of money that counts on a board of `country` stand beside
// a number within 48 bytes after `from` ("Paris 75008 - 50 000 \u20ac")?
bool SignedAmountAfter(std::string_view t, size_t from, std::string_view country);

// Is the number `a` (digits only, no multiplier) part of an address rather
// than an amount? A number written with a leading zero ("05401"); a US ZIP
// or ZIP+4 after a state ("Burlington, VT 05401", "Austin, Texas 78701",
// "KS 67202-1234"); a postcode after or before a city of a country whose
// postcodes it looks like ("Berlin 10115", "75001 Paris"), or after its
// region ("Telangana 500081"); a postcode of its country's shape ("1012
// AB", "1000-001"); a street or suite number ("1600
// Amphitheatre Parkway", "Suite 1200", "Hauptstraße 12", "12 rue de la
// Paix"). With a sign of money after the number (`sign_after`: "Paris
// 45000 EUR", "l\u00f6n 45000 kr") only a leading zero or a ZIP after its
// state make it an address. Moves `a.end` past a ZIP's "-1234" and a
// postcode's part after the digits.
//
// `range_bound`: the number is a bound of a range of bare numbers ("90000
// - 110000"), never a postcode. A postcode written on the side of the city
// its country does not use ("Berlin 10115") is one only when money is
// stated after it; alone it is pay, as "Berlin 55000".
bool AddressNumber(std::string_view t, Amount& a, bool sign_after, bool range_bound,
                   std::string_view country) {
  const size_t digits = a.end - a.begin;
  if (digits >= 2 && t[a.begin] == '0') return true;
  // ZIP+4: five digits, a hyphen and four.
  const bool zip4 = digits == 5 && a.end + 5 <= t.size() && t[a.end] == '-' &&
                    std::all_of(t.begin() + static_cast<std::ptrdiff_t>(a.end) + 1,
                                t.begin() + static_cast<std::ptrdiff_t>(a.end) + 5, ascii::IsDigit) &&
                    (a.end + 5 == t.size() || !ascii::IsDigit(t[a.end + 5]));
  const Tables& tables = Tables::Get();
  if (digits == 5) {
    // Applicant tracking systems join the fields with commas ("Austin, TX,
    // 78701"), where a bound of a range of bare numbers stays pay.
    size_t state_end = a.begin;
    while (state_end > 0 && t[state_end - 1] == ' ') --state_end;
    const bool comma = state_end > 0 && t[state_end - 1] == ',' && !range_bound;
    state_end = comma ? state_end - 1 : a.begin;
    for (int n = 1; n <= 3; ++n) {
      size_t begin = 0;
      const std::string words = WordsBefore(t, state_end, n, begin);
      if (words.empty() || !tables.region_countries.contains(words)) continue;
      size_t before = begin;
      while (before > 0 && t[before - 1] == ' ') --before;
      // After a comma ("City, ST"), or a US state's code as the Postal
      // Service writes it ("KS 67202").
      // The ZIP follows the state directly ("TX 75201", not "TX - 75000"),
      // and only a US state's ("Toronto, ON 90000" is pay).
      const std::string_view gap = t.substr(begin, a.begin - begin);
      if (gap.find('-') != std::string_view::npos || !tables.region_by_name.contains({"US", words})) continue;
      const bool code = words.size() == 2 && ascii::IsUpper(t[begin]) && ascii::IsUpper(t[begin + 1]);
      if ((before > 0 && t[before - 1] == ',') || code) {
        if (zip4) a.end += 5;
        return true;
      }
    }
  }
  if (zip4) {
    a.end += 5;
    return true;
  }
  if (sign_after) return false;
  if (digits >= 4 && digits <= 6 && !range_bound && !PayLabelBefore(t, a.begin)) {
    for (int n = 1; n <= 3; ++n) {
      size_t begin = 0;
      const std::string before = WordsBefore(t, a.begin, n, begin);
      const std::string after = WordsAfter(t, a.end, n);
      if (IsCityWithPostcodesOf(before, digits, PostcodeSide::kAfter) ||
          IsCityWithPostcodesOf(after, digits, PostcodeSide::kBefore)) {
        return true;
      }
      if ((IsCityWithPostcodesOf(before, digits, PostcodeSide::kBefore) ||
           IsCityWithPostcodesOf(after, digits, PostcodeSide::kAfter)) &&
          SignedAmountAfter(t, a.end, country)) {
        return true;
      }
    }
  }
  if (digits >= 4 && digits <= 6 && !range_bound) {
    // After the region, as India and Australia write it ("Hyderabad,
    // Telangana 500081", "Melbourne VIC 3000"), or after the city and a
    // comma ("Bangalore, 560001").
    size_t place_end = a.begin;
    while (place_end > 0 && t[place_end - 1] == ' ') --place_end;
    if (place_end > 0 && t[place_end - 1] == ',') --place_end;
    for (int n = 1; n <= 3; ++n) {
      size_t begin = 0;
      const std::string before = WordsBefore(t, place_end, n, begin);
      if (IsRegionWithPostcodesAfter(t, begin, before, digits) ||
          IsCityWithPostcodesOf(before, digits, PostcodeSide::kAfter)) {
        return true;
      }
    }
  }
  // The part after the hyphen is no bound of a range ("1000-001 Lisboa").
  if (PostcodeOfItsShape(t, a, country)) return true;
  // A street or suite number.
  static const std::unordered_set<std::string> kBefore = {
      "suite", "ste", "unit", "apt", "apartment", "floor", "fl", "room", "building", "bldg", "box", "no",
      "rue", "via", "calle", "avenida", "rua", "viale", "piazza", "corso", "ul"};
  static const std::unordered_set<std::string> kStreets = {
      "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "drive", "dr", "lane", "ln",
      "way", "parkway", "pkwy", "highway", "hwy", "court", "ct", "place", "pl", "plaza", "square", "sq",
      "terrace", "circle", "cir", "trail", "pike", "route"};
  static constexpr std::string_view kStreetEndings[] = {"strasse", "str", "weg", "gasse", "platz", "allee",
                                                        "straat", "laan", "gracht", "vej", "gatan", "gade"};
  if (a.begin > 0 && t[a.begin - 1] == '#') return true;
  size_t begin = 0;
  const std::string before = WordsBefore(t, a.begin, 1, begin);
  if (kBefore.contains(before)) return true;
  for (std::string_view ending : kStreetEndings) {
    if (before.size() > ending.size() && before.ends_with(ending)) return true;
  }
  const std::string after = WordsAfter(t, a.end, 4);
  for (size_t at = 0; at < after.size();) {
    size_t space = after.find(' ', at);
    if (space == std::string::npos) space = after.size();
    if (at > 0 && kStreets.contains(after.substr(at, space - at))) return true;  // a name comes first
    at = space + 1;
  }
  return false;
}

bool IsRangeJoin(std::string_view between);
bool StatesPeriodAfter(std::string_view t, size_t end);
std::optional<std::string> PeriodAtStart(std::string_view s);

// The pay period written right after `end` ("50,000 per year", "$20/hr",
// "\u00a3500pd"), or none.
std::optional<std::string> PeriodAfter(std::string_view t, size_t end);

// A unit of time among CountsUnit's words ("month" of "6 month contract").
bool IsDurationWord(std::string_view word) {
  static const std::unordered_set<std::string> kDurations = {
      "h", "hr", "hrs", "hour", "hours", "day", "days", "week", "weeks", "wk", "wks", "month", "months",
      "year", "years", "yr", "yrs", "stunde", "stunden", "tag", "tage", "wochen", "monate", "jahre", "heure",
      "heures", "jour", "jours", "semaines", "ans", "horas", "dias", "d\u00edas", "semanas", "meses", "anos",
      "a\u00f1os"};
  return kDurations.contains(ascii::ToLower(word));
}

bool SignedAmountAfter(std::string_view t, size_t from, std::string_view country) {
  // Near it only: a field of addresses stays linear.
  for (size_t p = from + 1; p < t.size() && p - from <= 48; ++p) {
    size_t edge = 0;
    if (ascii::IsDigit(t[p]) && !ascii::IsDigit(t[p - 1])) {
      const std::string sign = CurrencyBefore(t, p, edge);
      if (!sign.empty() && !ForeignLocalSign(sign, country)) return true;
    } else if (!ascii::IsDigit(t[p]) && ascii::IsDigit(t[p - 1]) && SignAfter(t, p, country)) {
      return true;
    }
  }
  return false;
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

bool Contains(std::string_view folded, std::string_view phrase) {
  for (size_t at = folded.find(phrase); at != std::string_view::npos; at = folded.find(phrase, at + 1)) {
    bool start = at == 0 || !IsLetterByte(folded[at - 1]);
    size_t after = at + phrase.size();
    bool end = after >= folded.size() || !IsLetterByte(folded[after]);
    if (start && end) return true;
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
bool NamesExtraPay(std::string_view clause, const Amount& a) {
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
  for (size_t i = 0; i < after.size() && i < 4; ++i) {
    if (kExtra.contains(after[i])) {
      return i + 1 == after.size() || (after[i + 1] != "eligible" && after[i + 1] != "eligibility");
    }
    if (stops(after[i])) break;
  }
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

// "up to $90k": only a maximum; "from $90k", "$90k+": only a minimum.
enum class Bound { kBoth, kMinOnly, kMaxOnly };
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

// A currency token as an ISO code: the posting's country picks among the
// currencies a symbol may mean; otherwise the first, as a guess.
std::optional<std::string> ResolveCurrency(std::string_view token, std::string_view country, bool& guessed) {
  const Tables& t = Tables::Get();
  guessed = false;
  if (IsIsoCode(token)) return std::string(token);
  auto it = t.currency_symbols.find(std::string(token));
  if (it == t.currency_symbols.end()) {
    // Words match in any case ("Dollars").
    std::string lower;
    for (char c : token) lower.push_back(ascii::ToLower(c));
    it = t.currency_symbols.find(lower);
  }
  if (it == t.currency_symbols.end() || it->second.empty()) return std::nullopt;
  const auto& options = it->second;
  // A sign only some countries write money with ("VT", "KM", "TL", "R")
  // is decided on their boards only; elsewhere it is at most a guess.
  if (ForeignLocalSign(it->first, country)) {
    guessed = true;
    return options.front();
  }
  if (options.size() == 1) return options.front();
  if (auto c = t.countries.find(std::string(country)); c != t.countries.end()) {
    if (std::find(options.begin(), options.end(), c->second.currency) != options.end()) return c->second.currency;
  }
  guessed = true;
  return options.front();
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
    // "$120-150k": the first bound takes the second's multiplier.
    const bool carried = lo.multiplier == 1 && hi.multiplier > 1 && lo.raw < 1000;
    const double ratio = hi.value() / (carried ? lo.raw * hi.multiplier : lo.value());
    const std::string_view between = std::string_view(t).substr(lo.end, hi.begin - lo.end);
    if (!IsRangeJoin(between)) {
      // One amount or another of the same sign, the second larger but at
      // most twice the first, is a range ("$85K/95K", "$85K or $95K");
      // not an hourly and a yearly figure ("$20/hr or $45,000/yr"), nor a
      // number after a slash ("$25/1099").
      const bool same_sign = !lo.currency.empty() && !ForeignLocalSign(lo.currency, country) &&
                             (hi.currency.empty() || hi.currency == lo.currency);
      if (!IsAlternativeJoin(between) || !same_sign || ratio <= 1 || ratio > 2) return false;
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
    if (NamesExtraPay(clause, a) && !OnTargetEarnings(t, amounts[k])) return std::nullopt;
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
    // monthly"): an amount of a year's size stays a year's; a smaller one
    // takes the word's period ("$2,000 paid monthly", "$3,000 bi-weekly").
    Salary sized = s;
    sized.period.reset();
    InferPeriod(sized, lakh, country);
    if (sized.period == "YEAR") s.period = "YEAR";
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
