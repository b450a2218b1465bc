// One crawl of a set of sources: start pages, then the listing and detail
// pages their links lead to, each fetched once.
#ifndef JOBTRAWL_CRAWLER_CRAWL_H_
#define JOBTRAWL_CRAWLER_CRAWL_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "config/config.h"
#include "crawler/fetcher.h"
#include "model/fetch.h"
#include "model/posting.h"

namespace jobtrawl::crawler {

// What became of one fetched page once the sink has processed it.
struct PageOutcome {
  std::vector<Link> links;  // to follow (absolute, canonical)
  bool failed = false;      // the page could not be used (e.g. unreadable data)
};

// Counts for one source's crawl.
struct SourceStats {
  std::int64_t pages = 0;   // fetched successfully
  std::int64_t bytes = 0;   // body bytes of those pages
  std::int64_t errors = 0;  // failed fetches plus pages the sink marked failed
  std::int64_t not_modified = 0;  // pages answered 304 (counted in pages too)
  std::int64_t retries = 0;       // attempts that failed and were retried
  std::int64_t offsite_links = 0; // links to hosts the source may not visit, skipped
  int start_failures = 0;   // start pages that failed: the source itself is unreachable
  bool interrupted = false; // Stop() ended it early
  bool deadline_hit = false; // Expire() ended it at its run deadline
  bool page_limit_hit = false;
};

// Receives what the crawl finds. All calls happen on the io_context's thread
// and must return quickly: heavy work goes elsewhere, and its result comes
// back through `done`, called exactly once, on the io_context's thread.
class CrawlSink {
 public:
  virtual ~CrawlSink() = default;
  virtual void OnPage(std::size_t source, Link::Role role, FetchResult page,
                      std::function<void(PageOutcome)> done) = 0;
  virtual void OnFetchError(std::size_t source, Link::Role role, const FetchResult& failed) = 0;
  virtual void OnSourceDone(std::size_t source, const SourceStats& stats) = 0;
  // Fills in validators (ETag, Last-Modified) remembered from the last fetch
  // of request.url, making the request conditional.
  virtual void AddValidators(std::size_t source, FetchRequest& request) {
    (void)source;
    (void)request;
  }
};

// Fetched pages waiting for or in processing, across every crawl sharing a
// fetcher. At the limit the fetcher is paused, so memory stays bounded
// however large the boards are. Lives on the io_context's thread.
class ProcessingWindow {
 public:
  ProcessingWindow(Fetcher& fetcher, std::size_t limit)
      : fetcher_(fetcher), limit_(std::max<std::size_t>(1, limit)) {}
  void Acquire() {
    if (++in_use_ == limit_) fetcher_.Pause();
  }
  void Release() {
    if (in_use_-- == limit_) fetcher_.Resume();
  }

 private:
  Fetcher& fetcher_;
  const std::size_t limit_;
  std::size_t in_use_ = 0;
};

// Drives the fetcher for its sources (the fetcher's limits are shared with
// any other crawl using it). Lives on the io_context's thread; the sink,
// fetcher and window outlive it.
class Crawl {
 public:
  // `sources` are indexed as the sink sees them. At most `submit_window`
  // URLs of a source are handed to the fetcher at a time; the rest wait
  // here as plain strings, listing pages only fetched while few detail
  // pages wait, so memory stays flat however large the board is.
  Crawl(Fetcher& fetcher, std::vector<config::SourceConfig> sources, CrawlSink& sink,
        ProcessingWindow& window, std::size_t submit_window = 128);
  Crawl(const Crawl&) = delete;
  Crawl& operator=(const Crawl&) = delete;

  void Start();
  // Stops following links: nothing new is queued, what is queued or running
  // finishes (or is cancelled by whoever owns the fetcher), pages being
  // processed complete, then each unfinished source is reported done with
  // `interrupted` set.
  void Stop();
  // The run deadline passed: like Stop(), and what the fetcher holds for
  // these sources fails at once as FetchError::kDeadline (recorded as
  // errors) instead of finishing.
  void Expire();
  bool done() const { return sources_done_ == sources_.size(); }
  // The counts so far of source `source` (an index into `sources`).
  const SourceStats& stats(std::size_t source) const { return sources_[source].stats; }
  // Its pages waiting, in the fetcher or being processed.
  std::int64_t pending(std::size_t source) const { return sources_[source].pending; }

 private:
  struct Waiting {
    std::string url;
    bool is_start = false;
    std::optional<PostBody> post;  // asked for by POST with this body
  };
  struct SourceState {
    config::SourceConfig config;
    std::shared_ptr<const FetchPolicy> policy;
    std::unordered_set<std::size_t> seen;  // hashes of the requests (RequestKey) queued so far
    std::deque<Waiting> listings;          // waiting to be submitted
    std::deque<Waiting> details;
    std::size_t submitted = 0;             // in the fetcher, queued there or running
    int listing_pages = 0;
    std::int64_t pending = 0;  // waiting, submitted or processing
    SourceStats stats;
    bool reported = false;
  };

  void Enqueue(std::size_t source, std::string url, Link::Role role, bool is_start,
               std::optional<PostBody> post = std::nullopt);
  void Submit(std::size_t source);
  void OnFetched(std::size_t source, Link::Role role, bool is_start, FetchResult result);
  void OnProcessed(std::size_t source, PageOutcome outcome);
  void Settle(std::size_t source);

  Fetcher& fetcher_;
  CrawlSink& sink_;
  ProcessingWindow& window_;
  const std::size_t submit_window_;
  std::vector<SourceState> sources_;
  std::size_t sources_done_ = 0;
  bool stopping_ = false;
};

}  // namespace jobtrawl::crawler

#endif  // JOBTRAWL_CRAWLER_CRAWL_H_
