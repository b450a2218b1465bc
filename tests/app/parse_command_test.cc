// `jobtrawl parse`: a saved page is read as the crawl of its source would
// read it, and unreadable inputs exit 3 as the README says.
#include <sys/stat.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "app/commands.h"
#include "app/source_crawl.h"
#include "config/config.h"
#include "parsers/charset.h"
#include "parsers/extractor.h"
#include "support/child_process.h"

namespace jobtrawl::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::size_t Lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class ParseListingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("jobtrawl-parse-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    config_ = dir_ / "jobtrawl.toml";
    std::ofstream(config_) << "[storage]\ndatabase = \"jobs.db\"\n\n"
                              "[[source]]\nname = \"rows\"\nstart = [\"https://board.example/jobs\"]\n"
                              "item = \"article\"\n"
                              "fields = { title = \"h2\", location = \".where\", url = \"a@href\" }\n"
                              "follow = { detail = \"/jobs/[0-9]+$\", next = \"[?]page=[0-9]+\" }\n";
    page_ = dir_ / "listing.html";
    std::ofstream(page_) << "<html><body><h1>Open roles</h1>"
                            "<article><h2>Backend Engineer</h2><p class=where>Berlin</p><a href=\"/jobs/1\">more</a></article>"
                            "<article><h2>Data Analyst</h2><p class=where>Paris</p><a href=\"/jobs/2\">more</a></article>"
                            "<article><h2>Designer</h2><p class=where>Oslo</p><a href=\"/jobs/3\">more</a></article>"
                            "<a rel=next href=\"/jobs?page=2\">next</a></body></html>";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Parse(ParseOptions o, int* rc = nullptr) {
    o.config = config_;
    o.source = "rows";
    o.pretty = false;
    std::ostringstream out, err;
    int code = ParseCommand(o, out, err);
    if (rc != nullptr) *rc = code;
    EXPECT_EQ(code, kExitOk) << err.str();
    return out.str();
  }

  std::filesystem::path dir_, config_, page_;
};

TEST_F(ParseListingTest, ASourceWithItemReadsTheFileAsAListing) {
  // A source that reads postings from listing rows (`item`): `parse` prints
  // every row, as the crawl does, without --links.
  const std::string out = Parse({.file = page_});
  EXPECT_EQ(Lines(out), 3u) << out;
  EXPECT_THAT(out, HasSubstr(R"("title":"Backend Engineer")"));
  EXPECT_THAT(out, HasSubstr(R"("title":"Designer")"));
  EXPECT_THAT(out, Not(HasSubstr(R"("link")")));
  // At the start URL too, and with --links the page's links follow.
  EXPECT_EQ(Lines(Parse({.file = page_, .url = "https://board.example/jobs"})), 3u);
  const std::string links = Parse({.file = page_, .url = "https://board.example/jobs", .links = true});
  EXPECT_THAT(links, HasSubstr(R"({"link":"https://board.example/jobs/1","role":"detail"})"));
  EXPECT_THAT(links, HasSubstr(R"({"link":"https://board.example/jobs?page=2","role":"listing"})"));
}

TEST_F(ParseListingTest, PrintsExactlyWhatTheCrawlExtracts) {
  // The crawl reads its start URL as a listing with the source's options.
  auto config = config::LoadConfig(config_);
  ASSERT_TRUE(config.has_value());
  const config::SourceConfig* source = config->FindSource("rows");
  ASSERT_NE(source, nullptr);
  parsers::Extractor extractor(ExtractOptionsFor(*source));
  const std::string body = Slurp(page_);
  Extracted crawl = extractor.Extract("https://board.example/jobs", body, Link::Role::kListing);
  ASSERT_EQ(crawl.postings.size(), 3u);
  const std::string out = Parse({.file = page_, .url = "https://board.example/jobs", .raw = true});
  EXPECT_EQ(Lines(out), crawl.postings.size());
  for (const Posting& p : crawl.postings) {
    EXPECT_THAT(out, HasSubstr("\"url\":\"" + p.url + "\""));
    EXPECT_THAT(out, HasSubstr("\"title\":\"" + *p.title + "\""));
  }
}

TEST_F(ParseListingTest, AUrlTheDetailRuleNamesIsReadAsADetailPage) {
  // The follow rules decide as in the crawl: a detail URL is one posting page.
  const std::string out = Parse({.file = page_, .url = "https://board.example/jobs/7"});
  EXPECT_EQ(Lines(out), 1u) << out;
  EXPECT_THAT(out, HasSubstr(R"("title":"Backend Engineer")"));
  // A further listing page the next rule names is a listing.
  EXPECT_EQ(Lines(Parse({.file = page_, .url = "https://board.example/jobs?page=3"})), 3u);
}

TEST(ParseCommandListingTest, CorpusListingGivesEveryCard) {
  // config/examples/html-selectors.toml "linkedin-guest" on a saved page of 10 cards.
  const std::filesystem::path file =
      std::filesystem::path(JOBTRAWL_CORPUS_DIR) / "listing/linkedin-guest-jobs-search-results-fragment-10cards.html";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "corpus not present at " << JOBTRAWL_CORPUS_DIR;
  std::ostringstream out, err;
  ParseOptions options{.file = file,
                       .config = JOBTRAWL_SOURCE_DIR "/config/examples/html-selectors.toml",
                       .source = "linkedin-guest",
                       .pretty = false};
  ASSERT_EQ(ParseCommand(options, out, err), kExitOk) << err.str();
  EXPECT_EQ(Lines(out.str()), 10u) << out.str();
  EXPECT_THAT(err.str(), HasSubstr("10 postings"));
}

TEST(ParseCommandLinksTest, BoardApiNextPagesOnlyWithLinks) {
  // A SmartRecruiters page names the next page; that is a link, printed with --links only.
  auto file = std::filesystem::temp_directory_path() / ("jobtrawl-sr-" + std::to_string(::getpid()) + ".json");
  std::ofstream(file) << R"({"offset":0,"limit":1,"totalFound":3,"content":[{"id":"744000001","name":"Chemist",)"
                         R"("company":{"name":"Acme","identifier":"Acme"},"department":{"id":"7","label":"R&D"},)"
                         R"("location":{"city":"Lyon","country":"fr"}}]})";
  const std::string url = "https://api.smartrecruiters.com/v1/companies/Acme/postings?limit=1&offset=0";
  auto run = [&](bool links) {
    std::ostringstream out, err;
    ParseOptions o{.file = file, .url = url, .kind = "smartrecruiters", .links = links, .pretty = false};
    EXPECT_EQ(ParseCommand(o, out, err), kExitOk) << err.str();
    return out.str();
  };
  const std::string plain = run(false);
  EXPECT_EQ(Lines(plain), 1u) << plain;
  EXPECT_THAT(plain, Not(HasSubstr(R"("link")")));
  EXPECT_THAT(plain, HasSubstr(R"("external_id":"744000001","department":"R&D",)"));  // app/posting_json, schema v13
  const std::string with_links = run(true);
  EXPECT_EQ(Lines(with_links), 2u) << with_links;
  EXPECT_THAT(with_links, HasSubstr(R"("role":"listing")"));
  std::filesystem::remove(file);
}

// The exit code of `jobtrawl ARGS...` and what it wrote.
std::pair<int, std::string> RunJobtrawl(const std::vector<std::string>& args, const std::filesystem::path& log) {
  std::filesystem::remove(log);
  testing::ChildProcess child(args, log);
  std::optional<int> status = child.Wait(std::chrono::seconds(30));
  EXPECT_TRUE(status.has_value());
  const int code = status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
  return {code, Slurp(log)};
}

TEST(ParseCommandExitTest, UnreadableInputExitsThree) {
  // README "Exit codes": 3 when an input file cannot be opened: missing, a
  // directory, or not readable. The same for `select` and `robots`.
  const auto dir = std::filesystem::temp_directory_path() / ("jobtrawl-exit-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "folder");
  const auto log = dir / "log";
  const auto secret = dir / "secret.html";
  std::ofstream(secret) << "<h1>x</h1>";
  std::filesystem::permissions(secret, std::filesystem::perms::none);
  std::vector<std::pair<std::string, std::string>> inputs = {
      {(dir / "missing.html").string(), "No such file or directory"},
      {(dir / "folder").string(), "Is a directory"},
  };
  if (::access(secret.c_str(), R_OK) != 0) {
    inputs.emplace_back(secret.string(), "Permission denied");
  } else {
    std::cerr << "running with privileges that read any file: the permission case is not checked\n";
  }
  for (const auto& [path, why] : inputs) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"parse", path}, {"select", path, "h1"}, {"robots", path, "https://a.example/"}}) {
      auto [code, output] = RunJobtrawl(args, log);
      EXPECT_EQ(code, kExitRuntime) << args[0] << " " << path << ": " << output;
      EXPECT_THAT(output, HasSubstr("jobtrawl: cannot read " + path + ": " + why)) << args[0];
    }
  }
  // A readable file still exits 0.
  std::ofstream(dir / "ok.html") << "<h1>x</h1>";
  EXPECT_EQ(RunJobtrawl({"parse", (dir / "ok.html").string()}, log).first, kExitOk);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace jobtrawl::app
