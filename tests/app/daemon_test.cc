// The daemon end to end, in-process: scheduling, restarts, reload, signals
// and service-manager messages, against a board on 127.0.0.1.
#include "app/daemon.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>

#include "crawler/fetcher.h"
#include "support/sqlite_query.h"
#include "support/http_receiver.h"
#include "support/test_server.h"

namespace jobtrawl::app {
namespace {

using jobtrawl::testing::Reply;
using jobtrawl::testing::TestServer;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

std::string Detail(const std::string& id) {
  return R"(<script type="application/ld+json">{"@type":"JobPosting","title":"Job )" + id +
         R"(","identifier":")" + id + R"("}</script>)";
}

class DaemonTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crawler::GlobalInit(); }

  DaemonTest() : server_(ioc_) {
    dir_ = std::filesystem::temp_directory_path() /
           ("jobtrawl-daemon-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    server_.Route("/board", {200, R"(<a href="/jobs/1">1</a><a href="/jobs/2">2</a>)"});
    server_.Route("/jobs/1", {200, Detail("1")});
    server_.Route("/jobs/2", {200, Detail("2")});
    WriteConfig({"alpha"});
  }
  ~DaemonTest() override { std::filesystem::remove_all(dir_); }

  // One source per name, all on the test board.
  void WriteConfig(const std::vector<std::string>& names, const std::string& every = "1h") {
    std::ofstream out(dir_ / "jobtrawl.toml");
    out << "[storage]\ndatabase = \"jobs.db\"\n[http]\ndelay = \"0s\"\nallow_private_networks = true\n";
    for (const auto& name : names) {
      out << "[[source]]\nname = \"" << name << "\"\nstart = [\"" << server_.Url("/board")
          << "\"]\nevery = \"" << every << "\"\nfollow = { detail = \"/jobs/\" }\n";
    }
  }

  DaemonOptions Options() {
    return {.config_path = dir_ / "jobtrawl.toml",
            .parse_threads = 1,
            .shutdown_grace = 2s,
            .startup_spread = 0ms,
            .log = [this](LogLevel, std::string_view line) { log_.emplace_back(line); },
            .notify = [this](const std::string& m) { notes_.push_back(m); }};
  }

  config::Config Config() { return *config::LoadConfig(dir_ / "jobtrawl.toml"); }

  // Runs the daemon on the test's loop; `step` is called after each handler
  // and may stop it. Returns the exit code.
  int RunDaemon(Daemon& daemon, const std::function<void(Daemon&)>& step,
                std::chrono::milliseconds limit = 10s) {
    boost::asio::steady_timer tick(ioc_);
    auto deadline = std::chrono::steady_clock::now() + limit;
    // A tick whose wait completed just before Run returned stays queued on
    // ioc_ (cancel cannot take it back) and runs in the next daemon's Run,
    // after this frame is gone: it checks `running`, its own copy, first.
    auto running = std::make_shared<bool>(true);
    std::function<void()> arm = [&] {
      tick.expires_after(5ms);
      tick.async_wait([&, running](boost::system::error_code ec) {
        if (ec || !*running) return;
        if (std::chrono::steady_clock::now() > deadline) {
          daemon.Stop();
          return;
        }
        step(daemon);
        arm();
      });
    };
    arm();
    int rc = daemon.Run();
    *running = false;
    tick.cancel();
    return rc;
  }

  std::vector<std::string> Column(const std::string& sql) {
    return jobtrawl::testing::QueryColumn(dir_ / "jobs.db", sql);
  }

  std::string Log() const {
    std::string all;
    for (const auto& l : log_) all += l + "\n";
    return all;
  }

  boost::asio::io_context ioc_;
  TestServer server_;
  std::filesystem::path dir_;
  std::vector<std::string> log_;
  std::vector<std::string> notes_;
};

TEST_F(DaemonTest, CrawlsOnScheduleAndStopsCleanly) {
  Daemon daemon(ioc_, Config(), Options());
  int rc = RunDaemon(daemon, [](Daemon& d) {
    if (d.completed_runs() == 1) d.Stop();
  });
  EXPECT_EQ(rc, 0);
  EXPECT_THAT(Column("SELECT count(*) FROM postings"), ::testing::ElementsAre("2"));
  EXPECT_THAT(Column("SELECT status FROM crawl_runs"), ::testing::ElementsAre("ok"));
  // The next run is stored, an hour (± 10%) from now.
  auto next = Column("SELECT next_run_at FROM sources WHERE name = 'alpha'");
  ASSERT_EQ(next.size(), 1u);
  EXPECT_GT(next[0], FormatUtc(Clock::now() + 50min));
  EXPECT_LT(next[0], FormatUtc(Clock::now() + 70min));
  EXPECT_THAT(Log(), HasSubstr("alpha: ok: 3 pages"));
  ASSERT_GE(notes_.size(), 3u);
  EXPECT_THAT(notes_.front(), HasSubstr("READY=1"));
  EXPECT_EQ(notes_.back().rfind("STATUS=", 0) == 0 || notes_.back() == "STOPPING=1", true);
  EXPECT_NE(std::find(notes_.begin(), notes_.end(), "STOPPING=1"), notes_.end());
}

TEST_F(DaemonTest, DeliversAlertsAsPostingsAreStored) {
  // README "Alerts": the daemon's delivery worker sends what each commit queued.
  jobtrawl::testing::HttpReceiver receiver([](int n) { return n == 0 ? 503 : 200; });
  {
    std::ofstream out(dir_ / "jobtrawl.toml", std::ios::app);
    out << "[delivery]\nretry_base = \"1ms\"\nretry_max = \"2ms\"\n"
        << "[[alert]]\nname = \"everything\"\nwebhook = \"" << receiver.Url("/hook") << "\"\n";
  }
  Daemon daemon(ioc_, Config(), Options());
  // Stopped once both rows are marked delivered: the receiver records a
  // request before it answers, and a stop cuts off a POST still waiting
  // for its answer (its row stays undelivered, for the next start).
  int rc = RunDaemon(
      daemon,
      [&](Daemon& d) {
        const auto got = receiver.requests();
        if (std::count_if(got.begin(), got.end(), [](const auto& r) { return r.status == 200; }) == 2 &&
            Column("SELECT count(*) FROM alert_outbox WHERE delivered_at IS NOT NULL") ==
                std::vector<std::string>{"2"}) {
          d.Stop();
        }
      },
      60s);  // a hang guard: it stops as soon as both are delivered
  EXPECT_EQ(rc, 0);
  EXPECT_THAT(Column("SELECT count(*) FROM alert_outbox WHERE delivered_at IS NOT NULL"),
              ::testing::ElementsAre("2"));
  EXPECT_EQ(receiver.requests().size(), 3u);  // one 503, then each posting once
  EXPECT_THAT(Log(), HasSubstr("webhook answered HTTP 503"));
}

TEST_F(DaemonTest, ReloadAppliesNewAlertsAndRejectsAnUnreadableQuery) {
  // Review of issue 14 part 4: SIGHUP read [[alert]] changes into nothing (a
  // new alert was never delivered until a restart).
  jobtrawl::testing::HttpReceiver receiver;
  Daemon daemon(ioc_, Config(), Options());
  int phase = 0;
  RunDaemon(daemon, [&](Daemon& d) {
    if (phase == 0 && d.completed_runs() == 1) {
      phase = 1;
      WriteConfig({"alpha"});
      std::ofstream(dir_ / "jobtrawl.toml", std::ios::app)
          << "[[alert]]\nname = \"broken\"\nquery = \"title:(\"\nwebhook = \"" << receiver.Url("/hook") << "\"\n";
      d.Reload();
    } else if (phase == 1) {
      phase = 2;
      server_.Route("/board", {200, R"(<a href="/jobs/1">1</a><a href="/jobs/2">2</a><a href="/jobs/3">3</a>)"});
      server_.Route("/jobs/3", {200, Detail("3")});
      WriteConfig({"alpha", "beta"});
      std::ofstream(dir_ / "jobtrawl.toml", std::ios::app)
          << "[[alert]]\nname = \"new\"\nwebhook = \"" << receiver.Url("/hook") << "\"\n";
      d.Reload();  // beta is due at once and finds job 3, a new posting
    } else if (phase == 2 && [&] {
                 const auto got = receiver.requests();
                 return std::any_of(got.begin(), got.end(), [](const auto& r) {
                   return r.body.find("\"title\":\"Job 3\"") != std::string::npos;
                 });
               }()) {
      phase = 3;
      d.Stop();
    }
  });
  EXPECT_EQ(phase, 3);
  EXPECT_THAT(Log(), HasSubstr("cannot read the query \"title:(\""));
  EXPECT_THAT(Log(), HasSubstr("reload: 1 alerts"));
  EXPECT_THAT(Column("SELECT DISTINCT alert FROM alert_outbox"), ::testing::ElementsAre("new"));
}

TEST_F(DaemonTest, SigusrOneLogsEverySourcesStatistics) {
  // Issue 13: Scrapy's stats dump, on SIGUSR1, from the daemon's loop.
  WriteConfig({"alpha", "beta"});
  Daemon daemon(ioc_, Config(), Options());
  bool raised = false;
  int rc = RunDaemon(daemon, [&](Daemon& d) {
    if (!raised && d.completed_runs() == 2) {
      raised = true;
      std::raise(SIGUSR1);
    }
    if (Log().find("stats of beta") != std::string::npos) d.Stop();
  });
  EXPECT_EQ(rc, 0);
  EXPECT_THAT(Log(), HasSubstr("stats of alpha (last run): "));
  EXPECT_THAT(Log(), HasSubstr("requests/200: 3;"));
  EXPECT_THAT(Log(), HasSubstr("postings/new: 2;"));
}

TEST_F(DaemonTest, RestartContinuesTheStoredSchedule) {
  // After a crawl the next run is an hour away: a restart does not crawl again.
  {
    Daemon first(ioc_, Config(), Options());
    RunDaemon(first, [](Daemon& d) {
      if (d.completed_runs() == 1) d.Stop();
    });
  }
  const auto hits = server_.Hits("/board");
  Daemon second(ioc_, Config(), Options());
  auto started = std::chrono::steady_clock::now();
  RunDaemon(second, [&](Daemon& d) {
    if (std::chrono::steady_clock::now() - started > 300ms) d.Stop();
  });
  EXPECT_EQ(server_.Hits("/board"), hits);
  EXPECT_THAT(Column("SELECT count(*) FROM crawl_runs"), ::testing::ElementsAre("1"));
  EXPECT_THAT(Log(), HasSubstr("alpha: next crawl at"));
}

TEST_F(DaemonTest, NeverCrawlsOneSourceTwiceAtOnce) {
  // `every` shorter than a crawl: the timer fires while it still runs.
  WriteConfig({"alpha"}, "50ms");
  server_.Route("/jobs/2", {.status = 200, .body = Detail("2"), .delay = 400ms});
  Daemon daemon(ioc_, Config(), Options());
  RunDaemon(daemon, [](Daemon& d) {
    if (d.completed_runs() == 2) d.Stop();
  });
  auto rows = Column("SELECT started_at || ' ' || finished_at FROM crawl_runs ORDER BY id");
  ASSERT_GE(rows.size(), 2u);
  // Runs follow one another: each starts no earlier than the previous finished.
  auto finished = Column("SELECT finished_at FROM crawl_runs ORDER BY id");
  auto started = Column("SELECT started_at FROM crawl_runs ORDER BY id");
  for (size_t i = 1; i < started.size(); ++i) EXPECT_GE(started[i], finished[i - 1]);
  EXPECT_THAT(Column("SELECT count(*) FROM source_leases"), ::testing::ElementsAre("0"));
}

TEST_F(DaemonTest, ReloadAddsSourcesAndSurvivesABadConfig) {
  Daemon daemon(ioc_, Config(), Options());
  int phase = 0;
  RunDaemon(daemon, [&](Daemon& d) {
    if (phase == 0 && d.completed_runs() == 1) {
      phase = 1;
      std::ofstream(dir_ / "jobtrawl.toml") << "[http]\ndelay = 5\n";  // invalid
      ::raise(SIGHUP);  // caught by the daemon's signal_set
    } else if (phase == 1 && Log().find("reload failed") != std::string::npos) {
      phase = 2;
      WriteConfig({"alpha", "beta"});
      d.Reload();
    } else if (phase == 2 && d.completed_runs() == 2) {
      d.Stop();
    }
  });
  EXPECT_EQ(phase, 2);
  EXPECT_THAT(Log(), HasSubstr("reload: "));
  EXPECT_THAT(Log(), HasSubstr("jobtrawl.toml:2:9: \"delay\" must be a duration string"));
  EXPECT_THAT(Log(), HasSubstr("beta: added"));
  EXPECT_THAT(Column("SELECT name FROM sources ORDER BY name"), ::testing::ElementsAre("alpha", "beta"));
  EXPECT_NE(std::find(notes_.begin(), notes_.end(), "RELOADING=1"), notes_.end());
}

TEST_F(DaemonTest, SigtermDuringACrawlLeavesAConsistentDatabase) {
  // Stopped mid-crawl: the run is marked interrupted, what was fetched is
  // stored, and the next start picks up the source again.
  server_.Route("/jobs/2", {.status = 200, .body = Detail("2"), .delay = 5s});
  DaemonOptions options = Options();
  options.shutdown_grace = 200ms;  // the slow transfer is cut after this
  Daemon daemon(ioc_, Config(), options);
  bool signalled = false;
  int rc = RunDaemon(daemon, [&](Daemon&) {
    if (!signalled && server_.Hits("/jobs/2") == 1 && server_.Hits("/jobs/1") == 1) {
      signalled = true;
      ::raise(SIGTERM);
    }
  });
  EXPECT_EQ(rc, 0);
  EXPECT_THAT(Column("SELECT status FROM crawl_runs"), ::testing::ElementsAre("interrupted"));
  EXPECT_THAT(Column("SELECT count(*) FROM source_leases"), ::testing::ElementsAre("0"));
  EXPECT_THAT(Column("PRAGMA integrity_check"), ::testing::ElementsAre("ok"));
  // An interrupted run stored no next time: the next start crawls it again.
  server_.Route("/jobs/2", {200, Detail("2")});
  Daemon again(ioc_, Config(), Options());
  RunDaemon(again, [](Daemon& d) {
    if (d.completed_runs() == 1) d.Stop();
  });
  EXPECT_THAT(Column("SELECT status FROM crawl_runs ORDER BY id"), ::testing::ElementsAre("interrupted", "ok"));
  EXPECT_THAT(Column("SELECT count(*) FROM postings"), ::testing::ElementsAre("2"));
}

TEST_F(DaemonTest, NotifiesTheServiceManagerOverItsSocket) {
  // The real sd_notify path: NOTIFY_SOCKET names a datagram socket we read.
  auto path = dir_ / "notify.sock";
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  ::setenv("WATCHDOG_USEC", "100000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  DaemonOptions options = Options();
  options.notify = nullptr;  // the default: sd_notify(3)
  Daemon daemon(ioc_, Config(), options);
  RunDaemon(daemon, [](Daemon& d) {
    if (d.completed_runs() == 1) d.Stop();
  });
  ::unsetenv("NOTIFY_SOCKET");
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
  std::vector<std::string> got;
  char buf[4096];
  while (true) {
    ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) break;
    got.emplace_back(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  std::string all;
  for (const auto& g : got) all += g + "\n";
  EXPECT_THAT(all, HasSubstr("READY=1"));
  EXPECT_THAT(all, HasSubstr("STATUS=1 sources, 0 crawling, 1 runs done; last: alpha ok"));
  EXPECT_THAT(all, HasSubstr("WATCHDOG=1"));
  EXPECT_THAT(all, HasSubstr("STOPPING=1"));
}

TEST(LogTest, JournalLinesCarryPriorityPrefixes) {
  EXPECT_EQ(FormatLogLine(LogLevel::kError, "db\nfailed", true), "<3>db failed");
  EXPECT_EQ(FormatLogLine(LogLevel::kInfo, "crawling", true), "<6>crawling");
  EXPECT_THAT(FormatLogLine(LogLevel::kWarning, "slow", false), ::testing::EndsWith("Z warning slow"));
}

}  // namespace
}  // namespace jobtrawl::app
