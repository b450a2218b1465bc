// `jobtrawl search`, `export` and `stats` (issue 12 parts 4 and 5) on the
// sample database: what they print, that they read while a writer holds
// the database, and one clear message and exit code for each bad input.
#include "app/query_commands.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "model/date_time.h"
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "app/commands.h"
#include "app/sample_database.h"
#include "crawler/fetcher.h"
#include "storage/store.h"

namespace jobtrawl::app {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class QueryCommandsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    crawler::GlobalInit();
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("jobtrawl-query-" + std::to_string(::getpid())));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    build_error_ = new std::string(testing::BuildSampleDatabase(*dir_ / "jobs.db"));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete build_error_;
  }
  void SetUp() override { ASSERT_EQ(*build_error_, ""); }

  static std::filesystem::path Db() { return *dir_ / "jobs.db"; }
  static std::string One(const std::string& sql) {
    SQLite::Database db(Db().string(), SQLite::OPEN_READONLY);
    return db.execAndGet(sql).getString();
  }

  // The time of the sample's last crawl, plus a few hours.
  static Clock::time_point SampleNow() { return ParseDateTime("2026-12-01T12:00:00Z")->time_point(); }

  static std::filesystem::path* dir_;
  static std::string* build_error_;
};
std::filesystem::path* QueryCommandsTest::dir_ = nullptr;
std::string* QueryCommandsTest::build_error_ = nullptr;

TEST_F(QueryCommandsTest, SearchRanksTitleMatchesFirstAndFilters) {
  // bm25 over the FTS5 index; filters narrow the matches.
  std::ostringstream out, err;
  SearchOptions o{.where = {.db = Db()}, .query = "engineer", .format = "csv"};
  ASSERT_EQ(SearchCommand(o, out, err), kExitOk) << err.str();
  auto lines = Lines(out.str());
  ASSERT_GE(lines.size(), 5u);
  EXPECT_THAT(lines[0], StartsWith("id,title,company,"));
  EXPECT_THAT(lines[0], HasSubstr(",score,snippet"));

  std::ostringstream de, de_err;
  SearchOptions german{.where = {.db = Db()}, .query = "engineer", .country = "Germany", .format = "json"};
  ASSERT_EQ(SearchCommand(german, de, de_err), kExitOk) << de_err.str();
  for (const std::string& line : Lines(de.str())) {
    auto v = boost::json::parse(line).as_object();
    EXPECT_EQ(v["country"].as_string(), "DE") << line;
    EXPECT_TRUE(v["skills"].is_array() || v["skills"].is_null()) << line;
    EXPECT_TRUE(v["sources"].is_array()) << line;
  }
  EXPECT_EQ(Lines(de.str()).size(), static_cast<size_t>(std::stoi(One(
      "SELECT count(*) FROM postings_fts JOIN postings p ON p.id = postings_fts.rowid "
      "WHERE postings_fts MATCH 'engineer' AND p.country = 'DE'"))));

  std::ostringstream paid, paid_err;
  SearchOptions rich{.where = {.db = Db()}, .query = "engineer", .salary_min = 150000, .currency = "usd",
                     .open = true, .format = "json"};
  ASSERT_EQ(SearchCommand(rich, paid, paid_err), kExitOk) << paid_err.str();
  const auto rows = Lines(paid.str());
  ASSERT_FALSE(rows.empty());
  for (const std::string& line : rows) {
    auto v = boost::json::parse(line).as_object();
    EXPECT_EQ(v["salary_currency"].as_string(), "USD");
    EXPECT_GE(v["salary_annual_max"].to_number<double>(), 150000);
    EXPECT_TRUE(v["closed_at"].is_null());
  }

  std::ostringstream recent, recent_err;
  SearchOptions since{.where = {.db = Db()}, .query = "engineer OR analyst OR designer", .since = "14d",
                      .format = "json", .now = SampleNow};
  ASSERT_EQ(SearchCommand(since, recent, recent_err), kExitOk);
  for (const std::string& line : Lines(recent.str())) {
    EXPECT_GE(std::string(boost::json::parse(line).as_object()["first_seen"].as_string()),
              "2026-11-17T12:00:00Z");
  }
}

TEST_F(QueryCommandsTest, SearchWithFiltersFindsEveryMatchThatPassesThemInTheSameOrderAsRankAll) {
  // The rank window (storage::Reader::Search) counts postings that match
  // the query and every filter; below it, the order is that of --rank-all.
  const std::string since_time = "2026-11-17T12:00:00Z";  // SampleNow() - 14d
  for (const auto& [open, closed, state_sql] :
       {std::tuple{false, false, std::string("1")}, std::tuple{true, false, std::string("p.closed_at IS NULL")},
        std::tuple{false, true, std::string("p.closed_at IS NOT NULL")}}) {
    SCOPED_TRACE(state_sql);
    SearchOptions o{.where = {.db = Db()}, .query = "engineer OR analyst OR designer", .since = "14d",
                    .open = open, .closed = closed, .limit = 1000, .format = "json", .now = SampleNow};
    std::ostringstream windowed, windowed_err, all, all_err;
    ASSERT_EQ(SearchCommand(o, windowed, windowed_err), kExitOk) << windowed_err.str();
    o.rank_all = true;
    ASSERT_EQ(SearchCommand(o, all, all_err), kExitOk) << all_err.str();
    EXPECT_EQ(windowed.str(), all.str());
    const auto expected = std::stoi(One(
        "SELECT count(*) FROM postings_fts JOIN postings p ON p.id = postings_fts.rowid "
        "WHERE postings_fts MATCH 'engineer OR analyst OR designer' AND p.first_seen >= '" + since_time +
        "' AND " + state_sql));
    EXPECT_EQ(static_cast<int>(Lines(windowed.str()).size()), expected);
  }
}

TEST_F(QueryCommandsTest, SearchPrefixFindsWhatFts5FindsAndHighlightsEachWord) {
  // A prefix is searched as the indexed words that begin with it
  // (storage::ExpandSearchPrefixes): the same postings as FTS5's own
  // prefix query, with and without filters, each word marked.
  for (const std::string query : {"engin*", "title:engin*", "analy* OR kube*", "engin* NOT kubernetes"}) {
    for (bool open : {false, true}) {
      SCOPED_TRACE(query + (open ? " --open" : ""));
      SearchOptions o{.where = {.db = Db()}, .query = query, .open = open, .limit = 1000, .format = "json"};
      std::ostringstream out, err;
      ASSERT_EQ(SearchCommand(o, out, err), kExitOk) << err.str();
      std::vector<std::int64_t> ids;
      for (const std::string& line : Lines(out.str())) ids.push_back(boost::json::parse(line).as_object()["id"].as_int64());
      std::sort(ids.begin(), ids.end());
      SQLite::Database db(Db().string(), SQLite::OPEN_READONLY);
      SQLite::Statement q(db, "SELECT p.id FROM postings_fts JOIN postings p ON p.id = postings_fts.rowid "
                              "WHERE postings_fts MATCH ? AND (? = 0 OR p.closed_at IS NULL) ORDER BY p.id");
      q.bind(1, query);
      q.bind(2, open ? 1 : 0);
      std::vector<std::int64_t> native;
      while (q.executeStep()) native.push_back(q.getColumn(0).getInt64());
      EXPECT_FALSE(native.empty());
      EXPECT_EQ(ids, native);
    }
  }
  std::ostringstream out, err;
  SearchOptions o{.where = {.db = Db()}, .query = "engin*", .color = true};
  ASSERT_EQ(SearchCommand(o, out, err), kExitOk) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("\x1b[1mEngineer\x1b[0m"));
}

TEST_F(QueryCommandsTest, SearchHighlightsMatchesOnATerminal) {
  // The table marks matches in bold on a terminal, and not in a pipe.
  std::ostringstream out, err;
  SearchOptions o{.where = {.db = Db()}, .query = "kubernetes", .color = true};
  ASSERT_EQ(SearchCommand(o, out, err), kExitOk) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("\x1b[1mKubernetes\x1b[0m"));
  EXPECT_THAT(out.str(), StartsWith("1. Site Reliability Engineer · Tailspin Cloud"));
  std::ostringstream plain, plain_err;
  o.color = false;
  ASSERT_EQ(SearchCommand(o, plain, plain_err), kExitOk);
  EXPECT_THAT(plain.str(), AllOf(HasSubstr("Kubernetes"), Not(HasSubstr("\x1b["))));
}

TEST_F(QueryCommandsTest, ExportWritesEveryPostingAsCsvJsonLinesAndMarkdown) {
  // One row or document per posting; JSON columns stay JSON.
  const auto total = static_cast<size_t>(std::stoi(One("SELECT count(*) FROM postings")));
  const auto open = static_cast<size_t>(std::stoi(One("SELECT count(*) FROM postings WHERE closed_at IS NULL")));
  std::ostringstream jsonl, err;
  ASSERT_EQ(ExportCommand({.where = {.db = Db()}, .format = "jsonl"}, jsonl, err), kExitOk) << err.str();
  const auto lines = Lines(jsonl.str());
  ASSERT_EQ(lines.size(), total);
  auto first = boost::json::parse(lines[0]).as_object();
  EXPECT_TRUE(first["places"].is_array());
  EXPECT_TRUE(first["description_markdown"].is_string());

  const auto csv_file = *dir_ / "open.csv";
  std::ostringstream none;
  ASSERT_EQ(ExportCommand({.where = {.db = Db()}, .format = "csv", .open = true, .out = csv_file}, none, err),
            kExitOk);
  EXPECT_EQ(none.str(), "");
  const std::string csv = ReadFile(csv_file);
  EXPECT_THAT(csv, StartsWith("id,title,company,location,"));
  // Descriptions hold quoted line breaks: a record ends at a CRLF outside quotes.
  size_t records = 0;
  bool quoted = false;
  for (size_t i = 0; i < csv.size(); ++i) {
    if (csv[i] == '"') quoted = !quoted;
    if (!quoted && csv.compare(i, 2, "\r\n") == 0) ++records;
  }
  EXPECT_FALSE(quoted);
  EXPECT_EQ(records, open + 1);  // the header and one record per open posting

  const auto folder = *dir_ / "md";
  ASSERT_EQ(ExportCommand({.where = {.db = Db()}, .format = "markdown", .out = folder}, none, err), kExitOk);
  size_t docs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    ++docs;
    EXPECT_EQ(entry.path().extension(), ".md");
  }
  EXPECT_EQ(docs, total);
  const std::string id = One("SELECT id FROM postings WHERE external_id = '1004' ORDER BY id LIMIT 1");
  const std::string doc = ReadFile(folder / (id + "-site-reliability-engineer.md"));
  EXPECT_THAT(doc, StartsWith("# [Site Reliability Engineer](http://127.0.0.1:"));
  EXPECT_THAT(doc, HasSubstr("\n\n**Tailspin Cloud** · US\n\n"));
  EXPECT_THAT(doc, HasSubstr("Remote (US) · Full time · 150000–190000 USD per year\n\n"));
  EXPECT_THAT(doc, HasSubstr("on-call one week in eight"));

  std::ostringstream recent;
  ASSERT_EQ(ExportCommand({.where = {.db = Db()}, .format = "jsonl", .since = "7d", .now = SampleNow}, recent, err),
            kExitOk);
  EXPECT_EQ(Lines(recent.str()).size(),
            static_cast<size_t>(std::stoi(One("SELECT count(*) FROM postings WHERE first_seen >= '2026-11-24T12:00:00Z'"))));
}

TEST_F(QueryCommandsTest, MarkdownKeepsTheTitleTheOnlyTopHeading) {
  // A description's own headings go one level down; code stays as it is.
  const auto path = *dir_ / "headings.db";
  {
    auto store = std::move(*storage::PostingStore::Open(path));
    auto source = *store->EnsureSource("board", "html", "2026-12-01T09:00:00Z");
    Posting p;
    p.url = "https://board.example/jobs/1";
    p.apply_url = "https://board.example/apply?job=1&src=jt";
    p.title = "Platform Engineer [Remote]";
    p.company = "Acme";
    p.description = "About us. Text.";
    p.description_markdown = "# About us\n\nText.\n\n###### Deep\n\n```\n# not a heading\n```\n\n#hashtag";
    ASSERT_TRUE(store->Upsert(source, std::span(&p, 1), "2026-12-01T09:00:00Z").has_value());
  }
  std::ostringstream out, err;
  ASSERT_EQ(ExportCommand({.where = {.db = path}, .format = "markdown"}, out, err), kExitOk) << err.str();
  EXPECT_EQ(out.str(),
            "# [Platform Engineer \\[Remote\\]](https://board.example/apply?job=1&src=jt)\n\n"
            "**Acme**\n\n"
            "## About us\n\nText.\n\n###### Deep\n\n```\n# not a heading\n```\n\n#hashtag\n");
}

TEST_F(QueryCommandsTest, MarkdownEscapesTheFieldsItWritesAsText) {
  // Title, company, department and location are plain text: characters
  // with a Markdown meaning (emphasis, code, links, raw HTML, entities,
  // pipes) are backslash-escaped (CommonMark §2.4), and a line never starts
  // a heading or a list through a field.
  const auto path = *dir_ / "escapes.db";
  {
    auto store = std::move(*storage::PostingStore::Open(path));
    auto source = *store->EnsureSource("board", "lever", "2026-12-01T09:00:00Z");
    Posting p;
    p.url = "https://board.example/jobs/2";
    p.title = "C++ *Senior* Engineer_2 <b>";
    p.department = "#1 R&D | `Core`";
    p.location = "Berlin ~ Remote";
    p.description = "Text.";
    ASSERT_TRUE(store->Upsert(source, std::span(&p, 1), "2026-12-01T09:00:00Z").has_value());
    Posting q = p;
    q.url = "https://board.example/jobs/3";
    q.title = "Analyst";
    q.company = "Acme_Co *Labs*";
    q.department = "";
    q.location = "";
    ASSERT_TRUE(store->Upsert(source, std::span(&q, 1), "2026-12-01T09:00:00Z").has_value());
    Posting r = q;
    r.url = "https://board.example/jobs/4";
    r.title = "Writer";
    r.company = "";
    r.location = "2025. Lisbon";
    ASSERT_TRUE(store->Upsert(source, std::span(&r, 1), "2026-12-01T09:00:00Z").has_value());
  }
  std::ostringstream out, err;
  ASSERT_EQ(ExportCommand({.where = {.db = path}, .format = "markdown"}, out, err), kExitOk) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("# [C++ \\*Senior\\* Engineer\\_2 \\<b\\>](https://board.example/jobs/2)\n\n"
                                   "\\#1 R\\&D \\| \\`Core\\` · Berlin \\~ Remote\n\n"));
  EXPECT_THAT(out.str(), HasSubstr("**Acme\\_Co \\*Labs\\***\n\n"));
  EXPECT_THAT(out.str(), HasSubstr("\n2025\\. Lisbon\n\n"));
}

TEST_F(QueryCommandsTest, DepartmentIsInEveryExportAndSearchFormat) {
  // Schema v13 (issue 14 part 1): csv, jsonl and markdown exports and
  // `search --format json|csv` give postings.department, after the columns
  // they had before it.
  const auto path = *dir_ / "department.db";
  {
    auto store = std::move(*storage::PostingStore::Open(path));
    auto source = *store->EnsureSource("board", "lever", "2026-12-01T09:00:00Z");
    Posting p;
    p.url = "https://board.example/jobs/1";
    p.title = "Platform Engineer";
    p.company = "Acme";
    p.department = "Infrastructure";
    p.description = "Run the platform.";
    ASSERT_TRUE(store->Upsert(source, std::span(&p, 1), "2026-12-01T09:00:00Z").has_value());
  }
  std::ostringstream csv, jsonl, md, search_json, search_csv, err;
  ASSERT_EQ(ExportCommand({.where = {.db = path}, .format = "csv"}, csv, err), kExitOk) << err.str();
  const auto rows = Lines(csv.str());
  ASSERT_GE(rows.size(), 2u);
  EXPECT_THAT(rows[0], AllOf(StartsWith("id,title,company,location,"),
                             HasSubstr(",closed_at,department,description,description_markdown")));
  EXPECT_THAT(rows[1], HasSubstr(",Infrastructure,"));
  ASSERT_EQ(ExportCommand({.where = {.db = path}, .format = "jsonl"}, jsonl, err), kExitOk) << err.str();
  EXPECT_EQ(boost::json::parse(jsonl.str()).as_object().at("department"), "Infrastructure");
  ASSERT_EQ(ExportCommand({.where = {.db = path}, .format = "markdown"}, md, err), kExitOk) << err.str();
  EXPECT_THAT(md.str(), HasSubstr("\n\n**Acme** (Infrastructure)\n\n"));
  ASSERT_EQ(SearchCommand({.where = {.db = path}, .query = "platform", .format = "json"}, search_json, err), kExitOk)
      << err.str();
  EXPECT_EQ(boost::json::parse(Lines(search_json.str()).at(0)).as_object().at("department"), "Infrastructure");
  ASSERT_EQ(SearchCommand({.where = {.db = path}, .query = "platform", .format = "csv"}, search_csv, err), kExitOk)
      << err.str();
  EXPECT_THAT(Lines(search_csv.str()).at(0), HasSubstr(",department,"));
  EXPECT_THAT(Lines(search_csv.str()).at(1), HasSubstr(",Infrastructure,"));
}

TEST_F(QueryCommandsTest, CsvCellsThatASpreadsheetWouldRunAsFormulasAreNeutralised) {
  // OWASP "CSV Injection": text cells opening with = + - @ tab or CR are
  // prefixed with ' so a spreadsheet shows them as text; numbers stay numbers.
  const auto path = *dir_ / "formulas.db";
  {
    auto store = std::move(*storage::PostingStore::Open(path));
    auto source = *store->EnsureSource("board", "html", "2026-12-01T09:00:00Z");
    std::vector<Posting> ps(3);
    ps[0].url = "https://board.example/jobs/1";
    ps[0].title = "=HYPERLINK(\"https://evil.example\",\"Click\")";
    ps[0].company = "@Acme";
    ps[0].location = "-Berlin";
    ps[1].url = "https://board.example/jobs/2";
    ps[1].title = "+1 Engineer";
    ps[1].company = "\tTabs Ltd";
    ps[2].url = "https://board.example/jobs/3";
    ps[2].title = "Plain - title = fine";
    ps[2].company = "Acme";
    ps[2].salary_min = -1;  // a number, not text: never prefixed
    ASSERT_TRUE(store->Upsert(source, std::span(ps), "2026-12-01T09:00:00Z").has_value());
  }
  std::ostringstream out, err;
  ASSERT_EQ(ExportCommand({.where = {.db = path}, .format = "csv"}, out, err), kExitOk) << err.str();
  const std::string csv = out.str();
  EXPECT_THAT(csv, HasSubstr("\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"Click\"\")\",'@Acme,'-Berlin,"));
  EXPECT_THAT(csv, HasSubstr(",'+1 Engineer,'\tTabs Ltd,"));
  EXPECT_THAT(csv, HasSubstr(",Plain - title = fine,Acme,"));
  EXPECT_THAT(csv, Not(HasSubstr("'-1")));
  std::ostringstream searched;
  ASSERT_EQ(SearchCommand({.where = {.db = path}, .query = "engineer", .format = "csv"}, searched, err), kExitOk);
  EXPECT_THAT(searched.str(), HasSubstr(",'+1 Engineer,")) << err.str();
  // JSON lines keep the text as it is.
  std::ostringstream jsonl;
  ASSERT_EQ(ExportCommand({.where = {.db = path}, .format = "jsonl"}, jsonl, err), kExitOk);
  EXPECT_THAT(jsonl.str(), HasSubstr("\"company\":\"@Acme\""));
}

TEST_F(QueryCommandsTest, StatsGivesEachSourceAndTotals) {
  // Per source: open, closed, new in 24 h, last crawl and status, error rate.
  std::ostringstream out, err;
  ASSERT_EQ(StatsCommand({.where = {.db = Db()}, .format = "json", .now = SampleNow}, out, err), kExitOk)
      << err.str();
  auto v = boost::json::parse(out.str()).as_object();
  auto& sources = v["sources"].as_array();
  ASSERT_EQ(sources.size(), 2u);
  auto mirror = sources[0].as_object();
  auto board = sources[1].as_object();
  EXPECT_EQ(mirror["source"].as_string(), "mirror-board");
  EXPECT_EQ(board["source"].as_string(), "sample-board");
  EXPECT_EQ(board["last_crawl"].as_string(), "2026-12-01T08:00:00Z");
  EXPECT_EQ(board["last_status"].as_string(), "ok");
  EXPECT_EQ(board["open"].as_int64(),
            std::stoll(One("SELECT count(*) FROM posting_sightings WHERE source = 'sample-board' AND closed_at IS NULL")));
  EXPECT_EQ(board["closed"].as_int64(),
            std::stoll(One("SELECT count(*) FROM posting_sightings WHERE source = 'sample-board' AND closed_at IS NOT NULL")));
  EXPECT_EQ(board["error_rate"].as_double(), 0.0);
  // Rates as plain decimals, not Boost.JSON's "0E0" (JsonTextTest).
  EXPECT_THAT(out.str(), HasSubstr(R"("error_rate":0.0,)"));
  EXPECT_THAT(out.str(), Not(HasSubstr("E0")));
  EXPECT_EQ(v["postings"].as_object()["open"].as_int64(),
            std::stoll(One("SELECT count(*) FROM open_postings")));

  std::ostringstream table;
  ASSERT_EQ(StatsCommand({.where = {.db = Db()}, .now = SampleNow}, table, err), kExitOk);
  const auto lines = Lines(table.str());
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_THAT(lines[0], AllOf(StartsWith("source"), HasSubstr("error rate")));
  EXPECT_THAT(lines[2], AllOf(StartsWith("sample-board"), HasSubstr("2026-12-01T08:00:00Z"), HasSubstr("0.0%")));
  EXPECT_THAT(lines[3], StartsWith("total"));
}

TEST_F(QueryCommandsTest, ReadsWhileAWriterHoldsItsTransaction) {
  // The daemon writes while analysts read: WAL readers see the last commit.
  const auto copy = *dir_ / "busy.db";
  {
    SQLite::Database src(Db().string(), SQLite::OPEN_READONLY);
    src.backup(copy.string().c_str(), SQLite::Database::Save);
  }
  auto store = std::move(*storage::PostingStore::Open(copy));
  ASSERT_TRUE(store->Begin().has_value());
  auto source = *store->EnsureSource("late-board", "html", "2026-12-01T09:00:00Z");
  Posting p;
  p.url = "https://late.example/1";
  p.title = "Kubernetes Wrangler";
  ASSERT_TRUE(store->Upsert(source, std::span(&p, 1), "2026-12-01T09:00:00Z").has_value());
  std::ostringstream out, err;
  ASSERT_EQ(SearchCommand({.where = {.db = copy}, .query = "kubernetes", .format = "csv"}, out, err), kExitOk)
      << err.str();
  EXPECT_THAT(out.str(), Not(HasSubstr("Wrangler")));
  std::ostringstream stats;
  ASSERT_EQ(StatsCommand({.where = {.db = copy}, .now = SampleNow}, stats, err), kExitOk) << err.str();
  ASSERT_TRUE(store->Commit().has_value());
  std::ostringstream after;
  ASSERT_EQ(SearchCommand({.where = {.db = copy}, .query = "kubernetes", .format = "csv"}, after, err), kExitOk);
  EXPECT_THAT(after.str(), HasSubstr("Wrangler"));
}

struct BadInput {
  const char* name;
  std::vector<std::string> args;  // {db} stands for the sample database
  int exit_code;
  const char* message;
};

// Part 5: each bad input gives one line on stderr, nothing on stdout, and
// a usage (2) or database (3) exit code; never a crash.
TEST_F(QueryCommandsTest, BadInputGivesOneClearMessageAndExitCode) {
  const auto text = *dir_ / "notes.txt";
  std::ofstream(text) << "not a database\n";
  const auto foreign = *dir_ / "other.db";
  { SQLite::Database(foreign.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE).exec("CREATE TABLE t (x)"); }
  const std::vector<BadInput> cases = {
      {"FtsSyntaxError", {"search", "C++ AND", "--db", "{db}"}, kExitUsage, "syntax error"},
      {"FtsUnknownColumn", {"search", "salary:high", "--db", "{db}"}, kExitUsage, "cannot read the search query"},
      {"UnknownCountry", {"search", "engineer", "--country", "ZZ", "--db", "{db}"}, kExitUsage,
       "is not a country code"},
      {"MalformedDuration", {"search", "engineer", "--since", "7 weeks", "--db", "{db}"}, kExitUsage,
       "is not a duration"},
      {"MalformedExportDuration", {"export", "--format", "csv", "--since", "yesterday", "--db", "{db}"},
       kExitUsage, "is not a duration"},
      {"SalaryWithoutCurrency", {"search", "engineer", "--salary-min", "1000", "--db", "{db}"}, kExitUsage,
       "needs --currency"},
      {"UnknownCurrency", {"search", "engineer", "--salary-min", "1000", "--currency", "XYZ", "--db", "{db}"},
       kExitUsage, "not an ISO 4217 code"},
      {"MissingDatabase", {"stats", "--db", (*dir_ / "missing.db").string()}, kExitRuntime, "no database at"},
      {"NotSqlite", {"search", "engineer", "--db", text.string()}, kExitRuntime, "is not a SQLite database"},
      {"ForeignSqlite", {"export", "--format", "jsonl", "--db", foreign.string(), "-o", (*dir_ / "left.jsonl").string()},
       kExitRuntime, "not a jobtrawl one"},
      {"MissingConfig", {"stats", "-c", (*dir_ / "none.toml").string()}, kExitUsage, "no database given with --db"},
  };
  for (const BadInput& c : cases) {
    std::string command = JOBTRAWL_BINARY;
    for (std::string a : c.args) {
      if (a == "{db}") a = Db().string();
      command += " '" + a + "'";
    }
    const auto out = *dir_ / (std::string(c.name) + ".out");
    const auto err = *dir_ / (std::string(c.name) + ".err");
    const int status = std::system((command + " >" + out.string() + " 2>" + err.string()).c_str());
    ASSERT_TRUE(WIFEXITED(status)) << c.name << ": ended by a signal";
    EXPECT_EQ(WEXITSTATUS(status), c.exit_code) << c.name;
    EXPECT_EQ(ReadFile(out), "") << c.name;
    const std::string message = ReadFile(err);
    EXPECT_THAT(message, AllOf(StartsWith("jobtrawl: "), HasSubstr(c.message))) << c.name;
    EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1) << c.name << ": " << message;
  }
  EXPECT_FALSE(std::filesystem::exists(*dir_ / "left.jsonl")) << "a failed export left its output file";
}

}  // namespace
}  // namespace jobtrawl::app
