// The libpq layer against a real PostgreSQL server (issue 15 part 4).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "storage/pg/connection.h"
#include "support/pg_server.h"

namespace jobtrawl::storage::pg {
namespace {

using jobtrawl::testing::PgServer;
using jobtrawl::testing::PgTest;
using jobtrawl::testing::SharedPgServer;

// A loopback port bound by this process but not listening: a connection
// to it is refused, and no other process can take it meanwhile.
class RefusingPort {
 public:
  RefusingPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~RefusingPort() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

Connection Connect(const std::string& url) {
  auto c = Connection::Open(url);
  if (!c) throw std::runtime_error(c.error().message);
  return std::move(*c);
}

std::int64_t Count(Connection& c, const std::string& sql) {
  auto r = c.Exec(sql);
  if (!r) throw std::runtime_error(r.error().message);
  return r->Int64(0, 0).value_or(-1);
}

// Polls a condition the server reports (no event reaches this process
// for it); gives up after a bound far above any plausible wait.
bool WaitFor(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST_F(PgTest, ConnectFailuresAreErrorsNamingTheCause) {
  // Refused, wrong password, missing database and a malformed URL each
  // give an error value saying which, never the password.
  PgServer& server = SharedPgServer();
  RefusingPort refusing;
  const std::string port = std::to_string(server.port());
  struct Case {
    std::string name, url, expected;
    bool transient;
  };
  const std::vector<Case> cases = {
      {"refused", "postgresql://postgres:secret-x@127.0.0.1:" + std::to_string(refusing.port()) + "/postgres",
       "Connection refused", true},
      {"bad password", "postgresql://postgres:secret-x@127.0.0.1:" + port + "/postgres",
       "password authentication failed", false},
      {"bad database", "postgresql://postgres:" + server.password() + "@127.0.0.1:" + port + "/no_such_db",
       "\"no_such_db\" does not exist", false},
      {"bad url", "postgresql://127.0.0.1:notaport/postgres", "invalid", false},
  };
  for (const Case& c : cases) {
    auto connection = Connection::Open(c.url, {.connect_timeout = std::chrono::seconds(30)});
    ASSERT_FALSE(connection.has_value()) << c.name;
    EXPECT_NE(connection.error().message.find(c.expected), std::string::npos)
        << c.name << ": " << connection.error().message;
    EXPECT_EQ(connection.error().message.find("secret-x"), std::string::npos) << c.name;
    EXPECT_EQ(connection.error().message.find(server.password()), std::string::npos) << c.name;
    if (c.name != "bad url") {
      EXPECT_EQ(connection.error().transient, c.transient) << c.name;
    }
  }
}

// A connection the server turns away while it cannot take sessions (crash
// recovery after `pg_ctl stop -m immediate`, start-up, shutdown, too many
// clients, a standby being promoted) is transient: the writer holds its
// batches and retries. Only a refusal of this login is not. The messages
// are libpq's text for the server's FATAL replies (PostgreSQL 15).
TEST(PgConnectRefusalTest, OnlyARefusedLoginIsNotTransient) {
  const std::string at = "connection to server at \"127.0.0.1\", port 5432 failed: ";
  for (const char* passing : {
           "FATAL:  the database system is in recovery mode",
           "FATAL:  the database system is not yet accepting connections\nDETAIL:  Consistent recovery state has not been yet reached.",
           "FATAL:  the database system is not accepting connections\nDETAIL:  Hot standby mode is disabled.",
           "FATAL:  the database system is starting up",
           "FATAL:  the database system is shutting down",
           "FATAL:  sorry, too many clients already",
           "FATAL:  remaining connection slots are reserved for non-replication superuser connections",
           "FATAL:  terminating connection due to administrator command",
           "Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?",
           "server closed the connection unexpectedly",
       }) {
    EXPECT_FALSE(IsRefusedLogin(at + passing)) << passing;
  }
  for (const char* refused : {
           "FATAL:  password authentication failed for user \"postgres\"",
           "FATAL:  Peer authentication failed for user \"jobtrawl\"",
           "FATAL:  no pg_hba.conf entry for host \"127.0.0.1\", user \"x\", database \"y\", no encryption",
           "FATAL:  pg_hba.conf rejects connection for host \"127.0.0.1\", user \"x\", database \"y\"",
           "FATAL:  role \"nobody\" does not exist",
           "FATAL:  database \"no_such_db\" does not exist",
           "FATAL:  role \"reader\" is not permitted to log in",
           "FATAL:  permission denied for database \"jobs\"\nDETAIL:  User does not have CONNECT privilege.",
           "FATAL:  database \"jobs\" is not currently accepting connections",
       }) {
    EXPECT_TRUE(IsRefusedLogin(at + refused)) << refused;
  }
}

TEST_F(PgTest, ParametersRoundTrip) {
  // Every value comes back as sent: NULL, int64 extremes, doubles that
  // text would lose, quotes and backslashes, non-ASCII text, 4 MB of text.
  Connection c = Connect(url_);
  std::string large(4 << 20, 'x');
  for (size_t i = 0; i < large.size(); i += 997) large[i] = static_cast<char>('a' + i % 26);
  const std::vector<Value> values = {
      std::monostate{},
      std::int64_t{0},
      std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::int64_t>::max(),
      std::int64_t{-1},
      0.1,
      -2.5e-310,
      std::numeric_limits<double>::max(),
      std::numeric_limits<double>::infinity(),
      -std::numeric_limits<double>::infinity(),
      std::string(),
      std::string("O'Reilly said \"hi\"; -- \\ $1 '' \\x00"),
      std::string("Zürich — 東京 🚀 \u00e9\u0301"),
      large,
  };
  ASSERT_TRUE(c.Exec("CREATE TABLE t (id bigint, i bigint, d double precision, s text)"));
  auto insert = c.Prepare("INSERT INTO t VALUES ($1, $2, $3, $4)",
                          {Type::kInt64, Type::kInt64, Type::kDouble, Type::kText});
  ASSERT_TRUE(insert) << insert.error().message;
  for (size_t i = 0; i < values.size(); ++i) {
    const Value& v = values[i];
    // Straight through the server.
    auto echoed = c.Exec("SELECT $1", {v});
    ASSERT_TRUE(echoed) << i << ": " << echoed.error().message;
    if (std::holds_alternative<std::monostate>(v)) {
      EXPECT_TRUE(echoed->IsNull(0, 0));
    } else {
      EXPECT_EQ(echoed->Get(0, 0), v) << i;
    }
    // Stored in a typed column by a prepared statement and read back.
    Value i64 = std::holds_alternative<std::int64_t>(v) ? v : Value{};
    Value dbl = std::holds_alternative<double>(v) ? v : Value{};
    Value txt = std::holds_alternative<std::string>(v) ? v : Value{};
    auto inserted = c.Run(*insert, {std::int64_t(i), i64, dbl, txt});
    ASSERT_TRUE(inserted) << i << ": " << inserted.error().message;
    EXPECT_EQ(inserted->AffectedRows(), 1);
    auto row = c.Exec("SELECT i, d, s FROM t WHERE id = $1", {std::int64_t(i)});
    ASSERT_TRUE(row) << row.error().message;
    ASSERT_EQ(row->Rows(), 1);
    EXPECT_EQ(row->Get(0, 0), i64) << i;
    EXPECT_EQ(row->Get(0, 1), dbl) << i;
    EXPECT_EQ(row->Get(0, 2), txt) << i;
  }
  // NaN is not equal to itself; it must still come back as NaN.
  auto nan = c.Exec("SELECT $1", {std::nan("")});
  ASSERT_TRUE(nan);
  EXPECT_TRUE(std::isnan(nan->Double(0, 0).value_or(0)));
}

TEST_F(PgTest, TextWithNulByteIsRefusedNotCut) {
  // libpq reads text parameters up to the first NUL; a cut value must not
  // be stored silently.
  Connection c = Connect(url_);
  auto r = c.Exec("SELECT $1", {std::string("before\0after", 12)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().sqlstate, "22021");
}

TEST_F(PgTest, ResultsAreTypedByColumn) {
  // Integer and bool columns read as int64, float and numeric as double,
  // the rest as text; NULL as monostate whatever the column's type.
  Connection c = Connect(url_);
  auto r = c.Exec(
      "SELECT 7::int2, 8::int4, 9::int8, true, false, 1.25::numeric, 0.5::float4, 'v'::varchar, "
      "'2026-12-01'::date, NULL::bigint, '{\"a\":1}'::jsonb");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->Columns(), 11);
  const std::vector<Value> expected = {std::int64_t{7}, std::int64_t{8}, std::int64_t{9},
                                       std::int64_t{1}, std::int64_t{0}, 1.25,
                                       0.5,             std::string("v"), std::string("2026-12-01"),
                                       std::monostate{}, std::string("{\"a\": 1}")};
  for (int col = 0; col < r->Columns(); ++col) EXPECT_EQ(r->Get(0, col), expected[col]) << col;
  EXPECT_EQ(r->Int64(0, 2), 9);
  EXPECT_EQ(r->Double(0, 2), 9.0);
  EXPECT_EQ(r->Int64(0, 7), std::nullopt);
  EXPECT_EQ(r->Text(0, 9), std::nullopt);
  EXPECT_EQ(r->Text(0, 2), "9");
  // Beyond a double's range a numeric stays exact, as text.
  auto huge = c.Exec("SELECT 1e400::numeric");
  ASSERT_TRUE(huge) << huge.error().message;
  EXPECT_EQ(huge->Get(0, 0), Value{"1" + std::string(400, '0')});
}

TEST_F(PgTest, ServerErrorsCarryTheirSqlstateAndLeaveTheConnectionUsable) {
  // https://www.postgresql.org/docs/15/errcodes-appendix.html
  Connection c = Connect(url_);
  ASSERT_TRUE(c.Exec("CREATE TABLE u (k text PRIMARY KEY)"));
  ASSERT_TRUE(c.Exec("INSERT INTO u VALUES ($1)", {std::string("a")}));
  struct Case {
    std::string sql, sqlstate;
  };
  for (const Case& k : std::vector<Case>{{"INSERT INTO u VALUES ('a')", "23505"},
                                         {"SELEC 1", "42601"},
                                         {"SELECT * FROM missing", "42P01"},
                                         {"SELECT 1/0", "22012"}}) {
    auto r = c.Exec(k.sql);
    ASSERT_FALSE(r) << k.sql;
    EXPECT_EQ(r.error().sqlstate, k.sqlstate) << r.error().message;
    EXPECT_FALSE(r.error().transient);
    EXPECT_NE(r.error().ToError().message.find("SQLSTATE " + k.sqlstate), std::string::npos);
  }
  EXPECT_EQ(Count(c, "SELECT count(*) FROM u"), 1);
}

TEST_F(PgTest, PreparedStatementChecksItsParameters) {
  // A wrong count or kind of parameter is an error before anything is sent.
  Connection c = Connect(url_);
  auto s = c.Prepare("SELECT $1::bigint + $2", {Type::kInt64, Type::kDouble});
  ASSERT_TRUE(s) << s.error().message;
  auto sum = c.Run(*s, {std::int64_t{2}, std::int64_t{3}});
  ASSERT_TRUE(sum) << sum.error().message;
  EXPECT_EQ(sum->Double(0, 0), 5.0);
  EXPECT_FALSE(c.Run(*s, {std::int64_t{2}}));
  EXPECT_FALSE(c.Run(*s, {std::string("2"), 3.0}));
  auto with_null = c.Run(*s, {std::monostate{}, 3.0});
  ASSERT_TRUE(with_null);
  EXPECT_TRUE(with_null->IsNull(0, 0));
}

TEST_F(PgTest, TransactionGuardRollsBackUnlessCommitted) {
  // An exception (or an early return) between Begin and Commit leaves no
  // trace; Commit keeps; a transaction in which a statement failed
  // reports its COMMIT as the rollback it was.
  Connection c = Connect(url_);
  ASSERT_TRUE(c.Exec("CREATE TABLE r (n bigint)"));
  try {
    auto tx = Transaction::Begin(c);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(c.Exec("INSERT INTO r VALUES (1)"));
    throw std::runtime_error("crawl failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(Count(c, "SELECT count(*) FROM r"), 0);
  {
    auto tx = Transaction::Begin(c);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(c.Exec("INSERT INTO r VALUES (2)"));
    ASSERT_TRUE(tx->Commit());
  }
  EXPECT_EQ(Count(c, "SELECT count(*) FROM r"), 1);
  {
    auto tx = Transaction::Begin(c);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(c.Exec("INSERT INTO r VALUES (3)"));
    ASSERT_FALSE(c.Exec("INSERT INTO r VALUES ('three')"));
    auto committed = tx->Commit();
    ASSERT_FALSE(committed);
    EXPECT_EQ(committed.error().sqlstate, "25P02");
  }
  EXPECT_EQ(Count(c, "SELECT count(*) FROM r"), 1);
}

TEST_F(PgTest, AdvisoryLockIsHeldUntilTheTransactionEnds) {
  // pg_advisory_xact_lock: another session cannot take the key meanwhile.
  Connection a = Connect(url_);
  Connection b = Connect(url_);
  const std::string try_lock = "SELECT pg_try_advisory_xact_lock(42)::int";
  {
    auto tx = Transaction::Begin(a);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(tx->AdvisoryLock(42));
    EXPECT_EQ(Count(b, try_lock), 0);
  }
  EXPECT_EQ(Count(b, try_lock), 1);
}

// Each migration leaves a row in `effects`; running one twice would add a
// second row (or fail on the ALTER).
const Migration kMigrations[] = {
    {1, "CREATE TABLE effects (version int NOT NULL); INSERT INTO effects VALUES (1);"},
    {2, "INSERT INTO effects VALUES (2);"},
    {3, "ALTER TABLE effects ADD COLUMN note text; INSERT INTO effects VALUES (3, 'x');"},
};

TEST_F(PgTest, MigrationsRunOnceInOrder) {
  // Versioned: each step once, recorded in schema_version; later runs and
  // a longer list run only what is new.
  Connection c = Connect(url_);
  auto v = Migrate(c, std::span(kMigrations, 2));
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, 2);
  v = Migrate(c, kMigrations);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, 3);
  v = Migrate(c, kMigrations);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, 3);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM effects"), 3);
  EXPECT_EQ(Count(c, "SELECT string_agg(version::text, ',' ORDER BY version) = '1,2,3' FROM schema_version"
                     " WHERE applied_at <= now()"),
            1);
}

TEST_F(PgTest, MigrationRefusesNewerDatabaseAndRollsBackAFailedStep) {
  // A failing step leaves the schema as it was; a database newer than the
  // build is refused rather than used.
  Connection c = Connect(url_);
  const Migration broken[] = {kMigrations[0], {2, "INSERT INTO effects VALUES (2); SELEC oops;"}};
  auto failed = Migrate(c, broken);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().sqlstate, "42601");
  EXPECT_NE(failed.error().message.find("schema migration 2 failed"), std::string::npos) << failed.error().message;
  EXPECT_EQ(Count(c, "SELECT count(*) FROM pg_tables WHERE tablename IN ('effects', 'schema_version')"), 0);

  ASSERT_TRUE(Migrate(c, kMigrations));
  auto older = Migrate(c, std::span(kMigrations, 1));
  ASSERT_FALSE(older);
  EXPECT_NE(older.error().message.find("newer than this build knows"), std::string::npos);
  const Migration unordered[] = {kMigrations[1], kMigrations[0]};
  EXPECT_FALSE(Migrate(c, unordered));
}

TEST_F(PgTest, ConcurrentMigrationsRunEachStepOnce) {
  // Two nodes starting together: both wait on the advisory lock (held here
  // until both are seen waiting), one migrates, the other finds it done.
  Connection holder = Connect(url_);
  auto held = Transaction::Begin(holder);
  ASSERT_TRUE(held);
  ASSERT_TRUE(held->AdvisoryLock(kMigrationLockKey));

  std::vector<std::expected<int, Error>> results(2, std::unexpected(Error{"", "not run"}));
  std::vector<std::thread> nodes;
  for (int i = 0; i < 2; ++i) {
    nodes.emplace_back([&, i] {
      auto c = Connection::Open(url_);
      if (!c) {
        results[i] = std::unexpected(c.error());
        return;
      }
      results[i] = Migrate(*c, kMigrations);
    });
  }
  Connection observer = Connect(url_);
  EXPECT_TRUE(WaitFor([&] {
    return Count(observer, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") == 2;
  }));
  // Not ASSERT: the threads must be joined before anything returns.
  EXPECT_TRUE(held->Commit());
  for (auto& t : nodes) t.join();
  for (const auto& r : results) {
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(*r, 3);
  }
  EXPECT_EQ(Count(observer, "SELECT count(*) FROM effects"), 3);
  EXPECT_EQ(Count(observer, "SELECT count(DISTINCT version) FROM effects"), 3);
  EXPECT_EQ(Count(observer, "SELECT count(*) FROM schema_version"), 3);
}

TEST(PgServerTest, KilledServerGivesAnErrorNotAHang) {
  // The server dies while a query runs: the query returns an error marked
  // transient, and the connection reports itself broken.
  PgServer server;
  JOBTRAWL_REQUIRE_SERVER(server);
  auto c = Connection::Open(server.Url());
  ASSERT_TRUE(c) << c.error().message;
  auto observer = Connection::Open(server.Url());
  ASSERT_TRUE(observer) << observer.error().message;
  const int pid = c->BackendPid();
  auto running = std::async(std::launch::async, [&] { return c->Exec("SELECT pg_sleep(3600)"); });
  const bool sleeping = WaitFor([&] {
    auto r = observer->Exec("SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND wait_event = 'PgSleep'",
                            {std::int64_t{pid}});
    return r && r->Int64(0, 0) == 1;
  });
  // Killed whatever happened, so that the query cannot outlive the test.
  server.Kill();
  ASSERT_TRUE(sleeping);
  // The bound only turns a hang into a failure; the answer comes at once.
  ASSERT_EQ(running.wait_for(std::chrono::seconds(120)), std::future_status::ready);
  auto result = running.get();
  ASSERT_FALSE(result);
  EXPECT_TRUE(result.error().transient) << result.error().message;
  EXPECT_FALSE(c->ok());
  EXPECT_FALSE(c->Exec("SELECT 1"));
}

TEST_F(PgTest, CommitWhoseReplyIsLostAsksTheServerForTheOutcome) {
  // The server commits and the session dies before its answer arrives:
  // Commit reconnects, learns the transaction committed and reports
  // success, so the caller does not apply it a second time.
  Connection c = Connect(url_);
  ASSERT_TRUE(c.Exec("CREATE TABLE lost_reply (n bigint)"));
  const int first_backend = c.BackendPid();
  {
    auto tx = Transaction::Begin(c);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(c.Exec("INSERT INTO lost_reply VALUES (1)"));
    c.LoseNextCommitReplyForTesting();
    auto committed = tx->Commit();
    ASSERT_TRUE(committed) << committed.error().message;
  }
  EXPECT_NE(c.BackendPid(), first_backend);  // the reply really was lost
  EXPECT_EQ(Count(c, "SELECT count(*) FROM lost_reply"), 1);

  // The server rolled the transaction back: the lost COMMIT is the
  // transient failure it was, and trying again is right.
  {
    auto tx = Transaction::Begin(c);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(c.Exec("INSERT INTO lost_reply VALUES (2)"));
    c.LoseNextCommitReplyForTesting(/*abort=*/true);
    auto committed = tx->Commit();
    ASSERT_FALSE(committed);
    EXPECT_TRUE(committed.error().transient) << committed.error().message;
  }
  EXPECT_EQ(Count(c, "SELECT count(*) FROM lost_reply"), 1);

  // A transaction that wrote nothing has no id to ask about: running it
  // again is harmless, so its lost COMMIT stays transient.
  {
    auto tx = Transaction::Begin(c);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(c.Exec("SELECT count(*) FROM lost_reply"));
    c.LoseNextCommitReplyForTesting();
    auto committed = tx->Commit();
    ASSERT_FALSE(committed);
    EXPECT_TRUE(committed.error().transient);
  }
  // The session is usable again afterwards.
  EXPECT_EQ(Count(c, "SELECT count(*) FROM lost_reply"), 1);
}

}  // namespace
}  // namespace jobtrawl::storage::pg

namespace jobtrawl::storage::pg {
namespace {

TEST_F(PgTest, TestServerIsPrivateAndDisposable) {
  // scripts/pg-test-server: loopback only, fsync off, never run as root.
  Connection c = Connect(url_);
  auto settings = c.Exec(
      "SELECT current_setting('listen_addresses'), current_setting('fsync'), "
      "current_setting('unix_socket_directories')");
  ASSERT_TRUE(settings) << settings.error().message;
  EXPECT_EQ(settings->Text(0, 0), "127.0.0.1");
  EXPECT_EQ(settings->Text(0, 1), "off");
  EXPECT_TRUE(settings->Text(0, 2).value_or("").ends_with("/data"));
  // The server process's real uid, read from /proc/PID/status.
  std::ifstream status("/proc/" + std::to_string(c.BackendPid()) + "/status");
  std::string line;
  while (std::getline(status, line) && !line.starts_with("Uid:")) {
  }
  ASSERT_TRUE(line.starts_with("Uid:"));
  EXPECT_NE(std::stoi(line.substr(4)), 0) << line;
}

TEST(PgServerTest, AServerDoesNotOutliveAKilledTestProcess) {
  // A test binary killed by a timeout (SIGKILL: no destructor runs) leaves
  // no server behind: scripts/pg-test-server's watcher stops it and deletes
  // its directory once the owner has ended.
  int pipe_fds[2];
  // A plain pipe (no O_CLOEXEC): the script and its watcher inherit the write
  // end, so the read below ends only if the watcher closes what it inherits.
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t owner = ::fork();
  ASSERT_GE(owner, 0);
  if (owner == 0) {
    ::close(pipe_fds[0]);
    PgServer server;
    const std::string dir = server.ok() ? server.dir().string() : "";
    (void)!::write(pipe_fds[1], dir.data(), dir.size());
    ::close(pipe_fds[1]);
    ::pause();
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string dir;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) dir.append(buffer, static_cast<size_t>(n));
  ::close(pipe_fds[0]);
  if (dir.empty()) {
    ::kill(owner, SIGKILL);
    ::waitpid(owner, nullptr, 0);
    if (jobtrawl::testing::PgRequired()) FAIL() << "the owner process could not start a server";
    GTEST_SKIP() << "no PostgreSQL server can be started here";
  }
  std::ifstream pid_file(std::filesystem::path(dir) / "pg" / "data" / "postmaster.pid");
  int postmaster = 0;
  pid_file >> postmaster;
  ASSERT_GT(postmaster, 0);
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, postmaster, 0));
  ASSERT_GE(pidfd, 0) << "pidfd_open: " << std::strerror(errno);

  ASSERT_EQ(::kill(owner, SIGKILL), 0);
  ASSERT_EQ(::waitpid(owner, nullptr, 0), owner);
  // The postmaster's end is an event (its pidfd becomes readable); the
  // bound only turns a server left running into a failure.
  pollfd ended{.fd = pidfd, .events = POLLIN, .revents = 0};
  EXPECT_EQ(::poll(&ended, 1, 120'000), 1) << "the server outlived its owner";
  ::close(pidfd);
  EXPECT_TRUE(WaitFor([&] { return !std::filesystem::exists(std::filesystem::path(dir) / "pg"); }));
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

TEST(PgConnectionTest, AMalformedUrlsErrorDoesNotQuoteItsPassword) {
  // libpq's parse error quotes the token it could not read: here the
  // password. No server is needed: the URI is refused before connecting.
  auto c = Connection::Open("postgresql://jobtrawl:s3cret%zz@127.0.0.1:1/jobs");
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().message.find("s3cret"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("***"), std::string::npos) << c.error().message;
}

TEST(PgServerTest, MissingServerBinariesAreReportedAsUnavailable) {
  // Where PostgreSQL is not installed the tests skip, saying what to install.
  const char* old = std::getenv("PG_BINDIR");
  const std::string saved = old ? old : "";
  ::setenv("PG_BINDIR", "/nonexistent/bin", 1);
  PgServer server;
  if (old) {
    ::setenv("PG_BINDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("PG_BINDIR");
  }
  EXPECT_FALSE(server.ok());
  EXPECT_TRUE(server.unavailable());
  EXPECT_NE(server.why().find("install Debian's postgresql package"), std::string::npos) << server.why();
}

}  // namespace
}  // namespace jobtrawl::storage::pg

namespace jobtrawl::storage::pg {
namespace {

// Ends `pid`'s session from another connection and waits (on the server)
// until its process has exited (pg_terminate_backend's timeout argument).
void Terminate(const std::string& url, int pid) {
  Connection admin = Connect(url);
  auto r = admin.Exec("SELECT pg_terminate_backend($1::int, 120000)", {Value{std::int64_t{pid}}});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->Int64(0, 0), 1);
}

TEST_F(PgTest, ATerminatedSessionIsReopenedOnTheNextUseAndItsStatementsPreparedAgain) {
  // Issue 15 review: a connection whose session the server ended
  // (pg_terminate_backend, a restart) used to fail every later call.
  Connection c = Connect(url_);
  ASSERT_TRUE(c.Exec("CREATE TABLE t (id bigint)"));
  auto insert = c.Prepare("INSERT INTO t VALUES ($1)", {Type::kInt64});
  ASSERT_TRUE(insert) << insert.error().message;
  ASSERT_TRUE(c.Run(*insert, {Value{std::int64_t{1}}}));
  const int before = c.BackendPid();
  Terminate(url_, before);
  // The goodbye is on the socket already: the call runs on a new session.
  auto ran = c.Run(*insert, {Value{std::int64_t{2}}});
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_NE(c.BackendPid(), before);
  EXPECT_EQ(c.reconnects(), 1);
  EXPECT_TRUE(c.ok());
  EXPECT_EQ(Count(c, "SELECT count(*) FROM t"), 2);
  // A statement prepared after the reconnect, and the old one again.
  auto select = c.Prepare("SELECT count(*) FROM t WHERE id >= $1", {Type::kInt64});
  ASSERT_TRUE(select) << select.error().message;
  EXPECT_EQ(c.Run(*select, {Value{std::int64_t{2}}})->Int64(0, 0), 1);
  ASSERT_TRUE(c.Run(*insert, {Value{std::int64_t{3}}}));
}

TEST_F(PgTest, SessionSetupIsRunAgainOnEveryReopenedSession) {
  // Issue 15 review: session state set once (the alert capture's TEMP
  // table and setting, the reader's default_transaction_read_only) was
  // gone after a reconnect, silently. AddSessionSetup runs it again.
  Connection c = Connect(url_);
  ASSERT_TRUE(c.Exec("CREATE TABLE t (id bigint)"));
  // Run in the order registered, on every session.
  ASSERT_TRUE(c.AddSessionSetup("CREATE TEMP TABLE IF NOT EXISTS notes (id bigint)"));
  const std::string setup = "SET default_transaction_read_only = on";
  ASSERT_TRUE(c.AddSessionSetup(setup));
  // Again: idempotent, and registered once.
  ASSERT_TRUE(c.AddSessionSetup(setup));
  auto refused = c.Exec("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().sqlstate, "25006");  // read_only_sql_transaction
  const int before = c.BackendPid();
  Terminate(url_, before);
  auto still = c.Exec("INSERT INTO t VALUES (2)");
  ASSERT_FALSE(still) << "a write went through on the reopened session";
  EXPECT_EQ(still.error().sqlstate, "25006") << still.error().message;
  EXPECT_NE(c.BackendPid(), before);
  EXPECT_EQ(c.reconnects(), 1);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM pg_temp.notes"), 0);
  // A setup that fails is refused at once and not kept.
  auto bad = c.AddSessionSetup("SET no_such_setting_without_a_dot = on");
  ASSERT_FALSE(bad);
  Terminate(url_, c.BackendPid());
  auto show = c.Exec("SHOW default_transaction_read_only");
  ASSERT_TRUE(show) << show.error().message;
  EXPECT_EQ(show->Text(0, 0), "on");
  EXPECT_EQ(c.reconnects(), 2);
}

TEST_F(PgTest, ASessionSetupThatFailsOnAReconnectFailsTheReconnectTransiently) {
  // Never a half-set session: when the setup fails on the new session, the
  // call fails (transient, so callers try again later) and nothing runs.
  Connection c = Connect(url_);
  ASSERT_TRUE(c.Exec("CREATE TABLE gate (id bigint); CREATE TABLE t (id bigint)"));
  ASSERT_TRUE(c.AddSessionSetup("SELECT count(*) FROM gate"));
  Connection admin = Connect(url_);
  ASSERT_TRUE(admin.Exec("DROP TABLE gate"));
  Terminate(url_, c.BackendPid());
  auto failed = c.Exec("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(failed);
  EXPECT_TRUE(failed.error().transient) << failed.error().message;
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(c.reconnects(), 0);
  EXPECT_EQ(c.reconnect_attempts(), 1);
  EXPECT_EQ(Count(admin, "SELECT count(*) FROM t"), 0);
}

TEST_F(PgTest, ASessionLostInsideATransactionFailsItUntilItIsEnded) {
  // Never half a transaction: after the break every statement of it fails
  // (transient) until ROLLBACK, which succeeds without a server; then the
  // next use reconnects. Nothing of the lost transaction is kept.
  Connection c = Connect(url_);
  ASSERT_TRUE(c.Exec("CREATE TABLE t (id bigint)"));
  {
    auto tx = Transaction::Begin(c);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(c.Exec("INSERT INTO t VALUES (1)"));
    Terminate(url_, c.BackendPid());
    auto lost = c.Exec("INSERT INTO t VALUES (2)");
    ASSERT_FALSE(lost);
    EXPECT_TRUE(lost.error().transient) << lost.error().message;
    auto still = c.Exec("INSERT INTO t VALUES (3)");
    ASSERT_FALSE(still);
    EXPECT_TRUE(still.error().transient);
    EXPECT_EQ(still.error().sqlstate, "08003");
    auto committed = tx->Commit();
    ASSERT_FALSE(committed);
    EXPECT_TRUE(committed.error().transient);
  }
  {
    auto tx = Transaction::Begin(c);
    ASSERT_TRUE(tx) << tx.error().message;
    ASSERT_TRUE(c.Exec("INSERT INTO t VALUES (4)"));
    Terminate(url_, c.BackendPid());
    EXPECT_FALSE(c.Exec("INSERT INTO t VALUES (5)"));
    EXPECT_TRUE(tx->Rollback());
  }
  EXPECT_EQ(Count(c, "SELECT count(*) FROM t"), 0);
  EXPECT_EQ(c.reconnects(), 2);
}

TEST_F(PgTest, ACommitCutByTheBreakEndsTheTransactionAndTheNextUseReconnects) {
  // The session ends while COMMIT runs (here a deferred trigger sleeps in
  // it): the COMMIT fails, transiently, and ends the transaction all the
  // same, so the caller's next transaction runs on a new session instead
  // of failing as part of a lost one for ever.
  Connection c = Connect(url_);
  ASSERT_TRUE(c.Exec("CREATE TABLE t (id bigint);"
                     "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS"
                     " $$ BEGIN PERFORM pg_sleep(3600); RETURN NULL; END $$;"
                     "CREATE CONSTRAINT TRIGGER slow AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED"
                     " FOR EACH ROW WHEN (NEW.id = 1) EXECUTE FUNCTION slow()"));
  auto tx = Transaction::Begin(c);
  ASSERT_TRUE(tx);
  ASSERT_TRUE(c.Exec("INSERT INTO t VALUES (1)"));
  const int pid = c.BackendPid();
  auto committing = std::async(std::launch::async, [&] { return tx->Commit(); });
  Connection observer = Connect(url_);
  const bool sleeping = WaitFor([&] {
    auto r = observer.Exec("SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND wait_event = 'PgSleep'",
                           {std::int64_t{pid}});
    return r && r->Int64(0, 0) == 1;
  });
  Terminate(url_, pid);
  ASSERT_TRUE(sleeping);
  auto committed = committing.get();
  ASSERT_FALSE(committed);
  EXPECT_TRUE(committed.error().transient) << committed.error().message;
  auto next = Transaction::Begin(c);
  ASSERT_TRUE(next) << next.error().message;
  ASSERT_TRUE(c.Exec("INSERT INTO t VALUES (2)"));
  ASSERT_TRUE(next->Commit());
  EXPECT_EQ(Count(c, "SELECT count(*) FROM t"), 1);
}

TEST_F(PgTest, ALockTimeoutFromTheOptionsIsATransientErrorNotAHang) {
  // Issue 15 review: no session had a lock_timeout, so a stuck lock held a
  // node forever. Here another session holds the row; the update gives up
  // after the lock_timeout set in ConnectOptions.
  Connection holder = Connect(url_);
  ASSERT_TRUE(holder.Exec("CREATE TABLE t (id bigint PRIMARY KEY, n bigint); INSERT INTO t VALUES (1, 0)"));
  auto held = Transaction::Begin(holder);
  ASSERT_TRUE(held);
  ASSERT_TRUE(holder.Exec("SELECT * FROM t WHERE id = 1 FOR UPDATE"));
  auto c = Connection::Open(url_, {.lock_timeout = std::chrono::milliseconds(100)});
  ASSERT_TRUE(c) << c.error().message;
  auto blocked = c->Exec("UPDATE t SET n = n + 1 WHERE id = 1");
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().sqlstate, "55P03") << blocked.error().message;
  EXPECT_TRUE(blocked.error().transient);
  // A statement_timeout likewise, and the connection stays usable.
  ASSERT_TRUE(c->SetSessionTimeouts(std::nullopt, std::chrono::milliseconds(100)));
  auto slow = c->Exec("SELECT pg_sleep(3600)");
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().sqlstate, "57014") << slow.error().message;
  EXPECT_TRUE(slow.error().transient);
  ASSERT_TRUE(held->Commit());
  EXPECT_TRUE(c->Exec("UPDATE t SET n = n + 1 WHERE id = 1"));
}

TEST_F(PgTest, AUrlsOwnOptionsWinOverTheTimeoutsOfConnectOptions) {
  auto c = Connection::Open(url_ + "?options=-c%20lock_timeout%3D1234%20-c%20work_mem%3D8MB",
                            {.lock_timeout = std::chrono::milliseconds(100),
                             .statement_timeout = std::chrono::milliseconds(200000)});
  ASSERT_TRUE(c) << c.error().message;
  auto r = c->Exec("SELECT current_setting('lock_timeout'), current_setting('statement_timeout'), "
                   "current_setting('work_mem')");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->Text(0, 0), "1234ms");
  EXPECT_EQ(r->Text(0, 1), "200s");
  EXPECT_EQ(r->Text(0, 2), "8MB");
}

TEST(PgServerTest, AServerThatWasDownIsReconnectedWithBoundedBackoff) {
  // The server stops (a crash, a restart) and comes back on its port:
  // attempts meanwhile fail transiently, spaced by a doubling backoff (a
  // fake clock here), and the first use after it is back reconnects.
  PgServer server;
  JOBTRAWL_REQUIRE_SERVER(server);
  auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  ConnectOptions o;
  o.reconnect_backoff_min = std::chrono::seconds(1);
  o.reconnect_backoff_max = std::chrono::seconds(2);
  o.clock = [&] { return now; };
  auto c = Connection::Open(server.Url(), o);
  ASSERT_TRUE(c) << c.error().message;
  // The test server commits asynchronously: a checkpoint makes the table
  // outlive the crash below.
  ASSERT_TRUE(c->Exec("CREATE TABLE t (id bigint)"));
  ASSERT_TRUE(c->Exec("CHECKPOINT"));
  auto insert = c->Prepare("INSERT INTO t VALUES ($1)", {Type::kInt64});
  ASSERT_TRUE(insert);
  server.Kill();
  auto down = c->Run(*insert, {Value{std::int64_t{1}}});
  ASSERT_FALSE(down);
  EXPECT_TRUE(down.error().transient) << down.error().message;
  EXPECT_EQ(c->reconnect_attempts(), 1);
  // Within the backoff: no attempt at all.
  auto waiting = c->Exec("SELECT 1");
  ASSERT_FALSE(waiting);
  EXPECT_TRUE(waiting.error().transient);
  EXPECT_NE(waiting.error().message.find("next reconnection attempt"), std::string::npos) << waiting.error().message;
  EXPECT_EQ(c->reconnect_attempts(), 1);
  now += std::chrono::seconds(1);
  EXPECT_FALSE(c->Exec("SELECT 1"));
  EXPECT_EQ(c->reconnect_attempts(), 2);
  now += std::chrono::seconds(1);  // the backoff doubled to 2 s
  EXPECT_FALSE(c->Exec("SELECT 1"));
  EXPECT_EQ(c->reconnect_attempts(), 2);
  now += std::chrono::seconds(1);
  EXPECT_FALSE(c->Exec("SELECT 1"));
  EXPECT_EQ(c->reconnect_attempts(), 3);
  now += std::chrono::seconds(2);  // capped at 2 s
  EXPECT_FALSE(c->Exec("SELECT 1"));
  EXPECT_EQ(c->reconnect_attempts(), 4);
  ASSERT_TRUE(server.Start()) << server.why();
  now += std::chrono::seconds(2);
  auto back = c->Run(*insert, {Value{std::int64_t{2}}});
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(c->reconnects(), 1);
  EXPECT_EQ(Count(*c, "SELECT max(id) FROM t"), 2);
}

}  // namespace
}  // namespace jobtrawl::storage::pg
