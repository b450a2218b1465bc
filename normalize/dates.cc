#include "normalize/dates.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>
#include <vector>

#include "model/ascii.h"
#include "model/clock.h"
#include "model/date_time.h"
#include "normalize/text.h"

namespace jobtrawl::normalize {
namespace {

int Number(std::string_view s) {
  int v = -1;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && ptr == s.data() + s.size() ? v : -1;
}

// A 2-digit year read as RFC 5322 §4.3 reads it (00-49 are 20xx, 50-99
// are 19xx), as the one reader (model/date_time.h) does.
int CenturyYear(int yy) { return yy < 50 ? 2000 + yy : 1900 + yy; }

// A year as written, 2 digits as CenturyYear reads them.
int YearNumber(std::string_view s) {
  const int y = Number(s);
  return s.size() == 2 && y >= 0 ? CenturyYear(y) : y;
}

// The years a date may name, whichever way it was written: what is read
// must also read back (NormalizeDate is idempotent).
constexpr int kMinYear = kMinDateYear;
constexpr int kMaxYear = kMaxDateYear;

bool ValidDay(int y, int m, int d) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < kMinYear || y > kMaxYear || m < 1 || m > 12 || d < 1) return false;
  if (d > kDays[m - 1]) return false;
  if (m == 2 && d == 29) return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return true;
}

std::string DateText(int y, int m, int d) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

// Month names and abbreviations in the languages boards use (folded).
int MonthNumber(std::string_view word) {
  static constexpr std::pair<std::string_view, int> kMonths[] = {
      {"jan", 1},  {"january", 1},   {"januar", 1},  {"janvier", 1},  {"enero", 1},   {"janeiro", 1},
      {"feb", 2},  {"february", 2},  {"februar", 2}, {"fevrier", 2},  {"febrero", 2}, {"fevereiro", 2},
      {"mar", 3},  {"march", 3},     {"marz", 3},    {"mars", 3},     {"marzo", 3},   {"marco", 3},
      {"apr", 4},  {"april", 4},     {"avril", 4},   {"abril", 4},
      {"may", 5},  {"mai", 5},       {"mayo", 5},    {"maio", 5},
      {"jun", 6},  {"june", 6},      {"juni", 6},    {"juin", 6},     {"junio", 6},   {"junho", 6},
      {"jul", 7},  {"july", 7},      {"juli", 7},    {"juillet", 7},  {"julio", 7},   {"julho", 7},
      {"aug", 8},  {"august", 8},    {"aout", 8},    {"agosto", 8},
      {"sep", 9},  {"sept", 9},      {"september", 9}, {"septembre", 9}, {"septiembre", 9}, {"setembro", 9},
      {"oct", 10}, {"october", 10},  {"oktober", 10}, {"octobre", 10}, {"octubre", 10}, {"outubro", 10},
      {"nov", 11}, {"november", 11}, {"novembre", 11}, {"noviembre", 11}, {"novembro", 11},
      {"dec", 12}, {"december", 12}, {"dezember", 12}, {"decembre", 12}, {"diciembre", 12}, {"dezembro", 12}};
  for (const auto& [name, n] : kMonths) {
    if (word == name) return n;
  }
  return 0;
}

// Relative dates against `now`: the one reader's (model/date_time.h).
std::optional<std::string> Relative(const std::string& f, Clock::time_point now) {
  auto t = ParseRelativeDate(f, now);
  return t ? std::optional(FormatDateTime(*t)) : std::nullopt;
}

// A day number, also written as an ordinal ("1st", "22nd").
int DayNumber(std::string_view w) {
  for (std::string_view suffix : {"st", "nd", "rd", "th"}) {
    if (w.size() > 2 && w.ends_with(suffix)) w.remove_suffix(2);
  }
  return Number(w);
}

// "Nov 20, 2026", "November 20 2026", "20 Nov 2026", "20. November 2026",
// "January 1st, 2026", "12 de marzo de 2026".
std::optional<std::string> Written(const std::string& f) {
  std::vector<std::string_view> all = Words(f);
  std::vector<std::string_view> w;
  for (std::string_view word : all) {
    if (word != "de" && word != "of" && word != "the") w.push_back(word);
  }
  // Drop leading weekday names and "posted"/"on".
  // (One erase of the whole run: erasing word by word was quadratic.)
  auto first = std::find_if(w.begin(), w.end(), [](std::string_view x) { return MonthNumber(x) != 0 || DayNumber(x) >= 0; });
  w.erase(w.begin(), first);
  if (w.size() < 3) return std::nullopt;
  int m = MonthNumber(w[0]), d = -1, y = -1;
  // Two digits are a year only when nothing follows ("16-Nov-26"), not an
  // hour ("June 15 12:00").
  const int year = w.size() == 3 ? YearNumber(w[2]) : Number(w[2]);
  if (m > 0) {
    d = DayNumber(w[1]);
    y = year;
  } else if ((m = MonthNumber(w[1])) > 0) {
    d = DayNumber(w[0]);
    y = year;
  } else {
    return std::nullopt;
  }
  if (!ValidDay(y, m, d)) return std::nullopt;
  return DateText(y, m, d);
}

// "20/11/2026", "11/20/2026", "2026/11/20", "20.11.2026", "20-11-2026".
std::optional<std::string> Numeric(std::string_view s, DateOrder order) {
  std::vector<int> n;
  std::vector<size_t> widths;
  std::string_view rest = s;
  char sep = 0;
  while (!rest.empty()) {
    size_t i = 0;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
    if (i == 0 || i > 4) return std::nullopt;
    n.push_back(Number(rest.substr(0, i)));
    widths.push_back(i);
    rest.remove_prefix(i);
    if (rest.empty()) break;
    if (n.size() == 3) {
      // A time may follow: "15/05/2042 12:00:00" keeps the day.
      if (rest[0] == ' ' || rest[0] == 'T') break;
      return std::nullopt;
    }
    if (rest[0] != '/' && rest[0] != '.' && rest[0] != '-') return std::nullopt;
    if (sep != 0 && rest[0] != sep) return std::nullopt;
    sep = rest[0];
    rest.remove_prefix(1);
  }
  if (n.size() != 3) return std::nullopt;
  int y, m, d;
  if (widths[0] == 4 || n[0] > 31) {  // year first
    y = n[0], m = n[1], d = n[2];
  } else {
    y = widths[2] <= 2 ? CenturyYear(n[2]) : n[2];
    if (n[0] > 12) {
      d = n[0], m = n[1];
    } else if (n[1] > 12) {
      m = n[0], d = n[1];
    } else if (sep == '.' || order == DateOrder::kDayFirst) {
      d = n[0], m = n[1];
    } else {
      m = n[0], d = n[1];
    }
  }
  if (!ValidDay(y, m, d)) return std::nullopt;
  return DateText(y, m, d);
}

}  // namespace

DateOrder DateOrderFor(std::string_view country) {
  for (std::string_view c : {"US", "PH", "FM", "PW", "MH", "BZ"}) {
    if (country == c) return DateOrder::kMonthFirst;
  }
  return DateOrder::kDayFirst;
}

std::optional<std::string> NormalizeDate(std::string_view raw, Clock::time_point now, DateOrder order) {
  std::string text = CleanText(raw);
  if (text.empty()) return std::nullopt;
  // The standard and API forms (ISO 8601, RFC 5322, HTTP-date, ctime,
  // epoch numbers) have one reader; what follows reads board prose.
  if (auto t = ParseDateTime(text, std::chrono::floor<std::chrono::seconds>(now))) return FormatDateTime(*t);
  // Nine digits or more are an epoch number or nothing.
  if (text.size() >= 9 && std::all_of(text.begin(), text.end(), ascii::IsDigit)) {
    return std::nullopt;
  }
  if (auto numeric = Numeric(text, order)) return numeric;
  std::string f = Fold(text, "+");
  // "Posted on", "Date posted:", "Publié le" and the like lead written dates.
  for (std::string_view lead : {"posted on ", "posted ", "date posted ", "published ", "publie le ", "updated "}) {
    if (f.starts_with(lead) && !Relative(f, now)) {
      std::string rest = f.substr(lead.size());
      if (auto w = Written(rest)) return w;
      if (auto numeric = Numeric(text.substr(text.size() - std::min(text.size(), rest.size())), order)) return numeric;
    }
  }
  if (auto w = Written(f)) return w;
  return Relative(f, now);
}

}  // namespace jobtrawl::normalize
