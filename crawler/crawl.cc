#include "crawler/crawl.h"

namespace jobtrawl::crawler {

Crawl::Crawl(Fetcher& fetcher, std::vector<config::SourceConfig> sources, CrawlSink& sink,
             std::size_t max_pages_in_processing)
    : fetcher_(fetcher), sink_(sink), max_processing_(std::max<std::size_t>(1, max_pages_in_processing)) {
  sources_.reserve(sources.size());
  for (auto& s : sources) {
    sources_.emplace_back();
    sources_.back().config = std::move(s);
  }
}

void Crawl::Start() {
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    for (const std::string& url : sources_[i].config.start) {
      Enqueue(i, url, Link::Role::kListing, true);
    }
    Settle(i);  // a source with nothing to fetch is done at once
  }
}

void Crawl::Stop() {
  if (stopping_) return;
  stopping_ = true;
  fetcher_.CancelAll();
  for (auto& s : sources_) s.stats.interrupted = s.pending > 0;
}

void Crawl::Enqueue(std::size_t source, std::string url, Link::Role role, bool is_start) {
  SourceState& s = sources_[source];
  if (stopping_) return;
  if (!s.seen.insert(url).second) return;
  if (role == Link::Role::kListing) {
    if (s.listing_pages >= s.config.follow.max_pages) {
      s.stats.page_limit_hit = true;
      return;
    }
    ++s.listing_pages;
  }
  ++s.pending;
  fetcher_.Fetch({.url = std::move(url), .allow_file = s.config.allow_file},
                 [this, source, role, is_start](FetchResult r) {
                   OnFetched(source, role, is_start, std::move(r));
                 });
}

void Crawl::OnFetched(std::size_t source, Link::Role role, bool is_start, FetchResult result) {
  SourceState& s = sources_[source];
  if (!result.ok()) {
    if (result.error != FetchError::kCancelled) {
      ++s.stats.errors;
      if (is_start) ++s.stats.start_failures;
      sink_.OnFetchError(source, result);
    }
    --s.pending;
    Settle(source);
    return;
  }
  ++s.stats.pages;
  s.stats.bytes += static_cast<std::int64_t>(result.body.size());
  // Back-pressure: when processing falls behind the network, hold the
  // network back instead of buffering bodies without bound.
  if (++processing_ >= max_processing_) fetcher_.Pause();
  sink_.OnPage(source, role, std::move(result),
               [this, source](PageOutcome outcome) { OnProcessed(source, std::move(outcome)); });
}

void Crawl::OnProcessed(std::size_t source, PageOutcome outcome) {
  SourceState& s = sources_[source];
  if (processing_-- == max_processing_) fetcher_.Resume();
  if (outcome.failed) ++s.stats.errors;
  for (Link& link : outcome.links) Enqueue(source, std::move(link.url), link.role, false);
  --s.pending;
  Settle(source);
}

void Crawl::Settle(std::size_t source) {
  SourceState& s = sources_[source];
  if (s.pending > 0 || s.reported) return;
  s.reported = true;
  ++sources_done_;
  sink_.OnSourceDone(source, s.stats);
}

}  // namespace jobtrawl::crawler
