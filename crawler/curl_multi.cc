#include "crawler/curl_multi.h"

#include <boost/asio/post.hpp>
#include <cassert>

namespace jobtrawl::crawler {

namespace asio = boost::asio;

// One socket libcurl asked us to watch. The descriptor does not own the fd:
// libcurl opens and closes it, so it is released, never closed, by us.
struct CurlMulti::Watcher {
  Watcher(asio::io_context& ioc, curl_socket_t s) : fd(s), descriptor(ioc, s) {}
  ~Watcher() {
    if (descriptor.is_open()) descriptor.release();
  }
  const curl_socket_t fd;
  asio::posix::stream_descriptor descriptor;
  int wanted = 0;  // CURL_POLL_IN / CURL_POLL_OUT bits
  bool read_armed = false;
  bool write_armed = false;
  bool removed = false;  // libcurl is done with this socket
};

CurlMulti::CurlMulti(asio::io_context& ioc)
    : ioc_(ioc), multi_(curl_multi_init()), timer_(ioc) {
  assert(multi_ != nullptr);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMulti::OnSocketThunk);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMulti::OnTimerThunk);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
}

CurlMulti::~CurlMulti() {
  alive_.reset();  // handlers still queued in the io_context now do nothing
  for (auto& [easy, done] : transfers_) curl_multi_remove_handle(multi_, easy);
  transfers_.clear();
  // The socket callback fires during cleanup, so the watchers must still exist.
  curl_multi_cleanup(multi_);
  // Sockets libcurl never told us to forget: stop watching them too.
  for (auto& [fd, w] : watchers_) {
    w->removed = true;
    if (w->descriptor.is_open()) w->descriptor.release();
  }
  watchers_.clear();
  timer_.cancel();
}

void CurlMulti::Add(CURL* easy, DoneCallback done) {
  transfers_.emplace(easy, std::move(done));
  CURLMcode rc = curl_multi_add_handle(multi_, easy);
  if (rc != CURLM_OK) {
    // Report it like any failed transfer rather than dropping it.
    auto node = transfers_.extract(easy);
    asio::post(ioc_, [cb = std::move(node.mapped()), alive = std::weak_ptr<char>(alive_)] {
      if (!alive.expired()) cb(CURLE_FAILED_INIT);
    });
  }
}

void CurlMulti::Remove(CURL* easy) {
  if (transfers_.erase(easy) > 0) curl_multi_remove_handle(multi_, easy);
}

int CurlMulti::OnSocketThunk(CURL*, curl_socket_t fd, int what, void* self, void*) noexcept {
  try {
    static_cast<CurlMulti*>(self)->OnSocket(fd, what);
  } catch (...) {
    // Returning -1 would abort every transfer; a failed watch only stalls
    // this one until its timeout.
  }
  return 0;
}

int CurlMulti::OnTimerThunk(CURLM*, long timeout_ms, void* self) noexcept {
  try {
    static_cast<CurlMulti*>(self)->OnTimer(timeout_ms);
  } catch (...) {
  }
  return 0;
}

void CurlMulti::OnSocket(curl_socket_t fd, int what) {
  if (what == CURL_POLL_REMOVE) {
    auto it = watchers_.find(fd);
    if (it == watchers_.end()) return;
    // release() aborts pending waits; their handlers see operation_aborted
    // and the `removed` flag, and let the watcher go.
    it->second->removed = true;
    it->second->descriptor.release();
    watchers_.erase(it);
    return;
  }
  auto& w = watchers_[fd];
  if (!w) w = std::make_shared<Watcher>(ioc_, fd);
  w->wanted = what;
  Arm(w);
}

void CurlMulti::Arm(const std::shared_ptr<Watcher>& w) {
  if ((w->wanted & CURL_POLL_IN) && !w->read_armed) {
    w->read_armed = true;
    w->descriptor.async_wait(asio::posix::stream_descriptor::wait_read,
                             [this, w, alive = std::weak_ptr<char>(alive_)](boost::system::error_code ec) {
                               w->read_armed = false;
                               // A wait may outlive *this: check before touching it.
                               if (alive.expired() || ec == asio::error::operation_aborted || w->removed) return;
                               OnReady(w, CURL_CSELECT_IN, ec);
                             });
  }
  if ((w->wanted & CURL_POLL_OUT) && !w->write_armed) {
    w->write_armed = true;
    w->descriptor.async_wait(asio::posix::stream_descriptor::wait_write,
                             [this, w, alive = std::weak_ptr<char>(alive_)](boost::system::error_code ec) {
                               w->write_armed = false;
                               if (alive.expired() || ec == asio::error::operation_aborted || w->removed) return;
                               OnReady(w, CURL_CSELECT_OUT, ec);
                             });
  }
}

void CurlMulti::OnReady(const std::shared_ptr<Watcher>& w, int direction,
                        boost::system::error_code ec) {
  int running = 0;
  curl_multi_socket_action(multi_, w->fd, ec ? CURL_CSELECT_ERR : direction, &running);
  Harvest();
  // Asio waits are one-shot: re-arm while libcurl still wants this socket.
  if (!w->removed) Arm(w);
}

void CurlMulti::OnTimer(long timeout_ms) {
  if (timeout_ms < 0) {
    timer_.cancel();
    return;
  }
  // libcurl must not be called from here, so even a 0 ms timeout waits for
  // the event loop. That one (asked for on every added transfer) is posted
  // rather than armed: arming the timer costs a timerfd_settime system call.
  if (timeout_ms == 0) {
    timer_.cancel();
    asio::post(ioc_, [this, alive = std::weak_ptr<char>(alive_)] {
      if (!alive.expired()) OnTimeout({});
    });
    return;
  }
  timer_.expires_after(std::chrono::milliseconds(timeout_ms));
  timer_.async_wait([this, alive = std::weak_ptr<char>(alive_)](boost::system::error_code ec) {
    if (alive.expired() || ec == asio::error::operation_aborted) return;
    OnTimeout(ec);
  });
}

void CurlMulti::OnTimeout(boost::system::error_code) {
  int running = 0;
  curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
  Harvest();
}

void CurlMulti::Harvest() {
  int queued = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
    if (msg->msg != CURLMSG_DONE) continue;
    // Copy out before remove_handle: it invalidates `msg`.
    CURL* easy = msg->easy_handle;
    CURLcode result = msg->data.result;
    auto node = transfers_.extract(easy);
    curl_multi_remove_handle(multi_, easy);
    if (node.empty()) continue;
    asio::post(ioc_, [cb = std::move(node.mapped()), result, alive = std::weak_ptr<char>(alive_)] {
      if (!alive.expired()) cb(result);
    });
  }
}

}  // namespace jobtrawl::crawler
