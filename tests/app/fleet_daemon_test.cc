// The daemon as a fleet node, in-process (issue 15 part 2): on a
// postgresql:// database it puts its sources on the shared schedule, a
// reload (SIGHUP) adds the new ones, and Stop (SIGTERM) leaves the fleet.
// The three-process test is fleet_e2e_test.cc.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "app/daemon.h"
#include "crawler/fetcher.h"
#include "storage/pg/connection.h"
#include "support/pg_server.h"
#include "support/test_server.h"

namespace jobtrawl::app {
namespace {

namespace asio = boost::asio;
namespace pg = storage::pg;
using jobtrawl::testing::PgTest;
using namespace std::chrono_literals;

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

  // Sources named `names`, every hour (none due during the test).
  void WriteConfig(const std::vector<std::string>& names) {
    std::ofstream out(dir_ / "jobtrawl.toml");
    out << "[storage]\ndatabase = \"" << url_ << "\"\n[node]\nname = \"test-node\"\npoll = \"50ms\"\n"
        << "[http]\nallow_private_networks = true\n";
    for (const auto& n : names) {
      out << "[[source]]\nname = \"" << n << "\"\nstart = [\"http://127.0.0.1:9/" << n << "\"]\nevery = \"1h\"\n";
    }
  }

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
  asio::steady_timer poll(ioc);
  const auto deadline = std::chrono::steady_clock::now() + 60s;
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
  EXPECT_EQ(daemon.Run(), 0);
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

}  // namespace
}  // namespace jobtrawl::app
