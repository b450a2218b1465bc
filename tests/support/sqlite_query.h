// Reads one column of a query from a database file, NULL as "NULL": the
// one-line way for tests to assert what a crawl stored.
#ifndef JOBTRAWL_TESTS_SUPPORT_SQLITE_QUERY_H_
#define JOBTRAWL_TESTS_SUPPORT_SQLITE_QUERY_H_

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <string>
#include <vector>

namespace jobtrawl::testing {

inline std::vector<std::string> QueryColumn(const std::filesystem::path& db, const std::string& sql) {
  SQLite::Database database(db.string());
  SQLite::Statement q(database, sql);
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).isNull() ? "NULL" : q.getColumn(0).getString());
  return out;
}

}  // namespace jobtrawl::testing

#endif  // JOBTRAWL_TESTS_SUPPORT_SQLITE_QUERY_H_
