// One request of the fetcher, from Fetch() to its completion: the request,
// its callback, its redirect hops and retried attempts, and, while an
// attempt is in flight, the curl easy handle, header list and buffers it
// uses. Internal to crawler/ (it sees curl.h).
//
// Ownership: a Transfer lives in exactly one place at a time (a host queue,
// the running set, a retry timer) as a unique_ptr, and moves between them.
// While an attempt runs, the Transfer owns its easy handle; EndAttempt()
// hands the handle back for reuse. Its callback is taken once, by whoever
// completes it (TakeCallback), so a second completion has nothing to call.
#ifndef JOBTRAWL_CRAWLER_TRANSFER_H_
#define JOBTRAWL_CRAWLER_TRANSFER_H_

#include <curl/curl.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "crawler/address_policy.h"
#include "crawler/fetcher.h"
#include "model/fetch.h"

namespace jobtrawl::crawler {

struct EasyDeleter {
  void operator()(CURL* easy) const noexcept { curl_easy_cleanup(easy); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct HeaderListDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, HeaderListDeleter>;

struct ResolveListDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

// Which addresses an attempt may connect to.
struct AddressRule {
  bool allow_private = false;     // any non-public address
  std::vector<Network> allowed;   // these, even when non-public
  bool Allows(const sockaddr* address) const;
};

class Transfer {
 public:
  using Callback = Fetcher::Callback;

  // `done` is empty for the fetcher's own robots.txt fetches.
  Transfer(FetchRequest request, Callback done, std::string host_key, bool is_robots);
  ~Transfer() = default;
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  // Sets `easy` up for an attempt at the current URL and keeps it until
  // EndAttempt. `easy` must be fresh or reset.
  void BeginAttempt(EasyHandle easy, const config::HttpConfig& http, AddressRule rule);
  CURL* easy() const { return easy_.get(); }

  struct Outcome {
    FetchResult result;     // url is the current hop; retried not yet filled in
    bool transient = false; // worth another attempt
  };
  // Describes how the attempt ended and gives back its easy handle, reset
  // for reuse (null if none was attached).
  Outcome EndAttempt(CURLcode rc, const config::HttpConfig& http, EasyHandle& handle_out);

  // The callback, leaving none behind: the caller delivers the completion.
  Callback TakeCallback() { return std::move(done_); }
  bool has_callback() const { return static_cast<bool>(done_); }

  // The request: `request.url` is the current hop.
  FetchRequest request;
  const std::string original_url;
  const std::optional<PostBody> original_post;
  std::string host_key;  // "scheme://host:port" of the current hop
  const bool is_robots;
  int redirects = 0;
  int failures = 0;  // failed attempts of the current hop
  std::vector<FetchAttempt> retried;

 private:
  static size_t OnBody(char* data, size_t size, size_t count, void* self) noexcept;
  static size_t OnHeader(char* data, size_t size, size_t count, void* self) noexcept;
  static curl_socket_t OnOpenSocket(void* self, curlsocktype purpose, curl_sockaddr* address) noexcept;

  Callback done_;
  // The attempt in flight.
  EasyHandle easy_;
  HeaderList header_list_;
  std::unique_ptr<curl_slist, ResolveListDeleter> resolve_list_;
  AddressRule address_rule_;
  std::string body_;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::uint64_t max_body_ = 0;
  bool too_large_ = false;
  std::optional<std::uint64_t> content_length_;  // of the response being read
  std::string framing_error_;                    // why its framing is invalid; empty when it is not
  std::vector<std::string> refused_addresses_;
  char error_[CURL_ERROR_SIZE] = {};
};

// Whether `url` is a file:// URL.
bool IsFileUrl(std::string_view url);

}  // namespace jobtrawl::crawler

#endif  // JOBTRAWL_CRAWLER_TRANSFER_H_
