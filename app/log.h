// One line per event on stderr. Under systemd (stderr connected to the
// journal, as $JOURNAL_STREAM says) each line starts with its syslog
// priority, "<3>" to "<7>", which journald turns into the entry's priority;
// elsewhere lines carry a UTC time and a level word. Thread-safe.
#ifndef JOBTRAWL_APP_LOG_H_
#define JOBTRAWL_APP_LOG_H_

#include <functional>
#include <string>
#include <string_view>

namespace jobtrawl::app {

enum class LogLevel { kError = 3, kWarning = 4, kNotice = 5, kInfo = 6, kDebug = 7 };

using LogFunction = std::function<void(LogLevel, std::string_view)>;

// Writes to stderr in the format chosen once, at the first call.
void LogLine(LogLevel level, std::string_view message);

// The formatted line (without newline), for tests and for other sinks.
std::string FormatLogLine(LogLevel level, std::string_view message, bool journal);

// True when stderr is the journal stream systemd set up for this service.
bool StderrIsJournal();

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_LOG_H_
