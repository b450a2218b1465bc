#include "normalize/text.h"

#include <utf8proc.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "model/ascii.h"
#include "normalize/tables.h"
#include "normalize/utf8.h"

namespace jobtrawl::normalize {
namespace {

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

// utf8proc_map with `options`; nullopt-like empty result flagged by `ok`.
std::string Map(std::string_view text, int options, bool& ok) {
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                    static_cast<utf8proc_ssize_t>(text.size()), &out,
                                    static_cast<utf8proc_option_t>(options));
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owned(out);
  ok = n >= 0;
  if (!ok) return {};
  return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

// Code points dropped from text: zero-width and other invisible format
// characters, the BOM, soft hyphens, and controls other than line breaks.
bool Invisible(utf8proc_int32_t cp) {
  if (cp < 0x80) return (cp < 0x20 || cp == 0x7F) && cp != '\n' && cp != '\t' && cp != '\r';  // Cc
  if (cp == 0xAD || cp == 0xFEFF || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 ||
      cp == 0x180E || (cp >= 0x200E && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
      (cp >= 0x2066 && cp <= 0x2069))
    return true;
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_CC && cp != '\n' && cp != '\t' && cp != '\r';
}

bool IsWhite(utf8proc_int32_t cp) {
  if (cp < 0x80) return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v';
  const auto cat = utf8proc_category(cp);
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
         cat == UTF8PROC_CATEGORY_ZS || cp == 0x2028 || cp == 0x2029;
}


// The answers of Invisible, IsWhite and NeedsNfc for each code
// point below kTabled (Latin, Greek, Cyrillic, ..., General Punctuation:
// nearly every non-ASCII character of a posting), asked of utf8proc once.
constexpr utf8proc_int32_t kTabled = 0x2100;
enum : std::uint8_t { kWhiteFlag = 1, kInvisibleFlag = 2, kNfcFlag = 4 };

bool NeedsNfc(utf8proc_int32_t cp) {
  if (utf8proc_get_property(cp)->combining_class != 0 || (cp >= 0x1100 && cp <= 0x11FF)) return true;
  const auto cat = utf8proc_category(cp);
  return cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME;
}

const std::array<std::uint8_t, kTabled>& CharFlags() {
  static const auto kFlags = [] {
    std::array<std::uint8_t, kTabled> flags{};
    for (utf8proc_int32_t cp = 0; cp < kTabled; ++cp) {
      flags[static_cast<size_t>(cp)] = static_cast<std::uint8_t>((IsWhite(cp) ? kWhiteFlag : 0) |
                                                                 (Invisible(cp) ? kInvisibleFlag : 0) |
                                                                 (NeedsNfc(cp) ? kNfcFlag : 0));
    }
    return flags;
  }();
  return kFlags;
}

// The flags of `cp`: from the table below kTabled, else from utf8proc
// (kNfcFlag only when `ask_nfc`: once one character needs NFC, no other
// need be asked).
std::uint8_t FlagsOf(const std::array<std::uint8_t, kTabled>& table, utf8proc_int32_t cp, bool ask_nfc) {
  if (cp < kTabled) return table[static_cast<size_t>(cp)];
  return static_cast<std::uint8_t>((IsWhite(cp) ? kWhiteFlag : 0) | (Invisible(cp) ? kInvisibleFlag : 0) |
                                   (ask_nfc && NeedsNfc(cp) ? kNfcFlag : 0));
}

// What Fold makes of one character below kFoldTabled or in General
// Punctuation: its NFKC case-folded decomposition with marks stripped, each
// part a word character (letter or digit) or not; decided once.
constexpr utf8proc_int32_t kFoldTabled = 0x800;
constexpr utf8proc_int32_t kPunctuationFirst = 0x2000, kPunctuationLast = 0x206F;
struct FoldedChar {
  bool tabled = false;  // false: more parts than fit; Fold asks utf8proc
  bool short_ascii = false;  // every part ASCII, and no more parts than the character's bytes
  std::uint8_t count = 0;
  std::uint8_t word_mask = 0;  // bit k: part k is a letter or digit
  std::array<utf8proc_int32_t, 4> parts{};
};

FoldedChar FoldChar(utf8proc_int32_t cp) {
  FoldedChar f;
  utf8proc_int32_t decomposed[16];
  int boundclass = UTF8PROC_BOUNDCLASS_START;
  const utf8proc_ssize_t count = utf8proc_decompose_char(
      cp, decomposed, 16,
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                     UTF8PROC_STRIPMARK | UTF8PROC_IGNORE),
      &boundclass);
  f.tabled = true;
  if (count < 0 || count > 16) return f;  // nothing: as Fold skips it
  for (utf8proc_ssize_t k = 0; k < count; ++k) {
    const utf8proc_int32_t c = decomposed[k];
    const auto cat = utf8proc_category(c);
    if (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) continue;  // marks: stripped
    if (f.count == f.parts.size()) {
      f.tabled = false;
      return f;
    }
    const bool word = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                      (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
    if (word) f.word_mask = static_cast<std::uint8_t>(f.word_mask | (1u << f.count));
    f.parts[f.count++] = c;
  }
  f.short_ascii = std::all_of(f.parts.begin(), f.parts.begin() + f.count, [](utf8proc_int32_t c) { return c < 0x80; }) &&
                  f.count <= (cp < 0x800 ? 2 : 3);
  return f;
}

// The entry of `cp`, or nullptr when it is not tabled.
const std::vector<FoldedChar>& FoldedChars() {
  static const auto kTable = [] {
    std::vector<FoldedChar> table(kFoldTabled + (kPunctuationLast - kPunctuationFirst + 1));
    for (utf8proc_int32_t c = 0x80; c < kFoldTabled; ++c) table[static_cast<size_t>(c)] = FoldChar(c);
    for (utf8proc_int32_t c = kPunctuationFirst; c <= kPunctuationLast; ++c) {
      table[static_cast<size_t>(kFoldTabled + c - kPunctuationFirst)] = FoldChar(c);
    }
    return table;
  }();
  return kTable;
}

const FoldedChar* FoldedCharOf(utf8proc_int32_t cp) {
  const std::vector<FoldedChar>& kTable = FoldedChars();
  const FoldedChar* f = nullptr;
  if (cp >= 0x80 && cp < kFoldTabled) f = &kTable[static_cast<size_t>(cp)];
  if (cp >= kPunctuationFirst && cp <= kPunctuationLast) f = &kTable[static_cast<size_t>(kFoldTabled + cp - kPunctuationFirst)];
  return f != nullptr && f->tabled ? f : nullptr;
}

// Eight-byte steps over ASCII (little-endian targets; elsewhere the byte
// loops do it all). Each answers, for the eight bytes at `p`, how many of
// them, from the first, a byte loop would pass through unchanged; the
// high bit of each byte is where its answer is kept.
constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL,
                        kLow7 = 0x7F7F7F7F7F7F7F7FULL;
// Exact per byte: the high bit of each byte of x that is zero.
constexpr std::uint64_t ZeroBytes(std::uint64_t x) { return ~(((x & kLow7) + kLow7) | x | kLow7); }
// The bytes before the first one marked in `bad`, less a space before it
// (a space is passed through only with the byte after it).
size_t PrefixBefore(std::uint64_t bad, std::uint64_t spaces) {
  size_t count = bad == 0 ? 8 : static_cast<size_t>(std::countr_zero(bad)) / 8;
  if (count > 0 && ((spaces >> (8 * count - 1)) & 1) != 0) --count;
  return count;
}

// The table entry of the character at `p` when Fold's run loop folds it
// itself (FoldedChar::short_ascii): a valid two-byte sequence, or one of
// General Punctuation led by E2 80 or E2 81 (U+2000..U+206F); its length in
// `*len`. nullptr for anything else.
const FoldedChar* ShortAsciiFold(const std::vector<FoldedChar>& table, const char* p, const char* end, size_t* len) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  const unsigned lead = b[0];
  auto continuation = [](unsigned c) { return (c & 0xC0) == 0x80; };
  const FoldedChar* f = nullptr;
  if (lead >= 0xC2 && lead <= 0xDF) {
    if (end - p < 2 || !continuation(b[1])) return nullptr;
    f = &table[((lead & 0x1F) << 6) | (b[1] & 0x3F)];
    *len = 2;
  } else if (lead == 0xE2) {
    if (end - p < 3 || (b[1] != 0x80 && b[1] != 0x81) || !continuation(b[2])) return nullptr;
    const unsigned cp = 0x2000 | ((b[1] & 0x3F) << 6) | (b[2] & 0x3F);
    if (cp > static_cast<unsigned>(kPunctuationLast)) return nullptr;
    f = &table[kFoldTabled + cp - kPunctuationFirst];
    *len = 3;
  } else {
    return nullptr;
  }
  return f->tabled && f->short_ascii ? f : nullptr;
}

// CleanWithoutNfc's run loop: printable ASCII, and single spaces between
// printable bytes, are copied as they are.
size_t PlainBytes(const char* p) {
  if constexpr (std::endian::native != std::endian::little) {
    return 0;
  } else {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    const std::uint64_t x = w & kLow7;
    // Below 0x20 (the first one flagged is exact: a borrow only runs past
    // one that is), DEL, not ASCII.
    std::uint64_t bad = (w & kHigh) | ((x - 0x20 * kOnes) & ~x & kHigh) | ZeroBytes(x ^ (0x7F * kOnes));
    const std::uint64_t spaces = ZeroBytes(w ^ (0x20 * kOnes));
    bad |= spaces & (spaces >> 8);  // a space before a space
    return PrefixBefore(bad, spaces);
  }
}

// Fold's ASCII loop: letters and digits, with single spaces between them
// and not starting with a space, fold to themselves lower-cased, which
// `*lower` holds for all eight.
size_t WordBytes(const char* p, std::uint64_t* lower) {
  if constexpr (std::endian::native != std::endian::little) {
    return 0;
  } else {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    const std::uint64_t x = w & kLow7;  // sums below cannot carry out of a byte
    // For bytes below 0x80, x + (0x80 - c) has its high bit set exactly when x >= c.
    auto at_least = [](std::uint64_t v, unsigned c) { return (v + (0x80 - c) * kOnes) & kHigh; };
    *lower = x | (0x20 * kOnes);  // A-Z onto a-z; nothing else onto a-z
    const std::uint64_t letters = at_least(*lower, 'a') & ~at_least(*lower, 'z' + 1);
    const std::uint64_t digits = at_least(x, '0') & ~at_least(x, '9' + 1);
    const std::uint64_t spaces = ZeroBytes(w ^ (0x20 * kOnes));
    if ((spaces & 0x80) != 0) return 0;  // a space first: Fold decides what it owes
    std::uint64_t bad = (w & kHigh) | (~(letters | digits | spaces) & kHigh);
    bad |= spaces & (spaces >> 8);  // a space before a space
    return PrefixBefore(bad, spaces);
  }
}

// The length of the character at `p` when CleanWithoutNfc copies it as it
// is: a valid two-byte sequence, or a three-byte one led by E1 or E2
// (U+1000..U+2FFF: Vietnamese, General Punctuation's dashes and quotes),
// below kTabled and neither white space, invisible nor in need of NFC.
// 0 for anything else, which the character loop decides.
size_t PlainChar(const std::array<std::uint8_t, kTabled>& table, const char* p, const char* end) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  const unsigned lead = b[0];
  auto continuation = [](unsigned c) { return (c & 0xC0) == 0x80; };
  if (lead >= 0xC2 && lead <= 0xDF) {
    if (end - p < 2 || !continuation(b[1])) return 0;
    const unsigned cp = ((lead & 0x1F) << 6) | (b[1] & 0x3F);
    return table[cp] == 0 ? 2 : 0;
  }
  if (lead == 0xE1 || lead == 0xE2) {
    if (end - p < 3 || !continuation(b[1]) || !continuation(b[2])) return 0;
    const unsigned cp = ((lead & 0x0F) << 12) | ((b[1] & 0x3F) << 6) | (b[2] & 0x3F);
    return cp < kTabled && table[cp] == 0 ? 3 : 0;
  }
  return 0;
}

#if defined(__SSE2__)
// WordBytes sixteen bytes at a time: how many of the bytes at `p` (16
// readable) are letters and digits with single spaces between them, not
// starting with a space nor ending with one; all sixteen are written to
// `out` lower-cased (the letters; digits and spaces are themselves).
size_t WordBytes16(const char* p, char* out) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));  // A-Z onto a-z; digits and space unchanged
  // Bytes from 0x80 are negative: below every bound.
  auto in_range = [](__m128i x, char lo, char hi) {
    return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(static_cast<char>(lo - 1))),
                         _mm_cmplt_epi8(x, _mm_set1_epi8(static_cast<char>(hi + 1))));
  };
  const __m128i spaces = _mm_cmpeq_epi8(v, _mm_set1_epi8(' '));
  const auto good = static_cast<unsigned>(
      _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(in_range(lower, 'a', 'z'), in_range(v, '0', '9')), spaces)));
  const auto space_mask = static_cast<unsigned>(_mm_movemask_epi8(spaces));
  if ((space_mask & 1) != 0) return 0;  // a space first: Fold decides what it owes
  const unsigned bad = (~good & 0xFFFF) | (space_mask & (space_mask >> 1));  // a space before a space
  size_t count = bad == 0 ? 16 : static_cast<size_t>(std::countr_zero(bad));
  if (count > 0 && ((space_mask >> (count - 1)) & 1) != 0) --count;  // a space only with the byte after it
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), lower);
  return count;
}
#endif

// CleanText without NFC. Sets `*may_need_nfc` when NFC could change `in`:
// it holds a combining mark or a conjoining Hangul jamo (NeedsNfc), or an
// invalid sequence. One pass over text that needs no NFC, nearly all of
// it, both cleans it and says so; precomposed text is left as it is.
std::string CleanWithoutNfc(std::string_view in, bool keep_lines, bool* may_need_nfc) {
  // Written through an index into a buffer sized once: the output is
  // rarely longer than the input (`room` grows it when it would be).
  const auto& table = CharFlags();
  std::string out(in.size() + 16, '\0');
  size_t n = 0;
  auto room = [&](size_t more) {
    if (n + more > out.size()) out.resize(std::max(out.size() * 2, n + more));
  };
  int pending_space = 0;  // 0 none, 1 space, 2 line break, 3 blank line
  int newlines = 0;
  size_t indent = 0;      // with keep_lines: spaces opening a line (Markdown list nesting)
  size_t i = 0;
  auto flush_space = [&] {
    if (n != 0) {
      room(2 + indent);
      if (pending_space == 1) out[n++] = ' ';
      if (pending_space == 2) out[n++] = '\n';
      if (pending_space == 3) {
        out[n++] = '\n';
        out[n++] = '\n';
      }
      if (pending_space >= 2) {
        std::fill_n(out.begin() + static_cast<std::ptrdiff_t>(n), indent, ' ');
        n += indent;
      }
    }
    pending_space = 0;
    newlines = 0;
    indent = 0;
  };
  auto printable = [](char c) { return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7F; };
  while (i < in.size()) {
    // Printable ASCII, most of the text, and the characters copied as they
    // are (PlainChar: accented letters, dashes), straight through a run at
    // a time.
    if (printable(in[i]) || PlainChar(table, in.data() + i, in.data() + in.size()) != 0) {
      if (pending_space == 1 && n != 0) {  // one space between words: the common case
        room(1);
        out[n++] = ' ';
        pending_space = 0;
        newlines = 0;
        indent = 0;
      } else if (pending_space != 0 || newlines != 0 || indent != 0) {
        flush_space();
      }
      // Room for all the rest, then copied as it is scanned.
      room(in.size() - i);
      const char* p = in.data() + i;
      const char* const end = in.data() + in.size();
      char* o = out.data() + n;
      // One space between two printable bytes is written as it is: the
      // space pending before the next word, flushed (newlines and indent
      // are 0 here, after the flush above).
      while (p < end) {
        if (end - p >= 8) {  // up to eight bytes the loop below would copy as they are, at once
          if (const size_t plain = PlainBytes(p); plain != 0) {
            std::memcpy(o, p, 8);  // the bytes past `plain` are written over next
            o += plain;
            p += plain;
            continue;
          }
        }
        if (printable(*p)) {
          *o++ = *p++;
        } else if (*p == ' ' && p + 1 < end && printable(p[1])) {
          *o++ = ' ';
          *o++ = p[1];
          p += 2;
        } else if (const size_t len = PlainChar(table, p, end); len != 0) {
          std::memcpy(o, p, len);
          o += len;
          p += len;
        } else if (const size_t after = *p == ' ' && p + 1 < end ? PlainChar(table, p + 1, end) : 0; after != 0) {
          *o++ = ' ';
          std::memcpy(o, p + 1, after);
          o += after;
          p += after + 1;
        } else {
          break;
        }
      }
      n = static_cast<size_t>(o - out.data());
      i = static_cast<size_t>(p - in.data());
      continue;
    }
    if (in[i] == ' ') {  // between words: the commonest byte after a word
      if (keep_lines && pending_space >= 2) {
        ++indent;
      } else {
        pending_space = std::max(pending_space, 1);
      }
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t len = 1;
    if (ascii::IsAscii(in[i])) {  // controls: no decoding
      cp = static_cast<unsigned char>(in[i]);
    } else {
      len = utf8::Decode(reinterpret_cast<const unsigned char*>(in.data() + i), in.size() - i, &cp);
    }
    if (len <= 0) {  // invalid byte: kept as it is (parsers made text valid UTF-8 already)
      *may_need_nfc = true;
      room(2);
      if (pending_space > 0 && n != 0) out[n++] = ' ';
      pending_space = 0;
      out[n++] = in[i];
      i += 1;
      continue;
    }
    i += static_cast<size_t>(len);
    // One look-up a character, the table's address taken once a call.
    const std::uint8_t flags = FlagsOf(table, cp, !*may_need_nfc);
    if (cp >= 0x80 && (flags & kNfcFlag) != 0) *may_need_nfc = true;
    if (cp == '\n' && keep_lines) {
      ++newlines;
      pending_space = std::max(pending_space, newlines >= 2 ? 3 : 2);
      indent = 0;
      continue;
    }
    if (cp == ' ' && keep_lines && pending_space >= 2) {
      ++indent;
      continue;
    }
    if ((flags & kWhiteFlag) != 0) {
      pending_space = std::max(pending_space, 1);
      continue;
    }
    if ((flags & kInvisibleFlag) != 0) continue;
    flush_space();
    room(4);
    n += static_cast<size_t>(utf8::Encode(cp, reinterpret_cast<unsigned char*>(out.data() + n)));
  }
  out.resize(n);
  return out;
}

}  // namespace

bool IsClean(std::string_view text, bool keep_lines) {
  // Accepted: content characters (printable ASCII, PlainChar's), one space
  // between two of them, and with keep_lines one or two line breaks after
  // one, indented by spaces before the next. CleanWithoutNfc copies exactly
  // these as they are and finds no need of NFC in them. Anything else is
  // left to CleanText to decide.
  const auto& table = CharFlags();
  const char* p = text.data();
  const char* const end = p + text.size();
  auto printable = [](char c) { return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7F; };
  auto content_at = [&](const char* q) { return q < end && (printable(*q) || PlainChar(table, q, end) != 0); };
  // Each byte reached with after_content false is known to start content:
  // the first is checked here, the others where a space or line break is.
  if (!content_at(p)) return false;
  bool after_content = false;
  while (p < end) {
#if defined(__SSE2__)
    // Sixteen bytes at a time: printable ASCII, the commonest characters
    // PlainChar copies (C3, C4 or C5 and a continuation byte: U+00C0..U+017F,
    // Latin letters and two signs; E2 80 90..A7: U+2010..U+2027, dashes,
    // quotes, bullets, the ellipsis), and single spaces before one of
    // them. None is white space, invisible or in need of NFC, as the
    // tests check against PlainChar. A character not wholly within the
    // sixteen bytes, and everything else, is left to the byte loop below.
    if (end - p >= 18) {
      auto load = [p](int k) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + k)); };
      auto mask = [](__m128i m) { return static_cast<unsigned>(_mm_movemask_epi8(m)); };
      auto eq = [](__m128i v, int c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(c))); };
      // Signed: bytes from 0x80 are negative, below 0x21.
      auto printable_bytes = [&eq](__m128i v) { return _mm_andnot_si128(eq(v, 0x7F), _mm_cmpgt_epi8(v, _mm_set1_epi8(0x20))); };
      auto continuation = [](__m128i v) { return _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(0xC0))); };
      const __m128i b0 = load(0), b1 = load(1), b2 = load(2);
      const unsigned latin = mask(_mm_and_si128(_mm_or_si128(_mm_or_si128(eq(b0, 0xC3), eq(b0, 0xC4)), eq(b0, 0xC5)),
                                                continuation(b1))) & 0x7FFF;
      const __m128i punctuation_third = _mm_and_si128(_mm_cmpgt_epi8(b2, _mm_set1_epi8(static_cast<char>(0x8F))),
                                                      _mm_cmplt_epi8(b2, _mm_set1_epi8(static_cast<char>(0xA8))));
      const unsigned punctuation = mask(_mm_and_si128(_mm_and_si128(eq(b0, 0xE2), eq(b1, 0x80)), punctuation_third)) & 0x3FFF;
      const unsigned starts = latin | punctuation;
      const unsigned spaces = mask(eq(b0, ' ')) & (mask(printable_bytes(b1)) | (starts >> 1));
      const unsigned passable = mask(printable_bytes(b0)) | spaces | latin | (latin << 1) | punctuation | (punctuation << 1) |
                                (punctuation << 2);
      const unsigned stop = ~passable & 0xFFFF;
      if (const int passed = stop == 0 ? 16 : std::countr_zero(stop); passed != 0) {
        p += passed;
        after_content = p[-1] != ' ';
        continue;
      }
    }
#endif
    if (printable(*p)) {
      ++p;
      after_content = true;
    } else if (*p == ' ') {
      if (!after_content || !content_at(p + 1)) return false;
      ++p;
      after_content = false;
    } else if (*p == '\n' && keep_lines) {
      if (!after_content) return false;
      const char* q = p + 1;
      if (q < end && *q == '\n') ++q;
      while (q < end && *q == ' ') ++q;
      if (!content_at(q)) return false;
      p = q;
      after_content = false;
    } else if (const size_t len = PlainChar(table, p, end); len != 0) {
      p += len;
      after_content = true;
    } else {
      return false;
    }
  }
  return after_content;
}

std::string CleanText(std::string_view text, bool keep_lines) {
  if (!text.empty() && IsClean(text, keep_lines)) return std::string(text);
  bool may_need_nfc = false;
  std::string out = CleanWithoutNfc(text, keep_lines, &may_need_nfc);
  if (!may_need_nfc) return out;
  bool ok = false;
  const std::string nfc = Map(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE, ok);
  if (!ok) return out;  // invalid UTF-8: only the clean-up
  bool unused = false;
  return CleanWithoutNfc(nfc, keep_lines, &unused);
}

std::string Fold(std::string_view text, std::string_view keep) {
  return Fold(text, keep, text.size(), nullptr);
}

std::string Fold(std::string_view text, std::string_view keep, size_t mark, size_t* folded_mark) {
  // ASCII, most of any posting, is folded byte by byte through a table
  // (the byte it becomes, or 0 for a separator), and the commonest other
  // characters (accented letters, dashes: ShortAsciiFold) beside it in the
  // same loop; each other character through utf8proc on its own (NFKC case
  // fold, marks stripped).
  static constexpr auto kAsciiFold = [] {
    std::array<char, 128> table{};
    for (int b = 0; b < 128; ++b) {
      const char c = static_cast<char>(b);
      table[static_cast<size_t>(b)] = ascii::IsAlnum(c) ? ascii::ToLower(c) : '\0';
    }
    return table;
  }();
  std::array<char, 128> fold = kAsciiFold;
  // WordBytes's bytes fold as they do without `keep` unless it holds a
  // letter, a digit or a space.
  const bool plain_keep = std::none_of(keep.begin(), keep.end(), [](char k) { return ascii::IsAlnum(k) || k == ' '; });
  bool keep_table[128] = {};
  for (char k : keep) {
    if (static_cast<unsigned char>(k) < 128) {
      keep_table[static_cast<unsigned char>(k)] = true;
      fold[static_cast<unsigned char>(k)] = k;
    }
  }
  const std::vector<FoldedChar>& folded_chars = FoldedChars();
  // Written through an index into a buffer grown on demand: push_back per
  // byte was most of the cost. The run loop writes at most one byte per
  // byte read (ShortAsciiFold's characters fold to no more parts than they
  // have bytes), plus a space owed from before the run.
  std::string out(text.size() + 8, '\0');
  size_t n = 0;
  auto room = [&](size_t more) {
    if (n + more > out.size()) out.resize(std::max(out.size() * 2, n + more));
  };
  bool space = false;
  // One part of a character's fold outside the run loop: a letter or digit
  // (`word`), or a character of `keep`, is written after the space owed;
  // anything else owes a space unless nothing is written yet.
  auto emit = [&](utf8proc_int32_t c, bool word) {
    if (!word && !(c < 0x80 && keep_table[c])) {
      space = n != 0;
      return;
    }
    room(5);
    if (space) out[n++] = ' ';
    space = false;
    if (c < 0x80) {
      out[n++] = ascii::ToLower(static_cast<char>(c));
    } else {
      n += static_cast<size_t>(utf8::Encode(c, reinterpret_cast<unsigned char*>(out.data() + n)));
    }
  };
  // Fold(text.substr(0, mark)) is what is written before the first
  // character that does not end by `mark`: the run loop stops at `mark`,
  // and a character across it would be an invalid (skipped) sequence there.
  bool marked = false;
  auto set_mark = [&] {
    if (!marked && folded_mark != nullptr) *folded_mark = n;
    marked = true;
  };
  size_t i = 0;
  while (i < text.size()) {
    if (!marked && i >= mark) set_mark();
    const size_t limit = marked ? text.size() : std::min(mark, text.size());
    if (i < limit) {
      room(text.size() - i + 1);
      char* const base = out.data();
      char* o = base + n;
      bool pending = space;
      const char* p = text.data() + i;
      const char* const end = text.data() + limit;
      while (p < end) {
        if (!ascii::IsAscii(*p)) {
          size_t len = 0;
          const FoldedChar* folded = ShortAsciiFold(folded_chars, p, end, &len);
          if (folded == nullptr) break;
          for (size_t k = 0; k < folded->count; ++k) {
            const auto c = static_cast<unsigned char>(folded->parts[k]);
            if (((folded->word_mask >> k) & 1u) == 0 && !keep_table[c]) {
              pending = o != base;
              continue;
            }
            if (pending) *o++ = ' ';
            pending = false;
            *o++ = ascii::ToLower(static_cast<char>(c));
          }
          p += len;
          continue;
        }
#if defined(__SSE2__)
        if (plain_keep && end - p >= 16) {
          // As WordBytes below, sixteen bytes at a time, written to `o`.
          if (const size_t words = WordBytes16(p, o + (pending ? 1 : 0)); words != 0) {
            if (pending) *o++ = ' ';
            pending = false;
            o += words;
            p += words;
            continue;
          }
        }
#endif
        std::uint64_t lower;
        size_t words;
        if (plain_keep && end - p >= 8 && (words = WordBytes(p, &lower)) != 0) {
          // Up to eight bytes of words with single spaces between them:
          // folded, they are themselves lower-cased, after the space owed.
          if (pending) *o++ = ' ';
          pending = false;
          std::memcpy(o, &lower, 8);  // the bytes past `words` are written over next
          o += words;
          p += words;
          continue;
        }
        const char c = fold[static_cast<unsigned char>(*p++)];
        if (c == '\0') {
          pending = o != base;
          continue;
        }
        if (pending) *o++ = ' ';
        pending = false;
        *o++ = c;
      }
      n = static_cast<size_t>(o - base);
      space = pending;
      i = static_cast<size_t>(p - text.data());
      if (i >= text.size()) break;
      if (!ascii::IsAscii(text[i]) && i < limit) {
        // A character the run loop leaves to the code below.
      } else {
        continue;  // at `mark`
      }
    }
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t len = utf8::Decode(reinterpret_cast<const unsigned char*>(text.data() + i), text.size() - i, &cp);
    if (len <= 0) {
      ++i;
      continue;
    }
    if (i + static_cast<size_t>(len) > mark) set_mark();
    i += static_cast<size_t>(len);
    if (const FoldedChar* folded = FoldedCharOf(cp)) {
      for (size_t k = 0; k < folded->count; ++k) emit(folded->parts[k], ((folded->word_mask >> k) & 1u) != 0);
      continue;
    }
    utf8proc_int32_t decomposed[16];
    int boundclass = UTF8PROC_BOUNDCLASS_START;
    utf8proc_ssize_t count = utf8proc_decompose_char(
        cp, decomposed, 16,
        static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                       UTF8PROC_STRIPMARK | UTF8PROC_IGNORE),
        &boundclass);
    if (count < 0 || count > 16) continue;
    for (utf8proc_ssize_t k = 0; k < count; ++k) {
      const utf8proc_int32_t c = decomposed[k];
      const auto cat = utf8proc_category(c);
      if (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) continue;  // marks: stripped
      emit(c, (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                  (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO));
    }
  }
  set_mark();
  out.resize(n);
  return out;
}

std::vector<std::string_view> Words(std::string_view folded) {
  std::vector<std::string_view> words;
  while (!folded.empty()) {
    size_t space = folded.find(' ');
    if (space != 0) words.push_back(folded.substr(0, space));
    if (space == std::string_view::npos) break;
    folded.remove_prefix(space + 1);
  }
  return words;
}

std::string CompanyKey(std::string_view company) {
  // Qualifiers go: "(Hong Kong)", "(YC W21)", and a " - Hudson WI" suffix.
  // One pass: erasing each group in place was quadratic in "()()()...".
  std::string name;
  name.reserve(company.size());
  for (size_t i = 0; i < company.size();) {
    if (company[i] != '(') {
      name.push_back(company[i++]);
      continue;
    }
    size_t close = company.find(')', i);
    i = close == std::string_view::npos ? company.size() : close + 1;
  }
  for (std::string_view sep : {" - ", " | ", " – "}) {
    if (size_t at = name.find(sep); at != std::string::npos && at > 0) name.erase(at);
  }
  // Dots of abbreviations and legal forms go ("U.S.A.", "Inc."), those of
  // domain names stay ("Cypress.io"); apostrophes go ("Hubbard's").
  std::string plain;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '\'') continue;
    if (c == '.') {
      const bool at_end = i + 1 >= name.size() || name[i + 1] == ' ' || name[i + 1] == ',';
      const bool after_initial = i >= 1 && ascii::IsAlpha(name[i - 1]) &&
                                 (i == 1 || !ascii::IsAlnum(name[i - 2]));
      if (at_end || after_initial) continue;
    }
    plain.push_back(c);
  }
  std::string key = Fold(plain, "&.");
  auto words = Words(key);
  size_t begin = 0, end = words.size();
  if (end - begin > 1 && words[begin] == "the") ++begin;
  // Trailing legal forms, longest first ("pvt ltd" before "ltd"), while a name remains.
  const auto& suffixes = Tables::Get().legal_suffixes;
  for (bool dropped = true; dropped && end - begin > 1;) {
    dropped = false;
    for (size_t n = std::min<size_t>(4, end - begin - 1); n >= 1 && !dropped; --n) {
      std::string tail;
      for (size_t k = end - n; k < end; ++k) AppendJoined(tail, words[k], " ");
      if (suffixes.contains(tail)) {
        end -= n;
        dropped = true;
      }
    }
    if (!dropped && end - begin > 1 && words[end - 1] == "&") {
      --end;
      dropped = true;
    }
  }
  std::string out;
  for (size_t k = begin; k < end; ++k) AppendJoined(out, words[k], " ");
  return out;
}

}  // namespace jobtrawl::normalize
