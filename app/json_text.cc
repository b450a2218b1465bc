#include "app/json_text.h"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>

namespace jobtrawl::app {
namespace json = boost::json;

namespace {

void Write(const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, child] : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(key);
        out += ':';
        Write(child, out);
      }
      out += '}';
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& child : v.get_array()) {
        if (!first) out += ',';
        first = false;
        Write(child, out);
      }
      out += ']';
      return;
    }
    case json::kind::double_:
      out += JsonNumber(v.get_double());
      return;
    case json::kind::null:
    case json::kind::bool_:
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::string:
      out += json::serialize(v);
      return;
  }
}

}  // namespace

std::string JsonNumber(double d) {
  if (!std::isfinite(d)) return "null";
  char buf[400];
  const double magnitude = std::abs(d);
  const bool plain = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e21);
  const auto [end, ec] = plain ? std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed)
                               : std::to_chars(buf, buf + sizeof buf, d);
  if (ec != std::errc()) return json::serialize(json::value(d));
  std::string text(buf, end);
  // A whole double stays a double to a reader that tells them apart.
  if (plain && text.find('.') == std::string::npos) text += ".0";
  return text;
}

std::string JsonText(const json::value& v) {
  std::string out;
  Write(v, out);
  return out;
}

}  // namespace jobtrawl::app
