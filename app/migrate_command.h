// `jobtrawl migrate --from FILE.db --to postgresql://...` (issue 15 part 3):
// copies a jobtrawl SQLite database into an empty PostgreSQL database,
// keeping every id (storage/pg/sqlite_copy.h says how). Prints the tables
// and their row counts on `out` and progress on `err` (when `progress`).
// Exit codes: 0 copied; kExitUsage (2) for a --to that is no postgresql://
// URL or a build without PostgreSQL support; kExitRuntime (3) when the file
// is missing or not a jobtrawl database, the server cannot be reached, the
// target holds rows in any jobtrawl table, the fleet's included (without
// --replace), or the copy failed (one transaction: the target then holds
// none of the file's rows, and the same command can run again).
#ifndef JOBTRAWL_APP_MIGRATE_COMMAND_H_
#define JOBTRAWL_APP_MIGRATE_COMMAND_H_

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <string>

namespace jobtrawl::app {

struct MigrateOptions {
  std::filesystem::path from;  // the SQLite file
  std::string to;              // postgresql://user:password@host:port/database
  bool replace = false;        // empty a target that holds jobtrawl rows first
  std::size_t batch = 500;     // rows per INSERT
  bool progress = false;
};

int MigrateCommand(const MigrateOptions& options, std::ostream& out, std::ostream& err);

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_MIGRATE_COMMAND_H_
