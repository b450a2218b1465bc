#include "app/crawl_pipeline.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <csignal>
#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <iostream>
#include <thread>

#include "app/store_writer.h"
#include "crawler/crawl.h"
#include "crawler/fetcher.h"
#include "parsers/extractor.h"

namespace jobtrawl::app {

namespace asio = boost::asio;

namespace {

// FNV-1a over the body: decides "same page as last time" without parsing.
std::string BodyHash(std::string_view body) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : body) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

// Routes fetched pages to the parse pool and results to the writer. Lives
// on the event loop's thread except for the work it posts to the pool.
class Pipeline final : public crawler::CrawlSink {
 public:
  Pipeline(asio::io_context& ioc, asio::thread_pool& pool, StoreWriter& writer,
           const std::vector<config::SourceConfig>& sources, std::vector<HttpCache> caches,
           bool verbose)
      : ioc_(ioc), pool_(pool), writer_(writer), sources_(sources), caches_(std::move(caches)),
        verbose_(verbose), records_(sources.size()) {
    for (const auto& s : sources) {
      extractors_.push_back(std::make_unique<parsers::Extractor>(parsers::ExtractOptions{
          .detail_pattern = s.follow.detail, .next_pattern = s.follow.next}));
    }
  }

  void AddValidators(std::size_t source, crawler::FetchRequest& request) override {
    if (const storage::CachedPage* c = Cached(source, request.url)) {
      request.etag = c->etag;
      request.last_modified = c->last_modified;
    }
  }

  void OnPage(std::size_t source, Link::Role role, FetchResult page,
              std::function<void(crawler::PageOutcome)> done) override {
    RecordRetries(source, page);
    if (page.not_modified()) {
      // 304: nothing to parse; the page's listings are still there.
      crawler::PageOutcome outcome;
      if (const storage::CachedPage* c = Cached(source, page.url)) {
        if (role == Link::Role::kListing) outcome.links = c->links;
        writer_.Touch(source, c->listing_keys);
      } else {
        outcome.failed = true;
        Problem(source, page.url, "HTTP 304 for a page this source has no copy of");
      }
      return done(std::move(outcome));
    }
    asio::post(pool_, [this, source, role, page = std::move(page), done = std::move(done)]() mutable {
      crawler::PageOutcome outcome = Process(source, role, page);
      asio::post(ioc_, [done = std::move(done), outcome = std::move(outcome)]() mutable {
        done(std::move(outcome));
      });
    });
  }

  void OnFetchError(std::size_t source, Link::Role role, const FetchResult& r) override {
    RecordRetries(source, r);
    std::string kind(FetchErrorName(r.error));
    Log(source, r.url, kind, r.error_message);
    writer_.RecordError(source, {r.url, kind, r.status, r.error_message,
                                 static_cast<int>(r.retried.size()) + 1});
    if (role == Link::Role::kDetail && (r.status == 404 || r.status == 410)) {
      // The posting's page is gone: its listings close now, not after the grace period.
      const storage::CachedPage* c = Cached(source, r.url);
      writer_.Close(source, c != nullptr ? c->listing_keys : std::vector<std::string>{"url:" + r.url});
    }
  }

  void OnSourceDone(std::size_t source, const crawler::SourceStats& stats) override {
    storage::RunRecord record;
    record.pages = stats.pages;
    record.bytes = stats.bytes;
    record.errors = stats.errors;
    record.retries = stats.retries;
    record.not_modified = stats.not_modified;
    CloseRule rule{.allowed = false, .close_after = sources_[source].close_after};
    if (stats.interrupted) {
      record.status = "interrupted";
      record.message = "stopped by a signal";
    } else if (stats.start_failures > 0) {
      record.status = "failed";
      record.message = std::to_string(stats.start_failures) + " of " +
                       std::to_string(sources_[source].start.size()) + " start pages failed";
    } else {
      record.status = stats.errors > 0 ? "partial" : "ok";
      if (stats.page_limit_hit) {
        record.message = "listing page limit (follow.max_pages) reached: closed none";
      } else {
        rule.allowed = true;
      }
    }
    writer_.FinishSource(source, record, rule,
                         [this, source](const storage::RunRecord& written, std::optional<Error>) {
                           asio::post(ioc_, [this, source, written] {
                             records_[source] = written;
                             ++finished_;
                           });
                         });
  }

  bool complete() const { return finished_ == sources_.size(); }
  const std::vector<storage::RunRecord>& records() const { return records_; }

 private:
  const storage::CachedPage* Cached(std::size_t source, const std::string& url) const {
    auto it = caches_[source].find(url);
    return it == caches_[source].end() ? nullptr : &it->second;
  }

  // On a parse thread: skip pages whose body is unchanged, else extract.
  crawler::PageOutcome Process(std::size_t source, Link::Role role, const FetchResult& page) {
    crawler::PageOutcome outcome;
    storage::CachedPage fresh{.etag = std::string(page.Header("ETag")),
                              .last_modified = std::string(page.Header("Last-Modified")),
                              .body_hash = BodyHash(page.body)};
    const storage::CachedPage* cached = Cached(source, page.url);
    if (cached != nullptr && cached->body_hash == fresh.body_hash) {
      if (role == Link::Role::kListing) outcome.links = cached->links;
      writer_.Touch(source, cached->listing_keys);
      if (cached->etag != fresh.etag || cached->last_modified != fresh.last_modified) {
        fresh.links = cached->links;
        fresh.listing_keys = cached->listing_keys;
        writer_.SaveCache(source, page.url, std::move(fresh));
      }
      return outcome;
    }
    std::string problem;
    try {
      Extracted x = extractors_[source]->Extract(page.final_url, page.body, role);
      if (x.postings.empty() && x.broken_blocks > 0) {
        problem = std::to_string(x.broken_blocks) + " unreadable JSON-LD block(s) and no posting";
      } else if (x.postings.empty() && role == Link::Role::kDetail) {
        problem = "no JobPosting found on a detail page";
      }
      for (const Posting& p : x.postings) {
        fresh.listing_keys.push_back(storage::PostingStore::ListingKey(p));
      }
      if (!x.postings.empty()) writer_.Upsert(source, std::move(x.postings));
      outcome.links = std::move(x.links);
      if (problem.empty()) {
        if (role == Link::Role::kListing) fresh.links = outcome.links;
        writer_.SaveCache(source, page.url, std::move(fresh));
      }
    } catch (const std::exception& e) {
      problem = std::string("extraction failed: ") + e.what();
    }
    if (!problem.empty()) {
      outcome.failed = true;
      Problem(source, page.final_url, problem);
    }
    return outcome;
  }

  void Problem(std::size_t source, const std::string& url, const std::string& problem) {
    Log(source, url, "parse", problem);
    writer_.RecordError(source, {url, "parse", 0, problem, 1});
  }

  // Every failed attempt is recorded, also when a retry then succeeded.
  void RecordRetries(std::size_t source, const FetchResult& r) {
    for (std::size_t i = 0; i < r.retried.size(); ++i) {
      const FetchAttempt& a = r.retried[i];
      std::string kind(FetchErrorName(a.error));
      Log(source, r.url, kind + " (retried)", a.message);
      writer_.RecordError(source, {r.url, kind, a.status, a.message, static_cast<int>(i) + 1});
    }
  }

  void Log(std::size_t source, const std::string& url, const std::string& kind,
           const std::string& detail) {
    if (!verbose_) return;
    std::cerr << sources_[source].name << ": " << url << ": " << kind << ": " << detail << '\n';
  }

  asio::io_context& ioc_;
  asio::thread_pool& pool_;
  StoreWriter& writer_;
  const std::vector<config::SourceConfig>& sources_;
  const std::vector<HttpCache> caches_;  // read-only while the crawl runs
  const bool verbose_;
  std::vector<std::unique_ptr<parsers::Extractor>> extractors_;
  std::vector<storage::RunRecord> records_;
  std::size_t finished_ = 0;
};

std::string HumanBytes(std::int64_t bytes) {
  if (bytes >= 10'000'000) return std::to_string(bytes / 1'000'000) + " MB";
  if (bytes >= 10'000) return std::to_string(bytes / 1'000) + " KB";
  return std::to_string(bytes) + " B";
}

// printf into a std::string (g++ 12 has no <format>).
[[gnu::format(printf, 1, 2)]] std::string Printf(const char* fmt, ...) {
  char buf[512];
  va_list args;
  va_start(args, fmt);
  int n = std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  return std::string(buf, static_cast<size_t>(std::clamp(n, 0, static_cast<int>(sizeof buf) - 1)));
}

constexpr const char* kRow = "%-24s %-11s %7s %9s %6s %8s %10s %7s %7s\n";

}  // namespace

bool CrawlSummary::all_ok() const {
  for (const auto& s : sources) {
    if (s.record.status == "failed" || s.record.status == "interrupted") return false;
  }
  return !interrupted;
}

std::expected<CrawlSummary, Error> RunCrawl(asio::io_context& ioc, const config::Config& config,
                                            const CrawlOptions& options) {
  std::vector<config::SourceConfig> sources;
  if (options.only_sources.empty()) {
    sources = config.sources;
  } else {
    for (const auto& name : options.only_sources) {
      const config::SourceConfig* s = config.FindSource(name);
      if (s == nullptr) return std::unexpected(Error::InvalidArgument("no source named \"" + name + "\" in the config"));
      sources.push_back(*s);
    }
  }

  CrawlSummary summary;
  summary.database = std::filesystem::absolute(
      options.database.empty() ? config.storage.database : options.database);
  auto store = storage::PostingStore::Open(summary.database);
  if (!store) return std::unexpected(store.error());
  std::vector<StoreWriter::SourceInfo> infos;
  for (const auto& s : sources) infos.push_back({s.name, s.kind});
  std::vector<HttpCache> caches;
  auto writer = StoreWriter::Start(std::move(*store), infos, options.now, caches);
  if (!writer) return std::unexpected(writer.error());

  int threads = options.parse_threads > 0
                    ? options.parse_threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  {
    asio::thread_pool pool(static_cast<std::size_t>(threads));
    crawler::Fetcher fetcher(ioc, config.http);
    Pipeline pipeline(ioc, pool, **writer, sources, std::move(caches), options.verbose);
    // Enough pages in hand to keep every parse thread busy, few enough that
    // memory does not grow with the size of the board.
    crawler::Crawl crawl(fetcher, sources, pipeline, static_cast<std::size_t>(threads) * 8 + 16);

    // The first signal stops the crawl and lets running work finish; a
    // second one exits at once (every committed batch is already whole).
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;  // cancelled: the crawl may already be gone
      summary.interrupted = true;
      crawl.Stop();
      signals.async_wait([](const boost::system::error_code& again, int) {
        if (again) return;
        std::cerr << "jobtrawl: second signal, exiting without waiting\n";
        std::_Exit(130);
      });
    });
    auto work = asio::make_work_guard(ioc);
    crawl.Start();
    while (!pipeline.complete()) {
      if (ioc.stopped()) ioc.restart();
      ioc.run_one();
    }
    signals.cancel();
    pool.join();
    for (std::size_t i = 0; i < sources.size(); ++i) {
      summary.sources.push_back({sources[i].name, pipeline.records()[i]});
    }
  }
  writer->reset();  // joins the writer: everything is on disk
  return summary;
}

std::string FormatSummary(const CrawlSummary& summary) {
  auto n = [](std::int64_t v) { return std::to_string(v); };
  std::string out = Printf(kRow, "source", "status", "pages", "bytes", "new", "updated",
                           "unchanged", "closed", "errors");
  storage::RunRecord total;
  int failed = 0;
  for (const auto& s : summary.sources) {
    const auto& r = s.record;
    out += Printf(kRow, s.name.c_str(), r.status.c_str(), n(r.pages).c_str(),
                  HumanBytes(r.bytes).c_str(), n(r.counts.new_postings).c_str(),
                  n(r.counts.updated).c_str(), n(r.counts.unchanged).c_str(), n(r.closed).c_str(),
                  n(r.errors).c_str());
    if (!r.message.empty()) out += "  " + r.message + "\n";
    total.pages += r.pages;
    total.bytes += r.bytes;
    total.errors += r.errors;
    total.retries += r.retries;
    total.not_modified += r.not_modified;
    total.closed += r.closed;
    total.counts += r.counts;
    failed += r.status == "failed" || r.status == "interrupted";
  }
  const std::size_t sources = summary.sources.size();
  out += "crawled " + n(static_cast<std::int64_t>(sources)) + (sources == 1 ? " source" : " sources") +
         " (" + n(failed) + " failed): " + n(total.pages) + " pages (" + HumanBytes(total.bytes) +
         ", " + n(total.not_modified) + " not modified), " + n(total.errors) + " errors, " +
         n(total.retries) + " retries\n";
  out += "postings: " + n(total.counts.new_postings) + " new, " + n(total.counts.updated) +
         " updated, " + n(total.counts.unchanged) + " unchanged, " + n(total.closed) + " closed\n";
  if (summary.interrupted) out += "interrupted: what was fetched before the signal is stored\n";
  out += "database: " + summary.database.string() + "\n";
  return out;
}

}  // namespace jobtrawl::app
