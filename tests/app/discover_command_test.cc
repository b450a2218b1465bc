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
  int Discover(DiscoverOptions o, std::string* out, std::string* err) {
    if (!o.config) o.config = config_;
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
