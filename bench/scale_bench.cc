// jobtrawl_scale_bench: the scale figures of issue 12 part 6 in one run.
//
//   jobtrawl_scale_bench [--postings N] [--db FILE] [--distance D]
//                        [--report-every K] [--search-runs R] [--keep]
//                        [--sql STATEMENT]... [--pg URL] [--mode store|plain|plain-nofts]
//                        [--pages-per-transaction P] [--background-checkpoints]
//
// 1. Generates N postings (bench/posting_gen.h: Zipf-weighted English
//    words, companies with their own introduction, benefits and four
//    titles, so many same-title same-company jobs that differ in their
//    duties). Every 25th job comes as a pair, a Staff and a Junior
//    opening with one description (PostingGenerator::Twin; a Staff and a
//    Lead manager, a Principal and a Senior architect, whose seniority is
//    the role word's on both): two jobs. A
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
// --pg URL runs step 5 through PostgreSQL: the database is copied into
// URL (replacing its jobtrawl rows; e.g. a server of scripts/pg-test-server)
// and searched there (storage/pg/reader.h: tsvector + GIN).
//
// --sql runs a statement on the writer's connection before the ingest
// (to try a PRAGMA, or to see what a trigger costs by dropping it).
//
// --mode measures the floor under step 2 (issue 12 part 6: is the target
// reachable with SQLite and FTS5 at all?). `store` (the default) is the
// writer's path above. `plain` stores the same generated rows, in the same
// pages and transactions, on the same connection and pragmas, with no
// dedup and no store logic at all: each posting is one INSERT into
// postings (its text, keys, content hash and times; the FTS5 queue
// trigger indexes it at Commit, as for the store) and one INSERT into
// listings (no features, so the band indexes take nothing). `plain-nofts`
// does the same with the full-text triggers dropped first. Recall and
// precision are not computed in these modes (every listing is a posting).
// --pages-per-transaction sets how many pages of 100 go into one
// transaction (default 20, as the crawl's writer commits).
// --background-checkpoints installs storage/checkpointer.h on the store's
// connection: WAL checkpoints on a helper thread with its own connection
// instead of SQLite's automatic ones on the writer's thread, at the same
// WAL size (256 MiB), to compare the two in one binary.
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
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bench/posting_gen.h"
#include "storage/checkpointer.h"
#include "storage/reader.h"
#include "storage/store.h"
#ifdef JOBTRAWL_BENCH_PG
#include "storage/pg/reader.h"
#include "storage/pg/sqlite_copy.h"
#endif

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

// The store's wal_autocheckpoint (storage/store.cc), for --background-checkpoints.
constexpr int kWalCheckpointPages = 65536;

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

// Before searching, the postings get what the generator leaves empty, so
// the filters select realistic shares: a country (US 35%, GB 12%, DE 12%,
// IN 10%, CA 8%, FR 6%, NL 5%, PL 4%, ES 4%, BR 4%), remote for a quarter
// (hybrid for 15%, the rest onsite), first_seen spread evenly over the 60
// days before 2026-12-01 in id order (ids are given in the order postings
// are first seen), and closed 14 days after that for 30% of those first
// seen in the first 45 days. Each is a function of the posting's id, so
// every run (and --search-only on a kept database) sees the same table.
// Only postings whose country is still NULL are touched.
constexpr const char* kSpreadSql = R"sql(
UPDATE postings SET
  country = CASE WHEN (id * 2654435761) % 1000 < 350 THEN 'US'
                 WHEN (id * 2654435761) % 1000 < 470 THEN 'GB'
                 WHEN (id * 2654435761) % 1000 < 590 THEN 'DE'
                 WHEN (id * 2654435761) % 1000 < 690 THEN 'IN'
                 WHEN (id * 2654435761) % 1000 < 770 THEN 'CA'
                 WHEN (id * 2654435761) % 1000 < 830 THEN 'FR'
                 WHEN (id * 2654435761) % 1000 < 880 THEN 'NL'
                 WHEN (id * 2654435761) % 1000 < 920 THEN 'PL'
                 WHEN (id * 2654435761) % 1000 < 960 THEN 'ES'
                 ELSE 'BR' END,
  remote = CASE WHEN (id * 40503) % 100 < 25 THEN 'remote'
                WHEN (id * 40503) % 100 < 40 THEN 'hybrid' ELSE 'onsite' END,
  first_seen = strftime('%Y-%m-%dT%H:%M:%SZ',
                        unixepoch('2026-10-02T00:00:00Z') + id * 5184000 / (SELECT max(id) FROM postings),
                        'unixepoch'),
  closed_at = CASE WHEN (id * 7919) % 10 < 3 AND id * 4 < 3 * (SELECT max(id) FROM postings)
              THEN strftime('%Y-%m-%dT%H:%M:%SZ',
                            unixepoch('2026-10-16T00:00:00Z') + id * 5184000 / (SELECT max(id) FROM postings),
                            'unixepoch') END
WHERE country IS NULL
)sql";

// What analysts type (bm25 order, 20 rows): single words, common and less
// so (in this generated text every word is common: its vocabulary is 330
// words, so even a skill is in a fifth of all postings, a title word in
// nearly half), two and three words (AND), phrases, a prefix, an OR, a
// column filter, and the same with the command's filters: --remote,
// --country, --since (against the newest first_seen), --open, --closed,
// --company, and combinations.
struct BenchQuery {
  std::string match;
  bool remote = false;
  std::string country;
  int since_days = 0;  // 0: no --since
  storage::PostingFilter::State state = storage::PostingFilter::State::kAny;
  std::string company;
};
const std::vector<BenchQuery> kQueries = {
    {.match = "kubernetes"},
    {.match = "rust"},
    {.match = "engineer"},
    {.match = "\"machine learning\""},
    {.match = "payments ledger"},
    {.match = "backend engineer"},
    {.match = "\"site reliability\""},
    {.match = "terraform aws"},
    {.match = "accessib*"},
    {.match = "python OR kotlin"},
    {.match = "warehouse robots"},
    {.match = "title:recruiter"},
    {.match = "react typescript frontend"},
    {.match = "kubernetes", .remote = true},
    {.match = "backend engineer", .country = "DE"},
    {.match = "python", .since_days = 7},
    {.match = "\"machine learning\"", .remote = true, .country = "US"},
    {.match = "data", .state = storage::PostingFilter::State::kOpen},
    {.match = "engineer", .since_days = 30, .state = storage::PostingFilter::State::kClosed},
    {.match = "title:recruiter", .country = "PL", .since_days = 14},
    {.match = "rust", .remote = true, .country = "NL", .state = storage::PostingFilter::State::kOpen},
    {.match = "security", .company = "cloud"},
};

std::string Describe(const BenchQuery& q) {
  std::string d = q.match;
  if (q.remote) d += " --remote";
  if (!q.country.empty()) d += " --country " + q.country;
  if (q.since_days) d += " --since " + std::to_string(q.since_days) + "d";
  if (q.state == storage::PostingFilter::State::kOpen) d += " --open";
  if (q.state == storage::PostingFilter::State::kClosed) d += " --closed";
  if (!q.company.empty()) d += " --company " + q.company;
  return d;
}

// Step 5: the query mix through storage::Reader::Search, each query
// `runs` times on one open Reader; p50/p95/max over all runs and each
// query's median. Gives the postings their countries, remote flags, dates
// and closings first (kSpreadSql).
// With `pg_url`, the database is first copied into that PostgreSQL
// database (storage/pg/sqlite_copy.h, replacing what it holds) and the
// queries run through storage::pg::PgReader::Search (tsvector + GIN).
int SearchLatency(const std::filesystem::path& path, int runs, std::int64_t rank_window,
                  const std::string& pg_url) {
  {
    auto store = Must(storage::PostingStore::Open(path, {}), "open for the filters' columns");
    auto& db = store->database();
    const auto t0 = Clock::now();
    const int changed = db.exec(kSpreadSql);
    if (changed > 0) {
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      std::printf("spread_filter_columns_rows %d  seconds %.1f\n", changed, Seconds(Clock::now() - t0));
    }
  }
  std::function<std::expected<std::vector<storage::Row>, Error>(const storage::PostingFilter&)> search;
  std::unique_ptr<storage::Reader> reader;
#ifdef JOBTRAWL_BENCH_PG
  std::unique_ptr<storage::pg::PgReader> pg_reader;
  if (!pg_url.empty()) {
    const auto t0 = Clock::now();
    Must(storage::pg::CopySqliteToPostgres(path, pg_url, {.replace = true}), "copy into PostgreSQL");
    std::printf("pg_copy_seconds %.1f\n", Seconds(Clock::now() - t0));
    pg_reader = Must(storage::pg::PgReader::Open(pg_url), "open PostgreSQL reader");
    search = [&](const storage::PostingFilter& f) { return pg_reader->Search(f, "", ""); };
    std::printf("backend postgresql\n");
  }
#else
  if (!pg_url.empty()) {
    std::cerr << "scale_bench: --pg needs a build with libpq\n";
    return 2;
  }
#endif
  if (!search) {
    reader = Must(storage::Reader::Open(path), "open reader");
    search = [&](const storage::PostingFilter& f) { return reader->Search(f, "", ""); };
  }
  SQLite::Database since(path.string(), SQLite::OPEN_READONLY);  // --since against the newest first_seen
  std::vector<double> ms, cpu_ms;
  std::printf("rank_window %lld\n", static_cast<long long>(rank_window));
  std::printf("%-60s %6s %8s %8s %8s\n", "query", "rows", "ms_p50", "ms_max", "cpu_p50");
  for (const BenchQuery& q : kQueries) {
    storage::PostingFilter filter;
    filter.match = q.match;
    filter.limit = 20;
    filter.rank_window = rank_window;
    filter.remote = q.remote;
    filter.country = q.country;
    filter.state = q.state;
    filter.company = q.company;
    if (q.since_days) {
      filter.since = since.execAndGet("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', max(first_seen), '-" +
                                      std::to_string(q.since_days) + " days') FROM postings")
                         .getString();
    }
    std::vector<double> mine, mine_cpu;
    size_t rows = 0;
    for (int r = 0; r < runs; ++r) {
      const auto t0 = Clock::now();
      const double c0 = CpuSeconds();
      rows = Must(search(filter), "search " + q.match).size();
      mine_cpu.push_back((CpuSeconds() - c0) * 1000.0);
      mine.push_back(Seconds(Clock::now() - t0) * 1000.0);
    }
    ms.insert(ms.end(), mine.begin(), mine.end());
    cpu_ms.insert(cpu_ms.end(), mine_cpu.begin(), mine_cpu.end());
    std::printf("%-60s %6zu %8.1f %8.1f %8.1f\n", Describe(q).c_str(), rows, Percentile(mine, 0.5),
                Percentile(mine, 1.0), Percentile(mine_cpu, 0.5));
  }
  // Wall-clock time is what a user waits; CPU time (of this process, one
  // thread) says more about the code on a shared machine.
  std::printf("search_ms_p50 %.1f\n", Percentile(ms, 0.5));
  std::printf("search_ms_p95 %.1f\n", Percentile(ms, 0.95));
  std::printf("search_ms_max %.1f\n", Percentile(ms, 1.0));
  std::printf("search_cpu_ms_p50 %.1f\n", Percentile(cpu_ms, 0.5));
  std::printf("search_cpu_ms_p95 %.1f\n", Percentile(cpu_ms, 0.95));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t total = 1'000'000;
  std::int64_t report_every = 100'000;
  int distance = 3;
  int search_runs = 5;
  bool keep = false;
  bool search_only = false;  // search a kept database, no ingest
  std::int64_t rank_window = storage::PostingFilter::kDefaultRankWindow;
  std::string pg_url;  // search through PostgreSQL (a copy of the database)
  std::vector<std::string> setup_sql;  // run on the writer's connection before the ingest (experiments)
  std::string mode = "store";          // store | plain | plain-nofts (the floor, see the top)
  int pages_per_transaction = 20;
  bool background_checkpoints = false;
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
    else if (a == "--search-only") search_only = true;
    else if (a == "--rank-window") rank_window = std::stoll(value());
    else if (a == "--sql") setup_sql.push_back(value());
    else if (a == "--pg") pg_url = value();
    else if (a == "--mode") mode = value();
    else if (a == "--pages-per-transaction") pages_per_transaction = std::stoi(value());
    else if (a == "--background-checkpoints") background_checkpoints = true;
    else {
      std::cerr << "usage: jobtrawl_scale_bench [--postings N] [--db FILE] [--distance D] "
                   "[--report-every K] [--search-runs R] [--keep] [--sql STATEMENT]...\n"
                   "       [--mode store|plain|plain-nofts] [--pages-per-transaction P] [--background-checkpoints]\n"
                   "       jobtrawl_scale_bench --search-only --db FILE [--search-runs R] [--rank-window W] [--pg URL]\n";
      return 2;
    }
  }
  auto remove = [&] {
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  };
  if (mode != "store" && mode != "plain" && mode != "plain-nofts") {
    std::cerr << "scale_bench: --mode is store, plain or plain-nofts, not " << mode << '\n';
    return 2;
  }
  if (pages_per_transaction < 1) {
    std::cerr << "scale_bench: --pages-per-transaction must be at least 1\n";
    return 2;
  }
  if (search_only) return SearchLatency(path, search_runs, rank_window, pg_url);
  remove();
  const bool plain = mode != "store";

  std::cout << "postings " << total << "  mode " << mode << "  dedup_distance " << (plain ? -1 : distance)
            << "  pages_per_transaction " << pages_per_transaction << "  checkpoints "
            << (background_checkpoints ? "background" : "foreground") << "  db " << path.string() << '\n';
  Clock::duration stored{};  // time inside Begin, Upsert and Commit
  double stored_cpu = 0;     // CPU seconds of the same
  double commit_cpu = 0;     // CPU seconds of Commit alone (search indexing, WAL, checkpoints)
  std::int64_t listings = 0, copies = 0;
  {
    auto store = Must(storage::PostingStore::Open(path, {.dedup_distance = distance}), "open");
    // Destroyed before the store: its hook is on the store's connection.
    std::unique_ptr<storage::internal::WalCheckpointer> checkpointer;
    if (background_checkpoints) {
      checkpointer = storage::internal::WalCheckpointer::Start(store->database().getHandle(), path.string(),
                                                               kWalCheckpointPages);
      if (!checkpointer) {
        std::cerr << "scale_bench: cannot start the checkpoint thread\n";
        return 1;
      }
    }
    for (const std::string& sql : setup_sql) store->database().exec(sql);
    const auto ats = Must(store->EnsureSource("ats", "greenhouse", "t0"), "source");
    const auto aggregator = Must(store->EnsureSource("aggregator", "html", "t0"), "source");
    if (mode == "plain-nofts") {
      store->database().exec("DROP TRIGGER postings_fts_insert; DROP TRIGGER postings_fts_queue");
    }
    // --mode plain: one INSERT a posting and one a listing, nothing else.
    std::optional<SQLite::Statement> plain_posting, plain_listing;
    if (plain) {
      plain_posting.emplace(store->database(),
                            "INSERT INTO postings (title, company, location, description, description_markdown, "
                            "url, apply_url, external_id, title_family, company_key, seniority, content_hash, "
                            "first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?13,?13)");
      plain_listing.emplace(store->database(),
                            "INSERT INTO listings (posting_id, source_id, key, url, external_id, content_hash, "
                            "first_seen, last_seen, company_key, title_family, seniority) "
                            "VALUES (?,?,?,?,?,?,?7,?7,?,?,?)");
    }
    auto bind = [](SQLite::Statement& s, int i, const std::optional<std::string>& v) {
      if (v) s.bind(i, *v);
      else s.bind(i);
    };
    auto store_page = [&](std::int64_t source, const std::vector<Posting>& page, const char* now) {
      if (!plain) {
        Must(store->Upsert(source, page, now), "upsert");
        return;
      }
      for (const Posting& p : page) {
        const std::string hash = storage::PostingStore::ContentHash(p);
        SQLite::Statement& q = *plain_posting;
        q.reset();
        bind(q, 1, p.title);
        bind(q, 2, p.company);
        bind(q, 3, p.location);
        bind(q, 4, p.description);
        bind(q, 5, p.description_markdown);
        q.bind(6, p.url);
        bind(q, 7, p.apply_url);
        bind(q, 8, p.external_id);
        bind(q, 9, p.title_family);
        bind(q, 10, p.company_key);
        bind(q, 11, p.seniority);
        q.bind(12, hash);
        q.bind(13, now);
        q.exec();
        SQLite::Statement& l = *plain_listing;
        l.reset();
        l.bind(1, store->database().getLastInsertRowid());
        l.bind(2, source);
        l.bind(3, storage::PostingStore::ListingKey(p));
        l.bind(4, p.url);
        bind(l, 5, p.external_id);
        l.bind(6, hash);
        l.bind(7, now);
        bind(l, 8, p.company_key);
        bind(l, 9, p.title_family);
        bind(l, 10, p.seniority);
        l.exec();
      }
    };
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
      timed([&] { store_page(ats, batch, "2026-11-27T00:00:00Z"); });
      listings += std::int64_t(batch.size());
      const bool last = listings + std::int64_t(pending.size()) >= total;
      if (pending.size() >= 100 || (last && !pending.empty())) {
        timed([&] { store_page(aggregator, pending, "2026-11-28T00:00:00Z"); });
        listings += std::int64_t(pending.size());
        copies += std::int64_t(pending.size());
        pending.clear();
      }
      if (++in_transaction == pages_per_transaction || listings >= total) {
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
    if (!plain) {  // the plain modes group nothing
      std::printf("recall %.4f\n", copies ? double(right) / double(copies) : 0.0);
      std::printf("precision %.4f\n", grouped ? double(right) / double(grouped) : 1.0);
    }
    std::printf("posting_rows %lld\n", static_cast<long long>(postings));
    std::printf("postings_with_two_seniorities %lld\n", static_cast<long long>(mixed_seniority));
  }
  const auto bytes = std::filesystem::file_size(path);
  std::printf("db_bytes %llu\n", static_cast<unsigned long long>(bytes));
  std::printf("db_bytes_per_posting %.0f\n", double(bytes) / double(listings));

  if (search_runs > 0) SearchLatency(path, search_runs, rank_window, pg_url);
  if (!keep) remove();
  return 0;
}
