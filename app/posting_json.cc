#include "app/posting_json.h"

#include <boost/json/serialize.hpp>
#include <cmath>

#include "app/json_text.h"

namespace jobtrawl::app {
namespace json = boost::json;

namespace {

json::value Opt(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::value Opt(const std::optional<double>& v) {
  if (!v) return nullptr;
  if (*v == std::floor(*v) && std::abs(*v) < 9e15) return static_cast<std::int64_t>(*v);
  return *v;
}

void Pretty(const json::value& v, std::string& out, int indent) {
  auto pad = [&](int n) { out.append(static_cast<size_t>(n) * 2, ' '); };
  if (v.is_object() && !v.get_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& [k, child] : v.get_object()) {
      if (!first) out += ",\n";
      first = false;
      pad(indent + 1);
      out += json::serialize(json::value(k)) + ": ";
      Pretty(child, out, indent + 1);
    }
    out += "\n";
    pad(indent);
    out += "}";
  } else if (v.is_array() && !v.get_array().empty()) {
    out += "[\n";
    bool first = true;
    for (const auto& child : v.get_array()) {
      if (!first) out += ",\n";
      first = false;
      pad(indent + 1);
      Pretty(child, out, indent + 1);
    }
    out += "\n";
    pad(indent);
    out += "]";
  } else {
    out += JsonText(v);
  }
}

}  // namespace

json::object PlaceToJson(const Place& place) {
  json::object o;
  o["city"] = Opt(place.city);
  o["region"] = Opt(place.region);
  o["country"] = Opt(place.country);
  return o;
}

json::object PostingToJson(const Posting& p) {
  json::object o;
  o["title"] = Opt(p.title);
  o["company"] = Opt(p.company);
  o["location"] = Opt(p.location);
  o["country"] = Opt(p.country);
  o["remote"] = Opt(p.remote);
  o["employment_type"] = Opt(p.employment_type);
  o["salary_min"] = Opt(p.salary_min);
  o["salary_max"] = Opt(p.salary_max);
  o["salary_currency"] = Opt(p.salary_currency);
  o["salary_period"] = Opt(p.salary_period);
  o["date_posted"] = Opt(p.date_posted);
  o["valid_through"] = Opt(p.valid_through);
  o["url"] = p.url;
  o["apply_url"] = Opt(p.apply_url);
  o["external_id"] = Opt(p.external_id);
  o["department"] = Opt(p.department);  // schema v13: after the fields there were before it
  o["description"] = Opt(p.description);
  o["description_markdown"] = Opt(p.description_markdown);
  // Normalized fields (normalize/), and what the board wrote beside them.
  o["city"] = Opt(p.city);
  o["region"] = Opt(p.region);
  json::array places;
  for (const Place& place : p.places) places.push_back(PlaceToJson(place));
  o["places"] = std::move(places);
  o["remote_scope"] = Opt(p.remote_scope);
  o["salary_annual_min"] = Opt(p.salary_annual_min);
  o["salary_annual_max"] = Opt(p.salary_annual_max);
  o["salary_currency_guessed"] = p.salary_currency_guessed;
  o["salary_source"] = Opt(p.salary_source);
  o["seniority"] = Opt(p.seniority);
  o["seniority_rule"] = Opt(p.seniority_rule);
  o["title_family"] = Opt(p.title_family);
  o["title_key"] = Opt(p.title_key);
  o["company_key"] = Opt(p.company_key);
  json::array skills;
  for (const std::string& s : p.skills) skills.emplace_back(s);
  o["skills"] = std::move(skills);
  o["visa_sponsorship"] = Opt(p.visa_sponsorship);
  o["experience_years_min"] = p.experience_years_min ? json::value(*p.experience_years_min) : json::value(nullptr);
  o["language"] = Opt(p.language);
  json::object raw;
  raw["remote"] = Opt(p.remote_raw);
  raw["employment_type"] = Opt(p.employment_type_raw);
  raw["salary"] = Opt(p.salary_raw);
  raw["date_posted"] = Opt(p.date_posted_raw);
  raw["valid_through"] = Opt(p.valid_through_raw);
  raw["country"] = Opt(p.country_raw);
  o["raw"] = std::move(raw);
  if (!p.provenance.empty()) {
    // Where each field came from, for config authors (not a column).
    json::object from;
    for (const auto& [field, source] : p.provenance) from[field] = source;
    o["provenance"] = std::move(from);
  }
  return o;
}

std::string PrettyJson(const json::value& v) {
  std::string out;
  Pretty(v, out, 0);
  return out;
}

}  // namespace jobtrawl::app
