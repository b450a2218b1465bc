#include "parsers/charset.h"

#include <gtest/gtest.h>

namespace jobtrawl::parsers {
namespace {

std::string Utf8(std::string_view bytes, std::string_view content_type = {}) {
  DecodedText d = DecodeToUtf8(bytes, content_type);
  return std::string(d.View(bytes));
}

TEST(CharsetTest, DecidesInTheHtmlSpecsOrder) {
  // BOM, then the HTTP header, then <meta> in the first 1024 bytes, then detection.
  const std::string latin1 = "<p>Caf\xE9 M\xFCnchen</p>";
  struct Case {
    std::string bytes;
    std::string content_type;
    std::string text;
    std::string source;
  } cases[] = {
      {"\xEF\xBB\xBF<p>caf\xC3\xA9</p>", "text/html; charset=iso-8859-1", "<p>caf\xC3\xA9</p>", "bom"},
      {latin1, "text/html; charset=ISO-8859-1", "<p>Caf\xC3\xA9 M\xC3\xBCnchen</p>", "header"},
      {latin1, "text/html; charset=\"windows-1252\"", "<p>Caf\xC3\xA9 M\xC3\xBCnchen</p>", "header"},
      {"<meta charset=\"iso-8859-1\">" + latin1, "text/html", "<meta charset=\"iso-8859-1\"><p>Caf\xC3\xA9 M\xC3\xBCnchen</p>", "meta"},
      {"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">\x93hi\x94", "",
       "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">\xE2\x80\x9Chi\xE2\x80\x9D", "meta"},
      {"<p>caf\xC3\xA9</p>", "", "<p>caf\xC3\xA9</p>", "detected"},
      {std::string("\xFF\xFE<\0p\0>\0", 8), "", "<p>", "bom"},
  };
  for (const auto& c : cases) {
    DecodedText d = DecodeToUtf8(c.bytes, c.content_type);
    EXPECT_EQ(std::string(d.View(c.bytes)), c.text) << c.source;
    EXPECT_EQ(d.source, c.source) << c.bytes;
  }
}

TEST(CharsetTest, UndeclaredLegacyBytesAreDetectedOrReadAsWindows1252) {
  // No header, no meta, not UTF-8: detection, then windows-1252 at the last.
  std::string bytes = "<html><body><p>Der Entwickler arbeitet in M\xFCnchen und Z\xFCrich f\xFCr "
                      "gr\xF6\xDF" "ere Projekte, sch\xF6ne B\xFCros.</p></body></html>";
  std::string text = Utf8(bytes);
  EXPECT_TRUE(IsValidUtf8(text));
  EXPECT_NE(text.find("M\xC3\xBCnchen"), std::string::npos) << text;
}

TEST(CharsetTest, InvalidSequencesAreReplacedNeverPassedOn) {
  // Truncated and bogus UTF-8 declared as UTF-8: U+FFFD for each bad sequence.
  std::string bytes = "ok \xC3 \xE2\x82 \xF0\x9F\x8C \xED\xA0\x80 \xC0\xAF end \xF0\x9F\x8C\x8E";
  DecodedText d = DecodeToUtf8(bytes, "text/html; charset=utf-8");
  std::string text(d.View(bytes));
  EXPECT_TRUE(IsValidUtf8(text));
  EXPECT_TRUE(text.starts_with("ok \xEF\xBF\xBD "));
  EXPECT_TRUE(text.ends_with(" end \xF0\x9F\x8C\x8E"));
  EXPECT_GE(d.replaced, 5);
  // An unknown charset name falls back instead of failing.
  EXPECT_TRUE(IsValidUtf8(Utf8("caf\xE9", "text/html; charset=x-no-such-charset")));
}

TEST(CharsetTest, UndeclaredUtf8WithAFewBadBytesStaysUtf8) {
  // A UTF-8 page that declares nothing and carries a stray byte (a body cut
  // mid-character at the size limit, a legacy byte pasted into a template)
  // is still UTF-8: the bad bytes become U+FFFD and every other character
  // keeps its value. Reading the whole page as windows-1252 instead turns
  // each accented letter into mojibake ("Zürich" -> "ZÃ¼rich").
  const std::string page =
      "<html><body><h1>Senior Engineer \xE2\x80\x94 Z\xC3\xBCrich</h1><p>Caf\xC3\xA9 "
      "M\xC3\xBCnchen, S\xC3\xA3o Paulo, Krak\xC3\xB3w \xE2\x80\x9Cremote\xE2\x80\x9D.</p>";
  const std::string cases[] = {
      page + "<p>stray \xFF byte</p></body></html>",         // an invalid byte
      page + "<p>legacy \xE9t\xE9</p></body></html>",       // windows-1252 bytes in a UTF-8 page
      page + "<p>cut at the limit \xE2\x80",                 // truncated mid-character
  };
  // Few non-ASCII letters among much ASCII: uchardet alone guesses IBM852
  // here ("Z\u251c\u255drich").
  std::string filler;
  for (int i = 0; i < 400; ++i) filler += "lorem ";
  const std::string short_pages[] = {
      "<p>Z\xC3\xBCrich</p>" + filler + "<p>Krak\xC3\xB3w \xE2\x80\x9Cremote\xE2\x80\x9D \xFF</p>",
      "<p>Z\xC3\xBCrich</p>" + filler + "<p>Krak\xC3\xB3w \xE2\x80\x9Cremote\xE2\x80\x9D \xE9t\xE9</p>",
  };
  for (const auto& bytes : {cases[0], cases[1], cases[2], short_pages[0], short_pages[1]}) {
    DecodedText d = DecodeToUtf8(bytes);
    std::string text(d.View(bytes));
    EXPECT_EQ(d.charset, "utf-8") << bytes;
    EXPECT_TRUE(IsValidUtf8(text));
    EXPECT_NE(text.find("Z\xC3\xBCrich"), std::string::npos) << text;
    EXPECT_NE(text.find("Krak\xC3\xB3w \xE2\x80\x9Cremote\xE2\x80\x9D"), std::string::npos) << text;
    EXPECT_NE(text.find("\xEF\xBF\xBD"), std::string::npos) << text;
    EXPECT_GE(d.replaced, 1);
  }
  // Legacy text with one byte pair that happens to form a UTF-8 sequence is
  // still legacy text: a lone valid sequence among many invalid bytes is chance.
  std::string legacy = "<p>M\xFCnchen, Z\xFCrich, K\xF6ln, D\xFCsseldorf, Gen\xE8ve, "
                       "\xC3\xA9 and gr\xF6\xDF" "ere B\xFCros.</p>";
  std::string text = Utf8(legacy);
  EXPECT_NE(text.find("M\xC3\xBCnchen"), std::string::npos) << text;
}

TEST(CharsetTest, LabelsAreReadThroughTheEncodingStandardsTable) {
  // https://encoding.spec.whatwg.org/#names-and-labels
  EXPECT_EQ(EncodingForLabel("latin1"), "windows-1252");
  EXPECT_EQ(EncodingForLabel(" ISO-8859-1\t"), "windows-1252");
  EXPECT_EQ(EncodingForLabel("\"UTF8\""), "utf-8");
  EXPECT_EQ(EncodingForLabel("x-unicode20utf8"), "utf-8");
  EXPECT_EQ(EncodingForLabel("tis-620"), "windows-874");
  EXPECT_EQ(EncodingForLabel("gb2312"), "gbk");
  EXPECT_EQ(EncodingForLabel("ks_c_5601-1987"), "euc-kr");
  EXPECT_EQ(EncodingForLabel("iso-2022-kr"), "replacement");
  EXPECT_EQ(EncodingForLabel("utf-16"), "utf-16le");
  for (const char* unknown : {"ibm852", "utf-7", "utf-32", "mac-centraleurope", "x-no-such", "", "utf-8x"}) {
    EXPECT_EQ(EncodingForLabel(unknown), "") << unknown;
  }

  // Declared labels the standard does not list are ignored, as browsers
  // ignore them: UTF-7 would turn "+ADw-script+AD4-" into markup.
  const std::string utf7 = "<meta charset=\"utf-7\"><p>+ADw-script+AD4-</p>";
  DecodedText d = DecodeToUtf8(utf7);
  EXPECT_EQ(d.charset, "utf-8");
  EXPECT_EQ(std::string(d.View(utf7)), utf7);
  EXPECT_EQ(Utf8("caf\xE9", "text/html; charset=ibm852"), "caf\xC3\xA9");
  // Encodings iconv names differently.
  EXPECT_EQ(Utf8("\xC4\xE3\xBA\xC3", "text/html; charset=gb2312"), "\xE4\xBD\xA0\xE5\xA5\xBD");  // 你好
  EXPECT_EQ(Utf8("\xA4\xA4", "text/html; charset=big5"), "\xE4\xB8\xAD");                         // 中
  // The replacement encoding: the whole input is one U+FFFD.
  EXPECT_EQ(Utf8("\x1B$)C<p>hi</p>", "text/html; charset=iso-2022-kr"), "\xEF\xBF\xBD");
  // x-user-defined: bytes 80-FF to U+F780-U+F7FF; in <meta> it means windows-1252.
  EXPECT_EQ(Utf8("a\x80\xFF", "text/html; charset=x-user-defined"), "a\xEF\x9E\x80\xEF\x9F\xBF");
  EXPECT_EQ(DecodeToUtf8("<meta charset=x-user-defined>\x93").charset, "windows-1252");
  // An XML declaration's name is a label like any other.
  EXPECT_EQ(CharsetFromXmlDeclaration("<?xml version=\"1.0\" encoding=\"Latin1\"?><rss/>"), "windows-1252");
  EXPECT_EQ(CharsetFromXmlDeclaration("<?xml version=\"1.0\" encoding=\"UTF-7\"?><rss/>"), "");
}

TEST(CharsetTest, ACharsetNameIconvReadsAsUtf8StillGivesValidUtf8) {
  // Found by fuzzing (fuzz/regressions/charset): glibc drops the punctuation
  // of charset names, so "utf\xFD8" opened iconv's UTF-8 identity, which
  // copied invalid bytes through.
  for (std::string_view content_type : {"", "text/html; charset=utf_8"}) {
    std::string bytes = "<?xml encoding=\"UTF\xFD\xAC" "8\"?><a>\xFF</a>";
    EXPECT_TRUE(IsValidUtf8(DecodeToUtf8(bytes, content_type).View(bytes))) << content_type;
  }
}

TEST(CharsetTest, ValidatesUtf8Strictly) {
  for (std::string_view ok : {"", "ascii", "caf\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x8C\x8E", "\xF4\x8F\xBF\xBF"}) {
    EXPECT_TRUE(IsValidUtf8(ok)) << ok;
  }
  for (std::string_view bad : {"\xC3", "\xC0\x80", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF", "abcdefgh\x80"}) {
    EXPECT_FALSE(IsValidUtf8(bad)) << bad;
  }
}

TEST(CharsetTest, ValidityIsDecidedAtEveryOffsetOfAnEightByteWord) {
  // RFC 3629 section 4: the eight-ASCII-bytes fast path must neither skip a
  // bad sequence nor misread a good one, wherever it falls in the word.
  for (size_t at = 0; at < 20; ++at) {
    const std::string ascii(at, 'a');
    const std::string tail(19 - at, 'z');
    EXPECT_TRUE(IsValidUtf8(ascii + "\xC3\xA9" + tail)) << at;            // é
    EXPECT_TRUE(IsValidUtf8(ascii + "\xE2\x80\x94" + tail)) << at;        // em dash
    EXPECT_TRUE(IsValidUtf8(ascii + "\xF0\x9F\x8C\x8E" + tail)) << at;    // U+1F30E
    EXPECT_FALSE(IsValidUtf8(ascii + "\xFF" + tail)) << at;
    EXPECT_FALSE(IsValidUtf8(ascii + "\xC3" + tail)) << at;                // lead byte alone
    EXPECT_FALSE(IsValidUtf8(ascii + "\xED\xA0\x80" + tail)) << at;       // a surrogate
    EXPECT_FALSE(IsValidUtf8(ascii + "\xC0\xAF" + tail)) << at;            // overlong "/"
    EXPECT_FALSE(IsValidUtf8(ascii + "\xE2\x80")) << at;                   // cut at the end
  }
}

TEST(CharsetTest, MojibakeIsLookedForPastOtherAccentedLetters) {
  // "é" (C3 A9) is not the start of mojibake; a later "Ã©" (C3 83 C2 A9) is.
  EXPECT_EQ(RepairMojibake("caf\xC3\xA9 and caf\xC3\x83\xC2\xA9"), "caf\xC3\xA9 and caf\xC3\xA9");
  EXPECT_EQ(RepairMojibake("caf\xC3\xA9 \xC3"), "caf\xC3\xA9 \xC3");
}

TEST(CharsetTest, RepairsMojibakeOnlyWhenUnambiguous) {
  // UTF-8 that was read as windows-1252 somewhere upstream.
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"Caf\xC3\x83\xC2\xA9", "Caf\xC3\xA9"},                                        // "CafÃ©"
      {"it\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2s", "it\xE2\x80\x99s"},                   // "itâ€™s"
      {"globe \xC3\xB0\xC5\xB8\xC5\x92\xC5\xBD", "globe \xF0\x9F\x8C\x8E"},         // "ðŸŒŽ"
      {"M\xC3\x83\xC2\xBCnchen and Caf\xC3\xA9", "M\xC3\xBCnchen and Caf\xC3\xA9"},  // mixed: each run on its own
      {"Caf\xC3\xA9", "Caf\xC3\xA9"},                                                // correct text stays
      {"S\xC3\x83O PAULO", "S\xC3\x83O PAULO"},                                     // a lone Ã is not mojibake
      {"plain ascii", "plain ascii"},
  };
  for (const auto& c : cases) EXPECT_EQ(RepairMojibake(c.in), c.out) << c.in;
}

TEST(CharsetTest, HeaderAndMetaParsing) {
  EXPECT_EQ(CharsetFromContentType("text/html; charset=UTF-8"), "utf-8");
  EXPECT_EQ(CharsetFromContentType("text/html;charset='latin1'"), "windows-1252");
  EXPECT_EQ(CharsetFromContentType("text/html"), "");
  EXPECT_EQ(CharsetFromMeta("<head><META CHARSET=Shift_JIS>"), "shift_jis");
  EXPECT_EQ(CharsetFromMeta("<meta charset=\"utf-16\">"), "utf-8");
  EXPECT_EQ(CharsetFromMeta(std::string(1100, ' ') + "<meta charset=\"latin1\">"), "");
}

// IsValidUtf8 skips ASCII sixteen and eight bytes at a time: a bad or cut
// sequence must be found wherever it falls against those blocks.
TEST(CharsetTest, IsValidUtf8FindsABadSequenceAtEveryOffset) {
  for (size_t length = 1; length <= 40; ++length) {
    for (size_t at = 0; at < length; ++at) {
      std::string s(length, 'a');
      s[at] = '\xC3';  // a lead byte: valid only with a continuation after it
      EXPECT_FALSE(IsValidUtf8(s)) << length << " " << at;
      if (at + 1 < length) {
        s[at + 1] = '\xA9';
        EXPECT_TRUE(IsValidUtf8(s)) << length << " " << at;
        s[at + 1] = '\xFF';
        EXPECT_FALSE(IsValidUtf8(s)) << length << " " << at;
      }
      s.assign(length, 'a');
      s[at] = '\x80';  // a continuation byte alone
      EXPECT_FALSE(IsValidUtf8(s)) << length << " " << at;
    }
  }
}

}  // namespace
}  // namespace jobtrawl::parsers
