// Readers of the remote-work and job aggregator feeds: every job of the
// board, from many employers.
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <algorithm>
#include <charconv>

#include "model/ascii.h"
#include "model/url.h"
#include "parsers/boards/common.h"
#include "parsers/boards/readers.h"
#include "parsers/html_text.h"

namespace jobtrawl::parsers::boards {

// ---- Remotive: {"jobs": [...]} ----
void Remotive(const json::value& root, const Response& response, Extracted& out) {
  for (const json::object* j : Entries(root, "jobs")) {
    Posting p;
    p.external_id = Text(Get(*j, "id"));
    p.title = Text(Get(*j, "title"));
    p.company = Text(Get(*j, "company_name"));
    p.location = Text(Get(*j, "candidate_required_location"));
    p.remote = "remote";
    p.salary_text = Text(Get(*j, "salary"));
    if (auto type = Text(Get(*j, "job_type"))) p.employment_type = EmploymentType(*type);
    p.date_posted = Text(Get(*j, "publication_date"));
    SetDescription(p, Html(Get(*j, "description")));
    Finish(std::move(p), Get(*j, "url"), nullptr, response, out);
  }
}

// ---- RemoteOK: [legal notice, job, job, ...] ----
void RemoteOk(const json::value& root, const Response& response, Extracted& out) {
  const json::array* a = Array(&root);
  if (a == nullptr) return;
  for (const json::value& v : *a) {
    const json::object* j = Object(&v);
    if (j == nullptr || Get(*j, "legal") != nullptr) continue;  // the notice, not a job
    Posting p;
    p.external_id = Text(Get(*j, "id"));
    p.title = Text(Get(*j, "position"));
    p.company = Text(Get(*j, "company"));
    p.location = Text(Get(*j, "location"));
    p.remote = "remote";
    p.date_posted = Text(Get(*j, "date"));
    if (!p.date_posted) p.date_posted = EpochDate(Get(*j, "epoch"));
    SetDescription(p, Html(Get(*j, "description")));
    // RemoteOK states salaries as yearly US dollars; 0 means not stated.
    Salary(p, Get(*j, "salary_min"), Get(*j, "salary_max"), "USD", "YEAR");
    Finish(std::move(p), Get(*j, "url"), Get(*j, "apply_url"), response, out);
  }
}

namespace {

// True when `url` has the query parameter `name`.
bool HasQueryParam(std::string_view url, std::string_view name) {
  auto parsed = boost::urls::parse_uri(url);
  return parsed && parsed->params().find(name) != parsed->params().end();
}

// The numeric query parameter `name` of `url` when it is in [0, kMaxCount]
// (json_values.h), so that paging sums of two cannot overflow; else nullopt.
std::optional<long long> QueryNumber(std::string_view url, std::string_view name) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return std::nullopt;
  auto it = parsed->params().find(name);
  if (it == parsed->params().end() || !(*it).has_value) return std::nullopt;
  const std::string value((*it).value);
  long long n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size() || n < 0 || n > kMaxCount) return std::nullopt;
  return n;
}

// Employment types from a list of strings ("Full-Time", "Contract"), as
// schema.org values joined by commas.
std::optional<std::string> EmploymentTypes(const json::value* v) {
  std::string types;
  auto add = [&](const json::value& one) {
    auto t = Text(&one);
    if (!t) return;
    const std::string type = EmploymentType(*t);
    if (types.find(type) != std::string::npos) return;
    types += (types.empty() ? "" : ",") + type;
  };
  if (const json::array* a = Array(v)) {
    for (const json::value& one : *a) add(one);
  } else if (v != nullptr) {
    add(*v);
  }
  return NonEmpty(std::move(types));
}

// Places from a list of names ("United States", "Canada"): the location
// lists them, the country is stated when there is one alone.
void Places(Posting& p, const json::array* names) {
  if (names == nullptr) return;
  std::string places;
  for (const json::value& v : *names) AddPlace(places, Text(&v));
  if (names->size() == 1) p.country = Text(&names->front());
  p.location = NonEmpty(std::move(places));
}

}  // namespace

// ---- Himalayas: {jobs: [...], nextCursor, offset, limit, totalCount} ----
// https://himalayas.app/docs/remote-jobs-api
void Himalayas(const json::value& root, const Response& response, Extracted& out) {
  const std::vector<const json::object*> jobs = Entries(root, "jobs");
  for (const json::object* j : jobs) {
    Posting p;
    p.external_id = Text(Get(*j, "guid"));
    p.title = Text(Get(*j, "title"));
    p.company = Text(Get(*j, "companyName"));
    p.remote = "remote";  // a remote-only board; locationRestrictions say from where
    Places(p, Array(Get(*j, "locationRestrictions")));
    if (auto type = Text(Get(*j, "employmentType"))) p.employment_type = EmploymentType(*type);
    Salary(p, Get(*j, "minSalary"), Get(*j, "maxSalary"), Text(Get(*j, "currency")),
           PayRateOf(Text(Get(*j, "salaryPeriod"))));
    p.date_posted = EpochDate(Get(*j, "pubDate"));
    p.valid_through = EpochDate(Get(*j, "expiryDate"));
    std::string html = Html(Get(*j, "description"));
    SetDescription(p, html.empty() ? Html(Get(*j, "excerpt")) : html);
    Finish(std::move(p), Get(*j, "guid"), Get(*j, "applicationLink"), response, out);
  }
  if (jobs.empty() || !root.is_object()) return;
  // The cursor when the API gives one (it never repeats a job), else the
  // offset while it is short of the total.
  if (auto cursor = Text(Get(root.get_object(), "nextCursor"))) {
    FollowPage(WithParam(response.url, "cursor", *cursor), out);
    return;
  }
  auto offset = Count(Get(root.get_object(), "offset"));
  auto limit = Count(Get(root.get_object(), "limit"));
  auto total = Count(Get(root.get_object(), "totalCount"));
  if (offset && limit && total && *limit > 0 && *offset + *limit < *total) {
    FollowPage(WithParam(response.url, "offset", std::to_string(*offset + *limit)), out);
  }
}

// ---- Jobicy: {jobs: [...]} (v2; up to `count` jobs, no further pages) ----
// https://jobicy.com/jobs-rss-feed
void Jobicy(const json::value& root, const Response& response, Extracted& out) {
  for (const json::object* j : Entries(root, "jobs")) {
    Posting p;
    p.external_id = Text(Get(*j, "id"));
    p.title = Text(Get(*j, "jobTitle"));
    p.company = Text(Get(*j, "companyName"));
    p.remote = "remote";
    // "LATAM,  Canada,  USA": regions and countries remote work is open to.
    if (auto geo = Text(Get(*j, "jobGeo"))) {
      std::string places;
      std::string_view rest = *geo;
      while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        AddPlace(places, NonEmpty(std::string(ascii::Trim(rest.substr(0, comma)))));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      p.location = NonEmpty(std::move(places));
    }
    p.employment_type = EmploymentTypes(Get(*j, "jobType"));
    Salary(p, Get(*j, "salaryMin"), Get(*j, "salaryMax"), Text(Get(*j, "salaryCurrency")),
           PayRateOf(Text(Get(*j, "salaryPeriod"))));
    p.date_posted = Text(Get(*j, "pubDate"));
    std::string html = Html(Get(*j, "jobDescription"));
    SetDescription(p, html.empty() ? Html(Get(*j, "jobExcerpt")) : html);
    Finish(std::move(p), Get(*j, "url"), Get(*j, "url"), response, out);
  }
}

// ---- Arbeitnow: {data: [...], links: {next}, meta} ----
// https://www.arbeitnow.com/api/job-board-api
void Arbeitnow(const json::value& root, const Response& response, Extracted& out) {
  const std::vector<const json::object*> jobs = Entries(root, "data");
  for (const json::object* j : jobs) {
    Posting p;
    p.external_id = Text(Get(*j, "slug"));
    p.title = Text(Get(*j, "title"));
    p.company = Text(Get(*j, "company_name"));
    p.location = Text(Get(*j, "location"));
    // `remote: false` says only that the job is not remote-only.
    if (Truthy(Get(*j, "remote"))) p.remote = "remote";
    p.employment_type = EmploymentTypes(Get(*j, "job_types"));
    p.date_posted = EpochDate(Get(*j, "created_at"));
    SetDescription(p, Html(Get(*j, "description")));
    Finish(std::move(p), Get(*j, "url"), Get(*j, "url"), response, out);
  }
  if (jobs.empty() || !root.is_object()) return;
  if (const json::object* links = Object(Get(root.get_object(), "links"))) {
    FollowPage(Link(Get(*links, "next"), response.url), out);
  }
}

// ---- Landing.jobs: a bare array, paged by limit and offset ----
// https://landing.jobs/api/v1 (jobs index)
void LandingJobs(const json::value& root, const Response& response, Extracted& out) {
  const std::vector<const json::object*> jobs = EntriesOrArray(root, "jobs");
  for (const json::object* j : jobs) {
    Posting p;
    p.external_id = Text(Get(*j, "id"));
    p.title = Text(Get(*j, "title"));
    p.company = Text(Get(*j, "company_name"));
    if (Truthy(Get(*j, "remote"))) p.remote = "remote";
    std::string places;
    if (const json::array* locations = Array(Get(*j, "locations"))) {
      for (const json::value& l : *locations) {
        const json::object* lo = Object(&l);
        if (lo == nullptr) continue;
        auto country = Text(Get(*lo, "country_code"));
        AddPlace(places, JoinPlace({Text(Get(*lo, "city")), country}));
        if (!p.country) p.country = country;
      }
    }
    p.location = NonEmpty(std::move(places));
    if (auto type = Text(Get(*j, "type"))) p.employment_type = EmploymentType(*type);
    // Gross yearly pay, in the job's currency.
    Salary(p, Get(*j, "gross_salary_low"), Get(*j, "gross_salary_high"), Text(Get(*j, "currency_code")), "YEAR");
    p.date_posted = Text(Get(*j, "published_at"));
    if (!p.date_posted) p.date_posted = Text(Get(*j, "created_at"));
    p.valid_through = Text(Get(*j, "expires_at"));
    std::string html;
    AppendHtml(html, Get(*j, "role_description"));
    AppendHtml(html, Get(*j, "main_requirements"), "Requirements");
    AppendHtml(html, Get(*j, "nice_to_have"), "Nice to have");
    AppendHtml(html, Get(*j, "perks"), "Perks");
    SetDescription(p, html);
    Finish(std::move(p), Get(*j, "url"), Get(*j, "url"), response, out);
  }
  // A full page may have more behind it.
  // No offset is 0; one that does not read asks for nothing more.
  auto limit = QueryNumber(response.url, "limit");
  auto offset = HasQueryParam(response.url, "offset") ? QueryNumber(response.url, "offset") : 0;
  if (limit && offset && *limit > 0 && static_cast<long long>(jobs.size()) >= *limit) {
    FollowPage(WithParam(response.url, "offset", std::to_string(*offset + *limit)), out);
  }
}

// ---- 4 Day Week: {jobs: [...]} ----
void FourDayWeek(const json::value& root, const Response& response, Extracted& out) {
  for (const json::object* j : Entries(root, "jobs")) {
    if (Truthy(Get(*j, "is_expired"))) {
      ++out.skipped;
      continue;
    }
    Posting p;
    p.external_id = Text(Get(*j, "id"));
    p.title = Text(Get(*j, "title"));
    p.company = Text(Get(*j, "company_name"));
    if (!p.company) {
      if (const json::object* c = Object(Get(*j, "company"))) p.company = Text(Get(*c, "name"));
    }
    p.remote = Workplace(Text(Get(*j, "work_arrangement")));
    std::string places;
    if (const json::array* locations = Array(Get(*j, "locations"))) {
      for (const json::value& l : *locations) {
        const json::object* lo = Object(&l);
        if (lo == nullptr) continue;
        auto country = Text(Get(*lo, "country"));
        AddPlace(places, JoinPlace({Text(Get(*lo, "city")), country}));
        if (!p.country || Truthy(Get(*lo, "is_primary"))) p.country = country;
      }
    }
    p.location = NonEmpty(std::move(places));
    // Amounts in cents. Pay for no period ("one-time") is no salary, nor
    // is its text.
    auto lo = Number(Get(*j, "salary_lower"));
    auto hi = Number(Get(*j, "salary_upper"));
    const PayRate rate = PayRateOf(Text(Get(*j, "salary_period")));
    Salary(p, lo ? std::optional(*lo / 100) : std::nullopt, hi ? std::optional(*hi / 100) : std::nullopt,
           Text(Get(*j, "salary_currency")), rate);
    if (!p.salary_min && !p.salary_max && rate.periodic) p.salary_text = Text(Get(*j, "salary"));
    p.date_posted = EpochDate(Get(*j, "posted"));
    if (!p.date_posted) p.date_posted = Text(Get(*j, "inserted"));
    SetDescription(p, Html(Get(*j, "description")));
    std::optional<std::string> page;
    if (auto slug = Text(Get(*j, "slug"))) page = CanonicalUrl("https://4dayweek.io/remote-job/" + *slug);
    p.url = page.value_or(std::string(response.url));
    p.apply_url = Link(Get(*j, "url"), response.url);
    Keep(std::move(p), response, out);
  }
}

// ---- Working Nomads: a bare array ----
void WorkingNomads(const json::value& root, const Response& response, Extracted& out) {
  for (const json::object* j : EntriesOrArray(root, "jobs")) {
    Posting p;
    p.title = Text(Get(*j, "title"));
    p.company = Text(Get(*j, "company_name"));
    // Some titles lead with the company: "Beekman Social - Account Manager".
    if (p.title && p.company && p.title->starts_with(*p.company + " - ")) {
      p.title = NonEmpty(p.title->substr(p.company->size() + 3));
    }
    p.remote = "remote";
    p.location = Text(Get(*j, "location"));
    p.date_posted = Text(Get(*j, "pub_date"));
    SetDescription(p, Html(Get(*j, "description")));
    // The id is the number in ".../job/go/1891955/".
    if (auto url = Text(Get(*j, "url"))) {
      std::string_view path = *url;
      while (path.ends_with('/')) path.remove_suffix(1);
      const std::string_view id = path.substr(path.rfind('/') + 1);
      if (!id.empty() && std::all_of(id.begin(), id.end(), ascii::IsDigit)) p.external_id = std::string(id);
    }
    Finish(std::move(p), Get(*j, "url"), Get(*j, "url"), response, out);
  }
}

// ---- The Muse: {page, page_count, results: [...]} ----
// https://www.themuse.com/developers/api/v2 (public jobs; `page` required)
void TheMuse(const json::value& root, const Response& response, Extracted& out) {
  const std::vector<const json::object*> jobs = Entries(root, "results");
  for (const json::object* j : jobs) {
    Posting p;
    p.external_id = Text(Get(*j, "id"));
    p.title = Text(Get(*j, "name"));
    if (const json::object* c = Object(Get(*j, "company"))) p.company = Text(Get(*c, "name"));
    // "Flexible / Remote" stands among the places for remote work; beside
    // an office the job is remote-eligible (remote or in that office), not
    // hybrid, as MergeWorkplace reads Rippling's locations.
    std::string places;
    if (const json::array* locations = Array(Get(*j, "locations"))) {
      for (const json::value& l : *locations) {
        const json::object* lo = Object(&l);
        auto name = lo != nullptr ? Text(Get(*lo, "name")) : std::nullopt;
        if (!name) continue;
        if (ascii::ContainsIgnoreCase(*name, "remote")) p.remote = "remote";
        AddPlace(places, name);
      }
    }
    p.location = NonEmpty(std::move(places));
    p.date_posted = Text(Get(*j, "publication_date"));
    SetDescription(p, Html(Get(*j, "contents")));
    const json::object* refs = Object(Get(*j, "refs"));
    Finish(std::move(p), refs != nullptr ? Get(*refs, "landing_page") : nullptr, nullptr, response, out);
  }
  if (jobs.empty() || !root.is_object()) return;
  auto page = Count(Get(root.get_object(), "page"));
  auto count = Count(Get(root.get_object(), "page_count"));
  if (page && count && *page + 1 < *count) {
    FollowPage(WithParam(response.url, "page", std::to_string(*page + 1)), out);
  }
}

}  // namespace jobtrawl::parsers::boards
