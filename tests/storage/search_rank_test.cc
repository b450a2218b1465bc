// jobtrawl_bm25 (storage/search_rank.h) against FTS5's own bm25(): the
// same scores, and Reader::Search returns the rows and order that ranking
// with bm25() gives (issue 12 part 6: search latency without changing the
// results).
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "tests/support/temp_dir.h"
#include "storage/reader.h"
#include "storage/search_rank.h"
#include "storage/store.h"

namespace jobtrawl::storage {
namespace {

constexpr const char* kWeights = "10.0, 5.0, 2.0, 1.0, 3.0";  // Reader::Search's

// One test's directory (tests/support/temp_dir.h).
class TempDir : public jobtrawl::testing::TempDir {
 public:
  TempDir() : jobtrawl::testing::TempDir("search-rank") {}
};

// 400 postings of words drawn from a small vocabulary with skewed weights
// (so every word is in many postings, some in most, as in the scale
// bench), lengths from 5 to 300 words, the query words in titles of some;
// countries and remote flags in turn.
std::filesystem::path Corpus(const std::filesystem::path& dir) {
  const std::vector<std::string> words{
      "rust",    "engineer", "backend", "data",    "platform", "kubernetes", "python", "team",
      "build",   "systems",  "machine", "learning", "payments", "ledger",    "remote", "senior",
      "support", "customer", "cloud",   "security", "react",    "typescript", "go",    "design"};
  std::mt19937 rng(12);
  std::discrete_distribution<int> pick({30, 25, 12, 20, 10, 8, 9, 30, 15, 12, 6, 6, 4, 4, 7, 10, 9, 8, 11, 7, 5, 5, 6, 9});
  auto text = [&](int n) {
    std::string t;
    for (int i = 0; i < n; ++i) t += (i ? " " : "") + words[static_cast<std::size_t>(pick(rng))];
    return t;
  };
  const auto path = dir / "jobs.db";
  auto store = std::move(*PostingStore::Open(path, {.dedup_distance = -1}));
  auto source = *store->EnsureSource("board", "html", "2026-11-01T00:00:00Z");
  std::vector<Posting> jobs;
  for (int i = 0; i < 400; ++i) {
    Posting p;
    p.url = "https://board.example/jobs/" + std::to_string(i);
    p.external_id = std::to_string(i);
    p.title = i % 7 == 0 ? text(1) + " " + text(1) + " Engineer" : "Role " + std::to_string(i) + " " + text(2);
    p.company = "Company " + std::to_string(i % 13) + (i % 5 == 0 ? " Cloud" : "");
    p.location = i % 3 == 0 ? "Berlin" : "Remote";
    p.description = text(5 + static_cast<int>(rng() % 296));
    p.skills = {words[static_cast<std::size_t>(pick(rng))], words[static_cast<std::size_t>(pick(rng))]};
    p.country = i % 2 == 0 ? "DE" : "FR";
    p.remote = i % 3 == 0 ? "onsite" : "remote";
    jobs.push_back(std::move(p));
  }
  EXPECT_TRUE(store->Upsert(source, jobs, "2026-11-02T00:00:00Z").has_value());
  EXPECT_EQ(store->database().execAndGet("SELECT count(*) FROM postings").getInt(), 400);
  return path;
}

const std::vector<std::string> kQueries{"rust",
                                        "engineer",
                                        "team",
                                        "backend engineer",
                                        "\"machine learning\"",
                                        "react typescript data",
                                        "python OR go",
                                        "title:engineer",
                                        "cloud NOT security",
                                        "paym*",
                                        "ledger"};

TEST(SearchRankTest, GivesBm25sScoresBitForBit) {
  TempDir dir;
  const auto path = Corpus(dir.path());
  SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
  ASSERT_TRUE(RegisterSearchRank(db.getHandle()));
  for (const std::string& query : kQueries) {
    SCOPED_TRACE(query);
    SQLite::Statement q(db, std::string("SELECT rowid, bm25(postings_fts, ") + kWeights +
                                "), jobtrawl_bm25(postings_fts, 0, " + kWeights +
                                ") FROM postings_fts WHERE postings_fts MATCH ?");
    q.bind(1, query);
    int rows = 0;
    while (q.executeStep()) {
      ++rows;
      EXPECT_EQ(q.getColumn(1).getDouble(), q.getColumn(2).getDouble()) << "rowid " << q.getColumn(0).getInt64();
    }
    EXPECT_GT(rows, 0);
  }
}

TEST(SearchRankTest, SkipsOnlyRowsThatCannotBeKept) {
  // With KEEP = k, the k best (score, rowid) of the rows scored are those
  // of bm25(), and rows are skipped (else this test would not test that).
  TempDir dir;
  const auto path = Corpus(dir.path());
  SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
  ASSERT_TRUE(RegisterSearchRank(db.getHandle()));
  int skipped = 0;
  for (const std::string& query : kQueries) {
    for (int keep : {1, 3, 20}) {
      SCOPED_TRACE(query + " keep " + std::to_string(keep));
      auto best = [&](const std::string& function) {
        SQLite::Statement q(db, "SELECT id, score FROM (SELECT postings_fts.rowid AS id, " + function +
                                    " AS score FROM postings_fts WHERE postings_fts MATCH ?1 "
                                    "ORDER BY postings_fts.rowid DESC) ORDER BY score, id LIMIT ?2");
        q.bind(1, query);
        q.bind(2, keep);
        std::vector<std::tuple<std::int64_t, double>> out;
        while (q.executeStep()) out.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getDouble());
        return out;
      };
      EXPECT_EQ(best("jobtrawl_bm25(postings_fts, " + std::to_string(keep) + ", " + kWeights + ")"),
                best(std::string("bm25(postings_fts, ") + kWeights + ")"));
      SQLite::Statement count(db, "SELECT count(*) FROM (SELECT jobtrawl_bm25(postings_fts, ?2, " + std::string(kWeights) +
                                      ") AS score FROM postings_fts WHERE postings_fts MATCH ?1 "
                                      "ORDER BY postings_fts.rowid DESC) WHERE score = ?3");
      count.bind(1, query);
      count.bind(2, keep);
      count.bind(3, kNotKept);
      ASSERT_TRUE(count.executeStep());
      skipped += count.getColumn(0).getInt();
    }
  }
  EXPECT_GT(skipped, 1000);
}

// Reader::Search's rows against the same ranking done with bm25() by
// plain SQL: the newest `window` matches (0: all) that pass the filter,
// best first by (bm25, id), at most `limit`, with their scores.
struct Case {
  std::string query;
  std::string country;
  bool remote = false;
  int limit = 20;
  std::int64_t window = 0;
};

std::vector<std::tuple<std::string, double>> Reference(SQLite::Database& db, const Case& c, bool narrowed) {
  // All matches, newest first, with bm25 and whether they pass the filter.
  SQLite::Statement q(db, std::string("SELECT postings_fts.rowid, bm25(postings_fts, ") + kWeights +
                              "), (?2 = '' OR p.country = ?2) AND (?3 = 0 OR p.remote = 'remote') "
                              "FROM postings_fts JOIN postings p ON p.id = postings_fts.rowid "
                              "WHERE postings_fts MATCH ?1 ORDER BY postings_fts.rowid DESC");
  q.bind(1, c.query);
  q.bind(2, c.country);
  q.bind(3, c.remote ? 1 : 0);
  std::vector<std::tuple<double, std::int64_t>> ranked;
  std::int64_t seen = 0;
  while (q.executeStep()) {
    const bool passes = q.getColumn(2).getInt() != 0;
    // Narrowed: the window counts every match; else only those that pass.
    if (c.window > 0 && (narrowed || passes) && seen++ >= c.window) break;
    if (passes) ranked.emplace_back(q.getColumn(1).getDouble(), q.getColumn(0).getInt64());
  }
  std::sort(ranked.begin(), ranked.end());
  if (ranked.size() > static_cast<std::size_t>(c.limit)) ranked.resize(static_cast<std::size_t>(c.limit));
  std::vector<std::tuple<std::string, double>> out;
  for (const auto& [score, id] : ranked) out.emplace_back(std::to_string(id), score);
  return out;
}

TEST(SearchRankTest, SearchRanksAsBm25Does) {
  TempDir dir;
  const auto path = Corpus(dir.path());
  SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
  auto reader = std::move(*Reader::Open(path));
  int compared = 0;
  for (const std::string& query : kQueries) {
    for (const auto& [country, remote] : std::vector<std::pair<std::string, bool>>{{"", false}, {"DE", false}, {"FR", true}}) {
      for (int limit : {1, 3, 20}) {
        for (std::int64_t window : {std::int64_t{0}, std::int64_t{40}, std::int64_t{10'000}}) {
          const Case c{.query = query, .country = country, .remote = remote, .limit = limit, .window = window};
          SCOPED_TRACE(query + " country " + country + " remote " + std::to_string(remote) + " limit " +
                       std::to_string(limit) + " window " + std::to_string(window));
          auto rows = reader->Search(
              {.match = query, .remote = remote, .country = country, .limit = limit, .rank_window = window}, "[", "]");
          ASSERT_TRUE(rows.has_value()) << rows.error().message;
          std::vector<std::tuple<std::string, double>> got;
          for (const Row& r : *rows) got.emplace_back(r.Text("id"), std::get<double>(r.Get("score")));
          // Filters with a window: the newest matches narrowed by the
          // filters when that fills the limit, else the newest that pass.
          auto want = Reference(db, c, true);
          if (window > 0 && !country.empty() && want.size() < static_cast<std::size_t>(limit)) {
            want = Reference(db, c, false);
          }
          if (window > 0 && country.empty()) want = Reference(db, c, false);
          EXPECT_EQ(got, want);
          compared += static_cast<int>(got.size());
        }
      }
    }
  }
  EXPECT_GT(compared, 1000);
}

}  // namespace
}  // namespace jobtrawl::storage
