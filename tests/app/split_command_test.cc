// `jobtrawl split POSTING LISTING` (issue 12 part 1): undoes a wrong merge;
// bad input gives one clear message and a non-zero exit.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/commands.h"
#include "storage/store.h"

namespace jobtrawl::app {
namespace {

using ::testing::HasSubstr;

constexpr const char* kDescription =
    "Acme Robotics builds the software that runs warehouse robots for customers across Europe. "
    "You will build and operate backend services in Go and Python, work closely with product "
    "managers and improve the observability of our systems.";

Posting Listing(std::string url, std::string description) {
  Posting p;
  p.url = std::move(url);
  p.title = "Backend Engineer";
  p.company = "Acme Robotics";
  p.company_key = "acme robotics";
  p.title_family = "backend engineer";
  p.description = std::move(description);
  return p;
}

class SplitCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("jobtrawl-split-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    db_ = dir_ / "jobs.db";
    auto store = std::move(*storage::PostingStore::Open(db_));
    const auto ats = *store->EnsureSource("acme-ats", "greenhouse", "t0");
    const auto board = *store->EnsureSource("jobboard", "html", "t0");
    const Posting a = Listing("https://a.example/1", kDescription);
    const Posting b = Listing("https://b.example/1", kDescription);
    ASSERT_TRUE(store->Upsert(ats, std::span(&a, 1), "t1"));
    ASSERT_TRUE(store->Upsert(board, std::span(&b, 1), "t1"));
    posting_ = store->database().execAndGet("SELECT posting_id FROM listings WHERE url = 'https://b.example/1'").getInt64();
    listing_ = store->database().execAndGet("SELECT id FROM listings WHERE url = 'https://b.example/1'").getInt64();
    ASSERT_EQ(store->database().execAndGet("SELECT count(*) FROM postings").getInt(), 1);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  int Split(std::int64_t posting, std::int64_t listing, std::filesystem::path db) {
    out_.str("");
    err_.str("");
    return SplitCommand({.posting = posting, .listing = listing, .database = std::move(db)}, out_, err_);
  }

  std::filesystem::path dir_, db_;
  std::int64_t posting_ = 0, listing_ = 0;
  std::ostringstream out_, err_;
};

TEST_F(SplitCommandTest, SplitsAndReportsTheNewPosting) {
  // The listing gets a posting of its own; the command says which.
  ASSERT_EQ(Split(posting_, listing_, db_), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("listing " + std::to_string(listing_) + " left posting " +
                                    std::to_string(posting_) + "; it is now posting "));
  SQLite::Database db(db_.string());
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM postings").getInt(), 2);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM dedup_splits").getInt(), 1);
}

TEST_F(SplitCommandTest, BadInputGivesOneMessageAndANonZeroExit) {
  // Wrong ids exit 2; a missing, foreign or non-SQLite database exits 3 and is left untouched.
  EXPECT_EQ(Split(posting_, 9999, db_), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("is not a sighting of posting"));
  EXPECT_EQ(Split(posting_ + 100, listing_, db_), kExitUsage);
  ASSERT_EQ(Split(posting_, listing_, db_), kExitOk);
  const auto lone = SQLite::Database(db_.string())
                        .execAndGet("SELECT posting_id FROM listings WHERE id = " + std::to_string(listing_))
                        .getInt64();
  EXPECT_EQ(Split(lone, listing_, db_), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("only sighting"));

  EXPECT_EQ(Split(1, 2, dir_ / "missing.db"), kExitRuntime);
  EXPECT_THAT(err_.str(), HasSubstr("no database at"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "missing.db"));

  const auto foreign = dir_ / "other.db";
  {
    SQLite::Database db(foreign.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE notes (body TEXT)");
  }
  EXPECT_EQ(Split(1, 2, foreign), kExitRuntime);
  EXPECT_THAT(err_.str(), HasSubstr("is not a jobtrawl database"));
  EXPECT_EQ(SQLite::Database(foreign.string()).execAndGet("SELECT count(*) FROM sqlite_master").getInt(), 1);

  const auto text = dir_ / "notes.txt";
  std::ofstream(text) << "not a database at all, just some words in a file that is long enough\n";
  EXPECT_EQ(Split(1, 2, text), kExitRuntime);
  EXPECT_THAT(err_.str(), HasSubstr("not SQLite"));
}

}  // namespace
}  // namespace jobtrawl::app
