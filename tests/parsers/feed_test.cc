// Feeds and sitemaps: corpus feeds and fixtures after the RSS 2.0, Atom
// (RFC 4287), Indeed XML feed and sitemaps.org formats.
#include "parsers/feed.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "parsers/extractor.h"
#include "support/corpus.h"

namespace jobtrawl::parsers {
namespace {

using ::testing::HasSubstr;

#define REQUIRE_CORPUS(text) \
  if ((text).empty()) GTEST_SKIP() << "corpus not present at " << JOBTRAWL_CORPUS_DIR

Extracted Feed(std::string_view body, std::string_view url = "https://feeds.example/jobs.xml",
               FeedOptions options = {}) {
  Extracted out;
  ExtractFeed(url, body, options, out);
  return out;
}

TEST(FeedTest, WeWorkRemotelySplitsCompanyFromTitleAndUnescapesHtml) {
  std::string body = jobtrawl::testing::ReadCorpus("feed/weworkremotely-remote-jobs-all-2022-11.rss");
  REQUIRE_CORPUS(body);
  Extracted x = Feed(body, "file:///saved/remote-jobs.rss");  // known by the channel's link
  ASSERT_EQ(x.postings.size(), 100u);
  const Posting& p = x.postings[0];
  EXPECT_EQ(p.company, "G2i Inc.");
  EXPECT_EQ(p.title, "Fullstack Developer (React, React Native, Node.js) - Remote");
  EXPECT_EQ(p.location, "Americas Only");
  EXPECT_EQ(p.remote, "remote");
  EXPECT_EQ(p.employment_type, "CONTRACTOR");
  EXPECT_EQ(p.url, "https://weworkremotely.com/remote-jobs/g2i-inc-fullstack-developer-react-react-native-node-js-remote");
  ASSERT_TRUE(p.description);
  EXPECT_THAT(*p.description, HasSubstr("Headquarters: Delray Beach, FL"));
  EXPECT_EQ(p.description->find("&lt;"), std::string::npos);
  EXPECT_EQ(p.description->find('<'), std::string::npos);
}

TEST(FeedTest, IndeedStyleAndCareerjetFeedsAgree) {
  std::string indeed = jobtrawl::testing::ReadCorpus("feed/recruityard-indeed-style-xml-feed-2025-10.xml");
  std::string careerjet = jobtrawl::testing::ReadCorpus("feed/recruityard-careerjet-xml-feed-2025-10.xml");
  std::string rss = jobtrawl::testing::ReadCorpus("feed/recruityard-rss2-job-feed-2025-10.xml");
  REQUIRE_CORPUS(indeed);
  Extracted a = Feed(indeed), b = Feed(careerjet), c = Feed(rss);
  ASSERT_EQ(a.postings.size(), 88u);
  ASSERT_EQ(b.postings.size(), 88u);
  ASSERT_EQ(c.postings.size(), 88u);
  const Posting& p = a.postings[0];
  EXPECT_EQ(p.title, "Customer Support for Social Media with Dutch");
  EXPECT_EQ(p.company, "Recruityard");
  EXPECT_EQ(p.location, "Lisbon");
  EXPECT_EQ(p.country, "PT");
  EXPECT_EQ(p.external_id, "CC-0506-13");
  EXPECT_EQ(p.date_posted, "2025-06-17T00:00:00.000Z");  // as written: normalize/ reads dates
  EXPECT_EQ(p.remote, std::nullopt);  // " no "
  // <location><city/><region/><country/></location> in the careerjet shape.
  EXPECT_EQ(b.postings[0].location, "Lisbon, PT");
  EXPECT_EQ(b.postings[0].external_id, "CC-0506-13");
  for (const Extracted* x : {&a, &b, &c}) {
    EXPECT_EQ(x->postings[0].url, "https://recruityard.com/find-jobs-all/customer-support-for-social-media-with-dutch-in-lisbon-pt");
    EXPECT_THAT(x->postings[0].description.value_or(""), HasSubstr("What You Will Do:\n\n- - Provide support"));
  }
}

TEST(FeedTest, ExtensionsNestedInItemsAndCategoryDomains) {
  std::string ul = jobtrawl::testing::ReadCorpus("feed/current-vacancies-united-learning-rss.xml");
  std::string ark = jobtrawl::testing::ReadCorpus("feed/engageats-ark-careers-rss.xml");
  REQUIRE_CORPUS(ul);
  Extracted u = Feed(ul);
  ASSERT_EQ(u.postings.size(), 1u);
  EXPECT_EQ(u.postings[0].title, "Head of Geography");
  EXPECT_EQ(u.postings[0].external_id, "NTXTP751190");  // <a10:content><Vacancy><Vacancy_ID>
  EXPECT_EQ(u.postings[0].employment_type, "FULL_TIME");
  EXPECT_EQ(u.postings[0].date_posted, "2022-04-29T10:29:57Z");
  // The Ark feed has a mismatched end tag near its end: what came before it is kept.
  Extracted a = Feed(ark);
  EXPECT_EQ(a.broken_blocks, 1);
  ASSERT_EQ(a.postings.size(), 1u);
  EXPECT_EQ(a.postings[0].location, "London");  // <category domain="Location">
  EXPECT_EQ(a.postings[0].company, "Ark King Solomon Academy");
  EXPECT_EQ(a.postings[0].external_id, "Solomon-1143");
  EXPECT_EQ(a.postings[0].date_posted, "Tue, 09 Mar 2021 00:00:00 GMT");
}

TEST(FeedTest, AtomEntries) {
  Extracted x = Feed(R"(<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom"><title>Jobs</title>
      <entry><title type="text">Data Engineer</title>
        <link rel="self" href="https://jobs.example/api/1"/><link rel="alternate" href="/jobs/1"/>
        <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
        <updated>2024-03-01T09:30:00+01:00</updated>
        <author><name>Acme</name></author>
        <content type="html">&lt;p&gt;Pipelines &amp;amp; dashboards.&lt;/p&gt;</content></entry>
      <entry><summary>no title</summary></entry>
    </feed>)");
  ASSERT_EQ(x.postings.size(), 1u);
  EXPECT_EQ(x.skipped, 1);
  EXPECT_EQ(x.postings[0].url, "https://feeds.example/jobs/1");
  EXPECT_EQ(x.postings[0].date_posted, "2024-03-01T09:30:00+01:00");
  EXPECT_EQ(x.postings[0].description, "Pipelines & dashboards.");
}

// Atom links resolve against xml:base (RFC 4287 §2, XML Base §4.2): the
// feed's, an entry's own over it, and the link element's own, each
// resolved against the one above; without any, the feed's URL.
TEST(FeedTest, AtomLinksResolveAgainstXmlBase) {
  Extracted x = Feed(R"(<?xml version="1.0"?>
    <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://e.org/a/b/"><title>X</title>
      <entry><title>A</title><link href="jobs/1"/></entry>
      <entry xml:base="https://other.example/x/"><title>B</title><link href="jobs/2"/></entry>
      <entry xml:base="c/"><title>C</title><link xml:base="../d/" href="jobs/3"/></entry>
    </feed>)");
  ASSERT_EQ(x.postings.size(), 3u);
  EXPECT_EQ(x.postings[0].url, "https://e.org/a/b/jobs/1");
  EXPECT_EQ(x.postings[1].url, "https://other.example/x/jobs/2");
  EXPECT_EQ(x.postings[2].url, "https://e.org/a/b/d/jobs/3");
  Extracted plain = Feed(R"(<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title>
      <link href="jobs/1"/></entry></feed>)");
  ASSERT_EQ(plain.postings.size(), 1u);
  EXPECT_EQ(plain.postings[0].url, "https://feeds.example/jobs/1");
}

TEST(FeedTest, CompanyInTitleOnlyWhereAsked) {
  const std::string rss = R"(<rss version="2.0"><channel><link>https://board.example/</link>
      <item><title>Acme: Backend Engineer</title><link>https://board.example/1</link></item>
      <item><title>Plain title</title><link>https://board.example/2</link></item></channel></rss>)";
  Extracted off = Feed(rss);
  EXPECT_EQ(off.postings[0].title, "Acme: Backend Engineer");
  Extracted on = Feed(rss, "https://board.example/feed", {.company_in_title = true});
  EXPECT_EQ(on.postings[0].company, "Acme");
  EXPECT_EQ(on.postings[0].title, "Backend Engineer");
  EXPECT_EQ(on.postings[1].title, "Plain title");
  EXPECT_FALSE(on.postings[1].company);
}

TEST(FeedTest, DescriptionEscapedOneLevelDeeperKeepsItsText) {
  // Field case: an RSS description holding "&lt;![CDATA[...]]&gt;" (a CDATA
  // section escaped as text) is the description, not an empty comment.
  Extracted x = Feed(R"(<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
  <channel>
    <title>Example Careers</title>
    <link>https://careers.example.org/</link>
    <description>Open roles</description>
    <item>
      <title>Data Analyst</title>
      <link>https://careers.example.org/jobs/288</link>
      <description>&lt;![CDATA[Build dashboards in SQL and Python.]]&gt;</description>
      <pubDate>Fri, 27 Nov 2026 08:26:02 GMT</pubDate>
      <guid>https://careers.example.org/jobs/288</guid>
      <dc:creator>Example Careers</dc:creator>
    </item>
  </channel>
</rss>
)");
  ASSERT_EQ(x.postings.size(), 1u);
  EXPECT_EQ(x.postings[0].description, "Build dashboards in SQL and Python.");

  // The same kind in content:encoded, Atom content and summary, and titles.
  Extracted more = Feed(R"(<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
    <item><title>&lt;![CDATA[R&amp;amp;D Engineer]]&gt;</title><link>https://x.example/1</link>
      <content:encoded>&amp;lt;p&amp;gt;Own the &amp;lt;b&amp;gt;data&amp;lt;/b&amp;gt; platform.&amp;lt;/p&amp;gt;</content:encoded></item>
  </channel></rss>)");
  ASSERT_EQ(more.postings.size(), 1u);
  EXPECT_EQ(more.postings[0].title, "R&D Engineer");
  EXPECT_EQ(more.postings[0].description, "Own the data platform.");
  Extracted atom = Feed(R"(<feed xmlns="http://www.w3.org/2005/Atom">
    <entry><title type="html">Analyst</title><link href="https://x.example/2"/>
      <summary type="html">&lt;![CDATA[&lt;p&gt;Model &lt;i&gt;risk&lt;/i&gt;.&lt;/p&gt;]]&gt;</summary></entry>
    <entry><title>Tester</title><link href="https://x.example/3"/>
      <content type="html">&amp;lt;p&amp;gt;Test &amp;amp;amp; ship.&amp;lt;/p&amp;gt;</content></entry></feed>)");
  ASSERT_EQ(atom.postings.size(), 2u);
  EXPECT_EQ(atom.postings[0].description, "Model risk.");
  EXPECT_EQ(atom.postings[1].description, "Test & ship.");
}

TEST(FeedTest, EscapedMarkupInTitlesAndProseAboutTagsInDescriptions) {
  // Issue 11 review: an RSS title holding escaped markup is the title's
  // text (a title is never markup); a description whose HTML is text naming
  // an end tag in a sentence (escaped for the XML and for the HTML: no tag
  // of its own) is that sentence, not markup with its tags dropped.
  Extracted x = Feed(R"(<rss version="2.0"><channel>
    <item><title>&lt;b&gt;Data Analyst&lt;/b&gt;</title><link>https://x.example/1</link>
      <description>Know HTML: use the &amp;lt;div&amp;gt; and &amp;lt;/div&amp;gt; tags.</description></item>
    <item><title>Teacher of the &lt;canvas&gt; element</title><link>https://x.example/2</link>
      <description>&lt;p&gt;Use &lt;b&gt;SQL&lt;/b&gt;.&lt;/p&gt;</description></item>
  </channel></rss>)");
  ASSERT_EQ(x.postings.size(), 2u);
  EXPECT_EQ(x.postings[0].title, "Data Analyst");
  EXPECT_EQ(x.postings[0].description, "Know HTML: use the <div> and </div> tags.");
  EXPECT_EQ(x.postings[1].title, "Teacher of the <canvas> element");
  EXPECT_EQ(x.postings[1].description, "Use SQL.");
  // Atom's html titles alike.
  Extracted atom = Feed(R"(<feed xmlns="http://www.w3.org/2005/Atom"><entry>
    <title type="html">&lt;em&gt;Senior&lt;/em&gt; Engineer</title><link href="https://x.example/3"/></entry></feed>)");
  ASSERT_EQ(atom.postings.size(), 1u);
  EXPECT_EQ(atom.postings[0].title, "Senior Engineer");
}

TEST(FeedTest, NoEntityExpansionAndNoCrashOnGarbage) {
  // A billion-laughs DTD: pugixml does not expand declared entities.
  Extracted x = Feed(R"(<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">
      <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
      <rss><channel><item><title>&c;</title><link>https://x.example/1</link></item></channel></rss>)");
  for (const Posting& p : x.postings) EXPECT_LT(p.title.value_or("").size(), 100u);
  for (const char* junk : {"", "<", "not xml at all", "<rss><channel><item><title>T", "\xff\xfe<x/>",
                           "<?xml version='1.0'?><urlset>"}) {
    Extracted y = Feed(junk);
    Extracted z;
    ExtractSitemap("https://x.example/sitemap.xml", junk, z);
    (void)y;
  }
  Extracted truncated = Feed("<rss><channel><item><title>Kept</title></item><item><title>Cut");
  EXPECT_EQ(truncated.broken_blocks, 1);
  EXPECT_GE(truncated.postings.size(), 1u);
}

TEST(SitemapTest, UrlsetGivesDetailLinksWithLastmod) {
  Extracted x;
  ExtractSitemap("https://jobs.example/sitemap.xml", R"(<?xml version="1.0" encoding="UTF-8"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://jobs.example/jobs/1</loc><lastmod>2024-05-01</lastmod></url>
      <url><loc> https://jobs.example/jobs/2?utm_source=x </loc><lastmod>2024-05-02T10:00:00+02:00</lastmod></url>
      <url><loc>https://jobs.example/about</loc></url>
      <url><loc>javascript:alert(1)</loc></url>
      <url><loc>https://jobs.example/jobs/1</loc></url>
    </urlset>)", x);
  ASSERT_EQ(x.links.size(), 3u);
  EXPECT_EQ(x.links[0], (Link{"https://jobs.example/jobs/1", Link::Role::kDetail, "2024-05-01T00:00:00Z"}));
  EXPECT_EQ(x.links[1], (Link{"https://jobs.example/jobs/2", Link::Role::kDetail, "2024-05-02T08:00:00Z"}));
  EXPECT_EQ(x.links[2].lastmod, "");
  EXPECT_EQ(x.skipped, 1);

  // The extractor keeps the detail pattern's pages only.
  Extractor e({.kind = SourceKind::kSitemap, .detail_pattern = "/jobs/[0-9]+"});
  Extracted y = e.Extract("https://jobs.example/sitemap.xml",
                          "<urlset><url><loc>https://jobs.example/jobs/7</loc></url>"
                          "<url><loc>https://jobs.example/team</loc></url></urlset>",
                          Link::Role::kListing);
  ASSERT_EQ(y.links.size(), 1u);
  EXPECT_EQ(y.links[0].url, "https://jobs.example/jobs/7");
}

TEST(SitemapTest, LocsAndLastmodsGoThroughTheOneReaders) {
  // RFC 3986 §5.2.4: ".." above the root is dropped from a <loc>, as from
  // every URL the crawler resolves (field case 16's kind); a <lastmod> in
  // another date form still reads (model/date_time.h).
  Extracted x;
  ExtractSitemap("https://jobs.example/sitemap.xml", R"(<urlset>
      <url><loc>https://jobs.example/../jobs/1</loc><lastmod>Mon, 16 Nov 26 05:57:31 +0100</lastmod></url>
      <url><loc>/a/../../jobs/2</loc><lastmod>2024-05-02 10:00:00</lastmod></url>
    </urlset>)", x);
  ASSERT_EQ(x.links.size(), 2u);
  EXPECT_EQ(x.links[0], (Link{"https://jobs.example/jobs/1", Link::Role::kDetail, "2026-11-16T04:57:31Z"}));
  EXPECT_EQ(x.links[1], (Link{"https://jobs.example/jobs/2", Link::Role::kDetail, "2024-05-02T10:00:00Z"}));
}

TEST(SitemapTest, IndexGivesListingLinks) {
  Extracted x;
  ExtractSitemap("https://jobs.example/sitemap.xml", R"(<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://jobs.example/sitemap-jobs-1.xml</loc><lastmod>2024-01-01</lastmod></sitemap>
      <sitemap><loc>/sitemap-jobs-2.xml</loc></sitemap></sitemapindex>)", x);
  ASSERT_EQ(x.links.size(), 2u);
  EXPECT_EQ(x.links[0].role, Link::Role::kListing);
  EXPECT_EQ(x.links[1].url, "https://jobs.example/sitemap-jobs-2.xml");
}

TEST(FeedTest, RemoteFieldReadsAWorkplaceValueAsTheBoardReadersDo) {
  // A job feed's remote field holds a flag or a workplace value; only
  // "remote", "fully remote" and "hybrid" were read, so "On-site / Remote",
  // "Hybrid (3 days)" and "onsite" gave nothing (BoardFieldsTest.
  // AChoiceOfWorkplacesIsTheMostRemoteOfThem's rule, in feeds).
  struct Case {
    const char* value;
    std::optional<std::string> remote;
  };
  const Case kCases[] = {
      {"yes", "remote"},         {"True", "remote"},          {"no", std::nullopt},
      {"Fully Remote", "remote"}, {"hybrid", "hybrid"},        {"On-site / Remote", "remote"},
      {"Hybrid or Remote", "remote"}, {"Hybrid (3 days)", "hybrid"}, {"onsite", "onsite"},
  };
  for (const Case& c : kCases) {
    const std::string body = std::string(R"(<?xml version="1.0"?><rss version="2.0"><channel><title>J</title>
        <link>https://feeds.example/</link><item><title>T</title><link>https://feeds.example/1</link><remote>)") +
                             c.value + "</remote></item></channel></rss>";
    Extracted x = Feed(body);
    ASSERT_EQ(x.postings.size(), 1u) << c.value;
    EXPECT_EQ(x.postings[0].remote, c.remote) << c.value;
  }
}

TEST(FeedTest, ALessThanSignInADescriptionIsTextUnlessItIsATag) {
  // An RSS description is HTML (escaped once for the XML): "&lt;a few ms"
  // is "<a few ms" in it, which has no tag end, so it is text; it was read
  // as an <a> tag and the rest of the text lost. Real markup beside it is
  // still markup; a title naming a tag keeps it.
  Extracted x = Feed(R"(<rss version="2.0"><channel>
    <item><title>HTML Developer: &lt;div&gt;-based layouts</title><link>https://x.example/1</link>
      <description>Latency of &lt;a few ms is required.</description></item>
    <item><title>SRE</title><link>https://x.example/2</link>
      <description>&lt;p&gt;p99 &lt;a few ms&lt;/p&gt;&lt;p&gt;On call&lt;/p&gt;</description></item>
  </channel></rss>)");
  ASSERT_EQ(x.postings.size(), 2u);
  EXPECT_EQ(x.postings[0].title, "HTML Developer: <div>-based layouts");
  EXPECT_EQ(x.postings[0].description, "Latency of <a few ms is required.");
  EXPECT_EQ(x.postings[1].description, "p99 <a few ms\n\nOn call");
}

}  // namespace
}  // namespace jobtrawl::parsers
