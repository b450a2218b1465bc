// Issue 10 part 5, resource bounds: the real daemon crawls an endless,
// ever-changing board for a bounded time (JOBTRAWL_SOAK_SECONDS, default
// 120) while its resident memory, open descriptors and database size are
// sampled. After warm-up neither memory nor descriptors may keep growing.
// The samples are printed; README "Operations" quotes a run of it.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "support/child_process.h"
#include "support/test_server.h"

namespace jobtrawl::app {
namespace {

using jobtrawl::testing::ChildProcess;
using jobtrawl::testing::Reply;
using jobtrawl::testing::TestServer;
using namespace std::chrono_literals;

constexpr int kSources = 4;
constexpr int kPages = 3;    // listing pages per source
constexpr int kPerPage = 15;  // postings per listing page

// Every 2 s the board moves on: 5 postings per page leave, 5 others come,
// and the descriptions of those that stay change (updates, closings,
// reopenings). Ids cycle through kIdSpace, so after warm-up the postings,
// listings and HTTP cache stop growing; the database still grows by the
// history of changed descriptions (revisions), which is data, and the
// writer's page cache is bounded (8 MiB). Whatever memory still grows is a
// leak.
constexpr int kIdSpace = 240;
int Epoch() {
  using namespace std::chrono;
  return static_cast<int>(duration_cast<seconds>(steady_clock::now().time_since_epoch()).count() / 2);
}

Reply Page(const std::string& target) {
  int source = 0, page = 0, id = 0;
  if (std::sscanf(target.c_str(), "/s%d/jobs?page=%d", &source, &page) == 2) {
    const int epoch = Epoch();
    std::string html = "<html><body><ul>";
    for (int i = 0; i < kPerPage; ++i) {
      const int n = (epoch * 5 + (page - 1) * kPerPage + i) % kIdSpace;
      html += "<li><a href=\"/s" + std::to_string(source) + "/job/" + std::to_string(n) + "\">" +
              std::to_string(n) + "</a></li>";
    }
    html += "</ul>";
    if (page < kPages) {
      html += "<a rel=\"next\" href=\"/s" + std::to_string(source) + "/jobs?page=" + std::to_string(page + 1) + "\">next</a>";
    }
    return {200, html + "</body></html>"};
  }
  if (std::sscanf(target.c_str(), "/s%d/job/%d", &source, &id) == 2) {
    const std::string key = std::to_string(source) + "-" + std::to_string(id);
    return {200, R"(<html><head><script type="application/ld+json">{"@type":"JobPosting","title":"Soak engineer )" +
                     key + R"(","hiringOrganization":{"name":"Soak )" + std::to_string(source) +
                     R"("},"identifier":")" + key + R"(","jobLocation":{"address":"Berlin, DE"},
                     "description":"<p>Round )" + std::to_string(Epoch() % 3) + R"(: )" + std::string(800, 'x') +
                     R"(</p>"}</script></head><body></body></html>)"};
  }
  return {404, "no"};
}

struct Sample {
  double at_s;
  long rss_kib;
  long fds;
  std::uintmax_t db_bytes;
};

long RssKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

long OpenFds(pid_t pid) {
  std::error_code ec;
  long n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++n;
  }
  return n;
}

std::uintmax_t FileSize(const std::filesystem::path& p) {
  std::error_code ec;
  auto n = std::filesystem::file_size(p, ec);
  return ec ? 0 : n;
}

TEST(SoakTest, DaemonMemoryAndDescriptorsStayFlat) {
  // Part 5: bounded in time, stops by itself, fails on growth after warm-up.
  const char* env = std::getenv("JOBTRAWL_SOAK_SECONDS");
  const int seconds = env != nullptr ? std::max(20, std::atoi(env)) : 120;
  const auto dir = std::filesystem::temp_directory_path() / ("jobtrawl-soak-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  boost::asio::io_context server_ioc;
  TestServer server(server_ioc);
  server.Fallback(Page);
  auto work = boost::asio::make_work_guard(server_ioc);
  std::thread server_thread([&] { server_ioc.run(); });

  {
    std::ofstream config(dir / "jobtrawl.toml");
    config << "[storage]\ndatabase = \"jobs.db\"\n[http]\ndelay = \"0s\"\nallow_private_networks = true\n"
              "per_host_connections = 4\n";
    for (int s = 1; s <= kSources; ++s) {
      config << "[[source]]\nname = \"soak-" << s << "\"\nstart = [\"" << server.Url("/s" + std::to_string(s) + "/jobs?page=1")
             << "\"]\nevery = \"1s\"\nclose_after = \"1s\"\n"
             << "follow = { detail = \"/job/[0-9]+\", next = \"page=[0-9]+\" }\n";
    }
  }
  ChildProcess daemon({"run", "-c", (dir / "jobtrawl.toml").string()}, dir / "daemon.log");
  std::vector<Sample> samples;
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(seconds)) {
    std::this_thread::sleep_for(2s);  // the sampling period, not a wait for an event
    ASSERT_FALSE(daemon.Wait(0ms).has_value()) << "the daemon exited; see " << (dir / "daemon.log");
    samples.push_back({std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                       RssKib(daemon.pid()), OpenFds(daemon.pid()),
                       FileSize(dir / "jobs.db") + FileSize(dir / "jobs.db-wal")});
  }
  daemon.Signal(SIGTERM);
  auto status = daemon.Wait(30s);
  work.reset();
  server_ioc.stop();
  server_thread.join();
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);

  std::cout << "   t(s)  RSS(MiB)  fds   db(KiB)\n";
  for (const Sample& s : samples) {
    std::printf("%7.1f %9.1f %4ld %9ju\n", s.at_s, s.rss_kib / 1024.0, s.fds, s.db_bytes / 1024);
  }
  const std::size_t warm = samples.size() * 2 / 5;
  const std::size_t mid = warm + (samples.size() - warm) / 2;
  auto max_of = [&](std::size_t from, std::size_t to, auto field) {
    long m = 0;
    for (std::size_t i = from; i < to; ++i) m = std::max(m, static_cast<long>(samples[i].*field));
    return m;
  };
  const long rss_a = max_of(warm, mid, &Sample::rss_kib), rss_b = max_of(mid, samples.size(), &Sample::rss_kib);
  const long fds_a = max_of(warm, mid, &Sample::fds), fds_b = max_of(mid, samples.size(), &Sample::fds);
  std::cout << "after warm-up: peak RSS " << rss_a / 1024.0 << " then " << rss_b / 1024.0
            << " MiB; peak descriptors " << fds_a << " then " << fds_b << "; " << server.requests().size()
            << " requests served\n";
  EXPECT_LE(rss_b, rss_a + rss_a / 20 + 1024) << "resident memory kept growing after warm-up";
  EXPECT_LE(fds_b, fds_a + 2) << "descriptors kept growing after warm-up";
  EXPECT_GT(server.requests().size(), static_cast<std::size_t>(seconds) * 10) << "the daemon hardly crawled";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace jobtrawl::app
