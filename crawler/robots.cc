#include "crawler/robots.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "model/ascii.h"
#include "model/url.h"

namespace jobtrawl::crawler {
namespace {

constexpr std::size_t kMaxRobotsBytes = 500 * 1024;

using ascii::ToLower;

std::string_view Trim(std::string_view s) { return ascii::Trim(s, ascii::IsBlank); }

// RFC 3986 2.3 unreserved characters.
bool IsUnreserved(char c) {
  return ascii::IsAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// RFC 3986 2.2 reserved characters (gen-delims and sub-delims).
bool IsReserved(char c) {
  return std::string_view(":/?#[]@!$&'()*+,;=").find(c) != std::string_view::npos;
}

int HexValue(char c) {
  if (ascii::IsDigit(c)) return c - '0';
  return ToLower(c) - 'a' + 10;
}

// One unit of a normalized path: a plain octet, an octet that stays
// percent-encoded (kEncoded | octet), or a rule's wildcard.
constexpr char16_t kEncoded = 0x100;
constexpr char16_t kWildcard = 0x200;

// RFC 9309 2.2.2: octets outside US-ASCII and those that are not URI
// characters are percent-encoded, an encoded unreserved octet is decoded
// ("%62" is "b"), an encoded reserved one stays encoded ("%2F" is not "/"),
// and hex case is irrelevant. A lone "%" is the octet 0x25. "*" and "$" are
// compared in their encoded form, so a rule's "%2A" and "%24" (RFC 9309
// 2.2.3) match them written either way. In a rule (`is_rule`), a plain "*" is
// the wildcard; the caller has removed a final "$".
std::u16string NormalizePath(std::string_view s, bool is_rule) {
  std::u16string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size() && ascii::IsHexDigit(s[i + 1]) && ascii::IsHexDigit(s[i + 2])) {
      char octet = static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
      out.push_back(IsUnreserved(octet) ? static_cast<unsigned char>(octet)
                                        : kEncoded | static_cast<unsigned char>(octet));
    } else if (c == '*' && is_rule) {
      out.push_back(kWildcard);
    } else if ((IsUnreserved(c) || IsReserved(c)) && c != '*' && c != '$') {
      out.push_back(static_cast<unsigned char>(c));
    } else {
      out.push_back(kEncoded | static_cast<unsigned char>(c));
    }
  }
  return out;
}

// Octets of a normalized path as written in its canonical form ("%XX" is
// three): the weight of a rule in the longest-match rule.
std::size_t Octets(std::u16string_view units) {
  std::size_t n = 0;
  for (char16_t u : units) n += (u & kEncoded) ? 3 : 1;
  return n;
}

// First position >= `from` where `needle` occurs in `text` (Knuth-Morris-Pratt,
// O(|text| + |needle|)); npos when absent.
std::size_t Find(std::u16string_view text, std::u16string_view needle, std::size_t from,
                 std::vector<std::size_t>& failure) {
  if (needle.empty()) return from;
  failure.assign(needle.size(), 0);
  for (std::size_t i = 1, k = 0; i < needle.size(); ++i) {
    while (k > 0 && needle[i] != needle[k]) k = failure[k - 1];
    if (needle[i] == needle[k]) ++k;
    failure[i] = k;
  }
  for (std::size_t i = from, k = 0; i < text.size(); ++i) {
    while (k > 0 && text[i] != needle[k]) k = failure[k - 1];
    if (text[i] == needle[k]) ++k;
    if (k == needle.size()) return i + 1 - needle.size();
  }
  return std::u16string_view::npos;
}

// Does the rule (wildcards, `anchored` by a final "$") match the start of
// `path` (all of it when anchored)? The literal runs between wildcards are
// placed greedily at their leftmost occurrence, which is optimal when "*" is
// the only operator: O(|path| + |rule|), whatever the rule (RFC 9309 2.2.3).
// `failure` is scratch space, reused across calls.
bool Matches(std::u16string_view path, std::u16string_view rule, bool anchored,
             std::vector<std::size_t>& failure) {
  std::size_t star = rule.find(kWildcard);
  std::u16string_view first = rule.substr(0, star);
  if (path.substr(0, first.size()) != first) return false;
  if (star == std::u16string_view::npos) return !anchored || path.size() == first.size();
  std::size_t at = first.size();
  rule.remove_prefix(star);
  while (true) {
    while (!rule.empty() && rule.front() == kWildcard) rule.remove_prefix(1);
    std::size_t next = rule.find(kWildcard);
    std::u16string_view run = rule.substr(0, next);
    if (next == std::u16string_view::npos) {
      // The last run: anywhere after `at`, or at the very end when anchored.
      if (!anchored) return Find(path, run, at, failure) != std::u16string_view::npos;
      return path.size() >= at + run.size() && path.substr(path.size() - run.size()) == run;
    }
    std::size_t found = Find(path, run, at, failure);
    if (found == std::u16string_view::npos) return false;
    at = found + run.size();
    rule.remove_prefix(next);
  }
}

enum class Key { kUserAgent, kAllow, kDisallow, kCrawlDelay, kSitemap, kOther };

Key ParseKey(std::string_view key) {
  std::string k = ascii::ToLower(Trim(key));
  // Common misspellings are honoured, as the major crawlers do.
  if (k == "user-agent" || k == "useragent" || k == "user agent") return Key::kUserAgent;
  if (k == "allow") return Key::kAllow;
  if (k == "disallow" || k == "dissallow" || k == "dissalow" || k == "disalow" ||
      k == "diasllow" || k == "disallaw")
    return Key::kDisallow;
  if (k == "crawl-delay" || k == "crawldelay") return Key::kCrawlDelay;
  if (k == "sitemap" || k == "site-map") return Key::kSitemap;
  return Key::kOther;
}

// The product token of a user-agent line's value: letters, '_' and '-'.
std::string_view TokenOf(std::string_view value) {
  size_t n = 0;
  while (n < value.size() && (ascii::IsAlpha(value[n]) || value[n] == '_' || value[n] == '-'))
    ++n;
  return value.substr(0, n);
}

}  // namespace

std::string ProductToken(std::string_view user_agent) {
  return ascii::ToLower(TokenOf(Trim(user_agent)));
}

std::string RobotsPath(std::string_view url) {
  auto parts = SplitUrl(url);
  if (!parts) {
    // A path alone (`jobtrawl robots FILE /path`), or a URL with characters
    // a URI cannot hold ("https://x/foo/bar/ツ"): read as a browser reads
    // an href, so the path is the one a client would ask for, encoded.
    if (auto resolved = ResolveUrl("http://robots.invalid/", url)) parts = SplitUrl(*resolved);
  }
  if (!parts) return "/";
  // The path the server is asked for: clients (libcurl among them) remove
  // dot segments before sending, so "/allowed/../private/x" is checked as
  // "/private/x".
  return parts->query ? parts->path + "?" + *parts->query : parts->path;
}

std::string RobotsUrl(std::string_view url) {
  auto parts = SplitUrl(url);
  if (!parts) return std::string(url) + "/robots.txt";
  return Origin(*parts) + "/robots.txt";
}

Robots::Rule Robots::MakeRule(bool allow, std::string_view value, int line,
                              std::string_view text) {
  Rule rule;
  rule.allow = allow;
  rule.anchored = value.ends_with('$');
  if (rule.anchored) value.remove_suffix(1);
  rule.pattern = NormalizePath(value, /*is_rule=*/true);
  rule.octets = Octets(rule.pattern) + (rule.anchored ? 1 : 0);
  rule.line = line;
  rule.text = std::string(text);
  return rule;
}

Robots Robots::AllowAll(std::string why) {
  Robots r;
  r.why_ = std::move(why);
  return r;
}

Robots Robots::DisallowAll(std::string why) {
  Robots r;
  r.disallow_all_ = true;
  r.why_ = std::move(why);
  return r;
}

Robots Robots::Parse(std::string_view text, std::string_view product_token) {
  if (text.size() > kMaxRobotsBytes) text = text.substr(0, kMaxRobotsBytes);
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark
  const std::string token = ascii::ToLower(product_token);

  struct Group {
    std::vector<std::string> agents;
    std::vector<Rule> rules;
    std::optional<std::chrono::milliseconds> delay;
  };
  std::vector<Group> groups;
  std::vector<std::string> sitemaps;
  bool in_agents = false;  // the previous rule line was a user-agent line
  int line_no = 0;
  while (!text.empty()) {
    size_t eol = text.find_first_of("\r\n");
    std::string_view line = text.substr(0, eol);
    if (eol == std::string_view::npos) {
      text = {};
    } else {
      text.remove_prefix(eol + (text.substr(eol, 2) == "\r\n" ? 2 : 1));
    }
    ++line_no;
    std::string_view raw = line;
    line = line.substr(0, line.find('#'));
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    Key key = ParseKey(line.substr(0, colon));
    std::string_view value = Trim(line.substr(colon + 1));
    switch (key) {
      case Key::kUserAgent:
        if (!in_agents) groups.emplace_back();
        in_agents = true;
        groups.back().agents.push_back(ascii::ToLower(value == "*" ? value : TokenOf(value)));
        break;
      case Key::kAllow:
      case Key::kDisallow:
        in_agents = false;
        if (groups.empty() || value.empty()) break;  // outside a group, or "Disallow:" (no rule)
        groups.back().rules.push_back(MakeRule(key == Key::kAllow, value, line_no, Trim(raw)));
        break;
      case Key::kCrawlDelay: {
        in_agents = false;
        if (groups.empty()) break;
        std::string v(value);
        char* end = nullptr;
        double seconds = std::strtod(v.c_str(), &end);
        if (end != v.c_str() && std::isfinite(seconds) && seconds >= 0 && seconds < 1e7) {
          groups.back().delay = std::chrono::milliseconds(std::llround(seconds * 1000));
        }
        break;
      }
      case Key::kSitemap:
        if (!value.empty()) sitemaps.emplace_back(value);
        break;
      case Key::kOther:
        break;
    }
  }

  Robots robots;
  robots.sitemaps_ = std::move(sitemaps);
  // Groups naming our token win over "*"; same-agent groups merge (RFC 9309 2.2.1).
  for (const std::string& wanted : {token, std::string("*")}) {
    if (wanted.empty()) continue;
    bool found = false;
    for (Group& g : groups) {
      if (std::find(g.agents.begin(), g.agents.end(), wanted) == g.agents.end()) continue;
      found = true;
      robots.rules_.insert(robots.rules_.end(), g.rules.begin(), g.rules.end());
      if (g.delay && !robots.crawl_delay_) robots.crawl_delay_ = g.delay;
    }
    if (found) {
      robots.group_ = wanted;
      break;
    }
  }
  return robots;
}

RobotsDecision Robots::Check(std::string_view path) const {
  if (disallow_all_) return {false, 0, why_};
  std::u16string normalized = NormalizePath(path.empty() ? "/" : path, /*is_rule=*/false);
  if (normalized == u"/robots.txt") return {true, 0, "robots.txt itself is always allowed"};
  const Rule* best = nullptr;
  std::vector<std::size_t> failure;
  for (const Rule& r : rules_) {
    if (!Matches(normalized, r.pattern, r.anchored, failure)) continue;
    if (best == nullptr || r.octets > best->octets ||
        (r.octets == best->octets && r.allow && !best->allow)) {
      best = &r;
    }
  }
  if (best == nullptr) return {true, 0, why_.empty() ? "no rule matched" : why_};
  return {best->allow, best->line, best->text};
}

}  // namespace jobtrawl::crawler
