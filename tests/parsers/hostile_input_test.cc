// Hostile content through the real extraction paths: gigantic attributes,
// deep nesting, XML entity tricks, huge numbers, and pages that take too
// long. Each case must end, without a crash, with a bounded result.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

#include "parsers/extractor.h"
#include "parsers/feed.h"
#include "parsers/html_document.h"
#include "parsers/html_text.h"
#include "parsers/json_ld.h"
#include "parsers/lenient_json.h"
#include "parsers/selector.h"

namespace jobtrawl::parsers {
namespace {

using ::testing::HasSubstr;

std::string Repeat(std::string_view unit, std::size_t n) {
  std::string out;
  out.reserve(unit.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += unit;
  return out;
}

std::size_t TextBytes(const Extracted& x) {
  std::size_t n = 0;
  for (const Posting& p : x.postings) {
    for (const auto* f : {&p.title, &p.company, &p.location, &p.description, &p.description_markdown,
                          &p.apply_url, &p.salary_text}) {
      n += f->value_or("").size();
    }
    n += p.url.size();
  }
  for (const Link& l : x.links) n += l.url.size();
  return n;
}

constexpr const char* kJsonLdPosting =
    R"(<script type="application/ld+json">{"@type":"JobPosting","title":"Engineer","hiringOrganization":"Acme"}</script>)";

TEST(HostileInputTest, GiganticAttributeGivesABoundedResult) {
  // A 50 MB attribute value, in the tree and in a JSON-LD script tag, goes
  // through Extract as a listing page with selector fields: the tree is cut
  // at 8 MiB (with a warning) and nothing grows past the input.
  const std::string huge(50'000'000, 'a');
  Extractor x({.detail_pattern = "/jobs/",
               .fields = {{"title", {"h1@data-x", "h1"}}, {"description", {"div.body"}}},
               .item = "article"});
  const std::string pages[] = {
      "<html><body><article><h1 data-x=\"" + huge + "\">T</h1><a href=\"/jobs/1\">j</a></article>",
      "<html><body><article><h1>T</h1><a href=\"/jobs/" + huge + "\">j</a></article>",
      "<html><head><script type=\"application/ld+json\" data-x=\"" + huge +
          R"(">{"@type":"JobPosting","title":"Engineer"}</script></head><body><a href="/jobs/1">j</a>)",
  };
  for (const std::string& page : pages) {
    Extracted out = x.Extract("https://a.example/", page, Link::Role::kListing);
    EXPECT_LE(TextBytes(out), page.size());
    EXPECT_FALSE(out.too_slow);
  }
  // The first page is cut where the tree would exceed 8 MiB.
  Extracted cut = x.Extract("https://a.example/", pages[0], Link::Role::kListing);
  ASSERT_FALSE(cut.warnings.empty());
  EXPECT_THAT(cut.warnings[0], HasSubstr("only the first 8388608 were parsed"));
}

TEST(HostileInputTest, DeepNestingNeverOverflowsTheStack) {
  // 100,000 levels of nesting in every format a parser walks: HTML (tree,
  // text, Markdown, selectors), JSON-LD and lenient JSON, microdata, XML
  // feeds and sitemaps. Recursive walks are capped; the rest are loops.
  constexpr std::size_t kDeep = 100'000;
  Extractor html({.detail_pattern = "/jobs/", .fields = {{"title", {"h1"}}}, .item = "div div span"});
  struct Case {
    const char* name;
    std::string body;
  } cases[] = {
      {"html", Repeat("<div>", kDeep) + "<h1>T</h1>"},
      {"html-lists", Repeat("<ul><li>x", kDeep)},
      {"json-ld-arrays", "<script type=\"application/ld+json\">" + Repeat("[", kDeep) + "</script>"},
      {"json-ld-objects", "<script type=\"application/ld+json\">" + Repeat("{\"a\":", kDeep) + "</script>"},
      {"json-ld-js-literal", "<script type=\"application/ld+json\">" + Repeat("{a:[", kDeep) + "</script>"},
      {"microdata", "<p>JobPosting</p>" + Repeat("<div itemscope itemtype=\"https://schema.org/JobPosting\" itemprop=\"x\">", kDeep)},
  };
  for (const Case& c : cases) {
    for (Link::Role role : {Link::Role::kListing, Link::Role::kDetail}) {
      Extracted out = html.Extract("https://a.example/", c.body, role);
      EXPECT_LE(TextBytes(out), c.body.size()) << c.name;
    }
    // Markdown indentation stops deepening, so the output stays linear.
    EXPECT_LE(HtmlToMarkdown(c.body).size(), 40 * c.body.size()) << c.name;
    EXPECT_LE(HtmlToText(c.body).size(), 4 * c.body.size()) << c.name;
  }
  EXPECT_FALSE(ParseLenientJson(Repeat("[", kDeep) + Repeat("]", kDeep)).has_value());
  EXPECT_FALSE(ParseLenientJson(Repeat("{a:", kDeep)).has_value());
  EXPECT_TRUE(ParseLenientJson(Repeat("[", 100) + Repeat("]", 100)).has_value());

  // A selector over a tree deeper than HtmlDocument allows (Gumbo direct).
  const std::string deep = Repeat("<div>", 5'000) + "<span>x</span>";
  GumboOutput* tree = gumbo_parse(deep.c_str());
  auto s = Selector::Parse("div > div span");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->SelectAll(*tree->document).size(), 1u);
  EXPECT_EQ(ElementText(*tree->root), "");  // text collection stops 512 levels down
  gumbo_destroy_output(&kGumboDefaultOptions, tree);

  for (SourceKind kind : {SourceKind::kRss, SourceKind::kXmlFeed, SourceKind::kSitemap}) {
    Extractor feed({.kind = kind});
    const std::string body = "<rss><channel><item><title>T</title>" + Repeat("<a>", kDeep) + "x" +
                             Repeat("</a>", kDeep) + "</item></channel></rss>";
    const std::string sitemap = "<urlset>" + Repeat("<url>", kDeep) + "<loc>https://a.example/1</loc>";
    for (const std::string* b : {&body, &sitemap}) {
      Extracted out = feed.Extract("https://a.example/feed", *b, Link::Role::kListing);
      EXPECT_LE(TextBytes(out), b->size());
    }
  }
}

TEST(HostileInputTest, XmlEntitiesAreNeitherExpandedNorFetched) {
  // Billion laughs and external entities in feeds and sitemaps: pugixml
  // reads no DTD, so no entity is defined, expanded or read from a file.
  const std::string dtd = R"(<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;
]>)";
  const std::string feed = dtd + R"(<rss><channel><item><title>Job &lol9;</title>
<description>&xxe;</description><link>https://a.example/jobs/1</link></item></channel></rss>)";
  const std::string sitemap = dtd + R"(<urlset><url><loc>https://a.example/&xxe;</loc></url>
<url><loc>https://a.example/&lol9;</loc></url></urlset>)";
  Extracted f = Extractor({.kind = SourceKind::kRss}).Extract("https://a.example/feed", feed, Link::Role::kListing);
  ASSERT_EQ(f.postings.size(), 1u);
  EXPECT_LT(f.postings[0].title->size(), 64u);
  EXPECT_THAT(f.postings[0].description.value_or(""), ::testing::Not(HasSubstr("root:")));
  Extracted s = Extractor({.kind = SourceKind::kSitemap}).Extract("https://a.example/sitemap.xml", sitemap,
                                                                  Link::Role::kListing);
  for (const Link& l : s.links) {
    EXPECT_LT(l.url.size(), 64u) << l.url;
    EXPECT_THAT(l.url, ::testing::Not(HasSubstr("root")));
  }
}

TEST(HostileInputTest, HugeJsonNumbersGiveNoInfiniteOrAbsurdValue) {
  // 1e400, 400-digit integers, -0 and NaN as salaries in JSON-LD and in a
  // board API: an amount is finite or absent (normalize drops the absurd).
  const std::string digits(400, '9');
  for (const std::string& number : {std::string("1e400"), digits, "-" + digits, std::string("-0"),
                                    std::string("\"NaN\""), std::string("NaN"), std::string("1e-400"),
                                    "\"" + digits + "\"", std::string("\"1e400\"")}) {
    const std::string ld = R"(<script type="application/ld+json">{"@type":"JobPosting","title":"T",
"baseSalary":{"@type":"MonetaryAmount","currency":"USD","value":{"minValue":)" + number +
                           R"(,"maxValue":)" + number + R"(,"unitText":"YEAR"}}}</script>)";
    const std::string api = R"([{"legal":"x"},{"id":1,"position":"T","salary_min":)" + number +
                            R"(,"salary_max":)" + number + "}]";
    Extracted a = Extractor({}).Extract("https://a.example/jobs/1", ld, Link::Role::kDetail);
    Extracted b = Extractor({.kind = SourceKind::kRemoteOk}).Extract("https://a.example/api", api, Link::Role::kListing);
    for (const Extracted* x : {&a, &b}) {
      for (const Posting& p : x->postings) {
        for (auto v : {p.salary_min, p.salary_max}) {
          if (v) {
            EXPECT_TRUE(std::isfinite(*v)) << number;
          }
        }
      }
    }
  }
}

TEST(HostileInputTest, LongListsInOnePostingAreCapped) {
  // 50,000 places and employment types in one JSON-LD posting: at most 64
  // of each are read (joining them was quadratic before).
  std::string places, types;
  for (int i = 0; i < 50'000; ++i) {
    places += std::string(i ? "," : "") + R"({"@type":"Place","address":{"addressLocality":"Town)" + std::to_string(i) + R"("}})";
    types += std::string(i ? "," : "") + "\"TYPE" + std::to_string(i) + "\"";
  }
  const std::string page = R"(<script type="application/ld+json">{"@type":"JobPosting","title":"T","jobLocation":[)" +
                           places + R"(],"employmentType":[)" + types + "]}</script>";
  Extracted out = Extractor({}).Extract("https://a.example/jobs/1", page, Link::Role::kDetail);
  ASSERT_EQ(out.postings.size(), 1u);
  const Posting& p = out.postings[0];
  EXPECT_EQ(std::count(p.location->begin(), p.location->end(), ';'), 63);
  EXPECT_EQ(std::count(p.employment_type->begin(), p.employment_type->end(), ','), 63);
}

TEST(HostileInputTest, NetworkPagesCannotLinkToLocalFiles) {
  // A fetched page (or feed, or sitemap) that links to file:///etc/passwd
  // gives no such link; a local file:// board may link to its own files.
  const std::string html = R"(<a href="file:///etc/passwd">a</a><a rel="next" href="file:///etc/shadow">n</a>
<a href="/jobs/1">j</a>)";
  const std::string sitemap = "<urlset><url><loc>file:///etc/passwd</loc></url><url><loc>/jobs/2</loc></url></urlset>";
  Extracted page = Extractor({.detail_pattern = ".*"}).Extract("https://a.example/", html, Link::Role::kListing);
  ASSERT_EQ(page.links.size(), 1u);
  EXPECT_EQ(page.links[0].url, "https://a.example/jobs/1");
  Extracted map = Extractor({.kind = SourceKind::kSitemap}).Extract("https://a.example/s.xml", sitemap, Link::Role::kListing);
  ASSERT_EQ(map.links.size(), 1u);
  EXPECT_EQ(map.links[0].url, "https://a.example/jobs/2");
  Extracted local = Extractor({.detail_pattern = ".*"}).Extract("file:///srv/board/index.html", html, Link::Role::kListing);
  EXPECT_EQ(local.links.size(), 3u);
}

// A clock that moves 100 ms each time it is read.
struct SteppingClock {
  std::shared_ptr<int> reads = std::make_shared<int>(0);
  std::chrono::steady_clock::time_point operator()() const {
    return std::chrono::steady_clock::time_point(std::chrono::milliseconds(100 * (*reads)++));
  }
};

TEST(PageBudgetTest, ExtractionStopsWhenThePageBudgetIsSpent) {
  // With a budget of 1 s and a clock that moves 100 ms per check, every
  // reader stops after a few units of work and says so; what it read is kept.
  std::string ld, feed = "<rss><channel>", sitemap = "<urlset>", api = R"({"jobs":[)", items = "<main>";
  for (int i = 0; i < 100; ++i) {
    const std::string n = std::to_string(i);
    ld += R"(<script type="application/ld+json">{"@type":"JobPosting","title":"T)" + n + R"(","url":"/j/)" + n + R"("}</script>)";
    feed += "<item><title>T" + n + "</title><link>https://a.example/j/" + n + "</link></item>";
    api += std::string(i ? "," : "") + R"({"id":)" + n + R"(,"title":"T)" + n + R"(","absolute_url":"https://a.example/j/)" + n + R"("})";
    items += "<article><h1>T" + n + "</h1><a href=\"/j/" + n + "\">x</a></article>";
  }
  for (int i = 0; i < 5000; ++i) sitemap += "<url><loc>https://a.example/j/" + std::to_string(i) + "</loc></url>";
  api += "]}";
  struct Case {
    const char* name;
    ExtractOptions options;
    const std::string* body;
    Link::Role role;
    std::size_t kept;  // postings, or links for the sitemap
  } cases[] = {
      {"json-ld", {}, &ld, Link::Role::kDetail, 9},
      {"feed", {.kind = SourceKind::kRss}, &feed, Link::Role::kListing, 9},
      {"board-api", {.kind = SourceKind::kGreenhouse}, &api, Link::Role::kListing, 8},
      {"selector-items", {.fields = {{"title", {"h1"}}}, .item = "article"}, &items, Link::Role::kListing, 7},
      {"sitemap", {.kind = SourceKind::kSitemap}, &sitemap, Link::Role::kListing, 10 * 256 - 1},
  };
  for (Case& c : cases) {
    c.options.page_budget = std::chrono::milliseconds(1000);
    c.options.clock = SteppingClock{};
    Extracted out = Extractor(c.options).Extract("https://a.example/", *c.body, c.role);
    EXPECT_TRUE(out.too_slow) << c.name;
    EXPECT_EQ(c.name == std::string("sitemap") ? out.links.size() : out.postings.size(), c.kept) << c.name;
    EXPECT_THAT(out.warnings, ::testing::Contains(HasSubstr("page budget of 1000 ms spent"))) << c.name;
    // No budget: everything.
    c.options.page_budget = std::chrono::milliseconds(0);
    Extracted all = Extractor(c.options).Extract("https://a.example/", *c.body, c.role);
    EXPECT_FALSE(all.too_slow) << c.name;
    EXPECT_EQ(c.name == std::string("sitemap") ? all.links.size() : all.postings.size(),
              c.name == std::string("sitemap") ? 5000u : 100u) << c.name;
  }
}

TEST(PageBudgetTest, TheDefaultBudgetLeavesOrdinaryPagesAlone) {
  // Two seconds of the real clock is far more than an ordinary page needs.
  Extracted out = Extractor({}).Extract("https://a.example/jobs/1", kJsonLdPosting, Link::Role::kDetail);
  EXPECT_FALSE(out.too_slow);
  EXPECT_EQ(out.postings.size(), 1u);
  EXPECT_EQ(ExtractOptions{}.page_budget, std::chrono::milliseconds(2000));
}

}  // namespace
}  // namespace jobtrawl::parsers
