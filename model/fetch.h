// The outcome of one HTTP(S) or file transfer, as a value. Network failures
// are described by `error`, never thrown.
#ifndef JOBTRAWL_MODEL_FETCH_H_
#define JOBTRAWL_MODEL_FETCH_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/request.h"

namespace jobtrawl {

enum class FetchError {
  kNone,
  kDns,           // the host name did not resolve
  kConnect,       // connection refused or unreachable
  kTimeout,       // connect, total or low-speed timeout
  kTls,           // handshake or certificate failure
  kTooLarge,      // body exceeded the configured maximum; the transfer was aborted
  kHttpStatus,    // the server answered, with a status outside 2xx
  kTooManyRedirects,
  kForbiddenUrl,  // scheme, host or length not allowed for this source
  kForbiddenAddress,  // resolved to a loopback/private/link-local address
  kRobotsDisallowed,  // robots.txt forbids it (or could not be read: 5xx)
  kHostDown,      // the host failed so often that its queue was abandoned (for a cool-down)
  kRateLimited,   // the server asked us (Retry-After) to wait longer than retry_max
  kDeadline,      // the crawl's run deadline passed before the transfer finished
  kProtocol,      // malformed response, reset, or any other transfer failure
  kCancelled,     // the fetcher was shut down before the transfer finished
};

std::string_view FetchErrorName(FetchError e);

struct FetchTimings {
  std::chrono::microseconds name_lookup{0};
  std::chrono::microseconds connect{0};
  std::chrono::microseconds first_byte{0};
  std::chrono::microseconds total{0};
};

// One failed attempt that was retried.
struct FetchAttempt {
  FetchError error = FetchError::kNone;
  long status = 0;
  std::string message;
};

struct FetchResult {
  std::string url;        // as requested
  std::optional<PostBody> post;  // the body it was requested with by POST; none: GET
  std::string final_url;  // after redirects
  long status = 0;        // HTTP status; 0 when no response (and for file:// success)
  std::vector<std::pair<std::string, std::string>> headers;  // of the final response
  std::string body;
  FetchTimings timings;
  FetchError error = FetchError::kNone;
  std::string error_message;  // human-readable detail, empty on success
  std::vector<FetchAttempt> retried;  // earlier attempts that failed, oldest first

  bool ok() const { return error == FetchError::kNone; }
  // 304 to a conditional request: the page is as it was; the body is empty.
  bool not_modified() const { return ok() && status == 304; }
  // First header with this name (case-insensitive), or empty.
  std::string_view Header(std::string_view name) const;
};

inline std::string_view FetchErrorName(FetchError e) {
  switch (e) {
    case FetchError::kNone: return "none";
    case FetchError::kDns: return "dns";
    case FetchError::kConnect: return "connect";
    case FetchError::kTimeout: return "timeout";
    case FetchError::kTls: return "tls";
    case FetchError::kTooLarge: return "too_large";
    case FetchError::kHttpStatus: return "http_status";
    case FetchError::kTooManyRedirects: return "too_many_redirects";
    case FetchError::kForbiddenUrl: return "forbidden_url";
    case FetchError::kForbiddenAddress: return "forbidden_address";
    case FetchError::kRobotsDisallowed: return "robots_disallowed";
    case FetchError::kHostDown: return "host_down";
    case FetchError::kRateLimited: return "rate_limited";
    case FetchError::kDeadline: return "deadline";
    case FetchError::kProtocol: return "protocol";
    case FetchError::kCancelled: return "cancelled";
  }
  return "unknown";
}

inline std::string_view FetchResult::Header(std::string_view name) const {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
  for (const auto& [k, v] : headers) {
    if (k.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < k.size() && same; ++i) same = lower(k[i]) == lower(name[i]);
    if (same) return v;
  }
  return {};
}

}  // namespace jobtrawl

#endif  // JOBTRAWL_MODEL_FETCH_H_
