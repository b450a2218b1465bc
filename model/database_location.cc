#include "model/database_location.h"

#include <algorithm>
#include <vector>

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

namespace {

// The password as written in a PostgreSQL URI: in "user:PASSWORD@" and in
// each "password=" query parameter (the same delimiters as above).
std::vector<std::string> PasswordsOf(std::string_view location) {
  std::vector<std::string> out;
  if (!IsPostgresUrl(location)) return out;
  const std::size_t authority = location.find("://") + 3;
  const std::size_t authority_end = std::min(location.find_first_of("/?#", authority), location.size());
  if (const std::size_t at = location.rfind('@', authority_end == 0 ? 0 : authority_end - 1);
      at != std::string_view::npos && at >= authority) {
    if (const std::size_t colon = location.find(':', authority); colon < at && colon + 1 < at) {
      out.emplace_back(location.substr(colon + 1, at - colon - 1));
    }
  }
  const std::size_t query = location.find('?');
  for (std::size_t param = query == std::string_view::npos ? location.size() : query + 1; param < location.size();) {
    const std::size_t end = std::min(location.find_first_of("&#", param), location.size());
    const std::string_view p = location.substr(param, end - param);
    if (ascii::StartsWithIgnoreCase(p, "password=") && p.size() > 9) out.emplace_back(p.substr(9));
    if (end < location.size() && location[end] == '#') break;
    param = end + 1;
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void ReplaceAll(std::string& text, std::string_view what) {
  if (what.empty()) return;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 3)) {
    text.replace(at, what.size(), "***");
  }
}

}  // namespace

std::string RedactPasswordIn(std::string_view text, std::string_view location) {
  std::string out(text);
  for (const std::string& password : PasswordsOf(location)) {
    ReplaceAll(out, password);
    // Percent-decoded (RFC 3986 §2.1), where it decodes.
    std::string decoded;
    bool ok = true;
    for (std::size_t i = 0; i < password.size() && ok; ++i) {
      if (password[i] != '%') {
        decoded += password[i];
      } else if (i + 2 < password.size() && HexValue(password[i + 1]) >= 0 && HexValue(password[i + 2]) >= 0) {
        decoded += static_cast<char>(HexValue(password[i + 1]) * 16 + HexValue(password[i + 2]));
        i += 2;
      } else {
        ok = false;
      }
    }
    if (ok && decoded != password) ReplaceAll(out, decoded);
  }
  return out;
}

}  // namespace jobtrawl
