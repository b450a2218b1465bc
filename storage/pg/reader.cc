#include "storage/pg/reader.h"

#include <algorithm>
#include <chrono>

#include "model/clock.h"
#include "model/date_time.h"
#include "storage/pg/schema.h"
#include "storage/pg/search_query.h"

namespace jobtrawl::storage::pg {
namespace {

// Export's columns (storage/reader.cc kExportColumns), in the same order
// with the same names; `sources` is written as SQLite's json_group_array
// writes it (minified, names sorted by code point).
constexpr const char* kExportColumns =
    "p.id, p.title, p.company, p.location, p.country, p.city, p.region, p.places, "
    "p.remote, p.remote_scope, p.employment_type, p.salary_min, p.salary_max, p.salary_currency, "
    "p.salary_period, p.salary_annual_min, p.salary_annual_max, p.seniority, p.title_family, "
    "p.skills, p.visa_sponsorship, p.experience_years_min, p.language, p.date_posted, "
    "p.valid_through, p.url, p.apply_url, p.external_id, "
    "(SELECT coalesce('[' || string_agg(to_json(d.name)::text, ',' ORDER BY d.name) || ']', '[]') "
    " FROM (SELECT DISTINCT s.name FROM listings l JOIN sources s ON s.id = l.source_id "
    " WHERE l.posting_id = p.id) AS d) AS sources, "
    "p.first_seen, p.last_seen, p.updated_at, p.closed_at, p.department";
constexpr const char* kDescriptionColumns = ", p.description, p.description_markdown";

// ts_rank's weights for D, C, B, A (schema.cc's postings_fts_document).
constexpr const char* kRankWeights = "'{0.1, 0.25, 0.5, 1.0}'::float4[]";

// Marks ts_headline puts around matches, replaced by the caller's marks
// afterwards (so no mark needs quoting in its option string).
constexpr char kOpenMark = '\x02';
constexpr char kCloseMark = '\x03';

// WHERE conditions for `f` (beyond the match), their parameters numbered
// from `first`.
struct Conditions {
  std::string sql;
  std::vector<Value> binds;
  int next;

  void Add(const std::string& condition) { sql += " AND " + condition; }
  std::string Param(Value v) {
    binds.push_back(std::move(v));
    return "$" + std::to_string(next++);
  }
};

Conditions FilterConditions(const PostingFilter& f, int first) {
  Conditions c{"", {}, first};
  if (f.remote) c.Add("p.remote = 'remote'");
  if (!f.country.empty()) c.Add("p.country = " + c.Param(f.country));
  if (!f.company.empty() || !f.company_key.empty()) {
    std::string escaped;
    for (char ch : f.company) {
      if (ch == '%' || ch == '_' || ch == '\\') escaped += '\\';
      escaped += ch;
    }
    // ILIKE on a column of collation "C" folds ASCII case only, as
    // SQLite's LIKE.
    const std::string key = c.Param(f.company_key);
    c.Add("(p.company_key = " + key + " OR p.company ILIKE '%' || " + c.Param(escaped) + " || '%' ESCAPE '\\')");
  }
  if (!f.since.empty()) c.Add("p.first_seen >= " + c.Param(f.since));
  if (f.salary_min) {
    const std::string min = c.Param(*f.salary_min);
    c.Add("coalesce(p.salary_annual_max, p.salary_annual_min) >= " + min +
          " AND p.salary_currency = " + c.Param(f.currency));
  }
  switch (f.state) {
    case PostingFilter::State::kOpen: c.Add("p.closed_at IS NULL"); break;
    case PostingFilter::State::kClosed: c.Add("p.closed_at IS NOT NULL"); break;
    case PostingFilter::State::kAny: break;
  }
  return c;
}

jobtrawl::Error Failure(std::string_view what, const Error& e) {
  jobtrawl::Error err = e.ToError();
  err.message = std::string(what) + ": " + err.message;
  return err;
}

std::vector<Row> Rows(const Result& r) {
  auto names = std::make_shared<std::vector<std::string>>();
  for (int c = 0; c < r.Columns(); ++c) names->push_back(r.ColumnName(c));
  std::shared_ptr<const std::vector<std::string>> shared = names;
  std::vector<Row> rows;
  rows.reserve(static_cast<std::size_t>(r.Rows()));
  for (int i = 0; i < r.Rows(); ++i) {
    Row row{shared, {}};
    row.values.reserve(names->size());
    for (int c = 0; c < r.Columns(); ++c) {
      // pg::Value and storage::Value are the same variant.
      row.values.push_back(r.Get(i, c));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

std::string Before(std::string_view now, std::chrono::hours h) {
  auto t = ParseDateTime(now);
  return FormatUtc((t ? t->time_point() : Clock::now()) - h);
}

}  // namespace

std::expected<std::unique_ptr<PgReader>, jobtrawl::Error> PgReader::Open(std::string_view url) {
  auto c = Connection::Open(url);
  if (!c) return std::unexpected(Failure("cannot connect to the database", c.error()));
  // Set again on every session a reconnect opens.
  auto ro = c->AddSessionSetup("SET default_transaction_read_only = on");
  if (!ro) return std::unexpected(Failure("cannot open the database read-only", ro.error()));
  auto tables = c->Exec(
      "SELECT to_regclass('schema_version') IS NOT NULL, "
      "(SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
      " AND tablename IN ('postings', 'listings', 'sources', 'crawl_runs', 'postings_fts'))");
  if (!tables) return std::unexpected(Failure("cannot read the database", tables.error()));
  if (tables->Int64(0, 0).value_or(0) == 0 || tables->Int64(0, 1).value_or(0) != 5) {
    return std::unexpected(jobtrawl::Error::Parse(
        "the PostgreSQL database is not a jobtrawl one (it lacks the schema_version, postings, listings, "
        "sources, crawl_runs and postings_fts tables); `jobtrawl migrate` or a jobtrawl node creates them"));
  }
  auto version = c->Exec("SELECT max(version) FROM schema_version");
  if (!version) return std::unexpected(Failure("cannot read the schema version", version.error()));
  const std::int64_t v = version->Int64(0, 0).value_or(0);
  if (v != LatestPgSchemaVersion()) {
    return std::unexpected(jobtrawl::Error::Storage(
        "the PostgreSQL database has schema version " + std::to_string(v) + "; this jobtrawl reads version " +
        std::to_string(LatestPgSchemaVersion()) +
        (v > LatestPgSchemaVersion() ? " (upgrade jobtrawl)" : " (a jobtrawl node upgrades it when it starts)")));
  }
  return std::unique_ptr<PgReader>(new PgReader(std::move(*c)));
}

std::expected<std::string, jobtrawl::Error> SearchTsQuery(Connection& connection, std::string_view match) {
  return TranslateSearchQuery(match, [&](std::string_view text) -> std::expected<std::string, jobtrawl::Error> {
    auto r = connection.Exec("SELECT phraseto_tsquery('jobtrawl', jobtrawl_fts_text($1))::text",
                             {Value{std::string(text)}});
    if (!r) return std::unexpected(Failure("search failed", r.error()));
    return r->Text(0, 0).value_or("");
  });
}

std::expected<std::vector<std::int64_t>, jobtrawl::Error> MatchingPostings(Connection& connection,
                                                                           const PostingFilter& filter,
                                                                           std::string_view ids_sql) {
  std::vector<Value> params;
  std::string join;
  if (!filter.match.empty()) {
    // Read here first: a query refused by the server would end the
    // caller's transaction.
    if (std::string why = CheckPgSearchQuery(filter.match); !why.empty()) {
      return std::unexpected(jobtrawl::Error::InvalidArgument(why));
    }
    auto tsquery = SearchTsQuery(connection, filter.match);
    if (!tsquery) return std::unexpected(tsquery.error());
    params.emplace_back(*tsquery);
    join = "JOIN postings_fts f ON f.posting_id = p.id AND f.document @@ $1::tsquery ";
  }
  const Conditions c = FilterConditions(filter, static_cast<int>(params.size()) + 1);
  params.insert(params.end(), c.binds.begin(), c.binds.end());
  const std::string sql = "SELECT p.id FROM postings p " + join + "WHERE p.id IN (" + std::string(ids_sql) +
                          ") AND p.closed_at IS NULL" + c.sql + " ORDER BY p.id";
  auto r = connection.Exec(sql, params);
  if (!r) {
    jobtrawl::Error e = Failure("cannot match postings", r.error());
    e.transient = r.error().transient;
    return std::unexpected(e);
  }
  std::vector<std::int64_t> ids;
  ids.reserve(static_cast<std::size_t>(r->Rows()));
  for (int i = 0; i < r->Rows(); ++i) ids.push_back(r->Int64(i, 0).value_or(0));
  return ids;
}

std::expected<std::optional<Row>, jobtrawl::Error> PostingRow(Connection& connection, std::int64_t id) {
  auto r = connection.Exec(std::string("SELECT ") + kExportColumns + kDescriptionColumns + " FROM postings p WHERE p.id = $1",
                           {Value{id}});
  if (!r) {
    jobtrawl::Error e = Failure("cannot read the posting", r.error());
    e.transient = r.error().transient;
    return std::unexpected(e);
  }
  std::vector<Row> rows = Rows(*r);
  if (rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows.front()));
}

std::expected<std::string, jobtrawl::Error> PgReader::TsQuery(std::string_view match) {
  return SearchTsQuery(c_, match);
}

std::expected<std::vector<Row>, jobtrawl::Error> PgReader::Search(const PostingFilter& filter,
                                                                  std::string_view mark_open,
                                                                  std::string_view mark_close) {
  if (filter.match.empty()) return std::unexpected(jobtrawl::Error::InvalidArgument("empty search query"));
  auto tsquery = TsQuery(filter.match);
  if (!tsquery) {
    jobtrawl::Error e = tsquery.error();
    if (e.code == jobtrawl::Error::Code::kInvalidArgument) {
      e.message = "cannot read the search query \"" + filter.match + "\": " + e.message +
                  " (FTS5 syntax: words, \"a phrase\", prefix*, AND, OR, NOT, (groups), "
                  "title:word; put words with symbols in double quotes, e.g. '\"C++\"')";
    }
    return std::unexpected(e);
  }
  // $1 the tsquery, $2 the limit, $3 the window, the filters' from $4.
  Conditions c = FilterConditions(filter, 4);
  const bool windowed = filter.rank_window > 0;
  const bool filtered = !c.sql.empty();
  // The tsquery is written into each condition as $1::tsquery, not read
  // from a CTE: the planner then estimates how many documents match from
  // the lexemes' statistics (ANALYZE) and walks postings_fts_pkey from the
  // newest id when the query is common (it stops after the window's
  // matches, reading no others), or collects the few matches of a rare
  // one through the GIN index and sorts them. From a CTE it assumed 0.5%
  // and always fetched and sorted every match (docs/postgresql.md
  // "Search cost"). So the statement runs through Exec (an unnamed
  // statement, planned with its parameters' values each time), never as a
  // prepared Statement, whose generic plan would not know the tsquery.
  const std::string rank = "-ts_rank(" + std::string(kRankWeights) + ", f.document, $1::tsquery, 1)::float8";
  // --closed: the walk of the matches that pass the filters starts at the
  // newest closed posting (index postings_closed, v16); the open postings
  // above it cannot pass. (The first window stays the newest matches of
  // all, as on SQLite.)
  const std::string ceiling = filter.state == PostingFilter::State::kClosed
                                  ? " AND f.posting_id <= (SELECT max(id) FROM postings WHERE closed_at IS NOT NULL)"
                                  : "";
  const std::string newest = " ORDER BY f.posting_id DESC LIMIT $3";
  // As Reader::Search: the newest matches of the query narrowed by the
  // filters (ts_rank only for the rows that pass: the document comes
  // along from the walk, not fetched again), or the newest matches that
  // pass the filters, ranked as the walk meets them. Each gives (id,
  // score).
  // The filters are checked row by row, each a lookup of the posting by
  // id (index postings_search_filters holds their columns): a LATERAL
  // subquery that OFFSET 0 keeps from being flattened, since as a join the
  // planner preferred reading all of postings into a hash table. Without
  // filters postings is not read: every document has its posting (foreign
  // key).
  const std::string passes =
      filtered ? ", LATERAL (SELECT 1 FROM postings p WHERE p.id = f.posting_id" + c.sql + " OFFSET 0) AS ok" : "";
  const std::string narrowed =
      "SELECT f.posting_id AS id, " + rank + " AS score FROM (SELECT f.posting_id, f.document FROM postings_fts f "
      "WHERE f.document @@ $1::tsquery" + newest + ") AS f" + passes;
  const std::string passing = "SELECT f.posting_id AS id, " + rank + " AS score FROM postings_fts f" + passes +
                              " WHERE f.document @@ $1::tsquery" + ceiling + (windowed ? newest : "");
  auto ranked = [&](const std::string& matches) {
    return "WITH q AS (SELECT $1::tsquery AS q), "
           "top AS (SELECT m.id, m.score FROM (" + matches + ") AS m ORDER BY m.score, m.id LIMIT $2) "
           "SELECT " + kExportColumns +
           ", top.score AS score, "
           // The headline of the best column, with "…" where it cuts the
           // column's text, as FTS5's snippet (its text is a piece of the
           // column's, found again without the marks).
           "(SELECT CASE WHEN x.at > 1 THEN '…' ELSE '' END || x.h || "
           "   CASE WHEN x.at > 0 AND x.at + length(x.plain) <= length(x.src) THEN '…' ELSE '' END "
           " FROM (SELECT y.h, y.src, y.plain, position(y.plain IN y.src) AS at FROM "
           "  (SELECT z.h, z.src, replace(replace(z.h, chr(2), ''), chr(3), '') AS plain FROM "
           "   (SELECT ts_headline('jobtrawl', jobtrawl_fts_text(col.t), q.q, "
           "     'MaxWords=16, MinWords=8, ShortWord=0, StartSel=" + std::string(1, kOpenMark) +
           ", StopSel=" + std::string(1, kCloseMark) + "') AS h, jobtrawl_fts_text(col.t) AS src "
           "    FROM (VALUES (1, p.title, 'A'), (2, p.company, 'B'), (3, p.location, 'C'), "
           "      (4, p.description, 'D'), (5, p.skills::text, 'C')) AS col (ord, t, w), "
           "     LATERAL (SELECT setweight(to_tsvector('jobtrawl', jobtrawl_fts_text(coalesce(col.t, ''))), "
           "      col.w::\"char\") AS v) AS cv "
           "    WHERE col.t IS NOT NULL "
           "    ORDER BY cv.v @@ q.q DESC, ts_rank(cv.v, q.q) DESC, col.ord LIMIT 1) AS z) AS y) AS x) AS snippet "
           "FROM top JOIN postings p ON p.id = top.id, q ORDER BY top.score, p.id";
  };
  const std::int64_t limit = filter.limit > 0 ? filter.limit : 20;
  auto run = [&](const std::string& sql) -> std::expected<std::vector<Row>, jobtrawl::Error> {
    std::vector<Value> params{*tsquery, limit, windowed ? Value{filter.rank_window} : Value{}};
    params.insert(params.end(), c.binds.begin(), c.binds.end());
    auto r = c_.Exec(sql, params);
    if (!r) return std::unexpected(Failure("search failed", r.error()));
    std::vector<Row> rows = Rows(*r);
    for (Row& row : rows) {
      std::string* snippet = std::get_if<std::string>(&row.values.back());
      if (snippet == nullptr) continue;
      // jobtrawl_fts_text's spellings back to what the text says.
      ReplaceAll(*snippet, "xplusx", "+");
      ReplaceAll(*snippet, "xsharpx", "#");
      ReplaceAll(*snippet, std::string(1, kOpenMark), mark_open);
      ReplaceAll(*snippet, std::string(1, kCloseMark), mark_close);
    }
    return rows;
  };
  if (windowed && filtered) {
    auto rows = run(ranked(narrowed));
    if (!rows || static_cast<std::int64_t>(rows->size()) >= limit) return rows;
  }
  return run(ranked(passing));
}

std::expected<std::int64_t, jobtrawl::Error> PgReader::Export(const PostingFilter& filter,
                                                              const std::function<bool(const Row&)>& row) {
  // $1 the last id given, $2 the chunk's size, the filters' from $3.
  const Conditions c = FilterConditions(filter, 3);
  const std::string sql = std::string("SELECT ") + kExportColumns + kDescriptionColumns +
                          " FROM postings p WHERE p.id > $1" + c.sql + " ORDER BY p.id LIMIT $2";
  std::int64_t given = 0;
  std::int64_t after = -1;
  while (true) {
    std::size_t want = kExportChunk;
    if (filter.limit > 0) {
      const std::int64_t left = filter.limit - given;
      if (left <= 0) break;
      want = std::min<std::size_t>(want, static_cast<std::size_t>(left));
    }
    std::vector<Value> params{after, static_cast<std::int64_t>(want)};
    params.insert(params.end(), c.binds.begin(), c.binds.end());
    auto r = c_.Exec(sql, params);
    if (!r) return std::unexpected(Failure("export failed", r.error()));
    const std::vector<Row> chunk = Rows(*r);
    if (chunk.empty()) break;
    after = std::get<std::int64_t>(chunk.back().values[0]);
    for (const Row& x : chunk) {
      ++given;
      if (!row(x)) return given;
    }
    if (chunk.size() < want) break;
  }
  return given;
}

std::expected<std::pair<std::vector<SourceStats>, Totals>, jobtrawl::Error> PgReader::Stats(std::string_view now) {
  const std::string day_ago = Before(now, std::chrono::hours(24));
  auto tx = Transaction::Begin(c_);
  if (!tx) return std::unexpected(Failure("cannot read the statistics", tx.error()));
  auto iso = c_.Exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  if (!iso) return std::unexpected(Failure("cannot read the statistics", iso.error()));
  auto q = c_.Exec(
      "SELECT s.name, "
      " (SELECT count(*) FROM listings l WHERE l.source_id = s.id AND l.closed_at IS NULL), "
      " (SELECT count(*) FROM listings l WHERE l.source_id = s.id AND l.closed_at IS NOT NULL), "
      " (SELECT count(*) FROM listings l WHERE l.source_id = s.id AND l.first_seen >= $1), "
      " r.started_at, r.finished_at, r.status, "
      " (SELECT sum(errors) FROM crawl_runs WHERE source_id = s.id AND started_at >= $1), "
      " (SELECT sum(pages) FROM crawl_runs WHERE source_id = s.id AND started_at >= $1), "
      " (SELECT count(*) FROM crawl_runs WHERE source_id = s.id AND started_at >= $1), "
      " r.errors, r.pages, r.message "
      "FROM sources s LEFT JOIN crawl_runs r ON r.id = "
      " (SELECT max(id) FROM crawl_runs WHERE source_id = s.id) "
      "ORDER BY s.name",
      {Value{day_ago}});
  if (!q) return std::unexpected(Failure("cannot read the statistics", q.error()));
  std::vector<SourceStats> sources;
  for (int i = 0; i < q->Rows(); ++i) {
    SourceStats s;
    s.name = q->Text(i, 0).value_or("");
    s.open = q->Int64(i, 1).value_or(0);
    s.closed = q->Int64(i, 2).value_or(0);
    s.new_24h = q->Int64(i, 3).value_or(0);
    s.last_crawl = q->Text(i, 4).value_or("");
    s.last_finished = q->Text(i, 5).value_or("");
    s.last_status = q->Text(i, 6).value_or("");
    if (s.last_status == "degraded") s.degraded = q->Text(i, 12).value_or("");
    const bool recent = q->Int64(i, 9).value_or(0) > 0;
    const double errors = (recent ? q->Double(i, 7) : q->Double(i, 10)).value_or(0);
    const double pages = (recent ? q->Double(i, 8) : q->Double(i, 11)).value_or(0);
    if (errors + pages > 0) s.error_rate = errors / (errors + pages);
    sources.push_back(std::move(s));
  }
  auto totals = c_.Exec(
      "SELECT count(*) FILTER (WHERE closed_at IS NULL), count(*) FILTER (WHERE closed_at IS NOT NULL), "
      "count(*) FILTER (WHERE first_seen >= $1) FROM postings",
      {Value{day_ago}});
  if (!totals) return std::unexpected(Failure("cannot read the statistics", totals.error()));
  Totals t;
  t.open_postings = totals->Int64(0, 0).value_or(0);
  t.closed_postings = totals->Int64(0, 1).value_or(0);
  t.new_postings_24h = totals->Int64(0, 2).value_or(0);
  auto done = tx->Commit();
  if (!done) return std::unexpected(Failure("cannot read the statistics", done.error()));
  return std::pair{std::move(sources), t};
}

}  // namespace jobtrawl::storage::pg
