#include "parsers/extractor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "support/corpus.h"

namespace jobtrawl::parsers {
namespace {

using jobtrawl::testing::ReadCorpus;

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
  std::string deep = "<a href='/jobs/0'>kept</a>";
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  deep += "<a href='/jobs/1'>past the depth limit</a>";
  // Gumbo is quadratic in depth: what lies deeper than 512 is left out, and said so.
  Extracted out = x.Extract("https://a.example/", deep, Link::Role::kListing);
  ASSERT_EQ(out.links.size(), 1u);
  EXPECT_EQ(out.links[0].url, "https://a.example/jobs/0");
  EXPECT_EQ(out.skipped, 1);
  ASSERT_EQ(out.warnings.size(), 1u);
  EXPECT_THAT(out.warnings[0], ::testing::HasSubstr("nested deeper than 512"));
  // Shallow pages with unclosed <p> and <li> by the thousand are not cut.
  std::string list;
  for (int i = 0; i < 5000; ++i) list += "<li><p>row";
  list += "<a href='/jobs/2'>end</a>";
  EXPECT_EQ(x.Extract("https://a.example/", list, Link::Role::kListing).links.size(), 1u);
  std::string nul("<a href='/j'>\0</a><a href=", 26);
  EXPECT_NO_THROW(x.Extract("https://a.example/", nul, Link::Role::kListing));
  EXPECT_NO_THROW(x.Extract("https://a.example/", "", Link::Role::kListing));
}

TEST(ExtractorFieldsTest, SelectorsFillWhatStructuredDataLacks) {
  // JSON-LD first; selector fields only where it is silent; provenance says which.
  Extractor x({.fields = {{"company", {".nope", ".employer"}},
                          {"location", {".where"}},
                          {"title", {"h1"}},
                          {"apply_url", {"a.apply@href"}}}});
  std::string html = R"(<script type="application/ld+json">{"@type":"JobPosting","title":"From JSON-LD"}</script>
      <h1>From HTML</h1><p class="employer"> Acme <b>GmbH</b> </p><p class="where">Berlin</p>
      <a class="apply" href="/apply?id=7&amp;utm_source=x">Apply</a>)";
  Extracted out = x.Extract("https://a.example/jobs/7", html, Link::Role::kDetail);
  ASSERT_EQ(out.postings.size(), 1u);
  const Posting& p = out.postings[0];
  EXPECT_EQ(p.title, "From JSON-LD");
  EXPECT_EQ(p.company, "Acme GmbH");
  EXPECT_EQ(p.location, "Berlin");
  EXPECT_EQ(p.apply_url, "https://a.example/apply?id=7");
  EXPECT_EQ(p.provenance.at("title"), "json-ld");
  EXPECT_EQ(p.provenance.at("company"), "css:.employer");
  EXPECT_EQ(p.provenance.at("apply_url"), "css:a.apply@href");
}

TEST(ExtractorFieldsTest, PlainPagesNeedOnlySelectors) {
  Extractor x({.fields = {{"title", {"h1.job-title"}}, {"description", {".job-body"}}}});
  Extracted out = x.Extract("https://a.example/j/1",
                            "<h1 class=job-title>Welder</h1><div class=job-body><p>Day shift.</p><ul><li>MIG</li></ul></div>",
                            Link::Role::kDetail);
  ASSERT_EQ(out.postings.size(), 1u);
  EXPECT_EQ(out.postings[0].title, "Welder");
  EXPECT_EQ(out.postings[0].description, "Day shift.\n\n- MIG");
  EXPECT_EQ(out.postings[0].url, "https://a.example/j/1");
  // No title found: no posting, rather than an empty one.
  EXPECT_TRUE(x.Extract("https://a.example/j/2", "<p>nothing</p>", Link::Role::kDetail).postings.empty());
}

TEST(ExtractorFieldsTest, ItemsOnAListingPageAreOnePostingEach) {
  // With `item`, fields are relative to each item; its first link is its URL.
  Extractor x({.fields = {{"title", {".t"}}, {"location", {".l"}}}, .item = "li.job"});
  std::string html = R"(<ul><li class=job><a href="/j/1"><span class=t>One</span></a><span class=l>Oslo</span></li>
      <li class=job><span class=t>Two</span></li><li class=job><span class=t>Three</span></li>
      <li class=job><span class=l>no title</span></li></ul>)";
  Extracted out = x.Extract("https://a.example/board", html, Link::Role::kListing);
  ASSERT_EQ(out.postings.size(), 3u);
  EXPECT_EQ(out.postings[0].url, "https://a.example/j/1");
  EXPECT_EQ(out.postings[0].location, "Oslo");
  // Items without a link of their own still get distinct, stable keys.
  EXPECT_NE(out.postings[1].url, out.postings[2].url);
  EXPECT_TRUE(out.postings[1].url.starts_with("https://a.example/board#job-"));
}

TEST(ExtractorFieldsTest, LinksBySelector) {
  Extractor x({.detail_css = "td.title a", .next_css = "nav .older"});
  auto links = x.FindLinks("https://a.example/list",
                           R"(<table><tr><td class=title><a href="/p/1">1</a></td><td><a href="/x">x</a></td></tr></table>
                              <nav><a class=older href="?page=2">older</a></nav>)");
  EXPECT_EQ(Urls(links, Link::Role::kDetail), std::vector<std::string>{"https://a.example/p/1"});
  EXPECT_EQ(Urls(links, Link::Role::kListing), std::vector<std::string>{"https://a.example/list?page=2"});
}

TEST(ExtractorFieldsCorpusTest, BoardListingsByItem) {
  // Lever and Greenhouse hosted boards list postings without structured data.
  struct Case {
    const char* file;
    const char* page;
    ExtractOptions options;
    size_t count;
    const char* first_title;
    const char* first_location;
    const char* first_url;
  } cases[] = {
      {"listing/lever-jobs-janux-therapeutics.html", "https://jobs.lever.co/januxrx",
       {.fields = {{"title", {"h5[data-qa=posting-name]"}}, {"location", {".location"}},
                   {"url", {"a.posting-title@href"}}, {"employment_type", {".commitment"}}},
        .item = "div.posting"},
       14, "Director, Corporate Strategy and Analytics", "San Diego, CA",
       "https://jobs.lever.co/januxrx/2d3977f1-f207-4c2d-a534-c7e517b66bfb"},
      {"listing/greenhouse-job-boards-mirador-therapeutics.html", "https://job-boards.greenhouse.io/embed/job_board?for=mirador",
       {.fields = {{"title", {"p.body--medium"}}, {"location", {"p.body--metadata"}}}, .item = "tr.job-post"},
       8, nullptr, "San Diego, CA", nullptr},
  };
  for (auto& c : cases) {
    std::string html = ReadCorpus(c.file);
    if (html.empty()) GTEST_SKIP() << "corpus not present at " << JOBTRAWL_CORPUS_DIR;
    Extractor x(c.options);
    Extracted out = x.Extract(c.page, html, Link::Role::kListing);
    ASSERT_EQ(out.postings.size(), c.count) << c.file;
    const Posting& p = out.postings[0];
    if (c.first_title) {
      EXPECT_EQ(p.title, c.first_title);
    }
    EXPECT_EQ(p.location, c.first_location) << c.file;
    if (c.first_url) {
      EXPECT_EQ(p.url, c.first_url);
    }
    std::set<std::string> urls;
    for (const auto& q : out.postings) urls.insert(q.url);
    EXPECT_EQ(urls.size(), c.count) << c.file;  // each its own listing
  }
}

}  // namespace
}  // namespace jobtrawl::parsers

namespace jobtrawl::parsers {
namespace {

TEST(ExtractorFieldsTest, LabelsInTheirOwnElementAreDroppedFromValues) {
  // "Label: value" rows, as many job pages list their facts.
  Extractor x({.fields = {{"title", {"h1"}},
                          {"company", {"li.school"}},
                          {"location", {"li.where"}},
                          {"salary", {"li.pay"}}}});
  Extracted out = x.Extract("https://a.example/jobs/1", R"(<h1>Teacher</h1><ul>
      <li class="school"><i class="icon"></i><strong>School:</strong><br>Ward Jackson Primary</li>
      <li class="where"><b>Location:</b> Darlington</li>
      <li class="pay">Salary: Main Scale</li></ul>)", Link::Role::kDetail);
  ASSERT_EQ(out.postings.size(), 1u);
  EXPECT_EQ(out.postings[0].company, "Ward Jackson Primary");
  EXPECT_EQ(out.postings[0].location, "Darlington");
  EXPECT_EQ(out.postings[0].salary_text, "Salary: Main Scale");  // no label element: kept as written
  // `item` reads listing pages; a detail page of the same source is read whole.
  Extractor items({.fields = {{"title", {"h1", "h3"}}}, .item = "div.row"});
  EXPECT_EQ(items.Extract("https://a.example/jobs/2", "<h1>Welder</h1>", Link::Role::kDetail).postings.size(), 1u);
  EXPECT_EQ(items.Extract("https://a.example/list", "<div class=row><h3>A</h3></div><div class=row><h3>B</h3></div>",
                          Link::Role::kListing)
                .postings.size(),
            2u);
}

}  // namespace
}  // namespace jobtrawl::parsers
