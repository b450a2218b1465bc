#include "parsers/charset.h"

#include <iconv.h>
#include <uchardet.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>

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

// Labels mapped as the Encoding Standard does for the ones that matter here
// (https://encoding.spec.whatwg.org/#names-and-labels).
std::string Canonical(std::string label) {
  for (auto& c : label) c = ascii::ToLower(c);
  while (!label.empty() && (label.back() == ' ' || label.back() == '"' || label.back() == '\'')) label.pop_back();
  while (!label.empty() && (label.front() == ' ' || label.front() == '"' || label.front() == '\'')) label.erase(0, 1);
  if (label == "utf8" || label == "unicode-1-1-utf-8") return "utf-8";
  if (label == "latin1" || label == "iso-8859-1" || label == "iso8859-1" || label == "us-ascii" ||
      label == "ascii" || label == "cp1252" || label == "l1" || label == "x-cp1252") {
    return "windows-1252";
  }
  if (label == "shift-jis" || label == "sjis" || label == "x-sjis") return "shift_jis";
  if (label == "gb2312" || label == "gbk" || label == "x-gbk") return "gb18030";
  return label;
}

struct IconvCloser {
  void operator()(iconv_t* cd) const {
    iconv_close(*cd);
    delete cd;
  }
};

// Transcodes with iconv; false when iconv does not know `charset`.
bool Transcode(std::string_view in, const std::string& charset, std::string& out, int& replaced) {
  iconv_t raw = iconv_open("UTF-8", charset.c_str());
  if (raw == reinterpret_cast<iconv_t>(-1)) return false;
  std::unique_ptr<iconv_t, IconvCloser> cd(new iconv_t(raw));
  out.clear();
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
  return Canonical(name);
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
  size_t i = 0;
  while (i < s.size()) {
    // Eight ASCII bytes at a time: most of a page.
    if (i + 8 <= s.size()) {
      std::uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    size_t n = Utf8Sequence(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string CharsetFromContentType(std::string_view content_type) {
  size_t at = ascii::FindIgnoreCase(content_type, "charset=");
  if (at == std::string_view::npos) return {};
  std::string_view v = content_type.substr(at + 8);
  v = v.substr(0, v.find_first_of(";, \t"));
  return Canonical(std::string(v));
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
      if (!v.empty()) {
        std::string label = Canonical(std::string(v));
        // A document read as ASCII-compatible bytes cannot be UTF-16.
        return label.starts_with("utf-16") ? "utf-8" : label;
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
  std::string charset;
  for (char c : decl.substr(quote + 1, end - quote - 1)) {
    charset.push_back(ascii::ToLower(c));
  }
  if (charset == "utf8") charset = "utf-8";
  return charset;
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
  if (transcode(Detect(bytes), "detected", bytes)) return d;
  transcode("windows-1252", "default", bytes);
  return d;
}

std::string RepairMojibake(std::string_view text) {
  // Mojibake of UTF-8 read as windows-1252 starts with one of Â Ã â ð
  // (the lead bytes C2, C3, E2, F0 seen as characters).
  if (text.find("\xC3\x82") == std::string_view::npos && text.find("\xC3\x83") == std::string_view::npos &&
      text.find("\xC3\xA2") == std::string_view::npos && text.find("\xC3\xB0") == std::string_view::npos) {
    return std::string(text);
  }
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
