// The storage backends a test runs against (issue 15 part 4): SQLite
// always, PostgreSQL where the build has libpq (JOBTRAWL_TEST_POSTGRESQL);
// a PostgreSQL instance gets a fresh database on the process's throwaway
// server (support/pg_server.h) and skips when no server can start.
#ifndef JOBTRAWL_TESTS_STORAGE_BACKEND_TEST_UTIL_H_
#define JOBTRAWL_TESTS_STORAGE_BACKEND_TEST_UTIL_H_

#include <gtest/gtest.h>

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

}  // namespace jobtrawl::storage::testing

#endif  // JOBTRAWL_TESTS_STORAGE_BACKEND_TEST_UTIL_H_
