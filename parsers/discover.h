// What a careers page is, for `jobtrawl discover`: the applicant-tracking
// system (ATS) behind it and its board token, the feeds it announces, the
// links that look like its job detail pages, and, for a board of its own,
// a CSS `item`/`fields` proposal read from the listing's repeated structure.
//
// Everything here reads one page already fetched (and decoded to UTF-8);
// nothing fetches. All functions are pure and thread-safe, never throw on
// any input, and take time linear in the page (the tree is built by
// HtmlDocument, with its size and depth bounds).
#ifndef JOBTRAWL_PARSERS_DISCOVER_H_
#define JOBTRAWL_PARSERS_DISCOVER_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/extractor.h"

namespace jobtrawl::parsers {

// One applicant-tracking system seen in a page.
struct BoardSighting {
  std::string system;    // display name: "Greenhouse", "Workday", "Paylocity", ...
  std::string kind;      // the jobtrawl source kind reading its API ("greenhouse"); empty: none
  std::string board;     // the token `board` takes ("acme"); empty when the page does not show it
  std::string evidence;  // the first URL that showed it (absolute, as found)
  int count = 0;         // URLs in the page that point at it (the page's own URL counts 10)
};

// Every system whose URLs appear in `html` or in `page_url` itself: links,
// iframes, embed scripts, API calls in inline scripts and JSON (with `\/`,
// `\u002F` and `&amp;` escapes read through). Best first: a system with a
// board token before one without, then by count. Sightings of one system
// with different tokens are separate entries (the most seen first).
// Recognised: Greenhouse, Lever, Ashby, Workable, SmartRecruiters,
// Recruitee, Workday, Personio, Teamtailor, BambooHR, Breezy HR, Rippling,
// Jobvite, iCIMS, and (no jobtrawl kind reads them) Paylocity, Phenom,
// Taleo, SuccessFactors, JazzHR, UKG Pro, ADP.
std::vector<BoardSighting> FindBoards(std::string_view page_url, std::string_view html);

// A feed announced by the page: <link rel="alternate"> with an RSS or Atom
// type, or a link whose URL names an RSS/Atom feed. `url` is absolute.
struct FeedLink {
  std::string url;
  std::string title;
};
std::vector<FeedLink> FindFeedLinks(std::string_view page_url, std::string_view html);

// Links of the page that look like its job detail pages: same host as the
// page, the largest group sharing a path prefix one segment shorter than
// themselves (at least 2 links), e.g. /jobs/123, /jobs/456. `pattern` is an
// RE2 pattern matching every one of them, for `follow.detail`.
struct DetailLinks {
  std::vector<std::string> urls;  // absolute, each once, in page order
  std::string pattern;
};
std::optional<DetailLinks> FindDetailLinks(std::string_view page_url, std::string_view html);

// A selector source for a listing page with no structured data: `item`
// matches each repeated row that holds a link (at least 3 rows), `fields`
// names the parts found in the rows (title, and where the rows' class names
// say so: company, location, date_posted, employment_type, salary).
// `rows` is how many postings the proposal extracts from this page with
// titles, checked by running the extractor on it.
struct ListingGuess {
  std::string item;
  std::vector<ExtractOptions::Field> fields;
  int rows = 0;
};
std::optional<ListingGuess> GuessListing(std::string_view page_url, std::string_view html);

// The page's own name for its company: og:site_name, else application-name;
// empty when it gives none.
std::string SiteName(std::string_view html);

class HtmlDocument;

// One page read for all of the above, parsed once (the free functions each
// parse their input). Immutable; safe to read from several threads.
class CareersPage {
 public:
  CareersPage(std::string_view page_url, std::string html);
  ~CareersPage();
  CareersPage(const CareersPage&) = delete;
  CareersPage& operator=(const CareersPage&) = delete;

  const std::string& url() const { return url_; }
  std::string_view html() const;
  std::vector<BoardSighting> Boards() const;
  std::vector<FeedLink> FeedLinks() const;
  std::optional<parsers::DetailLinks> DetailLinks() const;
  std::optional<ListingGuess> Listing() const;
  std::string SiteName() const;

 private:
  std::string url_;
  std::unique_ptr<HtmlDocument> doc_;
};

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_DISCOVER_H_
