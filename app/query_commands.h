// The analysts' commands: `jobtrawl search`, `jobtrawl export` and
// `jobtrawl stats` (README "Commands", docs/analysts.md). Each reads the
// database read-only through storage::Reader, so it works while the daemon
// writes and holds no lock for long, and returns the process exit code:
// kExitUsage (2) for bad input (an FTS5 syntax error, an unknown country
// code or currency, a malformed duration, a bad config), kExitRuntime (3)
// when the database is missing, foreign or unreadable, or the output cannot
// be written. Each prints one line `jobtrawl: ...` on `err` when it fails.
#ifndef JOBTRAWL_APP_QUERY_COMMANDS_H_
#define JOBTRAWL_APP_QUERY_COMMANDS_H_

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "model/clock.h"
#include "storage/reader.h"

namespace jobtrawl::app {

// Where the database is: `db` when given, else [storage] database of the
// config file.
struct DatabaseChoice {
  std::filesystem::path db;
  std::filesystem::path config_file;
};

struct SearchOptions {
  DatabaseChoice where;
  std::string query;  // FTS5 syntax
  bool remote = false;
  std::string country;   // ISO 3166-1 alpha-2 or a country name
  std::string company;
  std::string since;     // a duration: "7d", "12h"
  std::optional<double> salary_min;  // yearly, in `currency`
  std::string currency;  // ISO 4217; required with salary_min
  bool open = false;
  bool closed = false;
  int limit = 20;
  // Rank every match by bm25, not only the newest PostingFilter::
  // kDefaultRankWindow (storage::Reader::Search): slower on common words.
  bool rank_all = false;
  std::string format;    // table | json | csv; empty: table
  std::optional<bool> color;  // highlight matches with ANSI bold; default: stdout is a terminal
  NowFunction now = [] { return Clock::now(); };
};

struct ExportOptions {
  DatabaseChoice where;
  std::string format;  // csv | jsonl | markdown
  std::string since;   // a duration
  bool open = false;
  std::filesystem::path out;  // csv/jsonl: a file; markdown: a folder; empty: stdout
  NowFunction now = [] { return Clock::now(); };
};

struct StatsOptions {
  DatabaseChoice where;
  std::string format;  // table | json; empty: table
  NowFunction now = [] { return Clock::now(); };
};

// A row of Reader::Export as one JSON object, as `export --format jsonl`
// writes it (JSON array columns embedded, whole numbers as integers).
boost::json::object RowToJson(const storage::Row& row);

int SearchCommand(const SearchOptions& options, std::ostream& out, std::ostream& err);
int ExportCommand(const ExportOptions& options, std::ostream& out, std::ostream& err);
int StatsCommand(const StatsOptions& options, std::ostream& out, std::ostream& err);

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_QUERY_COMMANDS_H_
