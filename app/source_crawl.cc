#include "app/source_crawl.h"

#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <algorithm>

#include "app/json_text.h"
#include "normalize/normalize.h"
#include "parsers/charset.h"
#include "model/url.h"

namespace jobtrawl::app {

namespace asio = boost::asio;

parsers::ExtractOptions ExtractOptionsFor(const config::SourceConfig& source) {
  parsers::ExtractOptions options{.kind = parsers::SourceKindFromName(source.kind).value_or(parsers::SourceKind::kHtml),
                                  .company_in_title = source.company_in_title,
                                  .company = source.company,
                                  .detail_pattern = source.follow.detail,
                                  .next_pattern = source.follow.next,
                                  .detail_css = source.follow.detail_css,
                                  .next_css = source.follow.next_css,
                                  .item = source.item,
                                  .page_budget = source.page_budget};
  for (const auto& f : source.fields) options.fields.push_back({f.field, f.selectors});
  return options;
}

Link::Role PageRole(const config::SourceConfig& source, const parsers::Extractor& extractor,
                    std::string_view url) {
  const std::string canonical = CanonicalUrl(url).value_or(std::string(url));
  for (const std::string& start : source.start) {
    if (CanonicalUrl(start).value_or(start) == canonical) return Link::Role::kListing;
  }
  if (auto role = extractor.RoleByPattern(canonical)) return *role;
  const bool sitemap = parsers::SourceKindFromName(source.kind) == parsers::SourceKind::kSitemap;
  return !source.item.empty() || sitemap ? Link::Role::kListing : Link::Role::kDetail;
}

std::string BodyHash(std::string_view body) { return storage::StableHash(body); }

SourceCrawl::SourceCrawl(asio::io_context& ioc, asio::thread_pool& pool, StoreWriter& writer,
                         crawler::Fetcher& fetcher, crawler::ProcessingWindow& window,
                         config::SourceConfig source, StoreWriter::RunStart run, LogFunction log,
                         DoneCallback done, std::chrono::milliseconds deadline, Metrics* metrics)
    : ioc_(ioc),
      pool_(pool),
      writer_(writer),
      source_(std::move(source)),
      run_(run.run),
      cache_(std::move(run.cache)),
      baseline_(run.last_good_stats ? YieldCounts::FromStatsJson(*run.last_good_stats) : std::nullopt),
      log_(std::move(log)),
      extractor_(ExtractOptionsFor(source_)),
      done_(std::move(done)),
      metrics_(metrics),
      deadline_(deadline),
      deadline_timer_(ioc),
      crawl_(fetcher, {source_}, *this, window) {}

void SourceCrawl::Start() {
  deadline_timer_.expires_after(deadline_);
  deadline_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;  // cancelled: the run ended, or *this is gone
    Log(LogLevel::kWarning, source_.start.empty() ? "" : source_.start.front(), "deadline",
        "the run deadline passed: stopping this source's crawl");
    crawl_.Expire();
  });
  crawl_.Start();
}
void SourceCrawl::Stop() { crawl_.Stop(); }

const storage::CachedPage* SourceCrawl::Cached(const std::string& url) const {
  auto it = cache_.find(url);
  return it == cache_.end() ? nullptr : &it->second;
}

void SourceCrawl::AddValidators(std::size_t, crawler::FetchRequest& request) {
  if (request.post) return;  // a POST is never conditional (RFC 9110 §13.1)
  if (const storage::CachedPage* c = Cached(request.url)) {
    request.etag = c->etag;
    request.last_modified = c->last_modified;
  }
}

void SourceCrawl::OnPage(std::size_t, Link::Role role, FetchResult page,
                         std::function<void(crawler::PageOutcome)> done) {
  RecordFetch(page);
  ReportProgress();
  RecordRetries(page);
  // On the pool, also a 304: its writes may wait for room in the writer's
  // queue, and the event loop must never wait.
  asio::post(pool_, [this, role, page = std::move(page), done = std::move(done),
                     alive = std::weak_ptr<char>(alive_)]() mutable {
    crawler::PageOutcome outcome = page.not_modified() ? NotModified(role, page) : Process(role, page);
    asio::post(ioc_, [done = std::move(done), outcome = std::move(outcome), alive]() mutable {
      if (!alive.expired()) done(std::move(outcome));
    });
  });
}

crawler::PageOutcome SourceCrawl::NotModified(Link::Role role, const FetchResult& page) {
  // 304: nothing to parse; the page's listings are still there.
  crawler::PageOutcome outcome;
  if (const storage::CachedPage* c = Cached(page.url)) {
    if (role == Link::Role::kListing) outcome.links = Fresh(c->links);
    stats_.OnListingsSeen(static_cast<std::int64_t>(c->listing_keys.size()));
    writer_.Touch(run_, page.url, c->listing_keys);
    if (Refetched(page.url)) writer_.SaveCache(run_, page.url, *c);  // read now: a newer fetched_at
  } else {
    outcome.failed = true;
    Problem(page.url, "HTTP 304 for a page this source has no copy of");
  }
  return outcome;
}

crawler::PageOutcome SourceCrawl::Process(Link::Role role, const FetchResult& page) {
  crawler::PageOutcome outcome;
  storage::CachedPage fresh{.etag = std::string(page.Header("ETag")),
                            .last_modified = std::string(page.Header("Last-Modified")),
                            .body_hash = BodyHash(page.body)};
  // The page's key in the HTTP cache: its URL, and for a POST its body too.
  const std::string key = RequestKey(page.url, page.post);
  const storage::CachedPage* cached = Cached(key);
  if (cached != nullptr && cached->body_hash == fresh.body_hash) {
    if (role == Link::Role::kListing) outcome.links = Fresh(cached->links);
    stats_.OnListingsSeen(static_cast<std::int64_t>(cached->listing_keys.size()));
    writer_.Touch(run_, key, cached->listing_keys);
    if (cached->etag != fresh.etag || cached->last_modified != fresh.last_modified || Refetched(key)) {
      fresh.links = cached->links;
      fresh.listing_keys = cached->listing_keys;
      writer_.SaveCache(run_, key, std::move(fresh));
    }
    return outcome;
  }
  std::string problem;
  try {
    // Bytes become valid UTF-8 first (header, meta, detection), whatever the site sent.
    parsers::DecodedText decoded = parsers::DecodeToUtf8(page.body, page.Header("Content-Type"));
    Extracted x = extractor_.Extract(page.final_url, decoded.View(page.body), role, page.post ? &*page.post : nullptr);
    if (decoded.replaced > 0) stats_.OnWarning(std::to_string(decoded.replaced) + " invalid sequences replaced");
    for (const std::string& w : x.warnings) stats_.OnWarning(w);
    if (x.too_slow) {
      // What was extracted in time is kept; the page is not cached, so the next crawl tries again.
      const std::string slow = "[parse] page_budget of " + std::to_string(source_.page_budget.count()) +
                               " ms spent: kept " + std::to_string(x.postings.size()) + " posting(s)";
      Log(LogLevel::kWarning, page.final_url, "too_slow", slow);
      writer_.RecordError(run_, {page.final_url, "too_slow", 0, slow, 1});
      failures_.Add(page.final_url, "too_slow", slow, false);
      stats_.OnPageProblem("too_slow");
      if (metrics_ != nullptr) metrics_->OnPageProblem(source_.name, "too_slow");
    }
    if (x.postings.empty() && x.broken_blocks > 0) {
      problem = std::to_string(x.broken_blocks) + " unreadable JSON-LD block(s) and no posting";
    } else if (x.postings.empty() && role == Link::Role::kDetail) {
      problem = "no JobPosting found on a detail page";
    }
    const normalize::Context context{.fetched_at = Clock::now(), .country = source_.country};
    for (Posting& p : x.postings) {
      normalize::NormalizePosting(p, context);
      fresh.listing_keys.push_back(storage::PostingStore::ListingKey(p));
    }
    // A page that holds postings when the scraper works: what it yields
    // now is what breakage alarms compare (app/breakage.h).
    if (role == Link::Role::kDetail || !source_.item.empty() || !x.postings.empty() || x.skipped > 0) {
      stats_.OnPostingPage(x.postings);
    }
    if (!x.postings.empty()) writer_.Upsert(run_, std::move(x.postings));
    if (problem.empty() && role == Link::Role::kListing) fresh.links = x.links;
    outcome.links = Fresh(std::move(x.links));
    if (problem.empty() && !x.too_slow) {
      writer_.SaveCache(run_, key, std::move(fresh));
    }
  } catch (const std::exception& e) {
    problem = std::string("extraction failed: ") + e.what();
  }
  if (!problem.empty()) {
    outcome.failed = true;
    Problem(page.final_url, problem);
  }
  return outcome;
}

std::vector<Link> SourceCrawl::Fresh(std::vector<Link> links) {
  // A sitemap's <lastmod> no newer than our last read of a page: the page
  // is not fetched, and its listings count as seen.
  std::erase_if(links, [&](const Link& l) {
    if (l.lastmod.empty() || l.role != Link::Role::kDetail) return false;
    const storage::CachedPage* c = Cached(l.url);
    if (c == nullptr || c->fetched_at.empty()) return false;
    if (c->fetched_at < l.lastmod) {
      // Fetched again: its cache row must say so even if the body is the
      // same, or the same lastmod would fetch it on every crawl.
      std::lock_guard lock(refetch_mutex_);
      refetch_.insert(l.url);
      return false;
    }
    writer_.Touch(run_, l.url, c->listing_keys);
    stats_.OnListingsSeen(static_cast<std::int64_t>(c->listing_keys.size()));
    unchanged_by_lastmod_.fetch_add(1, std::memory_order_relaxed);
    return true;
  });
  return links;
}

bool SourceCrawl::IsStartUrl(const std::string& url) const {
  const std::string canonical = CanonicalUrl(url).value_or(url);
  return std::ranges::any_of(source_.start, [&](const std::string& start) {
    return start == url || CanonicalUrl(start).value_or(start) == canonical;
  });
}

bool SourceCrawl::Refetched(const std::string& url) {
  std::lock_guard lock(refetch_mutex_);
  return refetch_.erase(url) > 0;
}

void SourceCrawl::RecordFetch(const FetchResult& r) {
  stats_.OnFetch(r);
  if (metrics_ != nullptr) metrics_->OnFetch(source_.name, r);
}

storage::RunRecord SourceCrawl::Snapshot() const {
  const crawler::SourceStats& stats = crawl_.stats(0);
  return {.status = "running",
          .pages = stats.pages,
          .bytes = stats.bytes,
          .errors = stats.errors,
          .retries = stats.retries,
          .not_modified = stats.not_modified + unchanged_by_lastmod_.load(),
          .stats = stats_.Json()};
}

void SourceCrawl::ReportProgress() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_progress_ < kProgressEvery) return;
  last_progress_ = now;
  if (metrics_ != nullptr) metrics_->SetQueueDepth(source_.name, crawl_.pending(0));
  const crawler::SourceStats& stats = crawl_.stats(0);
  writer_.Progress(run_, {.pages = stats.pages,
                          .bytes = stats.bytes,
                          .errors = stats.errors,
                          .retries = stats.retries,
                          .not_modified = stats.not_modified + unchanged_by_lastmod_.load(),
                          .stats = stats_.Json()});
}

void SourceCrawl::OnFetchError(std::size_t, Link::Role role, const FetchResult& r) {
  RecordFetch(r);
  ReportProgress();
  RecordRetries(r);
  std::string kind(FetchErrorName(r.error));
  Log(LogLevel::kWarning, r.url, kind, r.error_message);
  writer_.RecordError(run_, {r.url, kind, r.status, r.error_message,
                             static_cast<int>(r.retried.size()) + 1});
  failures_.Add(r.url, kind, r.error_message, IsStartUrl(r.url));
  if (role == Link::Role::kDetail && (r.status == 404 || r.status == 410)) {
    // The posting's page is gone: its listings close now, not after close_after.
    const storage::CachedPage* c = Cached(r.url);
    writer_.Close(run_, c != nullptr ? c->listing_keys : std::vector<std::string>{"url:" + r.url});
  }
}

void SourceCrawl::OnSourceDone(std::size_t, const crawler::SourceStats& stats) {
  storage::RunRecord record;
  record.pages = stats.pages;
  record.bytes = stats.bytes;
  record.errors = stats.errors;
  record.retries = stats.retries;
  record.not_modified = stats.not_modified + unchanged_by_lastmod_.load();
  deadline_timer_.cancel();
  CloseRule rule{.allowed = false, .close_after = source_.close_after};
  if (stats.deadline_hit) {
    record.status = "partial";
    record.message = "stopped at the run deadline ([http] run_deadline, " +
                     std::to_string(deadline_.count() / 1000) + " s): closed none";
  } else if (stats.interrupted) {
    record.status = "interrupted";
    record.message = "stopped before it finished";
  } else if (stats.start_failures > 0) {
    record.status = "failed";
    record.message = std::to_string(stats.start_failures) + " of " +
                     std::to_string(source_.start.size()) + " start pages failed";
    if (std::string first = failures_.FirstStartFailure(); !first.empty()) {
      record.message += ": " + first;
    }
  } else {
    record.status = stats.errors > 0 ? "partial" : "ok";
    if (stats.page_limit_hit) {
      record.message = "listing page limit (follow.max_pages) reached: closed none";
    } else {
      rule.allowed = true;
    }
    if (std::string failed = failures_.Describe(); !failed.empty()) {
      record.message += (record.message.empty() ? "" : "; ") + failed;
    }
  }
  // A run cut off by the run deadline saw only part of the board: it is not
  // compared (a slow board is no broken scraper) and, marked, never
  // becomes the baseline (LastGoodRunStats).
  if ((record.status == "ok" || record.status == "partial") && baseline_ && !stats.deadline_hit) {
    // Never mass-close on a broken scraper: a run far below the last good
    // one is flagged and closes nothing.
    if (auto reason = Breakage(stats_.Yield(), *baseline_, source_.alarms, source_)) {
      record.status = "degraded";
      record.message = "degraded: " + *reason + "; closed none" +
                       (record.message.empty() ? "" : "; " + record.message);
      rule.allowed = false;
      if (log_) log_(LogLevel::kWarning, source_.name + ": degraded: " + *reason);
    }
  }
  record.stats = stats_.Json();
  if (stats.deadline_hit) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(record.stats, ec);
    if (!ec && v.is_object()) {
      v.as_object()["deadline_hit"] = true;
      record.stats = JsonText(v);
    }
  }
  // Called on the writer's thread, possibly after this crawl is gone (a crawl
  // cut off at the shutdown grace period): it touches no member before the
  // liveness check, so the loop is captured by reference, not through `this`.
  writer_.FinishRun(run_, record, rule,
                    [this, &ioc = ioc_, alive = std::weak_ptr<char>(alive_)](const storage::RunRecord& written) {
                      asio::post(ioc, [this, written, alive] {
                        if (alive.expired()) return;
                        if (metrics_ != nullptr) metrics_->OnRunFinished(source_.name, written, Clock::now());
                        done_(written);
                      });
                    });
}

void SourceCrawl::Problem(const std::string& url, const std::string& problem) {
  Log(LogLevel::kWarning, url, "parse", problem);
  writer_.RecordError(run_, {url, "parse", 0, problem, 1});
  failures_.Add(url, "parse", problem, false);
  stats_.OnPageProblem("parse");
  if (metrics_ != nullptr) metrics_->OnPageProblem(source_.name, "parse");
}

void SourceCrawl::RecordRetries(const FetchResult& r) {
  // Every failed attempt is recorded, also when a retry then succeeded.
  for (std::size_t i = 0; i < r.retried.size(); ++i) {
    const FetchAttempt& a = r.retried[i];
    std::string kind(FetchErrorName(a.error));
    Log(LogLevel::kInfo, r.url, kind + " (retried)", a.message);
    writer_.RecordError(run_, {r.url, kind, a.status, a.message, static_cast<int>(i) + 1});
  }
}

void SourceCrawl::Log(LogLevel level, const std::string& url, const std::string& kind,
                      const std::string& detail) const {
  if (!log_) return;
  log_(level, source_.name + ": " + url + ": " + kind + ": " + detail);
}

}  // namespace jobtrawl::app
