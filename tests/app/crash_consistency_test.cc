// Crash consistency (issue 10 part 2) and a killed crawl's lease (known
// fault 8), with the real `jobtrawl` binary as a child process against a
// board served on 127.0.0.1 from a thread of this test.
//
// "Half-written", concretely: a posting without a listing, a listing
// without its posting or with another content hash than its posting, a
// posting without title, company or URL, a row no crawl of the board could
// have written, a foreign key pointing nowhere. A crawl_runs row left
// "running" by the killed process is allowed, but only as the newest row:
// the next run of the source must mark it.
#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "app/commands.h"
#include "app/lease_holder.h"
#include "support/child_process.h"
#include "support/test_server.h"

namespace jobtrawl::app {
namespace {

using jobtrawl::testing::Reply;
using jobtrawl::testing::TestServer;
using ::testing::HasSubstr;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;
using PostingRow = std::tuple<std::string, std::string, std::string>;  // title, company, url

constexpr int kPostings = 60;
constexpr int kPerPage = 10;

std::string Detail(int n) {
  return R"(<html><head><script type="application/ld+json">{"@type":"JobPosting","title":"Job )" +
         std::to_string(n) + R"(","hiringOrganization":{"name":"Company )" + std::to_string(n % 5) +
         R"("},"identifier":"J)" + std::to_string(n) + R"(","description":"<p>Posting )" +
         std::to_string(n) + R"( of the crash board.</p>"}</script></head><body></body></html>)";
}

// A board of kPostings postings over listing pages of kPerPage, each detail
// answered after a short delay, so a crawl takes about a second. The
// server runs on a thread of its own while children crawl it.
class Board {
 public:
  Board() : server_(ioc_), work_(boost::asio::make_work_guard(ioc_)) {
    const int pages = kPostings / kPerPage;
    for (int page = 1; page <= pages; ++page) {
      std::string html = "<html><body><ul>";
      for (int n = (page - 1) * kPerPage + 1; n <= page * kPerPage; ++n) {
        html += "<li><a href=\"/jobs/" + std::to_string(n) + "\">Job " + std::to_string(n) + "</a></li>";
      }
      html += "</ul>";
      if (page < pages) html += "<a rel=\"next\" href=\"/board?page=" + std::to_string(page + 1) + "\">next</a>";
      html += "</body></html>";
      server_.Route(page == 1 ? "/board" : "/board?page=" + std::to_string(page), {200, html});
    }
    for (int n = 1; n <= kPostings; ++n) {
      server_.Route("/jobs/" + std::to_string(n), {.status = 200, .body = Detail(n), .delay = 25ms});
    }
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~Board() {
    work_.reset();
    ioc_.stop();
    thread_.join();
  }

  std::string Url(std::string_view target) const { return server_.Url(target); }

  std::set<PostingRow> Expected() const {
    std::set<PostingRow> rows;
    for (int n = 1; n <= kPostings; ++n) {
      rows.emplace("Job " + std::to_string(n), "Company " + std::to_string(n % 5),
                   Url("/jobs/" + std::to_string(n)));
    }
    return rows;
  }

 private:
  boost::asio::io_context ioc_;
  TestServer server_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

using Child = jobtrawl::testing::ChildProcess;

// One column of a query on `db`; "" for NULL. Opened read-write as the next
// jobtrawl process would open it (nothing is written): the WAL of a killed
// writer may need recovery, which a read-only connection cannot run.
std::vector<std::string> Query(const std::filesystem::path& db, const std::string& sql) {
  SQLite::Database database(db.string(), SQLite::OPEN_READWRITE);
  database.setBusyTimeout(5000);
  SQLite::Statement q(database, sql);
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).isNull() ? "" : q.getColumn(0).getString());
  return out;
}

std::string Scalar(const std::filesystem::path& db, const std::string& sql) {
  auto rows = Query(db, sql);
  return rows.empty() ? "" : rows.front();
}

std::set<PostingRow> Postings(const std::filesystem::path& db) {
  SQLite::Database database(db.string(), SQLite::OPEN_READWRITE);
  database.setBusyTimeout(5000);
  SQLite::Statement q(database, "SELECT title, company, url FROM postings");
  std::set<PostingRow> rows;
  while (q.executeStep()) {
    rows.emplace(q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString());
  }
  return rows;
}

class CrashConsistencyTest : public ::testing::Test {
 protected:
  CrashConsistencyTest() {
    dir_ = std::filesystem::temp_directory_path() /
           ("jobtrawl-crash-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~CrashConsistencyTest() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  std::filesystem::path WriteConfig(const std::string& name, const std::string& database,
                                    const std::string& every = "1h") {
    auto path = dir_ / name;
    std::ofstream(path) << "[storage]\ndatabase = \"" << database << "\"\n"
                        << "[http]\ndelay = \"0s\"\nallow_private_networks = true\n"
                        << "per_host_connections = 2\nretries = 0\n"
                        << "[[source]]\nname = \"crash-board\"\nstart = [\"" << board_.Url("/board")
                        << "\"]\nevery = \"" << every << "\"\n"
                        << "follow = { detail = \"/jobs/[0-9]+$\", next = \"[?&]page=[0-9]+\" }\n";
    return path;
  }

  // Runs `jobtrawl crawl` to the end; returns its exit code.
  int CrawlToTheEnd(const std::filesystem::path& config) {
    Child child({"crawl", "-c", config.string()}, dir_ / "children.log");
    auto status = child.Wait(60s);
    EXPECT_TRUE(status.has_value()) << "a crawl did not finish in 60 s";
    return status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
  }

  // The invariants that must hold whenever a process writing `db` died.
  void ExpectConsistent(const std::filesystem::path& db, const std::string& when) {
    SCOPED_TRACE(when);
    if (!std::filesystem::exists(db)) return;  // killed before it opened the database
    EXPECT_EQ(Scalar(db, "PRAGMA integrity_check"), "ok");
    // Each migration is one transaction: no schema at all means version 0.
    if (Scalar(db, "SELECT count(*) FROM sqlite_master WHERE name = 'postings'") == "0") {
      EXPECT_EQ(Scalar(db, "PRAGMA user_version"), "0");
      return;
    }
    EXPECT_TRUE(Query(db, "PRAGMA foreign_key_check").empty());
    EXPECT_EQ(Scalar(db, "SELECT count(*) FROM postings p WHERE NOT EXISTS "
                         "(SELECT 1 FROM listings l WHERE l.posting_id = p.id)"), "0")
        << "a posting without its listing";
    EXPECT_EQ(Scalar(db, "SELECT count(*) FROM listings l LEFT JOIN postings p ON p.id = l.posting_id "
                         "WHERE p.id IS NULL OR p.content_hash <> l.content_hash"), "0")
        << "a listing without its posting, or of other content";
    EXPECT_EQ(Scalar(db, "SELECT count(*) FROM postings WHERE title IS NULL OR company IS NULL "
                         "OR url = '' OR description IS NULL OR first_seen > last_seen"), "0")
        << "a posting missing what the board gave";
    const std::set<PostingRow> expected = board_.Expected();
    for (const PostingRow& row : Postings(db)) {
      EXPECT_TRUE(expected.contains(row)) << std::get<0>(row) << " | " << std::get<2>(row);
    }
    // Only the newest run may still say "running": the killed one.
    EXPECT_EQ(Scalar(db, "SELECT count(*) FROM crawl_runs WHERE status = 'running' "
                         "AND id < (SELECT max(id) FROM crawl_runs)"), "0")
        << "a run left running was not marked by the next one";
  }

  std::filesystem::path dir_;
  Board board_;
};

TEST_F(CrashConsistencyTest, KilledCrawlsLeaseIsTakenOverByTheNext) {
  // Known fault 8: after `jobtrawl crawl` is SIGKILLed, the next one on
  // this machine takes the dead process's lease at once (and says so)
  // instead of skipping the source for two minutes and exiting 0.
  auto config = WriteConfig("jobtrawl.toml", "jobs.db");
  const auto db = dir_ / "jobs.db";
  {
    Child first({"crawl", "-c", config.string()}, dir_ / "first.log");
    // Killed mid-crawl: once it holds the lease and has stored a posting.
    const auto deadline = SteadyClock::now() + 20s;
    while (SteadyClock::now() < deadline) {
      try {
        if (Scalar(db, "SELECT count(*) FROM source_leases") == "1" &&
            Scalar(db, "SELECT count(*) FROM postings") != "0") {
          break;
        }
      } catch (const SQLite::Exception&) {
        // Not created or migrated yet.
      }
      std::this_thread::sleep_for(5ms);
    }
    ASSERT_EQ(Scalar(db, "SELECT count(*) FROM source_leases"), "1");
    EXPECT_THAT(Scalar(db, "SELECT holder FROM source_leases"),
                HasSubstr("crawl " + HostName() + ":" + std::to_string(first.pid()) + ":"));
    first.Signal(SIGKILL);
    ASSERT_TRUE(first.Wait(10s).has_value());
  }
  EXPECT_EQ(Scalar(db, "SELECT status FROM crawl_runs"), "running");
  Child second({"crawl", "-c", config.string()}, dir_ / "second.log");
  auto status = second.Wait(60s);
  ASSERT_TRUE(status.has_value());
  std::stringstream log;
  log << std::ifstream(dir_ / "second.log").rdbuf();
  EXPECT_EQ(WEXITSTATUS(*status), kExitOk) << log.str();
  EXPECT_THAT(log.str(), HasSubstr("took over the lease of crawl " + HostName()));
  EXPECT_THAT(log.str(), HasSubstr("a process of this machine that no longer runs"));
  EXPECT_EQ(Postings(db), board_.Expected());
  EXPECT_EQ(Query(db, "SELECT status FROM crawl_runs ORDER BY id"),
            (std::vector<std::string>{"interrupted", "ok"}));
  EXPECT_EQ(Scalar(db, "SELECT count(*) FROM source_leases"), "0");
}

TEST_F(CrashConsistencyTest, CrawlSkippingEverySourceExitsFour) {
  // Known fault 8: when live processes hold every selected source, nothing
  // is stored and the exit code says so (4), for cron and timers.
  auto config = WriteConfig("jobtrawl.toml", "jobs.db");
  const auto db = dir_ / "jobs.db";
  ASSERT_EQ(CrawlToTheEnd(config), kExitOk);  // creates the schema and the source
  {
    SQLite::Database other(db.string(), SQLite::OPEN_READWRITE);
    other.exec("INSERT INTO source_leases (source_id, holder, acquired_at, expires_at) "
               "SELECT id, '" + LeaseHolderName("daemon") + "', '2000-01-01T00:00:00Z', "
               "'2999-01-01T00:00:00Z' FROM sources");
  }
  EXPECT_EQ(CrawlToTheEnd(config), kExitAllSkipped);
  EXPECT_EQ(Scalar(db, "SELECT count(*) FROM crawl_runs"), "1");
}

TEST_F(CrashConsistencyTest, OneShotCrawlSurvivesSigkillAtAnyMoment) {
  // Issue 10 part 2: SIGKILL at 25 seeded moments of a crawl; after each,
  // the database is whole and holds no half-written posting, the next
  // crawl is not blocked by the dead one's lease, and a final uninterrupted
  // crawl leaves exactly the postings of a crawl never killed.
  std::uint64_t seed = 20261201;
  if (const char* env = std::getenv("JOBTRAWL_CRASH_SEED")) seed = std::stoull(env);
  std::cout << "crash schedule seed: " << seed << " (set JOBTRAWL_CRASH_SEED to repeat another)\n";
  RecordProperty("seed", std::to_string(seed));

  // The reference: a crawl never killed, on a database of its own.
  auto reference_config = WriteConfig("reference.toml", "reference.db");
  const auto started = SteadyClock::now();
  ASSERT_EQ(CrawlToTheEnd(reference_config), kExitOk);
  const auto duration = std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - started);
  std::cout << "an uninterrupted crawl takes " << duration.count() << " ms\n";
  const std::set<PostingRow> reference = Postings(dir_ / "reference.db");
  ASSERT_EQ(reference, board_.Expected());

  auto config = WriteConfig("jobtrawl.toml", "jobs.db");
  const auto db = dir_ / "jobs.db";
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> moment(0, duration.count());
  // Moments past a child's end kill nothing; more are drawn until 25 did.
  constexpr int kKills = 25;
  constexpr int kMaxAttempts = 40;
  int killed_mid_crawl = 0;
  int attempts = 0;
  for (int i = 0; i < kMaxAttempts && killed_mid_crawl < kKills; ++i, ++attempts) {
    const auto at = std::chrono::milliseconds(moment(rng));
    Child child({"crawl", "-c", config.string()}, dir_ / "children.log");
    // The schedule is the event: wait for the moment, unless the child ends first.
    auto status = child.Wait(at);
    if (!status) {
      child.Signal(SIGKILL);
      status = child.Wait(10s);
      ++killed_mid_crawl;
    }
    ASSERT_TRUE(status.has_value());
    if (WIFEXITED(*status)) {
      EXPECT_EQ(WEXITSTATUS(*status), kExitOk) << "kill " << i;
    }
    ExpectConsistent(db, "after kill " + std::to_string(i) + " at " + std::to_string(at.count()) + " ms");
    if (HasFailure()) break;
  }
  std::cout << killed_mid_crawl << " of " << attempts << " crawls killed before they ended\n";
  EXPECT_EQ(killed_mid_crawl, kKills);

  // The dead ones' leases do not hold the last crawl up, and it leaves
  // what a crawl never killed left.
  EXPECT_EQ(CrawlToTheEnd(config), kExitOk);
  ExpectConsistent(db, "after the final crawl");
  EXPECT_EQ(Postings(db), reference);
  EXPECT_EQ(Scalar(db, "SELECT count(*) FROM crawl_runs WHERE status = 'running'"), "0");
  EXPECT_EQ(Scalar(db, "SELECT status FROM crawl_runs ORDER BY id DESC LIMIT 1"), "ok");
  EXPECT_EQ(Scalar(db, "SELECT count(*) FROM source_leases"), "0");
}

TEST_F(CrashConsistencyTest, DaemonSurvivesSigkillAndStopsOnSigterm) {
  // Issue 10 part 2, the service: `jobtrawl run` crawling every second is
  // SIGKILLed or SIGTERMed at seeded moments; after each the database is
  // whole, a SIGTERM ends it with 0 within its grace, and restarts go on.
  std::uint64_t seed = 20261202;
  if (const char* env = std::getenv("JOBTRAWL_CRASH_SEED")) seed = std::stoull(env) + 1;
  std::cout << "daemon schedule seed: " << seed << '\n';
  RecordProperty("seed", std::to_string(seed));
  auto config = WriteConfig("jobtrawl.toml", "jobs.db", "1s");
  const auto db = dir_ / "jobs.db";
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> moment(300, 2500);
  constexpr int kStops = 8;
  int terms = 0;
  for (int i = 0; i < kStops; ++i) {
    const bool term = i % 2 == 1;  // alternate: SIGKILL, SIGTERM, ...
    const auto at = std::chrono::milliseconds(moment(rng));
    Child daemon({"run", "-c", config.string()}, dir_ / "daemon.log");
    ASSERT_FALSE(daemon.Wait(at).has_value()) << "the daemon exited by itself";
    daemon.Signal(term ? SIGTERM : SIGKILL);
    // Its grace for transfers is 10 s; these take 25 ms.
    auto status = daemon.Wait(term ? 12s : 5s);
    ASSERT_TRUE(status.has_value()) << "no exit after " << (term ? "SIGTERM" : "SIGKILL");
    if (term) {
      ++terms;
      ASSERT_TRUE(WIFEXITED(*status));
      EXPECT_EQ(WEXITSTATUS(*status), 0);
      EXPECT_EQ(Scalar(db, "SELECT count(*) FROM crawl_runs WHERE status = 'running'"), "0")
          << "an orderly stop finishes its runs";
      EXPECT_EQ(Scalar(db, "SELECT count(*) FROM source_leases"), "0") << "and releases its leases";
    } else {
      EXPECT_TRUE(WIFSIGNALED(*status));
    }
    ExpectConsistent(db, std::string(term ? "SIGTERM" : "SIGKILL") + " at " + std::to_string(at.count()) + " ms");
    if (HasFailure()) break;
  }
  EXPECT_EQ(terms, kStops / 2);
  EXPECT_EQ(CrawlToTheEnd(config), kExitOk);
  ExpectConsistent(db, "after the final crawl");
  EXPECT_EQ(Postings(db), board_.Expected());
}

}  // namespace
}  // namespace jobtrawl::app
