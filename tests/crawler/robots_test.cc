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
}

}  // namespace
}  // namespace jobtrawl::crawler
