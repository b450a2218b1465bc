// `jobtrawl discover`: a careers page served on 127.0.0.1 (or saved) becomes
// a [[source]] block that the config loader accepts, by each of the ways a
// page shows its jobs; --check crawls the proposal once.
#include "app/discover_command.h"

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "app/commands.h"
#include "config/config.h"
#include "crawler/fetcher.h"
#include "parsers/source_kind.h"
#include "support/corpus.h"
#include "support/test_server.h"

namespace jobtrawl::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using jobtrawl::testing::Reply;
using jobtrawl::testing::TestServer;

// The [[source]] block discover printed, loaded as the daemon would load it.
config::SourceConfig LoadBlock(const std::string& out) {
  const std::string block = out.substr(0, out.find("\n#"));
  auto config = config::ParseConfig(block, "<discover>", std::filesystem::temp_directory_path());
  if (!config) {
    for (const auto& e : config.error()) ADD_FAILURE() << e.ToString() << "\n" << block;
    return {};
  }
  EXPECT_EQ(config->sources.size(), 1u) << block;
  return config->sources.empty() ? config::SourceConfig{} : config->sources.front();
}

std::string JobPage(int i) {
  return "<html><head><script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
         "\"@type\":\"JobPosting\",\"title\":\"Engineer " + std::to_string(i) +
         "\",\"hiringOrganization\":{\"@type\":\"Organization\",\"name\":\"Acme\"},"
         "\"datePosted\":\"2026-11-20\",\"jobLocation\":{\"@type\":\"Place\",\"address\":"
         "{\"@type\":\"PostalAddress\",\"addressLocality\":\"Berlin\",\"addressCountry\":\"DE\"}},"
         "\"description\":\"<p>Build things " + std::to_string(i) + ".</p>\"}</script></head>"
         "<body><h1>Engineer " + std::to_string(i) + "</h1></body></html>";
}

class DiscoverTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crawler::GlobalInit(); }

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("jobtrawl-discover-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    config_ = dir_ / "jobtrawl.toml";
    // The board is on 127.0.0.1, which the address policy refuses unless told.
    std::ofstream(config_) << "[http]\nallow_private_networks = true\ndelay = \"0s\"\nretries = 0\n";
    server_.Fallback([](const std::string&) { return Reply{.status = 404, .body = "not here"}; });
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs discover while the server answers on its own thread.
  int Discover(DiscoverOptions o, std::string* out, std::string* err, bool default_config = false) {
    if (!o.config && !default_config) o.config = config_;
    auto work = boost::asio::make_work_guard(ioc_);
    std::thread serving([this] { ioc_.run(); });
    std::ostringstream o_out, o_err;
    int rc = -1;
    try {
      rc = DiscoverCommand(o, o_out, o_err);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "discover threw: " << e.what();
    }
    work.reset();
    ioc_.stop();
    serving.join();
    ioc_.restart();
    *out = o_out.str();
    *err = o_err.str();
    return rc;
  }

  boost::asio::io_context ioc_;
  TestServer server_{ioc_};
  std::filesystem::path dir_, config_;
};

TEST_F(DiscoverTest, AnEmbeddedBoardGivesItsKindAndToken) {
  server_.Route("/careers", {.body = "<html><head><meta property=\"og:site_name\" content=\"Acme Corp\"></head><body>"
                                     "<div id=grnhse_app></div><script src=\"https://boards.greenhouse.io/embed/"
                                     "job_board/js?for=acme\"></script></body></html>"});
  std::string out, err;
  ASSERT_EQ(Discover({.input = server_.Url("/careers")}, &out, &err), kExitOk) << err;
  EXPECT_THAT(err, HasSubstr("Greenhouse board \"acme\""));
  config::SourceConfig s = LoadBlock(out);
  EXPECT_EQ(s.name, "acme");
  EXPECT_EQ(s.kind, "greenhouse");
  EXPECT_EQ(s.board, "acme");
}

TEST_F(DiscoverTest, EveryBoardKindDiscoverPrintsLoads) {
  const char* embeds[] = {
      "https://boards.greenhouse.io/embed/job_board?for=acme", "https://jobs.lever.co/acme",
      "https://jobs.ashbyhq.com/acme", "https://apply.workable.com/acme/",
      "https://jobs.smartrecruiters.com/Acme", "https://acme.recruitee.com/",
      "https://acme.wd5.myworkdayjobs.com/en-US/External", "https://acme.jobs.personio.de/",
      "https://acme.breezy.hr/", "https://ats.rippling.com/acme/jobs", "https://acme.teamtailor.com/jobs",
  };
  for (const char* embed : embeds) {
    SCOPED_TRACE(embed);
    const auto page = dir_ / "careers.html";
    std::ofstream(page) << "<html><body><a href=\"" << embed << "\">Open roles</a></body></html>";
    std::string out, err;
    ASSERT_EQ(Discover({.input = page.string(), .url = "https://careers.example/"}, &out, &err), kExitOk) << err;
    EXPECT_THAT(err, Not(HasSubstr("no \""))) << "a kind this build lacks";
    config::SourceConfig s = LoadBlock(out);
    EXPECT_FALSE(s.start.empty());  // a board token gives the start URL
  }
}

TEST_F(DiscoverTest, DetailPagesWithJsonLdGiveAnHtmlSourceThatCheckCrawls) {
  server_.Route("/careers", {.body = "<html><body><a href=\"/about\">About</a>"
                                     "<a href=\"/careers/jobs/1\">Engineer 1</a>"
                                     "<a href=\"/careers/jobs/2\">Engineer 2</a>"
                                     "<a href=\"/careers/jobs/3\">Engineer 3</a></body></html>"});
  for (int i = 1; i <= 3; ++i) server_.Route("/careers/jobs/" + std::to_string(i), {.body = JobPage(i)});
  std::string out, err;
  ASSERT_EQ(Discover({.input = server_.Url("/careers"), .check = true}, &out, &err), kExitOk) << err;
  EXPECT_THAT(err, HasSubstr("JobPosting JSON-LD (3 of 3 checked)"));
  config::SourceConfig s = LoadBlock(out);
  EXPECT_EQ(s.kind, "html");
  EXPECT_EQ(s.start, std::vector<std::string>{server_.Url("/careers")});
  EXPECT_FALSE(s.follow.detail.empty());
  // --check stored the three postings.
  EXPECT_THAT(out, HasSubstr("# postings it would store"));
  for (int i = 1; i <= 3; ++i) EXPECT_THAT(out, HasSubstr("Engineer " + std::to_string(i) + " | Acme | Berlin"));
}

TEST_F(DiscoverTest, AnAnnouncedFeedGivesAnRssSource) {
  server_.Route("/jobs", {.body = "<html><head><link rel=\"alternate\" type=\"application/rss+xml\" "
                                  "title=\"Jobs\" href=\"/jobs.rss\"></head><body>Jobs</body></html>"});
  server_.Route("/jobs.rss",
                {.body = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Jobs</title>"
                         "<item><title>Nurse</title><link>https://board.example/j/1</link></item>"
                         "<item><title>Teacher</title><link>https://board.example/j/2</link></item>"
                         "</channel></rss>",
                 .headers = {{"Content-Type", "application/rss+xml"}}});
  std::string out, err;
  ASSERT_EQ(Discover({.input = server_.Url("/jobs"), .check = true}, &out, &err), kExitOk) << err;
  config::SourceConfig s = LoadBlock(out);
  EXPECT_EQ(s.kind, "rss");
  EXPECT_EQ(s.start, std::vector<std::string>{server_.Url("/jobs.rss")});
  EXPECT_THAT(out, HasSubstr("#   Nurse |"));
  EXPECT_THAT(out, HasSubstr("#   Teacher |"));
}

// Review of discover: every WordPress page announces the blog's feed and
// its comments' feed; neither is of jobs. A job board's feed says so in its
// URL or title (WP Job Manager: /jobs/feed/, ?feed=job_feed).
TEST_F(DiscoverTest, ABlogsFeedIsNotAJobFeed) {
  const std::string head =
      "<html><head><link rel=\"alternate\" type=\"application/rss+xml\" title=\"Acme &raquo; Feed\" href=\"/feed/\">"
      "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Acme &raquo; Comments Feed\" "
      "href=\"/comments/feed/\">";
  std::string rows;
  for (const char* t : {"Warehouse Operative", "Forklift Driver (nights)", "Shift Manager, Logistics"}) {
    rows += std::string("<article class=\"vacancy\"><h2 class=\"vacancy-title\"><a href=\"/vacancies/") + t[0] +
            "/\">" + t + "</a></h2><span class=\"vacancy-location\">Hull</span></article>";
  }
  server_.Route("/vacancies/", {.body = head + "</head><body><main>" + rows + "</main></body></html>"});
  std::string out, err;
  ASSERT_EQ(Discover({.input = server_.Url("/vacancies/")}, &out, &err), kExitOk) << err;
  config::SourceConfig s = LoadBlock(out);
  EXPECT_EQ(s.kind, "html") << out;
  EXPECT_EQ(s.item, "article.vacancy");

  // A feed that names jobs is still taken first.
  server_.Route("/jobs", {.body = head + "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Acme &raquo; "
                                         "Jobs Feed\" href=\"/?feed=job_feed\"></head><body><main>" + rows +
                                         "</main></body></html>"});
  ASSERT_EQ(Discover({.input = server_.Url("/jobs")}, &out, &err), kExitOk) << err;
  s = LoadBlock(out);
  EXPECT_EQ(s.kind, "rss");
  EXPECT_EQ(s.start, std::vector<std::string>{server_.Url("/?feed=job_feed")});
}

TEST_F(DiscoverTest, ASitemapNamedByRobotsTxt) {
  server_.Route("/", {.body = "<html><body><p>Welcome</p></body></html>"});
  server_.Route("/robots.txt", {.body = "User-agent: *\nAllow: /\nSitemap: " + server_.Url("/sitemap-pages.xml") +
                                        "\nSitemap: " + server_.Url("/sitemap-jobs.xml") + "\n",
                                .headers = {{"Content-Type", "text/plain"}}});
  std::string out, err;
  ASSERT_EQ(Discover({.input = server_.Url("/")}, &out, &err), kExitOk) << err;
  config::SourceConfig s = LoadBlock(out);
  EXPECT_EQ(s.kind, "sitemap");
  EXPECT_EQ(s.start, std::vector<std::string>{server_.Url("/sitemap-jobs.xml")});  // the jobs one first
}

// Review of discover: nearly every site's robots.txt names a sitemap of all
// its pages (blog, products); one that does not name jobs comes after the
// page's own rows, and when it is the last resort discover says what it is.
TEST_F(DiscoverTest, ASitesGeneralSitemapComesAfterTheListing) {
  server_.Route("/robots.txt", {.body = "User-agent: *\nAllow: /\nSitemap: " + server_.Url("/sitemap.xml") + "\n",
                                .headers = {{"Content-Type", "text/plain"}}});
  std::string rows;
  for (const char* t : {"Warehouse Operative", "Forklift Driver (nights)", "Shift Manager, Logistics"}) {
    rows += std::string("<article class=\"vacancy\"><h2 class=\"vacancy-title\"><a href=\"/vacancies/") + t[0] +
            "/\">" + t + "</a></h2><span class=\"vacancy-location\">Hull</span></article>";
  }
  server_.Route("/careers", {.body = "<html><body><main>" + rows + "</main></body></html>"});
  std::string out, err;
  ASSERT_EQ(Discover({.input = server_.Url("/careers")}, &out, &err), kExitOk) << err;
  config::SourceConfig s = LoadBlock(out);
  EXPECT_EQ(s.kind, "html") << out;
  EXPECT_EQ(s.item, "article.vacancy");

  server_.Route("/about", {.body = "<html><body><p>Welcome</p></body></html>"});
  ASSERT_EQ(Discover({.input = server_.Url("/about")}, &out, &err), kExitOk) << err;
  s = LoadBlock(out);
  EXPECT_EQ(s.kind, "sitemap");
  EXPECT_THAT(err, HasSubstr("does not say it is of jobs"));
}

TEST_F(DiscoverTest, ListingRowsGiveAnItemSourceThatCheckCrawls) {
  std::string rows;
  const char* titles[] = {"Backend Engineer", "Staff Nurse", "Primary Teacher", "Data Analyst"};
  for (int i = 0; i < 4; ++i) {
    rows += "<li class=\"opening\"><a class=\"opening-title\" href=\"/o/" + std::to_string(i) + "\">" + titles[i] +
            "</a><span class=\"opening-location\">Leeds, UK</span></li>";
  }
  server_.Route("/openings", {.body = "<html><body><ul class=\"menu\"><li><a href=\"/\">Home</a></li>"
                                      "<li><a href=\"/a\">About</a></li><li><a href=\"/c\">Contact</a></li></ul>"
                                      "<ul class=\"openings\">" + rows + "</ul></body></html>"});
  std::string out, err;
  ASSERT_EQ(Discover({.input = server_.Url("/openings"), .check = true}, &out, &err), kExitOk) << err;
  config::SourceConfig s = LoadBlock(out);
  EXPECT_EQ(s.kind, "html");
  EXPECT_EQ(s.item, "li.opening");
  for (const char* t : titles) EXPECT_THAT(out, HasSubstr(std::string("#   ") + t + " |"));
  EXPECT_THAT(out, HasSubstr("Leeds"));
}

// Review of discover: an aggregator's page links to many companies' boards;
// proposing the first of them would crawl one company it merely lists. Its
// own rows are what it is.
TEST_F(DiscoverTest, AnAggregatorPageIsNotTheFirstBoardItLinksTo) {
  std::string rows;
  for (const char* c : {"alpha", "beta", "gamma", "delta"}) {
    rows += std::string("<li class=\"job\"><a href=\"https://boards.greenhouse.io/") + c + "/jobs/1\">Senior Engineer at " +
            c + "</a><span class=\"location\">Remote, US</span></li>";
    rows += std::string("<li class=\"job\"><a href=\"https://jobs.lever.co/") + c + "x/abc\">Product Manager at " + c +
            "x</a><span class=\"location\">London</span></li>";
  }
  server_.Route("/jobs", {.body = "<html><body><h1>Portfolio jobs</h1><ul class=\"jobs\">" + rows + "</ul></body></html>"});
  std::string out, err;
  ASSERT_EQ(Discover({.input = server_.Url("/jobs")}, &out, &err), kExitOk) << err;
  EXPECT_THAT(err, HasSubstr("aggregator"));
  config::SourceConfig s = LoadBlock(out);
  EXPECT_EQ(s.kind, "html");
  EXPECT_EQ(s.item, "li.job");
}

// Lever's EU accounts answer on api.eu.lever.co; `board` alone would read
// api.lever.co, which does not know them.
TEST_F(DiscoverTest, ALeverEuBoardReadsTheEuApi) {
  server_.Route("/careers", {.body = "<html><body><a href=\"https://jobs.eu.lever.co/acme/4f2b\">Engineer</a>"
                                     "<a href=\"https://jobs.eu.lever.co/acme\">All jobs</a></body></html>"});
  std::string out, err;
  ASSERT_EQ(Discover({.input = server_.Url("/careers")}, &out, &err), kExitOk) << err;
  config::SourceConfig s = LoadBlock(out);
  EXPECT_EQ(s.kind, "lever");
  EXPECT_EQ(s.start, std::vector<std::string>{"https://api.eu.lever.co/v0/postings/acme?mode=json"});
}

TEST_F(DiscoverTest, FailuresSayWhyWithTheirExitCodes) {
  server_.Route("/empty", {.body = "<html><body><p>Nothing here.</p></body></html>"});
  std::string out, err;
  EXPECT_EQ(Discover({.input = server_.Url("/empty")}, &out, &err), kExitSourcesFailed);
  EXPECT_THAT(err, HasSubstr("found no way to read jobs"));
  EXPECT_TRUE(out.empty());

  EXPECT_EQ(Discover({.input = server_.Url("/missing")}, &out, &err), kExitRuntime);
  EXPECT_THAT(err, HasSubstr("HTTP 404"));

  EXPECT_EQ(Discover({.input = (dir_ / "no-such-file.html").string()}, &out, &err), kExitRuntime);
  EXPECT_THAT(err, HasSubstr("cannot read"));

  EXPECT_EQ(Discover({.input = "https://"}, &out, &err), kExitUsage);

  std::ofstream(dir_ / "bad.toml") << "[http]\ndelay = \"soon\"\n";
  EXPECT_EQ(Discover({.input = server_.Url("/empty"), .config = dir_ / "bad.toml"}, &out, &err), kExitUsage);
  EXPECT_THAT(err, HasSubstr("bad.toml:2:"));
}

TEST_F(DiscoverTest, TheAddressPolicyHoldsWithoutAConfigThatAllowsIt) {
  std::ofstream(dir_ / "plain.toml") << "";
  std::string out, err;
  EXPECT_EQ(Discover({.input = server_.Url("/careers"), .config = dir_ / "plain.toml"}, &out, &err), kExitRuntime);
  EXPECT_THAT(err, HasSubstr("forbidden_address"));
  EXPECT_EQ(server_.Hits("/careers"), 0);
}

// Review of discover: a saved page without --url gives a source that reads
// the saved file forever (start = file://..., allow_file = true); a
// newcomer who saved the page to try discover must be told how to name the
// live page.
TEST_F(DiscoverTest, ASavedPageWithoutItsAddressSaysToGiveIt) {
  std::string rows;
  for (const char* t : {"Warehouse Operative", "Forklift Driver (nights)", "Shift Manager, Logistics"}) {
    rows += std::string("<article class=\"vacancy\"><h2 class=\"vacancy-title\"><a href=\"/vacancies/") + t[0] +
            "/\">" + t + "</a></h2></article>";
  }
  const std::filesystem::path file = dir_ / "careers.html";
  std::ofstream(file) << "<html><body><main>" << rows << "</main></body></html>";
  std::string out, err;
  ASSERT_EQ(Discover({.input = file.string()}, &out, &err), kExitOk) << err;
  EXPECT_THAT(out, HasSubstr("allow_file = true"));
  EXPECT_THAT(err, HasSubstr("--url"));
  ASSERT_EQ(Discover({.input = file.string(), .url = "https://acme.example/careers"}, &out, &err), kExitOk) << err;
  EXPECT_THAT(err, Not(HasSubstr("--url")));
  EXPECT_EQ(LoadBlock(out).start, std::vector<std::string>{"https://acme.example/careers"});
}

// Review of discover: the README's `jobtrawl discover URL >> jobtrawl.toml`
// made the config unloadable ("duplicate source name") when a source of
// that name was in it already; the block takes a free name and says so.
TEST_F(DiscoverTest, ANameTheConfigHasAlreadyIsNotReused) {
  std::ofstream(config_, std::ios::app) << "[[source]]\nname = \"acme\"\nkind = \"lever\"\nboard = \"acme\"\n"
                                           "[[source]]\nname = \"acme-2\"\nkind = \"lever\"\nboard = \"acme2\"\n";
  server_.Route("/careers", {.body = "<a href=\"https://boards.greenhouse.io/acme\">Jobs</a>"});
  std::string out, err;
  ASSERT_EQ(Discover({.input = server_.Url("/careers")}, &out, &err), kExitOk) << err;
  EXPECT_EQ(LoadBlock(out).name, "acme-3");
  EXPECT_THAT(err, HasSubstr("\"acme\""));
  // Appended to the config, it loads.
  std::ofstream(config_, std::ios::app) << out;
  EXPECT_TRUE(config::LoadConfig(config_).has_value());
}

// Review of discover: --check crawls into a temporary database of its own,
// in $TMPDIR (it used /tmp whatever TMPDIR said), removed afterwards; the
// config's database and sources are left alone.
TEST_F(DiscoverTest, CheckUsesItsOwnTemporaryDatabaseInTmpdirAndLeavesTheConfigsAlone) {
  const std::filesystem::path tmp = dir_ / "tmp";
  std::filesystem::create_directories(tmp);
  std::ofstream(config_, std::ios::app) << "[storage]\ndatabase = \"" << (dir_ / "user.db").string() << "\"\n"
                                        << "[[source]]\nname = \"other\"\nkind = \"html\"\nstart = [\""
                                        << server_.Url("/other") << "\"]\n";
  std::string rows;
  for (const char* t : {"Warehouse Operative", "Forklift Driver (nights)", "Shift Manager, Logistics"}) {
    rows += std::string("<article class=\"vacancy\"><h2 class=\"vacancy-title\"><a href=\"/vacancies/") + t[0] +
            "/\">" + t + "</a></h2></article>";
  }
  int fetches = 0;
  bool temporary_seen = false;
  server_.Fallback([&](const std::string& target) {
    if (target != "/careers") return Reply{.status = 404, .body = "not here"};
    // The second fetch is the check crawl's, while its database exists.
    if (++fetches == 2) temporary_seen = !std::filesystem::is_empty(tmp);
    return Reply{.body = "<html><body><main>" + rows + "</main></body></html>"};
  });
  const char* old_tmpdir = std::getenv("TMPDIR");
  const std::string saved = old_tmpdir != nullptr ? old_tmpdir : "";
  ::setenv("TMPDIR", tmp.c_str(), 1);
  std::string out, err;
  const int rc = Discover({.input = server_.Url("/careers"), .check = true}, &out, &err);
  if (old_tmpdir != nullptr) {
    ::setenv("TMPDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  ASSERT_EQ(rc, kExitOk) << err;
  EXPECT_THAT(out, HasSubstr("#   Forklift Driver (nights) |"));
  EXPECT_EQ(fetches, 2);
  EXPECT_TRUE(temporary_seen);
  EXPECT_TRUE(std::filesystem::is_empty(tmp));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "user.db"));
  EXPECT_EQ(server_.Hits("/other"), 0);
}

// Review of discover: hostile servers end the command with exit 3 and the
// reason, and nothing is fetched that the policy forbids.
TEST_F(DiscoverTest, HostileServersEndWithExitThreeAndTheReason) {
  std::ofstream(dir_ / "fast.toml") << "[http]\nallow_private_networks = true\ndelay = \"0s\"\nretries = 0\n"
                                       "timeout = \"2s\"\n";
  const DiscoverOptions base{.config = dir_ / "fast.toml"};
  server_.Redirect("/to-file", "file:///etc/passwd");
  server_.Route("/error", {.status = 500, .body = "oops"});
  server_.Route("/stall", {.stall = true});
  const struct {
    const char* target;
    const char* reason;
  } cases[] = {
      {"/to-file", "forbidden_url"},
      {"/error", "HTTP 500"},
      {"/stall", "timeout"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.target);
    std::string out, err;
    DiscoverOptions o = base;
    o.input = server_.Url(c.target);
    EXPECT_EQ(Discover(o, &out, &err), kExitRuntime) << err;
    EXPECT_THAT(err, HasSubstr(c.reason));
    EXPECT_TRUE(out.empty()) << out;
  }
}

TEST_F(DiscoverTest, RobotsTxtThatDisallowsThePageIsObeyed) {
  server_.Route("/robots.txt", {.body = "User-agent: *\nDisallow: /careers\n", .headers = {{"Content-Type", "text/plain"}}});
  server_.Route("/careers", {.body = "<a href=\"https://boards.greenhouse.io/acme\">Jobs</a>"});
  std::string out, err;
  EXPECT_EQ(Discover({.input = server_.Url("/careers")}, &out, &err), kExitRuntime) << err;
  EXPECT_THAT(err, HasSubstr("robots"));
  EXPECT_EQ(server_.Hits("/careers"), 0);
}

// Binary, invalid UTF-8 and deeply nested pages: no crash, exit 1 with the reason.
TEST_F(DiscoverTest, BinaryAndMalformedPagesFindNothingQuietly) {
  std::string binary;
  for (int i = 0; i < 100000; ++i) binary += static_cast<char>((i * 7919) & 0xff);
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  const std::string pages[] = {binary, "\xff\xfe\xc3<html>\x80\x81<a href=\"/x\">\xed\xa0\x80</a>", deep};
  int n = 0;
  for (const std::string& page : pages) {
    const std::filesystem::path file = dir_ / ("page" + std::to_string(n++) + ".html");
    std::ofstream(file, std::ios::binary) << page;
    std::string out, err;
    EXPECT_EQ(Discover({.input = file.string()}, &out, &err), kExitSourcesFailed) << err;
    EXPECT_THAT(err, HasSubstr("found no way"));
  }
}

// Review of discover: without -c, discover fetched with built-in [http]
// settings, not those of the config every other command reads
// ($JOBTRAWL_CONFIG or the installed one): the operator's user_agent (how a
// site knows who crawls it) and address policy were ignored.
TEST_F(DiscoverTest, WithoutDashCTheDefaultConfigsHttpSettingsApply) {
  std::ofstream(dir_ / "env.toml") << "[http]\nallow_private_networks = true\ndelay = \"0s\"\nretries = 0\n"
                                      "user_agent = \"acme-bot/1.0 (+https://acme.example/bot)\"\n";
  ::setenv("JOBTRAWL_CONFIG", (dir_ / "env.toml").c_str(), 1);
  server_.Route("/careers", {.body = "<a href=\"https://boards.greenhouse.io/acme\">Jobs</a>"});
  std::string out, err;
  const int rc = Discover({.input = server_.Url("/careers")}, &out, &err, /*default_config=*/true);
  ::unsetenv("JOBTRAWL_CONFIG");
  ASSERT_EQ(rc, kExitOk) << err;
  ASSERT_EQ(server_.Hits("/careers"), 1);
  for (const auto& r : server_.requests()) {
    if (r.target == "/careers") {
      EXPECT_EQ(r.headers.at("user-agent"), "acme-bot/1.0 (+https://acme.example/bot)");
    }
  }
}

// Every corpus page whose system is visible gives a block the config loader
// accepts (for the kinds this build has).
TEST_F(DiscoverTest, CorpusPagesGiveBlocksThatLoad) {
  const char* pages[] = {
      "listing/greenhouse-job-boards-mirador-therapeutics.html",
      "listing/lever-jobs-janux-therapeutics.html",
      "jsonld/wttj-otta-jsonld-snippet-monzo-greenhouse-product-marketing-lead.html",
      "jsonld/wttj-otta-jsonld-snippet-salesforce-workday-smts.html",
      "jsonld/indeed-au-viewjob-senior-devops-papercut.html",
      "listing/linkedin-guest-jobs-search-results-fragment-10cards.html",
      "listing/jobsinschoolsnortheast-search-results-page1.html",
      "feed/weworkremotely-remote-jobs-all-2022-11.rss",
      "feed/recruityard-indeed-style-xml-feed-2025-10.xml",
  };
  for (const char* page : pages) {
    SCOPED_TRACE(page);
    const std::filesystem::path path = std::filesystem::path(JOBTRAWL_CORPUS_DIR) / page;
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "corpus not present at " << JOBTRAWL_CORPUS_DIR;
    std::string out, err;
    ASSERT_EQ(Discover({.input = path.string(), .url = "https://careers.example/jobs"}, &out, &err), kExitOk)
        << err;
    const std::string kind = out.substr(out.find("kind = \"") + 8);
    if (!parsers::SourceKindFromName(kind.substr(0, kind.find('"')))) continue;  // a kind this build lacks
    config::SourceConfig s = LoadBlock(out);
    EXPECT_FALSE(s.name.empty());
  }
}

}  // namespace
}  // namespace jobtrawl::app
