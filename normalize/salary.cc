#include "normalize/salary.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_set>
#include <vector>

#include "model/ascii.h"
#include "model/decimal.h"
#include "normalize/tables.h"
#include "normalize/text.h"

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
                      token.size() == 1 && ascii::IsAlpha(token.front())});
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
  if (alphabetic) {
    if (at > 0 && IsLetterByte(text[at - 1]) && ascii::IsAlpha(token.front())) return false;
    // "5K 10K": the K after a number is its multiplier, never the next one's sign.
    if (t.letter && at > 0 && ascii::IsDigit(text[at - 1])) return false;
    size_t after = at + token.size();
    if (after < text.size() && IsLetterByte(text[after]) && ascii::IsAlpha(token.back())) return false;
  }
  return true;
}

// The currency token ending right before `end` (spaces skipped), or empty.
std::string CurrencyBefore(std::string_view text, size_t end, size_t& begin) {
  while (end > 0 && text[end - 1] == ' ') --end;
  for (const CurrencyToken& token : CurrencyTokenInfo()) {
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
  for (const CurrencyToken& token : CurrencyTokenInfo()) {
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
  double value() const { return raw * multiplier; }
};

// A multiplier word right after a number ("k", "lakh", "crore", "LPA";
// "mil", a thousand in Portuguese and Spanish, when `mil_thousand`).
void ReadMultiplier(std::string_view t, Amount& a, bool mil_thousand) {
  size_t i = a.end;
  size_t spaced = i;
  while (spaced < t.size() && t[spaced] == ' ') ++spaced;
  struct Word {
    std::string_view word;
    double factor;
    bool needs_attached;  // no space allowed before it
    bool lakh;
    bool per_annum;
  };
  static constexpr Word kWords[] = {
      {"lpa", 1e5, false, true, true},      {"lakhs", 1e5, false, true, false},
      {"lakh", 1e5, false, true, false},    {"lacs", 1e5, false, true, false},
      {"lac", 1e5, false, true, false},     {"crores", 1e7, false, true, false},
      {"crore", 1e7, false, true, false},   {"cr", 1e7, false, true, false},
      {"million", 1e6, false, false, false}, {"mio", 1e6, false, false, false},
      {"mn", 1e6, true, false, false},      {"mm", 1e6, true, false, false},
      {"thousand", 1e3, false, false, false}, {"tsd", 1e3, false, false, false},
      {"mil", 1e3, false, false, false},
      {"k", 1e3, false, false, false},      {"m", 1e6, true, false, false},
      {"\u4e07", 1e4, true, false, false},
      {"l", 1e5, true, true, false}};
  for (const Word& w : kWords) {
    size_t at = w.needs_attached ? i : spaced;
    if (!ascii::StartsWithIgnoreCase(t.substr(at), w.word)) continue;
    size_t after = at + w.word.size();
    // CJK writes no space after a word: "500\u4e07\u5186".
    if (after < t.size() && IsLetterByte(t[after]) && ascii::IsAscii(w.word.front())) continue;
    if (w.word == "l" && t[at] != 'L') continue;  // "12L", never "12 l"
    if (w.word == "mil" && !mil_thousand) continue;  // English "5 mil" (film)
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
  for (const CurrencyToken& token : CurrencyTokenInfo()) {
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
  while (end < t.size() && IsLetterByte(t[end])) ++end;
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
      "meters", "metre", "metres", "ft", "feet", "foot", "sq", "sqft", "acre", "acres", "kg", "kgs", "kilo",
      "kilos", "lb", "lbs", "ton", "tons", "tonnes", "kb", "mb", "gb", "tb", "kbps", "mbps", "gbps", "hz",
      "khz", "mhz", "ghz", "kw", "kwh", "mw", "%", "percent", "pct",
      // races; openings ("$75,000 - 2 positions")
      "run", "race", "walk", "steps", "positions", "openings", "vacancies", "hires"};
  const std::string lower = ascii::ToLower(word);
  if (kUnits.contains(lower)) return Unit::kAlways;
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

// Where a country writes its postcode beside the city name (Universal
// Postal Union's addressing formats): before it ("10115 Berlin", "75001
// Paris"), after it ("Bangalore 560001", "Singapore 018956"), or either.
enum class PostcodeSide { kBefore, kAfter, kEither };

// Is `folded` a city in a country whose postcodes are numbers of `digits`
// digits (UPU: 5 in Germany, France, Italy, Spain, Mexico; 4 in Austria,
// Switzerland, Belgium, Denmark, Norway, Australia; 6 in India, China,
// Russia, Singapore), written on `side` of the city? Not in the UK or
// Canada, whose postcodes have letters: there "London 45000" is pay; nor
// the US, whose ZIP follows the state ("Dallas 75000" is pay).
bool IsCityWithPostcodesOf(const std::string& folded, size_t digits, PostcodeSide side) {
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
  if (folded.empty()) return false;
  auto it = Tables::Get().cities.find(folded);
  if (it == Tables::Get().cities.end()) return false;
  for (const CityInfo& city : it->second) {
    for (const Format& f : kFormats) {
      if (city.country == f.country && f.digits == digits && (f.side == side || f.side == kEither)) return true;
    }
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
// postcodes it looks like ("Berlin 10115", "75001 Paris"); a street or suite number ("1600
// Amphitheatre Parkway", "Suite 1200", "Hauptstraße 12", "12 rue de la
// Paix"). With a sign of money after the number (`sign_after`: "Paris
// 45000 EUR", "l\u00f6n 45000 kr") only a leading zero or a ZIP after its
// state make it an address. Moves `a.end` past a ZIP's "-1234".
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
    for (int n = 1; n <= 3; ++n) {
      size_t begin = 0;
      const std::string words = WordsBefore(t, a.begin, n, begin);
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
  if (digits >= 4 && digits <= 6 && !range_bound) {
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
    ReadMultiplier(t, a, mil_thousand);
    // "R2D2", "Kr3": a name, not money; against one letter, only an amount
    // of money's size is money ("R40,000", "K5k"; "Q4", "L3", "K12" are not).
    if (glued && ((a.end < t.size() && ascii::IsAlpha(t[a.end])) || a.value() < 10 ||
                  (glued_to->letter && a.value() < 1000))) {
      i = a.end;
      continue;
    }
    size_t cur_begin = 0, cur_end = 0;
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
      const bool pay_sign = country.empty() && !a.digits_only;
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
    // A sign written right before the next number is that number's ("Band 6
    // \u00a335,392": the pound is not the band's).
    std::string after = CurrencyAfter(t, a.end, cur_end);
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
    if (!period_stated && ShortLetterSign(a.currency) && a.value() < 10) {
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
                                                 "до", "-до"};
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

// Does a pay period follow `end` ("50,000 per year", "$20/hr")?
bool StatesPeriodAfter(std::string_view t, size_t end) {
  const std::string s = Fold(t.substr(end, 32), "/.");
  for (const auto& [phrase, period] : Tables::Get().salary_periods) {
    if (s.starts_with(phrase) && (s.size() == phrase.size() || !IsLetterByte(s[phrase.size()]))) return true;
  }
  return false;
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
  return std::nullopt;
}

// The period that labels the amount starting at `begin`: "Annual salary:
// $90k", "Salary (annual): $50,000", "Stundenlohn: 14 \u20ac", "Hourly
// rate up to $25". A period after a slash is written after an amount,
// never before it: the "/d" of "(m/w/d)" is no label.
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
    if (at == 0 || !IsLetterByte(s[at - 1])) return period;
  }
  return std::nullopt;
}

// "up to $90k": only a maximum; "from $90k", "$90k+": only a minimum.
enum class Bound { kBoth, kMinOnly, kMaxOnly };
Bound BoundBefore(std::string_view text, size_t begin) {
  std::string before = Fold(text.substr(0, begin));
  if (before.size() > 24) before = before.substr(before.size() - 24);
  for (std::string_view w : {"up to", "upto", "max", "maximum", "bis zu", "ate", "hasta", "jusqu a",
                             "jusqu", "до", "under", "below"}) {
    if (Contains(before, w) && before.ends_with(w)) return Bound::kMaxOnly;
  }
  for (std::string_view w : {"from", "starting at", "starting from", "min", "minimum", "at least", "ab",
                             "desde", "a partir de", "from only", "від", "от"}) {
    if (Contains(before, w) && before.ends_with(w)) return Bound::kMinOnly;
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
// its currency says hourly, monthly or yearly; in between, not stated.
// Amounts counted in lakh are yearly.
void InferPeriod(Salary& s, bool lakh) {
  const auto& ranges = Tables::Get().salary_ranges;
  auto it = s.currency ? ranges.find(*s.currency) : ranges.end();
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
      bool start = at == 0 || !IsLetterByte(folded[at - 1]) || phrase.front() == '/';
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
  // Two amounts make a range when a join stands between them, but not a
  // bare number of digits before one with its sign written before it
  // ("Job 4567 - $45/hr", "12345 - $90,000": an id; "$50k - $60k" and
  // "50,000 - $60,000" are ranges).
  auto range_at = [&](size_t k) {
    const Amount& lo = amounts[k];
    const Amount& hi = amounts[k + 1];
    if (lo.currency.empty() && lo.digits_only && lo.multiplier == 1 && hi.sign_before) return false;
    return IsRangeJoin(std::string_view(t).substr(lo.end, hi.begin - lo.end));
  };
  // Is amount `k` extra pay by the words of its own clause ("$5,000
  // sign-on bonus! $22/hour": the bonus's words are not the $22's)?
  auto own_extra_pay = [&](size_t k) {
    const Amount& a = amounts[k];
    const size_t left = k > 0 ? amounts[k - 1].end : 0;
    const size_t right = k + 1 < amounts.size() ? amounts[k + 1].begin : t.size();
    auto clause_break = [](char c) { return c == ',' || c == ';' || c == '!' || c == '|' || c == '(' || c == ')'; };
    size_t l = a.begin;
    while (l > left && a.begin - l < 32 && !clause_break(t[l - 1])) --l;
    size_t r = a.end;
    while (r < right && r - a.end < 32 && !clause_break(t[r])) ++r;
    return ExtraPay(std::string_view(t).substr(l, r - l), Amount{.begin = a.begin - l, .end = a.end - l});
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
  auto bare_small = [&](const Amount& a) {
    return (a.currency.empty() && a.multiplier == 1 && a.value() < 1000) || ForeignLocalSign(a.currency, country);
  };
  auto bare = [&](const Amount& a) { return a.currency.empty() && !StatesPeriodAfter(t, a.end); };
  auto joined = [&](size_t k) { return k + 1 < amounts.size() && range_at(k); };
  size_t first = 0;
  while (first < amounts.size()) {
    const size_t next = joined(first) ? first + 2 : first + 1;
    bool skip = next < amounts.size();
    bool small = true;
    for (size_t k = first; k < next && skip; ++k) {
      if (!bare_small(amounts[k])) {
        small = false;
        skip = bare(amounts[k]);
      }
    }
    bool money_follows = false;
    for (size_t k = next; k < amounts.size() && !money_follows; ++k) {
      money_follows = !amounts[k].currency.empty() && !ForeignLocalSign(amounts[k].currency, country) &&
                      (small || !ExtraPay(t, amounts[k]));
    }
    if (!skip || !money_follows) {
      // Signed extra pay before the pay gives way to it, as after it.
      bool extra = false;
      for (size_t k = first; k < next && !extra; ++k) extra = !amounts[k].currency.empty() && own_extra_pay(k);
      bool pay_follows = false;
      for (size_t k = next; k < amounts.size() && extra && !pay_follows; ++k) {
        pay_follows = !amounts[k].currency.empty() && !ForeignLocalSign(amounts[k].currency, country) &&
                      !own_extra_pay(k);
      }
      if (!pay_follows) break;
    }
    first = next;
  }
  Amount lo = amounts[first];
  std::optional<Amount> hi;
  if (amounts.size() > first + 1 && range_at(first)) {
    hi = amounts[first + 1];
    // "$120-150k", "6-9 LPA": the second amount's multiplier, currency and
    // kind carry over to a bare first one.
    if (lo.multiplier == 1 && hi->multiplier > 1 && lo.raw < 1000) {
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
  Salary s;
  // Extra pay read because no pay is stated beside it ("$15,000 Sign-On
  // Bonus"); on-target earnings alone are the pay.
  for (size_t k = first; k < (hi ? first + 2 : first + 1) && !s.extra_pay; ++k) {
    s.extra_pay = own_extra_pay(k) && !OnTargetEarnings(t, amounts[k]);
  }
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
  s.period = stated ? stated : PeriodOf(elsewhere);

  const bool has_multiplier = lo.multiplier > 1 || (hi && hi->multiplier > 1);
  const double top = hi ? std::max(lo.value(), hi->value()) : lo.value();
  // A bare number is no salary ("2024", "3 days"): some sign of money is needed.
  if (token.empty() && !s.period && !has_multiplier && top < 1000) return std::nullopt;
  // A year is no amount, also after a sign of one or two letters that is
  // an abbreviation too ("BD 2024 intern", "TL 2025": business
  // development, team lead).
  const bool short_sign = ShortLetterSign(token) && lo.digits_only;
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
      if (!hi && lo.end < t.size() && t[lo.end] == '+') s.max.reset();
      break;
    case Bound::kMinOnly: s.min = lo.value(); break;
    case Bound::kMaxOnly: s.max = lo.value(); break;
  }
  if (s.min && s.max && *s.min > *s.max) std::swap(s.min, s.max);
  if (s.min && !StatedAmount(*s.min)) s.min.reset();
  if (s.max && !StatedAmount(*s.max)) s.max.reset();
  if (!s.min && !s.max) return std::nullopt;
  if (!Plausible(s.min) || !Plausible(s.max)) return std::nullopt;

  ApplyMultiPeriod(s, t);
  if (!s.period) InferPeriod(s, lakh);
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
  if (!s.period) InferPeriod(s, false);  // as for the same amounts written as text
  Annualize(s);
  return s;
}

}  // namespace jobtrawl::normalize
