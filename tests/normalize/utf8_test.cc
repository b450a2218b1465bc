// normalize/utf8.h decodes and encodes as utf8proc does, on every input:
// every one-, two- and three-byte sequence (valid or not, and cut short)
// and every code point.
#include "normalize/utf8.h"

#include <gtest/gtest.h>
#include <utf8proc.h>

#include <array>
#include <cstddef>

namespace jobtrawl::normalize::utf8 {
namespace {

void ExpectDecodesAsUtf8proc(const unsigned char* s, std::size_t size, int* failures) {
  utf8proc_int32_t want = -1, got = -1;
  const utf8proc_ssize_t want_n = utf8proc_iterate(s, static_cast<utf8proc_ssize_t>(size), &want);
  const utf8proc_ssize_t got_n = Decode(s, size, &got);
  if ((want_n != got_n || (want_n > 0 && want != got)) && ++*failures <= 10) {
    ADD_FAILURE() << "bytes " << std::hex << int{s[0]} << " " << (size > 1 ? int{s[1]} : -1) << " "
                  << (size > 2 ? int{s[2]} : -1) << " (size " << std::dec << size << "): utf8proc " << want_n
                  << " U+" << std::hex << want << ", Decode " << std::dec << got_n << " U+" << std::hex << got;
  }
}

TEST(Utf8Test, DecodesEveryShortSequenceAsUtf8procDoes) {
  int failures = 0;
  std::array<unsigned char, 4> s{};
  for (unsigned a = 0x80; a <= 0xFF; ++a) {
    s[0] = static_cast<unsigned char>(a);
    ExpectDecodesAsUtf8proc(s.data(), 1, &failures);  // cut short after the lead byte
    for (unsigned b = 0; b <= 0xFF; ++b) {
      s[1] = static_cast<unsigned char>(b);
      ExpectDecodesAsUtf8proc(s.data(), 2, &failures);
      if (a < 0xE0 || a > 0xEF) continue;  // the three-byte leads: every third byte too
      for (unsigned c = 0; c <= 0xFF; ++c) {
        s[2] = static_cast<unsigned char>(c);
        ExpectDecodesAsUtf8proc(s.data(), 3, &failures);
        s[3] = 'x';
        ExpectDecodesAsUtf8proc(s.data(), 4, &failures);
      }
    }
  }
  EXPECT_EQ(failures, 0);
}

TEST(Utf8Test, EncodesEveryCodePointAsUtf8procDoes) {
  int failures = 0;
  for (utf8proc_int32_t cp = -1; cp <= 0x110000; ++cp) {
    std::array<unsigned char, 4> want{}, got{};
    const utf8proc_ssize_t want_n = utf8proc_encode_char(cp, want.data());
    const utf8proc_ssize_t got_n = Encode(cp, got.data());
    if ((want_n != got_n || want != got) && ++failures <= 10) ADD_FAILURE() << "U+" << std::hex << cp;
  }
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace jobtrawl::normalize::utf8
