// A read-only table from words or phrases to values, looked up by the
// bytes as written, ignoring ASCII case, without allocating: the matchers
// look up every word of a description, and lower-casing each into a
// std::string to find it in a std::unordered_map was most of their time.
//
// Keys are stored with A-Z lower-cased; other bytes (UTF-8 sequences
// included) compare as they are, the way std::tolower in the "C" locale
// treats them. Built once (Tables), then shared read-only by every thread.
// Open addressing over a power-of-two table, load at most one half.
#ifndef JOBTRAWL_NORMALIZE_WORD_TABLE_H_
#define JOBTRAWL_NORMALIZE_WORD_TABLE_H_

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "model/ascii.h"

namespace jobtrawl::normalize {

// A word's bytes, A-Z lower-cased, as the table compares them: the first
// sixteen in two little-endian words (zero past the end), the length, and
// a hash of all of them. Made with a few loads and word-wide operations,
// not a loop over the bytes: the matchers make one for every word of a
// description.
struct FoldedKey {
  std::uint64_t head[2] = {0, 0};
  std::size_t size = 0;
  std::uint64_t hash = 0;

  explicit FoldedKey(std::string_view s) : size(s.size()) {
    const char* p = s.data();
    const std::size_t n = s.size();
    if (n >= 8) {
      head[0] = Load(p, 8);
      if (n >= 16) {
        head[1] = Load(p + 8, 8);
      } else if (n > 8) {
        // The last eight bytes, less those head[0] holds.
        head[1] = Load(p + n - 8, 8) >> (8 * (16 - n));
      }
    } else if (n >= 4) {
      // Two four-byte loads that overlap: OR-ing a byte with itself keeps it.
      head[0] = Load(p, 4) | (Load(p + n - 4, 4) << (8 * (n - 4)));
    } else {
      for (std::size_t i = 0; i < n; ++i) head[0] |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    }
    head[0] = Lower(head[0]);
    head[1] = Lower(head[1]);
    std::uint64_t h = (head[0] ^ 0x9E3779B97F4A7C15ULL) * 0xBF58476D1CE4E5B9ULL;
    h ^= (head[1] + n) * 0x94D049BB133111EBULL;
    for (std::size_t i = 16; i < n; ++i) {  // rare: words past sixteen bytes
      h ^= static_cast<unsigned char>(ascii::ToLower(p[i]));
      h *= 1099511628211ULL;
    }
    hash = h ^ (h >> 31);
  }

 private:
  // `count` (4 or 8) bytes at `p` as a little-endian number.
  static std::uint64_t Load(const char* p, std::size_t count) {
    std::uint64_t v = 0;
    if (count == 8) {
      std::memcpy(&v, p, 8);
    } else {
      std::uint32_t w;
      std::memcpy(&w, p, 4);
      v = w;
    }
    if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v) >> (8 * (8 - count));
    return v;
  }
  // A-Z onto a-z in each byte; every other byte as it is.
  static std::uint64_t Lower(std::uint64_t w) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL,
                            kLow7 = 0x7F7F7F7F7F7F7F7FULL;
    const std::uint64_t x = w & kLow7;  // sums below cannot carry out of a byte
    const std::uint64_t upper = (x + (0x80 - 'A') * kOnes) & ~(x + (0x80 - 'Z' - 1) * kOnes) & ~w & kHigh;
    return w | (upper >> 2);
  }
};

template <typename V>
class AsciiCaseMap {
 public:
  // The value for `key` (lower-cased), default-constructed when new. For
  // building the table only: not thread-safe, invalidates pointers.
  V& operator[](std::string_view key) {
    const FoldedKey folded(key);
    const std::size_t bit = FilterBit(key);
    filter_[bit / 64] |= std::uint64_t{1} << (bit % 64);
    if ((count_ + 1) * 2 > slots_.size()) Grow();
    Slot& slot = Probe(key, folded);
    if (!slot.used) {
      slot.used = true;
      slot.key = ascii::ToLower(key);
      slot.head[0] = folded.head[0];
      slot.head[1] = folded.head[1];
      slot.hash = folded.hash;
      ++count_;
    }
    return slot.value;
  }

  // The value of `written` ignoring ASCII case; nullptr when absent.
  // The filter is inline at every caller (a call a word was a visible part
  // of the matchers' time), the probe behind a call.
  [[gnu::always_inline]] const V* Find(std::string_view written) const {
    const std::size_t bit = FilterBit(written);
    if ((filter_[bit / 64] >> (bit % 64) & 1) == 0) return nullptr;  // most words of a text
    return FindPassed(written);
  }
  bool Contains(std::string_view written) const { return Find(written) != nullptr; }
  std::size_t size() const { return count_; }

 private:
  [[gnu::noinline]] const V* FindPassed(std::string_view written) const {
    if (slots_.empty()) return nullptr;
    const FoldedKey folded(written);
    const Slot& slot = const_cast<AsciiCaseMap*>(this)->Probe(written, folded);
    return slot.used ? &slot.value : nullptr;
  }

  struct Slot {
    bool used = false;
    std::uint64_t hash = 0;
    std::uint64_t head[2] = {0, 0};  // FoldedKey::head of the key
    std::string key;
    V value{};
  };

  // A filter of the keys by first, second and last byte and length,
  // ignoring case: four loads decide for most words that they are not
  // keys, before the word is loaded whole and hashed. (By first and last
  // byte alone, in 4,096 bits, a fifth of the words of the benchmark's
  // descriptions passed, "around", "care", "delivery" and "security" by
  // chance, and the branch on it was mispredicted as often.)
  static constexpr std::size_t kFilterBits = 16384;
  static std::size_t FilterBit(std::string_view s) {
    if (s.empty()) return 0;
    const auto first = static_cast<unsigned char>(ascii::ToLower(s.front()));
    const auto second = static_cast<unsigned char>(ascii::ToLower(s[s.size() > 1 ? 1 : 0]));
    const auto last = static_cast<unsigned char>(ascii::ToLower(s.back()));
    const std::uint32_t mixed = (first * 0x9E3779B1u) ^ (second * 0x27D4EB2Fu) ^ (last * 0x85EBCA77u) ^
                                (static_cast<std::uint32_t>(s.size()) * 0xC2B2AE3Du);
    return (mixed >> 18) % kFilterBits;
  }

  // The slot holding `key`, or the empty one where it would go. Keys of up
  // to sixteen bytes compare by their FoldedKey alone.
  Slot& Probe(std::string_view key, const FoldedKey& folded) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(folded.hash) & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (!slot.used) return slot;
      if (slot.hash == folded.hash && slot.key.size() == folded.size && slot.head[0] == folded.head[0] &&
          slot.head[1] == folded.head[1] && (folded.size <= 16 || ascii::EqualsIgnoreCase(slot.key, key))) {
        return slot;
      }
    }
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.clear();
    slots_.resize(old.empty() ? 64 : old.size() * 2);
    for (Slot& s : old) {
      if (!s.used) continue;
      Slot& slot = Probe(s.key, FoldedKey(s.key));
      slot = std::move(s);
    }
  }

  std::vector<Slot> slots_;
  std::size_t count_ = 0;
  std::array<std::uint64_t, kFilterBits / 64> filter_{};
};

}  // namespace jobtrawl::normalize

#endif  // JOBTRAWL_NORMALIZE_WORD_TABLE_H_
