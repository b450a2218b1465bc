#include "app/failure_tally.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace jobtrawl::app {

namespace {

std::string Line(std::string_view url, std::string_view kind, std::string_view message) {
  std::string line;
  line.reserve(url.size() + kind.size() + message.size() + 4);
  line.append(url).append(": ").append(kind);
  if (!message.empty()) line.append(": ").append(message);
  return line;
}

}  // namespace

void FailureTally::Add(std::string_view url, std::string_view kind, std::string_view message,
                       bool start_page) {
  std::lock_guard lock(mutex_);
  ++pages_;
  auto it = by_kind_.find(kind);
  if (it == by_kind_.end()) it = by_kind_.emplace(std::string(kind), 0).first;
  ++it->second;
  if (first_.empty()) first_ = Line(url, kind, message);
  if (start_page && first_start_.empty()) first_start_ = Line(url, kind, message);
}

std::string FailureTally::FirstStartFailure() const {
  std::lock_guard lock(mutex_);
  return first_start_;
}

int FailureTally::pages() const {
  std::lock_guard lock(mutex_);
  return pages_;
}

std::string FailureTally::Describe() const {
  std::lock_guard lock(mutex_);
  if (pages_ == 0) return {};
  std::vector<std::pair<std::string_view, int>> kinds(by_kind_.begin(), by_kind_.end());
  std::stable_sort(kinds.begin(), kinds.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out = std::to_string(pages_) + (pages_ == 1 ? " page failed (" : " pages failed (");
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(kinds[i].second) + " " + std::string(kinds[i].first);
  }
  out += "); first: " + first_;
  return out;
}

}  // namespace jobtrawl::app
