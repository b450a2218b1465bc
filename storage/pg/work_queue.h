// Work sharing between jobtrawl nodes on one PostgreSQL database (issue 15
// part 2): the unit of work is a source; nodes register and heartbeat,
// claim due sources under a lease (SELECT ... FOR UPDATE SKIP LOCKED,
// https://www.postgresql.org/docs/15/sql-select.html#SQL-FOR-UPDATE-SHARE),
// renew, release with the next run time, and reserve request slots per
// host so politeness holds across nodes. The rules (claim order, backoff,
// slot reservation) are storage/work_rules.h; this file runs them in SQL.
//
// Tables (WorkQueueSchemaSql, a migration of its own appended to the
// PostgreSQL schema; docs/schema.md "Fleet coordination"):
//   nodes(name, hostname, pid, started_at, heartbeat_at, stopped_at,
//     crawls, failures)
//   source_schedule(source_id, crawl_interval, next_run_at, due_at,
//     lease_owner, lease_token, lease_started_at, lease_expires_at,
//     heartbeat_at, attempts, last_finished_at, last_outcome)
//   host_budgets(host, next_free_at, reserved)
// and, from WorkQueueSchemaSqlV2 (schema version 20):
//   nodes.lease_ttl, nodes.source_list; node_sources(node, source_id)
// Invariant: a leased row's next_run_at is its lease_expires_at plus
// work::ExpiryBackoff of its attempts (zero but for a run whose lease
// already expired before), so one index on (next_run_at, source_id) finds
// both due sources and expired leases; due_at keeps the time the run was
// due for.
//
// Which node claims what: a node that gave its source list (SetSources,
// as every jobtrawl run node does from its config) claims only those
// sources; a source that no node's list has any more stays on the schedule
// but nobody claims it, until a config brings it back. A node that
// registered and has no row in `nodes` any more (forgotten) claims
// nothing; a WorkQueue that never registered claims as one without a list.
//
// Nodes that are gone: a drain deletes the node's source list (its row
// stays, stopped); a node silent, or stopped, for longer than
// WorkQueueOptions::forget_after (and ten lease ttls) is deleted with its
// list by the next heartbeat of any other node, so neither table grows
// with every restart under a new HOSTNAME:PID name. During a rolling
// config change the nodes still on the old config keep crawling a removed
// source, and a new source is crawled by the nodes that have it.
//
// Writing a source's results (pgcore's store) happens in the transaction
// that checks the lease, as the first statement of that transaction:
//
//   SELECT 1 FROM source_schedule
//    WHERE source_id = $1 AND lease_owner = $2 AND lease_token = $3
//    FOR KEY SHARE
//
// (WorkQueue::CheckLease runs exactly this.) No row: the lease was lost
// (taken over after expiry, or released by a drain); roll back and drop the
// results. A row: it stays locked until commit, and a claim's FOR UPDATE
// skips locked rows (SKIP LOCKED), so no other node can take the source
// over between the check and the commit even if the lease expires
// meanwhile. KEY SHARE, not UPDATE: the node's own heartbeat, releases and
// a reload's schedule upsert change no key column (FOR NO KEY UPDATE), so
// they neither wait for the write nor deadlock with it (a heartbeat that
// locked one of the node's rows while the writer held another, each
// waiting for the other's, did). The token
// changes on every claim, so a node that comes back after its lease was
// taken and given back to it by another claim cannot write with the old
// claim.
//
// Time: every operation uses the database's clock_timestamp() unless
// WorkQueueOptions::clock gives a time (tests and simulations with a fake
// clock), so nodes' clocks need not agree.
//
// Errors are pg::Error values (nothing throws). Thread-safety: a WorkQueue
// is used by one thread at a time, like its Connection; nodes (or threads)
// each use their own Connection and WorkQueue.
#ifndef JOBTRAWL_STORAGE_PG_WORK_QUEUE_H_
#define JOBTRAWL_STORAGE_PG_WORK_QUEUE_H_

#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/pg/connection.h"
#include "storage/work_rules.h"

namespace jobtrawl::storage::pg {

// The DDL of the fleet tables, for a Migration of the PostgreSQL schema.
std::string_view WorkQueueSchemaSql();
inline Migration WorkQueueMigration(int version) { return {version, WorkQueueSchemaSql()}; }
// The second: node_sources, nodes.lease_ttl and nodes.source_list.
std::string_view WorkQueueSchemaSqlV2();
inline Migration WorkQueueMigrationV2(int version) { return {version, WorkQueueSchemaSqlV2()}; }

struct WorkQueueOptions {
  // This node's name, unique among running nodes (config `[node] name`, or
  // hostname:pid). REQUIRES: not empty.
  std::string node;
  std::string hostname;
  std::int64_t pid = 0;
  work::LeasePolicy lease;
  work::BackoffPolicy backoff;
  // A source new to the schedule is first due within min(its interval, this)
  // of its addition (work::InitialRunAt over that span), as the single-node
  // daemon starts a never-crawled source within its startup spread: so a
  // source added to the config is crawled soon, and sources added together
  // are not all due in one second. Duration::max() spreads over the whole
  // interval (a fleet's steady state, as bench/fleet_sim models it).
  work::Duration first_run_spread = std::chrono::seconds(30);
  // The session's lock_timeout and statement_timeout, set on the
  // connection by Open (and kept across its reconnects; they win over the
  // URL's): a claim, heartbeat or slot reservation stuck behind another
  // session's lock fails (transient, SQLSTATE 55P03 or 57014) within
  // these instead of hanging, and the caller tries again, so a node's
  // heartbeats keep going while something else is stuck. Zero: none.
  std::chrono::milliseconds lock_timeout{5'000};
  std::chrono::milliseconds statement_timeout{30'000};
  // A node whose last heartbeat (or drain) is older than this, and than
  // ten times its own lease ttl, is forgotten: the heartbeats of the other
  // nodes delete its row and its source list (node_sources). It no longer
  // shows in ListNodes; if it comes back, its heartbeat puts its row back
  // (Heartbeat's `rejoined`).
  work::Duration forget_after = std::chrono::hours(24);
  // The time every operation takes as `now`; when empty, or when it
  // returns nullopt, the database's clock_timestamp().
  std::function<std::optional<work::Time>()> clock;
};

struct ScheduledSource {
  std::int64_t source_id = 0;
  work::Duration interval{};  // REQUIRES: > 0
};

// A claimed source: crawl it, then Release it (or lose it to expiry).
struct Claim {
  std::int64_t source_id = 0;
  std::int64_t token = 0;        // changes on every claim (fencing token)
  work::Time due_at;             // when this run was due
  work::Time started_at;         // the claim's time
  work::Time expires_at;         // renewed by Heartbeat
  work::Duration interval{};
  // Failures (and lease expiries) in a row before this run; the claim
  // counted this run as one more in the database (work::ExpiryBackoff).
  int attempts = 0;
  std::string previous_owner;    // a dead node's name when taken over; else empty
};

struct NodeInfo {
  std::string name;
  std::string hostname;
  std::int64_t pid = 0;
  work::Time started_at;
  work::Time heartbeat_at;
  std::optional<work::Time> stopped_at;
  std::int64_t leases = 0;
  // Crawls this node released since it started, and how many failed (its
  // rate: crawls / (heartbeat_at - started_at)).
  std::int64_t crawls = 0;
  std::int64_t failures = 0;
  // The node's lease ttl (it heartbeats every ttl / 3); nullopt for a node
  // registered before schema version 20.
  std::optional<work::Duration> lease_ttl;
  // The sources of its config it gave (SetSources, node_sources): those it
  // may claim. nullopt: it gave no list, so it may claim any source.
  std::optional<std::int64_t> sources;
};

// Every node that ever registered, by name, with its lease and source
// counts, and the
// database's clock now (`jobtrawl nodes`; no node of its own needed). A
// node is live when it has no stopped_at and its heartbeat_at is within a
// lease ttl of `now`. One statement.
struct NodeList {
  std::vector<NodeInfo> nodes;
  work::Time now;
};
std::expected<NodeList, Error> ListNodes(Connection& connection);

// Counters of what this WorkQueue asked of the database.
struct WorkQueueStats {
  std::int64_t statements = 0;        // round trips to the server
  std::int64_t claims = 0;            // ClaimDue calls
  std::int64_t empty_claims = 0;      // ... that found nothing due
  std::int64_t claimed = 0;           // sources claimed
  std::int64_t taken_over = 0;        // ... of them from an expired lease
  std::int64_t releases = 0;
  std::int64_t lost_leases = 0;       // Release/CheckLease found the lease gone
  std::int64_t reservations = 0;      // ReserveHost calls
  std::int64_t refused_reservations = 0;  // ... refused: host booked beyond the horizon
  std::int64_t forgotten_nodes = 0;   // other nodes this one's heartbeats forgot
  std::int64_t rejoins = 0;           // heartbeats that found this node forgotten
};

// A grant of request slots for one host, on the database's timeline.
struct HostGrant {
  work::SlotGrant slots;
  // The database's `now` when granting: slot i begins
  // (slots.first - now) + i * slots.gap after the reply arrived.
  work::Time now;
};

class WorkQueue {
 public:
  // Sets the session timeouts and prepares the statements on
  // `connection`, which must outlive the WorkQueue and hold the fleet
  // tables (WorkQueueMigration). The connection reconnects by itself after
  // a break (storage/pg/connection.h); a call that met the break fails
  // transiently and the next one runs on the new session.
  static std::expected<WorkQueue, Error> Open(Connection& connection, WorkQueueOptions options);

  WorkQueue(WorkQueue&&) noexcept = default;
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  const std::string& node() const { return options_.node; }
  const WorkQueueStats& stats() const { return stats_; }

  // Records this node as started (now) and alive. A previous process under
  // the same name is dead by the uniqueness rule: its leases are released
  // to run at their due time. One transaction.
  std::expected<void, Error> Register();

  // Adds sources to the schedule, or updates their interval (keeping
  // their next run). A new source is first due at work::InitialRunAt over
  // min(interval, options.first_run_spread).
  // Returns the number of sources added. One statement.
  std::expected<std::int64_t, Error> AddSources(std::span<const ScheduledSource> sources);

  // This node's whole source list (its config): AddSources, then the node
  // claims only these from now on (until it registers again). A source
  // dropped from the list is no longer claimed by this node; one that no
  // node lists is claimed by none. Returns the number of sources new to
  // the schedule. One transaction. REQUIRES: Register ran.
  std::expected<std::int64_t, Error> SetSources(std::span<const ScheduledSource> sources);

  // Claims up to `n` claimable sources (work::Claimable) in claim order
  // (work::ClaimsBefore), leasing them to this node for lease.ttl. Sources
  // locked by another node's claim or write are skipped, never waited on,
  // so concurrent claims never return one source twice. Never returns a
  // source whose lease this node holds, even expired (its crawl may still
  // run; Heartbeat renews it), nor, after SetSources, a source not in the
  // list. Counts an attempt on each claimed source (see Claim::attempts).
  // One statement. REQUIRES: n > 0.
  std::expected<std::vector<Claim>, Error> ClaimDue(int n);

  // Marks this node alive and renews every lease it holds for lease.ttl;
  // call every lease.renew_every(). Returns the number of leases renewed
  // (fewer than held: the others were taken over), and their source ids in
  // `renewed` when given. Also forgets the other nodes silent beyond
  // options.forget_after (their rows and source lists deleted). When this
  // node had itself been forgotten (silent that long: a paused machine, a
  // long partition), its row is put back and `*rejoined` set: a node that
  // had given its source list then claims nothing until SetSources gives
  // it again (a forgotten node claims nothing at all). One statement.
  std::expected<std::int64_t, Error> Heartbeat(std::vector<std::int64_t>* renewed = nullptr,
                                               bool* rejoined = nullptr);

  // Ends the claim: next run by work::NextRun (success: interval after the
  // start; failure: backoff from now), and counts the crawl in this node's
  // row. False when the lease was no longer this claim's (taken over):
  // nothing changed. One statement.
  std::expected<bool, Error> Release(const Claim& claim, work::Outcome outcome);

  // Gives the claim back unfinished: due again at its due_at, its attempt
  // taken back, no crawl counted (a claim the node cannot crawl). False
  // when the lease was no longer this claim's. One statement.
  std::expected<bool, Error> GiveBack(const Claim& claim);

  // Gives back (as GiveBack) this node's leases of `source_ids` whatever
  // their token: claims the node never learned of, because the server
  // committed the claim and the reply was lost with the connection (the
  // heartbeat would renew them for the node's whole life, and its claims
  // skip what it holds). Returns the number given back. One statement.
  std::expected<std::int64_t, Error> GiveBackUnknown(std::span<const std::int64_t> source_ids);

  // Gives back every lease of this node (as GiveBack), drops its source
  // list and marks it stopped: the end of the SIGTERM drain. One
  // statement. Returns the number given back.
  std::expected<std::int64_t, Error> Drain();

  // The lease check of the write transaction (see the file comment).
  // REQUIRES: inside a transaction on this WorkQueue's connection. True
  // when the claim still holds the lease; the row then stays locked until
  // the transaction ends.
  std::expected<bool, Error> CheckLease(const Claim& claim);

  // Reserves `n` request slots `gap` apart for `host` (work::ReserveSlots):
  // nullopt when the host is booked beyond now + horizon (ask again
  // later). One statement. REQUIRES: n > 0, gap > 0.
  std::expected<std::optional<HostGrant>, Error> ReserveHost(std::string_view host, int n, work::Duration gap,
                                                             work::Duration horizon);

  // ListNodes on this queue's connection.
  std::expected<std::vector<NodeInfo>, Error> Nodes();

 private:
  WorkQueue(Connection& c, WorkQueueOptions o) : connection_(&c), options_(std::move(o)) {}
  Value Now() const;
  std::expected<Result, Error> Run(const Statement& s, std::span<const Value> params);

  Connection* connection_;
  WorkQueueOptions options_;
  WorkQueueStats stats_;
  bool has_list_ = false;    // SetSources ran since Register
  bool registered_ = false;  // Register ran: without its row (forgotten) it claims nothing
  struct Prepared {
    std::optional<Statement> register_node, release_own, set_sources, add, claim, heartbeat, release, give_back, give_back_unknown, drain, check,
        reserve;
  } prepared_;
};

}  // namespace jobtrawl::storage::pg

#endif  // JOBTRAWL_STORAGE_PG_WORK_QUEUE_H_
