#include "storage/pg/sql_pg.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <unordered_set>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace jobtrawl::storage::pg {
namespace {

[[noreturn]] void Throw(const Error& e) { throw sql::Exception(e.message, 0, e.sqlstate, e.transient); }

// A double as SQLite's sqlite3_column_int64 gives it: truncated toward zero,
// saturated at the int64 range, NaN as 0 (a plain cast of those is undefined).
std::int64_t Int64Of(double d) {
  if (std::isnan(d)) return 0;
  if (d <= -9223372036854775808.0) return std::numeric_limits<std::int64_t>::min();
  if (d >= 9223372036854775808.0) return std::numeric_limits<std::int64_t>::max();
  return static_cast<std::int64_t>(d);
}

std::int64_t ParseInt64(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc() && end == text.data() + text.size()) return v;
  double d = 0;
  std::from_chars(text.data(), text.data() + text.size(), d);
  return Int64Of(d);
}

// A server-side prepared statement and which of its parameters the text
// uses.
struct Prepared {
  pg::Statement statement;
  std::vector<bool> used;
};

class PgStatement final : public sql::Statement {
 public:
  PgStatement(pg::Connection& connection, const Prepared& prepared)
      : connection_(connection),
        prepared_(prepared),
        params_(static_cast<size_t>(prepared.statement.parameter_count())) {}

  void Bind(int index, std::int64_t value) override { Slot(index) = value; }
  void Bind(int index, double value) override { Slot(index) = value; }
  void Bind(int index, std::string_view value) override { Slot(index) = std::string(value); }
  void BindNull(int index) override { Slot(index) = std::monostate{}; }

  bool Step() override {
    if (!result_) {
      Run();
      row_ = -1;
    }
    return ++row_ < result_->Rows();
  }
  int Exec() override {
    Run();
    return static_cast<int>(result_->AffectedRows());
  }
  void Reset() noexcept override { result_.reset(); }

  bool IsNull(int column) const override { return result_->IsNull(row_, column); }
  std::int64_t Int64(int column) const override {
    const Value v = result_->Get(row_, column);
    if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (auto* d = std::get_if<double>(&v)) return Int64Of(*d);
    if (auto* s = std::get_if<std::string>(&v)) return ParseInt64(*s);
    return 0;
  }
  double Double(int column) const override {
    const Value v = result_->Get(row_, column);
    if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    if (auto* d = std::get_if<double>(&v)) return *d;
    if (auto* s = std::get_if<std::string>(&v)) {
      double d = 0;
      std::from_chars(s->data(), s->data() + s->size(), d);
      return d;
    }
    return 0;
  }
  std::string Text(int column) const override { return result_->Text(row_, column).value_or(""); }

 private:
  Value& Slot(int index) {
    if (index < 1 || index > static_cast<int>(params_.size())) {
      throw sql::Exception("postgresql: parameter " + std::to_string(index) + " out of range (statement takes " +
                               std::to_string(params_.size()) + ")",
                           0, "", false);
    }
    return params_[static_cast<size_t>(index - 1)];
  }
  void Run() {
    result_.reset();
    // A parameter the text does not use is sent as NULL (it is typed text).
    for (size_t i = 0; i < params_.size(); ++i) {
      if (!prepared_.used[i]) params_[i] = std::monostate{};
    }
    auto r = connection_.Run(prepared_.statement, params_);
    if (!r) Throw(r.error());
    result_ = std::move(*r);
  }

  pg::Connection& connection_;
  const Prepared& prepared_;
  std::vector<Value> params_;
  std::optional<Result> result_;
  int row_ = -1;
};

class PgSqlConnection final : public sql::Connection {
 public:
  explicit PgSqlConnection(pg::Connection connection) : connection_(std::move(connection)) {}

  const sql::Dialect& dialect() const override { return sql::kPostgresDialect; }

  std::unique_ptr<sql::Statement> Prepare(std::string_view sql) override {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
      int parameters = 0;
      std::vector<bool> used;
      const std::string text = sql::ToDollarParameters(sql, &parameters, &used);
      // The server infers the type of each parameter the text uses; one it
      // skips (SQLite allows ?1, ?3) must be given one: text, never read.
      std::vector<Type> types(static_cast<size_t>(parameters), Type::kUnknown);
      used.resize(types.size(), false);
      for (size_t i = 0; i < types.size(); ++i) {
        if (!used[i]) types[i] = Type::kText;
      }
      auto p = connection_.Prepare(text, std::move(types));
      if (!p) Throw(p.error());
      it = prepared_.emplace(std::string(sql), std::make_unique<Prepared>(Prepared{std::move(*p), std::move(used)}))
               .first;
    }
    return std::make_unique<PgStatement>(connection_, *it->second);
  }

  void Exec(std::string_view sql) override {
    auto r = connection_.Exec(sql);
    if (!r) Throw(r.error());
  }
  void Begin() override {
    held_.clear();
    held_max_.reset();
    asked_.clear();
    Exec("BEGIN");
    in_transaction_ = true;
  }
  void LockKeys(std::span<const std::int32_t> keys) override {
    asked_.insert(keys.begin(), keys.end());
    std::vector<std::int32_t> wanted;
    for (std::int32_t k : keys) {
      if (!held_.contains(k)) wanted.push_back(k);
    }
    if (wanted.empty()) return;
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    // Keys above every key this transaction holds are waited for, in
    // ascending order; one below (a later call of the transaction, a group
    // Regroup found) is only tried: waiting for it could close a cycle with
    // a writer that waits for one of ours (PostgreSQL would find that
    // deadlock only after deadlock_timeout, 1 s). Not had at once, the
    // transaction fails transiently and the caller tries it again with
    // KeysAsked() taken first (then in order, so waited for).
    const auto first_in_order =
        held_max_ ? std::upper_bound(wanted.begin(), wanted.end(), *held_max_) : wanted.begin();
    const std::vector<std::int32_t> tried(wanted.begin(), first_in_order);
    const std::vector<std::int32_t> waited(first_in_order, wanted.end());
    if (!tried.empty()) {
      if (!Lock(try_lock_, "pg_try_advisory_xact_lock", tried)) {
        throw sql::Exception(
            "postgresql: another writer holds a dedup group this transaction needs (taken out of order, so "
            "not waited for); try the transaction again",
            0, "55P03", true);
      }
    }
    if (!waited.empty()) Lock(lock_, "pg_advisory_xact_lock", waited);
    held_.insert(wanted.begin(), wanted.end());
    held_max_ = held_max_ ? std::max(*held_max_, wanted.back()) : wanted.back();
  }
  void Commit() override {
    in_transaction_ = false;
    held_.clear();
    held_max_.reset();
    auto r = connection_.Commit();  // asks the server when the reply is lost
    if (!r) Throw(r.error());
    // COMMIT of a transaction in which a statement failed is a ROLLBACK.
    if (r->CommandTag() == "ROLLBACK") {
      throw sql::Exception("postgresql: the transaction had failed and was rolled back", 0, "25P02", false);
    }
  }
  void Rollback() noexcept override {
    if (!in_transaction_) return;
    in_transaction_ = false;
    held_.clear();
    held_max_.reset();
    (void)connection_.Exec("ROLLBACK");
  }
  bool InTransaction() const override { return in_transaction_; }
  std::vector<std::int32_t> KeysAsked() const override { return {asked_.begin(), asked_.end()}; }
  std::chrono::milliseconds ReconnectWait() const override { return connection_.reconnect_wait(); }
  bool Connected() const override { return connection_.ok(); }

  pg::Connection& underlying() { return connection_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  pg::Connection connection_;
  // By SQL text as the store wrote it; pointers into it stay valid.
  std::unordered_map<std::string, std::unique_ptr<Prepared>, Hash, std::equal_to<>> prepared_;
  bool in_transaction_ = false;
  // Takes the advisory locks `keys` (ascending) with `function`; true when
  // every one was had (pg_advisory_xact_lock always has them).
  bool Lock(std::optional<pg::Statement>& statement, const char* function, const std::vector<std::int32_t>& keys) {
    if (!statement) {
      // unnest hands the array's elements out in order: the locks are
      // taken in ascending order.
      const std::string call = std::string(function) + "(" + std::to_string(kStoreLockClass) + ", k)";
      const bool tries = std::string_view(function).starts_with("pg_try");
      auto p = connection_.Prepare("SELECT " + (tries ? "bool_and(" + call + ")" : "count(" + call + ") >= 0") +
                                       " FROM unnest(CAST($1 AS integer[])) AS u(k)",
                                   {Type::kText});
      if (!p) Throw(p.error());
      statement.emplace(std::move(*p));
    }
    std::string array = "{";
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i) array += ',';
      array += std::to_string(keys[i]);
    }
    array += '}';
    const Value params[] = {Value{std::move(array)}};
    auto r = connection_.Run(*statement, params);
    if (!r) Throw(r.error());
    return r->Int64(0, 0).value_or(0) != 0;
  }

  // The LockKeys keys this transaction holds, and the largest of them.
  std::unordered_set<std::int32_t> held_;
  std::optional<std::int32_t> held_max_;
  // Every key LockKeys was asked for since the last Begin (KeysAsked).
  std::set<std::int32_t> asked_;
  std::optional<pg::Statement> lock_, try_lock_;
};

}  // namespace

std::unique_ptr<sql::Connection> WrapForSql(Connection connection) {
  return std::make_unique<PgSqlConnection>(std::move(connection));
}

Connection* Underlying(sql::Connection& connection) {
  auto* pg = dynamic_cast<PgSqlConnection*>(&connection);
  return pg != nullptr ? &pg->underlying() : nullptr;
}

}  // namespace jobtrawl::storage::pg
