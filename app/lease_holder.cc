#include "app/lease_holder.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

namespace jobtrawl::app {

namespace {

template <typename T>
std::optional<T> Number(std::string_view text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::string HostName() {
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  return host;
}

std::string LeaseHolderName(std::string_view role) {
  const pid_t pid = ::getpid();
  return std::string(role) + " " + HostName() + ":" + std::to_string(pid) + ":" +
         std::to_string(ProcessStartTime(pid).value_or(0));
}

std::optional<LeaseHolderId> ParseLeaseHolder(std::string_view holder) {
  const size_t space = holder.find(' ');
  if (space == std::string_view::npos || space == 0) return std::nullopt;
  LeaseHolderId id{.role = std::string(holder.substr(0, space))};
  std::string_view rest = holder.substr(space + 1);
  std::vector<std::string_view> parts;
  for (size_t colon; (colon = rest.find(':')) != std::string_view::npos;) {
    parts.push_back(rest.substr(0, colon));
    rest.remove_prefix(colon + 1);
  }
  parts.push_back(rest);
  if (parts.size() < 2 || parts.size() > 3 || parts[0].empty()) return std::nullopt;
  id.host = std::string(parts[0]);
  auto pid = Number<pid_t>(parts[1]);
  if (!pid || *pid <= 0) return std::nullopt;
  id.pid = *pid;
  if (parts.size() == 3) {
    id.start_time = Number<std::uint64_t>(parts[2]);
    if (!id.start_time) return std::nullopt;
  }
  return id;
}

std::optional<std::uint64_t> ProcessStartTime(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  const std::string stat = text.str();
  // "PID (COMM) STATE ...": COMM may hold spaces and parentheses, so the
  // fields are counted from the last ')'. STATE is field 3, starttime 22.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  for (int n = 3; n <= 22 && fields >> field; ++n) {
    if (n == 3 && (field == "Z" || field == "X")) return std::nullopt;  // exited
    if (n == 22) return Number<std::uint64_t>(field);
  }
  return std::nullopt;
}

bool LeaseHolderIsDead(std::string_view holder) {
  auto id = ParseLeaseHolder(holder);
  if (!id || id->host != HostName()) return false;
  if (::kill(id->pid, 0) != 0 && errno == ESRCH) return true;
  // It exists (maybe as another user's process). Where /proc hides it
  // (hidepid), nothing more can be known: alive.
  if (!std::ifstream("/proc/" + std::to_string(id->pid) + "/stat")) return false;
  auto started = ProcessStartTime(id->pid);
  if (!started) return true;  // a zombie: exited, not yet reaped
  return id->start_time && *id->start_time != *started;
}

}  // namespace jobtrawl::app
