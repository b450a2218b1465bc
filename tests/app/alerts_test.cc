// Alerts (issue 14 part 4): the outbox written with the postings, delivery
// to a webhook on 127.0.0.1 and to a command, retries, and a process killed
// mid-delivery.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "app/alerts.h"
#include "app/commands.h"
#include "app/crawl_pipeline.h"
#include "crawler/fetcher.h"
#include "support/http_receiver.h"
#include "support/sqlite_query.h"
#include "support/test_server.h"

namespace jobtrawl::app {
namespace {

using jobtrawl::testing::HttpReceiver;
using jobtrawl::testing::ReceivedRequest;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

Posting Job(const std::string& id, const std::string& title) {
  Posting p;
  p.url = "https://jobs.example.com/" + id;
  p.external_id = id;
  p.title = title;
  p.company = "Acme";
  p.description = "A job at Acme: " + title + ".";
  return p;
}

class AlertsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crawler::GlobalInit(); }

  AlertsTest() {
    dir_ = std::filesystem::temp_directory_path() /
           ("jobtrawl-alerts-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = dir_ / "jobs.db";
  }
  ~AlertsTest() override { std::filesystem::remove_all(dir_); }

  // Stores `postings` as the writer does, with `rules` applied in the same transaction.
  void Store(const std::vector<Posting>& postings, const std::vector<storage::AlertRule>& rules,
             const std::string& now = "2026-12-01T10:00:00Z") {
    auto store = storage::PostingStore::Open(db_);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    ASSERT_TRUE((*store)->CaptureFreshPostings().has_value());
    ASSERT_TRUE((*store)->Begin().has_value());
    auto source = (*store)->EnsureSource("acme", "html", now);
    ASSERT_TRUE(source.has_value());
    ASSERT_TRUE((*store)->Upsert(*source, postings, now).has_value());
    auto added = (*store)->EnqueueAlerts(rules, now);
    ASSERT_TRUE(added.has_value()) << added.error().message;
    ASSERT_TRUE((*store)->Commit().has_value());
  }
  std::vector<std::string> Column(const std::string& sql) { return jobtrawl::testing::QueryColumn(db_, sql); }

  static config::AlertConfig Webhook(const std::string& url, const std::string& query = "") {
    config::AlertConfig a;
    a.name = "hook";
    a.webhook = url;
    a.query = query;
    return a;
  }
  AlertDelivery::Options Options(std::vector<config::AlertConfig> alerts) {
    AlertDelivery::Options o;
    o.alerts = std::move(alerts);
    o.delivery.retry_base = std::chrono::milliseconds(1);
    o.delivery.retry_max = std::chrono::milliseconds(4);
    o.delivery.timeout = std::chrono::seconds(20);
    return o;
  }
  static std::string Key(const ReceivedRequest& r) {
    return std::string(boost::json::parse(r.body).at("idempotency_key").as_string());
  }

  std::filesystem::path dir_, db_;
};

TEST_F(AlertsTest, OutboxHoldsMatchingNewPostingsOnlyFromTheirOwnTransaction) {
  // README "Alerts": the search filters of `jobtrawl search`; rows added with the posting.
  storage::AlertRule engineers{.name = "engineers"};
  engineers.filter.match = "engineer";
  storage::AlertRule everything{.name = "all"};
  storage::AlertRule alarms_only{.name = "alarms", .postings = false, .alarms = true};
  Store({Job("1", "Platform Engineer"), Job("2", "Designer")}, {engineers, everything, alarms_only});
  EXPECT_THAT(Column("SELECT alert || ' ' || event || ' ' || p.external_id FROM alert_outbox o "
                     "JOIN postings p ON p.id = o.posting_id ORDER BY o.id"),
              ElementsAre("engineers new 1", "all new 1", "all new 2"));
  // Seen again: nothing new to say.
  Store({Job("1", "Platform Engineer"), Job("2", "Designer")}, {engineers, everything});
  EXPECT_THAT(Column("SELECT count(*) FROM alert_outbox"), ElementsAre("3"));
  // A rolled-back batch leaves no alert behind.
  {
    auto store = storage::PostingStore::Open(db_);
    ASSERT_TRUE(store.has_value());
    ASSERT_TRUE((*store)->CaptureFreshPostings().has_value());
    ASSERT_TRUE((*store)->Begin().has_value());
    auto source = (*store)->EnsureSource("acme", "html", "2026-12-01T11:00:00Z");
    ASSERT_TRUE((*store)->Upsert(*source, std::vector<Posting>{Job("3", "Data Engineer")}, "2026-12-01T11:00:00Z"));
    ASSERT_TRUE((*store)->EnqueueAlerts(std::vector<storage::AlertRule>{everything}, "2026-12-01T11:00:00Z"));
    (*store)->Rollback();
  }
  EXPECT_THAT(Column("SELECT count(*) FROM alert_outbox"), ElementsAre("3"));
  EXPECT_THAT(Column("SELECT count(*) FROM postings"), ElementsAre("2"));
}

TEST_F(AlertsTest, ReopenedPostingIsAlertedAgainWithAKeyOfItsOwn) {
  // README "Lifecycle of postings": a closed listing seen again reopens its posting.
  storage::AlertRule everything{.name = "all"};
  Store({Job("1", "Platform Engineer")}, {everything});
  {
    auto store = storage::PostingStore::Open(db_);
    ASSERT_TRUE(store.has_value());
    auto source = (*store)->EnsureSource("acme", "html", "2026-12-01T10:00:00Z");
    const std::vector<std::string> keys = {"id:1"};
    ASSERT_EQ((*store)->CloseListings(*source, keys, "2026-12-02T10:00:00Z").value_or(0), 1);
  }
  Store({Job("1", "Platform Engineer")}, {everything}, "2026-12-03T10:00:00Z");
  EXPECT_THAT(Column("SELECT event FROM alert_outbox ORDER BY id"), ElementsAre("new", "reopened"));
  EXPECT_THAT(Column("SELECT count(DISTINCT idempotency_key) FROM alert_outbox"), ElementsAre("2"));
}

TEST_F(AlertsTest, WebhookGetsEachPostingOnceWithItsIdempotencyKey) {
  // A 2xx answer delivers; the delivered mark stops a second delivery.
  Store({Job("1", "Platform Engineer"), Job("2", "Designer")}, {{.name = "hook"}});
  HttpReceiver receiver;
  auto delivery = AlertDelivery::Open(db_, Options({Webhook(receiver.Url("/jobs"))}));
  ASSERT_TRUE(delivery.has_value()) << delivery.error().message;
  auto pass = (*delivery)->DeliverDue();
  ASSERT_TRUE(pass.has_value()) << pass.error().message;
  EXPECT_EQ(pass->delivered, 2);
  auto again = (*delivery)->DeliverDue();
  EXPECT_EQ(again.value_or(AlertDelivery::Pass{.delivered = -1}).delivered, 0);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const ReceivedRequest& r : requests) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/jobs");
    EXPECT_EQ(r.headers.at("content-type"), "application/json");
    EXPECT_EQ(r.headers.at("idempotency-key"), Key(r));
    const auto body = boost::json::parse(r.body).as_object();
    EXPECT_EQ(body.at("event").as_string(), "new");
    EXPECT_EQ(body.at("alert").as_string(), "hook");
    EXPECT_EQ(body.at("posting").at("company").as_string(), "Acme");
  }
  EXPECT_EQ(boost::json::parse(requests[0].body).at("posting").at("title").as_string(), "Platform Engineer");
  EXPECT_THAT(Column("SELECT count(*) FROM alert_outbox WHERE delivered_at IS NULL"), ElementsAre("0"));
}

TEST_F(AlertsTest, FailingReceiverIsRetriedWithBackoffUntilItRecovers) {
  // [delivery] retry_base: a 500 is tried again; nothing is dropped.
  Store({Job("1", "Platform Engineer"), Job("2", "Designer")}, {{.name = "hook"}});
  HttpReceiver receiver([](int n) { return n < 2 ? 500 : 200; });
  {
    auto delivery = AlertDelivery::Open(db_, Options({Webhook(receiver.Url("/jobs"))}));
    ASSERT_TRUE(delivery.has_value());
    DeliveryWorker worker(std::move(*delivery));
    worker.Wake();
    ASSERT_TRUE(receiver.WaitFor([](const std::vector<ReceivedRequest>& r) {
      return std::count_if(r.begin(), r.end(), [](const ReceivedRequest& x) { return x.status == 200; }) == 2;
    }));
  }  // the worker has committed what it delivered
  std::multiset<std::string> keys;
  for (const ReceivedRequest& r : receiver.requests()) keys.insert(Key(r));
  EXPECT_EQ(keys.size(), 4u);
  for (const std::string& k : keys) EXPECT_EQ(keys.count(k), 2u) << k;
  EXPECT_THAT(Column("SELECT attempts || ' ' || (delivered_at IS NOT NULL) FROM alert_outbox ORDER BY id"),
              ElementsAre("2 1", "2 1"));
}

TEST_F(AlertsTest, ProcessKilledMidDeliveryDeliversEveryPostingAfterRestart) {
  // At least once: SIGKILL after the receiver read the POST and before the
  // delivered mark; the restarted delivery sends it again, same key, and the rest.
  Store({Job("1", "Platform Engineer"), Job("2", "Designer"), Job("3", "Data Engineer")}, {{.name = "hook"}});
  unsigned short port = 0;
  const int listener = jobtrawl::testing::ListenOnLoopback(port);
  ASSERT_GE(listener, 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/jobs";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The delivering process: it never hears an answer.
    auto delivery = AlertDelivery::Open(db_, Options({Webhook(url)}));
    if (delivery) (void)(*delivery)->DeliverDue();
    ::_exit(0);
  }
  pollfd p{.fd = listener, .events = POLLIN, .revents = 0};
  ASSERT_EQ(::poll(&p, 1, 20000), 1);
  const int connection = ::accept(listener, nullptr, nullptr);
  ASSERT_GE(connection, 0);
  auto in_flight = jobtrawl::testing::ReadRequest(connection, std::chrono::seconds(20));
  ::kill(child, SIGKILL);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status));
  ::close(connection);
  ::close(listener);
  ASSERT_TRUE(in_flight.has_value());
  EXPECT_THAT(Column("SELECT count(*) FROM alert_outbox WHERE delivered_at IS NULL"), ElementsAre("3"));

  // Restarted (with its receiver on a new port).
  HttpReceiver receiver;
  auto delivery = AlertDelivery::Open(db_, Options({Webhook(receiver.Url("/jobs"))}));
  ASSERT_TRUE(delivery.has_value());
  auto flushed = (*delivery)->FlushFor(std::chrono::seconds(20));
  ASSERT_TRUE(flushed.has_value());
  EXPECT_EQ(flushed->delivered, 3);
  EXPECT_EQ(flushed->pending, 0);
  std::vector<std::string> keys;
  for (const ReceivedRequest& r : receiver.requests()) keys.push_back(Key(r));
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), 3u);  // each once after the restart
  EXPECT_THAT(keys, ::testing::Contains(in_flight->headers.at("idempotency-key")));
  EXPECT_THAT(Column("SELECT count(*) FROM alert_outbox WHERE delivered_at IS NULL"), ElementsAre("0"));
}

TEST_F(AlertsTest, CommandGetsJsonLinesAndAFailureKeepsThemQueued) {
  // A command target: the events as JSON lines on standard input; exit 0 delivers.
  Store({Job("1", "Platform Engineer"), Job("2", "Designer")}, {{.name = "cmd"}});
  const std::filesystem::path out = dir_ / "got.jsonl";
  config::AlertConfig failing{.name = "cmd", .command = {"sh", "-c", "cat > /dev/null; exit 3"}};
  auto broken = AlertDelivery::Open(db_, Options({failing}));
  ASSERT_TRUE(broken.has_value());
  auto pass = (*broken)->DeliverDue();
  ASSERT_TRUE(pass.has_value());
  EXPECT_EQ(pass->failed, 2);
  EXPECT_THAT(Column("SELECT DISTINCT last_error FROM alert_outbox"), ElementsAre("sh exited with status 3"));

  config::AlertConfig working{.name = "cmd", .command = {"sh", "-c", "cat > \"$0\"", out.string()}};
  auto delivery = AlertDelivery::Open(db_, Options({working}));
  ASSERT_TRUE(delivery.has_value());
  auto flushed = (*delivery)->FlushFor(std::chrono::seconds(20));
  ASSERT_TRUE(flushed.has_value());
  EXPECT_EQ(flushed->delivered, 2);
  std::ifstream in(out);
  std::vector<std::string> titles;
  for (std::string line; std::getline(in, line);) {
    titles.emplace_back(boost::json::parse(line).at("posting").at("title").as_string());
  }
  EXPECT_THAT(titles, ElementsAre("Platform Engineer", "Designer"));
}

TEST_F(AlertsTest, OneShotCrawlDeliversMatchingPostingsOnceAndDegradedRunsAsAlarms) {
  // End to end: [[alert]] in the config, a board on 127.0.0.1, delivery after `crawl`.
  boost::asio::io_context ioc;
  jobtrawl::testing::TestServer server(ioc);
  auto listing = [](int n) {
    std::string html = "<ul>";
    const char* titles[] = {"Platform Engineer", "Designer", "Data Engineer", "Recruiter", "SRE Engineer", "Chef"};
    for (int i = 0; i < n; ++i) {
      html += "<li class=\"job\"><h2>" + std::string(titles[i]) + "</h2><a href=\"/jobs/" + std::to_string(i) +
              "\">more</a></li>";
    }
    return html + "</ul>";
  };
  server.Route("/board", {200, listing(6)});
  HttpReceiver receiver;
  const std::filesystem::path alarms = dir_ / "alarms.jsonl";
  const std::string text =
      "[storage]\ndatabase = \"jobs.db\"\n[http]\ndelay = \"0s\"\nallow_private_networks = true\nretries = 0\n"
      "[[source]]\nname = \"acme\"\nstart = \"" + server.Url("/board") + "\"\nitem = \"li.job\"\n"
      "fields = { title = \"h2\" }\n"
      "[[alert]]\nname = \"engineers\"\nquery = \"engineer\"\nwebhook = \"" + receiver.Url("/hook") + "\"\n"
      "[[alert]]\nname = \"ops\"\npostings = false\nalarms = true\ncommand = [\"sh\", \"-c\", \"cat >> \\\"$0\\\"\", \"" +
      alarms.string() + "\"]\n";
  auto config = config::ParseConfig(text, "alerts.toml", dir_);
  ASSERT_TRUE(config.has_value()) << config.error().front().ToString();
  const Clock::time_point t0 = Clock::now();
  auto first = RunCrawl(ioc, *config, {.parse_threads = 2, .now = [t0] { return t0; }});
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->alerts_delivered, 3);
  std::vector<std::string> titles;
  for (const ReceivedRequest& r : receiver.requests()) {
    titles.emplace_back(boost::json::parse(r.body).at("posting").at("title").as_string());
  }
  EXPECT_THAT(titles, UnorderedElementsAre("Platform Engineer", "Data Engineer", "SRE Engineer"));
  EXPECT_THAT(FormatSummary(*first), HasSubstr("alerts: 3 delivered"));

  // The same board again: nothing new, nothing sent twice.
  auto second = RunCrawl(ioc, *config, {.parse_threads = 2, .now = [t0] { return t0 + std::chrono::hours(1); }});
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->alerts_delivered, 0);
  EXPECT_EQ(receiver.requests().size(), 3u);

  // The board's markup changes: a degraded run, and its alarm goes to "ops".
  server.Route("/board", {200, "<ul><li class=\"job\"><h3>Platform Engineer</h3></li></ul>"});
  auto broken = RunCrawl(ioc, *config, {.parse_threads = 2, .now = [t0] { return t0 + std::chrono::hours(2); }});
  ASSERT_TRUE(broken.has_value());
  ASSERT_EQ(broken->sources[0].record.status, "degraded");
  EXPECT_EQ(broken->alerts_delivered, 1);
  std::ifstream in(alarms);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  const auto alarm = boost::json::parse(line);
  EXPECT_EQ(alarm.at("event").as_string(), "degraded");
  EXPECT_EQ(alarm.at("alarm").at("source").as_string(), "acme");
  EXPECT_THAT(std::string(alarm.at("alarm").at("message").as_string()),
              HasSubstr("item selector li.job found 0 postings; found 6 last good run"));
}

TEST(AlertsConfigTest, CheckConfigValidatesAlerts) {
  // README "Alerts": exactly one target, a readable query, salary with its currency.
  auto parse = [](const std::string& alert) {
    return config::ParseConfig("[[source]]\nname = \"a\"\nstart = \"https://a.example/\"\n[[alert]]\n" + alert,
                               "t.toml", "/tmp");
  };
  auto errors = [&](const std::string& alert) {
    auto c = parse(alert);
    if (c) {
      std::string out;
      for (const auto& e : CheckAlerts(*c)) out += e.ToString() + "\n";
      return out.empty() ? std::string("<no errors>") : out;
    }
    std::string out;
    for (const auto& e : c.error()) out += e.ToString() + "\n";
    return out;
  };
  EXPECT_EQ(errors("name = \"x\"\nwebhook = \"https://hooks.example.com/j\"\nquery = \"rust OR go\"\n"), "<no errors>");
  EXPECT_EQ(errors("name = \"x\"\ncommand = [\"notify\"]\ncountry = \"Germany\"\n"), "<no errors>");
  EXPECT_THAT(errors("name = \"x\"\n"), HasSubstr("needs exactly one target"));
  EXPECT_THAT(errors("name = \"x\"\nwebhook = \"https://h.example/\"\ncommand = [\"a\"]\n"),
              HasSubstr("needs exactly one target"));
  EXPECT_THAT(errors("name = \"x\"\nwebhook = \"ftp://h.example/\"\n"), HasSubstr("t.toml:6:11: \"webhook\" must be an http"));
  EXPECT_THAT(errors("name = \"x\"\ncommand = []\n"), HasSubstr("\"command\" must be a non-empty array"));
  EXPECT_THAT(errors("name = \"x\"\ncommand = [\"a\"]\nquery = \"title:(\"\n"), HasSubstr(":4:1: [[alert]] \"x\": cannot read the query \"title:(\": fts5: syntax error"));
  EXPECT_THAT(errors("name = \"x\"\ncommand = [\"a\"]\nsalary_min = 50000\n"), HasSubstr("needs \"currency\""));
  EXPECT_THAT(errors("name = \"x\"\ncommand = [\"a\"]\ncountry = \"Atlantis\"\n"), HasSubstr("\"country\" must name a country"));
  EXPECT_THAT(errors("name = \"x\"\ncommand = [\"a\"]\npostings = false\n"), HasSubstr("delivers nothing"));
  EXPECT_THAT(errors("name = \"x\"\ncommand = [\"a\"]\nsound = \"loud\"\n"), HasSubstr("unknown key \"sound\" in [[alert]]"));
  EXPECT_THAT(errors("name = \"x\"\ncommand = [\"a\"]\n[[alert]]\nname = \"x\"\ncommand = [\"b\"]\n"),
              HasSubstr("duplicate alert name \"x\""));
}

}  // namespace
}  // namespace jobtrawl::app
