// The storage backends a test runs against (issue 15 part 4): SQLite
// always, PostgreSQL where the build has libpq (JOBTRAWL_TEST_POSTGRESQL);
// a PostgreSQL instance gets a fresh database on the process's throwaway
// server (support/pg_server.h) and skips when no server can start.
#ifndef JOBTRAWL_TESTS_STORAGE_BACKEND_TEST_UTIL_H_
#define JOBTRAWL_TESTS_STORAGE_BACKEND_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#ifdef JOBTRAWL_TEST_POSTGRESQL
#include "support/pg_server.h"
#endif

namespace jobtrawl::storage::testing {

enum class Backend { kSqlite, kPostgres };

inline std::vector<Backend> AllBackends() {
#ifdef JOBTRAWL_TEST_POSTGRESQL
  return {Backend::kSqlite, Backend::kPostgres};
#else
  return {Backend::kSqlite};
#endif
}

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "SQLite" : "PostgreSQL";
}

// Sets `url` to a fresh PostgreSQL database's URL, or skips or fails the
// test (check IsSkipped() and HasFailure() in the caller).
inline void FreshPostgresDatabase(std::string* url) {
#ifdef JOBTRAWL_TEST_POSTGRESQL
  auto& server = ::jobtrawl::testing::SharedPgServer();
  if (!server.ok()) {
    if (server.unavailable() && !::jobtrawl::testing::PgRequired()) {
      GTEST_SKIP() << "no PostgreSQL server for this test: " << server.why();
    }
    FAIL() << "the PostgreSQL test server did not start: " << server.why();
  }
  *url = server.CreateDatabase();
#else
  (void)url;
  FAIL() << "built without PostgreSQL";
#endif
}

// The backend the running test uses; BackendTest sets it.
inline Backend& CurrentBackend() {
  static Backend backend = Backend::kSqlite;
  return backend;
}

// Where a fresh, empty store of the current backend opens: ":memory:" on
// SQLite, a new database on the test server on PostgreSQL ("" and a test
// failure when it cannot be made).
inline std::string FreshLocation() {
#ifdef JOBTRAWL_TEST_POSTGRESQL
  if (CurrentBackend() == Backend::kPostgres) return ::jobtrawl::testing::SharedPgServer().CreateDatabase();
#endif
  return ":memory:";
}

// A store location that a test opens more than once (two connections, a
// reopening): a new file under the temp directory named after `name` on
// SQLite (removed first, with its -wal and -shm), a new database on
// PostgreSQL. RemoveLocation cleans up after.
inline std::string ReopenableLocation(const std::string& name) {
  if (CurrentBackend() == Backend::kPostgres) return FreshLocation();
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("jobtrawl-" + name + "-" + std::to_string(::getpid()) + ".db"))
                               .string();
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return path;
}
inline void RemoveLocation(const std::string& location) {
  if (CurrentBackend() == Backend::kPostgres) return;  // the test server is thrown away whole
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(location + suffix);
}

// A test run once per backend: TEST_P(SomeTest, ...) with
// class SomeTest : public BackendTest {} and
// INSTANTIATE_TEST_SUITE_P(Backends, SomeTest, BackendValues(), BackendName).
class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    CurrentBackend() = GetParam();
    if (GetParam() == Backend::kPostgres) {
      std::string probe;
      FreshPostgresDatabase(&probe);
    }
  }
  void TearDown() override { CurrentBackend() = Backend::kSqlite; }
};

inline auto BackendValues() { return ::testing::ValuesIn(AllBackends()); }

}  // namespace jobtrawl::storage::testing

#endif  // JOBTRAWL_TESTS_STORAGE_BACKEND_TEST_UTIL_H_
