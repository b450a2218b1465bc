// Fetching pages politely and concurrently: per-host queues over libcurl's
// multi interface on one Asio event loop. README "Politeness" describes the
// behaviour for operators.
#ifndef JOBTRAWL_CRAWLER_FETCHER_H_
#define JOBTRAWL_CRAWLER_FETCHER_H_

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "crawler/host_budget.h"
#include "crawler/address_policy.h"
#include "model/fetch.h"

namespace jobtrawl::crawler {

// Where the requests of one source may go. Shared by all its requests.
// Shared by all its requests; its address also identifies the source's
// requests for Cancel().
struct FetchPolicy {
  bool allow_file = false;                 // file:// URLs may be read
  std::vector<std::string> allowed_hosts;  // lower-case; empty: any host
  std::optional<bool> allow_private_networks;    // overrides [http]
  std::vector<Network> allowed_networks;   // non-public blocks allowed all the same
  // Host names pinned to addresses, as "host:port:address[,address...]"
  // (libcurl's CURLOPT_RESOLVE): boards behind split DNS, and tests.
  std::vector<std::string> resolve;
  std::optional<std::chrono::milliseconds> delay;  // at least this between starts per host
  // Request headers ("Name", "value") sent with each request of the source
  // whose URL has the origin (RFC 6454: scheme, host, port) of one of
  // `header_origins`, and to no other: not to the source's other hosts
  // (allow_hosts, links found in pages), not across a redirect to another
  // origin, nor with robots.txt, which is shared by every source of a
  // host. A "User-Agent" replaces [http]'s for these requests; robots.txt is
  // still matched with [http]'s. Values may be secrets: the fetcher never
  // logs or reports them.
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> header_origins;  // URLs (the source's start URLs); empty: headers go nowhere
};

struct FetchRequest {
  std::string url;  // absolute http(s) URL, or file:// when the policy allows
  // Sent by POST with this body; none: GET. A 301, 302 or 303 redirect
  // makes it a GET (RFC 9110 §15.4); 307 and 308 keep it. Retries send it
  // again, and robots.txt applies to its URL as to any other.
  std::optional<PostBody> post;
  std::shared_ptr<const FetchPolicy> policy;  // null: only [http]'s rules
  // Validators from the last fetch, sent as If-None-Match / If-Modified-Since
  // with a GET (a POST is never conditional).
  std::string etag;
  std::string last_modified;
};

// Runs on the io_context's thread: construct, call and destroy it there.
//
// Per host (scheme://host:port): at most `per_host_connections` transfers,
// starts spaced by the delay (the largest of [http] delay, the source's
// delay and robots Crawl-delay up to max_crawl_delay, plus jitter, widened
// while the host answers 429/503 or slows down), Retry-After honoured, and
// a circuit breaker that pauses a failing host and probes it; a host down
// for good fails its queue as host_down until its cool-down passes, then is
// probed again. A Retry-After longer than retry_max fails the URL, and the
// host's queue, as rate_limited instead of waiting. robots.txt is fetched
// before the first request to a host and cached for robots_cache.
// Redirects are followed here, not by libcurl, so each hop is checked
// against the policy and robots.txt. Connections to non-public addresses
// are refused unless allowed, judged on each address connected to.
// Transient failures (timeouts, resets, DNS, 5xx, 408, 429) are retried
// with exponential backoff and full jitter (crawler/retry_policy.h).
//
// Every Fetch() ends in exactly one call of its callback (success, error,
// Cancel, CancelAll), posted to the io_context, while the Fetcher lives.
// Hosts idle for a while are forgotten, so memory follows the hosts in
// use, not every host ever seen.
class Fetcher {
 public:
  using Callback = std::function<void(FetchResult)>;
  using Clock = std::chrono::steady_clock;

  Fetcher(boost::asio::io_context& ioc, const config::HttpConfig& http);
  ~Fetcher();  // drops queued and running transfers without calling back
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // Queues `request`; `done` is called exactly once on the io_context's
  // thread, never from inside this call. Failures are described in the
  // result's `error`, never thrown.
  void Fetch(FetchRequest request, Callback done);

  // While paused no new transfer starts (those running finish). Lets a
  // consumer that falls behind hold back the network. Pauses nest: each
  // Pause() needs its own Resume().
  void Pause();
  void Resume();

  // Fails everything queued, waiting or running with FetchError::kCancelled.
  void CancelAll();
  // Fails, with `why` and `message`, everything queued, waiting or running
  // whose request carries `policy` (one source's requests).
  void Cancel(const FetchPolicy* policy, FetchError why, const std::string& message);

  std::size_t running() const;
  std::size_t queued() const;  // includes requests waiting to be retried
  std::size_t hosts() const;   // hosts with state kept (queues, pacing)

  // Forgets hosts with nothing queued or running whose pacing has settled
  // and that were last used before `now` - idle_ttl. Fetch() does this by
  // itself now and then; tests call it with a time of their choosing.
  void ForgetIdleHosts(Clock::time_point now, std::chrono::milliseconds idle_ttl);

  // Seeds the jitter and backoff randomness (tests replay with it).
  void SeedRandom(std::uint64_t seed);

  // Every http(s) request then also waits for a slot of `budget`
  // (crawler/host_budget.h), after the host's own pacing agreed: the
  // per-host politeness of several processes crawling the same hosts.
  // Null (the default): none. Call before the first Fetch.
  void SetHostBudget(std::shared_ptr<HostBudget> budget);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// The lower-case host of an absolute http(s) URL; empty for others.
std::string UrlHost(std::string_view url);

// Must be called once, before any Fetcher exists and while only one thread
// runs (curl_global_init is not thread-safe on every platform).
void GlobalInit();

}  // namespace jobtrawl::crawler

#endif  // JOBTRAWL_CRAWLER_FETCHER_H_
