// The live progress of `jobtrawl crawl` (issue 13, part 3): redrawn in place
// on a terminal (also a real pseudo-terminal), plain lines elsewhere.
#include "app/progress.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>

#include "support/test_server.h"

namespace jobtrawl::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

TEST(ProgressTest, TerminalRedrawsOneLinePerActiveSourceInPlace) {
  std::ostringstream out;
  const auto t0 = SteadyClock::now();
  {
    ProgressDisplay d(out, ProgressMode::kTerminal);
    d.Started("alpha", "https://a.example/jobs", t0);
    d.Started("beta", "https://b.example/jobs", t0);
    d.Update("alpha", {.pages = 20, .queued = 5, .new_postings = 12, .updated = 1, .errors = 2});
    out.str("");
    d.Tick(t0 + 2s);
    // Back up over the two lines drawn, clear, draw both again.
    EXPECT_EQ(out.str().substr(0, 8), "\r\x1b[2A\x1b[J");
    EXPECT_THAT(out.str(), HasSubstr("alpha            20 pages     5 queued    12 new    1 upd    2 err   10.0/s\n"));
    EXPECT_THAT(out.str(), HasSubstr("\x1b[2Kbeta "));
    out.str("");
    d.Finished("alpha", {.status = "ok", .pages = 25, .counts = {.new_postings = 12}}, t0 + 3s);
    // Its final line stays above the live block, which now holds beta only.
    EXPECT_THAT(out.str(), HasSubstr("alpha: ok: 25 pages, 12 new, 0 updated, 0 closed, 0 errors in 3.0 s\n"));
    EXPECT_THAT(out.str().substr(out.str().find("in 3.0 s")), HasSubstr("beta"));
    EXPECT_THAT(out.str().substr(out.str().find("in 3.0 s")), Not(HasSubstr("alpha")));
    out.str("");
  }
  EXPECT_EQ(out.str(), "\r\x1b[1A\x1b[J");  // the live block goes with the display
}

TEST(ProgressTest, PlainLinesWhenNotATerminalAndNothingWhenQuiet) {
  std::ostringstream out;
  const auto t0 = SteadyClock::now();
  {
    ProgressDisplay d(out, ProgressMode::kPlain, 30s);
    d.Started("alpha", "https://a.example/jobs", t0);
    d.Update("alpha", {.pages = 3});
    d.Tick(t0 + 1s);  // not yet due
    d.Tick(t0 + 40s);
    d.Finished("alpha", {.status = "partial", .pages = 4, .errors = 1}, t0 + 41s);
  }
  EXPECT_EQ(out.str().find('\x1b'), std::string::npos);
  EXPECT_THAT(out.str(), HasSubstr("alpha: crawling https://a.example/jobs\n"));
  EXPECT_THAT(out.str(), HasSubstr("alpha             3 pages"));
  EXPECT_THAT(out.str(), HasSubstr("alpha: partial: 4 pages, 0 new, 0 updated, 0 closed, 1 errors in 41.0 s\n"));
  std::ostringstream quiet;
  {
    ProgressDisplay d(quiet, ProgressMode::kNone);
    d.Started("alpha", "u", t0);
    d.Tick(t0 + 60s);
    d.Finished("alpha", {.status = "ok"}, t0 + 61s);
  }
  EXPECT_EQ(quiet.str(), "");
}

// review13: a live line wider than the terminal wraps onto two rows, and
// "\x1b[NA" (N = lines drawn) then backs up too few rows: each redraw leaves
// the previous block's first rows behind and the display scrolls instead of
// redrawing in place. The common 80-column terminal must hold each line.
TEST(ProgressTest, LiveLinesFitAnEightyColumnTerminal) {
  std::ostringstream out;
  const auto t0 = SteadyClock::now();
  {
    ProgressDisplay d(out, ProgressMode::kTerminal);
    d.Started("greenhouse-monzo", "https://a.example/jobs", t0);
    d.Update("greenhouse-monzo", {.pages = 1200, .queued = 350, .new_postings = 120, .updated = 14, .errors = 3});
    d.Tick(t0 + 2s);
  }
  std::string text = out.str();
  std::string plain;
  for (std::size_t i = 0; i < text.size(); ++i) {  // drop CSI sequences
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      i += 2;
      while (i < text.size() && !(text[i] >= '@' && text[i] <= '~')) ++i;
      continue;
    }
    if (text[i] != '\r') plain += text[i];
  }
  std::istringstream lines(plain);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_LE(line.size(), 80u) << line;
  }
}


// review13: what a terminal shows at the end of the bytes written to it, for
// the sequences the display uses (CR, LF, ESC[nA, ESC[J, ESC[2K).
std::vector<std::string> Screen(const std::string& bytes) {
  std::vector<std::string> rows(1);
  std::size_t row = 0, col = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (c == '\x1b' && i + 1 < bytes.size() && bytes[i + 1] == '[') {
      std::size_t j = i + 2;
      int n = 0;
      bool digits = false;
      while (j < bytes.size() && std::isdigit(static_cast<unsigned char>(bytes[j]))) n = n * 10 + (bytes[j++] - '0'), digits = true;
      const char op = j < bytes.size() ? bytes[j] : 0;
      if (op == 'A') row -= std::min<std::size_t>(row, digits ? n : 1);
      if (op == 'J') { rows[row].resize(std::min(col, rows[row].size())); rows.resize(row + 1); }
      if (op == 'K' && n == 2) rows[row].clear();
      i = j;
      continue;
    }
    if (c == '\r') { col = 0; continue; }
    if (c == '\n') { if (++row == rows.size()) rows.emplace_back(); col = 0; continue; }
    if (rows[row].size() <= col) rows[row].resize(col + 1, ' ');
    rows[row][col++] = c;
  }
  return rows;
}

// review13: `crawl -v` on a terminal writes each failed page below the live
// block, and the next redraw backs up over the block's own lines only, then
// clears to the end of the screen: the failure line is erased (and a stale
// copy of the block's first line is left above). What -v is for is gone.
// Runs jobtrawl with `args`, its standard error on a pseudo-terminal
// (TERM=xterm, not the journal), standard output to /dev/null; returns what
// the terminal received.
std::string RunOnAPty(std::vector<std::string> args) {
  int master = -1, slave = -1;
  if (openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) return "openpty failed";
  args.insert(args.begin(), JOBTRAWL_BINARY);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(slave, STDERR_FILENO);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    close(master);
    setenv("TERM", "xterm", 1);
    unsetenv("JOURNAL_STREAM");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(slave);
  std::string got;
  char buf[4096];
  for (;;) {
    pollfd p{master, POLLIN, 0};
    if (poll(&p, 1, 30000) <= 0) break;
    const ssize_t n = read(master, buf, sizeof buf);
    if (n <= 0) break;  // EIO once the child and its terminal are gone
    got.append(buf, static_cast<std::size_t>(n));
  }
  close(master);
  int status = 0;
  waitpid(pid, &status, 0);
  return got;
}

// `jobtrawl crawl` of the shipped config on a pseudo-terminal, with `extra`.
std::string CrawlOnAPty(const std::vector<std::string>& extra) {
  const auto db = std::filesystem::temp_directory_path() / ("jobtrawl-pty-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(db);
  std::vector<std::string> args = {"crawl", "--config", JOBTRAWL_SOURCE_DIR "/config/jobtrawl.toml", "--db",
                                   db.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  std::string got = RunOnAPty(std::move(args));
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix);
  return got;
}

TEST(ProgressTest, VerboseFailureLinesStayOnTheTerminal) {
  boost::asio::io_context ioc;
  auto work = boost::asio::make_work_guard(ioc);
  jobtrawl::testing::TestServer server(ioc);
  server.Route("/robots.txt", {404, ""});
  server.Route("/slow", {.status = 200, .body = "<html><body>slow</body></html>", .delay = 2500ms});
  server.Route("/gone", {.status = 404, .body = "gone", .delay = 300ms});
  std::thread loop([&] { ioc.run(); });
  const auto dir = std::filesystem::temp_directory_path() / ("jobtrawl-pty-v-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "c.toml") << "[storage]\ndatabase = \"jobs.db\"\n[http]\ndelay = \"0s\"\nretries = 0\n"
                                   "allow_private_networks = true\n[[source]]\nname = \"slow\"\nstart = [\""
                                << server.Url("/slow") << "\"]\n[[source]]\nname = \"gone\"\nstart = [\""
                                << server.Url("/gone") << "\"]\n";
  const std::string got = RunOnAPty({"crawl", "-v", "--config", (dir / "c.toml").string()});
  work.reset();
  ioc.stop();
  loop.join();
  std::filesystem::remove_all(dir);
  ASSERT_THAT(got, HasSubstr("HTTP 404"));  // -v wrote it
  std::string screen;
  for (const auto& r : Screen(got)) screen += r + "\n";
  EXPECT_THAT(screen, HasSubstr("gone: http://")) << screen;
}

TEST(ProgressTest, CrawlOnAPseudoTerminalDrawsInPlace) {
  const std::string shown = CrawlOnAPty({});
  EXPECT_THAT(shown, HasSubstr("\x1b[2K"));  // a live line was drawn
  EXPECT_THAT(shown, HasSubstr("sample-board: ok: 14 pages, 12 new"));
  const std::string quiet = CrawlOnAPty({"-q"});
  EXPECT_EQ(quiet.find('\x1b'), std::string::npos) << quiet;
  EXPECT_THAT(quiet, Not(HasSubstr("sample-board")));
}

}  // namespace
}  // namespace jobtrawl::app
