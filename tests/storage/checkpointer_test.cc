// WAL checkpoints on a helper thread (storage/checkpointer.h): they happen
// there while the writer commits, and a writer killed at any moment (in
// the middle of a checkpoint too) loses nothing it committed.
#include "storage/checkpointer.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace jobtrawl::storage::internal {
namespace {

namespace fs = std::filesystem;

// A WAL database with one table of blobs at `path`, opened by `*db`.
void OpenWalTable(const fs::path& path, sqlite3** db) {
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(*db,
                         "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                         "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, b BLOB NOT NULL)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(*db);
}

// One transaction of one row of about five pages.
int CommitRow(sqlite3* db) {
  return sqlite3_exec(db, "INSERT INTO t (b) VALUES (randomblob(20000))", nullptr, nullptr, nullptr);
}

std::int64_t QueryInt(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) return -1;
  const std::int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
  sqlite3_finalize(s);
  return v;
}

std::string QueryText(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) return sqlite3_errmsg(db);
  std::string v;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr) {
    v = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  }
  sqlite3_finalize(s);
  return v;
}

class WalCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("jobtrawl-checkpointer-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(WalCheckpointerTest, CopiesTheWalBackOnItsOwnThreadWhileTheWriterCommits) {
  const fs::path path = dir_ / "a.db";
  sqlite3* db = nullptr;
  OpenWalTable(path, &db);
  ASSERT_NE(db, nullptr);
  const auto before = fs::file_size(path);  // the schema lives in the WAL so far
  auto checkpointer = WalCheckpointer::Start(db, path.string(), /*pages=*/64);
  ASSERT_NE(checkpointer, nullptr);
  // Commits until the WAL holds 64 frames (a frame: a 24-byte header and a
  // page; a row is about 6): the helper is asked after that commit, and the
  // writer, far from 2 * 64 frames, never checkpoints itself.
  const fs::path wal = path.string() + "-wal";
  int rows = 0;
  while (fs::file_size(wal) < std::uintmax_t{32 + 64 * (24 + 4096)}) {
    ASSERT_EQ(CommitRow(db), SQLITE_OK) << sqlite3_errmsg(db);
    ++rows;
  }
  ASSERT_TRUE(checkpointer->WaitForBackgroundCheckpoints(1, std::chrono::minutes(2)));
  EXPECT_EQ(checkpointer->inline_checkpoints(), 0);
  EXPECT_GT(fs::file_size(path), before);  // pages copied into the database file
  checkpointer.reset();
  // The writer has SQLite's automatic checkpoints back and goes on.
  EXPECT_EQ(CommitRow(db), SQLITE_OK);
  sqlite3* reader = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &reader, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  EXPECT_EQ(QueryInt(reader, "SELECT count(*) FROM t"), rows + 1);
  EXPECT_EQ(QueryText(reader, "PRAGMA integrity_check"), "ok");
  sqlite3_close_v2(reader);
  sqlite3_close_v2(db);
}

TEST_F(WalCheckpointerTest, KilledWriterLosesNothingItCommitted) {
  // The child commits one row at a time with checkpoints of every 4 pages
  // on its helper thread (one nearly every commit) and reports each commit
  // on a pipe after COMMIT returned; the parent kills it with SIGKILL after
  // a number of commits, then every reported row must be there.
  for (const int kill_after : {37, 120, 251}) {
    const fs::path path = dir_ / ("kill-" + std::to_string(kill_after) + ".db");
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(fds[0]);
      sqlite3* db = nullptr;
      if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK ||
          sqlite3_exec(db,
                       "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                       "CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB NOT NULL)",
                       nullptr, nullptr, nullptr) != SQLITE_OK) {
        ::_exit(1);
      }
      auto checkpointer = WalCheckpointer::Start(db, path.string(), /*pages=*/4);
      if (!checkpointer) ::_exit(2);
      for (std::int64_t n = 1;; ++n) {
        if (CommitRow(db) != SQLITE_OK) ::_exit(3);
        if (::write(fds[1], &n, sizeof n) != sizeof n) ::_exit(4);
      }
    }
    ::close(fds[1]);
    std::int64_t committed = 0;
    while (committed < kill_after) {
      std::int64_t n = 0;
      ASSERT_EQ(::read(fds[0], &n, sizeof n), static_cast<ssize_t>(sizeof n)) << "the child stopped early";
      committed = n;
    }
    ::kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ::close(fds[0]);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;

    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    EXPECT_EQ(QueryText(db, "PRAGMA integrity_check"), "ok") << "killed after " << committed;
    const std::int64_t rows = QueryInt(db, "SELECT count(*) FROM t");
    EXPECT_GE(rows, committed) << "killed after " << committed;
    EXPECT_EQ(QueryInt(db, "SELECT max(id) FROM t"), rows) << "a row lost in the middle";
    sqlite3_close_v2(db);
  }
}

}  // namespace
}  // namespace jobtrawl::storage::internal
