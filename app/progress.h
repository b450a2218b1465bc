// What `jobtrawl crawl` shows while it runs, on standard error. On a
// terminal: one line per active source (pages done and queued, postings new
// and updated, errors, rate), redrawn in place a few times a second with ANSI
// cursor movement; a source that ends leaves one final line above them.
// Elsewhere (a pipe, a file, the journal): plain lines, one when a source
// starts and one when it ends, and a line per active source every
// `plain_every`. Nothing with -q. Lives on the event loop's thread.
#ifndef JOBTRAWL_APP_PROGRESS_H_
#define JOBTRAWL_APP_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "storage/store.h"

namespace jobtrawl::app {

enum class ProgressMode { kNone, kTerminal, kPlain };

// kTerminal when standard error is a terminal (TERM not "dumb") and not the
// journal, kPlain otherwise, kNone when `quiet`.
ProgressMode ChooseProgressMode(bool quiet);

// Columns of the terminal on standard error (TIOCGWINSZ), else 80.
int TerminalWidth();

struct SourceProgress {
  std::int64_t pages = 0;
  std::int64_t queued = 0;
  std::int64_t new_postings = 0;
  std::int64_t updated = 0;
  std::int64_t errors = 0;
};

class ProgressDisplay {
 public:
  using SteadyClock = std::chrono::steady_clock;

  // `width`: the terminal's columns; live lines are cut to width - 1 so that
  // none wraps (a wrapped line would break the redraw).
  ProgressDisplay(std::ostream& out, ProgressMode mode,
                  std::chrono::milliseconds plain_every = std::chrono::seconds(30), int width = 80);
  ~ProgressDisplay();  // a terminal display is left with its final lines only

  void Started(const std::string& source, const std::string& url, SteadyClock::time_point now);
  void Update(const std::string& source, const SourceProgress& progress);
  void Finished(const std::string& source, const storage::RunRecord& record, SteadyClock::time_point now);
  // Redraws (terminal) or prints the periodic lines (plain) when due.
  void Tick(SteadyClock::time_point now);
  // A line of its own (a log line), kept above the live block on a terminal.
  void Print(const std::string& line);

 private:
  struct Active {
    std::string name;
    SourceProgress progress;
    SteadyClock::time_point started;
  };
  std::string Line(const Active& a, SteadyClock::time_point now) const;  // at most width_ - 1 columns
  void Erase();                          // the live block, on a terminal
  void Draw(SteadyClock::time_point now);  // the live block, on a terminal

  std::ostream& out_;
  const ProgressMode mode_;
  const std::chrono::milliseconds plain_every_;
  const std::size_t width_;
  std::vector<Active> active_;
  std::size_t drawn_ = 0;  // lines of the live block on screen
  std::size_t name_width_ = 12;  // at most kMaxNameWidth
  static constexpr std::size_t kMaxNameWidth = 20;
  SteadyClock::time_point last_plain_{};
};

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_PROGRESS_H_
