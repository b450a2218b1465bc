#include "config/config.h"

#include <arpa/inet.h>
#include <re2/re2.h>

#include <boost/url/parse.hpp>
#include <cstdlib>
#include <cstring>
#include <expected>
#include <algorithm>
#include <fstream>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <toml++/toml.h>

#include "config/units.h"
#include "model/ascii.h"
#include "model/database_location.h"
#include "model/url.h"
#include "normalize/location.h"
#include "parsers/selector.h"
#include "parsers/source_kind.h"

namespace jobtrawl::config {
namespace {

// "127.0.0.1:9464", "[::1]:9464": an IP literal and a port (0 takes any free one).
bool IsListenAddress(std::string_view listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == listen.size()) return false;
  std::string host(listen.substr(0, colon));
  const std::string_view port = listen.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos ||
      std::stoi(std::string(port)) > 65535) {
    return false;
  }
  unsigned char buf[16];
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    return inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), buf) == 1;
  }
  return inet_pton(AF_INET, host.c_str(), buf) == 1;
}

// Every key each table may hold: what CheckKeys accepts and what
// ConfigKeys() lists (so the man page test sees a new key).
constexpr std::string_view kTopKeys[] = {"storage", "http",     "parse",  "metrics", "node",
                                         "alarms",  "delivery", "source", "alert"};
constexpr std::string_view kNodeKeys[] = {"name", "lease_ttl", "poll", "capacity"};
constexpr std::string_view kDeliveryKeys[] = {"retry_base", "retry_max", "timeout", "flush_timeout",
                                              "give_up_after"};
constexpr std::string_view kAlertKeys[] = {"name",    "webhook",    "command",  "query",
                                           "remote",  "country",    "company",  "salary_min",
                                           "currency", "postings",  "alarms"};
constexpr std::string_view kAlarmKeys[] = {"min_yield_ratio", "min_field_ratio", "min_postings",
                                           "min_pages"};
constexpr std::string_view kStorageKeys[] = {"database",          "cache_ttl",          "dedup_distance",
                                             "lock_timeout",      "statement_timeout",  "queue_lock_timeout",
                                             "queue_statement_timeout", "retry_budget"};
constexpr std::string_view kHttpKeys[] = {
    "user_agent", "max_connections", "per_host_connections", "delay", "timeout",
    "connect_timeout", "low_speed_limit", "low_speed_time", "max_body", "max_redirects",
    "max_url_length", "obey_robots", "robots_cache", "max_crawl_delay", "delay_jitter",
    "max_adaptive_delay", "retries", "retry_base", "retry_max", "breaker_failures",
    "breaker_cooldown", "breaker_max_trips", "allow_private_networks", "run_deadline"};
constexpr std::string_view kParseKeys[] = {"page_budget"};
constexpr std::string_view kMetricsKeys[] = {"listen"};
constexpr std::string_view kSourceKeys[] = {
    "name", "kind", "board", "company", "company_in_title", "country", "start", "every", "follow",
    "allow_file", "allow_hosts", "delay", "allow_private_networks", "close_after", "fields", "item",
    "alarms", "headers"};
constexpr std::string_view kFollowKeys[] = {"detail", "next", "detail_css", "next_css", "max_pages"};

std::string_view TypeName(toml::node_type t) {
  switch (t) {
    case toml::node_type::none: return "nothing";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
  }
  return "a value";
}

// Walks the parsed document, converting values and collecting every error
// with its position.
class Reader {
 public:
  Reader(std::string file, std::filesystem::path base_dir)
      : file_(std::move(file)), base_dir_(std::move(base_dir)) {}

  std::vector<ConfigError>& errors() { return errors_; }

  void Fail(const toml::source_region& at, std::string message) {
    errors_.push_back({file_, static_cast<int>(at.begin.line), static_cast<int>(at.begin.column),
                       std::move(message)});
  }

  // Reports keys of `t` that are not in `allowed`.
  void CheckKeys(const toml::table& t, std::span<const std::string_view> allowed,
                 std::string_view where) {
    for (auto&& [key, node] : t) {
      bool known = false;
      for (auto a : allowed) known = known || key.str() == a;
      if (!known) {
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        Fail(key.source(), "unknown key \"" + std::string(key.str()) + "\" in " +
                               std::string(where) + " (expected one of: " + list + ")");
      }
    }
  }

  const toml::node* Typed(const toml::table& t, std::string_view key, toml::node_type type,
                          std::string_view what) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return nullptr;
    if (n->type() != type) {
      Fail(n->source(), "\"" + std::string(key) + "\" must be " + std::string(what) + ", not " +
                            std::string(TypeName(n->type())));
      return nullptr;
    }
    return n;
  }

  void String(const toml::table& t, std::string_view key, std::string& out) {
    if (auto* n = Typed(t, key, toml::node_type::string, "a string")) out = **n->as_string();
  }

  void Bool(const toml::table& t, std::string_view key, bool& out) {
    if (auto* n = Typed(t, key, toml::node_type::boolean, "a boolean (true or false)"))
      out = **n->as_boolean();
  }

  void Int(const toml::table& t, std::string_view key, int& out, std::int64_t min,
           std::int64_t max) {
    auto* n = Typed(t, key, toml::node_type::integer, "an integer");
    if (n == nullptr) return;
    std::int64_t v = **n->as_integer();
    if (v < min || v > max) {
      Fail(n->source(), "\"" + std::string(key) + "\" must be between " + std::to_string(min) +
                            " and " + std::to_string(max) + ", got " + std::to_string(v));
      return;
    }
    out = static_cast<int>(v);
  }

  void Fraction(const toml::table& t, std::string_view key, double& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return;
    double v = 0;
    if (auto f = n->as_floating_point()) {
      v = **f;
    } else if (auto i = n->as_integer()) {
      v = static_cast<double>(**i);
    } else {
      return Fail(n->source(), "\"" + std::string(key) + "\" must be a number from 0 to 1, not " +
                                   std::string(TypeName(n->type())));
    }
    if (!(v >= 0 && v <= 1)) {
      return Fail(n->source(), "\"" + std::string(key) + "\" must be from 0 to 1");
    }
    out = v;
  }

  void Duration(const toml::table& t, std::string_view key, milliseconds& out) {
    auto* n = Typed(t, key, toml::node_type::string, "a duration string such as \"30s\"");
    if (n == nullptr) return;
    auto d = ParseDuration(**n->as_string());
    if (!d) return Fail(n->source(), "\"" + std::string(key) + "\": " + d.error());
    out = *d;
  }

  void Size(const toml::table& t, std::string_view key, std::uint64_t& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return;
    if (auto i = n->as_integer()) {
      if (**i < 0) return Fail(n->source(), "\"" + std::string(key) + "\" must not be negative");
      out = static_cast<std::uint64_t>(**i);
      return;
    }
    if (!n->is_string()) {
      return Fail(n->source(), "\"" + std::string(key) +
                                   "\" must be a size such as \"10MB\" or a number of bytes, not " +
                                   std::string(TypeName(n->type())));
    }
    auto s = ParseSize(**n->as_string());
    if (!s) return Fail(n->source(), "\"" + std::string(key) + "\": " + s.error());
    out = *s;
  }

  void Regex(const toml::table& t, std::string_view key, std::string& out) {
    auto* n = Typed(t, key, toml::node_type::string, "a regular expression string");
    if (n == nullptr) return;
    std::string pattern = **n->as_string();
    RE2 re(pattern, RE2::Quiet);
    if (!re.ok()) {
      return Fail(n->source(), "\"" + std::string(key) + "\" is not a valid RE2 pattern: " +
                                   re.error());
    }
    out = std::move(pattern);
  }

  // A CSS selector, optionally "@attribute"-suffixed; errors point at the
  // offending column inside the string.
  bool CssValue(const toml::node& n, std::string& out, bool allow_attribute) {
    std::string text = **n.as_string();
    std::string_view css = text;
    if (allow_attribute) {
      if (size_t at = css.rfind('@'); at != std::string_view::npos) {
        std::string_view attr = css.substr(at + 1);
        bool name = !attr.empty() && std::all_of(attr.begin(), attr.end(), [](char c) {
          return ascii::IsAlnum(c) || c == '-' || c == '_' || c == ':';
        });
        if (!name) {
          Fail(n.source(), "\"" + text + "\": expected an attribute name after '@'");
          return false;
        }
        css = css.substr(0, at);
      }
    }
    auto parsed = parsers::Selector::Parse(css);
    if (!parsed) {
      toml::source_region at = n.source();
      at.begin.column += static_cast<toml::source_index>(1 + parsed.error().position);  // past the quote
      Fail(at, "\"" + text + "\" is not a valid CSS selector: " + parsed.error().message);
      return false;
    }
    out = std::move(text);
    return true;
  }

  void Css(const toml::table& t, std::string_view key, std::string& out, bool allow_attribute) {
    auto* n = Typed(t, key, toml::node_type::string, "a CSS selector string");
    if (n != nullptr) CssValue(*n, out, allow_attribute);
  }

  // An absolute http(s) URL, or with `allow_file` a file:// URL or a path
  // (relative to the config file's folder).
  std::optional<std::string> StartUrl(const toml::node& n, bool allow_file) {
    std::string text = **n.as_string();
    auto parsed = boost::urls::parse_uri(text);
    if (!parsed) {
      if (allow_file && !text.empty() && text.find("://") == std::string::npos) {
        std::filesystem::path p(text);
        if (p.is_relative()) p = base_dir_ / p;
        return "file://" + p.lexically_normal().string();
      }
      Fail(n.source(), "\"" + text + "\" is not an absolute URL (expected http:// or https://" +
                           (allow_file ? ", file:// or a file path" : "") + ")");
      return std::nullopt;
    }
    std::string scheme(parsed->scheme());
    ascii::LowerInPlace(scheme);
    if (scheme == "file") {
      if (!allow_file) {
        Fail(n.source(), "\"" + text + "\" is a file:// URL; set allow_file = true on the source "
                                       "to crawl local files");
        return std::nullopt;
      }
      return text;
    }
    if (scheme != "http" && scheme != "https") {
      Fail(n.source(), "\"" + text + "\" has scheme \"" + scheme +
                           "\"; only http and https are crawled");
      return std::nullopt;
    }
    if (!parsed->has_authority() || parsed->encoded_host().empty()) {
      Fail(n.source(), "\"" + text + "\" has no host");
      return std::nullopt;
    }
    // What the crawl could not make canonical it could not fetch either
    // ("https://a.example:443x/": a port of digits and more).
    if (!CanonicalUrl(text)) {
      Fail(n.source(), "\"" + text + "\" is not a valid URL");
      return std::nullopt;
    }
    return text;
  }

  std::filesystem::path Path(const std::string& p) const {
    std::filesystem::path path(p);
    return path.is_relative() ? (base_dir_ / path).lexically_normal() : path;
  }

 private:
  std::string file_;
  std::filesystem::path base_dir_;
  std::vector<ConfigError> errors_;
};

const toml::table* SubTable(Reader& r, const toml::table& root, std::string_view key) {
  const toml::node* n = root.get(key);
  if (n == nullptr) return nullptr;
  if (!n->is_table()) {
    r.Fail(n->source(), "\"" + std::string(key) + "\" must be a table ([" + std::string(key) +
                            "]), not " + std::string(TypeName(n->type())));
    return nullptr;
  }
  return n->as_table();
}

void ReadStorage(Reader& r, const toml::table& t, StorageConfig& out) {
  r.CheckKeys(t, kStorageKeys, "[storage]");
  r.Int(t, "dedup_distance", out.dedup_distance, -1, 3);
  std::string db = out.database.string();
  r.String(t, "database", db);
  if (db.empty()) r.Fail(t.source(), "[storage] database must not be empty");
  if (IsPostgresUrl(db)) {
    // A PostgreSQL URI is kept as written, never resolved as a path; libpq
    // judges it when the store connects.
    out.database = db;
  } else {
    out.database = r.Path(db);
  }
  r.Duration(t, "cache_ttl", out.cache_ttl);
  if (const toml::node* n = t.get("cache_ttl"); n != nullptr && out.cache_ttl < std::chrono::hours(1)) {
    r.Fail(n->source(), "\"cache_ttl\" must be at least 1h (rows younger than a crawl would be pruned)");
  }
  // PostgreSQL takes these settings as a 32-bit count of milliseconds.
  constexpr milliseconds kPgMaxTimeout{2'147'483'647};
  for (auto [key, value] : {std::pair{"lock_timeout", &out.lock_timeout},
                            std::pair{"statement_timeout", &out.statement_timeout},
                            std::pair{"queue_lock_timeout", &out.queue_lock_timeout},
                            std::pair{"queue_statement_timeout", &out.queue_statement_timeout}}) {
    r.Duration(t, key, *value);
    if (const toml::node* n = t.get(key); n != nullptr && *value > kPgMaxTimeout) {
      r.Fail(n->source(), "\"" + std::string(key) + "\" must be at most 24d (PostgreSQL's limit); \"0s\" means none");
    }
  }
  r.Duration(t, "retry_budget", out.retry_budget);
  if (const toml::node* n = t.get("retry_budget"); n != nullptr && out.retry_budget > std::chrono::hours(1)) {
    r.Fail(n->source(), "\"retry_budget\" must be at most 1h (a batch that fails for longer than that is not "
                        "waiting on a busy database; an unreachable one is waited for anyway)");
  }
}

void ReadHttp(Reader& r, const toml::table& t, HttpConfig& out) {
  r.CheckKeys(t, kHttpKeys, "[http]");
  r.String(t, "user_agent", out.user_agent);
  if (out.user_agent.empty()) r.Fail(t.source(), "[http] user_agent must not be empty");
  r.Int(t, "max_connections", out.max_connections, 1, 100000);
  r.Int(t, "per_host_connections", out.per_host_connections, 1, 1000);
  r.Duration(t, "delay", out.delay);
  r.Duration(t, "timeout", out.timeout);
  r.Duration(t, "connect_timeout", out.connect_timeout);
  r.Size(t, "low_speed_limit", out.low_speed_limit);
  r.Duration(t, "low_speed_time", out.low_speed_time);
  r.Size(t, "max_body", out.max_body);
  r.Int(t, "max_redirects", out.max_redirects, 0, 50);
  r.Int(t, "max_url_length", out.max_url_length, 64, 1000000);
  r.Bool(t, "obey_robots", out.obey_robots);
  r.Duration(t, "robots_cache", out.robots_cache);
  r.Duration(t, "max_crawl_delay", out.max_crawl_delay);
  r.Fraction(t, "delay_jitter", out.delay_jitter);
  r.Duration(t, "max_adaptive_delay", out.max_adaptive_delay);
  r.Int(t, "retries", out.retries, 0, 20);
  r.Duration(t, "retry_base", out.retry_base);
  r.Duration(t, "retry_max", out.retry_max);
  r.Int(t, "breaker_failures", out.breaker_failures, 1, 1000);
  r.Duration(t, "breaker_cooldown", out.breaker_cooldown);
  r.Int(t, "breaker_max_trips", out.breaker_max_trips, 1, 1000);
  r.Bool(t, "allow_private_networks", out.allow_private_networks);
  r.Duration(t, "run_deadline", out.run_deadline);
  if (out.run_deadline.count() <= 0) r.Fail(t.source(), "[http] run_deadline must be more than zero");
  if (out.timeout.count() <= 0) r.Fail(t.source(), "[http] timeout must be more than zero");
}

void ReadFollow(Reader& r, const toml::table& t, FollowConfig& out) {
  r.CheckKeys(t, kFollowKeys, "follow");
  r.Regex(t, "detail", out.detail);
  r.Regex(t, "next", out.next);
  r.Css(t, "detail_css", out.detail_css, false);
  r.Css(t, "next_css", out.next_css, false);
  r.Int(t, "max_pages", out.max_pages, 1, 1000000);
}

void ReadFields(Reader& r, const toml::table& t, std::vector<FieldRule>& out) {
  for (auto&& [key, node] : t) {
    const auto& names = SelectableFields();
    if (std::find(names.begin(), names.end(), key.str()) == names.end()) {
      std::string list;
      for (auto n : names) list += (list.empty() ? "" : ", ") + std::string(n);
      r.Fail(key.source(), "unknown field \"" + std::string(key.str()) + "\" (expected one of: " + list + ")");
      continue;
    }
    FieldRule rule{.field = std::string(key.str())};
    auto add = [&](const toml::node& n) {
      if (!n.is_string()) {
        r.Fail(n.source(), "field selectors must be strings such as \"h1\" or \"a.apply@href\"");
        return;
      }
      std::string css;
      if (r.CssValue(n, css, true)) rule.selectors.push_back(std::move(css));
    };
    if (const toml::array* a = node.as_array()) {
      for (const toml::node& e : *a) add(e);
    } else {
      add(node);
    }
    if (!rule.selectors.empty()) out.push_back(std::move(rule));
  }
}

void ReadAlarms(Reader& r, const toml::table& t, std::string_view where, AlarmConfig& out) {
  r.CheckKeys(t, kAlarmKeys, where);
  r.Fraction(t, "min_yield_ratio", out.min_yield_ratio);
  r.Fraction(t, "min_field_ratio", out.min_field_ratio);
  r.Int(t, "min_postings", out.min_postings, 1, 1'000'000'000);
  r.Int(t, "min_pages", out.min_pages, 1, 1'000'000'000);
}

void ReadAlert(Reader& r, const toml::table& t, AlertConfig& out) {
  r.CheckKeys(t, kAlertKeys, "[[alert]]");
  out.line = static_cast<int>(t.source().begin.line);
  out.column = static_cast<int>(t.source().begin.column);
  if (!t.contains("name")) r.Fail(t.source(), "[[alert]] is missing required key \"name\"");
  r.String(t, "name", out.name);
  if (t.contains("name") && out.name.empty()) r.Fail(t.source(), "alert name must not be empty");
  if (const toml::node* n = r.Typed(t, "webhook", toml::node_type::string, "a URL string")) {
    out.webhook = **n->as_string();
    auto parsed = boost::urls::parse_uri(out.webhook);
    std::string scheme = parsed ? std::string(parsed->scheme()) : "";
    ascii::LowerInPlace(scheme);
    if (!parsed || (scheme != "http" && scheme != "https") || parsed->encoded_host().empty()) {
      r.Fail(n->source(), "\"webhook\" must be an http:// or https:// URL, such as "
                          "\"https://hooks.example.com/jobs\"");
    }
  }
  if (const toml::node* n = t.get("command")) {
    const toml::array* a = n->as_array();
    bool valid = a != nullptr && !a->empty();
    if (valid) {
      for (const toml::node& e : *a) {
        if (!e.is_string() || (*e.as_string())->empty()) {
          valid = false;
        } else {
          out.command.push_back(**e.as_string());
        }
      }
    }
    if (!valid) {
      r.Fail(n->source(), "\"command\" must be a non-empty array of strings, the program and its "
                          "arguments, such as [\"/usr/local/bin/notify\", \"--jobs\"]");
    }
  }
  if (t.contains("webhook") == t.contains("command")) {
    r.Fail(t.source(), "[[alert]] \"" + out.name +
                           "\" needs exactly one target: \"webhook\" (a URL) or \"command\" (an argv array)");
  }
  r.String(t, "query", out.query);
  if (const toml::node* n = t.get("query")) {
    out.query_line = static_cast<int>(n->source().begin.line);
    out.query_column = static_cast<int>(n->source().begin.column);
  }
  r.Bool(t, "remote", out.remote);
  if (const toml::node* n = r.Typed(t, "country", toml::node_type::string, "a string")) {
    if (auto code = normalize::CountryCode(**n->as_string())) {
      out.country = *code;
    } else {
      r.Fail(n->source(), "\"country\" must name a country, such as \"US\", \"GB\" or \"Germany\"");
    }
  }
  r.String(t, "company", out.company);
  if (const toml::node* n = t.get("salary_min")) {
    if (auto f = n->as_floating_point()) {
      out.salary_min = **f;
    } else if (auto i = n->as_integer()) {
      out.salary_min = static_cast<double>(**i);
    } else {
      r.Fail(n->source(), "\"salary_min\" must be a number (yearly pay, in \"currency\")");
    }
  }
  if (const toml::node* n = r.Typed(t, "currency", toml::node_type::string, "a string")) {
    out.currency = **n->as_string();
    out.currency = ascii::ToUpper(out.currency);
    const bool code = out.currency.size() == 3 &&
                      std::all_of(out.currency.begin(), out.currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!code) r.Fail(n->source(), "\"currency\" must be an ISO 4217 code such as \"EUR\"");
  }
  if (out.salary_min && out.currency.empty()) {
    r.Fail(t.get("salary_min")->source(), "\"salary_min\" needs \"currency\" (e.g. currency = \"EUR\")");
  }
  r.Bool(t, "postings", out.postings);
  r.Bool(t, "alarms", out.alarms);
  if (!out.postings && !out.alarms) {
    r.Fail(t.source(), "[[alert]] \"" + out.name + "\" delivers nothing: \"postings\" and \"alarms\" are both false");
  }
}

// A header name is an RFC 9110 token (§5.1, §5.6.2).
bool HeaderToken(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool tchar = ascii::IsAlpha(c) || (c >= '0' && c <= '9') ||
                       std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!tchar) return false;
  }
  return true;
}

// `value` with every "${NAME}" replaced by the environment variable NAME
// and every "$${" by a literal "${" (other "$" stay as written); an error
// message (naming the variable, never a value) when one is unset or the
// reference is malformed (empty, unterminated, nested, not [A-Za-z_][A-Za-z0-9_]*).
std::expected<std::string, std::string> ExpandEnvironment(std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value.substr(i, 3) == "$${") {
      out += "${";
      i += 2;
      continue;
    }
    if (value[i] != '$' || i + 1 >= value.size() || value[i + 1] != '{') {
      out += value[i];
      continue;
    }
    const std::size_t close = value.find('}', i + 2);
    const std::string name(value.substr(i + 2, close == std::string_view::npos ? 0 : close - i - 2));
    bool valid = close != std::string_view::npos && !name.empty() && !(name[0] >= '0' && name[0] <= '9');
    for (char c : name) valid = valid && (ascii::IsAlpha(c) || (c >= '0' && c <= '9') || c == '_');
    if (!valid) return std::unexpected("\"${\" must open an environment variable reference such as \"${API_KEY}\"");
    const char* set = std::getenv(name.c_str());
    if (set == nullptr) return std::unexpected("environment variable " + name + " is not set");
    out += set;
    i = close;
  }
  return out;
}

constexpr std::size_t kMaxHeaderValue = 8192;

void ReadHeaders(Reader& r, const toml::node& n, SourceConfig& out) {
  const toml::table* t = n.as_table();
  if (t == nullptr) {
    r.Fail(n.source(), "\"headers\" must be a table such as { \"Authorization-Key\" = \"${API_KEY}\" }");
    return;
  }
  for (const auto& [key, value] : *t) {
    const std::string name(key.str());
    if (!HeaderToken(name)) {
      r.Fail(value.source(), "\"" + name + "\" is not a header name (letters, digits and !#$%&'*+-.^_`|~)");
      continue;
    }
    if (ForbiddenHeader(name)) {
      r.Fail(value.source(), "header \"" + name + "\" is set by the fetcher and cannot be overridden");
      continue;
    }
    bool repeated = false;
    for (const auto& [seen, unused] : out.headers) repeated = repeated || ascii::EqualsIgnoreCase(seen, name);
    if (repeated) {
      r.Fail(value.source(), "header \"" + name + "\" is given twice (names are case-insensitive)");
      continue;
    }
    if (!value.is_string()) {
      r.Fail(value.source(), "header \"" + name + "\" must be a string, not " + std::string(TypeName(value.type())));
      continue;
    }
    auto expanded = ExpandEnvironment(**value.as_string());
    if (!expanded) {
      r.Fail(value.source(), "header \"" + name + "\": " + expanded.error());
      continue;
    }
    // RFC 9110 §5.5: a field value holds visible characters, spaces, tabs
    // and obs-text (bytes 0x80-0xFF), never another control character (CR,
    // LF and NUL would split or cut the request; the rest reach the server
    // as they are), whether from the file or from the environment; the
    // value itself is never repeated.
    const bool control = std::any_of(expanded->begin(), expanded->end(), [](char c) {
      const auto u = static_cast<unsigned char>(c);
      return (u < 0x20 && u != '\t') || u == 0x7f;
    });
    if (control) {
      r.Fail(value.source(), "header \"" + name + "\" must not hold a line break or NUL, nor any other control "
                             "character but a tab");
      continue;
    }
    // Servers refuse a request whose header section passes 8 KiB or so
    // (nginx's and Apache's defaults); said now rather than as a 400 at
    // every crawl.
    if (expanded->size() > kMaxHeaderValue) {
      r.Fail(value.source(), "header \"" + name + "\" is " + std::to_string(expanded->size()) +
                             " bytes long, more than " + std::to_string(kMaxHeaderValue));
      continue;
    }
    // libcurl reads "Name:" with nothing after it as "do not send Name".
    std::string trimmed(ascii::Trim(*expanded));
    if (trimmed.empty()) {
      r.Fail(value.source(), "header \"" + name + "\" is empty");
      continue;
    }
    out.headers.emplace_back(name, std::move(trimmed));
  }
}

void ReadSource(Reader& r, const toml::table& t, SourceConfig& out) {
  r.CheckKeys(t, kSourceKeys, "[[source]]");
  out.line = static_cast<int>(t.source().begin.line);
  out.column = static_cast<int>(t.source().begin.column);
  if (!t.contains("name")) r.Fail(t.source(), "[[source]] is missing required key \"name\"");
  r.String(t, "name", out.name);
  if (t.contains("name") && out.name.empty()) r.Fail(t.source(), "source name must not be empty");
  if (auto* n = r.Typed(t, "kind", toml::node_type::string, "a string")) {
    out.kind = **n->as_string();
    bool known = false;
    std::string list;
    for (auto k : SupportedKinds()) {
      known = known || k == out.kind;
      list += (list.empty() ? "" : ", ") + std::string(k);
    }
    if (!known)
      r.Fail(n->source(), "unknown source kind \"" + out.kind + "\" (expected one of: " + list + ")");
  }
  const auto kind = parsers::SourceKindFromName(out.kind);
  r.String(t, "board", out.board);
  r.String(t, "company", out.company);
  r.Bool(t, "company_in_title", out.company_in_title);
  if (const toml::node* n = r.Typed(t, "country", toml::node_type::string, "a string")) {
    if (auto code = normalize::CountryCode(**n->as_string())) {
      out.country = *code;
    } else {
      r.Fail(n->source(), "\"country\" must name a country, such as \"US\", \"GB\" or \"Germany\"");
    }
  }
  if (kind && t.contains("board") && !parsers::IsBoardApi(*kind)) {
    r.Fail(t.get("board")->source(), "\"board\" is for board API kinds (greenhouse, lever, ...), not \"" +
                                         out.kind + "\"");
  }
  if (kind && *kind != parsers::SourceKind::kHtml && *kind != parsers::SourceKind::kSitemap) {
    for (const char* key : {"fields", "item"}) {
      if (const toml::node* n = t.get(key)) {
        r.Fail(n->source(), "\"" + std::string(key) + "\" applies to html and sitemap sources, not \"" +
                                out.kind + "\"");
      }
    }
  }
  r.Bool(t, "allow_file", out.allow_file);
  r.Duration(t, "every", out.every);
  r.Css(t, "item", out.item, false);
  if (auto* f = t.get("fields")) {
    if (!f->is_table()) {
      r.Fail(f->source(), "\"fields\" must be a table such as { title = \"h1\", company = \".company\" }");
    } else {
      ReadFields(r, *f->as_table(), out.fields);
    }
  }
  r.Duration(t, "close_after", out.close_after);
  if (auto* a = t.get("alarms")) {
    if (!a->is_table()) {
      r.Fail(a->source(), "\"alarms\" must be a table such as { min_yield_ratio = 0.2 }");
    } else {
      ReadAlarms(r, *a->as_table(), "the source's alarms", out.alarms);
    }
  }
  if (t.contains("delay")) {
    milliseconds d{0};
    r.Duration(t, "delay", d);
    out.delay = d;
  }
  if (t.contains("allow_private_networks")) {
    bool b = false;
    r.Bool(t, "allow_private_networks", b);
    out.allow_private_networks = b;
  }
  if (const toml::node* h = t.get("headers")) ReadHeaders(r, *h, out);
  if (auto* hosts = t.get("allow_hosts")) {
    if (auto* a = hosts->as_array()) {
      for (const toml::node& h : *a) {
        std::string host = h.is_string() ? std::string(**h.as_string()) : std::string();
        bool valid = !host.empty() && host.find_first_of("/:?#@ ") == std::string::npos;
        if (!valid) {
          r.Fail(h.source(), "\"allow_hosts\" entries must be host names such as "
                             "\"jobs.example.com\"");
          continue;
        }
        ascii::LowerInPlace(host);
        out.allow_hosts.push_back(std::move(host));
      }
    } else {
      r.Fail(hosts->source(), "\"allow_hosts\" must be an array of host names");
    }
  }
  if (auto* f = t.get("follow")) {
    if (!f->is_table())
      r.Fail(f->source(), "\"follow\" must be a table such as { detail = \"...\", next = \"...\" }");
    else
      ReadFollow(r, *f->as_table(), out.follow);
  }
  const toml::node* start = t.get("start");
  if (kind) out.start_post = parsers::BoardApiStartPost(*kind);
  if (start == nullptr && kind && parsers::IsBoardApi(*kind)) {
    // A board API's URL follows from its token.
    if (out.board.empty() && parsers::NeedsBoardToken(*kind)) {
      r.Fail(t.source(), "[[source]] \"" + out.name + "\" of kind \"" + out.kind +
                             "\" needs \"board\" (the board's token, e.g. board = \"acme\") or \"start\"");
    } else if (auto url = parsers::BoardApiUrl(*kind, out.board)) {
      out.start.push_back(std::move(*url));
    } else if (*kind == parsers::SourceKind::kWorkday) {
      r.Fail(t.get("board")->source(), "\"board\" of a workday source is the careers site's host and site, "
                                       "such as \"acme.wd5.myworkdayjobs.com/External\"");
    } else if (!parsers::NeedsBoardToken(*kind) && *kind != parsers::SourceKind::kRemotive &&
               *kind != parsers::SourceKind::kJobicy) {
      r.Fail(t.get("board")->source(), "kind \"" + out.kind + "\" takes no \"board\": its API serves one feed");
    } else {
      r.Fail(t.get("board")->source(), "\"board\" must be a board token of letters, digits, '.', '_' "
                                       "and '-', such as \"acme\"");
    }
  } else if (start == nullptr) {
    r.Fail(t.source(), "[[source]] \"" + out.name + "\" is missing required key \"start\"");
  } else if (auto* a = start->as_array()) {
    if (a->empty()) r.Fail(start->source(), "\"start\" must list at least one URL");
    for (const toml::node& e : *a) {
      if (!e.is_string()) {
        r.Fail(e.source(), "\"start\" entries must be URL strings, not " +
                               std::string(TypeName(e.type())));
      } else if (auto url = r.StartUrl(e, out.allow_file)) {
        out.start.push_back(std::move(*url));
      }
    }
  } else if (start->is_string()) {
    if (auto url = r.StartUrl(*start, out.allow_file)) out.start.push_back(std::move(*url));
  } else {
    r.Fail(start->source(), "\"start\" must be a URL string or an array of them, not " +
                                std::string(TypeName(start->type())));
  }
  // USAJOBS's Search API answers 401 without its key (a saved response,
  // file://, needs none).
  if (kind == parsers::SourceKind::kUsaJobs) {
    const bool remote = std::any_of(out.start.begin(), out.start.end(),
                                    [](const std::string& u) { return !ascii::StartsWithIgnoreCase(u, "file:"); });
    // Looked for in the table as written, so a key with an error of its
    // own is not reported twice.
    bool keyed = false;
    if (const toml::table* h = t.get_as<toml::table>("headers")) {
      for (const auto& [key, unused] : *h) keyed = keyed || ascii::EqualsIgnoreCase(key.str(), "Authorization-Key");
    }
    if (remote && !keyed) {
      r.Fail(t.source(), "[[source]] \"" + out.name + "\" of kind \"usajobs\" needs headers = { \"Authorization-Key\" = "
                         "\"${USAJOBS_KEY}\", \"User-Agent\" = \"you@example.org\" } (the API key and the e-mail address "
                         "it was issued to)");
    }
  }
}

}  // namespace

bool ForbiddenHeader(std::string_view name) {
  static constexpr std::string_view kOwned[] = {
      "Host",       "Content-Length", "Content-Type", "Transfer-Encoding", "Connection",   "Keep-Alive",
      "TE",         "Upgrade",        "Expect",       "Accept-Encoding",   "If-None-Match", "If-Modified-Since",
      // A part, or a 412, would be stored as the page (RFC 9110 §13.1, §14.2).
      "Range",      "If-Range",       "If-Match",     "If-Unmodified-Since",
      // The connection's own (RFC 9110 §6.5.1, §7.6.1; RFC 9113 §3.2.1);
      // no proxy is used.
      "Trailer",    "Proxy-Connection", "Proxy-Authorization", "HTTP2-Settings"};
  for (std::string_view owned : kOwned) {
    if (ascii::EqualsIgnoreCase(owned, name)) return true;
  }
  return false;
}

const std::vector<std::string_view>& SelectableFields() {
  static const std::vector<std::string_view> kFields{
      "title",      "company",    "department",     "location",    "country",     "remote",
      "employment_type", "date_posted", "valid_through", "url", "apply_url",
      "external_id", "description", "salary"};
  return kFields;
}

const std::vector<std::string_view>& SupportedKinds() { return parsers::SourceKindNames(); }

const SourceConfig* Config::FindSource(std::string_view name) const {
  for (const auto& s : sources) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string ConfigError::ToString() const {
  // One line whatever the file holds: a control character quoted from it
  // (a header name or source name with a line break or a terminal escape)
  // is written as \xHH, so it can neither forge a log line nor drive the
  // terminal.
  auto shown = [](std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f) {
        out += "\\x";
        out += kHex[u >> 4];
        out += kHex[u & 0xf];
      } else {
        out += c;
      }
    }
    return out;
  };
  std::ostringstream os;
  os << shown(file);
  if (line > 0) os << ':' << line << ':' << column;
  os << ": " << shown(message);
  return os.str();
}

ConfigResult ParseConfig(std::string_view text, std::string_view file_name,
                         const std::filesystem::path& base_dir) {
  Reader r(std::string(file_name), base_dir);
  toml::table root;
  try {
    root = toml::parse(text, file_name);
  } catch (const toml::parse_error& e) {
    r.Fail(e.source(), std::string(e.description()));
    return std::unexpected(std::move(r.errors()));
  }

  Config config;
  r.CheckKeys(root, kTopKeys, "the top level");
  if (auto* t = SubTable(r, root, "storage")) {
    ReadStorage(r, *t, config.storage);
  } else {
    config.storage.database = r.Path(config.storage.database.string());
  }
  if (auto* t = SubTable(r, root, "http")) ReadHttp(r, *t, config.http);
  if (auto* t = SubTable(r, root, "parse")) {
    r.CheckKeys(*t, kParseKeys, "[parse]");
    r.Duration(*t, "page_budget", config.parse.page_budget);
    if (config.parse.page_budget.count() < 0) r.Fail(t->source(), "[parse] page_budget must not be negative");
  }

  if (auto* t = SubTable(r, root, "metrics")) {
    r.CheckKeys(*t, kMetricsKeys, "[metrics]");
    r.String(*t, "listen", config.metrics.listen);
    if (t->contains("listen") && !IsListenAddress(config.metrics.listen)) {
      r.Fail(t->get("listen")->source(),
             "[metrics] listen must be IP:PORT such as \"127.0.0.1:9464\" or \"[::1]:9464\"");
    }
  }

  if (auto* t = SubTable(r, root, "node")) {
    r.CheckKeys(*t, kNodeKeys, "[node]");
    r.String(*t, "name", config.node.name);
    r.Duration(*t, "lease_ttl", config.node.lease_ttl);
    r.Duration(*t, "poll", config.node.poll);
    r.Int(*t, "capacity", config.node.capacity, 1, 100000);
    if (t->contains("lease_ttl") && config.node.lease_ttl < std::chrono::seconds(1)) {
      r.Fail(t->get("lease_ttl")->source(), "[node] lease_ttl must be at least 1s");
    }
    if (t->contains("poll") && config.node.poll <= std::chrono::milliseconds(0)) {
      r.Fail(t->get("poll")->source(), "[node] poll must be positive");
    }
  }

  if (auto* t = SubTable(r, root, "alarms")) ReadAlarms(r, *t, "[alarms]", config.alarms);
  if (auto* t = SubTable(r, root, "delivery")) {
    r.CheckKeys(*t, kDeliveryKeys, "[delivery]");
    r.Duration(*t, "retry_base", config.delivery.retry_base);
    r.Duration(*t, "retry_max", config.delivery.retry_max);
    r.Duration(*t, "timeout", config.delivery.timeout);
    r.Duration(*t, "flush_timeout", config.delivery.flush_timeout);
    r.Duration(*t, "give_up_after", config.delivery.give_up_after);
    if (config.delivery.retry_base.count() <= 0 || config.delivery.timeout.count() <= 0) {
      r.Fail(t->source(), "[delivery] retry_base and timeout must be longer than 0s");
    }
    if (config.delivery.retry_max < config.delivery.retry_base) {
      r.Fail(t->source(), "[delivery] retry_max must not be shorter than retry_base");
    }
  }
  if (const toml::node* n = root.get("alert")) {
    const toml::array* alerts = n->as_array();
    if (alerts == nullptr || !alerts->is_array_of_tables()) {
      r.Fail(n->source(), "\"alert\" must be an array of tables ([[alert]])");
    } else {
      std::set<std::string> names;
      for (const toml::node& a : *alerts) {
        AlertConfig alert;
        ReadAlert(r, *a.as_table(), alert);
        if (!alert.name.empty() && !names.insert(alert.name).second) {
          r.Fail(a.source(), "duplicate alert name \"" + alert.name + "\"");
        }
        config.alerts.push_back(std::move(alert));
      }
    }
  }

  if (const toml::node* n = root.get("source")) {
    const toml::array* sources = n->as_array();
    if (sources == nullptr || !sources->is_array_of_tables()) {
      r.Fail(n->source(), "\"source\" must be an array of tables ([[source]])");
    } else {
      std::set<std::string> names;
      for (const toml::node& s : *sources) {
        SourceConfig source;
        source.alarms = config.alarms;
        ReadSource(r, *s.as_table(), source);
        source.page_budget = config.parse.page_budget;
        if (!source.name.empty() && !names.insert(source.name).second) {
          r.Fail(s.source(), "duplicate source name \"" + source.name + "\"");
        }
        config.sources.push_back(std::move(source));
      }
    }
  }
  if (!r.errors().empty()) return std::unexpected(std::move(r.errors()));
  return config;
}

std::vector<std::string> ConfigKeys() {
  std::vector<std::string> keys;
  auto add = [&](std::string_view prefix, std::span<const std::string_view> names) {
    for (std::string_view n : names) {
      keys.push_back(std::string(prefix) + std::string(n));
    }
  };
  add("storage.", kStorageKeys);
  add("http.", kHttpKeys);
  add("parse.", kParseKeys);
  add("metrics.", kMetricsKeys);
  add("node.", kNodeKeys);
  add("alarms.", kAlarmKeys);
  add("source.alarms.", kAlarmKeys);
  add("delivery.", kDeliveryKeys);
  add("alert.", kAlertKeys);
  add("source.", kSourceKeys);
  add("source.follow.", kFollowKeys);
  return keys;
}

ConfigResult LoadConfig(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return std::unexpected(std::vector<ConfigError>{
        {file.string(), 0, 0, "cannot open the config file: " + std::string(std::strerror(errno))}});
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::filesystem::path base = std::filesystem::absolute(file).parent_path();
  auto config = ParseConfig(text.str(), file.string(), base);
  if (config) config->path = file;
  return config;
}

}  // namespace jobtrawl::config
