#include "app/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "app/log.h"

namespace jobtrawl::app {

ProgressMode ChooseProgressMode(bool quiet) {
  if (quiet) return ProgressMode::kNone;
  const char* term = std::getenv("TERM");
  const bool dumb = term == nullptr || std::string_view(term) == "dumb";
  if (isatty(STDERR_FILENO) == 1 && !dumb && !StderrIsJournal()) return ProgressMode::kTerminal;
  return ProgressMode::kPlain;
}

int TerminalWidth() {
  winsize ws{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
  return 80;
}

namespace {

std::string Seconds(std::chrono::steady_clock::duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", std::chrono::duration<double>(d).count());
  return buf;
}

}  // namespace

ProgressDisplay::ProgressDisplay(std::ostream& out, ProgressMode mode, std::chrono::milliseconds plain_every,
                                 int width)
    : out_(out), mode_(mode), plain_every_(plain_every), width_(static_cast<std::size_t>(std::max(width, 20))) {}

ProgressDisplay::~ProgressDisplay() {
  if (mode_ == ProgressMode::kTerminal) {
    Erase();
    out_.flush();
  }
}

std::string ProgressDisplay::Line(const Active& a, SteadyClock::time_point now) const {
  const double elapsed = std::max(0.001, std::chrono::duration<double>(now - a.started).count());
  std::string name = a.name.size() > kMaxNameWidth ? a.name.substr(0, kMaxNameWidth - 1) + "~" : a.name;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-*s %6lld pages %5lld queued %5lld new %4lld upd %4lld err %6.1f/s",
                static_cast<int>(name_width_), name.c_str(), static_cast<long long>(a.progress.pages),
                static_cast<long long>(a.progress.queued), static_cast<long long>(a.progress.new_postings),
                static_cast<long long>(a.progress.updated), static_cast<long long>(a.progress.errors),
                static_cast<double>(a.progress.pages) / elapsed);
  std::string line = buf;
  if (line.size() > width_ - 1) line.resize(width_ - 1);  // never wraps
  return line;
}

void ProgressDisplay::Erase() {
  if (drawn_ == 0) return;
  // Up to the block's first line (CUU), then clear from there to the end (ED).
  out_ << "\r\x1b[" << drawn_ << "A\x1b[J";
  drawn_ = 0;
}

void ProgressDisplay::Draw(SteadyClock::time_point now) {
  for (const Active& a : active_) out_ << "\x1b[2K" << Line(a, now) << '\n';
  drawn_ = active_.size();
  out_.flush();
}

void ProgressDisplay::Started(const std::string& source, const std::string& url, SteadyClock::time_point now) {
  if (mode_ == ProgressMode::kNone) return;
  name_width_ = std::max(name_width_, std::min(source.size(), kMaxNameWidth));
  active_.push_back({source, {}, now});
  if (mode_ == ProgressMode::kPlain) {
    out_ << source << ": crawling " << url << '\n';
    out_.flush();
  } else {
    Erase();
    Draw(now);
  }
}

void ProgressDisplay::Update(const std::string& source, const SourceProgress& progress) {
  for (Active& a : active_) {
    if (a.name == source) a.progress = progress;
  }
}

void ProgressDisplay::Finished(const std::string& source, const storage::RunRecord& r,
                               SteadyClock::time_point now) {
  if (mode_ == ProgressMode::kNone) return;
  auto it = std::find_if(active_.begin(), active_.end(), [&](const Active& a) { return a.name == source; });
  const std::string took = it != active_.end() ? " in " + Seconds(now - it->started) : "";
  if (mode_ == ProgressMode::kTerminal) Erase();
  if (it != active_.end()) active_.erase(it);
  out_ << source << ": " << r.status << ": " << r.pages << " pages, " << r.counts.new_postings << " new, "
       << r.counts.updated << " updated, " << r.closed << " closed, " << r.errors << " errors" << took << '\n';
  if (mode_ == ProgressMode::kTerminal) Draw(now);
  out_.flush();
}

void ProgressDisplay::Print(const std::string& line) {
  if (mode_ == ProgressMode::kTerminal) Erase();
  out_ << line << '\n';
  if (mode_ == ProgressMode::kTerminal) Draw(SteadyClock::now());
  out_.flush();
}

void ProgressDisplay::Tick(SteadyClock::time_point now) {
  if (mode_ == ProgressMode::kTerminal) {
    Erase();
    Draw(now);
    return;
  }
  if (mode_ != ProgressMode::kPlain || active_.empty()) return;
  if (last_plain_ == SteadyClock::time_point{}) last_plain_ = now;
  if (now - last_plain_ < plain_every_) return;
  last_plain_ = now;
  for (const Active& a : active_) out_ << Line(a, now) << '\n';
  out_.flush();
}

}  // namespace jobtrawl::app
