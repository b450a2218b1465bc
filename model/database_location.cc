#include "model/database_location.h"

#include "model/ascii.h"

namespace jobtrawl {

bool IsPostgresUrl(std::string_view location) {
  return ascii::StartsWithIgnoreCase(location, "postgresql://") ||
         ascii::StartsWithIgnoreCase(location, "postgres://");
}

// By the URI's delimiters alone (RFC 3986 §3.2, §3.4), not by a full parse:
// libpq's multi-host form ("h1:5432,h2:5433") is no RFC 3986 authority, and
// a malformed URI must still lose its password.
std::string RedactedDatabaseLocation(std::string_view location) {
  if (!IsPostgresUrl(location)) return std::string(location);
  std::string out(location);
  const std::size_t authority = out.find("://") + 3;
  const std::size_t authority_end = std::min(out.find_first_of("/?#", authority), out.size());
  if (const std::size_t at = out.rfind('@', authority_end == 0 ? 0 : authority_end - 1);
      at != std::string::npos && at >= authority) {
    if (const std::size_t colon = out.find(':', authority); colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  const std::size_t query = out.find('?');
  if (query == std::string::npos) return out;
  for (std::size_t param = query + 1; param < out.size();) {
    const std::size_t end = std::min(out.find_first_of("&#", param), out.size());
    if (ascii::StartsWithIgnoreCase(std::string_view(out).substr(param, end - param), "password=")) {
      const std::size_t value = param + 9;
      out.replace(value, end - value, "***");
      param = value + 3;
    } else {
      param = end;
    }
    if (param < out.size() && out[param] == '#') break;
    ++param;
  }
  return out;
}

}  // namespace jobtrawl
