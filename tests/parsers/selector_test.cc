#include "parsers/selector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
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

}  // namespace
}  // namespace jobtrawl::parsers
