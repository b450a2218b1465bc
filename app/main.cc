// jobtrawl: collects job postings from job boards into one SQLite database.
// Parses the command line and hands over to app/commands.h.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.h"
#include "app/discover_command.h"
#include "app/migrate_command.h"
#include "app/query_commands.h"
#include "crawler/fetcher.h"
#if JOBTRAWL_HAVE_FLEET
#include "app/nodes_command.h"
#endif

int main(int argc, char** argv) {
  using namespace jobtrawl::app;
  CLI::App app{
      "jobtrawl: crawls job boards and career pages into one deduplicated SQLite database.\n"
      "Exit codes: 0 ok, 1 some sources failed (the rest were stored), 2 usage or config "
      "error, 3 database or file error, 4 crawl skipped every source (other running "
      "processes hold them).",
      "jobtrawl"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "jobtrawl 0.1.0");

  std::string config_file = DefaultConfigPath().string();
  const std::string config_help =
      "Config file (default: $JOBTRAWL_CONFIG, else " + InstalledConfigPath().string() + ")";

  CLI::App* run = app.add_subcommand(
      "run", "Run as a service: crawl each source every `every`, until SIGTERM; SIGHUP reloads "
             "the config. [[alert]] targets get new and reopened matching postings (and breakage "
             "alarms) as they are stored, retried until delivered");
  int run_threads = 0;
  run->add_option("-c,--config", config_file, config_help);
  run->add_option("--parse-threads", run_threads, "Threads that parse pages (default: one per core)")
      ->check(CLI::Range(0, 256));

  CLI::App* crawl = app.add_subcommand("crawl", "Crawl every source (or those named) once, store "
                                                "the postings and print a summary; then deliver "
                                                "[[alert]]s for up to [delivery] flush_timeout. A run far "
                                                "below the source's last good one ends `degraded` and "
                                                "closes nothing");
  CrawlOptions crawl_options;
  std::string db;
  bool quiet = false;
  crawl->add_option("-c,--config", config_file, config_help);
  crawl->add_option("-s,--source", crawl_options.only_sources,
                    "Crawl only this source (repeatable)");
  crawl->add_option("--db", db, "Database file (default: [storage] database from the config)");
  crawl->add_option("--parse-threads", crawl_options.parse_threads,
                    "Threads that parse pages (default: one per core)")
      ->check(CLI::Range(0, 256));
  crawl->add_flag("--wait", crawl_options.wait,
                  "Wait for sources another process is crawling, instead of skipping them");
  crawl->add_flag("--due", crawl_options.due,
                  "Crawl only sources whose `every` has passed since their last successful run "
                  "(for a frequent timer or cron job)");
  crawl->add_flag("-v,--verbose", crawl_options.verbose, "Print each failed page to stderr");
  crawl->add_flag("-q,--quiet", quiet,
                  "Print no summary table; a failed or partial source still gets a line on stderr "
                  "with its cause");

  CLI::App* backup = app.add_subcommand(
      "backup", "Copy the database to FILE with SQLite's online backup API (safe while the daemon "
                "writes)");
  std::string backup_file, backup_db;
  backup->add_option("FILE", backup_file, "Where the copy goes (written beside it, then renamed)")
      ->required();
  backup->add_option("-c,--config", config_file, config_help);
  backup->add_option("--db", backup_db, "Database file (default: [storage] database from the config)");

  CLI::App* parse = app.add_subcommand(
      "parse", "Print the postings extracted from a saved page, as JSON (for config authors)");
  ParseOptions parse_options;
  std::string parse_file;
  std::string parse_config;
  bool json_lines = false, pretty = false;
  parse->add_option("FILE", parse_file,
                    "Saved page, feed, sitemap or API response (VCR cassettes and JS modules "
                    "wrapping a response are unwrapped)")
      ->required();
  parse->add_option("--url", parse_options.url,
                    "The page's original URL, for resolving links (default: file://FILE)");
  parse->add_option("-c,--config", parse_config, config_help + "; used with --source");
  parse->add_option("-s,--source", parse_options.source,
                    "Extract with this source's rules from the config");
  parse->add_option("-k,--kind", parse_options.kind,
                    "Read as this source kind: html, rss, xmlfeed, sitemap, greenhouse, lever, "
                    "ashby, workable, smartrecruiters, recruitee, remotive, remoteok, workday, "
                    "personio, breezy, rippling, himalayas, jobicy, arbeitnow, landingjobs, "
                    "fourdayweek, workingnomads, themuse, usajobs (default: the source's kind, or html)");
  parse->add_option("--country", parse_options.country,
                    "The board's country for normalizing (ISO code; default: the source's `country`)");
  parse->add_flag("--raw", parse_options.raw, "Print postings as extracted, before normalizing");
  parse->add_flag("--links", parse_options.links,
                  "Read the page as a listing and also print the links the crawl would follow "
                  "(links are printed only with this flag)");
  auto* jl = parse->add_flag("--jsonl", json_lines, "One JSON object per line (default when piped)");
  parse->add_flag("--pretty", pretty, "Indented JSON (default on a terminal)")->excludes(jl);

  CLI::App* check = app.add_subcommand("check-config",
                                       "Validate a config file ([[source]], [[alert]] and every "
                                       "table) and report every error in it");
  std::string check_file = DefaultConfigPath().string();
  bool strict = false;
  check->add_option("FILE", check_file, "Config file (default as for --config)");
  check->add_flag("--strict", strict,
                  "Fail (exit 2) on warnings too: no sources, start URLs the address policy "
                  "refuses, a board an API kind reads better");

  CLI::App* discover = app.add_subcommand(
      "discover", "Say what a careers page is and print a [[source]] block that reads it");
  DiscoverOptions discover_options;
  std::string discover_config;
  discover->add_option("INPUT", discover_options.input,
                       "The careers page: an http(s) URL (fetched politely) or a saved page")
      ->required();
  discover->add_option("--url", discover_options.url, "With a saved page: the address it was saved from");
  discover->add_option("-c,--config", discover_config, "Config whose [http] settings fetching uses (default as for crawl, when it exists)");
  discover->add_option("--name", discover_options.name, "The source's name (default: from the board)");
  discover->add_flag("--check", discover_options.check,
                     "Crawl the proposed source once into a temporary database and show what it "
                     "would store");
  discover->footer(
      "Looks for, in order: an applicant-tracking system and its board token (Greenhouse, Lever, "
      "Ashby, Workable, SmartRecruiters, Recruitee, Workday, Personio, Teamtailor, BambooHR, Breezy, "
      "Rippling, Jobvite, iCIMS), JobPosting JSON-LD on the page or its detail pages, a feed or "
      "sitemap, and repeated listing rows (item/fields). The block goes to standard output, what "
      "was seen to standard error.\n"
      "Exit code: 0 found, 1 nothing found (or --check stored nothing), 2 bad options or config, "
      "3 the page could not be read or fetched.");

  CLI::App* select = app.add_subcommand(
      "select", "Print what a CSS selector matches in a saved page, one match per line");
  SelectOptions select_options;
  std::string select_file;
  select->add_option("FILE", select_file, "Saved HTML page")->required();
  select->add_option("SELECTOR", select_options.selector, "CSS selector, e.g. 'div.posting h5'")
      ->required();
  auto* attr = select->add_option("--attr", select_options.attribute,
                                  "Print this attribute of each match (e.g. href)");
  auto* html = select->add_flag("--html", select_options.html, "Print each match's outer HTML");
  auto* count = select->add_flag("--count", select_options.count, "Print only the number of matches");
  attr->excludes(html)->excludes(count);
  html->excludes(count);

  CLI::App* norm = app.add_subcommand(
      "normalize", "Print what jobtrawl makes of one string (a salary, a location, ...), as JSON");
  NormalizeOptions normalize_options;
  norm->add_option("WHAT", normalize_options.what,
                   "salary | location | remote | employment-type | date | title | company | skills")
      ->required()
      ->check(CLI::IsMember({"salary", "location", "remote", "employment-type", "date", "title", "company",
                             "skills"}));
  norm->add_option("TEXT", normalize_options.text, "The text as a board writes it, e.g. '$120k-$150k'")
      ->required();
  norm->add_option("--country", normalize_options.country,
                   "The board's country (ISO code): resolves \"$\", orders dates like 04/05/2026");
  norm->add_option("--at", normalize_options.at,
                   "The time relative dates count from (ISO 8601; default: now)");

  CLI::App* robots = app.add_subcommand(
      "robots", "Say whether a robots.txt file allows a URL, and which rule decided (RFC 9309)");
  std::string robots_file, robots_url, robots_agent = "jobtrawl";
  robots->add_option("ROBOTS_FILE", robots_file, "A saved robots.txt")->required();
  robots->add_option("URL", robots_url, "The URL to check")->required();
  robots->add_option("-a,--agent", robots_agent,
                     "User-agent whose product token selects the group (default: jobtrawl)");
  robots->footer("Exit code: 0 allowed, 1 disallowed, 3 the file cannot be read.");

  const std::string db_help =
      "Database file or postgresql:// URL (default: [storage] database from the config); opened read-only";

  CLI::App* search = app.add_subcommand(
      "search", "Full-text search of the postings (FTS5 syntax), best match first (bm25)");
  SearchOptions search_options;
  std::string search_format;
  search->add_option("QUERY", search_options.query,
                     "Words (all must match), \"a phrase\", prefix*, OR, NOT, (groups), "
                     "title:word; quote words with symbols: '\"C++\"'")
      ->required();
  search->add_option("--db", search_options.where.db, db_help);
  search->add_option("-c,--config", search_options.where.config_file, config_help);
  search->add_flag("--remote", search_options.remote, "Only fully remote postings");
  search->add_option("--country", search_options.country, "Only postings in this country (ISO code, e.g. DE)");
  search->add_option("--company", search_options.company, "Only postings of this company (name or part of it)");
  search->add_option("--since", search_options.since, "Only postings first seen within this time, e.g. 7d, 12h");
  search->add_option("--salary-min", search_options.salary_min,
                     "Only postings whose yearly pay reaches this amount (needs --currency)");
  search->add_option("--currency", search_options.currency, "The currency of --salary-min (ISO 4217, e.g. EUR)");
  auto* search_open = search->add_flag("--open", search_options.open, "Only open postings");
  search->add_flag("--closed", search_options.closed, "Only closed postings")->excludes(search_open);
  search->add_option("-n,--limit", search_options.limit, "At most this many results (default 20)");
  search->add_flag("--rank-all", search_options.rank_all,
                   "Rank every match by bm25, not only the newest 10,000 (slower for common words)");
  search->add_option("--format", search_format,
                     "table (default; matches in bold on a terminal), json (one object per line) or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));

  CLI::App* exp = app.add_subcommand(
      "export", "Write the postings as CSV, JSON lines or Markdown documents, streaming");
  ExportOptions export_options;
  exp->add_option("--format", export_options.format,
                  "csv (a header row, RFC 4180), jsonl (one object per line) or markdown (one "
                  "document per posting)")
      ->required()
      ->check(CLI::IsMember({"csv", "jsonl", "markdown"}));
  exp->add_option("--db", export_options.where.db, db_help);
  exp->add_option("-c,--config", export_options.where.config_file, config_help);
  exp->add_option("--since", export_options.since, "Only postings first seen within this time, e.g. 30d");
  exp->add_flag("--open", export_options.open, "Only open postings");
  exp->add_option("-o,--out", export_options.out,
                  "csv, jsonl: the file to write; markdown: the folder for one ID-TITLE.md per "
                  "posting (default: standard output)");

  CLI::App* stats = app.add_subcommand(
      "stats", "Per source: open, closed and new listings, the last crawl and its error rate, "
               "and why it is degraded when it is");
  StatsOptions stats_options;
  stats->add_option("--db", stats_options.where.db, db_help);
  stats->add_option("-c,--config", stats_options.where.config_file, config_help);
  stats->add_option("--format", stats_options.format, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));

  CLI::App* nodes = app.add_subcommand(
      "nodes", "The jobtrawl nodes sharing a PostgreSQL database: state, last heartbeat, leases "
               "held, crawls and failures, crawls per hour");
  std::string nodes_db, nodes_config, nodes_format;
  nodes->add_option("--db", nodes_db, "postgresql:// URL (default: [storage] database from the config)");
  nodes->add_option("-c,--config", nodes_config, config_help);
  nodes->add_option("--format", nodes_format, "table (default) or json (one object per node per line)")
      ->check(CLI::IsMember({"table", "json"}));
  nodes->footer("Exit code: 0 ok, 2 bad config or a database that is not PostgreSQL, 3 the database "
                "could not be read.");

  for (CLI::App* sub : {search, exp, stats}) {
    sub->footer("Exit code: 0 ok, 2 bad input (query syntax, country, duration, config), 3 the "
                "database is missing, not jobtrawl's or unreadable.");
  }

  CLI::App* split = app.add_subcommand(
      "split", "Undo a wrong merge: LISTING (listings.id) leaves POSTING (postings.id), gets a "
               "posting of its own and is never grouped with that posting's listings again");
  SplitOptions split_options;
  std::string split_db, split_config;
  split->add_option("POSTING", split_options.posting, "The posting's id")->required();
  split->add_option("LISTING", split_options.listing, "The id of the listing to take out")->required();
  split->add_option("--db", split_db, "Database file (default: [storage] database from the config)");
  split->add_option("-c,--config", split_config, config_help + "; gives the database and dedup_distance");
  split->footer("Exit code: 0 split, 2 the listing is not one of the posting's (or its only one), "
                "3 the database is missing, not jobtrawl's, or unusable.");

  CLI::App* migrate = app.add_subcommand(
      "migrate", "Copy a SQLite database (upgraded first) into an empty PostgreSQL database, "
                 "keeping every id, in one transaction; row counts are checked at the end");
  MigrateOptions migrate_options;
  migrate->add_option("--from", migrate_options.from, "The SQLite database file")->required();
  migrate->add_option("--to", migrate_options.to,
                      "The PostgreSQL database: postgresql://user:password@host:port/database")
      ->required();
  migrate->add_flag("--replace", migrate_options.replace,
                    "Delete the jobtrawl rows the PostgreSQL database holds first (else a "
                    "non-empty target is refused)");
  migrate->add_option("--batch", migrate_options.batch, "Rows per INSERT (default 500)")
      ->check(CLI::Range(1, 100000));
  migrate->add_flag("--progress", migrate_options.progress, "Print each table's progress on stderr");
  migrate->footer("Exit code: 0 copied, 2 bad arguments (--to not a postgresql:// URL), 3 the file is "
                  "missing or not jobtrawl's, the server unreachable, the target not empty, or the "
                  "copy failed (the target then holds none of its rows).");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }

  if (*check) return CheckConfigCommand(check_file, std::cout, std::cerr, strict);
  if (*discover) {
    if (!discover_config.empty()) discover_options.config = discover_config;
    jobtrawl::crawler::GlobalInit();
    return DiscoverCommand(discover_options, std::cout, std::cerr);
  }
  if (*select) {
    select_options.file = select_file;
    return SelectCommand(select_options, std::cout, std::cerr);
  }
  if (*norm) return NormalizeCommand(normalize_options, std::cout, std::cerr);
  if (*split) {
    split_options.database = split_db;
    if (!split_config.empty()) split_options.config = split_config;
    return SplitCommand(split_options, std::cout, std::cerr);
  }
  if (*migrate) return MigrateCommand(migrate_options, std::cout, std::cerr);
  if (*backup) return BackupCommand(config_file, backup_db, backup_file, std::cout, std::cerr);
  if (*search || *exp || *stats) {
    // The config is read only when --db is not given.
    for (DatabaseChoice* where : {&search_options.where, &export_options.where, &stats_options.where}) {
      if (where->config_file.empty()) where->config_file = config_file;
    }
    search_options.format = search_format;
    if (*search) return SearchCommand(search_options, std::cout, std::cerr);
    if (*exp) return ExportCommand(export_options, std::cout, std::cerr);
    return StatsCommand(stats_options, std::cout, std::cerr);
  }
  if (*nodes) {
#if JOBTRAWL_HAVE_FLEET
    NodesOptions nodes_options;
    nodes_options.db = nodes_db;
    nodes_options.config_file = nodes_config.empty() ? config_file : nodes_config;
    nodes_options.format = nodes_format;
    return NodesCommand(nodes_options, std::cout, std::cerr);
#else
    std::cerr << "jobtrawl: this build has no PostgreSQL support (libpq was not found)\n";
    return kExitUsage;
#endif
  }
  if (*robots) return RobotsCommand(robots_file, robots_url, robots_agent, std::cout, std::cerr);
  if (*parse) {
    parse_options.file = parse_file;
    if (!parse_config.empty()) parse_options.config = parse_config;
    if (json_lines) parse_options.pretty = false;
    if (pretty) parse_options.pretty = true;
    return ParseCommand(parse_options, std::cout, std::cerr);
  }
  jobtrawl::crawler::GlobalInit();
  if (*run) return RunCommand(config_file, run_threads, std::cerr);
  crawl_options.database = db;
  return CrawlCommand(config_file, crawl_options, quiet, std::cout, std::cerr);
}
