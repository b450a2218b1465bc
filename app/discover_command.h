// `jobtrawl discover URL|FILE`: what a company's careers page is, as a
// ready [[source]] block (README "Adding a board").
#ifndef JOBTRAWL_APP_DISCOVER_COMMAND_H_
#define JOBTRAWL_APP_DISCOVER_COMMAND_H_

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

namespace jobtrawl::app {

struct DiscoverOptions {
  std::string input;  // an http(s) URL to fetch, or a saved page's path
  std::string url;    // with a file: the address it was saved from (default file://<path>)
  std::optional<std::filesystem::path> config;  // its [http] settings are used for fetching
  std::string name;   // the source's name (default: from the board token or host)
  bool check = false; // crawl the proposed source once and show what it would store
  int check_postings = 10;  // postings shown by --check
};

// Looks, in this order, for: an applicant-tracking system with a board
// token (links, iframes, embed scripts, API calls), schema.org JobPosting
// JSON-LD on the page or on its detail pages (fetched, at most 3, when the
// input is a URL), an RSS/Atom feed the page announces or a sitemap its
// robots.txt names, and a listing of repeated rows (an `item`/`fields`
// selector source, checked by extracting with it). The first found is
// printed on `out` as a [[source]] block that `check-config` accepts;
// what was seen, and why, goes to `err`. Fetches go through the crawler's
// Fetcher: robots.txt, the address policy and [http] (from `config`) apply.
// With `check`, the source is crawled once into a temporary database
// (listing pages capped at 3) and its summary and postings are printed as
// TOML comments after the block.
// Exit: 0 found; 1 nothing found (or --check stored no posting); 2 bad
// options or config; 3 the page could not be read or fetched.
int DiscoverCommand(const DiscoverOptions& options, std::ostream& out, std::ostream& err);

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_DISCOVER_COMMAND_H_
