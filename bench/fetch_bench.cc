// Fetch-only throughput: the fetch engine alone (no parsing, no storage)
// on one event-loop thread, for comparison with wrk on the same pages.
//
// usage: jobtrawl_fetch_bench BASE_URL PATHS_FILE [CONNECTIONS] [SECONDS]
// Fetches the paths in turn, keeping CONNECTIONS transfers in flight, for
// SECONDS; prints requests/s, MB/s and errors as one line of JSON.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "crawler/fetcher.h"

int main(int argc, char** argv) {
  using namespace jobtrawl;
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s BASE_URL PATHS_FILE [CONNECTIONS] [SECONDS]\n", argv[0]);
    return 2;
  }
  const std::string base = argv[1];
  std::vector<std::string> paths;
  {
    std::ifstream in(argv[2]);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) paths.push_back(line);
    }
  }
  if (paths.empty()) {
    std::fprintf(stderr, "no paths in %s\n", argv[2]);
    return 2;
  }
  const int connections = argc > 3 ? std::stoi(argv[3]) : 64;
  const double seconds = argc > 4 ? std::stod(argv[4]) : 10;

  crawler::GlobalInit();
  config::HttpConfig http;
  http.max_connections = connections;
  http.per_host_connections = connections;
  http.delay = std::chrono::milliseconds(0);
  http.obey_robots = false;
  http.allow_private_networks = true;  // the benchmark's server is on 127.0.0.1
  http.retries = 0;
  boost::asio::io_context ioc(1);
  crawler::Fetcher fetcher(ioc, http);

  std::size_t next = 0, done = 0, errors = 0, bytes = 0;
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  bool stopping = false;
  std::function<void()> issue = [&] {
    if (stopping) return;
    fetcher.Fetch({.url = base + paths[next++ % paths.size()]}, [&](FetchResult r) {
      ++done;
      bytes += r.body.size();
      errors += !r.ok();
      if (std::chrono::steady_clock::now() >= end) stopping = true;
      issue();
    });
  };
  for (int i = 0; i < connections; ++i) issue();
  while (!stopping || fetcher.running() > 0) ioc.run_one();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"requests\": %zu, \"seconds\": %.3f, \"requests_per_s\": %.1f, \"mb_per_s\": %.1f, "
              "\"errors\": %zu}\n",
              done, elapsed, static_cast<double>(done) / elapsed,
              static_cast<double>(bytes) / elapsed / 1e6, errors);
  return errors == 0 ? 0 : 1;
}
