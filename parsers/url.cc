#include "parsers/url.h"

#include <algorithm>
#include <array>
#include <boost/url.hpp>
#include <vector>

namespace jobtrawl::parsers {
namespace urls = boost::urls;

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// An absolute URI as RFC 3986 reads it. Boost.URL 1.81 also accepts a port
// followed by other characters ("https://a:443x/" as port 443 and path
// "x/"), a path RFC 3986 forbids after an authority; dropping the default
// port then joined the rest to the host ("https://ax/").
std::optional<urls::url_view> ParseAbsolute(std::string_view text) {
  auto parsed = urls::parse_uri(text);
  if (!parsed) return std::nullopt;
  if (parsed->has_authority() && !parsed->encoded_path().empty() &&
      !parsed->encoded_path().starts_with('/')) {
    return std::nullopt;
  }
  return *parsed;
}

}  // namespace

bool IsTrackingParameter(std::string_view name) {
  static constexpr std::array<std::string_view, 16> kExact{
      "gclid", "gbraid", "wbraid", "dclid", "fbclid", "msclkid", "yclid", "igshid",
      "mc_cid", "mc_eid", "_hsenc", "_hsmi", "ref", "ref_src", "trk", "trackingid"};
  std::string lower = Lower(name);
  if (lower.starts_with("utm_")) return true;
  return std::find(kExact.begin(), kExact.end(), lower) != kExact.end();
}

std::optional<std::string> ResolveUrl(std::string_view base, std::string_view ref) {
  auto b = ParseAbsolute(base);
  if (!b) return std::nullopt;
  // Whitespace around href values is common and ignored by browsers.
  while (!ref.empty() && std::isspace(static_cast<unsigned char>(ref.front()))) ref.remove_prefix(1);
  while (!ref.empty() && std::isspace(static_cast<unsigned char>(ref.back()))) ref.remove_suffix(1);
  auto r = urls::parse_uri_reference(ref);
  if (!r) {
    // Browsers tolerate spaces and other unescaped characters; so do we.
    urls::url encoded;
    encoded.set_path(ref);  // percent-encodes what a path cannot hold
    std::string fixed(encoded.buffer());
    r = urls::parse_uri_reference(fixed);
    if (!r) return std::nullopt;
    urls::url out;
    if (!urls::resolve(*b, *r, out)) return std::nullopt;
    return std::string(out.buffer());
  }
  urls::url out;
  if (!urls::resolve(*b, *r, out)) return std::nullopt;
  return std::string(out.buffer());
}

std::optional<std::string> CanonicalUrl(std::string_view text) {
  auto parsed = ParseAbsolute(text);
  if (!parsed) return std::nullopt;
  urls::url u(*parsed);
  u.normalize();  // case of scheme, host and %XX; unreserved %XX decoded; dot segments
  // Boost.URL 1.81 can leave a dot segment of a rootless path ("h:b/../."
  // gives "h:."); normalizing again until nothing changes removes it.
  for (int i = 0; i < 4; ++i) {
    const std::string before(u.buffer());
    u.normalize();
    if (u.buffer() == before) break;
  }
  // Removing dot segments can leave a path that starts with "//" in a URL
  // without an authority ("h:.///"), which would read back as one. Setting
  // the path again makes Boost.URL write it as "/.//", as the WHATWG URL
  // serializer does.
  if (!u.has_authority() && u.encoded_path().starts_with("//")) {
    u.set_encoded_path(std::string(u.encoded_path()));
  }
  u.remove_fragment();
  if (u.has_port()) {
    auto scheme = u.scheme_id();
    auto port = u.port_number();
    if ((scheme == urls::scheme::http && port == 80) ||
        (scheme == urls::scheme::https && port == 443)) {
      u.remove_port();
    }
  }
  // (set_path("/") writes "/./" in Boost.URL 1.81; set_path_absolute does not.)
  if (u.has_authority() && u.encoded_path().empty()) u.set_path_absolute(true);

  if (u.has_query()) {
    struct Param {
      std::string key;
      std::string value;
      bool has_value;  // "?flag" and "?flag=" are different URLs
    };
    // The query is split here, not with encoded_params(): Boost.URL 1.81
    // miscounts the parameters of an empty query followed by a fragment
    // ("t:?#", "?#&"), and iterating them reads past the end of the URL.
    // normalize() has decoded unreserved characters, so tracking names
    // compare as written.
    std::vector<Param> kept;
    std::string_view written = u.encoded_query();
    for (std::size_t start = 0; start <= written.size();) {
      std::size_t end = std::min(written.find('&', start), written.size());
      std::string_view param = written.substr(start, end - start);
      start = end + 1;
      std::size_t eq = param.find('=');
      std::string_view key = param.substr(0, eq);
      if (IsTrackingParameter(key)) continue;
      kept.push_back({std::string(key),
                      eq == std::string_view::npos ? std::string() : std::string(param.substr(eq + 1)),
                      eq != std::string_view::npos});
    }
    std::stable_sort(kept.begin(), kept.end(),
                     [](const Param& a, const Param& b) { return a.key < b.key; });
    if (kept.empty()) {
      u.remove_query();
    } else {
      std::string query;
      for (const Param& p : kept) {
        if (!query.empty()) query.push_back('&');
        query.append(p.key);
        if (p.has_value) {
          query.push_back('=');
          query.append(p.value);
        }
      }
      u.set_encoded_query(query);
    }
  }
  return std::string(u.buffer());
}

}  // namespace jobtrawl::parsers
