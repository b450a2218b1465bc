// How a URL is asked for: a plain GET, or a POST with a body, for the board
// APIs that are searched by POST and paged by changing the body (Workday's
// CXS jobs search). A link, a crawl queue entry, a fetch request and its
// result carry one, so a POST is retried, deduplicated, cached and replayed
// as what it is (RFC 9110 §9.3.3).
#ifndef JOBTRAWL_MODEL_REQUEST_H_
#define JOBTRAWL_MODEL_REQUEST_H_

#include <optional>
#include <string>
#include <string_view>

namespace jobtrawl {

// The body of a POST request. A request without one is a GET.
struct PostBody {
  std::string content_type;  // e.g. "application/json"
  std::string data;          // sent as is

  bool operator==(const PostBody&) const = default;
};

// What tells one request from another: the URL for a GET; for a POST the
// URL, a tab (canonical URLs never hold one), "POST ", the content type, a
// space and the body. Keys the crawl's seen set and the HTTP cache, so
// pages of one POST endpoint that differ only in their bodies stay apart.
inline std::string RequestKey(std::string_view url, const std::optional<PostBody>& post) {
  std::string key(url);
  if (post) {
    key += "\tPOST ";
    key += post->content_type;
    key += ' ';
    key += post->data;
  }
  return key;
}

}  // namespace jobtrawl

#endif  // JOBTRAWL_MODEL_REQUEST_H_
