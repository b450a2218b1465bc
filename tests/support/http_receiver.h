// A webhook receiver for alert tests: a blocking HTTP/1.1 server on
// 127.0.0.1 (kernel-chosen port) on a thread of its own. Each connection
// carries one request; the answer's status comes from `status(n)` for the
// n-th request (0-based). A request is recorded before it is answered, so a
// client that has its answer finds it in requests(). Tests wait for
// requests with WaitFor, never sleep.
#ifndef JOBTRAWL_TESTS_SUPPORT_HTTP_RECEIVER_H_
#define JOBTRAWL_TESTS_SUPPORT_HTTP_RECEIVER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace jobtrawl::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  int status = 0;  // what it was answered
};

// A socket listening on 127.0.0.1 with a free port; -1 on failure.
int ListenOnLoopback(unsigned short& port);
// Reads one request from a connected socket (headers and a Content-Length
// body), waiting at most `limit`; nullopt when none came whole.
std::optional<ReceivedRequest> ReadRequest(int fd, std::chrono::milliseconds limit);

class HttpReceiver {
 public:
  explicit HttpReceiver(std::function<int(int n)> status = [](int) { return 200; });
  ~HttpReceiver();
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  std::string Url(const std::string& target) const;
  std::vector<ReceivedRequest> requests() const;
  // Waits until `done(requests)` holds or `limit` passes; returns done().
  bool WaitFor(const std::function<bool(const std::vector<ReceivedRequest>&)>& done,
               std::chrono::milliseconds limit = std::chrono::seconds(20));

 private:
  void Loop();

  const std::function<int(int)> status_;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  unsigned short port_ = 0;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<ReceivedRequest> requests_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace jobtrawl::testing

#endif  // JOBTRAWL_TESTS_SUPPORT_HTTP_RECEIVER_H_
