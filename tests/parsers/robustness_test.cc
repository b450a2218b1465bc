// Bad input never crashes a parser: seeded random damage to real pages.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "parsers/extractor.h"
#include "parsers/html_text.h"
#include "parsers/lenient_json.h"
#include "parsers/url.h"
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
  // Most damage leaves the structured data readable: the parsers degrade, not give up.
  EXPECT_GT(postings, 200);
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
