// The typed, validated configuration of jobtrawl, loaded from TOML.
// Reference: README.md "Configuration"; format: https://toml.io/en/v1.0.0
#ifndef JOBTRAWL_CONFIG_CONFIG_H_
#define JOBTRAWL_CONFIG_CONFIG_H_

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/request.h"

namespace jobtrawl::config {

using std::chrono::milliseconds;

struct StorageConfig {
  // A SQLite file, absolute after loading; or a PostgreSQL URI
  // ("postgresql://...", model/database_location.h), kept as written.
  std::filesystem::path database = "jobs.db";
  // http_cache rows of pages not fetched (or confirmed by a sitemap) for
  // this long are deleted when a complete crawl of their source finishes.
  milliseconds cache_ttl{30LL * 86400 * 1000};
  // Listings of different sources whose description SimHashes differ in at
  // most this many bits (and whose company, title family and cities agree)
  // are one posting; -1 turns cross-board deduplication off
  // (docs/schema.md "Deduplication").
  int dedup_distance = 3;
  // PostgreSQL only (docs/postgresql.md "Connections"): the session
  // lock_timeout and statement_timeout of the store's connection (a write
  // waiting on another node's lock, or a statement that runs away, fails
  // and is tried again instead of hanging) and of a fleet node's work
  // queue and host budget connections. Zero: none. At most 2^31 - 1 ms
  // (PostgreSQL's limit).
  milliseconds lock_timeout{10'000};
  milliseconds statement_timeout{60'000};
  milliseconds queue_lock_timeout{5'000};
  milliseconds queue_statement_timeout{30'000};
  // How long the writer tries again a batch that failed transiently (all
  // its backoffs together) before writing it job by job, counting what
  // still fails as lost; time the database is unreachable is not counted
  // (app/store_writer.h). Zero: no second try.
  milliseconds retry_budget{5'000};
};

struct HttpConfig {
  std::string user_agent = "jobtrawl/0.1";
  int max_connections = 64;       // transfers in flight, all hosts together
  int per_host_connections = 2;   // transfers in flight to one host
  milliseconds delay{1000};       // minimum gap between request starts to one host
  milliseconds timeout{30000};    // whole transfer
  milliseconds connect_timeout{10000};
  std::uint64_t low_speed_limit = 100;  // bytes/s; below it for low_speed_time aborts
  milliseconds low_speed_time{30000};
  std::uint64_t max_body = 10'000'000;  // decoded bytes; larger bodies are aborted
  int max_redirects = 5;
  int max_url_length = 4096;

  // Politeness (README "Politeness").
  bool obey_robots = true;
  milliseconds robots_cache{24 * 3600 * 1000};  // how long a robots.txt is trusted
  milliseconds max_crawl_delay{30000};           // robots Crawl-delay is capped here
  double delay_jitter = 0.25;                    // up to this fraction added to each delay
  milliseconds max_adaptive_delay{60000};        // slow-downs for a struggling host stop here
  int retries = 3;                               // further attempts after a transient failure
  milliseconds retry_base{1000};                 // backoff: random(0, base * 2^attempt) ...
  milliseconds retry_max{60000};                 // ... capped; longer Retry-After gives up
  int breaker_failures = 5;                      // consecutive failures that pause a host
  milliseconds breaker_cooldown{60000};          // first pause; doubles while probes fail
  int breaker_max_trips = 3;                     // pauses in a row before queued work fails
  bool allow_private_networks = false;           // loopback/private/link-local addresses
  // The longest one crawl of one source may take: then what it has queued
  // is dropped, what is in flight fails as `deadline`, and the run ends.
  milliseconds run_deadline{4LL * 3600 * 1000};
};

struct ParsingConfig {
  // CPU time one page may take to extract; past it extraction stops with what it
  // has and the page is recorded as a `too_slow` crawl error. Zero: no limit.
  milliseconds page_budget{2000};
};

// URL patterns are RE2 regular expressions matched anywhere in the absolute URL.
struct FollowConfig {
  std::string detail;  // links to postings; empty: none
  std::string next;    // links to further listing pages; rel="next" is always followed
  std::string detail_css;  // CSS: the href of each match is a detail page
  std::string next_css;    // CSS: the href of each match is a further listing page
  int max_pages = 20;  // listing pages per crawl of the source, start pages included
};

// Where one posting field is read from: CSS selectors tried in order, each
// optionally ending in "@attribute" ("a.apply@href").
struct FieldRule {
  std::string field;  // a `postings` column: title, company, location, ...
  std::vector<std::string> selectors;
};

// Breakage alarms (README "Breakage alarms", app/breakage.h): when a run
// is `degraded` against the source's last good run. A ratio of 0 turns its
// check off. [alarms] sets them for every source; a source's `alarms`
// table overrides single keys.
struct AlarmConfig {
  double min_yield_ratio = 0.5;  // listings seen below this share of the last good run's
  double min_field_ratio = 0.5;  // a field's share of posting pages below this share of the last's
  int min_postings = 5;          // the yield check needs the last good run to have seen this many
  int min_pages = 5;             // the field checks need both runs to have read this many pages
};

// The posting fields `fields` may name.
const std::vector<std::string_view>& SelectableFields();

// True for the request headers a source's `headers` may not set, because
// the fetcher sets them from the URL, the body, the cache or the
// connection: Host, Content-Length, Content-Type, Transfer-Encoding,
// Connection, Keep-Alive, TE, Upgrade, Expect, Accept-Encoding,
// If-None-Match, If-Modified-Since, Range, If-Range, If-Match,
// If-Unmodified-Since, Trailer, Proxy-Connection, Proxy-Authorization,
// HTTP2-Settings (case-insensitive).
bool ForbiddenHeader(std::string_view name);

struct SourceConfig {
  std::string name;
  int line = 0, column = 0;        // where its [[source]] table is, for messages; 0: not from a file
  std::string kind = "html";       // SupportedKinds()
  std::string board;               // board APIs: the board's token; gives `start` when absent
  std::string company;             // fills `company` where the data names none
  std::string country;             // the board's country (ISO alpha-2) for normalizing; may be empty
  bool company_in_title = false;   // feeds: "Company: Title" item titles are split
  std::vector<std::string> start;  // absolute URLs (relative paths became file:// URLs)
  // Sent with every start URL as a POST, for the board APIs searched by
  // POST (workday); none: the start URLs are fetched with GET.
  std::optional<PostBody> start_post;
  milliseconds every{3600000};     // crawl interval for the daemon
  FollowConfig follow;
  bool allow_file = false;         // file:// URLs allowed (local boards, tests)
  std::vector<std::string> allow_hosts;  // hosts besides the start URLs' (lower-case)
  std::optional<milliseconds> delay;     // per-host delay for this source's hosts
  std::optional<bool> allow_private_networks;  // overrides [http]
  // Request headers sent with every request of the source (not with
  // robots.txt fetches): name as written, value with each "${NAME}"
  // replaced by that environment variable ("$${" is a literal "${"); no
  // control character but a tab, at most 8192 bytes. Values may be secrets (API
  // keys): nothing logs or prints them. Names the fetcher sets itself
  // (ForbiddenHeader) are refused.
  std::vector<std::pair<std::string, std::string>> headers;
  milliseconds close_after{3 * 86400 * 1000};  // unseen this long after a good crawl: closed
  milliseconds page_budget{2000};  // [parse] page_budget, copied here for the source's extractor
  // Selector fields fill what structured data lacks. With `item`, each
  // element it matches on a listing page is one posting and the field
  // selectors are relative to it.
  std::vector<FieldRule> fields;
  std::string item;
  AlarmConfig alarms;  // [alarms], with the source's own `alarms` keys over it
};

// An [[alert]] (README "Alerts"): new and reopened postings that match its
// search go to its target, and with `alarms` the breakage alarms too.
struct AlertConfig {
  std::string name;
  int line = 0, column = 0;  // where its [[alert]] table is
  // The target: exactly one of them.
  std::string webhook;               // http(s) URL: one JSON POST per posting
  std::vector<std::string> command;  // argv: postings as JSON lines on standard input
  // The search, as `jobtrawl search` takes it; all empty: every posting.
  std::string query;                 // FTS5 syntax
  int query_line = 0, query_column = 0;  // where its value is (CheckAlerts' messages)
  bool remote = false;
  std::string country;               // ISO 3166-1 alpha-2 (a name is converted)
  std::string company;
  std::optional<double> salary_min;  // yearly, in `currency`
  std::string currency;              // ISO 4217; required with salary_min
  bool postings = true;              // deliver matching postings
  bool alarms = false;               // deliver breakage alarms (degraded runs)
};

// How alerts are delivered ([delivery]).
struct DeliveryConfig {
  milliseconds retry_base{30000};    // first wait after a failed delivery; doubles
  milliseconds retry_max{3600000};   // the wait stops growing here
  milliseconds timeout{30000};       // one webhook POST or one command run
  milliseconds flush_timeout{60000};  // a one-shot crawl waits this long for deliveries
  // An event still undelivered this long after it was queued is given up
  // (kept in alert_outbox, never tried again); 0: never given up.
  milliseconds give_up_after{7LL * 24 * 3600 * 1000};
};

// `jobtrawl run` serves Prometheus metrics at http://LISTEN/metrics.
struct MetricsConfig {
  std::string listen;  // "IP:PORT" ("127.0.0.1:9464", "[::1]:9464"); empty: off
};

// A fleet node's settings ([node]), used when [storage] database is a
// postgresql:// URL: `jobtrawl run` then shares the sources with the other
// nodes on that database (docs/postgresql.md "Running a fleet").
struct NodeConfig {
  std::string name;  // unique among running nodes; empty: HOSTNAME:PID
  // A claimed source's lease lasts this long past its last renewal (every
  // lease_ttl / 3); a dead node's sources are taken over after it.
  std::chrono::milliseconds lease_ttl{std::chrono::minutes(2)};
  std::chrono::milliseconds poll{std::chrono::seconds(5)};  // how often due sources are claimed
  int capacity = 16;                                       // crawls at once
};

struct Config {
  std::filesystem::path path;  // the file it was read from, or empty
  NodeConfig node;
  StorageConfig storage;
  HttpConfig http;
  ParsingConfig parse;
  MetricsConfig metrics;
  AlarmConfig alarms;  // [alarms]: every source's, before its own `alarms` keys
  DeliveryConfig delivery;
  std::vector<SourceConfig> sources;
  std::vector<AlertConfig> alerts;

  // The source with this name, or nullptr.
  const SourceConfig* FindSource(std::string_view name) const;
};

// An error with the place in the file that caused it (1-based line and column;
// 0 when the whole file is at fault).
struct ConfigError {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;

  // "file:line:col: message" on one line: control characters (what the
  // file quoted) are written as \xHH.
  std::string ToString() const;
};

using ConfigResult = std::expected<Config, std::vector<ConfigError>>;

// Reads and validates the file. Every problem found is reported, not only the
// first (a TOML syntax error stops the reading, though). Relative paths in the
// file (the database, file start pages) are taken relative to the file's folder.
ConfigResult LoadConfig(const std::filesystem::path& file);

// The same for text already in memory; `file_name` is used in errors and
// `base_dir` resolves relative paths.
ConfigResult ParseConfig(std::string_view text, std::string_view file_name,
                         const std::filesystem::path& base_dir);

// Every key a config may hold, as "table.key" ("http.delay",
// "source.follow.detail"; "source" is each [[source]], "alert" each [[alert]]).
std::vector<std::string> ConfigKeys();

// The source kinds this build can crawl.
const std::vector<std::string_view>& SupportedKinds();

}  // namespace jobtrawl::config

#endif  // JOBTRAWL_CONFIG_CONFIG_H_
