// The word table the skill and language matchers look words up in, the
// skill matcher on its hard cases, and the per-character tables behind
// CleanText and Fold: each answer must be what the Unicode properties
// (utf8proc) and the data files say, whatever the case and script. CleanText
// and Fold copy and fold ASCII eight bytes at a time where they can: on
// ASCII text both must give what the rules say byte by byte, wherever a
// word, a space or a control falls against those eight-byte steps.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <utf8proc.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "model/ascii.h"
#include "normalize/classify.h"
#include "normalize/location.h"
#include "normalize/phrase_matcher.h"
#include "normalize/recent_results.h"
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

TEST(AsciiCaseMapTest, AWordThatPassesTheFilterIsStillNotAKey) {
  // The filter reads first, second and last byte and length: "naïve"
  // passes it where "native" is a key, and the probe must say no.
  AsciiCaseMap<int> map;
  map["native"] = 1;
  map["Data"] = 2;
  EXPECT_EQ(map.Find("naïve"), nullptr);
  EXPECT_EQ(map.Find("NATIVE") == nullptr ? 0 : *map.Find("NATIVE"), 1);
  EXPECT_EQ(map.Find("dada"), nullptr);
  EXPECT_EQ(map.Find("data") == nullptr ? 0 : *map.Find("data"), 2);
  EXPECT_EQ(map.Find(""), nullptr);
  EXPECT_EQ(map.Find("d"), nullptr);
}

TEST(RecentResultsTest, EachKeyGetsItsOwnResultAndARepeatIsNotComputedAgain) {
  // Direct-mapped slots: more keys than slots overwrite each other, and
  // a key is (text, context), never one of them alone.
  RecentResults<std::string, 16> recent;
  int computed = 0;
  auto get = [&](const std::string& text, const std::string& context) {
    return recent.Get(text, context, [&] {
      ++computed;
      return text + "|" + context;
    });
  };
  EXPECT_EQ(get("Berlin", "DE"), "Berlin|DE");
  EXPECT_EQ(get("Berlin", "DE"), "Berlin|DE");
  EXPECT_EQ(computed, 1);
  EXPECT_EQ(get("Berlin", "US"), "Berlin|US");
  EXPECT_EQ(get("BerlinD", "E"), "BerlinD|E");
  EXPECT_EQ(get("Berlin", ""), "Berlin|");
  EXPECT_EQ(computed, 4);
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 200; ++i) {
      const std::string text = "city " + std::to_string(i);
      ASSERT_EQ(get(text, "PL"), text + "|PL") << i;
    }
  }
}

TEST(RecentResultsTest, AComputationThatAsksTheSameCacheGetsEveryAnswerRight) {
  // TitleKeysOf asks SeniorityOf, and ParseLocation may be asked while a
  // title is read: a result is stored only after it is computed.
  RecentResults<std::string, 4> recent;
  std::function<std::string(const std::string&)> get = [&](const std::string& text) {
    return recent.Get(text, {}, [&] { return text.size() <= 1 ? text : get(text.substr(1)) + text.substr(0, 1); });
  };
  EXPECT_EQ(get("abcdefgh"), "hgfedcba");
  EXPECT_EQ(get("abcdefgh"), "hgfedcba");
  EXPECT_EQ(get("cdefgh"), "hgfedc");
}

TEST(RecentResultsTest, LongKeysAreComputedEachTimeAndNotKept) {
  RecentResults<std::size_t, 4> recent;
  int computed = 0;
  const std::string text(300, 'x');
  for (int i = 0; i < 3; ++i) EXPECT_EQ(recent.Get(text, {}, [&] { ++computed; return text.size(); }), 300u);
  EXPECT_EQ(computed, 3);
}

TEST(RecentResultsTest, LocationsAndTitlesReadAgainGiveWhatTheyGaveFirst) {
  // The kept results are those the rules give: the same text asked again,
  // after other texts and with another country hint, reads the same.
  const std::vector<std::string> locations = {
      "Berlin, Germany", "Atlanta, Georgia", "Tbilisi, Georgia", "Perth, WA", "Remote - US",
      "München, Bayern, DE", "Zürich, ZH, CH", "Georgia", "WA", "Berlin or Munich"};
  std::vector<LocationResult> first;
  for (const std::string& l : locations) first.push_back(ParseLocation(l, "US"));
  for (int round = 0; round < 2; ++round) {
    for (size_t i = locations.size(); i-- > 0;) {
      ASSERT_EQ(ParseLocation(locations[i], "US"), first[i]) << locations[i];
      (void)ParseLocation(locations[i], "AU");
      (void)ParseLocation(locations[i]);
    }
  }
  EXPECT_EQ(ParseLocation("Perth, WA", "AU").places.front().country, std::optional<std::string>("AU"));
  const std::vector<std::string> titles = {"Senior Backend Engineer", "Staff Engineer II",
                                           "Payroll Manager/Senior Manager", "Engineer - Payments, EU",
                                           "Senior Backend Engineer (m/w/d) - Berlin"};
  std::vector<TitleKeys> keys;
  std::vector<std::optional<Seniority>> levels;
  for (const std::string& t : titles) {
    keys.push_back(TitleKeysOf(t));
    levels.push_back(SeniorityOf(t));
  }
  for (size_t i = titles.size(); i-- > 0;) {
    const TitleKeys again = TitleKeysOf(titles[i]);
    EXPECT_EQ(again.key, keys[i].key) << titles[i];
    EXPECT_EQ(again.family, keys[i].family) << titles[i];
    const std::optional<Seniority> level = SeniorityOf(titles[i]);
    EXPECT_EQ(level.has_value(), levels[i].has_value()) << titles[i];
    if (level && levels[i]) {
      EXPECT_EQ(level->level, levels[i]->level) << titles[i];
    }
  }
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

// A letter of an ampersand compound is not the one-letter language beside
// a programming word ("R&D Engineer" named the skill R).
TEST(SkillsTest, ALetterOfAnAmpersandCompoundIsNoLanguage) {
  EXPECT_THAT(Skills("R&D Engineer"), IsEmpty());
  EXPECT_THAT(Skills("Software Engineer, R&D"), IsEmpty());
  EXPECT_THAT(Skills("C&C server engineer"), IsEmpty());
  EXPECT_THAT(Skills("P&L owner, software engineering"), IsEmpty());
  EXPECT_THAT(Skills("Statistics in R and Python"), ElementsAre("R", "Python"));
}

TEST(SkillsTest, NamesMatchOnlyAtWordBoundaries) {
  // "Java" is not in "JavaScript", "Scala" not in "scalable", "SQL" not in "PostgreSQL".
  EXPECT_THAT(Skills("JavaScript on scalable systems"), ElementsAre("JavaScript"));
  EXPECT_THAT(Skills("PostgreSQL, then Java."), ElementsAre("PostgreSQL", "Java"));
  EXPECT_THAT(Skills("React/Redux, Node.js and CI/CD"), ElementsAre("React", "Redux", "Node.js", "CI/CD"));
  EXPECT_THAT(Skills("-Kubernetes- (k8s)"), ElementsAre("Kubernetes"));
}

TEST(SkillsTest, TokensAreTheSameWhereverTheyFallInTheText) {
  // Skills finds tokens from bit masks of 64 bytes at a time: each name, a
  // '/' inside a token, a '/' just past one, non-ASCII bytes and every
  // token byte class ('+', '#', '.', '-') must give the same skills at
  // every offset, across two block boundaries too.
  for (size_t pad = 0; pad <= 140; ++pad) {
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
    // A token longer than a block, its '/' in the next one.
    EXPECT_THAT(Skills(lead + std::string(70, 'a') + "/React"), ElementsAre("React"));
    // A name of several words is whole words: "machine learnings" is none.
    EXPECT_THAT(Skills(lead + "Machine LEARNING"), ElementsAre("Machine Learning"));
    EXPECT_THAT(Skills(lead + "machine learnings, amazon web-services"), IsEmpty());
    EXPECT_THAT(Skills("Python " + lead), ElementsAre("Python"));
  }
}

TEST(PhraseMatcherTest, FindsEveryPhraseEndingAtEachWordInOnePass) {
  // Aho-Corasick over words: phrases that overlap, phrases inside longer
  // ones and a phrase that starts inside a partial match of another (the
  // failure links) are all reported where they end, longest first.
  PhraseMatcher m;
  m.Add("machine learning", 0);
  m.Add("learning", 1);
  m.Add("deep learning", 2);
  m.Add("learning rate", 3);
  m.Add("a b c", 4);
  m.Add("b d", 5);
  m.Build();
  EXPECT_EQ(m.longest(), 3u);
  auto run = [&m](std::string_view text) {
    std::vector<std::string> out;
    PhraseMatcher::State s = PhraseMatcher::kStart;
    size_t i = 0;
    for (std::string_view w : Words(text)) {
      s = m.Next(s, w);
      for (const PhraseMatcher::Match& match : m.MatchesAt(s)) {
        out.push_back(std::to_string(match.id) + "@" + std::to_string(i) + "/" + std::to_string(match.words));
      }
      ++i;
    }
    return out;
  };
  EXPECT_THAT(run("deep learning rate"), ElementsAre("2@1/2", "1@1/1", "3@2/2"));
  EXPECT_THAT(run("machine deep learning"), ElementsAre("2@2/2", "1@2/1"));
  EXPECT_THAT(run("a b d"), ElementsAre("5@2/2"));       // "a b" gave way to "b d"
  EXPECT_THAT(run("a b a b c"), ElementsAre("4@4/3"));
  EXPECT_THAT(run("learning"), ElementsAre("1@0/1"));    // the whole text
  EXPECT_THAT(run("machine"), IsEmpty());
  EXPECT_THAT(run("unknown words only"), IsEmpty());
}

TEST(PhraseMatcherTest, WordsCompareIgnoringAsciiCaseOnly) {
  // As AsciiCaseMap: A-Z fold, the bytes of UTF-8 sequences do not.
  PhraseMatcher m;
  m.Add("Node.js", 0);
  m.Add("zürich office", 1);
  m.Add("", 2);            // no words: not added
  m.Add("two  spaces", 3);  // an empty word: not added
  m.Add(" leading", 4);
  m.Build();
  EXPECT_EQ(m.WordOf("NODE.JS"), m.WordOf("node.js"));
  EXPECT_NE(m.WordOf("node.js"), PhraseMatcher::kNoWord);
  EXPECT_THAT(m.MatchesAt(m.Next(PhraseMatcher::kStart, "NoDe.Js")), ElementsAre(::testing::Field(&PhraseMatcher::Match::id, 0u)));
  EXPECT_EQ(m.WordOf("ZÜRICH"), PhraseMatcher::kNoWord);
  EXPECT_THAT(m.MatchesAt(m.Next(m.Next(PhraseMatcher::kStart, "Zürich"), "OFFICE")),
              ElementsAre(::testing::Field(&PhraseMatcher::Match::id, 1u)));
  EXPECT_EQ(m.WordOf("spaces"), PhraseMatcher::kNoWord);
  EXPECT_EQ(m.WordOf("leading"), PhraseMatcher::kNoWord);
  EXPECT_EQ(m.WordOf(""), PhraseMatcher::kNoWord);
}

TEST(AsciiCaseMapTest, KeysOfEveryLengthAreTheirOwn) {
  // Words are compared by their first sixteen bytes, loaded in overlapping
  // pieces, and their length: at every length a key differing in its last
  // byte only, or only in length, is another key.
  AsciiCaseMap<int> map;
  const std::string base = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (size_t n = 1; n <= base.size(); ++n) map[base.substr(0, n)] = static_cast<int>(n);
  for (size_t n = 1; n <= base.size(); ++n) {
    std::string upper = ascii::ToUpper(base.substr(0, n));
    ASSERT_NE(map.Find(upper), nullptr) << n;
    EXPECT_EQ(*map.Find(upper), static_cast<int>(n));
    std::string other = base.substr(0, n);
    other.back() = '#';
    EXPECT_EQ(map.Find(other), nullptr) << other;
  }
  EXPECT_EQ(map.Find(base + "!"), nullptr);
}

TEST(VisaTest, TheFoldWithExtrasGivesWhatTheTextGives) {
  // VisaSponsorshipInFolded matches the phrases on the words of
  // Fold(text, kExtrasKeep) split at '+' and '-', which are Fold(text)'s.
  for (std::string_view text : {"Visa-sponsorship is not available.", "We can't sponsor visas", "H-1B visa sponsorship provided",
                                "Sponsorship: no", "unable-to-sponsor", "Keine Visa-Unterstützung", "Visa sponsorship is available!",
                                "visa", "no visa+sponsorship", "sponsor"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(VisaSponsorshipInFolded(Fold(text, kExtrasKeep)), VisaSponsorship(text));
  }
  // The words "sponsor" and "visa" are looked for sixteen positions at a
  // time: found at every offset, and at the very end.
  for (size_t pad = 0; pad <= 40; ++pad) {
    SCOPED_TRACE(pad);
    const std::string lead = std::string(pad, 'x') + " ";
    EXPECT_EQ(VisaSponsorship(lead + "visa sponsorship is not available"), "no");
    EXPECT_EQ(VisaSponsorship(lead + "we will sponsor your visa"), "yes");
    EXPECT_EQ(VisaSponsorship(lead + "no visa sponsorship"), "no");
    EXPECT_EQ(VisaSponsorship(lead + "vis sponso spons"), std::nullopt);
  }
  EXPECT_EQ(VisaSponsorship("Visa-sponsorship is not available."), "no");
  EXPECT_EQ(VisaSponsorship("No visa+sponsorship, sorry"), "no");
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


// Pieces of text for the mixed-script cases below: ASCII, the accented
// letters and dashes that CleanText copies and Fold folds in their run loops
// (two-byte sequences, E1 and E2 sequences), and the characters those loops
// must leave to the per-character code: white space beyond ASCII, invisible
// characters, combining marks (NFC), characters beyond the tables, and
// invalid or truncated sequences.
constexpr std::string_view kMixedPieces[] = {
    "a", "Z", "7", " ", " ", "  ", "-", "+", ".", "\n", "\t", "\x01",
    "\u00E9", "\u00DF", "\u00E7", "\u00C9", "\u00FC", "\u0131", "\u01C4", "\u0149", "\u00BD", "\u00AA",
    "\u0416", "\u05D0", "\u1EA1", "\u1E9E", "\u2014", "\u2013", "\u201C", "\u2026", "\u2044", "\u2070",
    "\u00A0", "\u2003", "\u2028", "\u00AD", "\u200B", "\u0085", "\u0301", "\u1100", "\u3000", "\uFB01", "\u4E2D",
    "\xC3", "\x80", "\xE2\x80", "\xED\xA0\x80"};

// What CleanText makes of `text` on one line, one code point at a time as
// its rules say: NFC first (when the text is valid UTF-8), white space runs
// one space, invisible characters dropped, invalid bytes kept, trimmed.
std::string CleanReference(std::string_view text) {
  std::string nfc(text);
  if (auto* composed = utf8proc_NFC(reinterpret_cast<const utf8proc_uint8_t*>(nfc.c_str()))) {
    nfc = reinterpret_cast<const char*>(composed);
    std::free(composed);
  }
  std::string out;
  bool space = false;
  auto put = [&](std::string_view bytes) {
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.append(bytes);
  };
  for (size_t i = 0; i < nfc.size();) {
    utf8proc_int32_t cp = 0;
    const auto len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(nfc.data() + i),
                                      static_cast<utf8proc_ssize_t>(nfc.size() - i), &cp);
    if (len <= 0) {
      put(nfc.substr(i, 1));
      ++i;
      continue;
    }
    const std::string_view bytes = std::string_view(nfc).substr(i, static_cast<size_t>(len));
    i += static_cast<size_t>(len);
    const auto category = utf8proc_category(cp);
    if (cp == ' ' || (cp >= '\t' && cp <= '\r') || category == UTF8PROC_CATEGORY_ZS || cp == 0x2028 || cp == 0x2029) {
      space = true;
      continue;
    }
    const bool invisible = category == UTF8PROC_CATEGORY_CC || cp == 0xAD || cp == 0xFEFF ||
                           (cp >= 0x200B && cp <= 0x200F) || cp == 0x2060 || cp == 0x180E ||
                           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    if (!invisible) put(bytes);
  }
  return out;
}

// What Fold makes of `text`, one code point at a time through utf8proc:
// NFKC case fold, marks stripped, letters, digits and `keep` kept, every
// other run one space, invalid bytes skipped, trimmed.
std::string FoldReference(std::string_view text, std::string_view keep = {}) {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < text.size();) {
    utf8proc_int32_t cp = 0;
    const auto len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                      static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (len <= 0) {
      ++i;
      continue;
    }
    i += static_cast<size_t>(len);
    utf8proc_int32_t parts[16];
    int boundclass = UTF8PROC_BOUNDCLASS_START;
    const auto count = utf8proc_decompose_char(
        cp, parts, 16,
        static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                       UTF8PROC_STRIPMARK | UTF8PROC_IGNORE),
        &boundclass);
    for (utf8proc_ssize_t k = 0; k >= 0 && k < count && count <= 16; ++k) {
      const auto category = utf8proc_category(parts[k]);
      if (category >= UTF8PROC_CATEGORY_MN && category <= UTF8PROC_CATEGORY_ME) continue;
      const bool word = (category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO) ||
                        (category >= UTF8PROC_CATEGORY_ND && category <= UTF8PROC_CATEGORY_NO) ||
                        (parts[k] < 0x80 && keep.find(static_cast<char>(parts[k])) != std::string_view::npos);
      if (!word) {
        space = !out.empty();
        continue;
      }
      if (space) out.push_back(' ');
      space = false;
      unsigned char bytes[4];
      const auto n = utf8proc_encode_char(parts[k], bytes);
      for (utf8proc_ssize_t b = 0; b < n; ++b) {
        out.push_back(parts[k] < 0x80 ? static_cast<char>(std::tolower(bytes[b])) : static_cast<char>(bytes[b]));
      }
    }
  }
  return out;
}

std::string MixedText(std::mt19937& rng) {
  std::string text;
  const int parts = static_cast<int>(rng() % 40);
  for (int k = 0; k < parts; ++k) {
    // Mostly letters and the copied characters, so that runs form.
    const std::uint32_t r = rng() % 100;
    static constexpr std::string_view kCommon[] = {"a", "q", " ", "\u00E9", "\u00DF", "\u2014", "Z"};
    text += r < 60 ? kCommon[r % std::size(kCommon)] : kMixedPieces[r % std::size(kMixedPieces)];
  }
  return text;
}

TEST(TextTest, MixedScriptTextIsFoldedAndCleanedAsEachCharacterSays) {
  // CleanText copies, and Fold folds, accented letters and dashes within
  // their ASCII run loops; each must give what the per-character rules
  // (utf8proc: UAX #15, CaseFolding.txt, general categories) give, whatever
  // stands beside them (seeded: the same strings every run).
  std::mt19937 rng(20261202);
  for (int round = 0; round < 4000; ++round) {
    const std::string text = MixedText(rng);
    SCOPED_TRACE(::testing::PrintToString(text));
    EXPECT_EQ(Fold(text), FoldReference(text));
    EXPECT_EQ(Fold(text, "+-"), FoldReference(text, "+-"));
    EXPECT_EQ(CleanText(text), CleanReference(text));
  }
  EXPECT_EQ(CleanText("D\u00E9j\u00E0 \u2014 the fa\u00E7ade \u2014 stra\u00DFe"), "D\u00E9j\u00E0 \u2014 the fa\u00E7ade \u2014 stra\u00DFe");
  EXPECT_EQ(CleanText("a \u00A0\u00E9 \u00AD\u00E9\u0301"), "a \u00E9 \u00E9\u0301");
  EXPECT_EQ(Fold("D\u00E9j\u00E0 \u2014 the fa\u00E7ade\u2026stra\u00DFe"), "deja the facade strasse");
  EXPECT_EQ(Fold("na\u00EFve\u2026", "."), "naive...");
}

// Every mark within a text of `size` bytes, and marks past its end.
std::vector<size_t> MarksFor(size_t size) {
  std::vector<size_t> marks;
  for (size_t mark = 0; mark <= size; ++mark) marks.push_back(mark);
  for (size_t past : {size + 1, size + 9, size + 1500}) marks.push_back(past);
  return marks;
}

TEST(TextTest, FoldWithAMarkGivesTheFoldOfTheTextBeforeIt) {
  // Fold(text, keep, mark, &m): the fold of the whole text, whose first m
  // bytes are the fold of text.substr(0, mark), also when `mark` falls
  // inside a character (there it is an invalid sequence, skipped) or past
  // the end. The text is followed in memory by letters, which a read past
  // its end would fold.
  std::mt19937 rng(20261203);
  for (int round = 0; round < 1500; ++round) {
    const std::string text = MixedText(rng);
    const std::string backing = text + std::string(24, 'q');
    const std::string_view view(backing.data(), text.size());
    for (size_t mark : MarksFor(text.size())) {
      SCOPED_TRACE(::testing::PrintToString(text) + " mark " + std::to_string(mark));
      size_t folded_mark = 12345;
      const std::string folded = Fold(view, "+-", mark, &folded_mark);
      ASSERT_EQ(folded, Fold(text, "+-"));
      ASSERT_LE(folded_mark, folded.size());
      ASSERT_EQ(folded.substr(0, folded_mark), Fold(std::string_view(text).substr(0, std::min(mark, text.size())), "+-"));
    }
  }
}

TEST(LanguageTest, TheFoldOfTheSampleGivesWhatTheTextGives) {
  // NormalizePosting hands Language the fold it made of the description's
  // start (LanguageInFolded): words joined by '-' or '+' count as the words
  // they are, and a sample cut inside a word or a character counts as
  // Language's own does.
  const std::string english = "We are a team of engineers and you will work with the best of us on the-next-thing for our users. ";
  const std::string german = "Wir sind ein Team und suchen eine Person, die mit uns an der Zukunft arbeitet und für die Kunden da ist. ";
  const std::string hyphens = "the-and-to-of a+in+for with-you we+our is-are will-be on-as your-that this+or an. ";
  std::string long_text;
  while (long_text.size() < 2 * kLanguageSample) long_text += english + "\u00E9\u2014 ";
  for (const std::string& text : {english, german, hyphens, english + german, german + english + english, long_text,
                                  std::string(kLanguageSample - 2, 'x') + " \u00E9t\u00E9 " + english}) {
    SCOPED_TRACE(text.substr(0, 60));
    const std::string sample_fold = Fold(std::string_view(text).substr(0, std::min(text.size(), kLanguageSample)), kExtrasKeep);
    EXPECT_EQ(LanguageInFolded(text, sample_fold), Language(text));
    size_t mark = 0;
    const std::string folded = Fold(text, kExtrasKeep, kLanguageSample, &mark);
    EXPECT_EQ(LanguageInFolded(text, std::string_view(folded).substr(0, mark)), Language(text));
  }
  EXPECT_EQ(Language(english), "en");
  EXPECT_EQ(Language(german), "de");
  EXPECT_EQ(Language(hyphens), "en");  // 22 common words, joined by '-' and '+'
  // Words are split sixteen bytes at a time: wherever they fall, they count.
  for (size_t offset = 0; offset < 20; ++offset) {
    const std::string pad(offset, 'x');
    EXPECT_EQ(Language(pad + " " + german), "de") << offset;
    EXPECT_EQ(Language(pad + "-" + hyphens), "en") << offset;
    EXPECT_EQ(Language(pad + " the and to of a in for with you"), "en") << offset;
  }
}

TEST(ExperienceTest, AUnitOfTimeIsSeenWhereverItFallsAgainstTheEightByteSteps) {
  // ExperienceYears looks for a unit's first bytes eight at a time
  // ("ye", "yr", "ja", "ano", "ans", "р"): each unit, at every offset,
  // decides as it does at the start of a text.
  const std::pair<std::string_view, std::optional<int>> kCases[] = {
      {"3+ years of experience", 3},      {"min 2 yrs exp required", 2},
      {"5 Jahre Erfahrung", 5},           {"4 a\u00F1os de experiencia", 4},
      {"7 ans d'exp\u00E9rience", 7},     {"and many answers on the year plan", std::nullopt},
      {"experience: 6 year", 6},          {"\u0434\u043E\u0441\u0432\u0456\u0434 3 years", 3}};
  for (const auto& [phrase, years] : kCases) {
    for (size_t offset = 0; offset < 20; ++offset) {
      const std::string text = std::string(offset, 'x') + " " + std::string(phrase) + " " + std::string(offset % 7, 'z');
      EXPECT_EQ(ExperienceYears(text), years) << text;
    }
  }
}

TEST(SkillsTest, TitleAndDescriptionReadAsOneTextJoinedByALineBreak) {
  // NormalizePosting reads a posting's skills from its title and
  // description without joining them: what it finds is what the joined
  // text gives, with phrases and context across the line break.
  const std::pair<std::string, std::string> kCases[] = {
      {"Senior Go Engineer", "You will build services."},
      {"Data Scientist, Machine", "Learning and R, Python"},
      {"", "Go developers wanted: Kubernetes, React/Redux"},
      {"C++17 Engineer", ""},
      {"Go", "programming language"},
      {"Backend (Node.js/", "TypeScript)"}};
  for (const auto& [title, description] : kCases) {
    EXPECT_EQ(Skills(title, description), Skills(title + "\n" + description)) << title << " | " << description;
  }
  EXPECT_THAT(Skills("Go", "programming language"), ElementsAre("Go"));
}

TEST(TextTest, TextIsKnownCleanExactlyWhenCleaningLeavesItAsItIs) {
  // IsClean lets NormalizePosting keep a field that cleaning would not
  // change (descriptions come from the parsers already clean): it must never
  // say so of text that cleaning changes, and must say so of what CleanText
  // gives from ASCII and the accented letters and dashes it copies, lines
  // and indents included (seeded: the same strings every run).
  static constexpr std::string_view kPieces[] = {
      "a", "Z", "7", ".", " ", "  ", "\n", "\n\n", "\n\n\n", "\n  ", "\n\n   ", " \n", "\t", "\r", "\x01", "\x7f",
      "\u00E9", "\u00DF", "\u2014", "\u1EA1", "\u00A0", "\u00AD", "\u200B", "\u0301", "\u4E2D", "\xC3", "\xE2\x80"};
  static constexpr std::string_view kCopied[] = {"\u00E9", "\u00DF", "\u2014", "\u1EA1"};
  auto copied_only = [](const std::string& s) {
    for (size_t i = 0; i < s.size(); ++i) {
      if (static_cast<unsigned char>(s[i]) < 0x80) continue;
      const auto known = std::find_if(std::begin(kCopied), std::end(kCopied),
                                      [&](std::string_view c) { return std::string_view(s).substr(i).starts_with(c); });
      if (known == std::end(kCopied)) return false;
      i += known->size() - 1;
    }
    return true;
  };
  std::mt19937 rng(20261204);
  for (int round = 0; round < 6000; ++round) {
    std::string text;
    const int parts = static_cast<int>(rng() % 30);
    for (int k = 0; k < parts; ++k) {
      const std::uint32_t r = rng() % 100;
      static constexpr std::string_view kCommon[] = {"a", "q", " ", "\u00E9", "\u2014", "Zz"};
      text += r < 50 ? kCommon[r % std::size(kCommon)] : kPieces[r % std::size(kPieces)];
    }
    for (bool keep_lines : {false, true}) {
      SCOPED_TRACE(::testing::PrintToString(text) + (keep_lines ? " keeping lines" : ""));
      const std::string cleaned = CleanText(text, keep_lines);
      if (IsClean(text, keep_lines)) {
        EXPECT_EQ(cleaned, text);
      }
      if (!cleaned.empty() && copied_only(cleaned)) {
        EXPECT_TRUE(IsClean(cleaned, keep_lines));
        EXPECT_EQ(CleanText(cleaned, keep_lines), cleaned);
      }
    }
  }
  EXPECT_TRUE(IsClean("D\u00E9j\u00E0 vu \u2014 the fa\u00E7ade\n\n  - stra\u00DFe", true));
  EXPECT_FALSE(IsClean("D\u00E9j\u00E0 vu\n\n  - stra\u00DFe", false));
  EXPECT_FALSE(IsClean("two  spaces"));
  EXPECT_FALSE(IsClean(" leading"));
  EXPECT_FALSE(IsClean("trailing "));
  EXPECT_FALSE(IsClean("three\n\n\nbreaks", true));
  EXPECT_FALSE(IsClean("composed e\u0301"));
}

TEST(TextTest, EveryCharacterIsKnownCleanOnlyWhereCleaningCopiesIt) {
  // IsClean passes Latin letters (U+00C0..U+017F) and General
  // Punctuation's dashes and quotes (U+2010..U+2027) sixteen bytes at a
  // time: each must be one CleanText copies as it is, at every offset, and
  // no other character below U+0800 or in General Punctuation may be
  // passed where cleaning would change the text (white space, invisible
  // characters, combining marks).
  auto encode = [](char32_t cp) {
    unsigned char bytes[4];
    const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), bytes);
    return std::string(reinterpret_cast<const char*>(bytes), static_cast<size_t>(n));
  };
  std::vector<char32_t> code_points;
  for (char32_t cp = 0x80; cp < 0x800; ++cp) code_points.push_back(cp);
  for (char32_t cp = 0x2000; cp < 0x2070; ++cp) code_points.push_back(cp);
  for (char32_t cp : code_points) {
    const std::string c = encode(cp);
    const bool copied = (cp >= 0xC0 && cp <= 0x17F) || (cp >= 0x2010 && cp <= 0x2027);
    for (size_t offset = 0; offset < 18; ++offset) {
      const std::string text = "h" + std::string(offset, 'a') + c + " " + c + "bc" + c + c + " defghijklmnopqrstuvw" + c + "xyz";
      for (bool keep_lines : {false, true}) {
        SCOPED_TRACE(::testing::PrintToString(text));
        if (copied) {
          EXPECT_TRUE(IsClean(text, keep_lines));
        }
        if (IsClean(text, keep_lines)) {
          EXPECT_EQ(CleanText(text, keep_lines), text);
        }
      }
    }
  }
}

}  // namespace
}  // namespace jobtrawl::normalize
