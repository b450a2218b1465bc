// Alerts (issue 14 part 4): the outbox written with the postings, delivery
// to a webhook on 127.0.0.1 and to a command, retries, and a process killed
// mid-delivery. Every AlertsTest runs on both storage backends (issue 15
// part 1): SQLite, and PostgreSQL on the test's throwaway server where the
// build has libpq (storage/backend_test_util.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "app/alerts.h"
#include "app/commands.h"
#include "app/crawl_pipeline.h"
#include "crawler/fetcher.h"
#include "model/date_time.h"
#include "support/http_receiver.h"
#include "storage/backend_test_util.h"
#include "storage/sql.h"
#include "support/sqlite_query.h"
#include "support/test_server.h"
#ifdef JOBTRAWL_TEST_POSTGRESQL
#include "storage/pg/connection.h"
#endif

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

// A receiver whose answers the test controls (HttpReceiver answers one
// connection at a time, at once): each connection has a thread of its own;
// the n-th request is answered `answer(n)` (a whole HTTP response), after
// Release() when `hold(n)`, or never when the receiver ends first.
class ControlledReceiver {
 public:
  ControlledReceiver(std::function<bool(int)> hold, std::function<std::string(int)> answer)
      : hold_(std::move(hold)), answer_(std::move(answer)) {
    listen_fd_ = jobtrawl::testing::ListenOnLoopback(port_);
    if (::pipe(stop_pipe_) != 0) stop_pipe_[0] = stop_pipe_[1] = -1;
    accepter_ = std::thread([this] { Accept(); });
  }
  ~ControlledReceiver() {
    {
      std::lock_guard lock(mu_);
      ending_ = true;
    }
    cv_.notify_all();
    const char c = 'x';
    (void)!::write(stop_pipe_[1], &c, 1);
    accepter_.join();
    for (std::thread& t : connections_) t.join();
    for (int fd : {listen_fd_, stop_pipe_[0], stop_pipe_[1]}) ::close(fd);
  }
  static std::string Status(int code, const std::string& headers = "", const std::string& body = "") {
    return "HTTP/1.1 " + std::to_string(code) + " X\r\n" + headers + "Content-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
  }
  std::string Url(const std::string& target) const { return "http://127.0.0.1:" + std::to_string(port_) + target; }
  void Release() {
    {
      std::lock_guard lock(mu_);
      released_ = true;
    }
    cv_.notify_all();
  }
  int accepted() {
    std::lock_guard lock(mu_);
    return accepted_;
  }
  std::vector<ReceivedRequest> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  bool WaitForRequests(std::size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(20), [&] { return requests_.size() >= n; });
  }

 private:
  void Accept() {
    while (true) {
      pollfd p[2] = {{.fd = listen_fd_, .events = POLLIN, .revents = 0},
                     {.fd = stop_pipe_[0], .events = POLLIN, .revents = 0}};
      if (::poll(p, 2, -1) < 0) continue;
      if (p[1].revents != 0) return;
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      std::lock_guard lock(mu_);
      ++accepted_;
      connections_.emplace_back([this, fd] { Serve(fd); });
    }
  }
  void Serve(int fd) {
    auto request = jobtrawl::testing::ReadRequest(fd, std::chrono::seconds(20));
    std::unique_lock lock(mu_);
    if (request) {
      const int n = static_cast<int>(requests_.size());
      requests_.push_back(*request);
      cv_.notify_all();
      if (hold_(n)) cv_.wait(lock, [&] { return released_ || ending_; });
      if (!ending_) {
        const std::string answer = answer_(n);
        (void)!::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
      }
    }
    lock.unlock();
    ::close(fd);
  }

  const std::function<bool(int)> hold_;
  const std::function<std::string(int)> answer_;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  unsigned short port_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  bool released_ = false, ending_ = false;  // guarded by mu_
  int accepted_ = 0;                        // guarded by mu_
  std::vector<ReceivedRequest> requests_;   // guarded by mu_
  std::vector<std::thread> connections_;    // guarded by mu_ until the accepter has ended
  std::thread accepter_;
};

// Whether process `pid` has ended (gone, or a zombie nobody reaped yet).
bool Ended(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const std::size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
}

pid_t ReadPid(const std::filesystem::path& file) {
  std::ifstream in(file);
  pid_t pid = 0;
  in >> pid;
  return pid;
}

class AlertsTest : public storage::testing::BackendTest {
 protected:
  static void SetUpTestSuite() { crawler::GlobalInit(); }

  AlertsTest() {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '-');
    dir_ = std::filesystem::temp_directory_path() / ("jobtrawl-alerts-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = dir_ / "jobs.db";
  }
  ~AlertsTest() override { std::filesystem::remove_all(dir_); }
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // PostgreSQL: a fresh database; db_ holds its URL where a file path goes.
    if (GetParam() == storage::testing::Backend::kPostgres) db_ = storage::testing::FreshLocation();
  }

  // Stores `postings` as the writer does, with `rules` applied in the same transaction.
  void Store(const std::vector<Posting>& postings, const std::vector<storage::AlertRule>& rules,
             const std::string& now = "2026-12-01T10:00:00Z", const std::string& source_name = "acme") {
    auto store = storage::PostingStore::Open(db_);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    ASSERT_TRUE((*store)->CaptureFreshPostings().has_value());
    ASSERT_TRUE((*store)->Begin().has_value());
    auto source = (*store)->EnsureSource(source_name, "html", now);
    ASSERT_TRUE(source.has_value());
    ASSERT_TRUE((*store)->Upsert(*source, postings, now).has_value());
    auto added = (*store)->EnqueueAlerts(rules, now);
    ASSERT_TRUE(added.has_value()) << added.error().message;
    ASSERT_TRUE((*store)->Commit().has_value());
  }
  // One column of `sql` on either backend, NULL as "NULL". Portable SQL
  // only (no booleans: SQLite says 1, PostgreSQL t).
  std::vector<std::string> Column(const std::string& sql) {
#ifdef JOBTRAWL_TEST_POSTGRESQL
    if (GetParam() == storage::testing::Backend::kPostgres) {
      auto c = storage::pg::Connection::Open(db_.native());
      EXPECT_TRUE(c.has_value());
      if (!c) return {};
      auto r = c->Exec(sql);
      EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message) << "\n" << sql;
      if (!r) return {};
      std::vector<std::string> out;
      for (int i = 0; i < r->Rows(); ++i) out.push_back(r->Text(i, 0).value_or("NULL"));
      return out;
    }
#endif
    return jobtrawl::testing::QueryColumn(db_, sql);
  }
  void Exec(const std::string& sql) {
#ifdef JOBTRAWL_TEST_POSTGRESQL
    if (GetParam() == storage::testing::Backend::kPostgres) {
      auto c = storage::pg::Connection::Open(db_.native());
      ASSERT_TRUE(c.has_value());
      auto r = c->Exec(sql);
      ASSERT_TRUE(r.has_value()) << r.error().message << "\n" << sql;
      return;
    }
#endif
    SQLite::Database(db_.string(), SQLite::OPEN_READWRITE).exec(sql);
  }

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

TEST_P(AlertsTest, OutboxHoldsMatchingNewPostingsOnlyFromTheirOwnTransaction) {
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

TEST_P(AlertsTest, ReopenedPostingIsAlertedAgainWithAKeyOfItsOwn) {
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

TEST_P(AlertsTest, PostingAfterANewestPostingMergedAwayGetsAnIdAndAlertOfItsOwn) {
  // Issue 12 review: SQLite gave a new row the largest id + 1, so the id of
  // the newest posting, freed when it was merged into another, went to the
  // next new posting; its "new" key (jobtrawl:ALERT:new:ID) was the merged
  // one's and it was never queued. Ids are never used twice (schema v21).
  storage::AlertRule everything{.name = "all"};
  const std::string shared = "Build the platform that moves parcels across the country: queues, routing "
                             "services, on-call rotations and the dashboards the operations team reads.";
  Posting first = Job("1", "Platform Engineer");
  first.description = shared;
  first.company_key = "acme";  // what matching reads (normalize/ sets them in a crawl)
  first.title_family = "platform engineer";
  Store({first}, {everything}, "2026-12-01T10:00:00Z", "acme");
  // The same job on another board, its text too different to be matched yet: a posting of its own.
  Posting copy = first;
  copy.url = "https://board.example.net/1";
  copy.description = "Knit sweaters for the winter market, dye wool by hand and run the shop's stall on "
                     "Saturdays; no engineering involved whatsoever, only yarn and patience.";
  Store({copy}, {everything}, "2026-12-01T11:00:00Z", "board");
  ASSERT_THAT(Column("SELECT count(*) FROM postings"), ElementsAre("2"));
  const std::string merged_id = Column("SELECT max(id) FROM postings").at(0);
  // The board's text now matches: its listing joins the first posting, and
  // the newest posting (its undelivered alert queued) is deleted.
  copy.description = shared;
  Store({copy}, {everything}, "2026-12-01T12:00:00Z", "board");
  ASSERT_THAT(Column("SELECT count(*) FROM postings"), ElementsAre("1"));
  ASSERT_THAT(Column("SELECT count(*) FROM postings WHERE id = " + merged_id), ElementsAre("0"));

  Store({Job("2", "Designer")}, {everything}, "2026-12-01T13:00:00Z", "acme");
  const std::vector<std::string> designer = Column("SELECT id FROM postings WHERE title = 'Designer'");
  ASSERT_EQ(designer.size(), 1u);
  EXPECT_NE(designer[0], merged_id);
  EXPECT_THAT(Column("SELECT count(*) FROM alert_outbox WHERE event = 'new' AND posting_id = " + designer[0]),
              ElementsAre("1"));

  const std::filesystem::path out = dir_ / "got.jsonl";
  config::AlertConfig command{.name = "all", .command = {"sh", "-c", "cat >> \"$0\"", out.string()}};
  auto delivery = AlertDelivery::Open(db_, Options({command}));
  ASSERT_TRUE(delivery.has_value());
  auto flushed = (*delivery)->FlushFor(std::chrono::seconds(20));
  ASSERT_TRUE(flushed.has_value());
  EXPECT_EQ(flushed->pending, 0);
  std::ifstream in(out);
  std::vector<std::string> got;
  for (std::string line; std::getline(in, line);) {
    const boost::json::object event = boost::json::parse(line).as_object();
    got.push_back(std::string(event.at("posting").at("title").as_string()) + " " +
                  std::string(event.at("idempotency_key").as_string()));
  }
  // The merged-away posting's alert delivers nothing (not the Designer); each posting once.
  const std::string first_id = Column("SELECT id FROM postings WHERE title = 'Platform Engineer'").at(0);
  EXPECT_THAT(got, UnorderedElementsAre("Platform Engineer jobtrawl:all:new:" + first_id,
                                        "Designer jobtrawl:all:new:" + designer[0]));
}

TEST_P(AlertsTest, OnlyTheCapturingConnectionNotesPostings) {
  // Issue 15 part 1: on PostgreSQL the notes are the schema's triggers, on
  // for the session that asked only; another writer of the same database
  // (a node without alerts) neither fails nor gets its postings alerted by
  // this one, as SQLite's TEMP triggers are this connection's alone.
  storage::AlertRule everything{.name = "all"};
  auto capturing = storage::PostingStore::Open(db_);
  ASSERT_TRUE(capturing.has_value()) << capturing.error().message;
  ASSERT_TRUE((*capturing)->CaptureFreshPostings().has_value());
  {
    auto other = storage::PostingStore::Open(db_);
    ASSERT_TRUE(other.has_value());
    auto source = (*other)->EnsureSource("other", "html", "2026-12-01T09:00:00Z");
    ASSERT_TRUE(source.has_value());
    auto stored = (*other)->Upsert(*source, std::vector<Posting>{Job("9", "Quiet Engineer")}, "2026-12-01T09:00:00Z");
    ASSERT_TRUE(stored.has_value()) << stored.error().message;
  }
  ASSERT_TRUE((*capturing)->Begin().has_value());
  auto source = (*capturing)->EnsureSource("acme", "html", "2026-12-01T10:00:00Z");
  ASSERT_TRUE(source.has_value());
  ASSERT_TRUE((*capturing)->Upsert(*source, std::vector<Posting>{Job("1", "Platform Engineer")}, "2026-12-01T10:00:00Z"));
  auto added = (*capturing)->EnqueueAlerts(std::vector<storage::AlertRule>{everything}, "2026-12-01T10:00:00Z");
  ASSERT_TRUE(added.has_value()) << added.error().message;
  EXPECT_EQ(*added, 1);
  ASSERT_TRUE((*capturing)->Commit().has_value());
  EXPECT_THAT(Column("SELECT p.external_id FROM alert_outbox o JOIN postings p ON p.id = o.posting_id"),
              ElementsAre("1"));
  EXPECT_THAT(Column("SELECT count(*) FROM postings"), ElementsAre("2"));
}

TEST_P(AlertsTest, PostingsAreStillAlertedAfterTheSessionWasReopened) {
  // Issue 15 review: CaptureFreshPostings set up its TEMP table and
  // jobtrawl.capture_fresh once, on the session then open; a reconnect
  // (pg_terminate_backend, a server restart) opened a session with
  // neither, and EnqueueAlerts queued nothing for the rest of the
  // process's life, saying nothing. The connection now sets them up again
  // on every session it opens.
  if (GetParam() != storage::testing::Backend::kPostgres) GTEST_SKIP() << "the reconnect under test is PostgreSQL's";
#ifdef JOBTRAWL_TEST_POSTGRESQL
  storage::AlertRule engineers{.name = "engineers"};
  engineers.filter.match = "engineer";
  auto store = storage::PostingStore::Open(db_);
  ASSERT_TRUE(store.has_value()) << store.error().message;
  ASSERT_TRUE((*store)->CaptureFreshPostings().has_value());
  // Idempotent: a second call neither fails nor sets anything up twice.
  ASSERT_TRUE((*store)->CaptureFreshPostings().has_value());
  auto source = (*store)->EnsureSource("acme", "html", "2026-12-01T10:00:00Z");
  ASSERT_TRUE(source.has_value()) << source.error().message;
  auto admin = storage::pg::Connection::Open(db_.native());
  ASSERT_TRUE(admin.has_value()) << admin.error().message;
  auto pid_query = (*store)->connection().Prepare("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid_query->Step());
  const std::int64_t pid = pid_query->Int64(0);
  pid_query.reset();
  // Waits until the process has exited.
  auto ended = admin->Exec("SELECT pg_terminate_backend($1::int, 120000)", {storage::pg::Value{pid}});
  ASSERT_TRUE(ended.has_value()) << ended.error().message;
  ASSERT_EQ(ended->Int64(0, 0), 1);

  ASSERT_TRUE((*store)->Begin().has_value());
  auto stored = (*store)->Upsert(*source, std::vector<Posting>{Job("1", "Platform Engineer"), Job("2", "Designer")},
                                 "2026-12-01T10:00:00Z");
  ASSERT_TRUE(stored.has_value()) << stored.error().message;
  auto added = (*store)->EnqueueAlerts(std::vector<storage::AlertRule>{engineers}, "2026-12-01T10:00:00Z");
  ASSERT_TRUE(added.has_value()) << added.error().message;
  EXPECT_EQ(*added, 1);
  ASSERT_TRUE((*store)->Commit().has_value());
  auto again = (*store)->connection().Prepare("SELECT pg_backend_pid()");
  ASSERT_TRUE(again->Step());
  EXPECT_NE(again->Int64(0), pid) << "the session was not reopened, so this tests nothing";
  EXPECT_THAT(Column("SELECT alert || ' ' || event || ' ' || p.external_id FROM alert_outbox o "
                     "JOIN postings p ON p.id = o.posting_id ORDER BY o.id"),
              ElementsAre("engineers new 1"));
#endif
}

TEST_P(AlertsTest, RulesMatchAsJobtrawlSearchDoesOnEitherEngine) {
  // README "Alerts": an alert's query and filters are those of `jobtrawl
  // search`; on PostgreSQL the FTS5 query becomes a tsquery
  // (storage/pg/search_query.h) and must pick the same postings.
  Posting cpp = Job("1", "C++ Engineer");
  cpp.country = "DE";
  cpp.skills = {"c++", "linux"};
  Posting platform = Job("2", "Platform Engineer");
  platform.country = "FR";
  platform.remote = "remote";
  Posting data = Job("3", "Data Engineer");
  data.country = "DE";
  Posting designer = Job("4", "Designer");
  designer.description = "Designs for the engineering team.";
  auto rule = [](const std::string& name, const std::string& match) {
    storage::AlertRule r{.name = name};
    r.filter.match = match;
    return r;
  };
  std::vector<storage::AlertRule> rules = {rule("cpp", "\"C++\""),        rule("prefix", "engin*"),
                                           rule("title", "title:engineer"), rule("not", "engineer NOT data"),
                                           rule("phrase", "\"platform engineer\""), rule("or", "designer OR data")};
  storage::AlertRule german = rule("german", "engineer");
  german.filter.country = "DE";
  rules.push_back(german);
  storage::AlertRule remote{.name = "remote"};
  remote.filter.remote = true;
  rules.push_back(remote);
  Store({cpp, platform, data, designer}, rules);
  EXPECT_THAT(Column("SELECT o.alert || ' ' || p.external_id FROM alert_outbox o "
                     "JOIN postings p ON p.id = o.posting_id ORDER BY o.alert, p.external_id"),
              ElementsAre("cpp 1", "german 1", "german 3", "not 1", "not 2", "or 3", "or 4", "phrase 2", "prefix 1",
                          "prefix 2", "prefix 3", "prefix 4", "remote 2", "title 1", "title 2", "title 3"));
}

TEST_P(AlertsTest, RuleTheEngineCannotRunIsSkippedAndTheOthersStillQueue) {
  // store.h EnqueueAlerts: a rule whose query cannot be read is named in
  // `skipped`; the batch and the other rules' rows are kept (on
  // PostgreSQL the transaction is not left aborted).
  storage::AlertRule bad{.name = "bad"};
  bad.filter.match = "title:(";
  storage::AlertRule everything{.name = "all"};
  auto store = storage::PostingStore::Open(db_);
  ASSERT_TRUE(store.has_value());
  ASSERT_TRUE((*store)->CaptureFreshPostings().has_value());
  ASSERT_TRUE((*store)->Begin().has_value());
  auto source = (*store)->EnsureSource("acme", "html", "2026-12-01T10:00:00Z");
  ASSERT_TRUE(source.has_value());
  ASSERT_TRUE((*store)->Upsert(*source, std::vector<Posting>{Job("1", "Platform Engineer")}, "2026-12-01T10:00:00Z"));
  std::vector<std::string> skipped;
  auto added = (*store)->EnqueueAlerts(std::vector<storage::AlertRule>{bad, everything}, "2026-12-01T10:00:00Z", &skipped);
  ASSERT_TRUE(added.has_value()) << added.error().message;
  EXPECT_EQ(*added, 1);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_THAT(skipped[0], ::testing::StartsWith("bad: "));
  auto committed = (*store)->Commit();
  ASSERT_TRUE(committed.has_value()) << committed.error().message;
  EXPECT_THAT(Column("SELECT alert FROM alert_outbox"), ElementsAre("all"));
  EXPECT_THAT(Column("SELECT count(*) FROM postings"), ElementsAre("1"));
}

TEST_P(AlertsTest, DeliveredRowsArePrunedOnceOlderThanKeepDelivered) {
  // Review of issue 14 part 4: delivered rows were never deleted, so the
  // outbox grew forever. Rows delivered (or given up) more than
  // keep_delivered ago go; undelivered rows and breakage alarms stay.
  storage::AlertRule hook{.name = "hook", .alarms = true};
  Store({Job("1", "Platform Engineer"), Job("2", "Designer")}, {hook}, "2026-10-01T10:00:00Z");
  {
    auto store = storage::PostingStore::Open(db_);
    ASSERT_TRUE(store.has_value());
    ASSERT_EQ((*store)->EnqueueAlarm(std::vector<storage::AlertRule>{hook}, "acme:1", "{\"source\":\"acme\"}",
                                     "2026-10-01T10:00:00Z")
                  .value_or(0),
              1);
  }
  HttpReceiver receiver;
  auto first = Options({Webhook(receiver.Url("/jobs"))});
  first.now = [] { return ParseDateTime("2026-10-01T10:00:01Z")->time_point(); };
  {
    auto delivery = AlertDelivery::Open(db_, std::move(first));
    ASSERT_TRUE(delivery.has_value());
    auto pass = (*delivery)->DeliverDue();
    ASSERT_TRUE(pass.has_value()) << pass.error().message;
    EXPECT_EQ(pass->delivered, 3);
  }
  // Queued long ago and given up; and one still waiting, queued later
  // (within [delivery] give_up_after, 7 days).
  Store({Job("3", "Data Engineer")}, {hook}, "2026-10-01T10:00:00Z");
  Exec("UPDATE alert_outbox SET next_attempt_at = 'never' WHERE delivered_at IS NULL");
  Store({Job("4", "Chef")}, {hook}, "2026-10-30T10:00:00Z");
  ControlledReceiver down([](int) { return false; }, [](int) { return ControlledReceiver::Status(503); });
  auto later = Options({Webhook(down.Url("/jobs"))});
  later.keep_delivered = std::chrono::hours(24 * 30);
  later.now = [] { return ParseDateTime("2026-10-31T10:00:02Z")->time_point(); };  // 30 days and a second after
  auto delivery = AlertDelivery::Open(db_, std::move(later));
  ASSERT_TRUE(delivery.has_value());
  auto pass = (*delivery)->DeliverDue();
  ASSERT_TRUE(pass.has_value()) << pass.error().message;
  EXPECT_EQ(pass->failed, 1);
  EXPECT_THAT(Column("SELECT event || ' ' || coalesce(p.external_id, '-') FROM alert_outbox o "
                     "LEFT JOIN postings p ON p.id = o.posting_id ORDER BY o.id"),
              ElementsAre("degraded -", "new 4"));
  EXPECT_EQ(kKeepDeliveredAlerts, std::chrono::hours(24 * 30));  // README "Alerts" says 30 days
}

TEST_P(AlertsTest, WebhookGetsEachPostingOnceWithItsIdempotencyKey) {
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

TEST_P(AlertsTest, FailingReceiverIsRetriedWithBackoffUntilItRecovers) {
  // [delivery] retry_base: a 500 is tried again; nothing is dropped. The
  // event queued after the failing one waits with it, untried.
  Store({Job("1", "Platform Engineer"), Job("2", "Designer")}, {{.name = "hook"}});
  HttpReceiver receiver([](int n) { return n < 2 ? 500 : 200; });
  std::mutex mu;
  std::condition_variable cv;
  bool all_delivered = false;
  auto options = Options({Webhook(receiver.Url("/jobs"))});
  options.on_pending = [&](std::int64_t pending) {
    std::lock_guard lock(mu);
    all_delivered = pending == 0;
    cv.notify_all();
  };
  {
    auto delivery = AlertDelivery::Open(db_, std::move(options));
    ASSERT_TRUE(delivery.has_value());
    DeliveryWorker worker(std::move(*delivery));
    worker.Wake();
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(20), [&] { return all_delivered; }));
  }
  std::vector<std::string> keys;
  for (const ReceivedRequest& r : receiver.requests()) keys.push_back(Key(r));
  EXPECT_THAT(keys, ElementsAre("jobtrawl:hook:new:1", "jobtrawl:hook:new:1", "jobtrawl:hook:new:1",
                                "jobtrawl:hook:new:2"));
  EXPECT_THAT(Column("SELECT attempts || ' ' || CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END "
                     "FROM alert_outbox ORDER BY id"),
              ElementsAre("3 1", "1 1"));
}

TEST_P(AlertsTest, ProcessKilledMidDeliveryDeliversEveryPostingAfterRestart) {
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

  // Restarted (with its receiver on a new port), once the dead process's
  // claim on the event it was sending ran out (2 x timeout + 1 minute).
  HttpReceiver receiver;
  auto restarted = Options({Webhook(receiver.Url("/jobs"))});
  restarted.now = [] { return Clock::now() + std::chrono::minutes(10); };
  auto delivery = AlertDelivery::Open(db_, std::move(restarted));
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

TEST_P(AlertsTest, CommandGetsJsonLinesAndAFailureKeepsThemQueued) {
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

TEST_P(AlertsTest, OneShotCrawlDeliversMatchingPostingsOnceAndDegradedRunsAsAlarms) {
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
      "[storage]\ndatabase = \"" + db_.string() + "\"\n[http]\ndelay = \"0s\"\nallow_private_networks = true\nretries = 0\n"
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
  EXPECT_THAT(std::string(alarm.at("idempotency_key").as_string()), ::testing::StartsWith("jobtrawl:ops:degraded:acme:"));

  // Review of issue 14 part 3: still broken an hour later is the same
  // breakage, no second alarm (one per run paged the operator every run).
  auto still = RunCrawl(ioc, *config, {.parse_threads = 2, .now = [t0] { return t0 + std::chrono::hours(3); }});
  ASSERT_TRUE(still.has_value());
  ASSERT_EQ(still->sources[0].record.status, "degraded");
  EXPECT_EQ(still->alerts_delivered, 0);
  EXPECT_FALSE(std::getline(in, line));
  EXPECT_THAT(Column("SELECT count(*) FROM alert_outbox WHERE event = 'degraded'"), ElementsAre("1"));

  // Fixed, then broken again: a new breakage, a new alarm.
  server.Route("/board", {200, listing(6)});
  auto fixed = RunCrawl(ioc, *config, {.parse_threads = 2, .now = [t0] { return t0 + std::chrono::hours(4); }});
  ASSERT_TRUE(fixed.has_value());
  ASSERT_EQ(fixed->sources[0].record.status, "ok");
  server.Route("/board", {200, "<ul><li class=\"job\"><h3>Platform Engineer</h3></li></ul>"});
  auto again = RunCrawl(ioc, *config, {.parse_threads = 2, .now = [t0] { return t0 + std::chrono::hours(5); }});
  ASSERT_TRUE(again.has_value());
  ASSERT_EQ(again->sources[0].record.status, "degraded");
  EXPECT_EQ(again->alerts_delivered, 1);
  EXPECT_THAT(Column("SELECT count(*) FROM alert_outbox WHERE event = 'degraded'"), ElementsAre("2"));
}

TEST_P(AlertsTest, HangingReceiverCostsOneTimeoutPerPassNotOnePerEvent) {
  // Review of issue 14 part 4: a receiver that accepts and never answers held
  // a pass (and the daemon's shutdown, and a crawl's flush_timeout) for
  // [delivery] timeout per queued event; now the rest wait with the first.
  Store({Job("1", "Platform Engineer"), Job("2", "Designer"), Job("3", "Data Engineer")}, {{.name = "hook"}});
  ControlledReceiver receiver([](int) { return true; }, [](int) { return ControlledReceiver::Status(200); });
  auto options = Options({Webhook(receiver.Url("/jobs"))});
  options.delivery.timeout = std::chrono::milliseconds(300);
  options.delivery.retry_base = options.delivery.retry_max = std::chrono::hours(1);
  std::vector<std::string> log;
  options.log = [&](LogLevel, std::string_view m) { log.emplace_back(m); };
  auto delivery = AlertDelivery::Open(db_, std::move(options));
  ASSERT_TRUE(delivery.has_value());
  auto pass = (*delivery)->DeliverDue();
  ASSERT_TRUE(pass.has_value()) << pass.error().message;
  EXPECT_EQ(pass->failed, 1);
  EXPECT_EQ(pass->delivered, 0);
  EXPECT_EQ(receiver.accepted(), 1);
  EXPECT_THAT(Column("SELECT attempts FROM alert_outbox ORDER BY id"), ElementsAre("1", "0", "0"));
  EXPECT_THAT(Column("SELECT count(DISTINCT next_attempt_at) FROM alert_outbox"), ElementsAre("1"));
  auto wait = (*delivery)->UntilNextDue();
  ASSERT_TRUE(wait.has_value() && wait->has_value());
  EXPECT_GT(**wait, std::chrono::minutes(30));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_THAT(log[0], HasSubstr("with the 2 events queued after it"));
}

TEST_P(AlertsTest, SecondDelivererNeverSendsARowTheFirstIsSending) {
  // Review of issue 14 part 4: the daemon and a one-shot crawl deliver the
  // same outbox; without a claim both sent the row in flight (a duplicate
  // with no crash at all).
  Store({Job("1", "Platform Engineer"), Job("2", "Designer"), Job("3", "Data Engineer")}, {{.name = "hook"}});
  ControlledReceiver receiver([](int n) { return n == 0; }, [](int) { return ControlledReceiver::Status(200); });
  auto first = AlertDelivery::Open(db_, Options({Webhook(receiver.Url("/jobs"))}));
  auto second = AlertDelivery::Open(db_, Options({Webhook(receiver.Url("/jobs"))}));
  ASSERT_TRUE(first.has_value() && second.has_value());
  std::expected<AlertDelivery::Pass, Error> first_pass = AlertDelivery::Pass{};
  std::thread sending([&] { first_pass = (*first)->DeliverDue(); });
  ASSERT_TRUE(receiver.WaitForRequests(1));  // the first is sending row 1, unanswered
  auto second_pass = (*second)->DeliverDue();
  receiver.Release();
  sending.join();
  ASSERT_TRUE(first_pass.has_value() && second_pass.has_value());
  EXPECT_EQ(first_pass->delivered + second_pass->delivered, 3);
  std::multiset<std::string> keys;
  for (const ReceivedRequest& r : receiver.requests()) keys.insert(Key(r));
  EXPECT_EQ(keys.size(), 3u);
  for (const std::string& k : keys) EXPECT_EQ(keys.count(k), 1u) << k;
  EXPECT_THAT(Column("SELECT count(*) FROM alert_outbox WHERE delivered_at IS NULL"), ElementsAre("0"));
}

TEST_P(AlertsTest, StoppingCutsOffAPostThatHangsAndKeepsItsRow) {
  // Review of issue 14 part 4: the worker's destructor (the daemon's SIGTERM)
  // waited out [delivery] timeout for each queued event of a hanging receiver.
  Store({Job("1", "Platform Engineer"), Job("2", "Designer")}, {{.name = "hook"}});
  ControlledReceiver receiver([](int) { return true; }, [](int) { return ControlledReceiver::Status(200); });
  auto options = Options({Webhook(receiver.Url("/jobs"))});
  options.delivery.timeout = std::chrono::minutes(10);
  auto delivery = AlertDelivery::Open(db_, std::move(options));
  ASSERT_TRUE(delivery.has_value());
  {
    DeliveryWorker worker(std::move(*delivery));
    ASSERT_TRUE(receiver.WaitForRequests(1));
  }  // returns without waiting for the answer
  EXPECT_EQ(receiver.accepted(), 1);
  // Neither delivered nor a failed attempt: due again at once for the next process.
  EXPECT_THAT(Column("SELECT attempts || ' ' || CASE WHEN delivered_at IS NULL THEN 1 ELSE 0 END "
                     "FROM alert_outbox ORDER BY id"),
              ElementsAre("0 1", "0 1"));
  EXPECT_THAT(Column("SELECT count(*) FROM alert_outbox WHERE next_attempt_at <= '" + FormatUtc(Clock::now()) + "'"),
              ElementsAre("2"));
}

TEST_P(AlertsTest, RedirectsAndRefusalsSayWhyInLastError) {
  // README "Alerts": redirects are not followed; the failure says where it
  // pointed, and a refusal's answer starts the message, for the operator.
  Store({Job("1", "Platform Engineer")}, {{.name = "hook"}});
  const struct {
    std::string answer;
    std::string error;
  } cases[] = {
      {ControlledReceiver::Status(301, "Location: https://hooks.example.com/new\r\n"),
       "webhook answered HTTP 301 to https://hooks.example.com/new (redirects are not followed"},
      {ControlledReceiver::Status(400, "", "{\"error\":\"bad\npayload\"}"),
       "webhook answered HTTP 400: {\"error\":\"bad payload\"}"},
      {ControlledReceiver::Status(503, "", std::string(5'000'000, 'x')), "webhook answered HTTP 503: xxxx"},
  };
  for (const auto& c : cases) {
    ControlledReceiver receiver([](int) { return false; }, [&](int) { return c.answer; });
    auto delivery = AlertDelivery::Open(db_, Options({Webhook(receiver.Url("/jobs"))}));
    ASSERT_TRUE(delivery.has_value());
    Exec("UPDATE alert_outbox SET next_attempt_at = '2000-01-01T00:00:00Z'");
    auto pass = (*delivery)->DeliverDue();
    ASSERT_TRUE(pass.has_value());
    EXPECT_EQ(pass->failed, 1);
    EXPECT_EQ(receiver.accepted(), 1);  // not followed
    const auto error = Column("SELECT last_error FROM alert_outbox");
    ASSERT_EQ(error.size(), 1u);
    EXPECT_THAT(error[0], HasSubstr(c.error));
    EXPECT_LT(error[0].size(), 400u);
  }
}

TEST_P(AlertsTest, CommandOutputNeverReachesOursAndEndsTheFailureMessage) {
  // Review of issue 14 part 4: a command's stdout and stderr were jobtrawl's
  // own (megabytes of it in `crawl`'s output and the journal); now drained
  // from a pipe, the last of it in last_error.
  Store({Job("1", "Platform Engineer")}, {{.name = "cmd"}});
  config::AlertConfig noisy{
      .name = "cmd",
      .command = {"sh", "-c", "head -c 3000000 /dev/zero | tr '\\0' x; cat >&2; echo; echo pager unreachable >&2; exit 3"}};
  auto delivery = AlertDelivery::Open(db_, Options({noisy}));
  ASSERT_TRUE(delivery.has_value());
  auto pass = (*delivery)->DeliverDue();
  ASSERT_TRUE(pass.has_value());
  EXPECT_EQ(pass->failed, 1);
  const auto error = Column("SELECT last_error FROM alert_outbox");
  ASSERT_EQ(error.size(), 1u);
  EXPECT_THAT(error[0], ::testing::StartsWith("sh exited with status 3 (its output ends: "));
  EXPECT_THAT(error[0], ::testing::EndsWith("pager unreachable)"));
  EXPECT_LT(error[0].size(), 400u);
}

TEST_P(AlertsTest, CommandThatNeverExitsIsKilledWithWhatItStarted) {
  // Review of issue 14 part 4: at [delivery] timeout only the command was
  // killed; what it started (sh -c "notify ...") ran on, forever.
  Store({Job("1", "Platform Engineer")}, {{.name = "cmd"}});
  const std::filesystem::path pidfile = dir_ / "sleeper.pid";
  config::AlertConfig stuck{.name = "cmd",
                            .command = {"sh", "-c", "sleep 600 & echo $! > \"$0\"; wait", pidfile.string()}};
  auto options = Options({stuck});
  options.delivery.timeout = std::chrono::milliseconds(500);
  auto delivery = AlertDelivery::Open(db_, std::move(options));
  ASSERT_TRUE(delivery.has_value());
  auto pass = (*delivery)->DeliverDue();
  ASSERT_TRUE(pass.has_value());
  EXPECT_EQ(pass->failed, 1);
  EXPECT_THAT(Column("SELECT last_error FROM alert_outbox"),
              ElementsAre(HasSubstr("sh took longer than [delivery] timeout: killed")));
  const pid_t sleeper = ReadPid(pidfile);
  ASSERT_GT(sleeper, 0);
  bool ended = false;
  for (int i = 0; i < 2000 && !(ended = Ended(sleeper)); ++i) ::usleep(10'000);  // a kill is not awaitable
  EXPECT_TRUE(ended);
  if (!ended) ::kill(sleeper, SIGKILL);
}

TEST_P(AlertsTest, CommandThatLeavesABackgroundProcessIsDeliveredWhenItExits) {
  // A command may start something that outlives it and holds its output
  // open; its exit status is what counts, not the end of its output.
  Store({Job("1", "Platform Engineer")}, {{.name = "cmd"}});
  const std::filesystem::path pidfile = dir_ / "sleeper.pid";
  config::AlertConfig forking{.name = "cmd",
                              .command = {"sh", "-c", "cat > /dev/null; sleep 600 & echo $! > \"$0\"", pidfile.string()}};
  auto options = Options({forking});
  options.delivery.timeout = std::chrono::minutes(5);
  auto delivery = AlertDelivery::Open(db_, std::move(options));
  ASSERT_TRUE(delivery.has_value());
  auto pass = (*delivery)->DeliverDue();
  ASSERT_TRUE(pass.has_value());
  EXPECT_EQ(pass->delivered, 1);
  const pid_t sleeper = ReadPid(pidfile);
  EXPECT_GT(sleeper, 0);
  if (sleeper > 0) ::kill(sleeper, SIGKILL);
}

TEST_P(AlertsTest, MissingCommandIsAFailedAttemptThatNamesIt) {
  // A command target that does not exist: retried like any failure, and the
  // message says which program.
  Store({Job("1", "Platform Engineer")}, {{.name = "cmd"}});
  auto delivery = AlertDelivery::Open(db_, Options({{.name = "cmd", .command = {"/nonexistent/jobtrawl-notify"}}}));
  ASSERT_TRUE(delivery.has_value());
  auto pass = (*delivery)->DeliverDue();
  ASSERT_TRUE(pass.has_value());
  EXPECT_EQ(pass->failed, 1);
  EXPECT_THAT(Column("SELECT last_error FROM alert_outbox"),
              ElementsAre("cannot run /nonexistent/jobtrawl-notify: No such file or directory"));
}

TEST_P(AlertsTest, EventsUndeliveredForGiveUpAfterAreGivenUpAndCounted) {
  // README "Alerts": a target down for days does not grow the outbox (and a
  // flood on its return) without bound: after [delivery] give_up_after an
  // event is given up, kept, and counted.
  Store({Job("1", "Platform Engineer"), Job("2", "Designer")}, {{.name = "hook"}}, "2026-12-01T10:00:00Z");
  Store({Job("3", "Data Engineer")}, {{.name = "hook"}}, "2026-12-07T10:00:00Z");
  ControlledReceiver receiver([](int) { return false; }, [](int) { return ControlledReceiver::Status(503); });
  auto options = Options({Webhook(receiver.Url("/jobs"))});
  options.delivery.give_up_after = std::chrono::hours(24 * 7);
  options.delivery.retry_base = options.delivery.retry_max = std::chrono::hours(1);
  options.now = [] { return ParseDateTime("2026-12-08T10:00:01Z")->time_point(); };
  std::vector<std::string> outcomes;
  std::vector<std::int64_t> pending;
  options.on_outcome = [&](const std::string& alert, std::string_view outcome, int n) {
    outcomes.push_back(alert + " " + std::string(outcome) + " " + std::to_string(n));
  };
  options.on_pending = [&](std::int64_t n) { pending.push_back(n); };
  auto delivery = AlertDelivery::Open(db_, std::move(options));
  ASSERT_TRUE(delivery.has_value());
  auto pass = (*delivery)->DeliverDue();
  ASSERT_TRUE(pass.has_value());
  EXPECT_EQ(receiver.accepted(), 1);  // only the event of Dec 7 is tried
  EXPECT_THAT(outcomes, ElementsAre("hook given_up 2", "hook failed 1"));
  EXPECT_THAT(pending, ElementsAre(1));
  EXPECT_THAT(Column("SELECT next_attempt_at FROM alert_outbox ORDER BY id LIMIT 2"), ElementsAre("never", "never"));
  EXPECT_THAT(Column("SELECT last_error FROM alert_outbox ORDER BY id LIMIT 1"),
              ElementsAre("given up at 2026-12-08T10:00:01Z ([delivery] give_up_after)"));
  auto again = (*delivery)->DeliverDue();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(receiver.accepted(), 1);  // given-up rows are never tried, the failed one waits
}

TEST_P(AlertsTest, DeliveryOutcomesAreCounted) {
  // jobtrawl_alert_deliveries_total{alert,outcome} and jobtrawl_alert_outbox_pending.
  Store({Job("1", "Platform Engineer"), Job("2", "Designer")}, {{.name = "hook"}});
  HttpReceiver receiver([](int n) { return n == 0 ? 500 : 200; });
  auto options = Options({Webhook(receiver.Url("/jobs"))});
  std::map<std::string, int> outcomes;
  std::vector<std::int64_t> pending;
  options.on_outcome = [&](const std::string& alert, std::string_view outcome, int n) {
    outcomes[alert + " " + std::string(outcome)] += n;
  };
  options.on_pending = [&](std::int64_t n) { pending.push_back(n); };
  auto delivery = AlertDelivery::Open(db_, std::move(options));
  ASSERT_TRUE(delivery.has_value());
  auto flushed = (*delivery)->FlushFor(std::chrono::seconds(20));
  ASSERT_TRUE(flushed.has_value());
  EXPECT_EQ(flushed->delivered, 2);
  EXPECT_EQ(outcomes, (std::map<std::string, int>{{"hook delivered", 2}, {"hook failed", 1}}));
  ASSERT_FALSE(pending.empty());
  EXPECT_EQ(pending.front(), 2);
  EXPECT_EQ(pending.back(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, AlertsTest, storage::testing::BackendValues(), storage::testing::BackendName);

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
  EXPECT_THAT(errors("name = \"x\"\ncommand = [\"a\"]\nquery = \"title:(\"\n"), HasSubstr(":7:9: [[alert]] \"x\": cannot read the query \"title:(\": fts5: syntax error"));
  EXPECT_THAT(errors("name = \"x\"\ncommand = [\"a\"]\nsalary_min = 50000\n"), HasSubstr("needs \"currency\""));
  EXPECT_THAT(errors("name = \"x\"\ncommand = [\"a\"]\ncountry = \"Atlantis\"\n"), HasSubstr("\"country\" must name a country"));
  EXPECT_THAT(errors("name = \"x\"\ncommand = [\"a\"]\npostings = false\n"), HasSubstr("delivers nothing"));
  EXPECT_THAT(errors("name = \"x\"\ncommand = [\"a\"]\nsound = \"loud\"\n"), HasSubstr("unknown key \"sound\" in [[alert]]"));
  EXPECT_THAT(errors("name = \"x\"\ncommand = [\"a\"]\n[[alert]]\nname = \"x\"\ncommand = [\"b\"]\n"),
              HasSubstr("duplicate alert name \"x\""));
#ifdef JOBTRAWL_TEST_POSTGRESQL
  // Issue 15 part 1: on PostgreSQL the query must also be one a tsquery
  // can say (NEAR cannot be); SQLite reads it.
  EXPECT_EQ(errors("name = \"x\"\ncommand = [\"a\"]\nquery = \"NEAR(rust go)\"\n"), "<no errors>");
  auto on_pg = config::ParseConfig("[storage]\ndatabase = \"postgresql://u@127.0.0.1:1/jobs\"\n[[source]]\nname = \"a\"\n"
                                   "start = \"https://a.example/\"\n[[alert]]\nname = \"x\"\ncommand = [\"a\"]\n"
                                   "query = \"NEAR(rust go)\"\n",
                                   "t.toml", "/tmp");
  ASSERT_TRUE(on_pg.has_value());
  const auto pg_errors = CheckAlerts(*on_pg);
  ASSERT_EQ(pg_errors.size(), 1u);
  EXPECT_THAT(pg_errors[0].ToString(), HasSubstr("on PostgreSQL"));
#endif
}

}  // namespace
}  // namespace jobtrawl::app
