// The one URL module (RFC 3986, on Boost.URL): every URL the crawler
// resolves (links, sitemap <loc>s, JSON-LD urls, redirects, canonical links,
// robots.txt) and every URL split into its parts goes through it.
//
// The canonical form is the listing key used for exact dedup (DESIGN.md
// "Dedup model"): scheme and host lower-cased, percent-encoding and dot
// segments normalized, default port and fragment dropped, tracking parameters
// (utm_*, gclid, fbclid, ref, ...) removed, remaining query parameters sorted
// by name (stable), and an empty path written as "/".
//
// Dot segments are removed as RFC 3986 §5.2.4 says, "." and ".." written
// as "%2E" too (as WHATWG URL parsers and many servers read them): a ".."
// above the root is dropped ("https://a/../jobs/" is "https://a/jobs/").
// Boost.URL 1.81 keeps such segments, so this module removes them itself.
//
// All functions are pure and thread-safe; nullopt means "not a URL of
// that kind", never a partial result.
#ifndef JOBTRAWL_MODEL_URL_H_
#define JOBTRAWL_MODEL_URL_H_

#include <optional>
#include <string>
#include <string_view>

namespace jobtrawl {

// `ref` (absolute or relative, surrounding ASCII whitespace ignored; an href
// that is no URI reference read as a browser reads it, WHATWG URL: tabs and
// newlines dropped, a backslash a '/' before the query in http(s), and
// characters a URI cannot hold percent-encoded in the path, query or
// fragment where they stand, the first '?' and '#' keeping their meaning)
// resolved against the absolute `base` per RFC 3986 §5.2, dot segments
// removed; the fragment of `ref` is kept. nullopt when either cannot be parsed.
std::optional<std::string> ResolveUrl(std::string_view base, std::string_view ref);

// The canonical form of an absolute URL; nullopt when it is not one.
std::optional<std::string> CanonicalUrl(std::string_view url);

// True for query parameter names that only track where a click came from
// (ASCII case ignored).
bool IsTrackingParameter(std::string_view name);

// RFC 3986 §5.2.4 remove_dot_segments of an absolute path ("/a/b/../c" is
// "/a/c", "/../x" is "/x", "/a/.." is "/", "/a/b/.." is "/a/"); "." and ".."
// may be written with "%2E". A path not starting with '/' is returned unchanged.
std::string RemoveDotSegments(std::string_view path);

// An absolute URL with an authority, split. Scheme and host lower-cased;
// the path has its dot segments removed and is "/" when empty; path and
// query stay percent-encoded as written.
struct UrlParts {
  std::string scheme;  // "https"
  std::string host;    // "jobs.example.com", "127.0.0.1", "[::1]"
  std::string port;    // as written, "" when absent
  std::string path;    // "/jobs/1"
  std::optional<std::string> query;  // after '?', without it; nullopt: no '?'
};
std::optional<UrlParts> SplitUrl(std::string_view url);

// "scheme://host[:port]" of SplitUrl's parts: the origin as written (a
// default port is kept when given).
std::string Origin(const UrlParts& parts);

// RFC 6454 §4-5: true when both are absolute http(s) URLs of one origin,
// the same scheme, host (ASCII case ignored) and port, a missing port read
// as the scheme's default (80 for http, 443 for https). Other schemes (file:,
// unparsable URLs) have no origin to share: false.
bool SameOrigin(std::string_view a, std::string_view b);

}  // namespace jobtrawl

#endif  // JOBTRAWL_MODEL_URL_H_
