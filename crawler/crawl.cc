#include "crawler/crawl.h"

#include <algorithm>
#include <functional>
#include <string_view>

namespace jobtrawl::crawler {

Crawl::Crawl(Fetcher& fetcher, std::vector<config::SourceConfig> sources, CrawlSink& sink,
             ProcessingWindow& window, std::size_t submit_window)
    : fetcher_(fetcher), sink_(sink), window_(window),
      submit_window_(std::max<std::size_t>(1, submit_window)) {
  sources_.reserve(sources.size());
  for (auto& s : sources) {
    auto policy = std::make_shared<FetchPolicy>();
    policy->allow_file = s.allow_file;
    policy->allow_private_networks = s.allow_private_networks;
    policy->delay = s.delay;
    policy->headers = s.headers;
    // A source stays on its start pages' hosts and those it lists itself.
    for (const auto& url : s.start) {
      std::string host = UrlHost(url);
      if (!host.empty()) policy->allowed_hosts.push_back(std::move(host));
    }
    if (!policy->allowed_hosts.empty()) {
      policy->allowed_hosts.insert(policy->allowed_hosts.end(), s.allow_hosts.begin(),
                                   s.allow_hosts.end());
    }
    sources_.emplace_back();
    sources_.back().config = std::move(s);
    sources_.back().policy = std::move(policy);
  }
}

void Crawl::Start() {
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    for (const std::string& url : sources_[i].config.start) {
      Enqueue(i, url, Link::Role::kListing, true, sources_[i].config.start_post);
    }
    Settle(i);  // a source with nothing to fetch is done at once
  }
}

void Crawl::Stop() {
  if (stopping_) return;
  stopping_ = true;
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    SourceState& s = sources_[i];
    s.stats.interrupted = s.pending > 0;
    // What was never handed to the fetcher is simply dropped.
    s.pending -= static_cast<std::int64_t>(s.listings.size() + s.details.size());
    s.listings.clear();
    s.details.clear();
    Settle(i);
  }
}

void Crawl::Expire() {
  for (SourceState& s : sources_) s.stats.deadline_hit = !s.reported;
  Stop();
  for (SourceState& s : sources_) {
    fetcher_.Cancel(s.policy.get(), FetchError::kDeadline, "the run deadline passed before this page was fetched");
  }
}

void Crawl::Enqueue(std::size_t source, std::string url, Link::Role role, bool is_start,
                    std::optional<PostBody> post) {
  SourceState& s = sources_[source];
  if (stopping_) return;
  if (!is_start && !s.policy->allowed_hosts.empty()) {
    const auto& hosts = s.policy->allowed_hosts;
    std::string host = UrlHost(url);
    if (std::find(hosts.begin(), hosts.end(), host) == hosts.end()) {
      ++s.stats.offsite_links;
      return;
    }
  }
  // A 64-bit hash per URL instead of the URL: 50,000 pages cost under 2 MB.
  // A POST's key holds its body: pages of one search differ only there.
  const std::size_t hash =
      post ? std::hash<std::string>{}(RequestKey(url, post)) : std::hash<std::string_view>{}(url);
  if (!s.seen.insert(hash).second) return;
  if (role == Link::Role::kListing) {
    if (s.listing_pages >= s.config.follow.max_pages) {
      s.stats.page_limit_hit = true;
      return;
    }
    ++s.listing_pages;
  }
  ++s.pending;
  (role == Link::Role::kListing ? s.listings : s.details).push_back({std::move(url), is_start, std::move(post)});
  Submit(source);
}

void Crawl::Submit(std::size_t source) {
  SourceState& s = sources_[source];
  while (!stopping_ && s.submitted < submit_window_ && (!s.listings.empty() || !s.details.empty())) {
    // Listing pages go first while few detail pages wait, so the next page
    // of the board is on its way before the details run out; otherwise
    // details go first, so what waits stays about one listing page long.
    const bool listing = !s.listings.empty() && (s.details.empty() || s.details.size() < submit_window_);
    std::deque<Waiting>& queue = listing ? s.listings : s.details;
    Waiting next = std::move(queue.front());
    queue.pop_front();
    const Link::Role role = listing ? Link::Role::kListing : Link::Role::kDetail;
    ++s.submitted;
    FetchRequest request{.url = std::move(next.url), .post = std::move(next.post), .policy = s.policy};
    sink_.AddValidators(source, request);
    fetcher_.Fetch(std::move(request), [this, source, role, is_start = next.is_start](FetchResult r) {
      OnFetched(source, role, is_start, std::move(r));
    });
  }
}

void Crawl::OnFetched(std::size_t source, Link::Role role, bool is_start, FetchResult result) {
  SourceState& s = sources_[source];
  --s.submitted;
  Submit(source);
  s.stats.retries += static_cast<std::int64_t>(result.retried.size());
  if (!result.ok()) {
    if (result.error != FetchError::kCancelled) {
      ++s.stats.errors;
      if (is_start) ++s.stats.start_failures;
      sink_.OnFetchError(source, role, result);
    }
    --s.pending;
    Settle(source);
    return;
  }
  ++s.stats.pages;
  if (result.not_modified()) ++s.stats.not_modified;
  s.stats.bytes += static_cast<std::int64_t>(result.body.size());
  // Back-pressure: when processing falls behind the network, hold the
  // network back instead of buffering bodies without bound.
  window_.Acquire();
  sink_.OnPage(source, role, std::move(result),
               [this, source](PageOutcome outcome) { OnProcessed(source, std::move(outcome)); });
}

void Crawl::OnProcessed(std::size_t source, PageOutcome outcome) {
  SourceState& s = sources_[source];
  window_.Release();
  if (outcome.failed) ++s.stats.errors;
  for (Link& link : outcome.links) Enqueue(source, std::move(link.url), link.role, false, std::move(link.post));
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
