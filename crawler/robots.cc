#include "crawler/robots.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace jobtrawl::crawler {
namespace {

constexpr std::size_t kMaxRobotsBytes = 500 * 1024;

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Percent-encodes octets outside US-ASCII and upper-cases existing escapes,
// so "/caf%c3%a9", "/café" and "/caf%C3%A9" compare equal (RFC 9309 2.2.2).
std::string NormalizePath(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '%' && i + 2 < s.size() && IsHex(s[i + 1]) && IsHex(s[i + 2])) {
      out.push_back('%');
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(s[i + 1]))));
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(s[i + 2]))));
      i += 2;
    } else if (c >= 0x80 || c <= 0x20) {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

// Does `pattern` ("*" any sequence, final "$" the end) match a prefix of
// `path` (or all of it, with "$")? Positions-set matching: O(|path|·|pattern|).
bool Matches(std::string_view path, std::string_view pattern) {
  bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  // pos[k] is true when the first k bytes of the pattern can match the path
  // up to the current position.
  std::vector<char> pos(pattern.size() + 1, 0), next(pattern.size() + 1, 0);
  pos[0] = 1;
  for (size_t k = 0; k < pattern.size() && pattern[k] == '*'; ++k) pos[k + 1] = 1;
  auto done = [&](const std::vector<char>& p) { return p[pattern.size()] != 0; };
  if (!anchored && done(pos)) return true;
  for (char c : path) {
    std::fill(next.begin(), next.end(), 0);
    for (size_t k = 0; k < pattern.size(); ++k) {
      if (!pos[k]) continue;
      if (pattern[k] == '*') {
        next[k] = 1;  // '*' absorbs c and stays
      } else if (pattern[k] == c) {
        next[k + 1] = 1;
      }
    }
    // A '*' reached may also match nothing.
    for (size_t k = 0; k < pattern.size(); ++k) {
      if (next[k] && pattern[k] == '*') next[k + 1] = 1;
    }
    pos.swap(next);
    if (!anchored && done(pos)) return true;
    if (std::none_of(pos.begin(), pos.end(), [](char v) { return v != 0; })) return false;
  }
  return done(pos);
}

enum class Key { kUserAgent, kAllow, kDisallow, kCrawlDelay, kSitemap, kOther };

Key ParseKey(std::string_view key) {
  std::string k = LowerCopy(Trim(key));
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
  while (n < value.size() && (std::isalpha(static_cast<unsigned char>(value[n])) ||
                              value[n] == '_' || value[n] == '-'))
    ++n;
  return value.substr(0, n);
}

}  // namespace

std::string ProductToken(std::string_view user_agent) {
  return LowerCopy(TokenOf(Trim(user_agent)));
}

std::string RobotsPath(std::string_view url) {
  size_t scheme = url.find("://");
  size_t start = scheme == std::string_view::npos ? 0 : url.find_first_of("/?#", scheme + 3);
  if (start == std::string_view::npos) return "/";
  std::string_view rest = url.substr(start);
  rest = rest.substr(0, rest.find('#'));
  if (rest.empty() || rest.front() != '/') return "/" + std::string(rest);
  return std::string(rest);
}

std::string RobotsUrl(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url) + "/robots.txt";
  size_t end = url.find_first_of("/?#", scheme + 3);
  return std::string(url.substr(0, end)) + "/robots.txt";
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
  const std::string token = LowerCopy(product_token);

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
        groups.back().agents.push_back(LowerCopy(value == "*" ? value : TokenOf(value)));
        break;
      case Key::kAllow:
      case Key::kDisallow:
        in_agents = false;
        if (groups.empty() || value.empty()) break;  // outside a group, or "Disallow:" (no rule)
        groups.back().rules.push_back(
            {key == Key::kAllow, NormalizePath(value), line_no, std::string(Trim(raw))});
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
  std::string normalized = NormalizePath(path.empty() ? "/" : path);
  if (normalized == "/robots.txt") return {true, 0, "robots.txt itself is always allowed"};
  const Rule* best = nullptr;
  for (const Rule& r : rules_) {
    if (!Matches(normalized, r.pattern)) continue;
    if (best == nullptr || r.pattern.size() > best->pattern.size() ||
        (r.pattern.size() == best->pattern.size() && r.allow && !best->allow)) {
      best = &r;
    }
  }
  if (best == nullptr) return {true, 0, why_.empty() ? "no rule matched" : why_};
  return {best->allow, best->line, best->text};
}

}  // namespace jobtrawl::crawler
