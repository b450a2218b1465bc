// BM_UpsertDedup: ingest rate of the store with cross-board deduplication
// (issue 12 part 6), and how well it groups the generated cross-posts.
//
// Args: {jobs, dedup_distance}. Each job is stored by its ATS source in
// pages of 100, 20 pages to a transaction (as the writer commits up to 8 MB
// at a time); 20% of the
// jobs are also carried by an aggregator, whose lightly edited copies
// arrive in batches of 100 later. Only Upsert is timed. Counters:
// listings/s, recall (copies grouped with their job), precision (of the
// copies grouped with some ATS job, the share grouped with their own) and
// bytes per listing of the database file.
#include <benchmark/benchmark.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <vector>

#include "bench/posting_gen.h"
#include "storage/simhash.h"
#include "storage/store.h"

namespace {

using namespace jobtrawl;

void BM_SimHash(benchmark::State& state) {
  // One generated description (about 300 words), fingerprinted.
  bench::PostingGenerator gen(1, 10);
  const std::string text = *gen.Job(1).description;
  for (auto _ : state) benchmark::DoNotOptimize(storage::SimHash(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_SimHash);

void BM_UpsertDedup(benchmark::State& state) {
  const std::int64_t jobs = state.range(0);
  const int distance = static_cast<int>(state.range(1));
  const auto path = std::filesystem::temp_directory_path() / "jobtrawl-dedup-bench.db";
  auto remove = [&] {
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  };
  std::int64_t listings = 0, copies = 0;
  for (auto _ : state) {
    state.PauseTiming();
    remove();
    auto store = std::move(*storage::PostingStore::Open(path, {.dedup_distance = distance}));
    const auto ats = *store->EnsureSource("ats", "greenhouse", "t0");
    const auto aggregator = *store->EnsureSource("aggregator", "html", "t0");
    bench::PostingGenerator gen(20261201);
    std::mt19937_64 rng(7);
    std::vector<Posting> batch, pending;
    listings = copies = 0;
    int in_transaction = 0;
    for (std::int64_t n = 0; n < jobs;) {
      // The writer commits whatever has queued up, up to 8 MB: about 20 pages of 100 postings.
      if (in_transaction == 0) {
        state.ResumeTiming();
        (void)store->Begin();
        state.PauseTiming();
      }
      batch.clear();
      for (; batch.size() < 100 && n < jobs; ++n) {
        batch.push_back(gen.Job(n));
        if (rng() % 5 == 0) pending.push_back(gen.Copy(batch.back()));
      }
      state.ResumeTiming();
      benchmark::DoNotOptimize(store->Upsert(ats, batch, "2026-11-27T00:00:00Z"));
      state.PauseTiming();
      listings += static_cast<std::int64_t>(batch.size());
      if (pending.size() >= 100 || n == jobs) {
        state.ResumeTiming();
        benchmark::DoNotOptimize(store->Upsert(aggregator, pending, "2026-11-28T00:00:00Z"));
        state.PauseTiming();
        listings += static_cast<std::int64_t>(pending.size());
        copies += static_cast<std::int64_t>(pending.size());
        pending.clear();
      }
      if (++in_transaction == 20 || n == jobs) {
        state.ResumeTiming();
        (void)store->Commit();
        state.PauseTiming();
        in_transaction = 0;
      }
    }
    // Grouping against the truth: a copy's URL ends in its job's board id.
    auto& db = store->database();
    const std::int64_t right = db.execAndGet(
        "SELECT count(*) FROM listings c JOIN listings j ON j.key = 'id:' || "
        "substr(c.url, length('https://aggregator.example/j/') + 1) "
        "WHERE c.key LIKE 'url:https://aggregator.example/%' AND c.posting_id = j.posting_id").getInt64();
    const std::int64_t grouped = db.execAndGet(
        "SELECT count(*) FROM listings c WHERE c.key LIKE 'url:https://aggregator.example/%' "
        "AND EXISTS (SELECT 1 FROM listings o WHERE o.posting_id = c.posting_id AND o.id <> c.id)").getInt64();
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    state.counters["recall"] = copies ? double(right) / double(copies) : 0;
    state.counters["precision"] = grouped ? double(right) / double(grouped) : 1;
    state.counters["postings"] = double(db.execAndGet("SELECT count(*) FROM postings").getInt64());
    store.reset();
    state.counters["bytes_per_listing"] = double(std::filesystem::file_size(path)) / double(listings);
    remove();
    state.ResumeTiming();
  }
  state.counters["listings_per_s"] =
      benchmark::Counter(double(listings) * double(state.iterations()), benchmark::Counter::kIsRate);
  state.SetItemsProcessed(listings * static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_UpsertDedup)
    ->Args({20000, 3})
    ->Args({20000, -1})
    ->Args({200000, 3})
    ->Args({200000, -1})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
