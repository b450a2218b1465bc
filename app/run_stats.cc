#include "app/run_stats.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "app/json_text.h"

namespace jobtrawl::app {

std::string_view WarningKind(std::string_view w) {
  // The wordings parsers/ writes (json_ld.cc, board_api.cc, feed.cc,
  // extractor.cc, page_budget.h) and the charset note; tested against them.
  if (w.starts_with("unreadable JSON-LD")) return "unreadable_json_ld";
  if (w.starts_with("unreadable ") && w.find(" API response") != std::string_view::npos) {
    return "unreadable_api_response";
  }
  if (w.starts_with("unreadable ")) return "unreadable_feed";
  if (w.starts_with("not a sitemap")) return "not_a_sitemap";
  if (w.starts_with("page budget")) return "page_budget";
  if (w.find("invalid sequences replaced") != std::string_view::npos) return "invalid_utf8";
  if (w.find("cut at") != std::string_view::npos || w.find("truncated") != std::string_view::npos ||
      w.find("nested deeper") != std::string_view::npos) {
    return "page_truncated";
  }
  return "other";
}

RunStatsCollector::RunStatsCollector() : started_(std::chrono::steady_clock::now()) {}

void RunStatsCollector::OnFetch(const FetchResult& r) {
  std::lock_guard lock(mutex_);
  // "file": a file:// read (no status); "none": no answer at all.
  ++requests_[r.status > 0 ? std::to_string(r.status) : r.ok() ? "file" : "none"];
  bytes_ += static_cast<std::int64_t>(r.body.size());
  retries_ += static_cast<std::int64_t>(r.retried.size());
  if (!r.ok()) {
    ++errors_[std::string(FetchErrorName(r.error))];
    if (r.error == FetchError::kRobotsDisallowed) ++robots_denials_;
  }
  if (r.timings.total.count() > 0) {
    const double s = static_cast<double>(r.timings.total.count()) / 1e6;
    ++fetches_;
    fetch_sum_ += s;
    fetch_max_ = std::max(fetch_max_, s);
  }
}

void RunStatsCollector::OnPageProblem(std::string_view kind) {
  std::lock_guard lock(mutex_);
  ++errors_[std::string(kind)];
}

void RunStatsCollector::OnWarning(std::string_view warning) {
  std::lock_guard lock(mutex_);
  ++warnings_[std::string(WarningKind(warning))];
}

void RunStatsCollector::OnPostingPage(const std::vector<Posting>& postings) {
  auto any = [&](auto field) {
    return std::any_of(postings.begin(), postings.end(), [&](const Posting& p) { return (p.*field).has_value(); });
  };
  std::lock_guard lock(mutex_);
  yield_.listings += static_cast<std::int64_t>(postings.size());
  ++yield_.pages;
  yield_.title += any(&Posting::title) ? 1 : 0;
  yield_.company += any(&Posting::company) ? 1 : 0;
  yield_.location += any(&Posting::location) ? 1 : 0;
  yield_.date += any(&Posting::date_posted) ? 1 : 0;
  auto count = [&](auto field) {
    return static_cast<std::int64_t>(
        std::count_if(postings.begin(), postings.end(), [&](const Posting& p) { return (p.*field).has_value(); }));
  };
  yield_.postings += static_cast<std::int64_t>(postings.size());
  yield_.postings_title += count(&Posting::title);
  yield_.postings_company += count(&Posting::company);
  yield_.postings_location += count(&Posting::location);
  yield_.postings_date += count(&Posting::date_posted);
}

void RunStatsCollector::OnListingsSeen(std::int64_t n) {
  std::lock_guard lock(mutex_);
  yield_.listings += n;
}

YieldCounts RunStatsCollector::Yield() const {
  std::lock_guard lock(mutex_);
  return yield_;
}

std::string RunStatsCollector::Json() const {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::lock_guard lock(mutex_);
  auto object = [](const std::map<std::string, std::int64_t>& m) {
    boost::json::object o;
    for (const auto& [k, v] : m) o[k] = v;
    return o;
  };
  auto round3 = [](double v) { return static_cast<double>(static_cast<std::int64_t>(v * 1000 + 0.5)) / 1000; };
  boost::json::object o;
  o["duration_seconds"] = round3(elapsed);
  o["errors"] = object(errors_);
  o["fetch_seconds"] = boost::json::object{{"count", fetches_}, {"max", round3(fetch_max_)}, {"sum", round3(fetch_sum_)}};
  o["requests"] = object(requests_);
  o["response_bytes"] = bytes_;
  o["retries"] = retries_;
  o["robots_denials"] = robots_denials_;
  o["warnings"] = object(warnings_);
  o["yield"] = yield_.ToJson();
  return JsonText(o);
}

namespace {

void Flatten(const boost::json::value& v, const std::string& prefix, std::vector<std::string>& out) {
  if (const auto* o = v.if_object()) {
    for (const auto& [k, child] : *o) Flatten(child, prefix.empty() ? std::string(k) : prefix + "/" + std::string(k), out);
    return;
  }
  if (v.is_double()) {
    // Plain decimals ("0.004", "1.317"), not Boost.JSON's "4E-3".
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.get_double(), std::chars_format::fixed);
    out.push_back(prefix + ": " + (ec == std::errc() ? std::string(buf, end) : "0"));
    return;
  }
  out.push_back(prefix + ": " + boost::json::serialize(v));
}

}  // namespace

std::vector<std::string> FormatRunStats(const storage::RunRecord& r) {
  std::vector<std::string> lines = {
      "status: " + r.status,
      "pages: " + std::to_string(r.pages),
      "pages/not_modified: " + std::to_string(r.not_modified),
      "postings/new: " + std::to_string(r.counts.new_postings),
      "postings/updated: " + std::to_string(r.counts.updated),
      "postings/unchanged: " + std::to_string(r.counts.unchanged),
      "listings/closed: " + std::to_string(r.closed),
      "listings/reopened: " + std::to_string(r.counts.reopened),
      "listings/merged: " + std::to_string(r.counts.merged),
  };
  if (!r.stats.empty()) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(r.stats, ec);
    if (!ec) Flatten(v, "", lines);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

}  // namespace jobtrawl::app
