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
};

}  // namespace jobtrawl::normalize

#endif  // JOBTRAWL_NORMALIZE_WORD_TABLE_H_
