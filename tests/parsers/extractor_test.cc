#include "parsers/extractor.h"

#include <gtest/gtest.h>

namespace jobtrawl::parsers {
namespace {

std::vector<std::string> Urls(const std::vector<Link>& links, Link::Role role) {
  std::vector<std::string> out;
  for (const auto& l : links) {
    if (l.role == role) out.push_back(l.url);
  }
  return out;
}

TEST(ExtractorTest, FollowsDetailAndNextLinksByPatternAndRel) {
  // follow.detail / follow.next match anywhere in the absolute URL; rel=next always counts.
  Extractor x({.detail_pattern = "/jobs/[0-9]+", .next_pattern = "[?&]page=[0-9]+"});
  std::string html = R"html(<html><head><link rel="next" href="/board?page=2"></head><body>
    <a href="/jobs/1">One</a> <a href="jobs/2?utm_source=x#top">Two</a>
    <a href="https://jobs.example.com/jobs/1">One again</a>
    <a href="/about">About</a> <a href="mailto:x@y">Mail</a> <a href="javascript:void(0)">JS</a>
    <a href="/board?page=3">3</a> <a rel="nofollow next" href="/later">Later</a>
    <a href="/board?page=1">self</a></body></html>)html";
  auto links = x.FindLinks("https://jobs.example.com/board?page=1", html);
  EXPECT_EQ(Urls(links, Link::Role::kDetail),
            (std::vector<std::string>{"https://jobs.example.com/jobs/1",
                                      "https://jobs.example.com/jobs/2"}));
  EXPECT_EQ(Urls(links, Link::Role::kListing),
            (std::vector<std::string>{"https://jobs.example.com/board?page=2",
                                      "https://jobs.example.com/board?page=3",
                                      "https://jobs.example.com/later"}));
}

TEST(ExtractorTest, BaseHrefIsRespected) {
  // <base href> changes what relative links resolve against.
  Extractor x({.detail_pattern = "/posting/"});
  auto links = x.FindLinks("https://a.example/x/y.html",
                           R"(<base href="https://b.example/careers/"><a href="posting/7">7</a>)");
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].url, "https://b.example/careers/posting/7");
}

TEST(ExtractorTest, DetailPagesYieldPostingsButNoLinks) {
  Extractor x({.detail_pattern = "/jobs/"});
  std::string html = R"(<script type="application/ld+json">{"@type":"JobPosting","title":"T"}</script>
      <a href="/jobs/9">another</a>)";
  auto detail = x.Extract("https://a.example/jobs/1", html, Link::Role::kDetail);
  EXPECT_EQ(detail.postings.size(), 1u);
  EXPECT_TRUE(detail.links.empty());
  auto listing = x.Extract("https://a.example/jobs/1", html, Link::Role::kListing);
  EXPECT_EQ(listing.postings.size(), 1u);
  EXPECT_EQ(listing.links.size(), 1u);
}

TEST(ExtractorTest, HostileMarkupNeverCrashes) {
  // Deep nesting, NUL bytes and truncated tags are ordinary input.
  Extractor x({.detail_pattern = "."});
  std::string deep;
  for (int i = 0; i < 3000; ++i) deep += "<div>";
  deep += "<a href='/jobs/1'>x</a>";
  EXPECT_EQ(x.Extract("https://a.example/", deep, Link::Role::kListing).links.size(), 1u);
  std::string nul("<a href='/j'>\0</a><a href=", 26);
  EXPECT_NO_THROW(x.Extract("https://a.example/", nul, Link::Role::kListing));
  EXPECT_NO_THROW(x.Extract("https://a.example/", "", Link::Role::kListing));
}

}  // namespace
}  // namespace jobtrawl::parsers
