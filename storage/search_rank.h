// jobtrawl_bm25: FTS5's bm25 ranking, computed for fewer rows.
//
// `jobtrawl search` ranks the newest rank_window matches of a query by
// bm25 and keeps the best `limit` (storage/reader.h). FTS5's bm25() looks
// up every row's length in the index's docsize table (an SQL point query
// per row), although most rows of the window cannot reach the kept ones.
// jobtrawl_bm25 gives the same scores, bit for bit (the same formula,
// constants and order of floating-point operations as SQLite 3.40's
// ext/fts5/fts5_aux.c: k1 = 1.2, b = 0.75, idf = ln((N - n + 0.5) /
// (n + 0.5)) floored at 1e-6, the weighted term frequency of each phrase,
// the row's length over the table's mean), and with KEEP > 0 it skips the
// length lookup of a row that cannot be among the KEEP best rows it has
// scored so far in this query:
//
//   jobtrawl_bm25(fts_table, KEEP, weight_col0, weight_col1, ...)
//
// The row's length is at least the sum over its columns of the end of the
// last phrase match in that column (positions count from 0), which the
// match positions give without a lookup; bm25 falls with the length, so
// the score at that length bounds the row's score (IEEE rounding is
// monotone, so the bound holds for the computed doubles too). When the
// bound is worse than the worst of the KEEP best (score, rowid) pairs seen
// so far, the row's score is worse than KEEP rows of the same query and it
// is returned as kNotKept (1e300) instead of its score. So the KEEP best
// rows by (score, rowid) among the rows it is called for are exactly those
// bm25 would give, with bm25's scores, provided every row it is called
// for is a candidate of the ranking (the caller's query shape: the
// function in the select list of the window, never in a WHERE clause that
// drops rows after it ran).
//
// The idf of each phrase costs a walk of the phrase's whole doclist (what
// bm25 does once per query). While a RankMemoScope is alive on a thread,
// the first query of jobtrawl_bm25 on that thread keeps its idf and mean
// length in the scope's RankMemo and the next ones with the same number
// of phrases use them: Reader::Search opens one around the one or two
// statements of a search, which match the same text.
//
// Not thread-safe: like its connection, one thread at a time.
#ifndef JOBTRAWL_STORAGE_SEARCH_RANK_H_
#define JOBTRAWL_STORAGE_SEARCH_RANK_H_

#include <vector>

struct sqlite3;

namespace jobtrawl::storage {

// Returned for a row skipped because it cannot be kept (worse than every
// real bm25 score, which is at most 0).
inline constexpr double kNotKept = 1e300;

// The idf values shared by the statements of one search.
struct RankMemo {
  bool valid = false;
  double avgdl = 0;
  std::vector<double> idf;
};

// Registers jobtrawl_bm25 on `db`; false when FTS5 is missing.
bool RegisterSearchRank(sqlite3* db);

// While alive, calls of jobtrawl_bm25 on this thread share `memo`
// (which must outlive the scope). Scopes nest: the inner one wins.
class RankMemoScope {
 public:
  explicit RankMemoScope(RankMemo& memo);
  ~RankMemoScope();
  RankMemoScope(const RankMemoScope&) = delete;
  RankMemoScope& operator=(const RankMemoScope&) = delete;

 private:
  RankMemo* outer_;
};

}  // namespace jobtrawl::storage

#endif  // JOBTRAWL_STORAGE_SEARCH_RANK_H_
