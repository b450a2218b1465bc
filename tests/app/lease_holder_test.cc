// Lease holders name their process with its start time, so a dead one is
// recognised at once and a reused pid does not pass for it (known fault 8).
#include "app/lease_holder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

namespace jobtrawl::app {
namespace {

std::string Holder(pid_t pid, std::optional<std::uint64_t> start) {
  return "crawl " + HostName() + ":" + std::to_string(pid) +
         (start ? ":" + std::to_string(*start) : std::string());
}

// A pid no process has: a child that has exited and been reaped.
pid_t ReapedPid() {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

TEST(LeaseHolderTest, NameCarriesHostPidAndStartTime) {
  // "crawl HOST:PID:STARTTIME", readable back.
  auto id = ParseLeaseHolder(LeaseHolderName("crawl"));
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->role, "crawl");
  EXPECT_EQ(id->host, HostName());
  EXPECT_EQ(id->pid, ::getpid());
  EXPECT_EQ(id->start_time, ProcessStartTime(::getpid()));
  EXPECT_TRUE(id->start_time.has_value());
}

TEST(LeaseHolderTest, ParsesOldAndRejectsForeignHolders) {
  // Holders written before start times were recorded still parse; anything
  // else (written by hand, by a test) is not ours to judge.
  auto old = ParseLeaseHolder("daemon box:42");
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->pid, 42);
  EXPECT_FALSE(old->start_time.has_value());
  for (const char* foreign : {"daemon:1", "cron:2", "crawl box", "crawl box:x", "crawl box:0",
                              "crawl box:1:2:3", "crawl :5", "crawl box:5:-1"}) {
    EXPECT_FALSE(ParseLeaseHolder(foreign).has_value()) << foreign;
  }
}

TEST(LeaseHolderTest, LivenessFollowsPidAndStartTime) {
  // Dead: no such pid, or the pid now belongs to a process started at
  // another time. Alive: ourselves, other hosts, holders we cannot read.
  const auto start = ProcessStartTime(::getpid());
  ASSERT_TRUE(start.has_value());
  EXPECT_FALSE(LeaseHolderIsDead(Holder(::getpid(), start)));
  EXPECT_FALSE(LeaseHolderIsDead(Holder(::getpid(), std::nullopt)));
  EXPECT_TRUE(LeaseHolderIsDead(Holder(::getpid(), *start + 1)));
  const pid_t gone = ReapedPid();
  EXPECT_FALSE(ProcessStartTime(gone).has_value());
  EXPECT_TRUE(LeaseHolderIsDead(Holder(gone, 12345)));
  EXPECT_TRUE(LeaseHolderIsDead(Holder(gone, std::nullopt)));
  EXPECT_FALSE(LeaseHolderIsDead("crawl another-host.example:" + std::to_string(gone) + ":1"));
  EXPECT_FALSE(LeaseHolderIsDead("daemon test:1"));
}

TEST(LeaseHolderTest, ZombieHoldsNothing) {
  // Killed but not yet reaped by its parent: it can no longer crawl.
  pid_t child = ::fork();
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  const auto start = ProcessStartTime(child);
  ASSERT_TRUE(start.has_value());
  EXPECT_FALSE(LeaseHolderIsDead(Holder(child, start)));
  ::kill(child, SIGKILL);
  // Until waitpid, the child is a zombie; siginfo says when it has died.
  siginfo_t info{};
  ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOWAIT), 0);
  EXPECT_TRUE(LeaseHolderIsDead(Holder(child, start)));
  int status = 0;
  ::waitpid(child, &status, 0);
}

}  // namespace
}  // namespace jobtrawl::app
