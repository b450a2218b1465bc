#include "model/url.h"

#include <algorithm>
#include <array>
#include <boost/url.hpp>
#include <vector>

#include "model/ascii.h"

namespace jobtrawl {
namespace urls = boost::urls;

namespace {

// "." and ".." as RFC 3986 §5.2.4 and WHATWG read a segment, "%2e" for '.'.
bool IsDot(std::string_view s) { return s == "." || ascii::EqualsIgnoreCase(s, "%2e"); }
bool IsDotDot(std::string_view s) {
  if (s.size() == 2) return s == "..";
  if (s.size() == 4) return ascii::EqualsIgnoreCase(s, ".%2e") || ascii::EqualsIgnoreCase(s, "%2e.");
  return s.size() == 6 && ascii::EqualsIgnoreCase(s, "%2e%2e");
}

// The path of `u` with its dot segments removed, when it is absolute.
void RemoveDotSegmentsOf(urls::url& u) {
  const std::string_view path = u.encoded_path();
  if (!path.starts_with('/')) return;
  const std::string clean = RemoveDotSegments(path);
  if (clean == path) return;
  if (!u.has_authority() && clean.starts_with("//")) {
    // Boost.URL writes this "/.//", so that it stays a path.
    u.set_encoded_path(clean);
    return;
  }
  // Spliced in as text: Boost.URL 1.81's set_encoded_path() also writes a
  // path of "/" or "//x" after an authority as "/./" and "/.//x", which are
  // not canonical (found by fuzzing: "https://a/.." gave "https://a/./").
  const std::string_view whole = u.buffer();
  const std::size_t at = static_cast<std::size_t>(path.data() - whole.data());
  std::string text(whole.substr(0, at));
  text += clean;
  text += whole.substr(at + path.size());
  if (auto parsed = urls::parse_uri_reference(text)) u = urls::url(*parsed);
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

// Schemes whose URLs WHATWG calls special: a backslash is a '/' in them.
bool IsSpecialScheme(std::string_view scheme) {
  for (std::string_view s : {"http", "https", "ws", "wss", "ftp", "file"}) {
    if (ascii::EqualsIgnoreCase(scheme, s)) return true;
  }
  return false;
}

// The scheme `ref` starts with (RFC 3986 §3.1), or empty.
std::string_view SchemeOf(std::string_view ref) {
  const std::size_t colon = ref.find(':');
  if (colon == std::string_view::npos || colon == 0 || !ascii::IsAlpha(ref[0])) return {};
  for (char c : ref.substr(0, colon)) {
    if (!ascii::IsAlnum(c) && c != '+' && c != '-' && c != '.') return {};
  }
  return ref.substr(0, colon);
}

// `ref` made a URI reference the way a browser reads an href (WHATWG URL):
// ASCII tab and newline removed, a backslash before the query a '/' in a
// special scheme, and every octet a URI cannot hold where it stands (space,
// controls, non-ASCII, '"', '<', '>', a backslash, '^', '`', '{', '|', '}',
// a '%' not starting "%XX", a second '#') percent-encoded. The first '?' and '#'
// keep their meaning: encoded into the path they would name another page.
std::string EncodeReference(std::string_view ref, bool special) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  static constexpr std::string_view kKept = "-._~!$&'()*+,;=:@/";  // RFC 3986 pchar and '/'
  std::string clean;
  clean.reserve(ref.size());
  for (char c : ref) {
    if (c != '\t' && c != '\n' && c != '\r') clean.push_back(c);
  }
  // "[...]" is kept in an authority, for IPv6 literals.
  const std::size_t scheme_end = SchemeOf(clean).empty() ? 0 : SchemeOf(clean).size() + 1;
  std::size_t authority_end = scheme_end;
  if (std::string_view(clean).substr(scheme_end, 2) == "//") {
    authority_end = clean.find_first_of(special ? "/?#\\" : "/?#", scheme_end + 2);
    if (authority_end == std::string::npos) authority_end = clean.size();
  }
  enum { kPath, kQuery, kFragment } part = kPath;
  std::string out;
  out.reserve(clean.size() + 16);
  for (std::size_t i = 0; i < clean.size(); ++i) {
    const char c = clean[i];
    bool keep = ascii::IsAlnum(c) || kKept.find(c) != std::string_view::npos;
    if (c == '?' && part == kPath) {
      part = kQuery;
      keep = true;
    } else if (c == '#' && part != kFragment) {
      part = kFragment;
      keep = true;
    } else if (c == '?') {
      keep = true;  // RFC 3986 §3.4, §3.5: a '?' in a query or fragment is data
    } else if (c == '\\' && part == kPath && special) {
      out.push_back('/');
      continue;
    } else if (c == '%') {
      keep = i + 2 < clean.size() && ascii::IsHexDigit(clean[i + 1]) && ascii::IsHexDigit(clean[i + 2]);
    } else if (c == '[' || c == ']') {
      keep = i < authority_end;
    }
    if (keep) {
      out.push_back(c);
    } else {
      const auto octet = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[octet >> 4]);
      out.push_back(kHex[octet & 0xF]);
    }
  }
  return out;
}

}  // namespace

std::string RemoveDotSegments(std::string_view path) {
  if (!path.starts_with('/')) return std::string(path);
  std::vector<std::string_view> out;
  bool trailing_slash = false;
  std::string_view rest = path.substr(1);
  while (true) {
    const std::size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    const bool last = slash == std::string_view::npos;
    trailing_slash = false;
    if (IsDot(segment)) {
      trailing_slash = true;
    } else if (IsDotDot(segment)) {
      if (!out.empty()) out.pop_back();  // above the root: dropped
      trailing_slash = true;
    } else {
      out.push_back(segment);
    }
    if (last) break;
    rest.remove_prefix(slash + 1);
  }
  std::string result;
  result.reserve(path.size());
  for (std::string_view segment : out) {
    result.push_back('/');
    result.append(segment);
  }
  if (trailing_slash || result.empty()) result.push_back('/');
  return result;
}

bool IsTrackingParameter(std::string_view name) {
  static constexpr std::array<std::string_view, 16> kExact{
      "gclid", "gbraid", "wbraid", "dclid", "fbclid", "msclkid", "yclid", "igshid",
      "mc_cid", "mc_eid", "_hsenc", "_hsmi", "ref", "ref_src", "trk", "trackingid"};
  std::string lower = ascii::ToLower(name);
  if (lower.starts_with("utm_")) return true;
  return std::find(kExact.begin(), kExact.end(), lower) != kExact.end();
}

std::optional<std::string> ResolveUrl(std::string_view base, std::string_view ref) {
  auto b = ParseAbsolute(base);
  if (!b) return std::nullopt;
  // Whitespace around href values is common and ignored by browsers.
  ref = ascii::Trim(ref);
  auto r = urls::parse_uri_reference(ref);
  std::string fixed;
  if (!r) {
    // Browsers tolerate spaces, backslashes and other characters a URI
    // cannot hold; so do we, reading them as a browser does.
    const std::string_view scheme = SchemeOf(ref);
    fixed = EncodeReference(ref, IsSpecialScheme(scheme.empty() ? std::string_view(b->scheme()) : scheme));
    r = urls::parse_uri_reference(fixed);
    if (!r) return std::nullopt;
  }
  urls::url out;
  if (!urls::resolve(*b, *r, out)) return std::nullopt;
  RemoveDotSegmentsOf(out);
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
  RemoveDotSegmentsOf(u);
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

std::optional<UrlParts> SplitUrl(std::string_view text) {
  auto parsed = ParseAbsolute(text);
  if (!parsed || !parsed->has_authority()) return std::nullopt;
  UrlParts parts;
  parts.scheme = ascii::ToLower(parsed->scheme());
  parts.host = ascii::ToLower(parsed->encoded_host());
  parts.port = std::string(parsed->port());
  parts.path = parsed->encoded_path().empty() ? std::string("/") : RemoveDotSegments(parsed->encoded_path());
  if (parsed->has_query()) parts.query = std::string(parsed->encoded_query());
  return parts;
}

std::string Origin(const UrlParts& parts) {
  std::string origin = parts.scheme + "://" + parts.host;
  if (!parts.port.empty()) origin += ":" + parts.port;
  return origin;
}

bool SameOrigin(std::string_view a, std::string_view b) {
  auto pa = SplitUrl(a);
  auto pb = SplitUrl(b);
  if (!pa || !pb || pa->host.empty() || pb->host.empty()) return false;
  auto port = [](const UrlParts& p) -> std::string {
    // "080" is port 80 (RFC 3986 §3.2.3 port = *DIGIT).
    std::string_view written = p.port;
    while (written.size() > 1 && written.front() == '0') written.remove_prefix(1);
    if (!written.empty()) return std::string(written);
    return p.scheme == "https" ? "443" : "80";
  };
  for (const UrlParts* p : {&*pa, &*pb}) {
    if (p->scheme != "http" && p->scheme != "https") return false;
  }
  return pa->scheme == pb->scheme && pa->host == pb->host && port(*pa) == port(*pb);
}

}  // namespace jobtrawl
