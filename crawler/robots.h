// robots.txt as RFC 9309 defines it (https://www.rfc-editor.org/rfc/rfc9309),
// plus the widely used Crawl-delay and Sitemap lines.
//
// Parsed once per host for one product token; the rules kept are those of
// the groups that name the token (merged), else those of the "*" groups.
// The longest matching rule decides; on a tie, allow wins (RFC 9309 2.2.2).
// "*" matches any sequence and a final "$" anchors the end (2.2.3); matching
// one rule costs O(rule + path) whatever its wildcards.
//
// Paths are compared after percent-encoding is normalized on both sides
// (RFC 9309 2.2.2 with RFC 3986 2.1-2.4): octets outside US-ASCII and other
// non-URI characters are encoded ("/ツ" is "/%E3%83%84"), an encoded
// unreserved character is decoded ("%62%61%7A" is "baz"), an encoded
// reserved one stays encoded ("%2F" is not "/"), and hex digits compare
// case-insensitively. "%2A" and "%24" in a rule are a literal "*" and "$".
// A rule's length is counted in octets of that normalized form, "%XX" as
// three, so equivalent spellings weigh the same.
#ifndef JOBTRAWL_CRAWLER_ROBOTS_H_
#define JOBTRAWL_CRAWLER_ROBOTS_H_

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jobtrawl::crawler {

struct RobotsDecision {
  bool allowed = true;
  int line = 0;          // line of the deciding rule; 0 when no rule matched
  std::string rule;      // the rule as written ("Disallow: /jobs/*?print"), or why
};

class Robots {
 public:
  // The first 500 KiB of `text` are read (RFC 9309 section 2.5); the rest,
  // lines that are not rules, and rules outside any group are ignored.
  static Robots Parse(std::string_view text, std::string_view product_token);
  // 4xx: no rules at all. 5xx or unreachable: everything disallowed, for now.
  static Robots AllowAll(std::string why);
  static Robots DisallowAll(std::string why);

  // `path` is the URL's path and query ("/jobs?page=2"); "/robots.txt" is
  // always allowed.
  RobotsDecision Check(std::string_view path) const;

  // Crawl-delay of the selected group, if it has one.
  std::optional<std::chrono::milliseconds> crawl_delay() const { return crawl_delay_; }
  const std::vector<std::string>& sitemaps() const { return sitemaps_; }
  // Which group applied: the product token, "*", or empty when none.
  const std::string& group() const { return group_; }

 private:
  struct Rule {
    bool allow = false;
    std::u16string pattern;  // normalized units (robots.cc), without a final "$"
    bool anchored = false;   // the rule ended with "$"
    std::size_t octets = 0;  // length for the longest-match rule
    int line = 0;
    std::string text;
  };
  static Rule MakeRule(bool allow, std::string_view value, int line, std::string_view text);
  std::vector<Rule> rules_;
  std::optional<std::chrono::milliseconds> crawl_delay_;
  std::vector<std::string> sitemaps_;
  std::string group_;
  bool disallow_all_ = false;
  std::string why_;
};

// "jobtrawl/0.1 (+https://example.org/bot)" -> "jobtrawl": the part a
// robots.txt user-agent line is matched against.
std::string ProductToken(std::string_view user_agent);

// The path and query of an absolute URL, for Check(); "/" when it has none.
// A URL with characters a URI cannot hold ("https://x/foo/bar/ツ") or a path
// alone is read as ResolveUrl (model/url.h) reads an href: "/foo/bar/%E3%83%84".
std::string RobotsPath(std::string_view url);

// "scheme://host[:port]/robots.txt" for an absolute URL.
std::string RobotsUrl(std::string_view url);

}  // namespace jobtrawl::crawler

#endif  // JOBTRAWL_CRAWLER_ROBOTS_H_
