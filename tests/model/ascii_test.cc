#include "model/ascii.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

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

// The run-time search filters sixteen positions at a time by the needle's
// first and last bytes; it must find exactly what a plain comparison at
// every position finds, at block edges, near the end, and with bytes that
// OR 0x20 maps onto a letter or onto the needle's punctuation.
TEST(AsciiTest, FindIgnoreCaseAgreesWithAComparisonAtEveryPosition) {
  const auto reference = [](std::string_view s, std::string_view needle, std::size_t from) {
    for (std::size_t i = from; i + needle.size() <= s.size(); ++i) {
      if (EqualsIgnoreCase(s.substr(i, needle.size()), needle)) return i;
    }
    return std::string_view::npos;
  };
  const std::string_view alphabet = "<sScCrRiIpPtT/\x1c\x1b\x13\x0f\x8c\xff>";
  const std::string_view needles[] = {"<script", "</SCRIPT", "ld+json", "ab", "<s", "t>", "\x1cs"};
  std::uint32_t state = 12345;
  const auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  for (int round = 0; round < 4000; ++round) {
    std::string s(next() % 70, ' ');
    for (char& c : s) c = alphabet[next() % alphabet.size()];
    for (std::string_view needle : needles) {
      if (next() % 3 == 0 && s.size() >= needle.size()) {
        std::string planted(needle);
        for (char& c : planted) c = next() % 2 ? ToUpper(c) : c;
        s.replace(next() % (s.size() - needle.size() + 1), needle.size(), planted);
      }
      for (std::size_t from = 0; from <= s.size() + 1; from += 1 + next() % 7) {
        ASSERT_EQ(FindIgnoreCase(s, needle, from), reference(s, needle, from))
            << "needle " << needle << " from " << from << " in " << s;
      }
    }
  }
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
