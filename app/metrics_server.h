// Serves GET /metrics (Metrics::Render) over HTTP/1.1 on a local address,
// from the daemon's event loop (Boost.Beast). Other paths get 404, other
// methods 405. At most kMaxSessions connections at once: at the limit, the
// one that has waited longest for a request is closed to make way for a new
// one (so idle or slow-sending connections cannot lock a scraper out), and a
// new connection is refused only while all of them are being answered.
// Requests over 8 KiB are refused, and a connection idle for 10 s is closed,
// so a scraper, slow or hostile, cannot exhaust the daemon.
// Lives on the io_context's thread; `metrics` outlives it.
#ifndef JOBTRAWL_APP_METRICS_SERVER_H_
#define JOBTRAWL_APP_METRICS_SERVER_H_

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>

#include "app/metrics.h"
#include "model/error.h"

namespace jobtrawl::app {

class MetricsServer {
 public:
  static constexpr int kMaxSessions = 16;

  // Listens on `listen` ("127.0.0.1:9464", "[::1]:9464"; port 0 takes a
  // free one). Errors: kInvalidArgument for an address that is not
  // IP:PORT, kIo when it cannot be bound (in use, not this machine's).
  static std::expected<std::unique_ptr<MetricsServer>, Error> Start(boost::asio::io_context& ioc,
                                                                    const std::string& listen,
                                                                    const Metrics& metrics);
  ~MetricsServer();  // stops accepting and closes every connection
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  std::uint16_t port() const;

 private:
  struct State;
  explicit MetricsServer(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_METRICS_SERVER_H_
