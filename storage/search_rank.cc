#include "storage/search_rank.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_set>
#include <utility>
#include <vector>

namespace jobtrawl::storage {
namespace {

// FTS5's extension interface (https://sqlite.org/fts5.html#custom_auxiliary_functions).
// Debian's libsqlite3-dev does not install fts5.h; these are the leading
// members of its structs, in their order (a stable ABI: members are only
// ever appended, behind iVersion), as far as this file uses them.
struct Fts5Context;
struct Fts5Api;
struct Fts5ExtensionApi;
using Fts5CountCallback = int (*)(const Fts5ExtensionApi*, Fts5Context*, void*);
struct Fts5ExtensionApi {
  int iVersion;
  void* (*xUserData)(Fts5Context*);
  int (*xColumnCount)(Fts5Context*);
  int (*xRowCount)(Fts5Context*, sqlite3_int64* rows);
  int (*xColumnTotalSize)(Fts5Context*, int column, sqlite3_int64* tokens);
  int (*xTokenize)(Fts5Context*, const char* text, int size, void* context,
                   int (*token)(void*, int, const char*, int, int, int));
  int (*xPhraseCount)(Fts5Context*);
  int (*xPhraseSize)(Fts5Context*, int phrase);
  int (*xInstCount)(Fts5Context*, int* count);
  int (*xInst)(Fts5Context*, int index, int* phrase, int* column, int* offset);
  sqlite3_int64 (*xRowid)(Fts5Context*);
  int (*xColumnText)(Fts5Context*, int column, const char** text, int* size);
  int (*xColumnSize)(Fts5Context*, int column, int* tokens);
  int (*xQueryPhrase)(Fts5Context*, int phrase, void* user_data, Fts5CountCallback callback);
  int (*xSetAuxdata)(Fts5Context*, void* aux, void (*destroy)(void*));
  void* (*xGetAuxdata)(Fts5Context*, int clear);
};
using Fts5Function = void (*)(const Fts5ExtensionApi*, Fts5Context*, sqlite3_context*, int, sqlite3_value**);
struct Fts5Api {
  int iVersion;
  int (*xCreateTokenizer)(Fts5Api*, const char*, void*, void*, void (*)(void*));
  int (*xFindTokenizer)(Fts5Api*, const char*, void**, void*);
  int (*xCreateFunction)(Fts5Api*, const char* name, void* user_data, Fts5Function function,
                         void (*destroy)(void*));
};

// The memo of this thread's innermost RankMemoScope.
thread_local RankMemo* current_memo = nullptr;

// What one query (one FTS5 cursor) keeps between its rows.
struct QueryState {
  double avgdl = 0;
  std::vector<double> idf;
  std::vector<int> phrase_size;
  std::vector<double> freq;    // this row's weighted frequency of each phrase
  std::vector<int> extent;     // this row's least length of each column
  // The best (score, rowid) pairs so far, a max-heap: front() the worst.
  std::vector<std::pair<double, std::int64_t>> best;
  std::unordered_set<std::int64_t> kept;  // the rowids in `best`
};

int CountRow(const Fts5ExtensionApi*, Fts5Context*, void* user_data) {
  ++*static_cast<sqlite3_int64*>(user_data);
  return SQLITE_OK;
}

// bm25 of a row of length `length` (fts5_aux.c, term by term).
double Score(const QueryState& s, double length) {
  const double k1 = 1.2;
  const double b = 0.75;
  double score = 0.0;
  for (std::size_t i = 0; i < s.idf.size(); ++i) {
    score += s.idf[i] * ((s.freq[i] * (k1 + 1.0)) / (s.freq[i] + k1 * (1 - b + b * length / s.avgdl)));
  }
  return -1.0 * score;
}

// The query's state: on its first row, the idf of each phrase (a walk of
// the phrase's matches) and the mean row length, or the memo's.
int Prepare(const Fts5ExtensionApi* api, Fts5Context* fts, RankMemo* memo, QueryState** out) {
  if (auto* s = static_cast<QueryState*>(api->xGetAuxdata(fts, 0))) {
    *out = s;
    return SQLITE_OK;
  }
  auto* s = new QueryState;
  const int phrases = api->xPhraseCount(fts);
  int rc = SQLITE_OK;
  if (memo != nullptr && memo->valid && memo->idf.size() == static_cast<std::size_t>(phrases)) {
    s->avgdl = memo->avgdl;
    s->idf = memo->idf;
  } else {
    sqlite3_int64 rows = 0;
    sqlite3_int64 tokens = 0;
    rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc == SQLITE_OK) s->avgdl = static_cast<double>(tokens) / static_cast<double>(rows);
    for (int i = 0; rc == SQLITE_OK && i < phrases; ++i) {
      sqlite3_int64 hits = 0;
      rc = api->xQueryPhrase(fts, i, &hits, CountRow);
      if (rc == SQLITE_OK) {
        double idf = std::log((static_cast<double>(rows - hits) + 0.5) / (static_cast<double>(hits) + 0.5));
        if (idf <= 0.0) idf = 1e-6;
        s->idf.push_back(idf);
      }
    }
    if (rc == SQLITE_OK && memo != nullptr) {
      memo->avgdl = s->avgdl;
      memo->idf = s->idf;
      memo->valid = true;
    }
  }
  if (rc != SQLITE_OK) {
    delete s;
    return rc;
  }
  for (int i = 0; i < phrases; ++i) s->phrase_size.push_back(std::max(1, api->xPhraseSize(fts, i)));
  s->freq.assign(static_cast<std::size_t>(phrases), 0.0);
  s->extent.assign(static_cast<std::size_t>(std::max(0, api->xColumnCount(fts))), 0);
  rc = api->xSetAuxdata(fts, s, [](void* p) { delete static_cast<QueryState*>(p); });
  if (rc != SQLITE_OK) return rc;  // FTS5 deleted it
  *out = s;
  return SQLITE_OK;
}

void Rank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* context, int values,
          sqlite3_value** value) {
  if (values < 1) {
    sqlite3_result_error(context, "jobtrawl_bm25(table, keep, weights...): keep is missing", -1);
    return;
  }
  QueryState* s = nullptr;
  int rc = Prepare(api, fts, current_memo, &s);
  const sqlite3_int64 keep = sqlite3_value_int64(value[0]);
  sqlite3_value** weight = value + 1;
  const int weights = values - 1;
  int count = 0;
  if (rc == SQLITE_OK) {
    std::fill(s->freq.begin(), s->freq.end(), 0.0);
    std::fill(s->extent.begin(), s->extent.end(), 0);
    rc = api->xInstCount(fts, &count);
  }
  for (int i = 0; rc == SQLITE_OK && i < count; ++i) {
    int phrase = 0, column = 0, offset = 0;
    rc = api->xInst(fts, i, &phrase, &column, &offset);
    if (rc != SQLITE_OK) break;
    const double w = weights > column ? sqlite3_value_double(weight[column]) : 1.0;
    s->freq[static_cast<std::size_t>(phrase)] += w;
    if (column >= 0 && static_cast<std::size_t>(column) < s->extent.size()) {
      auto& e = s->extent[static_cast<std::size_t>(column)];
      e = std::max(e, offset + s->phrase_size[static_cast<std::size_t>(phrase)]);
    }
  }
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(context, rc);
    return;
  }
  const std::int64_t rowid = api->xRowid(fts);
  const bool full = keep > 0 && s->best.size() >= static_cast<std::size_t>(keep);
  if (full) {
    double least = 0;
    for (int e : s->extent) least += e;
    if (Score(*s, least) > s->best.front().first) {
      sqlite3_result_double(context, kNotKept);
      return;
    }
  }
  int tokens = 0;
  rc = api->xColumnSize(fts, -1, &tokens);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(context, rc);
    return;
  }
  const double score = Score(*s, static_cast<double>(tokens));
  if (keep > 0) {
    const std::pair<double, std::int64_t> entry{score, rowid};
    // A row scored twice (should SQLite evaluate the call again) counts once.
    // (A set, not a scan of `best`: KEEP is the caller's limit, unbounded.)
    const bool seen = s->kept.contains(rowid);
    if (!seen && !full) {
      s->best.push_back(entry);
      std::push_heap(s->best.begin(), s->best.end());
      s->kept.insert(rowid);
    } else if (!seen && entry < s->best.front()) {
      std::pop_heap(s->best.begin(), s->best.end());
      s->kept.erase(s->best.back().second);
      s->best.back() = entry;
      std::push_heap(s->best.begin(), s->best.end());
      s->kept.insert(rowid);
    }
  }
  sqlite3_result_double(context, score);
}

}  // namespace

bool RegisterSearchRank(sqlite3* db) {
  Fts5Api* api = nullptr;
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &q, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(q, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(q);
  }
  sqlite3_finalize(q);
  if (api == nullptr || api->iVersion < 2) return false;
  return api->xCreateFunction(api, "jobtrawl_bm25", nullptr, Rank, nullptr) == SQLITE_OK;
}

RankMemoScope::RankMemoScope(RankMemo& memo) : outer_(current_memo) { current_memo = &memo; }
RankMemoScope::~RankMemoScope() { current_memo = outer_; }

}  // namespace jobtrawl::storage
