#include "parsers/charset.h"

#include <iconv.h>
#include <uchardet.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "model/ascii.h"
#include "parsers/html_text.h"

namespace jobtrawl::parsers {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// The length of the UTF-8 sequence starting at s[i], or 0 when invalid.
size_t Utf8Sequence(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
  }
  // Overlong forms, surrogates and code points past U+10FFFF.
  if (c == 0xE0 && b(1) < 0xA0) return 0;
  if (c == 0xED && b(1) >= 0xA0) return 0;
  if (c == 0xF0 && b(1) < 0x90) return 0;
  if (c == 0xF4 && b(1) >= 0x90) return 0;
  return n;
}

// True when `tail` (the end of the input) is the start of a UTF-8 sequence
// that the end cut short.
bool IsTruncatedSequence(std::string_view tail) {
  const auto lead = static_cast<unsigned char>(tail[0]);
  const size_t n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (n == 0 || lead > 0xF4 || tail.size() >= n) return false;
  return std::all_of(tail.begin() + 1, tail.end(),
                     [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; });
}

// Valid UTF-8 with each invalid sequence replaced by U+FFFD.
std::string SanitizeUtf8(std::string_view s, int& replaced) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = Utf8Sequence(s, i);
    if (n == 0) {
      out += kReplacement;
      ++replaced;
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

// The Encoding Standard's labels and the encoding each names, sorted by
// label (https://encoding.spec.whatwg.org/#names-and-labels): 227 labels of
// 40 encodings. A label outside it names no encoding a browser would use
// (ibm852, utf-7, utf-32...) and is ignored, as browsers ignore it.
struct EncodingLabel {
  std::string_view label;
  std::string_view encoding;
};
constexpr EncodingLabel kEncodingLabels[] = {
    {"866", "ibm866"}, {"ansi_x3.4-1968", "windows-1252"}, {"arabic", "iso-8859-6"},
    {"ascii", "windows-1252"}, {"asmo-708", "iso-8859-6"}, {"big5", "big5"}, {"big5-hkscs", "big5"},
    {"chinese", "gbk"}, {"cn-big5", "big5"}, {"cp1250", "windows-1250"}, {"cp1251", "windows-1251"},
    {"cp1252", "windows-1252"}, {"cp1253", "windows-1253"}, {"cp1254", "windows-1254"},
    {"cp1255", "windows-1255"}, {"cp1256", "windows-1256"}, {"cp1257", "windows-1257"},
    {"cp1258", "windows-1258"}, {"cp819", "windows-1252"}, {"cp866", "ibm866"}, {"csbig5", "big5"},
    {"cseuckr", "euc-kr"}, {"cseucpkdfmtjapanese", "euc-jp"}, {"csgb2312", "gbk"},
    {"csibm866", "ibm866"}, {"csiso2022jp", "iso-2022-jp"}, {"csiso2022kr", "replacement"},
    {"csiso58gb231280", "gbk"}, {"csiso88596e", "iso-8859-6"}, {"csiso88596i", "iso-8859-6"},
    {"csiso88598e", "iso-8859-8"}, {"csiso88598i", "iso-8859-8-i"}, {"csisolatin1", "windows-1252"},
    {"csisolatin2", "iso-8859-2"}, {"csisolatin3", "iso-8859-3"}, {"csisolatin4", "iso-8859-4"},
    {"csisolatin5", "windows-1254"}, {"csisolatin6", "iso-8859-10"}, {"csisolatin9", "iso-8859-15"},
    {"csisolatinarabic", "iso-8859-6"}, {"csisolatincyrillic", "iso-8859-5"},
    {"csisolatingreek", "iso-8859-7"}, {"csisolatinhebrew", "iso-8859-8"}, {"cskoi8r", "koi8-r"},
    {"csksc56011987", "euc-kr"}, {"csmacintosh", "macintosh"}, {"csshiftjis", "shift_jis"},
    {"csunicode", "utf-16le"}, {"cyrillic", "iso-8859-5"}, {"dos-874", "windows-874"},
    {"ecma-114", "iso-8859-6"}, {"ecma-118", "iso-8859-7"}, {"elot_928", "iso-8859-7"},
    {"euc-jp", "euc-jp"}, {"euc-kr", "euc-kr"}, {"gb18030", "gb18030"}, {"gb2312", "gbk"},
    {"gb_2312", "gbk"}, {"gb_2312-80", "gbk"}, {"gbk", "gbk"}, {"greek", "iso-8859-7"},
    {"greek8", "iso-8859-7"}, {"hebrew", "iso-8859-8"}, {"hz-gb-2312", "replacement"},
    {"ibm819", "windows-1252"}, {"ibm866", "ibm866"}, {"iso-10646-ucs-2", "utf-16le"},
    {"iso-2022-cn", "replacement"}, {"iso-2022-cn-ext", "replacement"},
    {"iso-2022-jp", "iso-2022-jp"}, {"iso-2022-kr", "replacement"}, {"iso-8859-1", "windows-1252"},
    {"iso-8859-10", "iso-8859-10"}, {"iso-8859-11", "windows-874"}, {"iso-8859-13", "iso-8859-13"},
    {"iso-8859-14", "iso-8859-14"}, {"iso-8859-15", "iso-8859-15"}, {"iso-8859-16", "iso-8859-16"},
    {"iso-8859-2", "iso-8859-2"}, {"iso-8859-3", "iso-8859-3"}, {"iso-8859-4", "iso-8859-4"},
    {"iso-8859-5", "iso-8859-5"}, {"iso-8859-6", "iso-8859-6"}, {"iso-8859-6-e", "iso-8859-6"},
    {"iso-8859-6-i", "iso-8859-6"}, {"iso-8859-7", "iso-8859-7"}, {"iso-8859-8", "iso-8859-8"},
    {"iso-8859-8-e", "iso-8859-8"}, {"iso-8859-8-i", "iso-8859-8-i"},
    {"iso-8859-9", "windows-1254"}, {"iso-ir-100", "windows-1252"}, {"iso-ir-101", "iso-8859-2"},
    {"iso-ir-109", "iso-8859-3"}, {"iso-ir-110", "iso-8859-4"}, {"iso-ir-126", "iso-8859-7"},
    {"iso-ir-127", "iso-8859-6"}, {"iso-ir-138", "iso-8859-8"}, {"iso-ir-144", "iso-8859-5"},
    {"iso-ir-148", "windows-1254"}, {"iso-ir-149", "euc-kr"}, {"iso-ir-157", "iso-8859-10"},
    {"iso-ir-58", "gbk"}, {"iso8859-1", "windows-1252"}, {"iso8859-10", "iso-8859-10"},
    {"iso8859-11", "windows-874"}, {"iso8859-13", "iso-8859-13"}, {"iso8859-14", "iso-8859-14"},
    {"iso8859-15", "iso-8859-15"}, {"iso8859-2", "iso-8859-2"}, {"iso8859-3", "iso-8859-3"},
    {"iso8859-4", "iso-8859-4"}, {"iso8859-5", "iso-8859-5"}, {"iso8859-6", "iso-8859-6"},
    {"iso8859-7", "iso-8859-7"}, {"iso8859-8", "iso-8859-8"}, {"iso8859-9", "windows-1254"},
    {"iso88591", "windows-1252"}, {"iso885910", "iso-8859-10"}, {"iso885911", "windows-874"},
    {"iso885913", "iso-8859-13"}, {"iso885914", "iso-8859-14"}, {"iso885915", "iso-8859-15"},
    {"iso88592", "iso-8859-2"}, {"iso88593", "iso-8859-3"}, {"iso88594", "iso-8859-4"},
    {"iso88595", "iso-8859-5"}, {"iso88596", "iso-8859-6"}, {"iso88597", "iso-8859-7"},
    {"iso88598", "iso-8859-8"}, {"iso88599", "windows-1254"}, {"iso_8859-1", "windows-1252"},
    {"iso_8859-15", "iso-8859-15"}, {"iso_8859-1:1987", "windows-1252"},
    {"iso_8859-2", "iso-8859-2"}, {"iso_8859-2:1987", "iso-8859-2"}, {"iso_8859-3", "iso-8859-3"},
    {"iso_8859-3:1988", "iso-8859-3"}, {"iso_8859-4", "iso-8859-4"},
    {"iso_8859-4:1988", "iso-8859-4"}, {"iso_8859-5", "iso-8859-5"},
    {"iso_8859-5:1988", "iso-8859-5"}, {"iso_8859-6", "iso-8859-6"},
    {"iso_8859-6:1987", "iso-8859-6"}, {"iso_8859-7", "iso-8859-7"},
    {"iso_8859-7:1987", "iso-8859-7"}, {"iso_8859-8", "iso-8859-8"},
    {"iso_8859-8:1988", "iso-8859-8"}, {"iso_8859-9", "windows-1254"},
    {"iso_8859-9:1989", "windows-1254"}, {"koi", "koi8-r"}, {"koi8", "koi8-r"},
    {"koi8-r", "koi8-r"}, {"koi8-ru", "koi8-u"}, {"koi8-u", "koi8-u"}, {"koi8_r", "koi8-r"},
    {"korean", "euc-kr"}, {"ks_c_5601-1987", "euc-kr"}, {"ks_c_5601-1989", "euc-kr"},
    {"ksc5601", "euc-kr"}, {"ksc_5601", "euc-kr"}, {"l1", "windows-1252"}, {"l2", "iso-8859-2"},
    {"l3", "iso-8859-3"}, {"l4", "iso-8859-4"}, {"l5", "windows-1254"}, {"l6", "iso-8859-10"},
    {"l9", "iso-8859-15"}, {"latin1", "windows-1252"}, {"latin2", "iso-8859-2"},
    {"latin3", "iso-8859-3"}, {"latin4", "iso-8859-4"}, {"latin5", "windows-1254"},
    {"latin6", "iso-8859-10"}, {"logical", "iso-8859-8-i"}, {"mac", "macintosh"},
    {"macintosh", "macintosh"}, {"ms932", "shift_jis"}, {"ms_kanji", "shift_jis"},
    {"shift-jis", "shift_jis"}, {"shift_jis", "shift_jis"}, {"sjis", "shift_jis"},
    {"sun_eu_greek", "iso-8859-7"}, {"tis-620", "windows-874"}, {"ucs-2", "utf-16le"},
    {"unicode", "utf-16le"}, {"unicode-1-1-utf-8", "utf-8"}, {"unicode11utf8", "utf-8"},
    {"unicode20utf8", "utf-8"}, {"unicodefeff", "utf-16le"}, {"unicodefffe", "utf-16be"},
    {"us-ascii", "windows-1252"}, {"utf-16", "utf-16le"}, {"utf-16be", "utf-16be"},
    {"utf-16le", "utf-16le"}, {"utf-8", "utf-8"}, {"utf8", "utf-8"}, {"visual", "iso-8859-8"},
    {"windows-1250", "windows-1250"}, {"windows-1251", "windows-1251"},
    {"windows-1252", "windows-1252"}, {"windows-1253", "windows-1253"},
    {"windows-1254", "windows-1254"}, {"windows-1255", "windows-1255"},
    {"windows-1256", "windows-1256"}, {"windows-1257", "windows-1257"},
    {"windows-1258", "windows-1258"}, {"windows-31j", "shift_jis"}, {"windows-874", "windows-874"},
    {"windows-949", "euc-kr"}, {"x-cp1250", "windows-1250"}, {"x-cp1251", "windows-1251"},
    {"x-cp1252", "windows-1252"}, {"x-cp1253", "windows-1253"}, {"x-cp1254", "windows-1254"},
    {"x-cp1255", "windows-1255"}, {"x-cp1256", "windows-1256"}, {"x-cp1257", "windows-1257"},
    {"x-cp1258", "windows-1258"}, {"x-euc-jp", "euc-jp"}, {"x-gbk", "gbk"},
    {"x-mac-cyrillic", "x-mac-cyrillic"}, {"x-mac-roman", "macintosh"},
    {"x-mac-ukrainian", "x-mac-cyrillic"}, {"x-sjis", "shift_jis"}, {"x-unicode20utf8", "utf-8"},
    {"x-user-defined", "x-user-defined"}, {"x-x-big5", "big5"},
};

// The name iconv knows an encoding by, where it differs from the standard's.
std::string IconvName(std::string_view encoding) {
  if (encoding == "gbk") return "GB18030";  // the standard decodes gbk as gb18030
  if (encoding == "big5") return "BIG5-HKSCS";
  if (encoding == "iso-8859-8-i") return "ISO-8859-8";  // logical order; same bytes
  if (encoding == "x-mac-cyrillic") return "MAC-CYRILLIC";
  return std::string(encoding);
}

struct IconvCloser {
  void operator()(iconv_t* cd) const {
    iconv_close(*cd);
    delete cd;
  }
};

// Decodes `in` from `encoding` (a name of kEncodingLabels) into `out`;
// false when iconv does not know it.
bool Transcode(std::string_view in, std::string_view encoding, std::string& out, int& replaced) {
  out.clear();
  if (encoding == "replacement") {
    // The standard's guard against ISO-2022-KR/CN and HZ smuggling markup
    // past filters: the whole input decodes to one U+FFFD.
    if (!in.empty()) {
      out = kReplacement;
      ++replaced;
    }
    return true;
  }
  if (encoding == "x-user-defined") {
    // ASCII as itself, bytes 0x80-0xFF to U+F780-U+F7FF.
    for (char c : in) {
      const auto b = static_cast<unsigned char>(c);
      if (b < 0x80) {
        out.push_back(c);
      } else {
        AppendUtf8(out, 0xF780 + (b - 0x80));
      }
    }
    return true;
  }
  iconv_t raw = iconv_open("UTF-8", IconvName(encoding).c_str());
  if (raw == reinterpret_cast<iconv_t>(-1)) return false;
  std::unique_ptr<iconv_t, IconvCloser> cd(new iconv_t(raw));
  out.reserve(in.size() + in.size() / 2);
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  std::array<char, 16384> buf;
  while (src_left > 0) {
    char* dst = buf.data();
    size_t dst_left = buf.size();
    size_t rc = iconv(*cd, &src, &src_left, &dst, &dst_left);
    out.append(buf.data(), buf.size() - dst_left);
    if (rc == static_cast<size_t>(-1)) {
      if (errno == E2BIG) continue;
      // EILSEQ (invalid) or EINVAL (cut short at the end): one U+FFFD, skip a byte.
      out += kReplacement;
      ++replaced;
      ++src;
      --src_left;
    }
  }
  // glibc drops the punctuation of charset names, so a page's "utf?8" opens
  // the UTF-8 to UTF-8 identity, which copies invalid sequences unchecked.
  if (!IsValidUtf8(out)) out = SanitizeUtf8(out, replaced);
  return true;
}

std::string Detect(std::string_view bytes) {
  uchardet_t ud = uchardet_new();
  if (ud == nullptr) return {};
  // 64 KiB is plenty for a verdict and keeps detection cheap on big pages.
  uchardet_handle_data(ud, bytes.data(), std::min<size_t>(bytes.size(), 65536));
  uchardet_data_end(ud);
  std::string name = uchardet_get_charset(ud);
  uchardet_delete(ud);
  // uchardet also answers with encodings no web page is read as (IBM852,
  // MAC-CENTRALEUROPE for a short Western page): only the standard's count.
  return EncodingForLabel(name);
}

// windows-1252's bytes 0x80-0x9F.
constexpr std::array<char32_t, 32> kC1 = {
    0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};

// The windows-1252 byte for a code point, or -1.
int Cp1252Byte(char32_t cp) {
  if (cp >= 0xA0 && cp <= 0xFF) return static_cast<int>(cp);
  if (cp >= 0x80 && cp <= 0x9F) return static_cast<int>(cp);  // as latin-1 decoders leave them
  for (size_t i = 0; i < kC1.size(); ++i) {
    if (kC1[i] == cp) return static_cast<int>(0x80 + i);
  }
  return -1;
}

// True when undeclared bytes that are not valid UTF-8 are still best read
// as UTF-8: they hold valid multi-byte sequences, at least as many as
// invalid bytes. Legacy single-byte text almost never pairs a lead byte
// with continuation bytes by chance, so a UTF-8 page with a stray byte (a
// legacy character pasted into a template) keeps its text, where detection
// on a page with few non-ASCII letters guesses a DOS code page. A sequence
// cut short by the end of the body (a transfer stopped at the size limit)
// counts for neither side.
bool MostlyUtf8(std::string_view s) {
  size_t valid = 0;
  size_t invalid = 0;
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t n = Utf8Sequence(s, i);
    if (n > 0) {
      ++valid;
      i += n;
      continue;
    }
    if (IsTruncatedSequence(s.substr(i))) break;
    ++invalid;
    ++i;
  }
  return valid > 0 && valid >= invalid;
}

// The first byte at or after `i` that is not ASCII, or s.size(): sixteen
// bytes at a time (SSE2), else eight, since most of a page is ASCII.
size_t SkipAscii(std::string_view s, size_t i) {
#if defined(__SSE2__)
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    if (const auto high = static_cast<std::uint32_t>(_mm_movemask_epi8(block)); high != 0) {
      return i + static_cast<size_t>(std::countr_zero(high));
    }
  }
#endif
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if (const std::uint64_t high = word & 0x8080808080808080ULL; high != 0) {
      return i + static_cast<size_t>(std::countr_zero(high)) / 8;  // little-endian: the first in memory
    }
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

char32_t DecodeCodePoint(std::string_view s, size_t i, size_t n) {
  const auto b = [&](size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k])); };
  switch (n) {
    case 1: return b(0);
    case 2: return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3: return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    default: return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  }
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  for (size_t i = SkipAscii(s, 0); i < s.size(); i = SkipAscii(s, i)) {
    const size_t n = Utf8Sequence(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string EncodingForLabel(std::string_view label) {
  label = ascii::Trim(label);
  std::string key;
  key.reserve(label.size());
  for (char c : label) {
    if (c == '"' || c == '\'') continue;
    key.push_back(ascii::ToLower(c));
  }
  const auto* end = std::end(kEncodingLabels);
  const auto* at = std::lower_bound(std::begin(kEncodingLabels), end, key,
                                    [](const EncodingLabel& e, const std::string& k) { return e.label < k; });
  return at != end && at->label == key ? std::string(at->encoding) : std::string();
}

std::string CharsetFromContentType(std::string_view content_type) {
  size_t at = ascii::FindIgnoreCase(content_type, "charset=");
  if (at == std::string_view::npos) return {};
  std::string_view v = content_type.substr(at + 8);
  v = v.substr(0, v.find_first_of(";, \t"));
  return EncodingForLabel(v);
}

std::string CharsetFromMeta(std::string_view html) {
  std::string_view head = html.substr(0, 1024);
  for (size_t at = ascii::FindIgnoreCase(head, "<meta"); at != std::string_view::npos;
       at = ascii::FindIgnoreCase(head, "<meta", at + 5)) {
    size_t end = head.find('>', at);
    std::string_view tag = head.substr(at, end == std::string_view::npos ? head.npos : end - at);
    // <meta charset="..."> or <meta http-equiv="Content-Type" content="...; charset=...">
    if (size_t c = ascii::FindIgnoreCase(tag, "charset="); c != std::string_view::npos) {
      std::string_view v = tag.substr(c + 8);
      while (!v.empty() && (v.front() == '"' || v.front() == '\'' || v.front() == ' ')) v.remove_prefix(1);
      v = v.substr(0, v.find_first_of("\"'; />"));
      std::string encoding = EncodingForLabel(v);
      if (!encoding.empty()) {
        // HTML's "prescan a byte stream": a document read as ASCII-compatible
        // bytes cannot be UTF-16, and x-user-defined there means windows-1252.
        if (encoding.starts_with("utf-16")) return "utf-8";
        if (encoding == "x-user-defined") return "windows-1252";
        return encoding;
      }
    }
  }
  return {};
}

std::string CharsetFromXmlDeclaration(std::string_view bytes) {
  // <?xml version="1.0" encoding="ISO-8859-1"?> opens the document or nothing.
  if (!bytes.starts_with("<?xml")) return {};
  std::string_view decl = bytes.substr(0, bytes.find("?>", 5));
  size_t at = decl.find("encoding");
  if (at == std::string_view::npos) return {};
  size_t quote = decl.find_first_of("\"'", at + 8);
  if (quote == std::string_view::npos) return {};
  size_t end = decl.find(decl[quote], quote + 1);
  if (end == std::string_view::npos) return {};
  return EncodingForLabel(decl.substr(quote + 1, end - quote - 1));
}

DecodedText DecodeToUtf8(std::string_view bytes, std::string_view content_type) {
  DecodedText d;
  auto as_utf8 = [&](std::string_view body, std::string source) {
    d.charset = "utf-8";
    d.source = std::move(source);
    if (body.size() == bytes.size() && IsValidUtf8(body)) {
      d.unchanged = true;
    } else {
      d.text = SanitizeUtf8(body, d.replaced);
    }
    return d;
  };
  auto transcode = [&](const std::string& charset, std::string source,
                       std::string_view body) -> bool {
    if (charset.empty()) return false;
    if (charset == "utf-8") {
      as_utf8(body, std::move(source));
      return true;
    }
    if (!Transcode(body, charset, d.text, d.replaced)) return false;
    d.charset = charset;
    d.source = std::move(source);
    return true;
  };

  if (bytes.starts_with("\xEF\xBB\xBF")) return as_utf8(bytes.substr(3), "bom");
  if (bytes.starts_with("\xFE\xFF") && transcode("utf-16be", "bom", bytes.substr(2))) return d;
  if (bytes.starts_with("\xFF\xFE") && transcode("utf-16le", "bom", bytes.substr(2))) return d;
  if (transcode(CharsetFromContentType(content_type), "header", bytes)) return d;
  if (transcode(CharsetFromXmlDeclaration(bytes), "xml", bytes)) return d;
  if (transcode(CharsetFromMeta(bytes), "meta", bytes)) return d;
  if (IsValidUtf8(bytes)) return as_utf8(bytes, "detected");
  if (MostlyUtf8(bytes)) return as_utf8(bytes, "detected");
  if (transcode(Detect(bytes), "detected", bytes)) return d;
  transcode("windows-1252", "default", bytes);
  return d;
}

std::string RepairMojibake(std::string_view text) {
  // Mojibake of UTF-8 read as windows-1252 starts with one of Â Ã â ð
  // (the lead bytes C2, C3, E2, F0 seen as characters), all four C3 xx in
  // UTF-8: one scan for C3 finds them.
  bool suspect = false;
  for (size_t at = text.find('\xC3'); at != std::string_view::npos && !suspect; at = text.find('\xC3', at + 1)) {
    if (at + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[at + 1]);
      suspect = next == 0x82 || next == 0x83 || next == 0xA2 || next == 0xB0;
    }
  }
  if (!suspect) return std::string(text);
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t n = Utf8Sequence(text, i);
    if (n <= 1) {
      out.push_back(text[i]);
      ++i;
      continue;
    }
    // A run of non-ASCII characters that windows-1252 can hold: map it back
    // to bytes; if those bytes are valid UTF-8 with a multi-byte sequence,
    // the run was mojibake.
    std::string bytes;
    size_t j = i;
    while (j < text.size()) {
      size_t m = Utf8Sequence(text, j);
      if (m <= 1) break;
      int b = Cp1252Byte(DecodeCodePoint(text, j, m));
      if (b < 0) break;
      bytes.push_back(static_cast<char>(b));
      j += m;
    }
    if (j == i) {  // a character windows-1252 cannot hold
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    if (IsValidUtf8(bytes)) {
      out += bytes;
    } else {
      out.append(text.substr(i, j - i));
    }
    i = j;
  }
  return out;
}

}  // namespace jobtrawl::parsers
