#include "support/http_receiver.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace jobtrawl::testing {

int ListenOnLoopback(unsigned short& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return -1;
  }
  port = ntohs(addr.sin_port);
  return fd;
}

std::optional<ReceivedRequest> ReadRequest(int fd, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::string data;
  std::size_t header_end = std::string::npos;
  std::size_t body_length = 0;
  ReceivedRequest r;
  while (true) {
    if (header_end != std::string::npos && data.size() >= header_end + 4 + body_length) break;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return std::nullopt;
    data.append(buf, static_cast<std::size_t>(n));
    if (header_end == std::string::npos && (header_end = data.find("\r\n\r\n")) != std::string::npos) {
      const std::string head = data.substr(0, header_end);
      std::size_t line_end = head.find("\r\n");
      const std::string request_line = head.substr(0, line_end);
      const std::size_t sp1 = request_line.find(' ');
      const std::size_t sp2 = request_line.find(' ', sp1 + 1);
      r.method = request_line.substr(0, sp1);
      r.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
      while (line_end != std::string::npos && line_end < head.size()) {
        const std::size_t next = head.find("\r\n", line_end + 2);
        const std::string line = head.substr(line_end + 2, next == std::string::npos ? std::string::npos : next - line_end - 2);
        line_end = next;
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        r.headers[name] = value;
      }
      if (auto it = r.headers.find("content-length"); it != r.headers.end()) body_length = std::stoul(it->second);
    }
  }
  r.body = data.substr(header_end + 4, body_length);
  return r;
}

HttpReceiver::HttpReceiver(std::function<int(int n)> status) : status_(std::move(status)) {
  listen_fd_ = ListenOnLoopback(port_);
  if (::pipe2(stop_pipe_, O_CLOEXEC) != 0) stop_pipe_[0] = stop_pipe_[1] = -1;
  thread_ = std::thread([this] { Loop(); });
}

HttpReceiver::~HttpReceiver() {
  if (stop_pipe_[1] >= 0) {
    const char c = 'x';
    (void)!::write(stop_pipe_[1], &c, 1);
  }
  thread_.join();
  for (int fd : {listen_fd_, stop_pipe_[0], stop_pipe_[1]}) {
    if (fd >= 0) ::close(fd);
  }
}

std::string HttpReceiver::Url(const std::string& target) const {
  return "http://127.0.0.1:" + std::to_string(port_) + target;
}

std::vector<ReceivedRequest> HttpReceiver::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

bool HttpReceiver::WaitFor(const std::function<bool(const std::vector<ReceivedRequest>&)>& done,
                           std::chrono::milliseconds limit) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, limit, [&] { return done(requests_); });
}

void HttpReceiver::Loop() {
  while (true) {
    pollfd p[2] = {{.fd = listen_fd_, .events = POLLIN, .revents = 0},
                   {.fd = stop_pipe_[0], .events = POLLIN, .revents = 0}};
    if (::poll(p, 2, -1) < 0) continue;
    if (p[1].revents != 0) return;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    auto request = ReadRequest(fd, std::chrono::seconds(10));
    if (request) {
      int n = 0;
      {
        std::lock_guard lock(mu_);
        n = static_cast<int>(requests_.size());
      }
      request->status = status_(n);
      const std::string answer = "HTTP/1.1 " + std::to_string(request->status) +
                                 " Answer\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      // Recorded before it is answered: once the client has its answer,
      // requests() holds the request.
      {
        std::lock_guard lock(mu_);
        requests_.push_back(std::move(*request));
      }
      cv_.notify_all();
      (void)!::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
    }
    ::close(fd);
  }
}

}  // namespace jobtrawl::testing
