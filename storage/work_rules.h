// The rules by which a fleet of jobtrawl nodes shares sources and host
// request budgets (issue 15 part 2), as pure functions over plain values.
//
// storage/pg/work_queue.{h,cc} runs them on PostgreSQL (the arithmetic is
// computed here and passed to SQL, or mirrored in one SQL expression that
// tests/storage/pg_work_queue_test.cc checks against these functions), and
// bench/fleet_sim.cc runs them over a simulated fleet with a fake clock.
// Header-only and dependency-free so the simulation builds without libpq.
//
// Times are microseconds since the Unix epoch (UTC), the resolution of
// PostgreSQL's timestamptz. Thread-safety: pure functions, except that
// ReserveSlots updates the HostSlots it is given (the caller serializes,
// as PostgreSQL's row lock does).
#ifndef JOBTRAWL_STORAGE_WORK_RULES_H_
#define JOBTRAWL_STORAGE_WORK_RULES_H_

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>

namespace jobtrawl::storage::work {

using Duration = std::chrono::microseconds;
using Time = std::chrono::sys_time<Duration>;

// ---- Schedule ----------------------------------------------------------

// When a source is first added to the fleet's schedule: spread over one
// interval by a hash of its id, so a fleet that learns of 100,000 sources
// at once does not find them all due in the same second.
// REQUIRES: interval > 0.
inline std::uint64_t SplitMix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
inline Time InitialRunAt(std::int64_t source_id, Duration interval, Time now) {
  const auto span = static_cast<std::uint64_t>(interval.count());
  return now + Duration(static_cast<std::int64_t>(SplitMix64(static_cast<std::uint64_t>(source_id)) % span));
}

// A source may be claimed when it is due and nobody holds an unexpired
// lease on it (a dead node's lease expires; then anyone may take it).
inline bool Claimable(Time next_run_at, std::optional<Time> lease_expires_at, Time now) {
  return next_run_at <= now && (!lease_expires_at || *lease_expires_at <= now);
}

// Claim order: the longest overdue first, ties by id (a total order, so
// every node sees the same queue). A failing source's backoff moves its
// next_run_at later, so it waits behind the others instead of starving them.
inline bool ClaimsBefore(Time a_next_run_at, std::int64_t a_id, Time b_next_run_at, std::int64_t b_id) {
  return a_next_run_at != b_next_run_at ? a_next_run_at < b_next_run_at : a_id < b_id;
}

// ---- Leases ------------------------------------------------------------

struct LeasePolicy {
  // A lease lasts this long after its claim or last renewal; a node renews
  // its leases every ttl / 3, so two missed renewals still keep them.
  Duration ttl = std::chrono::minutes(2);
  Duration renew_every() const { return ttl / 3; }
};

inline Time LeaseExpiry(Time now, const LeasePolicy& p) { return now + p.ttl; }

// ---- Rescheduling after a crawl ----------------------------------------

enum class Outcome { kSuccess, kFailure };

struct BackoffPolicy {
  // After the k-th failure in a row the source is next due
  // min(cap, base * 2^(k-1)) after the failure.
  Duration base = std::chrono::minutes(1);
  Duration cap = std::chrono::hours(6);
};

struct Reschedule {
  // The next run is `delay` after the crawl's start (true) or after now,
  // its end (false).
  bool from_start = true;
  Duration delay{};
  // Consecutive failures after this crawl.
  int attempts = 0;
};

// A success keeps the configured interval between crawl starts (anchored
// at the start, so crawl time does not stretch the interval); a failure
// backs off exponentially from the failure's time, capped, so a source that
// keeps failing costs at most one crawl per `cap`.
// REQUIRES: interval > 0, attempts_before >= 0.
inline Reschedule NextRun(Outcome outcome, Duration interval, int attempts_before, const BackoffPolicy& p) {
  if (outcome == Outcome::kSuccess) return {true, interval, 0};
  const int attempts = attempts_before + 1;
  Duration delay = p.base;
  for (int i = 1; i < attempts && delay < p.cap; ++i) delay *= 2;
  return {false, std::min(delay, p.cap), attempts};
}

inline Time NextRunAt(const Reschedule& r, Time started_at, Time now) {
  return (r.from_start ? started_at : now) + r.delay;
}

// ---- Attempts counted at the claim -------------------------------------
//
// A claim counts an attempt before the crawl runs (attempts + 1), so a run
// that never releases (its node crashes, or is killed, every time) still
// counts: if its lease expires, the source is next due
// ExpiryBackoff(attempts after the claim) after the expiry, not at once.
// The first expiry in a row is taken over at once (the node may have died
// of something else; the source is presumably innocent); each further one
// backs off as a failure does. A release sets the count (0 on success,
// one more than before the run on failure); a run given back unfinished (a
// drain, a claim the node cannot crawl) takes its attempt back.
// REQUIRES: attempts >= 0.
inline Duration ExpiryBackoff(int attempts, const BackoffPolicy& p) {
  if (attempts <= 1) return Duration::zero();
  return NextRun(Outcome::kFailure, Duration(1), attempts - 2, p).delay;
}

// ---- Per-host request budget -------------------------------------------
//
// Each host has one reservation cursor, next_free_at. A node about to send
// n requests to a host reserves n slots, `gap` apart, starting at
// max(next_free_at, now), and moves the cursor past them; it sends request
// i no earlier than slot i. Reservations are serialized by the host row's
// lock, so every reserved slot on the database's timeline is at least `gap`
// after the previous one, whichever node holds it: in any window of length
// W at most floor(W / gap) + 1 slots begin, however many nodes there are.
// A node books no further ahead than `horizon` (the request is refused and
// the node asks again later), so a crashed node wastes at most its own
// reserved slots (under-use, never over-use).
//
// Worst case on the wire: a node sends at its slot as its own clock sees
// it (it waits the slot's offset from the database's `now`, which the
// reservation returns), so two requests in neighbouring slots from two
// nodes can come closer than `gap` by the difference of the two nodes'
// delays between reservation and send (the reply's one-way latency and
// scheduling), and never by more; over any window W the count stays at
// most floor((W + that difference) / gap) + 1.

struct HostSlots {
  // No row yet is the same as a cursor in the past.
  Time next_free_at{};
  std::int64_t reserved = 0;
};

struct SlotGrant {
  Time first;     // slot i begins at first + i * gap
  Duration gap;
  int count = 0;
};

// REQUIRES: n > 0, gap > 0, horizon >= 0. nullopt (and no change) when the
// host is already booked beyond now + horizon.
inline std::optional<SlotGrant> ReserveSlots(HostSlots& host, Time now, int n, Duration gap, Duration horizon) {
  if (host.next_free_at > now + horizon) return std::nullopt;
  const Time first = std::max(host.next_free_at, now);
  host.next_free_at = first + gap * n;
  host.reserved += n;
  return SlotGrant{first, gap, n};
}

// A request ready at `ready` is sent at the start of the first slot of
// `grant` (from index `from` on) that has not begun yet; a slot whose start
// has passed is skipped, never used late, so late requests cannot bunch up
// with the next slot's. nullopt: none left; reserve again.
inline std::optional<int> FirstUsableSlot(const SlotGrant& grant, int from, Time ready) {
  for (int i = from; i < grant.count; ++i) {
    if (grant.first + grant.gap * i >= ready) return i;
  }
  return std::nullopt;
}

}  // namespace jobtrawl::storage::work

#endif  // JOBTRAWL_STORAGE_WORK_RULES_H_
