#include "normalize/dates.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>
#include <initializer_list>
#include <vector>

#include "model/ascii.h"
#include "model/clock.h"
#include "model/date_time.h"
#include "normalize/tables.h"
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

// A month's number from its name or abbreviation, folded, in the
// languages of data/months.tsv; 0 for none.
int MonthNumber(std::string_view word) {
  const auto& months = Tables::Get().months;
  const auto it = months.find(std::string(word));
  return it == months.end() ? 0 : it->second;
}

// Where the words of a folded text change between ASCII digits and other
// letters: "3日前" is "3 日前", "3일전" "3 일전".
std::string SplitDigitsFromLetters(std::string_view f) {
  std::string out;
  out.reserve(f.size() + 8);
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (i > 0 && f[i] != ' ' && f[i - 1] != ' ' && ascii::IsDigit(f[i]) != ascii::IsDigit(f[i - 1]) &&
        (!ascii::IsAscii(f[i]) || !ascii::IsAscii(f[i - 1]))) {
      out.push_back(' ');
    }
    out.push_back(f[i]);
  }
  return out;
}

// The folded text with the words of data/relative_dates.tsv replaced by
// what the one relative reader reads ("3 dagen geleden": "3 days ago";
// "3日前": "3 days ago"); empty when it has none of them. A word the table
// does not hold is read by its longest start that it does, the rest kept
// ("3天前发布": "3 days ago 发布"); a reading "a UNIT" after a number is
// the unit ("1 tydzień temu": "1 week ago").
std::string RelativeInOtherLanguages(std::string_view f) {
  // A relative date is a few words (the relative reader reads 200 bytes at
  // most): a longer text is not looked up.
  if (f.size() > 400) return std::string();
  const Tables& t = Tables::Get();
  std::string out;
  bool any = false;
  bool after_number = false;
  const std::string split = SplitDigitsFromLetters(f);
  for (std::string_view word : Words(split)) {
    while (!word.empty()) {
      std::string_view reading;
      std::size_t taken = word.size();
      if (auto it = t.relative_date_words.find(std::string(word)); it != t.relative_date_words.end()) {
        reading = it->second;
      } else if (!ascii::IsAscii(word[0])) {
        // The longest start the table holds, at a character's end.
        for (taken = std::min(word.size() - 1, t.longest_relative_date_word); taken > 0; --taken) {
          if ((static_cast<unsigned char>(word[taken]) & 0xC0) == 0x80) continue;
          if (auto start = t.relative_date_words.find(std::string(word.substr(0, taken)));
              start != t.relative_date_words.end()) {
            reading = start->second;
            break;
          }
        }
        if (taken == 0) taken = word.size();
      }
      if (!reading.empty()) {
        any = true;
        if (after_number && (reading.starts_with("a ") || reading.starts_with("an "))) {
          reading.remove_prefix(reading.find(' ') + 1);
        }
        AppendJoined(out, reading, " ");
      } else {
        AppendJoined(out, word.substr(0, taken), " ");
      }
      after_number = std::all_of(word.begin(), word.begin() + static_cast<std::ptrdiff_t>(taken), ascii::IsDigit);
      word.remove_prefix(taken);
    }
  }
  return any ? out : std::string();
}

// Relative dates against `now`: the one reader's (model/date_time.h), in
// its languages and, through data/relative_dates.tsv, in others.
std::optional<std::string> Relative(const std::string& f, Clock::time_point now) {
  auto t = ParseRelativeDate(f, now);
  if (!t) {
    const std::string other = RelativeInOtherLanguages(f);
    if (!other.empty()) t = ParseRelativeDate(other, now);
  }
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
// "January 1st, 2026", "12 de marzo de 2026", "16 listopada 2026", "16
// нояб. 2026", and year first, "2026. november 16.": the first three words
// that read as a valid date in one of those orders, whatever words lead
// them ("Posted on", a weekday, "Publicado el").
std::optional<std::string> Written(const std::string& f) {
  std::vector<std::string_view> w;
  for (std::string_view word : Words(f)) {
    if (word != "de" && word != "del" && word != "d" && word != "of" && word != "the") w.push_back(word);
  }
  for (std::size_t i = 0; i + 3 <= w.size(); ++i) {
    // Two digits are a year only when nothing follows ("16-Nov-26"), not an
    // hour ("June 15 12:00").
    auto year = [&](std::string_view s) { return i + 3 == w.size() ? YearNumber(s) : Number(s); };
    int y = -1, m = MonthNumber(w[i]), d = -1;
    if (m > 0) {
      d = DayNumber(w[i + 1]);
      y = year(w[i + 2]);
    } else if ((m = MonthNumber(w[i + 1])) > 0) {
      if (w[i].size() == 4 && Number(w[i]) >= 1000) {  // not "22nd"
        y = Number(w[i]);
        d = DayNumber(w[i + 2]);
      } else {
        d = DayNumber(w[i]);
        y = year(w[i + 2]);
      }
    }
    if (m > 0 && ValidDay(y, m, d)) return DateText(y, m, d);
  }
  return std::nullopt;
}

// The year of a day written without one ("11月16日"): the fetch's, as
// boards write the days of the current year so, unless the day would then
// lie over half a year after the fetch: a day of last December read in
// January is last year's. 0 when the day is in no such year.
int YearOfDay(int m, int d, Clock::time_point now) {
  using namespace std::chrono;
  const sys_days today = floor<days>(now);
  const int y = static_cast<int>(year_month_day(today).year());
  for (int candidate : {y, y - 1}) {
    const year_month_day ymd{year{candidate}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (ymd.ok() && sys_days(ymd) <= today + days(183)) return candidate;
  }
  return 0;
}

// Chinese, Japanese and Korean dates, folded (full-width digits are
// ASCII, Hangul syllables their letters): "2026年11月16日", "2026년 11월
// 16일", "16号", and the day of this year alone, "11月16日" (YearOfDay). A
// time after it is not read: the day is what a local time without a zone
// can tell.
std::optional<std::string> Cjk(const std::string& f, Clock::time_point now) {
  if (std::all_of(f.begin(), f.end(), ascii::IsAscii)) return std::nullopt;
  auto unit = [](std::initializer_list<const char*> names) {
    std::string alternatives;
    for (const char* name : names) AppendJoined(alternatives, Fold(name), "|");
    return "(?:" + alternatives + ")";
  };
  static const re2::RE2 kFull("(\\d{4}) ?" + unit({"\u5e74", "\ub144"}) + " ?(\\d{1,2}) ?" +
                              unit({"\u6708", "\uc6d4"}) + " ?(\\d{1,2})");
  static const re2::RE2 kDayOfYear("(?:^|[^\\d])(\\d{1,2}) ?" + unit({"\u6708", "\uc6d4"}) + " ?(\\d{1,2}) ?" +
                                   unit({"\u65e5", "\uc77c", "\u53f7", "\u865f"}));
  int y = 0, m = 0, d = 0;
  if (re2::RE2::PartialMatch(f, kFull, &y, &m, &d)) {
    if (!ValidDay(y, m, d)) return std::nullopt;
    return DateText(y, m, d);
  }
  // A year this does not read (Japan's eras, "令和7年11月16日") is not the fetch's.
  static const std::string kYear = Fold("\u5e74"), kKoreanYear = Fold("\ub144");
  if (f.find(kYear) != std::string::npos || f.find(kKoreanYear) != std::string::npos) return std::nullopt;
  if (re2::RE2::PartialMatch(f, kDayOfYear, &m, &d) && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
    y = YearOfDay(m, d, now);
    if (!ValidDay(y, m, d)) return std::nullopt;
    return DateText(y, m, d);
  }
  return std::nullopt;
}

// "20/11/2026", "11/20/2026", "2026/11/20", "20.11.2026", "20-11-2026",
// "16. 11. 2026", "2026. 11. 16.".
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
      // Korean and Hungarian dates end with their dot ("2026. 11. 16.").
      if (sep == '.' && rest[0] == '.') rest.remove_prefix(1);
      // A time may follow ("15/05/2042 12:00:00" keeps the day), or a
      // weekday ("2026/11/16(月)").
      if (rest.empty() || rest[0] == ' ' || rest[0] == 'T' || rest[0] == '(') break;
      return std::nullopt;
    }
    if (rest[0] != '/' && rest[0] != '.' && rest[0] != '-') return std::nullopt;
    if (sep != 0 && rest[0] != sep) return std::nullopt;
    sep = rest[0];
    rest.remove_prefix(1);
    // A space may follow a dot: "2026. 11. 16." (Korean), "16. 11. 2026" (Czech).
    while (sep == '.' && !rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
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
  if (auto cjk = Cjk(f, now)) return cjk;
  return Relative(f, now);
}

}  // namespace jobtrawl::normalize
