#include "crawler/fetcher.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <unordered_map>
#include <vector>

#include "crawler/curl_multi.h"

namespace jobtrawl::crawler {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

namespace {

// "scheme://host:port", lower-cased: the unit of politeness.
std::string HostKey(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  size_t host_end = url.find_first_of("/?#", scheme_end + 3);
  std::string key(url.substr(0, host_end));
  for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

bool IsFileUrl(std::string_view url) {
  return url.size() >= 7 && (url.substr(0, 7) == "file://" || url.substr(0, 7) == "FILE://");
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

}  // namespace

class Fetcher::Impl {
 public:
  Impl(asio::io_context& ioc, const config::HttpConfig& http)
      : ioc_(ioc), http_(http), multi_(ioc), alive_(std::make_shared<bool>(true)) {}

  ~Impl() {
    for (auto& [easy, t] : running_) multi_.Remove(easy);
    for (auto& [easy, t] : running_) curl_easy_cleanup(easy);
    for (CURL* easy : idle_) curl_easy_cleanup(easy);
  }

  void Fetch(FetchRequest request, Callback done) {
    auto t = std::make_unique<Transfer>();
    t->request = std::move(request);
    t->done = std::move(done);
    if (IsFileUrl(t->request.url) && !t->request.allow_file) {
      FetchResult r;
      r.url = r.final_url = t->request.url;
      r.error = FetchError::kForbiddenUrl;
      r.error_message = "file:// URLs are not allowed for this source";
      asio::post(ioc_, [cb = std::move(t->done), r = std::move(r)]() mutable { cb(std::move(r)); });
      return;
    }
    t->host_key = HostKey(t->request.url);
    Host& host = hosts_[t->host_key];
    host.delay = IsFileUrl(t->request.url) ? std::chrono::milliseconds(0) : http_.delay;
    host.queue.push_back(std::move(t));
    ++queued_;
    Consider(host);
    Pump();
  }

  void Pause() { paused_ = true; }
  void Resume() {
    paused_ = false;
    Pump();
  }

  void CancelAll() {
    for (auto& [key, host] : hosts_) {
      for (auto& t : host.queue) FailLater(std::move(t), FetchError::kCancelled, "cancelled");
      host.queue.clear();
    }
    queued_ = 0;
    waiting_.clear();
    for (auto& [easy, t] : running_) {
      multi_.Remove(easy);
      hosts_[t->host_key].running--;
      Recycle(easy);
      FailLater(std::move(t), FetchError::kCancelled, "cancelled");
    }
    running_.clear();
    for (auto& [key, host] : hosts_) host.in_waiting = false;
  }

  std::size_t running() const { return running_.size(); }
  std::size_t queued() const { return queued_; }

 private:
  struct Transfer {
    FetchRequest request;
    Callback done;
    std::string host_key;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::uint64_t max_body = 0;
    bool too_large = false;
    char error[CURL_ERROR_SIZE] = {};
  };

  struct Host {
    std::deque<std::unique_ptr<Transfer>> queue;
    int running = 0;
    std::chrono::milliseconds delay{0};
    SteadyClock::time_point next_start{};
    std::unique_ptr<asio::steady_timer> timer;
    bool timer_armed = false;
    bool in_waiting = false;
  };

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
        t->headers.clear();  // a new response (after a redirect or 100-continue)
      } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        t->headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
      }
    } catch (...) {
      return 0;
    }
    return n;
  }

  // Queues `host` for a start if it has work and may start one now, or arms
  // its timer when only the delay holds it back.
  void Consider(Host& host) {
    if (host.in_waiting || host.queue.empty() || host.running >= http_.per_host_connections) return;
    auto now = SteadyClock::now();
    if (now < host.next_start) {
      ArmTimer(host);
      return;
    }
    host.in_waiting = true;
    waiting_.push_back(&host);
  }

  void ArmTimer(Host& host) {
    if (host.timer_armed) return;
    if (!host.timer) host.timer = std::make_unique<asio::steady_timer>(ioc_);
    host.timer_armed = true;
    host.timer->expires_at(host.next_start);
    host.timer->async_wait([this, &host, alive = std::weak_ptr<bool>(alive_)](
                               boost::system::error_code ec) {
      if (alive.expired() || ec == asio::error::operation_aborted) return;
      host.timer_armed = false;
      Consider(host);
      Pump();
    });
  }

  // Starts transfers, one host at a time in turn, while limits allow.
  void Pump() {
    while (!paused_ && !waiting_.empty() &&
           running_.size() < static_cast<size_t>(http_.max_connections)) {
      Host& host = *waiting_.front();
      waiting_.pop_front();
      host.in_waiting = false;
      if (host.queue.empty() || host.running >= http_.per_host_connections) continue;
      auto now = SteadyClock::now();
      if (now < host.next_start) {
        ArmTimer(host);
        continue;
      }
      std::unique_ptr<Transfer> t = std::move(host.queue.front());
      host.queue.pop_front();
      --queued_;
      host.running++;
      host.next_start = now + host.delay;
      Start(std::move(t));
      Consider(host);
    }
  }

  CURL* AcquireEasy() {
    if (idle_.empty()) return curl_easy_init();
    CURL* easy = idle_.back();
    idle_.pop_back();
    return easy;
  }

  void Recycle(CURL* easy) {
    // A reset handle keeps nothing of the last transfer but is cheaper than
    // a new one; connections and DNS entries live in the multi handle.
    curl_easy_reset(easy);
    idle_.push_back(easy);
  }

  void Start(std::unique_ptr<Transfer> t) {
    CURL* easy = AcquireEasy();
    if (easy == nullptr) {
      FailLater(std::move(t), FetchError::kProtocol, "curl_easy_init failed");
      return;
    }
    t->max_body = http_.max_body;
    curl_easy_setopt(easy, CURLOPT_URL, t->request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PRIVATE, t.get());
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Impl::OnBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Impl::OnHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, t.get());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, t->request.allow_file ? "http,https,file" : "http,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, http_.max_redirects > 0 ? 1L : 0L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, static_cast<long>(http_.max_redirects));
    curl_easy_setopt(easy, CURLOPT_USERAGENT, http_.user_agent.c_str());
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl decodes
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(http_.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(http_.timeout.count()));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(http_.low_speed_limit));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>(std::max<std::int64_t>(1, http_.low_speed_time.count() / 1000)));
    curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(http_.max_body));
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, 64L * 1024);
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
    FetchResult r = Describe(easy, rc, *t);
    Recycle(easy);
    Host& host = hosts_[t->host_key];
    host.running--;
    Consider(host);
    Pump();
    t->done(std::move(r));
  }

  FetchResult Describe(CURL* easy, CURLcode rc, Transfer& t) {
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
    if (rc == CURLE_OK) {
      r.body = std::move(t.body);
      const bool http = !IsFileUrl(r.final_url);
      if (http && (r.status < 200 || r.status > 299)) {
        r.error = FetchError::kHttpStatus;
        r.error_message = "HTTP " + std::to_string(r.status);
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
    return r;
  }

  void FailLater(std::unique_ptr<Transfer> t, FetchError error, std::string message) {
    FetchResult r;
    r.url = r.final_url = t->request.url;
    r.error = error;
    r.error_message = std::move(message);
    asio::post(ioc_, [cb = std::move(t->done), r = std::move(r)]() mutable { cb(std::move(r)); });
  }

  asio::io_context& ioc_;
  const config::HttpConfig http_;
  CurlMulti multi_;
  std::unordered_map<std::string, Host> hosts_;  // node-based: Host& stays valid
  std::deque<Host*> waiting_;                     // hosts that may start a transfer now
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> running_;
  std::vector<CURL*> idle_;
  std::size_t queued_ = 0;
  bool paused_ = false;
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

void GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }

}  // namespace jobtrawl::crawler
