// A simulation of a fleet of jobtrawl nodes sharing 100,000 boards through
// the database (issue 15 part 5), with a fake clock. It runs the rules of
// storage/work_rules.h, the same functions storage/pg/work_queue.cc runs
// in SQL: claim order and claimability, lease expiry and takeover, the
// success interval and failure backoff, the initial spread, and per-host
// slot reservations. The database is modelled as one serial queue (every
// statement sees the effects of the ones before it), which is what the row
// locks give; the SQL's own concurrency (SKIP LOCKED) is tested against a
// real server in tests/storage/pg_work_queue_test.cc, not here.
//
// What it reports (bench/README.md "Fleet simulation"): wait from due to
// start (no source starves), start-to-start intervals against the
// configured one (within 10%), database statements per node per simulated
// hour and per crawl, and lease contention (claims finding nothing, host
// reservations refused).
//
//   jobtrawl_fleet_sim [--boards 100000] [--postings 50] [--nodes 1,2,3,5,8]
//                      [--hours 48] [--capacity 256] [--kill-at 24] [--seed 42]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <queue>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "storage/work_rules.h"

namespace {

namespace work = jobtrawl::storage::work;
using work::Duration;
using work::Time;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

struct Options {
  int boards = 100'000;
  int postings = 50;
  std::vector<int> nodes = {1, 2, 3, 5, 8};
  int hours_simulated = 48;
  int capacity = 256;        // concurrent crawls per node
  double kill_at_hours = 24;  // node 0 dies (SIGKILL) then; <0: never
  std::uint64_t seed = 42;
  Duration poll = seconds(5);
  work::LeasePolicy lease{minutes(2)};
  work::BackoffPolicy backoff{minutes(1), hours(6)};
  int batch = 10;             // request slots per host reservation
  Duration horizon = seconds(30);
};

enum class Kind { kApi, kPlatformHtml, kOwnHtml };

struct Board {
  Duration interval{};
  int host = 0;
  int requests = 1;   // per crawl
  bool broken = false;
  Kind kind = Kind::kApi;
  // Schedule (the source_schedule row).
  Time next_run_at;
  Time due_at;
  int attempts = 0;
  bool leased = false;
  bool orphaned = false;  // its lease's holder died; the run is still the one due at due_at
  std::uint32_t generation = 0;  // invalidates stale queue entries
  // Measurements.
  Time last_start{};
  bool last_success = false;
  bool has_start = false;
};

struct Host {
  work::HostSlots slots;
  Duration gap{};
  Time last_request{};
  bool any = false;
};

struct NodeState {
  bool alive = false;
  int running = 0;
  Time started{};
  Time stopped{};
  Time last_renew{};
  std::int64_t statements = 0, claims = 0, empty_claims = 0, short_claims = 0, claimed = 0, taken_over = 0,
               releases = 0, heartbeats = 0, reservations = 0, refused = 0, crawls = 0;
};

struct Crawl {
  int board = -1;
  int node = -1;
  Time started{};
  Time due_at{};
  int requests_left = 0;
  int fail_after = -1;  // fails when this many requests remain; -1 never
  bool live = false;
  std::uint32_t generation = 0;
  bool takeover = false;
};

enum class Ev : std::uint8_t { kPoll, kHeartbeat, kCrawlStep, kKill, kStartNode };

struct Event {
  Time at;
  std::uint64_t seq;
  Ev type;
  int a;
  std::uint32_t b;
  bool operator>(const Event& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

struct DueEntry {
  Time next;
  int board;
  std::uint32_t generation;
  bool operator>(const DueEntry& o) const {
    // The inverse of work::ClaimsBefore, for a min-heap.
    return work::ClaimsBefore(o.next, o.board, next, board);
  }
};

struct Result {
  int nodes = 0;
  std::int64_t crawls = 0, failures = 0;
  double max_wait_s = 0, p99_wait_s = 0, p50_wait_s = 0;
  double max_wait_takeover_s = 0;
  std::int64_t intervals = 0, intervals_within = 0;
  double min_ratio = 1e9, max_ratio = 0;
  std::int64_t intervals_outside_kill = 0;
  double worst_overdue_ratio = 0;  // at the end: max (end - last start) / interval over healthy boards
  double node_hours = 0;
  std::int64_t statements = 0, claims = 0, empty_claims = 0, short_claims = 0, taken_over = 0, reservations = 0,
               refused = 0, heartbeats = 0, releases = 0;
  std::int64_t host_violations = 0, requests = 0;
  std::vector<double> statements_per_node_hour;
};

class Sim {
 public:
  Sim(const Options& o, int node_count) : o_(o), rng_(o.seed), node_count_(node_count) {}

  Result Run() {
    const Time t0 = Time(hours(24 * 20'000));
    end_ = t0 + hours(o_.hours_simulated);
    MakeBoards(t0);
    nodes_.resize(static_cast<size_t>(node_count_));
    for (int n = 0; n < node_count_; ++n) StartNode(n, t0 + Duration(static_cast<std::int64_t>(
                                                                  Uniform() * static_cast<double>(o_.poll.count()))));
    if (o_.kill_at_hours >= 0) {
      Push(t0 + Duration(static_cast<std::int64_t>(o_.kill_at_hours * 3600e6)), Ev::kKill, 0, 0);
    }
    kill_at_ = o_.kill_at_hours >= 0 ? t0 + Duration(static_cast<std::int64_t>(o_.kill_at_hours * 3600e6))
                                     : Time::max();
    while (!events_.empty() && events_.top().at <= end_) {
      const Event e = events_.top();
      events_.pop();
      now_ = e.at;
      switch (e.type) {
        case Ev::kPoll: Poll(e.a); break;
        case Ev::kHeartbeat: Heartbeat(e.a); break;
        case Ev::kCrawlStep: Step(e.a, e.b); break;
        case Ev::kKill: Kill(e.a); break;
        case Ev::kStartNode: StartNode(e.a, now_); break;
      }
    }
    return Summarize();
  }

 private:
  double Uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }

  void Push(Time at, Ev type, int a, std::uint32_t b) { events_.push({at, seq_++, type, a, b}); }

  void MakeBoards(Time t0) {
    // 5 board APIs (one request per board, 10 requests/s each), 50 shared
    // career-site platforms (a listing page and one page per posting,
    // 4/s each), and the rest on their own hosts (1/s).
    constexpr int kApiHosts = 5, kPlatformHosts = 50;
    hosts_.resize(kApiHosts + kPlatformHosts);
    for (int h = 0; h < kApiHosts; ++h) hosts_[static_cast<size_t>(h)].gap = milliseconds(100);
    for (int h = kApiHosts; h < kApiHosts + kPlatformHosts; ++h) hosts_[static_cast<size_t>(h)].gap = milliseconds(250);
    boards_.resize(static_cast<size_t>(o_.boards));
    for (int i = 0; i < o_.boards; ++i) {
      Board& b = boards_[static_cast<size_t>(i)];
      const double u = Uniform();
      b.interval = u < 0.1 ? hours(1) : u < 0.4 ? hours(6) : u < 0.7 ? hours(12) : hours(24);
      const double k = Uniform();
      if (k < 0.3) {
        b.kind = Kind::kApi;
        b.host = static_cast<int>(Uniform() * kApiHosts);
        b.requests = 1;
      } else if (k < 0.4) {
        b.kind = Kind::kPlatformHtml;
        b.host = kApiHosts + static_cast<int>(Uniform() * kPlatformHosts);
        b.requests = 1 + o_.postings;
      } else {
        b.kind = Kind::kOwnHtml;
        b.host = static_cast<int>(hosts_.size());
        hosts_.push_back(Host{{}, seconds(1), {}, false});
        b.requests = 1 + o_.postings;
      }
      b.broken = Uniform() < 0.02;
      b.next_run_at = work::InitialRunAt(i + 1, b.interval, t0);
      due_.push({b.next_run_at, i, b.generation});
    }
  }

  void StartNode(int n, Time at) {
    NodeState& s = nodes_[static_cast<size_t>(n)];
    s = NodeState{};
    s.alive = true;
    s.started = at;
    s.last_renew = at;
    ++s.statements;  // Register
    Push(at, Ev::kPoll, n, 0);
    Push(at + o_.lease.renew_every(), Ev::kHeartbeat, n, 0);
  }

  void Kill(int n) {
    NodeState& s = nodes_[static_cast<size_t>(n)];
    if (!s.alive) return;
    s.alive = false;
    s.stopped = now_;
    // Its leases expire ttl after their last renewal (or claim): then they
    // are claimable again, ordered by that expiry (next_run_at), plus its
    // backoff.
    for (Crawl& c : crawls_) {
      if (!c.live || c.node != n) continue;
      c.live = false;
      Board& b = boards_[static_cast<size_t>(c.board)];
      const Time expiry = std::max(c.started, s.last_renew) + o_.lease.ttl;
      // The claim counted this run as an attempt: an expiry after the first
      // in a row backs off (work::ExpiryBackoff).
      ++b.attempts;
      b.next_run_at = expiry + work::ExpiryBackoff(b.attempts, o_.backoff);
      b.leased = false;  // claimable from `expiry` on
      b.due_at = c.due_at;
      b.orphaned = true;
      ++b.generation;
      due_.push({b.next_run_at, c.board, b.generation});
      free_crawls_.push_back(static_cast<int>(&c - crawls_.data()));
    }
    if (node_count_ == 1) {
      // A lone node is replaced by its supervisor a minute later.
      nodes_.push_back(NodeState{});
      Push(now_ + minutes(1), Ev::kStartNode, static_cast<int>(nodes_.size()) - 1, 0);
    }
  }

  void Heartbeat(int n) {
    NodeState& s = nodes_[static_cast<size_t>(n)];
    if (!s.alive) return;
    ++s.statements;
    ++s.heartbeats;
    s.last_renew = now_;
    Push(now_ + o_.lease.renew_every(), Ev::kHeartbeat, n, 0);
  }

  void Poll(int n) {
    NodeState& s = nodes_[static_cast<size_t>(n)];
    if (!s.alive) return;
    // Polls are jittered (0.8-1.2 of the period) so that nodes with spare
    // capacity share the newly due sources evenly rather than by phase.
    Push(now_ + Duration(static_cast<std::int64_t>(static_cast<double>(o_.poll.count()) * (0.8 + 0.4 * Uniform()))),
         Ev::kPoll, n, 0);
    const int free = o_.capacity - s.running;
    if (free <= 0) return;  // a full node does not ask
    ++s.statements;
    ++s.claims;
    int got = 0;
    while (got < free && !due_.empty()) {
      const DueEntry d = due_.top();
      Board& b = boards_[static_cast<size_t>(d.board)];
      if (d.generation != b.generation || b.leased) {
        due_.pop();
        continue;
      }
      if (!work::Claimable(b.next_run_at, std::nullopt, now_)) break;
      due_.pop();
      const bool takeover = b.orphaned;
      if (!takeover) b.due_at = b.next_run_at;
      b.orphaned = false;
      b.leased = true;
      ++b.generation;
      Begin(n, d.board, takeover);
      ++got;
    }
    s.claimed += got;
    if (got == 0) ++s.empty_claims;
    else if (got < free) ++s.short_claims;
  }

  void Begin(int n, int board_index, bool takeover) {
    NodeState& s = nodes_[static_cast<size_t>(n)];
    Board& b = boards_[static_cast<size_t>(board_index)];
    ++s.running;
    if (takeover) ++s.taken_over;
    int slot;
    if (!free_crawls_.empty()) {
      slot = free_crawls_.back();
      free_crawls_.pop_back();
    } else {
      slot = static_cast<int>(crawls_.size());
      crawls_.emplace_back();
    }
    Crawl& c = crawls_[static_cast<size_t>(slot)];
    c.board = board_index;
    c.node = n;
    c.started = now_;
    c.due_at = b.due_at;
    c.requests_left = b.requests;
    c.live = true;
    c.takeover = takeover;
    ++c.generation;
    c.fail_after = b.broken ? b.requests - 1 : (Uniform() < 0.01 ? static_cast<int>(Uniform() * b.requests) : -1);
    // Wait from due to start.
    const double wait = std::chrono::duration<double>(now_ - b.due_at).count();
    (takeover ? takeover_waits_ : waits_).push_back(wait);
    // Interval since the previous start, when that run succeeded.
    if (b.has_start && b.last_success && !takeover) {
      const double ratio = std::chrono::duration<double>(now_ - b.last_start).count() /
                           std::chrono::duration<double>(b.interval).count();
      ++intervals_;
      if (std::abs(ratio - 1) <= 0.10) ++intervals_within_;
      else if (!(b.last_start <= kill_at_ && now_ >= kill_at_)) ++intervals_outside_kill_;
      min_ratio_ = std::min(min_ratio_, ratio);
      max_ratio_ = std::max(max_ratio_, ratio);
    }
    b.last_start = now_;
    b.has_start = true;
    Push(now_, Ev::kCrawlStep, slot, c.generation);
  }

  // Sends the crawl's next batch of requests in reserved host slots.
  void Step(int slot, std::uint32_t generation) {
    Crawl& c = crawls_[static_cast<size_t>(slot)];
    if (!c.live || c.generation != generation) return;
    NodeState& s = nodes_[static_cast<size_t>(c.node)];
    if (c.requests_left == 0 || c.requests_left == c.fail_after) {
      Finish(slot, c.requests_left == 0 ? work::Outcome::kSuccess : work::Outcome::kFailure);
      return;
    }
    Board& b = boards_[static_cast<size_t>(c.board)];
    Host& h = hosts_[static_cast<size_t>(b.host)];
    const int want = std::min(o_.batch, c.requests_left);
    ++s.statements;
    ++s.reservations;
    const auto grant = work::ReserveSlots(h.slots, now_, want, h.gap, o_.horizon);
    if (!grant) {
      ++s.refused;
      Push(h.slots.next_free_at - o_.horizon, Ev::kCrawlStep, slot, generation);
      return;
    }
    Time ready = now_;
    int i = 0;
    while (c.requests_left > 0 && c.requests_left != c.fail_after) {
      const auto use = work::FirstUsableSlot(*grant, i, ready);
      if (!use) break;
      const Time start = grant->first + grant->gap * *use;
      if (h.any && start - h.last_request < h.gap) ++host_violations_;
      h.last_request = start;
      h.any = true;
      ++requests_;
      ready = start + Latency();
      --c.requests_left;
      i = *use + 1;
    }
    Push(ready, Ev::kCrawlStep, slot, generation);
  }

  Duration Latency() {
    // Lognormal, median 300 ms, capped at the 30 s timeout.
    const double ms = 300 * std::exp(0.7 * std::normal_distribution<double>(0, 1)(rng_));
    return Duration(static_cast<std::int64_t>(std::min(ms, 30'000.0) * 1000));
  }

  void Finish(int slot, work::Outcome outcome) {
    Crawl& c = crawls_[static_cast<size_t>(slot)];
    NodeState& s = nodes_[static_cast<size_t>(c.node)];
    Board& b = boards_[static_cast<size_t>(c.board)];
    ++s.statements;
    ++s.releases;
    ++s.crawls;
    --s.running;
    const work::Reschedule r = work::NextRun(outcome, b.interval, b.attempts, o_.backoff);
    b.attempts = r.attempts;
    b.next_run_at = work::NextRunAt(r, c.started, now_);
    b.due_at = Time{};
    b.leased = false;
    b.last_success = outcome == work::Outcome::kSuccess;
    ++b.generation;
    due_.push({b.next_run_at, c.board, b.generation});
    if (outcome == work::Outcome::kFailure) ++failures_;
    ++crawls_done_;
    c.live = false;
    free_crawls_.push_back(slot);
  }

  Result Summarize() {
    Result r;
    r.nodes = node_count_;
    r.crawls = crawls_done_;
    r.failures = failures_;
    std::sort(waits_.begin(), waits_.end());
    if (!waits_.empty()) {
      r.max_wait_s = waits_.back();
      r.p99_wait_s = waits_[waits_.size() * 99 / 100];
      r.p50_wait_s = waits_[waits_.size() / 2];
    }
    for (double w : takeover_waits_) r.max_wait_takeover_s = std::max(r.max_wait_takeover_s, w);
    r.taken_over = static_cast<std::int64_t>(takeover_waits_.size());
    r.intervals = intervals_;
    r.intervals_within = intervals_within_;
    r.intervals_outside_kill = intervals_outside_kill_;
    r.min_ratio = min_ratio_;
    r.max_ratio = max_ratio_;
    for (const Board& b : boards_) {
      if (b.broken || !b.has_start) continue;
      const double since = std::chrono::duration<double>(end_ - b.last_start).count() /
                           std::chrono::duration<double>(b.interval).count();
      r.worst_overdue_ratio = std::max(r.worst_overdue_ratio, since);
    }
    for (const NodeState& s : nodes_) {
      if (s.started == Time{}) continue;
      const Time until = s.alive ? end_ : s.stopped;
      const double h = std::chrono::duration<double>(until - s.started).count() / 3600;
      r.node_hours += h;
      r.statements += s.statements;
      r.claims += s.claims;
      r.empty_claims += s.empty_claims;
      r.short_claims += s.short_claims;
      r.reservations += s.reservations;
      r.refused += s.refused;
      r.heartbeats += s.heartbeats;
      r.releases += s.releases;
      if (h > 1) r.statements_per_node_hour.push_back(static_cast<double>(s.statements) / h);
    }
    r.host_violations = host_violations_;
    r.requests = requests_;
    return r;
  }

  const Options& o_;
  std::mt19937_64 rng_;
  int node_count_;
  Time now_{}, end_{}, kill_at_{};
  std::uint64_t seq_ = 0;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
  std::priority_queue<DueEntry, std::vector<DueEntry>, std::greater<>> due_;
  std::vector<Board> boards_;
  std::vector<Host> hosts_;
  std::vector<NodeState> nodes_;
  std::vector<Crawl> crawls_;
  std::vector<int> free_crawls_;
  std::vector<double> waits_, takeover_waits_;
  std::int64_t intervals_ = 0, intervals_within_ = 0, intervals_outside_kill_ = 0;
  double min_ratio_ = 1e9, max_ratio_ = 0;
  std::int64_t crawls_done_ = 0, failures_ = 0, host_violations_ = 0, requests_ = 0;
};

std::vector<int> ParseList(std::string_view s) {
  std::vector<int> v;
  while (!s.empty()) {
    const size_t comma = s.find(',');
    v.push_back(std::atoi(std::string(s.substr(0, comma)).c_str()));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view k = argv[i];
    const char* v = argv[i + 1];
    if (k == "--boards") o.boards = std::atoi(v);
    else if (k == "--postings") o.postings = std::atoi(v);
    else if (k == "--nodes") o.nodes = ParseList(v);
    else if (k == "--hours") o.hours_simulated = std::atoi(v);
    else if (k == "--capacity") o.capacity = std::atoi(v);
    else if (k == "--kill-at") o.kill_at_hours = std::atof(v);
    else if (k == "--seed") o.seed = std::strtoull(v, nullptr, 10);
    else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  std::printf("boards=%d postings=%d hours=%d capacity=%d kill_at=%.1fh seed=%llu poll=%llds ttl=%llds batch=%d\n",
              o.boards, o.postings, o.hours_simulated, o.capacity, o.kill_at_hours,
              static_cast<unsigned long long>(o.seed), static_cast<long long>(o.poll.count() / 1'000'000),
              static_cast<long long>(o.lease.ttl.count() / 1'000'000), o.batch);
  std::printf("%5s %9s %7s %8s %8s %9s %9s %8s %11s %9s %9s %10s %10s %8s %8s %9s %7s %6s\n", "nodes", "crawls",
              "failed", "wait_p50", "wait_p99", "wait_max", "takeover", "tk_wait", "within10%", "ratio_min",
              "ratio_max", "stmt/node-h", "stmt/crawl", "claims", "empty", "refused", "overdue", "host!");
  for (int n : o.nodes) {
    Sim sim(o, n);
    const Result r = sim.Run();
    double spnh_min = 1e18, spnh_max = 0;
    for (double x : r.statements_per_node_hour) {
      spnh_min = std::min(spnh_min, x);
      spnh_max = std::max(spnh_max, x);
    }
    const double within = r.intervals ? 100.0 * static_cast<double>(r.intervals_within) / static_cast<double>(r.intervals) : 0;
    std::printf("%5d %9lld %7lld %7.1fs %7.1fs %8.1fs %9lld %7.1fs %10.3f%% %9.3f %9.3f %10.0f %10.2f %8lld %8lld %9lld %7.2f %6lld\n",
                r.nodes, static_cast<long long>(r.crawls), static_cast<long long>(r.failures), r.p50_wait_s,
                r.p99_wait_s, r.max_wait_s, static_cast<long long>(r.taken_over), r.max_wait_takeover_s, within,
                r.min_ratio, r.max_ratio, static_cast<double>(r.statements) / r.node_hours,
                static_cast<double>(r.statements) / static_cast<double>(std::max<std::int64_t>(1, r.crawls)),
                static_cast<long long>(r.claims), static_cast<long long>(r.empty_claims),
                static_cast<long long>(r.refused), r.worst_overdue_ratio, static_cast<long long>(r.host_violations));
    std::printf("      per node per hour: min %.0f max %.0f statements; intervals outside 10%% away from the kill: %lld of %lld; requests %lld; short claims %lld\n",
                spnh_min, spnh_max, static_cast<long long>(r.intervals_outside_kill),
                static_cast<long long>(r.intervals), static_cast<long long>(r.requests),
                static_cast<long long>(r.short_claims));
    std::fflush(stdout);
  }
  return 0;
}
