// The name to hand SQLite for a database file. Internal to storage/.
#ifndef JOBTRAWL_STORAGE_SQLITE_FILE_H_
#define JOBTRAWL_STORAGE_SQLITE_FILE_H_

#include <filesystem>
#include <string>

namespace jobtrawl::storage {

// SQLite as Debian builds it (SQLITE_USE_URI=1) reads a name that starts
// with "file:" as a URI (https://www.sqlite.org/uri.html), so `--db
// file:jobs.db?mode=memory` would open a database in memory, and `--db
// file:jobs.db` a file other than the one the checks around it look at.
// Such a relative path gets a "./" in front: always the file it names.
inline std::string SqliteFileName(const std::filesystem::path& path) {
  std::string name = path.string();
  if (name.starts_with("file:")) name.insert(0, "./");
  return name;
}

}  // namespace jobtrawl::storage

#endif  // JOBTRAWL_STORAGE_SQLITE_FILE_H_
