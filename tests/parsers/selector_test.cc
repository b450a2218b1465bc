#include "parsers/selector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <fstream>
#include <sstream>

#include "parsers/html_document.h"
#include "support/corpus.h"

namespace jobtrawl::parsers {
namespace {

using jobtrawl::testing::ReadCorpus;

// Every element carries an id, so a selection reads as a list of ids.
constexpr const char* kPage = R"(<!DOCTYPE html>
<html id="html"><head id="head"><title id="title">t</title></head>
<body id="body">
  <div id="d1" class="job featured" data-id="42" lang="en-US">
    <h2 id="h1" class="title">Engineer</h2>
    <p id="p1">First</p>
    <p id="p2" class="Location">Berlin</p>
    <span id="s1"></span>
    <p id="p3"><!-- comment --></p>
    <a id="a1" href="/jobs/1?ref=x" rel="nofollow next">Apply</a>
  </div>
  <div id="d2" class="job" data-id="43" title="Senior &amp; Lead">
    <ul id="ul">
      <li id="li1">a</li><li id="li2">b</li><li id="li3">c</li><li id="li4">d</li><li id="li5">e</li>
    </ul>
    <p id="p4"> </p>
    <custom-tag id="c1">x</custom-tag>
  </div>
</body></html>)";

std::string Ids(std::string_view selector) {
  static const HtmlDocument doc{std::string(kPage)};
  auto s = Selector::Parse(selector);
  if (!s) return "error: " + s.error().ToString();
  std::string out;
  for (const GumboNode* n : s->SelectAll(*doc.document())) {
    const char* id = HtmlDocument::Attribute(*n, "id");
    out += (out.empty() ? "" : " ") + std::string(id != nullptr ? id : "?");
  }
  return out;
}

TEST(SelectorTest, MatchesAsQuerySelectorAllWould) {
  // Expected results follow Selectors Level 4; document order, no duplicates.
  struct Case {
    const char* selector;
    const char* ids;
  } cases[] = {
      {"p", "p1 p2 p3 p4"},
      {"P", "p1 p2 p3 p4"},  // type selectors ignore case in HTML
      {"#d2", "d2"},
      {".job", "d1 d2"},
      {".job.featured", "d1"},
      {"div.job > p", "p1 p2 p3 p4"},
      {"body > p", ""},
      {"div p", "p1 p2 p3 p4"},
      {"#d1 *", "h1 p1 p2 s1 p3 a1"},
      {"h2 + p", "p1"},
      {"h2 ~ p", "p1 p2 p3"},
      {"p, h2, p.Location", "h1 p1 p2 p3 p4"},
      {"[data-id]", "d1 d2"},
      {"[data-id=\"43\"]", "d2"},
      {"[data-id='43']", "d2"},
      {"[rel~=next]", "a1"},
      {"[rel~=nex]", ""},
      {"[lang|=en]", "d1"},
      {"[href^=\"/jobs\"]", "a1"},
      {"[href$=x]", "a1"},
      {"[href*=\"ref=\"]", "a1"},
      {"[class~=location]", ""},  // values are case-sensitive ...
      {"[class~=location i]", "p2"},  // ... unless the i flag says otherwise
      {"[title=\"Senior & Lead\"]", "d2"},
      {"li:first-child", "li1"},
      {"li:last-child", "li5"},
      {"li:nth-child(2)", "li2"},
      {"li:nth-child(odd)", "li1 li3 li5"},
      {"li:nth-child(even)", "li2 li4"},
      {"li:nth-child(2n+1)", "li1 li3 li5"},
      {"li:nth-child(-n+2)", "li1 li2"},
      {"li:nth-child(n+4)", "li4 li5"},
      {"li:nth-last-child(1)", "li5"},
      {"#d1 > p:nth-of-type(2)", "p2"},
      {"#d1 > p:first-of-type", "p1"},
      {"#d1 > p:last-of-type", "p3"},
      {"#d1 > h2:only-of-type", "h1"},
      {"ul:only-child", ""},
      {"title:only-child", "title"},
      {":empty", "s1 p3"},  // a comment is not content; a space is
      {"p:not(.Location)", "p1 p3 p4"},
      {"p:not(.Location, #p1)", "p3 p4"},
      {"div:not(.featured) li:nth-child(3)", "li3"},
      {":root", "html"},
      {"html", "html"},
      {"custom-tag", "c1"},
      {"*:not(li):first-child", "html head title d1 h1 ul"},
      {"div >  p ~  a", "a1"},
  };
  for (const auto& c : cases) EXPECT_EQ(Ids(c.selector), c.ids) << c.selector;
}

TEST(SelectorTest, RejectsInvalidSelectorsWithThePosition) {
  // Config authors see where their selector went wrong.
  struct Case {
    const char* selector;
    const char* error;
  } cases[] = {
      {"", "at column 1: expected a selector"},
      {"div >", "at column 6: expected a selector"},
      {"div,", "at column 5: expected a selector"},
      {"#", "at column 2: expected an id after '#'"},
      {".", "at column 2: expected a class name after '.'"},
      {"[", "at column 2: expected an attribute name"},
      {"[a=]", "at column 4: expected a value"},
      {"[a==b]", "at column 4: expected a value"},
      {"[a=\"b]", "at column 7: unterminated string"},
      {"[a b]", "at column 4: expected ']' or an operator"},
      {"a:hover", "at column 3: unsupported pseudo-class ':hover'"},
      {"p::before", "at column 3: pseudo-elements (::) select no elements"},
      {"li:nth-child(x)", "at column 14: expected an+b, odd or even"},
      {"li:nth-child(2", "at column 15: expected ')'"},
      {"p:not(", "at column 7: expected a selector"},
      {"div $ p", "at column 5: expected a selector, got '$'"},
      {"[data-id=43]", "at column 10: expected a value"},  // 43 is not an identifier
      {"p)", "at column 2: unexpected ')'"},
  };
  for (const auto& c : cases) {
    auto s = Selector::Parse(c.selector);
    ASSERT_FALSE(s.has_value()) << c.selector;
    EXPECT_THAT(s.error().ToString(), ::testing::StartsWith(c.error)) << c.selector;
  }
}

TEST(SelectorTest, TextAndOuterHtml) {
  HtmlDocument doc{std::string(kPage)};
  auto s = Selector::Parse("#d1");
  ASSERT_TRUE(s);
  const GumboNode* d1 = s->SelectFirst(*doc.root());
  ASSERT_NE(d1, nullptr);
  EXPECT_EQ(ElementText(*d1), "Engineer First Berlin Apply");
  auto a = Selector::Parse("#a1");
  EXPECT_EQ(OuterHtml(*a->SelectFirst(*doc.root())),
            R"(<a id="a1" href="/jobs/1?ref=x" rel="nofollow next">Apply</a>)");
  // An element whose end tag was implied is serialized instead.
  HtmlDocument implied{"<ul><li id=x>one<li>two</ul>"};
  auto li = Selector::Parse("#x");
  EXPECT_EQ(OuterHtml(*li->SelectFirst(*implied.root())), R"(<li id="x">one</li>)");
}

TEST(SelectorCorpusTest, RealBoardListings) {
  // Counts and texts read off the saved pages by hand.
  struct Case {
    const char* file;
    const char* selector;
    size_t count;
    const char* first_text;
  } cases[] = {
      {"listing/greenhouse-job-boards-mirador-therapeutics.html", "tr.job-post", 8, nullptr},
      {"listing/greenhouse-job-boards-mirador-therapeutics.html", "tr.job-post p.body--metadata", 8,
       "San Diego, CA"},
      {"listing/lever-jobs-janux-therapeutics.html", "div.posting", 14, nullptr},
      {"listing/lever-jobs-janux-therapeutics.html", "div.posting h5[data-qa=posting-name]", 14,
       "Director, Corporate Strategy and Analytics"},
      {"listing/lever-jobs-janux-therapeutics.html", "a.posting-title[href^=\"https://jobs.lever.co/januxrx/\"]", 14, nullptr},
  };
  for (const auto& c : cases) {
    std::string html = ReadCorpus(c.file);
    if (html.empty()) GTEST_SKIP() << "corpus not present at " << JOBTRAWL_CORPUS_DIR;
    HtmlDocument doc{html};
    auto s = Selector::Parse(c.selector);
    ASSERT_TRUE(s) << c.selector;
    auto found = s->SelectAll(*doc.document());
    EXPECT_EQ(found.size(), c.count) << c.file << " " << c.selector;
    if (c.first_text != nullptr && !found.empty()) {
      EXPECT_EQ(ElementText(*found[0]), c.first_text);
    }
  }
}

// ---- Bounded work on hostile trees and selectors ----

struct GumboDeleter {
  void operator()(GumboOutput* o) const { gumbo_destroy_output(&kGumboDefaultOptions, o); }
};
using GumboTree = std::unique_ptr<GumboOutput, GumboDeleter>;

// Gumbo straight, so a test may nest past HtmlDocument's depth cap.
GumboTree Tree(const std::string& html) {
  return GumboTree(gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()));
}

std::string Repeat(std::string_view unit, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += unit;
  return out;
}

std::string NestedDivs(int n, std::string_view bottom) {
  return "<html><body>" + Repeat("<div>", n) + std::string(bottom) + "</body></html>";
}

struct Work {
  std::uint64_t steps = 0;
  std::size_t found = 0;
};

Work Measure(const std::string& html, std::string_view selector) {
  GumboTree tree = Tree(html);
  auto s = Selector::Parse(selector);
  EXPECT_TRUE(s) << selector;
  if (!s) return {};
  SelectStats stats;
  Work w;
  w.found = s->SelectAll(*tree->document, &stats).size();
  w.steps = stats.steps;
  return w;
}

struct HostileCase {
  const char* name;
  std::string (*page)(int n);
  const char* selector;
};

const HostileCase kHostile[] = {
    {"DescendantChainFailingAtTheTop", [](int n) { return NestedDivs(n, "<span>x</span>"); },
     "section div div div div div div div div span"},
    {"DescendantChainWithoutSubject", [](int n) { return NestedDivs(n, ""); },
     "div div div div div div div div div div span"},
    {"NotOverDescendantChain", [](int n) { return NestedDivs(n, "<span>x</span>"); },
     "span:not(section div div div div div div span)"},
    {"SubsequentSiblingChain", [](int n) { return "<html><body><main>" + Repeat("<b></b><i></i><u></u>", n / 3) + "</main>"; },
     "s ~ b ~ i ~ u"},
    {"NthLastChildOverSiblings", [](int n) { return "<html><body><main>" + Repeat("<p></p>", n) + "</main>"; },
     "p:nth-last-child(2)"},
    {"LastOfTypeOverSiblings", [](int n) { return "<html><body><main>" + Repeat("<p></p><i></i>", n / 2) + "</main>"; },
     "main > p:last-of-type"},
};

TEST(SelectorBoundsTest, WorkGrowsLinearlyWithTheTree) {
  // Matching is O(elements x compounds): doubling the tree at most doubles
  // the work (steps counted by SelectStats, not time).
  for (const HostileCase& c : kHostile) {
    Work small = Measure(c.page(20), c.selector);
    Work large = Measure(c.page(40), c.selector);
    EXPECT_LE(large.steps, small.steps * 5 / 2) << c.name << ": " << small.steps << " -> " << large.steps;
  }
}

TEST(SelectorBoundsTest, HostileTreesCostAFewStepsPerElementAndCompound) {
  // 2,000 nested elements and 10,000 siblings, each case well under
  // elements x compounds x 8 steps (a generous constant for the memo's walks).
  for (const HostileCase& c : kHostile) {
    const int n = std::string_view(c.name).find("Sibling") != std::string_view::npos ? 10'000 : 2'000;
    const auto start = std::chrono::steady_clock::now();
    Work w = Measure(c.page(n), c.selector);
    const std::uint64_t compounds = 12;
    EXPECT_LE(w.steps, static_cast<std::uint64_t>(n + 8) * compounds * 8) << c.name;
    // A backstop only; the bound above is what the test pins.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20)) << c.name;
  }
}

TEST(SelectorBoundsTest, MemoizedMatchingFindsWhatBacktrackingFound) {
  // The memo changes the cost, not the answer.
  struct Case {
    std::string html;
    const char* selector;
    std::size_t found;
  } cases[] = {
      {NestedDivs(30, "<span>x</span>"), "div div div div div div div div span", 1},
      {NestedDivs(30, "<span>x</span>"), "body > div div > div span", 1},
      {NestedDivs(30, "<span>x</span>"), "section div span", 0},
      {NestedDivs(5, "<span>x</span>"), "div div div div div div span", 0},
      {NestedDivs(5, "<span>x</span>"), "div div div div div span", 1},
      {NestedDivs(4, ""), "div div", 3},
      {"<main><a></a><b></b><c></c><b></b><d></d></main>", "a ~ b ~ d", 1},
      {"<main><a></a><b></b><c></c><b></b><d></d></main>", "a ~ b", 2},
      {"<main><a></a><b></b><c></c><b></b><d></d></main>", "c ~ b + d", 1},
      {"<main><a></a><b></b><c></c><b></b><d></d></main>", "a + c ~ d", 0},
      {"<main><p></p><p></p><p></p></main>", "p:not(p ~ p)", 1},
      {"<main><p></p><p></p><p></p></main>", "p ~ p ~ p", 1},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Measure(c.html, c.selector).found, c.found) << c.selector << " on " << c.html.substr(0, 60);
  }
}

TEST(SelectorBoundsTest, RejectsSelectorsPastTheLimits) {
  // Length, compound count, :not() depth and an+b size are capped at parse
  // time with an error naming the limit.
  struct Case {
    std::string selector;
    const char* message;
  } cases[] = {
      {std::string(2049, 'a'), "selector longer than 2048 characters"},
      {Repeat("div ", 65) + "span", "more than 64 compound selectors"},
      {Repeat("a, ", 70) + "b", "more than 64 compound selectors"},
      {Repeat("p:not(", 9) + "a" + Repeat(")", 9), ":not() nested more than 8 deep"},
      {Repeat(":not(", 100'000) + "a" + Repeat(")", 100'000), "selector longer than 2048 characters"},
      {"li:nth-child(99999999999999999999n+1)", "expected an+b, odd or even (numbers up to 1000000)"},
      {"li:nth-child(-9223372036854775808)", "expected an+b, odd or even (numbers up to 1000000)"},
  };
  for (const auto& c : cases) {
    auto s = Selector::Parse(c.selector);
    ASSERT_FALSE(s) << c.selector.substr(0, 40);
    EXPECT_THAT(s.error().message, ::testing::HasSubstr(c.message)) << c.selector.substr(0, 40);
  }
  EXPECT_TRUE(Selector::Parse(Repeat("div ", 63) + "span"));
  EXPECT_TRUE(Selector::Parse(Repeat("p:not(", 8) + "a" + Repeat(")", 8)));
}

}  // namespace
}  // namespace jobtrawl::parsers
