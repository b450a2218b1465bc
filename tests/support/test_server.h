// An in-process HTTP/1.1 server for crawler tests (Boost.Beast), listening
// on 127.0.0.1 with a kernel-chosen port, on the test's own io_context. It
// serves a table of canned replies and records every request.
#ifndef JOBTRAWL_TESTS_SUPPORT_TEST_SERVER_H_
#define JOBTRAWL_TESTS_SUPPORT_TEST_SERVER_H_

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace jobtrawl::testing {

struct Reply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type defaults to text/html
  std::chrono::milliseconds delay{0};  // wait before answering (a slow server)
  bool gzip = false;                   // send the body gzip-compressed
  bool truncate = false;               // promise the full length, send half, close
  std::chrono::milliseconds drip{0};   // send the body one byte per `drip`
  std::string etag;                    // answer 304 when If-None-Match carries it
  // Misbehaviour, for tests of what the crawler survives:
  bool stall = false;  // read the request, then never answer (the connection stays open)
  std::string raw;     // these bytes are the whole answer (headers included), then close
  bool reset = false;  // with `raw`: end with a TCP reset instead of a clean close
};

struct RecordedRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;
  std::string body;
  std::chrono::steady_clock::time_point arrived;
  std::map<std::string, std::string> headers;  // lower-cased names
};

class TestServer {
 public:
  // Listens on `address`, a loopback address (127.0.0.1 .. 127.255.255.254
  // are all this machine on Linux, so each can stand for another host).
  explicit TestServer(boost::asio::io_context& ioc, std::string_view address = "127.0.0.1");
  ~TestServer();

  // Routes are matched on the request target (path and query) exactly.
  void Route(std::string target, Reply reply);
  void Redirect(std::string target, std::string location, int status = 302);
  // Replies in turn, one per request; the last one repeats.
  void Sequence(std::string target, std::vector<Reply> replies);
  // Answers `target` with what `make` makes of each request (its method
  // and body: an API searched by POST). Takes precedence over Route.
  void Handle(std::string target, std::function<Reply(const RecordedRequest&)> make);
  // Answers targets that no route names (a board made up as it is asked).
  void Fallback(std::function<Reply(const std::string& target)> make);

  unsigned short port() const;
  std::string Url(std::string_view target) const;  // "http://ADDRESS:PORT" + target
  const std::string& address() const;

  const std::vector<RecordedRequest>& requests() const;
  int Hits(std::string_view target) const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// `in` gzip-compressed (RFC 1952), e.g. to serve a precompressed body.
std::string Gzip(std::string_view in);

// Runs `ioc` one handler at a time until `done()` holds or `limit` passes;
// returns done(). Never sleeps: it waits for events.
bool RunUntil(boost::asio::io_context& ioc, const std::function<bool()>& done,
              std::chrono::milliseconds limit = std::chrono::seconds(20));

}  // namespace jobtrawl::testing

#endif  // JOBTRAWL_TESTS_SUPPORT_TEST_SERVER_H_
