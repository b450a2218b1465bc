// The small SQL layer PostingStore and the Deduper are written against once
// (issue 15 part 1): one Connection interface with an SQLite implementation
// (over SQLiteCpp's Database, https://www.sqlite.org/c3ref/intro.html) and a
// PostgreSQL one (over storage/pg/connection.h, libpq). Internal to storage/.
//
// SQL text is written once with SQLite's placeholders: `?` and `?NNN`
// (https://www.sqlite.org/lang_expr.html#varparam). The PostgreSQL
// implementation rewrites them to `$n` outside quotes and comments, numbering
// a bare `?` as SQLite does (one more than the largest number so far), and
// lets the server infer each parameter's type from where it stands (sent as
// "unknown", OID 0): a text value then fills a json, bigint or text column
// alike. Where a parameter's type cannot be inferred (`least(?, ?)`), the
// SQL says it with a portable CAST(? AS bigint).
//
// Portable SQL both engines run (SQLite 3.40, PostgreSQL 15): INSERT ... ON
// CONFLICT (cols) DO NOTHING / DO UPDATE SET c = excluded.c [WHERE ...],
// RETURNING, IS NOT DISTINCT FROM, coalesce, CASE, CAST(? AS bigint), count(*)
// and the aggregate min/max. What is not portable is in Dialect.
//
// Errors: calls throw sql::Exception (never out of storage/: the store's
// Guard turns it into an Error at its public functions), with `transient`
// set when trying again may succeed: SQLITE_BUSY, LOCKED, FULL, IOERR on
// SQLite; serialization failure, deadlock, lost connection, shutdown, too
// many connections on PostgreSQL.
//
// Thread-safety: a Connection and its statements are used by one thread at
// a time.
#ifndef JOBTRAWL_STORAGE_SQL_H_
#define JOBTRAWL_STORAGE_SQL_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace SQLite {
class Database;
}

namespace jobtrawl::storage::sql {

enum class Engine { kSqlite, kPostgres };

class Exception : public std::runtime_error {
 public:
  // `sqlite_code`: SQLite's extended result code, 0 on PostgreSQL;
  // `sqlstate`: the server's five characters, empty on SQLite or when the
  // failure was on the client's side.
  Exception(const std::string& message, int sqlite_code, std::string sqlstate, bool transient)
      : std::runtime_error(message),
        sqlite_code_(sqlite_code),
        sqlstate_(std::move(sqlstate)),
        transient_(transient) {}
  int sqlite_code() const { return sqlite_code_; }
  const std::string& sqlstate() const { return sqlstate_; }
  bool transient() const { return transient_; }

 private:
  int sqlite_code_;
  std::string sqlstate_;
  bool transient_;
};

// The fragments that cannot be written once for both engines.
struct Dialect {
  Engine engine = Engine::kSqlite;
  // Starts a write transaction that takes the write lock at once (SQLite's
  // BEGIN IMMEDIATE; PostgreSQL locks rows as it writes them).
  std::string_view begin_write = "BEGIN IMMEDIATE";
  // The scalar smallest and largest of two values.
  std::string_view least = "min";
  std::string_view greatest = "max";
  // The elements of a JSON array as rows with one column `value` (text for
  // a string element): json_each(x) / json_array_elements_text(x).
  std::string_view json_elements = "json_each";
};

inline constexpr Dialect kSqliteDialect{};
inline constexpr Dialect kPostgresDialect{Engine::kPostgres, "BEGIN", "least", "greatest",
                                          "json_array_elements_text"};

// One prepared statement. Parameters are numbered from 1, result columns
// from 0. Bindings stay until rebound (Reset keeps them).
class Statement {
 public:
  virtual ~Statement() = default;
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  virtual void Bind(int index, std::int64_t value) = 0;
  virtual void Bind(int index, double value) = 0;
  // The bytes are copied.
  virtual void Bind(int index, std::string_view value) = 0;
  virtual void BindNull(int index) = 0;
  void Bind(int index, int value) { Bind(index, static_cast<std::int64_t>(value)); }
  void Bind(int index, bool value) = delete;  // say 0 or 1
  void Bind(int index, const char* value) { Bind(index, std::string_view(value)); }
  void Bind(int index, const std::string& value) { Bind(index, std::string_view(value)); }
  template <typename T>
  void Bind(int index, const std::optional<T>& value) {
    if (value) {
      Bind(index, *value);
    } else {
      BindNull(index);
    }
  }

  // Runs the statement to its next row: true when there is one (read it
  // with the getters), false when it is done.
  virtual bool Step() = 0;
  // Runs it to the end, ignoring any rows; returns how many rows an
  // INSERT, UPDATE or DELETE changed.
  virtual int Exec() = 0;
  // Makes it ready to run again (bindings kept). Never throws.
  virtual void Reset() noexcept = 0;

  // REQUIRES: the last Step() returned true. Getters convert as SQLite
  // does: a NULL reads as 0 or "", a text holding a number as that number.
  virtual bool IsNull(int column) const = 0;
  virtual std::int64_t Int64(int column) const = 0;
  virtual double Double(int column) const = 0;
  virtual std::string Text(int column) const = 0;
  int Int(int column) const { return static_cast<int>(Int64(column)); }
  std::optional<std::string> OptText(int column) const {
    if (IsNull(column)) return std::nullopt;
    return Text(column);
  }
};

// A connection's cached statement for one use: forwards to it, and resets
// it when it goes out of scope (on SQLite a statement left mid-way would
// hold its read transaction, and a checkpoint back, until the next use).
class ScopedStatement {
 public:
  explicit ScopedStatement(Statement& s) : s_(&s) {}
  ~ScopedStatement() { s_->Reset(); }
  ScopedStatement(const ScopedStatement&) = delete;
  ScopedStatement& operator=(const ScopedStatement&) = delete;
  operator Statement&() { return *s_; }
  Statement* operator->() { return s_; }

  template <typename... A>
  void Bind(A&&... a) { s_->Bind(std::forward<A>(a)...); }
  void BindNull(int index) { s_->BindNull(index); }
  bool Step() { return s_->Step(); }
  int Exec() { return s_->Exec(); }
  void Reset() noexcept { s_->Reset(); }
  bool IsNull(int column) const { return s_->IsNull(column); }
  std::int64_t Int64(int column) const { return s_->Int64(column); }
  int Int(int column) const { return s_->Int(column); }
  double Double(int column) const { return s_->Double(column); }
  std::string Text(int column) const { return s_->Text(column); }
  std::optional<std::string> OptText(int column) const { return s_->OptText(column); }

 private:
  Statement* s_;
};

// One database connection.
class Connection {
 public:
  virtual ~Connection() = default;
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  virtual const Dialect& dialect() const = 0;
  Engine engine() const { return dialect().engine; }

  // A new statement of its own (for statements kept and reused; on
  // PostgreSQL, statements of the same text share one server-side prepared
  // statement).
  virtual std::unique_ptr<Statement> Prepare(std::string_view sql) = 0;
  // The connection's statement for this text, prepared on first use, for
  // one use (reset when the handle goes): callers must be done with it
  // before asking again for the same text (no nesting of one text).
  ScopedStatement Cached(std::string_view sql);

  // Runs one or more statements without parameters.
  virtual void Exec(std::string_view sql) = 0;
  // The first column of the first row of `sql` (no parameters) as an
  // integer; 0 when it gives no row.
  std::int64_t QueryInt64(std::string_view sql);

  // Transactions: Begin() starts one. SQLite: BEGIN IMMEDIATE, holding the
  // database's write lock until it ends, so writers commit one at a time.
  // PostgreSQL: a plain BEGIN; writers run at once, row locks and the
  // LockKeys locks serializing what must be. Commit() and Rollback() end it.
  // InTransaction(): one is open.
  virtual void Begin() = 0;
  virtual void Commit() = 0;
  // Never throws; nothing happens when no transaction is open.
  virtual void Rollback() noexcept = 0;
  virtual bool InTransaction() const = 0;

  // Takes the exclusive locks `keys` (in the store's own key space), held
  // until the transaction ends; keys this transaction holds already are
  // skipped, the others are taken in ascending order. SQLite: nothing (its
  // writers are serialized already). PostgreSQL: transaction-level
  // advisory locks (pg_advisory_xact_lock(class, key)), waited for when
  // above every key the transaction holds, else only tried (no cycle of
  // waits): a key another writer has then, or a lock_timeout, throws a
  // transient Exception (try the transaction again, taking KeysAsked()
  // first: trying it again as it was may fail the same way for as long as
  // the other writer keeps coming back to that key). REQUIRES: a
  // transaction is open.
  virtual void LockKeys(std::span<const std::int32_t> keys) { (void)keys; }
  // Every key LockKeys was asked for in the open transaction, or else in
  // the last one (whether it had the key or not), ascending; empty on
  // SQLite. A transaction that failed on a key it could only try is run
  // again with these taken first (LockKeys on them right after Begin,
  // waited for in ascending order: no cycle of waits), so only keys that
  // no earlier attempt asked for are tried, and each attempt gets further
  // than the one before.
  virtual std::vector<std::int32_t> KeysAsked() const { return {}; }
  // After the session was lost and reopening it failed: how long until
  // the next attempt may be made (a use before then fails at once); zero
  // when it may be made now, and always on SQLite.
  virtual std::chrono::milliseconds ReconnectWait() const { return std::chrono::milliseconds{0}; }
  // False while the session to the server is lost and not reopened: a call
  // that failed then failed because the database could not be reached (a
  // lost connection, SQLSTATE class 08; a server shutting down, 57P01 to
  // 57P03; a reconnection that failed), not because of what it asked.
  // Always true on SQLite.
  virtual bool Connected() const { return true; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  // Looked up by string_view: no allocation for a statement already cached.
  std::unordered_map<std::string, std::unique_ptr<Statement>, Hash, std::equal_to<>> cache_;
};

// Rolls back at destruction unless Commit() ran; does nothing at all when
// a transaction was already open at construction (the caller's transaction
// then decides), so a call is all or nothing inside a transaction or not.
class Transaction {
 public:
  explicit Transaction(Connection& c) : connection_(c), own_(!c.InTransaction()) {
    if (own_) connection_.Begin();
  }
  ~Transaction() {
    if (own_) connection_.Rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void Commit() {
    if (own_) connection_.Commit();
    own_ = false;
  }

 private:
  Connection& connection_;
  bool own_;
};

// A connection over `db`, which must outlive it and every statement made
// from it. Statements use SQLite's C interface directly (no allocation per
// step or bind beyond SQLite's own).
std::unique_ptr<Connection> WrapSqlite(SQLite::Database& db);

// `sql` with SQLite's `?` and `?NNN` parameters rewritten to PostgreSQL's
// `$n` (outside '...' strings, "..." identifiers, -- and /* */ comments);
// `parameters` gets the largest number used, and `used[n - 1]` says whether
// $n appears (SQLite allows gaps: ?1, ?3).
std::string ToDollarParameters(std::string_view sql, int* parameters = nullptr, std::vector<bool>* used = nullptr);

}  // namespace jobtrawl::storage::sql

#endif  // JOBTRAWL_STORAGE_SQL_H_
