// `jobtrawl run`: the long-running service. Each source is crawled every
// `every` (with jitter), all sharing one fetcher and its limits; the next
// run time of each source is stored, so a restart continues the schedule
// instead of crawling everything at once. README "Running as a service".
#ifndef JOBTRAWL_APP_DAEMON_H_
#define JOBTRAWL_APP_DAEMON_H_

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "app/log.h"
#include "config/config.h"
#include "model/clock.h"

namespace jobtrawl::app {

struct DaemonOptions {
  std::filesystem::path config_path;  // re-read on SIGHUP
  int parse_threads = 0;              // 0: one per core
  // On SIGTERM/SIGINT, transfers in flight get this long to finish.
  std::chrono::milliseconds shutdown_grace{std::chrono::seconds(10)};
  // Sources that are due when the daemon starts are spread over this window.
  std::chrono::milliseconds startup_spread{std::chrono::seconds(30)};
  double every_jitter = 0.1;  // each interval is `every` ± this fraction
  std::chrono::milliseconds lease_ttl{std::chrono::minutes(2)};
  NowFunction now = [] { return Clock::now(); };
  LogFunction log = LogLine;
  // Service manager messages ("READY=1", "STATUS=...", "WATCHDOG=1",
  // "STOPPING=1"); by default sd_notify(3).
  std::function<void(const std::string&)> notify;
};

// Lives on the io_context's thread.
class Daemon {
 public:
  Daemon(boost::asio::io_context& ioc, config::Config config, DaemonOptions options);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Serves until stopped by SIGTERM/SIGINT or Stop(); returns the exit code
  // (0 after an orderly stop, 3 when the database cannot be used). SIGHUP
  // reloads the config; an invalid one is logged and the old one kept.
  int Run();

  // What SIGTERM and SIGHUP do, callable from the loop (tests, tools).
  void Stop();
  void Reload();

  // Runs finished since start, for tests and the status line.
  std::size_t completed_runs() const;
  // The port metrics are served on ([metrics] listen; port 0 there takes a
  // free one); 0 when they are off or could not be served.
  std::uint16_t metrics_port() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// sd_notify(3) when built with libsystemd and NOTIFY_SOCKET is set.
void NotifyServiceManager(const std::string& message);

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_DAEMON_H_
