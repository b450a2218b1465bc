#include "crawler/fetcher.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <charconv>
#include <strings.h>

#include <cmath>
#include <ctime>
#include <deque>
#include <random>
#include <unordered_map>
#include <vector>

#include "crawler/address_policy.h"
#include "crawler/curl_multi.h"
#include "crawler/host_pacer.h"
#include "crawler/robots.h"

namespace jobtrawl::crawler {

namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

constexpr std::size_t kRobotsMaxBytes = 512 * 1024;  // RFC 9309 asks for 500 KiB at least
constexpr milliseconds kRobotsRetryLater{10 * 60 * 1000};

bool IsFileUrl(std::string_view url) {
  return url.size() >= 7 && (url.substr(0, 7) == "file://" || url.substr(0, 7) == "FILE://");
}

struct Target {
  std::string key;   // "scheme://host:port", lower-case: the unit of politeness
  std::string host;  // lower-case host name or address
};

// Splits an absolute http(s) URL by hand: it runs for every request, and
// a full RFC 3986 parse is not needed to find the authority.
std::optional<Target> ParseTarget(std::string_view url) {
  if (IsFileUrl(url)) return Target{"file://", ""};
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos) return std::nullopt;
  std::string scheme(url.substr(0, colon));
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string_view authority = url.substr(colon + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {  // [IPv6]:port
    size_t close = host.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    if (close + 1 < host.size() && host[close + 1] == ':') port = host.substr(close + 2);
    host = host.substr(0, close + 1);
  } else if (size_t c = host.rfind(':'); c != std::string_view::npos) {
    port = host.substr(c + 1);
    host = host.substr(0, c);
  }
  if (host.empty()) return std::nullopt;
  Target t;
  t.host.assign(host);
  for (auto& c : t.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  t.key = scheme + "://" + t.host;
  if (!port.empty()) {
    t.key += ':';
    t.key.append(port);
  }
  return t;
}

std::optional<std::string> Resolve(std::string_view base, std::string_view location) {
  auto b = boost::urls::parse_uri(base);
  auto r = boost::urls::parse_uri_reference(location);
  if (!b || !r) return std::nullopt;
  boost::urls::url out;
  if (!boost::urls::resolve(*b, *r, out)) return std::nullopt;
  out.remove_fragment();
  return std::string(out.buffer());
}

FetchError ClassifyCurlError(CURLcode rc) {
  // A table rather than a switch: CURLcode has ~100 values and most mean "protocol".
  static constexpr std::pair<CURLcode, FetchError> kKinds[] = {
      {CURLE_COULDNT_RESOLVE_HOST, FetchError::kDns},
      {CURLE_COULDNT_RESOLVE_PROXY, FetchError::kDns},
      {CURLE_COULDNT_CONNECT, FetchError::kConnect},
      {CURLE_OPERATION_TIMEDOUT, FetchError::kTimeout},
      {CURLE_SSL_CONNECT_ERROR, FetchError::kTls},
      {CURLE_PEER_FAILED_VERIFICATION, FetchError::kTls},
      {CURLE_SSL_CERTPROBLEM, FetchError::kTls},
      {CURLE_SSL_CIPHER, FetchError::kTls},
      {CURLE_SSL_CACERT_BADFILE, FetchError::kTls},
      {CURLE_SSL_ISSUER_ERROR, FetchError::kTls},
      {CURLE_SSL_PINNEDPUBKEYNOTMATCH, FetchError::kTls},
      {CURLE_SSL_INVALIDCERTSTATUS, FetchError::kTls},
      {CURLE_FILESIZE_EXCEEDED, FetchError::kTooLarge},
      {CURLE_TOO_MANY_REDIRECTS, FetchError::kTooManyRedirects},
      {CURLE_UNSUPPORTED_PROTOCOL, FetchError::kForbiddenUrl},
  };
  for (const auto& [code, kind] : kKinds) {
    if (code == rc) return kind;
  }
  return FetchError::kProtocol;
}

// Failures worth another attempt: the network or the server hiccuped.
bool IsTransient(CURLcode rc) {
  static constexpr CURLcode kTransient[] = {
      CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT,
      CURLE_RECV_ERROR,           CURLE_SEND_ERROR,      CURLE_GOT_NOTHING,
      CURLE_PARTIAL_FILE,         CURLE_HTTP2,           CURLE_HTTP2_STREAM};
  for (CURLcode c : kTransient) {
    if (c == rc) return true;
  }
  return false;
}

bool IsTransientStatus(long status) { return status >= 500 || status == 408 || status == 429; }
bool IsRedirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Retry-After as delta-seconds or an HTTP-date (RFC 9110 10.2.3).
std::optional<milliseconds> ParseRetryAfter(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 9) return milliseconds(std::int64_t{999999999} * 1000);
    return milliseconds(std::stoll(std::string(value)) * 1000);
  }
  std::time_t when = curl_getdate(std::string(value).c_str(), nullptr);
  if (when < 0) return std::nullopt;
  std::time_t now = std::time(nullptr);
  return milliseconds(std::max<std::int64_t>(0, when - now) * 1000);
}

}  // namespace

class Fetcher::Impl {
 public:
  Impl(asio::io_context& ioc, const config::HttpConfig& http)
      : ioc_(ioc),
        http_(http),
        token_(ProductToken(http.user_agent)),
        multi_(ioc),
        rng_(std::random_device{}()),
        alive_(std::make_shared<bool>(true)) {
    pacer_settings_.delay = http.delay;
    pacer_settings_.jitter = http.delay_jitter;
    pacer_settings_.max_adaptive_delay = http.max_adaptive_delay;
    pacer_settings_.breaker_failures = http.breaker_failures;
    pacer_settings_.breaker_cooldown = http.breaker_cooldown;
    pacer_settings_.breaker_max_trips = http.breaker_max_trips;
  }

  ~Impl() {
    for (auto& [easy, t] : running_) {
      multi_.Remove(easy);
      curl_easy_cleanup(easy);
    }
    for (CURL* easy : idle_) curl_easy_cleanup(easy);
  }

  void Fetch(FetchRequest request, Callback done) {
    auto t = std::make_unique<Transfer>();
    t->original_url = request.url;
    t->request = std::move(request);
    t->done = std::move(done);
    const FetchPolicy* policy = t->request.policy.get();
    if (IsFileUrl(t->request.url) && (policy == nullptr || !policy->allow_file)) {
      return FailLater(std::move(t), FetchError::kForbiddenUrl,
                       "file:// URLs are not allowed for this source");
    }
    auto target = ParseTarget(t->request.url);
    if (auto why = Refuse(t->request.url, target, policy)) {
      return FailLater(std::move(t), FetchError::kForbiddenUrl, *why);
    }
    t->host_key = std::move(target->key);
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

  void CancelAll() {
    for (auto& [key, host] : hosts_) {
      for (auto& t : host->queue) FailLater(std::move(t), FetchError::kCancelled, "cancelled");
      host->queue.clear();
      host->in_waiting = false;
      if (host->robots_state == RobotsState::kFetching) host->robots_state = RobotsState::kUnknown;
    }
    waiting_.clear();
    for (auto& [easy, t] : running_) {
      multi_.Remove(easy);
      hosts_[t->host_key]->running--;
      Recycle(easy, *t);
      FailLater(std::move(t), FetchError::kCancelled, "cancelled");
    }
    running_.clear();
    for (auto& [raw, t] : retrying_) FailLater(std::move(t), FetchError::kCancelled, "cancelled");
    retrying_.clear();
  }

  std::size_t running() const { return running_.size(); }
  std::size_t queued() const {
    std::size_t n = retrying_.size();
    for (const auto& [key, host] : hosts_) n += host->queue.size();
    return n;
  }

  void SeedRandom(std::uint64_t seed) { rng_.seed(seed); }

 private:
  enum class RobotsState { kUnknown, kFetching, kReady };

  struct Transfer {
    FetchRequest request;  // request.url is the current hop
    std::string original_url;
    Callback done;         // empty for robots.txt fetches
    std::string host_key;
    bool is_robots = false;
    int redirects = 0;
    int attempt = 0;  // attempts that failed and were retried
    std::vector<FetchAttempt> retried;
    std::unique_ptr<asio::steady_timer> retry_timer;
    // State of the attempt in flight.
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::uint64_t max_body = 0;
    bool too_large = false;
    bool allow_private = false;
    std::string refused_address;
    curl_slist* header_list = nullptr;
    char error[CURL_ERROR_SIZE] = {};
  };

  struct Host {
    explicit Host(const PacerSettings& s) : pacer(s) {}
    std::string key;
    std::deque<std::unique_ptr<Transfer>> queue;
    int running = 0;
    HostPacer pacer;
    std::unique_ptr<asio::steady_timer> timer;
    bool timer_armed = false;
    bool in_waiting = false;
    RobotsState robots_state = RobotsState::kUnknown;
    std::optional<Robots> robots;
    Clock::time_point robots_expires{};
  };

  // Why `url` (split into `target`) may not be fetched under `policy`, or nullopt.
  std::optional<std::string> Refuse(const std::string& url, const std::optional<Target>& target,
                                    const FetchPolicy* policy) const {
    if (url.size() > static_cast<std::size_t>(http_.max_url_length)) {
      return "URL longer than max_url_length (" + std::to_string(http_.max_url_length) + ")";
    }
    if (IsFileUrl(url)) return std::nullopt;
    if (!target) return "not an http(s) URL: " + url;
    if (policy != nullptr && !policy->allowed_hosts.empty() &&
        std::find(policy->allowed_hosts.begin(), policy->allowed_hosts.end(), target->host) ==
            policy->allowed_hosts.end()) {
      return "host " + target->host + " is not one of the source's hosts";
    }
    return std::nullopt;
  }

  Host& HostFor(const std::string& key) {
    auto& slot = hosts_[key];
    if (!slot) {
      slot = std::make_unique<Host>(pacer_settings_);
      slot->key = key;
    }
    return *slot;
  }

  // REQUIRES: t->host_key is set.
  void Enqueue(std::unique_ptr<Transfer> t, bool front) {
    Host& host = HostFor(t->host_key);
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

  void ArmTimer(Host& host, Clock::time_point when) {
    if (host.timer_armed) return;
    if (!host.timer) host.timer = std::make_unique<asio::steady_timer>(ioc_);
    host.timer_armed = true;
    host.timer->expires_at(when);
    host.timer->async_wait([this, &host, alive = std::weak_ptr<bool>(alive_)](
                               boost::system::error_code ec) {
      if (alive.expired() || ec == asio::error::operation_aborted) return;
      host.timer_armed = false;
      Consider(host);
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
      if (http && host.pacer.down()) {
        FailHost(host);
        return Served::kHostBlocked;
      }
      if (http && http_.obey_robots && !next.is_robots) {
        if (host.robots_state == RobotsState::kReady && now >= host.robots_expires) {
          host.robots_state = RobotsState::kUnknown;
        }
        if (host.robots_state == RobotsState::kUnknown) {
          QueueRobotsFetch(host, next);
          continue;  // the robots.txt fetch is at the front now
        }
        if (host.robots_state == RobotsState::kFetching) return Served::kHostBlocked;
        RobotsDecision d = host.robots->Check(RobotsPath(next.request.url));
        if (!d.allowed) {
          auto t = std::move(host.queue.front());
          host.queue.pop_front();
          std::string why = d.line > 0 ? "robots.txt line " + std::to_string(d.line) + ": " + d.rule
                                       : d.rule;
          FailLater(std::move(t), FetchError::kRobotsDisallowed, why);
          continue;
        }
      }
      if (http && !host.pacer.CanStart(now)) {
        ArmTimer(host, host.pacer.NextWakeUp());
        return Served::kHostBlocked;
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
    auto t = std::make_unique<Transfer>();
    t->is_robots = true;
    t->request.url = RobotsUrl(first.request.url);
    t->request.policy = first.request.policy;  // the same address rules apply
    t->original_url = t->request.url;
    t->host_key = host.key;
    host.robots_state = RobotsState::kFetching;
    host.queue.push_front(std::move(t));
  }

  void OnRobots(Host& host, const FetchResult& r) {
    const auto now = Clock::now();
    milliseconds keep = http_.robots_cache;
    if (r.ok() && r.status >= 200 && r.status < 300) {
      host.robots = Robots::Parse(r.body, token_);
    } else if (r.error == FetchError::kHttpStatus && r.status >= 400 && r.status < 500) {
      host.robots = Robots::AllowAll("robots.txt answered HTTP " + std::to_string(r.status) +
                                     ": no rules apply");
    } else {
      // RFC 9309 2.3.1.4: unreachable or 5xx means complete disallow, for now.
      std::string why = r.error == FetchError::kHttpStatus
                            ? "HTTP " + std::to_string(r.status)
                            : std::string(FetchErrorName(r.error)) + ": " + r.error_message;
      host.robots = Robots::DisallowAll("robots.txt unavailable (" + why +
                                        "): everything disallowed until it can be read");
      keep = std::min(keep, kRobotsRetryLater);
    }
    if (auto delay = host.robots->crawl_delay()) {
      host.pacer.RaiseBaseDelay(std::min(*delay, http_.max_crawl_delay));
    }
    host.robots_state = RobotsState::kReady;
    host.robots_expires = now + keep;
  }

  void FailHost(Host& host) {
    while (!host.queue.empty()) {
      auto t = std::move(host.queue.front());
      host.queue.pop_front();
      if (t->is_robots) {
        host.robots_state = RobotsState::kUnknown;
        continue;
      }
      FailLater(std::move(t), FetchError::kHostDown,
                "host " + host.key + " kept failing; its queue was abandoned");
    }
  }

  static size_t OnBody(char* data, size_t size, size_t count, void* user) noexcept {
    auto* t = static_cast<Transfer*>(user);
    size_t n = size * count;
    if (t->body.size() + n > t->max_body) {
      t->too_large = true;
      return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    try {
      t->body.append(data, n);
    } catch (...) {
      return 0;
    }
    return n;
  }

  static size_t OnHeader(char* data, size_t size, size_t count, void* user) noexcept {
    auto* t = static_cast<Transfer*>(user);
    size_t n = size * count;
    try {
      std::string_view line(data, n);
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
      if (line.starts_with("HTTP/")) {
        t->headers.clear();  // a new response (after 100-continue or a followed redirect)
      } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
        std::string_view name = line.substr(0, colon);
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        if (name.size() == 14 && strncasecmp(name.data(), "content-length", 14) == 0) {
          // One allocation for the body instead of a string that doubles
          // its way up (a compressed body may still grow past it).
          std::uint64_t length = 0;
          auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
          if (ec == std::errc()) t->body.reserve(std::min<std::uint64_t>(length, t->max_body));
        }
        t->headers.emplace_back(std::string(name), std::string(value));
      }
    } catch (...) {
      return 0;
    }
    return n;
  }

  // Runs before libcurl connects, with the address DNS gave: the place to
  // refuse internal addresses, whatever name led there.
  static curl_socket_t OnOpenSocket(void* user, curlsocktype, curl_sockaddr* address) noexcept {
    auto* t = static_cast<Transfer*>(user);
    const auto* sa = reinterpret_cast<const sockaddr*>(&address->addr);
    if (!t->allow_private && IsNonPublicAddress(sa)) {
      try {
        t->refused_address = AddressToString(sa);
      } catch (...) {
      }
      return CURL_SOCKET_BAD;
    }
    return ::socket(address->family, address->socktype, address->protocol);
  }

  CURL* AcquireEasy() {
    if (idle_.empty()) return curl_easy_init();
    CURL* easy = idle_.back();
    idle_.pop_back();
    return easy;
  }

  void Recycle(CURL* easy, Transfer& t) {
    if (t.header_list != nullptr) {
      curl_slist_free_all(t.header_list);
      t.header_list = nullptr;
    }
    // A reset handle keeps nothing of the last transfer but is cheaper than
    // a new one; connections and DNS entries live in the multi handle.
    curl_easy_reset(easy);
    idle_.push_back(easy);
  }

  void Start(std::unique_ptr<Transfer> t) {
    CURL* easy = AcquireEasy();
    if (easy == nullptr) {
      hosts_[t->host_key]->running--;
      return FailLater(std::move(t), FetchError::kProtocol, "curl_easy_init failed");
    }
    const FetchPolicy* policy = t->request.policy.get();
    t->body.clear();
    t->headers.clear();
    t->too_large = false;
    t->refused_address.clear();
    t->error[0] = '\0';
    t->max_body = t->is_robots ? kRobotsMaxBytes : http_.max_body;
    t->allow_private = policy != nullptr && policy->allow_private_networks
                           ? *policy->allow_private_networks
                           : http_.allow_private_networks;
    const bool file = IsFileUrl(t->request.url);
    curl_easy_setopt(easy, CURLOPT_URL, t->request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PRIVATE, t.get());
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Impl::OnBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Impl::OnHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, t.get());
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &Impl::OnOpenSocket);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, t.get());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, file ? "file" : "http,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    // Redirects are ours to follow (each hop is checked), except for
    // robots.txt, whose redirects RFC 9309 2.3.1.2 lets go anywhere (5 hops).
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, t->is_robots ? 1L : 0L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, http_.user_agent.c_str());
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl decodes
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(http_.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(http_.timeout.count()));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(http_.low_speed_limit));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>(std::max<std::int64_t>(1, http_.low_speed_time.count() / 1000)));
    if (!t->is_robots) {
      curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(http_.max_body));
    }
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, 64L * 1024);
    if (!t->request.etag.empty()) {
      t->header_list = curl_slist_append(t->header_list, ("If-None-Match: " + t->request.etag).c_str());
    }
    if (!t->request.last_modified.empty()) {
      t->header_list = curl_slist_append(t->header_list,
                                         ("If-Modified-Since: " + t->request.last_modified).c_str());
    }
    if (t->header_list != nullptr) curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t->header_list);
    running_.emplace(easy, std::move(t));
    multi_.Add(easy, [this, easy, alive = std::weak_ptr<bool>(alive_)](CURLcode rc) {
      if (alive.expired()) return;
      OnDone(easy, rc);
    });
  }

  void OnDone(CURL* easy, CURLcode rc) {
    auto node = running_.extract(easy);
    if (node.empty()) return;  // cancelled meanwhile
    std::unique_ptr<Transfer> t = std::move(node.mapped());
    bool transient = false;
    FetchResult r = Describe(easy, rc, *t, transient);
    Recycle(easy, *t);
    Host& host = *hosts_[t->host_key];
    host.running--;
    const auto now = Clock::now();

    std::optional<milliseconds> retry_after;
    if (r.status == 429 || r.status == 503) retry_after = ParseRetryAfter(r.Header("Retry-After"));
    if (!IsFileUrl(t->request.url) && r.error != FetchError::kForbiddenAddress) {
      HostPacer::Outcome outcome = HostPacer::Outcome::kSuccess;
      if (r.status == 429 || r.status == 503) {
        outcome = HostPacer::Outcome::kSlowDown;
      } else if (transient) {
        outcome = HostPacer::Outcome::kFailure;
      }
      host.pacer.OnFinish(now, outcome,
                          std::chrono::duration_cast<milliseconds>(r.timings.total), retry_after);
    }

    if (transient && t->attempt < http_.retries && Retry(std::move(t), r, retry_after)) {
      Consider(host);
      Pump();
      return;
    }
    if (t->is_robots) {
      OnRobots(host, r);
      Consider(host);
      Pump();
      return;
    }
    if (r.error == FetchError::kHttpStatus && IsRedirect(r.status) && http_.max_redirects > 0) {
      if (FollowRedirect(t, r)) {
        Consider(host);
        Pump();
        return;
      }
    }
    r.url = t->original_url;
    r.retried = std::move(t->retried);
    Consider(host);
    Pump();
    t->done(std::move(r));
  }

  // Schedules another attempt after backoff; false when it is not worth it
  // (the server asks us to wait longer than retry_max).
  bool Retry(std::unique_ptr<Transfer> t, const FetchResult& r,
             std::optional<milliseconds> retry_after) {
    // Full jitter: uniform in [0, min(max, base * 2^attempt)].
    double cap = std::min<double>(static_cast<double>(http_.retry_max.count()),
                                  static_cast<double>(http_.retry_base.count()) *
                                      std::pow(2.0, t->attempt));
    auto wait = milliseconds(static_cast<std::int64_t>(Uniform() * cap));
    if (retry_after) {
      if (*retry_after > http_.retry_max) return false;
      wait = std::max(wait, *retry_after);
    }
    t->retried.push_back({r.error, r.status, r.error_message});
    t->attempt++;
    Transfer* raw = t.get();
    t->retry_timer = std::make_unique<asio::steady_timer>(ioc_, wait);
    retrying_.emplace(raw, std::move(t));
    raw->retry_timer->async_wait([this, raw, alive = std::weak_ptr<bool>(alive_)](
                                     boost::system::error_code ec) {
      if (alive.expired() || ec == asio::error::operation_aborted) return;
      auto node = retrying_.extract(raw);
      if (node.empty()) return;
      Enqueue(std::move(node.mapped()), /*front=*/true);
      Pump();
    });
    return true;
  }

  // Re-queues `t` for the Location of redirect `r`; false (with `r`
  // describing why) when the hop is not allowed.
  bool FollowRedirect(std::unique_ptr<Transfer>& t, FetchResult& r) {
    std::string_view location = r.Header("Location");
    auto target = location.empty() ? std::nullopt : Resolve(t->request.url, location);
    if (!target) {
      r.error_message = "HTTP " + std::to_string(r.status) + " without a usable Location";
      return false;
    }
    if (t->redirects >= http_.max_redirects) {
      r.error = FetchError::kTooManyRedirects;
      r.error_message = "more than " + std::to_string(http_.max_redirects) + " redirects";
      return false;
    }
    auto split = ParseTarget(*target);
    if (auto why = Refuse(*target, split, t->request.policy.get())) {
      r.error = FetchError::kForbiddenUrl;
      r.error_message = "redirect to " + *target + " refused: " + *why;
      return false;
    }
    t->request.url = *target;
    t->host_key = std::move(split->key);
    t->redirects++;
    t->attempt = 0;
    // Validators belong to the first URL; the new one is fetched afresh.
    t->request.etag.clear();
    t->request.last_modified.clear();
    Enqueue(std::move(t), /*front=*/false);
    return true;
  }

  FetchResult Describe(CURL* easy, CURLcode rc, Transfer& t, bool& transient) {
    FetchResult r;
    r.url = t.request.url;
    char* effective = nullptr;
    curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective);
    r.final_url = effective != nullptr ? effective : t.request.url;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &r.status);
    curl_off_t v = 0;
    if (curl_easy_getinfo(easy, CURLINFO_NAMELOOKUP_TIME_T, &v) == CURLE_OK)
      r.timings.name_lookup = std::chrono::microseconds(v);
    if (curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &v) == CURLE_OK)
      r.timings.connect = std::chrono::microseconds(v);
    if (curl_easy_getinfo(easy, CURLINFO_STARTTRANSFER_TIME_T, &v) == CURLE_OK)
      r.timings.first_byte = std::chrono::microseconds(v);
    if (curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &v) == CURLE_OK)
      r.timings.total = std::chrono::microseconds(v);
    r.headers = std::move(t.headers);
    if (!t.refused_address.empty()) {
      r.error = FetchError::kForbiddenAddress;
      r.error_message = "refused to connect to non-public address " + t.refused_address +
                        " (allow_private_networks is off)";
      return r;
    }
    if (t.is_robots && t.too_large) rc = CURLE_OK;  // the first 512 KiB are enough
    if (rc == CURLE_OK) {
      r.body = std::move(t.body);
      const bool http = !IsFileUrl(r.final_url);
      if (http && r.status != 304 && (r.status < 200 || r.status > 299)) {
        r.error = FetchError::kHttpStatus;
        r.error_message = "HTTP " + std::to_string(r.status);
        transient = IsTransientStatus(r.status);
      }
      return r;
    }
    if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
      r.error = FetchError::kTooLarge;
      r.error_message = "body larger than max_body (" + std::to_string(http_.max_body) + " bytes)";
      return r;
    }
    r.error = ClassifyCurlError(rc);
    r.error_message = t.error[0] != '\0' ? t.error : curl_easy_strerror(rc);
    transient = IsTransient(rc) && !IsFileUrl(r.final_url);
    return r;
  }

  void FailLater(std::unique_ptr<Transfer> t, FetchError error, std::string message) {
    if (!t->done) return;  // a robots.txt fetch: nobody waits on it
    FetchResult r;
    r.url = t->original_url;
    r.final_url = t->request.url;
    r.error = error;
    r.error_message = std::move(message);
    r.retried = std::move(t->retried);
    asio::post(ioc_, [cb = std::move(t->done), r = std::move(r)]() mutable { cb(std::move(r)); });
  }

  asio::io_context& ioc_;
  const config::HttpConfig http_;
  const std::string token_;  // robots.txt product token, from the user agent
  PacerSettings pacer_settings_;
  CurlMulti multi_;
  std::unordered_map<std::string, std::unique_ptr<Host>> hosts_;
  std::deque<Host*> waiting_;  // hosts that may have something to start
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> running_;
  std::unordered_map<Transfer*, std::unique_ptr<Transfer>> retrying_;
  std::vector<CURL*> idle_;
  std::mt19937_64 rng_;
  int paused_ = 0;
  std::shared_ptr<bool> alive_;  // handlers posted by us check it before touching *this
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
std::size_t Fetcher::running() const { return impl_->running(); }
std::size_t Fetcher::queued() const { return impl_->queued(); }
void Fetcher::SeedRandom(std::uint64_t seed) { impl_->SeedRandom(seed); }

void GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }

std::string UrlHost(std::string_view url) {
  auto target = ParseTarget(url);
  return target ? target->host : std::string();
}

}  // namespace jobtrawl::crawler
