// storage/ahead.h: work computed ahead on a helper thread, each item once,
// the owner never waiting for an item the helper has not started.
#include "storage/ahead.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace jobtrawl::storage::internal {
namespace {

struct Calls {
  explicit Calls(size_t n) : count(std::make_unique<std::atomic<int>[]>(n)), thread(n) {
    for (size_t i = 0; i < n; ++i) count[i] = 0;
  }
  std::unique_ptr<std::atomic<int>[]> count;
  std::vector<std::thread::id> thread;  // written by the thread that computed the item
};

TEST(AheadTest, EveryItemIsComputedOnceAndGetReturnsItsOwnValue) {
  constexpr size_t n = 500;
  Calls calls(n);
  Ahead<std::string> ahead(n, [&](size_t i) {
    ++calls.count[i];
    return "item " + std::to_string(i);
  });
  EXPECT_TRUE(ahead.has_helper());
  for (size_t i = 0; i < n; ++i) ASSERT_EQ(ahead.Get(i), "item " + std::to_string(i));
  EXPECT_EQ(ahead.Get(7), "item 7");  // again: the same value, not computed again
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(calls.count[i].load(), 1) << i;
}

TEST(AheadTest, TheHelperComputesAheadAndTheOwnerTakesItsResults) {
  // The owner asks for nothing until the helper has finished the last item:
  // every value then comes from the helper's thread.
  constexpr size_t n = 40;
  Calls calls(n);
  std::atomic<bool> last_done{false};
  Ahead<size_t> ahead(n, [&](size_t i) {
    ++calls.count[i];
    calls.thread[i] = std::this_thread::get_id();
    if (i == n - 1) {
      last_done = true;
      last_done.notify_all();
    }
    return i * i;
  });
  ASSERT_TRUE(ahead.has_helper());
  last_done.wait(false);
  for (size_t i = 0; i < n; ++i) {
    ASSERT_EQ(ahead.Get(i), i * i);
    EXPECT_EQ(calls.count[i].load(), 1);
    EXPECT_NE(calls.thread[i], std::this_thread::get_id()) << i;
  }
}

TEST(AheadTest, FewItemsAreComputedOnTheCallingThreadWithoutAHelper) {
  constexpr size_t n = 3;
  Calls calls(n);
  Ahead<size_t> ahead(n, [&](size_t i) {
    calls.thread[i] = std::this_thread::get_id();
    return i + 1;
  });
  EXPECT_FALSE(ahead.has_helper());
  for (size_t i = 0; i < n; ++i) {
    EXPECT_EQ(ahead.Get(i), i + 1);
    EXPECT_EQ(calls.thread[i], std::this_thread::get_id());
  }
  Ahead<int> none(0, [](size_t) { return 0; });
  EXPECT_FALSE(none.has_helper());
}

TEST(AheadTest, AnExceptionReachesTheOwnerWhicheverThreadMetItFirst) {
  // Item 5 always fails: the helper (if it gets there first) gives up and
  // leaves it and the rest to the owner, whose Get(5) throws; the items
  // after it are still computed, each once.
  constexpr size_t n = 64;
  for (int round = 0; round < 50; ++round) {
    Calls calls(n);
    Ahead<size_t> ahead(n, [&](size_t i) {
      if (i == 5) throw std::runtime_error("bad item");
      ++calls.count[i];
      return i;
    });
    for (size_t i = 0; i < 5; ++i) ASSERT_EQ(ahead.Get(i), i);
    EXPECT_THROW(ahead.Get(5), std::runtime_error);
    for (size_t i = 6; i < n; ++i) ASSERT_EQ(ahead.Get(i), i);
    for (size_t i = 0; i < n; ++i) {
      if (i != 5) {
        EXPECT_EQ(calls.count[i].load(), 1) << i;
      }
    }
  }
}

TEST(AheadTest, AnOwnerThatStopsEarlyEndsTheHelper) {
  // Upsert failing at its first posting: the destructor stops and joins
  // the helper; nothing is computed twice.
  constexpr size_t n = 1000;
  Calls calls(n);
  {
    Ahead<size_t> ahead(n, [&](size_t i) {
      ++calls.count[i];
      return i;
    });
    EXPECT_EQ(ahead.Get(0), 0u);
  }
  for (size_t i = 0; i < n; ++i) EXPECT_LE(calls.count[i].load(), 1) << i;
  EXPECT_EQ(calls.count[0].load(), 1);
}

}  // namespace
}  // namespace jobtrawl::storage::internal
