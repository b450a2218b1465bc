// `jobtrawl migrate` (issue 15 part 3): copies a jobtrawl SQLite database
// into a PostgreSQL one, keeping every id.
//
// The SQLite file is first opened through PostingStore::OpenExisting, which
// upgrades an older schema in place (after its backup copy, storage/
// backup.h) and refuses a file that is no jobtrawl database; a file of a
// schema newer than this build is refused. The schema is created
// (storage/pg/schema.h) when absent, in transactions of its own. Then, in
// one PostgreSQL transaction (all or nothing: a copy cut off anywhere, by
// SIGKILL, a lost connection, a full disk or a refused value, leaves none
// of the file's rows, and the same call again starts afresh), under the
// migration advisory lock: the target is checked to hold no row in any
// jobtrawl table, the fleet's (nodes, host_budgets, source_schedule,
// node_sources) and the search index's included (else refused, unless
// `replace`, which empties them all first; the refusal says when the row
// counts are the file's, i.e. most likely a finished copy of it), and
// each table is copied in primary key order in batches of
// multi-row INSERTs, parents before children: sources, postings, listings,
// listing_copies, dedup_splits, revisions, crawl_runs, crawl_errors,
// http_cache, source_leases, alert_outbox. postings_fts is filled in one
// statement once the postings are in (its insert trigger is disabled for
// that while, inside the transaction, which holds postings locked
// meanwhile); fts_pending (SQLite's transient queue) is not copied. Each
// identity sequence is then set past the largest id, every table's row
// count is compared with SQLite's, and the tables are ANALYZEd (planner
// statistics for the first queries) before the commit. After the commit they
// are VACUUMed (the visibility map index-only scans need); a failure of
// that is not reported (autovacuum sets it later).
// The SQLite side is read in one read transaction: one snapshot even when
// a daemon writes meanwhile (stop it first to move what it writes after).
//
// Cost of the one transaction (docs/postgresql.md "Figures"): the server
// writes the rows' WAL as it goes (682 MB for a 330 MB file of 100,000
// listings) and keeps no more memory than one backend's (84 MiB peak);
// the client streams batches (26 MB peak RSS).
//
// Errors (the target then holds none of the copied rows; the schema, when
// this created it, stays): kNotFound / kInvalidArgument
// from OpenExisting; kStorage for a schema version mismatch, a non-empty
// target, a value PostgreSQL refuses (e.g. text with a NUL byte) with the
// table and id, a count mismatch, a lost connection; a failure inside the
// copy's transaction says that nothing was copied and the same command can
// simply run again. A connection lost while the COMMIT was out
// (Connection::Commit's SQLSTATE 08007: committed or not, unknown) says
// so: running again then copies, or refuses the target as a finished copy.
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
