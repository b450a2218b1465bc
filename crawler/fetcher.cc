#include "crawler/fetcher.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <ctime>
#include <deque>
#include <random>
#include <unordered_map>
#include <vector>

#include "crawler/curl_multi.h"
#include "crawler/host_pacer.h"
#include "crawler/retry_policy.h"
#include "crawler/robots.h"
#include "crawler/robots_cache.h"
#include "crawler/transfer.h"
#include "model/url.h"

namespace jobtrawl::crawler {

namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kIdleHostTtl{5 * 60 * 1000};
constexpr milliseconds kSweepEvery{60 * 1000};

struct Target {
  std::string key;   // "scheme://host:port", lower-case: the unit of politeness
  std::string host;  // lower-case host name or address
};

// The politeness unit of an absolute http(s) URL (model/url.h).
std::optional<Target> ParseTarget(std::string_view url) {
  if (IsFileUrl(url)) return Target{"file://", ""};
  auto parts = SplitUrl(url);
  if (!parts || (parts->scheme != "http" && parts->scheme != "https") || parts->host.empty()) {
    return std::nullopt;
  }
  return Target{Origin(*parts), parts->host};
}

// A redirect's Location resolved against the URL that answered (RFC 9110
// §10.2.2), dot segments removed as for every other URL; the fragment is
// dropped, since it never reaches the server.
std::optional<std::string> Resolve(std::string_view base, std::string_view location) {
  auto resolved = ResolveUrl(base, location);
  if (!resolved) return std::nullopt;
  if (std::size_t hash = resolved->find('#'); hash != std::string::npos) resolved->resize(hash);
  return resolved;
}

bool IsRedirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string Seconds(milliseconds d) { return std::to_string((d.count() + 999) / 1000) + " s"; }

// "robots.txt disallows /jobs/1 (line 4: Disallow: /jobs)", or the reason no
// rule applies ("robots.txt unavailable (HTTP 503): ...").
std::string RobotsRefusal(std::string_view url, const RobotsDecision& d) {
  if (d.line <= 0) return d.rule;
  return "robots.txt disallows " + RobotsPath(url) + " (line " + std::to_string(d.line) + ": " + d.rule + ")";
}

}  // namespace

class Fetcher::Impl {
 public:
  Impl(asio::io_context& ioc, const config::HttpConfig& http)
      : ioc_(ioc),
        http_(http),
        pacer_settings_{.delay = http.delay,
                        .jitter = http.delay_jitter,
                        .max_adaptive_delay = http.max_adaptive_delay,
                        .breaker_failures = http.breaker_failures,
                        .breaker_cooldown = http.breaker_cooldown,
                        .breaker_max_trips = http.breaker_max_trips},
        retry_({.retries = http.retries, .base = http.retry_base, .max = http.retry_max}),
        robots_({.product_token = ProductToken(http.user_agent), .ttl = http.robots_cache}),
        multi_(ioc),
        rng_(std::random_device{}()) {}

  // Members are destroyed in reverse: transfers (owning their easy handles)
  // after the multi handle has let go of them.
  ~Impl() {
    for (auto& [id, t] : running_) {
      if (t->easy() != nullptr) multi_.Remove(t->easy());
    }
  }

  void Fetch(FetchRequest request, Callback done) {
    const auto now = Clock::now();
    if (now - last_sweep_ >= kSweepEvery) {
      ForgetIdleHosts(now, kIdleHostTtl);
      last_sweep_ = now;
    }
    const FetchPolicy* policy = request.policy.get();
    auto target = ParseTarget(request.url);
    std::string key = target ? target->key : std::string();
    auto t = std::make_unique<Transfer>(std::move(request), std::move(done), std::move(key),
                                        /*is_robots=*/false);
    if (IsFileUrl(t->request.url) && (policy == nullptr || !policy->allow_file)) {
      return Complete(std::move(t), FetchError::kForbiddenUrl,
                      "file:// URLs are not allowed for this source");
    }
    if (auto why = Refuse(t->request.url, target, policy)) {
      return Complete(std::move(t), FetchError::kForbiddenUrl, *why);
    }
    Enqueue(std::move(t), /*front=*/false);
    Pump();
  }

  void Pause() { ++paused_; }
  void Resume() {
    if (paused_ > 0) --paused_;
    if (paused_ > 0) return;
    for (auto& [key, host] : hosts_) Consider(*host);
    Pump();
  }

  void CancelAll() { Cancel(nullptr, FetchError::kCancelled, "cancelled"); }

  // Fails the matching transfers (all of them when `policy` is null).
  void Cancel(const FetchPolicy* policy, FetchError why, const std::string& message) {
    auto matches = [policy](const Transfer& t) {
      return policy == nullptr || t.request.policy.get() == policy;
    };
    for (auto& [key, host] : hosts_) {
      std::deque<std::unique_ptr<Transfer>> keep;
      for (auto& t : host->queue) {
        if (!matches(*t)) {
          keep.push_back(std::move(t));
        } else if (t->is_robots) {
          robots_.Abandon(host->key);
        } else {
          Complete(std::move(t), why, message);
        }
      }
      host->queue = std::move(keep);
      Consider(*host);  // what is left may start now (a robots.txt fetch it waited on is gone)
    }
    std::erase_if(waiting_, [this](Host* h) {
      if (!h->queue.empty()) return false;
      h->in_waiting = false;
      return true;
    });
    for (auto it = running_.begin(); it != running_.end();) {
      if (!matches(*it->second)) {
        ++it;
        continue;
      }
      std::unique_ptr<Transfer> t = std::move(it->second);
      it = running_.erase(it);
      multi_.Remove(t->easy());
      EasyHandle handle;
      t->EndAttempt(CURLE_ABORTED_BY_CALLBACK, http_, handle);
      if (handle) idle_.push_back(std::move(handle));
      Host& host = HostFor(t->host_key);
      host.running--;
      host.pacer.OnAbandon();
      if (t->is_robots) {
        // Another source's pages may wait on this robots.txt: they fetch it anew.
        robots_.Abandon(host.key);
        Consider(host);
      } else {
        Complete(std::move(t), why, message);
      }
    }
    for (auto it = retrying_.begin(); it != retrying_.end();) {
      if (!matches(*it->second.transfer)) {
        ++it;
        continue;
      }
      std::unique_ptr<Transfer> t = std::move(it->second.transfer);
      it = retrying_.erase(it);  // its timer is cancelled with it
      Host& host = HostFor(t->host_key);
      host.retrying--;
      if (t->is_robots) {
        // Another source's pages may wait on this robots.txt: they fetch it anew.
        robots_.Abandon(host.key);
        Consider(host);
      } else {
        Complete(std::move(t), why, message);
      }
    }
    Pump();
  }

  std::size_t running() const { return running_.size(); }
  std::size_t queued() const {
    std::size_t n = retrying_.size();
    for (const auto& [key, host] : hosts_) n += host->queue.size();
    return n;
  }
  std::size_t hosts() const { return hosts_.size(); }

  void ForgetIdleHosts(Clock::time_point now, milliseconds idle_ttl) {
    std::erase_if(hosts_, [&](const auto& entry) {
      const Host& h = *entry.second;
      return h.queue.empty() && h.running == 0 && h.retrying == 0 && !h.timer_armed &&
             !h.in_waiting && now - h.last_active >= idle_ttl && h.pacer.quiet(now);
    });
  }

  void SeedRandom(std::uint64_t seed) { rng_.seed(seed); }
  void SetHostBudget(std::shared_ptr<HostBudget> budget) { budget_ = std::move(budget); }

 private:
  struct Host {
    explicit Host(const PacerSettings& s) : pacer(s) {}
    std::string key;
    std::deque<std::unique_ptr<Transfer>> queue;
    int running = 0;
    int retrying = 0;
    HostPacer pacer;
    std::unique_ptr<asio::steady_timer> timer;
    bool timer_armed = false;
    bool in_waiting = false;
    Clock::time_point last_active{};
  };

  // A transfer waiting out its backoff; the timer goes with it.
  struct RetryWait {
    std::unique_ptr<Transfer> transfer;
    std::unique_ptr<asio::steady_timer> timer;
  };

  Host& HostFor(const std::string& key) {
    auto& slot = hosts_[key];
    if (!slot) {
      slot = std::make_unique<Host>(pacer_settings_);
      slot->key = key;
      // A host forgotten and seen again keeps what its robots.txt asks.
      if (auto delay = robots_.crawl_delay(key)) {
        slot->pacer.RaiseBaseDelay(std::min(*delay, http_.max_crawl_delay));
      }
    }
    return *slot;
  }

  // Why `url` (split into `target`) may not be fetched under `policy`, or nullopt.
  std::optional<std::string> Refuse(const std::string& url, const std::optional<Target>& target,
                                    const FetchPolicy* policy) const {
    if (url.size() > static_cast<std::size_t>(http_.max_url_length)) {
      return "URL longer than max_url_length (" + std::to_string(http_.max_url_length) + ")";
    }
    if (!target) return "not an absolute http(s) URL: " + url;
    if (IsFileUrl(url)) {
      if (policy == nullptr || !policy->allow_file) return "file:// URLs are not allowed";
      return std::nullopt;
    }
    if (policy != nullptr && !policy->allowed_hosts.empty()) {
      const auto& hosts = policy->allowed_hosts;
      if (std::find(hosts.begin(), hosts.end(), target->host) == hosts.end()) {
        return "host " + target->host + " is not one of the source's hosts";
      }
    }
    return std::nullopt;
  }

  void Enqueue(std::unique_ptr<Transfer> t, bool front) {
    Host& host = HostFor(t->host_key);
    host.last_active = Clock::now();
    if (const FetchPolicy* p = t->request.policy.get(); p != nullptr && p->delay) {
      host.pacer.RaiseBaseDelay(*p->delay);
    }
    if (front) {
      host.queue.push_front(std::move(t));
    } else {
      host.queue.push_back(std::move(t));
    }
    Consider(host);
  }

  void Consider(Host& host) {
    if (host.in_waiting || host.queue.empty()) return;
    host.in_waiting = true;
    waiting_.push_back(&host);
  }

  // The budget's `wake` for `key`: from any thread, onto the loop.
  std::function<void()> WakeFor(const std::string& key) {
    return [this, &ioc = ioc_, key, alive = std::weak_ptr<char>(alive_)] {
      asio::post(ioc, [this, key, alive] {
        if (alive.expired()) return;
        auto it = hosts_.find(key);
        if (it == hosts_.end()) return;
        Consider(*it->second);
        Pump();
      });
    };
  }

  void ArmTimer(Host& host, Clock::time_point when) {
    if (host.timer_armed) return;
    if (!host.timer) host.timer = std::make_unique<asio::steady_timer>(ioc_);
    host.timer_armed = true;
    host.timer->expires_at(when);
    host.timer->async_wait([this, key = host.key, alive = std::weak_ptr<char>(alive_)](
                               boost::system::error_code ec) {
      if (alive.expired() || ec == asio::error::operation_aborted) return;
      auto it = hosts_.find(key);
      if (it == hosts_.end()) return;
      it->second->timer_armed = false;
      Consider(*it->second);
      Pump();
    });
  }

  double Uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }

  enum class Served { kHostBlocked, kGlobalLimit };

  // Starts what `host` may start now. Returns kGlobalLimit when the global
  // limit (or a pause) stopped it with work left.
  Served Serve(Host& host) {
    while (!host.queue.empty()) {
      if (paused_ > 0 || running_.size() >= static_cast<std::size_t>(http_.max_connections)) {
        return Served::kGlobalLimit;
      }
      Transfer& next = *host.queue.front();
      const bool http = !IsFileUrl(next.request.url);
      const int limit = http ? http_.per_host_connections : http_.max_connections;
      if (host.running >= limit) return Served::kHostBlocked;
      const auto now = Clock::now();
      if (http && host.pacer.down(now)) {
        FailQueue(host, FetchError::kHostDown,
                  "host " + host.key + " kept failing; its queue was abandoned until its cool-down passes");
        return Served::kHostBlocked;
      }
      // Compared as durations: `now + retry_max` may not fit a time_point.
      if (http && host.pacer.held_until() > now && host.pacer.held_until() - now > http_.retry_max) {
        FailQueue(host, FetchError::kRateLimited,
                  "host " + host.key + " asked us (Retry-After) to wait " +
                      Seconds(std::chrono::duration_cast<milliseconds>(host.pacer.held_until() - now)) +
                      ", longer than retry_max (" + Seconds(http_.retry_max) + ")");
        return Served::kHostBlocked;
      }
      if (http && http_.obey_robots && !next.is_robots) {
        switch (robots_.status(host.key, now)) {
          case RobotsCache::Status::kMissing:
            QueueRobotsFetch(host, next);
            continue;  // the robots.txt fetch is at the front now
          case RobotsCache::Status::kFetching:
            return Served::kHostBlocked;  // its completion considers the host again
          case RobotsCache::Status::kReady:
            break;
        }
        RobotsDecision d = robots_.Check(host.key, next.request.url);
        if (!d.allowed) {
          auto t = std::move(host.queue.front());
          host.queue.pop_front();
          if (const RobotsCache::Unreachable* u = robots_.unreachable(host.key)) {
            // The cause is the transport failure, not a rule (RFC 9309 2.3.1.4).
            Complete(std::move(t), u->error,
                     u->message + " (fetching robots.txt; nothing on the host is fetched until it "
                                  "can be read)");
          } else {
            Complete(std::move(t), FetchError::kRobotsDisallowed, RobotsRefusal(next.request.url, d));
          }
          continue;
        }
      }
      // A probe in flight is waited for: its completion considers the host again.
      if (http && host.pacer.probing()) return Served::kHostBlocked;
      if (http && !host.pacer.CanStart(now)) {
        ArmTimer(host, host.pacer.NextWakeUp());
        return Served::kHostBlocked;
      }
      // A shared budget (other processes crawl the host too): the request
      // goes at the start of a slot it holds. A host without a delay has
      // nothing to share: slots 0 apart would all have begun before the
      // request could take one.
      if (http && budget_ && host.pacer.current_delay() > std::chrono::milliseconds::zero()) {
        auto at = budget_->Next(host.key, host.pacer.current_delay(), now,
                                static_cast<int>(std::min<std::size_t>(host.queue.size(), 1 << 20)),
                                WakeFor(host.key));
        if (!at) return Served::kHostBlocked;  // slots are being reserved; `wake` considers the host again
        if (*at > now) {
          ArmTimer(host, *at);
          return Served::kHostBlocked;
        }
        budget_->Take(host.key, *at);
      }
      auto t = std::move(host.queue.front());
      host.queue.pop_front();
      host.running++;
      if (http) host.pacer.OnStart(now, Uniform());
      Start(std::move(t));
    }
    return Served::kHostBlocked;
  }

  void Pump() {
    while (!waiting_.empty()) {
      Host& host = *waiting_.front();
      if (Serve(host) == Served::kGlobalLimit) return;  // stays first in line
      waiting_.pop_front();
      host.in_waiting = false;
    }
  }

  void QueueRobotsFetch(Host& host, const Transfer& first) {
    FetchRequest request{.url = RobotsUrl(first.request.url),
                         .policy = first.request.policy};  // the same address rules apply
    auto t = std::make_unique<Transfer>(std::move(request), Callback(), host.key, /*is_robots=*/true);
    robots_.MarkFetching(host.key);
    host.queue.push_front(std::move(t));
  }

  // Fails everything queued for `host`.
  void FailQueue(Host& host, FetchError why, const std::string& message) {
    while (!host.queue.empty()) {
      auto t = std::move(host.queue.front());
      host.queue.pop_front();
      if (t->is_robots) {
        robots_.Abandon(host.key);
        continue;
      }
      Complete(std::move(t), why, message);
    }
  }

  AddressRule RuleFor(const Transfer& t) const {
    const FetchPolicy* p = t.request.policy.get();
    AddressRule rule;
    rule.allow_private = p != nullptr && p->allow_private_networks ? *p->allow_private_networks
                                                                    : http_.allow_private_networks;
    if (p != nullptr) rule.allowed = p->allowed_networks;
    return rule;
  }

  void Start(std::unique_ptr<Transfer> t) {
    EasyHandle easy;
    if (!idle_.empty()) {
      easy = std::move(idle_.back());
      idle_.pop_back();
    } else {
      easy.reset(curl_easy_init());
    }
    if (!easy) {
      HostFor(t->host_key).running--;
      return Complete(std::move(t), FetchError::kProtocol, "curl_easy_init failed");
    }
    t->BeginAttempt(std::move(easy), http_, RuleFor(*t));
    const std::uint64_t id = ++last_id_;
    CURL* handle = t->easy();
    running_.emplace(id, std::move(t));
    // Completions are matched by id, not by handle: a handle is reused, and
    // a completion that arrives after a cancel must find nothing.
    multi_.Add(handle, [this, id, alive = std::weak_ptr<char>(alive_)](CURLcode rc) {
      if (alive.expired()) return;
      OnDone(id, rc);
    });
  }

  // How an attempt's end is handled. Decided first, as a value, so the
  // transfer is then moved exactly once, by exactly one of the branches.
  struct Next {
    enum class Kind { kRetry, kRobots, kRedirect, kDeliver } kind = Kind::kDeliver;
    milliseconds wait{0};   // kRetry
    std::string url;        // kRedirect: the next hop
    std::string host_key;   // kRedirect
    bool to_get = false;    // kRedirect: the next hop is a GET
  };

  void OnDone(std::uint64_t id, CURLcode rc) {
    auto node = running_.extract(id);
    if (node.empty()) return;  // cancelled meanwhile
    std::unique_ptr<Transfer> t = std::move(node.mapped());
    EasyHandle handle;
    auto [r, transient] = t->EndAttempt(rc, http_, handle);
    if (handle) idle_.push_back(std::move(handle));
    Host& host = HostFor(t->host_key);
    host.running--;
    host.last_active = Clock::now();
    Judge(host, *t, r, transient);
    Next next = Decide(*t, r, transient);
    switch (next.kind) {
      case Next::Kind::kRetry:
        ScheduleRetry(std::move(t), r, next.wait);
        break;
      case Next::Kind::kRobots:
        robots_.Store(host.key, r, Clock::now());
        if (auto delay = robots_.crawl_delay(host.key)) {
          host.pacer.RaiseBaseDelay(std::min(*delay, http_.max_crawl_delay));
        }
        break;  // the transfer ends here: nobody waits on it
      case Next::Kind::kRedirect:
        t->request.url = std::move(next.url);
        t->host_key = std::move(next.host_key);
        t->redirects++;
        t->failures = 0;
        // Validators belong to the first URL; the new one is fetched afresh.
        t->request.etag.clear();
        t->request.last_modified.clear();
        // 301, 302 and 303 make a POST a GET, as user agents do (RFC 9110
        // §15.4.2-4); 307 and 308 repeat it.
        if (next.to_get) t->request.post.reset();
        Enqueue(std::move(t), /*front=*/false);
        break;
      case Next::Kind::kDeliver:
        Deliver(std::move(t), std::move(r));
        break;
    }
    Consider(host);
    Pump();
  }

  // Tells the host's pacer how the attempt went.
  void Judge(Host& host, const Transfer& t, const FetchResult& r, bool transient) {
    if (IsFileUrl(t.request.url)) return;
    if (r.error == FetchError::kForbiddenAddress) {
      host.pacer.OnAbandon();  // refused before connecting: nothing to judge the host by
      return;
    }
    HostPacer::Outcome outcome = HostPacer::Outcome::kSuccess;
    if (r.status == 429 || r.status == 503) {
      outcome = HostPacer::Outcome::kSlowDown;
    } else if (transient) {
      outcome = HostPacer::Outcome::kFailure;
    }
    host.pacer.OnFinish(Clock::now(), outcome,
                        std::chrono::duration_cast<milliseconds>(r.timings.total), RetryAfter(r));
  }

  static std::optional<milliseconds> RetryAfter(const FetchResult& r) {
    if (r.status != 429 && r.status != 503) return std::nullopt;
    return ParseRetryAfter(r.Header("Retry-After"), std::time(nullptr));
  }

  // Chooses what follows the attempt; may rewrite `r` to say why it ends.
  Next Decide(Transfer& t, FetchResult& r, bool transient) {
    if (transient) {
      const auto decision = retry_.OnFailure(t.failures + 1, RetryAfter(r), Uniform());
      switch (decision.kind) {
        case RetryPolicy::Decision::Kind::kRetry:
          return {.kind = Next::Kind::kRetry, .wait = decision.wait};
        case RetryPolicy::Decision::Kind::kWaitTooLong:
          r.error = FetchError::kRateLimited;
          r.error_message = "HTTP " + std::to_string(r.status) + " with Retry-After " +
                            Seconds(decision.wait) + ", longer than retry_max (" +
                            Seconds(http_.retry_max) + "): not retried";
          break;
        case RetryPolicy::Decision::Kind::kExhausted:
          break;
      }
    }
    if (t.is_robots) return {.kind = Next::Kind::kRobots};
    if (r.error == FetchError::kHttpStatus && IsRedirect(r.status) && http_.max_redirects > 0) {
      std::string_view location = r.Header("Location");
      auto target = location.empty() ? std::nullopt : Resolve(t.request.url, location);
      if (!target) {
        r.error_message = "HTTP " + std::to_string(r.status) + " without a usable Location";
      } else if (t.redirects >= http_.max_redirects) {
        r.error = FetchError::kTooManyRedirects;
        r.error_message = "more than " + std::to_string(http_.max_redirects) + " redirects";
      } else {
        auto split = ParseTarget(*target);
        if (auto why = Refuse(*target, split, t.request.policy.get())) {
          r.error = FetchError::kForbiddenUrl;
          r.error_message = "redirect to " + *target + " refused: " + *why;
        } else {
          return {.kind = Next::Kind::kRedirect, .url = *target, .host_key = split->key,
                  .to_get = r.status != 307 && r.status != 308};
        }
      }
    }
    return {.kind = Next::Kind::kDeliver};
  }

  void ScheduleRetry(std::unique_ptr<Transfer> t, const FetchResult& r, milliseconds wait) {
    t->retried.push_back({r.error, r.status, r.error_message});
    t->failures++;
    HostFor(t->host_key).retrying++;
    const std::uint64_t id = ++last_id_;
    auto timer = std::make_unique<asio::steady_timer>(ioc_, wait);
    timer->async_wait([this, id, alive = std::weak_ptr<char>(alive_)](boost::system::error_code ec) {
      if (alive.expired() || ec == asio::error::operation_aborted) return;
      auto node = retrying_.extract(id);
      if (node.empty()) return;
      std::unique_ptr<Transfer> again = std::move(node.mapped().transfer);
      HostFor(again->host_key).retrying--;
      Enqueue(std::move(again), /*front=*/true);
      Pump();
    });
    retrying_.emplace(id, RetryWait{std::move(t), std::move(timer)});
  }

  // The one way a transfer's callback is called for a result.
  void Deliver(std::unique_ptr<Transfer> t, FetchResult r) {
    Callback done = t->TakeCallback();
    if (!done) return;  // a robots.txt fetch: nobody waits on it
    r.url = t->original_url;
    r.post = t->original_post;
    r.retried = std::move(t->retried);
    if (!r.ok() && !r.retried.empty()) {
      const std::size_t n = r.retried.size();
      r.error_message += " after " + std::to_string(n) + (n == 1 ? " retry" : " retries");
    }
    asio::post(ioc_, [done = std::move(done), r = std::move(r),
                      alive = std::weak_ptr<char>(alive_)]() mutable {
      if (!alive.expired()) done(std::move(r));
    });
  }

  // Ends `t` without an attempt's result.
  void Complete(std::unique_ptr<Transfer> t, FetchError error, std::string message) {
    FetchResult r;
    r.final_url = t->request.url;
    r.error = error;
    r.error_message = std::move(message);
    Deliver(std::move(t), std::move(r));
  }

  asio::io_context& ioc_;
  const config::HttpConfig http_;
  const PacerSettings pacer_settings_;
  const RetryPolicy retry_;
  RobotsCache robots_;
  std::vector<EasyHandle> idle_;  // reset handles for reuse; outlive the multi's use of them
  CurlMulti multi_;
  std::unordered_map<std::string, std::unique_ptr<Host>> hosts_;
  std::deque<Host*> waiting_;  // hosts that may have something to start
  std::unordered_map<std::uint64_t, std::unique_ptr<Transfer>> running_;  // by attempt id
  std::unordered_map<std::uint64_t, RetryWait> retrying_;                 // by wait id
  std::uint64_t last_id_ = 0;
  std::mt19937_64 rng_;
  int paused_ = 0;
  Clock::time_point last_sweep_ = Clock::now();
  // Handlers given to Asio hold a weak_ptr to this and check it first.
  std::shared_ptr<HostBudget> budget_;  // null: this process alone paces its hosts
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

Fetcher::Fetcher(asio::io_context& ioc, const config::HttpConfig& http)
    : impl_(std::make_unique<Impl>(ioc, http)) {}
Fetcher::~Fetcher() = default;
void Fetcher::Fetch(FetchRequest request, Callback done) {
  impl_->Fetch(std::move(request), std::move(done));
}
void Fetcher::Pause() { impl_->Pause(); }
void Fetcher::Resume() { impl_->Resume(); }
void Fetcher::CancelAll() { impl_->CancelAll(); }
void Fetcher::Cancel(const FetchPolicy* policy, FetchError why, const std::string& message) {
  impl_->Cancel(policy, why, message);
}
std::size_t Fetcher::running() const { return impl_->running(); }
std::size_t Fetcher::queued() const { return impl_->queued(); }
std::size_t Fetcher::hosts() const { return impl_->hosts(); }
void Fetcher::ForgetIdleHosts(Clock::time_point now, milliseconds idle_ttl) {
  impl_->ForgetIdleHosts(now, idle_ttl);
}
void Fetcher::SeedRandom(std::uint64_t seed) { impl_->SeedRandom(seed); }
void Fetcher::SetHostBudget(std::shared_ptr<HostBudget> budget) { impl_->SetHostBudget(std::move(budget)); }

void GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }

std::string UrlHost(std::string_view url) {
  auto target = ParseTarget(url);
  return target ? target->host : std::string();
}

}  // namespace jobtrawl::crawler
