// The analysts' schema (issue 12 part 3): views, JSON columns, the FTS5
// index and its triggers, readers that are not the writer, and the
// read-only Reader the search/export/stats commands use.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "tests/support/temp_dir.h"
#include "storage/reader.h"
#include "storage/store.h"

namespace jobtrawl::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Column(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement q(db, sql);
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).isNull() ? "NULL" : q.getColumn(0).getString());
  return out;
}

Posting Job(std::string id, std::string title, std::string description) {
  Posting p;
  p.url = "https://board.example/jobs/" + id;
  p.external_id = id;
  p.title = std::move(title);
  p.company = "Acme";
  p.location = "Berlin, DE";
  p.description = std::move(description);
  p.skills = {"C++", "PostgreSQL"};
  p.places = {Place{.city = "Berlin", .region = "BE", .country = "DE"}};
  return p;
}

// One test's directory (tests/support/temp_dir.h).
class TempDir : public jobtrawl::testing::TempDir {
 public:
  TempDir() : jobtrawl::testing::TempDir("analysts") {}
};

TEST(AnalystsSchemaTest, ViewsGiveSourcesSightingsAndDailyCounts) {
  // open_postings names the sources; posting_sightings is one row per
  // listing; daily_counts counts per source per day.
  auto store = std::move(*PostingStore::Open(":memory:"));
  auto a = *store->EnsureSource("alpha", "html", "2026-11-01T08:00:00Z");
  auto b = *store->EnsureSource("beta", "rss", "2026-11-01T08:00:00Z");
  std::vector<Posting> jobs{Job("1", "Platform Engineer", "Run the platform."),
                            Job("2", "Data Engineer", "Move the data.")};
  ASSERT_TRUE(store->Upsert(a, jobs, "2026-11-01T08:00:00Z").has_value());
  ASSERT_TRUE(store->Upsert(b, std::span(jobs).first(1), "2026-11-02T08:00:00Z").has_value());
  std::vector<std::string> gone{"id:2"};
  ASSERT_TRUE(store->CloseListings(a, gone, "2026-11-03T09:00:00Z").has_value());
  auto& db = store->database();
  EXPECT_THAT(Column(db, "SELECT title || ' ' || source_names FROM open_postings ORDER BY title"),
              ElementsAre("Platform Engineer alpha", "Platform Engineer beta"));
  EXPECT_THAT(Column(db, "SELECT source || ' ' || listing_key || ' ' || coalesce(closed_at, '-') "
                         "FROM posting_sightings ORDER BY source, listing_key"),
              ElementsAre("alpha id:1 -", "alpha id:2 2026-11-03T09:00:00Z", "beta id:1 -"));
  EXPECT_THAT(Column(db, "SELECT day || ' ' || source || ' ' || new || ' ' || closed || ' ' || open "
                         "FROM daily_counts ORDER BY source, day"),
              ElementsAre("2026-11-01 alpha 2 0 2", "2026-11-03 alpha 0 1 1", "2026-11-02 beta 1 0 1"));
}

TEST(AnalystsSchemaTest, JsonColumnsAreArraysThatJsonEachReads) {
  // skills and places are JSON arrays, not strings holding JSON.
  auto store = std::move(*PostingStore::Open(":memory:"));
  auto a = *store->EnsureSource("alpha", "html", "t");
  std::vector<Posting> jobs{Job("1", "Platform Engineer", "x")};
  ASSERT_TRUE(store->Upsert(a, jobs, "2026-11-01T08:00:00Z").has_value());
  auto& db = store->database();
  EXPECT_THAT(Column(db, "SELECT json_type(skills) || ' ' || json_type(places) FROM postings"),
              ElementsAre("array array"));
  EXPECT_THAT(Column(db, "SELECT value FROM postings, json_each(postings.skills)"),
              ElementsAre("C++", "PostgreSQL"));
  EXPECT_THAT(Column(db, "SELECT json_extract(value, '$.city') FROM postings, json_each(postings.places)"),
              ElementsAre("Berlin"));
  // Nested, not quoted, when built into a JSON document.
  EXPECT_THAT(Column(db, "SELECT json_object('skills', json(skills)) FROM postings"),
              ElementsAre("{\"skills\":[\"C++\",\"PostgreSQL\"]}"));
  // Anything else is refused from now on.
  for (const char* bad : {"'Python'", "'\"[1]\"'", "'{\"a\":1}'", "'not json'"}) {
    EXPECT_THROW(db.exec(std::string("UPDATE postings SET skills = ") + bad), SQLite::Exception) << bad;
    EXPECT_THROW(db.exec(std::string("UPDATE postings SET places = ") + bad), SQLite::Exception) << bad;
  }
  EXPECT_NO_THROW(db.exec("UPDATE postings SET skills = NULL, places = '[]'"));
}

TEST(AnalystsSchemaTest, MigrationMakesExistingJsonColumnsRealJson) {
  // Rows written before (or by other tools) with JSON encoded twice, bare
  // text, '' or an object are turned into arrays or NULL.
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  ASSERT_TRUE(Migrate(db, 7).has_value());
  db.exec("INSERT INTO postings (id, url, content_hash, first_seen, last_seen, title, skills, places) VALUES "
          "(1, 'u1', 'h', 't', 't', 'A', '[\"Go\", \"SQL\"]', '[{\"country\":\"DE\"}]'),"
          "(2, 'u2', 'h', 't', 't', 'B', '\"[\\\"Rust\\\"]\"', '\"[{\\\"city\\\":\\\"Oslo\\\"}]\"'),"
          "(3, 'u3', 'h', 't', 't', 'C', 'Python', '{\"country\":\"FR\"}'),"
          "(4, 'u4', 'h', 't', 't', 'D', '', 'Berlin'),"
          "(5, 'u5', 'h', 't', 't', 'E', '[]', '[]'),"
          "(6, 'u6', 'h', 't', 't', 'F', '\"Kotlin\"', NULL)");
  ASSERT_TRUE(Migrate(db, LatestSchemaVersion()).has_value());
  EXPECT_THAT(Column(db, "SELECT coalesce(skills, 'NULL') || ' ' || coalesce(places, 'NULL') FROM postings ORDER BY id"),
              ElementsAre("[\"Go\",\"SQL\"] [{\"country\":\"DE\"}]", "[\"Rust\"] [{\"city\":\"Oslo\"}]",
                          "[\"Python\"] [{\"country\":\"FR\"}]", "NULL NULL", "NULL NULL",
                          "[\"Kotlin\"] NULL"));
  // The index was built over the rows already there.
  EXPECT_THAT(Column(db, "SELECT rowid FROM postings_fts WHERE postings_fts MATCH 'rust OR kotlin' ORDER BY rowid"),
              ElementsAre("2", "6"));
}

TEST(AnalystsSchemaTest, FullTextIndexFollowsInsertsUpdatesAndDeletes) {
  // The triggers keep the external-content index equal to postings.
  auto store = std::move(*PostingStore::Open(":memory:"));
  auto a = *store->EnsureSource("alpha", "html", "t");
  std::vector<Posting> jobs{Job("1", "Platform Engineer", "Kubernetes clusters."),
                            Job("2", "Data Engineer", "Spark pipelines.")};
  ASSERT_TRUE(store->Upsert(a, jobs, "2026-11-01T08:00:00Z").has_value());
  auto& db = store->database();
  auto match = [&](const std::string& q) {
    return Column(db, "SELECT p.title FROM postings_fts JOIN postings p ON p.id = postings_fts.rowid "
                      "WHERE postings_fts MATCH '" + q + "' ORDER BY p.title");
  };
  EXPECT_THAT(match("kubernetes"), ElementsAre("Platform Engineer"));
  EXPECT_THAT(match("\"C++\""), ElementsAre("Data Engineer", "Platform Engineer"));
  EXPECT_THAT(match("company:acme AND location:berlin"), ElementsAre("Data Engineer", "Platform Engineer"));
  jobs[0].title = "Cluster Engineer";
  jobs[0].description = "Nomad clusters.";
  ASSERT_TRUE(store->Upsert(a, std::span(jobs).first(1), "2026-11-02T08:00:00Z").has_value());
  EXPECT_THAT(match("kubernetes"), ElementsAre());
  EXPECT_THAT(match("nomad"), ElementsAre("Cluster Engineer"));
  // Seen again unchanged: last_seen moves, the index does not.
  ASSERT_TRUE(store->Upsert(a, std::span(jobs).first(1), "2026-11-03T08:00:00Z").has_value());
  EXPECT_THAT(match("nomad"), ElementsAre("Cluster Engineer"));
  db.exec("DELETE FROM postings WHERE external_id = '2'");
  EXPECT_THAT(match("spark"), ElementsAre());
  EXPECT_NO_THROW(db.exec("INSERT INTO postings_fts (postings_fts, rank) VALUES ('integrity-check', 1)"));
}

// Runs `body` in a child process as user `uid` with only group `gid`;
// returns its exit code (or -1).
int AsOtherUser(uid_t uid, gid_t gid, const std::function<int()>& body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) ::_exit(90);
    ::_exit(body());
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

TEST(ReadersTest, AnotherUserOfTheGroupReadsAfterTheWriterClosed) {
  // Issue 12: "attempt to write a readonly database" whenever no jobtrawl
  // ran. The writer keeps -wal and -shm (0660) so a reader that may not
  // create files in the folder can open the database read-only.
  TempDir dir;
  const auto db = dir.path() / "jobs.db";
  constexpr gid_t kGroup = 4242;
  constexpr uid_t kOtherUser = 65534;
  const bool root = ::geteuid() == 0;
  if (root) {
    // The service's folder: group may enter and read, not create files.
    ASSERT_EQ(::chown(dir.path().c_str(), 0, kGroup), 0);
    ASSERT_EQ(::chmod(dir.path().c_str(), 02750), 0);
  }
  const mode_t old_umask = ::umask(022);
  {
    auto store = PostingStore::Open(db);
    ::umask(old_umask);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    auto a = *(*store)->EnsureSource("alpha", "html", "t");
    std::vector<Posting> jobs{Job("1", "Platform Engineer", "x")};
    ASSERT_TRUE((*store)->Upsert(a, jobs, "2026-11-01T08:00:00Z").has_value());
  }
  ::umask(old_umask);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    struct stat st {};
    ASSERT_EQ(::stat((db.string() + suffix).c_str(), &st), 0) << suffix << " was not kept";
    EXPECT_EQ(st.st_mode & 0777, 0660u) << suffix;
  }
  auto read = [&] {
    auto reader = Reader::Open(db);
    if (!reader) {
      std::fprintf(stderr, "%s\n", reader.error().message.c_str());
      return 1;
    }
    auto rows = (*reader)->Search({.match = "platform"}, "", "");
    if (!rows) std::fprintf(stderr, "%s\n", rows.error().message.c_str());
    // A prefix reads the index's words through a table in the
    // connection's temp schema: a read-only reader may create it.
    auto prefix = (*reader)->Search({.match = "platf*"}, "", "");
    if (!prefix) std::fprintf(stderr, "%s\n", prefix.error().message.c_str());
    return rows && rows->size() == 1 && prefix && prefix->size() == 1 ? 0 : 2;
  };
  if (root) {
    EXPECT_EQ(AsOtherUser(kOtherUser, kGroup, read), 0);
    // Read-only for the group (as on a read-only mount): SQLite reads the
    // WAL index without writing it, as long as the files exist.
    for (const char* suffix : {"", "-wal", "-shm"}) ::chmod((db.string() + suffix).c_str(), 0640);
    EXPECT_EQ(AsOtherUser(kOtherUser, kGroup, read), 0);
    // What the reader met before: without the two files it cannot read.
    std::filesystem::remove(db.string() + "-wal");
    std::filesystem::remove(db.string() + "-shm");
    EXPECT_NE(AsOtherUser(kOtherUser, kGroup, read), 0);
  } else {
    // Not root: the folder made read-only stands for the service's folder.
    std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    EXPECT_EQ(read(), 0);
  }
}

TEST(ReaderTest, RefusesWhatIsNotAJobtrawlDatabase) {
  // Part 5: a missing or foreign database is one clear error, never a crash.
  TempDir dir;
  auto missing = Reader::Open(dir.path() / "nope.db");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, Error::Code::kNotFound);
  EXPECT_THAT(missing.error().message, HasSubstr("no database at"));

  const auto text = dir.path() / "notes.txt";
  std::ofstream(text) << "these are not the postings you are looking for\n";
  auto not_sqlite = Reader::Open(text);
  ASSERT_FALSE(not_sqlite.has_value());
  EXPECT_EQ(not_sqlite.error().code, Error::Code::kParse);
  EXPECT_THAT(not_sqlite.error().message, HasSubstr("is not a SQLite database"));

  const auto foreign = dir.path() / "other.db";
  { SQLite::Database(foreign.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE).exec("CREATE TABLE t (x)"); }
  auto other = Reader::Open(foreign);
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, Error::Code::kParse);
  EXPECT_THAT(other.error().message, HasSubstr("not a jobtrawl one"));

  auto directory = Reader::Open(dir.path());
  ASSERT_FALSE(directory.has_value());
  EXPECT_THAT(directory.error().message, HasSubstr("is a directory"));

  const auto old = dir.path() / "old.db";
  {
    SQLite::Database db(old.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_TRUE(Migrate(db, 7).has_value());
  }
  auto older = Reader::Open(old);
  ASSERT_FALSE(older.has_value());
  EXPECT_THAT(older.error().message, HasSubstr("has schema version 7"));
}

TEST(ReaderTest, SearchFiltersAndRanksTitleMatchesFirst) {
  // bm25 with the title weighing most; filters narrow; syntax errors are
  // the caller's input, not a storage failure.
  TempDir dir;
  const auto path = dir.path() / "jobs.db";
  {
    auto store = std::move(*PostingStore::Open(path));
    auto a = *store->EnsureSource("alpha", "html", "t");
    std::vector<Posting> jobs{Job("1", "Rust Engineer", "Systems work."),
                              Job("2", "Platform Engineer", "Some Rust, mostly Go."),
                              Job("3", "Rust Developer", "Remote.")};
    jobs[2].country = "US";
    jobs[2].remote = "remote";
    ASSERT_TRUE(store->Upsert(a, jobs, "2026-11-01T08:00:00Z").has_value());
  }
  auto reader = std::move(*Reader::Open(path));
  auto rows = reader->Search({.match = "rust"}, "[", "]");
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[2].Text("title"), "Platform Engineer");
  EXPECT_THAT((*rows)[2].Text("snippet"), HasSubstr("[Rust]"));
  EXPECT_EQ((*rows)[0].Text("sources"), "[\"alpha\"]");
  auto remote = reader->Search({.match = "rust", .remote = true, .country = "US"}, "", "");
  ASSERT_TRUE(remote.has_value());
  ASSERT_EQ(remote->size(), 1u);
  EXPECT_EQ((*remote)[0].Text("title"), "Rust Developer");
  auto bad = reader->Search({.match = "C++ AND"}, "", "");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, Error::Code::kInvalidArgument);
  EXPECT_THAT(bad.error().message, HasSubstr("syntax error"));
  auto column = reader->Search({.match = "salary:high"}, "", "");
  ASSERT_FALSE(column.has_value());
  EXPECT_EQ(column.error().code, Error::Code::kInvalidArgument);
}

// Ids of the rows of a search, in order.
std::vector<std::string> Ids(const std::expected<std::vector<Row>, Error>& rows) {
  std::vector<std::string> ids;
  if (!rows) return {"error: " + rows.error().message};
  for (const Row& r : *rows) ids.push_back(r.Text("id"));
  return ids;
}

// Six "rust" postings stored one by one, so ids follow first_seen: the
// best match (the word in the title) is the oldest; 2, 4, 6 are remote in
// DE, 1, 3, 5 onsite in FR; 1 and 2 are closed.
std::unique_ptr<Reader> SixRustPostings(const std::filesystem::path& path) {
  {
    auto store = std::move(*PostingStore::Open(path));
    auto a = *store->EnsureSource("alpha", "html", "t");
    for (int i = 1; i <= 6; ++i) {
      Posting p = Job(std::to_string(i), i == 1 ? "Rust Engineer" : "Engineer " + std::to_string(i),
                      "Duties " + std::to_string(i) + ": some rust, mostly other work.");
      p.company = "Company " + std::to_string(i);
      p.country = i % 2 == 0 ? "DE" : "FR";
      p.remote = i % 2 == 0 ? "remote" : "onsite";
      EXPECT_TRUE(store->Upsert(a, std::vector<Posting>{p}, "2026-11-0" + std::to_string(i) + "T08:00:00Z").has_value());
    }
    store->database().exec("UPDATE postings SET closed_at = '2026-11-20T00:00:00Z' WHERE id IN (1, 2)");
  }
  return std::move(*Reader::Open(path));
}

TEST(ReaderTest, SearchRanksTheNewestMatchesOfTheWindowExactlyWhenAllFit) {
  // The rank window (storage/reader.h): with at most W matches the order is
  // that of ranking them all; with more, the best of the W newest.
  TempDir dir;
  auto reader = SixRustPostings(dir.path() / "jobs.db");
  const auto all = Ids(reader->Search({.match = "rust", .rank_window = 0}, "", ""));
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all.front(), "1");  // "rust" in the title
  EXPECT_EQ(Ids(reader->Search({.match = "rust", .rank_window = 6}, "", "")), all);
  EXPECT_EQ(Ids(reader->Search({.match = "rust", .rank_window = 100}, "", "")), all);
  auto newest = Ids(reader->Search({.match = "rust", .rank_window = 3}, "", ""));
  std::sort(newest.begin(), newest.end());
  EXPECT_THAT(newest, ElementsAre("4", "5", "6"));
  // The limit applies after the ranking, not to the window.
  EXPECT_THAT(Ids(reader->Search({.match = "rust", .limit = 1, .rank_window = 0}, "", "")), ElementsAre("1"));
}

TEST(ReaderTest, SearchWithFiltersFallsBackToTheNewestPassingMatchesWhenTooFewAreLeft) {
  // Filters combined with the match (storage/reader.h): the newest W
  // matches of the query narrowed by the filters, and when that leaves
  // fewer rows than the limit, the newest W matches that pass the filters
  // (never fewer rows than there are postings that pass).
  TempDir dir;
  auto reader = SixRustPostings(dir.path() / "jobs.db");
  auto ids = [&](PostingFilter f) {
    auto v = Ids(reader->Search(f, "", ""));
    std::sort(v.begin(), v.end());
    return v;
  };
  // Newest 2 matches (5, 6) narrowed to FR: 5 alone fills a limit of 1.
  EXPECT_THAT(ids({.match = "rust", .country = "FR", .limit = 1, .rank_window = 2}), ElementsAre("5"));
  // Ranking all FR matches puts the title match first.
  EXPECT_THAT(ids({.match = "rust", .country = "FR", .limit = 1, .rank_window = 0}), ElementsAre("1"));
  EXPECT_THAT(ids({.match = "rust", .country = "FR", .limit = 1, .rank_window = 6}), ElementsAre("1"));
  EXPECT_THAT(ids({.match = "rust", .country = "FR", .rank_window = 2}), ElementsAre("3", "5"));
  EXPECT_THAT(ids({.match = "rust", .remote = true, .rank_window = 0}), ElementsAre("2", "4", "6"));
  EXPECT_THAT(ids({.match = "rust", .state = PostingFilter::State::kClosed, .rank_window = 1}), ElementsAre("2"));
  EXPECT_THAT(ids({.match = "rust", .state = PostingFilter::State::kOpen, .rank_window = 0}),
              ElementsAre("3", "4", "5", "6"));
  EXPECT_THAT(ids({.match = "rust", .country = "FR", .state = PostingFilter::State::kClosed, .rank_window = 1}),
              ElementsAre("1"));
  EXPECT_THAT(ids({.match = "rust", .company = "Company 3", .rank_window = 1}), ElementsAre("3"));
  EXPECT_THAT(ids({.match = "title:rust", .remote = true}), ElementsAre());
}

TEST(ReaderTest, SearchClosedFindsTheNewestClosedMatchesBelowEveryOpenOne) {
  // --closed bounds the walk by the newest closed posting (the partial
  // index postings_closed, schema v16): the result is that of ranking
  // every closed match, also when the whole first window is open, and the
  // bound follows closing and reopening.
  TempDir dir;
  const auto path = dir.path() / "jobs.db";
  { auto reader = SixRustPostings(path); }  // 1 and 2 closed
  auto ids = [&](PostingFilter f) {
    auto reader = std::move(*Reader::Open(path));
    auto v = Ids(reader->Search(f, "", ""));
    std::sort(v.begin(), v.end());
    return v;
  };
  const auto closed = PostingFilter::State::kClosed;
  // The newest two matches (5, 6) are open: the first window holds no closed one.
  EXPECT_THAT(ids({.match = "rust", .state = closed, .rank_window = 2}), ElementsAre("1", "2"));
  EXPECT_THAT(ids({.match = "rust", .state = closed, .rank_window = 0}), ElementsAre("1", "2"));
  EXPECT_THAT(ids({.match = "rust", .state = closed, .limit = 1, .rank_window = 1}), ElementsAre("2"));
  EXPECT_THAT(ids({.match = "rust", .country = "FR", .state = closed, .rank_window = 2}), ElementsAre("1"));
  EXPECT_THAT(ids({.match = "rust", .since = "2026-11-02T00:00:00Z", .state = closed, .rank_window = 2}),
              ElementsAre("2"));
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    EXPECT_THAT(Column(db, "SELECT id FROM postings INDEXED BY postings_closed WHERE closed_at IS NOT NULL ORDER BY id"),
                ElementsAre("1", "2"));
    db.exec("UPDATE postings SET closed_at = NULL WHERE id = 2");  // reopened
    db.exec("UPDATE postings SET closed_at = '2026-11-21T00:00:00Z' WHERE id = 4");
    EXPECT_THAT(Column(db, "SELECT id FROM postings INDEXED BY postings_closed WHERE closed_at IS NOT NULL ORDER BY id"),
                ElementsAre("1", "4"));
  }
  EXPECT_THAT(ids({.match = "rust", .state = closed, .rank_window = 1}), ElementsAre("4"));
  EXPECT_THAT(ids({.match = "rust", .state = closed, .rank_window = 3}), ElementsAre("1", "4"));
  EXPECT_THAT(ids({.match = "rust", .state = PostingFilter::State::kOpen, .rank_window = 2}),
              ElementsAre("5", "6"));
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE postings SET closed_at = NULL");
  }
  EXPECT_THAT(ids({.match = "rust", .state = closed}), ElementsAre());
  EXPECT_THAT(ids({.match = "rust", .state = closed, .rank_window = 0}), ElementsAre());
}

// A stand-in for the index's words: those of `vocabulary` with the prefix.
PrefixWords WordsOf(std::vector<std::string> vocabulary) {
  std::sort(vocabulary.begin(), vocabulary.end());
  return [vocabulary](const std::string& prefix, std::size_t max) {
    std::vector<std::string> out;
    for (const auto& w : vocabulary) {
      if (w.starts_with(prefix) && out.size() < max) out.push_back(w);
    }
    return out;
  };
}

TEST(ReaderTest, ExpandSearchPrefixesRewritesOnlyBarePrefixesWithFewWords) {
  // storage/reader.h ExpandSearchPrefixes: a bare prefix of ASCII letters
  // and digits becomes its words; strings, NEAR groups, ^, the phrase
  // operator +, short prefixes and prefixes of no or too many words stay.
  std::vector<std::string> vocabulary{"accessible", "accessibility", "kubernetes", "rust", "c++"};
  for (int i = 0; i < 40; ++i) vocabulary.push_back("eng" + std::to_string(i));
  const PrefixWords words = WordsOf(vocabulary);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"accessib*", R"(("accessibility" OR "accessible"))"},
      {"kube*", R"("kubernetes")"},
      {"Kube*", R"("kubernetes")"},
      {"kube* OR rust", R"("kubernetes" OR rust)"},
      {"rust kube*", R"(rust "kubernetes")"},
      {"rust accessib*", "rust accessib*"},
      {"accessib* rust", "accessib* rust"},
      {"rust AND accessib*", R"(rust AND ("accessibility" OR "accessible"))"},
      {"accessib* OR rust", R"(("accessibility" OR "accessible") OR rust)"},
      {"rust NOT accessib*", R"(rust NOT ("accessibility" OR "accessible"))"},
      {"(accessib*) OR rust", R"((("accessibility" OR "accessible")) OR rust)"},
      {"rust title:accessib*", "rust title:accessib*"},
      {"rust AND -title:accessib*", R"(rust AND -title:("accessibility" OR "accessible"))"},
      {"rust AND {title company} : accessib*", R"(rust AND {title company} : ("accessibility" OR "accessible"))"},
      {"rust {title company}:accessib*", "rust {title company}:accessib*"},
      {"title:accessib* rust", "title:accessib* rust"},
      {"ANDROID accessib*", "ANDROID accessib*"},
      {"title:accessib*", R"(title:("accessibility" OR "accessible"))"},
      {"{title company}: kube*", R"({title company}: "kubernetes")"},
      {"(kube* NOT rust)", R"(("kubernetes" NOT rust))"},
      {R"("kube*" kube*)", R"("kube*" "kubernetes")"},
      {R"("say ""kube*""" kube*)", R"("say ""kube*""" "kubernetes")"},
      {"NEAR(kube* rust, 5) kube*", R"(NEAR(kube* rust, 5) "kubernetes")"},
      {R"x(NEAR("a)" kube*) kube*)x", R"x(NEAR("a)" kube*) "kubernetes")x"},
      {"^kube*", "^kube*"},
      {"rust + kube*", "rust + kube*"},
      {"kube* + rust", "kube* + rust"},
      {"ku*", "ku*"},
      {"eng*", "eng*"},
      {"zzz*", "zzz*"},
      {"kube_r*", "kube_r*"},
      {"kübe*", "kübe*"},
      {"kube", "kube"},
      {"kube * rust", "kube * rust"},
      {"", ""},
  };
  for (const auto& [query, expected] : cases) {
    EXPECT_EQ(ExpandSearchPrefixes(query, words), expected) << query;
  }
}

TEST(ReaderTest, SearchPrefixMatchesEveryWordWithItAndRanksOneWordAsFts5Would) {
  // A prefix is searched as its words (storage/reader.h): the same
  // postings as FTS5's own prefix query, each word highlighted, column
  // filters kept; a prefix of one word gets FTS5's exact bm25 scores.
  TempDir dir;
  const auto path = dir.path() / "jobs.db";
  {
    auto store = std::move(*PostingStore::Open(path));
    auto a = *store->EnsureSource("alpha", "html", "t");
    std::vector<Posting> jobs{Job("1", "Accessibility Engineer", "Screen readers."),
                              Job("2", "Frontend Engineer", "Accessible forms, accessibly built."),
                              Job("3", "Backend Engineer", "Queues and kubernetes."),
                              Job("4", "Kubernetes Operator", "Clusters; accessibility of dashboards."),
                              Job("5", "Designer", "Access control for kubernetes."),
                              Job("6", "Cook", "Lunch."), Job("7", "Driver", "Vans."), Job("8", "Nurse", "Wards.")};
    ASSERT_TRUE(store->Upsert(a, jobs, "2026-11-01T08:00:00Z").has_value());
  }
  auto reader = std::move(*Reader::Open(path));
  SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  for (const std::string query :
       {"accessib*", "title:accessib*", "kube*", "acc* NOT kubernetes", "kube* OR screen", "engineer accessib*",
        "accessib* engineer", "engineer AND accessib*", "engineer NOT accessib*", "(accessib*) OR kube*",
        "engineer title:accessib*", "title:accessib* engineer", "engineer AND -title:accessib*",
        "engineer AND {title description}: accessib*", "(title:accessib*) OR kube*", "engineer kube*"}) {
    SCOPED_TRACE(query);
    const auto native = Column(db, "SELECT rowid FROM postings_fts WHERE postings_fts MATCH '" + query + "'");
    for (std::int64_t window : {std::int64_t{0}, std::int64_t{2}, PostingFilter::kDefaultRankWindow}) {
      auto found = sorted(Ids(reader->Search({.match = query, .rank_window = window}, "[", "]")));
      if (window == 0 || window >= 8) {
        EXPECT_EQ(found, sorted(native));
      } else {  // the newest `window` of them
        auto newest = sorted(native);
        std::sort(newest.begin(), newest.end(), [](const std::string& a, const std::string& b) { return std::stoi(a) > std::stoi(b); });
        newest.resize(std::min<std::size_t>(newest.size(), static_cast<std::size_t>(window)));
        EXPECT_EQ(found, sorted(newest));
      }
    }
  }
  auto rows = reader->Search({.match = "accessib*"}, "[", "]");
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  std::string snippets;
  for (const Row& r : *rows) snippets += r.Text("snippet") + "\n";
  EXPECT_THAT(snippets, HasSubstr("[Accessibility]"));
  EXPECT_THAT(snippets, HasSubstr("[Accessible]"));
  EXPECT_THAT(snippets, HasSubstr("[accessibly]"));
  // One word: the scores and order of FTS5's own prefix query.
  auto kube = reader->Search({.match = "kube*"}, "", "");
  ASSERT_TRUE(kube.has_value());
  const auto native = Column(db,
                             "SELECT rowid || ' ' || bm25(postings_fts, 10.0, 5.0, 2.0, 1.0, 3.0) FROM postings_fts "
                             "WHERE postings_fts MATCH 'kube*' ORDER BY bm25(postings_fts, 10.0, 5.0, 2.0, 1.0, 3.0), rowid");
  std::vector<std::string> ours;
  for (const Row& r : *kube) ours.push_back(r.Text("id") + " " + r.Text("score"));
  ASSERT_EQ(ours.size(), native.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    EXPECT_EQ(ours[i].substr(0, ours[i].find(' ')), native[i].substr(0, native[i].find(' ')));
    EXPECT_NEAR(std::stod(ours[i].substr(ours[i].find(' '))), std::stod(native[i].substr(native[i].find(' '))), 1e-9);
  }
  // Errors are those of the query as typed.
  auto bad = reader->Search({.match = "accessib* AND"}, "", "");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, Error::Code::kInvalidArgument);
  EXPECT_THAT(bad.error().message, HasSubstr("\"accessib* AND\""));
  auto column = reader->Search({.match = "salary:acc*"}, "", "");
  ASSERT_FALSE(column.has_value());
  EXPECT_EQ(column.error().code, Error::Code::kInvalidArgument);
}

TEST(ReaderTest, ExpandedPrefixQueriesAreValidAndMatchWhatFts5Matches) {
  // Every query FTS5 accepts is still accepted after ExpandSearchPrefixes
  // and matches the same rows: queries drawn at random (fixed seed) from
  // words, prefixes, operators, groups, column filters, strings, NEAR, ^
  // and +, on an index of a few documents.
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE VIRTUAL TABLE postings_fts USING fts5(title, company, location, description, skills, "
          "tokenize = \"unicode61 remove_diacritics 2 tokenchars '+#'\")");
  const std::vector<std::string> docs = {
      "accessible web|Acme|Berlin|accessibility audits and access control|rust",
      "rust engineer|Initech|Paris|accessibly built systems|go",
      "data analyst|Acme|Remote|analytics and access reviews|sql",
      "web engineer|Globex|Berlin|engineering accessible forms|typescript",
      "engineer|Initech|Oslo|nothing else|rust"};
  for (std::size_t i = 0; i < docs.size(); ++i) {
    std::vector<std::string> cols;
    std::string col;
    for (char ch : docs[i] + "|") {
      if (ch == '|') {
        cols.push_back(col);
        col.clear();
      } else {
        col += ch;
      }
    }
    SQLite::Statement insert(db, "INSERT INTO postings_fts (rowid, title, company, location, description, skills) "
                                 "VALUES (?, ?, ?, ?, ?, ?)");
    insert.bind(1, static_cast<std::int64_t>(i + 1));
    for (int c = 0; c < 5; ++c) insert.bind(c + 2, cols[static_cast<std::size_t>(c)]);
    insert.exec();
  }
  db.exec("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, postings_fts, row)");
  const PrefixWords words = [&](const std::string& prefix, std::size_t max) {
    std::string next = prefix;
    next.back() = static_cast<char>(next.back() + 1);
    SQLite::Statement q(db, "SELECT term FROM temp.words WHERE term >= ? AND term < ? LIMIT ?");
    q.bind(1, prefix);
    q.bind(2, next);
    q.bind(3, static_cast<std::int64_t>(max));
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
  };
  auto rows = [&](const std::string& query) -> std::optional<std::vector<std::string>> {
    try {
      return Column(db, "SELECT rowid FROM postings_fts WHERE postings_fts MATCH '" +
                            [&] {
                              std::string q;
                              for (char ch : query) q += ch == '\'' ? std::string("''") : std::string(1, ch);
                              return q;
                            }() + "' ORDER BY rowid");
    } catch (const SQLite::Exception&) {
      return std::nullopt;
    }
  };
  const std::vector<std::string> pieces = {
      "acc*", "access*", "eng*", "engineer", "rust", "web", "ana*", "AND", "OR", "NOT", "(", ")", "title:",
      "-title:", "{title description}:", "\"accessible web\"", "\"acc*\"", "^", "+", "NEAR(acc* rust, 3)",
      "Acc*", "zzz*", "ac*", "*", " "};
  std::mt19937 rng(20261201);
  int valid = 0, rewritten = 0;
  for (int n = 0; n < 4000; ++n) {
    std::string query;
    const int length = 1 + static_cast<int>(rng() % 6);
    for (int k = 0; k < length; ++k) query += pieces[rng() % pieces.size()] + (rng() % 3 ? " " : "");
    const auto native = rows(query);
    if (!native) continue;
    ++valid;
    const std::string expanded = ExpandSearchPrefixes(query, words);
    if (expanded != query) ++rewritten;
    const auto ours = rows(expanded);
    ASSERT_TRUE(ours.has_value()) << query << " became " << expanded;
    EXPECT_EQ(*ours, *native) << query << " became " << expanded;
  }
  EXPECT_GT(valid, 500);
  EXPECT_GT(rewritten, 200);
}

TEST(ReaderTest, SearchSinceDoesNotAssumeFirstSeenGrowsWithTheId) {
  // --since becomes a lower bound on the id (the smallest id first seen
  // that recently), never a guess from the id order: a posting whose
  // first_seen is later than that of newer ids is still found.
  TempDir dir;
  const auto path = dir.path() / "jobs.db";
  {
    auto reader = SixRustPostings(path);
  }
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE postings SET first_seen = '2026-11-05T09:00:00Z' WHERE id = 2");
  }
  auto reader = std::move(*Reader::Open(path));
  auto ids = [&](PostingFilter f) {
    auto v = Ids(reader->Search(f, "", ""));
    std::sort(v.begin(), v.end());
    return v;
  };
  EXPECT_THAT(ids({.match = "rust", .since = "2026-11-05T00:00:00Z"}), ElementsAre("2", "5", "6"));
  EXPECT_THAT(ids({.match = "rust", .since = "2026-11-05T00:00:00Z", .rank_window = 1}), ElementsAre("6"));
  EXPECT_THAT(ids({.match = "rust", .since = "2026-11-05T00:00:00Z", .state = PostingFilter::State::kClosed}),
              ElementsAre("2"));
  EXPECT_THAT(ids({.match = "rust", .since = "2026-12-01T00:00:00Z"}), ElementsAre());
  EXPECT_THAT(ids({.match = "rust", .since = "2026-01-01T00:00:00Z", .rank_window = 0}),
              ElementsAre("1", "2", "3", "4", "5", "6"));
}

TEST(ReaderTest, DepartmentIsStoredRevisedAndExported) {
  // Schema v13 (issue 14 part 1): postings.department is written, its old
  // value kept in revisions when it changes, and given by Export and
  // Search; a posting without one has NULL and the same content hash as
  // before v13, so upgrading does not count every posting as changed.
  TempDir dir;
  const auto path = dir.path() / "jobs.db";
  {
    auto store = std::move(*PostingStore::Open(path));
    auto a = *store->EnsureSource("alpha", "greenhouse", "t");
    Posting with = Job("1", "Backend Engineer", "Build services.");
    with.department = "Engineering";
    Posting without = Job("2", "Account Manager", "Sell things.");
    const std::string hash_without = PostingStore::ContentHash(without);
    ASSERT_TRUE(store->Upsert(a, std::vector{with, without}, "2026-11-01T08:00:00Z").has_value());
    EXPECT_NE(PostingStore::ContentHash(with), PostingStore::ContentHash(Job("1", "Backend Engineer", "Build services.")));
    with.department = "Platform";
    auto changed = store->Upsert(a, std::vector{with, without}, "2026-11-02T08:00:00Z");
    ASSERT_TRUE(changed.has_value()) << changed.error().message;
    EXPECT_EQ(changed->updated, 1);
    EXPECT_EQ(changed->unchanged, 1);
    SQLite::Database& db = store->database();
    EXPECT_THAT(Column(db, "SELECT department FROM postings ORDER BY id"), ElementsAre("Platform", "NULL"));
    EXPECT_THAT(Column(db, "SELECT field || '=' || old_value FROM revisions"), ElementsAre("department=Engineering"));
    EXPECT_THAT(Column(db, "SELECT content_hash FROM postings WHERE external_id = '2'"), ElementsAre(hash_without));
    with.department.reset();
    ASSERT_TRUE(store->Upsert(a, std::vector{with, without}, "2026-11-03T08:00:00Z").has_value());
    EXPECT_THAT(Column(db, "SELECT department FROM postings ORDER BY id"), ElementsAre("NULL", "NULL"));
    EXPECT_THAT(Column(db, "SELECT old_value FROM revisions WHERE field = 'department' ORDER BY id"),
                ElementsAre("Engineering", "Platform"));
    with.department = "Platform";
    ASSERT_TRUE(store->Upsert(a, std::vector{with, without}, "2026-11-04T08:00:00Z").has_value());
  }
  auto reader = std::move(*Reader::Open(path));
  std::vector<std::string> exported;
  auto all = reader->Export({}, [&](const Row& r) {
    exported.push_back(r.Text("title") + "|" + r.Text("department"));
    return true;
  });
  ASSERT_TRUE(all.has_value()) << all.error().message;
  EXPECT_THAT(exported, ElementsAre("Backend Engineer|Platform", "Account Manager|"));
  auto found = reader->Search({.match = "backend"}, "", "");
  ASSERT_TRUE(found.has_value()) << found.error().message;
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].Text("department"), "Platform");
  // Not in the full-text index (docs/schema.md "postings_fts").
  auto by_department = reader->Search({.match = "platform"}, "", "");
  ASSERT_TRUE(by_department.has_value());
  EXPECT_TRUE(by_department->empty());
}

TEST(ReaderTest, ExportStreamsEveryRowInChunks) {
  // More rows than one chunk: every row once, in id order, and stopping
  // early stops.
  TempDir dir;
  const auto path = dir.path() / "jobs.db";
  const int n = static_cast<int>(Reader::kExportChunk) * 2 + 7;
  {
    auto store = std::move(*PostingStore::Open(path));
    auto a = *store->EnsureSource("alpha", "html", "t");
    std::vector<Posting> jobs;
    for (int i = 0; i < n; ++i) jobs.push_back(Job(std::to_string(i), "Job " + std::to_string(i), "x"));
    ASSERT_TRUE(store->Upsert(a, jobs, "2026-11-01T08:00:00Z").has_value());
  }
  auto reader = std::move(*Reader::Open(path));
  std::int64_t last = 0;
  int seen = 0;
  auto all = reader->Export({}, [&](const Row& r) {
    const auto id = std::get<std::int64_t>(r.Get("id"));
    EXPECT_GT(id, last);
    last = id;
    ++seen;
    return true;
  });
  ASSERT_TRUE(all.has_value()) << all.error().message;
  EXPECT_EQ(*all, n);
  EXPECT_EQ(seen, n);
  int taken = 0;
  auto some = reader->Export({}, [&](const Row&) { return ++taken < 3; });
  EXPECT_EQ(some.value_or(-1), 3);
  EXPECT_EQ(reader->Export({.limit = 501}, [](const Row&) { return true; }).value_or(-1), 501);
}

}  // namespace
}  // namespace jobtrawl::storage
