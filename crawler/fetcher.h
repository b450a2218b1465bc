// Fetching pages politely and concurrently: per-host queues over libcurl's
// multi interface on one Asio event loop.
#ifndef JOBTRAWL_CRAWLER_FETCHER_H_
#define JOBTRAWL_CRAWLER_FETCHER_H_

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>

#include "config/config.h"
#include "model/fetch.h"

namespace jobtrawl::crawler {

struct FetchRequest {
  std::string url;          // absolute http(s) URL, or file:// when allow_file
  bool allow_file = false;  // the source may read local files
};

// Runs on the io_context's thread: construct, call and destroy it there.
// Limits: at most `max_connections` transfers at once, `per_host_connections`
// to one host, and request starts to one host at least `delay` apart
// (file:// reads are not delayed). Bodies are capped at `max_body` decoded
// bytes while they arrive; gzip, deflate, brotli and zstd are accepted;
// HTTP/2 is used where the server offers it.
class Fetcher {
 public:
  using Callback = std::function<void(FetchResult)>;

  Fetcher(boost::asio::io_context& ioc, const config::HttpConfig& http);
  ~Fetcher();  // drops queued and running transfers without calling back
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // Queues `request`; `done` is called exactly once on the io_context's
  // thread, never from inside this call. Failures are described in the
  // result's `error`, never thrown.
  void Fetch(FetchRequest request, Callback done);

  // While paused no new transfer starts (those running finish). Lets a
  // consumer that falls behind hold back the network.
  void Pause();
  void Resume();

  // Fails everything queued or running with FetchError::kCancelled.
  void CancelAll();

  std::size_t running() const;
  std::size_t queued() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Must be called once, before any Fetcher exists and while only one thread
// runs (curl_global_init is not thread-safe on every platform).
void GlobalInit();

}  // namespace jobtrawl::crawler

#endif  // JOBTRAWL_CRAWLER_FETCHER_H_
