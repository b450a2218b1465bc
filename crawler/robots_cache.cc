#include "crawler/robots_cache.h"

#include <algorithm>

namespace jobtrawl::crawler {

RobotsCache::RobotsCache(Settings settings) : settings_(std::move(settings)) {}

RobotsCache::Status RobotsCache::status(const std::string& host, Clock::time_point now) const {
  auto it = entries_.find(host);
  if (it == entries_.end()) return Status::kMissing;
  if (it->second.fetching) return Status::kFetching;
  if (!it->second.robots || now >= it->second.expires) return Status::kMissing;
  return Status::kReady;
}

void RobotsCache::MarkFetching(const std::string& host) { entries_[host].fetching = true; }

void RobotsCache::Abandon(const std::string& host) {
  auto it = entries_.find(host);
  if (it == entries_.end()) return;
  it->second.fetching = false;
  if (!it->second.robots) entries_.erase(it);
}

void RobotsCache::Store(const std::string& host, const FetchResult& r, Clock::time_point now) {
  MakeRoom(now);
  Entry& e = entries_[host];
  e.fetching = false;
  e.unreachable.reset();
  Duration keep = settings_.ttl;
  if (r.ok() && r.status >= 200 && r.status < 300) {
    e.robots = Robots::Parse(r.body, settings_.product_token);
  } else if (r.error == FetchError::kHttpStatus && r.status >= 400 && r.status < 500) {
    // RFC 9309 2.3.1.3: "unavailable" means no rules apply.
    e.robots = Robots::AllowAll("robots.txt answered HTTP " + std::to_string(r.status) +
                                ": no rules apply");
  } else {
    // RFC 9309 2.3.1.4: unreachable or 5xx means complete disallow, for now.
    std::string why = r.error == FetchError::kHttpStatus
                          ? "HTTP " + std::to_string(r.status)
                          : std::string(FetchErrorName(r.error)) + ": " + r.error_message;
    e.robots = Robots::DisallowAll("robots.txt unavailable (" + why +
                                   "): everything disallowed until it can be read");
    if (r.error != FetchError::kHttpStatus) e.unreachable = Unreachable{r.error, r.error_message};
    keep = std::min(keep, settings_.unavailable_ttl);
  }
  e.expires = now + keep;
}

RobotsDecision RobotsCache::Check(const std::string& host, std::string_view url) const {
  auto it = entries_.find(host);
  if (it == entries_.end() || !it->second.robots) return {true, 0, "no robots.txt read"};
  return it->second.robots->Check(RobotsPath(url));
}

const RobotsCache::Unreachable* RobotsCache::unreachable(const std::string& host) const {
  auto it = entries_.find(host);
  if (it == entries_.end() || !it->second.unreachable) return nullptr;
  return &*it->second.unreachable;
}

std::optional<RobotsCache::Duration> RobotsCache::crawl_delay(const std::string& host) const {
  auto it = entries_.find(host);
  if (it == entries_.end() || !it->second.robots) return std::nullopt;
  return it->second.robots->crawl_delay();
}

void RobotsCache::MakeRoom(Clock::time_point now) {
  if (entries_.size() < settings_.max_hosts) return;
  std::erase_if(entries_, [&](const auto& e) { return !e.second.fetching && now >= e.second.expires; });
  // Still full of live entries: drop those that expire soonest.
  while (entries_.size() >= settings_.max_hosts) {
    auto victim = entries_.end();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->second.fetching) continue;
      if (victim == entries_.end() || it->second.expires < victim->second.expires) victim = it;
    }
    if (victim == entries_.end()) return;  // everything is being fetched
    entries_.erase(victim);
  }
}

}  // namespace jobtrawl::crawler
