// The PostgreSQL schema (storage/pg/schema.h) against a real server, and
// against SQLite's schema at the same version (storage/schema.cc).
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <charconv>
#include <cstddef>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "storage/pg/connection.h"
#include "storage/pg/schema.h"
#include "storage/store.h"
#include "support/pg_server.h"

namespace jobtrawl::storage::pg {
namespace {

using jobtrawl::testing::PgTest;

Connection Connect(const std::string& url) {
  auto c = Connection::Open(url);
  if (!c) throw std::runtime_error(c.error().message);
  return std::move(*c);
}

Result Must(std::expected<Result, Error> r) {
  if (!r) throw std::runtime_error(r.error().sqlstate + " " + r.error().message);
  return std::move(*r);
}

std::int64_t Count(Connection& c, const std::string& sql) { return *Must(c.Exec(sql)).Int64(0, 0); }

// SQLite's schema at version 15, in memory.
std::unique_ptr<SQLite::Database> SqliteV15() {
  auto db = std::make_unique<SQLite::Database>(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db->exec("PRAGMA foreign_keys = ON");
  auto m = storage::Migrate(*db, 15);
  if (!m) throw std::runtime_error(m.error().message);
  return db;
}

// PostgreSQL's type for a column SQLite declares `declared` (the layout
// rule of schema.h; JSON columns are json).
std::string ExpectedPgType(const std::string& table, const std::string& column, const std::string& declared) {
  if (column == "skills" || column == "places" || (table == "crawl_runs" && column == "stats")) return "json";
  if (declared == "INTEGER") return "bigint";
  if (declared == "REAL") return "double precision";
  return "text";  // TEXT, and revisions.old_value (no type in SQLite)
}

// The migrations up to (not including) `version`.
std::span<const Migration> MigrationsBefore(int version) {
  const std::span<const Migration> all = SchemaMigrations();
  std::size_t n = 0;
  while (n < all.size() && all[n].version < version) ++n;
  return all.first(n);
}

class PgSchemaTest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    pg_ = std::make_unique<Connection>(Connect(url_));
    auto v = MigrateSchema(*pg_);
    ASSERT_TRUE(v.has_value()) << v.error().message;
    ASSERT_EQ(*v, LatestPgSchemaVersion());
    sqlite_ = SqliteV15();
  }
  std::unique_ptr<Connection> pg_;
  std::unique_ptr<SQLite::Database> sqlite_;
};

TEST_F(PgSchemaTest, MigratesOnceAndASecondRunChangesNothing) {
  EXPECT_EQ(LatestPgSchemaVersion(), storage::LatestSchemaVersion())
      << "a SQLite migration without its PostgreSQL counterpart (storage/pg/schema.cc)";
  // One row per migration: the baseline (15) and each one after it.
  const auto migrations = static_cast<std::int64_t>(SchemaMigrations().size());
  EXPECT_EQ(Count(*pg_, "SELECT count(*) FROM schema_version"), migrations);
  auto again = MigrateSchema(*pg_);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(*again, LatestPgSchemaVersion());
  EXPECT_EQ(Count(*pg_, "SELECT count(*) FROM schema_version"), migrations);
  // A second connection (another node) finds it done too.
  Connection other = Connect(url_);
  auto third = MigrateSchema(other);
  ASSERT_TRUE(third.has_value()) << third.error().message;
  EXPECT_EQ(Count(*pg_, "SELECT max(version) FROM schema_version"), LatestPgSchemaVersion());
}

TEST_F(PgSchemaTest, Version21WritesTitleFamiliesInTheMatchingSpelling) {
  // SQLite's v21 on PostgreSQL: "mgr" is "manager" and "&" "and" in the
  // stored title families and keys, word by word; other words stay.
  Connection fresh = Connect(::jobtrawl::testing::SharedPgServer().CreateDatabase());
  auto before = Migrate(fresh, MigrationsBefore(21));
  ASSERT_TRUE(before.has_value()) << before.error().message;
  ASSERT_EQ(*before, 20);
  Must(fresh.Exec("INSERT INTO postings (id, url, content_hash, first_seen, last_seen, title_family, title_key) "
                  "VALUES (1, 'u', 'h', 't', 't', 'engineering mgr', 'engineering mgr (python)'), "
                  "(2, 'u', 'h', 't', 't', 'mgr mgr & & ops', 'r&d mgrs'), "
                  "(3, 'u', 'h', 't', 't', NULL, NULL)"));
  auto after = MigrateSchema(fresh);
  ASSERT_TRUE(after.has_value()) << after.error().message;
  Result rows = Must(fresh.Exec("SELECT coalesce(title_family, 'NULL') || '|' || coalesce(title_key, 'NULL') "
                                "FROM postings ORDER BY id"));
  std::vector<std::string> got;
  for (int r = 0; r < rows.Rows(); ++r) got.push_back(rows.Text(r, 0).value_or(""));
  EXPECT_EQ(got, (std::vector<std::string>{"engineering manager|engineering manager (python)",
                                           "manager manager and and ops|r&d mgrs", "NULL|NULL"}));
  EXPECT_EQ(Count(fresh, "SELECT count(*) FROM revisions"), 0);
}

TEST_F(PgSchemaTest, Version22KeepsSearchDocumentsInTheirRows) {
  // Schema v22: a search document of more than about 2 kB was stored out
  // of line (TOAST), and search read it through a second index; from v22
  // documents up to a page stay in postings_fts's rows, those stored
  // before included, with the same lexemes, positions and weights.
  Connection fresh = Connect(::jobtrawl::testing::SharedPgServer().CreateDatabase());
  auto before = Migrate(fresh, MigrationsBefore(22));
  ASSERT_TRUE(before.has_value()) << before.error().message;
  ASSERT_EQ(*before, 21);
  // Two documents of about 5 kB (300 distinct words that do not
  // compress) and a short one.
  Must(fresh.Exec("INSERT INTO postings (id, url, content_hash, first_seen, last_seen, title, description) "
                  "SELECT g, 'u' || g, 'h', 't', 't', 'Engineer ' || g, "
                  "CASE WHEN g < 3 THEN (SELECT string_agg('w' || substr(md5(g || '.' || k), 1, 10), ' ') "
                  "FROM generate_series(1, 300) AS k) "
                  "ELSE 'short' END FROM generate_series(1, 3) AS g"));
  const std::string toast =
      Must(fresh.Exec("SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = 'postings_fts'"))
          .Text(0, 0)
          .value_or("");
  ASSERT_FALSE(toast.empty());
  ASSERT_GT(Count(fresh, "SELECT count(DISTINCT chunk_id) FROM " + toast), 0) << "v21 stored long documents out of line";
  const std::string documents = "SELECT string_agg(posting_id || ':' || document::text, '|' ORDER BY posting_id) "
                                "FROM postings_fts";
  const std::string want = Must(fresh.Exec(documents)).Text(0, 0).value_or("");
  auto after = MigrateSchema(fresh);
  ASSERT_TRUE(after.has_value()) << after.error().message;
  EXPECT_EQ(Count(fresh, "SELECT count(*) FROM " + toast), 0);
  EXPECT_EQ(Must(fresh.Exec(documents)).Text(0, 0).value_or(""), want);
  // A document written after the migration stays in its row too.
  Must(fresh.Exec("UPDATE postings SET description = description || ' more' WHERE id = 1"));
  EXPECT_EQ(Count(fresh, "SELECT count(*) FROM " + toast), 0);
  EXPECT_EQ(Count(fresh, "SELECT count(*) FROM postings_fts WHERE document @@ 'more & engineer'::tsquery"), 1);
}

TEST_F(PgSchemaTest, RefusesADatabaseNewerThanTheBuild) {
  Must(pg_->Exec("INSERT INTO schema_version (version, applied_at) VALUES (99, now())"));
  auto v = MigrateSchema(*pg_);
  ASSERT_FALSE(v.has_value());
}

TEST_F(PgSchemaTest, EveryTableAndColumnOfSqliteInTheSameOrderAndType) {
  SQLite::Statement tables(*sqlite_,
                           "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                           "AND name NOT LIKE 'postings_fts%' "
                           // SQLite's alone (schema v21): PostgreSQL's identity
                           // sequences never hand out an id twice.
                           "AND name <> 'id_high_water' ORDER BY name");
  int checked = 0;
  while (tables.executeStep()) {
    const std::string table = tables.getColumn(0).getString();
    SCOPED_TRACE(table);
    std::vector<std::pair<std::string, std::string>> want;
    SQLite::Statement cols(*sqlite_, "SELECT name, type FROM pragma_table_info(?) ORDER BY cid");
    cols.bind(1, table);
    while (cols.executeStep()) {
      const std::string name = cols.getColumn(0).getString();
      want.emplace_back(name, ExpectedPgType(table, name, cols.getColumn(1).getString()));
    }
    Result got = Must(pg_->Exec(
        "SELECT column_name::text, data_type::text, collation_name::text FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        {Value{table}}));
    std::vector<std::pair<std::string, std::string>> have;
    for (int r = 0; r < got.Rows(); ++r) {
      have.emplace_back(*got.Text(r, 0), *got.Text(r, 1));
      // Text compares and sorts by code point, as SQLite's BINARY.
      if (have.back().second == "text") {
        EXPECT_EQ(got.Text(r, 2).value_or("default"), "C") << have.back().first;
      }
    }
    EXPECT_EQ(have, want);
    ++checked;
  }
  EXPECT_EQ(checked, 12);
}

TEST_F(PgSchemaTest, EveryIndexOfSqliteExists) {
  SQLite::Statement indexes(*sqlite_,
                            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL");
  int checked = 0;
  while (indexes.executeStep()) {
    const std::string name = indexes.getColumn(0).getString();
    EXPECT_EQ(Count(*pg_, "SELECT count(*) FROM pg_indexes WHERE indexname = '" + name + "'"), 1) << name;
    ++checked;
  }
  EXPECT_EQ(checked, 19);
  // The full-text index is a GIN index.
  EXPECT_EQ(Count(*pg_, "SELECT count(*) FROM pg_indexes WHERE indexname = 'postings_fts_document' "
                        "AND indexdef LIKE '%USING gin%'"), 1);
}

TEST_F(PgSchemaTest, EveryViewAnswersWithSqlitesColumns) {
  for (const std::string view : {"open_postings", "posting_sightings", "daily_counts", "posting_lifecycle"}) {
    SCOPED_TRACE(view);
    SQLite::Statement q(*sqlite_, "SELECT * FROM " + view);
    std::vector<std::string> want;
    for (int i = 0; i < q.getColumnCount(); ++i) want.emplace_back(q.getColumnName(i));
    Result r = Must(pg_->Exec("SELECT * FROM " + view));
    std::vector<std::string> have;
    for (int i = 0; i < r.Columns(); ++i) have.push_back(r.ColumnName(i));
    EXPECT_EQ(have, want);
  }
}

// The same statements on both engines (plain SQL both read).
void RunBoth(Connection& pg, SQLite::Database& lite, const std::string& sql) {
  Must(pg.Exec(sql));
  lite.exec(sql);
}

// One column of a query's rows as text: REAL values as PostgreSQL writes
// a double (85000, 0.5), so both engines' rows compare.
std::vector<std::vector<std::string>> SqliteRows(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement q(db, sql);
  std::vector<std::vector<std::string>> rows;
  while (q.executeStep()) {
    std::vector<std::string> row;
    for (int i = 0; i < q.getColumnCount(); ++i) {
      const SQLite::Column c = q.getColumn(i);
      if (c.isNull()) row.emplace_back("NULL");
      else if (c.getType() == SQLITE_FLOAT) {
        char buf[64];
        // The shortest text that reads back as the same double.
        auto end = std::to_chars(buf, buf + sizeof buf, c.getDouble()).ptr;
        row.emplace_back(buf, end);
      } else row.emplace_back(c.getString());
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::vector<std::string>> PgRows(Connection& pg, const std::string& sql) {
  Result r = Must(pg.Exec(sql));
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < r.Rows(); ++i) {
    std::vector<std::string> row;
    for (int j = 0; j < r.Columns(); ++j) row.push_back(r.IsNull(i, j) ? "NULL" : *r.Text(i, j));
    rows.push_back(std::move(row));
  }
  return rows;
}

TEST_F(PgSchemaTest, TriggersWriteRevisionsAndReopenCountsAsSqlitesDo) {
  const std::vector<std::string> steps = {
      "INSERT INTO sources (id, name, kind, created_at) VALUES (1, 'acme-greenhouse', 'greenhouse', "
      "'2026-11-01T00:00:00Z'), (2, 'jobs-board', 'jsonld', '2026-11-01T00:00:00Z')",
      "INSERT INTO postings (id, title, company, location, country, salary_min, salary_max, salary_currency, "
      "url, description, skills, places, content_hash, first_seen, last_seen, experience_years_min) VALUES "
      "(1, 'Senior Rust Engineer', 'Acme', 'Berlin, DE', 'DE', 85000, 95000.5, 'EUR', 'https://a/1', "
      "'Build things.', '[\"Rust\",\"C++\"]', '[{\"city\":\"Berlin\",\"country\":\"DE\"}]', 'h1', "
      "'2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z', 3)",
      "INSERT INTO listings (id, posting_id, source_id, key, url, content_hash, first_seen, last_seen) VALUES "
      "(1, 1, 1, 'k1', 'https://a/1', 'h1', '2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z'), "
      "(2, 1, 2, 'k2', 'https://b/1', 'h1', '2026-11-02T10:00:00Z', '2026-11-02T10:00:00Z')",
      // A refresh of last_seen: no revision.
      "UPDATE postings SET last_seen = '2026-11-03T10:00:00Z' WHERE id = 1",
      // The same hash again: no revision, whatever else is set.
      "UPDATE postings SET content_hash = 'h1', title = 'Senior Rust Engineer' WHERE id = 1",
      // A change: one row per changed field, the old values.
      "UPDATE postings SET title = 'Staff Rust Engineer', salary_min = 90000, salary_max = NULL, "
      "skills = '[\"Rust\"]', experience_years_min = 5, location = NULL, content_hash = 'h2', "
      "updated_at = '2026-11-04T10:00:00Z' WHERE id = 1",
      // Closed, reopened, closed, reopened: times_reopened 2.
      "UPDATE postings SET closed_at = '2026-11-05T10:00:00Z' WHERE id = 1",
      "UPDATE postings SET closed_at = NULL WHERE id = 1",
      "UPDATE postings SET closed_at = NULL WHERE id = 1",
      "UPDATE postings SET closed_at = '2026-11-06T10:00:00Z' WHERE id = 1",
      "UPDATE postings SET closed_at = '2026-11-07T10:00:00Z' WHERE id = 1",
      "UPDATE postings SET closed_at = NULL, last_seen = '2026-11-08T10:00:00Z' WHERE id = 1",
      "UPDATE listings SET closed_at = '2026-11-06T10:00:00Z' WHERE id = 2",
      "INSERT INTO crawl_runs (id, source_id, started_at, status) VALUES (1, 1, '2026-11-03T09:00:00Z', 'ok')",
  };
  for (const std::string& s : steps) {
    SCOPED_TRACE(s);
    RunBoth(*pg_, *sqlite_, s);
  }
  const std::string revisions = "SELECT id, posting_id, changed_at, field, old_value FROM revisions ORDER BY id";
  const auto want = SqliteRows(*sqlite_, revisions);
  EXPECT_EQ(want.size(), 6u);
  EXPECT_EQ(PgRows(*pg_, revisions), want);
  for (const std::string q :
       {"SELECT id, times_reopened, closed_at FROM postings ORDER BY id",
        "SELECT posting_id, first_seen, last_seen, closed_at, times_reopened, sightings, sources, source_names "
        "FROM posting_lifecycle ORDER BY posting_id",
        "SELECT id, title, source_names FROM open_postings ORDER BY id",
        "SELECT posting_id, source, listing_id, closed_at, posting_closed_at FROM posting_sightings ORDER BY listing_id",
        "SELECT day, source, source_id, new, closed, open FROM daily_counts ORDER BY source_id, day",
        "SELECT json_array_length(skills), places FROM postings ORDER BY id"}) {
    SCOPED_TRACE(q);
    const auto rows = SqliteRows(*sqlite_, q);
    EXPECT_FALSE(rows.empty());
    EXPECT_EQ(PgRows(*pg_, q), rows);
  }
}

TEST_F(PgSchemaTest, JsonColumnsKeepTheirTextAndRefuseWhatIsNoArray) {
  const std::string text = "[{\"city\":\"Berlin\",\"country\":\"DE\"},{\"country\":\"AT\"}]";
  Must(pg_->Exec("INSERT INTO postings (id, url, content_hash, first_seen, last_seen, places) "
                 "VALUES (1, 'u', 'h', 't', 't', $1::json)", {Value{text}}));
  EXPECT_EQ(*Must(pg_->Exec("SELECT places::text FROM postings")).Text(0, 0), text);
  EXPECT_EQ(Count(*pg_, "SELECT count(*) FROM postings, json_array_elements(places)"), 2);
  for (const std::string bad : {"{\"a\":1}", "\"Rust\"", "null", "3"}) {
    auto r = pg_->Exec("INSERT INTO postings (url, content_hash, first_seen, last_seen, skills) "
                       "VALUES ('u', 'h', 't', 't', $1::json)", {Value{bad}});
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().sqlstate, "23514") << bad;
    EXPECT_NE(r.error().message.find("must be JSON arrays or NULL"), std::string::npos);
    auto u = pg_->Exec("UPDATE postings SET places = $1::json", {Value{bad}});
    EXPECT_FALSE(u.has_value()) << bad;
  }
  auto no_json = pg_->Exec("INSERT INTO postings (url, content_hash, first_seen, last_seen, skills) "
                           "VALUES ('u', 'h', 't', 't', $1::json)", {Value{std::string("[Rust")}});
  EXPECT_FALSE(no_json.has_value());
}

TEST_F(PgSchemaTest, FullTextIndexFollowsPostingsLikeFts5) {
  Must(pg_->Exec("INSERT INTO postings (id, title, company, location, description, skills, url, content_hash, "
                 "first_seen, last_seen) VALUES (1, 'Senior C++ Engineer', 'Café Zürich', 'Berlin', "
                 "'We use C# and Rust.', '[\"C++\",\"Rust\"]', 'u', 'h', 't', 't')"));
  auto matches = [&](const std::string& words) {
    return Count(*pg_, "SELECT count(*) FROM postings_fts WHERE document @@ "
                       "phraseto_tsquery('jobtrawl', jobtrawl_fts_text('" + words + "'))");
  };
  EXPECT_EQ(matches("c++ engineer"), 1);
  EXPECT_EQ(matches("C#"), 1);
  EXPECT_EQ(matches("cafe zurich"), 1);   // diacritics removed, as remove_diacritics 2
  EXPECT_EQ(matches("CAFÉ"), 1);
  EXPECT_EQ(matches("c engineer"), 0);    // "c++" is one word, not "c"
  EXPECT_EQ(matches("python"), 0);
  // Only a change of an indexed column touches the index.
  Must(pg_->Exec("UPDATE postings SET description = 'Python now.' WHERE id = 1"));
  EXPECT_EQ(matches("python"), 1);
  EXPECT_EQ(matches("rust"), 1);  // still in skills
  Must(pg_->Exec("UPDATE postings SET skills = NULL WHERE id = 1"));
  EXPECT_EQ(matches("rust"), 0);
  Must(pg_->Exec("DELETE FROM postings WHERE id = 1"));
  EXPECT_EQ(Count(*pg_, "SELECT count(*) FROM postings_fts"), 0);
}

}  // namespace
}  // namespace jobtrawl::storage::pg
