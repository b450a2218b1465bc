#include "crawler/transfer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <charconv>

#include "model/ascii.h"
#include "model/url.h"

namespace jobtrawl::crawler {

namespace {

constexpr std::uint64_t kRobotsMaxBytes = 512 * 1024;  // RFC 9309 asks for 500 KiB at least

// A Content-Length value (RFC 9110 section 8.6: 1*DIGIT; a list of the same
// value repeated, "5, 5", is that value). nullopt for anything else.
std::optional<std::uint64_t> ParseContentLength(std::string_view value) {
  std::optional<std::uint64_t> length;
  while (true) {
    const size_t comma = value.find(',');
    const std::string_view item = ascii::Trim(value.substr(0, comma), ascii::IsBlank);
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size() ||
        !ascii::IsDigit(item.front()) || (length && *length != n)) {
      return std::nullopt;
    }
    length = n;
    if (comma == std::string_view::npos) return length;
    value.remove_prefix(comma + 1);
  }
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
      // Not kForbiddenUrl: libcurl also says this of a non-HTTP answer
      // ("Received HTTP/0.9"); schemes are refused before any transfer.
      {CURLE_UNSUPPORTED_PROTOCOL, FetchError::kProtocol},
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
  return std::find(std::begin(kTransient), std::end(kTransient), rc) != std::end(kTransient);
}

bool IsTransientStatus(long status) { return status >= 500 || status == 408 || status == 429; }

// Same scheme, host and port (host compared without case).
bool SameOrigin(std::string_view a, std::string_view b) {
  auto pa = SplitUrl(a);
  auto pb = SplitUrl(b);
  return pa && pb && ascii::EqualsIgnoreCase(Origin(*pa), Origin(*pb));
}

}  // namespace

bool IsFileUrl(std::string_view url) {
  return ascii::StartsWithIgnoreCase(url, "file://");
}

bool AddressRule::Allows(const sockaddr* address) const {
  if (allow_private || !IsNonPublicAddress(address)) return true;
  return std::any_of(allowed.begin(), allowed.end(),
                     [&](const Network& n) { return n.Contains(address); });
}

Transfer::Transfer(FetchRequest r, Callback done, std::string key, bool robots)
    : request(std::move(r)),
      original_url(request.url),
      original_post(request.post),
      host_key(std::move(key)),
      is_robots(robots),
      done_(std::move(done)) {}

void Transfer::BeginAttempt(EasyHandle easy, const config::HttpConfig& http, AddressRule rule) {
  easy_ = std::move(easy);
  CURL* e = easy_.get();
  body_.clear();
  headers_.clear();
  too_large_ = false;
  content_length_.reset();
  framing_error_.clear();
  refused_addresses_.clear();
  error_[0] = '\0';
  header_list_.reset();
  resolve_list_.reset();
  address_rule_ = std::move(rule);
  max_body_ = is_robots ? kRobotsMaxBytes : http.max_body;
  const bool file = IsFileUrl(request.url);
  curl_easy_setopt(e, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(e, CURLOPT_PRIVATE, this);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error_);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::OnBody);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Transfer::OnHeader);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &Transfer::OnOpenSocket);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, this);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  // No proxy, whatever the environment says (http_proxy, ALL_PROXY...): the
  // address policy judges the address connected to, which must be the
  // board's own.
  curl_easy_setopt(e, CURLOPT_PROXY, "");
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, file ? "file" : "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  // Redirects are the fetcher's to follow (each hop is checked), except for
  // robots.txt, whose redirects RFC 9309 2.3.1.2 lets go anywhere (5 hops);
  // the address rule still applies to every connection.
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, is_robots ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(e, CURLOPT_USERAGENT, http.user_agent.c_str());
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl decodes
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(http.connect_timeout.count()));
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(http.timeout.count()));
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(http.low_speed_limit));
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
                   static_cast<long>(std::max<std::int64_t>(1, http.low_speed_time.count() / 1000)));
  if (!is_robots) {
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(http.max_body));
  }
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 64L * 1024);
  curl_slist* headers = nullptr;
  auto append = [](curl_slist* list, const std::string& line) {
    curl_slist* grown = curl_slist_append(list, line.c_str());
    return grown != nullptr ? grown : list;
  };
  if (request.post && !file) {
    // The body stays in `request` until the attempt ends; "Expect:" keeps
    // libcurl from waiting for a 100-continue on larger bodies.
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.post->data.size()));
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, request.post->data.c_str());
    if (!request.post->content_type.empty()) {
      headers = append(headers, "Content-Type: " + request.post->content_type);
    }
    headers = append(headers, "Expect:");
  } else {
    if (!request.etag.empty()) headers = append(headers, "If-None-Match: " + request.etag);
    if (!request.last_modified.empty()) {
      headers = append(headers, "If-Modified-Since: " + request.last_modified);
    }
  }
  // The source's own headers, to the host it asked: not to robots.txt
  // (shared by every source of the host), nor across a redirect to
  // another host (they may hold a key for this one).
  if (!is_robots && !file && request.policy != nullptr && !request.policy->headers.empty() &&
      SameOrigin(request.url, original_url)) {
    for (const auto& [name, value] : request.policy->headers) headers = append(headers, name + ": " + value);
  }
  header_list_.reset(headers);
  if (header_list_) curl_easy_setopt(e, CURLOPT_HTTPHEADER, header_list_.get());
  if (request.policy != nullptr && !request.policy->resolve.empty()) {
    curl_slist* resolve = nullptr;
    for (const std::string& entry : request.policy->resolve) resolve = append(resolve, entry);
    resolve_list_.reset(resolve);
    curl_easy_setopt(e, CURLOPT_RESOLVE, resolve_list_.get());
  }
}

Transfer::Outcome Transfer::EndAttempt(CURLcode rc, const config::HttpConfig& http,
                                       EasyHandle& handle_out) {
  Outcome out;
  FetchResult& r = out.result;
  r.url = request.url;
  CURL* e = easy_.get();
  if (e == nullptr) {
    r.error = FetchError::kProtocol;
    r.error_message = "the transfer had no curl handle";
    return out;
  }
  char* effective = nullptr;
  curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &effective);
  r.final_url = effective != nullptr ? effective : request.url;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r.status);
  curl_off_t v = 0;
  if (curl_easy_getinfo(e, CURLINFO_NAMELOOKUP_TIME_T, &v) == CURLE_OK)
    r.timings.name_lookup = std::chrono::microseconds(v);
  if (curl_easy_getinfo(e, CURLINFO_CONNECT_TIME_T, &v) == CURLE_OK)
    r.timings.connect = std::chrono::microseconds(v);
  if (curl_easy_getinfo(e, CURLINFO_STARTTRANSFER_TIME_T, &v) == CURLE_OK)
    r.timings.first_byte = std::chrono::microseconds(v);
  if (curl_easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &v) == CURLE_OK)
    r.timings.total = std::chrono::microseconds(v);
  char* primary_ip = nullptr;
  curl_easy_getinfo(e, CURLINFO_PRIMARY_IP, &primary_ip);
  const std::string used = primary_ip != nullptr ? primary_ip : "";
  r.headers = std::move(headers_);

  // The address actually used is what is judged: a refused address matters
  // only when no other one was connected to instead.
  const bool file = IsFileUrl(request.url);
  const bool connected = file || r.status != 0 ||
                         (!used.empty() && std::find(refused_addresses_.begin(),
                                                     refused_addresses_.end(),
                                                     used) == refused_addresses_.end());
  bool forbidden = !refused_addresses_.empty() && !connected;
  std::string forbidden_address = forbidden ? refused_addresses_.front() : std::string();
  if (!forbidden && !file && !used.empty()) {
    // Belt and braces for connections not opened through OnOpenSocket
    // (reused ones): the peer is judged once more.
    sockaddr_storage peer{};
    auto* v4 = reinterpret_cast<sockaddr_in*>(&peer);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&peer);
    if (inet_pton(AF_INET, used.c_str(), &v4->sin_addr) == 1) {
      peer.ss_family = AF_INET;
    } else if (inet_pton(AF_INET6, used.c_str(), &v6->sin6_addr) == 1) {
      peer.ss_family = AF_INET6;
    }
    if (peer.ss_family != 0 && !address_rule_.Allows(reinterpret_cast<const sockaddr*>(&peer))) {
      forbidden = true;
      forbidden_address = used;
    }
  }

  long os_errno = 0;  // why connecting failed, in the system's words
  curl_easy_getinfo(e, CURLINFO_OS_ERRNO, &os_errno);

  // The handle goes back reset: it keeps nothing of this transfer, and
  // connections and DNS entries live in the multi handle.
  curl_easy_reset(e);
  handle_out = std::move(easy_);
  header_list_.reset();
  resolve_list_.reset();

  if (forbidden) {
    r.error = FetchError::kForbiddenAddress;
    const std::string_view kind = NonPublicKind(forbidden_address);
    r.error_message = "address " + forbidden_address + " is " +
                      std::string(kind.empty() ? "not allowed" : kind) +
                      ": not connected to (allow_private_networks is off)";
    r.status = 0;
    return out;
  }
  if (!framing_error_.empty()) {
    r.error = FetchError::kProtocol;
    r.error_message = framing_error_ + ": the response has no valid framing (RFC 9112 section 6.3)";
    r.status = 0;
    body_.clear();
    return out;
  }
  if (is_robots && too_large_) rc = CURLE_OK;  // the first 512 KiB are enough
  if (rc == CURLE_OK) {
    r.body = std::move(body_);
    if (!file && r.status != 304 && (r.status < 200 || r.status > 299)) {
      r.error = FetchError::kHttpStatus;
      r.error_message = "HTTP " + std::to_string(r.status);
      out.transient = IsTransientStatus(r.status);
    }
    return out;
  }
  body_.clear();
  if (too_large_ || rc == CURLE_FILESIZE_EXCEEDED) {
    r.error = FetchError::kTooLarge;
    r.error_message = "body larger than max_body (" + std::to_string(http.max_body) + " bytes)";
    return out;
  }
  r.error = ClassifyCurlError(rc);
  r.error_message = error_[0] != '\0' ? error_ : curl_easy_strerror(rc);
  if (r.error == FetchError::kConnect && os_errno != 0) {
    // "connection refused: Failed to connect to ...": the cause first.
    const char* why = os_errno == ECONNREFUSED   ? "connection refused"
                      : os_errno == ENETUNREACH  ? "network unreachable"
                      : os_errno == EHOSTUNREACH ? "host unreachable"
                      : os_errno == ETIMEDOUT    ? "connection timed out"
                                                 : nullptr;
    if (why != nullptr) r.error_message = std::string(why) + ": " + r.error_message;
  }
  out.transient = IsTransient(rc) && !file;
  return out;
}

size_t Transfer::OnBody(char* data, size_t size, size_t count, void* self) noexcept {
  auto* t = static_cast<Transfer*>(self);
  const size_t n = size * count;
  if (t->body_.size() + n > t->max_body_) {
    t->too_large_ = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  try {
    t->body_.append(data, n);
  } catch (...) {
    return 0;
  }
  return n;
}

size_t Transfer::OnHeader(char* data, size_t size, size_t count, void* self) noexcept {
  auto* t = static_cast<Transfer*>(self);
  const size_t n = size * count;
  try {
    std::string_view line(data, n);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.starts_with("HTTP/")) {
      t->headers_.clear();  // a new response (after 100-continue or a followed redirect)
      t->content_length_.reset();
    } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
      std::string_view name = line.substr(0, colon);
      std::string_view value = line.substr(colon + 1);
      value = ascii::TrimLeft(value, ascii::IsBlank);
      if (ascii::EqualsIgnoreCase(name, "content-length")) {
        // RFC 9112 section 6.3: an invalid Content-Length (not digits, or
        // two different values) leaves the response without valid framing,
        // and a user agent must discard it. libcurl alone reads the last one.
        const std::string_view shown = value.substr(0, 40);
        const auto length = ParseContentLength(value);
        if (!length) {
          t->framing_error_ = "invalid Content-Length \"" + std::string(shown) + "\"";
          return 0;
        }
        if (t->content_length_ && *t->content_length_ != *length) {
          t->framing_error_ = "conflicting Content-Length headers (" + std::to_string(*t->content_length_) +
                              ", then " + std::to_string(*length) + ")";
          return 0;
        }
        t->content_length_ = length;
        // One allocation for the body instead of a string that doubles its
        // way up (a compressed body may still grow past it).
        t->body_.reserve(std::min<std::uint64_t>(*length, t->max_body_));
      }
      // A server that sends endless headers is cut off like an endless body.
      if (t->headers_.size() >= 1000) return 0;
      t->headers_.emplace_back(std::string(name), std::string(value));
    }
  } catch (...) {
    return 0;
  }
  return n;
}

// Runs before libcurl connects, with each address DNS gave: the place to
// refuse internal addresses, whatever name led there. libcurl goes on to
// the next address when one is refused.
curl_socket_t Transfer::OnOpenSocket(void* self, curlsocktype, curl_sockaddr* address) noexcept {
  auto* t = static_cast<Transfer*>(self);
  const auto* sa = reinterpret_cast<const sockaddr*>(&address->addr);
  if (!t->address_rule_.Allows(sa)) {
    try {
      t->refused_addresses_.push_back(AddressToString(sa));
    } catch (...) {
    }
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype, address->protocol);
}

}  // namespace jobtrawl::crawler
