// The board API readers added for issue 14: every posting of each corpus
// response with every field its API has, pagination to the end, and the
// documented shapes of kinds without a corpus response.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "model/url.h"
#include "parsers/board_api.h"
#include "parsers/source_kind.h"
#include "support/corpus.h"

namespace jobtrawl::parsers {
namespace {

using ::testing::HasSubstr;

Extracted Read(SourceKind kind, std::string_view body, std::string_view url, const PostBody* post = nullptr) {
  Extracted out;
  ExtractBoardApi(kind, url, body, out, nullptr, post);
  return out;
}

// The JSON a JavaScript test module wraps: "exports.input=<json>" up to the
// next "exports." (as remotebear's mocks keep responses).
std::string ModuleInput(const std::string& module) {
  const std::size_t at = module.find("exports.input=");
  if (at == std::string::npos) return {};
  const std::size_t from = at + 14;
  const std::size_t to = module.find("exports.", from);
  std::string json = module.substr(from, to == std::string::npos ? std::string::npos : to - from);
  if (const std::size_t comment = json.rfind("/*"); comment != std::string::npos) json.resize(comment);
  return json;
}

#define REQUIRE_CORPUS(text) \
  if ((text).empty()) GTEST_SKIP() << "corpus not present at " << JOBTRAWL_CORPUS_DIR

TEST(BoardsTest, HimalayasEveryFieldAndCursorPaging) {
  // Himalayas: remote-only; salaries with a period; pages by nextCursor.
  const std::string body = jobtrawl::testing::ReadCorpus("api/himalayas-jobs-api-2026-09-trimmed.json");
  REQUIRE_CORPUS(body);
  Extracted x = Read(SourceKind::kHimalayas, body, "https://himalayas.app/jobs/api");
  ASSERT_EQ(x.postings.size(), 2u);
  const Posting& p = x.postings[0];
  EXPECT_EQ(p.title, "Gmail & Google Calendar AI Assistant Evaluator");
  EXPECT_EQ(p.company, "micro1");
  EXPECT_EQ(p.remote, "remote");
  EXPECT_EQ(p.location, "United States");
  EXPECT_EQ(p.country, "United States");
  EXPECT_EQ(p.employment_type, "CONTRACTOR");
  EXPECT_EQ(p.salary_min, 15);
  EXPECT_EQ(p.salary_max, 30);
  EXPECT_EQ(p.salary_currency, "USD");
  EXPECT_EQ(p.salary_period, "HOUR");
  EXPECT_EQ(p.date_posted, "2026-09-26T05:38:56Z");
  EXPECT_EQ(p.valid_through, "2026-11-25T05:38:56Z");
  EXPECT_EQ(p.url, "https://himalayas.app/companies/micro1/jobs/gmail-google-calendar-ai-assistant-evaluator");
  EXPECT_EQ(p.apply_url, p.url);
  EXPECT_EQ(p.external_id, p.url);
  EXPECT_THAT(p.description.value_or(""), HasSubstr("Role Type: Contractor, Remote"));
  EXPECT_EQ(x.postings[1].employment_type, "FULL_TIME");
  EXPECT_EQ(x.postings[1].salary_period, "YEAR");
  ASSERT_EQ(x.links.size(), 1u);
  EXPECT_EQ(x.links[0].url,
            "https://himalayas.app/jobs/api?cursor=MjAyNi0wOS0yNlQwNDozMToyMC42NTI3MzJafDIyODM1MTg");
  EXPECT_EQ(x.links[0].role, Link::Role::kListing);
  // Without a cursor, by offset while short of the total; an empty page ends it.
  Extracted by_offset = Read(SourceKind::kHimalayas,
                             R"({"offset":20,"limit":20,"totalCount":45,"jobs":[{"title":"A","guid":"g"}]})",
                             "https://himalayas.app/jobs/api?offset=20");
  ASSERT_EQ(by_offset.links.size(), 1u);
  EXPECT_EQ(by_offset.links[0].url, "https://himalayas.app/jobs/api?offset=40");
  EXPECT_TRUE(Read(SourceKind::kHimalayas, R"({"jobs":[],"nextCursor":"x"})", "https://himalayas.app/jobs/api")
                  .links.empty());
}

TEST(BoardsTest, JobicyEveryField) {
  // Jobicy: jobGeo lists regions with doubled spaces; salary only on some jobs.
  const std::string body = jobtrawl::testing::ReadCorpus("api/jobicy-remote-jobs-api-v2-2026-09-trimmed.json");
  REQUIRE_CORPUS(body);
  Extracted x = Read(SourceKind::kJobicy, body, "https://jobicy.com/api/v2/remote-jobs?count=100");
  ASSERT_EQ(x.postings.size(), 2u);
  const Posting& a = x.postings[0];
  EXPECT_EQ(a.title, "OrioleDB Developer (AMER)");
  EXPECT_EQ(a.company, "Supabase");
  EXPECT_EQ(a.external_id, "154087");
  EXPECT_EQ(a.location, "LATAM; Canada; USA");
  EXPECT_EQ(a.remote, "remote");
  EXPECT_EQ(a.employment_type, "FULL_TIME");
  EXPECT_EQ(a.date_posted, "2026-09-25T20:54:07+00:00");
  EXPECT_EQ(a.url, "https://jobicy.com/jobs/154087-orioledb-developer-amer");
  EXPECT_FALSE(a.salary_min);
  EXPECT_THAT(a.description.value_or(""), HasSubstr("Supabase is the Postgres development platform"));
  const Posting& b = x.postings[1];
  EXPECT_EQ(b.salary_min, 200000);
  EXPECT_EQ(b.salary_max, 250000);
  EXPECT_EQ(b.salary_currency, "USD");
  EXPECT_EQ(b.salary_period, "YEAR");
  EXPECT_TRUE(x.links.empty());
}

TEST(BoardsTest, ArbeitnowEscapedDescriptionsAndNextLink) {
  // Arbeitnow: descriptions entity-escaped; created_at in epoch seconds; links.next pages.
  const std::string body = jobtrawl::testing::ReadCorpus("api/arbeitnow-job-board-api-2026-09-trimmed.json");
  REQUIRE_CORPUS(body);
  Extracted x = Read(SourceKind::kArbeitnow, body, "https://www.arbeitnow.com/api/job-board-api");
  ASSERT_EQ(x.postings.size(), 2u);
  const Posting& p = x.postings[0];
  EXPECT_EQ(p.title, "Werkstudent Customer Success (x/f/m)");
  EXPECT_EQ(p.company, "Doctolib");
  EXPECT_EQ(p.external_id, "werkstudent-customer-success-berlin-berlin-72879");
  EXPECT_EQ(p.location, "Berlin, Berlin");
  EXPECT_FALSE(p.remote);  // false says only "not remote-only"
  EXPECT_FALSE(p.employment_type);  // job_types is empty
  EXPECT_EQ(p.date_posted, "2026-09-26T08:55:15Z");
  EXPECT_EQ(p.url, "https://www.arbeitnow.com/jobs/companies/doctolib/werkstudent-customer-success-berlin-berlin-72879");
  ASSERT_TRUE(p.description);
  EXPECT_THAT(*p.description, HasSubstr("Gemeinsam gestalten wir die Gesundheitsversorgung der Zukunft"));
  EXPECT_EQ(p.description->find("&lt;"), std::string::npos);
  EXPECT_TRUE(x.links.empty());
  Extracted paged = Read(SourceKind::kArbeitnow, R"({"data":[{"slug":"s","title":"T","remote":true,
      "job_types":["Full Time","Contract"]}],"links":{"next":"https://www.arbeitnow.com/api/job-board-api?page=2"}})",
                         "https://www.arbeitnow.com/api/job-board-api");
  ASSERT_EQ(paged.postings.size(), 1u);
  EXPECT_EQ(paged.postings[0].remote, "remote");
  EXPECT_EQ(paged.postings[0].employment_type, "FULL_TIME,CONTRACTOR");
  ASSERT_EQ(paged.links.size(), 1u);
  EXPECT_EQ(paged.links[0].url, "https://www.arbeitnow.com/api/job-board-api?page=2");
}

TEST(BoardsTest, LandingJobsEveryFieldAndOffsetPaging) {
  // Landing.jobs: a bare array; yearly gross salary in currency_code; several cities.
  const std::string body = jobtrawl::testing::ReadCorpus("api/landingjobs-api-v1-jobs-2026-09-trimmed.json");
  REQUIRE_CORPUS(body);
  Extracted x = Read(SourceKind::kLandingJobs, body, "https://landing.jobs/api/v1/jobs?limit=2&offset=0");
  ASSERT_EQ(x.postings.size(), 2u);
  const Posting& a = x.postings[0];
  EXPECT_EQ(a.title, "Senior Java Software Developer");
  EXPECT_EQ(a.external_id, "19066");
  EXPECT_EQ(a.location, "Lisbon, PT");
  EXPECT_EQ(a.country, "PT");
  EXPECT_EQ(a.employment_type, "FULL_TIME");
  EXPECT_FALSE(a.remote);
  EXPECT_EQ(a.salary_min, 50000);
  EXPECT_EQ(a.salary_max, 67000);
  EXPECT_EQ(a.salary_currency, "EUR");
  EXPECT_EQ(a.salary_period, "YEAR");
  EXPECT_EQ(a.date_posted, "2025-02-26T09:38:38.127Z");
  EXPECT_EQ(a.valid_through, "2027-03-02");
  EXPECT_EQ(a.url, "https://landing.jobs/at/inscale/senior-java-software-developer-in-lisbon-2025");
  EXPECT_THAT(a.description.value_or(""), HasSubstr("Requirements"));
  EXPECT_THAT(a.description.value_or(""), HasSubstr("Experience with Kafka."));
  EXPECT_THAT(a.description.value_or(""), HasSubstr("22 days vacation"));
  const Posting& b = x.postings[1];
  EXPECT_EQ(b.location, "Munich, DE; Lisbon, PT; Cologne, DE");
  EXPECT_EQ(b.country, "DE");
  EXPECT_FALSE(b.salary_min);
  // A full page asks for the next; a short one ends the list.
  ASSERT_EQ(x.links.size(), 1u);
  EXPECT_EQ(x.links[0].url, "https://landing.jobs/api/v1/jobs?limit=2&offset=2");
  EXPECT_TRUE(Read(SourceKind::kLandingJobs, body, "https://landing.jobs/api/v1/jobs?limit=50&offset=0").links.empty());
}

TEST(BoardsTest, FourDayWeekSalaryInCentsAndWorkArrangement) {
  // 4 Day Week: salary_lower/upper are cents; locations carry their own arrangement.
  const std::string body = jobtrawl::testing::ReadCorpus("api/4dayweek-jobs-api-2026-09-trimmed.json");
  REQUIRE_CORPUS(body);
  Extracted x = Read(SourceKind::kFourDayWeek, body, "https://4dayweek.io/api/jobs");
  ASSERT_EQ(x.postings.size(), 2u);
  const Posting& a = x.postings[0];
  EXPECT_EQ(a.title, "Sr. Staff AI Engineer");
  EXPECT_EQ(a.company, "Capital One");
  EXPECT_EQ(a.external_id, "01a0dc05-e1ff-7d04-b257-cc5b70f3e7e3");
  EXPECT_EQ(a.remote, "remote");
  EXPECT_EQ(a.location, "United States");
  EXPECT_EQ(a.country, "United States");
  EXPECT_EQ(a.salary_min, 286200);
  EXPECT_EQ(a.salary_max, 392000);
  EXPECT_EQ(a.salary_currency, "USD");
  EXPECT_EQ(a.salary_period, "YEAR");
  EXPECT_EQ(a.date_posted, "2026-09-26T04:42:48Z");
  EXPECT_EQ(a.url, "https://4dayweek.io/remote-job/sr-staff-ai-engineer-at-capital-one-633c7892");
  const Posting& b = x.postings[1];
  EXPECT_EQ(b.location,
            "United States; Cambridge, United States; McLean, United States; New York, United States; "
            "Richmond, United States; San Francisco, United States; San Jose, United States");
}

TEST(BoardsTest, WorkingNomadsTitlesLoseTheCompanyPrefix) {
  // Working Nomads: a bare array; some titles lead with "Company - ".
  const std::string body = jobtrawl::testing::ReadCorpus("api/workingnomads-exposed-jobs-api-2026-09-trimmed.json");
  REQUIRE_CORPUS(body);
  Extracted x = Read(SourceKind::kWorkingNomads, body, "https://www.workingnomads.com/api/exposed_jobs/");
  ASSERT_EQ(x.postings.size(), 2u);
  const Posting& a = x.postings[0];
  EXPECT_EQ(a.title, "Account Manager");
  EXPECT_EQ(a.company, "Beekman Social");
  EXPECT_EQ(a.external_id, "1891955");
  EXPECT_EQ(a.location, "Remote, USA Only");
  EXPECT_EQ(a.remote, "remote");
  EXPECT_EQ(a.date_posted, "2026-09-25T02:36:13-04:00");
  EXPECT_EQ(a.url, "https://www.workingnomads.com/job/go/1891955/");
  EXPECT_THAT(a.description.value_or(""), HasSubstr("OPPORTUNITY: ACCOUNT MANAGER"));
  EXPECT_EQ(x.postings[1].title, "Stack .NET Developer / Algorithm Engineer – Backend Focus.");
  EXPECT_EQ(x.postings[1].location, "Brazil");
}

TEST(BoardsTest, BreezyLocationsTypeAndSalaryText) {
  // Breezy: a bare array; the location list may be empty (then `location` counts).
  const std::string body = jobtrawl::testing::ReadCorpus("api/breezy-hr-json-breezy-trial-trimmed.json");
  REQUIRE_CORPUS(body);
  Extracted x = Read(SourceKind::kBreezy, body, "https://breezy.breezy.hr/json");
  ASSERT_EQ(x.postings.size(), 2u);
  const Posting& a = x.postings[0];
  EXPECT_EQ(a.title, "Employee #12");
  EXPECT_EQ(a.company, "MS Breezy Trial");
  EXPECT_EQ(a.external_id, "98323abf2296");
  EXPECT_EQ(a.location, "Chaos, FL, US");
  EXPECT_EQ(a.country, "US");
  EXPECT_FALSE(a.remote);
  EXPECT_EQ(a.employment_type, "OTHER");
  EXPECT_EQ(a.salary_text, "$0.05 – $0.06 / hour");
  EXPECT_EQ(a.date_posted, "2024-02-15T14:37:22.684Z");
  EXPECT_EQ(a.url, "https://breezy.breezy.hr/p/98323abf2296-employee-12");
  const Posting& b = x.postings[1];
  EXPECT_EQ(b.location, "New York, NY, US");
  EXPECT_EQ(b.employment_type, "CONTRACTOR");
  Extracted remote = Read(SourceKind::kBreezy, R"([{"id":"r1","name":"Remote role","url":"https://a.breezy.hr/p/r1",
      "location":{"country":{"id":"DE","name":"Germany"},"is_remote":true,"name":"Berlin"}}])",
                          "https://a.breezy.hr/json");
  ASSERT_EQ(remote.postings.size(), 1u);
  EXPECT_EQ(remote.postings[0].remote, "remote");
  EXPECT_EQ(remote.postings[0].location, "Berlin, DE");
}

TEST(BoardsTest, RipplingMergesAJobsLocationsAndPagesOn) {
  // Rippling: one entry per location under one id; page/totalPages paging.
  const std::string body = jobtrawl::testing::ReadCorpus("api/rippling-ats-board-jobs-api-trimmed.json");
  REQUIRE_CORPUS(body);
  Extracted x = Read(SourceKind::kRippling, body, "https://api.rippling.com/platform/api/ats/v1/board/rippling/jobs");
  ASSERT_EQ(x.postings.size(), 1u);
  const Posting& p = x.postings[0];
  EXPECT_EQ(p.title, "Business Operations Manager");
  EXPECT_EQ(p.external_id, "84d388b6-7656-434c-8862-0312eb6b97ac");
  EXPECT_EQ(p.location, "San Francisco, CA, US; New York, NY, US");
  EXPECT_EQ(p.country, "US");
  EXPECT_EQ(p.remote, "onsite");
  EXPECT_EQ(p.url, "https://ats.rippling.com/rippling/jobs/84d388b6-7656-434c-8862-0312eb6b97ac");
  ASSERT_EQ(x.links.size(), 1u);
  EXPECT_EQ(x.links[0].url, "https://api.rippling.com/platform/api/ats/v1/board/rippling/jobs?page=1");
  // The last page asks for none.
  Extracted last = Read(SourceKind::kRippling, R"({"items":[{"id":"x","name":"T"}],"page":314,"totalPages":315})",
                        "https://api.rippling.com/platform/api/ats/v1/board/rippling/jobs?page=314");
  EXPECT_TRUE(last.links.empty());
}

TEST(BoardsTest, PersonioSearchJson) {
  // Personio's search JSON: German schedule and employment values; job pages at /job/{id}.
  const std::string module = jobtrawl::testing::ReadCorpus("api/personio-search-json-stylight-2021.mock.js");
  REQUIRE_CORPUS(module);
  Extracted x = Read(SourceKind::kPersonio, ModuleInput(module), "https://stylight-jobs.personio.de/search.json");
  ASSERT_EQ(x.postings.size(), 7u) << (x.warnings.empty() ? "" : x.warnings[0]);
  const Posting& p = x.postings[0];
  EXPECT_EQ(p.title, "Data Analyst (d/f/m)");
  EXPECT_EQ(p.external_id, "296958");
  EXPECT_EQ(p.location, "Munich");
  EXPECT_EQ(p.employment_type, "FULL_TIME");  // schedule "Vollzeit", "Festanstellung"
  EXPECT_EQ(p.url, "https://stylight-jobs.personio.de/job/296958");
  EXPECT_THAT(p.description.value_or(""), HasSubstr("We're looking for a Data Analyst"));
  for (const Posting& each : x.postings) EXPECT_TRUE(each.title && each.external_id && each.description);
}

TEST(BoardsTest, PersonioXmlFeed) {
  // Personio's documented XML feed (tests/fixtures/boards/personio-xml-feed.xml).
  const std::string body =
      jobtrawl::testing::ReadFile(JOBTRAWL_SOURCE_DIR "/tests/fixtures/boards/personio-xml-feed.xml");
  ASSERT_FALSE(body.empty());
  Extracted x = Read(SourceKind::kPersonio, body, "https://acme.jobs.personio.de/xml");
  ASSERT_EQ(x.postings.size(), 2u);
  EXPECT_EQ(x.skipped, 1);  // the position without a name
  const Posting& a = x.postings[0];
  EXPECT_EQ(a.title, "Backend Engineer (m/f/d)");
  EXPECT_EQ(a.company, "Acme GmbH");
  EXPECT_EQ(a.external_id, "1234567");
  EXPECT_EQ(a.location, "Munich; Berlin");
  EXPECT_EQ(a.employment_type, "FULL_TIME");
  EXPECT_EQ(a.date_posted, "2026-10-05T09:12:44+00:00");
  EXPECT_EQ(a.url, "https://acme.jobs.personio.de/job/1234567");
  EXPECT_THAT(a.description.value_or(""), HasSubstr("Your tasks"));
  EXPECT_THAT(a.description.value_or(""), HasSubstr("Build our APIs in Go"));
  EXPECT_THAT(a.description.value_or(""), HasSubstr("backend work & care"));
  EXPECT_EQ(x.postings[1].employment_type, "PART_TIME");
  EXPECT_EQ(x.postings[1].location, "Berlin");
}

TEST(BoardsTest, WorkdaySearchAsksForDetailsAndEveryFurtherPage) {
  // Workday CXS: the first page states the total; later pages are the same POST with an offset.
  const std::string body = jobtrawl::testing::ReadCorpus("api/workday-cxs-jobs-search-2026-trimmed.json");
  REQUIRE_CORPUS(body);
  const std::string url = "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/jobs";
  const PostBody first = *BoardApiStartPost(SourceKind::kWorkday);
  Extracted x = Read(SourceKind::kWorkday, body, url, &first);
  EXPECT_TRUE(x.postings.empty());
  std::vector<Link> details, pages;
  for (const Link& l : x.links) (l.role == Link::Role::kDetail ? details : pages).push_back(l);
  ASSERT_EQ(details.size(), 2u);
  EXPECT_EQ(details[0].url,
            "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/job/Vietnam-Hanoi/"
            "Director--Engineering---Software-Engineering_JR2021061");
  EXPECT_FALSE(details[0].post);
  ASSERT_EQ(pages.size(), 99u);  // total 2000, 20 a page
  EXPECT_EQ(pages[0].url, url);
  ASSERT_TRUE(pages[0].post);
  EXPECT_EQ(pages[0].post->content_type, "application/json");
  EXPECT_EQ(pages[0].post->data, R"({"appliedFacets":{},"limit":20,"offset":20,"searchText":""})");
  EXPECT_EQ(pages.back().post->data, R"({"appliedFacets":{},"limit":20,"offset":1980,"searchText":""})");
  // A later page (total 0, as Workday answers) asks for nothing more; facets are kept.
  const PostBody later{.content_type = "application/json",
                       .data = R"({"appliedFacets":{"locations":["x"]},"limit":20,"offset":20,"searchText":"go"})"};
  Extracted y = Read(SourceKind::kWorkday, R"({"total":0,"jobPostings":[{"title":"A","externalPath":"/job/a"}]})",
                     url, &later);
  ASSERT_EQ(y.links.size(), 1u);
  EXPECT_EQ(y.links[0].role, Link::Role::kDetail);
  Extracted z = Read(SourceKind::kWorkday, R"({"total":45,"jobPostings":[{"title":"A","externalPath":"/job/a"}]})",
                     url, &later);
  ASSERT_EQ(z.links.size(), 2u);
  EXPECT_EQ(z.links[1].post->data,
            R"({"appliedFacets":{"locations":["x"]},"limit":20,"offset":40,"searchText":"go"})");
}

TEST(BoardsTest, WorkdaySearchWithAHugeTotalAsksForABoundedNumberOfPages) {
  // Found by fuzzing (fuzz/regressions/board_api/workday-huge-total): a
  // "total" of 499999999999995 made a link per further page, until memory
  // ran out. A page asks for at most 1,000 more; a limit near the largest
  // integer asks for none rather than overflowing.
  const std::string url = "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/jobs";
  const PostBody first = *BoardApiStartPost(SourceKind::kWorkday);
  Extracted x = Read(SourceKind::kWorkday,
                     R"({"total":499999999999995,"jobPostings":[{"title":"A","externalPath":"/job/a"}]})", url, &first);
  ASSERT_EQ(x.links.size(), 1001u);
  EXPECT_EQ(x.links.back().post->data, R"({"appliedFacets":{},"limit":20,"offset":20000,"searchText":""})");
  const PostBody huge{.content_type = "application/json",
                      .data = R"({"appliedFacets":{},"limit":9223372036854775807,"offset":5,"searchText":""})"};
  Extracted y = Read(SourceKind::kWorkday,
                     R"({"total":9223372036854775807,"jobPostings":[{"title":"A","externalPath":"/job/a"}]})", url, &huge);
  EXPECT_EQ(y.links.size(), 1u);
}

TEST(BoardsTest, PagingNumbersOutOfRangeAskForNoFurtherPage) {
  // Found by fuzzing (fuzz/regressions/board_api/workday-int64-max-total):
  // a "total" of 2^63 - 1 was cast from a double to an integer, which is
  // undefined (it reads as 2^63). Every adapter that pages by numbers takes
  // a count, offset or page only when it is whole and at most 2^53
  // (json_values.h Count); anything else asks for no further page.
  const std::string url = "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/jobs";
  const PostBody first = *BoardApiStartPost(SourceKind::kWorkday);
  for (std::string_view total : {"9223372036854775807", "1e300", "-1e300", "20.5", "18446744073709551615"}) {
    SCOPED_TRACE(total);
    const std::string body = R"({"total":)" + std::string(total) + R"(,"jobPostings":[{"title":"A","externalPath":"/job/a"}]})";
    EXPECT_EQ(Read(SourceKind::kWorkday, body, url, &first).links.size(), 1u);  // the detail link only
    EXPECT_TRUE(Read(SourceKind::kRippling, R"({"items":[{"id":"x","name":"T"}],"page":)" + std::string(total) +
                                                R"(,"totalPages":1e300})",
                     "https://api.rippling.com/platform/api/ats/v1/board/rippling/jobs")
                    .links.empty());
    EXPECT_TRUE(Read(SourceKind::kTheMuse, R"({"page":)" + std::string(total) + R"(,"page_count":1e300,"results":[{"id":1,"name":"T"}]})",
                     "https://www.themuse.com/api/public/jobs?page=2")
                    .links.empty());
    EXPECT_TRUE(Read(SourceKind::kHimalayas,
                     R"({"offset":)" + std::string(total) + R"(,"limit":20,"totalCount":1e300,"jobs":[{"title":"A","guid":"g"}]})",
                     "https://himalayas.app/jobs/api")
                    .links.empty());
    EXPECT_TRUE(Read(SourceKind::kSmartRecruiters,
                     R"({"offset":)" + std::string(total) + R"(,"limit":)" + std::string(total) +
                         R"(,"totalFound":1e300,"content":[{"id":"1","name":"T"}]})",
                     "https://api.smartrecruiters.com/v1/companies/acme/postings")
                    .links.empty());
  }
  // Numbers in range still page, and a query offset near 2^63 is not added to.
  EXPECT_EQ(Read(SourceKind::kRippling, R"({"items":[{"id":"x","name":"T"}],"page":0,"totalPages":9007199254740992})",
                 "https://api.rippling.com/platform/api/ats/v1/board/rippling/jobs")
                .links.size(),
            1u);
  EXPECT_TRUE(Read(SourceKind::kLandingJobs, R"([{"title":"A","url":"https://landing.jobs/at/a/b"}])",
                   "https://landing.jobs/api/v1/jobs?limit=1&offset=9223372036854775807")
                  .links.empty());
}

TEST(BoardsTest, WorkdayJobDetailEveryField) {
  // Workday CXS job detail: jobPostingInfo with time type, dates, country and requisition id.
  const std::string body = jobtrawl::testing::ReadCorpus("api/workday-cxs-job-detail-booz-allen-2026-09.json");
  REQUIRE_CORPUS(body);
  Extracted x = Read(SourceKind::kWorkday, body,
                     "https://bah.wd1.myworkdayjobs.com/wday/cxs/bah/BAH_Jobs/job/Annapolis-Junction-MD/"
                     "Systems-Administrator-Intern_R0249565");
  ASSERT_EQ(x.postings.size(), 1u);
  const Posting& p = x.postings[0];
  EXPECT_EQ(p.title, "Systems Administrator Intern");
  EXPECT_EQ(p.external_id, "R0249565");
  EXPECT_EQ(p.location, "Annapolis Junction, MD");
  EXPECT_EQ(p.country, "US");
  EXPECT_EQ(p.employment_type, "PART_TIME");
  EXPECT_EQ(p.date_posted, "2026-09-16");
  EXPECT_EQ(p.valid_through, "2026-12-14");
  EXPECT_EQ(p.url, "https://bah.wd1.myworkdayjobs.com/BAH_Jobs/job/Annapolis-Junction-MD/"
                   "Systems-Administrator-Intern_R0249565");
  EXPECT_EQ(p.apply_url, p.url + "/apply");
  ASSERT_TRUE(p.description);
  EXPECT_THAT(*p.description, HasSubstr("Organize and direct the configuration"));
  EXPECT_THAT(*p.description, HasSubstr("$52,900.00 to $108,000.00"));  // salary only as prose
  EXPECT_TRUE(x.links.empty());
}

TEST(BoardsTest, WorkableWidgetAndV3EveryField) {
  // Workable's widget (zego) and v3 (doist) responses: every field they have but the department.
  const std::string widget = jobtrawl::testing::ReadCorpus("api/workable-widget-accounts-zego-2026-trimmed.json");
  REQUIRE_CORPUS(widget);
  Extracted x = Read(SourceKind::kWorkable, widget, "https://apply.workable.com/api/v1/widget/accounts/zego?details=true");
  ASSERT_EQ(x.postings.size(), 2u);
  const Posting& a = x.postings[0];
  EXPECT_EQ(a.title, "Analytics Engineer");
  EXPECT_EQ(a.company, "Zego");
  EXPECT_EQ(a.external_id, "B76C11B977");
  EXPECT_EQ(a.location, "London, England, United Kingdom");
  EXPECT_EQ(a.country, "GB");  // locations[].countryCode
  EXPECT_FALSE(a.remote);      // telecommuting "False"
  EXPECT_EQ(a.employment_type, "FULL_TIME");
  EXPECT_EQ(a.date_posted, "2026-07-10");
  EXPECT_EQ(a.url, "https://apply.workable.com/j/B76C11B977");
  EXPECT_EQ(a.apply_url, "https://apply.workable.com/j/B76C11B977/apply");
  EXPECT_THAT(a.description.value_or(""), HasSubstr("About Zego"));
  Extracted remote = Read(SourceKind::kWorkable, R"({"name":"A","jobs":[{"title":"T","shortcode":"S",
      "telecommuting":"True"}]})", "https://apply.workable.com/api/v1/widget/accounts/a");
  ASSERT_EQ(remote.postings.size(), 1u);
  EXPECT_EQ(remote.postings[0].remote, "remote");

  const std::string v3 = ModuleInput(jobtrawl::testing::ReadCorpus("api/workable-apply-api-v3-accounts-doist-jobs-2020.mock.js"));
  REQUIRE_CORPUS(v3);
  Extracted y = Read(SourceKind::kWorkable, v3, "https://apply.workable.com/api/v3/accounts/doist/jobs");
  ASSERT_EQ(y.postings.size(), 2u);
  const Posting& b = y.postings[0];
  EXPECT_EQ(b.title, "Head of Infrastructure");
  EXPECT_EQ(b.external_id, "7670C0E09F");
  EXPECT_EQ(b.location, "Cape Town, Western Cape, South Africa");
  EXPECT_EQ(b.country, "ZA");
  EXPECT_EQ(b.remote, "remote");
  EXPECT_EQ(b.employment_type, "FULL_TIME");
  EXPECT_EQ(b.date_posted, "2020-12-07T00:00:00.000Z");
  EXPECT_EQ(b.url, "https://apply.workable.com/doist/j/7670C0E09F/");
}

TEST(BoardsTest, TheMusePublicJobsAndPages) {
  // The Muse's documented public jobs API (tests/fixtures/boards/themuse-public-jobs.json):
  // "Flexible / Remote" among the locations; page/page_count paging.
  const std::string body =
      jobtrawl::testing::ReadFile(JOBTRAWL_SOURCE_DIR "/tests/fixtures/boards/themuse-public-jobs.json");
  ASSERT_FALSE(body.empty());
  Extracted x = Read(SourceKind::kTheMuse, body, "https://www.themuse.com/api/public/jobs?page=0");
  ASSERT_EQ(x.postings.size(), 2u);
  const Posting& a = x.postings[0];
  EXPECT_EQ(a.title, "Senior Backend Engineer");
  EXPECT_EQ(a.company, "AcmePay");
  EXPECT_EQ(a.external_id, "14521377");
  EXPECT_EQ(a.location, "New York, NY; Flexible / Remote");
  EXPECT_EQ(a.remote, "remote");  // an office or remote work: remote-eligible, not hybrid
  EXPECT_EQ(a.date_posted, "2026-11-20T14:03:11Z");
  EXPECT_EQ(a.url, "https://www.themuse.com/jobs/acmepay/senior-backend-engineer-3f2a1b");
  EXPECT_THAT(a.description.value_or(""), HasSubstr("Build the payments platform."));
  EXPECT_EQ(x.postings[1].remote, "remote");
  ASSERT_EQ(x.links.size(), 1u);
  EXPECT_EQ(x.links[0].url, "https://www.themuse.com/api/public/jobs?page=1");
  Extracted last = Read(SourceKind::kTheMuse, R"({"page":2,"page_count":3,"results":[{"id":1,"name":"T"}]})",
                        "https://www.themuse.com/api/public/jobs?page=2");
  EXPECT_TRUE(last.links.empty());
}

// The first value a JavaScript test module exports ("exports.input=" or
// "exports.mockResponse="), up to the next "exports.".
std::string ModuleValue(const std::string& module) {
  const std::size_t at = module.find("exports.");
  const std::size_t eq = at == std::string::npos ? at : module.find('=', at);
  if (eq == std::string::npos) return {};
  const std::size_t to = module.find("\nexports.", eq);
  std::string json = module.substr(eq + 1, to == std::string::npos ? std::string::npos : to - eq - 1);
  if (const std::size_t comment = json.rfind("/*"); comment != std::string::npos) json.resize(comment);
  return json;
}

struct DepartmentCase {
  const char* file;  // under the corpus, or tests/fixtures/ when it starts with "fixtures/"
  SourceKind kind;
  const char* url;
  std::size_t postings;
  std::vector<std::optional<std::string>> departments;  // of the first postings, in order
  std::size_t at = 0;                                   // index of the first of them
};

TEST(BoardsTest, DepartmentOfEveryKindThatHasOne) {
  // Issue 14 part 1: each kind's department or team field, read by hand from
  // the responses. A department wins over the team in it (Lever, Ashby); a
  // team alone is the department (Lever metabase); Greenhouse's departments
  // endpoint puts a job in the branch that holds it; The Muse's and
  // Himalayas' categories are the aggregator's, and Workday has none.
  const std::vector<DepartmentCase> cases = {
      {"api/greenhouse-boards-api-jobs-content-algolia-2026-08-trimmed.json", SourceKind::kGreenhouse,
       "https://boards-api.greenhouse.io/v1/boards/algolia/jobs?content=true", 2, {"Direct Sales", "Sales Development"}},
      {"api/greenhouse-embed-departments-api-netlify-2021.mock.js", SourceKind::kGreenhouse,
       "https://api.greenhouse.io/v1/boards/netlify/embed/departments", 13,
       {"Developer Experience", "Engineering", "Engineering"}},
      {"api/greenhouse-embed-offices-api-discord-2021.mock.js", SourceKind::kGreenhouse,
       "https://api.greenhouse.io/v1/boards/discord/embed/offices", 53,
       {"Trust & Safety", "Trust & Safety", "Trust & Safety", "Engineering"}},
      {"api/lever-postings-api-spotify-2026-trimmed.json", SourceKind::kLever,
       "https://api.lever.co/v0/postings/spotify?mode=json", 2, {"Engineering", "Content"}},
      {"api/lever-postings-api-metabase-2026-trimmed.json", SourceKind::kLever,
       "https://api.lever.co/v0/postings/metabase?mode=json", 2, {"Engineering", "Engineering"}},
      {"api/lever-postings-api-1password-2021.mock.js", SourceKind::kLever,
       "https://api.lever.co/v0/postings/1password?mode=json", 24, {"Sales", "Development", "Marketing"}},
      {"api/ashby-posting-api-airbyte-compensation-2026-trimmed.json", SourceKind::kAshby,
       "https://api.ashbyhq.com/posting-api/job-board/airbyte?includeCompensation=true", 2,
       {"Technical Support", "Engineering"}},
      {"api/workable-widget-accounts-zego-2026-trimmed.json", SourceKind::kWorkable,
       "https://apply.workable.com/api/v1/widget/accounts/zego?details=true", 2,
       {"Data and Engineering", "Claims and Fraud"}},
      {"api/workable-apply-api-v3-accounts-doist-jobs-2020.mock.js", SourceKind::kWorkable,
       "https://apply.workable.com/api/v3/accounts/doist/jobs", 2, {"Engineering", "Engineering"}},
      {"api/smartrecruiters-postings-api-shopify-2021-2pages.mock.js", SourceKind::kSmartRecruiters,
       "https://api.smartrecruiters.com/v1/companies/shopify/postings", 78,
       {"Data Science and Engineering", "Internal Operations", "UX and Design"}},
      {"api/smartrecruiters-postings-api-shopify-2021-2pages.mock.js", SourceKind::kSmartRecruiters,
       "https://api.smartrecruiters.com/v1/companies/shopify/postings", 78,
       {"Engineering and Development", "Engineering and Development"}, 50},
      {"api/recruitee-format-duckduckgo-jobs-js-2021.mock.js", SourceKind::kRecruitee,
       "https://duckduckgo.recruitee.com/api/offers/", 14, {"Marketing", "Design", std::nullopt}},
      {"api/personio-search-json-stylight-2021.mock.js", SourceKind::kPersonio,
       "https://stylight-jobs.personio.de/search.json", 7,
       {"Data Intelligence", "Frontend", "Partner Growth Services", "Partner Growth", "Brand & Content Marketing",
        "Quality Traffic Monetization", "Performance Marketing"}},
      {"fixtures/boards/personio-xml-feed.xml", SourceKind::kPersonio, "https://acme.jobs.personio.de/xml", 2,
       {"Engineering", "Sales"}},
      {"api/breezy-hr-json-breezy-trial-trimmed.json", SourceKind::kBreezy, "https://breezy.breezy.hr/json", 2,
       {"Does Not Matter", "Sporting Goods"}},
      {"api/rippling-ats-board-jobs-api-trimmed.json", SourceKind::kRippling,
       "https://api.rippling.com/platform/api/ats/v1/board/rippling/jobs", 1, {"Bizops"}},
      {"api/workday-cxs-job-detail-booz-allen-2026-09.json", SourceKind::kWorkday,
       "https://bah.wd1.myworkdayjobs.com/wday/cxs/bah/BAH_Jobs/job/x", 1, {std::nullopt}},
      {"api/himalayas-jobs-api-2026-09-trimmed.json", SourceKind::kHimalayas, "https://himalayas.app/jobs/api", 2,
       {std::nullopt, std::nullopt}},
      {"fixtures/boards/themuse-public-jobs.json", SourceKind::kTheMuse,
       "https://www.themuse.com/api/public/jobs?page=0", 2, {std::nullopt, std::nullopt}},
  };
  for (const DepartmentCase& c : cases) {
    SCOPED_TRACE(c.file);
    const std::string_view file = c.file;
    std::string body = file.starts_with("fixtures/")
                           ? jobtrawl::testing::ReadFile(std::string(JOBTRAWL_SOURCE_DIR "/tests/") + c.file)
                           : jobtrawl::testing::ReadCorpus(c.file);
    REQUIRE_CORPUS(body);
    if (file.ends_with(".js")) body = ModuleValue(body);
    Extracted x = Read(c.kind, body, c.url);
    ASSERT_EQ(x.postings.size(), c.postings);
    for (std::size_t i = 0; i < c.departments.size(); ++i) {
      EXPECT_EQ(x.postings[c.at + i].department, c.departments[i]) << "posting " << c.at + i;
    }
  }
  // Several departments are one value; a Lever team alone is the department.
  Extracted gh = Read(SourceKind::kGreenhouse, R"({"jobs":[{"id":1,"title":"A","absolute_url":"https://x.example/1",
      "departments":[{"name":"Data"},{"name":"Engineering "},{"name":"Data"}]}]})",
                      "https://boards-api.greenhouse.io/v1/boards/x/jobs");
  ASSERT_EQ(gh.postings.size(), 1u);
  EXPECT_EQ(gh.postings[0].department, "Data, Engineering");
  Extracted lever = Read(SourceKind::kLever, R"([{"id":"a","text":"T","hostedUrl":"https://jobs.lever.co/x/a",
      "categories":{"team":"Platform"}},{"id":"b","text":"U","hostedUrl":"https://jobs.lever.co/x/b","categories":{}}])",
                         "https://api.lever.co/v0/postings/x?mode=json");
  ASSERT_EQ(lever.postings.size(), 2u);
  EXPECT_EQ(lever.postings[0].department, "Platform");
  EXPECT_FALSE(lever.postings[1].department);
}

TEST(BoardsTest, UsaJobsDocumentedSearchShapeAndPaging) {
  // USAJOBS Search API (developer.usajobs.gov/api-reference/get-api-search):
  // no corpus response (the API needs a key), so a fixture of the documented
  // shape. DepartmentName is the department, OrganizationName the employer;
  // pay by RateIntervalCode; TeleworkEligible is hybrid, RemoteIndicator
  // remote, both false on-site; each page asks for the next up to
  // UserArea.NumberOfPages.
  const std::string body =
      jobtrawl::testing::ReadFile(JOBTRAWL_SOURCE_DIR "/tests/fixtures/boards/usajobs-search.json");
  ASSERT_FALSE(body.empty());
  const std::string start = *BoardApiUrl(SourceKind::kUsaJobs, "");
  EXPECT_EQ(start, "https://data.usajobs.gov/api/search?ResultsPerPage=500");
  Extracted x = Read(SourceKind::kUsaJobs, body, start);
  ASSERT_EQ(x.postings.size(), 2u);
  const Posting& a = x.postings[0];
  EXPECT_EQ(a.title, "IT Specialist (INFOSEC)");
  EXPECT_EQ(a.company, "Veterans Affairs, Office of Information and Technology");
  EXPECT_EQ(a.department, "Department of Veterans Affairs");
  EXPECT_EQ(a.external_id, "812345600");
  EXPECT_EQ(a.location, "Denver, Colorado; Austin, Texas");
  EXPECT_EQ(a.country, "United States");
  EXPECT_EQ(a.remote, "hybrid");
  EXPECT_EQ(a.employment_type, "FULL_TIME");
  EXPECT_EQ(a.salary_min, 86962);
  EXPECT_EQ(a.salary_max, 113047);
  EXPECT_EQ(a.salary_currency, "USD");
  EXPECT_EQ(a.salary_period, "YEAR");
  EXPECT_EQ(a.date_posted, "2026-11-20T00:00:00.0000");
  EXPECT_EQ(a.valid_through, "2026-12-04T23:59:59.9970");
  EXPECT_EQ(a.url, "https://www.usajobs.gov/GetJob/ViewDetails/812345600");
  EXPECT_EQ(a.apply_url, "https://www.usajobs.gov/GetJob/ViewDetails/812345600?PostingChannelID=RESTAPI");
  EXPECT_THAT(a.description.value_or(""), HasSubstr("Office of Information and Technology & supports"));
  EXPECT_THAT(a.description.value_or(""), HasSubstr("Writes incident reports."));
  EXPECT_THAT(a.description.value_or(""), HasSubstr("one year of specialized experience"));
  const Posting& b = x.postings[1];
  EXPECT_EQ(b.department, "Department of the Interior");
  EXPECT_EQ(b.employment_type, "PART_TIME,TEMPORARY");
  EXPECT_EQ(b.salary_min, 24.26);
  EXPECT_EQ(b.salary_period, "HOUR");
  EXPECT_EQ(b.remote, "onsite");
  ASSERT_EQ(x.links.size(), 1u);
  EXPECT_EQ(x.links[0].url, CanonicalUrl("https://data.usajobs.gov/api/search?ResultsPerPage=500&Page=2"));
  EXPECT_EQ(x.links[0].role, Link::Role::kListing);
  // The last page, and an empty one, ask for none.
  EXPECT_TRUE(Read(SourceKind::kUsaJobs, body, *CanonicalUrl(start + "&Page=2")).links.empty());
  EXPECT_TRUE(Read(SourceKind::kUsaJobs, R"({"SearchResult":{"SearchResultItems":[],"UserArea":{"NumberOfPages":"9"}}})",
                   start).links.empty());
  // Two-week pay is yearly (26 periods); piece work and unpaid have no salary.
  auto pay = [&](std::string_view code) {
    Extracted one = Read(SourceKind::kUsaJobs,
                         std::string(R"({"SearchResult":{"SearchResultItems":[{"MatchedObjectDescriptor":{
        "PositionTitle":"T","PositionRemuneration":[{"MinimumRange":"1000","MaximumRange":"2000","RateIntervalCode":")") +
                             std::string(code) + R"("}]}}]}})",
                         start);
    return one.postings.empty() ? Posting{} : one.postings[0];
  };
  EXPECT_EQ(pay("BW").salary_max, 52000);
  EXPECT_EQ(pay("BW").salary_period, "YEAR");
  EXPECT_EQ(pay("PM").salary_period, "MONTH");
  EXPECT_EQ(pay("Per Day").salary_period, "DAY");
  EXPECT_FALSE(pay("WC").salary_min);
  EXPECT_FALSE(pay("PW").salary_min);
}

TEST(BoardsTest, UsaJobsPagingSurvivesOddPagesAndFields) {
  // The next page is asked only from a page number the URL states plainly;
  // an unreadable or enormous "Page" (past PageOf's bound) used to read as
  // page 1 and send the crawl back to page 2.
  const std::string start = *BoardApiUrl(SourceKind::kUsaJobs, "");
  const std::string one = R"({"SearchResult":{"SearchResultItems":[{"MatchedObjectId":"1","MatchedObjectDescriptor":{
      "PositionTitle":"T","PositionURI":"https://www.usajobs.gov/GetJob/ViewDetails/1"}}],
      "UserArea":{"NumberOfPages":"99999999999"}}})";
  for (const char* page : {"&Page=99999999999", "&Page=x", "&Page=-3", "&Page=2.5"}) {
    Extracted x = Read(SourceKind::kUsaJobs, one, start + page);
    EXPECT_EQ(x.postings.size(), 1u) << page;
    EXPECT_TRUE(x.links.empty()) << page << ": " << (x.links.empty() ? "" : x.links[0].url);
  }
  // A page in range asks for the next one only (the crawl's
  // follow.max_pages bounds how many are read in all).
  Extracted mid = Read(SourceKind::kUsaJobs, one, start + "&Page=7");
  ASSERT_EQ(mid.links.size(), 1u);
  EXPECT_EQ(mid.links[0].url, CanonicalUrl(start + "&Page=8"));
  // NumberOfPages absent, null, a word or not finite: no next page.
  for (const char* pages : {"", R"("NumberOfPages":null)", R"("NumberOfPages":"many")", R"("NumberOfPages":[2])",
                            R"("NumberOfPages":{"n":2})"}) {
    const std::string body = R"({"SearchResult":{"SearchResultItems":[{"MatchedObjectDescriptor":{"PositionTitle":"T",
        "PositionURI":"https://www.usajobs.gov/GetJob/ViewDetails/1"}}],"UserArea":{)" + std::string(pages) + "}}}";
    Extracted x = Read(SourceKind::kUsaJobs, body, start);
    EXPECT_EQ(x.postings.size(), 1u) << pages;
    if (std::string_view(pages) != R"("NumberOfPages":[2])") {
      EXPECT_TRUE(x.links.empty()) << pages;
    }
  }
  // Wrongly typed fields are skipped, not fatal: the posting keeps the rest.
  Extracted odd = Read(SourceKind::kUsaJobs, R"({"SearchResult":{"SearchResultItems":[
      {"MatchedObjectId":7,"MatchedObjectDescriptor":{"PositionTitle":"Clerk",
       "PositionURI":"https://www.usajobs.gov/GetJob/ViewDetails/7",
       "DepartmentName":[{"name":"  Department of  the &amp; Interior "}],
       "PositionLocation":"Denver","PositionSchedule":{"Name":"Full-time"},
       "PositionRemuneration":{"MinimumRange":"1"},
       "UserArea":"none","ApplyURI":[]}},
      {"MatchedObjectDescriptor":{"PositionTitle":"Guard","PositionURI":"https://www.usajobs.gov/GetJob/ViewDetails/8",
       "DepartmentName":42,
       "PositionRemuneration":[{"MinimumRange":{"v":1},"MaximumRange":"55,000.50","RateIntervalCode":null}]}},
      {"MatchedObjectDescriptor":{"PositionTitle":"Nurse","PositionURI":"https://www.usajobs.gov/GetJob/ViewDetails/9",
       "PositionRemuneration":[{"MinimumRange":"60000","MaximumRange":"80000","RateIntervalCode":"SY"}]}},
      null, 3, {"MatchedObjectDescriptor":null}]}})",
                       start);
  ASSERT_EQ(odd.postings.size(), 3u);
  EXPECT_EQ(odd.skipped, 3);
  EXPECT_EQ(odd.postings[0].external_id, "7");
  EXPECT_EQ(odd.postings[0].department, "Department of the & Interior");
  EXPECT_FALSE(odd.postings[0].salary_min);
  EXPECT_FALSE(odd.postings[0].location);
  EXPECT_EQ(odd.postings[1].department, "42");
  EXPECT_FALSE(odd.postings[1].salary_max);  // no rate interval: no period to give it
  EXPECT_FALSE(odd.postings[2].salary_min);  // school-year pay has no period jobtrawl knows
}

TEST(BoardsTest, NewKindsMakeTheirApiUrls) {
  // Tokens per the config reference: subdomains, slugs, Workday's host/site; aggregators need none.
  EXPECT_EQ(BoardApiUrl(SourceKind::kWorkday, "acme.wd5.myworkdayjobs.com/External"),
            "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/jobs");
  EXPECT_FALSE(BoardApiUrl(SourceKind::kWorkday, "acme"));
  EXPECT_FALSE(BoardApiUrl(SourceKind::kWorkday, "acme.wd5.myworkdayjobs.com/"));
  EXPECT_FALSE(BoardApiUrl(SourceKind::kWorkday, "acme.www.myworkdayjobs.com/External"));
  EXPECT_FALSE(BoardApiUrl(SourceKind::kWorkday, "acme.wd5.myworkdayjobs.com/Ext/../x"));
  EXPECT_EQ(BoardApiUrl(SourceKind::kPersonio, "acme"), "https://acme.jobs.personio.de/xml");
  EXPECT_EQ(BoardApiUrl(SourceKind::kBreezy, "acme"), "https://acme.breezy.hr/json");
  EXPECT_EQ(BoardApiUrl(SourceKind::kRippling, "acme"),
            "https://api.rippling.com/platform/api/ats/v1/board/acme/jobs");
  EXPECT_EQ(BoardApiUrl(SourceKind::kHimalayas, ""), "https://himalayas.app/jobs/api");
  EXPECT_EQ(BoardApiUrl(SourceKind::kJobicy, "engineering"),
            "https://jobicy.com/api/v2/remote-jobs?count=100&industry=engineering");
  EXPECT_FALSE(BoardApiUrl(SourceKind::kWorkingNomads, "x"));
  EXPECT_EQ(BoardApiUrl(SourceKind::kLandingJobs, ""), "https://landing.jobs/api/v1/jobs?limit=50&offset=0");
  EXPECT_TRUE(BoardApiStartPost(SourceKind::kWorkday));
  EXPECT_FALSE(BoardApiStartPost(SourceKind::kGreenhouse));
  for (std::string_view name : {"workday", "personio", "breezy", "rippling", "himalayas", "jobicy", "arbeitnow",
                                "landingjobs", "fourdayweek", "workingnomads", "themuse"}) {
    auto kind = SourceKindFromName(name);
    ASSERT_TRUE(kind) << name;
    EXPECT_TRUE(IsBoardApi(*kind)) << name;
  }
}

}  // namespace
}  // namespace jobtrawl::parsers
