// Feeds and sitemaps, read with a real XML parser (pugixml; no DTDs, so no
// entity expansion): RSS 2.0 and 1.0, Atom, the Indeed-style
// <source><job> XML feed (and <jobs><job>), XML sitemaps and sitemap indexes.
#ifndef JOBTRAWL_PARSERS_FEED_H_
#define JOBTRAWL_PARSERS_FEED_H_

#include <string>
#include <string_view>

#include "model/posting.h"

namespace jobtrawl::parsers {

class PageBudget;

struct FeedOptions {
  // Item titles written "Company: Title" (We Work Remotely) are split into
  // company and title when the item names no company. Always on for feeds
  // served from weworkremotely.com.
  bool company_in_title = false;
};

// Each feed item or job element becomes a posting: title, link, id, company,
// location, employment type, dates (as written) and the description (escaped HTML becomes
// text). Job-board extensions are read by element name wherever they sit in
// the item (<company>, <city>, <jobtype>, <a10:content><Vacancy>...), and RSS
// <category domain="Location"> too. Items without a title are skipped and
// counted. Unreadable XML is a broken block with a warning.
// `budget` (may be null) is checked before each item.
void ExtractFeed(std::string_view url, std::string_view body, const FeedOptions& options,
                 Extracted& out, PageBudget* budget = nullptr);

// A sitemap's <url><loc> become detail links carrying their <lastmod>
// (normalized to UTC "YYYY-MM-DDTHH:MM:SSZ"); a sitemap index's
// <sitemap><loc> become listing links.
// `budget` (may be null) is checked every 256 entries.
void ExtractSitemap(std::string_view url, std::string_view body, Extracted& out,
                    PageBudget* budget = nullptr);

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_FEED_H_
