#include "storage/pg/sqlite_copy.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <utility>

#include "storage/pg/connection.h"
#include "storage/pg/schema.h"
#include "storage/sqlite_file.h"
#include "storage/store.h"

namespace jobtrawl::storage::pg {
namespace {

struct TableSpec {
  const char* name;
  const char* order_by;  // the primary key
  bool identity;         // an `id` identity column whose sequence is set after the copy
};

// Parents before children (foreign keys are checked row by row).
constexpr TableSpec kTables[] = {
    {"sources", "id", true},
    {"postings", "id", true},
    {"listings", "id", true},
    {"listing_copies", "listing_id", false},
    {"dedup_splits", "listing_a, listing_b", false},
    {"revisions", "id", true},
    {"crawl_runs", "id", true},
    {"crawl_errors", "id", true},
    {"http_cache", "source_id, url", false},
    {"source_leases", "source_id", false},
    {"alert_outbox", "id", true},
};

// The tables of the target besides those copied: the search index, and
// the fleet's (a node that ran on the target wrote them). A row in any of
// them is foreign data too.
constexpr const char* kOtherTables[] = {"postings_fts", "fts_pending",  "source_schedule",
                                        "node_sources", "nodes",        "host_budgets"};

// PostgreSQL's parameters per statement (a 16-bit count in the protocol).
constexpr std::size_t kMaxParameters = 65'535;

jobtrawl::Error Failure(std::string_view what, const Error& e) {
  jobtrawl::Error err = e.ToError();
  err.message = std::string(what) + ": " + err.message;
  return err;
}

Value SqliteValue(const SQLite::Column& c) {
  switch (c.getType()) {
    case SQLITE_INTEGER: return c.getInt64();
    case SQLITE_FLOAT: return c.getDouble();
    case SQLITE_NULL: return std::monostate{};
    default: return c.getString();
  }
}

// The cast that gives a parameter its column's type: a value of another
// kind than the column's (SQLite's columns take any) is converted by the
// server, or refused with the table named.
std::string Cast(const std::string& pg_type) {
  if (pg_type == "bigint") return "::bigint";
  if (pg_type == "double precision") return "::float8";
  if (pg_type == "json") return "::json";
  return "::text";
}

std::string Describe(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* s = std::get_if<std::string>(&v)) return "'" + s->substr(0, 40) + "'";
  return "?";
}

}  // namespace

const std::vector<std::string>& CopiedTables() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const TableSpec& t : kTables) n.emplace_back(t.name);
    return n;
  }();
  return names;
}

std::expected<std::vector<CopiedTable>, jobtrawl::Error> CopySqliteToPostgres(const std::filesystem::path& sqlite,
                                                                              std::string_view url,
                                                                              const CopyOptions& options) {
  // Through the store: an older schema is upgraded (after its backup), a
  // foreign file refused.
  {
    auto store = PostingStore::OpenExisting(sqlite);
    if (!store) return std::unexpected(store.error());
    if ((*store)->SchemaVersion() != LatestPgSchemaVersion()) {
      return std::unexpected(jobtrawl::Error::Storage(
          sqlite.string() + " has schema version " + std::to_string((*store)->SchemaVersion()) +
          ", but this build's PostgreSQL schema is version " + std::to_string(LatestPgSchemaVersion())));
    }
  }
  auto c = Connection::Open(url);
  if (!c) return std::unexpected(Failure("cannot connect to the PostgreSQL database", c.error()));
  auto migrated = MigrateSchema(*c);
  if (!migrated) return std::unexpected(Failure("cannot create the schema in the PostgreSQL database", migrated.error()));

  std::vector<CopiedTable> copied;
  // Set once the copy's transaction has begun and the target was found
  // empty: a failure from then on leaves none of the file's rows behind.
  bool copying = false;
  auto outcome = [&]() -> std::expected<void, jobtrawl::Error> {
    try {
      SQLite::Database lite(SqliteFileName(sqlite), SQLite::OPEN_READONLY);
      lite.setBusyTimeout(5000);
      // One snapshot of the whole file.
      lite.exec("BEGIN");

      auto tx = Transaction::Begin(*c);
      if (!tx) return std::unexpected(Failure("cannot begin the copy", tx.error()));
      // Nodes starting meanwhile wait for the copy (they migrate under this lock).
      if (auto lock = tx->AdvisoryLock(kMigrationLockKey); !lock) {
        return std::unexpected(Failure("cannot lock the PostgreSQL database", lock.error()));
      }
      std::string all_tables;
      std::vector<std::string> every_table;
      for (const TableSpec& t : kTables) {
        all_tables += (all_tables.empty() ? "" : ", ") + std::string(t.name);
        every_table.emplace_back(t.name);
      }
      for (const char* t : kOtherTables) every_table.emplace_back(t);
      std::string count_sql = "SELECT ";
      for (std::size_t i = 0; i < every_table.size(); ++i) {
        count_sql += (i ? ", " : "") + std::string("(SELECT count(*) FROM ") + every_table[i] + ")";
      }
      auto counts = c->Exec(count_sql);
      if (!counts) return std::unexpected(Failure("cannot read the PostgreSQL database", counts.error()));
      // The copy is one transaction, so an unfinished one left no rows: any
      // row is another database's, a daemon's, or a finished copy's.
      std::string held;
      bool same_counts = true;  // as the file's, table for table
      for (int i = 0; i < counts->Columns(); ++i) {
        const std::int64_t n = counts->Int64(0, i).value_or(0);
        if (n > 0) held += (held.empty() ? "" : ", ") + every_table[i] + " " + std::to_string(n);
        if (static_cast<std::size_t>(i) < std::size(kTables)) {
          same_counts = same_counts &&
                        n == lite.execAndGet("SELECT count(*) FROM " + every_table[i]).getInt64();
        }
      }
      if (!held.empty()) {
        if (!options.replace) {
          return std::unexpected(jobtrawl::Error::Storage(
              "the PostgreSQL database already holds jobtrawl rows (" + held + ")" +
              (same_counts ? ", as many in every table as " + sqlite.string() +
                                 " has: most likely a finished copy of it (check with jobtrawl stats --db URL)"
                           : std::string()) +
              "; migrate into an empty database, or give --replace to delete every jobtrawl row there "
              "(fleet tables included) first"));
        }
        // source_schedule (schema 17, the fleet's) references sources, and
        // node_sources (20) source_schedule: the replaced sources' schedule
        // and the nodes' source lists go with them, and the nodes and host
        // budgets of the fleet that ran on the old rows.
        std::string truncate = "TRUNCATE ";
        for (std::size_t i = 0; i < every_table.size(); ++i) truncate += (i ? ", " : "") + every_table[i];
        auto emptied = c->Exec(truncate + " RESTART IDENTITY");
        if (!emptied) return std::unexpected(Failure("cannot empty the PostgreSQL database", emptied.error()));
      }
      copying = true;

      for (const TableSpec& t : kTables) {
        // The columns in SQLite's order, which the PostgreSQL schema keeps.
        std::vector<std::string> names;
        {
          SQLite::Statement info(lite, "SELECT name FROM pragma_table_info(?) ORDER BY cid");
          info.bind(1, t.name);
          while (info.executeStep()) names.push_back(info.getColumn(0).getString());
        }
        auto pg_cols = c->Exec(
            "SELECT column_name::text, data_type::text FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            {Value{std::string(t.name)}});
        if (!pg_cols) return std::unexpected(Failure("cannot read the PostgreSQL schema", pg_cols.error()));
        std::vector<std::string> casts;
        std::vector<std::string> pg_names;
        for (int r = 0; r < pg_cols->Rows(); ++r) {
          pg_names.push_back(pg_cols->Text(r, 0).value_or(""));
          casts.push_back(Cast(pg_cols->Text(r, 1).value_or("")));
        }
        if (pg_names != names) {
          return std::unexpected(jobtrawl::Error::Storage(
              std::string("the columns of table ") + t.name + " differ between the SQLite and the PostgreSQL schema"));
        }
        std::string column_list;
        for (std::size_t i = 0; i < names.size(); ++i) column_list += (i ? ", " : "") + names[i];
        const std::size_t batch = std::max<std::size_t>(
            1, std::min(options.batch_rows, kMaxParameters / std::max<std::size_t>(1, names.size())));

        std::int64_t rows = 0;
        std::vector<Value> params;
        std::size_t in_batch = 0;
        auto flush = [&]() -> std::expected<void, jobtrawl::Error> {
          if (in_batch == 0) return {};
          std::string sql = "INSERT INTO " + std::string(t.name) + " (" + column_list + ") VALUES ";
          int n = 1;
          for (std::size_t r = 0; r < in_batch; ++r) {
            sql += r ? ", (" : "(";
            for (std::size_t col = 0; col < names.size(); ++col) {
              sql += (col ? ", $" : "$") + std::to_string(n++) + casts[col];
            }
            sql += ")";
          }
          auto done = c->Exec(sql, params);
          if (!done) {
            return std::unexpected(Failure("cannot copy " + std::string(t.name) + " (the batch from " +
                                               names[0] + " " + Describe(params[0]) + ")",
                                           done.error()));
          }
          rows += static_cast<std::int64_t>(in_batch);
          params.clear();
          in_batch = 0;
          if (options.progress) options.progress(t.name, rows);
          return {};
        };
        // Postings are indexed for search in one statement after they are
        // all in, not by the insert trigger row by row (about a third of the
        // copy's time). Inside the transaction, so a failure re-enables it.
        const bool postings = std::string_view(t.name) == "postings";
        if (postings) {
          if (auto off = c->Exec("ALTER TABLE postings DISABLE TRIGGER postings_fts_insert"); !off) {
            return std::unexpected(Failure("cannot prepare the copy of postings", off.error()));
          }
        }
        SQLite::Statement read(lite, "SELECT " + column_list + " FROM " + t.name + " ORDER BY " + t.order_by);
        while (read.executeStep()) {
          for (int col = 0; col < read.getColumnCount(); ++col) params.push_back(SqliteValue(read.getColumn(col)));
          if (++in_batch == batch) {
            if (auto f = flush(); !f) return std::unexpected(f.error());
          }
        }
        if (auto f = flush(); !f) return std::unexpected(f.error());
        if (postings) {
          auto indexed = c->Exec(
              "INSERT INTO postings_fts (posting_id, document) SELECT id, "
              "postings_fts_document(title, company, location, description, skills::text) FROM postings");
          if (!indexed) return std::unexpected(Failure("cannot index the postings for search", indexed.error()));
          if (auto on = c->Exec("ALTER TABLE postings ENABLE TRIGGER postings_fts_insert"); !on) {
            return std::unexpected(Failure("cannot finish the copy of postings", on.error()));
          }
        }

        if (t.identity) {
          // The next id a writer gets is past every copied one, and past
          // every id SQLite deleted (schema v21, id_high_water): an id is
          // never used twice, also across the move.
          std::int64_t high_water = 0;
          {
            SQLite::Statement hw(lite, "SELECT id FROM id_high_water WHERE name = ?");
            hw.bind(1, t.name);
            if (hw.executeStep()) high_water = hw.getColumn(0).getInt64();
          }
          auto seq = c->Exec("SELECT setval(pg_get_serial_sequence('" + std::string(t.name) +
                                 "', 'id'), greatest(coalesce(max(id), 0), $1::bigint, 1), "
                                 "greatest(coalesce(max(id), 0), $1::bigint) > 0) FROM " + t.name,
                             {Value{high_water}});
          if (!seq) return std::unexpected(Failure("cannot set the ids of " + std::string(t.name), seq.error()));
        }
        const std::int64_t in_sqlite = lite.execAndGet("SELECT count(*) FROM " + std::string(t.name)).getInt64();
        auto in_pg = c->Exec("SELECT count(*) FROM " + std::string(t.name));
        if (!in_pg) return std::unexpected(Failure("cannot count " + std::string(t.name), in_pg.error()));
        if (in_pg->Int64(0, 0).value_or(-1) != in_sqlite || rows != in_sqlite) {
          return std::unexpected(jobtrawl::Error::Storage(
              std::string("the copy of ") + t.name + " has " + std::to_string(in_pg->Int64(0, 0).value_or(-1)) +
              " rows, the SQLite table " + std::to_string(in_sqlite)));
        }
        copied.push_back({t.name, rows});
      }
      // Every posting indexed for search.
      auto indexed = c->Exec("SELECT (SELECT count(*) FROM postings_fts) = (SELECT count(*) FROM postings)");
      if (!indexed || indexed->Int64(0, 0).value_or(0) != 1) {
        return std::unexpected(jobtrawl::Error::Storage("the full-text index does not cover every posting"));
      }
      // Planner statistics now, not when autovacuum gets to it: the first
      // queries after a bulk load otherwise plan on an empty table's.
      if (auto analyzed = c->Exec("ANALYZE " + all_tables + ", postings_fts"); !analyzed) {
        return std::unexpected(Failure("cannot analyze the copied tables", analyzed.error()));
      }
      if (auto done = tx->Commit(); !done) {
        if (done.error().sqlstate == "08007") {
          // Committed or not, nobody can tell: a re-run copies (it was not)
          // or refuses the target naming a finished copy (it was).
          copying = false;
          return std::unexpected(Failure(
              "the connection broke while the copy committed, so whether it was committed is unknown; run the "
              "same command again: it copies everything if it was not, and refuses the target as holding a "
              "finished copy if it was",
              done.error()));
        }
        return std::unexpected(Failure("cannot commit the copy", done.error()));
      }
      lite.exec("COMMIT");
      // The visibility map, so that index-only scans work from the first
      // query (filtered searches at 100,000 listings: about 95 ms before,
      // 30 after) rather than once autovacuum gets to the tables. VACUUM
      // runs outside a transaction; the copy is committed, so a failure
      // here costs speed only and is not reported as the copy's.
      (void)c->Exec("VACUUM " + all_tables + ", postings_fts");
    } catch (const SQLite::Exception& e) {
      return std::unexpected(jobtrawl::Error::Storage("cannot read " + sqlite.string() + ": " + e.what()));
    }
    return {};
  }();
  if (!outcome) {
    jobtrawl::Error e = std::move(outcome.error());
    if (copying) {
      e.message += " (the copy is one transaction, so the PostgreSQL database holds none of " + sqlite.string() +
                   "'s rows, only the empty schema: run the same command again)";
    }
    return std::unexpected(std::move(e));
  }
  return copied;
}

}  // namespace jobtrawl::storage::pg
