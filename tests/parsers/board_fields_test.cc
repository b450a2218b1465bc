// Field case 06's kind (issue 11): every workplace flag or enum, employment
// type and salary field of every board API, and the single-posting (detail)
// endpoints beside the lists, on fixtures written after each provider's
// documented or measured response shape (no corpus response has them).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

#include "parsers/board_api.h"
#include "parsers/source_kind.h"

namespace jobtrawl::parsers {
namespace {

using ::testing::HasSubstr;

Extracted Read(SourceKind kind, std::string_view body, std::string_view url) {
  Extracted out;
  ExtractBoardApi(kind, url, body, out);
  return out;
}

// The first posting's field, or "(none)" when there is no posting.
std::optional<std::string> Remote(SourceKind kind, std::string_view body, std::string_view url) {
  Extracted x = Read(kind, body, url);
  if (x.postings.empty()) return "(none)";
  return x.postings[0].remote;
}

constexpr std::string_view kSmartRecruiters = "https://api.smartrecruiters.com/v1/companies/acme/postings";
constexpr std::string_view kWorkableJob = "https://apply.workable.com/api/v2/accounts/acme/jobs/ABC123";
constexpr std::string_view kRipplingJobs = "https://api.rippling.com/platform/api/ats/v1/board/acme/jobs";
constexpr std::string_view kRipplingJob =
    "https://api.rippling.com/platform/api/ats/v1/board/acme/jobs/84d388b6-7656-434c-8862-0312eb6b97ac";

TEST(BoardFieldsTest, SmartRecruitersLocationTypeBesideTheFlags) {
  // SmartRecruiters' Posting API states the workplace twice: locationType
  // (REMOTE | ONSITE | HYBRID) and location.remote / location.hybrid. A
  // hybrid from either is hybrid; else locationType wins over the flags,
  // whose on-site is only both of them false (README "Source kinds").
  struct Case {
    const char* posting;  // the members beside id and name
    std::optional<std::string> remote;
  };
  const Case kCases[] = {
      {R"("locationType":"ONSITE","location":{"city":"Paris"})", "onsite"},
      {R"("locationType":"REMOTE","location":{"remote":false,"hybrid":false})", "remote"},
      {R"("locationType":"ONSITE","location":{"remote":false,"hybrid":true})", "hybrid"},
      {R"("locationType":"HYBRID","location":{"remote":true})", "hybrid"},
      {R"("locationType":"ONSITE","location":{"remote":true})", "onsite"},
      {R"("location":{"remote":true,"locationType":"HYBRID"})", "hybrid"},
      {R"("location":{"remote":true})", "remote"},
      {R"("location":{"remote":false,"hybrid":false})", "onsite"},
      {R"("location":{"city":"Paris"})", std::nullopt},
  };
  for (const Case& c : kCases) {
    const std::string body = std::string(R"({"offset":0,"limit":100,"totalFound":1,"content":[{"id":"1","name":"T",)") +
                             c.posting + "}]}";
    EXPECT_EQ(Remote(SourceKind::kSmartRecruiters, body, kSmartRecruiters), c.remote) << c.posting;
    // The posting endpoint's one posting reads the same.
    const std::string one = std::string(R"({"id":"1","name":"T",)") + c.posting + "}";
    EXPECT_EQ(Remote(SourceKind::kSmartRecruiters, one, std::string(kSmartRecruiters) + "/1"), c.remote) << c.posting;
  }
}

TEST(BoardFieldsTest, WorkableJobEndpointGivesThePostingWithItsWholeText) {
  // GET apply.workable.com/api/v2/accounts/{account}/jobs/{shortcode} answers
  // the job itself (no "jobs" or "results" list), with its text in three
  // fields: description, requirements and benefits. It gave no posting.
  Extracted x = Read(SourceKind::kWorkable, R"({"id":1517222,"shortcode":"ABC123","title":"Data Engineer",
      "remote":false,"location":{"country":"Germany","countryCode":"DE","city":"Berlin","region":"Berlin"},
      "locations":[{"country":"Germany","countryCode":"DE","city":"Berlin","region":"Berlin","hidden":false}],
      "state":"published","isInternal":false,"code":"","published":"2026-11-02T00:00:00.000Z","type":"part",
      "language":"en","department":["Data"],"accountUid":"3e94","approvalStatus":"approved","workplace":"hybrid",
      "description":"<p>Build our pipelines.</p>","requirements":"<ul><li>SQL and Python</li></ul>",
      "benefits":"<p>Thirty days off.</p>"})",
                     kWorkableJob);
  ASSERT_EQ(x.postings.size(), 1u);
  const Posting& p = x.postings[0];
  EXPECT_EQ(p.title, "Data Engineer");
  EXPECT_EQ(p.external_id, "ABC123");
  EXPECT_EQ(p.country, "DE");
  EXPECT_EQ(p.remote, "hybrid");
  EXPECT_EQ(p.employment_type, "PART_TIME");
  EXPECT_EQ(p.department, "Data");
  EXPECT_EQ(p.date_posted, "2026-11-02T00:00:00.000Z");
  // The URL the v3 list gives the same job: one listing.
  EXPECT_EQ(p.url, "https://apply.workable.com/acme/j/ABC123/");
  ASSERT_TRUE(p.description);
  EXPECT_THAT(*p.description, HasSubstr("Build our pipelines."));
  EXPECT_THAT(*p.description, HasSubstr("Requirements\n\n- SQL and Python"));
  EXPECT_THAT(*p.description, HasSubstr("Benefits\n\nThirty days off."));
  // A widget entry holding the same three fields keeps them all too.
  Extracted w = Read(SourceKind::kWorkable, R"({"name":"Acme","jobs":[{"title":"T","shortcode":"S",
      "description":"<p>About.</p>","requirements":"<p>Needs.</p>","benefits":"<p>Gives.</p>"}]})",
                     "https://apply.workable.com/api/v1/widget/accounts/acme?details=true");
  ASSERT_EQ(w.postings.size(), 1u);
  EXPECT_THAT(w.postings[0].description.value_or(""), HasSubstr("Gives."));
}

TEST(BoardFieldsTest, RipplingJobEndpointGivesThePostingWithItsText) {
  // GET .../board/{board}/jobs/{id}: the job the list gives without text,
  // with description.role and description.company, workLocations (labels),
  // employmentType.label (SALARIED_FT...), createdOn and companyName. It
  // gave no posting.
  Extracted x = Read(SourceKind::kRippling, R"x({"uuid":"84d388b6-7656-434c-8862-0312eb6b97ac",
      "name":"Business Operations Manager","companyName":"Acme","department":{"label":"Bizops"},
      "workLocations":["Remote (United States)"],"employmentType":{"label":"SALARIED_FT"},
      "createdOn":"2026-09-01T10:00:00-07:00","payRangeDetails":[],
      "description":{"role":"<p>Run the numbers.</p>","company":"<p>About Acme.</p>"}})x",
                     kRipplingJob);
  ASSERT_EQ(x.postings.size(), 1u);
  const Posting& p = x.postings[0];
  EXPECT_EQ(p.title, "Business Operations Manager");
  EXPECT_EQ(p.external_id, "84d388b6-7656-434c-8862-0312eb6b97ac");
  EXPECT_EQ(p.company, "Acme");
  EXPECT_EQ(p.department, "Bizops");
  EXPECT_EQ(p.location, "Remote (United States)");
  EXPECT_EQ(p.remote, "remote");
  EXPECT_EQ(p.employment_type, "FULL_TIME");
  EXPECT_EQ(p.date_posted, "2026-09-01T10:00:00-07:00");
  EXPECT_EQ(p.description, "Run the numbers.\n\nAbout Acme.");
  // The URL the list gives the same job: one listing.
  EXPECT_EQ(p.url, "https://ats.rippling.com/acme/jobs/84d388b6-7656-434c-8862-0312eb6b97ac");
  EXPECT_TRUE(x.links.empty());

  // employmentType.label codes: the hours are the suffix, not "salaried".
  struct Case {
    const char* label;
    const char* type;
  };
  const Case kTypes[] = {{"SALARIED_FT", "FULL_TIME"}, {"HOURLY_FT", "FULL_TIME"}, {"SALARIED_PT", "PART_TIME"},
                         {"HOURLY_PT", "PART_TIME"},   {"CONTRACTOR", "CONTRACTOR"}, {"TEMP", "TEMPORARY"},
                         {"INTERN", "INTERN"}};
  for (const Case& c : kTypes) {
    Extracted t = Read(SourceKind::kRippling,
                       std::string(R"({"uuid":"u1","name":"T","employmentType":{"label":")") + c.label + R"("}})",
                       kRipplingJob);
    ASSERT_EQ(t.postings.size(), 1u) << c.label;
    EXPECT_EQ(t.postings[0].employment_type, c.type) << c.label;
  }
}

TEST(BoardFieldsTest, RipplingBareListWithLocationLabels) {
  // The board's list as a bare array: uuid, department.label and
  // workLocation.label, whose prefix states the workplace ("Remote (...)",
  // "Hybrid (...)", a place alone: the office). A job comes once per
  // location under one uuid. The uuid, the department and every location
  // were lost.
  Extracted x = Read(SourceKind::kRippling, R"x([
      {"uuid":"u1","name":"Analyst","url":"https://ats.rippling.com/acme/jobs/u1",
       "department":{"label":"Finance"},"workLocation":{"label":"Hybrid (New York, New York, US)"}},
      {"uuid":"u1","name":"Analyst","url":"https://ats.rippling.com/acme/jobs/u1",
       "department":{"label":"Finance"},"workLocation":{"label":"San Francisco, CA"}},
      {"uuid":"u2","name":"Engineer","url":"https://ats.rippling.com/acme/jobs/u2",
       "department":{"label":"R&D"},"workLocation":{"label":"Remote (United States)"}},
      {"uuid":"u3","name":"Clerk","url":"https://ats.rippling.com/acme/jobs/u3",
       "workLocation":{"label":"Bangalore, India"}}])x",
                     kRipplingJobs);
  ASSERT_EQ(x.postings.size(), 3u);
  EXPECT_EQ(x.postings[0].external_id, "u1");
  EXPECT_EQ(x.postings[0].department, "Finance");
  EXPECT_EQ(x.postings[0].location, "Hybrid (New York, New York, US); San Francisco, CA");
  EXPECT_EQ(x.postings[0].remote, "hybrid");
  EXPECT_EQ(x.postings[1].remote, "remote");
  EXPECT_EQ(x.postings[1].department, "R&D");
  EXPECT_EQ(x.postings[2].remote, "onsite");
  EXPECT_EQ(x.postings[2].url, "https://ats.rippling.com/acme/jobs/u3");
  // The paged list's entries: one ON_SITE and one REMOTE location of a job
  // are remote or in the office: remote-eligible, not hybrid.
  Extracted mixed = Read(SourceKind::kRippling, R"({"items":[
      {"id":"m","name":"T","locations":[{"name":"Austin, TX","countryCode":"US","workplaceType":"ON_SITE"}]},
      {"id":"m","name":"T","locations":[{"name":"United States","countryCode":"US","workplaceType":"REMOTE"}]}],
      "page":0,"totalPages":1})",
                         kRipplingJobs);
  ASSERT_EQ(mixed.postings.size(), 1u);
  EXPECT_EQ(mixed.postings[0].remote, "remote");
}

TEST(BoardFieldsTest, GreenhouseCurrencyRangeCustomField) {
  // Greenhouse boards without pay transparency ranges publish pay as a
  // custom field of value_type "currency_range" (amounts as strings), its
  // period in another ("Pay Frequency": "Annual"). The salary was lost.
  Extracted x = Read(SourceKind::kGreenhouse, R"({"jobs":[{"id":1,"title":"Engineer","metadata":[
      {"id":7,"name":"Pay Frequency","value":"Annual","value_type":"single_select"},
      {"id":8,"name":"Pay Transparency Range","value_type":"currency_range",
       "value":{"unit":"usd","min_value":"172800.0","max_value":"297000.0"}}]}]})",
                     "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true");
  ASSERT_EQ(x.postings.size(), 1u);
  const Posting& p = x.postings[0];
  EXPECT_EQ(p.salary_min, 172800);
  EXPECT_EQ(p.salary_max, 297000);
  EXPECT_EQ(p.salary_currency, "USD");
  EXPECT_EQ(p.salary_period, "YEAR");
  // The board's pay transparency range, when it has one, is the salary.
  Extracted both = Read(SourceKind::kGreenhouse, R"({"id":2,"title":"Engineer",
      "pay_input_ranges":[{"min_cents":10000000,"max_cents":12000000,"currency_type":"EUR"}],
      "metadata":[{"name":"Hiring Range","value_type":"currency_range",
                   "value":{"unit":"USD","min_value":"1","max_value":"2"}}]})",
                        "https://boards-api.greenhouse.io/v1/boards/acme/jobs/2?pay_transparency=true");
  ASSERT_EQ(both.postings.size(), 1u);
  EXPECT_EQ(both.postings[0].salary_min, 100000);
  EXPECT_EQ(both.postings[0].salary_currency, "EUR");
  // An empty range (value null) is no salary.
  Extracted none = Read(SourceKind::kGreenhouse, R"({"jobs":[{"id":3,"title":"T","metadata":[
      {"name":"Hiring Range","value":null,"value_type":"currency_range"}]}]})",
                        "https://boards-api.greenhouse.io/v1/boards/acme/jobs");
  ASSERT_EQ(none.postings.size(), 1u);
  EXPECT_FALSE(none.postings[0].salary_min);
}

TEST(BoardFieldsTest, GreenhouseCustomFieldPayIsOnlyAFieldNamedForPay) {
  // Only a currency range named for pay is the salary (not a relocation
  // budget or a sign-on bonus before it), and only a field named for the pay
  // period states its period (not "Notice Period" or "Probation period",
  // which made a yearly range monthly: 1.8M a year).
  struct Case {
    const char* metadata;
    std::optional<double> min, max;
    std::optional<std::string> period;
  };
  const Case kCases[] = {
      {R"({"name":"Relocation Budget","value_type":"currency_range","value":{"min_value":"5000.0","max_value":"10000.0","unit":"USD"}})",
       std::nullopt, std::nullopt, std::nullopt},
      {R"({"name":"Salary Range","value_type":"currency_range","value":{"min_value":"150000.0","max_value":"180000.0","unit":"USD"}},
          {"name":"Notice Period","value_type":"single_select","value":"1 month"})",
       150000, 180000, std::nullopt},
      {R"({"name":"Probation period","value_type":"short_text","value":"3 months"},
          {"name":"Pay range","value_type":"currency_range","value":{"min_value":"90000.0","max_value":"120000.0","unit":"usd"}})",
       90000, 120000, std::nullopt},
      {R"({"name":"Sign-on bonus","value_type":"currency_range","value":{"min_value":"10000.0","max_value":"20000.0","unit":"USD"}},
          {"name":"Base salary","value_type":"currency_range","value":{"min_value":"150000.0","max_value":"180000.0","unit":"USD"}})",
       150000, 180000, std::nullopt},
      {R"({"name":"Equity","value_type":"currency_range","value":{"min_value":"50000.0","max_value":"90000.0","unit":"USD"}},
          {"name":"Compensation","value_type":"currency_range","value":{"min_value":"100000.0","max_value":"120000.0","unit":"USD"}},
          {"name":"Bonus Frequency","value_type":"single_select","value":"Monthly"})",
       100000, 120000, std::nullopt},
      {R"({"name":"Employment Period","value_type":"single_select","value":"Full-time"},
          {"name":"Salary","value_type":"currency_range","value":{"min_value":"80000.0","max_value":"95000.0","unit":"USD"}})",
       80000, 95000, std::nullopt},
      {R"({"name":"Salary Period","value_type":"single_select","value":"Monthly"},
          {"name":"Hiring Range","value_type":"currency_range","value":{"min_value":"4000","max_value":"5000","unit":"EUR"}})",
       4000, 5000, "MONTH"},
      // The period a pay field's own name states.
      {R"({"name":"Hourly rate","value_type":"currency_range","value":{"min_value":"45.0","max_value":"60.0","unit":"USD"}})",
       45, 60, "HOUR"},
      // Every two weeks has no period of its own: given per year, 26 a year,
      // as USAJOBS's BW (not WEEK, which doubled the yearly figure).
      {R"({"name":"Pay Frequency","value_type":"single_select","value":"Bi-weekly"},
          {"name":"Pay","value_type":"currency_range","value":{"min_value":"3000.0","max_value":"3500.0","unit":"USD"}})",
       78000, 91000, "YEAR"},
  };
  for (const Case& c : kCases) {
    Extracted x = Read(SourceKind::kGreenhouse,
                       std::string(R"({"jobs":[{"id":1,"title":"Engineer","metadata":[)") + c.metadata + "]}]}",
                       "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true");
    ASSERT_EQ(x.postings.size(), 1u) << c.metadata;
    const Posting& p = x.postings[0];
    EXPECT_EQ(p.salary_min, c.min) << c.metadata;
    EXPECT_EQ(p.salary_max, c.max) << c.metadata;
    EXPECT_EQ(p.salary_period, c.period) << c.metadata;
  }
}

TEST(BoardFieldsTest, PayEveryTwoWeeksOrTwiceAMonthIsNotAWeekOrAMonth) {
  // Every adapter's salary interval: two-weekly pay is given per year (26
  // periods), twice-monthly per month (2 periods), as USAJOBS's BW; an
  // interval that may mean either (bi-monthly) states none. "Bi-weekly"
  // read as WEEK doubled the yearly figure.
  struct Case {
    const char* interval;
    std::optional<double> min;
    std::optional<std::string> period;
  };
  const Case kCases[] = {{"bi-weekly", 2600, "YEAR"},   {"biweekly", 2600, "YEAR"},   {"Fortnightly", 2600, "YEAR"},
                         {"every two weeks", 2600, "YEAR"}, {"semi-monthly", 200, "MONTH"}, {"bimonthly", 100, std::nullopt},
                         {"per-week-salary", 100, "WEEK"}, {"monthly", 100, "MONTH"}};
  for (const Case& c : kCases) {
    // Lever's salaryRange and Recruitee's salary, whose interval is free text on some boards.
    Extracted lever = Read(SourceKind::kLever,
                           std::string(R"([{"id":"1","text":"T","salaryRange":{"min":100,"max":200,"currency":"USD","interval":")") +
                               c.interval + R"("}}])",
                           "https://api.lever.co/v0/postings/acme?mode=json");
    ASSERT_EQ(lever.postings.size(), 1u) << c.interval;
    EXPECT_EQ(lever.postings[0].salary_min, c.min) << c.interval;
    EXPECT_EQ(lever.postings[0].salary_period, c.period) << c.interval;
    Extracted recruitee = Read(SourceKind::kRecruitee,
                               std::string(R"({"offers":[{"id":1,"title":"T","salary":{"min":"100","max":"200","currency":"USD","period":")") +
                                   c.interval + R"("}}]})",
                               "https://acme.recruitee.com/api/offers/");
    ASSERT_EQ(recruitee.postings.size(), 1u) << c.interval;
    EXPECT_EQ(recruitee.postings[0].salary_min, c.min) << c.interval;
    EXPECT_EQ(recruitee.postings[0].salary_period, c.period) << c.interval;
  }
}

TEST(BoardFieldsTest, SalaryBoundsWrittenWithASignOrKAreSalaryText) {
  // An adapter's salary bounds are read as numbers; "$80,000" or "80k" read
  // as none, and the salary was lost. They are salary text, with the
  // currency and interval the fields state (two-weekly as the text reader
  // multiplies it).
  struct Case {
    const char* interval;
    const char* text;
  };
  const Case kCases[] = {{"year", "$80,000 - 95k USD/YEAR"}, {"bi-weekly", "$80,000 - 95k USD/bi-weekly"}};
  for (const Case& c : kCases) {
    Extracted recruitee = Read(
        SourceKind::kRecruitee,
        std::string(R"({"offers":[{"id":1,"title":"T","salary":{"min":"$80,000","max":"95k","currency":"USD","period":")") +
            c.interval + R"("}}]})",
        "https://acme.recruitee.com/api/offers/");
    ASSERT_EQ(recruitee.postings.size(), 1u) << c.interval;
    EXPECT_EQ(recruitee.postings[0].salary_text, c.text) << c.interval;
    EXPECT_FALSE(recruitee.postings[0].salary_min) << c.interval;
  }
  // Pay for no period is no salary written as text either.
  Extracted one_time = Read(
      SourceKind::kRecruitee,
      R"({"offers":[{"id":1,"title":"T","salary":{"min":"$5,000","max":"$5,000","currency":"USD","period":"one-time"}}]})",
      "https://acme.recruitee.com/api/offers/");
  ASSERT_EQ(one_time.postings.size(), 1u);
  EXPECT_FALSE(one_time.postings[0].salary_text);
  EXPECT_FALSE(one_time.postings[0].salary_min);
  // Workable states no interval.
  Extracted workable = Read(SourceKind::kWorkable, R"({"name":"Acme","jobs":[{"title":"T","shortcode":"S",
      "salary":{"salary_from":"€50k","salary_to":"€60k","salary_currency":"EUR"}}]})",
                            "https://apply.workable.com/api/v1/widget/accounts/acme?details=true");
  ASSERT_EQ(workable.postings.size(), 1u);
  EXPECT_EQ(workable.postings[0].salary_text, "€50k - €60k EUR");
}

TEST(BoardFieldsTest, NegatedWorkplaceValuesAreNotRemote) {
  // A workplace value that qualifies the enum with a "no" says the job is
  // not remote: "Remote: No", "Remote - Not eligible", "Remote (not
  // available)" were read as remote.
  struct Case {
    const char* name;
    const char* value;
    std::optional<std::string> remote;
  };
  const Case kCases[] = {
      {"Workplace Type", "Remote: No", std::nullopt},
      {"Remote Eligible", "Remote - Not eligible", std::nullopt},
      {"Work Arrangement", "Remote (not available)", std::nullopt},
      {"Workplace Type", "Remote: none", std::nullopt},
      {"Workplace Type", "Hybrid - not offered", std::nullopt},
      {"Remote", "No", std::nullopt},
      {"Remote", "False", std::nullopt},
      {"Workplace Type", "Remote: N/A", std::nullopt},
      {"Workplace Type", "Remote: Yes", "remote"},
      {"Workplace Type", "Remote (not in California)", "remote"},
      {"Workplace Type", "Remote - US", "remote"},
      {"Location Type", "Remote (North America)", "remote"},
      {"Remote Work Policy", "Hybrid - 3 days in office", "hybrid"},
      {"Location Type", "Remote, but on-site 1 week per quarter", "remote"},
      {"Work Model", "In-office: 5 days", "onsite"},
  };
  for (const Case& c : kCases) {
    const std::string body = std::string(R"({"jobs":[{"id":1,"title":"T","metadata":[{"name":")") + c.name +
                             R"(","value_type":"single_select","value":")" + c.value + R"("}]}]})";
    EXPECT_EQ(Remote(SourceKind::kGreenhouse, body, "https://boards-api.greenhouse.io/v1/boards/acme/jobs"), c.remote)
        << c.name << ": " << c.value;
  }
  // A "Work Type" that names the hours is the employment type, not lost.
  Extracted hours = Read(SourceKind::kGreenhouse, R"({"jobs":[{"id":1,"title":"T","metadata":[
      {"name":"Work Type","value_type":"single_select","value":"Full-time"}]}]})",
                         "https://boards-api.greenhouse.io/v1/boards/acme/jobs");
  ASSERT_EQ(hours.postings.size(), 1u);
  EXPECT_EQ(hours.postings[0].remote, std::nullopt);
  EXPECT_EQ(hours.postings[0].employment_type, "FULL_TIME");
  // The same reader serves Workday's remoteType and 4 Day Week's work_arrangement.
  EXPECT_EQ(Remote(SourceKind::kWorkday, R"({"jobPostingInfo":{"title":"T","remoteType":"Remote - Not eligible"}})",
                   "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/job/x"),
            std::nullopt);
  EXPECT_EQ(Remote(SourceKind::kFourDayWeek, R"({"jobs":[{"id":1,"title":"T","work_arrangement":"Remote: no"}]})",
                   "https://4dayweek.io/api/jobs"),
            std::nullopt);
}

TEST(BoardFieldsTest, RemoteBesideAnOfficeIsRemoteNotHybrid) {
  // A job offered on-site in an office or remote is remote-eligible, not
  // hybrid (hybrid is part of the week in the office): the posting's remote
  // is the most remote way it may be worked. Rippling's locations and
  // labels, and The Muse's "Flexible / Remote" beside an office, alike.
  Extracted paged = Read(SourceKind::kRippling, R"x({"items":[
      {"id":"j1","name":"T","locations":[{"name":"New York, NY","countryCode":"US","workplaceType":"ON_SITE"}]},
      {"id":"j1","name":"T","locations":[{"name":"Remote (United States)","countryCode":"US","workplaceType":"REMOTE"}]},
      {"id":"j2","name":"T","locations":[{"name":"Austin, TX","countryCode":"US","workplaceType":"ON_SITE"},
                                         {"name":"Remote (United States)","countryCode":"US","workplaceType":"REMOTE"}]},
      {"id":"j3","name":"T","locations":[{"name":"Austin, TX","countryCode":"US","workplaceType":"ON_SITE"},
                                         {"name":"Denver, CO","countryCode":"US","workplaceType":"ON_SITE"}]},
      {"id":"j4","name":"T","locations":[{"name":"Austin, TX","countryCode":"US","workplaceType":"ON_SITE"},
                                         {"name":"Denver, CO","countryCode":"US","workplaceType":"HYBRID"}]},
      {"id":"j5","name":"T","locations":[{"name":"Remote (US)","countryCode":"US","workplaceType":"REMOTE"},
                                         {"name":"Denver, CO","countryCode":"US","workplaceType":"HYBRID"}]}],
      "page":0,"totalPages":1})x",
                         kRipplingJobs);
  ASSERT_EQ(paged.postings.size(), 5u);
  EXPECT_EQ(paged.postings[0].remote, "remote");
  EXPECT_EQ(paged.postings[1].remote, "remote");
  EXPECT_EQ(paged.postings[2].remote, "onsite");
  EXPECT_EQ(paged.postings[3].remote, "hybrid");
  EXPECT_EQ(paged.postings[4].remote, "remote");
  Extracted muse = Read(SourceKind::kTheMuse, R"({"page":0,"page_count":1,"results":[{"id":1,"name":"T",
      "locations":[{"name":"New York, NY"},{"name":"Flexible / Remote"}]}]})",
                        "https://www.themuse.com/api/public/jobs?page=0");
  ASSERT_EQ(muse.postings.size(), 1u);
  EXPECT_EQ(muse.postings[0].remote, "remote");
}

TEST(BoardFieldsTest, RipplingLabelsThatAreNoPlaceAreNotAnOffice) {
  // A workLocation label is an office only when it names a place: labels for
  // remote work without a leading "Remote" ("Anywhere", "United States
  // (Remote)", "US - Remote") were stored as on-site.
  struct Case {
    const char* label;
    std::optional<std::string> remote;
  };
  const Case kCases[] = {
      {"Anywhere", "remote"},
      {"Worldwide", "remote"},
      {"Global", "remote"},
      {"Virtual", "remote"},
      {"Work from home", "remote"},
      {"United States (Remote)", "remote"},
      {"US - Remote", "remote"},
      {"Remote - Anywhere", "remote"},
      {"Remote, US", "remote"},
      {"New York, NY (Hybrid)", "hybrid"},
      {"Hybrid (New York, New York, US)", "hybrid"},
      {"Berlin, Germany", "onsite"},
      {"Remoteville, TX", "onsite"},
  };
  for (const Case& c : kCases) {
    const std::string body = std::string(R"([{"uuid":"u","name":"T","workLocation":{"label":")") + c.label + R"("}}])";
    EXPECT_EQ(Remote(SourceKind::kRippling, body, kRipplingJobs), c.remote) << c.label;
  }
}

TEST(BoardFieldsTest, EveryWorkplaceValueOfEveryAdapter) {
  // Each adapter's workplace fields with each value its API has: remote,
  // hybrid and on-site where the API can say it; an enum with what it
  // qualifies ("Remote - US", "Hybrid (3 days)") reads as the enum.
  struct Case {
    SourceKind kind;
    const char* body;
    std::optional<std::string> remote;
  };
  const Case kCases[] = {
      // Greenhouse: custom fields as each board names them.
      {SourceKind::kGreenhouse, R"({"jobs":[{"id":1,"title":"T","metadata":[{"name":"Workplace Type","value":"On-site"}]}]})", "onsite"},
      {SourceKind::kGreenhouse, R"({"jobs":[{"id":1,"title":"T","metadata":[{"name":"Workplace Type","value":"Remote - US"}]}]})", "remote"},
      {SourceKind::kGreenhouse, R"x({"jobs":[{"id":1,"title":"T","metadata":[{"name":"Location Type","value":["Hybrid (3 days in office)"]}]}]})x", "hybrid"},
      {SourceKind::kGreenhouse, R"({"jobs":[{"id":1,"title":"T","metadata":[{"name":"Remote","value":true}]}]})", "remote"},
      {SourceKind::kGreenhouse, R"({"jobs":[{"id":1,"title":"T","metadata":[{"name":"Work Arrangement","value":"In Office: London"}]}]})", "onsite"},
      // Lever: workplaceType.
      {SourceKind::kLever, R"([{"id":"1","text":"T","workplaceType":"onsite"}])", "onsite"},
      {SourceKind::kLever, R"([{"id":"1","text":"T","workplaceType":"hybrid"}])", "hybrid"},
      {SourceKind::kLever, R"([{"id":"1","text":"T","workplaceType":"remote"}])", "remote"},
      {SourceKind::kLever, R"([{"id":"1","text":"T","workplaceType":"unspecified"}])", std::nullopt},
      // Ashby: workplaceType, else isRemote.
      {SourceKind::kAshby, R"({"jobs":[{"id":"1","title":"T","workplaceType":"OnSite"}]})", "onsite"},
      {SourceKind::kAshby, R"({"jobs":[{"id":"1","title":"T","workplaceType":"Hybrid","isRemote":true}]})", "hybrid"},
      {SourceKind::kAshby, R"({"jobs":[{"id":"1","title":"T","isRemote":true}]})", "remote"},
      // Workable: v3's workplace, the job API's location.workplace_type, the widget's telecommuting.
      {SourceKind::kWorkable, R"({"results":[{"shortcode":"S","title":"T","workplace":"on_site"}]})", "onsite"},
      {SourceKind::kWorkable, R"({"results":[{"shortcode":"S","title":"T","remote":true,"workplace":"hybrid"}]})", "hybrid"},
      {SourceKind::kWorkable, R"({"jobs":[{"shortcode":"S","title":"T","location":{"workplace_type":"remote"}}]})", "remote"},
      {SourceKind::kWorkable, R"({"name":"A","jobs":[{"shortcode":"S","title":"T","telecommuting":true}]})", "remote"},
      // Recruitee: three flags.
      {SourceKind::kRecruitee, R"({"offers":[{"id":1,"title":"T","remote":false,"hybrid":false,"on_site":true}]})", "onsite"},
      {SourceKind::kRecruitee, R"({"offers":[{"id":1,"title":"T","remote":true,"on_site":true}]})", "remote"},
      {SourceKind::kRecruitee, R"({"offers":[{"id":1,"title":"T","remote":true,"hybrid":false,"on_site":false}]})", "remote"},
      // Rippling: the paged list's workplaceType.
      {SourceKind::kRippling, R"({"items":[{"id":"1","name":"T","locations":[{"name":"X","workplaceType":"HYBRID"}]}]})", "hybrid"},
      // Breezy: is_remote only (no on-site or hybrid field).
      {SourceKind::kBreezy, R"([{"id":"1","name":"T","location":{"name":"X","is_remote":true}}])", "remote"},
      {SourceKind::kBreezy, R"([{"id":"1","name":"T","location":{"name":"X","is_remote":false}}])", std::nullopt},
      // Workday: the job's remoteType.
      {SourceKind::kWorkday, R"({"jobPostingInfo":{"title":"T","remoteType":"Hybrid - 2 days onsite"}})", "hybrid"},
      {SourceKind::kWorkday, R"({"jobPostingInfo":{"title":"T","remoteType":"Fully Remote"}})", "remote"},
      {SourceKind::kWorkday, R"({"jobPostingInfo":{"title":"T","remoteType":"On-site"}})", "onsite"},
      // 4 Day Week: work_arrangement.
      {SourceKind::kFourDayWeek, R"({"jobs":[{"id":1,"title":"T","work_arrangement":"hybrid"}]})", "hybrid"},
      {SourceKind::kFourDayWeek, R"({"jobs":[{"id":1,"title":"T","work_arrangement":"onsite"}]})", "onsite"},
      // Remote boards: remote.
      {SourceKind::kRemotive, R"({"jobs":[{"id":1,"title":"T"}]})", "remote"},
      {SourceKind::kHimalayas, R"({"jobs":[{"guid":"https://h.example/1","title":"T"}]})", "remote"},
      // Arbeitnow and Landing.jobs: a remote flag, false says no more.
      {SourceKind::kArbeitnow, R"({"data":[{"slug":"s","title":"T","remote":true}]})", "remote"},
      {SourceKind::kArbeitnow, R"({"data":[{"slug":"s","title":"T","remote":false}]})", std::nullopt},
      {SourceKind::kLandingJobs, R"([{"id":1,"title":"T","remote":true}])", "remote"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(Remote(c.kind, c.body, "https://api.example/x"), c.remote) << SourceKindName(c.kind) << " " << c.body;
  }
}

TEST(BoardFieldsTest, RecruiteeRemoteBesideOnSiteIsRemote) {
  // Recruitee's three flags say which ways an offer may be worked: remote
  // and on_site both true (hybrid false) is a job open to remote work, the
  // most remote way it may be worked, as RemoteBesideAnOfficeIsRemoteNotHybrid
  // reads an office beside a remote location. It was "hybrid". Field case 06
  // stays right: hybrid alone is hybrid, on_site alone on-site.
  struct Case {
    const char* flags;
    std::optional<std::string> remote;
  };
  const Case kCases[] = {
      {R"("remote":true,"hybrid":false,"on_site":true)", "remote"},
      {R"("remote":true,"on_site":true)", "remote"},
      {R"("remote":false,"hybrid":true,"on_site":false)", "hybrid"},
      {R"("remote":false,"hybrid":true,"on_site":true)", "hybrid"},
      {R"("remote":false,"hybrid":false,"on_site":true)", "onsite"},
      {R"("remote":true,"hybrid":false,"on_site":false)", "remote"},
      {R"("remote":false,"hybrid":false,"on_site":false)", std::nullopt},
  };
  for (const Case& c : kCases) {
    const std::string body = std::string(R"({"offers":[{"id":1,"title":"T",)") + c.flags + "}]}";
    EXPECT_EQ(Remote(SourceKind::kRecruitee, body, "https://acme.recruitee.com/api/offers/"), c.remote) << c.flags;
  }
}

TEST(BoardFieldsTest, ALabelThatIsOnlyACountryStatesNoWorkplace) {
  // A Rippling workLocation label that is only a country ("United States",
  // "Germany") names no office: it was read as on-site. A country alone says
  // nothing of the workplace; another field may (the paged list's
  // workplaceType, another label). A city-state's name is its city.
  struct Case {
    const char* label;
    std::optional<std::string> remote;
  };
  const Case kCases[] = {
      {"United States", std::nullopt},
      {"Germany", std::nullopt},
      {"united kingdom", std::nullopt},
      {"USA", std::nullopt},
      {"Deutschland", std::nullopt},
      {" Brazil ", std::nullopt},
      {"Germany (Remote)", "remote"},
      {"Berlin, Germany", "onsite"},
      {"Austin", "onsite"},
      {"Singapore", "onsite"},
      {"Hong Kong", "onsite"},
  };
  for (const Case& c : kCases) {
    const std::string body = std::string(R"([{"uuid":"u","name":"T","workLocation":{"label":")") + c.label + R"("}}])";
    EXPECT_EQ(Remote(SourceKind::kRippling, body, kRipplingJobs), c.remote) << c.label;
  }
  // Another field says: a label of an office beside the country, the paged
  // list's workplaceType of a location named by its country.
  EXPECT_EQ(Remote(SourceKind::kRippling, R"([
      {"uuid":"u","name":"T","workLocation":{"label":"Germany"}},
      {"uuid":"u","name":"T","workLocation":{"label":"Berlin, Germany"}}])",
                   kRipplingJobs),
            "onsite");
  EXPECT_EQ(Remote(SourceKind::kRippling, R"({"items":[{"id":"1","name":"T",
      "locations":[{"name":"United States","countryCode":"US","workplaceType":"ON_SITE"}]}]})",
                   kRipplingJobs),
            "onsite");
}

TEST(BoardFieldsTest, AChoiceOfWorkplacesIsTheMostRemoteOfThem) {
  // A workplace value offering a choice ("On-site / Remote", "Hybrid or
  // Remote") gave no workplace. It is the most remote way the job may be
  // worked (RemoteBesideAnOfficeIsRemoteNotHybrid's rule), in every adapter
  // that reads a workplace value, the feed readers' remote field included.
  struct Case {
    const char* value;
    std::optional<std::string> remote;
  };
  const Case kCases[] = {
      {"On-site / Remote", "remote"},
      {"Hybrid or Remote", "remote"},
      {"Remote or Hybrid", "remote"},
      {"Onsite/Hybrid", "hybrid"},
      {"In office OR hybrid", "hybrid"},
      {"Remote, Hybrid", "remote"},
      {"Remote | On-site", "remote"},
      {"Hybrid & Remote", "remote"},
      {"On-site and Remote", "remote"},
      // Not a choice of workplaces: read as before.
      {"Remote, EMEA", "remote"},
      {"Remote: No", std::nullopt},
      {"Remote or not", std::nullopt},
      {"Sales / Marketing", std::nullopt},
  };
  for (const Case& c : kCases) {
    const std::string gh = std::string(R"({"jobs":[{"id":1,"title":"T","metadata":[{"name":"Workplace Type","value":")") +
                           c.value + R"("}]}]})";
    EXPECT_EQ(Remote(SourceKind::kGreenhouse, gh, "https://boards-api.greenhouse.io/v1/boards/acme/jobs"), c.remote)
        << "greenhouse " << c.value;
    const std::string wd = std::string(R"({"jobPostingInfo":{"title":"T","remoteType":")") + c.value + R"("}})";
    EXPECT_EQ(Remote(SourceKind::kWorkday, wd, "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/job/x"),
              c.remote)
        << "workday " << c.value;
    const std::string lever = std::string(R"([{"id":"1","text":"T","workplaceType":")") + c.value + R"("}])";
    EXPECT_EQ(Remote(SourceKind::kLever, lever, "https://api.lever.co/v0/postings/acme?mode=json"), c.remote)
        << "lever " << c.value;
    const std::string fdw = std::string(R"({"jobs":[{"id":1,"title":"T","work_arrangement":")") + c.value + R"("}]})";
    EXPECT_EQ(Remote(SourceKind::kFourDayWeek, fdw, "https://4dayweek.io/api/jobs"), c.remote)
        << "4dayweek " << c.value;
  }
}

TEST(BoardFieldsTest, UsaJobsFlagsBothStatedFalseAreOnSite) {
  // USAJOBS's Search API states RemoteIndicator and TeleworkEligible on
  // every posting: both false is work at the duty station, as
  // SmartRecruiters' two flags. It was no workplace. The other adapters' flags were audited: Breezy's
  // is_remote, Arbeitnow's and Landing.jobs' remote, Workable's
  // telecommuting and Ashby's isRemote are one remote flag (false leaves
  // hybrid open); Recruitee has an on-site flag of its own.
  struct Case {
    const char* flags;
    std::optional<std::string> remote;
  };
  const Case kCases[] = {
      {R"("TeleworkEligible":false,"RemoteIndicator":false)", "onsite"},
      {R"("TeleworkEligible":true,"RemoteIndicator":false)", "hybrid"},
      {R"("TeleworkEligible":false,"RemoteIndicator":true)", "remote"},
      {R"("TeleworkEligible":true,"RemoteIndicator":true)", "remote"},
      {R"("TeleworkEligible":false)", std::nullopt},
      {R"("RemoteIndicator":false)", std::nullopt},
      {R"("JobSummary":"x")", std::nullopt},
  };
  for (const Case& c : kCases) {
    const std::string body =
        std::string(R"({"SearchResult":{"SearchResultItems":[{"MatchedObjectId":"1","MatchedObjectDescriptor":{
        "PositionTitle":"IT Specialist","PositionURI":"https://www.usajobs.gov/job/1","UserArea":{"Details":{)") +
        c.flags + "}}}}]}}";
    EXPECT_EQ(Remote(SourceKind::kUsaJobs, body, "https://data.usajobs.gov/api/search?ResultsPerPage=500"), c.remote)
        << c.flags;
  }
}

TEST(BoardFieldsTest, PayForNoPeriodIsNoSalary) {
  // A salary interval that is no pay period (Lever's "one-time", Ashby's "1
  // TIME", a lump sum, pay per project or per mile) stated no period, so
  // the amount's size made 5,000 CAD paid once a monthly salary. Such pay is no salary (a salary's
  // period is an hour to a year), nor is the text beside it.
  for (const char* interval : {"one-time", "One Time", "lump sum", "per project", "per-mile", "1 TIME"}) {
    Extracted lever = Read(SourceKind::kLever,
                           std::string(R"([{"id":"1","text":"T","salaryRange":{"min":5000,"max":5000,"currency":"CAD","interval":")") +
                               interval + R"("},"salaryDescriptionPlain":"A one-time payment of $5,000 CAD."}])",
                           "https://api.lever.co/v0/postings/acme?mode=json");
    ASSERT_EQ(lever.postings.size(), 1u) << interval;
    EXPECT_EQ(lever.postings[0].salary_min, std::nullopt) << interval;
    EXPECT_EQ(lever.postings[0].salary_period, std::nullopt) << interval;
    EXPECT_EQ(lever.postings[0].salary_text, std::nullopt) << interval;
    Extracted recruitee = Read(SourceKind::kRecruitee,
                               std::string(R"({"offers":[{"id":1,"title":"T","salary":{"min":"5000","max":"6000","currency":"EUR","period":")") +
                                   interval + R"("}}]})",
                               "https://acme.recruitee.com/api/offers/");
    ASSERT_EQ(recruitee.postings.size(), 1u) << interval;
    EXPECT_EQ(recruitee.postings[0].salary_min, std::nullopt) << interval;
    Extracted fdw = Read(SourceKind::kFourDayWeek,
                         std::string(R"({"jobs":[{"id":1,"title":"T","salary_lower":500000,"salary_upper":500000,
                             "salary_currency":"USD","salary":"$5,000","salary_period":")") + interval + R"("}]})",
                         "https://4dayweek.io/api/jobs");
    ASSERT_EQ(fdw.postings.size(), 1u) << interval;
    EXPECT_EQ(fdw.postings[0].salary_min, std::nullopt) << interval;
    EXPECT_EQ(fdw.postings[0].salary_text, std::nullopt) << interval;
  }
  // Ashby: a Salary component paid once, and not its summary either.
  Extracted ashby = Read(SourceKind::kAshby, R"({"jobs":[{"id":"1","title":"T","compensation":{
      "compensationTierSummary":"$5K","summaryComponents":[{"compensationType":"Salary","interval":"1 TIME",
      "currencyCode":"USD","minValue":5000,"maxValue":5000}]}}]})",
                         "https://api.ashbyhq.com/posting-api/job-board/acme?includeCompensation=true");
  ASSERT_EQ(ashby.postings.size(), 1u);
  EXPECT_EQ(ashby.postings[0].salary_min, std::nullopt);
  EXPECT_EQ(ashby.postings[0].salary_text, std::nullopt);
  // Greenhouse: a pay-period field that says one-time.
  Extracted gh = Read(SourceKind::kGreenhouse, R"({"jobs":[{"id":1,"title":"T","metadata":[
      {"name":"Pay Frequency","value_type":"single_select","value":"One-time"},
      {"name":"Salary Range","value_type":"currency_range","value":{"min_value":"5000.0","max_value":"5000.0","unit":"USD"}}]}]})",
                      "https://boards-api.greenhouse.io/v1/boards/acme/jobs");
  ASSERT_EQ(gh.postings.size(), 1u);
  EXPECT_EQ(gh.postings[0].salary_min, std::nullopt);
  // Pay periods are still read, and an interval not read still keeps its
  // amounts (the normalizer tells the period by their size).
  Extracted year = Read(SourceKind::kLever, R"([{"id":"1","text":"T","salaryRange":{"min":80000,"max":90000,
      "currency":"USD","interval":"per-year-salary"}},{"id":"2","text":"T","salaryRange":{"min":80000,"max":90000,
      "currency":"USD","interval":"salary"}}])",
                        "https://api.lever.co/v0/postings/acme?mode=json");
  ASSERT_EQ(year.postings.size(), 2u);
  EXPECT_EQ(year.postings[0].salary_min, 80000);
  EXPECT_EQ(year.postings[0].salary_period, "YEAR");
  EXPECT_EQ(year.postings[1].salary_min, 80000);
  EXPECT_EQ(year.postings[1].salary_period, std::nullopt);
}

TEST(BoardFieldsTest, AshbyIntervalsOfSeveralUnitsAreNotOneUnit) {
  // Ashby writes a component's interval as a count and a unit ("1 YEAR",
  // "2 WEEK", "0.5 MONTH", "6 MONTH"). Only the letters were read, so pay
  // every two weeks was weekly pay and pay every six months monthly pay.
  // Several units make a year's share; half a month is twice a month, as
  // PayEveryTwoWeeksOrTwiceAMonthIsNotAWeekOrAMonth reads the words.
  struct Case {
    const char* interval;
    std::optional<double> min;
    std::optional<std::string> period;
  };
  const Case kCases[] = {{"1 YEAR", 1000, "YEAR"},   {"1 MONTH", 1000, "MONTH"}, {"1 HOUR", 1000, "HOUR"},
                         {"2 WEEK", 26000, "YEAR"},  {"0.5 MONTH", 2000, "MONTH"}, {"2 MONTH", 6000, "YEAR"},
                         {"3 MONTH", 4000, "YEAR"},  {"6 MONTH", 2000, "YEAR"},  {"NONE", 1000, std::nullopt}};
  for (const Case& c : kCases) {
    Extracted x = Read(SourceKind::kAshby,
                       std::string(R"({"jobs":[{"id":"1","title":"T","compensation":{"summaryComponents":[
                           {"compensationType":"Salary","currencyCode":"USD","minValue":1000,"maxValue":1000,"interval":")") +
                           c.interval + R"("}]}}]})",
                       "https://api.ashbyhq.com/posting-api/job-board/acme?includeCompensation=true");
    ASSERT_EQ(x.postings.size(), 1u) << c.interval;
    EXPECT_EQ(x.postings[0].salary_min, c.min) << c.interval;
    EXPECT_EQ(x.postings[0].salary_period, c.period) << c.interval;
  }
}

TEST(BoardFieldsTest, ALabelOfAnAreaOrAStateNamesNoOffice) {
  // A Rippling workLocation label naming an area, a state or several
  // places was read as an office:
  // on Rippling boards "Europe" and "LATAM" are the areas remote hiring is
  // open to. Like a country alone (ALabelThatIsOnlyACountryStatesNoWorkplace),
  // they say nothing of the workplace; a city still names an office.
  struct Case {
    const char* label;
    std::optional<std::string> remote;
  };
  const Case kCases[] = {
      {"Europe", std::nullopt},
      {"EMEA", std::nullopt},
      {"LATAM", std::nullopt},
      {"North America", std::nullopt},
      {"APAC", std::nullopt},
      {"California", std::nullopt},
      {"Bavaria", std::nullopt},
      {"Ontario", std::nullopt},
      {"New South Wales", std::nullopt},
      {"Multiple locations", std::nullopt},
      {"Multiple Locations", std::nullopt},
      {"California, US", std::nullopt},
      {"US / Canada", std::nullopt},
      {"Europe, Middle East", std::nullopt},
      {"San Francisco, California", "onsite"},
      {"New York", "onsite"},
      {"Berlin", "onsite"},
      {"Geneva", "onsite"},
      {"Washington, DC", "onsite"},
      {"Austin, TX", "onsite"},
      {"Europe (Remote)", "remote"},
  };
  for (const Case& c : kCases) {
    const std::string body = std::string(R"([{"uuid":"u","name":"T","workLocation":{"label":")") + c.label + R"("}}])";
    EXPECT_EQ(Remote(SourceKind::kRippling, body, kRipplingJobs), c.remote) << c.label;
  }
}

TEST(BoardFieldsTest, WorkplaceValuesBoardsUseBesideTheEnums) {
  // The workplace words the adapters share, beside the enums: Workday's
  // remoteType "Office Based" (the pair of "Home Based") gave no workplace;
  // Greenhouse custom fields named "Work Location" ("In Office") or
  // valued "Remote-friendly" were not read. A multi-select's choices are the
  // most remote of them, whichever comes first.
  struct Case {
    const char* value;
    std::optional<std::string> remote;
  };
  const Case kWorkday[] = {
      {"Office Based", "onsite"}, {"Office", "onsite"},     {"On Site", "onsite"},
      {"In Office", "onsite"},    {"Home Based", "remote"}, {"Field Based", std::nullopt},
      {"Remote Eligible", "remote"}, {"Partially Remote", "hybrid"}, {"Office-based - London", "onsite"},
  };
  for (const Case& c : kWorkday) {
    const std::string wd = std::string(R"({"jobPostingInfo":{"title":"T","remoteType":")") + c.value + R"("}})";
    EXPECT_EQ(Remote(SourceKind::kWorkday, wd, "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/job/x"),
              c.remote)
        << c.value;
  }
  struct Field {
    const char* name;
    const char* value;
    std::optional<std::string> remote;
  };
  const Field kGreenhouse[] = {
      {"Work Location", R"("In Office")", "onsite"},
      {"Workplace", R"("Remote-friendly")", "remote"},
      {"Work Setting", R"("Hybrid")", "hybrid"},
      {"Working Model", R"("Office based")", "onsite"},
      {"Work Environment", R"("Fully Remote")", "remote"},
      {"Work Location", R"("San Francisco, CA")", std::nullopt},
      {"Work Arrangement", R"(["Hybrid","Remote"])", "remote"},
      {"Work Arrangement", R"(["On-site","Hybrid"])", "hybrid"},
  };
  for (const Field& f : kGreenhouse) {
    const std::string gh = std::string(R"({"jobs":[{"id":1,"title":"T","metadata":[{"name":")") + f.name +
                           R"(","value":)" + f.value + "}]}]}";
    EXPECT_EQ(Remote(SourceKind::kGreenhouse, gh, "https://boards-api.greenhouse.io/v1/boards/acme/jobs"), f.remote)
        << f.name << ": " << f.value;
  }
}

}  // namespace
}  // namespace jobtrawl::parsers
