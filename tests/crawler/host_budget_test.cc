// The fetcher under a shared host budget (crawler/host_budget.h): no
// request to a host starts before a slot of the budget's begins, each slot
// is taken once, and a host waiting for slots starts when the budget wakes
// it.
#include "crawler/host_budget.h"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>

#include <deque>
#include <map>
#include <set>
#include <vector>

#include "crawler/fetcher.h"
#include "support/test_server.h"

namespace jobtrawl::crawler {
namespace {

using jobtrawl::testing::RunUntil;
using jobtrawl::testing::TestServer;
using namespace std::chrono_literals;

// Hands out the slots the test grants, in order; all on the loop's thread.
class FakeBudget : public HostBudget {
 public:
  std::optional<Clock::time_point> Next(const std::string& host, std::chrono::milliseconds gap, Clock::time_point,
                                        int want, std::function<void()> wake) override {
    EXPECT_GE(want, 1);
    wanted.push_back(want);
    hosts.insert(host);
    gaps.push_back(gap);
    if (handed) return handed;
    if (slots.empty()) {
      waiting.push_back(std::move(wake));
      return std::nullopt;
    }
    handed = slots.front();
    slots.pop_front();
    return handed;
  }
  void Take(const std::string&, Clock::time_point at) override {
    EXPECT_EQ(handed, at);
    taken.push_back(at);
    handed.reset();
  }
  void Grant(std::vector<Clock::time_point> at) {
    slots.insert(slots.end(), at.begin(), at.end());
    auto w = std::move(waiting);
    waiting.clear();
    for (auto& f : w) f();
  }

  std::deque<Clock::time_point> slots;
  std::optional<Clock::time_point> handed;
  std::vector<std::function<void()>> waiting;
  std::vector<Clock::time_point> taken;
  std::set<std::string> hosts;
  std::vector<std::chrono::milliseconds> gaps;
  std::vector<int> wanted;
};

TEST(HostBudgetTest, RequestsWaitForTheBudgetsSlots) {
  GlobalInit();
  boost::asio::io_context ioc;
  TestServer server(ioc);
  for (const char* t : {"/a", "/b", "/c"}) server.Route(t, {200, "x"});
  config::HttpConfig http;
  http.delay = 20ms;
  http.delay_jitter = 0;
  http.obey_robots = false;
  http.allow_private_networks = true;
  http.retries = 0;
  auto budget = std::make_shared<FakeBudget>();
  Fetcher fetcher(ioc, http);
  fetcher.SetHostBudget(budget);
  int done = 0;
  for (const char* t : {"/a", "/b", "/c"}) {
    fetcher.Fetch({.url = server.Url(t)}, [&](FetchResult r) {
      EXPECT_TRUE(r.ok()) << r.error_message;
      ++done;
    });
  }
  // Nothing goes out while the budget has no slot: the host waits to be woken.
  ASSERT_TRUE(RunUntil(ioc, [&] { return !budget->waiting.empty(); }));
  ioc.poll();
  EXPECT_TRUE(server.requests().empty());
  EXPECT_EQ(budget->hosts, std::set<std::string>{"http://" + server.address() + ":" + std::to_string(server.port())});
  EXPECT_EQ(budget->gaps.front(), 20ms);  // the host's own delay is the gap asked for

  const auto now = HostBudget::Clock::now();
  const std::vector<HostBudget::Clock::time_point> slots = {now + 30ms, now + 60ms, now + 90ms};
  budget->Grant(slots);
  ASSERT_TRUE(RunUntil(ioc, [&] { return done == 3; }));
  EXPECT_EQ(budget->taken, slots);  // each slot once, in order
  ASSERT_EQ(server.requests().size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_GE(server.requests()[i].arrived, slots[i]) << i;  // never before its slot begins
  }
}

TEST(HostBudgetTest, AHostWithoutADelayDoesNotWaitForTheBudget) {
  // delay = 0: there is no pace to share across nodes, and slots 0 apart
  // would all have begun before the request could take one (a fleet node
  // reserved slots for such a host for ever and never sent the request).
  GlobalInit();
  boost::asio::io_context ioc;
  TestServer server(ioc);
  server.Route("/a", {200, "x"});
  config::HttpConfig http;
  http.delay = 0ms;
  http.delay_jitter = 0;
  http.obey_robots = false;
  http.allow_private_networks = true;
  http.retries = 0;
  auto budget = std::make_shared<FakeBudget>();  // grants nothing
  Fetcher fetcher(ioc, http);
  fetcher.SetHostBudget(budget);
  bool done = false;
  fetcher.Fetch({.url = server.Url("/a")}, [&](FetchResult r) {
    EXPECT_TRUE(r.ok()) << r.error_message;
    done = true;
  });
  EXPECT_TRUE(RunUntil(ioc, [&] { return done; }, 10s));
  EXPECT_TRUE(budget->hosts.empty());
}

}  // namespace
}  // namespace jobtrawl::crawler
