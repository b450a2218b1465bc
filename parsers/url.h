// URL resolution and canonicalization (RFC 3986 via Boost.URL).
//
// The canonical form is the listing key used for exact dedup (DESIGN.md
// "Dedup model"): scheme and host lower-cased, percent-encoding and dot
// segments normalized, default port and fragment dropped, tracking parameters
// (utm_*, gclid, fbclid, ref, ...) removed, remaining query parameters sorted
// by name (stable), and an empty path written as "/".
#ifndef JOBTRAWL_PARSERS_URL_H_
#define JOBTRAWL_PARSERS_URL_H_

#include <optional>
#include <string>
#include <string_view>

namespace jobtrawl::parsers {

// `ref` (absolute or relative) resolved against the absolute `base`;
// nullopt when either cannot be parsed.
std::optional<std::string> ResolveUrl(std::string_view base, std::string_view ref);

// The canonical form of an absolute URL; nullopt when it is not one.
std::optional<std::string> CanonicalUrl(std::string_view url);

// True for query parameter names that only track where a click came from.
bool IsTrackingParameter(std::string_view name);

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_URL_H_
