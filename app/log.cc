#include "app/log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>

#include "model/clock.h"

namespace jobtrawl::app {

bool StderrIsJournal() {
  // systemd sets JOURNAL_STREAM to "device:inode" of the stream it connected.
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  struct stat st {};
  if (fstat(STDERR_FILENO, &st) != 0) return false;
  unsigned long long dev = 0, ino = 0;
  if (std::sscanf(stream, "%llu:%llu", &dev, &ino) != 2) return false;
  return dev == static_cast<unsigned long long>(st.st_dev) &&
         ino == static_cast<unsigned long long>(st.st_ino);
}

std::string FormatLogLine(LogLevel level, std::string_view message, bool journal) {
  std::string line;
  if (journal) {
    line = "<" + std::to_string(static_cast<int>(level)) + ">";
  } else {
    static constexpr const char* kWords[] = {"", "", "", "error", "warning", "notice", "info", "debug"};
    line = FormatUtc(Clock::now()) + " " + kWords[static_cast<int>(level)] + " ";
  }
  // One event, one line: newlines inside a message would split it.
  for (char c : message) line.push_back(c == '\n' || c == '\r' ? ' ' : c);
  return line;
}

void LogLine(LogLevel level, std::string_view message) {
  static const bool journal = StderrIsJournal();
  static std::mutex mu;
  std::string line = FormatLogLine(level, message, journal);
  line.push_back('\n');
  std::lock_guard lock(mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace jobtrawl::app
