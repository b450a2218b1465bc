// `jobtrawl migrate` (issue 15 part 3): copies a jobtrawl SQLite database
// into a PostgreSQL one, keeping every id.
//
// The SQLite file is first opened through PostingStore::OpenExisting, which
// upgrades an older schema in place (after its backup copy, storage/
// backup.h) and refuses a file that is no jobtrawl database; a file of a
// schema newer than this build is refused. Then, in one PostgreSQL
// transaction (all or nothing), under the migration advisory lock: the
// schema is created (storage/pg/schema.h) when absent, the target is
// checked to be empty (else refused, unless `replace`, which empties it
// first), and each table is copied in primary key order in batches of
// multi-row INSERTs, parents before children: sources, postings, listings,
// listing_copies, dedup_splits, revisions, crawl_runs, crawl_errors,
// http_cache, source_leases, alert_outbox. postings_fts is filled in one
// statement once the postings are in (its insert trigger is disabled for
// that while, inside the transaction, which holds postings locked
// meanwhile); fts_pending (SQLite's transient queue) is not copied. Each
// identity sequence is then set past the largest id, every table's row
// count is compared with SQLite's, and the tables are ANALYZEd (planner
// statistics for the first queries) before the commit.
// The SQLite side is read in one read transaction: one snapshot even when
// a daemon writes meanwhile (stop it first to move what it writes after).
//
// Errors (the target then holds none of the copied rows; the schema, when
// this created it, stays): kNotFound / kInvalidArgument
// from OpenExisting; kStorage for a schema version mismatch, a non-empty
// target, a value PostgreSQL refuses (e.g. text with a NUL byte) with the
// table and id, a count mismatch, a lost connection.
#ifndef JOBTRAWL_STORAGE_PG_SQLITE_COPY_H_
#define JOBTRAWL_STORAGE_PG_SQLITE_COPY_H_

#include <cstddef>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace jobtrawl::storage::pg {

struct CopyOptions {
  // Rows per INSERT (fewer for wide tables: at most 65,535 parameters).
  std::size_t batch_rows = 500;
  // Empty a target that holds jobtrawl rows instead of refusing it.
  bool replace = false;
  // Called after each batch with the table and the rows copied of it so far.
  std::function<void(std::string_view table, std::int64_t rows)> progress;
};

struct CopiedTable {
  std::string table;
  std::int64_t rows = 0;
};

// The tables copied, in order, with their row counts (equal on both sides).
std::expected<std::vector<CopiedTable>, jobtrawl::Error> CopySqliteToPostgres(const std::filesystem::path& sqlite,
                                                                              std::string_view url,
                                                                              const CopyOptions& options = {});

// The tables CopySqliteToPostgres copies, in its order.
const std::vector<std::string>& CopiedTables();

}  // namespace jobtrawl::storage::pg

#endif  // JOBTRAWL_STORAGE_PG_SQLITE_COPY_H_
