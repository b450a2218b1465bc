// Work computed ahead of its use on a second core: PostingStore::Upsert
// hashes and fingerprints posting i+1, i+2, ... (ContentHash, SimHash; pure
// functions of the posting) on a helper thread while its own thread runs
// the SQL for posting i (bench/README.md "Scale"). Internal to
// jobtrawl_storage.
#ifndef JOBTRAWL_STORAGE_AHEAD_H_
#define JOBTRAWL_STORAGE_AHEAD_H_

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace jobtrawl::storage::internal {

// compute(0) .. compute(n - 1), each exactly once, on whichever of two
// threads gets to it first: a helper thread walks the items in order while
// the owning thread takes them with Get(i). Get(i) returns at once when the
// helper has finished item i, waits (std::atomic::wait, no polling) while
// the helper computes it, and computes it itself when the helper has not
// reached it, so the owner never waits for items the helper has yet to
// start. `compute` must be safe to call from two threads at once on
// different items (a pure function of its input); its result for i is the
// same whichever thread runs it.
//
// Without a helper (n < min_for_thread, or the thread cannot be started)
// Get computes every item on the calling thread. An exception from compute
// on the helper stops the helper; that item, and every item after it, is
// then computed by Get, so the exception (if it recurs) reaches the owner.
// Not thread-safe: one owner calls Get, in any order; a second Get(i)
// returns the same value (or, after an exception, computes it again). The
// destructor stops the helper after the item it is computing and joins it.
template <typename T>
class Ahead {
 public:
  Ahead(std::size_t n, std::function<T(std::size_t)> compute, std::size_t min_for_thread = 16)
      : values_(n), state_(std::make_unique<std::atomic<int>[]>(n)), compute_(std::move(compute)) {
    for (std::size_t i = 0; i < n; ++i) state_[i].store(kFree, std::memory_order_relaxed);
    if (n < min_for_thread || n < 2) return;
    try {
      helper_ = std::jthread([this, n](std::stop_token stop) { Help(stop, n); });
    } catch (const std::system_error&) {
      // No thread to be had: everything is computed by Get.
    }
  }
  ~Ahead() = default;  // helper_ is destroyed first: stop requested, joined
  Ahead(const Ahead&) = delete;
  Ahead& operator=(const Ahead&) = delete;

  T& Get(std::size_t i) {
    for (;;) {
      int expected = kFree;
      if (state_[i].compare_exchange_strong(expected, kClaimed, std::memory_order_acquire)) {
        try {
          values_[i].emplace(compute_(i));
        } catch (...) {
          state_[i].store(kFree, std::memory_order_relaxed);  // a later Get(i) tries again
          throw;
        }
        state_[i].store(kDone, std::memory_order_relaxed);  // only this thread reads it from now on
        return *values_[i];
      }
      if (expected == kDone) return *values_[i];  // acquire: the helper's store released it
      state_[i].wait(kClaimed, std::memory_order_acquire);
    }
  }

  // Whether a helper thread was started (tests).
  bool has_helper() const { return helper_.joinable(); }

 private:
  enum : int { kFree = 0, kClaimed = 1, kDone = 2 };

  void Help(std::stop_token stop, std::size_t n) {
    for (std::size_t i = 0; i < n && !stop.stop_requested(); ++i) {
      int expected = kFree;
      if (!state_[i].compare_exchange_strong(expected, kClaimed, std::memory_order_acquire)) continue;
      try {
        values_[i].emplace(compute_(i));
      } catch (...) {
        state_[i].store(kFree, std::memory_order_release);
        state_[i].notify_all();
        return;
      }
      state_[i].store(kDone, std::memory_order_release);
      state_[i].notify_all();
    }
  }

  std::vector<std::optional<T>> values_;
  std::unique_ptr<std::atomic<int>[]> state_;
  std::function<T(std::size_t)> compute_;
  std::jthread helper_;  // last: stopped and joined before the rest goes
};

}  // namespace jobtrawl::storage::internal

#endif  // JOBTRAWL_STORAGE_AHEAD_H_
