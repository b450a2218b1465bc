// docs/analysts.md (issue 12 part 3): every ```sql block runs on the sample
// database and prints what the ```text block after it shows, as
// `sqlite3 -header jobs.db` prints it (columns separated by "|", NULL as
// nothing).
//
// JOBTRAWL_UPDATE_DOCS=1 rewrites those output blocks from the database;
// JOBTRAWL_SAMPLE_DB=PATH also keeps a copy of the sample database at PATH.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/doc_examples.h"
#include "app/sample_database.h"
#include "crawler/fetcher.h"

namespace jobtrawl::app {
namespace {

const std::filesystem::path kDoc = std::filesystem::path(JOBTRAWL_SOURCE_DIR) / "docs" / "analysts.md";

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

using Example = testing::DocExample;

std::vector<Example> Examples(const std::string& doc) { return testing::DocExamples(doc); }

// What `sqlite3 -header` prints for `sql`, or the error.
std::string RunSql(sqlite3* db, const std::string& sql, std::string& error) {
  std::string out;
  const char* tail = sql.c_str();
  while (tail != nullptr && *tail != '\0') {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, tail, -1, &stmt, &tail) != SQLITE_OK) {
      error = sqlite3_errmsg(db);
      return out;
    }
    if (stmt == nullptr) continue;  // only a comment or whitespace
    bool header = true;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const int n = sqlite3_column_count(stmt);
      if (header) {
        for (int i = 0; i < n; ++i) out += (i ? "|" : "") + std::string(sqlite3_column_name(stmt, i));
        out += '\n';
        header = false;
      }
      for (int i = 0; i < n; ++i) {
        const unsigned char* v = sqlite3_column_text(stmt, i);
        out += (i ? "|" : "") + std::string(v ? reinterpret_cast<const char*>(v) : "");
      }
      out += '\n';
    }
    if (rc != SQLITE_DONE) error = sqlite3_errmsg(db);
    sqlite3_finalize(stmt);
    if (!error.empty()) return out;
  }
  return out;
}

class AnalystsDocTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    crawler::GlobalInit();
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("jobtrawl-analysts-doc-" + std::to_string(::getpid())));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    *build_error_ = testing::BuildSampleDatabase(*dir_ / "jobs.db");
    if (const char* keep = std::getenv("JOBTRAWL_SAMPLE_DB"); keep != nullptr && build_error_->empty()) {
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(std::string(keep) + suffix);
      sqlite3* src = nullptr;
      sqlite3* dst = nullptr;
      sqlite3_open_v2((*dir_ / "jobs.db").c_str(), &src, SQLITE_OPEN_READONLY, nullptr);
      sqlite3_open(keep, &dst);
      sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
      sqlite3_backup_step(b, -1);
      sqlite3_backup_finish(b);
      sqlite3_close(dst);
      sqlite3_close(src);
    }
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::filesystem::path* dir_;
  static std::string* build_error_;
};
std::filesystem::path* AnalystsDocTest::dir_ = nullptr;
std::string* AnalystsDocTest::build_error_ = new std::string;

TEST_F(AnalystsDocTest, EveryExampleRunsAndPrintsWhatTheDocShows) {
  // Issue 12: at least 12 worked examples, with their output on the sample database.
  ASSERT_EQ(*build_error_, "");
  const std::string doc = ReadFile(kDoc);
  ASSERT_FALSE(doc.empty()) << kDoc;
  std::vector<Example> examples = Examples(doc);
  EXPECT_GE(examples.size(), 12u);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((*dir_ / "jobs.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  const bool update = std::getenv("JOBTRAWL_UPDATE_DOCS") != nullptr;
  std::string rewritten = doc;
  // Back to front, so earlier offsets stay valid while rewriting.
  for (auto it = examples.rbegin(); it != examples.rend(); ++it) {
    std::string error;
    const std::string output = RunSql(db, it->sql, error);
    EXPECT_EQ(error, "") << "docs/analysts.md:" << it->sql_line << "\n" << it->sql;
    if (update) {
      if (it->has_output) {
        rewritten.replace(it->output_begin, it->output_end - it->output_begin, output);
      } else {
        rewritten.insert(it->insert_at, "\n```text\n" + output + "```\n");
      }
      continue;
    }
    EXPECT_TRUE(it->has_output) << "docs/analysts.md:" << it->sql_line << ": no ```text block shows the output";
    EXPECT_EQ(it->output, output) << "docs/analysts.md:" << it->sql_line << "\n" << it->sql;
  }
  sqlite3_close(db);
  if (update && rewritten != doc) std::ofstream(kDoc, std::ios::binary | std::ios::trunc) << rewritten;
}

TEST_F(AnalystsDocTest, SampleDatabaseHasWhatTheExamplesNeed) {
  // Two sources, cross-posted jobs, closed listings, an updated posting, a
  // failed page (counted so that merging cross-posts leaves them alone).
  ASSERT_EQ(*build_error_, "");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((*dir_ / "jobs.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::string error;
  EXPECT_EQ(RunSql(db, "SELECT count(*) AS sources FROM sources;"
                    "SELECT count(*) AS crawls FROM crawl_runs;"
                    "SELECT count(*) AS closed_listings FROM listings WHERE closed_at IS NOT NULL;"
                    "SELECT count(*) AS updated FROM postings WHERE updated_at IS NOT NULL;"
                    "SELECT count(*) AS failed_pages FROM crawl_errors;",
                error),
            "sources\n2\ncrawls\n11\nclosed_listings\n6\nupdated\n1\nfailed_pages\n1\n");
  EXPECT_EQ(error, "");
  sqlite3_close(db);
}

}  // namespace
}  // namespace jobtrawl::app
