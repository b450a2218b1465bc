#include "storage/reader.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <system_error>

#include "model/clock.h"
#include "model/date_time.h"
#include "storage/search_rank.h"
#include "storage/sqlite_file.h"
#include "storage/store.h"

namespace jobtrawl::storage {
namespace {

// The columns Export gives, in order; Search gives them without the last two.
// Columns added later go at the end, so positional readers of CSV exports
// keep working.
constexpr const char* kExportColumns =
    "p.id, p.title, p.company, p.location, p.country, p.city, p.region, p.places, "
    "p.remote, p.remote_scope, p.employment_type, p.salary_min, p.salary_max, p.salary_currency, "
    "p.salary_period, p.salary_annual_min, p.salary_annual_max, p.seniority, p.title_family, "
    "p.skills, p.visa_sponsorship, p.experience_years_min, p.language, p.date_posted, "
    "p.valid_through, p.url, p.apply_url, p.external_id, "
    "(SELECT json_group_array(name) FROM (SELECT DISTINCT s.name FROM listings l JOIN sources s "
    "ON s.id = l.source_id WHERE l.posting_id = p.id ORDER BY s.name)) AS sources, "
    "p.first_seen, p.last_seen, p.updated_at, p.closed_at, p.department";
constexpr const char* kDescriptionColumns = ", p.description, p.description_markdown";

const Value kNull{};

// Search turns --since into a bound on the id when fewer postings than
// this are that recent (counting them walks the first_seen index).
constexpr std::int64_t kSinceFloorScan = 100'000;

bool IsBarewordByte(unsigned char ch) {
  // FTS5's query syntax (https://sqlite.org/fts5.html#full_text_query_syntax):
  // a bareword is non-ASCII, alphanumeric, "_" or 0x1A.
  return ch >= 0x80 || std::isalnum(ch) != 0 || ch == '_' || ch == 0x1A;
}

// Whether FTS5 keyword `k` (AND, OR, NOT) ends `text` / begins `text`, as
// a word of its own.
bool EndsWithKeyword(std::string_view text) {
  for (std::string_view k : {"AND", "OR", "NOT"}) {
    if (text.ends_with(k) && (text.size() == k.size() || !IsBarewordByte(static_cast<unsigned char>(text[text.size() - k.size() - 1])))) {
      return true;
    }
  }
  return false;
}
bool StartsWithKeyword(std::string_view text) {
  for (std::string_view k : {"AND", "OR", "NOT"}) {
    if (text.starts_with(k) && (text.size() == k.size() || !IsBarewordByte(static_cast<unsigned char>(text[k.size()])))) {
      return true;
    }
  }
  return false;
}

std::string_view TrimSpace(std::string_view s, bool front) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  if (front) {
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
  } else {
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
  }
  return s;
}

// Whether a ( group ) may stand between `before` (the query so far) and
// `after` (the rest). FTS5 (SQLite 3.40) joins phrases by implicit AND
// but not a parenthesized group: `rust ("a" OR "b")` is a syntax error.
// So the prefix must be an operand of its own: at the start, after "(" or
// an operator, and before the end, ")" or an operator; a column filter
// before it (`title:`, `-title:`, `{a b}:`) counts as part of it.
bool StandaloneOperand(std::string_view before, std::string_view after) {
  after = TrimSpace(after, true);
  if (!after.empty() && after.front() != ')' && !StartsWithKeyword(after)) return false;
  before = TrimSpace(before, false);
  if (!before.empty() && before.back() == ':') {  // a column filter: look before it
    before.remove_suffix(1);
    before = TrimSpace(before, false);
    if (!before.empty() && before.back() == '}') {
      const auto open = before.rfind('{');
      if (open == std::string_view::npos) return false;
      before = before.substr(0, open);
    } else {
      while (!before.empty() && IsBarewordByte(static_cast<unsigned char>(before.back()))) before.remove_suffix(1);
    }
    before = TrimSpace(before, false);
    if (!before.empty() && before.back() == '-') before.remove_suffix(1);
    before = TrimSpace(before, false);
  }
  return before.empty() || before.back() == '(' || EndsWithKeyword(before);
}

}  // namespace

// Why (storage/reader.h): SQLite 3.40's FTS5 without a prefix index
// evaluates `word*` by merging the doclists of every such word for the
// whole table into one list in memory, and does it again for each row
// whose snippet it makes (the rowid lookup of the final join does not
// narrow it): 100 ms at a million postings. A word's doclist is read
// incrementally, newest first, and seeks to a rowid. A prefix index
// (fts5 prefix='2 3') would not help: FTS5 uses one only for a prefix of
// exactly such a length.
std::string ExpandSearchPrefixes(std::string_view match, const PrefixWords& words) {
  if (match.find('*') == std::string_view::npos) return std::string(match);
  std::string out;
  out.reserve(match.size());
  std::size_t i = 0;
  auto last_significant = [&]() -> char {
    for (auto it = out.rbegin(); it != out.rend(); ++it) {
      if (*it != ' ' && *it != '\t' && *it != '\n' && *it != '\r') return *it;
    }
    return '\0';
  };
  auto copy_string = [&] {  // a "string", "" inside it an escaped quote
    out += match[i++];
    while (i < match.size()) {
      const char ch = match[i++];
      out += ch;
      if (ch == '"') {
        if (i < match.size() && match[i] == '"') {
          out += match[i++];
        } else {
          return;
        }
      }
    }
  };
  while (i < match.size()) {
    const auto ch = static_cast<unsigned char>(match[i]);
    if (ch == '"') {
      copy_string();
      continue;
    }
    if (!IsBarewordByte(ch)) {
      out += match[i++];
      continue;
    }
    std::size_t end = i;
    while (end < match.size() && IsBarewordByte(static_cast<unsigned char>(match[end]))) ++end;
    const std::string_view word = match.substr(i, end - i);
    if (word == "NEAR") {
      std::size_t open = end;
      while (open < match.size() && (match[open] == ' ' || match[open] == '\t')) ++open;
      if (open < match.size() && match[open] == '(') {
        // Copied as it is up to its closing parenthesis.
        out += match.substr(i, open + 1 - i);
        i = open + 1;
        while (i < match.size() && match[i] != ')') {
          if (match[i] == '"') {
            copy_string();
          } else {
            out += match[i++];
          }
        }
        continue;
      }
    }
    const bool starred = end < match.size() && match[end] == '*';
    std::size_t after = starred ? end + 1 : end;
    while (after < match.size() && (match[after] == ' ' || match[after] == '\t')) ++after;
    const char before = last_significant();
    const bool plain = std::all_of(word.begin(), word.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 && static_cast<unsigned char>(c) < 0x80;
    });
    if (!starred || !plain || word.size() < kMinPrefixChars || before == '^' || before == '+' ||
        (after < match.size() && match[after] == '+') || word == "AND" || word == "OR" || word == "NOT") {
      out += word;
      i = end;
      continue;
    }
    std::string prefix(word);
    for (char& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::vector<std::string> found = words(prefix, kMaxPrefixWords + 1);
    if (found.empty() || found.size() > kMaxPrefixWords) {
      out += match.substr(i, end + 1 - i);  // the word and its *
      i = end + 1;
      continue;
    }
    auto quoted = [](const std::string& w) {
      std::string q = "\"";
      for (char c : w) q += c == '"' ? std::string("\"\"") : std::string(1, c);
      return q + "\"";
    };
    if (found.size() == 1) {
      out += quoted(found.front());
    } else if (!StandaloneOperand(out, match.substr(end + 1))) {
      out += match.substr(i, end + 1 - i);  // FTS5 has no implicit AND with a ( group )
      i = end + 1;
      continue;
    } else {
      out += '(';
      for (std::size_t k = 0; k < found.size(); ++k) out += (k ? " OR " : "") + quoted(found[k]);
      out += ')';
    }
    i = end + 1;
  }
  return out;
}

namespace {

Value ColumnValue(const SQLite::Column& c) {
  switch (c.getType()) {
    case SQLITE_INTEGER: return c.getInt64();
    case SQLITE_FLOAT: return c.getDouble();
    case SQLITE_NULL: return std::monostate{};
    default: return c.getString();
  }
}

// "WHERE"-clause conditions for `f` (beyond the FTS match) and the values
// to bind to them, in order.
struct Conditions {
  std::string sql;
  std::vector<Value> binds;

  void Add(std::string condition, std::vector<Value> values = {}) {
    sql += " AND " + condition;
    for (auto& v : values) binds.push_back(std::move(v));
  }
};

Conditions FilterConditions(const PostingFilter& f) {
  Conditions c;
  if (f.remote) c.Add("p.remote = 'remote'");
  if (!f.country.empty()) c.Add("p.country = ?", {f.country});
  if (!f.company.empty() || !f.company_key.empty()) {
    c.Add("(p.company_key = ? OR p.company LIKE '%' || ? || '%' ESCAPE '\\')",
          {f.company_key, [&] {
             std::string escaped;
             for (char ch : f.company) {
               if (ch == '%' || ch == '_' || ch == '\\') escaped += '\\';
               escaped += ch;
             }
             return escaped;
           }()});
  }
  if (!f.since.empty()) c.Add("p.first_seen >= ?", {f.since});
  if (f.salary_min) {
    c.Add("coalesce(p.salary_annual_max, p.salary_annual_min) >= ? AND p.salary_currency = ?",
          {*f.salary_min, f.currency});
  }
  switch (f.state) {
    case PostingFilter::State::kOpen: c.Add("p.closed_at IS NULL"); break;
    case PostingFilter::State::kClosed: c.Add("p.closed_at IS NOT NULL"); break;
    case PostingFilter::State::kAny: break;
  }
  return c;
}

void Bind(SQLite::Statement& s, int index, const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    s.bind(index, *i);
  } else if (const auto* d = std::get_if<double>(&v)) {
    s.bind(index, *d);
  } else if (const auto* t = std::get_if<std::string>(&v)) {
    s.bind(index, *t);
  } else {
    s.bind(index);
  }
}

std::vector<std::string> ColumnNames(SQLite::Statement& s) {
  std::vector<std::string> names;
  for (int i = 0; i < s.getColumnCount(); ++i) names.emplace_back(s.getColumnName(i));
  return names;
}

Error StorageFailure(std::string_view what, const SQLite::Exception& e) {
  Error err = Error::Storage(std::string(what) + ": " + e.what());
  const int code = e.getErrorCode();
  err.transient = code == SQLITE_BUSY || code == SQLITE_LOCKED;
  return err;
}

std::string Before(std::string_view now, std::chrono::hours h) {
  auto t = ParseDateTime(now);
  return FormatUtc((t ? t->time_point() : Clock::now()) - h);
}

}  // namespace

const Value& Row::Get(std::string_view name) const {
  if (columns == nullptr) return kNull;
  for (std::size_t i = 0; i < columns->size() && i < values.size(); ++i) {
    if ((*columns)[i] == name) return values[i];
  }
  return kNull;
}

std::string Row::Text(std::string_view name) const {
  const Value& v = Get(name);
  if (const auto* t = std::get_if<std::string>(&v)) return *t;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", *d);
    return buf;
  }
  return "";
}

bool IsJsonColumn(std::string_view name) {
  return name == "skills" || name == "places" || name == "sources";
}

Reader::Reader(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}
Reader::~Reader() = default;

std::expected<std::unique_ptr<Reader>, Error> Reader::Open(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) {
    return std::unexpected(Error::NotFound("no database at " + name));
  }
  if (std::filesystem::is_directory(status)) {
    return std::unexpected(Error::Parse(name + " is a directory, not a database"));
  }
  std::unique_ptr<SQLite::Database> db;
  try {
    db = std::make_unique<SQLite::Database>(SqliteFileName(path), SQLite::OPEN_READONLY);
    // Readers wait only while the writer's WAL is being recovered or reset.
    db->setBusyTimeout(5000);
    // Read the file through a memory map rather than copying each page
    // into SQLite's cache: a search walks large parts of the FTS5 index
    // once, and on a million postings this took a third off its CPU time
    // (bench/README.md). SQLite caps it at its compile-time maximum and
    // reads what lies beyond (and the WAL) as before.
    db->exec("PRAGMA mmap_size = 4294967296");
  } catch (const SQLite::Exception& e) {
    return std::unexpected(StorageFailure("cannot open " + name + " read-only", e));
  }
  int version = 0;
  try {
    version = db->execAndGet("PRAGMA user_version").getInt();
    const int tables = db->execAndGet(
                             "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                             "('postings', 'listings', 'sources', 'crawl_runs')")
                           .getInt();
    if (tables != 4) {
      return std::unexpected(Error::Parse(
          name + " is a SQLite database but not a jobtrawl one (it lacks the postings, listings, "
                 "sources and crawl_runs tables)"));
    }
  } catch (const SQLite::Exception& e) {
    const int code = e.getErrorCode();
    if (code == SQLITE_NOTADB) {
      return std::unexpected(Error::Parse(name + " is not a SQLite database (and so not a jobtrawl one)"));
    }
    std::error_code exists_ec;
    const bool wal_files = std::filesystem::exists(name + "-wal", exists_ec) &&
                           std::filesystem::exists(name + "-shm", exists_ec);
    if ((code == SQLITE_CANTOPEN || code == SQLITE_READONLY) && !wal_files) {
      return std::unexpected(Error::Storage(
          "cannot read " + name + ": its -wal and -shm files are missing and cannot be created "
          "in its folder (jobtrawl keeps them; did another program delete them?) (" + e.what() + ")"));
    }
    return std::unexpected(StorageFailure("cannot read " + name, e));
  }
  if (version > LatestSchemaVersion()) {
    return std::unexpected(Error::Storage(
        name + " has schema version " + std::to_string(version) + ", newer than this jobtrawl reads (" +
        std::to_string(LatestSchemaVersion()) + "); upgrade jobtrawl"));
  }
  if (version < LatestSchemaVersion()) {
    return std::unexpected(Error::Storage(
        name + " has schema version " + std::to_string(version) + "; this jobtrawl reads version " +
        std::to_string(LatestSchemaVersion()) +
        ". Run `jobtrawl crawl` or the service once: they upgrade it in place"));
  }
  if (!RegisterSearchRank(db->getHandle())) {
    return std::unexpected(Error::Storage("cannot read " + name + ": this SQLite has no FTS5 (jobtrawl_bm25)"));
  }
  return std::unique_ptr<Reader>(new Reader(std::move(db)));
}

std::vector<std::string> Reader::WordsWithPrefix(const std::string& prefix, std::size_t max) {
  // fts5vocab over the index, in the connection's own temp schema (a
  // read-only connection may create it). The range seeks to the prefix;
  // each word it yields costs a walk of that word's doclist (fts5vocab
  // counts documents), about what FTS5's own prefix merge reads once.
  if (!vocabulary_) {
    db_->exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.jobtrawl_search_words USING fts5vocab(main, postings_fts, row)");
    vocabulary_ = true;
  }
  std::string next = prefix;
  next.back() = static_cast<char>(next.back() + 1);  // ASCII letters and digits: no overflow
  SQLite::Statement q(*db_, "SELECT term FROM temp.jobtrawl_search_words WHERE term >= ?1 AND term < ?2 LIMIT ?3");
  q.bind(1, prefix);
  q.bind(2, next);
  q.bind(3, static_cast<std::int64_t>(max));
  std::vector<std::string> words;
  while (q.executeStep()) words.push_back(q.getColumn(0).getString());
  return words;
}

std::expected<std::vector<Row>, Error> Reader::Search(const PostingFilter& filter,
                                                      std::string_view mark_open,
                                                      std::string_view mark_close) {
  if (filter.match.empty()) return std::unexpected(Error::InvalidArgument("empty search query"));
  auto bad_query = [&](const std::string& text) -> std::optional<Error> {
    if (text.starts_with("fts5:") || text.starts_with("no such column") ||
        text.starts_with("unknown special query") || text.find("malformed MATCH") != std::string::npos) {
      return Error::InvalidArgument(
          "cannot read the search query \"" + filter.match + "\": " + text +
          " (FTS5 syntax: words, \"a phrase\", prefix*, AND, OR, NOT, (groups), "
          "title:word; put words with symbols in double quotes, e.g. '\"C++\"')");
    }
    return std::nullopt;
  };
  std::string match = filter.match;
  if (match.find('*') != std::string::npos) {
    // Syntax errors are those of the query as typed, not of its rewrite.
    if (auto why = CheckSearchQuery(filter.match)) {
      if (auto e = bad_query(*why)) return std::unexpected(*e);
    }
    try {
      match = ExpandSearchPrefixes(filter.match, [&](const std::string& prefix, std::size_t max) {
        return WordsWithPrefix(prefix, max);
      });
    } catch (const SQLite::Exception& e) {
      return std::unexpected(StorageFailure("search failed", e));
    }
  }
  Conditions c = FilterConditions(filter);
  // Its parameters numbered from 4: they follow numbered ones in the text.
  {
    std::string numbered;
    int n = 4;
    for (char ch : c.sql) numbered += ch == '?' ? "?" + std::to_string(n++) : std::string(1, ch);
    c.sql = std::move(numbered);
  }
  // Bounds on the id, which FTS5 seeks to instead of walking matches that
  // cannot pass (integers of ours, so written into the statement):
  //  - --since: when fewer than kSinceFloorScan postings are that recent,
  //    the smallest of their ids (exact: first_seen is not assumed to grow
  //    with the id; the condition on first_seen stays). Counting them
  //    walks the first_seen index (6 ms for 93,000 postings), and the
  //    first window does not need it (rows below it fail the filter
  //    anyway), so it is computed only for the second one;
  //  - --closed: the newest closed posting (the partial index
  //    postings_closed, schema v16). Postings close weeks after they are
  //    first seen, so the newest matches are open and a walk from the top
  //    went through all of them first.
  auto since_floor = [&]() -> std::string {
    if (filter.since.empty()) return "";
    SQLite::Statement floor(*db_,
                            "SELECT count(*), min(id) FROM (SELECT id FROM postings "
                            "WHERE first_seen >= ? LIMIT " + std::to_string(kSinceFloorScan) + ")");
    floor.bind(1, filter.since);
    if (!floor.executeStep() || floor.getColumn(0).getInt64() >= kSinceFloorScan) return "";
    const std::int64_t least = floor.getColumn(1).isNull() ? std::int64_t{1} << 62 : floor.getColumn(1).getInt64();
    return " AND postings_fts.rowid >= " + std::to_string(least);
  };
  std::string ceiling_sql;
  std::optional<std::int64_t> ceiling;
  // One read transaction for the bounds and both ranking statements: the
  // second reuses the first's idf (RankMemo), which must be of the same
  // index, not of one a commit in between changed.
  std::optional<SQLite::Transaction> read;
  try {
    read.emplace(*db_, SQLite::TransactionBehavior::DEFERRED);
    if (filter.state == PostingFilter::State::kClosed) {
      SQLite::Statement newest_closed(
          *db_, "SELECT max(id) FROM postings INDEXED BY postings_closed WHERE closed_at IS NOT NULL");
      ceiling = newest_closed.executeStep() && !newest_closed.getColumn(0).isNull()
                    ? newest_closed.getColumn(0).getInt64()
                    : std::int64_t{0};
      ceiling_sql = " AND postings_fts.rowid <= " + std::to_string(*ceiling);
    }
  } catch (const SQLite::Exception& e) {
    return std::unexpected(StorageFailure("search failed", e));
  }
  // Weights by column: title, company, location, description, skills.
  // `matches` walks the matches newest first (FTS5 gives rowids in
  // descending order itself) and stops after the rank window; bm25 is
  // computed only for the rows it keeps. The filters read
  // postings_search_filters (schema v15), which holds every column they
  // need, not the posting's row with its text. The enclosing query ranks
  // those rows, and only the rows kept from there get their columns,
  // source names and snippet (which tokenizes the text again).
  //
  // With filters, two windows in turn (storage/reader.h): first the newest
  // rank_window matches of the query, narrowed by the filters (bounded
  // work whatever the filters select; a LEFT JOIN keeps every match in the
  // window, and bm25 is computed only for those that pass); when that
  // leaves fewer rows than the limit, the newest rank_window matches that
  // pass the filters (CROSS JOIN keeps FTS5 the outer loop; the walk goes
  // on through older matches until it has them).
  // Numbered parameters: 1-3 here, the filter's from 4 on, then the limit
  // and the window.
  const std::string limit_param = "?" + std::to_string(4 + c.binds.size());
  const std::string window_param = "?" + std::to_string(5 + c.binds.size());
  const bool windowed = filter.rank_window > 0;
  const bool filtered = !c.sql.empty();
  // bm25 (storage/search_rank.h), skipping the length lookup of rows that
  // cannot be among the `limit` best: the ranking below keeps exactly
  // those, and the function is called only for the rows it ranks.
  const std::string bm25_of_row = "jobtrawl_bm25(postings_fts, " + limit_param + ", 10.0, 5.0, 2.0, 1.0, 3.0)";
  const std::string bm25 = "SELECT postings_fts.rowid AS id, " + bm25_of_row + " AS score FROM postings_fts";
  const std::string newest = " ORDER BY postings_fts.rowid DESC LIMIT " + window_param;
  const std::string filter_index = " postings p INDEXED BY postings_search_filters ON p.id = postings_fts.rowid";
  // The newest matches of the query, then the filters.
  const std::string narrowed = "SELECT id, score FROM (SELECT postings_fts.rowid AS id, CASE WHEN p.id IS NOT NULL THEN " +
                               bm25_of_row + " END AS score FROM postings_fts LEFT JOIN" + filter_index + c.sql +
                               " WHERE postings_fts MATCH ?3" + newest + ") WHERE score IS NOT NULL";
  // The newest matches that pass the filters (without a window: all).
  auto passing = [&](const std::string& floor_sql) {
    return bm25 + (filtered ? " CROSS JOIN" + filter_index : "") + " WHERE postings_fts MATCH ?3" + floor_sql +
           ceiling_sql + c.sql + (windowed ? newest : "");
  };
  auto ranked = [&](const std::string& matches) {
    return std::string("SELECT ") + kExportColumns +
           ", top.score AS score, "
           "snippet(postings_fts, -1, ?1, ?2, '…', 16) AS snippet "
           "FROM (SELECT id, score FROM (" + matches + ") ORDER BY score, id LIMIT " + limit_param + ") AS top "
           // CROSS JOIN keeps this order: each kept row looks up its
           // posting and its index entry by rowid.
           "CROSS JOIN postings p ON p.id = top.id "
           "CROSS JOIN postings_fts ON postings_fts.rowid = top.id AND postings_fts MATCH ?3 "
           "ORDER BY top.score, p.id";
  };
  const std::int64_t limit = filter.limit > 0 ? filter.limit : 20;
  // The one or two ranking statements match the same text: the first
  // one's idf serves the second.
  RankMemo memo;
  const RankMemoScope memo_scope(memo);
  auto run = [&](const std::string& sql) {
    SQLite::Statement q(*db_, sql);
    q.bind(1, std::string(mark_open));
    q.bind(2, std::string(mark_close));
    q.bind(3, match);
    int i = 4;
    for (const Value& v : c.binds) Bind(q, i++, v);
    q.bind(i++, limit);
    if (windowed) q.bind(i, filter.rank_window);
    std::vector<Row> rows;
    auto names = std::make_shared<const std::vector<std::string>>(ColumnNames(q));
    while (q.executeStep()) {
      Row row{names, {}};
      for (int col = 0; col < q.getColumnCount(); ++col) row.values.push_back(ColumnValue(q.getColumn(col)));
      rows.push_back(std::move(row));
    }
    return rows;
  };
  // Whether the whole first window lies above the ceiling (then nothing in
  // it passes): a walk of at most rank_window rowids, no lookups.
  auto window_above_ceiling = [&] {
    if (!ceiling) return false;
    SQLite::Statement q(*db_, "SELECT count(*) FROM (SELECT postings_fts.rowid FROM postings_fts WHERE postings_fts MATCH ?1"
                              " AND postings_fts.rowid > " + std::to_string(*ceiling) + " LIMIT ?2)");
    q.bind(1, match);
    q.bind(2, filter.rank_window);
    return q.executeStep() && q.getColumn(0).getInt64() >= filter.rank_window;
  };
  try {
    if (windowed && filtered && !window_above_ceiling()) {
      std::vector<Row> rows = run(ranked(narrowed));
      if (static_cast<std::int64_t>(rows.size()) >= limit) return rows;
    }
    return run(ranked(passing(since_floor())));
  } catch (const SQLite::Exception& e) {
    if (auto why = bad_query(e.what())) return std::unexpected(*why);
    return std::unexpected(StorageFailure("search failed", e));
  }
}

std::expected<std::int64_t, Error> Reader::Export(const PostingFilter& filter,
                                                  const std::function<bool(const Row&)>& row) {
  const Conditions c = FilterConditions(filter);
  const std::string sql = std::string("SELECT ") + kExportColumns + kDescriptionColumns +
                          " FROM postings p WHERE p.id > ?" + c.sql + " ORDER BY p.id LIMIT ?";
  std::int64_t given = 0;
  std::int64_t after = -1;
  try {
    SQLite::Statement q(*db_, sql);
    auto columns = std::make_shared<const std::vector<std::string>>(ColumnNames(q));
    std::vector<Row> chunk;
    while (true) {
      std::size_t want = kExportChunk;
      if (filter.limit > 0) {
        const std::int64_t left = filter.limit - given;
        if (left <= 0) break;
        want = std::min<std::size_t>(want, static_cast<std::size_t>(left));
      }
      // One chunk per read transaction: the statement is reset (ending it)
      // before any row is written out.
      q.reset();
      q.clearBindings();
      int i = 1;
      q.bind(i++, after);
      for (const Value& v : c.binds) Bind(q, i++, v);
      q.bind(i++, static_cast<std::int64_t>(want));
      chunk.clear();
      while (q.executeStep()) {
        Row r{columns, {}};
        r.values.reserve(columns->size());
        for (int col = 0; col < q.getColumnCount(); ++col) r.values.push_back(ColumnValue(q.getColumn(col)));
        chunk.push_back(std::move(r));
      }
      q.reset();
      if (chunk.empty()) break;
      after = std::get<std::int64_t>(chunk.back().values[0]);
      for (const Row& r : chunk) {
        ++given;
        if (!row(r)) return given;
      }
      if (chunk.size() < want) break;
    }
    return given;
  } catch (const SQLite::Exception& e) {
    return std::unexpected(StorageFailure("export failed", e));
  }
}

std::expected<std::pair<std::vector<SourceStats>, Totals>, Error> Reader::Stats(std::string_view now) {
  const std::string day_ago = Before(now, std::chrono::hours(24));
  try {
    // One read transaction, so the counts agree with each other.
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::DEFERRED);
    SQLite::Statement q(*db_,
                        "SELECT s.name, "
                        " (SELECT count(*) FROM listings l WHERE l.source_id = s.id AND l.closed_at IS NULL), "
                        " (SELECT count(*) FROM listings l WHERE l.source_id = s.id AND l.closed_at IS NOT NULL), "
                        " (SELECT count(*) FROM listings l WHERE l.source_id = s.id AND l.first_seen >= ?1), "
                        " r.started_at, r.finished_at, r.status, "
                        " (SELECT sum(errors) FROM crawl_runs WHERE source_id = s.id AND started_at >= ?1), "
                        " (SELECT sum(pages) FROM crawl_runs WHERE source_id = s.id AND started_at >= ?1), "
                        " (SELECT count(*) FROM crawl_runs WHERE source_id = s.id AND started_at >= ?1), "
                        " r.errors, r.pages, r.message "
                        "FROM sources s LEFT JOIN crawl_runs r ON r.id = "
                        " (SELECT max(id) FROM crawl_runs WHERE source_id = s.id) "
                        "ORDER BY s.name");
    q.bind(1, day_ago);
    std::vector<SourceStats> sources;
    while (q.executeStep()) {
      SourceStats s;
      s.name = q.getColumn(0).getString();
      s.open = q.getColumn(1).getInt64();
      s.closed = q.getColumn(2).getInt64();
      s.new_24h = q.getColumn(3).getInt64();
      s.last_crawl = q.getColumn(4).getString();
      s.last_finished = q.getColumn(5).getString();
      s.last_status = q.getColumn(6).getString();
      if (s.last_status == "degraded") s.degraded = q.getColumn(12).getString();
      const bool recent = q.getColumn(9).getInt64() > 0;
      const double errors = recent ? q.getColumn(7).getDouble() : q.getColumn(10).getDouble();
      const double pages = recent ? q.getColumn(8).getDouble() : q.getColumn(11).getDouble();
      if (errors + pages > 0) s.error_rate = errors / (errors + pages);
      sources.push_back(std::move(s));
    }
    Totals t;
    SQLite::Statement totals(*db_,
                             "SELECT count(*) FILTER (WHERE closed_at IS NULL), "
                             "count(*) FILTER (WHERE closed_at IS NOT NULL), "
                             "count(*) FILTER (WHERE first_seen >= ?) FROM postings");
    totals.bind(1, day_ago);
    if (totals.executeStep()) {
      t.open_postings = totals.getColumn(0).getInt64();
      t.closed_postings = totals.getColumn(1).getInt64();
      t.new_postings_24h = totals.getColumn(2).getInt64();
    }
    tx.commit();
    return std::pair{std::move(sources), t};
  } catch (const SQLite::Exception& e) {
    return std::unexpected(StorageFailure("cannot read the statistics", e));
  }
}

std::expected<std::vector<std::int64_t>, Error> MatchingPostings(SQLite::Database& db,
                                                                 const PostingFilter& filter,
                                                                 std::string_view ids_sql) {
  const Conditions c = FilterConditions(filter);
  const std::string sql = "SELECT p.id FROM postings p " +
                          std::string(filter.match.empty() ? "" : "JOIN postings_fts ON postings_fts.rowid = p.id AND postings_fts MATCH ? ") +
                          "WHERE p.id IN (" + std::string(ids_sql) + ") AND p.closed_at IS NULL" + c.sql +
                          " ORDER BY p.id";
  try {
    SQLite::Statement q(db, sql);
    int i = 1;
    if (!filter.match.empty()) q.bind(i++, filter.match);
    for (const Value& v : c.binds) Bind(q, i++, v);
    std::vector<std::int64_t> ids;
    while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
    return ids;
  } catch (const SQLite::Exception& e) {
    Error err = StorageFailure("cannot match postings", e);
    if (!err.transient && !filter.match.empty()) err.code = Error::Code::kInvalidArgument;
    return std::unexpected(err);
  }
}

std::expected<std::optional<Row>, Error> PostingRow(SQLite::Database& db, std::int64_t id) {
  try {
    SQLite::Statement q(db, std::string("SELECT ") + kExportColumns + kDescriptionColumns +
                                " FROM postings p WHERE p.id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::optional<Row>();
    Row row{std::make_shared<const std::vector<std::string>>(ColumnNames(q)), {}};
    for (int col = 0; col < q.getColumnCount(); ++col) row.values.push_back(ColumnValue(q.getColumn(col)));
    return std::optional<Row>(std::move(row));
  } catch (const SQLite::Exception& e) {
    return std::unexpected(StorageFailure("cannot read the posting", e));
  }
}

std::optional<std::string> CheckSearchQuery(std::string_view match) {
  try {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE VIRTUAL TABLE postings_fts USING fts5(title, company, location, description, skills)");
    SQLite::Statement q(db, "SELECT rowid FROM postings_fts WHERE postings_fts MATCH ?");
    q.bind(1, std::string(match));
    q.executeStep();
    return std::nullopt;
  } catch (const SQLite::Exception& e) {
    return std::string(e.what());
  }
}

}  // namespace jobtrawl::storage
