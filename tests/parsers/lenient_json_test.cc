#include "parsers/lenient_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace jobtrawl::parsers {
namespace {

std::string Title(std::string_view text) {
  auto v = ParseLenientJson(text);
  if (!v) return "<unreadable>";
  const boost::json::value* t = v->is_object() ? v->get_object().if_contains("title") : nullptr;
  return t && t->is_string() ? std::string(t->get_string()) : "<no title>";
}

TEST(LenientJsonTest, ReadsTheBreakageSeenOnRealSites) {
  // Each case is a JSON-LD defect found on live job pages.
  struct Case {
    const char* name;
    const char* text;
    const char* title;
  } cases[] = {
      {"plain", R"({"title":"A"})", "A"},
      {"trailing comma", R"({"title":"A",})", "A"},
      {"trailing comma in array", R"({"x":[1,2,],"title":"A"})", "A"},
      {"raw newline in string", "{\"title\":\"A\nB\"}", "A\nB"},
      {"raw tab in string", "{\"title\":\"A\tB\"}", "A\tB"},
      {"invalid escape", R"({"title":"It\'s"})", "It's"},
      {"comments", "{/* c */\"title\":\"A\" // end\n}", "A"},
      {"cdata wrapper", "//<![CDATA[\n{\"title\":\"A\"}\n//]]>", "A"},
      {"html comment wrapper", "<!--\n{\"title\":\"A\"}\n-->", "A"},
      {"entity-escaped block", "{&quot;title&quot;:&quot;A&quot;}", "A"},
      {"trailing semicolon", "{\"title\":\"A\"};", "A"},
      {"invalid utf-8", "{\"title\":\"A\xff\"}", "A\xff"},
  };
  for (const auto& c : cases) EXPECT_EQ(Title(c.text), c.title) << c.name;
}

TEST(LenientJsonTest, AnEscapeThatIsNoCharacterCostsOneCharacter) {
  // RFC 8259 §8.2: JSON text may hold a lone UTF-16 surrogate escape, and
  // APIs that cut text at a UTF-16 boundary write one ("\ud83d", an emoji
  // cut after its first half). Boost.JSON refused the whole text for it, so
  // one character lost every posting of a board's page. Each such escape,
  // and a \u escape cut short, is U+FFFD; pairs and escaped backslashes are
  // left alone, in standard JSON and in every repair.
  struct Case {
    const char* name;
    const char* text;
    const char* title;
  } cases[] = {
      {"lone high surrogate", R"({"title":"A \ud800 B"})", "A \uFFFD B"},
      {"emoji cut at the end", R"({"title":"Hi \ud83d"})", "Hi \uFFFD"},
      {"lone low surrogate", R"({"title":"\udc00x"})", "\uFFFDx"},
      {"upper-case hex", R"({"title":"\uD800\uDFFF \uDBFF"})", "\U000103FF \uFFFD"},
      {"high before a pair", R"({"title":"\ud800\ud83d\ude00"})", "\uFFFD\U0001F600"},
      {"high before another escape", R"({"title":"\ud83d\u0041"})", "\uFFFDA"},
      {"two highs", R"({"title":"\ud83d\ud83d"})", "\uFFFD\uFFFD"},
      {"a pair", R"({"title":"\ud83d\ude00!"})", "\U0001F600!"},
      {"escaped backslash", R"({"title":"C:\\ud800"})", "C:\\ud800"},
      {"escape cut short", R"({"title":"A\ud8"})", "A\uFFFD"},
      {"unterminated after an escape cut short", R"({"title":"A\u)", "<unreadable>"},
      {"in a repaired string", "{\"title\":\"It\\'s \\ud800\"}", "It's \uFFFD"},
      {"in a JavaScript literal", R"({title: 'A \udc00'})", "A \uFFFD"},
  };
  for (const auto& c : cases) EXPECT_EQ(Title(c.text), c.title) << c.name;
  // One scan, however many there are.
  std::string many = "{\"title\":\"";
  for (int i = 0; i < 200000; ++i) many += "\\ud83d";
  many += "\"}";
  const std::string title = Title(many);
  EXPECT_EQ(title.size(), 3u * 200000);
  EXPECT_TRUE(title.starts_with("\uFFFD\uFFFD"));
}

TEST(LenientJsonTest, SeveralValuesBecomeAnArray) {
  auto v = ParseLenientJson(R"({"a":1} {"b":2})");
  ASSERT_TRUE(v && v->is_array());
  EXPECT_EQ(v->get_array().size(), 2u);
}

TEST(LenientJsonTest, GivesUpCleanlyOnGarbage) {
  for (const char* text : {"", "   ", "{", "{\"a\":", "<html>", "{\"a\" 1}", "]]]", "nul"}) {
    EXPECT_FALSE(ParseLenientJson(text).has_value()) << text;
  }
  // Depth far beyond any real page must not overflow the stack.
  std::string deep(100000, '[');
  EXPECT_FALSE(ParseLenientJson(deep).has_value());
}

}  // namespace
}  // namespace jobtrawl::parsers
