// Read-only access to a jobtrawl database on PostgreSQL for the analysts'
// commands (`search`, `export`, `stats`; issue 15 part 1): the same public
// shape, rows, columns, filters and errors as storage::Reader
// (storage/reader.h) on SQLite, so the commands' output formats apply
// unchanged. docs/postgresql.md says where results differ.
//
// The connection is read-only (default_transaction_read_only): the
// reader never migrates and never writes. Every query runs in its own
// short transaction; Export reads kExportChunk rows at a time by id, each
// chunk a statement of its own, so a long export holds no snapshot for
// long; Stats reads in one REPEATABLE READ transaction, so its counts
// agree with each other.
//
// Search: the query is FTS5's syntax (storage/pg/search_query.h) made a
// tsquery; rank is ts_rank over postings_fts.document with weights title
// 1.0, company 0.5, location and skills 0.25, description 0.1 (bm25's
// 10, 5, 2/3, 1 scaled), divided by 1 + log(the document's length) (as
// bm25 favours short documents, though bm25 does so per column and with
// inverse document frequencies, so orders of near ties can differ),
// `score` its negation (lower is better, as bm25), ties by id; the rank
// window as Reader::Search. `snippet` is
// ts_headline of the column that matches best (title, company, location,
// description, skills in that order on a tie), at most 16 words, matches
// between the marks, "…" where it cuts the column's text (as FTS5's).
//
// Search cost: the tsquery is a constant of each statement, so the
// planner estimates its matches from the lexemes' statistics (ANALYZE):
// for a common query it walks postings_fts from the newest id, checking
// each document and ranking it in the same pass, and stops after the
// window (rank_window / the share of documents that match rows read); for
// a rare one it collects the matches through the GIN index and sorts them.
// postings is read only for filters, and for the kept rows' columns and
// snippets. Rows read per search are tested (PgSearchCostTest); figures in
// docs/postgresql.md "Search cost".
//
// Not thread-safe: one PgReader per thread. Errors:
//   kInvalidArgument  a search query that cannot be read (search_query.h)
//   kParse            the database is not a jobtrawl one (no schema_version)
//   kStorage          no connection, a schema version this build does not
//                     read, anything else the server refused
#ifndef JOBTRAWL_STORAGE_PG_READER_H_
#define JOBTRAWL_STORAGE_PG_READER_H_

#include <cstddef>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/error.h"
#include "storage/pg/connection.h"
#include "storage/reader.h"

namespace jobtrawl::storage::pg {

// `match` (FTS5's syntax, search_query.h) as the tsquery text Search runs,
// its words made lexemes on `connection` (phraseto_tsquery in the
// configuration `jobtrawl`): for other code that matches postings the way
// `jobtrawl search` does (alerts), as `postings_fts.document @@ $1::tsquery`.
// Errors: kInvalidArgument for a query that cannot be read; kStorage.
std::expected<std::string, jobtrawl::Error> SearchTsQuery(Connection& connection, std::string_view match);

// For alerts (PostingStore::EnqueueAlerts on PostgreSQL), on the caller's
// connection and inside its transaction: as storage::MatchingPostings, the
// ids of the open postings among `ids_sql` (a SELECT of one column of
// posting ids) that `filter` matches (an empty `match`: every posting),
// with the conditions Search and Export use, in id order. A query that
// cannot be read is refused before anything is sent (kInvalidArgument),
// so the caller's transaction is left as it was; a server error is
// returned as it is (`transient` kept).
std::expected<std::vector<std::int64_t>, jobtrawl::Error> MatchingPostings(Connection& connection,
                                                                           const PostingFilter& filter,
                                                                           std::string_view ids_sql);
// As storage::PostingRow: the posting with this id with Export's columns
// and values, or nullopt when it is gone.
std::expected<std::optional<Row>, jobtrawl::Error> PostingRow(Connection& connection, std::int64_t id);

class PgReader {
 public:
  static constexpr std::size_t kExportChunk = Reader::kExportChunk;

  // Connects to `url` and checks that the database is a jobtrawl one of
  // the schema version this build reads (LatestPgSchemaVersion()).
  static std::expected<std::unique_ptr<PgReader>, jobtrawl::Error> Open(std::string_view url);

  // As Reader::Search (see above for rank and snippet).
  std::expected<std::vector<Row>, jobtrawl::Error> Search(const PostingFilter& filter, std::string_view mark_open,
                                                          std::string_view mark_close);
  // As Reader::Export: the same columns in the same order.
  std::expected<std::int64_t, jobtrawl::Error> Export(const PostingFilter& filter,
                                                      const std::function<bool(const Row&)>& row);
  // As Reader::Stats.
  std::expected<std::pair<std::vector<SourceStats>, Totals>, jobtrawl::Error> Stats(std::string_view now);

  // `filter.match` as the tsquery Search runs (for tests and EXPLAIN).
  std::expected<std::string, jobtrawl::Error> TsQuery(std::string_view match);

  // The connection underneath (for tests: its every session is read-only).
  Connection& connection() { return c_; }

 private:
  explicit PgReader(Connection c) : c_(std::move(c)) {}
  Connection c_;
};

}  // namespace jobtrawl::storage::pg

#endif  // JOBTRAWL_STORAGE_PG_READER_H_
