// Issue 10 known fault 3 in the daemon: handlers that run after their owner
// is destroyed, when an io_context outlives it.
#include <gtest/gtest.h>

#include <malloc.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "app/daemon.h"
#include "crawler/fetcher.h"

namespace jobtrawl::app {
namespace {

// Daemon::Impl posts writer answers to the loop as [this, ...] handlers with
// no liveness check (AddSource's ReadNextRun answer, Fire's OpenRun answer,
// daemon.cc). A daemon stopped before the writer answered ends its Run(),
// and writer_.reset() then answers and posts the handler; the io_context
// outlives the daemon, and the next run of the loop calls
// sources_.find(name) on the freed Impl. Freed memory is filled
// (M_PERTURB) so the use after free crashes instead of passing silently.
TEST(DaemonLifetimeTest, NoHandlerTouchesADaemonThatIsGone) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("jobtrawl-daemon-lifetime-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir / "jobtrawl.toml");
    out << "[storage]\ndatabase = \"jobs.db\"\n[http]\nallow_private_networks = true\n";
    for (int i = 0; i < 8; ++i) {
      out << "[[source]]\nname = \"s" << i << "\"\nstart = [\"http://127.0.0.1:9/board\"]\n";
    }
  }
  crawler::GlobalInit();
  EXPECT_EXIT(
      {
        mallopt(M_PERTURB, 0xa5);
        boost::asio::io_context ioc;
        auto config = config::LoadConfig(dir / "jobtrawl.toml");
        if (!config) std::exit(2);
        auto daemon = std::make_unique<Daemon>(
            ioc, *config,
            DaemonOptions{.config_path = dir / "jobtrawl.toml",
                          .parse_threads = 1,
                          .startup_spread = std::chrono::milliseconds(0),
                          .log = [](LogLevel, std::string_view) {},
                          .notify = [](const std::string&) {}});
        // Stop as the very first handler: before the writer's answers are in.
        boost::asio::post(ioc, [&] { daemon->Stop(); });
        if (daemon->Run() != 0) std::exit(3);
        daemon.reset();
        ioc.restart();
        if (std::getenv("BREAK_CONTROL_NO_POLL") == nullptr) ioc.poll();  // the loop goes on (another daemon, a test, a tool)
        std::exit(0);
      },
      ::testing::ExitedWithCode(0), "");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace jobtrawl::app
