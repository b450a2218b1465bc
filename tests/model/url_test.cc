#include "model/url.h"

#include <gtest/gtest.h>

namespace jobtrawl {
namespace {

TEST(CanonicalUrlTest, NormalizesAsDesignDescribes) {
  // DESIGN.md dedup model: one URL, one listing, however it was written.
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"HTTPS://Jobs.Example.COM/a", "https://jobs.example.com/a"},
      {"https://jobs.example.com:443/a", "https://jobs.example.com/a"},
      {"http://jobs.example.com:80/a", "http://jobs.example.com/a"},
      {"http://jobs.example.com:8080/a", "http://jobs.example.com:8080/a"},
      {"https://jobs.example.com", "https://jobs.example.com/"},
      {"https://jobs.example.com/a#apply", "https://jobs.example.com/a"},
      {"https://jobs.example.com/a/./b/../c", "https://jobs.example.com/a/c"},
      {"https://jobs.example.com/a?utm_source=x&id=7&UTM_Medium=y", "https://jobs.example.com/a?id=7"},
      {"https://jobs.example.com/a?gclid=1&fbclid=2&ref=feed", "https://jobs.example.com/a"},
      {"https://jobs.example.com/a?b=2&a=1&b=1", "https://jobs.example.com/a?a=1&b=2&b=1"},
      {"https://jobs.example.com/%7Ejobs", "https://jobs.example.com/~jobs"},
      {"https://jobs.example.com/a?flag", "https://jobs.example.com/a?flag"},
      {"file:///srv/board/index.html", "file:///srv/board/index.html"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CanonicalUrl(c.in).value_or("<none>"), c.out) << c.in;
  }
}

TEST(CanonicalUrlTest, RejectsRelativeAndMalformed) {
  for (const char* in : {"/jobs/1", "jobs", "", "http://exa mple.com/"}) {
    EXPECT_FALSE(CanonicalUrl(in).has_value()) << in;
  }
}

TEST(CanonicalUrlTest, APortFollowedByOtherCharactersIsNoUrl) {
  // Found by fuzzing (fuzz/regressions/url): Boost.URL read "a:443x/" as port
  // 443 and path "x/", and dropping the default port gave "https://ax/".
  for (const char* in : {"https://a.example:443x/", "http://a.example:80a", "https://j&ref:443d"}) {
    EXPECT_FALSE(CanonicalUrl(in).has_value()) << in;
    EXPECT_FALSE(ResolveUrl(in, "/jobs/1").has_value()) << in;
  }
  EXPECT_EQ(CanonicalUrl("https://a.example:8443/x"), "https://a.example:8443/x");
}

TEST(CanonicalUrlTest, AnAmpersandInTheFragmentIsNoParameter) {
  // Found by fuzzing (fuzz/regressions/url): Boost.URL 1.81 miscounts the
  // parameters of an empty query followed by a fragment; iterating them
  // read past the end of the URL.
  EXPECT_EQ(CanonicalUrl("http://a.example/?#&/x&y"), "http://a.example/?");
  EXPECT_EQ(CanonicalUrl("t:?#"), "t:?");
  EXPECT_EQ(CanonicalUrl("http://a.example/?b=1&utm_source=x#&a=2"), "http://a.example/?b=1");
  EXPECT_EQ(CanonicalUrl("http://a.example/?utm%5Fsource=x&b"), "http://a.example/?b");
}

TEST(CanonicalUrlTest, ADoubleSlashPathWithoutAuthorityStaysAPath) {
  // Found by fuzzing (fuzz/regressions/url): removing the dot segment of
  // "h:.///" left "h://", which reads back as an empty authority; a canonical
  // URL must be its own canonical form.
  for (const char* in : {"h:.///", "h:.////x", "h:/.//x"}) {
    auto canonical = CanonicalUrl(in);
    ASSERT_TRUE(canonical) << in;
    EXPECT_EQ(CanonicalUrl(*canonical), canonical) << in;
  }
  EXPECT_EQ(CanonicalUrl("h:.///"), "h:/.//");
}

TEST(CanonicalUrlTest, DotSegmentsOfARootlessPathAreAllRemoved) {
  // Found by fuzzing (fuzz/regressions/url): one pass of Boost.URL's
  // normalize() left "h:." of "h:b/../.", and the next pass gave "h:".
  EXPECT_EQ(CanonicalUrl("h:b/../."), "h:");
  EXPECT_EQ(CanonicalUrl("h:./."), "h:");
}

TEST(ResolveUrlTest, ResolvesReferencesPerRfc3986) {
  // RFC 3986 section 5.4 examples, plus whitespace and spaces as browsers accept.
  const char* base = "http://a/b/c/d;p?q";
  struct Case {
    const char* ref;
    const char* out;
  } cases[] = {
      {"g", "http://a/b/c/g"},       {"./g", "http://a/b/c/g"},   {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},          {"//g", "http://g"},         {"?y", "http://a/b/c/d;p?y"},
      {"#s", "http://a/b/c/d;p?q#s"}, {"../g", "http://a/b/g"},   {"../../g", "http://a/g"},
      {"  g  ", "http://a/b/c/g"},   {"https://x/y", "https://x/y"},
      {"a b", "http://a/b/c/a%20b"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ResolveUrl(base, c.ref).value_or("<none>"), c.out) << c.ref;
  }
  EXPECT_EQ(ResolveUrl("file:///srv/board/index.html", "jobs/1.html").value_or(""),
            "file:///srv/board/jobs/1.html");
  EXPECT_FALSE(ResolveUrl("not absolute", "g").has_value());
}

TEST(ResolveUrlTest, CharactersAURICannotHoldAreEncodedInTheirOwnComponent) {
  // RFC 3986 §2.1 and §3: an href with a space, a backslash or a line break
  // is no URI reference; it is read as a browser reads it (WHATWG URL: tab
  // and newline removed, a backslash a "/" in http(s), the rest percent-encoded in
  // the path, query or fragment it stands in), never with its "?" and "#"
  // encoded into the path, which names another page.
  const char* base = "https://careers.example.org/a/b/c";
  struct Case {
    const char* ref;
    const char* out;
  } cases[] = {
      {"/jobs/search?q=senior engineer&page=2", "https://careers.example.org/jobs/search?q=senior%20engineer&page=2"},
      {"/jobs/1 2#top", "https://careers.example.org/jobs/1%202#top"},
      {"/jobs/12?x=a b#frag ment", "https://careers.example.org/jobs/12?x=a%20b#frag%20ment"},
      {"?city=Z\xC3\xBCrich&q=a b", "https://careers.example.org/a/b/c?city=Z%C3%BCrich&q=a%20b"},
      {"\\jobs\\10", "https://careers.example.org/jobs/10"},
      {"jobs\\11?a=b\\c", "https://careers.example.org/a/b/jobs/11?a=b%5Cc"},
      {"/jobs/\n13", "https://careers.example.org/jobs/13"},
      {"/jobs/14\t?q=\r\n1", "https://careers.example.org/jobs/14?q=1"},
      {"/jobs/15?q=100%", "https://careers.example.org/jobs/15?q=100%25"},
      {"/jobs/16?q=%41 b", "https://careers.example.org/jobs/16?q=%41%20b"},
      {"/jobs/{id} x/../17", "https://careers.example.org/jobs/17"},
      {"https://other.example.org/jobs/18 x?y=1 2", "https://other.example.org/jobs/18%20x?y=1%202"},
      {"//other.example.org/jobs/19 x", "https://other.example.org/jobs/19%20x"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ResolveUrl(base, c.ref).value_or("<none>"), c.out) << c.ref;
  }
  EXPECT_EQ(CanonicalUrl(ResolveUrl(base, "/jobs/search?utm_source=x y&q=senior engineer#apply").value_or("")),
            "https://careers.example.org/jobs/search?q=senior%20engineer");
}

TEST(ResolveUrlTest, AbnormalExamplesOfRfc3986) {
  // RFC 3986 §5.4.2: ".." above the root is dropped, and names that only
  // look like dot segments are kept.
  const char* base = "http://a/b/c/d;p?q";
  struct Case {
    const char* ref;
    const char* out;
  } cases[] = {
      {"../../../g", "http://a/g"},      {"../../../../g", "http://a/g"},
      {"/./g", "http://a/g"},            {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."},         {".g", "http://a/b/c/.g"},
      {"g..", "http://a/b/c/g.."},       {"..g", "http://a/b/c/..g"},
      {"./../g", "http://a/b/g"},        {"./g/.", "http://a/b/c/g/"},
      {"g/./h", "http://a/b/c/g/h"},     {"g/../h", "http://a/b/c/h"},
      {"g;x=1/./y", "http://a/b/c/g;x=1/y"}, {"g;x=1/../y", "http://a/b/c/y"},
      {"g?y/./x", "http://a/b/c/g?y/./x"}, {"g#s/../x", "http://a/b/c/g#s/../x"},
      {"http://a/../../x", "http://a/x"},  // an absolute reference is cleaned too
      {"/%2e%2E/x", "http://a/x"},       {"/a/.%2e/x", "http://a/x"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ResolveUrl(base, c.ref).value_or("<none>"), c.out) << c.ref;
  }
}

TEST(ResolveUrlTest, FieldCaseDotSegmentsAboveTheRoot) {
  // Field case 16: links of a page at the root that climb above it.
  const char* base = "https://careers.example.org/";
  EXPECT_EQ(ResolveUrl(base, "../jobs/"), "https://careers.example.org/jobs/");
  EXPECT_EQ(ResolveUrl(base, "../../jobs/engineering.html"), "https://careers.example.org/jobs/engineering.html");
  EXPECT_EQ(ResolveUrl(base, "./../jobs/1234-backend-engineer.html"),
            "https://careers.example.org/jobs/1234-backend-engineer.html");
  EXPECT_EQ(CanonicalUrl("https://careers.example.org/../jobs/"), "https://careers.example.org/jobs/");
  EXPECT_EQ(CanonicalUrl("https://careers.example.org/a/../../../jobs/?x=1#f"),
            "https://careers.example.org/jobs/?x=1");
}

TEST(CanonicalUrlTest, ARootLeftByDotSegmentsIsWrittenPlain) {
  // Found by fuzzing (fuzz/regressions/url): Boost.URL 1.81's
  // set_encoded_path() wrote "/" as "/./" and "//x" as "/.//x" after an
  // authority, so "https://a/.." was not canonical in one step.
  EXPECT_EQ(CanonicalUrl("H0Ttps://Ua/.."), "h0ttps://ua/");
  EXPECT_EQ(CanonicalUrl("https://ua/.."), "https://ua/");
  EXPECT_EQ(CanonicalUrl("https://ua/..//x?q#f"), "https://ua//x?q");
  EXPECT_EQ(ResolveUrl("http://a/b/", "/.."), "http://a/");
  EXPECT_EQ(ResolveUrl("http://a/b/", "/..//x?q#f"), "http://a//x?q#f");
  EXPECT_EQ(CanonicalUrl("h:/a/../..//x"), "h:/.//x");  // no authority: "//x" stays a path
  for (const char* in : {"H0Ttps://Ua/..", "https://ua/..//x", "https://ua/%2e%2e", "h:/a/../..//x"}) {
    auto canonical = CanonicalUrl(in);
    ASSERT_TRUE(canonical) << in;
    EXPECT_EQ(CanonicalUrl(*canonical), canonical) << in;
  }
}

TEST(RemoveDotSegmentsTest, FollowsRfc3986Section524) {
  // RFC 3986 §5.2.4, including its two worked examples.
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"/a/b/c/./../../g", "/a/g"}, {"/..", "/"},       {"/../", "/"},       {"/.", "/"},
      {"/a/..", "/"},               {"/a/b/..", "/a/"}, {"/a/.", "/a/"},     {"/a//../b", "/a/b"},
      {"/a//b", "/a//b"},           {"/", "/"},         {"/a/b", "/a/b"},    {"/%2E%2e/a", "/a"},
      {"mid/content=5/../6", "mid/content=5/../6"},  // not absolute: unchanged
  };
  for (const auto& c : cases) EXPECT_EQ(RemoveDotSegments(c.in), c.out) << c.in;
}

TEST(SplitUrlTest, PartsOfAnAbsoluteUrl) {
  // The crawler's politeness key and robots.txt path come from these parts.
  auto p = SplitUrl("HTTPS://Jobs.Example.COM:8443/a/../b/./c?x=1&y#frag");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->scheme, "https");
  EXPECT_EQ(p->host, "jobs.example.com");
  EXPECT_EQ(p->port, "8443");
  EXPECT_EQ(p->path, "/b/c");
  EXPECT_EQ(p->query, "x=1&y");
  EXPECT_EQ(Origin(*p), "https://jobs.example.com:8443");
  auto bare = SplitUrl("http://127.0.0.1");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->path, "/");
  EXPECT_EQ(bare->query, std::nullopt);
  EXPECT_EQ(Origin(*bare), "http://127.0.0.1");
  EXPECT_EQ(SplitUrl("http://[::1]:80/x")->host, "[::1]");
  EXPECT_EQ(SplitUrl("http://a/?")->query, "");
  for (const char* in : {"/jobs", "mailto:a@b.example", "", "https://a:443x/"}) {
    EXPECT_FALSE(SplitUrl(in)) << in;
  }
}

TEST(SameOriginTest, SchemeHostAndEffectivePortPerRfc6454) {
  // RFC 6454 §4-5: an origin is (scheme, host, port) with the scheme's
  // default port when none is written; hosts compare without case. A
  // source's headers (API keys) go only to their own origin, so another
  // port or scheme of the same host is another origin.
  EXPECT_TRUE(SameOrigin("https://data.usajobs.gov/api/search", "https://DATA.usajobs.gov:443/api/search?Page=2"));
  EXPECT_TRUE(SameOrigin("http://127.0.0.1:80/a", "http://127.0.0.1/b"));
  EXPECT_TRUE(SameOrigin("http://127.0.0.1:8080/a", "HTTP://127.0.0.1:8080/b"));
  EXPECT_TRUE(SameOrigin("http://[::1]/a", "http://[::1]:80/b"));
  EXPECT_TRUE(SameOrigin("http://127.0.0.1:0080/a", "http://127.0.0.1/b"));
  EXPECT_FALSE(SameOrigin("https://data.usajobs.gov/", "http://data.usajobs.gov/"));
  EXPECT_FALSE(SameOrigin("https://data.usajobs.gov/", "https://data.usajobs.gov:8443/"));
  EXPECT_FALSE(SameOrigin("http://127.0.0.1:80/", "http://127.0.0.1:443/"));
  EXPECT_FALSE(SameOrigin("http://127.0.0.1:80/", "https://127.0.0.1:80/"));
  EXPECT_FALSE(SameOrigin("https://data.usajobs.gov/", "https://data.usajobs.gov.evil.example/"));
  EXPECT_FALSE(SameOrigin("https://data.usajobs.gov/", "https://evil.example/?https://data.usajobs.gov/"));
  EXPECT_FALSE(SameOrigin("https://data.usajobs.gov/", "https://data.usajobs.gov@evil.example/"));
  EXPECT_FALSE(SameOrigin("https://a.example/", "/relative"));
  EXPECT_FALSE(SameOrigin("file:///tmp/a", "file:///tmp/a"));
}

}  // namespace
}  // namespace jobtrawl
