// libcurl's multi-socket interface driven by a Boost.Asio io_context
// (https://curl.se/libcurl/c/libcurl-multi.html, "multi_socket").
// Internal to crawler/: the only file besides fetcher.cc that sees curl.h.
//
// libcurl tells us which sockets to watch (CURLMOPT_SOCKETFUNCTION) and when
// to wake it (CURLMOPT_TIMERFUNCTION); Asio waits on those sockets without
// owning them and calls curl_multi_socket_action when one is ready. One
// thread, any number of transfers, and nothing blocks the loop.
#ifndef JOBTRAWL_CRAWLER_CURL_MULTI_H_
#define JOBTRAWL_CRAWLER_CURL_MULTI_H_

#include <curl/curl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <unordered_map>

namespace jobtrawl::crawler {

// Not thread-safe: every call, and every callback, happens on the thread
// running the io_context. The io_context may outlive it and run another
// CurlMulti afterwards: handlers left behind check a liveness token and
// do nothing once it is gone.
class CurlMulti {
 public:
  using DoneCallback = std::function<void(CURLcode)>;

  explicit CurlMulti(boost::asio::io_context& ioc);
  ~CurlMulti();
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  // Starts `easy`. When it finishes, `done` is posted to the io_context with
  // the transfer's result; by then `easy` is no longer in the multi and the
  // caller may read its info, reuse or clean it up. The caller keeps `easy`
  // alive until then, or until Remove().
  void Add(CURL* easy, DoneCallback done);

  // Stops a transfer that has not finished; its callback is never called.
  void Remove(CURL* easy);

  std::size_t size() const { return transfers_.size(); }

 private:
  struct Watcher;

  static int OnSocketThunk(CURL* easy, curl_socket_t fd, int what, void* self,
                           void* socketp) noexcept;
  static int OnTimerThunk(CURLM* multi, long timeout_ms, void* self) noexcept;
  void OnSocket(curl_socket_t fd, int what);
  void OnTimer(long timeout_ms);
  void Arm(const std::shared_ptr<Watcher>& w);
  void OnReady(const std::shared_ptr<Watcher>& w, int direction, boost::system::error_code ec);
  void OnTimeout(boost::system::error_code ec);
  void Harvest();

  boost::asio::io_context& ioc_;
  CURLM* const multi_;
  boost::asio::steady_timer timer_;
  std::unordered_map<curl_socket_t, std::shared_ptr<Watcher>> watchers_;
  std::unordered_map<CURL*, DoneCallback> transfers_;
  // Every handler given to Asio holds a weak_ptr to this and checks it first.
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace jobtrawl::crawler

#endif  // JOBTRAWL_CRAWLER_CURL_MULTI_H_
