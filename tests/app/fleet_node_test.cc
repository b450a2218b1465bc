// A fleet node's driver (app/fleet_node.h, issue 15 parts 2 and 3) against
// a real PostgreSQL server: two nodes on one io_context share the sources,
// and a stopping node releases the leases of the crawls it abandons.
#include "app/fleet_node.h"
#include "app/nodes_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <sstream>
#include <mutex>
#include <optional>
#include <type_traits>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/pg_server.h"

namespace jobtrawl::app {
namespace {

namespace asio = boost::asio;
namespace pg = storage::pg;
namespace work = storage::work;
using jobtrawl::testing::PgTest;
using std::chrono::hours;
using std::chrono::milliseconds;

template <typename T>
T Must(std::expected<T, pg::Error> r) {
  if (!r) throw std::runtime_error(r.error().sqlstate + " " + r.error().message);
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

class FleetNodeTest : public PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    pg::Connection c = Must(pg::Connection::Open(url_));
    const pg::Migration m[] = {pg::WorkQueueMigration(1), pg::WorkQueueMigrationV2(2)};
    ASSERT_EQ(Must(pg::Migrate(c, m)), 2);
  }

  // Sources 1..n, every hour, all due now (added before any node starts;
  // a node adding them again keeps their schedule).
  std::vector<pg::ScheduledSource> AddDue(int n) {
    std::vector<pg::ScheduledSource> s;
    for (int i = 1; i <= n; ++i) s.push_back({i, hours(1)});
    pg::Connection c = Must(pg::Connection::Open(url_));
    auto q = Must(pg::WorkQueue::Open(c, pg::WorkQueueOptions{.node = "setup"}));
    Must(q.AddSources(s));
    Must(c.Exec("UPDATE source_schedule SET next_run_at = now() - interval '1 minute'"));
    return s;
  }

  FleetNode::Options NodeOptions(std::string name, std::vector<pg::ScheduledSource> sources) {
    FleetNode::Options o;
    o.database_url = url_;
    o.name = std::move(name);
    o.capacity = 3;
    o.poll = milliseconds(20);
    o.sources = std::move(sources);
    o.log = [this](LogLevel, std::string_view line) {
      std::lock_guard lock(log_mu_);
      log_.emplace_back(line);
    };
    return o;
  }

  // Runs the loop until `done` holds (or a minute passes).
  bool RunUntil(asio::io_context& ioc, const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      ioc.restart();
      ioc.run_one_for(milliseconds(50));
    }
    return true;
  }

  std::mutex log_mu_;
  std::vector<std::string> log_;
};

TEST_F(FleetNodeTest, TwoNodesCrawlEveryDueSourceOnceBetweenThem) {
  // Every due source is handed to exactly one node's crawl, three at a
  // time per node; log lines carry the node's name; a stop with no crawl
  // running releases nothing and marks both nodes stopped.
  const auto sources = AddDue(24);
  asio::io_context ioc;
  std::map<std::int64_t, std::vector<std::string>> crawled_by;
  std::map<std::string, std::unique_ptr<FleetNode>> nodes;
  size_t finished = 0;
  for (const std::string name : {"n1", "n2"}) {
    auto o = NodeOptions(name, sources);
    o.start = [&, name](const pg::Claim& c) {
      crawled_by[c.source_id].push_back(name);
      asio::post(ioc, [&, name, c] {
        nodes.at(name)->Finish(c, work::Outcome::kSuccess);
        ++finished;
      });
    };
    nodes.emplace(name, std::make_unique<FleetNode>(ioc, std::move(o)));
  }
  for (auto& [name, node] : nodes) node->Start();
  // Finish hands the release to the node's thread before the Stop below.
  ASSERT_TRUE(RunUntil(ioc, [&] { return finished == sources.size(); }));
  int stopped = 0;
  std::int64_t released = 0;
  for (auto& [name, node] : nodes) {
    node->Stop([&](std::int64_t r) {
      ++stopped;
      released += r;
    });
  }
  ASSERT_TRUE(RunUntil(ioc, [&] { return stopped == 2; }));
  EXPECT_EQ(released, 0);
  for (const auto& [id, by] : crawled_by) EXPECT_EQ(by.size(), 1u) << "source " << id;

  pg::Connection c = Must(pg::Connection::Open(url_));
  const pg::NodeList list = Must(pg::ListNodes(c));
  std::int64_t crawls = 0;
  for (const pg::NodeInfo& n : list.nodes) {
    if (n.name == "setup") continue;
    EXPECT_TRUE(n.stopped_at.has_value()) << n.name;
    crawls += n.crawls;
  }
  EXPECT_EQ(crawls, 24);
  std::lock_guard lock(log_mu_);
  ASSERT_FALSE(log_.empty());
  for (const std::string& line : log_) EXPECT_TRUE(line.starts_with("node n1: ") || line.starts_with("node n2: ")) << line;
}

TEST_F(FleetNodeTest, AClaimWhoseReplyWasLostIsGivenBackAndCrawled) {
  // Issue 15 review: a claim the server committed whose reply was lost with
  // the connection left a lease the node did not know it held. Its
  // heartbeat renewed it for the node's whole life and its claims skip
  // what it holds, so nobody ever crawled the source. The heartbeat now
  // gives back a renewed lease the node has no claim for.
  std::vector<pg::ScheduledSource> sources = {{1, hours(1)}};
  {
    pg::Connection c = Must(pg::Connection::Open(url_));
    auto q = Must(pg::WorkQueue::Open(c, pg::WorkQueueOptions{.node = "setup"}));
    Must(q.AddSources(sources));
    Must(c.Exec("UPDATE source_schedule SET next_run_at = now() + interval '1 hour'"));
  }
  asio::io_context ioc;
  std::vector<std::int64_t> started;
  auto o = NodeOptions("a", sources);
  o.lease.ttl = std::chrono::seconds(3);  // a heartbeat every second
  o.start = [&](const pg::Claim& c) { started.push_back(c.source_id); };
  FleetNode node(ioc, std::move(o));
  node.Start();
  ASSERT_TRUE(RunUntil(ioc, [&] {
    std::lock_guard lock(log_mu_);
    return std::any_of(log_.begin(), log_.end(), [](const std::string& l) { return l.find("joined") != l.npos; });
  }));
  // What the claim statement commits for "a", which "a" never hears of.
  pg::Connection c = Must(pg::Connection::Open(url_));
  Must(c.Exec("UPDATE source_schedule SET lease_owner = 'a', lease_token = lease_token + 1, lease_started_at = now(),"
              " lease_expires_at = now() + interval '1 hour', heartbeat_at = now(), due_at = now(),"
              " attempts = attempts + 1, next_run_at = now() + interval '1 hour' WHERE source_id = 1"));
  ASSERT_TRUE(RunUntil(ioc, [&] { return !started.empty(); })) << "the lease stayed with a node that never crawls it";
  EXPECT_EQ(started, std::vector<std::int64_t>{1});
  {
    std::lock_guard lock(log_mu_);
    EXPECT_TRUE(std::any_of(log_.begin(), log_.end(),
                            [](const std::string& l) { return l.find("never received") != l.npos; }));
  }
  bool stopped = false;
  node.Stop([&](std::int64_t) { stopped = true; });
  ASSERT_TRUE(RunUntil(ioc, [&] { return stopped; }));
}

TEST_F(FleetNodeTest, StoppingReleasesTheLeasesOfAbandonedCrawls) {
  // SIGTERM's drain: crawls that never finished give their sources back,
  // due at once, to whichever node asks next.
  const auto sources = AddDue(5);
  asio::io_context ioc;
  int started = 0;
  auto o = NodeOptions("n1", sources);
  o.start = [&](const pg::Claim&) { ++started; };  // never finishes
  FleetNode node(ioc, std::move(o));
  node.Start();
  ASSERT_TRUE(RunUntil(ioc, [&] { return started == 3; }));  // capacity 3
  std::optional<std::int64_t> released;
  node.Stop([&](std::int64_t r) { released = r; });
  ASSERT_TRUE(RunUntil(ioc, [&] { return released.has_value(); }));
  EXPECT_EQ(*released, 3);
  EXPECT_EQ(started, 3);

  pg::Connection c = Must(pg::Connection::Open(url_));
  auto other = Must(pg::WorkQueue::Open(c, pg::WorkQueueOptions{.node = "other"}));
  EXPECT_EQ(Must(other.ClaimDue(10)).size(), 5u);
}

TEST_F(FleetNodeTest, ADrainingNodeClaimsNothingAndReleasesEachCrawlWithItsOutcome) {
  // SIGTERM: StopClaiming at once, though places free up and sources are
  // due; a crawl that ends during the drain is released with its outcome
  // (its next run by the schedule, counted in the node's crawls), one cut
  // short is given back (due again at once), and Stop gives back what is
  // left: here a claim whose crawl never reported.
  const auto sources = AddDue(6);
  asio::io_context ioc;
  std::vector<pg::Claim> started;
  auto o = NodeOptions("n1", sources);
  o.lease.ttl = std::chrono::milliseconds(600);  // a heartbeat every 200 ms
  o.start = [&](const pg::Claim& c) { started.push_back(c); };
  FleetNode node(ioc, std::move(o));
  node.Start();
  ASSERT_TRUE(RunUntil(ioc, [&] { return started.size() == 3; }));  // capacity 3
  node.StopClaiming();
  node.Finish(started[0], work::Outcome::kSuccess);
  node.GiveBack(started[1]);
  pg::Connection admin = Must(pg::Connection::Open(url_));
  // Both handled on the node's thread, in order, after StopClaiming.
  ASSERT_TRUE(RunUntil(ioc, [&] {
    auto r = admin.Exec("SELECT count(*) FROM source_schedule WHERE lease_owner IS NULL AND source_id IN ($1, $2)",
                        {pg::Value{started[0].source_id}, pg::Value{started[1].source_id}});
    return r && r->Int64(0, 0) == 2;
  }));
  // Two places are free and three sources due, and the node's thread goes
  // on (two heartbeats renew the third lease, ten polls' time apart):
  // nothing is claimed.
  auto beat = [&] {
    auto r = admin.Exec("SELECT fleet_us(heartbeat_at) FROM nodes WHERE name = 'n1'");
    return r ? r->Int64(0, 0).value_or(0) : 0;
  };
  for (int i = 0; i < 2; ++i) {
    const std::int64_t before = beat();
    ASSERT_TRUE(RunUntil(ioc, [&] { return beat() != before; }));
  }
  EXPECT_EQ(started.size(), 3u);
  std::optional<std::int64_t> given_back;
  node.Stop([&](std::int64_t r) { given_back = r; });
  ASSERT_TRUE(RunUntil(ioc, [&] { return given_back.has_value(); }));
  EXPECT_EQ(*given_back, 1);
  EXPECT_EQ(started.size(), 3u);
  auto done = Must(admin.Exec("SELECT last_outcome, attempts FROM source_schedule WHERE source_id = $1",
                              {pg::Value{started[0].source_id}}));
  EXPECT_EQ(done.Text(0, 0).value_or(""), "success");
  auto counted = Must(admin.Exec("SELECT crawls FROM nodes WHERE name = 'n1'"));
  EXPECT_EQ(counted.Int64(0, 0), 1);
  auto free = Must(admin.Exec(
      "SELECT count(*) FROM source_schedule WHERE lease_owner IS NULL AND attempts = 0 AND lease_token <= 1"));
  EXPECT_EQ(free.Int64(0, 0), 6);  // nothing claimed twice, nothing counted as failing
}

TEST(NodesFormatTest, StatesRatesAndColumns) {
  // live: heartbeat within the lease; stopped: drained; silent: neither.
  // Rate: crawls per hour from start to stop, else to the last heartbeat.
  using std::chrono::minutes;
  const work::Time now = work::Time(std::chrono::sys_days(std::chrono::year{2026} / 12 / 1) + hours(12));
  pg::NodeList list;
  list.now = now;
  list.nodes.push_back({"a", "h1", 11, now - hours(2), now - minutes(1), std::nullopt, 3, 40, 2});
  list.nodes.push_back({"b", "h2", 22, now - hours(4), now - hours(1), now - hours(1), 0, 30, 0});
  list.nodes.push_back({"c", "h3", 33, now - hours(1), now - minutes(3), std::nullopt, 1, 0, 0});
  // Sources its config lists; b gave no list (it may claim any source).
  list.nodes[0].sources = 12;
  list.nodes[2].sources = 4;
  const std::string table = FormatNodes(list, minutes(2), false);
  EXPECT_EQ(table,
            "NODE  HOST  PID  STATE    STARTED               HEARTBEAT             SOURCES  LEASES  CRAWLS  FAILED  PER HOUR\n"
            "a     h1    11   live     2026-12-01T10:00:00Z  2026-12-01T11:59:00Z  12       3       40      2       20.2\n"
            "b     h2    22   stopped  2026-12-01T08:00:00Z  2026-12-01T11:00:00Z  -        0       30      0       10.0\n"
            "c     h3    33   silent   2026-12-01T11:00:00Z  2026-12-01T11:57:00Z  4        1       0       0       0.0\n");
  // Silence is judged by each node's own ttl when it stored one: a node
  // with a 10 s lease is silent 30 s after its heartbeat; one with a 10 min
  // lease is live 3 min after.
  pg::NodeList ttl = list;
  ttl.nodes[0].lease_ttl = std::chrono::seconds(10);
  ttl.nodes[0].heartbeat_at = now - std::chrono::seconds(30);
  ttl.nodes[2].lease_ttl = minutes(10);
  const std::string by_ttl = FormatNodes(ttl, minutes(2), false);
  EXPECT_NE(by_ttl.find("a     h1    11   silent"), std::string::npos) << by_ttl;
  EXPECT_NE(by_ttl.find("c     h3    33   live"), std::string::npos) << by_ttl;
  const std::string lines = FormatNodes(list, minutes(2), true);
  EXPECT_NE(lines.find("{\"name\":\"b\",\"hostname\":\"h2\",\"pid\":22,\"state\":\"stopped\","
                       "\"started_at\":\"2026-12-01T08:00:00Z\",\"heartbeat_at\":\"2026-12-01T11:00:00Z\","
                       "\"stopped_at\":\"2026-12-01T11:00:00Z\",\"sources\":null,\"leases\":0,\"crawls\":30,\"failures\":0,"
                       "\"crawls_per_hour\":10.0}\n"),
            std::string::npos)
      << lines;
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 3);
}

TEST_F(FleetNodeTest, NodesCommandListsTheFleetAndRefusesASqliteFile) {
  // `jobtrawl nodes --db URL` against the server; a file path is exit 2.
  // Issue 15 leftovers: it shows how many sources each node's config
  // lists (those it may claim) beside the leases it holds.
  pg::Connection c = Must(pg::Connection::Open(url_));
  auto q = Must(pg::WorkQueue::Open(c, pg::WorkQueueOptions{.node = "crawler-1", .hostname = "box"}));
  Must(q.Register());
  const pg::ScheduledSource sources[] = {{1, hours(1)}, {2, hours(1)}, {3, hours(1)}};
  Must(q.SetSources(sources));
  Must(c.Exec("UPDATE source_schedule SET next_run_at = now() - interval '1 minute'"));
  ASSERT_EQ(Must(q.ClaimDue(1)).size(), 1u);
  std::ostringstream out, err;
  ASSERT_EQ(NodesCommand(NodesOptions{.db = url_}, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("crawler-1  box"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("live"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("SOURCES  LEASES"), std::string::npos) << out.str();
  std::ostringstream json, json_err;
  ASSERT_EQ(NodesCommand(NodesOptions{.db = url_, .format = "json"}, json, json_err), 0) << json_err.str();
  EXPECT_NE(json.str().find("\"sources\":3,\"leases\":1,"), std::string::npos) << json.str();
  std::ostringstream out2, err2;
  EXPECT_EQ(NodesCommand(NodesOptions{.db = "/var/lib/jobtrawl/jobs.db"}, out2, err2), 2);
  EXPECT_NE(err2.str().find("SQLite"), std::string::npos) << err2.str();
  EXPECT_EQ(NodesCommand(NodesOptions{.db = url_, .format = "xml"}, out2, err2), 2);
}

TEST(FleetNodeNameTest, TheConfiguredNameElseHostAndPid) {
  // `[node] name` when set; otherwise HOSTNAME:PID, unique on one machine.
  EXPECT_EQ(FleetNodeName("crawler-7"), "crawler-7");
  const std::string own = FleetNodeName("");
  EXPECT_TRUE(own.ends_with(":" + std::to_string(::getpid()))) << own;
  EXPECT_GT(own.size(), std::to_string(::getpid()).size() + 1);
}

TEST_F(FleetNodeTest, AReleaseThatFailsIsTriedAgainUntilTheSourceIsFree) {
  // The connection drops just as a crawl ends: the release fails. It is
  // kept and tried again after reconnecting, so the lease (which the
  // heartbeat would renew for as long as the node lives) is let go.
  const auto sources = AddDue(1);
  asio::io_context ioc;
  std::optional<pg::Claim> claim;
  auto o = NodeOptions("n1", sources);
  o.start = [&](const pg::Claim& c) { claim = c; };
  FleetNode node(ioc, std::move(o));
  node.Start();
  ASSERT_TRUE(RunUntil(ioc, [&] { return claim.has_value(); }));
  pg::Connection admin = Must(pg::Connection::Open(url_));
  Must(admin.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'jobtrawl n1'"));
  node.Finish(*claim, work::Outcome::kSuccess);
  EXPECT_TRUE(RunUntil(ioc, [&] {
    auto r = admin.Exec("SELECT count(*) FROM source_schedule WHERE source_id = 1 AND lease_owner IS NULL");
    return r && r->Int64(0, 0) == 1;
  }));
  bool stopped = false;
  node.Stop([&](std::int64_t) { stopped = true; });
  ASSERT_TRUE(RunUntil(ioc, [&] { return stopped; }));
}

TEST_F(FleetNodeTest, ANodeWhoseRegistrationFailedRegistersAtTheNextTry) {
  // Putting its sources on the schedule fails once (here an injected
  // error; a deadlock among nodes starting together in life): the node
  // must not go on unregistered, claiming without heartbeats, but
  // register at its next poll.
  pg::Connection admin = Must(pg::Connection::Open(url_));
  Must(admin.Exec(
      "CREATE SEQUENCE inject_once;"
      "CREATE FUNCTION fail_first_insert() RETURNS trigger LANGUAGE plpgsql AS $$"
      " BEGIN IF nextval('inject_once') = 1 THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$;"
      "CREATE TRIGGER fail_first_insert BEFORE INSERT ON source_schedule"
      " FOR EACH ROW EXECUTE FUNCTION fail_first_insert()"));
  asio::io_context ioc;
  std::vector<pg::ScheduledSource> sources = {{1, hours(1)}, {2, hours(1)}, {3, hours(1)}};
  auto o = NodeOptions("n1", sources);
  o.start = [](const pg::Claim&) {};
  FleetNode node(ioc, std::move(o));
  node.Start();
  EXPECT_TRUE(RunUntil(ioc, [&] {
    auto r = admin.Exec("SELECT count(*) FROM source_schedule");
    return r && r->Int64(0, 0) == 3;
  }));
  bool stopped = false;
  node.Stop([&](std::int64_t) { stopped = true; });
  ASSERT_TRUE(RunUntil(ioc, [&] { return stopped; }));
  auto n = Must(admin.Exec("SELECT stopped_at IS NOT NULL FROM nodes WHERE name = 'n1'"));
  ASSERT_EQ(n.Rows(), 1);
  EXPECT_EQ(n.Int64(0, 0), 1);  // registered, then drained
  std::lock_guard lock(log_mu_);
  bool said = false;
  for (const std::string& line : log_) said = said || line.find("injected failure") != std::string::npos;
  EXPECT_TRUE(said);
}

}  // namespace
}  // namespace jobtrawl::app
