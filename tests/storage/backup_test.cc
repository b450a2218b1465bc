// `jobtrawl backup` (issue 13, part 9): a whole, consistent copy taken while
// another connection keeps writing.
#include "storage/backup.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "model/clock.h"
#include "storage/reader.h"
#include "storage/store.h"

namespace jobtrawl::storage {
namespace {

class BackupTest : public ::testing::Test {
 protected:
  BackupTest() {
    dir_ = std::filesystem::temp_directory_path() /
           ("jobtrawl-backup-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~BackupTest() override { std::filesystem::remove_all(dir_); }

  static Posting Job(int i) {
    Posting p;
    p.url = "https://board.example/jobs/" + std::to_string(i);
    p.title = "Job " + std::to_string(i);
    p.external_id = std::to_string(i);
    p.description = std::string(2000, 'x');
    return p;
  }

  std::filesystem::path dir_;
};

// Works in `dir` for its lifetime, then goes back.
class WorkingDirectory {
 public:
  explicit WorkingDirectory(const std::filesystem::path& dir) : previous_(std::filesystem::current_path()) {
    std::filesystem::current_path(dir);
  }
  ~WorkingDirectory() { std::filesystem::current_path(previous_); }
  WorkingDirectory(const WorkingDirectory&) = delete;
  WorkingDirectory& operator=(const WorkingDirectory&) = delete;

 private:
  std::filesystem::path previous_;
};

TEST_F(BackupTest, ADatabasePathStartingWithFileColonIsThatFile) {
  // SQLite as Debian builds it reads "file:..." as a URI: the writer, the
  // readers and backup must all open the file the path names, never
  // "jobs.db" or an in-memory database.
  WorkingDirectory cwd(dir_);
  const std::filesystem::path db = "file:jobs.db?mode=memory";
  {
    auto store = PostingStore::Open(db);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    const std::int64_t source = *(*store)->EnsureSource("board", "html", FormatUtc(Clock::now()));
    ASSERT_TRUE((*store)->Upsert(source, std::vector{Job(1)}, "2026-12-01T00:00:00Z"));
  }
  EXPECT_TRUE(std::filesystem::is_regular_file(dir_ / "file:jobs.db?mode=memory"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "jobs.db"));
  auto reader = Reader::Open(db);
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  auto reopened = PostingStore::OpenExisting(db);
  ASSERT_TRUE(reopened.has_value()) << reopened.error().message;
  reopened->reset();
  auto stats = BackupDatabase(db, "file:copy.db");
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_TRUE(std::filesystem::is_regular_file(dir_ / "file:copy.db"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "copy.db"));
}

TEST_F(BackupTest, CopyWhileAnotherConnectionWritesIsWholeAndConsistent) {
  const auto db = dir_ / "jobs.db";
  auto store = std::move(*PostingStore::Open(db));
  const std::int64_t source = *store->EnsureSource("board", "html", FormatUtc(Clock::now()));
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(store->Upsert(source, std::vector{Job(i)}, "2026-12-01T00:00:00Z"));
  std::atomic<bool> stop{false};
  std::atomic<int> written{200};
  std::thread writer([&] {
    for (int i = 200; !stop.load(); ++i) {
      // Each posting with its listing in one transaction: the copy must
      // never hold one without the other.
      if (store->Upsert(source, std::vector{Job(i)}, "2026-12-01T00:00:00Z")) written.store(i + 1);
    }
  });
  while (written.load() < 300) std::this_thread::yield();  // the writer is going
  auto stats = BackupDatabase(db, dir_ / "copy.db");
  stop.store(true);
  writer.join();
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_GT(stats->pages, 0);
  EXPECT_EQ(stats->schema_version, LatestSchemaVersion());
  // One file, not in WAL mode: nothing beside it, also once it is read.
  int files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 4);  // jobs.db, -wal, -shm and copy.db
  SQLite::Database copy((dir_ / "copy.db").string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(copy.execAndGet("PRAGMA journal_mode").getString(), "delete");
  EXPECT_EQ(copy.execAndGet("PRAGMA integrity_check").getString(), "ok");
  const int postings = copy.execAndGet("SELECT count(*) FROM postings").getInt();
  EXPECT_GE(postings, 300);
  EXPECT_LE(postings, written.load());
  EXPECT_EQ(copy.execAndGet("SELECT count(*) FROM listings").getInt(), postings);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "copy.db-wal"));
  const auto perms = std::filesystem::status(dir_ / "copy.db").permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                std::filesystem::perms::group_read);
}

TEST_F(BackupTest, ReplacesAnOlderCopyWhole) {
  const auto db = dir_ / "jobs.db";
  { auto store = std::move(*PostingStore::Open(db)); }
  { SQLite::Database old((dir_ / "copy.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE); old.exec("CREATE TABLE stale(x)"); }
  ASSERT_TRUE(BackupDatabase(db, dir_ / "copy.db").has_value());
  SQLite::Database copy((dir_ / "copy.db").string(), SQLite::OPEN_READONLY);
  EXPECT_FALSE(copy.tableExists("stale"));
  EXPECT_TRUE(copy.tableExists("postings"));
}

TEST_F(BackupTest, MissingSourceOrUnwritableDestinationIsAClearError) {
  auto missing = BackupDatabase(dir_ / "nope.db", dir_ / "copy.db");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, Error::Code::kNotFound);
  EXPECT_NE(missing.error().message.find("nope.db"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "copy.db"));

  { auto store = std::move(*PostingStore::Open(dir_ / "jobs.db")); }
  auto nowhere = BackupDatabase(dir_ / "jobs.db", dir_ / "no" / "such" / "dir" / "copy.db");
  ASSERT_FALSE(nowhere.has_value());
  EXPECT_NE(nowhere.error().message.find("copy.db"), std::string::npos) << nowhere.error().message;

  // Not a database at all.
  { std::ofstream(dir_ / "text.db") << "not sqlite"; }
  auto foreign = BackupDatabase(dir_ / "text.db", dir_ / "copy2.db");
  ASSERT_FALSE(foreign.has_value());
  EXPECT_FALSE(std::filesystem::exists(dir_ / "copy2.db"));
}

// review13: `jobtrawl backup /var/lib/jobtrawl/jobs.db` (FILE read as "the
// database to back up") copied the live database onto itself and said
// "backed up": the copy was renamed over the file the daemon has open. With
// the daemon crawling (README's own setup) its later writes were lost
// without a word: its log said "slowboard: ok: 94 pages", the file kept
// the run "running" with 64 pages and 65 http_cache rows. The same file
// under any spelling must be refused, untouched. (In this single-process
// form the later writes happen to survive; the refusal is what fails.)
TEST_F(BackupTest, OntoTheDatabaseItselfIsRefusedAndLosesNoWrite) {
  const auto db = dir_ / "jobs.db";
  auto store = std::move(*PostingStore::Open(db));
  const std::int64_t source = *store->EnsureSource("board", "html", FormatUtc(Clock::now()));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(store->Upsert(source, std::vector{Job(i)}, "2026-12-01T00:00:00Z"));
  auto same = BackupDatabase(db, dir_ / "." / "jobs.db");
  EXPECT_FALSE(same.has_value());
  for (int i = 10; i < 20; ++i) ASSERT_TRUE(store->Upsert(source, std::vector{Job(i)}, "2026-12-01T00:00:00Z"));
  store.reset();  // closes: the WAL is checkpointed into the file it has open
  SQLite::Database check(db.string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(check.execAndGet("SELECT count(*) FROM postings").getInt(), 20);
}

}  // namespace
}  // namespace jobtrawl::storage
