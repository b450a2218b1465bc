#include "storage/pg/work_queue.h"

#include <algorithm>
#include <string>
#include <utility>

namespace jobtrawl::storage::pg {
namespace {

// Times cross the wire as bigint microseconds since the Unix epoch
// (work::Time); fleet_ts/fleet_us convert exactly (integer arithmetic on
// the interval's microseconds), and are inlined by the planner.
constexpr std::string_view kSchema = R"sql(
CREATE FUNCTION fleet_ts(us bigint) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN timestamptz 'epoch' + make_interval(secs => us / 1000000) + (us % 1000000) * interval '1 microsecond';
CREATE FUNCTION fleet_us(t timestamptz) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (extract(epoch FROM t) * 1000000)::bigint;
CREATE FUNCTION fleet_us(i interval) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (extract(epoch FROM i) * 1000000)::bigint;
CREATE FUNCTION fleet_interval(us bigint) RETURNS interval
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN make_interval(secs => us / 1000000) + (us % 1000000) * interval '1 microsecond';

CREATE TABLE nodes (
  name text PRIMARY KEY,
  hostname text NOT NULL DEFAULT '',
  pid bigint NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL,
  heartbeat_at timestamptz NOT NULL,
  stopped_at timestamptz,
  crawls bigint NOT NULL DEFAULT 0,
  failures bigint NOT NULL DEFAULT 0
);

CREATE TABLE source_schedule (
  source_id bigint PRIMARY KEY,
  crawl_interval interval NOT NULL CHECK (crawl_interval > interval '0'),
  next_run_at timestamptz NOT NULL,
  due_at timestamptz,
  lease_owner text,
  lease_token bigint NOT NULL DEFAULT 0,
  lease_started_at timestamptz,
  lease_expires_at timestamptz,
  heartbeat_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_finished_at timestamptz,
  last_outcome text CHECK (last_outcome IN ('success', 'failure')),
  CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL))
);
CREATE INDEX source_schedule_next_run ON source_schedule (next_run_at, source_id);
CREATE INDEX source_schedule_lease_owner ON source_schedule (lease_owner) WHERE lease_owner IS NOT NULL;

CREATE TABLE host_budgets (
  host text PRIMARY KEY,
  next_free_at timestamptz NOT NULL,
  reserved bigint NOT NULL DEFAULT 0
);
)sql";

// The second fleet migration (PostgreSQL schema version 20): what each
// node's config has, so a node claims only sources it can crawl and a
// source no node has any more is claimed by none (its schedule row stays,
// for a config that brings it back); and each node's lease ttl, so
// `jobtrawl nodes` calls a node silent relative to its own heartbeat.
constexpr std::string_view kSchemaV2 = R"sql(
ALTER TABLE nodes ADD COLUMN lease_ttl interval;
ALTER TABLE nodes ADD COLUMN source_list boolean NOT NULL DEFAULT false;
CREATE TABLE node_sources (
  node text NOT NULL REFERENCES nodes(name) ON DELETE CASCADE,
  source_id bigint NOT NULL REFERENCES source_schedule(source_id) ON DELETE CASCADE,
  PRIMARY KEY (node, source_id)
);
CREATE INDEX node_sources_source ON node_sources (source_id);
)sql";

// work::ExpiryBackoff of the row's attempts (after the claim counted one),
// in microseconds; $base and $cap are the backoff policy's microseconds.
std::string ExpiryBackoffUs(std::string_view attempts, std::string_view base, std::string_view cap) {
  const std::string k(attempts);
  return "(CASE WHEN " + k + " <= 1 THEN 0 ELSE LEAST(" + std::string(cap) + "::float8, " + std::string(base) +
         " * power(2::float8, LEAST(" + k + " - 2, 60)))::bigint END)";
}

// A node forgotten by the heartbeats of the others: its last heartbeat (a
// drain's is its stop) is older than the forget age ($9 microseconds) and
// ten times its own lease ttl.
constexpr std::string_view kForget =
    "o.heartbeat_at < t.now - GREATEST(fleet_interval($9), 10 * COALESCE(o.lease_ttl, interval '2 minutes'))";

// `now` of one statement: the fake clock's time, else the server's. A CTE
// holding a volatile function is evaluated once.
constexpr std::string_view kNow = "t AS (SELECT COALESCE(fleet_ts($1), clock_timestamp()) AS now)";

std::string With(std::string_view rest) { return "WITH " + std::string(kNow) + std::string(rest); }

// Giving back a lease whose run did not finish (a drain, a claim the node
// cannot crawl): the run is due again at the time it was due, and the
// claim's attempt is taken back (the source did not fail).
constexpr std::string_view kAbandon =
    " lease_owner = NULL, lease_started_at = NULL, lease_expires_at = NULL, heartbeat_at = NULL,"
    " next_run_at = COALESCE(s.due_at, t.now), attempts = GREATEST(s.attempts - 1, 0)";

std::int64_t Us(work::Time t) { return t.time_since_epoch().count(); }
work::Time TimeOf(std::int64_t us) { return work::Time(work::Duration(us)); }

std::string ArrayText(std::span<const std::int64_t> v) {
  std::string s = "{";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(v[i]);
  }
  return s + "}";
}

}  // namespace

std::string_view WorkQueueSchemaSql() { return kSchema; }
std::string_view WorkQueueSchemaSqlV2() { return kSchemaV2; }

std::expected<WorkQueue, Error> WorkQueue::Open(Connection& connection, WorkQueueOptions options) {
  if (options.node.empty()) return std::unexpected(Error{"", "work queue: the node needs a name", false});
  if (auto set = connection.SetSessionTimeouts(options.lock_timeout, options.statement_timeout); !set) {
    return std::unexpected(std::move(set.error()));
  }
  WorkQueue q(connection, std::move(options));
  using T = Type;
  struct Spec {
    std::optional<Statement>* slot;
    std::string sql;
    std::vector<Type> types;
  };
  const std::string ttl = "fleet_interval($3)";
  const Spec specs[] = {
      {&q.prepared_.register_node,
       With(", d AS (DELETE FROM node_sources WHERE node = $2)"
            " INSERT INTO nodes (name, hostname, pid, started_at, heartbeat_at, stopped_at, lease_ttl)"
            " SELECT $2, $3, $4, t.now, t.now, NULL, fleet_interval($5) FROM t"
            " ON CONFLICT (name) DO UPDATE SET hostname = excluded.hostname, pid = excluded.pid,"
            " started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, stopped_at = NULL,"
            " crawls = 0, failures = 0, lease_ttl = excluded.lease_ttl, source_list = false"),
       {T::kInt64, T::kText, T::kText, T::kInt64, T::kInt64}},
      // A dead incarnation's leases: its runs never ended, as an expired
      // lease's; due again after work::ExpiryBackoff (at once the first time).
      {&q.prepared_.release_own,
       With(" UPDATE source_schedule s SET lease_owner = NULL, lease_started_at = NULL, lease_expires_at = NULL,"
            " heartbeat_at = NULL, next_run_at = t.now + fleet_interval(" +
            ExpiryBackoffUs("s.attempts", "$3", "$4") + ") FROM t WHERE s.lease_owner = $2"),
       {T::kInt64, T::kText, T::kInt64, T::kInt64}},
      // This node's source list: the schedule gets the new ones (as add),
      // the node's list becomes exactly these.
      {&q.prepared_.set_sources,
       "WITH ids AS (SELECT DISTINCT unnest($2::text::bigint[]) AS id),"
       " d AS (DELETE FROM node_sources ns WHERE ns.node = $1 AND ns.source_id NOT IN (SELECT id FROM ids)),"
       " f AS (UPDATE nodes SET source_list = true WHERE name = $1)"
       " INSERT INTO node_sources (node, source_id) SELECT $1, id FROM ids ON CONFLICT DO NOTHING",
       {T::kText, T::kText}},
      {&q.prepared_.add,
       With(" INSERT INTO source_schedule AS s (source_id, crawl_interval, next_run_at)"
            " SELECT a.id, fleet_interval(a.every), t.now + fleet_interval(a.offset_us)"
            " FROM t, unnest($2::text::bigint[], $3::text::bigint[], $4::text::bigint[]) AS a(id, every, offset_us)"
            " ON CONFLICT (source_id) DO UPDATE SET crawl_interval = excluded.crawl_interval"
            " WHERE s.crawl_interval IS DISTINCT FROM excluded.crawl_interval"
            " RETURNING (xmax = 0) AS inserted"),
       {T::kInt64, T::kText, T::kText, T::kText}},
      // The claim: due rows (a leased row's next_run_at is its expiry) in
      // claim order, locked with SKIP LOCKED so concurrent claims and
      // writers' lease checks are passed over, never waited on or doubled.
      // Never a source this node holds itself (its crawl may still run
      // though the lease expired: the heartbeat renews it), and, once the
      // node has given its source list (SetSources), only those. The claim
      // counts an attempt (work::ExpiryBackoff): a leased row is next due
      // at its expiry plus that backoff, so a run that never releases backs
      // off too.
      {&q.prepared_.claim,
       With(", due AS MATERIALIZED ("
            "  SELECT s.source_id, s.lease_owner AS previous_owner FROM source_schedule s, t"
            "  WHERE s.next_run_at <= t.now AND (s.lease_owner IS NULL OR s.lease_expires_at <= t.now)"
            "  AND s.lease_owner IS DISTINCT FROM $2"
            "  AND COALESCE((SELECT NOT n.source_list"
            "       OR EXISTS (SELECT 1 FROM node_sources ns WHERE ns.node = $2 AND ns.source_id = s.source_id)"
            "       FROM nodes n WHERE n.name = $2), $7 = 0)"
            "  ORDER BY s.next_run_at, s.source_id LIMIT $4"
            "  FOR UPDATE OF s SKIP LOCKED)"
            " UPDATE source_schedule s SET lease_owner = $2, lease_token = s.lease_token + 1,"
            "  due_at = CASE WHEN s.lease_owner IS NULL THEN s.next_run_at ELSE COALESCE(s.due_at, s.next_run_at) END,"
            "  lease_started_at = t.now, lease_expires_at = t.now + " + ttl + ", heartbeat_at = t.now,"
            "  attempts = s.attempts + 1,"
            "  next_run_at = t.now + " + ttl + " + fleet_interval(" + ExpiryBackoffUs("s.attempts + 1", "$5", "$6") +
            ")"
            " FROM due, t WHERE s.source_id = due.source_id"
            " RETURNING s.source_id, s.lease_token, fleet_us(s.due_at), fleet_us(s.lease_started_at),"
            "  fleet_us(s.lease_expires_at), fleet_us(s.crawl_interval), s.attempts - 1, due.previous_owner"),
       {T::kInt64, T::kText, T::kInt64, T::kInt64, T::kInt64, T::kInt64, T::kInt64}},
      // The heartbeat: this node's row (put back when the fleet forgot it:
      // `rejoined`, with the source list empty when it had one, so it
      // claims nothing until it gives the list again), its leases renewed,
      // and the nodes silent beyond the forget age deleted with their
      // source lists (kForget; rows another heartbeat holds are skipped).
      {&q.prepared_.heartbeat,
       With(", n AS (INSERT INTO nodes AS o (name, hostname, pid, started_at, heartbeat_at, lease_ttl, source_list)"
            "  SELECT $2, $6, $7, t.now, t.now, " + ttl + ", $8 = 1 FROM t"
            "  ON CONFLICT (name) DO UPDATE SET heartbeat_at = excluded.heartbeat_at"
            "  RETURNING (o.xmax = 0) AS rejoined),"
            " f AS (DELETE FROM nodes WHERE name IN (SELECT o.name FROM nodes o, t WHERE o.name <> $2 AND " +
            std::string(kForget) + " ORDER BY o.name FOR UPDATE OF o SKIP LOCKED) RETURNING 1),"
            " r AS (UPDATE source_schedule s SET lease_expires_at = t.now + " + ttl + ", next_run_at = t.now + " + ttl +
            " + fleet_interval(" + ExpiryBackoffUs("s.attempts", "$4", "$5") + ")"
            ", heartbeat_at = t.now FROM t WHERE s.lease_owner = $2 RETURNING s.source_id)"
            " SELECT r.source_id, n.rejoined, (SELECT count(*) FROM f) FROM n LEFT JOIN r ON true"),
       {T::kInt64, T::kText, T::kInt64, T::kInt64, T::kInt64, T::kText, T::kInt64, T::kInt64, T::kInt64}},
      // One claim given back unfinished (kAbandon), if it still holds the lease.
      {&q.prepared_.give_back,
       With(" UPDATE source_schedule s SET" + std::string(kAbandon) +
            " FROM t WHERE s.source_id = $3 AND s.lease_owner = $2 AND s.lease_token = $4"),
       {T::kInt64, T::kText, T::kInt64, T::kInt64}},
      {&q.prepared_.give_back_unknown,
       With(" UPDATE source_schedule s SET" + std::string(kAbandon) +
            " FROM t WHERE s.lease_owner = $2 AND s.source_id = ANY($3::text::bigint[])"),
       {T::kInt64, T::kText, T::kText}},
      {&q.prepared_.release,
       With(", r AS ("
            " UPDATE source_schedule s SET lease_owner = NULL, lease_started_at = NULL, lease_expires_at = NULL,"
            "  heartbeat_at = NULL, due_at = NULL,"
            "  next_run_at = CASE WHEN $5 = 1 THEN s.lease_started_at ELSE t.now END + fleet_interval($6),"
            "  attempts = $7, last_finished_at = t.now, last_outcome = $8"
            " FROM t WHERE s.source_id = $3 AND s.lease_owner = $2 AND s.lease_token = $4"
            " RETURNING fleet_us(s.next_run_at) AS next_run_at),"
            " n AS (UPDATE nodes SET crawls = crawls + 1, failures = failures + ($8 = 'failure')::int"
            "  WHERE name = $2 AND EXISTS (SELECT 1 FROM r) RETURNING 1)"
            " SELECT next_run_at FROM r"),
       {T::kInt64, T::kText, T::kInt64, T::kInt64, T::kInt64, T::kInt64, T::kInt64, T::kText}},
      // A stopped node's source list goes with the drain: it keeps no
      // source wanted for a node that is gone (its row stays, `stopped`,
      // until the forget age).
      {&q.prepared_.drain,
       With(", n AS (UPDATE nodes SET stopped_at = t.now, heartbeat_at = t.now FROM t WHERE name = $2 RETURNING 1),"
            " l AS (DELETE FROM node_sources WHERE node = $2)"
            " UPDATE source_schedule s SET" + std::string(kAbandon) + " FROM t WHERE s.lease_owner = $2"),
       {T::kInt64, T::kText}},
      {&q.prepared_.check,
       "SELECT 1 FROM source_schedule WHERE source_id = $1 AND lease_owner = $2 AND lease_token = $3 FOR KEY SHARE",
       {T::kInt64, T::kText, T::kInt64}},
      // work::ReserveSlots in one statement: the host row's lock serializes
      // reservations; excluded.next_free_at - span is `now`.
      {&q.prepared_.reserve,
       With(" INSERT INTO host_budgets AS h (host, next_free_at, reserved)"
            " SELECT $2, t.now + fleet_interval($3 * $4), $3 FROM t"
            " ON CONFLICT (host) DO UPDATE SET"
            "  next_free_at = GREATEST(h.next_free_at, excluded.next_free_at - fleet_interval($3 * $4))"
            "   + fleet_interval($3 * $4),"
            "  reserved = h.reserved + $3"
            " WHERE h.next_free_at <= excluded.next_free_at - fleet_interval($3 * $4) + fleet_interval($5)"
            " RETURNING fleet_us(h.next_free_at), (SELECT fleet_us(now) FROM t)"),
       {T::kInt64, T::kText, T::kInt64, T::kInt64, T::kInt64}},
  };
  for (const Spec& s : specs) {
    auto st = connection.Prepare(s.sql, s.types);
    if (!st) return std::unexpected(std::move(st.error()));
    s.slot->emplace(std::move(*st));
  }
  return q;
}

Value WorkQueue::Now() const {
  if (options_.clock) {
    if (auto t = options_.clock()) return Value{Us(*t)};
  }
  return Value{};
}

std::expected<Result, Error> WorkQueue::Run(const Statement& s, std::span<const Value> params) {
  ++stats_.statements;
  return connection_->Run(s, params);
}

std::expected<void, Error> WorkQueue::Register() {
  auto tx = Transaction::Begin(*connection_);
  if (!tx) return std::unexpected(std::move(tx.error()));
  const Value now = Now();
  const Value reg[] = {now, Value{options_.node}, Value{options_.hostname}, Value{options_.pid},
                       Value{options_.lease.ttl.count()}};
  if (auto r = Run(*prepared_.register_node, reg); !r) return std::unexpected(std::move(r.error()));
  const Value rel[] = {now, Value{options_.node}, Value{options_.backoff.base.count()},
                       Value{options_.backoff.cap.count()}};
  if (auto r = Run(*prepared_.release_own, rel); !r) return std::unexpected(std::move(r.error()));
  stats_.statements += 2;  // BEGIN, COMMIT
  if (auto c = tx->Commit(); !c) return c;
  has_list_ = false;
  registered_ = true;
  return {};
}

std::expected<std::int64_t, Error> WorkQueue::AddSources(std::span<const ScheduledSource> sources) {
  std::vector<std::int64_t> ids, every, offset;
  for (const ScheduledSource& s : sources) {
    if (s.interval <= work::Duration::zero()) {
      return std::unexpected(Error{"", "work queue: source " + std::to_string(s.source_id) +
                                           " needs an interval above zero", false});
    }
    ids.push_back(s.source_id);
    every.push_back(s.interval.count());
    const work::Duration span = std::min(s.interval, options_.first_run_spread);
    offset.push_back((work::InitialRunAt(s.source_id, span, work::Time{}) - work::Time{}).count());
  }
  const Value p[] = {Now(), Value{ArrayText(ids)}, Value{ArrayText(every)}, Value{ArrayText(offset)}};
  auto r = Run(*prepared_.add, p);
  if (!r) return std::unexpected(std::move(r.error()));
  std::int64_t added = 0;
  for (int i = 0; i < r->Rows(); ++i) added += r->Int64(i, 0).value_or(0);
  return added;
}

std::expected<std::int64_t, Error> WorkQueue::SetSources(std::span<const ScheduledSource> sources) {
  auto tx = Transaction::Begin(*connection_);
  if (!tx) return std::unexpected(std::move(tx.error()));
  auto added = AddSources(sources);
  if (!added) return added;
  std::vector<std::int64_t> ids;
  for (const ScheduledSource& s : sources) ids.push_back(s.source_id);
  const Value p[] = {Value{options_.node}, Value{ArrayText(ids)}};
  if (auto r = Run(*prepared_.set_sources, p); !r) return std::unexpected(std::move(r.error()));
  stats_.statements += 2;  // BEGIN, COMMIT
  if (auto c = tx->Commit(); !c) return std::unexpected(std::move(c.error()));
  has_list_ = true;
  return added;
}

std::expected<bool, Error> WorkQueue::GiveBack(const Claim& claim) {
  const Value p[] = {Now(), Value{options_.node}, Value{claim.source_id}, Value{claim.token}};
  auto r = Run(*prepared_.give_back, p);
  if (!r) return std::unexpected(std::move(r.error()));
  if (r->AffectedRows() == 0) {
    ++stats_.lost_leases;
    return false;
  }
  return true;
}

std::expected<std::vector<Claim>, Error> WorkQueue::ClaimDue(int n) {
  const Value p[] = {Now(),
                     Value{options_.node},
                     Value{options_.lease.ttl.count()},
                     Value{std::int64_t{n}},
                     Value{options_.backoff.base.count()},
                     Value{options_.backoff.cap.count()},
                     Value{std::int64_t{registered_ ? 1 : 0}}};
  auto r = Run(*prepared_.claim, p);
  if (!r) return std::unexpected(std::move(r.error()));
  ++stats_.claims;
  std::vector<Claim> claims;
  for (int i = 0; i < r->Rows(); ++i) {
    Claim c;
    c.source_id = r->Int64(i, 0).value_or(0);
    c.token = r->Int64(i, 1).value_or(0);
    c.due_at = TimeOf(r->Int64(i, 2).value_or(0));
    c.started_at = TimeOf(r->Int64(i, 3).value_or(0));
    c.expires_at = TimeOf(r->Int64(i, 4).value_or(0));
    c.interval = work::Duration(r->Int64(i, 5).value_or(0));
    c.attempts = static_cast<int>(r->Int64(i, 6).value_or(0));
    c.previous_owner = r->Text(i, 7).value_or("");
    if (!c.previous_owner.empty()) ++stats_.taken_over;
    claims.push_back(std::move(c));
  }
  // RETURNING follows no ORDER BY; hand the claims out oldest due first.
  std::sort(claims.begin(), claims.end(), [](const Claim& a, const Claim& b) {
    return work::ClaimsBefore(a.due_at, a.source_id, b.due_at, b.source_id);
  });
  if (claims.empty()) ++stats_.empty_claims;
  stats_.claimed += static_cast<std::int64_t>(claims.size());
  return claims;
}

std::expected<std::int64_t, Error> WorkQueue::Heartbeat(std::vector<std::int64_t>* renewed, bool* rejoined) {
  const Value p[] = {Now(),
                     Value{options_.node},
                     Value{options_.lease.ttl.count()},
                     Value{options_.backoff.base.count()},
                     Value{options_.backoff.cap.count()},
                     Value{options_.hostname},
                     Value{options_.pid},
                     Value{std::int64_t{has_list_ ? 1 : 0}},
                     Value{options_.forget_after.count()}};
  auto r = Run(*prepared_.heartbeat, p);
  if (!r) return std::unexpected(std::move(r.error()));
  // One row per renewed lease, or one with a NULL id when none was.
  std::vector<std::int64_t> ids;
  bool back = false;
  for (int i = 0; i < r->Rows(); ++i) {
    if (auto id = r->Int64(i, 0)) ids.push_back(*id);
  }
  if (r->Rows() > 0) {
    back = r->Text(0, 1).value_or("f") == "t";
    stats_.forgotten_nodes += r->Int64(0, 2).value_or(0);
  }
  if (back) ++stats_.rejoins;
  if (rejoined != nullptr) *rejoined = back;
  const auto n = static_cast<std::int64_t>(ids.size());
  if (renewed != nullptr) *renewed = std::move(ids);
  return n;
}

std::expected<std::int64_t, Error> WorkQueue::GiveBackUnknown(std::span<const std::int64_t> source_ids) {
  if (source_ids.empty()) return 0;
  const Value p[] = {Now(), Value{options_.node}, Value{ArrayText(source_ids)}};
  auto r = Run(*prepared_.give_back_unknown, p);
  if (!r) return std::unexpected(std::move(r.error()));
  return r->AffectedRows();
}

std::expected<bool, Error> WorkQueue::Release(const Claim& claim, work::Outcome outcome) {
  const work::Reschedule next = work::NextRun(outcome, claim.interval, claim.attempts, options_.backoff);
  const Value p[] = {Now(),
                     Value{options_.node},
                     Value{claim.source_id},
                     Value{claim.token},
                     Value{std::int64_t{next.from_start ? 1 : 0}},
                     Value{next.delay.count()},
                     Value{std::int64_t{next.attempts}},
                     Value{std::string(outcome == work::Outcome::kSuccess ? "success" : "failure")}};
  auto r = Run(*prepared_.release, p);
  if (!r) return std::unexpected(std::move(r.error()));
  ++stats_.releases;
  if (r->Rows() == 0) {
    ++stats_.lost_leases;
    return false;
  }
  return true;
}

std::expected<std::int64_t, Error> WorkQueue::Drain() {
  const Value p[] = {Now(), Value{options_.node}};
  auto r = Run(*prepared_.drain, p);
  if (!r) return std::unexpected(std::move(r.error()));
  return r->AffectedRows();
}

std::expected<bool, Error> WorkQueue::CheckLease(const Claim& claim) {
  const Value p[] = {Value{claim.source_id}, Value{options_.node}, Value{claim.token}};
  auto r = Run(*prepared_.check, p);
  if (!r) return std::unexpected(std::move(r.error()));
  if (r->Rows() == 0) {
    ++stats_.lost_leases;
    return false;
  }
  return true;
}

std::expected<std::optional<HostGrant>, Error> WorkQueue::ReserveHost(std::string_view host, int n,
                                                                      work::Duration gap,
                                                                      work::Duration horizon) {
  const Value p[] = {Now(), Value{std::string(host)}, Value{std::int64_t{n}}, Value{gap.count()},
                     Value{horizon.count()}};
  auto r = Run(*prepared_.reserve, p);
  if (!r) return std::unexpected(std::move(r.error()));
  ++stats_.reservations;
  if (r->Rows() == 0) {
    ++stats_.refused_reservations;
    return std::optional<HostGrant>{};
  }
  const work::Time next_free = TimeOf(r->Int64(0, 0).value_or(0));
  HostGrant g{work::SlotGrant{next_free - gap * n, gap, n}, TimeOf(r->Int64(0, 1).value_or(0))};
  return std::optional<HostGrant>{g};
}

std::expected<std::vector<NodeInfo>, Error> WorkQueue::Nodes() {
  ++stats_.statements;
  auto list = ListNodes(*connection_);
  if (!list) return std::unexpected(std::move(list.error()));
  return std::move(list->nodes);
}

std::expected<NodeList, Error> ListNodes(Connection& connection) {
  auto r = connection.Exec(
      "SELECT n.name, n.hostname, n.pid, fleet_us(n.started_at), fleet_us(n.heartbeat_at),"
      " fleet_us(n.stopped_at), count(s.source_id), n.crawls, n.failures, fleet_us(clock_timestamp()),"
      " fleet_us(n.lease_ttl),"
      " CASE WHEN n.source_list THEN (SELECT count(*) FROM node_sources ns WHERE ns.node = n.name) END"
      " FROM nodes n LEFT JOIN source_schedule s ON s.lease_owner = n.name"
      " GROUP BY n.name ORDER BY n.name");
  if (!r) return std::unexpected(std::move(r.error()));
  NodeList list;
  auto& nodes = list.nodes;
  if (r->Rows() == 0) {
    auto now = connection.Exec("SELECT fleet_us(clock_timestamp())");
    if (!now) return std::unexpected(std::move(now.error()));
    list.now = TimeOf(now->Int64(0, 0).value_or(0));
  } else {
    list.now = TimeOf(r->Int64(0, 9).value_or(0));
  }
  for (int i = 0; i < r->Rows(); ++i) {
    NodeInfo n;
    n.name = r->Text(i, 0).value_or("");
    n.hostname = r->Text(i, 1).value_or("");
    n.pid = r->Int64(i, 2).value_or(0);
    n.started_at = TimeOf(r->Int64(i, 3).value_or(0));
    n.heartbeat_at = TimeOf(r->Int64(i, 4).value_or(0));
    if (auto s = r->Int64(i, 5)) n.stopped_at = TimeOf(*s);
    n.leases = r->Int64(i, 6).value_or(0);
    n.crawls = r->Int64(i, 7).value_or(0);
    n.failures = r->Int64(i, 8).value_or(0);
    if (auto ttl = r->Int64(i, 10)) n.lease_ttl = work::Duration(*ttl);
    n.sources = r->Int64(i, 11);
    nodes.push_back(std::move(n));
  }
  return list;
}

}  // namespace jobtrawl::storage::pg
