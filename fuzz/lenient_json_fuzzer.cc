// The lenient JSON reader over any bytes. What it reads must survive a round
// trip through standard JSON unchanged.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_checks.h"
#include "parsers/lenient_json.h"

namespace {

// Equal values, doubles within a few ULPs: Boost.JSON 1.81 reads long
// numbers with a fast algorithm that can be one ULP off the shortest
// serialization it wrote.
bool Same(const boost::json::value& a, const boost::json::value& b) {
  if (a.is_double() && b.is_double()) {
    double x = a.get_double(), y = b.get_double();
    return x == y || std::fabs(x - y) <= 1e-14 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.is_array() && b.is_array()) {
    const auto &p = a.get_array(), &q = b.get_array();
    if (p.size() != q.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (!Same(p[i], q[i])) return false;
    }
    return true;
  }
  if (a.is_object() && b.is_object()) {
    const auto &p = a.get_object(), &q = b.get_object();
    if (p.size() != q.size()) return false;
    for (const auto& [key, value] : p) {
      auto it = q.find(key);
      if (it == q.end() || !Same(value, it->value())) return false;
    }
    return true;
  }
  return a == b;
}

bool HasNonFinite(const boost::json::value& v) {
  if (v.is_double()) return !std::isfinite(v.get_double());
  if (v.is_array()) {
    for (const auto& e : v.get_array()) {
      if (HasNonFinite(e)) return true;
    }
  }
  if (v.is_object()) {
    for (const auto& [key, value] : v.get_object()) {
      if (HasNonFinite(value)) return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  auto value = parsers::ParseLenientJson(fuzz::AsText(data, size));
  if (!value) return 0;
  std::string json = boost::json::serialize(*value);
  // Strings keep any bytes the input had (the reader allows invalid UTF-8).
  boost::json::parse_options options;
  options.allow_invalid_utf8 = true;
  options.max_depth = 1024;
  boost::system::error_code ec;
  boost::json::value again = boost::json::parse(json, ec, {}, options);
  // Numbers past the range of a double read as infinity, which Boost.JSON
  // writes but then refuses to read; the readers of values
  // (parsers/json_values.h Number) skip non-finite numbers.
  if (ec) {
    fuzz::Check(HasNonFinite(*value));
    return 0;
  }
  fuzz::Check(Same(again, *value));
  return 0;
}
