#include "model/ascii.h"

#include <bit>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace jobtrawl::ascii::detail {

std::size_t FindIgnoreCaseScan(std::string_view s, std::string_view needle, std::size_t from) noexcept {
  const std::size_t k = needle.size();
  std::size_t i = from;
#if defined(__SSE2__)
  // OR-ing 0x20 maps 'A'-'Z' onto 'a'-'z' (and a few other bytes onto
  // others): a true match always passes the filter; a false candidate is
  // removed by the full comparison.
  const __m128i fold = _mm_set1_epi8(0x20);
  const __m128i first = _mm_set1_epi8(static_cast<char>(needle[0] | 0x20));
  const __m128i last = _mm_set1_epi8(static_cast<char>(needle[k - 1] | 0x20));
  for (; i + (k - 1) + 16 <= s.size(); i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i + k - 1));
    const __m128i hits = _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(a, fold), first),
                                       _mm_cmpeq_epi8(_mm_or_si128(b, fold), last));
    for (auto mask = static_cast<std::uint32_t>(_mm_movemask_epi8(hits)); mask != 0; mask &= mask - 1) {
      const std::size_t at = i + static_cast<std::size_t>(std::countr_zero(mask));
      if (EqualsIgnoreCase(s.substr(at, k), needle)) return at;
    }
  }
#endif
  return FindIgnoreCaseLoop(s, needle, i);
}

}  // namespace jobtrawl::ascii::detail
