// One crawl of one source, wired: the crawler fetches on the event loop,
// parsers extract on the thread pool, the writer stores. Used by the
// one-shot `crawl` for each source and by the daemon for each scheduled run.
#ifndef JOBTRAWL_APP_SOURCE_CRAWL_H_
#define JOBTRAWL_APP_SOURCE_CRAWL_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_set>

#include "app/breakage.h"
#include "app/failure_tally.h"
#include "app/log.h"
#include "app/metrics.h"
#include "app/run_stats.h"
#include "app/store_writer.h"
#include "config/config.h"
#include "crawler/crawl.h"
#include "crawler/fetcher.h"
#include "parsers/extractor.h"

namespace jobtrawl::app {

// Lives on the event loop's thread. The loop, pool, writer, fetcher and
// window outlive it. It may be destroyed before `done` has run (a crawl cut
// off at the shutdown grace period) once the pool runs no task of it: the
// writer's callbacks, on the writer's thread, touch nothing of it before
// their liveness check.
class SourceCrawl final : public crawler::CrawlSink {
 public:
  using DoneCallback = std::function<void(const storage::RunRecord&)>;

  SourceCrawl(boost::asio::io_context& ioc, boost::asio::thread_pool& pool, StoreWriter& writer,
              crawler::Fetcher& fetcher, crawler::ProcessingWindow& window,
              config::SourceConfig source, StoreWriter::RunStart run, LogFunction log,
              DoneCallback done, std::chrono::milliseconds deadline = std::chrono::hours(4),
              Metrics* metrics = nullptr);
  SourceCrawl(const SourceCrawl&) = delete;
  SourceCrawl& operator=(const SourceCrawl&) = delete;

  // Starts the crawl and its run deadline: when it passes, the crawl is
  // cut short (crawler::Crawl::Expire) and the run ends `partial`.
  void Start();
  // Stops following links; see crawler::Crawl::Stop.
  void Stop();
  StoreWriter::RunId run() const { return run_; }
  const config::SourceConfig& source() const { return source_; }
  // The run so far (status "running"): fetch counters and stats; posting
  // counts are the writer's and come with the finished record.
  storage::RunRecord Snapshot() const;
  // Its pages waiting, being fetched or being processed.
  std::int64_t queued() const { return crawl_.pending(0); }

  // CrawlSink, on the event loop's thread.
  void AddValidators(std::size_t, crawler::FetchRequest& request) override;
  void OnPage(std::size_t, Link::Role role, FetchResult page,
              std::function<void(crawler::PageOutcome)> done) override;
  void OnFetchError(std::size_t, Link::Role role, const FetchResult& r) override;
  void OnSourceDone(std::size_t, const crawler::SourceStats& stats) override;

 private:
  const storage::CachedPage* Cached(const std::string& url) const;
  crawler::PageOutcome Process(Link::Role role, const FetchResult& page);      // on the pool
  crawler::PageOutcome NotModified(Link::Role role, const FetchResult& page);  // on the pool
  std::vector<Link> Fresh(std::vector<Link> links);  // on the pool
  bool Refetched(const std::string& url);
  bool IsStartUrl(const std::string& url) const;
  // Sends the crawl's counters to the writer, at most every kProgressEvery.
  void ReportProgress();
  void RecordFetch(const FetchResult& r);  // into stats_ and the metrics
  static constexpr std::chrono::seconds kProgressEvery{1};            // fetched for a newer sitemap lastmod
  void Problem(const std::string& url, const std::string& problem);
  void RecordRetries(const FetchResult& r);
  void Log(LogLevel level, const std::string& url, const std::string& kind,
           const std::string& detail) const;

  boost::asio::io_context& ioc_;
  boost::asio::thread_pool& pool_;
  StoreWriter& writer_;
  const config::SourceConfig source_;
  const StoreWriter::RunId run_;
  const HttpCache cache_;  // read-only while the crawl runs: safe from the pool
  const std::optional<YieldCounts> baseline_;  // the last good run's; none: no breakage check
  const LogFunction log_;  // empty: quiet
  const parsers::Extractor extractor_;
  DoneCallback done_;
  std::atomic<std::int64_t> unchanged_by_lastmod_{0};
  FailureTally failures_;  // the cause, in words, for the run's message
  RunStatsCollector stats_;  // crawl_runs.stats
  Metrics* const metrics_;  // may be null; outlives *this
  std::chrono::steady_clock::time_point last_progress_{};  // event loop only
  std::mutex refetch_mutex_;
  std::unordered_set<std::string> refetch_;  // guarded by refetch_mutex_
  const std::chrono::milliseconds deadline_;
  boost::asio::steady_timer deadline_timer_;  // cancelled, with its handler, when *this goes
  crawler::Crawl crawl_;
  // What is posted back to the event loop checks it first: a crawl cut off
  // at shutdown leaves nothing behind that touches it.
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

// The extractor settings a source's config asks for.
parsers::ExtractOptions ExtractOptionsFor(const config::SourceConfig& source);

// The role a crawl of `source` reads the page at `url` in, for a saved copy
// of it (`jobtrawl parse`): a start URL is a listing page, as the crawl
// starts there; a URL the follow patterns name has the role a link to it
// gets in the crawl (Extractor::RoleByPattern, `extractor` built from
// ExtractOptionsFor(source)); any other page (a file:// copy) is a listing
// when the source reads postings from listing rows (`item`) or is a sitemap,
// and a detail page otherwise.
Link::Role PageRole(const config::SourceConfig& source, const parsers::Extractor& extractor,
                    std::string_view url);

// The stored hash of a body: "the same page as last time" without parsing.
std::string BodyHash(std::string_view body);

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_SOURCE_CRAWL_H_
