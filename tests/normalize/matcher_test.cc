// The word table the skill and language matchers look words up in, the
// skill matcher on its hard cases, and the per-character tables behind
// CleanText and Fold: each answer must be what the Unicode properties
// (utf8proc) and the data files say, whatever the case and script. CleanText
// and Fold copy and fold ASCII eight bytes at a time where they can: on
// ASCII text both must give what the rules say byte by byte, wherever a
// word, a space or a control falls against those eight-byte steps.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "normalize/classify.h"
#include "normalize/text.h"
#include "normalize/word_table.h"

namespace jobtrawl::normalize {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(AsciiCaseMapTest, FindsAWordAsWrittenInAnyAsciiCase) {
  // Keys are lower-cased once; a lookup folds A-Z only, as std::tolower
  // in the "C" locale does, so bytes of UTF-8 sequences compare as they are.
  AsciiCaseMap<int> map;
  map["python"] = 1;
  map["Node.js"] = 2;
  map["c plus plus"] = 3;
  map["zürich"] = 4;
  EXPECT_EQ(*map.Find("PYTHON"), 1);
  EXPECT_EQ(*map.Find("PyThOn"), 1);
  EXPECT_EQ(*map.Find("node.JS"), 2);
  EXPECT_EQ(*map.Find("C Plus Plus"), 3);
  EXPECT_EQ(*map.Find("Zürich"), 4);
  EXPECT_EQ(map.Find("ZÜRICH"), nullptr);  // Ü is not ASCII: not folded
  EXPECT_EQ(map.Find("pytho"), nullptr);
  EXPECT_EQ(map.Find("python "), nullptr);
  EXPECT_EQ(map.Find(""), nullptr);
  EXPECT_EQ(map.size(), 4u);
}

TEST(AsciiCaseMapTest, KeepsEveryKeyAsItGrows) {
  // Growing rehashes every key; none may be lost or answer for another.
  AsciiCaseMap<int> map;
  EXPECT_EQ(map.Find("w0"), nullptr);  // empty: nothing to probe
  for (int i = 0; i < 5000; ++i) map["w" + std::to_string(i)] = i;
  map["W17"] = -17;  // the same key in another case: updated, not added
  EXPECT_EQ(map.size(), 5000u);
  for (int i = 0; i < 5000; ++i) {
    ASSERT_NE(map.Find("W" + std::to_string(i)), nullptr) << i;
    EXPECT_EQ(*map.Find("W" + std::to_string(i)), i == 17 ? -17 : i);
  }
  EXPECT_EQ(map.Find("w5000"), nullptr);
}

TEST(SkillsTest, OverlappingNamesAreEachFoundWhole) {
  // data/skills.tsv: "C" (context), "C++", "C#", "Objective-C": a name is
  // a whole token, the longest form first, never a piece of another.
  EXPECT_THAT(Skills("We write C++ and C# services"), ElementsAre("C++", "C#"));
  EXPECT_THAT(Skills("Objective-C and Swift for iOS apps"), ElementsAre("Objective-C", "Swift", "iOS"));
  EXPECT_THAT(Skills("objective c, C++17, cpp"), ElementsAre("Objective-C", "C++"));
  EXPECT_THAT(Skills("Embedded C programming on microcontrollers"), ElementsAre("C"));
  EXPECT_THAT(Skills("Grade C in maths"), IsEmpty());  // "C" needs a programming word near it
  EXPECT_THAT(Skills("C/C++ developer"), ElementsAre("C", "C++"));
}

TEST(SkillsTest, NamesMatchOnlyAtWordBoundaries) {
  // "Java" is not in "JavaScript", "Scala" not in "scalable", "SQL" not in "PostgreSQL".
  EXPECT_THAT(Skills("JavaScript on scalable systems"), ElementsAre("JavaScript"));
  EXPECT_THAT(Skills("PostgreSQL, then Java."), ElementsAre("PostgreSQL", "Java"));
  EXPECT_THAT(Skills("React/Redux, Node.js and CI/CD"), ElementsAre("React", "Redux", "Node.js", "CI/CD"));
  EXPECT_THAT(Skills("-Kubernetes- (k8s)"), ElementsAre("Kubernetes"));
}

TEST(SkillsTest, TokensAreTheSameWhereverTheyFallInTheText) {
  // Skills finds a token's end eight bytes at a time: each name, a '/'
  // inside a token, a '/' just past one, non-ASCII bytes and every token
  // byte class ('+', '#', '.', '-') must give the same skills at every offset.
  for (size_t pad = 0; pad <= 17; ++pad) {
    const std::string lead = std::string(pad, 'x') + " ";
    SCOPED_TRACE(pad);
    EXPECT_THAT(Skills(lead + "React/Redux, Node.js and CI/CD"), ElementsAre("React", "Redux", "Node.js", "CI/CD"));
    EXPECT_THAT(Skills(lead + "We write C++ and C# services"), ElementsAre("C++", "C#"));
    EXPECT_THAT(Skills(lead + "Objective-C, -Kubernetes- /Python/ .NET"),
                ElementsAre("Objective-C", "Kubernetes", "Python", ".NET"));
    EXPECT_THAT(Skills(lead + "straßePython Python, Java\tGraphQL"), ElementsAre("Python", "Java", "GraphQL"));
    EXPECT_THAT(Skills(lead + "JavaScriptTypeScript Kubernetes;Terraform"), ElementsAre("Kubernetes", "Terraform"));
    // A '/' sixteen bytes into a token still splits it into parts.
    EXPECT_THAT(Skills(lead + "aaaaaaaaaaaaaaaa/React"), ElementsAre("React"));
    EXPECT_THAT(Skills(lead + "aaaaaaaaaaaaaaaaReact"), IsEmpty());
  }
}

TEST(SkillsTest, CaseRulesHoldBesideNonAsciiText) {
  // Accented words, dashes and CJK around a name neither hide it nor make
  // one; "Go" is a skill only as written and beside a programming word,
  // "golang" in any case.
  EXPECT_THAT(Skills("Erfahrung mit Python — idealerweise auch Kubernetes, à Zürich"),
                ElementsAre("Python", "Kubernetes"));
  EXPECT_THAT(Skills("経験: PYTHON と Java"), ElementsAre("Python", "Java"));
  EXPECT_THAT(Skills("Let's go to the café"), IsEmpty());
  EXPECT_THAT(Skills("Backend in Go, crème de la crème"), ElementsAre("Go"));
  EXPECT_THAT(Skills("GOLANG über alles"), ElementsAre("Go"));
  EXPECT_THAT(Skills("Pythonista"), IsEmpty());
}

TEST(TextTest, LatinAndPunctuationAreFoldedAsUnicodeSays) {
  // NFKC case folding with marks stripped (UAX #15, Unicode CaseFolding.txt),
  // for the characters Fold reads from a table and for those it does not.
  EXPECT_EQ(Fold("Crème Brûlée"), "creme brulee");
  EXPECT_EQ(Fold("Straße"), "strasse");
  EXPECT_EQ(Fold("ǄEMAL"), "dzemal");          // U+01C4: compatibility decomposition
  EXPECT_EQ(Fold("wait… what"), "wait what");  // U+2026 is three full stops
  EXPECT_EQ(Fold("wait… what", "."), "wait... what");
  EXPECT_EQ(Fold("a—b–c"), "a b c");           // dashes separate words
  EXPECT_EQ(Fold("ΣΊΣΥΦΟΣ Київ"), "σισυφοσ киів");  // the diaeresis of ї is a mark
  EXPECT_EQ(Fold("ﬁle ｗｉｄｅ"), "file wide");  // beyond the table: utf8proc per character
}

TEST(TextTest, NonAsciiSpacesAndInvisiblesAreCleaned) {
  // NBSP and the line separator are white space; a soft hyphen, a
  // zero-width space and C1 controls are dropped; a combining accent is
  // composed (NFC).
  EXPECT_EQ(CleanText("a\u00A0\u00A0b\u2028c"), "a b c");
  EXPECT_EQ(CleanText("co\u00ADop\u200Ber\u0085ate"), "cooperate");
  EXPECT_EQ(CleanText("Cafe\u0301 \u2014 ok"), "Caf\u00E9 \u2014 ok");
  EXPECT_EQ(CleanText("line one\n\n\n  - item", true), "line one\n\n  - item");
  // Beyond the table (U+2100 on): the ideographic space is white space,
  // the BOM is dropped.
  EXPECT_EQ(CleanText("a\u3000b\uFEFFc \u3000 d"), "a bc d");
}


// What Fold makes of ASCII: letters lower-cased, digits and the `keep`
// bytes kept, every other run one space, trimmed.
std::string FoldAscii(std::string_view text, std::string_view keep = {}) {
  std::string out;
  bool space = false;
  for (char c : text) {
    const bool word = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      keep.find(c) != std::string_view::npos;
    if (!word) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  }
  return out;
}

// What CleanText makes of ASCII on one line: controls other than white
// space dropped (they do not part words), runs of white space one space,
// trimmed.
std::string CleanAscii(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = true;
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) continue;
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

TEST(TextTest, AsciiIsFoldedAndCleanedTheSameAtEveryOffset) {
  // Words of one to nine bytes, single and double spaces, punctuation,
  // the keep bytes, controls and DEL, in every alignment (seeded: the
  // same strings every run).
  static constexpr std::string_view kBytes[] = {"a", "Z", "q", "M", "7", "0", " ", " ", " ", "  ", ".", ",",
                                                "+", "-", "#", "\n", "\t", "\x01", "\x1f", "\x7f", "@", "[", "`", "{"};
  std::mt19937 rng(20261201);
  for (int round = 0; round < 4000; ++round) {
    std::string text;
    const int parts = static_cast<int>(rng() % 60);
    for (int k = 0; k < parts; ++k) {
      // Mostly letters, so that runs of eight word bytes and spaces occur.
      const std::uint32_t r = rng() % 100;
      static constexpr std::string_view kCommon[] = {"a", "Z", "7", "q", " "};
      text += r < 60 ? kCommon[r % std::size(kCommon)] : kBytes[r % std::size(kBytes)];
    }
    SCOPED_TRACE(::testing::PrintToString(text));
    EXPECT_EQ(Fold(text), FoldAscii(text));
    EXPECT_EQ(Fold(text, "+-"), FoldAscii(text, "+-"));
    EXPECT_EQ(CleanText(text), CleanAscii(text));
  }
  EXPECT_EQ(Fold("Alpha Beta9 gamma DELTA epsilon"), "alpha beta9 gamma delta epsilon");
  EXPECT_EQ(CleanText("one two  three\x7f four\x01" "five six seven"), "one two three fourfive six seven");
}

}  // namespace
}  // namespace jobtrawl::normalize
