#include "app/breakage.h"

#include <boost/json.hpp>

#include <vector>

namespace jobtrawl::app {

boost::json::object YieldCounts::ToJson() const {
  return {{"listings", listings},
          {"pages", pages},
          {"title", title},
          {"company", company},
          {"location", location},
          {"date", date},
          {"postings", postings},
          {"postings_title", postings_title},
          {"postings_company", postings_company},
          {"postings_location", postings_location},
          {"postings_date", postings_date}};
}

std::optional<YieldCounts> YieldCounts::FromStatsJson(std::string_view stats) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(stats, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const boost::json::value* y = v.as_object().if_contains("yield");
  if (y == nullptr || !y->is_object()) return std::nullopt;
  auto get = [&](std::string_view key) -> std::int64_t {
    const boost::json::value* n = y->as_object().if_contains(key);
    return n != nullptr && n->is_int64() ? n->as_int64() : 0;
  };
  return YieldCounts{.listings = get("listings"),
                     .pages = get("pages"),
                     .title = get("title"),
                     .company = get("company"),
                     .location = get("location"),
                     .date = get("date"),
                     .postings = get("postings"),
                     .postings_title = get("postings_title"),
                     .postings_company = get("postings_company"),
                     .postings_location = get("postings_location"),
                     .postings_date = get("postings_date")};
}

namespace {

// "selector h1.title" for a field read by selectors, else "field title".
std::string FieldName(const config::SourceConfig& source, std::string_view field) {
  std::string_view name = field == "date" ? "date_posted" : field;
  for (const config::FieldRule& rule : source.fields) {
    if (rule.field != name || rule.selectors.empty()) continue;
    std::string list;
    for (const std::string& s : rule.selectors) list += (list.empty() ? "" : ", ") + s;
    return "selector " + list + " (" + std::string(field) + ")";
  }
  return "field " + std::string(field);
}

}  // namespace

std::optional<std::string> Breakage(const YieldCounts& now, const YieldCounts& last,
                                    const config::AlarmConfig& rules,
                                    const config::SourceConfig& source) {
  std::vector<std::string> reasons;
  if (rules.min_yield_ratio > 0 && last.listings >= rules.min_postings &&
      static_cast<double>(now.listings) < rules.min_yield_ratio * static_cast<double>(last.listings)) {
    const std::string what = source.item.empty() ? std::string("found") : "item selector " + source.item + " found";
    reasons.push_back(what + " " + std::to_string(now.listings) + " postings; found " +
                      std::to_string(last.listings) + " last good run");
  }
  // By postings where the baseline counted them; by pages for an older one.
  const bool by_postings = last.postings > 0;
  const std::int64_t YieldCounts::*total = by_postings ? &YieldCounts::postings : &YieldCounts::pages;
  if (rules.min_field_ratio > 0 && now.*total >= rules.min_pages && last.*total >= rules.min_pages) {
    const struct {
      std::string_view name;
      std::int64_t YieldCounts::*pages;
      std::int64_t YieldCounts::*postings;
    } fields[] = {{"title", &YieldCounts::title, &YieldCounts::postings_title},
                  {"company", &YieldCounts::company, &YieldCounts::postings_company},
                  {"location", &YieldCounts::location, &YieldCounts::postings_location},
                  {"date", &YieldCounts::date, &YieldCounts::postings_date}};
    // One posting a page (detail pages): the counts are of pages, as people read them.
    const bool one_a_page = !by_postings || (now.postings == now.pages && last.postings == last.pages);
    const std::string unit = one_a_page ? " pages;" : " postings;";
    for (const auto& f : fields) {
      const std::int64_t YieldCounts::*count = by_postings ? f.postings : f.pages;
      const double share_now = static_cast<double>(now.*count) / static_cast<double>(now.*total);
      const double share_last = static_cast<double>(last.*count) / static_cast<double>(last.*total);
      if (share_last > 0 && share_now < rules.min_field_ratio * share_last) {
        const std::string verb = FieldName(source, f.name).starts_with("selector") ? " matched " : " found on ";
        reasons.push_back(FieldName(source, f.name) + verb + std::to_string(now.*count) + " of " +
                          std::to_string(now.*total) + unit + verb + std::to_string(last.*count) + " of " +
                          std::to_string(last.*total) + " last good run");
      }
    }
  }
  if (reasons.empty()) return std::nullopt;
  std::string joined;
  for (const std::string& r : reasons) joined += (joined.empty() ? "" : "; ") + r;
  return joined;
}

}  // namespace jobtrawl::app
