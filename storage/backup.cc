#include "storage/backup.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <system_error>
#include <thread>

#include "storage/sqlite_file.h"

namespace jobtrawl::storage {

std::expected<BackupStats, Error> BackupDatabase(const std::filesystem::path& source,
                                                 const std::filesystem::path& destination) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(source, ec)) {
    return std::unexpected(Error::NotFound("no database at " + source.string()));
  }
  if (std::filesystem::equivalent(source, destination, ec)) {
    // Copying a database onto itself would replace the live file under its
    // writers' feet: their writes since would be lost.
    return std::unexpected(Error::InvalidArgument("cannot back up " + source.string() + " onto itself (" +
                                                  destination.string() + " is the same file)"));
  }
  const std::filesystem::path folder = destination.has_parent_path() ? destination.parent_path() : ".";
  if (!std::filesystem::is_directory(folder, ec)) {
    return std::unexpected(Error::Io("cannot write " + destination.string() + ": no folder " + folder.string()));
  }
  std::filesystem::path tmp = destination;
  tmp += ".tmp-" + std::to_string(::getpid());
  std::filesystem::remove(tmp, ec);
  BackupStats stats;
  try {
    SQLite::Database from(SqliteFileName(source), SQLITE_OPEN_READONLY);
    from.setBusyTimeout(5000);
    {
      SQLite::Database to(SqliteFileName(tmp), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
      SQLite::Backup backup(to, from);
      // All pages in one step: one read transaction, so one snapshot. A
      // busy or locked source (a writer checkpointing) is tried again.
      for (int attempt = 0;; ++attempt) {
        const int rc = backup.executeStep(-1);
        if (rc == SQLITE_DONE) break;
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || attempt >= 50) {
          throw SQLite::Exception("backup step failed", rc);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      stats.pages = backup.getTotalPageCount();
    }
    SQLite::Database check(SqliteFileName(tmp), SQLITE_OPEN_READWRITE);
    const std::string result = check.execAndGet("PRAGMA quick_check").getString();
    if (result != "ok") throw SQLite::Exception("the copy fails quick_check: " + result);
    stats.schema_version = check.execAndGet("PRAGMA user_version").getInt();
    // The copy stands alone (rollback journal, no -wal or -shm beside it),
    // so it can be moved as one file and read from read-only media; the
    // store turns WAL on again when it opens a restored copy.
    check.exec("PRAGMA journal_mode=DELETE");
  } catch (const std::exception& e) {
    std::filesystem::remove(tmp, ec);
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(tmp.string() + suffix, ec);
    return std::unexpected(Error::Storage("cannot back up " + source.string() + " to " + destination.string() + ": " + e.what()));
  }
  for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(tmp.string() + suffix, ec);
  std::filesystem::permissions(tmp,
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                   std::filesystem::perms::group_read,
                               ec);
  if (!ec) std::filesystem::rename(tmp, destination, ec);
  if (ec) {
    const std::string why = ec.message();
    std::filesystem::remove(tmp, ec);
    return std::unexpected(Error::Io("cannot write " + destination.string() + ": " + why));
  }
  stats.bytes = static_cast<std::int64_t>(std::filesystem::file_size(destination, ec));
  return stats;
}

}  // namespace jobtrawl::storage
