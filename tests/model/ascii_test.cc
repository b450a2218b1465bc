#include "model/ascii.h"

#include <gtest/gtest.h>

namespace jobtrawl::ascii {
namespace {

TEST(AsciiTest, ClassesAreByteWiseAndLocaleFree) {
  EXPECT_TRUE(IsSpace(' ') && IsSpace('\t') && IsSpace('\n') && IsSpace('\f') && IsSpace('\r'));
  EXPECT_FALSE(IsSpace('\v'));  // not ASCII whitespace in WHATWG Infra
  EXPECT_TRUE(IsBlank('\t'));
  EXPECT_FALSE(IsBlank('\n'));
  EXPECT_TRUE(IsHexDigit('F') && IsHexDigit('a') && IsHexDigit('9'));
  EXPECT_FALSE(IsHexDigit('g'));
  // Bytes of UTF-8 sequences are never letters, digits or spaces.
  for (char c : std::string_view("é\xA0ツ")) {
    EXPECT_FALSE(IsAlpha(c) || IsDigit(c) || IsSpace(c));
    EXPECT_EQ(ToLower(c), c);
    EXPECT_FALSE(IsAscii(c));
  }
}

TEST(AsciiTest, CaseMappingTouchesOnlyAsciiLetters) {
  EXPECT_EQ(ToLower(std::string_view("HeLLo-É 42")), "hello-É 42");
  EXPECT_EQ(ToUpper(std::string_view("utf-8")), "UTF-8");
  std::string s = "Content-Type";
  LowerInPlace(s);
  EXPECT_EQ(s, "content-type");
  static_assert(EqualsIgnoreCase("Content-Length", "content-LENGTH"));
  static_assert(!EqualsIgnoreCase("abc", "abcd"));
  EXPECT_TRUE(StartsWithIgnoreCase("HTTPS://x", "https:"));
  EXPECT_FALSE(StartsWithIgnoreCase("http", "https"));
  EXPECT_TRUE(EndsWithIgnoreCase("report.PDF", ".pdf"));
  EXPECT_EQ(FindIgnoreCase("a Remote job", "REMOTE"), 2u);
  EXPECT_EQ(FindIgnoreCase("abc", "x"), std::string_view::npos);
  EXPECT_EQ(FindIgnoreCase("ab", "abc"), std::string_view::npos);
  EXPECT_TRUE(ContainsIgnoreCase("x", ""));
}

TEST(AsciiTest, FindIgnoreCaseFindsEveryPlaceInEitherCase) {
  // The first byte is searched for in both cases, then the rest compared.
  EXPECT_EQ(FindIgnoreCase("<META charset>", "<meta"), 0u);
  EXPECT_EQ(FindIgnoreCase("xx<Meta <META", "<meta", 3), 8u);
  EXPECT_EQ(FindIgnoreCase("aAb", "ab"), 1u);            // a first-byte candidate that fails, then one in the other case
  EXPECT_EQ(FindIgnoreCase("remote", "REMOTE", 1), std::string_view::npos);
  EXPECT_EQ(FindIgnoreCase("abc", "", 3), 3u);
  EXPECT_EQ(FindIgnoreCase("abc", "", 4), std::string_view::npos);
  EXPECT_EQ(FindIgnoreCase("abc", "c", 9), std::string_view::npos);
  EXPECT_EQ(FindIgnoreCase("1-2-3", "-3"), 3u);          // a first byte without case
  EXPECT_EQ(FindIgnoreCase("caf\xC3\xA9 CAF\xC3\x89", "caf\xC3\x89"), 6u);  // bytes >= 0x80 compare exactly
  static_assert(FindIgnoreCase("JobPosting", "posting") == 3);
}

TEST(AsciiTest, TrimDefaultsToAsciiWhitespace) {
  EXPECT_EQ(Trim(" \t\r\n a b \f"), "a b");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(TrimLeft("  x "), "x ");
  EXPECT_EQ(TrimRight("  x "), "  x");
  EXPECT_EQ(Trim("\n x \n", IsBlank), "\n x \n");
  EXPECT_EQ(Trim("--x--", [](char c) { return c == '-'; }), "x");
}

}  // namespace
}  // namespace jobtrawl::ascii
