// A blocking HTTP/1.1 request to 127.0.0.1, for tests that read what a
// server of the project serves (the metrics endpoint). It runs on its own
// io_context: call it from a thread other than the server's loop
// (std::async) when that loop is the caller's.
#ifndef JOBTRAWL_TESTS_SUPPORT_HTTP_GET_H_
#define JOBTRAWL_TESTS_SUPPORT_HTTP_GET_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

namespace jobtrawl::testing {

// VERB http://127.0.0.1:PORT/TARGET: the status and body. Throws
// boost::system::system_error when it cannot connect or read within 10 s.
inline std::pair<int, std::string> HttpGet(std::uint16_t port, const std::string& target,
                                           boost::beast::http::verb verb = boost::beast::http::verb::get) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(10));
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  http::request<http::empty_body> req(verb, target, 11);
  req.set(http::field::host, "127.0.0.1");
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  return {res.result_int(), res.body()};
}

}  // namespace jobtrawl::testing

#endif  // JOBTRAWL_TESTS_SUPPORT_HTTP_GET_H_
