#include "model/date_time.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <vector>

#include "model/ascii.h"

namespace jobtrawl {
namespace {

using std::chrono::sys_seconds;

// Broken-down time as written, before the offset is applied.
struct Civil {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  long offset = 0;  // seconds east of UTC
  bool has_time = false;
};

// A non-negative decimal of 1..9 digits; -1 otherwise.
int Number(std::string_view s) {
  if (s.empty() || s.size() > 9) return -1;
  int v = -1;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && ptr == s.data() + s.size() ? v : -1;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!ascii::IsDigit(c)) return false;
  }
  return true;
}

// The UTC instant of `c`, or nullopt when a field is out of its range or the
// result falls outside the years kMinDateYear..max_year.
std::optional<sys_seconds> ToSeconds(const Civil& c, int max_year) {
  using namespace std::chrono;
  if (c.year < kMinDateYear - 1 || c.year > max_year + 1) return std::nullopt;
  const year_month_day ymd{year{c.year}, month{static_cast<unsigned>(c.month)},
                           day{static_cast<unsigned>(c.day)}};
  if (c.month < 1 || c.month > 12 || c.day < 1 || !ymd.ok()) return std::nullopt;
  if (c.hour < 0 || c.hour > 23 || c.minute < 0 || c.minute > 59 || c.second < 0 || c.second > 60) {
    return std::nullopt;
  }
  const sys_seconds t = sys_days(ymd) + hours(c.hour) + minutes(c.minute) + seconds(c.second) -
                        seconds(c.offset);
  if (t < sys_days(year{kMinDateYear} / January / 1) || t >= sys_days(year{max_year + 1} / January / 1)) {
    return std::nullopt;
  }
  return t;
}

std::optional<DateTime> Finish(const Civil& c, int max_year) {
  auto t = ToSeconds(c, max_year);
  if (!t) return std::nullopt;
  return DateTime{*t, c.has_time};
}

// "+hh:mm", "+hhmm" or "+hh" (also '-'); seconds east of UTC.
std::optional<long> NumericOffset(std::string_view z) {
  if (z.size() < 3 || (z[0] != '+' && z[0] != '-')) return std::nullopt;
  const long sign = z[0] == '-' ? -1 : 1;
  z.remove_prefix(1);
  int hh = -1, mm = 0;
  if (z.size() == 2) {
    hh = Number(z);
  } else if (z.size() == 4 && AllDigits(z)) {
    hh = Number(z.substr(0, 2)), mm = Number(z.substr(2));
  } else if (z.size() == 5 && z[2] == ':' && AllDigits(z.substr(0, 2)) && AllDigits(z.substr(3))) {
    hh = Number(z.substr(0, 2)), mm = Number(z.substr(3));
  } else {
    return std::nullopt;
  }
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return std::nullopt;
  return sign * (hh * 3600L + mm * 60L);
}

// The offset after "GMT" or "UTC": as NumericOffset reads it, or with one
// hour digit ("GMT-8", "UTC+5:30", "GMT+1"), as JavaScript and servers
// write it.
std::optional<long> OffsetAfterGmt(std::string_view rest) {
  if (rest.empty() || (rest[0] != '+' && rest[0] != '-')) return std::nullopt;
  if (rest.size() >= 2 && ascii::IsDigit(rest[1]) && (rest.size() == 2 || !ascii::IsDigit(rest[2]))) {
    std::string padded{rest[0], '0'};
    padded.append(rest.substr(1));
    return NumericOffset(padded);
  }
  return NumericOffset(rest);
}

// "HH:MM[:SS[.fff]]" or, when `basic`, "HHMM[SS[.fff]]", filling c.
bool ReadClock(std::string_view s, bool basic, Civil& c) {
  if (std::size_t dot = s.find_first_of(".,"); dot != std::string_view::npos) {
    if (!AllDigits(s.substr(dot + 1))) return false;
    s = s.substr(0, dot);
  }
  std::string_view h, m, sec;
  if (basic) {
    if (s.size() != 4 && s.size() != 6) return false;
    h = s.substr(0, 2), m = s.substr(2, 2), sec = s.size() == 6 ? s.substr(4) : "0";
  } else {
    const std::size_t colon = s.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2) return false;
    h = s.substr(0, colon);
    std::string_view rest = s.substr(colon + 1);
    m = rest.substr(0, 2);
    rest.remove_prefix(m.size());
    if (m.size() != 2) return false;
    if (rest.empty()) {
      sec = "0";
    } else if (rest.size() == 3 && rest[0] == ':') {
      sec = rest.substr(1);
    } else {
      return false;
    }
  }
  if (!AllDigits(h) || !AllDigits(m) || !AllDigits(sec)) return false;
  c.hour = Number(h), c.minute = Number(m), c.second = Number(sec);
  c.has_time = true;
  return true;
}

// The zone names RFC 5322 §3.3 and §4.3 define ("UT", "GMT", the US ones)
// and "UTC", "Z"; then the abbreviations the IANA tz database prints for
// exactly one UTC offset that no other zone in common use shares (see the
// header: CET, EEST, JST, AEST...). Any ASCII case; seconds east of UTC.
std::optional<long> NamedZone(std::string_view w) {
  static constexpr std::pair<std::string_view, int> kNamed[] = {  // minutes east of UTC
      {"UT", 0},      {"UTC", 0},     {"GMT", 0},     {"Z", 0},       {"EST", -300},  {"EDT", -240},
      {"CST", -360},  {"CDT", -300},  {"MST", -420},  {"MDT", -360},  {"PST", -480},  {"PDT", -420},
      // tzdata "europe": the western, central and eastern European zones, Moscow.
      {"WET", 0},     {"WEST", 60},   {"CET", 60},    {"CEST", 120},  {"EET", 120},   {"EEST", 180},
      {"MSK", 180},
      // tzdata "africa", "asia", "australasia", "northamerica".
      {"SAST", 120},  {"PKT", 300},   {"WIB", 420},   {"HKT", 480},   {"AWST", 480},  {"JST", 540},
      {"KST", 540},   {"ACST", 570},  {"ACDT", 630},  {"AEST", 600},  {"AEDT", 660},  {"NZST", 720},
      {"NZDT", 780},  {"HST", -600},  {"AKST", -540}, {"AKDT", -480}};
  for (const auto& [name, minutes] : kNamed) {
    if (ascii::EqualsIgnoreCase(w, name)) return minutes * 60L;
  }
  return std::nullopt;
}

// RFC 9557 suffixes after an RFC 3339 offset ("[Europe/Paris]",
// "[!Europe/Paris]", "[u-ca=gregory]", as Java's ZonedDateTime writes the
// first): `zone` without them. They only name the zone, the offset decides,
// so they are dropped; nullopt when one is malformed or no offset precedes.
std::optional<std::string_view> WithoutSuffixes(std::string_view zone) {
  const std::size_t open = zone.find('[');
  if (open == std::string_view::npos) return zone;
  if (open == 0) return std::nullopt;
  for (std::string_view rest = zone.substr(open); !rest.empty();) {
    const std::size_t close = rest.find(']');
    if (rest[0] != '[' || close == std::string_view::npos || close < 2 ||
        rest.substr(1, close - 1).find('[') != std::string_view::npos) {
      return std::nullopt;
    }
    rest.remove_prefix(close + 1);
  }
  return ascii::TrimRight(zone.substr(0, open), ascii::IsBlank);
}

// A zone after an ISO-like clock, as programs write it: a numeric offset
// ("-08:00", "-0800"), that offset followed by the zone's abbreviation
// ("-0800 PST", Go's time.Time.String; "-0800 (PST)"), which only names it,
// or GMT/UTC with an offset of one or two hour digits ("GMT-8", "UTC+5:30",
// JavaScript's Date.toString). Seconds east of UTC; nullopt otherwise.
std::optional<long> ZoneOffset(std::string_view zone) {
  if (auto numeric = NumericOffset(zone)) return numeric;
  if (const std::size_t blank = zone.find(' '); blank != std::string_view::npos) {
    std::string_view name = ascii::Trim(zone.substr(blank + 1));
    if (name.size() >= 2 && name.front() == '(' && name.back() == ')') name = name.substr(1, name.size() - 2);
    const bool abbreviation = !name.empty() && name.size() <= 6 &&
                              std::all_of(name.begin(), name.end(), [](char ch) { return ascii::IsAlpha(ch); });
    if (abbreviation) return NumericOffset(zone.substr(0, blank));
    return std::nullopt;
  }
  for (std::string_view prefix : {"GMT", "UTC"}) {
    if (!ascii::StartsWithIgnoreCase(zone, prefix) || zone.size() <= prefix.size()) continue;
    return OffsetAfterGmt(zone.substr(prefix.size()));
  }
  return std::nullopt;
}

// The day of an ISO 8601 week date (§5.2.3: week 1 holds the year's
// first Thursday, day 1 is Monday) into c's year, month and day; false for
// a week the year does not have.
bool FromWeekDate(int year, int week, int day_of_week, Civil& c) {
  using namespace std::chrono;
  if (year < kMinDateYear - 1 || year > 9999 || week < 1 || week > 53 || day_of_week < 1 || day_of_week > 7) {
    return false;
  }
  const sys_days jan4 = std::chrono::year{year} / January / 4;
  const sys_days week1 = jan4 - days(weekday{jan4}.iso_encoding() - 1);
  // A year has 53 weeks when its 28 December is in week 53.
  const sys_days dec28 = std::chrono::year{year} / December / 28;
  if (week > (dec28 - week1).count() / 7 + 1) return false;
  const year_month_day ymd{week1 + days((week - 1) * 7 + day_of_week - 1)};
  c.year = static_cast<int>(ymd.year()), c.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  c.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  return true;
}

// ISO 8601 dates and times, extended or basic; RFC 3339. Besides calendar
// dates, week dates ("2026-W47-1", "2026W471") and ordinal dates
// ("2026-320"), §5.2.3 and §5.2.2.
std::optional<DateTime> Iso8601(std::string_view s, int max_year) {
  Civil c;
  std::string_view rest;
  bool basic = false;
  auto ends_date = [&s](std::size_t at) { return s.size() == at || s[at] == 'T' || s[at] == 't' || s[at] == ' '; };
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-' && AllDigits(s.substr(0, 4)) &&
      AllDigits(s.substr(5, 2)) && AllDigits(s.substr(8, 2))) {
    c.year = Number(s.substr(0, 4)), c.month = Number(s.substr(5, 2)), c.day = Number(s.substr(8, 2));
    rest = s.substr(10);
  } else if (s.size() >= 8 && AllDigits(s.substr(0, 8)) && (s.size() == 8 || s[8] == 'T' || s[8] == 't')) {
    basic = true;
    c.year = Number(s.substr(0, 4)), c.month = Number(s.substr(4, 2)), c.day = Number(s.substr(6, 2));
    rest = s.substr(8);
  } else if (s.size() >= 10 && s[4] == '-' && (s[5] == 'W' || s[5] == 'w') && s[8] == '-' &&
             AllDigits(s.substr(0, 4)) && AllDigits(s.substr(6, 2)) && AllDigits(s.substr(9, 1)) && ends_date(10)) {
    if (!FromWeekDate(Number(s.substr(0, 4)), Number(s.substr(6, 2)), Number(s.substr(9, 1)), c)) return std::nullopt;
    rest = s.substr(10);
  } else if (s.size() >= 8 && (s[4] == 'W' || s[4] == 'w') && AllDigits(s.substr(0, 4)) &&
             AllDigits(s.substr(5, 3)) && (s.size() == 8 || s[8] == 'T' || s[8] == 't')) {
    basic = true;
    if (!FromWeekDate(Number(s.substr(0, 4)), Number(s.substr(5, 2)), Number(s.substr(7, 1)), c)) return std::nullopt;
    rest = s.substr(8);
  } else if (s.size() >= 8 && s[4] == '-' && AllDigits(s.substr(0, 4)) && AllDigits(s.substr(5, 3)) && ends_date(8)) {
    using namespace std::chrono;
    const int y = Number(s.substr(0, 4)), ordinal = Number(s.substr(5, 3));
    const bool leap = std::chrono::year{y}.is_leap();
    if (ordinal < 1 || ordinal > (leap ? 366 : 365)) return std::nullopt;
    const year_month_day ymd{sys_days(std::chrono::year{y} / January / 1) + days(ordinal - 1)};
    c.year = y, c.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    c.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    rest = s.substr(8);
  } else {
    return std::nullopt;
  }
  if (rest.empty()) return Finish(c, max_year);
  // A date with a zone and no time (XML Schema's xs:date, "2026-11-16Z",
  // "2026-11-16+01:00"): the day as written; the zone only says where.
  if (!basic && (rest == "Z" || rest == "z" || ((rest[0] == '+' || rest[0] == '-') && rest.size() == 6 &&
                                                 NumericOffset(rest)))) {
    return Finish(c, max_year);
  }
  if (rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ') return std::nullopt;
  rest.remove_prefix(1);
  // The clock runs to the zone: 'Z', a sign, or a blank before a zone name.
  std::size_t end = 0;
  while (end < rest.size() && (ascii::IsDigit(rest[end]) || rest[end] == ':' || rest[end] == '.' ||
                               rest[end] == ',')) {
    ++end;
  }
  if (!ReadClock(rest.substr(0, end), basic, c)) return std::nullopt;
  const auto zone = WithoutSuffixes(ascii::TrimLeft(rest.substr(end), ascii::IsBlank));
  if (!zone) return std::nullopt;
  if (zone->empty()) return Finish(c, max_year);
  if (auto named = NamedZone(*zone)) {
    c.offset = *named;
    return Finish(c, max_year);
  }
  // Any offset RFC 3339 §5.6 can write (hours 00-23), not only those of
  // zones in use: "-23:59" is a day later in UTC, not the day written.
  auto offset = ZoneOffset(*zone);
  if (!offset) return std::nullopt;
  c.offset = *offset;
  return Finish(c, max_year);
}

std::optional<DateTime> FromEpoch(std::int64_t seconds) {
  const sys_seconds t{std::chrono::seconds(seconds)};
  const auto last = std::chrono::sys_days(std::chrono::year{kMaxDateYear + 1} / 1 / 1);
  if (seconds < 0 || t >= last) return std::nullopt;
  return DateTime{t, true};
}

// Epoch seconds or milliseconds as APIs send them.
std::optional<DateTime> Epoch(std::string_view s) {
  std::int64_t v = 0;
  // .NET JSON: "/Date(1763269051000)/", "/Date(1763269051000+0100)/",
  // milliseconds whatever their count.
  if (s.starts_with("/Date(") && s.ends_with(")/")) {
    s = s.substr(6, s.size() - 8);
    if (std::size_t sign = s.find_first_of("+-", 1); sign != std::string_view::npos) {
      if (!NumericOffset(s.substr(sign))) return std::nullopt;
      s = s.substr(0, sign);
    }
    if (!AllDigits(s) || s.size() > 15) return std::nullopt;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return FromEpoch(v / 1000);
  }
  const std::string_view whole = s.substr(0, s.find('.'));
  if (!AllDigits(whole) || whole.size() < 9 || whole.size() > 13) return std::nullopt;
  if (whole.size() < s.size() && (!AllDigits(s.substr(whole.size() + 1)) || whole.size() > 11)) {
    return std::nullopt;  // a fraction follows seconds only
  }
  std::from_chars(whole.data(), whole.data() + whole.size(), v);
  return FromEpoch(whole.size() >= 12 ? v / 1000 : v);
}

int MonthNumber(std::string_view w) {
  static constexpr std::array<std::string_view, 12> kNames{
      "january", "february", "march", "april", "may", "june", "july", "august",
      "september", "october", "november", "december"};
  if (w.size() < 3) return 0;
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    // "Nov", "November" and "Sept" name the month; "Novem" does not.
    if (ascii::EqualsIgnoreCase(w, kNames[i]) || ascii::EqualsIgnoreCase(w, kNames[i].substr(0, 3)) ||
        (i == 8 && ascii::EqualsIgnoreCase(w, "sept"))) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

bool IsDayName(std::string_view w) {
  static constexpr std::array<std::string_view, 7> kNames{"monday", "tuesday", "wednesday", "thursday",
                                                          "friday", "saturday", "sunday"};
  for (std::string_view name : kNames) {
    if (ascii::EqualsIgnoreCase(w, name) || ascii::EqualsIgnoreCase(w, name.substr(0, 3))) return true;
  }
  return false;
}

// RFC 5322 §3.3 and §4.3 zones; nullopt when `w` is not a zone.
std::optional<long> Zone(std::string_view w) {
  if (w.starts_with('+') || w.starts_with('-')) return NumericOffset(w);
  // "GMT+0100", "UTC-05:00", "GMT+1": JavaScript's Date.toString and others.
  for (std::string_view utc : {"GMT", "UTC", "UT"}) {
    if (ascii::StartsWithIgnoreCase(w, utc) && w.size() > utc.size() &&
        (w[utc.size()] == '+' || w[utc.size()] == '-')) {
      return OffsetAfterGmt(w.substr(utc.size()));
    }
  }
  if (auto named = NamedZone(w)) return named;
  // Military letters (RFC 5322 §4.3: their signs were defined backwards in
  // RFC 822) and other alphabetic zones whose meaning is not known (IST,
  // BST, AST: each names several offsets) are "-0000": UTC, with no local
  // time known.
  if (w.size() >= 1 && w.size() <= 5) {
    for (char c : w) {
      if (!ascii::IsAlpha(c)) return std::nullopt;
    }
    return 0;
  }
  return std::nullopt;
}

// RFC 5322 §3.3 year: 4+ digits as written; §4.3: 2 digits 00-49 are
// 2000-2049 and 50-99 are 1950-1999, 3 digits are added to 1900.
int YearOf(std::string_view digits) {
  const int y = Number(digits);
  if (y < 0) return -1;
  if (digits.size() == 2) return y < 50 ? 2000 + y : 1900 + y;
  if (digits.size() == 3) return 1900 + y;
  if (digits.size() == 4) return y;
  return -1;
}

// RFC 9110 §5.6.7: the year of an rfc850-date's two digits `yy`, the
// month, day and time in `c`, read against `reference`: the year with those
// last two digits that is not more than 50 years after it (a timestamp
// that "appears to be more than 50 years in the future" is "the most recent
// year in the past that had the same last two digits").
int Rfc850Year(int yy, Civil c, sys_seconds reference) {
  using namespace std::chrono;
  const days ref_day = floor<days>(reference.time_since_epoch());
  const year_month_day ref{sys_days(ref_day)};
  const int ref_year = static_cast<int>(ref.year());
  // reference + 50 years (29 February to 1 March when that year has none).
  year_month_day later{ref.year() + years(50), ref.month(), ref.day()};
  if (!later.ok()) later = year_month_day{ref.year() + years(50), March, day{1}};
  const sys_seconds limit = sys_days(later) + (reference - sys_seconds(ref_day));
  // Beyond the limit: by the instant when the day exists in that year, else
  // by the year alone ("29-Feb" of a year that has none is refused later).
  const auto beyond = [&](int y) {
    c.year = y;
    if (auto t = ToSeconds(c, 9999)) return *t > limit;
    return y > static_cast<int>(later.year());
  };
  int y = ref_year - ref_year % 100 + yy;
  if (beyond(y)) return y - 100;
  if (!beyond(y + 100)) return y + 100;
  return y;
}

// The RFC 5322 family, RFC 9110's three HTTP-date forms, ctime/asctime and
// the same fields in other orders, told apart by what each token is. An
// rfc850-date's two-digit year follows RFC 9110 §5.6.7 against `reference`
// when there is one, else RFC 5322 §4.3.
std::optional<DateTime> MailLike(std::string_view s, int max_year, std::optional<sys_seconds> reference) {
  // Comments (RFC 5322 CFWS) are dropped, nested ones included.
  std::string text;
  int depth = 0;
  for (char c : s) {
    if (c == '(') {
      ++depth;
    } else if (c == ')' && depth > 0) {
      --depth;
      text.push_back(' ');
    } else if (depth == 0) {
      text.push_back(c == ',' ? ' ' : c);
    }
  }
  if (depth > 0) return std::nullopt;  // an unclosed comment
  // RFC 5322 §4.2 obs-FWS: white space may also stand around the colons
  // of a time ("09 :   55  :  06").
  for (std::size_t colon = text.find(':'); colon != std::string::npos; colon = text.find(':', colon + 1)) {
    std::size_t left = colon, right = colon + 1;
    while (left > 0 && ascii::IsSpace(text[left - 1])) --left;
    while (right < text.size() && ascii::IsSpace(text[right])) ++right;
    text.erase(colon + 1, right - colon - 1);
    text.erase(left, colon - left);
    colon = left;
  }
  std::vector<std::string_view> tokens;
  for (std::string_view rest = text; !rest.empty();) {
    rest = ascii::TrimLeft(rest);
    std::size_t n = 0;
    while (n < rest.size() && !ascii::IsSpace(rest[n])) ++n;
    if (n > 0) tokens.push_back(rest.substr(0, n));
    rest.remove_prefix(n);
  }
  if (tokens.empty() || tokens.size() > 8) return std::nullopt;
  Civil c;
  std::vector<std::string_view> numbers;
  bool have_month = false, have_clock = false, have_zone = false, pm = false, am = false;
  bool numeric_zone = false, zone_named = false;  // "+0000 GMT": the name after the number only names it
  bool rfc850 = false;  // "06-Nov-94": the date of an rfc850-date
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    std::string_view w = tokens[i];
    if (i == 0 && IsDayName(w)) continue;
    if (!have_clock && w.find(':') != std::string_view::npos && ascii::IsDigit(w[0])) {
      if (!ReadClock(w, false, c)) return std::nullopt;
      have_clock = true;
      continue;
    }
    if (AllDigits(w)) {
      numbers.push_back(w);
      continue;
    }
    if (!have_month) {
      if (int m = MonthNumber(w)) {
        c.month = m;
        have_month = true;
        continue;
      }
      // RFC 850: "06-Nov-94".
      if (std::size_t d1 = w.find('-'); d1 != std::string_view::npos && d1 > 0) {
        std::size_t d2 = w.find('-', d1 + 1);
        std::string_view dd = w.substr(0, d1);
        if (d2 != std::string_view::npos && AllDigits(dd) && dd.size() <= 2) {
          if (int m = MonthNumber(w.substr(d1 + 1, d2 - d1 - 1))) {
            c.month = m;
            have_month = true;
            numbers.push_back(dd);
            std::string_view yy = w.substr(d2 + 1);
            if (!AllDigits(yy)) return std::nullopt;
            numbers.push_back(yy);
            rfc850 = true;
            continue;
          }
        }
      }
    }
    if (have_clock && !am && !pm) {
      if (ascii::EqualsIgnoreCase(w, "AM") || ascii::EqualsIgnoreCase(w, "a.m.")) {
        am = true;
        continue;
      }
      if (ascii::EqualsIgnoreCase(w, "PM") || ascii::EqualsIgnoreCase(w, "p.m.")) {
        pm = true;
        continue;
      }
    }
    if (have_clock && !have_zone) {
      if (auto z = Zone(w)) {
        c.offset = *z;
        have_zone = true;
        numeric_zone = w[0] == '+' || w[0] == '-';
        continue;
      }
    }
    if (numeric_zone && !zone_named && w.size() <= 5 &&
        std::all_of(w.begin(), w.end(), [](char ch) { return ascii::IsAlpha(ch); })) {
      zone_named = true;
      continue;
    }
    return std::nullopt;
  }
  if (!have_month || !have_clock || numbers.size() != 2) return std::nullopt;
  std::string_view day = numbers[0], year = numbers[1];
  // "1994 Nov 06": a year written first.
  if (day.size() >= 3 && year.size() <= 2) std::swap(day, year);
  if (day.size() > 2) return std::nullopt;
  c.day = Number(day);
  c.year = YearOf(year);
  if (c.year < 0) return std::nullopt;
  if (am || pm) {
    if (c.hour < 1 || c.hour > 12) return std::nullopt;
    c.hour = c.hour % 12 + (pm ? 12 : 0);
  }
  if (rfc850 && year.size() == 2 && reference) c.year = Rfc850Year(Number(year), c, *reference);
  return Finish(c, max_year);
}

// The words of `s`: runs of anything but ASCII white space and ASCII
// punctuation other than '+' ("30+", "30d+").
std::vector<std::string_view> RelativeWords(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    auto part = [](char c) { return !ascii::IsAscii(c) || ascii::IsAlnum(c) || c == '+'; };
    while (i < s.size() && !part(s[i])) ++i;
    std::size_t j = i;
    while (j < s.size() && part(s[j])) ++j;
    if (j > i) words.push_back(s.substr(i, j - i));
    i = j;
  }
  return words;
}

// True when `words` are `phrase`'s words (ASCII case ignored).
bool WordsAre(const std::vector<std::string_view>& words, std::string_view phrase) {
  std::size_t k = 0;
  for (std::string_view rest = phrase; !rest.empty();) {
    const std::size_t blank = rest.find(' ');
    if (k >= words.size() || !ascii::EqualsIgnoreCase(words[k], rest.substr(0, blank))) return false;
    ++k;
    rest.remove_prefix(blank == std::string_view::npos ? rest.size() : blank + 1);
  }
  return k == words.size();
}

// `now` less `seconds`: a calendar date (midnight UTC) when `calendar`;
// nullopt outside the stored years.
std::optional<DateTime> Before(Clock::time_point now, std::int64_t seconds, bool calendar) {
  using namespace std::chrono;
  const sys_seconds t = floor<std::chrono::seconds>(now) - std::chrono::seconds(seconds);
  const sys_seconds at = calendar ? sys_seconds(floor<days>(t)) : t;
  if (at < sys_days(year{kMinDateYear} / January / 1) || at >= sys_days(year{kMaxDateYear + 1} / January / 1)) {
    return std::nullopt;
  }
  return DateTime{at, !calendar};
}

}  // namespace

std::optional<DateTime> ParseRelativeDate(std::string_view text, Clock::time_point now) {
  if (text.size() > 200) return std::nullopt;
  const std::vector<std::string_view> words = RelativeWords(text);
  for (std::string_view w : {"today", "just posted", "just now", "new", "heute", "aujourd hui", "hoy", "hoje",
                             "posted today", "active today", "\u0441\u044c\u043e\u0433\u043e\u0434\u043d\u0456"}) {
    if (WordsAre(words, w)) return Before(now, 0, true);
  }
  for (std::string_view w : {"yesterday", "posted yesterday", "gestern", "hier", "ayer", "ontem",
                             "\u0432\u0447\u043e\u0440\u0430"}) {
    if (WordsAre(words, w)) return Before(now, 86400, true);
  }
  // "[posted|vor|il y a|hace|ha] N[+] unit[s] [ago]", and the compact
  // forms boards print with the number against its unit: "5h ago",
  // "2d ago", "3w ago", "1mo ago", "30d+ ago".
  int n = -1;
  std::string_view unit;
  bool compact = false;  // the number against its unit ("5d")
  for (std::string_view w : words) {
    std::string_view digits = w;
    if (digits.ends_with('+')) digits.remove_suffix(1);
    std::size_t d = 0;
    while (d < digits.size() && ascii::IsDigit(digits[d])) ++d;
    if (d > 0 && d == digits.size()) {
      n = Number(digits);
      unit = {};
      compact = false;
    } else if (d > 0 && std::all_of(digits.begin() + static_cast<std::ptrdiff_t>(d), digits.end(), ascii::IsAlpha)) {
      n = Number(digits.substr(0, d));
      unit = digits.substr(d);
      compact = true;
    } else if (n < 0 && (ascii::EqualsIgnoreCase(w, "a") || ascii::EqualsIgnoreCase(w, "an") ||
                         ascii::EqualsIgnoreCase(w, "one") || ascii::EqualsIgnoreCase(w, "ein") ||
                         ascii::EqualsIgnoreCase(w, "einem") || ascii::EqualsIgnoreCase(w, "un") ||
                         ascii::EqualsIgnoreCase(w, "une"))) {
      n = 1;
    } else if (n >= 0 && unit.empty()) {
      unit = w;
    }
  }
  if (n < 0 || unit.empty() || n > 3650) return std::nullopt;
  auto any_of = [](std::string_view w, std::initializer_list<std::string_view> list) {
    return std::any_of(list.begin(), list.end(), [&](std::string_view x) { return ascii::EqualsIgnoreCase(w, x); });
  };
  // A compact form is the whole field, or stands among the words that
  // lead or follow a relative date: "3D printing" and "5G rollout" are no
  // dates.
  if (compact) {
    for (std::string_view w : words) {
      std::string_view digits = w;
      if (digits.ends_with('+')) digits.remove_suffix(1);
      if (!digits.empty() && ascii::IsDigit(digits.front())) continue;
      if (!any_of(w, {"ago", "posted", "updated", "active", "in", "within", "expires", "closes", "ends", "left",
                      "apply", "vor", "noch"})) {
        return std::nullopt;
      }
    }
  }
  // Which way: "in 3 days", "3 days left", "5 days to go", "within a week",
  // "noch 3 Tage", "dans 3 jours", "en 3 dias", "em 3 dias" lie ahead of
  // `now` (a closing date); a past marker ("ago", "vor", "il y a", "hace",
  // "ha", "posted") wins when both appear.
  bool ahead = false, behind = false;
  for (std::string_view w : words) {
    if (any_of(w, {"ago", "vor", "il", "hace", "ha", "h\u00e1", "posted", "updated", "\u0442\u043e\u043c\u0443"})) {
      behind = true;
    }
    if (any_of(w, {"in", "within", "left", "remaining", "go", "expires", "closes", "ends", "noch", "dans", "en", "em",
                   "\u0447\u0435\u0440\u0435\u0437"})) {
      ahead = true;
    }
  }
  const std::int64_t sign = ahead && !behind ? -1 : 1;
  // Months are 30 days and years 365: the posting's day, not a calendar
  // computation, is what a board's "3 months ago" can tell.
  static constexpr std::pair<std::string_view, long> kUnits[] = {
      {"second", 1},       {"seconds", 1},     {"sec", 1},      {"secs", 1},     {"s", 1},
      {"minute", 60},      {"minutes", 60},    {"min", 60},     {"mins", 60},    {"minuten", 60},
      {"m", 60},  // "5m ago": minutes, as boards and feeds print them; months are "mo"
      {"hour", 3600},      {"hours", 3600},    {"hr", 3600},    {"hrs", 3600},   {"h", 3600},
      {"stunde", 3600},    {"stunden", 3600},  {"heure", 3600}, {"heures", 3600}, {"hora", 3600}, {"horas", 3600},
      {"day", 86400},      {"days", 86400},    {"d", 86400},    {"tag", 86400},  {"tage", 86400},  {"tagen", 86400},
      {"jour", 86400},     {"jours", 86400},   {"dia", 86400},  {"dias", 86400},
      {"\u0434\u043d\u0456", 86400},  {"\u0434\u043d\u0456\u0432", 86400},
      {"week", 604800},    {"weeks", 604800},  {"w", 604800},   {"wk", 604800},  {"wks", 604800},
      {"woche", 604800},   {"wochen", 604800}, {"semaine", 604800}, {"semaines", 604800},
      {"semana", 604800},  {"semanas", 604800},
      {"month", 2592000},  {"months", 2592000}, {"mo", 2592000}, {"mos", 2592000}, {"mth", 2592000},
      {"mths", 2592000},   {"monat", 2592000}, {"monaten", 2592000},
      {"mois", 2592000},   {"mes", 2592000},   {"meses", 2592000},
      {"year", 31536000},  {"years", 31536000}, {"yr", 31536000}, {"yrs", 31536000}, {"y", 31536000},
      {"jahr", 31536000},  {"jahren", 31536000}};
  for (const auto& [name, seconds] : kUnits) {
    if (ascii::EqualsIgnoreCase(unit, name)) return Before(now, sign * std::int64_t{n} * seconds, seconds >= 86400);
  }
  return std::nullopt;
}

std::optional<DateTime> ParseDateTime(std::string_view text, std::optional<sys_seconds> reference) {
  const std::string_view s = ascii::Trim(text);
  if (s.empty() || s.size() > 200) return std::nullopt;
  if (AllDigits(s) && s.size() >= 9) return Epoch(s);
  if (s.starts_with("/Date(") || ascii::IsDigit(s[0])) {
    if (auto t = Epoch(s)) return t;
  }
  if (auto t = Iso8601(s, kMaxDateYear)) return t;
  return MailLike(s, kMaxDateYear, reference);
}

std::optional<DateTime> ParseHttpDate(std::string_view text, std::optional<sys_seconds> reference) {
  const std::string_view s = ascii::Trim(text);
  if (s.empty() || s.size() > 200) return std::nullopt;
  return MailLike(s, 9999, reference);
}

std::optional<DateTime> DateFromEpochNumber(double value) {
  if (!std::isfinite(value) || value <= 0) return std::nullopt;
  const double seconds = value > 1e11 ? value / 1000 : value;
  if (seconds >= 1e12) return std::nullopt;  // far past 2200; keeps the cast defined
  return FromEpoch(static_cast<std::int64_t>(seconds));
}

std::string FormatDateTime(const DateTime& t) {
  using namespace std::chrono;
  const sys_days days = floor<std::chrono::days>(t.time);
  const year_month_day ymd{days};
  const hh_mm_ss clock{t.time - days};
  char buf[32];
  if (t.has_time) {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()));
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  }
  return buf;
}

}  // namespace jobtrawl
