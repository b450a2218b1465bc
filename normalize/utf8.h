// UTF-8 decoding and encoding of the code points nearly every posting's
// non-ASCII text is made of, inline: utf8proc_iterate and
// utf8proc_encode_char, a library call per character, were a large part of
// cleaning and folding descriptions with accented words and dashes.
//
// Both give exactly what utf8proc (https://juliastrings.github.io/utf8proc/)
// gives, and fall back to it for what they do not decode themselves: the
// two-byte sequences (U+0080..U+07FF) and the three-byte sequences led by
// E1..EC and EE (U+1000..U+CFFF, U+E000..U+EFFF), where no overlong form,
// surrogate or noncharacter can occur, are decoded here; everything else,
// including every invalid sequence, by utf8proc_iterate. Thread-safe (pure).
#ifndef JOBTRAWL_NORMALIZE_UTF8_H_
#define JOBTRAWL_NORMALIZE_UTF8_H_

#include <utf8proc.h>

#include <cstddef>

namespace jobtrawl::normalize::utf8 {

// As utf8proc_iterate(s, size, &cp): the length of the sequence at `s`
// (size > 0) with its code point in `*cp`, or a negative utf8proc error.
inline utf8proc_ssize_t Decode(const unsigned char* s, std::size_t size, utf8proc_int32_t* cp) {
  const unsigned lead = s[0];
  auto continuation = [](unsigned b) { return (b & 0xC0) == 0x80; };
  if (lead >= 0xC2 && lead <= 0xDF && size >= 2 && continuation(s[1])) {
    *cp = static_cast<utf8proc_int32_t>(((lead & 0x1F) << 6) | (s[1] & 0x3F));
    return 2;
  }
  if (lead >= 0xE1 && lead <= 0xEE && lead != 0xED && size >= 3 && continuation(s[1]) && continuation(s[2])) {
    *cp = static_cast<utf8proc_int32_t>(((lead & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F));
    return 3;
  }
  return utf8proc_iterate(s, static_cast<utf8proc_ssize_t>(size), cp);
}

// As utf8proc_encode_char(cp, out): the bytes written at `out` (up to 4).
inline utf8proc_ssize_t Encode(utf8proc_int32_t cp, unsigned char* out) {
  if (cp >= 0 && cp < 0x80) {
    out[0] = static_cast<unsigned char>(cp);
    return 1;
  }
  if (cp >= 0x80 && cp < 0x800) {
    out[0] = static_cast<unsigned char>(0xC0 | (cp >> 6));
    out[1] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp >= 0x800 && cp < 0xD800) {
    out[0] = static_cast<unsigned char>(0xE0 | (cp >> 12));
    out[1] = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
    return 3;
  }
  return utf8proc_encode_char(cp, out);
}

}  // namespace jobtrawl::normalize::utf8

#endif  // JOBTRAWL_NORMALIZE_UTF8_H_
