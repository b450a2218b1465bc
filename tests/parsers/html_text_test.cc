#include "parsers/html_text.h"

#include <gtest/gtest.h>

namespace jobtrawl::parsers {
namespace {

TEST(DecodeEntitiesTest, DecodesNamedAndNumericReferences) {
  // HTML spec character references, including the windows-1252 remap.
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"R&amp;D", "R&D"},        {"&lt;b&gt;", "<b>"},          {"caf&eacute;", "café"},
      {"&#233;&#xE9;&#XE9;", "ééé"}, {"&#128;", "€"},           {"&euro;5", "€5"},
      {"&unknown; &", "&unknown; &"}, {"&#0;", "\xEF\xBF\xBD"}, {"&#x110000;", "\xEF\xBF\xBD"},
      {"a&ampb", "a&ampb"},      {"&amp b", "& b"},             {"?a=1&copy=2", "?a=1&copy=2"},
      {"&nbsp;", "\xC2\xA0"},    {"&#", "&#"},
  };
  for (const auto& c : cases) EXPECT_EQ(DecodeEntities(c.in), c.out) << c.in;
}

TEST(HtmlToTextTest, KeepsParagraphsAndListsDropsMarkup) {
  // Descriptions arrive as HTML; analysts want readable text.
  std::string html =
      "<div><h2>About&nbsp;us</h2><p>We build <b>great</b>\n   tools.</p>"
      "<ul><li>C++</li><li>SQL &amp; Python</li></ul>"
      "<script>var x = '<p>no</p>';</script><style>p{}</style>"
      "<p>Line one<br>Line two</p><!-- hidden --></div>";
  EXPECT_EQ(HtmlToText(html),
            "About us\n\nWe build great tools.\n\n- C++\n- SQL & Python\n\nLine one\nLine two");
}

TEST(HtmlToTextTest, SurvivesBrokenMarkup) {
  // Unclosed tags, stray '<' and truncated input degrade to text.
  EXPECT_EQ(HtmlToText("a < b and <p>c"), "a < b and\n\nc");
  EXPECT_EQ(HtmlToText("<p title='x>y'>z</p>"), "z");
  EXPECT_EQ(HtmlToText("text<script>never closed"), "text");
  EXPECT_EQ(HtmlToText("<p"), "");
  EXPECT_EQ(HtmlToText(""), "");
}

TEST(CleanInlineTextTest, CollapsesToOneLine) {
  EXPECT_EQ(CleanInlineText("  Senior\n\n  Engineer &amp; Lead\t"), "Senior Engineer & Lead");
}

}  // namespace
}  // namespace jobtrawl::parsers
