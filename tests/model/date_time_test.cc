#include "model/date_time.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

namespace jobtrawl {
namespace {

// What ParseDateTime reads `text` as, formatted; "none" when nothing.
std::string Read(std::string_view text) {
  auto t = ParseDateTime(text);
  return t ? FormatDateTime(*t) : "none";
}
std::string ReadHttp(std::string_view text) {
  auto t = ParseHttpDate(text);
  return t ? FormatDateTime(*t) : "none";
}

struct Case {
  const char* text;
  const char* expected;
};

TEST(DateTimeTest, FieldCaseRfc822TwoDigitYears) {
  // Field case 13: RFC 5322 §4.3, a 2-digit year 00-49 is 2000-2049.
  EXPECT_EQ(Read("Mon, 16 Nov 26 05:57:31 +0100"), "2026-11-16T04:57:31Z");
  EXPECT_EQ(Read("Mon, 16 Nov 26 05:57:31 -0100"), "2026-11-16T06:57:31Z");
  EXPECT_EQ(Read("Mon, 16 Nov 26 05:57:31 GMT"), "2026-11-16T05:57:31Z");
}

TEST(DateTimeTest, Rfc5322DatesAndTheirObsoleteForms) {
  // RFC 5322 §3.3 and §4.3, the examples of Appendix A and the obsolete
  // zones, years and white space.
  const Case cases[] = {
      {"Fri, 21 Nov 1997 09:55:06 -0600", "1997-11-21T15:55:06Z"},        // A.1.1
      {"Tue, 1 Jul 2003 10:52:37 +0200", "2003-07-01T08:52:37Z"},         // A.3
      {"21 Nov 97 09:55:06 GMT", "1997-11-21T09:55:06Z"},                 // A.6.2
      {"Fri, 21 Nov 1997 09(comment):   55  :  06 -0600", "1997-11-21T15:55:06Z"},  // A.6.3
      {"Thu,\r\n 13\r\n  Feb\r\n   2025\r\n 23:32\r\n  -0330 (Newfoundland Time)", "2025-02-14T03:02:00Z"},
      {"Thu, 13 Feb 1969 23:32 -0330 (Newfoundland Time)", "none"},       // A.5: before 1970
      {"16 Nov 2026 04:57 +0000", "2026-11-16T04:57:00Z"},                 // seconds optional
      {"Mon, 16 Nov 2026 04:57:31 -0000", "2026-11-16T04:57:31Z"},
      {"Mon, 16 Nov 2026 04:57:31 UT", "2026-11-16T04:57:31Z"},
      {"Mon, 16 Nov 2026 04:57:31 EST", "2026-11-16T09:57:31Z"},
      {"Mon, 16 Nov 2026 04:57:31 EDT", "2026-11-16T08:57:31Z"},
      {"Mon, 16 Nov 2026 04:57:31 CST", "2026-11-16T10:57:31Z"},
      {"Mon, 16 Nov 2026 04:57:31 CDT", "2026-11-16T09:57:31Z"},
      {"Mon, 16 Nov 2026 04:57:31 MST", "2026-11-16T11:57:31Z"},
      {"Mon, 16 Nov 2026 04:57:31 MDT", "2026-11-16T10:57:31Z"},
      {"Mon, 16 Nov 2026 04:57:31 PST", "2026-11-16T12:57:31Z"},
      {"Mon, 16 Nov 2026 04:57:31 pdt", "2026-11-16T11:57:31Z"},
      {"Mon, 16 Nov 2026 04:57:31 A", "2026-11-16T04:57:31Z"},  // military: -0000
      {"Mon, 16 Nov 2026 04:57:31 Z", "2026-11-16T04:57:31Z"},
      {"Mon, 16 Nov 2026 04:57:31 Y", "2026-11-16T04:57:31Z"},
      {"Mon, 16 Nov 2026 04:57:31 IST", "2026-11-16T04:57:31Z"},  // several meanings: -0000
      {"Mon, 16 Nov 2026 04:57:31 XYZ", "2026-11-16T04:57:31Z"},  // unknown: -0000
      {"16 Nov 126 04:57:31 GMT", "2026-11-16T04:57:31Z"},  // 3 digits: +1900
      {"16 Nov 49 04:57:31 GMT", "2049-11-16T04:57:31Z"},
      {"16 Nov 50 04:57:31 GMT", "none"},  // 1950: before 1970
      {"16 Nov 70 04:57:31 GMT", "1970-11-16T04:57:31Z"},
      {"Monday, 16 November 2026 04:57:31 +0530", "2026-11-15T23:27:31Z"},
      {"Mon, 16 Sept 2026 04:57:31 +0000", "2026-09-16T04:57:31Z"},
      {"Mon, 29 Feb 2026 04:57:31 +0000", "none"},
      {"Mon, 16 Nov 2026 24:00:00 +0000", "none"},
      {"Mon, 16 Nov 2026 04:60:00 +0000", "none"},
      {"Mon, 16 Nov 2026 04:57:31 +2500", "none"},
      {"Mon, 16 Nov 2026 04:57:31 +01", "2026-11-16T03:57:31Z"},
      {"Mon, 16 Nov 2026", "none"},  // no time: not this family
      {"Mon, 16 Nov 2026 04:57:31 +0000 extra words", "none"},
  };
  for (const Case& c : cases) EXPECT_EQ(Read(c.text), c.expected) << c.text;
}

TEST(DateTimeTest, HttpDateHasThreeForms) {
  // RFC 9110 §5.6.7: IMF-fixdate, obsolete RFC 850 and asctime, all one time.
  for (const char* text : {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                           "Sun Nov  6 08:49:37 1994"}) {
    EXPECT_EQ(Read(text), "1994-11-06T08:49:37Z") << text;
    EXPECT_EQ(ReadHttp(text), "1994-11-06T08:49:37Z") << text;
  }
  // Recipients are lenient about case and spacing (§5.6.7 "SHOULD").
  EXPECT_EQ(ReadHttp("sun, 06 nov 1994 08:49:37 gmt"), "1994-11-06T08:49:37Z");
  EXPECT_EQ(ReadHttp("  Sun,  06 Nov 1994 08:49:37 GMT "), "1994-11-06T08:49:37Z");
  // The cookie epoch of RFC 850 dates is 1970.
  EXPECT_EQ(ReadHttp("Thursday, 01-Jan-70 00:00:01 GMT"), "1970-01-01T00:00:01Z");
  // A far-future Expires is an HTTP-date, but not a date stored for a posting.
  EXPECT_EQ(ReadHttp("Fri, 31 Dec 9999 23:59:59 GMT"), "9999-12-31T23:59:59Z");
  EXPECT_EQ(Read("Fri, 31 Dec 9999 23:59:59 GMT"), "none");
  // ISO 8601 and epoch numbers are not HTTP-dates.
  EXPECT_EQ(ReadHttp("1994-11-06T08:49:37Z"), "none");
  EXPECT_EQ(ReadHttp("784111777"), "none");
  EXPECT_EQ(ReadHttp("soon"), "none");
  EXPECT_EQ(ReadHttp(""), "none");
}

TEST(DateTimeTest, Rfc850TwoDigitYearsFollowRfc9110AgainstTheReference) {
  // RFC 9110 §5.6.7: "Recipients of a timestamp value in rfc850-date format,
  // which uses a two-digit year, MUST interpret a timestamp that appears to
  // be more than 50 years in the future as representing the most recent
  // year in the past that had the same last two digits." Read against the
  // reading's reference time (the fetch), not the clock: "16-Nov-70" read
  // in 2026 is 2070 (44 years ahead); it was 1970 by RFC 5322 §4.3's rule.
  using namespace std::chrono;
  const auto at = [](int y, unsigned m, unsigned d) { return sys_seconds(sys_days(year{y} / m / d)); };
  const auto read = [](std::string_view text, sys_seconds reference) {
    auto t = ParseDateTime(text, reference);
    auto h = ParseHttpDate(text, reference);
    const std::string a = t ? FormatDateTime(*t) : "none", b = h ? FormatDateTime(*h) : "none";
    return a == b ? a : a + " / http " + b;
  };
  const sys_seconds y2026 = at(2026, 12, 2);  // 2026-12-02T00:00:00Z
  EXPECT_EQ(read("Sunday, 06-Nov-94 08:49:37 GMT", y2026), "1994-11-06T08:49:37Z");  // 2094: 68 years ahead
  EXPECT_EQ(read("Monday, 16-Nov-70 08:49:37 GMT", y2026), "2070-11-16T08:49:37Z");
  EXPECT_EQ(read("Thursday, 01-Jan-70 00:00:01 GMT", y2026), "2070-01-01T00:00:01Z");
  EXPECT_EQ(read("Monday, 16-Nov-26 05:57:31 GMT", y2026), "2026-11-16T05:57:31Z");
  EXPECT_EQ(read("Tuesday, 16-Nov-77 05:57:31 GMT", y2026), "1977-11-16T05:57:31Z");
  // 50 years ahead to the second is not more than 50; a day more is.
  EXPECT_EQ(read("Wednesday, 02-Dec-76 00:00:00 GMT", y2026), "2076-12-02T00:00:00Z");
  EXPECT_EQ(read("Thursday, 03-Dec-76 00:00:00 GMT", y2026), "1976-12-03T00:00:00Z");
  // The offset counts: 01:00 at +0200 is the day before in UTC, within 50 years.
  EXPECT_EQ(read("Wednesday, 02-Dec-76 01:00:00 +0200", y2026), "2076-12-01T23:00:00Z");
  // Another reference, another century: the reference decides, not the clock.
  const sys_seconds y2090 = at(2090, 1, 1);
  EXPECT_EQ(read("Sunday, 06-Nov-94 08:49:37 GMT", y2090), "2094-11-06T08:49:37Z");
  EXPECT_EQ(read("Sunday, 06-Nov-30 08:49:37 GMT", y2090), "2130-11-06T08:49:37Z");
  EXPECT_EQ(read("Sunday, 01-Jan-40 00:00:01 GMT", y2090), "2040-01-01T00:00:01Z");
  // Before 1970 no date is stored (kMinDateYear): read in 2019, "01-Jan-70"
  // (2070 is more than 50 years ahead) is 1970, "06-Nov-69" 1969: none.
  const sys_seconds y2019 = at(2019, 6, 1);
  EXPECT_EQ(read("Thursday, 01-Jan-70 00:00:01 GMT", y2019), "1970-01-01T00:00:01Z");
  EXPECT_EQ(read("Thursday, 06-Nov-69 08:49:37 GMT", y2019), "none");
  // RFC 5322 §4.3 keeps its own rule for mail dates (00-49 are 20xx, 50-99
  // 19xx), reference or not; field case 13 stays right.
  EXPECT_EQ(read("Mon, 16 Nov 76 05:57:31 GMT", y2026), "1976-11-16T05:57:31Z");
  EXPECT_EQ(read("Mon, 16 Nov 26 05:57:31 +0100", y2026), "2026-11-16T04:57:31Z");
  EXPECT_EQ(read("Mon, 16 Nov 49 05:57:31 GMT", y2090), "2049-11-16T05:57:31Z");
  // Four digits are the year as written.
  EXPECT_EQ(read("Sun, 06 Nov 2094 08:49:37 GMT", y2026), "2094-11-06T08:49:37Z");
  // Without a reference (stored values) the rfc850 year reads as RFC 5322's.
  EXPECT_EQ(Read("Monday, 16-Nov-70 08:49:37 GMT"), "1970-11-16T08:49:37Z");
}

TEST(DateTimeTest, CtimeAndDateCommandForms) {
  // ctime(3), date(1) and JavaScript's Date.prototype.toString.
  const Case cases[] = {
      {"Mon Nov 16 04:57:31 2026", "2026-11-16T04:57:31Z"},
      {"Mon Nov 16 04:57:31 UTC 2026", "2026-11-16T04:57:31Z"},
      {"Mon Nov 16 04:57:31 PST 2026", "2026-11-16T12:57:31Z"},
      {"Mon Nov 16 2026 05:57:31 GMT+0100 (Central European Standard Time)", "2026-11-16T04:57:31Z"},
      {"Mon Nov 16 2026 04:57:31 GMT-05:00", "2026-11-16T09:57:31Z"},
  };
  for (const Case& c : cases) EXPECT_EQ(Read(c.text), c.expected) << c.text;
}

TEST(DateTimeTest, Iso8601AndRfc3339) {
  // RFC 3339 §5.8 examples, ISO 8601 basic and extended formats, and the
  // W3C Datetime profile sitemaps use.
  const Case cases[] = {
      {"1985-04-12T23:20:50.52Z", "1985-04-12T23:20:50Z"},
      {"1996-12-19T16:39:57-08:00", "1996-12-20T00:39:57Z"},
      {"1990-12-31T23:59:60Z", "1991-01-01T00:00:00Z"},  // leap second
      {"1990-12-31T15:59:60-08:00", "1991-01-01T00:00:00Z"},
      {"1937-01-01T12:00:27.87+00:20", "none"},  // before 1970
      {"2026-11-16", "2026-11-16"},
      {"20261116", "2026-11-16"},
      {"2026-11-16T04:57", "2026-11-16T04:57:00Z"},
      {"2026-11-16t04:57:31z", "2026-11-16T04:57:31Z"},
      {"2026-11-16T04:57:31.123456789+05:30", "2026-11-15T23:27:31Z"},
      {"2026-11-16T04:57:31,5Z", "2026-11-16T04:57:31Z"},
      {"2026-11-16T04:57:31+0530", "2026-11-15T23:27:31Z"},
      {"2026-11-16T04:57:31+05", "2026-11-15T23:57:31Z"},
      {"2026-11-16T04:57:31 +01:00", "2026-11-16T03:57:31Z"},
      {"20261116T045731Z", "2026-11-16T04:57:31Z"},
      {"20261116T0457+0100", "2026-11-16T03:57:00Z"},
      {"2026-02-29", "none"},
      {"2028-02-29", "2028-02-29"},
      // XML Schema's xs:date with a zone: the day as written.
      {"2026-11-16Z", "2026-11-16"},
      {"2026-11-16+01:00", "2026-11-16"},
      {"2026-11-16-05:00", "2026-11-16"},
      {"2026-11-16+1", "none"},
      {"2026-11-16Q", "none"},
      {"2026-13-01", "none"},
      {"2026-11-16T25:00:00Z", "none"},
      {"2026-11-16T04:57:31+15:00", "2026-11-15T13:57:31Z"},  // RFC 3339 §5.6: hours 00-23
      {"2026-11-16T05:57:31-23:59", "2026-11-17T05:56:31Z"},
      {"2026-11-16T05:57:31+24:00", "none"},
      {"2026-11-16T04:57:31 IST", "none"},  // several meanings
      {"2026-11-16T04", "none"},
      {"2200-12-31T23:59:59Z", "2200-12-31T23:59:59Z"},
      {"2201-01-01", "none"},
      {"2200-12-31T23:59:59-01:00", "none"},  // past 2200 once in UTC
      {"1970-01-01T00:30:00+01:00", "none"},  // before 1970 once in UTC
  };
  for (const Case& c : cases) EXPECT_EQ(Read(c.text), c.expected) << c.text;
}

TEST(DateTimeTest, ZonesAsServersWriteThemBesideRfc5322) {
  // A zone name after the numeric offset only names it ("+0000 GMT", as
  // "-0800 (PST)" does in a comment), and GMT with one hour digit
  // ("GMT+1") is an offset: both lost the time, and the day was read alone.
  const Case cases[] = {
      {"Fri, 27 Nov 2026 08:26:02 +0000 GMT", "2026-11-27T08:26:02Z"},
      {"Fri, 27 Nov 2026 08:26:02 -0800 PST", "2026-11-27T16:26:02Z"},
      {"Fri, 27 Nov 2026 08:26:02 GMT+1", "2026-11-27T07:26:02Z"},
      {"Fri, 27 Nov 2026 08:26:02 UTC-5:30", "2026-11-27T13:56:02Z"},
      {"Fri, 27 Nov 2026 08:26:02 +0000 GMT PST", "none"},
      {"Fri, 27 Nov 2026 08:26:02 GMT PST", "none"},
  };
  for (const Case& c : cases) EXPECT_EQ(Read(c.text), c.expected) << c.text;
}

TEST(DateTimeTest, Iso8601WeekAndOrdinalDates) {
  // ISO 8601 §5.2.3 week dates (week 1 holds the year's first Thursday, day
  // 1 is Monday) and §5.2.2 ordinal dates, with or without a time; a week
  // without its day names no day. They gave none.
  const Case cases[] = {
      {"2026-W47-1", "2026-11-16"},
      {"2026W471", "2026-11-16"},
      {"2026-W47-7", "2026-11-22"},
      {"2026-W01-1", "2025-12-29"},  // week 1 starts in the year before
      {"2026-W53-5", "2027-01-01"},  // 2026 has 53 weeks
      {"2027-W53-1", "none"},        // 2027 has 52
      {"2026-W47-1T10:00:00+01:00", "2026-11-16T09:00:00Z"},
      {"2026W471T1000Z", "2026-11-16T10:00:00Z"},
      {"2026-W47-8", "none"},
      {"2026-W00-1", "none"},
      {"2026-W47", "none"},
      {"2026-320", "2026-11-16"},
      {"2024-366", "2024-12-31"},
      {"2026-366", "none"},
      {"2026-000", "none"},
      {"2026-320T08:00:00Z", "2026-11-16T08:00:00Z"},
  };
  for (const Case& c : cases) EXPECT_EQ(Read(c.text), c.expected) << c.text;
}

TEST(DateTimeTest, CommonApiForms) {
  // What board APIs send besides RFC 3339.
  const Case cases[] = {
      {"2026-11-16 04:57:31", "2026-11-16T04:57:31Z"},
      {"2026-11-16 04:57:31 UTC", "2026-11-16T04:57:31Z"},
      {"2026-11-16T04:57:31.000+0000", "2026-11-16T04:57:31Z"},
      {"1794805051", "2026-11-16T04:57:31Z"},     // seconds
      {"1794805051123", "2026-11-16T04:57:31Z"},  // milliseconds
      {"1794805051.75", "2026-11-16T04:57:31Z"},
      {"/Date(1794805051000)/", "2026-11-16T04:57:31Z"},
      {"/Date(1794805051000+0100)/", "2026-11-16T04:57:31Z"},  // the offset is informational
      {"Nov 16, 2026 4:57:31 PM", "2026-11-16T16:57:31Z"},
      {"Nov 16, 2026 12:05 AM", "2026-11-16T00:05:00Z"},
      {"November 16, 2026 12:05 PM EST", "2026-11-16T17:05:00Z"},
      {"Nov 16, 2026 13:05 PM", "none"},
      {"9801200707", "none"},    // year 2280
      {"17179001000", "none"},   // year 2514
      {"-1000000000", "none"},
      {"12345678", "none"},      // no such day
      {"1794805051.", "none"},
      {"/Date(x)/", "none"},
      // RFC 3339 with the zone RFC 9557 (and Java's ZonedDateTime) append:
      // the offset decides, the bracket only names the zone.
      {"2026-11-16T23:30:00-08:00[America/Los_Angeles]", "2026-11-17T07:30:00Z"},
      {"2026-11-16T05:57:31Z[UTC]", "2026-11-16T05:57:31Z"},
      {"2026-11-16T06:57:31.5+01:00[Europe/Paris][u-ca=gregory]", "2026-11-16T05:57:31Z"},
      {"2026-11-16T06:57:31+01:00[!Europe/Paris]", "2026-11-16T05:57:31Z"},
      {"2026-11-16T06:57:31[Europe/Paris]", "none"},  // local time of a zone, no offset
      {"2026-11-16T06:57:31+01:00[", "none"},
      {"2026-11-16T06:57:31+01:00[]", "none"},
      {"2026-11-16T06:57:31+01:00[Europe/Paris]x", "none"},
      // SQL-style date and time with an RFC 5322 zone name (PHP's "T").
      {"2026-11-16 20:00:00 PST", "2026-11-17T04:00:00Z"},
      {"2026-11-16T20:00:00 EDT", "2026-11-17T00:00:00Z"},
      {"2026-11-16 20:00:00 ut", "2026-11-16T20:00:00Z"},
      // An offset with the zone's abbreviation after it (Go's default
      // format; "(PST)" as RFC 5322 comments it): the offset decides.
      {"2026-11-16 23:57:31 -0800 PST", "2026-11-17T07:57:31Z"},
      {"2026-11-16 23:57:31.123456789 -0800 PST", "2026-11-17T07:57:31Z"},
      {"2026-11-16T23:57:31-08:00 PST", "2026-11-17T07:57:31Z"},
      {"2026-11-16 23:57:31 +0100 (CET)", "2026-11-16T22:57:31Z"},
      // GMT or UTC with an offset of one or two hour digits.
      {"2026-11-16T23:57:31 GMT-8", "2026-11-17T07:57:31Z"},
      {"2026-11-16 23:57:31 UTC+5:30", "2026-11-16T18:27:31Z"},
      {"2026-11-16 23:57:31 GMT+0100", "2026-11-16T22:57:31Z"},
      {"2026-11-16 23:57:31 -0800 P5T", "none"},  // not an abbreviation
      {"2026-11-16 23:57:31 GMT8", "none"},
  };
  for (const Case& c : cases) EXPECT_EQ(Read(c.text), c.expected) << c.text;
}

TEST(DateTimeTest, ZoneAbbreviationsWithOneMeaningAreRead) {
  // Java's Date.toString and date(1) print the zone's abbreviation; those
  // the IANA tz database gives one offset are known, so RFC 5322 §4.3's
  // -0000 for unknown zones is not for them. CET was read as -0000.
  const Case cases[] = {
      {"Mon Nov 16 05:57:31 CET 2026", "2026-11-16T04:57:31Z"},
      {"Thu Jul 16 05:57:31 CEST 2026", "2026-07-16T03:57:31Z"},
      {"Mon Nov 16 05:57:31 EET 2026", "2026-11-16T03:57:31Z"},
      {"Thu Jul 16 05:57:31 EEST 2026", "2026-07-16T02:57:31Z"},
      {"Mon Nov 16 05:57:31 WET 2026", "2026-11-16T05:57:31Z"},
      {"Thu Jul 16 05:57:31 WEST 2026", "2026-07-16T04:57:31Z"},
      {"Mon Nov 16 05:57:31 MSK 2026", "2026-11-16T02:57:31Z"},
      {"Mon Nov 16 05:57:31 JST 2026", "2026-11-15T20:57:31Z"},
      {"Mon Nov 16 05:57:31 ACST 2026", "2026-11-15T20:27:31Z"},
      {"Mon Nov 16 05:57:31 AEDT 2026", "2026-11-15T18:57:31Z"},
      {"Mon Nov 16 05:57:31 HST 2026", "2026-11-16T15:57:31Z"},
      {"Mon, 16 Nov 2026 05:57:31 CET", "2026-11-16T04:57:31Z"},
      {"Mon, 16 Nov 2026 05:57:31 cest", "2026-11-16T03:57:31Z"},
      {"2026-11-16T05:57:31 CET", "2026-11-16T04:57:31Z"},
      {"2026-11-16 05:57:31 NZDT", "2026-11-15T16:57:31Z"},
      // Several meanings: -0000 in the RFC 5322 family, refused after ISO.
      {"Mon Nov 16 05:57:31 IST 2026", "2026-11-16T05:57:31Z"},
      {"Thu Jul 16 05:57:31 BST 2026", "2026-07-16T05:57:31Z"},
      {"Mon Nov 16 05:57:31 AST 2026", "2026-11-16T05:57:31Z"},
      {"2026-11-16 05:57:31 BST", "none"},
      {"Mon Nov 16 05:57:31 CST 2026", "2026-11-16T11:57:31Z"},  // RFC 5322's US Central
  };
  for (const Case& c : cases) EXPECT_EQ(Read(c.text), c.expected) << c.text;
}

TEST(DateTimeTest, RelativeDatesAgainstTheFetchTime) {
  // Boards print how long ago a job was posted; the reference is the time
  // the page was fetched. The compact forms ("5h ago", "2d ago") gave none.
  const auto now = std::chrono::sys_days(std::chrono::year{2026} / 11 / 28) + std::chrono::hours(12);
  auto read = [&](std::string_view text) {
    auto t = ParseRelativeDate(text, Clock::time_point(now));
    return t ? FormatDateTime(*t) : "none";
  };
  const Case cases[] = {
      {"5h ago", "2026-11-28T07:00:00Z"},     {"45m ago", "2026-11-28T11:15:00Z"},
      {"30s ago", "2026-11-28T11:59:30Z"},    {"2d ago", "2026-11-26"},
      {"3w ago", "2026-11-07"},               {"1mo ago", "2026-10-29"},
      {"2mos ago", "2026-09-29"},             {"1yr ago", "2025-11-28"},
      {"30d+ ago", "2026-10-29"},             {"30+ days ago", "2026-10-29"},
      {"Posted 5h ago", "2026-11-28T07:00:00Z"}, {"2 days ago", "2026-11-26"},
      {"an hour ago", "2026-11-28T11:00:00Z"}, {"Posted 2 weeks ago", "2026-11-14"},
      {"today", "2026-11-28"},                {"Just posted", "2026-11-28"},
      {"just now", "2026-11-28"},             {"Yesterday", "2026-11-27"},
      {"vor 3 Tagen", "2026-11-25"},          {"il y a 2 jours", "2026-11-26"},
      {"5 fortnights ago", "none"},           {"soon", "none"},
      {"3651 days ago", "none"},              {"60 years ago", "none"},  // before 1970
  };
  for (const Case& c : cases) EXPECT_EQ(read(c.text), c.expected) << c.text;
  // A calendar date for days and longer, a time for shorter units.
  EXPECT_FALSE(ParseRelativeDate("2d ago", Clock::time_point(now))->has_time);
  EXPECT_TRUE(ParseRelativeDate("5h ago", Clock::time_point(now))->has_time);
}

TEST(DateTimeTest, PhrasesOfTheFutureAreAheadOfTheFetchTime) {
  // A closing date written as "Expires in 5d" or "Closes in 3 days" was
  // read as that long ago, so a live posting was stored as expired.
  const auto now = std::chrono::sys_days(std::chrono::year{2026} / 11 / 28) + std::chrono::hours(12);
  auto read = [&](std::string_view text) {
    auto t = ParseRelativeDate(text, Clock::time_point(now));
    return t ? FormatDateTime(*t) : "none";
  };
  const Case cases[] = {
      {"Expires in 5d", "2026-12-03"},        {"in 2 days", "2026-11-30"},
      {"Closes in 3 days", "2026-12-01"},     {"2 days left", "2026-11-30"},
      {"5 days to go", "2026-12-03"},         {"Apply within 5 days", "2026-12-03"},
      {"in a week", "2026-12-05"},            {"in 5h", "2026-11-28T17:00:00Z"},
      {"in 3 Tagen", "2026-12-01"},           {"noch 3 Tage", "2026-12-01"},
      {"dans 2 jours", "2026-11-30"},         {"Posted 3 days ago in Berlin", "2026-11-25"},
  };
  for (const Case& c : cases) EXPECT_EQ(read(c.text), c.expected) << c.text;
}

TEST(DateTimeTest, ACompactFormIsTheWholeFieldNotAWord) {
  // "3D printing" was three days ago; a compact "<n><unit>" is a date only
  // alone or among the words of a relative date.
  const auto now = std::chrono::sys_days(std::chrono::year{2026} / 11 / 28) + std::chrono::hours(12);
  auto read = [&](std::string_view text) {
    auto t = ParseRelativeDate(text, Clock::time_point(now));
    return t ? FormatDateTime(*t) : "none";
  };
  const Case cases[] = {
      {"3D printing", "none"},     {"5G rollout 2d", "none"},  {"2d", "2026-11-26"},
      {"2d ago", "2026-11-26"},    {"Posted 2mo ago", "2026-09-29"},
      {"Posted by Jane, 2 hours ago", "2026-11-28T10:00:00Z"},
  };
  for (const Case& c : cases) EXPECT_EQ(read(c.text), c.expected) << c.text;
}

TEST(DateTimeTest, EpochNumbersFromJson) {
  // Seconds or milliseconds told apart by size, as in text; past 2200 is no date.
  auto text = [](double v) {
    auto t = DateFromEpochNumber(v);
    return t ? FormatDateTime(*t) : "none";
  };
  EXPECT_EQ(text(1794805051), "2026-11-16T04:57:31Z");
  EXPECT_EQ(text(1794805051123.0), "2026-11-16T04:57:31Z");
  EXPECT_EQ(text(17179001000.0), "none");  // year 2514
  EXPECT_EQ(text(1e300), "none");
  EXPECT_EQ(text(-1), "none");
  EXPECT_EQ(text(0), "none");
}

TEST(DateTimeTest, WhatIsNotADate) {
  // Prose, numeric dates whose order depends on the country, and junk are
  // left to the caller (normalize/dates.h) or refused.
  for (const char* text : {"", "   ", "soon", "3 days ago", "20/11/2026", "20.11.2026", "Nov 2026",
                           "Mon, 16 Nov 2026 04:57:31 +0000 +0000", "16 16 Nov 2026 04:57:31",
                           "((((", "16 Nov 2026 04:57:31 (unclosed"}) {
    EXPECT_EQ(Read(text), "none") << text;
  }
}

TEST(DateTimeTest, FormatReadsBack) {
  // What is stored reads back to the same time.
  for (const char* text : {"2026-11-16T04:57:31Z", "2026-11-16", "1970-01-01T00:00:00Z"}) {
    auto t = ParseDateTime(text);
    ASSERT_TRUE(t) << text;
    EXPECT_EQ(FormatDateTime(*t), text);
    EXPECT_EQ(ParseDateTime(FormatDateTime(*t)), t);
  }
  EXPECT_FALSE(ParseDateTime("2026-11-16")->has_time);
}

}  // namespace
}  // namespace jobtrawl
