// Bad input never crashes a parser: seeded random damage to real pages.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <gmock/gmock.h>

#include "parsers/extractor.h"
#include "parsers/html_document.h"
#include "parsers/html_text.h"
#include "parsers/lenient_json.h"
#include "model/url.h"
#include "support/corpus.h"

namespace jobtrawl::parsers {
namespace {

// One random edit of the kinds real breakage makes: cut short, bytes
// flipped, markup or JSON punctuation inserted, a stretch duplicated.
std::string Damage(std::string page, std::mt19937& rng) {
  if (page.empty()) return page;
  std::uniform_int_distribution<size_t> pos(0, page.size() - 1);
  static constexpr std::string_view kJunk[] = {"<", ">", "\"", "'", "{", "}", "[", ",", "\\",
                                               "<!--", "</script>", "&#", "&amp", "\xff", "\0"};
  switch (std::uniform_int_distribution<int>(0, 4)(rng)) {
    case 0: page.resize(pos(rng)); break;
    case 1:
      for (int i = 0; i < 8; ++i) page[pos(rng)] = static_cast<char>(rng());
      break;
    case 2:
      for (int i = 0; i < 8; ++i) {
        auto junk = kJunk[std::uniform_int_distribution<size_t>(0, std::size(kJunk) - 1)(rng)];
        page.insert(pos(rng), junk.empty() ? std::string_view("\0", 1) : junk);
      }
      break;
    case 3: {
      size_t at = pos(rng);
      page.insert(at, page.substr(pos(rng), 200));
      break;
    }
    default: page.erase(pos(rng), 64); break;
  }
  return page;
}

TEST(RobustnessTest, DamagedPagesNeverCrashTheExtractor) {
  // Seeded, so a failure replays; the seed is printed with any failure.
  const unsigned seed = 20261127;
  std::mt19937 rng(seed);
  std::vector<std::string> pages;
  for (auto file : {"sample-board/index.html", "sample-board/jobs/1004.html",
                    "sample-board/jobs/1007.html"}) {
    pages.push_back(jobtrawl::testing::ReadFile(std::filesystem::path(JOBTRAWL_SOURCE_DIR) / file));
  }
  std::filesystem::path corpus(JOBTRAWL_CORPUS_DIR);
  for (auto file : {"jsonld/wttj-otta-jsonld-snippet-monzo-greenhouse-product-marketing-lead.html",
                    "listing/remoteok-listing-rows-fragment-2022-09.html"}) {
    // The first 40 KB keep the test fast (Gumbo parses ~15 MB/s) and still
    // hold several postings.
    if (std::filesystem::exists(corpus / file)) {
      pages.push_back(jobtrawl::testing::ReadFile(corpus / file).substr(0, 40000));
    }
  }
  Extractor x({.detail_pattern = "/jobs/", .next_pattern = "page"});
  // What the pages hold undamaged, for the bar below.
  int intact = 0;
  for (const std::string& page : pages) {
    intact += static_cast<int>(x.Extract("https://a.example/jobs/1", page, Link::Role::kDetail).postings.size());
  }
  int postings = 0;
  for (int round = 0; round < 200; ++round) {
    for (const std::string& page : pages) {
      std::string damaged = Damage(page, rng);
      SCOPED_TRACE("seed " + std::to_string(seed) + " round " + std::to_string(round));
      Extracted listing = x.Extract("https://a.example/board/", damaged, Link::Role::kListing);
      Extracted detail = x.Extract("https://a.example/jobs/1", damaged, Link::Role::kDetail);
      EXPECT_EQ(listing.postings.size(), detail.postings.size());
      postings += static_cast<int>(detail.postings.size());
      HtmlToText(damaged);
      ParseLenientJson(damaged);
    }
  }
  // Damage that misses the structured data leaves it readable: the parsers
  // degrade, not give up. (The sample pages are mostly JSON-LD, so random
  // damage hits it often; a fifth of the undamaged yield is the bar.)
  EXPECT_GT(postings, intact * 200 / 5) << "undamaged pages hold " << intact << " postings";
}

TEST(RobustnessTest, DamagedFeedsApiResponsesAndMarkupNeverCrashTheirReaders) {
  // Every kind's reader on truncated and mutated corpus inputs: it returns
  // what it could read and counts what it could not, never crashes or hangs.
  struct Input {
    SourceKind kind;
    const char* file;
  } inputs[] = {
      {SourceKind::kRss, "feed/weworkremotely-remote-programming-jobs-2022-11.rss"},
      {SourceKind::kXmlFeed, "feed/recruityard-indeed-style-xml-feed-2025-10.xml"},
      {SourceKind::kGreenhouse, "api/greenhouse-boards-api-jobs-content-algolia-2026-08-trimmed.json"},
      {SourceKind::kLever, "api/lever-postings-api-spotify-2026-trimmed.json"},
      {SourceKind::kAshby, "api/ashby-posting-api-airbyte-compensation-2026-trimmed.json"},
      {SourceKind::kWorkable, "api/workable-widget-accounts-zego-2026-trimmed.json"},
      {SourceKind::kRemotive, "api/remotive-api-remote-jobs-2026-07.json"},
      {SourceKind::kRemoteOk, "api/remoteok-api-2026-09-trimmed.json"},
      {SourceKind::kHtml, "schemaorg-examples/schemaorg-examples-eg-0028-JobPosting.txt"},
  };
  const unsigned seed = 20261128;
  std::mt19937 rng(seed);
  int read = 0, inputs_seen = 0;
  for (const Input& in : inputs) {
    std::string original = jobtrawl::testing::ReadCorpus(in.file).substr(0, 60000);
    if (original.empty()) continue;
    ++inputs_seen;
    Extractor x({.kind = in.kind});
    for (int round = 0; round < 60; ++round) {
      SCOPED_TRACE(std::string(in.file) + " seed " + std::to_string(seed) + " round " + std::to_string(round));
      std::string damaged = Damage(original, rng);
      Extracted out = x.Extract("https://a.example/feed", damaged, Link::Role::kListing);
      read += out.postings.empty() ? 0 : 1;
      for (const Posting& p : out.postings) EXPECT_TRUE(p.title.has_value());
    }
    // A sitemap reader on the same bytes: not a sitemap, no crash.
    Extracted as_sitemap = Extractor({.kind = SourceKind::kSitemap}).Extract("https://a.example/s.xml", original, Link::Role::kListing);
    EXPECT_TRUE(as_sitemap.postings.empty());
  }
  if (inputs_seen == 0) GTEST_SKIP() << "corpus not present at " << JOBTRAWL_CORPUS_DIR;
  EXPECT_GT(read, inputs_seen * 10);  // damage degrades reading, it does not end it
}

TEST(RobustnessTest, HugeAndDeepPagesAreCutWithAWarning) {
  Extractor x({.detail_pattern = "/jobs/"});
  // 9 MB of rows: the tree is built from the first 8 MiB, and the page says so.
  std::string rows;
  while (rows.size() < 9'000'000) rows += "<div class=\"row\"><a href=\"/jobs/1\">Job</a></div>\n";
  Extracted big = x.Extract("https://a.example/", rows, Link::Role::kListing);
  EXPECT_EQ(big.links.size(), 1u);
  ASSERT_FALSE(big.warnings.empty());
  EXPECT_THAT(big.warnings[0], ::testing::HasSubstr("only the first 8388608 were parsed"));
  // Markup nested 200,000 deep: bounded, so it parses in linear time.
  std::string deep(200000 * 6, ' ');
  for (size_t i = 0; i < 200000; ++i) deep.replace(i * 6, 6, "<span>");
  Extracted nested = x.Extract("https://a.example/", deep, Link::Role::kListing);
  EXPECT_EQ(nested.skipped, 1);
  EXPECT_EQ(DepthBoundedPrefix("<div><div></div></div>", 1), 5u);
  EXPECT_EQ(DepthBoundedPrefix("<br><br><img src=x><p><p><li><li>", 1), 33u);  // all of it
  EXPECT_EQ(DepthBoundedPrefix("<script><div><div><div></script><div>", 1), 37u);
}

TEST(RobustnessTest, HostileUrlsAreRejectedNotFatal) {
  for (std::string_view href : {"http://[::1", "http://%zz/", "javascript:alert(1)", "//",
                                "http://a.example:99999999/", "\x01\x02", "http://a b.example/"}) {
    auto r = ResolveUrl("https://a.example/x", href);
    if (r) CanonicalUrl(*r);
  }
  SUCCEED();
}

}  // namespace
}  // namespace jobtrawl::parsers
