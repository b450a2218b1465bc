// The daemon as a fleet node, in-process (issue 15 part 2): on a
// postgresql:// database it puts its sources on the shared schedule, a
// reload (SIGHUP) adds the new ones, and Stop (SIGTERM) leaves the fleet.
// The three-process test is fleet_e2e_test.cc.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/daemon.h"
#include "crawler/fetcher.h"
#include "storage/pg/connection.h"
#include "support/http_get.h"
#include "support/pg_server.h"
#include "support/test_server.h"

namespace jobtrawl::app {
namespace {

namespace asio = boost::asio;
namespace pg = storage::pg;
using jobtrawl::testing::PgTest;
using namespace std::chrono_literals;

// Runs the daemon on `ioc` while `steps` run in turn on its loop, each
// once the last one returned true (checked every 20 ms); a step that does
// not come within `limit` fails the test and stops the daemon. `step` is
// the number of steps done.
int RunSteps(Daemon& daemon, asio::io_context& ioc, std::vector<std::function<bool()>>& steps, std::size_t& step,
             std::chrono::seconds limit = std::chrono::seconds(60)) {
  asio::steady_timer poll(ioc);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::function<void()> next = [&] {
    while (step < steps.size() && steps[step]()) ++step;
    if (step == steps.size()) return;
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "step " << step << " did not happen";
      daemon.Stop();
      return;
    }
    poll.expires_after(20ms);
    poll.async_wait([&](boost::system::error_code ec) {
      if (!ec) next();
    });
  };
  next();
  return daemon.Run();
}

class FleetDaemonTest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    crawler::GlobalInit();
    dir_ = std::filesystem::temp_directory_path() / ("jobtrawl-fleet-daemon-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // Sources named `names`, every hour (none due during the test unless
  // the test makes it so); `start` overrides a source's start page.
  void WriteConfig(const std::vector<std::string>& names, const std::map<std::string, std::string>& start = {}) {
    std::ofstream out(dir_ / "jobtrawl.toml");
    out << "[storage]\ndatabase = \"" << url_ << "\"\n[node]\nname = \"test-node\"\npoll = \"50ms\"\n"
        << "lease_ttl = \"1s\"\n[http]\nallow_private_networks = true\n";
    for (const auto& n : names) {
      const std::string page = start.contains(n) ? start.at(n) : "http://127.0.0.1:9/" + n;
      out << "[[source]]\nname = \"" << n << "\"\nstart = [\"" << page << "\"]\nevery = \"1h\"\n";
    }
  }

  // The daemon as the tests run it, logging into `log_`.
  DaemonOptions Options() {
    return DaemonOptions{.config_path = dir_ / "jobtrawl.toml",
                         .parse_threads = 1,
                         .log =
                             [this](LogLevel, std::string_view line) {
                               std::lock_guard lock(log_mu_);
                               log_.emplace_back(line);
                             },
                         .notify = [](const std::string&) {}};
  }

  // The step that waits for `n` more heartbeats of the node (the node's
  // thread went on that long; lease_ttl 1s: one every 333 ms).
  std::function<bool()> Heartbeats(pg::Connection& db, int n) {
    auto seen = std::make_shared<std::vector<std::int64_t>>();
    return [this, &db, n, seen] {
      const std::int64_t at = Count(db, "SELECT fleet_us(heartbeat_at) FROM nodes WHERE name = 'test-node'");
      if (seen->empty() || seen->back() != at) seen->push_back(at);
      return static_cast<int>(seen->size()) > n;
    };
  }

  std::mutex log_mu_;  // the node's thread logs too
  std::vector<std::string> log_;

  std::int64_t Count(pg::Connection& c, const std::string& sql) {
    auto r = c.Exec(sql);
    return r ? r->Int64(0, 0).value_or(-1) : -1;  // -1 until the schema is there
  }

  std::filesystem::path dir_;
};

TEST_F(FleetDaemonTest, SchedulesItsSourcesAddsNewOnesOnReloadAndLeavesOnStop) {
  WriteConfig({"one"});
  auto config = config::LoadConfig(dir_ / "jobtrawl.toml");
  ASSERT_TRUE(config.has_value());
  asio::io_context ioc;
  std::mutex log_mu;  // the node's thread logs too
  std::vector<std::string> log;
  Daemon daemon(ioc, *config,
                DaemonOptions{.config_path = dir_ / "jobtrawl.toml",
                              .parse_threads = 1,
                              .log =
                                  [&](LogLevel, std::string_view line) {
                                    std::lock_guard lock(log_mu);
                                    log.emplace_back(line);
                                  },
                              .notify = [](const std::string&) {}});
  auto db = pg::Connection::Open(url_);
  ASSERT_TRUE(db.has_value()) << db.error().message;

  // The steps, each once the database shows the last one took effect
  // (read every 20 ms on the daemon's loop).
  const std::string names = "SELECT count(*) FROM source_schedule ss JOIN sources s ON s.id = ss.source_id ";
  std::vector<std::function<bool()>> steps = {
      [&] { return Count(*db, names + "WHERE s.name = 'one'") == 1; },
      [&] {
        WriteConfig({"one", "two"});
        daemon.Reload();
        return true;
      },
      [&] { return Count(*db, names + "WHERE s.name = 'two'") == 1; },
      [&] {
        daemon.Stop();
        return true;
      },
  };
  std::size_t step = 0;
  EXPECT_EQ(RunSteps(daemon, ioc, steps, step), 0);
  EXPECT_EQ(step, steps.size());
  EXPECT_EQ(Count(*db, "SELECT count(*) FROM source_schedule"), 2);
  EXPECT_EQ(Count(*db, "SELECT count(*) FROM nodes WHERE name = 'test-node' AND stopped_at IS NOT NULL"), 1);
  EXPECT_EQ(Count(*db, "SELECT count(*) FROM source_schedule WHERE lease_owner IS NOT NULL"), 0);
  // Every line of the daemon's names the node.
  bool serving = false;
  std::lock_guard lock(log_mu);
  for (const auto& line : log) {
    EXPECT_TRUE(line.starts_with("node test-node: ")) << line;
    serving |= line.find("as a fleet node") != std::string::npos;
  }
  EXPECT_TRUE(serving);
}

TEST_F(FleetDaemonTest, AReloadThatDropsASourceStopsThisNodeClaimingIt) {
  // The node's source list follows its config: once a reload drops "one",
  // this node no longer claims it though it is due (another node whose
  // config still has it would), and nothing counts it as failing.
  WriteConfig({"one", "two"});
  auto config = config::LoadConfig(dir_ / "jobtrawl.toml");
  ASSERT_TRUE(config.has_value());
  asio::io_context ioc;
  Daemon daemon(ioc, *config, Options());
  auto db = pg::Connection::Open(url_);
  ASSERT_TRUE(db.has_value()) << db.error().message;
  const std::string listed =
      "SELECT count(*) FROM node_sources ns JOIN sources s ON s.id = ns.source_id WHERE ns.node = 'test-node' ";
  const std::string one = "(SELECT id FROM sources WHERE name = 'one')";
  std::vector<std::function<bool()>> steps = {
      [&] { return Count(*db, listed) == 2; },
      [&] {
        WriteConfig({"two"});
        daemon.Reload();
        return true;
      },
      [&] { return Count(*db, listed + "AND s.name = 'one'") == 0 && Count(*db, listed) == 1; },
      [&] {
        return Count(*db, "WITH u AS (UPDATE source_schedule SET next_run_at = now() - interval '1 minute'"
                          " WHERE source_id = " + one + " RETURNING 1) SELECT count(*) FROM u") == 1;
      },
      Heartbeats(*db, 2),  // many polls' time
      [&] {
        daemon.Stop();
        return true;
      },
  };
  std::size_t step = 0;
  EXPECT_EQ(RunSteps(daemon, ioc, steps, step), 0);
  EXPECT_EQ(step, steps.size());
  EXPECT_EQ(Count(*db, "SELECT lease_token FROM source_schedule WHERE source_id = " + one), 0);
  EXPECT_EQ(Count(*db, "SELECT attempts FROM source_schedule WHERE source_id = " + one), 0);
}

TEST_F(FleetDaemonTest, ADrainingNodeClaimsNothingMoreAndGivesBackTheCrawlItCut) {
  // SIGTERM while "slow" is being crawled (its page held by the server):
  // a source that falls due during the drain is not claimed, the cut crawl
  // is given back (due again at once for the other nodes, not a failure),
  // and the process exits once it is.
  asio::io_context server_ioc;
  jobtrawl::testing::TestServer server(server_ioc);
  std::promise<void> let_go;
  std::shared_future<void> go = let_go.get_future().share();
  std::atomic<bool> asked{false};
  server.Handle("/slow", [&](const jobtrawl::testing::RecordedRequest&) {
    asked = true;
    go.wait_for(30s);
    return jobtrawl::testing::Reply{.body = "<html><body>slow</body></html>"};
  });
  auto work = asio::make_work_guard(server_ioc);
  std::thread server_thread([&] { server_ioc.run(); });
  struct Join {
    std::function<void()> f;
    ~Join() { f(); }
  } join{[&] {
    try {
      let_go.set_value();
    } catch (const std::future_error&) {
    }
    work.reset();
    server_ioc.stop();
    server_thread.join();
  }};

  WriteConfig({"slow", "later"}, {{"slow", server.Url("/slow")}});
  auto config = config::LoadConfig(dir_ / "jobtrawl.toml");
  ASSERT_TRUE(config.has_value());
  asio::io_context ioc;
  DaemonOptions options = Options();
  options.shutdown_grace = 60s;  // the drain waits for the held page
  Daemon daemon(ioc, *config, options);
  auto db = pg::Connection::Open(url_);
  ASSERT_TRUE(db.has_value()) << db.error().message;
  auto id = [](const std::string& name) { return "(SELECT id FROM sources WHERE name = '" + name + "')"; };
  auto make_due = [&](const std::string& name) {
    return Count(*db, "WITH u AS (UPDATE source_schedule SET next_run_at = now() - interval '1 minute'"
                      " WHERE source_id = " + id(name) + " RETURNING 1) SELECT count(*) FROM u") == 1;
  };
  std::vector<std::function<bool()>> steps = {
      [&] { return Count(*db, "SELECT count(*) FROM node_sources WHERE node = 'test-node'") == 2; },
      [&] { return make_due("slow"); },
      [&] { return asked.load(); },
      [&] {
        daemon.Stop();
        return true;
      },
      // The stop reaches the node's thread as a posted handler (a claim
      // may be under way as it comes): a heartbeat begun after one that
      // ended after the stop runs after it, so "later" falls due only once
      // the node claims nothing more (it was claimed now and then).
      Heartbeats(*db, 2),
      [&] { return make_due("later"); },
      Heartbeats(*db, 2),  // many polls' time
      [&] {
        let_go.set_value();
        return true;
      },
  };
  std::size_t step = 0;
  EXPECT_EQ(RunSteps(daemon, ioc, steps, step), 0);
  EXPECT_EQ(step, steps.size());
  EXPECT_EQ(Count(*db, "SELECT lease_token FROM source_schedule WHERE source_id = " + id("later")), 0);
  EXPECT_EQ(Count(*db, "SELECT count(*) FROM source_schedule WHERE source_id = " + id("slow") +
                           " AND lease_owner IS NULL AND lease_token = 1 AND attempts = 0"
                           " AND next_run_at < now()"),
            1);
  EXPECT_EQ(Count(*db, "SELECT count(*) FROM nodes WHERE name = 'test-node' AND stopped_at IS NOT NULL"), 1);
  std::lock_guard lock(log_mu_);
  bool left = false;
  for (const auto& line : log_) left |= line.find("left the fleet, giving back 0 leases") != std::string::npos;
  EXPECT_TRUE(left);
}

TEST_F(FleetDaemonTest, DeliversTheAlertsOfWhatItStored) {
  // Issue 15 part 1: a fleet node queued its [[alert]] events in
  // alert_outbox and never delivered them ("not delivered from a
  // PostgreSQL database yet"); now its writer notes what it stores and its
  // delivery worker sends it, as a single daemon on SQLite does.
  asio::io_context ioc;
  jobtrawl::testing::TestServer server(ioc);
  server.Route("/board", {200, "<ul><li class=\"job\"><h2>Platform Engineer</h2></li>"
                               "<li class=\"job\"><h2>Designer</h2></li></ul>"});
  const std::filesystem::path got = dir_ / "alerts.jsonl";
  {
    std::ofstream out(dir_ / "jobtrawl.toml");
    out << "[storage]\ndatabase = \"" << url_ << "\"\n[node]\nname = \"test-node\"\npoll = \"50ms\"\n"
        << "[http]\nallow_private_networks = true\ndelay = \"0s\"\n"
        << "[[source]]\nname = \"acme\"\nstart = [\"" << server.Url("/board") << "\"]\nevery = \"1s\"\n"
        << "item = \"li.job\"\nfields = { title = \"h2\" }\n"
        << "[[alert]]\nname = \"engineers\"\nquery = \"engineer\"\ncommand = [\"sh\", \"-c\", \"cat >> \\\"$0\\\"\", \""
        << got.string() << "\"]\n";
  }
  auto config = config::LoadConfig(dir_ / "jobtrawl.toml");
  ASSERT_TRUE(config.has_value()) << config.error().front().ToString();
  Daemon daemon(ioc, *config,
                DaemonOptions{.config_path = dir_ / "jobtrawl.toml",
                              .parse_threads = 1,
                              .log = [](LogLevel, std::string_view) {},
                              .notify = [](const std::string&) {}});
  auto db = pg::Connection::Open(url_);
  ASSERT_TRUE(db.has_value()) << db.error().message;
  asio::steady_timer poll(ioc);
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  bool delivered = false;
  std::function<void()> check = [&] {
    delivered = Count(*db, "SELECT count(*) FROM alert_outbox WHERE delivered_at IS NOT NULL") >= 1;
    if (delivered || std::chrono::steady_clock::now() > deadline) {
      daemon.Stop();
      return;
    }
    poll.expires_after(20ms);
    poll.async_wait([&](boost::system::error_code ec) {
      if (!ec) check();
    });
  };
  check();
  EXPECT_EQ(daemon.Run(), 0);
  ASSERT_TRUE(delivered) << "no alert was delivered within 60 s";
  EXPECT_EQ(Count(*db, "SELECT count(*) FROM alert_outbox"), 1);  // the engineer only
  std::ifstream in(got);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_NE(line.find("\"title\":\"Platform Engineer\""), std::string::npos) << line;
}

// Issue 15 (left alone at stop 23): an outage of the database reaches the
// daemon's metrics. The writer's availability events were checked alone
// (FleetWriterOutageTest) and the gauge alone (MetricsTest); this checks
// that the daemon wires one to the other. The node's server is its own, so
// the test can stop it: the board answers its one job only once the server
// is down, so that job's write is what meets the outage.
TEST(FleetDaemonOutageTest, MetricsShowAnOutageOfTheDatabaseWhileItLasts) {
  jobtrawl::testing::PgServer server;
  JOBTRAWL_REQUIRE_SERVER(server);
  const std::string url = server.CreateDatabase();
  ASSERT_FALSE(url.empty());
  crawler::GlobalInit();
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("jobtrawl-fleet-outage-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  // The board, on a thread of its own: its job page waits for `release`.
  asio::io_context board_ioc;
  jobtrawl::testing::TestServer board(board_ioc);
  std::promise<void> asked_promise;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::future<void> asked = asked_promise.get_future();
  board.Route("/board", {200, R"(<a href="/jobs/1">1</a>)"});
  std::atomic<bool> was_asked = false;
  board.Handle("/jobs/1", [&, released](const jobtrawl::testing::RecordedRequest&) {
    if (!was_asked.exchange(true)) asked_promise.set_value();
    released.wait();
    return jobtrawl::testing::Reply{
        200, R"(<script type="application/ld+json">{"@type":"JobPosting","title":"Job 1","identifier":"1"}</script>)"};
  });
  struct Serving {
    asio::io_context& ioc;
    std::promise<void>& release;
    asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(ioc);
    std::thread thread{[this] { ioc.run(); }};
    ~Serving() {
      try {
        release.set_value();  // the handler may still wait
      } catch (const std::future_error&) {
      }
      work.reset();
      ioc.stop();
      thread.join();
    }
  } serving{board_ioc, release};

  std::ofstream(dir / "jobtrawl.toml")
      << "[storage]\ndatabase = \"" << url << "\"\nretry_budget = \"1s\"\n"
      << "[node]\nname = \"outage-node\"\npoll = \"50ms\"\nlease_ttl = \"1m\"\n"
      << "[metrics]\nlisten = \"127.0.0.1:0\"\n"
      << "[http]\ndelay = \"0s\"\nobey_robots = false\nallow_private_networks = true\n"
      << "[[source]]\nname = \"board\"\nstart = [\"" << board.Url("/board")
      << "\"]\nevery = \"1h\"\nfollow = { detail = \"/jobs/\" }\n";
  auto config = config::LoadConfig(dir / "jobtrawl.toml");
  ASSERT_TRUE(config.has_value());
  asio::io_context ioc;
  Daemon daemon(ioc, *config,
                DaemonOptions{.config_path = dir / "jobtrawl.toml",
                              .parse_threads = 1,
                              .shutdown_grace = 2s,
                              .log = [](LogLevel, std::string_view) {},
                              .notify = [](const std::string&) {}});

  // Scrapes on another thread (the metrics are served from this loop); a
  // step is done once a scrape holds `want`.
  std::future<std::pair<int, std::string>> scrape;
  std::string last_scrape;
  auto scraped = [&](const std::vector<std::string>& want) {
    if (!scrape.valid()) {
      scrape = std::async(std::launch::async,
                          [port = daemon.metrics_port()] { return jobtrawl::testing::HttpGet(port, "/metrics"); });
      return false;
    }
    if (scrape.wait_for(0s) != std::future_status::ready) return false;
    last_scrape = scrape.get().second;
    for (const auto& line : want) {
      if (last_scrape.find("\n" + line + "\n") == std::string::npos) return false;
    }
    return true;
  };
  std::vector<std::function<bool()>> steps = {
      [&] { return asked.wait_for(0s) == std::future_status::ready; },
      [&] {
        // What the node committed (its claim, the run) outlives the kill:
        // the test server commits asynchronously.
        auto c = pg::Connection::Open(url);
        EXPECT_TRUE(c && c->Exec("CHECKPOINT"));
        server.Kill();
        release.set_value();
        return true;
      },
      [&] { return scraped({"jobtrawl_store_unavailable 1", "jobtrawl_store_outages_total 1"}); },
      [&] {
        EXPECT_TRUE(server.Start()) << server.why();
        return true;
      },
      [&] { return scraped({"jobtrawl_store_unavailable 0", "jobtrawl_store_outages_total 1"}); },
      [&] {
        daemon.Stop();
        return true;
      },
  };
  std::size_t step = 0;
  EXPECT_EQ(RunSteps(daemon, ioc, steps, step, 90s), 0);
  if (step < steps.size()) ADD_FAILURE() << "last scrape:\n" << last_scrape;
  EXPECT_EQ(step, steps.size());
  if (scrape.valid()) scrape.wait();
  // The write held through the outage is stored once.
  auto db = pg::Connection::Open(url);
  ASSERT_TRUE(db.has_value()) << db.error().message;
  auto n = db->Exec("SELECT count(*) FROM listings");
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->Int64(0, 0), 1);
  if (!HasFailure()) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace jobtrawl::app
