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
