// The one date reader: every date jobtrawl reads from a header, a feed, a
// sitemap, an API or a page goes through these functions.
//
// Forms read (leading/trailing ASCII whitespace ignored; names of months,
// days and zones in any ASCII case):
// - RFC 5322 §3.3 date-time, with the obsolete syntax of §4.3: optional day
//   name, 2-digit years (00-49 are 20xx, 50-99 are 19xx) and 3-digit years
//   (+1900), seconds optional, zones "+hhmm"/"-hhmm", "UT", "GMT",
//   "EST/EDT/CST/CDT/MST/MDT/PST/PDT", military letters and unknown
//   alphabetic zones as "-0000" (UTC), comments "(...)" (nested) ignored;
//   a zone name after "+hhmm" only names it ("+0000 GMT", "-0800 PST"),
//   and "GMT+1", "UTC-5:30" are offsets. RFC 822 dates are this form.
// - Zone abbreviations besides RFC 5322's, in every form that takes a zone
//   name (RFC 5322 dates, ctime/date(1), Java's Date.toString "Mon Nov 16
//   05:57:31 CET 2026", ISO 8601 with a name after the time): those the
//   IANA tz database (tzdata files europe, africa, asia, australasia,
//   northamerica) prints for exactly one UTC offset and that no other zone
//   in common use shares: WET +0000, WEST +0100, CET +0100, CEST +0200,
//   EET +0200, EEST +0300, MSK +0300, SAST +0200, PKT +0500, WIB +0700,
//   HKT and AWST +0800, JST and KST +0900, ACST +0930, ACDT +1030,
//   AEST +1000, AEDT +1100, NZST +1200, NZDT +1300, HST -1000, AKST -0900,
//   AKDT -0800. RFC 5322 §4.3 makes an alphabetic zone -0000 only when "its
//   meaning is not known"; tzdata is the out-of-band information it asks
//   for. Abbreviations with several meanings stay unknown: IST (India
//   +0530, Ireland +0100, Israel +0200), BST (British Summer Time +0100;
//   Java's three-letter "BST" is Bangladesh, +0600), AST (Atlantic -0400,
//   Arabia +0300) and the like are -0000 in the RFC 5322 family and refused
//   after an ISO 8601 time; CST is RFC 5322's US Central -0600, never
//   China's.
// - RFC 9110 §5.6.7 HTTP-date, all three forms: IMF-fixdate
//   "Sun, 06 Nov 1994 08:49:37 GMT", obsolete RFC 850
//   "Sunday, 06-Nov-94 08:49:37 GMT", and asctime "Sun Nov  6 08:49:37
//   1994". The rfc850-date's 2-digit year follows RFC 9110 §5.6.7 against
//   the reading's reference time (the time the page or header was fetched):
//   the year with those digits not more than 50 years after it, else the
//   most recent past one ("06-Nov-94" read in 2026 is 1994, "16-Nov-70" is
//   2070, "01-Jan-77" is 1977). Without a reference (stored values, which
//   are ISO 8601) it is read as RFC 5322 §4.3 reads a 2-digit year. The RFC
//   5322 forms keep §4.3's rule whatever the reference ("Mon, 16 Nov 76
//   05:57:31 GMT" is 1976): mail dates have no such rule of their own.
//   Years before kMinDateYear give no date; the §5.6.7 rule needs none for a
//   reference from 2020 on (its earliest year is the reference's less 49).
// - ctime/date(1) and JavaScript's Date.toString: "Sun Nov  6 08:49:37 UTC
//   1994", "Sun Nov 06 1994 08:49:37 GMT+0100 (Central European Time)".
// - ISO 8601 / RFC 3339 (and the W3C Datetime profile sitemaps use):
//   "1994-11-06", "1994-11-06T08:49", "1994-11-06T08:49:37.123456Z",
//   week dates (§5.2.3: "2026-W47-1", "2026W471"; a week without its day
//   names no day) and ordinal dates (§5.2.2: "2026-320"),
//   offsets "+01:00", "+0100", "+01" (any RFC 3339 §5.6 writes, hours
//   00-23, not only those of zones in use), also after a space, and the zone
//   names of RFC 5322 (" UTC", " GMT", " PST"...; other names are refused);
//   after an offset, RFC 9557's bracketed suffixes ("[Europe/Paris]", as
//   Java's ZonedDateTime writes it), which name the zone but do not move it;
//   the basic format "19941106T084937Z"; a space for the 'T'
//   ("1994-11-06 08:49:37", as SQL and many APIs write it).
// - Epoch numbers as APIs send them: 9-11 digits are seconds, 12-13
//   milliseconds, seconds with a fraction ("1763269051.5"), and the .NET
//   JSON form "/Date(1763269051000)/" (its "+hhmm" is informational; the
//   number is UTC).
// - A 12-hour clock with AM/PM in the RFC 5322-like forms
//   ("Nov 16, 2026 4:57:31 PM").
// Offsets are applied: the result is UTC. Leap second 60 is the next
// minute's first second. Fractions of a second are dropped.
//
// Relative dates, against a reference time the caller gives (the time the
// page was fetched), are read by ParseRelativeDate below.
//
// Not read here: numeric dates whose field order depends on the country
// ("04/05/2026") and prose ("20 November 2026" in several languages);
// normalize/dates.h reads those for postings.
//
// All functions are pure and thread-safe.
#ifndef JOBTRAWL_MODEL_DATE_TIME_H_
#define JOBTRAWL_MODEL_DATE_TIME_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "model/clock.h"

namespace jobtrawl {

// A point in time read from text.
struct DateTime {
  std::chrono::sys_seconds time{};  // UTC; midnight for a calendar date alone
  bool has_time = false;             // false: "2026-11-20", a calendar date

  // `time` on the system clock. REQUIRES: year <= 2262 (the clock's
  // nanoseconds); always true of what ParseDateTime returns.
  Clock::time_point time_point() const { return Clock::time_point(time); }
  friend bool operator==(const DateTime&, const DateTime&) = default;
};

// The years a stored date may name: what is read must also read back, and
// the system clock (nanoseconds) ends in 2262.
inline constexpr int kMinDateYear = 1970;
inline constexpr int kMaxDateYear = 2200;

// Any form above, its UTC result within kMinDateYear..kMaxDateYear;
// nullopt for anything else, impossible days (2026-02-29) and times
// (25:00) included.
// `reference`: the time the text was read (fetched) at, for an rfc850-date's
// two-digit year (RFC 9110 §5.6.7, above); the caller's, never the clock's.
std::optional<DateTime> ParseDateTime(std::string_view text,
                                      std::optional<std::chrono::sys_seconds> reference = std::nullopt);

// A date relative to `now` as boards print it: "today", "just posted",
// "yesterday", "3 days ago", "Posted 2 weeks ago", "30+ days ago", "an hour
// ago", the compact forms with the number against its unit ("5h ago",
// "45m ago", "2d ago", "3w ago", "1mo ago", "1yr ago", "30d+ ago": "m" is
// minutes, "mo" months), and the same in German, French, Spanish,
// Portuguese and Ukrainian ("vor 3 Tagen", "il y a 2 jours"). A month is 30
// days and a year 365. Units under a day give a time (has_time); days and
// longer the calendar date (UTC) that many days before `now`, or after it
// for a phrase of the future ("in 3 days", "Expires in 5d", "Closes in 2
// weeks", "3 days left", "5 days to go", "within 5 days", "noch 3 Tage",
// "dans 3 jours", "en 3 dias"; a past marker such as "ago" or "posted" wins
// when both appear). A compact form must be the whole field or stand among
// such words ("3D printing" is none). ASCII case is
// ignored; other words must be given in lower case (normalize folds them).
// nullopt for anything else, for more than 3650 units, or a result outside
// kMinDateYear..kMaxDateYear.
std::optional<DateTime> ParseRelativeDate(std::string_view text, Clock::time_point now);

// An HTTP-date (RFC 9110 §5.6.7) for Retry-After, Expires, Last-Modified:
// the three forms, read as leniently as ParseDateTime reads its RFC 5322
// family, but with any year up to 9999 (a far-future Expires is common);
// the result may lie beyond Clock's range, so compare `time` in seconds.
// nullopt for anything else, ISO 8601 and epoch numbers included.
std::optional<DateTime> ParseHttpDate(std::string_view text,
                                      std::optional<std::chrono::sys_seconds> reference = std::nullopt);

// An epoch number from a JSON API: seconds, or milliseconds when above
// 1e11 (as ParseDateTime tells 12-13 digits from 9-11); fractions dropped.
// nullopt when not finite, not positive, or outside the stored years.
std::optional<DateTime> DateFromEpochNumber(double value);

// `t` as "YYYY-MM-DDTHH:MM:SSZ", or "YYYY-MM-DD" when it has no time.
std::string FormatDateTime(const DateTime& t);

}  // namespace jobtrawl

#endif  // JOBTRAWL_MODEL_DATE_TIME_H_
