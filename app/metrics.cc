#include "app/metrics.h"

#include <charconv>
#include <cstdio>
#include <system_error>

namespace jobtrawl::app {

namespace {

// A label value as the text format escapes it: \\, \" and \n.
std::string Escape(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// The shortest text that reads back as `v` ("0.05", "1800000000", "0.12").
std::string Number(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "NaN";
}

void Family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void Sample(std::string& out, std::string_view name, std::string_view labels, double value) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ").append(Number(value)).append("\n");
}

std::string SourceLabel(std::string_view source) { return "source=\"" + Escape(source) + "\""; }

}  // namespace

Metrics::Metrics(std::filesystem::path database) : database_(std::move(database)) {}

void Metrics::SetNode(std::string name) {
  std::lock_guard lock(mutex_);
  node_ = std::move(name);
}

Metrics::Source& Metrics::At(std::string_view source) {
  auto it = sources_.find(source);
  if (it == sources_.end()) it = sources_.emplace(std::string(source), Source{}).first;
  return it->second;
}

void Metrics::OnFetch(std::string_view source, const FetchResult& r) {
  std::lock_guard lock(mutex_);
  Source& s = At(source);
  std::string klass = r.status >= 100 && r.status < 600 ? std::to_string(r.status / 100) + "xx"
                     : r.ok()                           ? "file"
                                                        : "none";
  ++s.requests_by_class[klass];
  s.response_bytes += static_cast<std::int64_t>(r.body.size());
  s.retries += static_cast<std::int64_t>(r.retried.size());
  if (!r.ok()) {
    ++s.errors_by_kind[std::string(FetchErrorName(r.error))];
    if (r.error == FetchError::kRobotsDisallowed) ++s.robots_denials;
  }
  if (r.timings.total.count() > 0) {
    const double seconds = static_cast<double>(r.timings.total.count()) / 1e6;
    ++latency_count_;
    latency_sum_ += seconds;
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      if (seconds <= kLatencyBuckets[i]) {
        ++latency_buckets_[i];
        break;
      }
    }
  }
}

void Metrics::OnPageProblem(std::string_view source, std::string_view kind) {
  std::lock_guard lock(mutex_);
  Source& s = At(source);
  auto it = s.errors_by_kind.find(kind);
  if (it == s.errors_by_kind.end()) it = s.errors_by_kind.emplace(std::string(kind), 0).first;
  ++it->second;
}

void Metrics::SetQueueDepth(std::string_view source, std::int64_t pages) {
  std::lock_guard lock(mutex_);
  At(source).queue_pages = pages;
}

void Metrics::OnRunFinished(std::string_view source, const storage::RunRecord& r, Clock::time_point at) {
  std::lock_guard lock(mutex_);
  Source& s = At(source);
  ++s.runs_by_status[r.status];
  s.postings_new += r.counts.new_postings;
  s.postings_updated += r.counts.updated;
  s.listings_closed += r.closed;
  s.queue_pages = 0;
  s.degraded = r.status == "degraded" ? 1 : 0;
  if (r.status == "ok" || r.status == "partial" || r.status == "degraded") {
    s.last_success = std::chrono::duration<double>(at.time_since_epoch()).count();
  }
}

void Metrics::SetLastSuccess(std::string_view source, Clock::time_point at) {
  std::lock_guard lock(mutex_);
  At(source).last_success = std::chrono::duration<double>(at.time_since_epoch()).count();
}

void Metrics::OnAlertOutcome(std::string_view alert, std::string_view outcome, std::int64_t n) {
  std::lock_guard lock(mutex_);
  alert_outcomes_[{std::string(alert), std::string(outcome)}] += n;
}

void Metrics::SetAlertOutboxPending(std::int64_t events) {
  std::lock_guard lock(mutex_);
  outbox_pending_ = events;
}

void Metrics::SetStoreUnavailable(bool unavailable) {
  std::lock_guard lock(mutex_);
  if (unavailable && !store_unavailable_) ++store_outages_;
  store_unavailable_ = unavailable;
}

std::string Metrics::Render() const {
  std::error_code ec;
  std::uintmax_t db_bytes = 0;
  for (const char* suffix : {"", "-wal"}) {
    const auto n = std::filesystem::file_size(database_.string() + suffix, ec);
    if (!ec) db_bytes += n;
  }
  std::lock_guard lock(mutex_);
  std::string out;
  out.reserve(4096 + sources_.size() * 1024);

  auto per_source = [&](std::string_view name, std::string_view type, std::string_view help,
                        auto value) {
    Family(out, name, type, help);
    for (const auto& [source, s] : sources_) Sample(out, name, SourceLabel(source), value(s));
  };
  auto per_source_map = [&](std::string_view name, std::string_view help, std::string_view label,
                            auto map) {
    Family(out, name, "counter", help);
    for (const auto& [source, s] : sources_) {
      for (const auto& [key, n] : map(s)) {
        Sample(out, name, SourceLabel(source) + "," + std::string(label) + "=\"" + Escape(key) + "\"",
               static_cast<double>(n));
      }
    }
  };

  per_source_map("jobtrawl_http_requests_total",
                 "Fetches that ended, by HTTP status class (\"file\": a file:// read; \"none\": no answer); retried attempts not counted.",
                 "class", [](const Source& s) -> const auto& { return s.requests_by_class; });
  per_source("jobtrawl_http_response_bytes_total", "counter", "Body bytes of fetched pages, after decompression.",
             [](const Source& s) { return static_cast<double>(s.response_bytes); });
  per_source("jobtrawl_fetch_retries_total", "counter", "Failed attempts that were retried.",
             [](const Source& s) { return static_cast<double>(s.retries); });
  per_source("jobtrawl_robots_denials_total", "counter", "Pages robots.txt did not allow.",
             [](const Source& s) { return static_cast<double>(s.robots_denials); });
  per_source_map("jobtrawl_crawl_errors_total",
                 "Failed pages by crawl_errors kind (README \"How a failed page is recorded\").", "kind",
                 [](const Source& s) -> const auto& { return s.errors_by_kind; });
  per_source("jobtrawl_postings_new_total", "counter", "Postings seen for the first time.",
             [](const Source& s) { return static_cast<double>(s.postings_new); });
  per_source("jobtrawl_postings_updated_total", "counter", "Postings whose content changed.",
             [](const Source& s) { return static_cast<double>(s.postings_updated); });
  per_source("jobtrawl_listings_closed_total", "counter", "Listings closed (gone from the board).",
             [](const Source& s) { return static_cast<double>(s.listings_closed); });
  per_source_map("jobtrawl_crawl_runs_total", "Finished crawl runs by status.", "status",
                 [](const Source& s) -> const auto& { return s.runs_by_status; });
  per_source("jobtrawl_crawl_queue_pages", "gauge",
             "Pages of the running crawl waiting, being fetched or being processed.",
             [](const Source& s) { return static_cast<double>(s.queue_pages); });
  per_source("jobtrawl_source_degraded", "gauge",
             "1 when the source's last run was degraded: far fewer postings, or pages lacking a field, "
             "against its last good run (README \"Breakage alarms\"); closing is held.",
             [](const Source& s) { return static_cast<double>(s.degraded); });
  Family(out, "jobtrawl_last_success_timestamp_seconds", "gauge",
         "When the last ok, partial or degraded crawl of the source ended (Unix time).");
  for (const auto& [source, s] : sources_) {
    if (s.last_success > 0) Sample(out, "jobtrawl_last_success_timestamp_seconds", SourceLabel(source), s.last_success);
  }

  Family(out, "jobtrawl_fetch_duration_seconds", "histogram", "Time from request to the end of the body.");
  std::int64_t cumulative = 0;
  for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    cumulative += latency_buckets_[i];
    Sample(out, "jobtrawl_fetch_duration_seconds_bucket", "le=\"" + Number(kLatencyBuckets[i]) + "\"",
           static_cast<double>(cumulative));
  }
  Sample(out, "jobtrawl_fetch_duration_seconds_bucket", "le=\"+Inf\"", static_cast<double>(latency_count_));
  Sample(out, "jobtrawl_fetch_duration_seconds_sum", "", latency_sum_);
  Sample(out, "jobtrawl_fetch_duration_seconds_count", "", static_cast<double>(latency_count_));

  Family(out, "jobtrawl_alert_deliveries_total", "counter",
         "Alert events by [[alert]] and outcome: delivered, failed (an attempt that failed; tried again), "
         "given_up ([delivery] give_up_after).");
  for (const auto& [key, n] : alert_outcomes_) {
    Sample(out, "jobtrawl_alert_deliveries_total",
           "alert=\"" + Escape(key.first) + "\",outcome=\"" + Escape(key.second) + "\"", static_cast<double>(n));
  }
  Family(out, "jobtrawl_alert_outbox_pending", "gauge",
         "Alert events in the outbox not yet delivered (nor given up), after the last delivery pass.");
  if (outbox_pending_ >= 0) {
    Sample(out, "jobtrawl_alert_outbox_pending", "", static_cast<double>(outbox_pending_));
  }

  Family(out, "jobtrawl_store_unavailable", "gauge",
         "1 while the database cannot be reached and the writer holds its writes until it is back; else 0.");
  Sample(out, "jobtrawl_store_unavailable", "", store_unavailable_ ? 1.0 : 0.0);
  Family(out, "jobtrawl_store_outages_total", "counter",
         "Times the database became unreachable for the writer (each outage once).");
  Sample(out, "jobtrawl_store_outages_total", "", static_cast<double>(store_outages_));

  if (!node_.empty()) {
    Family(out, "jobtrawl_node_info", "gauge", "The fleet node this process is ([node] name); always 1.");
    Sample(out, "jobtrawl_node_info", "node=\"" + Escape(node_) + "\"", 1.0);
  }
  Family(out, "jobtrawl_database_size_bytes", "gauge", "Size of the database file and its write-ahead log.");
  Sample(out, "jobtrawl_database_size_bytes", "", static_cast<double>(db_bytes));
  return out;
}

}  // namespace jobtrawl::app
