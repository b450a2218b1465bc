// The subcommands of the jobtrawl executable. Each returns the process exit
// code (see README "Exit codes") and writes to the given streams.
#ifndef JOBTRAWL_APP_COMMANDS_H_
#define JOBTRAWL_APP_COMMANDS_H_

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "app/crawl_pipeline.h"

namespace jobtrawl::app {

enum ExitCode : int {
  kExitOk = 0,
  kExitSourcesFailed = 1,  // some sources failed; the others were stored
  kExitUsage = 2,          // bad command line or config
  kExitRuntime = 3,        // the database or an input file could not be used
  kExitAllSkipped = 4,     // crawl: other live processes hold every selected source; nothing stored
};

// Each error as "file:line:column: message", then their count, on `err`.
void PrintConfigErrors(const std::vector<config::ConfigError>& errors, std::ostream& err);

// The bytes of an input file; when it cannot be read (missing, a directory,
// not readable), nullopt after "jobtrawl: cannot read FILE: why" on `err`
// (the caller exits kExitRuntime).
std::optional<std::string> ReadInputOrSay(const std::filesystem::path& file, std::ostream& err);

// Where `cmake --install` puts the config: SYSCONFDIR/jobtrawl/jobtrawl.toml
// as configured (/etc/jobtrawl/jobtrawl.toml for prefix /usr or with
// -DCMAKE_INSTALL_SYSCONFDIR=/etc).
std::filesystem::path InstalledConfigPath();

// The config file used when --config is not given: $JOBTRAWL_CONFIG, else
// InstalledConfigPath().
std::filesystem::path DefaultConfigPath();

// Errors (exit 2) and warnings (LintConfig: exit 2 only with `strict`),
// each as "file:line:column: ...".
int CheckConfigCommand(const std::filesystem::path& file, std::ostream& out, std::ostream& err,
                       bool strict = false);

// `jobtrawl run`: serves until SIGTERM/SIGINT (exit 0) or until the
// database cannot be used (exit 3); a bad config exits 2 at once.
int RunCommand(const std::filesystem::path& config_file, int parse_threads, std::ostream& err);

int CrawlCommand(const std::filesystem::path& config_file, const CrawlOptions& options,
                 bool quiet, std::ostream& out, std::ostream& err);

struct ParseOptions {
  std::filesystem::path file;
  std::string url;                   // the page's address; default file://<absolute path>
  std::optional<std::filesystem::path> config;  // with `source`: use that source's rules
  std::string source;
  std::string kind;                  // read as this source kind (default: the source's, or html)
  bool links = false;                // treat as a listing page and print its links too
  std::string country;               // the board's country for normalizing (default: the source's)
  bool raw = false;                  // print postings as extracted, not normalized
  std::optional<bool> pretty;        // default: pretty on a terminal, JSON lines otherwise
};

int ParseCommand(const ParseOptions& options, std::ostream& out, std::ostream& err);

struct NormalizeOptions {
  std::string what;     // salary | location | remote | employment-type | date | title | company | skills
  std::string text;
  std::string country;  // ISO alpha-2 (or a name): resolves "$", orders dates, fills the country
  std::string at;       // "now" for relative dates, ISO 8601; default: the current time
};

// `jobtrawl normalize`: what jobtrawl makes of one string, as JSON.
int NormalizeCommand(const NormalizeOptions& options, std::ostream& out, std::ostream& err);

struct SelectOptions {
  std::filesystem::path file;
  std::string selector;
  std::string attribute;  // print this attribute of each match instead of its text
  bool html = false;      // print each match's outer HTML
  bool count = false;     // print only the number of matches
};

// `jobtrawl select`: one line per match (text, attribute or HTML), or the
// count. A selector error is reported with its column (exit 2).
int SelectCommand(const SelectOptions& options, std::ostream& out, std::ostream& err);

// Whether robots.txt in `robots_file` lets `agent` fetch `url`, and the rule
// that decided. Exit code 0 when allowed, 1 when disallowed.
// Copies the database (`database`, else the config's [storage] database)
// to `destination` with SQLite's online backup API, safe while the daemon
// writes (storage::BackupDatabase). Exit 0, 2 for a config error, 3 when the
// database cannot be read or the copy written.
int BackupCommand(const std::filesystem::path& config_file, const std::filesystem::path& database,
                  const std::filesystem::path& destination, std::ostream& out, std::ostream& err);

int RobotsCommand(const std::filesystem::path& robots_file, const std::string& url,
                  const std::string& agent, std::ostream& out, std::ostream& err);

struct SplitOptions {
  std::int64_t posting = 0;
  std::int64_t listing = 0;
  std::filesystem::path database;                    // empty: the config's [storage] database
  std::optional<std::filesystem::path> config;       // for the database and dedup_distance
};

// `jobtrawl split POSTING LISTING`: undoes a wrong merge; the listing gets
// a posting of its own and is never grouped with the others again. Exit 2
// when the listing is not one of the posting's (or its only one), 3 when
// the database is missing, foreign or unusable.
int SplitCommand(const SplitOptions& options, std::ostream& out, std::ostream& err);

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_COMMANDS_H_
