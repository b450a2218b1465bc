// Read-only access to the jobtrawl database for the analysts' commands
// (`search`, `export`, `stats`; docs/analysts.md).
//
// A Reader opens the file with SQLITE_OPEN_READONLY: it never migrates,
// never writes, and works while the daemon writes (WAL: readers see the
// last commit and never block the writer). Every query is its own short
// read transaction; Export reads in chunks of kExportChunk rows, each in a
// transaction of its own, so a long export never pins the WAL (the writer's
// checkpoints go on) and holds at most one chunk in memory. Rows of a long
// export are therefore each consistent, but not one snapshot of the table.
//
// Not thread-safe: one Reader per thread. SQLite's exceptions stay inside;
// every call returns an Error:
//   kNotFound         the file does not exist
//   kParse            the file is not a SQLite database, or not jobtrawl's
//   kInvalidArgument  a search query FTS5 cannot read (syntax error,
//                     unknown column)
//   kStorage          anything else SQLite refused (schema version
//                     mismatch, missing -wal/-shm that cannot be created)
#ifndef JOBTRAWL_STORAGE_READER_H_
#define JOBTRAWL_STORAGE_READER_H_

#include <cstdint>
#include <cstddef>
#include <expected>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/error.h"

namespace SQLite {
class Database;
}

namespace jobtrawl::storage {

// One SQLite value: NULL, INTEGER, REAL or TEXT.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

// A result row with its column names (shared by every row of a result).
struct Row {
  std::shared_ptr<const std::vector<std::string>> columns;
  std::vector<Value> values;

  // The value of column `name`; monostate when there is no such column.
  const Value& Get(std::string_view name) const;
  // The text of column `name`, or "" when NULL or absent.
  std::string Text(std::string_view name) const;
};

// Columns whose text is a JSON array (postings.skills, postings.places and
// the `sources` column of Export and Search): writers of JSON embed them.
bool IsJsonColumn(std::string_view name);

// Which postings a search or an export returns. Strings are used as given:
// the caller validates them (country code, currency, time).
struct PostingFilter {
  enum class State { kAny, kOpen, kClosed };
  std::string match;    // FTS5 query over title, company, location, description, skills
  bool remote = false;  // remote = 'remote' only
  std::string country;  // ISO 3166-1 alpha-2
  std::string company;  // company_key equal to this key, or company containing this text
  std::string company_key;
  std::string since;    // first_seen at or after this UTC ISO-8601 time
  std::optional<double> salary_min;  // yearly pay reaches this, in `currency`
  std::string currency;              // ISO 4217; with salary_min
  State state = State::kAny;
  int limit = 0;  // at most this many rows; 0: no limit (Export only)
  // Search only: rank the `rank_window` newest matches (highest id, i.e.
  // first seen last), not every match; 0 ranks every match. A query with
  // at most this many matches gets exactly the ranking of all of them.
  // See Reader::Search for how filters narrow the window.
  std::int64_t rank_window = kDefaultRankWindow;

  static constexpr std::int64_t kDefaultRankWindow = 10'000;
};

// A source's state for `jobtrawl stats`.
struct SourceStats {
  std::string name;
  std::int64_t open = 0;     // listings not closed
  std::int64_t closed = 0;   // listings closed
  std::int64_t new_24h = 0;  // listings first seen in the 24 h before `now`
  std::string last_crawl;    // started_at of the latest run, "" when never crawled
  std::string last_finished; // its finished_at, "" while running
  std::string last_status;   // its status
  std::string degraded;      // when that is "degraded": its message (why; app/breakage.h)
  // failed fetches / (pages + failed fetches) over the runs started in the
  // 24 h before `now`, or over the latest run when none was; nullopt when
  // those runs fetched nothing.
  std::optional<double> error_rate;
};

struct Totals {
  std::int64_t open_postings = 0;
  std::int64_t closed_postings = 0;
  std::int64_t new_postings_24h = 0;
};

// For alerts, on a connection of the caller's (inside its transaction):
// the ids of the open postings among `ids_sql` (a SELECT of one column of
// posting ids) that `filter` matches (an empty `match`: every posting),
// with the conditions Search and Export use. SQLite's exceptions are
// returned as errors (kInvalidArgument: an FTS5 query it cannot read).
std::expected<std::vector<std::int64_t>, Error> MatchingPostings(SQLite::Database& db,
                                                                 const PostingFilter& filter,
                                                                 std::string_view ids_sql);
// The posting with this id, with Export's columns; nullopt when gone.
std::expected<std::optional<Row>, Error> PostingRow(SQLite::Database& db, std::int64_t id);
// Why FTS5 cannot read `match` (as `jobtrawl search` would say), or
// nullopt when it can: checked on an empty in-memory index.
std::optional<std::string> CheckSearchQuery(std::string_view match);

// The indexed words that begin with `prefix` (lower case), in order, at
// most `max`.
using PrefixWords = std::function<std::vector<std::string>(const std::string& prefix, std::size_t max)>;

// A prefix query (`accessib*`) as Reader::Search runs it: each bare
// `word*` of the FTS5 query `match` becomes the indexed words that begin
// with it, `"w"` for one and `("w1" OR "w2")` for several, when there are
// from 1 to kMaxPrefixWords of them and the prefix is at least
// kMinPrefixChars ASCII letters and digits (which the tokenizer keeps as
// one token, lower-cased). One word is the same query exactly (matches,
// bm25, snippet); several give the same matches, but bm25 weighs each word
// by its own idf instead of the prefix as one term. Several words need a
// group, and FTS5 (SQLite 3.40) has no implicit AND with a group, so they
// are used only where the prefix is an operand of its own (`acc*`,
// `rust AND acc*`, `acc* OR rust`, `x NOT title:acc*`, `(acc*)`), not
// `rust acc*`. Left as written: prefixes inside "strings" and NEAR(...)
// groups, after `^`, next to the phrase operator `+`, shorter ones,
// others with no word or too many, several words elsewhere.
// Column filters stay in force (`title:acc*` becomes `title:("w1" OR
// "w2")`).
inline constexpr std::size_t kMaxPrefixWords = 32;
inline constexpr std::size_t kMinPrefixChars = 3;
std::string ExpandSearchPrefixes(std::string_view match, const PrefixWords& words);

class Reader {
 public:
  static constexpr std::size_t kExportChunk = 500;

  // Opens `path` read-only and checks that it is a jobtrawl database of the
  // schema version this build reads (LatestSchemaVersion()).
  static std::expected<std::unique_ptr<Reader>, Error> Open(const std::filesystem::path& path);

  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Postings matching `filter.match` (required), best first by bm25 (title
  // weighs most, then company, skills, location, description; ties by id),
  // at most filter.limit (default 20). Columns: those of Export without the
  // two descriptions, then `score` (bm25, lower is better) and `snippet`
  // (about 16 words of the best column, matches between `mark_open` and
  // `mark_close`).
  //
  // Cost and the rank window: FTS5 computes bm25 row by row (a lookup of
  // the row's length and a walk of its positions, about 1 us), and a common
  // word matches a large share of all postings, so ranking every match
  // takes time linear in the table (1 s at a million postings). With
  // filter.rank_window = W > 0 only the W newest matches (highest ids) are
  // ranked: when the query has at most W matches, the result is exactly
  // that of ranking all of them; when it has more, it is the best of the
  // newest W, so the cost stays bounded whatever the table's size. With
  // filters, the newest W matches of the query are narrowed by them; when
  // that leaves fewer rows than the limit, the newest W matches that pass
  // the filters are ranked instead (walking older matches until it has
  // them), so a search never gives fewer rows than there are. bm25's
  // inverse document frequencies are still those of the whole table.
  // --since is turned into a lower bound on the id when few postings are
  // that recent, so the walk stops at the oldest of them; --closed into an
  // upper bound, the newest closed posting (index postings_closed, schema
  // v16), so the walk does not go through the newer, open ones. bm25 is
  // computed only for the matches that pass the filters. A prefix query
  // is run as the words it stands for (ExpandSearchPrefixes), looked up
  // in the index's vocabulary.
  std::expected<std::vector<Row>, Error> Search(const PostingFilter& filter,
                                                std::string_view mark_open,
                                                std::string_view mark_close);

  // Streams the postings matching `filter` (no `match`) in id order to
  // `row`, which returns false to stop. Columns: id, title, company,
  // location, country, city, region, places, remote, remote_scope,
  // employment_type, salary_min, salary_max, salary_currency, salary_period,
  // salary_annual_min, salary_annual_max, seniority, title_family, skills,
  // visa_sponsorship, experience_years_min, language, date_posted,
  // valid_through, url, apply_url, external_id, sources (JSON array of the
  // names of every source that listed it), first_seen, last_seen,
  // updated_at, closed_at, department (v13), description,
  // description_markdown.
  // Returns how many rows were given to `row`.
  std::expected<std::int64_t, Error> Export(const PostingFilter& filter,
                                            const std::function<bool(const Row&)>& row);

  // Per source (by name), and the distinct postings, at `now` (UTC ISO-8601).
  std::expected<std::pair<std::vector<SourceStats>, Totals>, Error> Stats(std::string_view now);

 private:
  explicit Reader(std::unique_ptr<SQLite::Database> db);
  // PrefixWords over this database's index (throws SQLite::Exception).
  std::vector<std::string> WordsWithPrefix(const std::string& prefix, std::size_t max);

  std::unique_ptr<SQLite::Database> db_;
  bool vocabulary_ = false;  // temp.jobtrawl_search_words exists
};

}  // namespace jobtrawl::storage

#endif  // JOBTRAWL_STORAGE_READER_H_
