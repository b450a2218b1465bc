// A small C++ layer over libpq, the PostgreSQL client library
// (https://www.postgresql.org/docs/15/libpq.html), for the PostgreSQL storage
// backend (issue 15): a connection, statements with typed parameters and
// typed results, a transaction guard, advisory locks and a migration runner.
//
// Errors are values (pg::Error) carrying the server's SQLSTATE
// (https://www.postgresql.org/docs/15/errcodes-appendix.html) when the server
// sent one; nothing here throws. Values travel in libpq's text format with
// explicit type OIDs, so text is passed byte for byte (PostgreSQL text holds
// no NUL byte; a text value with one is refused with SQLSTATE 22021, as the
// server would, since libpq would cut it there).
//
// Reconnection: a Connection whose server went away (a restart, a network
// blip, pg_terminate_backend) opens a new session with the same URL and
// options on its next use outside a transaction, and prepares its
// statements again there when they are next run (each statement records
// the session generation it was prepared in). A break seen before a
// statement is sent (the server's goodbye already waits on the socket) costs
// nothing: the statement runs on the new session. A break inside a
// transaction fails that statement and every later one of the transaction
// (transient, SQLSTATE 08003) until the caller ends it: ROLLBACK then
// succeeds at once (the server has rolled it back already) and COMMIT fails
// (nothing was committed); the next use after that reconnects. Failed
// attempts back off (ConnectOptions::reconnect_backoff_min, doubling to
// ..._max): a use during the wait fails at once with a transient error, so
// a dead server is not hammered.
//
// Session timeouts: lock_timeout and statement_timeout from ConnectOptions
// are sent at connect (a URL's own `options=-c ...` wins over them), or set
// by SetSessionTimeouts (winning over the URL); each (re)connect applies
// them. A statement that runs into either fails with SQLSTATE 55P03
// (lock_not_available) or 57014 (query_canceled), both transient.
//
// Session setup: other session state (a SET, a TEMP table) is lost with the
// session, so whoever needs it registers it with AddSessionSetup, and each
// reconnect runs it again, after the timeouts and before the statement that
// found the session gone. A setup that fails on a reconnect fails that
// reconnect (transient, backing off like any other), so no statement ever
// runs on a half-set session.
//
// Thread-safety: a Connection (and everything made from it) is used by one
// thread at a time; separate Connections may be used from separate threads.
#ifndef JOBTRAWL_STORAGE_PG_CONNECTION_H_
#define JOBTRAWL_STORAGE_PG_CONNECTION_H_

#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/error.h"

struct pg_conn;
struct pg_result;

namespace jobtrawl::storage::pg {

struct Error {
  // Five characters from the server ("23505", "28P01", ...), or empty when
  // the failure was on the client's side (no connection, a lost connection
  // before the server answered, a malformed URL).
  std::string sqlstate;
  std::string message;
  // Trying again may succeed: a lost or refused connection (class 08), a
  // serialization failure (40001), a deadlock (40P01), a server shutting
  // down (57P01..57P03), too many connections (53300), a lock_timeout
  // (55P03) or a statement_timeout or cancel (57014).
  bool transient = false;

  // The same failure as the project's Error (code kStorage), the SQLSTATE
  // in its message.
  jobtrawl::Error ToError() const;
};

// A parameter or result value. Null is std::monostate.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
// kUnknown: the server infers the parameter's type from where it stands
// (OID 0, as an untyped literal), and any value is sent as its text; a
// text value then fills a json, bigint or text column alike.
enum class Type { kInt64, kDouble, kText, kUnknown };

struct ConnectOptions {
  // Bounds the connection attempt (libpq's connect_timeout, whole seconds,
  // at least 2 as libpq requires); a URL's own connect_timeout wins.
  std::chrono::seconds connect_timeout{10};
  // TCP keepalives and tcp_user_timeout bound how long a query waits on a
  // server that vanished without closing the connection (a dead machine,
  // a cut network); a server process that dies closes it at once.
  std::chrono::seconds keepalive_idle{30};
  std::chrono::milliseconds tcp_user_timeout{60'000};
  // Reported in pg_stat_activity.application_name.
  std::string application_name = "jobtrawl";
  // The session's lock_timeout and statement_timeout
  // (https://www.postgresql.org/docs/15/runtime-config-client.html);
  // nullopt leaves the server's (or role's) setting, zero means none. Sent
  // in the startup packet's options, before a URL's own `options`, so a
  // URL saying `options=-c lock_timeout=...` wins.
  std::optional<std::chrono::milliseconds> lock_timeout;
  std::optional<std::chrono::milliseconds> statement_timeout;
  // Migrate runs its transaction with this lock_timeout and
  // statement_timeout (a migration may rewrite large tables, and nodes
  // starting meanwhile wait for its lock); zero means none.
  std::chrono::milliseconds migration_timeout = std::chrono::hours(1);
  // After a failed reconnection attempt the next waits this long, doubling
  // up to reconnect_backoff_max; a success resets it.
  std::chrono::milliseconds reconnect_backoff_min{100};
  std::chrono::milliseconds reconnect_backoff_max{30'000};
  // The clock the backoff reads; empty: std::chrono::steady_clock (tests
  // pass a fake one).
  std::function<std::chrono::steady_clock::time_point()> clock;
};

// The rows a statement returned (or none, for a command).
// Values are converted by the column's type: integer types (int2, int4,
// int8) as kInt64, float4/float8/numeric as kDouble, bool as 0/1 in kInt64,
// everything else as kText.
class Result {
 public:
  Result() = default;
  int Rows() const;
  int Columns() const;
  std::string ColumnName(int column) const;
  bool IsNull(int row, int column) const;
  Value Get(int row, int column) const;
  // REQUIRES: row < Rows(), column < Columns(). nullopt for NULL and for a
  // value of another kind, except that Double also reads an int64 and Text
  // reads any value as the server wrote it. A numeric beyond the range of
  // a double is read as text.
  std::optional<std::int64_t> Int64(int row, int column) const;
  std::optional<double> Double(int row, int column) const;
  std::optional<std::string> Text(int row, int column) const;
  // The number of rows an INSERT/UPDATE/DELETE touched (PQcmdTuples).
  std::int64_t AffectedRows() const;
  // The command tag ("INSERT 0 1", "COMMIT", "ROLLBACK", ...).
  std::string CommandTag() const;

 private:
  friend class Connection;
  struct Clear {
    void operator()(pg_result* r) const noexcept;
  };
  explicit Result(pg_result* r) : result_(r, Clear{}) {}
  std::shared_ptr<pg_result> result_;
};

// A statement prepared on one Connection (PQprepare). Valid as long as that
// connection; run with Connection::Run.
class Statement {
 public:
  const std::string& name() const { return name_; }
  int parameter_count() const { return static_cast<int>(types_.size()); }

 private:
  friend class Connection;
  Statement(std::string name, std::vector<Type> types, size_t index)
      : name_(std::move(name)), types_(std::move(types)), index_(index) {}
  std::string name_;
  std::vector<Type> types_;
  // Index into the connection's statement list (its SQL, for preparing it
  // again after a reconnect).
  size_t index_ = 0;
};

// One libpq connection (RAII over PGconn).
class Connection {
 public:
  // Connects to a postgresql:// (or postgres://) URL or a libpq keyword
  // string. On failure the error names host and port but never the password.
  static std::expected<Connection, Error> Open(std::string_view url, const ConnectOptions& options = {});

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one or more statements without parameters (the simple query
  // protocol); the result is the last statement's.
  std::expected<Result, Error> Exec(std::string_view sql);
  // Runs one statement with parameters $1..$n, each sent with the type of
  // its value (int8, float8, text; NULL as unknown).
  std::expected<Result, Error> Exec(std::string_view sql, std::span<const Value> params);
  std::expected<Result, Error> Exec(std::string_view sql, std::initializer_list<Value> params) {
    return Exec(sql, std::span<const Value>(params.begin(), params.size()));
  }

  // Prepares `sql` with parameters $1..$n of the given types.
  std::expected<Statement, Error> Prepare(std::string_view sql, std::vector<Type> types);
  // REQUIRES: params.size() == statement.parameter_count(); each value null
  // or of its parameter's type (an int64 passes for a double).
  std::expected<Result, Error> Run(const Statement& statement, std::span<const Value> params);
  std::expected<Result, Error> Run(const Statement& statement, std::initializer_list<Value> params) {
    return Run(statement, std::span<const Value>(params.begin(), params.size()));
  }

  // Ends the caller's transaction with COMMIT, like Exec("COMMIT"), but
  // when the session breaks while the COMMIT is out (its reply lost, so
  // the server may have committed or not) it reconnects and asks
  // pg_xact_status for the transaction's id (PostgreSQL 13+,
  // https://www.postgresql.org/docs/15/functions-info.html): committed →
  // success (an empty Result); aborted → the transient error (trying again
  // is right); in progress, unknown or not askable → a non-transient error
  // with SQLSTATE 08007 (transaction_resolution_unknown) saying the
  // outcome is unknown: the caller must not blindly apply it again. The id
  // is read only for a transaction that has one (one that wrote), in one
  // extra round trip before the COMMIT.
  std::expected<Result, Error> Commit();
  // Test hook: the next Commit's reply is lost after the server has ended
  // the transaction (committed it, or, with `abort`, rolled it back) and
  // the session breaks, as when the socket dies before the reply arrives.
  void LoseNextCommitReplyForTesting(bool abort = false) { lose_commit_reply_ = abort ? 2 : 1; }

  // The server process serving this connection (pg_backend_pid()).
  int BackendPid() const;
  // False once libpq has seen the connection break (the next use outside a
  // transaction reconnects).
  bool ok() const;
  // Sets lock_timeout and statement_timeout for this session now (outside
  // a transaction) and for every session a reconnect opens; they win over
  // the URL's and ConnectOptions'. nullopt leaves one as it is.
  std::expected<void, Error> SetSessionTimeouts(std::optional<std::chrono::milliseconds> lock_timeout,
                                                std::optional<std::chrono::milliseconds> statement_timeout);
  const ConnectOptions& options() const { return *options_; }
  // Runs `sql` (one or more statements, simple query protocol) now and
  // again at the start of every session a reconnect opens, so session
  // state (SET, CREATE TEMP TABLE, ...) survives a reconnect. `sql` must be
  // idempotent (it may run on a session that already has it, e.g. CREATE
  // TEMP TABLE IF NOT EXISTS). Registering the same text again runs it now
  // and does not add it twice. When it fails now it is not registered.
  // Inside a transaction it is rolled back with it, but still registered.
  std::expected<void, Error> AddSessionSetup(std::string sql);

  // Sessions opened after the first (successful reconnects), and attempts
  // (successful or not).
  std::int64_t reconnects() const { return reconnects_; }
  std::int64_t reconnect_attempts() const { return reconnect_attempts_; }

  // What a call does to the caller's transaction (internal).
  enum class Ends { kNothing, kCommit, kRollback };

 private:
  struct Finish {
    void operator()(pg_conn* c) const noexcept;
  };
  struct Prepared {
    std::string sql;
    std::vector<unsigned> oids;
    int generation = -1;  // the session it was prepared in
  };
  Connection(pg_conn* c, std::string url, ConnectOptions options);
  std::expected<Result, Error> Check(pg_result* r, std::string_view what);
  // Before a call: a session that can take it, reconnecting when the old
  // one broke outside a transaction. Returns an empty Result when the call
  // is a ROLLBACK with nothing to roll back (it is then not sent), an
  // error when the call cannot be sent.
  std::expected<std::optional<Result>, Error> Ready(Ends ends);
  void NoteBroken();
  void Reconnect(Error& error);
  std::expected<void, Error> ApplySessionTimeouts();
  std::expected<void, Error> ApplySessionSetup();
  void TrackTransaction();
  // After a COMMIT whose reply was lost: what became of transaction `xid`.
  std::expected<Result, Error> CommitOutcome(const std::string& xid, Error lost);
  // The test hook's half of Commit: ends the transaction, drops the reply
  // and breaks the session.
  std::expected<Result, Error> LoseCommitReply();

  std::unique_ptr<pg_conn, Finish> conn_;
  // Heap-held so that a moved Connection keeps them where they were.
  std::unique_ptr<std::string> url_;
  std::unique_ptr<ConnectOptions> options_;
  std::vector<Prepared> statements_;
  std::vector<std::string> session_setup_;
  std::optional<std::chrono::milliseconds> session_lock_timeout_, session_statement_timeout_;
  int generation_ = 0;
  bool in_transaction_ = false;        // as the caller sees it
  bool lost_in_transaction_ = false;   // broke inside one the caller has not ended
  std::chrono::milliseconds backoff_{0};
  std::chrono::steady_clock::time_point next_attempt_{};
  std::string last_failure_;
  std::int64_t reconnects_ = 0;
  std::int64_t reconnect_attempts_ = 0;
  int lose_commit_reply_ = 0;  // LoseNextCommitReplyForTesting: 1 commit, 2 abort
};

// A transaction on one connection: BEGIN now, ROLLBACK when destroyed
// unless Commit succeeded. REQUIRES: the connection outlives it and runs no
// other transaction meanwhile.
class Transaction {
 public:
  static std::expected<Transaction, Error> Begin(Connection& connection);
  Transaction(Transaction&& other) noexcept : connection_(other.connection_) { other.connection_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();

  // Waits for the transaction-scoped advisory lock `key`
  // (pg_advisory_xact_lock), held until commit or rollback.
  std::expected<void, Error> AdvisoryLock(std::int64_t key);
  std::expected<void, Error> Commit();
  // Rolls back now; the destructor then does nothing.
  std::expected<void, Error> Rollback();

 private:
  explicit Transaction(Connection* c) : connection_(c) {}
  Connection* connection_;
};

// One step of a schema: `sql` (one or more statements) moves the schema to
// `version`.
struct Migration {
  int version;
  std::string_view sql;
};

// Whether a failed connection attempt's message (libpq's text: a refused
// startup carries no SQLSTATE libpq exposes) is the server refusing this
// login for good: a failed password or other authentication, no
// pg_hba.conf entry, an unknown role or database, a role that may not log
// in, no CONNECT privilege. Every other failure (no answer, the server
// starting up, shutting down, in crash recovery, "not yet accepting
// connections", too many clients, a standby being promoted) may pass: it is
// transient, and the caller retries it with its backoff. The phrases are
// the server's own (PostgreSQL's src/backend/libpq/auth.c,
// utils/init/postinit.c, postmaster/postmaster.c) in English; a server
// answering in another language is retried, never taken for a refusal.
bool IsRefusedLogin(std::string_view message);

// The advisory lock key migrations are run under ("jobtrawl" as ASCII).
inline constexpr std::int64_t kMigrationLockKey = 0x6a6f62747261776cLL;

// Brings the database to the last of `migrations` (sorted by version, no
// duplicates, versions > 0): in one transaction (with the connection's
// ConnectOptions::migration_timeout as its lock and statement timeouts),
// under the advisory lock
// `lock_key`, it creates the table schema_version (version, applied_at) if
// absent and runs each migration newer than its highest version, recording
// each. Nodes starting together thus run each migration once: the others
// wait for the lock and then find nothing to do. Fails without change when
// the database is newer than the last migration, or when a migration fails
// (its SQLSTATE in the error). Returns the database's version.
// Migrations run inside a transaction, so statements that cannot
// (CREATE INDEX CONCURRENTLY, VACUUM) do not belong in them.
std::expected<int, Error> Migrate(Connection& connection, std::span<const Migration> migrations,
                                  std::int64_t lock_key = kMigrationLockKey);

}  // namespace jobtrawl::storage::pg

#endif  // JOBTRAWL_STORAGE_PG_CONNECTION_H_
