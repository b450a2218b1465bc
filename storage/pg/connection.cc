#include "storage/pg/connection.h"

#include "model/database_location.h"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <system_error>
#include <utility>

namespace jobtrawl::storage::pg {
namespace {

// Type OIDs from the server's catalog (src/include/catalog/pg_type.dat);
// they are fixed across releases.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kTextOid = 25;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

void IgnoreNotice(void*, const char*) {}

std::string Trimmed(const char* message) {
  std::string m = message ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

bool IsTransientState(std::string_view s) {
  return s.starts_with("08") || s == "40001" || s == "40P01" || s == "57P01" || s == "57P02" ||
         s == "57P03" || s == "53300" || s == "55P03" || s == "57014";
}

// "-c lock_timeout=5000 -c statement_timeout=0" for the startup packet.
std::string TimeoutOptions(const ConnectOptions& o) {
  std::string out;
  if (o.lock_timeout) out += "-c lock_timeout=" + std::to_string(o.lock_timeout->count());
  if (o.statement_timeout) {
    if (!out.empty()) out += ' ';
    out += "-c statement_timeout=" + std::to_string(o.statement_timeout->count());
  }
  return out;
}

// The `options` a URL or keyword string gives, or empty.
std::string OptionsOfUrl(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url.c_str(), &error);
  if (error) PQfreemem(error);
  std::string out;
  if (!parsed) return out;
  for (PQconninfoOption* o = parsed; o->keyword; ++o) {
    if (std::string_view(o->keyword) == "options" && o->val) out = o->val;
  }
  PQconninfoFree(parsed);
  return out;
}

// The statement's first word says whether it ends the transaction.
enum class Ending { kNothing, kCommit, kRollback };
Ending EndingOf(std::string_view sql) {
  size_t i = 0;
  while (i < sql.size() && (sql[i] == ' ' || sql[i] == '\n' || sql[i] == '\t' || sql[i] == '\r')) ++i;
  size_t j = i;
  while (j < sql.size() && ((sql[j] >= 'a' && sql[j] <= 'z') || (sql[j] >= 'A' && sql[j] <= 'Z'))) ++j;
  std::string word(sql.substr(i, j - i));
  for (char& c : word) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  if (word == "ROLLBACK" || word == "ABORT") return Ending::kRollback;
  if (word == "COMMIT" || word == "END") return Ending::kCommit;
  return Ending::kNothing;
}

}  // namespace

bool IsRefusedLogin(std::string_view message) {
  if (message.find("FATAL") == std::string_view::npos) return false;  // no answer from a server
  static constexpr std::string_view kRefusals[] = {
      "authentication failed",   // password, md5, SCRAM, peer, ident, ... ("... authentication failed for user")
      "no pg_hba.conf entry",    // no rule for this host, user and database
      "pg_hba.conf rejects",     // a "reject" rule
      "does not exist",          // role "x" / database "x" does not exist
      "is not permitted to log in",
      "permission denied for database",  // no CONNECT privilege
      "is not currently accepting connections",  // the database's datallowconn is false
  };
  for (std::string_view refusal : kRefusals) {
    if (message.find(refusal) != std::string_view::npos) return true;
  }
  return false;
}

namespace {

// Opens a session (PQconnectdbParams); the caller owns the result.
std::expected<pg_conn*, Error> Dial(const std::string& url_text, const ConnectOptions& options) {
  const std::string timeout = std::to_string(std::max<long long>(2, options.connect_timeout.count()));
  const std::string idle = std::to_string(options.keepalive_idle.count());
  const std::string user_timeout = std::to_string(options.tcp_user_timeout.count());
  // Ours first, then the URL's own: a later -c of one setting wins.
  std::string startup = TimeoutOptions(options);
  if (const std::string own = OptionsOfUrl(url_text); !own.empty()) {
    startup = startup.empty() ? own : startup + " " + own;
  }
  // Our defaults first, the URL next: later keywords win, so what the URL
  // says overrides them; `options` last, holding the URL's own after ours.
  const char* keywords[] = {"connect_timeout", "keepalives", "keepalives_idle",  "keepalives_interval",
                            "keepalives_count", "tcp_user_timeout", "application_name", "client_encoding",
                            "dbname", startup.empty() ? nullptr : "options", nullptr};
  const char* values[] = {timeout.c_str(), "1", idle.c_str(), "10", "3", user_timeout.c_str(),
                          options.application_name.c_str(), "UTF8", url_text.c_str(),
                          startup.empty() ? nullptr : startup.c_str(), nullptr};
  pg_conn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (!conn) return std::unexpected(Error{"", "postgresql: out of memory", true});
  if (PQstatus(conn) != CONNECTION_OK) {
    // libpq quotes what it could not read of a malformed URI, which may be
    // the password.
    std::string message = RedactPasswordIn(Trimmed(PQerrorMessage(conn)), url_text);
    PQfinish(conn);
    // Refused logins (password, database, role) stay refused; a server
    // that cannot take connections yet (crash recovery included) is retried.
    const bool refused = IsRefusedLogin(message);
    return std::unexpected(Error{"", "postgresql: cannot connect: " + message, !refused});
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  return conn;
}

Oid OidOf(Type t) {
  switch (t) {
    case Type::kInt64: return kInt8Oid;
    case Type::kDouble: return kFloat8Oid;
    case Type::kText: return kTextOid;
    case Type::kUnknown: return 0;
  }
  return 0;
}

std::string Int64Text(std::int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

// float8's input syntax: the shortest text that reads back the same
// double, and PostgreSQL's names for the values that are not numbers.
std::string DoubleText(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

// Holds the text of each parameter and the pointers libpq reads (into
// `text`, whose elements stay put when a Params is moved).
struct Params {
  std::vector<std::string> text;
  std::vector<const char*> values;
  std::vector<Oid> types;
};

std::expected<Params, Error> Encode(std::span<const Value> params) {
  Params p;
  for (size_t i = 0; i < params.size(); ++i) {
    auto* s = std::get_if<std::string>(&params[i]);
    if (s && s->find('\0') != std::string::npos) {
      // libpq reads text parameters up to their first NUL; rather than
      // store a cut value, refuse it as the server would (22021).
      return std::unexpected(Error{"22021", "postgresql: text parameter $" + std::to_string(i + 1) +
                                                " contains a NUL byte, which PostgreSQL text cannot hold",
                                   false});
    }
  }
  p.text.reserve(params.size());
  for (const Value& v : params) {
    if (std::holds_alternative<std::monostate>(v)) {
      p.text.emplace_back();
      p.types.push_back(0);
    } else if (auto* i = std::get_if<std::int64_t>(&v)) {
      p.text.push_back(Int64Text(*i));
      p.types.push_back(kInt8Oid);
    } else if (auto* d = std::get_if<double>(&v)) {
      p.text.push_back(DoubleText(*d));
      p.types.push_back(kFloat8Oid);
    } else {
      p.text.push_back(std::get<std::string>(v));
      p.types.push_back(kTextOid);
    }
  }
  for (size_t i = 0; i < params.size(); ++i) {
    p.values.push_back(std::holds_alternative<std::monostate>(params[i]) ? nullptr : p.text[i].c_str());
  }
  return p;
}

const char* TypeName(Type t) {
  switch (t) {
    case Type::kInt64: return "int64";
    case Type::kDouble: return "double";
    case Type::kText: return "text";
    case Type::kUnknown: return "unknown";
  }
  return "?";
}

}  // namespace

jobtrawl::Error Error::ToError() const {
  jobtrawl::Error e = jobtrawl::Error::Storage(sqlstate.empty() ? message
                                                                : message + " (SQLSTATE " + sqlstate + ")");
  e.transient = transient;
  return e;
}

void Result::Clear::operator()(pg_result* r) const noexcept { PQclear(r); }

int Result::Rows() const { return result_ ? PQntuples(result_.get()) : 0; }
int Result::Columns() const { return result_ ? PQnfields(result_.get()) : 0; }
std::string Result::ColumnName(int column) const { return PQfname(result_.get(), column); }
bool Result::IsNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }

Value Result::Get(int row, int column) const {
  if (IsNull(row, column)) return std::monostate{};
  const char* text = PQgetvalue(result_.get(), row, column);
  const int length = PQgetlength(result_.get(), row, column);
  switch (PQftype(result_.get(), column)) {
    case kBoolOid:
      return std::int64_t{text[0] == 't' ? 1 : 0};
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      std::int64_t v = 0;
      std::from_chars(text, text + length, v);
      return v;
    }
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: {
      std::string_view t(text, static_cast<size_t>(length));
      if (t == "NaN") return std::nan("");
      if (t == "Infinity") return HUGE_VAL;
      if (t == "-Infinity") return -HUGE_VAL;
      double v = 0;
      auto [end, ec] = std::from_chars(text, text + length, v);
      // A numeric beyond double's range stays text rather than turn into 0.
      if (ec != std::errc() || end != text + length) return std::string(t);
      return v;
    }
    default:
      return std::string(text, static_cast<size_t>(length));
  }
}

std::optional<std::int64_t> Result::Int64(int row, int column) const {
  Value v = Get(row, column);
  if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
  return std::nullopt;
}

std::optional<double> Result::Double(int row, int column) const {
  Value v = Get(row, column);
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  return std::nullopt;
}

std::optional<std::string> Result::Text(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<size_t>(PQgetlength(result_.get(), row, column)));
}

std::int64_t Result::AffectedRows() const {
  if (!result_) return 0;
  const char* n = PQcmdTuples(result_.get());
  std::int64_t v = 0;
  std::from_chars(n, n + std::strlen(n), v);
  return v;
}

std::string Result::CommandTag() const { return result_ ? PQcmdStatus(result_.get()) : ""; }

void Connection::Finish::operator()(pg_conn* c) const noexcept { PQfinish(c); }

Connection::~Connection() = default;

Connection::Connection(pg_conn* c, std::string url, ConnectOptions options)
    : conn_(c),
      url_(std::make_unique<std::string>(std::move(url))),
      options_(std::make_unique<ConnectOptions>(std::move(options))) {}

std::expected<Connection, Error> Connection::Open(std::string_view url, const ConnectOptions& options) {
  std::string url_text(url);
  auto conn = Dial(url_text, options);
  if (!conn) return std::unexpected(std::move(conn.error()));
  return Connection(*conn, std::move(url_text), options);
}

void Connection::TrackTransaction() {
  switch (PQtransactionStatus(conn_.get())) {
    case PQTRANS_IDLE:
      in_transaction_ = false;
      break;
    case PQTRANS_INTRANS:
    case PQTRANS_INERROR:
      in_transaction_ = true;
      break;
    case PQTRANS_ACTIVE:
      break;
    case PQTRANS_UNKNOWN:
      // Broken: a transaction the caller had open is gone with the session.
      NoteBroken();
      break;
  }
}

void Connection::NoteBroken() {
  if (in_transaction_) {
    in_transaction_ = false;
    lost_in_transaction_ = true;
  }
}

void Connection::Reconnect(Error& error) {
  const auto now = options_->clock ? options_->clock() : std::chrono::steady_clock::now();
  if (now < next_attempt_) {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_attempt_ - now);
    error = Error{"08006",
                  "postgresql: the connection to the server was lost; the next reconnection attempt is in " +
                      std::to_string(wait.count()) + " ms (the last one failed: " + last_failure_ + ")",
                  true};
    return;
  }
  ++reconnect_attempts_;
  auto fresh = Dial(*url_, *options_);
  if (fresh) {
    conn_.reset(*fresh);
    ++generation_;
    auto applied = ApplySessionTimeouts();
    if (applied) applied = ApplySessionSetup();
    if (!applied) {
      // A session without its setup is no session to use: the reconnect
      // failed, and the next use tries again after the backoff.
      applied.error().transient = true;
      fresh = std::unexpected(std::move(applied.error()));
      conn_.reset();
    }
  }
  if (!fresh) {
    backoff_ = backoff_.count() == 0 ? options_->reconnect_backoff_min
                                     : std::min(backoff_ * 2, options_->reconnect_backoff_max);
    next_attempt_ = now + backoff_;
    last_failure_ = fresh.error().message;
    error = std::move(fresh.error());
    error.message = "postgresql: the connection to the server was lost and reconnecting failed: " + error.message;
    return;
  }
  ++reconnects_;
  backoff_ = std::chrono::milliseconds{0};
  next_attempt_ = {};
  last_failure_.clear();
  error = Error{};
}

std::expected<std::optional<Result>, Error> Connection::Ready(Ends ends) {
  if (conn_ && PQstatus(conn_.get()) == CONNECTION_OK && PQtransactionStatus(conn_.get()) != PQTRANS_ACTIVE) {
    // A server that ended the session (pg_terminate_backend, a shutdown,
    // a restart) has said so on the socket, or closed it: read that now,
    // before a statement is sent into a dead session.
    for (int i = 0; i < 16; ++i) {
      pollfd p{.fd = PQsocket(conn_.get()), .events = POLLIN, .revents = 0};
      if (p.fd < 0 || ::poll(&p, 1, 0) != 1) break;
      if (PQconsumeInput(conn_.get()) == 0 || PQstatus(conn_.get()) != CONNECTION_OK) break;
    }
  }
  if (conn_ && PQstatus(conn_.get()) == CONNECTION_OK && !lost_in_transaction_) return std::optional<Result>{};
  NoteBroken();
  if (lost_in_transaction_) {
    switch (ends) {
      case Ends::kRollback:
        lost_in_transaction_ = false;
        return std::optional<Result>{Result{}};
      case Ends::kCommit:
        lost_in_transaction_ = false;
        return std::unexpected(Error{"08003",
                                     "postgresql: the connection was lost inside the transaction; nothing of it "
                                     "was committed",
                                     true});
      case Ends::kNothing:
        return std::unexpected(Error{"08003",
                                     "postgresql: the connection was lost inside the transaction; roll it back "
                                     "and try again",
                                     true});
    }
  }
  // Nothing to roll back on a session that is gone; no need to reconnect
  // for that.
  if (ends == Ends::kRollback) return std::optional<Result>{Result{}};
  Error error;
  Reconnect(error);
  if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) return std::unexpected(std::move(error));
  return std::optional<Result>{};
}

std::expected<void, Error> Connection::ApplySessionTimeouts() {
  std::string set;
  if (session_lock_timeout_) set += "SET lock_timeout = " + std::to_string(session_lock_timeout_->count()) + ";";
  if (session_statement_timeout_) {
    set += "SET statement_timeout = " + std::to_string(session_statement_timeout_->count()) + ";";
  }
  if (set.empty()) return {};
  pg_result* r = PQexec(conn_.get(), set.c_str());
  auto checked = Check(r, "setting the session's timeouts failed");
  if (!checked) return std::unexpected(std::move(checked.error()));
  return {};
}

std::expected<void, Error> Connection::ApplySessionSetup() {
  for (const std::string& sql : session_setup_) {
    pg_result* r = PQexec(conn_.get(), sql.c_str());
    auto checked = Check(r, "setting up the session failed");
    if (!checked) return std::unexpected(std::move(checked.error()));
  }
  return {};
}

std::expected<void, Error> Connection::AddSessionSetup(std::string sql) {
  auto ready = Ready(Ends::kNothing);
  if (!ready) return std::unexpected(std::move(ready.error()));
  pg_result* r = PQexec(conn_.get(), sql.c_str());
  auto checked = Check(r, "setting up the session failed");
  if (!checked) return std::unexpected(std::move(checked.error()));
  if (std::find(session_setup_.begin(), session_setup_.end(), sql) == session_setup_.end()) {
    session_setup_.push_back(std::move(sql));
  }
  return {};
}

std::expected<void, Error> Connection::SetSessionTimeouts(std::optional<std::chrono::milliseconds> lock_timeout,
                                                          std::optional<std::chrono::milliseconds> statement_timeout) {
  if (lock_timeout) session_lock_timeout_ = lock_timeout;
  if (statement_timeout) session_statement_timeout_ = statement_timeout;
  auto ready = Ready(Ends::kNothing);
  if (!ready) return std::unexpected(std::move(ready.error()));
  return ApplySessionTimeouts();
}

std::expected<Result, Error> Connection::Check(pg_result* raw, std::string_view what) {
  Result result(raw);
  TrackTransaction();
  if (!raw) {
    return std::unexpected(
        Error{"", "postgresql: " + std::string(what) + ": " + Trimmed(PQerrorMessage(conn_.get())), true});
  }
  switch (PQresultStatus(raw)) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_EMPTY_QUERY:
      return result;
    case PGRES_FATAL_ERROR:
    case PGRES_NONFATAL_ERROR:
    case PGRES_BAD_RESPONSE: {
      const char* state = PQresultErrorField(raw, PG_DIAG_SQLSTATE);
      Error e{state ? state : "", "postgresql: " + std::string(what) + ": " + Trimmed(PQresultErrorMessage(raw)),
              false};
      e.transient = IsTransientState(e.sqlstate) || PQstatus(conn_.get()) != CONNECTION_OK;
      return std::unexpected(std::move(e));
    }
    case PGRES_COPY_OUT:
    case PGRES_COPY_IN:
    case PGRES_COPY_BOTH:
    case PGRES_SINGLE_TUPLE:
    case PGRES_PIPELINE_SYNC:
    case PGRES_PIPELINE_ABORTED:
      break;
  }
  return std::unexpected(Error{"", "postgresql: " + std::string(what) + ": unexpected result " +
                                       PQresStatus(PQresultStatus(raw)),
                               false});
}

namespace {
Connection::Ends EndsOf(std::string_view sql) {
  switch (EndingOf(sql)) {
    case Ending::kCommit: return Connection::Ends::kCommit;
    case Ending::kRollback: return Connection::Ends::kRollback;
    case Ending::kNothing: break;
  }
  return Connection::Ends::kNothing;
}
}  // namespace

std::expected<Result, Error> Connection::Exec(std::string_view sql) {
  const Ends ends = EndsOf(sql);
  auto ready = Ready(ends);
  if (!ready) return std::unexpected(std::move(ready.error()));
  if (*ready) return std::move(**ready);
  auto result = Check(PQexec(conn_.get(), std::string(sql).c_str()), "query failed");
  if (ends != Ends::kNothing && !ok()) {
    // A COMMIT or ROLLBACK the break interrupted ended the transaction all
    // the same (a COMMIT's outcome is then unknown): nothing is left to end.
    lost_in_transaction_ = false;
    in_transaction_ = false;
  }
  return result;
}

std::expected<Result, Error> Connection::Exec(std::string_view sql, std::span<const Value> params) {
  auto p = Encode(params);
  if (!p) return std::unexpected(std::move(p.error()));
  auto ready = Ready(EndsOf(sql));
  if (!ready) return std::unexpected(std::move(ready.error()));
  if (*ready) return std::move(**ready);
  return Check(PQexecParams(conn_.get(), std::string(sql).c_str(), static_cast<int>(params.size()),
                            p->types.data(), p->values.data(), nullptr, nullptr, /*resultFormat=text*/ 0),
               "query failed");
}

std::expected<Statement, Error> Connection::Prepare(std::string_view sql, std::vector<Type> types) {
  const size_t index = statements_.size();
  std::string name = "jobtrawl_" + std::to_string(index);
  Prepared spec{std::string(sql), {}, -1};
  for (Type t : types) spec.oids.push_back(OidOf(t));
  auto ready = Ready(Ends::kNothing);
  if (!ready) return std::unexpected(std::move(ready.error()));
  auto r = Check(PQprepare(conn_.get(), name.c_str(), spec.sql.c_str(), static_cast<int>(spec.oids.size()),
                           spec.oids.data()),
                 "prepare failed");
  if (!r) return std::unexpected(std::move(r.error()));
  spec.generation = generation_;
  statements_.push_back(std::move(spec));
  return Statement(std::move(name), std::move(types), index);
}

std::expected<Result, Error> Connection::Run(const Statement& statement, std::span<const Value> params) {
  if (params.size() != statement.types_.size()) {
    return std::unexpected(Error{"", "postgresql: statement " + statement.name_ + " takes " +
                                         std::to_string(statement.types_.size()) + " parameters, given " +
                                         std::to_string(params.size()),
                                 false});
  }
  std::vector<Value> converted(params.begin(), params.end());
  for (size_t i = 0; i < converted.size(); ++i) {
    const Type want = statement.types_[i];
    Value& v = converted[i];
    if (std::holds_alternative<std::monostate>(v)) continue;
    if (want == Type::kDouble && std::holds_alternative<std::int64_t>(v)) {
      v = static_cast<double>(std::get<std::int64_t>(v));
    }
    const bool fits = want == Type::kUnknown || (want == Type::kInt64 && std::holds_alternative<std::int64_t>(v)) ||
                      (want == Type::kDouble && std::holds_alternative<double>(v)) ||
                      (want == Type::kText && std::holds_alternative<std::string>(v));
    if (!fits) {
      return std::unexpected(Error{"", "postgresql: parameter $" + std::to_string(i + 1) + " of statement " +
                                           statement.name_ + " must be " + TypeName(want),
                                   false});
    }
  }
  auto p = Encode(converted);
  if (!p) return std::unexpected(std::move(p.error()));
  auto ready = Ready(Ends::kNothing);
  if (!ready) return std::unexpected(std::move(ready.error()));
  // Prepared in an earlier session: prepare it again in this one.
  if (statement.index_ < statements_.size() && statements_[statement.index_].generation != generation_) {
    Prepared& spec = statements_[statement.index_];
    auto prepared = Check(PQprepare(conn_.get(), statement.name_.c_str(), spec.sql.c_str(),
                                    static_cast<int>(spec.oids.size()), spec.oids.data()),
                          "prepare failed");
    if (!prepared) return std::unexpected(std::move(prepared.error()));
    spec.generation = generation_;
  }
  return Check(PQexecPrepared(conn_.get(), statement.name_.c_str(), static_cast<int>(converted.size()),
                              p->values.data(), nullptr, nullptr, 0),
               "statement failed");
}

int Connection::BackendPid() const { return PQbackendPID(conn_.get()); }
bool Connection::ok() const { return conn_ && PQstatus(conn_.get()) == CONNECTION_OK; }

std::expected<Result, Error> Connection::Commit() {
  // Only a transaction that wrote has an id; one that did not can be run
  // again whatever became of its COMMIT, so its id is not asked for.
  std::optional<std::string> xid;
  if (in_transaction_ && !lost_in_transaction_ && ok()) {
    auto id = Exec("SELECT pg_current_xact_id_if_assigned()::text");
    if (id && !id->IsNull(0, 0)) xid = id->Text(0, 0);
  }
  auto result = lose_commit_reply_ != 0 ? LoseCommitReply() : Exec("COMMIT");
  // A COMMIT the server refused (a deferred constraint, a serialization
  // failure) leaves the session up: its error is the answer.
  if (result || !xid || ok()) return result;
  return CommitOutcome(*xid, std::move(result.error()));
}

std::expected<Result, Error> Connection::CommitOutcome(const std::string& xid, Error lost) {
  auto unknown = [&](const std::string& why) {
    return std::unexpected(Error{"08007",
                                 "postgresql: the connection was lost during the COMMIT of transaction " + xid +
                                     " and its outcome is unknown (" + why +
                                     "); it may have been applied, do not simply run it again (" + lost.message +
                                     ")",
                                 false});
  };
  // Exec reconnects: the COMMIT ended the caller's transaction.
  auto status = Exec("SELECT pg_xact_status($1::text::xid8)", {Value{xid}});
  if (!status) return unknown("asking the server failed: " + status.error().message);
  const auto state = status->Text(0, 0);
  if (state == "committed") return Result{};
  if (state == "aborted") return std::unexpected(std::move(lost));
  return unknown(state ? "the server reports it " + *state : "the server no longer knows it");
}

std::expected<Result, Error> Connection::LoseCommitReply() {
  const bool abort = lose_commit_reply_ == 2;
  lose_commit_reply_ = 0;
  auto ready = Ready(Ends::kCommit);
  if (!ready) return std::unexpected(std::move(ready.error()));
  if (*ready) return std::move(**ready);
  // The server ends the transaction and answers; the answer is awaited
  // (so the server has decided) and dropped, then the socket dies under
  // the COMMIT as if the answer had never arrived.
  if (PQsendQuery(conn_.get(), abort ? "ROLLBACK" : "COMMIT") == 1) {
    while (pg_result* r = PQgetResult(conn_.get())) PQclear(r);
  }
  ::shutdown(PQsocket(conn_.get()), SHUT_RDWR);
  auto result = Check(PQexec(conn_.get(), "COMMIT"), "query failed");
  lost_in_transaction_ = false;
  in_transaction_ = false;
  return result;
}

std::expected<Transaction, Error> Transaction::Begin(Connection& connection) {
  auto r = connection.Exec("BEGIN");
  if (!r) return std::unexpected(std::move(r.error()));
  return Transaction(&connection);
}

Transaction::~Transaction() {
  // On a broken session this sends nothing and ends the lost transaction.
  if (connection_) (void)connection_->Exec("ROLLBACK");
}

std::expected<void, Error> Transaction::AdvisoryLock(std::int64_t key) {
  auto r = connection_->Exec("SELECT pg_advisory_xact_lock($1)", {Value{key}});
  if (!r) return std::unexpected(std::move(r.error()));
  return {};
}

std::expected<void, Error> Transaction::Commit() {
  Connection* c = std::exchange(connection_, nullptr);
  auto r = c->Commit();
  if (!r) return std::unexpected(std::move(r.error()));
  // COMMIT of a transaction in which a statement failed succeeds as a
  // ROLLBACK; the caller must hear that nothing was written.
  if (r->CommandTag() == "ROLLBACK") {
    return std::unexpected(Error{"25P02", "postgresql: the transaction had failed and was rolled back", false});
  }
  return {};
}

std::expected<void, Error> Transaction::Rollback() {
  Connection* c = std::exchange(connection_, nullptr);
  auto r = c->Exec("ROLLBACK");
  if (!r) return std::unexpected(std::move(r.error()));
  return {};
}

std::expected<int, Error> Migrate(Connection& connection, std::span<const Migration> migrations,
                                  std::int64_t lock_key) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version <= 0 || (i > 0 && migrations[i].version <= migrations[i - 1].version)) {
      return std::unexpected(
          Error{"", "postgresql: migrations must have increasing positive versions", false});
    }
  }
  auto tx = Transaction::Begin(connection);
  if (!tx) return std::unexpected(std::move(tx.error()));
  const std::string limit = std::to_string(connection.options().migration_timeout.count());
  if (auto set = connection.Exec("SET LOCAL lock_timeout = " + limit + "; SET LOCAL statement_timeout = " + limit);
      !set) {
    return std::unexpected(std::move(set.error()));
  }
  if (auto locked = tx->AdvisoryLock(lock_key); !locked) return std::unexpected(std::move(locked.error()));
  auto created = connection.Exec(
      "CREATE TABLE IF NOT EXISTS schema_version ("
      " version integer PRIMARY KEY,"
      " applied_at timestamptz NOT NULL DEFAULT now())");
  if (!created) return std::unexpected(std::move(created.error()));
  auto current = connection.Exec("SELECT coalesce(max(version), 0)::bigint FROM schema_version");
  if (!current) return std::unexpected(std::move(current.error()));
  int version = static_cast<int>(current->Int64(0, 0).value_or(0));
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (version > latest) {
    return std::unexpected(Error{"", "postgresql: the database has schema version " + std::to_string(version) +
                                         ", newer than this build knows (" + std::to_string(latest) +
                                         "); upgrade jobtrawl",
                                 false});
  }
  for (const Migration& m : migrations) {
    if (m.version <= version) continue;
    auto ran = connection.Exec(m.sql);
    if (!ran) {
      Error e = std::move(ran.error());
      e.message = "schema migration " + std::to_string(m.version) + " failed: " + e.message;
      return std::unexpected(std::move(e));
    }
    auto recorded = connection.Exec("INSERT INTO schema_version (version) VALUES ($1)",
                                    {Value{std::int64_t{m.version}}});
    if (!recorded) return std::unexpected(std::move(recorded.error()));
    version = m.version;
  }
  if (auto committed = tx->Commit(); !committed) return std::unexpected(std::move(committed.error()));
  return version;
}

}  // namespace jobtrawl::storage::pg
