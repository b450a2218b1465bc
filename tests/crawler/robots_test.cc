#include "crawler/robots.h"

#include <gtest/gtest.h>

namespace jobtrawl::crawler {
namespace {

bool Allowed(std::string_view robots, std::string_view path, std::string_view agent = "jobtrawl") {
  return Robots::Parse(robots, agent).Check(path).allowed;
}

TEST(RobotsTest, GroupSelectionByProductToken) {
  // RFC 9309 2.2.1: our group if named (case-insensitive), else "*"; same-agent groups merge.
  const char* robots =
      "User-agent: *\nDisallow: /\n\n"
      "User-agent: JobTrawl\nDisallow: /private\n\n"
      "User-agent: otherbot\nDisallow: /jobs\n\n"
      "user-agent: jobtrawl\nDisallow: /secret\n";
  EXPECT_TRUE(Allowed(robots, "/jobs"));
  EXPECT_FALSE(Allowed(robots, "/private/x"));
  EXPECT_FALSE(Allowed(robots, "/secret"));
  EXPECT_FALSE(Allowed(robots, "/jobs", "somebot"));
  EXPECT_EQ(Robots::Parse(robots, "jobtrawl").group(), "jobtrawl");
  EXPECT_EQ(Robots::Parse(robots, "somebot").group(), "*");
  // Several user-agent lines head one group.
  EXPECT_FALSE(Allowed("User-agent: a\nUser-agent: jobtrawl\nDisallow: /x\n", "/x"));
  // The value's product token is what is compared: "jobtrawl/2.0" names us.
  EXPECT_FALSE(Allowed("User-agent: jobtrawl/2.0\nDisallow: /x\n", "/x"));
  EXPECT_TRUE(Allowed("User-agent: jobtrawler\nDisallow: /x\n", "/x"));
}

TEST(RobotsTest, LongestMatchWinsAllowWinsTies) {
  // RFC 9309 2.2.2: the most specific (longest) rule decides; allow on a tie.
  const char* robots = "User-agent: *\nDisallow: /jobs\nAllow: /jobs/open\nAllow: /x\nDisallow: /x\n";
  EXPECT_FALSE(Allowed(robots, "/jobs/closed"));
  EXPECT_TRUE(Allowed(robots, "/jobs/open/1"));
  EXPECT_TRUE(Allowed(robots, "/x"));
  EXPECT_TRUE(Allowed(robots, "/other"));
}

TEST(RobotsTest, WildcardsAndEndAnchor) {
  // RFC 9309 2.2.3 examples.
  struct Case {
    const char* pattern;
    const char* path;
    bool matches;
  } cases[] = {
      {"/fish*", "/fish.html", true},         {"/fish*", "/Fish.asp", false},
      {"/*.php", "/index.php", true},         {"/*.php", "/folder/any.php.file.html", true},
      {"/*.php$", "/filename.php", true},     {"/*.php$", "/filename.php?parameters", false},
      {"/*.php$", "/filename.php/", false},   {"/fish*.php", "/fish.php", true},
      {"/fish*.php", "/fishheads/catfish.php?parameters", true}, {"/fish*.php", "/Fish.PHP", false},
      {"/$", "/", true},                      {"/$", "/a", false},
      {"/a**b", "/axxb", true},               {"*", "/anything", true},
  };
  for (const auto& c : cases) {
    std::string robots = std::string("User-agent: *\nDisallow: ") + c.pattern + "\n";
    EXPECT_EQ(!Allowed(robots, c.path), c.matches) << c.pattern << " vs " << c.path;
  }
}

TEST(RobotsTest, PercentEncodingIsNormalized) {
  // RFC 9309 2.2.2: compare after percent-encoding non-ASCII and unifying case.
  const char* robots = "User-agent: *\nDisallow: /caf%c3%a9\nDisallow: /ö\n";
  EXPECT_FALSE(Allowed(robots, "/caf%C3%A9"));
  EXPECT_FALSE(Allowed(robots, "/café"));
  EXPECT_FALSE(Allowed(robots, "/%C3%B6/x"));
}

// Does the single rule `pattern` match `path`?
bool RuleMatches(std::string_view pattern, std::string_view path) {
  return !Allowed("User-agent: *\nDisallow: " + std::string(pattern) + "\n", path);
}

TEST(RobotsTest, PercentEncodingTableOfRfc9309) {
  // RFC 9309 2.2.2, the table of matching percent-encoded URI components, read both ways:
  // the rule's path and the URL's path match whichever side is encoded.
  struct Case {
    const char* pattern;
    const char* path;
  } cases[] = {
      {"/foo/bar?baz=quz", "/foo/bar?baz=quz"},
      {"/foo/bar/\xE3\x83\x84", "/foo/bar/%E3%83%84"},
      {"/foo/bar/%E3%83%84", "/foo/bar/\xE3\x83\x84"},
      {"/foo/bar/%E3%83%84", "/foo/bar/%E3%83%84"},
      {"/foo/bar/\xE3\x83\x84", "/foo/bar/\xE3\x83\x84"},
      // Hex digits are case-insensitive.
      {"/foo/bar/%e3%83%84", "/foo/bar/%E3%83%84"},
      {"/foo/bar/%E3%83%84", "/foo/bar/%e3%83%84"},
      // An encoded unreserved octet is decoded before comparison, so the table's
      // "/foo/bar/%62%61%7A" is the path "/foo/bar/baz", and the other way round.
      {"/foo/bar/%62%61%7A", "/foo/bar/%62%61%7A"},
      {"/foo/bar/%62%61%7A", "/foo/bar/baz"},
      {"/foo/bar/baz", "/foo/bar/%62%61%7a"},
      {"/%7Euser/", "/~user/notes"},
      {"/~user/", "/%7euser/notes"},
  };
  for (const auto& c : cases) EXPECT_TRUE(RuleMatches(c.pattern, c.path)) << c.pattern << " vs " << c.path;
}

TEST(RobotsTest, EncodedReservedOctetsStayEncoded) {
  // RFC 9309 2.2.2 with RFC 3986 2.2: an encoded reserved character is not the
  // delimiter, so "%2F" is not "/" and "%3F" is not "?", in the rule or the URL.
  EXPECT_FALSE(RuleMatches("/a/b", "/a%2Fb"));
  EXPECT_FALSE(RuleMatches("/a%2Fb", "/a/b"));
  EXPECT_TRUE(RuleMatches("/a%2fb", "/a%2Fb"));
  EXPECT_FALSE(RuleMatches("/a?b", "/a%3Fb"));
  // A wildcard or a literal never matches half of an escape.
  EXPECT_FALSE(RuleMatches("/*F", "/%2F"));
  EXPECT_FALSE(RuleMatches("/%2", "/%2F"));
  EXPECT_TRUE(RuleMatches("/%2", "/%252"));  // a lone "%" is the octet 0x25
  EXPECT_TRUE(RuleMatches("/100%", "/100%25"));
  EXPECT_TRUE(RuleMatches("/a b", "/a%20b"));
  EXPECT_TRUE(RuleMatches("/a%20b", "/a b"));
}

TEST(RobotsTest, EncodedSpecialCharactersMatchLiterally) {
  // RFC 9309 2.2.3: "%2A" and "%24" in a rule are a literal "*" and "$", which
  // match the URL's "*" and "$" written plainly or encoded.
  EXPECT_TRUE(RuleMatches("/path/file-with-a-%2A.html", "/path/file-with-a-*.html"));
  EXPECT_TRUE(RuleMatches("/path/file-with-a-%2a.html", "/path/file-with-a-%2A.html"));
  EXPECT_FALSE(RuleMatches("/path/file-with-a-%2A.html", "/path/file-with-a-x.html"));
  EXPECT_TRUE(RuleMatches("/path/foo-%24", "/path/foo-$"));
  EXPECT_TRUE(RuleMatches("/path/foo-%24", "/path/foo-%24x"));
  EXPECT_FALSE(RuleMatches("/path/foo-%24", "/path/foo-x"));
  // Unescaped, "*" is a wildcard and only a final "$" anchors; an inner "$" is literal.
  EXPECT_TRUE(RuleMatches("/path/file-with-a-*.html", "/path/file-with-a-xyz.html"));
  EXPECT_TRUE(RuleMatches("/a$b", "/a$b/c"));
  EXPECT_TRUE(RuleMatches("/a$b", "/a%24b"));
  EXPECT_FALSE(RuleMatches("/a$", "/a$"));
  EXPECT_TRUE(RuleMatches("/a%24$", "/a$"));
}

TEST(RobotsTest, LongestMatchCountsNormalizedOctets) {
  // RFC 9309 2.2.2: the most specific rule has the most octets, counted on the
  // normalized path, so spelling a rule with escapes does not change its weight.
  const char* robots = "User-agent: *\nAllow: /b\nDisallow: /%62%61%7a\n";
  EXPECT_FALSE(Allowed(robots, "/baz/1"));
  // "/baz" (4 octets) loses to "/ba*z" (5) however it is written.
  EXPECT_TRUE(Allowed("User-agent: *\nDisallow: /%62%61%7A\nAllow: /ba*z\n", "/baz"));
  // Equivalent spellings tie, and allow wins the tie.
  EXPECT_TRUE(Allowed("User-agent: *\nDisallow: /café\nAllow: /caf%C3%A9\n", "/caf%c3%a9"));
  EXPECT_TRUE(Allowed("User-agent: *\nDisallow: /%62az\nAllow: /baz\n", "/baz"));
}

TEST(RobotsTest, HostilePatternsMatchInLinearTime) {
  // A rule of many wildcards against a long path costs O(rule + path), not
  // their product (which was seconds for these sizes).
  std::string pattern = "/";
  for (int i = 0; i < 5000; ++i) pattern += "*a";
  std::string robots = "User-agent: *\nDisallow: " + pattern + "b\nDisallow: " + pattern + "$\n";
  std::string path = "/" + std::string(100000, 'a');
  Robots r = Robots::Parse(robots, "jobtrawl");
  EXPECT_FALSE(r.Check(path).allowed);
  EXPECT_FALSE(r.Check(path + "b").allowed);
  EXPECT_TRUE(r.Check(path + "c").allowed);
  EXPECT_FALSE(r.Check("/" + std::string(5000, 'a')).allowed);
  EXPECT_TRUE(r.Check("/" + std::string(4999, 'a')).allowed);
}

TEST(RobotsTest, IgnoresWhatIsNotARule) {
  // Empty Disallow, rules before any group, comments, CRLF, a BOM and junk lines.
  EXPECT_TRUE(Allowed("User-agent: *\nDisallow:\n", "/anything"));
  EXPECT_TRUE(Allowed("Disallow: /\nUser-agent: *\nAllow: /\n", "/x"));
  EXPECT_FALSE(Allowed("\xEF\xBB\xBFUser-agent: * # all\r\nDisallow: /x # no\r\n", "/x"));
  EXPECT_TRUE(Allowed("<html>not robots</html>\n{\"a\":1}\n", "/x"));
  EXPECT_FALSE(Allowed("User-agent: *\nDissallow: /x\n", "/x"));  // common misspelling
  EXPECT_TRUE(Allowed("User-agent: *\nDisallow: /\n", "/robots.txt"));
  EXPECT_TRUE(Allowed("", "/x"));
}

TEST(RobotsTest, ReadsOnlyTheFirst500KiB) {
  // RFC 9309 2.5: at least 500 KiB parsed; we stop there.
  std::string robots = "User-agent: *\nDisallow: /early\n";
  robots += std::string(600 * 1024, '#') + "\nDisallow: /late\n";
  EXPECT_FALSE(Allowed(robots, "/early"));
  EXPECT_TRUE(Allowed(robots, "/late"));
}

TEST(RobotsTest, ReportsTheDecidingLineAndCrawlDelay) {
  Robots r = Robots::Parse("# comment\nUser-agent: *\nCrawl-delay: 2.5\nDisallow: /a\nSitemap: https://a.example/s.xml\n", "jobtrawl");
  RobotsDecision d = r.Check("/a/b");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.line, 4);
  EXPECT_EQ(d.rule, "Disallow: /a");
  EXPECT_EQ(r.Check("/b").line, 0);
  ASSERT_TRUE(r.crawl_delay());
  EXPECT_EQ(r.crawl_delay()->count(), 2500);
  EXPECT_EQ(r.sitemaps(), std::vector<std::string>{"https://a.example/s.xml"});
}

TEST(RobotsTest, UnavailableRobotsMeansAllOrNothing) {
  // RFC 9309 2.3.1.3/2.3.1.4: 4xx allows everything; 5xx or unreachable disallows all.
  EXPECT_TRUE(Robots::AllowAll("robots.txt: HTTP 404").Check("/x").allowed);
  RobotsDecision d = Robots::DisallowAll("robots.txt: HTTP 503").Check("/x");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.rule, "robots.txt: HTTP 503");
}

TEST(RobotsTest, UrlHelpers) {
  EXPECT_EQ(ProductToken("jobtrawl/0.1 (+https://example.org/bot)"), "jobtrawl");
  EXPECT_EQ(ProductToken("Mozilla/5.0"), "mozilla");
  EXPECT_EQ(RobotsPath("https://a.example"), "/");
  EXPECT_EQ(RobotsPath("https://a.example/jobs?page=2#x"), "/jobs?page=2");
  EXPECT_EQ(RobotsPath("https://a.example?q=1"), "/?q=1");
  EXPECT_EQ(RobotsUrl("https://a.example:8443/jobs/1?x"), "https://a.example:8443/robots.txt");
  // The path the server is asked for: dot segments removed (RFC 3986 §5.2.4).
  EXPECT_EQ(RobotsPath("https://a.example/allowed/../private/x?q=/../y"), "/private/x?q=/../y");
  EXPECT_EQ(RobotsPath("https://a.example/../../private"), "/private");
  EXPECT_EQ(RobotsPath("/allowed/%2E%2E/private"), "/private");
  EXPECT_EQ(RobotsUrl("HTTPS://A.example/x/../y"), "https://a.example/robots.txt");
}

TEST(RobotsTest, AUrlWrittenWithCharactersAUriCannotHoldIsCheckedByItsPath) {
  // RFC 9309 2.2.2's table from the URL side: "https://x/foo/bar/ツ" (an IRI,
  // as `jobtrawl robots` is given it) has the path "/foo/bar/ツ", which
  // "/foo/bar/%E3%83%84" matches; it was read as the path
  // "/https://x/foo/bar/ツ", which nothing matched.
  EXPECT_EQ(RobotsPath("https://x.example/foo/bar/\xE3\x83\x84"), "/foo/bar/%E3%83%84");
  EXPECT_EQ(RobotsPath("https://x.example/q?x=a b#f"), "/q?x=a%20b");
  EXPECT_EQ(RobotsPath("HTTPS://X.example/a/../foo bar"), "/foo%20bar");
  EXPECT_EQ(RobotsPath("/foo/bar/\xE3\x83\x84"), "/foo/bar/%E3%83%84");
  const std::string robots = "User-agent: *\nDisallow: /foo/bar/%E3%83%84\nDisallow: /q?x=a%20b\n";
  const Robots r = Robots::Parse(robots, "jobtrawl");
  EXPECT_FALSE(r.Check(RobotsPath("https://x.example/foo/bar/\xE3\x83\x84")).allowed);
  EXPECT_FALSE(r.Check(RobotsPath("https://x.example/q?x=a b")).allowed);
  EXPECT_TRUE(r.Check(RobotsPath("https://x.example/foo/baz/\xE3\x83\x84")).allowed);
}

}  // namespace
}  // namespace jobtrawl::crawler
