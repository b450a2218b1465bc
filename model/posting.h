// A job posting as extracted from one page, and what a page yields besides.
// Field names follow the columns of the `postings` table (docs/schema.md).
#ifndef JOBTRAWL_MODEL_POSTING_H_
#define JOBTRAWL_MODEL_POSTING_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/request.h"

namespace jobtrawl {

// One place a posting names, normalized: city as written (or its usual
// name), region as an ISO 3166-2 subdivision code ("CA" of US-CA), country
// as ISO 3166-1 alpha-2.
struct Place {
  std::optional<std::string> city;
  std::optional<std::string> region;
  std::optional<std::string> country;

  bool operator==(const Place&) const = default;
};

// Every field is optional: "not stated" is nullopt (NULL in the database),
// never an empty string or zero.
struct Posting {
  std::optional<std::string> title;
  std::optional<std::string> company;
  // The part of the company the job is in, as the board names it
  // ("Engineering", "Data Science and Engineering"); a board with a
  // department and a team below it gives the department, one with only a
  // team gives the team; several are joined with ", ".
  std::optional<std::string> department;
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

  // Salary as the board wrote it in text ("$120k–$150k", "6-9 LPA"), for
  // the normalizer; structured amounts go in salary_min/max instead.
  std::optional<std::string> salary_text;

  // ---- Normalized (normalize/NormalizePosting) ----
  // After normalization remote, employment_type, salary_*, date_posted,
  // valid_through and country hold normalized values, and what the board
  // wrote is kept in the *_raw fields beside them.
  std::vector<Place> places;                       // every place named; the first is the main one
  std::optional<std::string> city;                 // of the first place
  std::optional<std::string> region;               // of the first place (ISO 3166-2 subdivision)
  std::optional<std::string> remote_scope;         // who may apply to remote work: "US", "Europe", ...
  std::optional<double> salary_annual_min;         // min/max over a year, same currency
  std::optional<double> salary_annual_max;
  bool salary_currency_guessed = false;            // from an ambiguous symbol or the country alone
  std::optional<std::string> salary_source;        // structured | board | text
  std::optional<std::string> seniority;            // intern | entry | mid | senior | staff | lead | director
  std::optional<std::string> seniority_rule;       // the title word that decided it
  std::optional<std::string> title_family;         // "backend engineer"
  std::optional<std::string> title_key;            // matching key of the title
  std::optional<std::string> company_key;          // matching key of the company
  std::vector<std::string> skills;                 // canonical names (normalize/data/skills.tsv)
  std::optional<std::string> visa_sponsorship;     // yes | no; not stated: nullopt
  std::optional<int> experience_years_min;
  std::optional<std::string> language;             // ISO 639-1 of the description
  std::optional<std::string> remote_raw;
  std::optional<std::string> employment_type_raw;
  std::optional<std::string> salary_raw;
  std::optional<std::string> date_posted_raw;
  std::optional<std::string> valid_through_raw;
  std::optional<std::string> country_raw;
  bool normalized = false;  // NormalizePosting has run (a second run changes nothing)

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
  // Asked for by POST with this body (Workday's search pages); none: GET.
  std::optional<PostBody> post;

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
  bool too_slow = false;      // the page's time budget ran out: postings and links are partial
  std::vector<std::string> warnings;
};

}  // namespace jobtrawl

#endif  // JOBTRAWL_MODEL_POSTING_H_
