// A job posting as extracted from one page, and what a page yields besides.
// Field names follow the columns of the `postings` table (docs/schema.md).
#ifndef JOBTRAWL_MODEL_POSTING_H_
#define JOBTRAWL_MODEL_POSTING_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace jobtrawl {

// Every field is optional: "not stated" is nullopt (NULL in the database),
// never an empty string or zero.
struct Posting {
  std::optional<std::string> title;
  std::optional<std::string> company;
  std::optional<std::string> location;         // display text, e.g. "Melbourne VIC, AU"
  std::optional<std::string> country;          // as given (code or name)
  std::optional<std::string> remote;           // "remote" | "hybrid" | "onsite"
  std::optional<std::string> employment_type;  // schema.org values, comma-separated
  std::optional<double> salary_min;
  std::optional<double> salary_max;
  std::optional<std::string> salary_currency;  // ISO 4217 where given
  std::optional<std::string> salary_period;    // HOUR | DAY | WEEK | MONTH | YEAR
  std::optional<std::string> date_posted;      // ISO 8601 as given
  std::optional<std::string> valid_through;
  std::string url;                             // canonical URL of the page it came from
  std::optional<std::string> apply_url;
  std::optional<std::string> external_id;      // the board's own id, when it gives one
  std::optional<std::string> description;      // plain text
  std::optional<std::string> description_markdown;  // the same as Markdown, where it came as HTML or text

  // Where each field came from: "json-ld" or "css:<selector>" (shown by
  // `jobtrawl parse`; not stored).
  std::map<std::string, std::string> provenance;

  bool operator==(const Posting&) const = default;
};

// A URL found on a page that the crawl may fetch next.
struct Link {
  enum class Role { kListing, kDetail };
  std::string url;  // absolute and canonical
  Role role = Role::kDetail;
  // When the page last changed, as a sitemap says (UTC "YYYY-MM-DDTHH:MM:SSZ");
  // empty when unknown. A page fetched since then is not fetched again.
  std::string lastmod;

  bool operator==(const Link&) const = default;
};

// What the extractor made of one page. Parsers never fail on bad input: what
// they cannot read is skipped and counted here.
struct Extracted {
  std::vector<Posting> postings;
  std::vector<Link> links;
  int structured_blocks = 0;  // JSON-LD blocks seen
  int broken_blocks = 0;      // JSON-LD blocks that could not be read even leniently
  int skipped = 0;            // entries, items or elements passed over (no title, over a limit)
  std::vector<std::string> warnings;
};

}  // namespace jobtrawl

#endif  // JOBTRAWL_MODEL_POSTING_H_
