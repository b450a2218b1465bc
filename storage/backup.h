// A consistent copy of a jobtrawl database, taken with SQLite's online
// backup API (https://sqlite.org/backup.html) while other processes may be
// writing it: the copy is one snapshot (a read transaction in WAL mode does
// not block the writer). Thread-safe (opens connections of its own).
#ifndef JOBTRAWL_STORAGE_BACKUP_H_
#define JOBTRAWL_STORAGE_BACKUP_H_

#include <cstdint>
#include <expected>
#include <filesystem>

#include "model/error.h"

namespace jobtrawl::storage {

struct BackupStats {
  std::int64_t pages = 0;
  std::int64_t bytes = 0;  // of the copy
  int schema_version = 0;  // PRAGMA user_version of the copy
};

// Copies the database at `source` (opened read-only; it must exist) to
// `destination`. The copy is written to a temporary file beside
// `destination`, checked (PRAGMA quick_check), made mode 0640 and renamed
// into place, so `destination` is either the old file or a whole copy,
// never half of one. Errors: kNotFound (no source), kInvalidArgument (the
// destination is the source itself, by any path), kStorage (SQLite
// failed, the copy is damaged), kIo (the destination cannot be written).
std::expected<BackupStats, Error> BackupDatabase(const std::filesystem::path& source,
                                                 const std::filesystem::path& destination);

}  // namespace jobtrawl::storage

#endif  // JOBTRAWL_STORAGE_BACKUP_H_
