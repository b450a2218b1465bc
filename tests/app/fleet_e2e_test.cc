// The multi-node test (issue 15 part 4): three `jobtrawl run` processes of
// the built binary (JOBTRAWL_BINARY) as fleet nodes on one PostgreSQL
// database, crawling a board spread over 49 loopback hosts (127.0.0.2 ...
// 127.0.0.50, two sources per host, each host with a per-host delay).
//
// node-c starts alone, claims its share (capacity 4) and gets stuck on the
// detail pages (the servers never answer its requests for them); then
// node-a and node-b start and node-c is killed with SIGKILL mid-crawl. Its
// leases expire (lease_ttl 2s) and the others finish its sources. Checked:
// every page is fetched exactly once by the surviving nodes in the round,
// every source has one finished run and every posting is stored (nothing
// lost), no host gets two requests closer than its delay from all the
// nodes together (the shared host budget, less the slot rule's slack), and
// SIGTERM drains the survivors (no lease left, nodes stopped). The servers run on a thread of their own, so the times they
// record requests at do not depend on what the test thread does; the test
// waits for database state and recorded requests, reading both every
// 20 ms (there is no event to wait on for a row of another process).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <future>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "storage/pg/connection.h"
#include "support/child_process.h"
#include "support/pg_server.h"
#include "support/test_server.h"

namespace jobtrawl {
namespace {

namespace pg = storage::pg;
using jobtrawl::testing::ChildProcess;
using jobtrawl::testing::PgTest;
using jobtrawl::testing::Reply;
using jobtrawl::testing::TestServer;
using namespace std::chrono_literals;

constexpr int kFirstHost = 2;
constexpr int kLastHost = 50;
constexpr int kSourcesPerHost = 2;
constexpr int kJobsPerSource = 2;
constexpr int kSources = (kLastHost - kFirstHost + 1) * kSourcesPerHost;
constexpr auto kHostDelay = 100ms;
// Requests to a host are sent at the starts of slots reserved `delay`
// apart on the database's timeline; two nodes' requests in neighbouring
// slots may come closer by the difference of their delays between the
// reservation's reply and the send (storage/work_rules.h "Per-host request
// budget"), and the servers read a request when their thread gets to it,
// which on a loaded machine shortens a recorded gap too. Half the delay of
// slack still fails nodes that pace only themselves (two nodes on one
// host: gaps near 0) or crawl a host at twice its rate.
constexpr auto kDelaySlack = kHostDelay / 2;

std::string Detail(const std::string& id) {
  return R"(<script type="application/ld+json">{"@type":"JobPosting","title":"Job )" + id +
         R"(","identifier":")" + id + R"("}</script>)";
}

std::string Agent(const std::string& node) { return "jobtrawl-fleet-test " + node; }

class FleetE2ETest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    dir_ = std::filesystem::temp_directory_path() /
           ("jobtrawl-fleet-e2e-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    for (int h = kFirstHost; h <= kLastHost; ++h) {
      auto server = std::make_unique<TestServer>(ioc_, "127.0.0." + std::to_string(h));
      for (int k = 1; k <= kSourcesPerHost; ++k) {
        const std::string prefix = "/jobs/" + std::to_string(h) + "-" + std::to_string(k) + "-";
        std::string board;
        for (int j = 1; j <= kJobsPerSource; ++j) {
          const std::string id = std::to_string(h) + "-" + std::to_string(k) + "-" + std::to_string(j);
          board += "<a href=\"/jobs/" + id + "\">" + id + "</a>";
          // node-c never gets an answer for a detail page: it is mid-crawl
          // when it is killed.
          server->Handle("/jobs/" + id, [id](const jobtrawl::testing::RecordedRequest& r) {
            auto ua = r.headers.find("user-agent");
            Reply reply{200, Detail(id)};
            if (ua != r.headers.end() && ua->second == Agent("node-c")) reply.stall = true;
            return reply;
          });
        }
        server->Route("/board-" + std::to_string(k), {200, board});
      }
      servers_.push_back(std::move(server));
    }
    server_thread_ = std::thread([this] { ioc_.run(); });
    auto db = pg::Connection::Open(url_);
    ASSERT_TRUE(db.has_value()) << db.error().message;
    db_.emplace(std::move(*db));
  }

  void TearDown() override {
    nodes_.clear();  // SIGKILL whatever still runs
    work_.reset();
    ioc_.stop();
    if (server_thread_.joinable()) server_thread_.join();
    servers_.clear();
    // A failure keeps the nodes' logs and configs for a look.
    if (HasFailure()) {
      std::cerr << "kept " << dir_ << "\n";
    } else if (!dir_.empty()) {
      std::filesystem::remove_all(dir_);
    }
  }

  void WriteConfig(const std::string& node, int capacity) {
    std::ofstream out(dir_ / (node + ".toml"));
    out << "[storage]\ndatabase = \"" << url_ << "\"\n"
        << "[node]\nname = \"" << node << "\"\nlease_ttl = \"2s\"\npoll = \"50ms\"\ncapacity = " << capacity
        << "\n[http]\nuser_agent = \"" << Agent(node) << "\"\ndelay = \"" << kHostDelay.count()
        << "ms\"\nobey_robots = false\nallow_private_networks = true\n";
    for (const auto& server : servers_) {
      for (int k = 1; k <= kSourcesPerHost; ++k) {
        out << "[[source]]\nname = \"" << server->address() << "-" << k << "\"\nstart = [\""
            << server->Url("/board-" + std::to_string(k)) << "\"]\nevery = \"1h\"\n"
            << "follow = { detail = \"/jobs/\" }\n";
      }
    }
  }

  ChildProcess& StartNode(const std::string& node, int capacity) {
    WriteConfig(node, capacity);
    nodes_[node] = std::make_unique<ChildProcess>(
        std::vector<std::string>{"run", "-c", (dir_ / (node + ".toml")).string(), "--parse-threads", "1"},
        dir_ / (node + ".log"));
    return *nodes_[node];
  }

  std::int64_t Count(const std::string& sql) {
    auto r = db_->Exec(sql);
    if (!r) return -1;  // the schema may not be there yet
    return r->Int64(0, 0).value_or(-1);
  }

  // Waits for `done`, checking it every 20 ms.
  bool Until(const std::function<bool()>& done, std::chrono::seconds limit = 90s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(20ms);
    }
    return true;
  }

  // What `s` recorded so far, copied on the servers' thread.
  std::vector<jobtrawl::testing::RecordedRequest> Requests(const TestServer& s) {
    std::promise<std::vector<jobtrawl::testing::RecordedRequest>> copy;
    boost::asio::post(ioc_, [&] { copy.set_value(s.requests()); });
    return copy.get_future().get();
  }

  std::vector<jobtrawl::testing::RecordedRequest> RequestsBy(const std::string& node, const TestServer& s) {
    std::vector<jobtrawl::testing::RecordedRequest> out;
    for (const auto& r : Requests(s)) {
      auto ua = r.headers.find("user-agent");
      if (ua != r.headers.end() && ua->second == Agent(node)) out.push_back(r);
    }
    return out;
  }

  std::string Log(const std::string& node) {
    std::ifstream in(dir_ / (node + ".log"));
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(ioc_);
  std::thread server_thread_;
  std::vector<std::unique_ptr<TestServer>> servers_;
  std::filesystem::path dir_;
  std::optional<pg::Connection> db_;
  std::map<std::string, std::unique_ptr<ChildProcess>> nodes_;
};

TEST_F(FleetE2ETest, ThreeNodesShareTheBoardAndAKilledNodeLosesNothing) {
  // node-c alone: it registers every source, makes the round due and
  // claims its share; its detail pages never answer.
  ChildProcess& c = StartNode("node-c", 4);
  ASSERT_TRUE(Until([&] { return Count("SELECT count(*) FROM source_schedule") == kSources; }))
      << Log("node-c");
  // The crawl round starts now for every source (a new source is first due
  // somewhere within its interval).
  ASSERT_TRUE(db_->Exec("UPDATE source_schedule SET next_run_at = now()").has_value());
  ASSERT_TRUE(Until([&] {
    int details = 0;
    for (const auto& s : servers_) {
      for (const auto& r : RequestsBy("node-c", *s)) details += r.target.starts_with("/jobs/");
    }
    return details > 0;
  })) << Log("node-c");
  ASSERT_EQ(Count("SELECT count(*) FROM source_schedule WHERE lease_owner = 'node-c'"), 4);

  StartNode("node-a", 8);
  StartNode("node-b", 8);
  ASSERT_TRUE(Until([&] { return Count("SELECT count(*) FROM nodes WHERE stopped_at IS NULL") == 3; }))
      << Log("node-a") << Log("node-b");
  // node-c dies mid-crawl, holding four leases.
  c.Signal(SIGKILL);
  ASSERT_TRUE(c.Wait(30s).has_value());

  // Every source's round ends with a success, released by a live node.
  ASSERT_TRUE(Until(
      [&] {
        return Count("SELECT count(*) FROM source_schedule WHERE lease_owner IS NULL AND "
                     "last_outcome = 'success'") == kSources;
      },
      100s))
      << Count("SELECT count(*) FROM source_schedule WHERE last_outcome = 'success'") << " of " << kSources
      << "\n" << Log("node-a") << Log("node-b");

  // Nothing lost: every posting stored, one finished run per source.
  EXPECT_EQ(Count("SELECT count(*) FROM postings"), kSources * kJobsPerSource);
  EXPECT_EQ(Count("SELECT count(*) FROM listings"), kSources * kJobsPerSource);
  EXPECT_EQ(Count("SELECT count(*) FROM crawl_runs WHERE status = 'ok'"), kSources);
  EXPECT_EQ(Count("SELECT count(DISTINCT source_id) FROM crawl_runs WHERE status = 'ok'"), kSources);
  // The runs node-c left open were closed by the nodes that took over.
  EXPECT_EQ(Count("SELECT count(*) FROM crawl_runs WHERE status = 'running'"), 0);
  EXPECT_EQ(Count("SELECT coalesce(sum(crawls), 0)::bigint FROM nodes WHERE name IN ('node-a', 'node-b')"), kSources);
  EXPECT_EQ(Count("SELECT crawls FROM nodes WHERE name = 'node-c'"), 0);
  EXPECT_GT(Count("SELECT crawls FROM nodes WHERE name = 'node-a'"), 0);
  EXPECT_GT(Count("SELECT crawls FROM nodes WHERE name = 'node-b'"), 0);

  // Every page fetched exactly once in the round by the surviving nodes,
  // and no host hit faster than its delay by all the nodes together.
  int pages = 0;
  int hosts_shared = 0;  // hosts more than one node sent requests to
  for (const auto& s : servers_) {
    std::map<std::string, int> hits;
    for (const std::string node : {"node-a", "node-b"}) {
      for (const auto& r : RequestsBy(node, *s)) ++hits[r.target];
    }
    auto requests = Requests(*s);
    std::sort(requests.begin(), requests.end(), [](const auto& x, const auto& y) { return x.arrived < y.arrived; });
    std::set<std::string> agents;
    for (std::size_t i = 0; i < requests.size(); ++i) {
      agents.insert(requests[i].headers["user-agent"]);
      if (i == 0) continue;
      EXPECT_GE(requests[i].arrived - requests[i - 1].arrived, kHostDelay - kDelaySlack)
          << s->address() << ": " << requests[i - 1].target << " (" << requests[i - 1].headers["user-agent"]
          << ") then " << requests[i].target << " (" << requests[i].headers["user-agent"] << ")";
    }
    hosts_shared += agents.size() > 1;
    EXPECT_EQ(hits.size(), static_cast<std::size_t>(kSourcesPerHost * (1 + kJobsPerSource))) << s->address();
    for (const auto& [target, n] : hits) EXPECT_EQ(n, 1) << s->address() << target;
    pages += static_cast<int>(hits.size());
  }
  EXPECT_EQ(pages, kSources * (1 + kJobsPerSource));
  // The check above means something only where nodes met on a host.
  EXPECT_GT(hosts_shared, 0);
  EXPECT_GT(Count("SELECT count(*) FROM host_budgets"), 0);

  // The node name is in the survivors' log lines.
  EXPECT_NE(Log("node-a").find("node node-a: "), std::string::npos);

  // SIGTERM drains: both exit 0, no lease is left, both marked stopped.
  for (const std::string node : {"node-a", "node-b"}) nodes_[node]->Signal(SIGTERM);
  for (const std::string node : {"node-a", "node-b"}) {
    std::optional<int> status;
    ASSERT_TRUE(Until([&] { return (status = nodes_[node]->Wait(0ms)).has_value(); }, 60s)) << Log(node);
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << Log(node);
  }
  EXPECT_EQ(Count("SELECT count(*) FROM source_schedule WHERE lease_owner IS NOT NULL"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM nodes WHERE name IN ('node-a', 'node-b') AND stopped_at IS NOT NULL"), 2);
}

}  // namespace
}  // namespace jobtrawl
