// Dates as boards write them, made UTC.
#ifndef JOBTRAWL_NORMALIZE_DATES_H_
#define JOBTRAWL_NORMALIZE_DATES_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace jobtrawl::normalize {

// Day-month order of numeric dates such as "04/05/2026".
enum class DateOrder { kDayFirst, kMonthFirst };

// The order a country writes numeric dates in: month first in the US (and
// a few others), day first elsewhere.
DateOrder DateOrderFor(std::string_view country);

// A date as UTC text: "YYYY-MM-DDTHH:MM:SSZ" when a time is given, "YYYY-MM-DD"
// for a calendar date, within 1970-2200. Reads every form of the one date
// reader, model/date_time.h (ISO 8601/RFC 3339 with week and ordinal
// dates, RFC 5322 with obsolete years and zones, RFC 9110's three
// HTTP-date forms, an rfc850-date's 2-digit year by RFC 9110 §5.6.7
// against `now`, ctime, epoch seconds or milliseconds; offsets applied),
// and board prose: "Nov 20, 2026", "20 November 2026" with the month names
// of data/months.tsv ("16 listopada 2026", "16 ноября 2026", "16 Kasım
// 2026", "2026. november 16."), numeric "20/11/2026" (in `order` when both
// readings are possible), "2026/11/20", "20.11.2026", "16. 11. 2026",
// "2026. 11. 16.", 2-digit years as RFC 5322 §4.3 reads them ("20/11/26",
// "20-Nov-26": 00-49 are 20xx), Chinese, Japanese and Korean dates
// ("2026年11月16日", "2026년 11월 16일"; "11月16日" is this year's, or last
// year's when this year's would lie over half a year after `now`), and
// relative forms against `now` (model/date_time.h's ParseRelativeDate):
// "today", "just posted", "yesterday", "3 days ago", "30+ days ago",
// "Posted 2 weeks ago", "5h ago", "2d ago", "3w ago", "1mo ago", "vor 3
// Tagen", "il y a 2 jours", and in the languages of
// data/relative_dates.tsv, "3 dagen geleden", "3 дня назад", "3日前". A
// day may lie after `now` (a closing date); NormalizePosting does not
// believe a posting date that does. nullopt when it is none of these.
std::optional<std::string> NormalizeDate(std::string_view text,
                                         std::chrono::system_clock::time_point now,
                                         DateOrder order = DateOrder::kDayFirst);

}  // namespace jobtrawl::normalize

#endif  // JOBTRAWL_NORMALIZE_DATES_H_
