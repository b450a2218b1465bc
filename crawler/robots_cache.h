// The robots.txt of every host the fetcher talks to, as RFC 9309 section
// 2.3.1 says to treat each outcome of fetching it: 2xx is parsed, 4xx means
// no rules, 5xx or unreachable means everything disallowed until it can be
// read (tried again after `unavailable_ttl`). Entries expire after `ttl`
// and the cache holds at most `max_hosts` of them (expired ones go first).
// Not thread-safe: the fetcher's event-loop thread only. Internal to crawler/.
#ifndef JOBTRAWL_CRAWLER_ROBOTS_CACHE_H_
#define JOBTRAWL_CRAWLER_ROBOTS_CACHE_H_

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "crawler/robots.h"
#include "model/fetch.h"

namespace jobtrawl::crawler {

class RobotsCache {
 public:
  using Clock = std::chrono::steady_clock;
  using Duration = std::chrono::milliseconds;

  struct Settings {
    std::string product_token;  // the user agent's, matched against User-agent lines
    Duration ttl{24LL * 3600 * 1000};
    Duration unavailable_ttl{10 * 60 * 1000};
    std::size_t max_hosts = 10000;
  };

  enum class Status {
    kMissing,   // never fetched, or expired: fetch it before anything else
    kFetching,  // a fetch is under way; the host's requests wait for it
    kReady,     // Check() answers
  };

  explicit RobotsCache(Settings settings);

  // `host` is the fetcher's host key ("scheme://host:port").
  Status status(const std::string& host, Clock::time_point now) const;
  void MarkFetching(const std::string& host);
  // The fetch was abandoned (cancelled): the next request fetches again.
  void Abandon(const std::string& host);
  // Stores the outcome of fetching the host's robots.txt.
  void Store(const std::string& host, const FetchResult& result, Clock::time_point now);

  // REQUIRES: status(host, now) == kReady.
  RobotsDecision Check(const std::string& host, std::string_view url) const;
  // Why the host's robots.txt could not be read when a transport failure
  // (connect refused, a refused address, DNS, a timeout...) is the reason:
  // Check() then disallows everything (RFC 9309 2.3.1.4), and the pages it
  // refuses fail with this error, not as robots_disallowed, so the cause is
  // what the operator sees. nullptr when it was read or answered a status.
  struct Unreachable {
    FetchError error = FetchError::kNone;
    std::string message;
  };
  const Unreachable* unreachable(const std::string& host) const;

  // The Crawl-delay the host's robots.txt asks of us, if it is known.
  std::optional<Duration> crawl_delay(const std::string& host) const;

  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    bool fetching = false;
    std::optional<Robots> robots;
    std::optional<Unreachable> unreachable;
    Clock::time_point expires{};
  };
  void MakeRoom(Clock::time_point now);

  const Settings settings_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace jobtrawl::crawler

#endif  // JOBTRAWL_CRAWLER_ROBOTS_CACHE_H_
