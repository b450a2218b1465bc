// Breakage alarms (issue 14 part 3): a source whose scraper silently
// stopped working. Each run counts what it found: the listings it saw
// (postings parsed plus those of unchanged pages); over the pages it read
// afresh that hold postings ("posting pages": detail pages, listing pages
// read with `item` or that yielded postings), how many had a posting with
// a title, a company, a location and a date; and over the postings parsed
// on them, how many had each. A run is `degraded` when, against the
// source's last good run (status ok or partial, not degraded):
//   - it saw fewer than min_yield_ratio x the listings that run saw (and
//     that run saw at least min_postings), or
//   - for one of title, company, location, date, the share of postings
//     that had it fell below min_field_ratio x that run's share (both runs
//     parsed at least min_pages postings). Shares are of postings, not of
//     pages, so a board API or an `item` listing (one page, many postings)
//     is checked as detail pages are; a baseline from a build that
//     counted pages only is compared by pages.
// The reason names the selector (html sources with `fields`/`item`) or the
// field, and both counts. A degraded run closes nothing.
#ifndef JOBTRAWL_APP_BREAKAGE_H_
#define JOBTRAWL_APP_BREAKAGE_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"

namespace jobtrawl::app {

// What one run found; kept as the "yield" object of crawl_runs.stats.
struct YieldCounts {
  std::int64_t listings = 0;  // listings seen: parsed, or on unchanged pages
  std::int64_t pages = 0;     // posting pages read afresh
  std::int64_t title = 0;     // of them, pages with a posting that has a title
  std::int64_t company = 0;
  std::int64_t location = 0;
  std::int64_t date = 0;      // date_posted
  // The postings parsed on those pages, and how many had each field; 0
  // postings in a baseline: a run recorded before these were counted.
  std::int64_t postings = 0;
  std::int64_t postings_title = 0;
  std::int64_t postings_company = 0;
  std::int64_t postings_location = 0;
  std::int64_t postings_date = 0;

  boost::json::object ToJson() const;
  // From a crawl_runs.stats text; nullopt when it holds no "yield" object
  // (a run of a build before breakage alarms).
  static std::optional<YieldCounts> FromStatsJson(std::string_view stats);
};

// Why this run is degraded against `last` (the last good run's counts), or
// nullopt when it is not. Several reasons are joined by "; ".
std::optional<std::string> Breakage(const YieldCounts& now, const YieldCounts& last,
                                    const config::AlarmConfig& rules,
                                    const config::SourceConfig& source);

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_BREAKAGE_H_
