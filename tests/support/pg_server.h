// A throwaway PostgreSQL server for tests (issue 15 part 4), started and
// stopped by scripts/pg-test-server: initdb + pg_ctl in a fresh directory
// under $TMPDIR (or /tmp), as `nobody` when the tests run as root,
// listening only on 127.0.0.1 on a free port, fsync off.
//
// One server serves a whole test process (started by the first PgTest,
// stopped by a gtest Environment when the process ends); each test gets a
// database of its own. Where no server can be started (no PostgreSQL
// binaries, no unprivileged user) tests skip with the reason, unless
// JOBTRAWL_REQUIRE_PG=1 (as in CI), which makes that a failure.
#ifndef JOBTRAWL_TESTS_SUPPORT_PG_SERVER_H_
#define JOBTRAWL_TESTS_SUPPORT_PG_SERVER_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace jobtrawl::testing {

class PgServer {
 public:
  // Starts a server; on failure ok() is false and why() says what failed.
  PgServer();
  // Stops the server at once (pg_ctl stop -m immediate) and removes its
  // directory.
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  bool ok() const { return !url_.empty(); }
  // True when the failure was that this machine cannot run a server
  // (scripts/pg-test-server exit status 77), not a fault.
  bool unavailable() const { return unavailable_; }
  const std::string& why() const { return why_; }

  // postgresql://postgres:PASSWORD@127.0.0.1:PORT/DATABASE
  std::string Url(std::string_view database = "postgres") const;
  int port() const { return port_; }
  // The directory holding the server (its data in dir()/pg/data).
  const std::filesystem::path& dir() const { return dir_; }
  const std::string& password() const { return password_; }

  // Creates an empty database with a name not used before in this server
  // and returns its URL; empty on failure (with a gtest failure added).
  std::string CreateDatabase();

  // Stops the server now, as a crash would (immediate shutdown: every
  // server process exits at once without a checkpoint).
  void Kill();
  // Starts the server killed by Kill() again, on its port and with its
  // data; false (why() says why) when it did not start there.
  bool Start();

 private:
  std::filesystem::path dir_;
  std::string url_;
  std::string why_;
  std::string password_;
  int port_ = 0;
  bool unavailable_ = false;
  bool running_ = false;
  int databases_ = 0;
};

// The process's shared server, started on first call.
PgServer& SharedPgServer();

// A test with a fresh database on the shared server in url_.
class PgTest : public ::testing::Test {
 protected:
  void SetUp() override;
  std::string url_;
};

// In a test of its own server: skips (or fails under JOBTRAWL_REQUIRE_PG=1)
// when `server` could not start.
#define JOBTRAWL_REQUIRE_SERVER(server)                                                \
  do {                                                                                 \
    if (!(server).ok()) {                                                              \
      if ((server).unavailable() && !::jobtrawl::testing::PgRequired())                \
        GTEST_SKIP() << "no PostgreSQL server for this test: " << (server).why();     \
      FAIL() << "the PostgreSQL test server did not start: " << (server).why();       \
    }                                                                                  \
  } while (0)

bool PgRequired();

}  // namespace jobtrawl::testing

#endif  // JOBTRAWL_TESTS_SUPPORT_PG_SERVER_H_
