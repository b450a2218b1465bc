#include "storage/sql.h"

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

namespace jobtrawl::storage::sql {

ScopedStatement Connection::Cached(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) it = cache_.emplace(std::string(sql), Prepare(sql)).first;
  it->second->Reset();
  return ScopedStatement(*it->second);
}

std::int64_t Connection::QueryInt64(std::string_view sql) {
  auto s = Cached(sql);
  return s.Step() ? s.Int64(0) : 0;
}

std::string ToDollarParameters(std::string_view sql, int* parameters, std::vector<bool>* used) {
  if (used != nullptr) used->clear();
  std::string out;
  out.reserve(sql.size() + 16);
  int largest = 0;
  size_t i = 0;
  auto copy_until = [&](std::string_view end) {
    const size_t stop = sql.find(end, i);
    const size_t next = stop == std::string_view::npos ? sql.size() : stop + end.size();
    out.append(sql.substr(i, next - i));
    i = next;
  };
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      // '' inside a string is a quote, which the loop reads as the end of
      // one string and the start of the next: the same bytes either way.
      out += c;
      ++i;
      copy_until(std::string_view(&c, 1));
    } else if (sql.substr(i, 2) == "--") {
      copy_until("\n");
    } else if (sql.substr(i, 2) == "/*") {
      copy_until("*/");
    } else if (c == '?') {
      ++i;
      int n = 0;
      size_t digits = 0;
      while (i < sql.size() && sql[i] >= '0' && sql[i] <= '9') {
        n = n * 10 + (sql[i] - '0');
        ++i;
        ++digits;
      }
      if (digits == 0) n = largest + 1;
      if (n > largest) largest = n;
      if (used != nullptr) {
        if (used->size() < static_cast<size_t>(n)) used->resize(static_cast<size_t>(n), false);
        (*used)[static_cast<size_t>(n - 1)] = true;
      }
      out += '$';
      out += std::to_string(n);
    } else {
      out += c;
      ++i;
    }
  }
  if (parameters != nullptr) *parameters = largest;
  return out;
}

namespace {

bool TransientSqliteCode(int code) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
      return true;
    default:
      return false;
  }
}

[[noreturn]] void ThrowSqlite(sqlite3* db, int rc) {
  const int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  const int code = (extended & 0xff) == (rc & 0xff) ? extended : rc;
  throw Exception(db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc), code, "", TransientSqliteCode(code));
}

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, std::string_view sql) : db_(db) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                      &stmt, nullptr);
    if (rc != SQLITE_OK) ThrowSqlite(db, rc);
    stmt_.reset(stmt);
  }

  void Bind(int index, std::int64_t value) override { Check(sqlite3_bind_int64(stmt_.get(), index, value)); }
  void Bind(int index, double value) override { Check(sqlite3_bind_double(stmt_.get(), index, value)); }
  void Bind(int index, std::string_view value) override {
    Check(sqlite3_bind_text(stmt_.get(), index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT));
  }
  void BindNull(int index) override { Check(sqlite3_bind_null(stmt_.get(), index)); }

  bool Step() override {
    const int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    ThrowSqlite(db_, rc);
  }
  int Exec() override {
    while (Step()) {
    }
    return sqlite3_changes(db_);
  }
  void Reset() noexcept override { sqlite3_reset(stmt_.get()); }

  bool IsNull(int column) const override { return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL; }
  std::int64_t Int64(int column) const override { return sqlite3_column_int64(stmt_.get(), column); }
  double Double(int column) const override { return sqlite3_column_double(stmt_.get(), column); }
  std::string Text(int column) const override {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), column));
    if (text == nullptr) return std::string();
    return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), column)));
  }

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK) ThrowSqlite(db_, rc);
  }
  struct Finalize {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
  };
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalize> stmt_;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(SQLite::Database& db) : db_(db.getHandle()) {}

  const Dialect& dialect() const override { return kSqliteDialect; }
  std::unique_ptr<Statement> Prepare(std::string_view sql) override {
    return std::make_unique<SqliteStatement>(db_, sql);
  }
  void Exec(std::string_view sql) override {
    const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) ThrowSqlite(db_, rc);
  }
  void Begin() override { Exec("BEGIN IMMEDIATE"); }
  void Commit() override { Exec("COMMIT"); }
  void Rollback() noexcept override {
    if (InTransaction()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  bool InTransaction() const override { return sqlite3_get_autocommit(db_) == 0; }

 private:
  sqlite3* db_;
};

}  // namespace

std::unique_ptr<Connection> WrapSqlite(SQLite::Database& db) { return std::make_unique<SqliteConnection>(db); }

}  // namespace jobtrawl::storage::sql
