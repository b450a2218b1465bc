#include "support/test_server.h"

#include <zlib.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <stdexcept>

#include "model/ascii.h"

namespace jobtrawl::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string Gzip(std::string_view in) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&z, in.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

struct TestServer::State : std::enable_shared_from_this<TestServer::State> {
  explicit State(asio::io_context& io) : ioc(io), acceptor(io) {}

  asio::io_context& ioc;
  tcp::acceptor acceptor;
  std::string address;
  std::map<std::string, std::vector<Reply>> routes;
  std::function<Reply(const std::string&)> fallback;
  std::map<std::string, std::function<Reply(const RecordedRequest&)>> handlers;
  std::map<std::string, std::size_t> served;
  std::vector<RecordedRequest> requests;
  std::vector<std::shared_ptr<void>> stalled;  // sessions held open without an answer
  bool stopped = false;

  void Accept() {
    acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
      if (ec || self->stopped) return;
      auto session = std::make_shared<Session>(self, std::move(socket));
      session->Read();
      self->Accept();
    });
  }

  struct Session : std::enable_shared_from_this<Session> {
    Session(std::shared_ptr<State> s, tcp::socket sock)
        : state(std::move(s)), stream(std::move(sock)), timer(state->ioc) {}
    std::shared_ptr<State> state;
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    asio::steady_timer timer;

    void Drip(std::shared_ptr<std::string> body, std::size_t at, std::chrono::milliseconds every) {
      if (at >= body->size()) return;
      asio::async_write(stream.socket(), asio::buffer(body->data() + at, 1),
                        [self = shared_from_this(), body, at, every](beast::error_code ec, std::size_t) {
                          if (ec) return;
                          self->timer.expires_after(every);
                          self->timer.async_wait([self, body, at, every](beast::error_code e) {
                            if (!e) self->Drip(body, at + 1, every);
                          });
                        });
    }

    void Read() {
      request = {};
      http::async_read(stream, buffer, request,
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec) return;
                         self->Handle();
                       });
    }

    void Handle() {
      RecordedRequest rec;
      rec.method = std::string(request.method_string());
      rec.target = std::string(request.target());
      rec.body = request.body();
      rec.arrived = std::chrono::steady_clock::now();
      for (const auto& field : request) {
        std::string name(field.name_string());
        ascii::LowerInPlace(name);
        rec.headers[name] = std::string(field.value());
      }
      state->requests.push_back(rec);
      auto it = state->routes.find(rec.target);
      Reply reply{.status = 404, .body = "not found"};
      if (auto h = state->handlers.find(rec.target); h != state->handlers.end()) {
        reply = h->second(rec);
      } else if (it != state->routes.end() && !it->second.empty()) {
        std::size_t n = state->served[rec.target]++;
        reply = it->second[std::min(n, it->second.size() - 1)];
      } else if (state->fallback) {
        reply = state->fallback(rec.target);
      }
      if (!reply.etag.empty()) {
        auto inm = rec.headers.find("if-none-match");
        if (inm != rec.headers.end() && inm->second == reply.etag) {
          reply.status = 304;
          reply.body.clear();
        }
        reply.headers.emplace_back("ETag", reply.etag);
      }
      if (reply.delay.count() > 0) {
        timer.expires_after(reply.delay);
        timer.async_wait([self = shared_from_this(), reply](beast::error_code ec) {
          if (!ec) self->Respond(reply);
        });
      } else {
        Respond(reply);
      }
    }

    void Respond(const Reply& reply) {
      if (reply.stall) {
        state->stalled.push_back(shared_from_this());
        return;
      }
      if (!reply.raw.empty()) {
        auto raw = std::make_shared<std::string>(reply.raw);
        asio::async_write(stream.socket(), asio::buffer(*raw),
                          [self = shared_from_this(), raw, reset = reply.reset](beast::error_code, std::size_t) {
                            beast::error_code ignored;
                            if (reset) {
                              self->stream.socket().set_option(asio::socket_base::linger(true, 0), ignored);
                            } else {
                              self->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
                            }
                            self->stream.close();
                          });
        return;
      }
      if (reply.drip.count() > 0) {
        auto head = std::make_shared<std::string>(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " +
            std::to_string(reply.body.size()) + "\r\n\r\n");
        asio::async_write(stream.socket(), asio::buffer(*head),
                          [self = shared_from_this(), head, reply](beast::error_code ec, std::size_t) {
                            if (!ec) self->Drip(std::make_shared<std::string>(reply.body), 0, reply.drip);
                          });
        return;
      }
      if (reply.truncate) {
        // Raw bytes: a Content-Length the body never reaches, then close.
        auto raw = std::make_shared<std::string>(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " +
            std::to_string(reply.body.size()) + "\r\n\r\n" + reply.body.substr(0, reply.body.size() / 2));
        asio::async_write(stream.socket(), asio::buffer(*raw),
                          [self = shared_from_this(), raw](beast::error_code, std::size_t) {
                            beast::error_code ignored;
                            self->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
                            self->stream.close();
                          });
        return;
      }
      auto res = std::make_shared<http::response<http::string_body>>(
          static_cast<http::status>(reply.status), request.version());
      res->set(http::field::server, "jobtrawl-test");
      res->set(http::field::content_type, "text/html; charset=utf-8");
      for (const auto& [k, v] : reply.headers) res->set(k, v);
      if (reply.gzip) {
        res->set(http::field::content_encoding, "gzip");
        res->body() = Gzip(reply.body);
      } else {
        res->body() = reply.body;
      }
      res->keep_alive(request.keep_alive());
      res->prepare_payload();
      http::async_write(stream, *res,
                        [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
                          if (ec) return;
                          if (!res->keep_alive()) {
                            beast::error_code ignored;
                            self->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
                            return;
                          }
                          self->Read();
                        });
    }
  };
};

TestServer::TestServer(asio::io_context& ioc, std::string_view address)
    : state_(std::make_shared<State>(ioc)) {
  state_->address = std::string(address);
  tcp::endpoint endpoint(asio::ip::make_address(state_->address), 0);
  state_->acceptor.open(endpoint.protocol());
  state_->acceptor.set_option(asio::socket_base::reuse_address(true));
  state_->acceptor.bind(endpoint);
  state_->acceptor.listen();
  state_->Accept();
}

TestServer::~TestServer() {
  state_->stopped = true;
  state_->stalled.clear();
  beast::error_code ignored;
  state_->acceptor.close(ignored);
}

void TestServer::Route(std::string target, Reply reply) {
  state_->routes[std::move(target)] = {std::move(reply)};
}

void TestServer::Sequence(std::string target, std::vector<Reply> replies) {
  state_->served.erase(target);
  state_->routes[std::move(target)] = std::move(replies);
}

void TestServer::Handle(std::string target, std::function<Reply(const RecordedRequest&)> make) {
  state_->handlers[std::move(target)] = std::move(make);
}

void TestServer::Fallback(std::function<Reply(const std::string&)> make) {
  state_->fallback = std::move(make);
}

void TestServer::Redirect(std::string target, std::string location, int status) {
  Reply r;
  r.status = status;
  r.headers.emplace_back("Location", std::move(location));
  Route(std::move(target), std::move(r));
}

unsigned short TestServer::port() const { return state_->acceptor.local_endpoint().port(); }

std::string TestServer::Url(std::string_view target) const {
  return "http://" + state_->address + ":" + std::to_string(port()) + std::string(target);
}

const std::string& TestServer::address() const { return state_->address; }

const std::vector<RecordedRequest>& TestServer::requests() const { return state_->requests; }

int TestServer::Hits(std::string_view target) const {
  int n = 0;
  for (const auto& r : state_->requests) n += r.target == target;
  return n;
}

bool RunUntil(asio::io_context& ioc, const std::function<bool()>& done,
              std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    if (ioc.stopped()) ioc.restart();
    ioc.run_one_for(std::chrono::milliseconds(50));
  }
  return done();
}

}  // namespace jobtrawl::testing
