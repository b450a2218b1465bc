#include "app/metrics_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <chrono>
#include <list>
#include <optional>

namespace jobtrawl::app {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// "127.0.0.1:9464" or "[::1]:9464".
std::expected<tcp::endpoint, Error> ParseListen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return std::unexpected(Error::InvalidArgument("metrics listen address \"" + listen +
                                                  "\" is not IP:PORT (e.g. 127.0.0.1:9464)"));
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port_text = listen.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  boost::system::error_code bad;
  auto address = asio::ip::make_address(host, bad);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535 || bad) {
    return std::unexpected(Error::InvalidArgument("metrics listen address \"" + listen +
                                                  "\" is not IP:PORT (e.g. 127.0.0.1:9464)"));
  }
  return tcp::endpoint(address, static_cast<unsigned short>(port));
}

}  // namespace

struct MetricsServer::State : std::enable_shared_from_this<State> {
  State(asio::io_context& ioc, const Metrics& m) : acceptor(ioc), metrics(m) {}

  struct Session {
    explicit Session(tcp::socket s) : stream(std::move(s)) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    // A fresh one per request; bodies up to 8 KiB are read, then ignored.
    std::optional<http::request_parser<http::string_body>> parser;
    http::response<http::string_body> response;
    bool awaiting_request = false;  // a read is pending: nothing asked of us yet
    bool evicted = false;           // cancelled to make way; its handler erases it
    std::chrono::steady_clock::time_point awaiting_since;
  };

  // At the limit, the session waiting longest for a request is cancelled
  // (its read handler closes it) so a newcomer can be served: connections
  // that never ask cannot lock out a scraper. False when every session is
  // busy answering.
  bool MakeRoom() {
    std::size_t live = 0;
    Session* oldest = nullptr;
    for (Session& s : sessions) {
      if (s.evicted) continue;
      ++live;
      if (s.awaiting_request && (oldest == nullptr || s.awaiting_since < oldest->awaiting_since)) oldest = &s;
    }
    if (live < static_cast<std::size_t>(kMaxSessions)) return true;
    if (oldest == nullptr) return false;
    oldest->evicted = true;
    oldest->stream.cancel();
    return true;
  }

  void Accept() {
    acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
      if (self->stopped) return;
      if (!ec) {
        if (!self->MakeRoom()) {
          beast::error_code ignored;
          socket.close(ignored);  // every session is busy answering
        } else {
          self->sessions.emplace_back(std::move(socket));
          self->Read(std::prev(self->sessions.end()));
        }
      }
      self->Accept();
    });
  }

  using SessionIt = std::list<Session>::iterator;

  void Read(SessionIt it) {
    it->parser.emplace();
    it->parser->header_limit(8 * 1024);
    it->parser->body_limit(8 * 1024);
    it->stream.expires_after(std::chrono::seconds(10));
    it->awaiting_request = true;
    it->awaiting_since = std::chrono::steady_clock::now();
    http::async_read(it->stream, it->buffer, *it->parser,
                     [self = shared_from_this(), it](beast::error_code ec, std::size_t) {
                       if (self->stopped) return;
                       it->awaiting_request = false;
                       if (ec || it->evicted) return self->Close(it);
                       self->Respond(it);
                     });
  }

  void Respond(SessionIt it) {
    const auto& req = it->parser->get();
    auto& res = it->response;
    res = {};
    res.version(req.version());
    res.keep_alive(req.keep_alive());
    res.set(http::field::server, "jobtrawl");
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      res.result(http::status::method_not_allowed);
      res.set(http::field::allow, "GET, HEAD");
      res.set(http::field::content_type, "text/plain; charset=utf-8");
      res.body() = "only GET\n";
    } else if (req.target() != "/metrics" && !req.target().starts_with("/metrics?")) {
      res.result(http::status::not_found);
      res.set(http::field::content_type, "text/plain; charset=utf-8");
      res.body() = "metrics are at /metrics\n";
    } else {
      res.result(http::status::ok);
      res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      res.body() = metrics.Render();
    }
    res.prepare_payload();
    if (req.method() == http::verb::head) res.body().clear();
    it->stream.expires_after(std::chrono::seconds(10));
    http::async_write(it->stream, res, [self = shared_from_this(), it](beast::error_code ec, std::size_t) {
      if (self->stopped) return;
      if (ec || !it->response.keep_alive()) return self->Close(it);
      self->Read(it);
    });
  }

  void Close(SessionIt it) {
    beast::error_code ignored;
    it->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    it->stream.close();
    sessions.erase(it);
  }

  tcp::acceptor acceptor;
  const Metrics& metrics;
  std::list<Session> sessions;  // stable iterators: handlers hold them
  bool stopped = false;
};

std::expected<std::unique_ptr<MetricsServer>, Error> MetricsServer::Start(asio::io_context& ioc,
                                                                           const std::string& listen,
                                                                           const Metrics& metrics) {
  auto endpoint = ParseListen(listen);
  if (!endpoint) return std::unexpected(endpoint.error());
  auto state = std::make_shared<State>(ioc, metrics);
  beast::error_code ec;
  state->acceptor.open(endpoint->protocol(), ec);
  if (!ec) state->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) state->acceptor.bind(*endpoint, ec);
  if (!ec) state->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return std::unexpected(Error::Io("cannot serve metrics on " + listen + ": " + ec.message()));
  }
  state->Accept();
  return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(state)));
}

MetricsServer::MetricsServer(std::shared_ptr<State> state) : state_(std::move(state)) {}

MetricsServer::~MetricsServer() {
  state_->stopped = true;
  beast::error_code ignored;
  state_->acceptor.close(ignored);
  for (auto& s : state_->sessions) s.stream.close();
  // Handlers still queued hold the state and see `stopped`.
}

std::uint16_t MetricsServer::port() const { return state_->acceptor.local_endpoint().port(); }

}  // namespace jobtrawl::app
