// `jobtrawl crawl` on PostgreSQL when the server goes away (issue 15): the
// built binary (JOBTRAWL_BINARY) crawls a board on 127.0.0.1 into a
// throwaway server of its own (support/pg_server.h), which the test kills
// mid-crawl; then the crawl is interrupted. The board's server runs on a
// thread of its own; the test waits for database state, read every 20 ms
// (a row of another process is no event it can wait on).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "storage/pg/connection.h"
#include "support/child_process.h"
#include "support/pg_server.h"
#include "support/test_server.h"

namespace jobtrawl {
namespace {

namespace pg = storage::pg;
using jobtrawl::testing::ChildProcess;
using jobtrawl::testing::Reply;
using jobtrawl::testing::TestServer;
using namespace std::chrono_literals;

std::string Detail(const std::string& id) {
  return R"(<script type="application/ld+json">{"@type":"JobPosting","title":"Job )" + id +
         R"(","identifier":")" + id + R"("}</script>)";
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(CrawlOutageTest, AnInterruptedCrawlEndsWhileTheDatabaseIsUnreachable) {
  // Issue 15 (review of nolose): interrupted during an outage, a crawl
  // joined its parse threads (which may wait on the writer's full queue)
  // and then stopped the writer, which, stopping, tries an unreachable
  // database again within its retry budget ([storage] retry_budget, 1 h
  // here). It now stops the writer waiting for the database first
  // (StoreWriter::StopWaitingForDatabase): the crawl ends after its grace
  // period, and the writes held are said lost.
  jobtrawl::testing::PgServer server;
  JOBTRAWL_REQUIRE_SERVER(server);
  const std::string url = server.CreateDatabase();
  ASSERT_FALSE(url.empty());
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("jobtrawl-crawl-outage-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  boost::asio::io_context ioc;
  TestServer board(ioc);
  board.Route("/board", {200, R"(<a href="/jobs/1">1</a><a href="/jobs/2">2</a>)"});
  board.Route("/jobs/1", {200, Detail("1")});
  board.Route("/jobs/2", {.stall = true});  // the crawl is still running when the server goes
  // The board's server thread, stopped and joined however the test returns
  // (a failed assertion included).
  struct Serving {
    boost::asio::io_context& ioc;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work =
        boost::asio::make_work_guard(ioc);
    std::thread thread{[this] { ioc.run(); }};
    ~Serving() {
      work.reset();
      ioc.stop();
      thread.join();
    }
  } serving{ioc};
  {
    std::ofstream out(dir / "jobtrawl.toml");
    out << "[storage]\ndatabase = \"" << url << "\"\nretry_budget = \"1h\"\n"
        << "[http]\ndelay = \"0s\"\nobey_robots = false\nallow_private_networks = true\n"
        << "[[source]]\nname = \"board\"\nstart = [\"" << board.Url("/board")
        << "\"]\nevery = \"1h\"\nfollow = { detail = \"/jobs/\" }\n";
  }
  std::optional<int> status;
  {
    ChildProcess crawl({"crawl", "-c", (dir / "jobtrawl.toml").string()}, dir / "crawl.log");
    // Job 1 is stored while job 2 waits for its page.
    auto db = pg::Connection::Open(url);
    ASSERT_TRUE(db.has_value()) << db.error().message;
    bool stored = false;
    for (auto cap = std::chrono::steady_clock::now() + 60s; !stored && std::chrono::steady_clock::now() < cap;) {
      auto n = db->Exec("SELECT count(*) FROM listings");  // fails until the crawl made the schema
      stored = n && n->Int64(0, 0) == 1;
      if (!stored) std::this_thread::sleep_for(20ms);
    }
    ASSERT_TRUE(stored) << ReadFile(dir / "crawl.log");
    server.Kill();
    crawl.Signal(SIGINT);
    // The bound only turns a hang into a failure: it ends after its 10 s
    // grace period.
    status = crawl.Wait(90s);
  }  // SIGKILLed here if it hangs
  const std::string log = ReadFile(dir / "crawl.log");
  ASSERT_TRUE(status.has_value()) << "the interrupted crawl did not end\n" << log;
  EXPECT_TRUE(WIFEXITED(*status)) << (WIFSIGNALED(*status) ? "killed by signal " + std::to_string(WTERMSIG(*status)) : "")
                                  << "\n" << log;
  EXPECT_EQ(WEXITSTATUS(*status), 1) << log;  // not all ok: interrupted
  EXPECT_NE(log.find("the database is unavailable"), std::string::npos) << log;
  EXPECT_NE(log.find("not stored and are lost"), std::string::npos) << log;
  if (!HasFailure()) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace jobtrawl
