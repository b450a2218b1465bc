#include "config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <fstream>

namespace jobtrawl::config {
namespace {

using ::testing::HasSubstr;

ConfigResult Parse(std::string_view text) { return ParseConfig(text, "test.toml", "/etc/jt"); }

// Joins all errors so one expectation can look for a message and its position.
std::string Errors(std::string_view text) {
  auto c = Parse(text);
  if (c) return "<no errors>";
  std::string out;
  for (const auto& e : c.error()) out += e.ToString() + "\n";
  return out;
}

TEST(ConfigTest, ReadsFullExample) {
  // The shape of DESIGN.md's configuration sketch.
  auto c = Parse(R"(
[storage]
database = "/var/lib/jobtrawl/jobs.db"
cache_ttl = "14d"

[http]
user_agent = "jobtrawl-test/1.0"
max_connections = 32
per_host_connections = 4
delay = "250ms"
timeout = "1m"
max_body = "2MB"

[[source]]
name = "acme-careers"
kind = "html"
start = ["https://acme.example/careers"]
every = "30m"
follow = { detail = "/careers/jobs/[0-9]+", next = "[?&]page=[0-9]+", max_pages = 7 }
)");
  ASSERT_TRUE(c.has_value()) << c.error().front().ToString();
  EXPECT_EQ(c->storage.database, "/var/lib/jobtrawl/jobs.db");
  EXPECT_EQ(c->storage.cache_ttl, std::chrono::hours(14 * 24));
  EXPECT_EQ(c->http.user_agent, "jobtrawl-test/1.0");
  EXPECT_EQ(c->http.max_connections, 32);
  EXPECT_EQ(c->http.per_host_connections, 4);
  EXPECT_EQ(c->http.delay.count(), 250);
  EXPECT_EQ(c->http.timeout.count(), 60000);
  EXPECT_EQ(c->http.max_body, 2000000u);
  ASSERT_EQ(c->sources.size(), 1u);
  const SourceConfig& s = c->sources[0];
  EXPECT_EQ(s.name, "acme-careers");
  EXPECT_EQ(s.start, std::vector<std::string>{"https://acme.example/careers"});
  EXPECT_EQ(s.every.count(), 1800000);
  EXPECT_EQ(s.follow.detail, "/careers/jobs/[0-9]+");
  EXPECT_EQ(s.follow.next, "[?&]page=[0-9]+");
  EXPECT_EQ(s.follow.max_pages, 7);
  EXPECT_EQ(c->FindSource("acme-careers"), &c->sources[0]);
  EXPECT_EQ(c->FindSource("nope"), nullptr);
}

TEST(ConfigTest, DefaultsAndRelativePathsResolveAgainstConfigFolder) {
  // Relative paths are relative to the config file, not to the working directory.
  auto c = Parse(R"(
[[source]]
name = "local"
allow_file = true
start = ["sample/index.html", "file:///srv/board/index.html"]
)");
  ASSERT_TRUE(c.has_value()) << c.error().front().ToString();
  EXPECT_EQ(c->storage.database, "/etc/jt/jobs.db");
  EXPECT_EQ(c->storage.cache_ttl, std::chrono::hours(30 * 24));
  EXPECT_EQ(c->http.per_host_connections, 2);
  EXPECT_EQ(c->sources[0].start[0], "file:///etc/jt/sample/index.html");
  EXPECT_EQ(c->sources[0].start[1], "file:///srv/board/index.html");
}

TEST(ConfigTest, ParsePageBudgetIsADurationCopiedToEachSource) {
  // [parse] page_budget: 2 s by default, "0s" for no limit, unknown keys rejected.
  auto defaults = Parse("[[source]]\nname = \"a\"\nstart = \"https://a.example/\"\n");
  ASSERT_TRUE(defaults.has_value());
  EXPECT_EQ(defaults->parse.page_budget, milliseconds(2000));
  EXPECT_EQ(defaults->sources[0].page_budget, milliseconds(2000));
  auto set = Parse("[parse]\npage_budget = \"500ms\"\n[[source]]\nname = \"a\"\nstart = \"https://a.example/\"\n");
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->sources[0].page_budget, milliseconds(500));
  auto off = Parse("[parse]\npage_budget = \"0s\"\n");
  ASSERT_TRUE(off.has_value());
  EXPECT_EQ(off->parse.page_budget, milliseconds(0));
  EXPECT_THAT(Errors("[parse]\npage_budget = 2\n"), HasSubstr("test.toml:2:15"));
  EXPECT_THAT(Errors("[parse]\nbudget = \"1s\"\n"), HasSubstr("budget"));
}

TEST(ConfigTest, AlarmsAreGlobalWithEachSourcesOwnKeysOverThem) {
  // README "Breakage alarms": [alarms] for every source, a source's alarms table over it.
  auto defaults = Parse("[[source]]\nname = \"a\"\nstart = \"https://a.example/\"\n");
  ASSERT_TRUE(defaults.has_value());
  EXPECT_EQ(defaults->sources[0].alarms.min_yield_ratio, 0.5);
  EXPECT_EQ(defaults->sources[0].alarms.min_field_ratio, 0.5);
  EXPECT_EQ(defaults->sources[0].alarms.min_postings, 5);
  EXPECT_EQ(defaults->sources[0].alarms.min_pages, 5);
  auto set = Parse(
      "[alarms]\nmin_yield_ratio = 0.25\nmin_pages = 10\n"
      "[[source]]\nname = \"a\"\nstart = \"https://a.example/\"\nalarms = { min_pages = 3, min_field_ratio = 0 }\n"
      "[[source]]\nname = \"b\"\nstart = \"https://b.example/\"\n");
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->sources[0].alarms.min_yield_ratio, 0.25);
  EXPECT_EQ(set->sources[0].alarms.min_pages, 3);
  EXPECT_EQ(set->sources[0].alarms.min_field_ratio, 0);
  EXPECT_EQ(set->sources[1].alarms.min_pages, 10);
  EXPECT_EQ(set->sources[1].alarms.min_field_ratio, 0.5);
  EXPECT_THAT(Errors("[alarms]\nmin_yield_ratio = 1.5\n"), HasSubstr("test.toml:2:19: \"min_yield_ratio\" must be from 0 to 1"));
  EXPECT_THAT(Errors("[alarms]\nmin_pages = 0\n"), HasSubstr("test.toml:2:13"));
  EXPECT_THAT(Errors("[alarms]\nratio = 1\n"), HasSubstr("unknown key \"ratio\" in [alarms]"));
  EXPECT_THAT(Errors("[[source]]\nname = \"a\"\nstart = \"https://a.example/\"\nalarms = 1\n"),
              HasSubstr("test.toml:4:10: \"alarms\" must be a table"));
}

TEST(ConfigTest, DeliveryGivesUpAfterSevenDaysUnlessSetOtherwise) {
  // README "[delivery]": give_up_after ends the retries of an event; "0s" never gives up.
  auto defaults = Parse("[[source]]\nname = \"a\"\nstart = \"https://a.example/\"\n");
  ASSERT_TRUE(defaults.has_value());
  EXPECT_EQ(defaults->delivery.give_up_after, std::chrono::hours(24 * 7));
  auto set = Parse("[delivery]\ngive_up_after = \"2d\"\n[[source]]\nname = \"a\"\nstart = \"https://a.example/\"\n");
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->delivery.give_up_after, std::chrono::hours(48));
  auto never = Parse("[delivery]\ngive_up_after = \"0s\"\n[[source]]\nname = \"a\"\nstart = \"https://a.example/\"\n");
  ASSERT_TRUE(never.has_value());
  EXPECT_EQ(never->delivery.give_up_after.count(), 0);
  EXPECT_THAT(Errors("[delivery]\ngive_up_after = 7\n"), HasSubstr("test.toml:2:17: \"give_up_after\" must be a duration"));
}

TEST(ConfigTest, StorageDedupDistanceIsMinusOneToThree) {
  // [storage] dedup_distance: 3 by default, -1 turns deduplication off, more than the bands find is refused.
  auto defaults = Parse("[storage]\ndatabase = \"j.db\"\n");
  ASSERT_TRUE(defaults.has_value());
  EXPECT_EQ(defaults->storage.dedup_distance, 3);
  for (int d : {-1, 0, 3}) {
    auto c = Parse("[storage]\ndedup_distance = " + std::to_string(d) + "\n");
    ASSERT_TRUE(c.has_value()) << d;
    EXPECT_EQ(c->storage.dedup_distance, d);
  }
  EXPECT_THAT(Errors("[storage]\ndedup_distance = 4\n"), HasSubstr("test.toml:2:18: \"dedup_distance\" must be between -1 and 3"));
  EXPECT_THAT(Errors("[storage]\ndedup_distance = \"3\"\n"), HasSubstr("test.toml:2:18"));
}

TEST(ConfigTest, StorageDatabaseMayBeAPostgresUrlKeptAsWritten) {
  // A PostgreSQL URI (issue 15) is not a path: it is kept as written, never
  // resolved against the config folder.
  for (const char* url : {"postgresql://jobtrawl:s3cret@127.0.0.1:5432/jobs?sslmode=disable",
                          "postgres://127.0.0.1/jobs", "POSTGRESQL://db.internal/jobs",
                          "postgresql:///jobs?host=/run/postgresql", "postgresql://h1:5432,h2:5433/jobs"}) {
    auto c = Parse(std::string("[storage]\ndatabase = \"") + url + "\"\n");
    ASSERT_TRUE(c.has_value()) << url;
    EXPECT_EQ(c->storage.database.string(), url);
  }
  // A file path that merely mentions the scheme stays a path.
  auto path = Parse("[storage]\ndatabase = \"data/postgresql:/jobs.db\"\n");
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(path->storage.database, "/etc/jt/data/postgresql:/jobs.db");
}

TEST(ConfigPathTest, RelativePathsResolveAgainstTheConfigFolderAndMayLeaveIt) {
  // The rule (SECURITY.md): the config is trusted, so its paths may point
  // anywhere, absolute or with "..". Relative ones resolve against the
  // config file's folder and are normalized, so where a path leads is
  // plain in `check-config` and in errors; symlinks are not resolved.
  struct Case {
    const char* database;
    const char* start;
    const char* want_database;
    const char* want_start;
  } cases[] = {
      {"jobs.db", "board/index.html", "/etc/jt/jobs.db", "file:///etc/jt/board/index.html"},
      {"data/../jobs.db", "board/./x/../index.html", "/etc/jt/jobs.db", "file:///etc/jt/board/index.html"},
      {"../../var/lib/jobs.db", "../outside/index.html", "/var/lib/jobs.db", "file:///etc/outside/index.html"},
      {"/srv/jobs.db", "/srv/board/index.html", "/srv/jobs.db", "file:///srv/board/index.html"},
      {"./jobs.db", "file:///etc/passwd", "/etc/jt/jobs.db", "file:///etc/passwd"},
  };
  for (const Case& c : cases) {
    auto config = Parse(std::string("[storage]\ndatabase = \"") + c.database +
                        "\"\n[[source]]\nname = \"local\"\nallow_file = true\nstart = \"" + c.start + "\"\n");
    ASSERT_TRUE(config.has_value()) << c.database;
    EXPECT_EQ(config->storage.database, c.want_database);
    EXPECT_EQ(config->sources[0].start[0], c.want_start);
  }
  // Without allow_file a path or file:// URL is refused, escaping or not.
  EXPECT_THAT(Errors("[[source]]\nname = \"a\"\nstart = \"../x.html\"\n"), HasSubstr("is not an absolute URL"));
  EXPECT_THAT(Errors("[[source]]\nname = \"a\"\nstart = \"file:///etc/passwd\"\n"), HasSubstr("set allow_file = true"));
}

TEST(ConfigPathTest, ASymlinkedConfigResolvesAgainstTheLinksFolder) {
  // LoadConfig takes the folder of the path it was given; a symlink to a
  // config elsewhere resolves relative paths beside the link.
  const auto dir = std::filesystem::temp_directory_path() / ("jobtrawl-config-path-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "real");
  std::ofstream(dir / "real" / "jobtrawl.toml") << "[storage]\ndatabase = \"jobs.db\"\n";
  std::filesystem::create_symlink(dir / "real" / "jobtrawl.toml", dir / "link.toml");
  auto via_link = LoadConfig(dir / "link.toml");
  auto direct = LoadConfig(dir / "real" / "jobtrawl.toml");
  ASSERT_TRUE(via_link.has_value());
  ASSERT_TRUE(direct.has_value());
  EXPECT_EQ(via_link->storage.database, dir / "jobs.db");
  EXPECT_EQ(direct->storage.database, dir / "real" / "jobs.db");
  std::filesystem::remove_all(dir);
}

TEST(ConfigTest, ErrorsNameFileLineAndColumn) {
  // Each kind of mistake is reported at the key or value that caused it.
  struct Case {
    const char* text;
    const char* expected;
  } cases[] = {
      {"[http]\nmax_conections = 3\n", "test.toml:2:1: unknown key \"max_conections\" in [http]"},
      {"[http]\ndelay = 5\n", "test.toml:2:9: \"delay\" must be a duration string"},
      {"[http]\ndelay = \"5 parsecs\"\n", "test.toml:2:9: \"delay\": expected a duration"},
      {"[http]\nmax_body = \"10XB\"\n", "test.toml:2:12: \"max_body\": expected a size"},
      {"[http]\nmax_connections = 0\n", "test.toml:2:19: \"max_connections\" must be between 1"},
      {"[[source]]\nname = \"a\"\n", "test.toml:1:1: [[source]] \"a\" is missing required key \"start\""},
      {"[[source]]\nstart = [\"https://a.example/\"]\n", "missing required key \"name\""},
      {"[[source]]\nname = \"a\"\nstart = [\"not a url\"]\n",
       "test.toml:3:10: \"not a url\" is not an absolute URL"},
      {"[[source]]\nname = \"a\"\nstart = [\"ftp://a.example/\"]\n", "only http and https"},
      {"[[source]]\nname = \"a\"\nstart = [\"file:///x.html\"]\n", "set allow_file = true"},
      {"[[source]]\nname = \"a\"\nkind = \"gopher\"\nstart = \"https://a.example/\"\n",
       "test.toml:3:8: unknown source kind \"gopher\""},
      {"[[source]]\nname = \"a\"\nstart = \"https://a.example/\"\nfollow = { detail = \"(\" }\n",
       "test.toml:4:21: \"detail\" is not a valid RE2 pattern"},
      {"[[source]]\nname = \"a\"\nstart = \"https://a.example/\"\n"
       "[[source]]\nname = \"a\"\nstart = \"https://b.example/\"\n",
       "test.toml:4:1: duplicate source name \"a\""},
      {"[[source]]\nname = \"a\"\nkind = \"lever\"\n",
       "test.toml:1:1: [[source]] \"a\" of kind \"lever\" needs \"board\""},
      {"[[source]]\nname = \"a\"\nkind = \"lever\"\nboard = \"a/b\"\n",
       "test.toml:4:9: \"board\" must be a board token"},
      {"[[source]]\nname = \"a\"\nkind = \"workday\"\nboard = \"acme\"\n",
       "test.toml:4:9: \"board\" of a workday source is the careers site's host and site"},
      {"[[source]]\nname = \"a\"\nkind = \"himalayas\"\nboard = \"dev\"\n",
       "test.toml:4:9: kind \"himalayas\" takes no \"board\""},
      {"[[source]]\nname = \"a\"\nboard = \"acme\"\nstart = \"https://a.example/\"\n",
       "test.toml:3:9: \"board\" is for board API kinds"},
      {"[[source]]\nname = \"a\"\nkind = \"rss\"\nstart = \"https://a.example/\"\nfields = { title = \"h1\" }\n",
       "test.toml:5:10: \"fields\" applies to html and sitemap sources, not \"rss\""},
      {"[http\n", "test.toml:1:"},
      {"storage = 3\n", "\"storage\" must be a table"},
      {"[storage]\ncache_ttl = 30\n", "test.toml:2:13: \"cache_ttl\" must be a duration string"},
      {"[storage]\ncache_ttl = \"10m\"\n", "test.toml:2:13: \"cache_ttl\" must be at least 1h"},
  };
  for (const auto& c : cases) {
    EXPECT_THAT(Errors(c.text), HasSubstr(c.expected)) << c.text;
  }
}

TEST(ConfigTest, StorageSessionTimeoutsAndRetryBudget) {
  // Issue 15 (nolose) part 3: the PostgreSQL session timeouts (store, work queue) and the
  // writer's retry budget are [storage] keys; defaults as they were fixed before.
  auto defaults = Parse("");
  ASSERT_TRUE(defaults.has_value()) << defaults.error().front().ToString();
  EXPECT_EQ(defaults->storage.lock_timeout, std::chrono::seconds(10));
  EXPECT_EQ(defaults->storage.statement_timeout, std::chrono::seconds(60));
  EXPECT_EQ(defaults->storage.queue_lock_timeout, std::chrono::seconds(5));
  EXPECT_EQ(defaults->storage.queue_statement_timeout, std::chrono::seconds(30));
  EXPECT_EQ(defaults->storage.retry_budget, std::chrono::seconds(5));
  auto c = Parse(R"([storage]
lock_timeout = "3s"
statement_timeout = "0s"
queue_lock_timeout = "1500ms"
queue_statement_timeout = "2m"
retry_budget = "30s"
)");
  ASSERT_TRUE(c.has_value()) << c.error().front().ToString();
  EXPECT_EQ(c->storage.lock_timeout, std::chrono::seconds(3));
  EXPECT_EQ(c->storage.statement_timeout, std::chrono::seconds(0));
  EXPECT_EQ(c->storage.queue_lock_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(c->storage.queue_statement_timeout, std::chrono::minutes(2));
  EXPECT_EQ(c->storage.retry_budget, std::chrono::seconds(30));
  const struct {
    const char* text;
    const char* expected;
  } cases[] = {
      {"[storage]\nlock_timeout = 10\n", "test.toml:2:16: \"lock_timeout\" must be a duration string"},
      {"[storage]\nstatement_timeout = \"soon\"\n", "test.toml:2:21: \"statement_timeout\": "},
      {"[storage]\nqueue_lock_timeout = \"30d\"\n", "test.toml:2:22: \"queue_lock_timeout\" must be at most 24d"},
      {"[storage]\nqueue_statement_timeout = \"25d\"\n", "test.toml:2:27: \"queue_statement_timeout\" must be at most 24d"},
      {"[storage]\nretry_budget = \"2h\"\n", "test.toml:2:16: \"retry_budget\" must be at most 1h"},
      {"[storage]\nretry_budgt = \"2s\"\n", "retry_budgt"},
  };
  for (const auto& k : cases) {
    EXPECT_THAT(Errors(k.text), HasSubstr(k.expected)) << k.text;
  }
}

TEST(ConfigTest, StartUrlWithAPortThatIsNotANumberIsRefused) {
  // Found by fuzzing (fuzz/regressions/url): "https://a.example:443x/" parsed
  // as port 443 and a path "x/", and became "https://a.examplex/".
  EXPECT_THAT(Errors("[[source]]\nname = \"a\"\nstart = [\"https://a.example:443x/\"]\n"),
              HasSubstr("test.toml:3:10: \"https://a.example:443x/\" is not a valid URL"));
}

TEST(ConfigTest, ReadsSelectorFieldsAndChecksEachSelector) {
  // Invalid selectors are rejected at load time, at their column in the file.
  auto c = Parse(R"([[source]]
name = "plain"
start = "https://a.example/jobs"
item = "li.job"
follow = { detail_css = "a.job-link", next_css = "a[rel=next]" }
fields = { title = "h1", company = [".company", ".employer"], apply_url = "a.apply@href" }
)");
  ASSERT_TRUE(c.has_value()) << c.error().front().ToString();
  const SourceConfig& s = c->sources[0];
  EXPECT_EQ(s.item, "li.job");
  EXPECT_EQ(s.follow.detail_css, "a.job-link");
  ASSERT_EQ(s.fields.size(), 3u);
  auto selectors = [&](std::string_view field) {
    for (const auto& f : s.fields) {
      if (f.field == field) return f.selectors;
    }
    return std::vector<std::string>{};
  };
  EXPECT_EQ(selectors("company"), (std::vector<std::string>{".company", ".employer"}));
  EXPECT_EQ(selectors("apply_url"), std::vector<std::string>{"a.apply@href"});
  EXPECT_EQ(selectors("title"), std::vector<std::string>{"h1"});

  struct Case {
    const char* text;
    const char* expected;
  } cases[] = {
      {"fields = { title = \"h1[\" }", "test.toml:4:24: \"h1[\" is not a valid CSS selector: expected an attribute name"},
      {"fields = { salary_text = \"p\" }", "test.toml:4:12: unknown field \"salary_text\""},
      {"fields = { title = \"a@\" }", "\"a@\": expected an attribute name after '@'"},
      {"item = \"li:hover\"", "test.toml:4:12: \"li:hover\" is not a valid CSS selector: unsupported pseudo-class"},
      {"fields = { title = 3 }", "field selectors must be strings"},
  };
  for (const auto& k : cases) {
    std::string text = std::string("[[source]]\nname = \"a\"\nstart = \"https://a.example/\"\n") + k.text + "\n";
    EXPECT_THAT(Errors(text), HasSubstr(k.expected)) << k.text;
  }
}

TEST(ConfigTest, ReportsAllErrorsAtOnce) {
  // check-config must show every problem in one run, not one per edit.
  auto c = Parse(R"(
[http]
delay = "soon"
timeout = 3
[[source]]
name = "a"
start = ["nope"]
colour = "red"
)");
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().size(), 4u);
}

TEST(ConfigTest, LoadConfigReportsMissingFile) {
  auto c = LoadConfig("/nonexistent/jobtrawl.toml");
  ASSERT_FALSE(c.has_value());
  EXPECT_THAT(c.error().front().ToString(),
              HasSubstr("/nonexistent/jobtrawl.toml: cannot open the config file"));
}

// The variables config/examples/usajobs.toml reads its key from.
void SetExampleEnvironment() {
  ::setenv("USAJOBS_KEY", "example-key", 0);
  ::setenv("USAJOBS_EMAIL", "jobs@example.org", 0);
}

TEST(ConfigTest, ExampleConfigsAreValid) {
  // Every file in config/examples/ is a working example a user can copy.
  SetExampleEnvironment();
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(JOBTRAWL_SOURCE_DIR "/config/examples")) {
    if (entry.path().extension() != ".toml") continue;
    ++seen;
    auto c = LoadConfig(entry.path());
    EXPECT_TRUE(c.has_value()) << entry.path() << ": " << (c ? "" : c.error().front().ToString());
  }
  EXPECT_GT(seen, 0);
  EXPECT_TRUE(LoadConfig(JOBTRAWL_SOURCE_DIR "/config/jobtrawl.example.toml").has_value());
}

TEST(ConfigTest, EveryKindHasAnExample) {
  // A user finds a working example of each kind in config/examples/.
  SetExampleEnvironment();
  std::set<std::string> kinds;
  for (const auto& entry : std::filesystem::directory_iterator(JOBTRAWL_SOURCE_DIR "/config/examples")) {
    auto c = LoadConfig(entry.path());
    if (!c) continue;
    for (const auto& s : c->sources) kinds.insert(s.kind);
  }
  for (std::string_view kind : SupportedKinds()) EXPECT_TRUE(kinds.contains(std::string(kind))) << kind;
}

TEST(ConfigTest, SourceHeadersTakeEnvironmentVariablesAndRefuseTheFetchersOwn) {
  // Issue 14 part 1: [[source]] headers (USAJOBS's Authorization-Key and
  // User-Agent); "${NAME}" is read from the environment at load time, so
  // keys stay out of the file; errors say where, never the value.
  ::setenv("JOBTRAWL_TEST_KEY", "s3cret-key", 1);
  ::setenv("JOBTRAWL_TEST_BROKEN", "a\r\nX-Injected: 1", 1);
  ::unsetenv("JOBTRAWL_TEST_UNSET");
  auto c = Parse(R"([[source]]
name = "usajobs"
kind = "usajobs"
headers = { "Authorization-Key" = "${JOBTRAWL_TEST_KEY}", "User-Agent" = "me@example.org", X-Note = "a $ and ${JOBTRAWL_TEST_KEY}!" }
)");
  ASSERT_TRUE(c.has_value()) << c.error().front().ToString();
  ASSERT_EQ(c->sources.size(), 1u);
  const auto& s = c->sources[0];
  EXPECT_EQ(s.start, std::vector<std::string>{"https://data.usajobs.gov/api/search?ResultsPerPage=500"});
  std::map<std::string, std::string> headers(s.headers.begin(), s.headers.end());
  EXPECT_EQ(headers["Authorization-Key"], "s3cret-key");
  EXPECT_EQ(headers["User-Agent"], "me@example.org");
  EXPECT_EQ(headers["X-Note"], "a $ and s3cret-key!");
  const std::string head = "[[source]]\nname = \"s\"\nstart = \"https://a.example/\"\n";
  struct Case {
    const char* line;
    const char* error;  // with its position
  } cases[] = {
      {R"(headers = { Host = "data.usajobs.gov" })", "test.toml:4:20: header \"Host\" is set by the fetcher"},
      {R"(headers = { "if-none-match" = "x" })", "header \"if-none-match\" is set by the fetcher"},
      {R"(headers = { "Bad Name" = "x" })", "\"Bad Name\" is not a header name"},
      {R"(headers = { X-Count = 3 })", "header \"X-Count\" must be a string, not an integer"},
      {R"(headers = { X-Key = "${JOBTRAWL_TEST_UNSET}" })", "test.toml:4:21: header \"X-Key\": environment variable JOBTRAWL_TEST_UNSET is not set"},
      {R"(headers = { X-Key = "${1BAD}" })", "must open an environment variable reference"},
      {R"(headers = { X-Key = "${UNCLOSED" })", "must open an environment variable reference"},
      {R"(headers = { X-Key = "${JOBTRAWL_TEST_BROKEN}" })", "header \"X-Key\" must not hold a line break or NUL"},
      {R"(headers = { X-Key = "a", x-key = "b" })", "header \"x-key\" is given twice"},
      {R"(headers = "X-Key: a")", "\"headers\" must be a table"},
      {R"(headers = { X-Key = " " })", "header \"X-Key\" is empty"},
  };
  for (const Case& k : cases) {
    const std::string errors = Errors(head + k.line + "\n");
    EXPECT_THAT(errors, HasSubstr(k.error)) << k.line;
    EXPECT_EQ(errors.find("s3cret"), std::string::npos);
    EXPECT_EQ(errors.find("X-Injected"), std::string::npos);
  }
  // USAJOBS answers 401 without its key: a source that asks it needs one.
  EXPECT_THAT(Errors("[[source]]\nname = \"u\"\nkind = \"usajobs\"\n"),
              HasSubstr("test.toml:1:1: [[source]] \"u\" of kind \"usajobs\" needs headers"));
  EXPECT_THAT(Errors("[[source]]\nname = \"u\"\nkind = \"usajobs\"\nheaders = { User-Agent = \"me@example.org\" }\n"),
              HasSubstr("needs headers"));
  EXPECT_TRUE(Parse("[[source]]\nname = \"u\"\nkind = \"usajobs\"\nallow_file = true\nstart = \"file:///tmp/usajobs.json\"\n")
                  .has_value());
}

TEST(ConfigTest, SourceHeaderValuesRefuseEveryControlCharacterByEveryRoute) {
  // RFC 9110 §5.5: a field value holds no control character but HTAB. CR,
  // LF and NUL were refused; the others (VT, ESC, DEL...) reached libcurl,
  // which sends them as they are. Every route: TOML escapes and the
  // environment (TOML itself refuses them raw in a string, literal or
  // basic). The value is never repeated in the message.
  ::setenv("JOBTRAWL_TEST_ESC", "key\x1b[2Jmore", 1);
  ::setenv("JOBTRAWL_TEST_DEL", "key\x7fmore", 1);
  ::setenv("JOBTRAWL_TEST_TAB", "a\tb", 1);
  const std::string head = "[[source]]\nname = \"s\"\nstart = \"https://a.example/\"\n";
  for (const char* line : {R"(headers = { X-Key = "a\u000bb" })", R"(headers = { X-Key = "a\u007fb" })",
                           R"(headers = { X-Key = "a\u001bb" })",
                           R"(headers = { X-Key = "${JOBTRAWL_TEST_ESC}" })",
                           R"(headers = { X-Key = "${JOBTRAWL_TEST_DEL}" })", R"(headers = { X-Key = "a\u0000b" })",
                           R"(headers = { X-Key = "a\rb" })"}) {
    const std::string errors = Errors(head + line + "\n");
    EXPECT_THAT(errors, HasSubstr("header \"X-Key\" must not hold a line break or NUL")) << line;
    EXPECT_EQ(errors.find("more"), std::string::npos) << line;
  }
  // A tab inside is allowed (RFC 9110 §5.5), and UTF-8 text (obs-text).
  auto ok = Parse(head + R"(headers = { X-Tab = "${JOBTRAWL_TEST_TAB}", X-Name = "Zoë" })" + "\n");
  ASSERT_TRUE(ok.has_value()) << ok.error().front().ToString();
  std::map<std::string, std::string> headers(ok->sources[0].headers.begin(), ok->sources[0].headers.end());
  EXPECT_EQ(headers["X-Tab"], "a\tb");
  EXPECT_EQ(headers["X-Name"], "Zoë");
  // A value no server takes (8 KiB is the common request-header limit) is
  // refused at load time, with its size and not its text.
  ::setenv("JOBTRAWL_TEST_HUGE", std::string(100000, 'k').c_str(), 1);
  EXPECT_THAT(Errors(head + R"(headers = { X-Key = "${JOBTRAWL_TEST_HUGE}" })" + "\n"),
              HasSubstr("header \"X-Key\" is 100000 bytes long, more than 8192"));
  ::unsetenv("JOBTRAWL_TEST_HUGE");
}

TEST(ConfigTest, ErrorsQuotingTheFileStayOnOneLine) {
  // A header name (or a source name) with a line break or a terminal
  // escape was repeated raw in check-config's output and the daemon's log
  // (a forged "X-Injected" line); it is shown as \xHH.
  const std::string head = "[[source]]\nname = \"s\"\nstart = \"https://a.example/\"\n";
  const std::string errors = Errors(head + R"(headers = { "X\nX-Injected: 1" = "v", "A\u001b[2J" = "v" })" + "\n");
  EXPECT_THAT(errors, HasSubstr(R"("X\x0AX-Injected: 1" is not a header name)"));
  EXPECT_THAT(errors, HasSubstr(R"("A\x1B[2J" is not a header name)"));
  EXPECT_EQ(std::count(errors.begin(), errors.end(), '\n'), 2) << errors;
  EXPECT_EQ(errors.find('\x1b'), std::string::npos);
  const std::string named = Errors("[[source]]\nname = \"a\\nb\\u007f\"\nkind = \"nonesuch\"\n");
  EXPECT_THAT(named, HasSubstr(R"([[source]] "a\x0Ab\x7F" is missing required key "start")"));
  EXPECT_EQ(std::count(named.begin(), named.end(), '\n'), 2) << named;  // that, and the unknown kind
}

TEST(ConfigTest, SourceHeaderDollarDollarBraceIsALiteralDollarBrace) {
  // "$${" writes "${" (as in Compose files), so a value may hold "${"
  // itself; every other "$" stays as written.
  ::setenv("JOBTRAWL_TEST_KEY2", "k2", 1);
  const std::string head = "[[source]]\nname = \"s\"\nstart = \"https://a.example/\"\n";
  auto c = Parse(head + R"(headers = { X-A = "$${NOT_EXPANDED}", X-B = "$${A}${JOBTRAWL_TEST_KEY2}", X-C = "a$$b$", X-D = "$${" })" + "\n");
  ASSERT_TRUE(c.has_value()) << c.error().front().ToString();
  std::map<std::string, std::string> headers(c->sources[0].headers.begin(), c->sources[0].headers.end());
  EXPECT_EQ(headers["X-A"], "${NOT_EXPANDED}");
  EXPECT_EQ(headers["X-B"], "${A}k2");
  EXPECT_EQ(headers["X-C"], "a$$b$");
  EXPECT_EQ(headers["X-D"], "${");
  // Empty, nested and unterminated references are errors.
  for (const char* line : {R"(headers = { X-Key = "${}" })", R"(headers = { X-Key = "${A${B}}" })",
                           R"(headers = { X-Key = "${" })", R"(headers = { X-Key = "x${A-B}" })"}) {
    EXPECT_THAT(Errors(head + line + "\n"), HasSubstr("must open an environment variable reference")) << line;
  }
}

TEST(ConfigTest, SourceHeadersRefuseEveryFieldTheFetcherOrTheCacheOwns) {
  // Range and the other conditional fields would make the HTTP cache store
  // a part, or a 412, as the page; Trailer, Proxy-* and HTTP2-Settings
  // belong to the connection (RFC 9110 §7.6.1, §13.1; RFC 9113 §3.2.1).
  for (std::string_view name : {"Range", "If-Range", "If-Match", "If-Unmodified-Since", "Trailer",
                                "Proxy-Connection", "Proxy-Authorization", "HTTP2-Settings", "range"}) {
    EXPECT_TRUE(ForbiddenHeader(name)) << name;
  }
  for (std::string_view name : {"Authorization-Key", "User-Agent", "Authorization", "Accept", "Accept-Language",
                                "Cookie", "X-Api-Key"}) {
    EXPECT_FALSE(ForbiddenHeader(name)) << name;
  }
  EXPECT_THAT(Errors("[[source]]\nname = \"s\"\nstart = \"https://a.example/\"\nheaders = { Range = \"bytes=0-9\" }\n"),
              HasSubstr("header \"Range\" is set by the fetcher"));
}

TEST(ConfigTest, BoardTokensGiveTheStartUrl) {
  auto c = Parse(R"([[source]]
name = "gh"
kind = "greenhouse"
board = "acme"
company = "Acme"

[[source]]
name = "ok"
kind = "remoteok"

[[source]]
name = "mirror"
kind = "lever"
start = "https://127.0.0.1:8080/v0/postings/acme?mode=json"

[[source]]
name = "wwr"
kind = "rss"
start = "https://weworkremotely.com/remote-jobs.rss"
company_in_title = true
)");
  ASSERT_TRUE(c.has_value()) << c.error().front().ToString();
  EXPECT_THAT(c->sources[0].start, ::testing::ElementsAre("https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true"));
  EXPECT_EQ(c->sources[0].company, "Acme");
  EXPECT_THAT(c->sources[1].start, ::testing::ElementsAre("https://remoteok.com/api"));
  EXPECT_THAT(c->sources[2].start, ::testing::ElementsAre("https://127.0.0.1:8080/v0/postings/acme?mode=json"));
  EXPECT_TRUE(c->sources[3].company_in_title);
}

TEST(ConfigTest, WorkdayBoardGivesTheSearchUrlAndItsPostBody) {
  // Workday's CXS jobs search is a POST: the source carries the body its start URLs are sent with.
  auto c = Parse(R"([[source]]
name = "acme"
kind = "workday"
board = "acme.wd5.myworkdayjobs.com/External"

[[source]]
name = "gh"
kind = "greenhouse"
board = "acme"
)");
  ASSERT_TRUE(c.has_value()) << c.error().front().ToString();
  EXPECT_THAT(c->sources[0].start,
              ::testing::ElementsAre("https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/jobs"));
  ASSERT_TRUE(c->sources[0].start_post);
  EXPECT_EQ(c->sources[0].start_post->content_type, "application/json");
  EXPECT_EQ(c->sources[0].start_post->data, R"({"appliedFacets":{},"limit":20,"offset":0,"searchText":""})");
  EXPECT_FALSE(c->sources[1].start_post);
}

TEST(ConfigTest, ShippedDefaultConfigIsValid) {
  // The quick start crawls config/jobtrawl.toml; it must always load.
  auto c = LoadConfig(JOBTRAWL_SOURCE_DIR "/config/jobtrawl.toml");
  ASSERT_TRUE(c.has_value()) << c.error().front().ToString();
  ASSERT_FALSE(c->sources.empty());
  EXPECT_TRUE(c->sources[0].start[0].starts_with("file://"));
}

}  // namespace
}  // namespace jobtrawl::config

namespace jobtrawl::config {
namespace {

TEST(ConfigTest, MetricsListenIsAnIpAndPortOrAnErrorAtItsPlace) {
  EXPECT_EQ(ParseConfig("", "m.toml", "/").value().metrics.listen, "");  // off by default
  for (const char* ok : {"127.0.0.1:9464", "[::1]:9464", "0.0.0.0:0"}) {
    auto c = ParseConfig(std::string("[metrics]\nlisten = \"") + ok + "\"\n", "m.toml", "/");
    ASSERT_TRUE(c.has_value()) << ok;
    EXPECT_EQ(c->metrics.listen, ok);
  }
  for (const char* bad : {"localhost:9464", "127.0.0.1", "127.0.0.1:65536", "::1:9464", "[::1]:", "1.2.3:80"}) {
    auto c = ParseConfig(std::string("[metrics]\nlisten = \"") + bad + "\"\n", "m.toml", "/");
    ASSERT_FALSE(c.has_value()) << bad;
    EXPECT_EQ(c.error()[0].ToString(),
              "m.toml:2:10: [metrics] listen must be IP:PORT such as \"127.0.0.1:9464\" or \"[::1]:9464\"")
        << bad;
  }
  auto unknown = ParseConfig("[metrics]\nport = 9464\n", "m.toml", "/");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error()[0].message.find("unknown key \"port\" in [metrics]"), std::string::npos);
}

}  // namespace
}  // namespace jobtrawl::config
