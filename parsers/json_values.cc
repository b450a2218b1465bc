#include "parsers/json_values.h"

#include <cmath>

#include "model/ascii.h"
#include "model/decimal.h"
#include "model/url.h"
#include "parsers/html_text.h"

namespace jobtrawl::parsers {

namespace json = boost::json;

const json::value* Get(const json::object& o, std::string_view key) {
  if (auto it = o.find(key); it != o.end()) return &it->value();
  return nullptr;
}

// First element of an array, or the value itself.
const json::value* First(const json::value* v) {
  if (v != nullptr && v->is_array()) {
    const auto& a = v->get_array();
    return a.empty() ? nullptr : &a.front();
  }
  return v;
}

std::optional<std::string> NonEmpty(std::string s) {
  if (s.empty()) return std::nullopt;
  return s;
}

// A scalar or a {"name"/"@value"/"value"} object as one line of clean text.
std::optional<std::string> Text(const json::value* v) {
  v = First(v);
  if (v == nullptr) return std::nullopt;
  switch (v->kind()) {
    case json::kind::string: return NonEmpty(CleanInlineText(v->get_string()));
    case json::kind::int64: return std::to_string(v->get_int64());
    case json::kind::uint64: return std::to_string(v->get_uint64());
    case json::kind::double_: {
      double d = v->get_double();
      if (d == std::floor(d) && std::abs(d) < 1e15) return std::to_string(static_cast<long long>(d));
      return std::to_string(d);
    }
    case json::kind::object: {
      const auto& o = v->get_object();
      for (auto key : {"name", "@value", "value"}) {
        if (auto* inner = Get(o, key)) return Text(inner);
      }
      return std::nullopt;
    }
    case json::kind::null:
    case json::kind::bool_:
    case json::kind::array: return std::nullopt;
  }
  return std::nullopt;
}

std::optional<double> Number(const json::value* v) {
  v = First(v);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  if (v->is_double()) return std::isfinite(v->get_double()) ? std::optional(v->get_double()) : std::nullopt;
  // "130,000", "4.000,50", "130000.00": the one reader of written amounts
  // (model/decimal.h), as the salary text normalizer reads them. Anything
  // else (ranges, words) is text for the salary normalizer, not a number.
  if (v->is_string()) return ParseDecimal(v->get_string());
  return std::nullopt;
}

std::optional<std::int64_t> Count(const json::value* v) {
  const std::optional<double> n = Number(v);
  if (!n || !(*n >= 0) || *n > static_cast<double>(kMaxCount) || *n != std::floor(*n)) return std::nullopt;
  return static_cast<std::int64_t>(*n);
}

void ReadBounds(const json::value* lo, const json::value* hi, std::optional<double>& min,
                std::optional<double>& max) {
  min = Number(lo);
  max = Number(hi);
  auto other = [](const json::value* v) -> std::optional<double> {
    v = First(v);
    return v != nullptr && v->is_string() ? OtherDecimalReading(v->get_string()) : std::nullopt;
  };
  const std::optional<double> lo_other = other(lo), hi_other = other(hi);
  auto nearer = [](std::optional<double>& value, double alternative, double beside) {
    if (!value || beside <= 0 || alternative <= 0 || *value <= 0) return;
    const double grouped = std::abs(std::log(*value / beside));
    const double decimal = std::abs(std::log(alternative / beside));
    if (decimal < grouped) value = alternative;
  };
  if (lo_other && !hi_other && max) nearer(min, *lo_other, *max);
  if (hi_other && !lo_other && min) nearer(max, *hi_other, *min);
}

std::optional<std::string> BoundsText(const json::value* lo, const json::value* hi,
                                      const std::optional<std::string>& currency,
                                      const std::optional<std::string>& period) {
  if (Number(lo) || Number(hi)) return std::nullopt;
  const std::optional<std::string> low = Text(lo), high = Text(hi);
  if (!low && !high) return std::nullopt;
  std::string text = low.value_or(*high);
  if (low && high && *high != *low) text += " - " + *high;
  if (currency) text += " " + *currency;
  if (period) text += "/" + *period;
  return text;
}

bool HasType(const json::object& o, std::string_view type) {
  const json::value* t = Get(o, "@type");
  if (t == nullptr) return false;
  auto matches = [&](const json::value& v) {
    if (!v.is_string()) return false;
    std::string_view s = v.get_string();
    // "JobPosting", "schema:JobPosting", "http://schema.org/JobPosting"
    if (auto slash = s.find_last_of("/:"); slash != std::string_view::npos) s = s.substr(slash + 1);
    return s == type;
  };
  if (t->is_array()) {
    for (const auto& e : t->get_array()) {
      if (matches(e)) return true;
    }
    return false;
  }
  return matches(*t);
}

// schema.org employment types as the enumerated values, for known spellings.
std::string EmploymentType(std::string_view raw) {
  std::string upper;
  for (char c : raw) {
    if (c == '-' || c == ' ') c = '_';
    upper.push_back(ascii::ToUpper(c));
  }
  if (upper == "FULLTIME") return "FULL_TIME";
  if (upper == "PARTTIME") return "PART_TIME";
  if (upper == "CONTRACT") return "CONTRACTOR";
  if (upper == "INTERNSHIP" || upper == "TRAINEESHIP") return "INTERN";
  if (upper == "FREELANCE" || upper == "FREELANCER") return "CONTRACTOR";
  if (upper == "TEMP") return "TEMPORARY";
  return upper;
}

std::optional<std::string> Url(const json::value* v, std::string_view page_url) {
  auto text = Text(v);
  if (!text) return std::nullopt;
  auto resolved = ResolveUrl(page_url, *text);
  if (!resolved) return std::nullopt;
  return CanonicalUrl(*resolved);
}

}  // namespace jobtrawl::parsers
