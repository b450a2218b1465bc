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
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/ascii.h"

namespace jobtrawl::normalize {

template <typename V>
class AsciiCaseMap {
 public:
  // FNV-1a over the lower-cased bytes.
  static std::uint64_t Hash(std::string_view s) {
    std::uint64_t h = 14695981039346656037ULL;
    for (char c : s) {
      h ^= static_cast<unsigned char>(ascii::ToLower(c));
      h *= 1099511628211ULL;
    }
    return h;
  }

  // The value for `key` (lower-cased), default-constructed when new. For
  // building the table only: not thread-safe, invalidates pointers.
  V& operator[](std::string_view key) {
    const std::size_t bit = FilterBit(key);
    filter_[bit / 64] |= std::uint64_t{1} << (bit % 64);
    if ((count_ + 1) * 2 > slots_.size()) Grow();
    Slot& slot = Probe(key, Hash(key));
    if (!slot.used) {
      slot.used = true;
      slot.key = ascii::ToLower(key);
      ++count_;
    }
    return slot.value;
  }

  // The value of `written` ignoring ASCII case; nullptr when absent.
  const V* Find(std::string_view written) const {
    const std::size_t bit = FilterBit(written);
    if ((filter_[bit / 64] >> (bit % 64) & 1) == 0) return nullptr;  // most words of a text
    if (slots_.empty()) return nullptr;
    const Slot& slot = const_cast<AsciiCaseMap*>(this)->Probe(written, Hash(written));
    return slot.used ? &slot.value : nullptr;
  }
  bool Contains(std::string_view written) const { return Find(written) != nullptr; }
  std::size_t size() const { return count_; }

 private:
  struct Slot {
    bool used = false;
    std::string key;
    V value{};
  };

  // A filter of the keys by first and last byte and length, ignoring case:
  // three loads decide for most words that they are not keys, before any
  // hashing.
  static constexpr std::size_t kFilterBits = 4096;
  static std::size_t FilterBit(std::string_view s) {
    if (s.empty()) return 0;
    const auto first = static_cast<unsigned char>(ascii::ToLower(s.front()));
    const auto last = static_cast<unsigned char>(ascii::ToLower(s.back()));
    const std::uint32_t mixed = (first * 0x9E3779B1u) ^ (last * 0x85EBCA77u) ^ (static_cast<std::uint32_t>(s.size()) * 0xC2B2AE3Du);
    return (mixed >> 20) % kFilterBits;
  }

  // The slot holding `key`, or the empty one where it would go.
  Slot& Probe(std::string_view key, std::uint64_t hash) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(hash) & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (!slot.used || ascii::EqualsIgnoreCase(slot.key, key)) return slot;
    }
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.clear();
    slots_.resize(old.empty() ? 64 : old.size() * 2);
    for (Slot& s : old) {
      if (!s.used) continue;
      Slot& slot = Probe(s.key, Hash(s.key));
      slot = std::move(s);
    }
  }

  std::vector<Slot> slots_;
  std::size_t count_ = 0;
  std::array<std::uint64_t, kFilterBits / 64> filter_{};
};

}  // namespace jobtrawl::normalize

#endif  // JOBTRAWL_NORMALIZE_WORD_TABLE_H_
