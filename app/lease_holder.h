// Who holds a source's lease (storage's source_leases.holder), and whether
// that process still exists. A holder names its role, host, pid and the
// process's start time (proc(5) /proc/PID/stat field 22), so a pid the
// kernel has since given to another process is not mistaken for it:
//   "crawl build-host:4242:1234567"
// The part before the second colon is for people; the rest is for
// LeaseHolderIsDead. Linux only (reads /proc).
#ifndef JOBTRAWL_APP_LEASE_HOLDER_H_
#define JOBTRAWL_APP_LEASE_HOLDER_H_

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jobtrawl::app {

// "crawl HOST:PID:STARTTIME" or "daemon HOST:PID:STARTTIME" for this process.
std::string LeaseHolderName(std::string_view role);

struct LeaseHolderId {
  std::string role;  // "crawl", "daemon", ...
  std::string host;
  pid_t pid = 0;
  std::optional<std::uint64_t> start_time;  // absent in holders written before it was recorded
};

// Reads a holder written by LeaseHolderName (or the older "ROLE HOST:PID");
// nullopt for anything else (a holder written by hand or by a test).
std::optional<LeaseHolderId> ParseLeaseHolder(std::string_view holder);

// The start time of process `pid` in clock ticks after boot, or nullopt
// when there is no such process or it is a zombie (it has exited and holds
// nothing any more).
std::optional<std::uint64_t> ProcessStartTime(pid_t pid);

// This machine's host name, as lease holders carry it.
std::string HostName();

// True only when `holder` names a process on this host that is certainly
// gone: no process has its pid, or the one that has it started at another
// time. Holders on other hosts and holders it cannot read are alive.
bool LeaseHolderIsDead(std::string_view holder);

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_LEASE_HOLDER_H_
