// jobtrawl_scale_bench: the scale figures of issue 12 part 6 in one run.
//
//   jobtrawl_scale_bench [--postings N] [--db FILE] [--distance D]
//                        [--report-every K] [--search-runs R] [--keep]
//                        [--sql STATEMENT]...
//
// 1. Generates N postings (bench/posting_gen.h: Zipf-weighted English
//    words, companies with their own introduction, benefits and four
//    titles, so many same-title same-company jobs that differ in their
//    duties). Every 25th job comes as a pair, a Staff and a Junior
//    opening with one description (PostingGenerator::Twin): two jobs. A
//    fifth of the N are an aggregator's lightly edited copies of ATS jobs
//    (casing, white space, two synonyms, a date three days later),
//    arriving in pages of 100 some time after their originals.
// 2. Stores them into a fresh database FILE through PostingStore::Upsert,
//    the writer's path: pages of 100, 20 pages to a transaction, dedup at
//    distance D (default 3; -1 off). Only Begin, Upsert and Commit are
//    timed. Prints the rate overall and for each K postings (default
//    100,000), by the wall clock and per CPU second of the process (the
//    machine is shared), with the resident memory (VmRSS) at each step,
//    so a slowdown or growth with size shows.
// 3. Recall (copies grouped with their own job) and precision (of the
//    copies grouped with some other listing, the share grouped with their
//    own job) against the generator's truth, and how many postings hold
//    listings of two stated seniorities (false merges of Staff/Junior pairs).
// 4. Peak resident memory of the ingest (VmHWM, before anything else
//    runs) and database bytes per posting after a checkpoint.
// 5. Search latency: a fixed list of queries through storage::Reader::
//    Search, the code `jobtrawl search` runs (20 results, snippets), each
//    run R times (default 5) on one open Reader, p50/p95/max.
//
// --sql runs a statement on the writer's connection before the ingest
// (to try a PRAGMA, or to see what a trigger costs by dropping it).
//
// Output is plain text, one `name value` figure a line after the progress
// lines, so bench/README.md can quote it. The database is deleted at the
// end unless --keep.
#include <SQLiteCpp/SQLiteCpp.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bench/posting_gen.h"
#include "storage/reader.h"
#include "storage/store.h"

namespace {

using namespace jobtrawl;
using Clock = std::chrono::steady_clock;

// A field of /proc/self/status in MiB ("VmRSS", "VmHWM").
double StatusMiB(std::string_view field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(field) && line.size() > field.size() && line[field.size()] == ':') {
      return std::strtod(line.c_str() + field.size() + 1, nullptr) / 1024.0;  // kB
    }
  }
  return 0;
}

// CPU time of this process (user + system), in seconds: on a shared
// machine the rate per CPU second says more than the wall-clock one.
double CpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = static_cast<size_t>(p * double(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

template <typename T>
T Must(std::expected<T, Error> r, std::string_view what) {
  if (!r) {
    std::cerr << "scale_bench: " << what << ": " << r.error().message << '\n';
    std::exit(1);
  }
  return std::move(*r);
}
void Must(std::expected<void, Error> r, std::string_view what) {
  if (!r) {
    std::cerr << "scale_bench: " << what << ": " << r.error().message << '\n';
    std::exit(1);
  }
}

// Queries an analyst types: skills, title words, a phrase, a prefix, an
// AND of a rare and a common word, an OR.
const std::vector<std::string> kQueries = {
    "kubernetes",
    "rust",
    "\"machine learning\"",
    "payments ledger",
    "backend engineer",
    "\"site reliability\"",
    "terraform aws",
    "accessib*",
    "python OR kotlin",
    "warehouse robots",
    "title:recruiter",
    "react typescript frontend",
};

}  // namespace

int main(int argc, char** argv) {
  std::int64_t total = 1'000'000;
  std::int64_t report_every = 100'000;
  int distance = 3;
  int search_runs = 5;
  bool keep = false;
  std::vector<std::string> setup_sql;  // run on the writer's connection before the ingest (experiments)
  std::filesystem::path path = std::filesystem::temp_directory_path() / "jobtrawl-scale-bench.db";
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "scale_bench: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--postings") total = std::stoll(value());
    else if (a == "--db") path = value();
    else if (a == "--distance") distance = std::stoi(value());
    else if (a == "--report-every") report_every = std::stoll(value());
    else if (a == "--search-runs") search_runs = std::stoi(value());
    else if (a == "--keep") keep = true;
    else if (a == "--sql") setup_sql.push_back(value());
    else {
      std::cerr << "usage: jobtrawl_scale_bench [--postings N] [--db FILE] [--distance D] "
                   "[--report-every K] [--search-runs R] [--keep] [--sql STATEMENT]...\n";
      return 2;
    }
  }
  auto remove = [&] {
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  };
  remove();

  std::cout << "postings " << total << "  dedup_distance " << distance << "  db " << path.string() << '\n';
  Clock::duration stored{};  // time inside Begin, Upsert and Commit
  double stored_cpu = 0;     // CPU seconds of the same
  double commit_cpu = 0;     // CPU seconds of Commit alone (search indexing, WAL, checkpoints)
  std::int64_t listings = 0, copies = 0;
  {
    auto store = Must(storage::PostingStore::Open(path, {.dedup_distance = distance}), "open");
    for (const std::string& sql : setup_sql) store->database().exec(sql);
    const auto ats = Must(store->EnsureSource("ats", "greenhouse", "t0"), "source");
    const auto aggregator = Must(store->EnsureSource("aggregator", "html", "t0"), "source");
    bench::PostingGenerator gen(20261201);
    std::mt19937_64 rng(7);
    std::vector<Posting> batch, pending;
    auto timed = [&](auto&& call) {
      const auto t0 = Clock::now();
      const double c0 = CpuSeconds();
      call();
      stored += Clock::now() - t0;
      stored_cpu += CpuSeconds() - c0;
    };
    std::int64_t next_report = report_every;
    Clock::duration at_last_report{};
    std::int64_t listings_at_last_report = 0;
    double cpu_at_last_report = 0, commit_cpu_at_last_report = 0;
    std::printf("%10s %12s %12s %14s %14s %10s\n", "postings", "step/s", "overall/s", "step/cpu_s",
                "commit_cpu_%", "rss_MiB");
    int in_transaction = 0;
    std::int64_t job = 0;
    while (listings < total) {
      if (in_transaction == 0) timed([&] { Must(store->Begin(), "begin"); });
      batch.clear();
      // A quarter of the jobs get a copy: copies are a fifth of all postings.
      auto room = [&] { return listings + std::int64_t(batch.size() + pending.size()) < total; };
      while (batch.size() < 100 && room()) {
        Posting p = gen.Job(job++);
        std::optional<Posting> twin;
        if (job % 25 == 0) twin = gen.Twin(p, job++);
        for (Posting* q : {&p, twin ? &*twin : nullptr}) {
          if (q == nullptr || !room()) continue;
          batch.push_back(std::move(*q));
          if (rng() % 4 == 0 && room()) pending.push_back(gen.Copy(batch.back()));
        }
      }
      timed([&] { Must(store->Upsert(ats, batch, "2026-11-27T00:00:00Z"), "upsert"); });
      listings += std::int64_t(batch.size());
      const bool last = listings + std::int64_t(pending.size()) >= total;
      if (pending.size() >= 100 || (last && !pending.empty())) {
        timed([&] { Must(store->Upsert(aggregator, pending, "2026-11-28T00:00:00Z"), "upsert"); });
        listings += std::int64_t(pending.size());
        copies += std::int64_t(pending.size());
        pending.clear();
      }
      if (++in_transaction == 20 || listings >= total) {
        const double c0 = CpuSeconds();
        timed([&] { Must(store->Commit(), "commit"); });
        commit_cpu += CpuSeconds() - c0;
        in_transaction = 0;
      }
      if (listings >= next_report || listings >= total) {
        const double step = Seconds(stored - at_last_report);
        std::printf("%10lld %12.0f %12.0f %14.0f %14.0f %10.1f\n", static_cast<long long>(listings),
                    double(listings - listings_at_last_report) / step, double(listings) / Seconds(stored),
                    double(listings - listings_at_last_report) / (stored_cpu - cpu_at_last_report),
                    100.0 * (commit_cpu - commit_cpu_at_last_report) / (stored_cpu - cpu_at_last_report),
                    StatusMiB("VmRSS"));
        cpu_at_last_report = stored_cpu;
        commit_cpu_at_last_report = commit_cpu;
        std::fflush(stdout);
        at_last_report = stored;
        listings_at_last_report = listings;
        while (next_report <= listings) next_report += report_every;
      }
    }
    const double peak = StatusMiB("VmHWM");

    // Grouping against the truth: a copy's URL ends in its job's board id.
    auto& db = store->database();
    const std::int64_t right =
        db.execAndGet(
              "SELECT count(*) FROM listings c JOIN listings j ON j.source_id = " + std::to_string(ats) +
              " AND j.key = 'id:' || substr(c.url, length('https://aggregator.example/j/') + 1) "
              "WHERE c.source_id = " + std::to_string(aggregator) + " AND c.posting_id = j.posting_id")
            .getInt64();
    const std::int64_t grouped =
        db.execAndGet("SELECT count(*) FROM listings c WHERE c.source_id = " + std::to_string(aggregator) +
                      " AND EXISTS (SELECT 1 FROM listings o WHERE o.posting_id = c.posting_id "
                      "AND o.id <> c.id)")
            .getInt64();
    const std::int64_t postings = db.execAndGet("SELECT count(*) FROM postings").getInt64();
    const std::int64_t mixed_seniority =
        db.execAndGet("SELECT count(*) FROM (SELECT 1 FROM listings WHERE seniority IS NOT NULL "
                      "GROUP BY posting_id HAVING count(DISTINCT seniority) > 1)")
            .getInt64();
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    std::printf("ingest_postings_per_s %.0f\n", double(listings) / Seconds(stored));
    std::printf("ingest_postings_per_cpu_s %.0f\n", double(listings) / stored_cpu);
    std::printf("ingest_seconds %.1f\n", Seconds(stored));
    std::printf("ingest_cpu_seconds %.1f\n", stored_cpu);
    std::printf("peak_rss_MiB %.1f\n", peak);
    std::printf("copies %lld\n", static_cast<long long>(copies));
    std::printf("recall %.4f\n", copies ? double(right) / double(copies) : 0.0);
    std::printf("precision %.4f\n", grouped ? double(right) / double(grouped) : 1.0);
    std::printf("posting_rows %lld\n", static_cast<long long>(postings));
    std::printf("postings_with_two_seniorities %lld\n", static_cast<long long>(mixed_seniority));
  }
  const auto bytes = std::filesystem::file_size(path);
  std::printf("db_bytes %llu\n", static_cast<unsigned long long>(bytes));
  std::printf("db_bytes_per_posting %.0f\n", double(bytes) / double(listings));

  if (search_runs > 0) {
    auto reader = Must(storage::Reader::Open(path), "open reader");
    std::vector<double> ms;
    std::printf("%-28s %8s %8s\n", "query", "rows", "ms_p50");
    for (const std::string& q : kQueries) {
      storage::PostingFilter filter;
      filter.match = q;
      filter.limit = 20;
      std::vector<double> mine;
      size_t rows = 0;
      for (int r = 0; r < search_runs; ++r) {
        const auto t0 = Clock::now();
        rows = Must(reader->Search(filter, "", ""), "search " + q).size();
        mine.push_back(Seconds(Clock::now() - t0) * 1000.0);
      }
      ms.insert(ms.end(), mine.begin(), mine.end());
      std::printf("%-28s %8zu %8.1f\n", q.c_str(), rows, Percentile(mine, 0.5));
    }
    std::printf("search_ms_p50 %.1f\n", Percentile(ms, 0.5));
    std::printf("search_ms_p95 %.1f\n", Percentile(ms, 0.95));
    std::printf("search_ms_max %.1f\n", Percentile(ms, 1.0));
  }
  if (!keep) remove();
  return 0;
}
