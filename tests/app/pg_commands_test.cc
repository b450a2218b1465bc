// The analysts' commands on PostgreSQL and `jobtrawl migrate` (issue 15
// parts 1 and 3), end to end against a real server: the sample database
// (the one docs/analysts.md shows) is migrated, then `export`, `stats` and
// `search` print the same from the PostgreSQL copy as from the file.
#include <boost/json.hpp>
#include <cmath>
#include <cstdlib>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "app/commands.h"
#include "app/doc_examples.h"
#include "app/migrate_command.h"
#include "app/query_commands.h"
#include "app/sample_database.h"
#include "crawler/fetcher.h"
#include "model/date_time.h"
#include "storage/pg/connection.h"
#include "support/pg_server.h"

namespace jobtrawl::app {
namespace {

using ::testing::HasSubstr;

Clock::time_point SampleNow() { return ParseDateTime("2026-12-01T12:00:00Z")->time_point(); }

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

class PgCommandsTest : public jobtrawl::testing::PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    crawler::GlobalInit();
    dir_ = std::filesystem::temp_directory_path() / ("jobtrawl-pgcommands-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ASSERT_EQ(jobtrawl::testing::BuildSampleDatabase(dir_ / "jobs.db"), "");
    std::ostringstream out, err;
    ASSERT_EQ(MigrateCommand({.from = dir_ / "jobs.db", .to = url_}, out, err), kExitOk) << err.str();
    migrate_out_ = out.str();
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::filesystem::path File() const { return dir_ / "jobs.db"; }

  std::filesystem::path dir_;
  std::string migrate_out_;
};

TEST_F(PgCommandsTest, MigrateCopiesTheSampleAndRefusesToCopyTwice) {
  EXPECT_THAT(migrate_out_, HasSubstr("\npostings "));
  EXPECT_THAT(migrate_out_, HasSubstr("row counts checked"));
  std::ostringstream out, err;
  EXPECT_EQ(MigrateCommand({.from = File(), .to = url_}, out, err), kExitRuntime);
  EXPECT_THAT(err.str(), HasSubstr("already holds jobtrawl rows"));
  EXPECT_EQ(Lines(err.str()).size(), 1u);
  std::ostringstream out2, err2;
  EXPECT_EQ(MigrateCommand({.from = File(), .to = url_, .replace = true, .batch = 7}, out2, err2), kExitOk)
      << err2.str();
  EXPECT_EQ(out2.str(), migrate_out_);

  std::ostringstream out3, err3;
  EXPECT_EQ(MigrateCommand({.from = File(), .to = "/tmp/other.db"}, out3, err3), kExitUsage);
  EXPECT_THAT(err3.str(), HasSubstr("postgresql://"));
  std::ostringstream out4, err4;
  EXPECT_EQ(MigrateCommand({.from = dir_ / "missing.db", .to = url_}, out4, err4), kExitRuntime);
  EXPECT_THAT(err4.str(), HasSubstr("missing.db"));
}

TEST_F(PgCommandsTest, ExportAndStatsPrintTheSameFromBothEngines) {
  for (const std::string format : {"csv", "jsonl"}) {
    std::ostringstream a, a_err, b, b_err;
    ExportOptions o{.where = {.db = File()}, .format = format, .now = SampleNow};
    ASSERT_EQ(ExportCommand(o, a, a_err), kExitOk) << a_err.str();
    o.where.db = url_;
    ASSERT_EQ(ExportCommand(o, b, b_err), kExitOk) << b_err.str();
    EXPECT_GT(Lines(a.str()).size(), 10u);
    EXPECT_EQ(b.str(), a.str()) << format;
  }
  ExportOptions md{.where = {.db = File()}, .format = "markdown", .open = true, .out = dir_ / "md-sqlite",
                   .now = SampleNow};
  std::ostringstream m1, e1, m2, e2;
  ASSERT_EQ(ExportCommand(md, m1, e1), kExitOk) << e1.str();
  md.where.db = url_;
  md.out = dir_ / "md-pg";
  ASSERT_EQ(ExportCommand(md, m2, e2), kExitOk) << e2.str();
  std::set<std::string> files_a, files_b;
  for (const auto& e : std::filesystem::directory_iterator(dir_ / "md-sqlite")) files_a.insert(e.path().filename());
  for (const auto& e : std::filesystem::directory_iterator(dir_ / "md-pg")) files_b.insert(e.path().filename());
  EXPECT_EQ(files_b, files_a);
  EXPECT_FALSE(files_a.empty());

  for (const std::string format : {"table", "json"}) {
    std::ostringstream a, a_err, b, b_err;
    StatsOptions o{.where = {.db = File()}, .format = format, .now = SampleNow};
    ASSERT_EQ(StatsCommand(o, a, a_err), kExitOk) << a_err.str();
    o.where.db = url_;
    ASSERT_EQ(StatsCommand(o, b, b_err), kExitOk) << b_err.str();
    EXPECT_EQ(b.str(), a.str()) << format;
  }
}

// Search's rows as JSON objects without the engine's own score and snippet.
std::multiset<std::string> SearchRows(const std::string& out) {
  std::multiset<std::string> rows;
  for (const std::string& line : Lines(out)) {
    auto v = boost::json::parse(line).as_object();
    v.erase("score");
    v.erase("snippet");
    rows.insert(boost::json::serialize(v));
  }
  return rows;
}

TEST_F(PgCommandsTest, SearchFindsTheSamePostingsOnBothEngines) {
  const std::vector<SearchOptions> cases = {
      {.query = "engineer", .limit = 500},
      {.query = "engineer", .country = "Germany", .limit = 500},
      {.query = "engineer", .salary_min = 150000, .currency = "usd", .open = true, .limit = 500},
      {.query = "engineer OR analyst OR designer", .since = "14d", .limit = 500, .now = SampleNow},
      {.query = "title:data", .limit = 500},
      {.query = "python NOT senior", .limit = 500},
      {.query = "\"machine learning\"", .limit = 500},
      {.query = "kube*", .remote = true, .limit = 500},
  };
  int found = 0;
  for (SearchOptions o : cases) {
    SCOPED_TRACE(o.query);
    o.format = "json";
    std::ostringstream a, a_err, b, b_err;
    o.where.db = File();
    ASSERT_EQ(SearchCommand(o, a, a_err), kExitOk) << a_err.str();
    o.where.db = url_;
    ASSERT_EQ(SearchCommand(o, b, b_err), kExitOk) << b_err.str();
    EXPECT_EQ(SearchRows(b.str()), SearchRows(a.str()));
    if (!a.str().empty()) ++found;
  }
  EXPECT_GE(found, 6);

  // Where one posting stands out, both engines put it first.
  for (const std::string word : {"rust", "python", "senior"}) {
    SearchOptions top{.where = {.db = File()}, .query = word, .limit = 1, .format = "csv"};
    std::ostringstream a, a_err, b, b_err;
    ASSERT_EQ(SearchCommand(top, a, a_err), kExitOk);
    top.where.db = url_;
    ASSERT_EQ(SearchCommand(top, b, b_err), kExitOk);
    ASSERT_EQ(Lines(a.str()).size(), 2u) << word;
    ASSERT_EQ(Lines(b.str()).size(), 2u) << word;
    EXPECT_EQ(Lines(b.str())[0], Lines(a.str())[0]);  // the same columns
    EXPECT_EQ(Lines(b.str())[1].substr(0, Lines(b.str())[1].find(',')),
              Lines(a.str())[1].substr(0, Lines(a.str())[1].find(','))) << word;
  }

  // A syntax error: one line, exit 2, as on SQLite.
  SearchOptions bad{.where = {.db = url_}, .query = "\"unterminated"};
  std::ostringstream out, err;
  EXPECT_EQ(SearchCommand(bad, out, err), kExitUsage);
  EXPECT_THAT(err.str(), HasSubstr("cannot read the search query"));
  EXPECT_EQ(Lines(err.str()).size(), 1u);
}

TEST_F(PgCommandsTest, TheConfigsStorageDatabaseMayBeAUrl) {
  // [storage] database = "postgresql://..." and no --db: the commands read
  // the server; the file beside the config is not looked at.
  const auto config = dir_ / "jobtrawl.toml";
  {
    std::ofstream f(config);
    f << "[storage]\ndatabase = \"" << url_ << "\"\n";
  }
  std::filesystem::remove(File());
  StatsOptions o{.where = {.config_file = config}, .format = "json", .now = SampleNow};
  std::ostringstream out, err;
  ASSERT_EQ(StatsCommand(o, out, err), kExitOk) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("\"sources\""));
  SearchOptions s{.where = {.config_file = config}, .query = "engineer", .format = "json"};
  std::ostringstream out2, err2;
  ASSERT_EQ(SearchCommand(s, out2, err2), kExitOk) << err2.str();
  EXPECT_FALSE(out2.str().empty());
}

TEST_F(PgCommandsTest, AForeignOrUnreachableDatabaseIsOneClearMessage) {
  const std::string empty = jobtrawl::testing::SharedPgServer().CreateDatabase();
  StatsOptions o{.where = {.db = empty}};
  std::ostringstream out, err;
  EXPECT_EQ(StatsCommand(o, out, err), kExitRuntime);
  EXPECT_THAT(err.str(), HasSubstr("not a jobtrawl one"));
  EXPECT_EQ(Lines(err.str()).size(), 1u);
  const std::string password = jobtrawl::testing::SharedPgServer().password();
  o.where.db = "postgresql://postgres:" + password + "@127.0.0.1:1/none?connect_timeout=2";
  std::ostringstream out2, err2;
  EXPECT_EQ(StatsCommand(o, out2, err2), kExitRuntime);
  EXPECT_THAT(err2.str(), HasSubstr("cannot connect"));
  EXPECT_THAT(err2.str(), ::testing::Not(HasSubstr(password)));
}

// What `sqlite3 -header` would print for `sql` run on PostgreSQL: the
// column names, then each row, cells joined by "|", NULL as nothing.
std::string RunPg(storage::pg::Connection& c, const std::string& sql, std::string& error) {
  auto r = c.Exec(sql);
  if (!r) {
    error = r.error().message;
    return "";
  }
  std::string out;
  if (r->Rows() == 0) return out;
  for (int i = 0; i < r->Columns(); ++i) out += (i ? "|" : "") + r->ColumnName(i);
  out += '\n';
  for (int row = 0; row < r->Rows(); ++row) {
    for (int i = 0; i < r->Columns(); ++i) out += (i ? "|" : "") + r->Text(row, i).value_or("");
    out += '\n';
  }
  return out;
}

bool IsNumber(const std::string& s, double& v) {
  if (s.empty()) return false;
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

// Where `pg` differs from `sqlite` beyond how each engine writes a number
// (SQLite 85000.0, PostgreSQL 85000): "" when they agree.
std::string Difference(const std::string& sqlite, const std::string& pg) {
  const std::vector<std::string> a = Lines(sqlite), b = Lines(pg);
  if (a.size() != b.size()) return std::to_string(a.size()) + " lines on SQLite, " + std::to_string(b.size()) + " here";
  auto cells = [](const std::string& line) {
    std::vector<std::string> out;
    std::size_t at = 0;
    for (std::size_t bar; (bar = line.find('|', at)) != std::string::npos; at = bar + 1) out.push_back(line.substr(at, bar - at));
    out.push_back(line.substr(at));
    return out;
  };
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto x = cells(a[i]), y = cells(b[i]);
    bool same = x.size() == y.size();
    for (std::size_t j = 0; same && j < x.size(); ++j) {
      double u = 0, v = 0;
      same = x[j] == y[j] || (IsNumber(x[j], u) && IsNumber(y[j], v) && std::fabs(u - v) <= 1e-9 * std::max(1.0, std::fabs(u)));
    }
    if (!same) return "line " + std::to_string(i + 1) + ": SQLite \"" + a[i] + "\", PostgreSQL \"" + b[i] + "\"";
  }
  return "";
}

TEST_F(PgCommandsTest, AnalystsExamplesRunOnPostgreSqlAndPrintWhatSqliteDoes) {
  // Issue 15 part 1: docs/analysts.md's worked examples on the sample
  // database migrated to PostgreSQL. An example runs unchanged, or its
  // ```sql postgresql form (beside it) does; either prints the SQLite
  // output the doc shows, numbers compared by value, unless a ```text
  // postgresql block shows PostgreSQL's own (a rank of its own).
  std::ifstream in(std::filesystem::path(JOBTRAWL_SOURCE_DIR) / "docs" / "analysts.md", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const std::vector<jobtrawl::testing::DocExample> examples = jobtrawl::testing::DocExamples(text.str());
  ASSERT_GE(examples.size(), 12u);
  auto c = storage::pg::Connection::Open(url_);
  ASSERT_TRUE(c.has_value()) << c.error().message;
  int unchanged = 0;
  for (const auto& e : examples) {
    const bool own = !e.pg_sql.empty();
    SCOPED_TRACE("docs/analysts.md:" + std::to_string(own ? e.pg_sql_line : e.sql_line));
    std::string error;
    const std::string out = RunPg(*c, own ? e.pg_sql : e.sql, error);
    EXPECT_EQ(error, "") << (own ? e.pg_sql : e.sql);
    if (!error.empty()) continue;
    if (!own) ++unchanged;
    if (e.has_pg_output) {
      EXPECT_EQ(out, e.pg_output);
    } else {
      EXPECT_EQ(Difference(e.output, out), "") << (own ? e.pg_sql : e.sql) << "\nPostgreSQL printed:\n" << out;
    }
  }
  EXPECT_GE(unchanged, 1);
}

}  // namespace
}  // namespace jobtrawl::app
