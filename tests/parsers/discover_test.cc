#include "parsers/discover.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/corpus.h"

namespace jobtrawl::parsers {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

struct Embed {
  const char* page;  // a snippet of a careers page
  const char* system;
  const char* kind;
  const char* board;
};

// One snippet per way a careers page shows its system: links, iframes, embed
// scripts, API calls in inline scripts, JSON with escaped slashes.
const Embed kEmbeds[] = {
    {R"(<div id="grnhse_app"></div><script src="https://boards.greenhouse.io/embed/job_board/js?for=acme"></script>)",
     "Greenhouse", "greenhouse", "acme"},
    {R"(<iframe src="https://job-boards.greenhouse.io/embed/job_board?for=acme&amp;b=https%3A%2F%2Facme.example"></iframe>)",
     "Greenhouse", "greenhouse", "acme"},
    {R"(<a href="https://boards.greenhouse.io/acme/jobs/4012345">Engineer</a>)", "Greenhouse", "greenhouse", "acme"},
    {R"(<a href="https://job-boards.eu.greenhouse.io/acme-eu">Jobs</a>)", "Greenhouse", "greenhouse", "acme-eu"},
    {R"(<script>fetch("https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true")</script>)",
     "Greenhouse", "greenhouse", "acme"},
    {R"(<a href="https://jobs.lever.co/acme/4f2b-11">Apply</a>)", "Lever", "lever", "acme"},
    {R"(<script>$.get('https://api.lever.co/v0/postings/acme?mode=json')</script>)", "Lever", "lever", "acme"},
    {R"(<script src="https://jobs.ashbyhq.com/acme/embed?version=2"></script>)", "Ashby", "ashby", "acme"},
    {R"({"url":"https:\/\/api.ashbyhq.com\/posting-api\/job-board\/acme"})", "Ashby", "ashby", "acme"},
    {R"(<a href="https://apply.workable.com/acme/j/ABC123/">Role</a>)", "Workable", "workable", "acme"},
    {R"(<script>fetch("https://apply.workable.com/api/v3/accounts/acme/jobs", {method: "POST"})</script>)",
     "Workable", "workable", "acme"},
    {R"(<a href="https://acme.workable.com/">Careers</a>)", "Workable", "workable", "acme"},
    {R"(<a href="https://jobs.smartrecruiters.com/Acme1/7440001-engineer">Role</a>)", "SmartRecruiters",
     "smartrecruiters", "Acme1"},
    {R"(<script>var u = "https://api.smartrecruiters.com/v1/companies/acme/postings";</script>)",
     "SmartRecruiters", "smartrecruiters", "acme"},
    {R"(<a href="https://acme.recruitee.com/o/engineer">Role</a>)", "Recruitee", "recruitee", "acme"},
    {R"(<a href="https://acme.wd5.myworkdayjobs.com/en-US/External/job/Berlin/Engineer_R-123">Role</a>)",
     "Workday", "workday", "acme.wd5.myworkdayjobs.com/External"},
    {R"(<a href="https://acme.wd1.myworkdayjobs.com/Careers">Jobs</a>)", "Workday", "workday",
     "acme.wd1.myworkdayjobs.com/Careers"},
    {R"(<script>fetch("https://acme.wd3.myworkdayjobs.com/wday/cxs/acme/Ext/jobs", {method:"POST"})</script>)",
     "Workday", "workday", "acme.wd3.myworkdayjobs.com/Ext"},
    {R"(<a href="https://wd3.myworkdaysite.com/recruiting/acme/Jobs">Jobs</a>)", "Workday", "workday",
     "acme.wd3.myworkdayjobs.com/Jobs"},
    {R"(<a href="https://acme.jobs.personio.de/job/12345">Role</a>)", "Personio", "personio", "acme"},
    {R"(<a href="https://acme-gmbh.jobs.personio.com/">Jobs</a>)", "Personio", "personio", "acme-gmbh"},
    {R"(<a href="https://acme.teamtailor.com/jobs/123-engineer">Role</a>)", "Teamtailor", "teamtailor", "acme"},
    {R"(<script src="https://acme.bamboohr.com/js/embed.js" type="text/javascript"></script>)", "BambooHR",
     "bamboohr", "acme"},
    {R"(<a href="https://acme.breezy.hr/p/1a2b3c-engineer">Role</a>)", "Breezy HR", "breezy", "acme"},
    {R"(<a href="https://ats.rippling.com/acme/jobs/8f1e">Role</a>)", "Rippling", "rippling", "acme"},
    {R"(<script>fetch('https://api.rippling.com/platform/api/ats/v1/board/acme-inc/jobs')</script>)", "Rippling",
     "rippling", "acme-inc"},
    {R"(<a href="https://jobs.jobvite.com/acme/job/oAbC1">Role</a>)", "Jobvite", "jobvite", "acme"},
    {R"(<iframe src="https://careers-acme.icims.com/jobs/search?in_iframe=1"></iframe>)", "iCIMS", "icims",
     "careers-acme"},
    {R"(<a href="https://recruiting.paylocity.com/Recruiting/Jobs/All/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab">Jobs</a>)",
     "Paylocity", "", "0f1e2d3c-aaaa-bbbb-cccc-1234567890ab"},
    {R"(<script src="//cdn.phenompeople.com/CareerConnectResources/ACME/js/app.js"></script>)", "Phenom", "", ""},
    {R"(<a href="https://acme.taleo.net/careersection/2/jobsearch.ftl">Jobs</a>)", "Taleo", "", "acme"},
    {R"(<a href="https://acme.applytojob.com/apply/xyz">Role</a>)", "JazzHR", "", "acme"},
};

TEST(FindBoardsTest, RecognisesEverySystemAndItsBoardToken) {
  for (const Embed& e : kEmbeds) {
    SCOPED_TRACE(e.page);
    auto found = FindBoards("https://careers.example.com/", e.page);
    ASSERT_FALSE(found.empty());
    EXPECT_EQ(found[0].system, e.system);
    EXPECT_EQ(found[0].kind, e.kind);
    EXPECT_EQ(found[0].board, e.board);
    EXPECT_GE(found[0].count, 1);
  }
}

TEST(FindBoardsTest, ThePageItselfCounts) {
  auto found = FindBoards("https://jobs.lever.co/acme", "<html><body>Jobs</body></html>");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, "lever");
  EXPECT_EQ(found[0].board, "acme");
  EXPECT_EQ(found[0].count, 10);
}

TEST(FindBoardsTest, EscapedUrlsInScriptsAndJsonAreRead) {
  const char* pages[] = {
      R"({"apply":"https:\/\/boards.greenhouse.io\/acme\/jobs\/1"})",
      R"({"apply":"https:\u002F\u002Fboards.greenhouse.io\u002Facme\u002Fjobs\u002F1"})",
      R"({\"apply\":\"https:\\\/\\\/boards.greenhouse.io\\\/acme\"})",
      R"(<a href="https://boards.greenhouse.io/embed/job_board?b=1&amp;for=acme">x</a>)",
      R"(<a href="https://boards.greenhouse.io/embed/job_board?b=1\u0026for=acme">x</a>)",
  };
  for (const char* page : pages) {
    SCOPED_TRACE(page);
    auto found = FindBoards("file:///tmp/page.html", page);
    ASSERT_FALSE(found.empty());
    EXPECT_EQ(found[0].board, "acme");
  }
}

TEST(FindBoardsTest, AssetsAndLookalikeHostsGiveNoToken) {
  auto found = FindBoards("https://careers.example.com/",
                          R"(<link href="https://boards.greenhouse.io/assets/app.css">
                             <a href="https://notgreenhouse.io/acme">x</a>
                             <a href="https://www.lever.co/">Lever</a>
                             <img src="https://jobs.lever.co/favicon.ico">)");
  EXPECT_THAT(found, ::testing::Each(Field(&BoardSighting::board, IsEmpty())));
  EXPECT_THAT(found, ::testing::Not(::testing::Contains(Field(&BoardSighting::system, "")))) ;
}

TEST(FindBoardsTest, ASystemWithATokenComesFirstAndCollectsItsTokenlessMentions) {
  auto found = FindBoards("https://careers.example.com/",
                          R"(<script src="https://cdn.phenompeople.com/a.js"></script>
                             <script src="https://cdn.phenompeople.com/b.js"></script>
                             <link href="https://boards.greenhouse.io/assets/app.css">
                             <a href="https://boards.greenhouse.io/acme/jobs/1">x</a>
                             <a href="https://boards.greenhouse.io/acme/jobs/2">x</a>
                             <a href="https://boards.greenhouse.io/other/jobs/3">x</a>)");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].board, "acme");
  EXPECT_EQ(found[0].count, 3);  // two links and the token-less asset
  EXPECT_EQ(found[1].board, "other");
  EXPECT_EQ(found[2].system, "Phenom");
}

TEST(FindBoardsTest, HostileInputStaysQuietAndLinear) {
  std::string page;
  for (int i = 0; i < 200000; ++i) page += "//\\\\u00&amp;";
  page += "https://boards.greenhouse.io/" + std::string(5000, 'a');
  EXPECT_NO_THROW(FindBoards("https://x.example/", page));
  EXPECT_TRUE(FindBoards("not a url", "").empty());
  EXPECT_TRUE(FindBoards("", "https://").empty());
}

TEST(FindFeedLinksTest, AlternateLinksAndFeedAnchors) {
  auto feeds = FindFeedLinks("https://example.com/careers/",
                             R"(<head><link rel="alternate" type="application/rss+xml" title=" Jobs " href="/jobs.rss">
                                <link rel="alternate" type="application/atom+xml" href="https://example.com/atom.xml">
                                <link rel="stylesheet" href="/x.css"></head>
                                <body><a href="feed/">Feed</a><a href="/jobs.rss">again</a><a href="/about">About</a></body>)");
  EXPECT_THAT(feeds, ElementsAre(Field(&FeedLink::url, "https://example.com/jobs.rss"),
                                 Field(&FeedLink::url, "https://example.com/atom.xml"),
                                 Field(&FeedLink::url, "https://example.com/careers/feed/")));
  EXPECT_EQ(feeds[0].title, "Jobs");
}

TEST(FindDetailLinksTest, TheLargestGroupOfJobLinks) {
  auto links = FindDetailLinks("https://example.com/careers",
                               R"(<a href="/about">About</a><a href="/contact">Contact</a><a href="/blog">Blog</a>
                                  <a href="/careers/jobs/101-engineer">A</a><a href="/careers/jobs/102-designer#top">B</a>
                                  <a href="/careers/jobs/103-nurse?ref=list">C</a><a href="/careers/jobs/101-engineer">A again</a>
                                  <a href="https://other.example/careers/jobs/1">off site</a>)");
  ASSERT_TRUE(links);
  EXPECT_THAT(links->urls, ElementsAre("https://example.com/careers/jobs/101-engineer",
                                       "https://example.com/careers/jobs/102-designer",
                                       "https://example.com/careers/jobs/103-nurse?ref=list"));
  EXPECT_EQ(links->pattern, R"(^https\:\/\/example\.com\/careers\/jobs\/[^/?#]+/?(?:[?#]|$))");
  EXPECT_FALSE(FindDetailLinks("https://example.com/", R"(<a href="/about">About</a><a href="/contact">C</a>)"));
}

constexpr const char* kListing = R"(<html><body>
<ul class="nav"><li><a href="/">Home</a></li><li><a href="/about">About</a></li><li><a href="/x">X</a></li></ul>
<div class="results">
  <div class="job-row"><a class="job-title" href="/jobs/1">Senior Backend Engineer</a>
    <span class="job-company">Acme GmbH</span><span class="job-location">Berlin, Germany</span>
    <time datetime="2026-11-20">20 Nov</time></div>
  <div class="job-row"><a class="job-title" href="/jobs/2">Staff Nurse, Night Shifts</a>
    <span class="job-company">City Hospital</span><span class="job-location">Leeds, UK</span>
    <time datetime="2026-11-21">21 Nov</time></div>
  <div class="job-row"><a class="job-title" href="/jobs/3">Primary School Teacher</a>
    <span class="job-company">Oak School</span><span class="job-location">York, UK</span>
    <time datetime="2026-11-22">22 Nov</time></div>
  <div class="job-row featured"><a class="job-title" href="/jobs/4">Data Analyst</a>
    <span class="job-company">Numbers Ltd</span><span class="job-location">Remote</span></div>
</div></body></html>)";

TEST(GuessListingTest, RepeatedRowsWithLinksBecomeItemAndFields) {
  auto guess = GuessListing("https://example.com/jobs", kListing);
  ASSERT_TRUE(guess);
  EXPECT_EQ(guess->item, "div.job-row");
  EXPECT_EQ(guess->rows, 4);  // "job-row featured" is a row too
  std::map<std::string, std::string> fields;
  for (const auto& f : guess->fields) fields[f.field] = f.selectors.at(0);
  EXPECT_EQ(fields["title"], "a.job-title");
  EXPECT_EQ(fields["company"], "span.job-company");
  EXPECT_EQ(fields["location"], "span.job-location");
  EXPECT_EQ(fields["date_posted"], "time@datetime");
}

TEST(GuessListingTest, MenusAndTooFewRowsAreNoListing) {
  EXPECT_FALSE(GuessListing("https://example.com/",
                            R"(<ul class="nav"><li><a href="/">Home</a></li><li><a href="/a">About</a></li>
                               <li><a href="/c">Contact</a></li><li><a href="/b">Blog</a></li></ul>)"));
  EXPECT_FALSE(GuessListing("https://example.com/", "<div><p>no links at all</p><p>x</p><p>y</p></div>"));
  EXPECT_FALSE(GuessListing("https://example.com/", ""));
}

TEST(SiteNameTest, OpenGraphThenApplicationName) {
  EXPECT_EQ(SiteName(R"(<meta name="application-name" content="App"><meta property="og:site_name" content=" Acme ">)"),
            "Acme");
  EXPECT_EQ(SiteName(R"(<meta name="application-name" content="App">)"), "App");
  EXPECT_EQ(SiteName("<title>x</title>"), "");
}

// Every corpus page whose system can be seen is recognised, with its token
// where the page shows one; pages of boards that are no ATS give none.
struct CorpusCase {
  const char* path;
  const char* system;  // "" : none expected
  const char* board;
};

TEST(FindBoardsCorpusTest, EveryPageWhoseSystemIsVisible) {
  const CorpusCase cases[] = {
      {"listing/greenhouse-job-boards-mirador-therapeutics.html", "Greenhouse", "miradortherapeuticsinc"},
      {"listing/lever-jobs-janux-therapeutics.html", "Lever", "januxrx"},
      {"listing/paylocity-recruiting-anaptysbio.html", "Paylocity", ""},
      {"listing/phenom-careers-lilly-search.html", "Phenom", ""},
      {"jsonld/wttj-otta-jsonld-snippet-monzo-greenhouse-product-marketing-lead.html", "Greenhouse", "monzo"},
      {"jsonld/wttj-otta-jsonld-snippet-salesforce-workday-smts.html", "Workday",
       "salesforce.wd12.myworkdayjobs.com/External_Career_Site"},
      {"jsonld/indeed-au-viewjob-senior-devops-papercut.html", "SmartRecruiters", "PaperCutSoftware"},
      {"listing/djinni-jobs-listing-fragment-2items.html", "", ""},
      {"listing/indeed-com-serp-software-engineer-2023-09.html", "", ""},
      {"listing/jobsinschoolsnortheast-search-results-page1.html", "", ""},
      {"listing/linkedin-guest-jobs-search-results-fragment-10cards.html", "", ""},
      {"listing/remoteok-listing-rows-fragment-2022-09.html", "", ""},
      {"plain/seek-au-job-senior-platform-engineer-93856863.html", "", ""},
      {"plain/workinstartups-adzuna-detail-attio-product-engineer.html", "", ""},
  };
  for (const CorpusCase& c : cases) {
    SCOPED_TRACE(c.path);
    const std::string page = testing::ReadCorpus(c.path);
    if (page.empty()) GTEST_SKIP() << "corpus not present at " << JOBTRAWL_CORPUS_DIR;
    auto found = FindBoards("file:///corpus/page.html", page);
    if (std::string_view(c.system).empty()) {
      EXPECT_THAT(found, IsEmpty());
      continue;
    }
    ASSERT_FALSE(found.empty());
    EXPECT_EQ(found[0].system, c.system);
    if (std::string_view(c.board).empty()) {
      EXPECT_TRUE(found[0].board.empty() || found[0].kind.empty()) << found[0].board;
    } else {
      EXPECT_EQ(found[0].board, c.board);
    }
  }
}

TEST(GuessListingCorpusTest, ListingPagesGetAnItemSelectorForTheirRows) {
  const struct {
    const char* path;
    const char* item;
    int rows;
  } cases[] = {
      {"listing/jobsinschoolsnortheast-search-results-page1.html", "div.media", 5},
      {"listing/linkedin-guest-jobs-search-results-fragment-10cards.html", "body > li", 10},
      {"listing/indeed-com-serp-software-engineer-2023-09.html", "table.jobCard_mainContent", 15},
      {"listing/indeed-com-serp-usa-jobs-2024-prettified.html", "div.job_seen_beacon", 15},
      {"listing/lever-jobs-janux-therapeutics.html", "div.posting", 14},  // under 9 department groups
      {"listing/greenhouse-job-boards-mirador-therapeutics.html", "tr.job-post", 8},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path);
    const std::string page = testing::ReadCorpus(c.path);
    if (page.empty()) GTEST_SKIP() << "corpus not present at " << JOBTRAWL_CORPUS_DIR;
    auto guess = GuessListing("https://board.example/jobs", page);
    ASSERT_TRUE(guess);
    EXPECT_EQ(guess->item, c.item);
    EXPECT_EQ(guess->rows, c.rows);
    EXPECT_TRUE(std::any_of(guess->fields.begin(), guess->fields.end(),
                            [](const auto& f) { return f.field == "title"; }));
  }
}

}  // namespace
}  // namespace jobtrawl::parsers
