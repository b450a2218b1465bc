// The recent results of a pure function of a text, kept per thread: the
// pages of one board repeat their locations ("Berlin, Germany" on every
// other posting) and many titles, and reading one again is a hash and a
// comparison instead of the rules, their folds and table look-ups.
//
// Direct-mapped: a result is kept in the slot its key's hash names, over
// whatever was there, so memory is bounded (kSlots results of keys up to
// kMaxKey bytes; longer ones are not kept) and nothing is looked for
// twice. Each thread has its own (thread_local at the
// caller), so no locking; not for sharing between threads.
#ifndef JOBTRAWL_NORMALIZE_RECENT_RESULTS_H_
#define JOBTRAWL_NORMALIZE_RECENT_RESULTS_H_

#include <array>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace jobtrawl::normalize {

template <typename V, std::size_t kSlots = 256>
class RecentResults {
 public:
  // compute() for the key (`text`, `context`), or the result it gave the
  // last time that key was asked for, when that is still kept. REQUIRES:
  // compute() is a pure function of the key.
  template <typename Compute>
  V Get(std::string_view text, std::string_view context, Compute&& compute) {
    if (text.size() + context.size() > kMaxKey) return compute();
    const std::size_t hash = std::hash<std::string_view>{}(text) * 31 + std::hash<std::string_view>{}(context);
    Slot& slot = slots_[hash % kSlots];
    if (slot.used && slot.hash == hash && slot.text == text && slot.context == context) return slot.value;
    // Computed before the slot is written: compute() may ask this cache too.
    V value = compute();
    slot.used = true;
    slot.hash = hash;
    slot.text.assign(text);
    slot.context.assign(context);
    slot.value = value;
    return value;
  }

 private:
  static constexpr std::size_t kMaxKey = 256;
  struct Slot {
    bool used = false;
    std::size_t hash = 0;
    std::string text;
    std::string context;
    V value{};
  };
  std::array<Slot, kSlots> slots_{};
};

}  // namespace jobtrawl::normalize

#endif  // JOBTRAWL_NORMALIZE_RECENT_RESULTS_H_
