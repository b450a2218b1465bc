// Readers of the applicant-tracking systems jobtrawl read first: Greenhouse,
// Lever, Ashby, Workable, SmartRecruiters and Recruitee.
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <algorithm>
#include <initializer_list>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "model/ascii.h"
#include "model/url.h"
#include "parsers/boards/common.h"
#include "parsers/boards/readers.h"
#include "parsers/html_text.h"

namespace jobtrawl::parsers::boards {

// Greenhouse has no workplace or employment field of its own; boards keep
// them in custom fields ("metadata": [{name, value, value_type}], value a
// string, a list or a flag), named as each board likes: "Workplace Type",
// "Remote", "Location Type", "Work Location", "Employment Type", "Job
// Type"...
namespace {

// The workplace a custom field's value states; a multi-select's choices
// ("Remote", "Hybrid") are the most remote of them, as Workplace reads
// "Hybrid or Remote".
std::optional<std::string> ValueWorkplace(const json::value& value) {
  if (!value.is_array()) return Workplace(Text(&value));
  std::optional<std::string> most;
  for (const json::value& choice : value.get_array()) MergeWorkplace(most, Workplace(Text(&choice)));
  return most;
}

void GreenhouseMetadata(Posting& p, const json::array* metadata) {
  if (metadata == nullptr) return;
  static constexpr std::string_view kWorkplaceNames[] = {
      "workplace",  "remote",     "location type",   "work location", "work arrangement", "working arrangement",
      "work model", "working model", "work type",    "work setting",  "work environment", "work mode",
      "work style", "workstyle",  "office"};
  for (const json::value& m : *metadata) {
    const json::object* field = Object(&m);
    if (field == nullptr) continue;
    const std::string name = ascii::ToLower(Text(Get(*field, "name")).value_or(""));
    const json::value* all = Get(*field, "value");
    const json::value* value = all;
    if (value != nullptr && value->is_array()) value = value->get_array().empty() ? nullptr : &value->get_array()[0];
    if (value == nullptr) continue;
    const bool workplace = std::any_of(std::begin(kWorkplaceNames), std::end(kWorkplaceNames),
                                       [&name](std::string_view n) { return name.find(n) != std::string::npos; });
    const bool employment = name.find("employment") != std::string::npos || name.find("job type") != std::string::npos ||
                            name.find("time type") != std::string::npos || name.find("contract type") != std::string::npos;
    if (workplace && !p.remote) {
      if (value->is_bool()) {
        if (value->get_bool()) p.remote = "remote";
      } else if (auto w = ValueWorkplace(*all)) {
        p.remote = w;
      } else if (auto t = Text(value); t && name.find("remote") != std::string::npos &&
                                       (ascii::EqualsIgnoreCase(*t, "yes") || ascii::EqualsIgnoreCase(*t, "true"))) {
        p.remote = "remote";
      } else if (auto e = t ? std::optional(EmploymentType(*t)) : std::nullopt;
                 e && !p.employment_type && name.find("type") != std::string::npos &&
                 (*e == "FULL_TIME" || *e == "PART_TIME" || *e == "CONTRACTOR" || *e == "TEMPORARY" ||
                  *e == "INTERN")) {
        p.employment_type = e;  // "Work Type": "Full-time" names the hours, not the place
      }
    } else if (employment && !p.employment_type) {
      if (auto t = Text(value)) p.employment_type = EmploymentType(*t);
    }
  }
}

// The words of a custom field's name, lower case ("Sign-on bonus" ->
// sign, on, bonus).
std::vector<std::string> NameWords(std::string_view name) {
  std::vector<std::string> words(1);
  for (char c : name) {
    if (ascii::IsAlnum(c)) {
      words.back().push_back(ascii::ToLower(c));
    } else if (!words.back().empty()) {
      words.emplace_back();
    }
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

bool HasWord(const std::vector<std::string>& words, std::initializer_list<std::string_view> any) {
  for (const std::string& w : words) {
    for (std::string_view a : any) {
      if (w == a) return true;
    }
  }
  return false;
}

// Is a field named for the job's pay ("Salary Range", "Base salary", "Pay
// range", "Compensation", "Hourly rate", "Hiring Range"), not for money
// beside it (a bonus, a relocation budget, equity, a stipend)?
bool PayField(const std::vector<std::string>& words) {
  return HasWord(words, {"salary", "salaries", "pay", "compensation", "wage", "wages", "base", "remuneration",
                         "rate", "earnings", "hiring", "ote"}) &&
         !HasWord(words, {"bonus", "relocation", "equity", "budget", "stipend", "allowance", "commission", "sign",
                          "signing", "referral", "stock", "shares", "options", "rsu", "rsus", "expense", "expenses",
                          "reimbursement", "tuition", "holiday", "vacation", "severance", "benefits"});
}

// Is a field named for the pay's period ("Pay Frequency", "Pay Period",
// "Salary Period", "Compensation Interval"), not any period ("Notice
// Period", "Probation period", "Bonus Frequency")?
bool PayPeriodField(const std::vector<std::string>& words) {
  return PayField(words) && HasWord(words, {"frequency", "period", "interval", "basis", "unit", "schedule", "cadence"});
}

// Pay in custom fields, where a board without pay transparency ranges
// keeps it: a currency range ({"value_type": "currency_range", "value":
// {"min_value": "172800.0", "max_value": "297000.0", "unit": "USD"}}), the
// first one named for pay (PayField), its period from a field named for
// the pay's period (PayPeriodField: "Pay Frequency": "Annual", "Bi-weekly"),
// else from the range's own name ("Hourly rate"), else not stated.
void GreenhouseMetadataPay(Posting& p, const json::array* metadata) {
  if (metadata == nullptr || p.salary_min || p.salary_max) return;
  std::optional<PayRate> rate;
  const json::object* range = nullptr;
  std::string range_name;
  for (const json::value& m : *metadata) {
    const json::object* field = Object(&m);
    if (field == nullptr) continue;
    const std::string name = Text(Get(*field, "name")).value_or("");
    const std::vector<std::string> words = NameWords(name);
    const json::object* value = Object(Get(*field, "value"));
    if (value != nullptr && (Get(*value, "min_value") != nullptr || Get(*value, "max_value") != nullptr)) {
      if (range == nullptr && PayField(words)) {
        range = value;
        range_name = name;
      }
    } else if (!rate && PayPeriodField(words)) {
      const json::value* v = Get(*field, "value");
      if (v != nullptr && v->is_array()) v = v->get_array().empty() ? nullptr : &v->get_array()[0];
      if (PayRate r = PayRateOf(Text(v)); r.period || !r.periodic) rate = r;  // "One-time": no salary
    }
  }
  if (range == nullptr) return;
  // The range's name may tell its period ("Hourly rate"); its other words
  // ("Project Salary") are no interval.
  if (!rate) {
    rate = PayRateOf(range_name);
    if (!rate->periodic) rate = PayRate{};
  }
  auto unit = Text(Get(*range, "unit"));
  Salary(p, Get(*range, "min_value"), Get(*range, "max_value"),
         unit ? std::optional(ascii::ToUpper(*unit)) : std::nullopt, *rate);
}

}  // namespace

// ---- Greenhouse: {"jobs": [...]} (also the older /embed/jobs shape) ----
void Greenhouse(const json::value& root, const Response& response, Extracted& out) {
  const json::object* o = Object(&root);
  if (o == nullptr) return;
  // /jobs lists them; /departments and /offices nest them in their
  // branches (one job may sit in several); /jobs/{id} is the job itself.
  // A job of the departments endpoint is in the branch that holds it
  // (its own "departments" list is absent there).
  std::vector<std::pair<const json::value*, std::optional<std::string>>> found;
  std::unordered_set<std::string> ids;
  auto collect = [&](auto& self, const json::object& node, int depth,
                     const std::optional<std::string>& branch) -> void {
    if (depth > 8) return;
    for (const auto& [key, child] : node) {
      const json::array* a = Array(&child);
      if (a == nullptr) continue;
      for (const json::value& e : *a) {
        const json::object* eo = Object(&e);
        if (eo == nullptr) continue;
        if (key == "jobs") {
          auto id = Text(Get(*eo, "id"));
          if (!id || ids.insert(*id).second) found.emplace_back(&e, branch);
        } else {
          self(self, *eo, depth + 1, key == "departments" ? Text(Get(*eo, "name")) : branch);
        }
      }
    }
  };
  if (Get(*o, "jobs") == nullptr && Get(*o, "title") != nullptr) {
    found.emplace_back(&root, std::nullopt);
  } else {
    collect(collect, *o, 0, std::nullopt);
  }
  for (const auto& [job, branch] : found) {
    const json::value& v = *job;
    const json::object* j = Object(&v);
    if (j == nullptr) continue;
    Posting p;
    p.external_id = Text(Get(*j, "id"));
    p.title = Text(Get(*j, "title"));
    p.company = Text(Get(*j, "company_name"));
    p.department = Names(Array(Get(*j, "departments")));
    if (!p.department) p.department = branch;
    if (const json::object* loc = Object(Get(*j, "location"))) p.location = Text(Get(*loc, "name"));
    p.date_posted = Text(Get(*j, "first_published"));
    if (!p.date_posted) p.date_posted = Text(Get(*j, "updated_at"));
    p.valid_through = Text(Get(*j, "application_deadline"));
    GreenhouseMetadata(p, Array(Get(*j, "metadata")));
    // Pay transparency ranges (the job endpoint with pay_transparency=true),
    // in cents; the first range is the board's own.
    if (const json::array* ranges = Array(Get(*j, "pay_input_ranges")); ranges != nullptr && !ranges->empty()) {
      if (const json::object* r = Object(&ranges->front())) {
        auto lo = Number(Get(*r, "min_cents"));
        auto hi = Number(Get(*r, "max_cents"));
        Salary(p, lo ? std::optional(*lo / 100) : std::nullopt, hi ? std::optional(*hi / 100) : std::nullopt,
               Text(Get(*r, "currency_type")), std::nullopt);
      }
    }
    GreenhouseMetadataPay(p, Array(Get(*j, "metadata")));
    SetDescription(p, Html(Get(*j, "content")));
    Finish(std::move(p), Get(*j, "absolute_url"), Get(*j, "absolute_url"), response, out);
  }
}

// ---- Lever: an array of postings (or one posting object) ----
void Lever(const json::value& root, const Response& response, Extracted& out) {
  auto one = [&](const json::object& j) {
    Posting p;
    p.external_id = Text(Get(j, "id"));
    p.title = Text(Get(j, "text"));
    if (const json::object* c = Object(Get(j, "categories"))) {
      p.location = Text(Get(*c, "location"));
      if (const json::array* all = Array(Get(*c, "allLocations")); all != nullptr && all->size() > 1) {
        std::string joined;
        for (const auto& l : *all) {
          if (auto t = Text(&l)) joined += (joined.empty() ? "" : "; ") + *t;
        }
        p.location = NonEmpty(std::move(joined));
      }
      if (auto commitment = Text(Get(*c, "commitment"))) p.employment_type = EmploymentType(*commitment);
      // A board names the department and the team in it, or only the team.
      p.department = Text(Get(*c, "department"));
      if (!p.department) p.department = Text(Get(*c, "team"));
    }
    p.country = Text(Get(j, "country"));
    p.remote = Workplace(Text(Get(j, "workplaceType")));
    p.date_posted = EpochDate(Get(j, "createdAt"));
    // Newer responses split the description into opening and body (the
    // "description" field then holds both); older ones have it alone.
    std::string html;
    if (Get(j, "descriptionBody") != nullptr) {
      AppendHtml(html, Get(j, "opening"));
      AppendHtml(html, Get(j, "descriptionBody"));
    } else {
      AppendHtml(html, Get(j, "description"));
    }
    if (const json::array* lists = Array(Get(j, "lists"))) {
      for (const auto& l : *lists) {
        if (const json::object* lo = Object(&l)) {
          auto heading = Text(Get(*lo, "text"));
          AppendHtml(html, Get(*lo, "content"), heading.value_or(""));
        }
      }
    }
    AppendHtml(html, Get(j, "additional"));
    SetDescription(p, html);
    // A range paid once ("one-time") is no salary, nor is the text that
    // describes it.
    bool one_off = false;
    if (const json::object* s = Object(Get(j, "salaryRange"))) {
      const PayRate rate = PayRateOf(Text(Get(*s, "interval")));
      one_off = !rate.periodic;
      Salary(p, Get(*s, "min"), Get(*s, "max"), Text(Get(*s, "currency")), rate);
    }
    if (!p.salary_min && !p.salary_max && !one_off) p.salary_text = Text(Get(j, "salaryDescriptionPlain"));
    Finish(std::move(p), Get(j, "hostedUrl"), Get(j, "applyUrl"), response, out);
  };
  if (const json::array* a = Array(&root)) {
    for (const auto& v : *a) {
      if (const json::object* j = Object(&v)) one(*j);
    }
  } else if (const json::object* j = Object(&root); j != nullptr && Get(*j, "text")) {
    one(*j);
  }
}

// ---- Ashby: {"jobs": [...]} from the posting API ----
void Ashby(const json::value& root, const Response& response, Extracted& out) {
  for (const json::object* j : Entries(root, "jobs")) {
    if (const json::value* listed = Get(*j, "isListed"); listed != nullptr && listed->is_bool() && !listed->get_bool()) {
      ++out.skipped;
      continue;
    }
    Posting p;
    p.external_id = Text(Get(*j, "id"));
    p.title = Text(Get(*j, "title"));
    p.department = Text(Get(*j, "department"));
    if (!p.department) p.department = Text(Get(*j, "team"));
    std::string locations = Text(Get(*j, "location")).value_or("");
    if (const json::array* more = Array(Get(*j, "secondaryLocations"))) {
      for (const auto& l : *more) {
        const json::object* lo = Object(&l);
        auto t = lo != nullptr ? Text(Get(*lo, "location")) : Text(&l);
        if (t && locations.find(*t) == std::string::npos) locations += (locations.empty() ? "" : "; ") + *t;
      }
    }
    p.location = NonEmpty(std::move(locations));
    if (const json::object* a = Object(Get(*j, "address"))) {
      if (const json::object* pa = Object(Get(*a, "postalAddress"))) p.country = Text(Get(*pa, "addressCountry"));
    }
    p.remote = Workplace(Text(Get(*j, "workplaceType")));
    if (!p.remote && Truthy(Get(*j, "isRemote"))) p.remote = "remote";
    if (auto t = Text(Get(*j, "employmentType"))) p.employment_type = EmploymentType(*t);
    p.date_posted = Text(Get(*j, "publishedAt"));
    std::string html = Html(Get(*j, "descriptionHtml"));
    SetDescription(p, html.empty() ? Html(Get(*j, "descriptionPlain")) : html);
    if (const json::object* c = Object(Get(*j, "compensation"))) {
      // The salary component of the summary, else of the first tier; else
      // the summary as written ("$99K – $115K • Offers Equity").
      // A salary paid once ("1 TIME") is none, nor is the summary of it.
      bool one_off = false;
      auto salary_of = [&p, &one_off](const json::array* parts) {
        if (parts == nullptr) return;
        for (const auto& part : *parts) {
          const json::object* s = Object(&part);
          if (s == nullptr || Text(Get(*s, "compensationType")) != "Salary") continue;
          const PayRate rate = PayRateOf(Text(Get(*s, "interval")));
          one_off = !rate.periodic;
          Salary(p, Get(*s, "minValue"), Get(*s, "maxValue"), Text(Get(*s, "currencyCode")), rate);
          break;
        }
      };
      salary_of(Array(Get(*c, "summaryComponents")));
      if (!p.salary_min && !p.salary_max && !one_off) {
        if (const json::array* tiers = Array(Get(*c, "compensationTiers")); tiers != nullptr && !tiers->empty()) {
          if (const json::object* tier = Object(&tiers->front())) salary_of(Array(Get(*tier, "components")));
        }
      }
      if (!p.salary_min && !p.salary_max && !one_off) {
        p.salary_text = Text(Get(*c, "scrapeableCompensationSalarySummary"));
        if (!p.salary_text) p.salary_text = Text(Get(*c, "compensationTierSummary"));
      }
    }
    Finish(std::move(p), Get(*j, "jobUrl"), Get(*j, "applyUrl"), response, out);
  }
}

// ---- Workable: the widget API ({name, jobs}), the v3 apply API's list
// ({results}) and its one job (GET /api/v2/accounts/{account}/jobs/{shortcode}) ----
void Workable(const json::value& root, const Response& response, Extracted& out) {
  const std::string_view url = response.url;
  const json::object* o = Object(&root);
  if (o == nullptr) return;
  auto company = Text(Get(*o, "name"));
  std::string account;  // ".../accounts/{account}/..." for v3 job links
  if (auto at = url.find("/accounts/"); at != std::string_view::npos) {
    account = std::string(url.substr(at + 10, url.find_first_of("/?", at + 10) - at - 10));
  }
  std::vector<const json::object*> jobs = Entries(root, "jobs");
  if (jobs.empty()) jobs = Entries(root, "results");
  // GET /api/v2/accounts/{account}/jobs/{shortcode}: the one job itself,
  // with its description, requirements and benefits.
  if (jobs.empty() && Get(*o, "shortcode") != nullptr && Get(*o, "title") != nullptr) jobs.push_back(o);
  for (const json::object* j : jobs) {
    Posting p;
    p.external_id = Text(Get(*j, "shortcode"));
    p.title = Text(Get(*j, "title"));
    p.company = company;
    // The widget writes a string, v3 a list of them.
    p.department = Array(Get(*j, "department")) != nullptr ? Names(Array(Get(*j, "department")))
                                                          : Text(Get(*j, "department"));
    const json::object* loc = Object(Get(*j, "location"));
    if (loc == nullptr) loc = j;  // the widget puts city/state/country on the job
    p.location = JoinPlace({Text(Get(*loc, "city")), Text(Get(*loc, "region")),
                            Text(Get(*loc, "state")), Text(Get(*loc, "country"))});
    p.country = Text(Get(*loc, "countryCode"));
    if (!p.country) p.country = Text(Get(*loc, "country_code"));
    // The widget names the country on the job, its code in locations[].
    if (const json::array* all = Array(Get(*j, "locations")); !p.country && all != nullptr && !all->empty()) {
      if (const json::object* first = Object(&all->front())) p.country = Text(Get(*first, "countryCode"));
    }
    if (!p.country) p.country = Text(Get(*loc, "country"));
    if (const json::array* all = Array(Get(*j, "locations")); all != nullptr && all->size() > 1) {
      std::string joined;
      for (const auto& l : *all) {
        const json::object* lo = Object(&l);
        if (lo == nullptr || Truthy(Get(*lo, "hidden"))) continue;
        if (auto t = JoinPlace({Text(Get(*lo, "city")), Text(Get(*lo, "region")), Text(Get(*lo, "country"))}))
          joined += (joined.empty() ? "" : "; ") + *t;
      }
      if (!joined.empty()) p.location = std::move(joined);
    }
    // The widget's telecommuting, v3's remote and workplace, the job API's
    // location.telecommuting and location.workplace_type (on_site | hybrid | remote).
    // The widget writes its flag as a string ("True", "False").
    auto flag = [](const json::value* f) {
      return Truthy(f) || (f != nullptr && f->is_string() && ascii::EqualsIgnoreCase(f->get_string(), "true"));
    };
    if (flag(Get(*j, "telecommuting")) || flag(Get(*j, "remote")) || flag(Get(*loc, "telecommuting"))) {
      p.remote = "remote";
    }
    if (auto w = Workplace(Text(Get(*j, "workplace")))) p.remote = w;
    if (auto w = Workplace(Text(Get(*loc, "workplace_type")))) p.remote = w;
    if (const json::object* s = Object(Get(*j, "salary"))) {
      auto currency = Text(Get(*s, "salary_currency"));
      Salary(p, Get(*s, "salary_from"), Get(*s, "salary_to"),
             currency ? std::optional(ascii::ToUpper(*currency)) : std::nullopt, std::nullopt);
    }
    auto type = Text(Get(*j, "employment_type"));
    if (!type) type = Text(Get(*j, "type"));
    if (type) p.employment_type = *type == "full" ? "FULL_TIME" : *type == "part" ? "PART_TIME" : EmploymentType(*type);
    p.date_posted = Text(Get(*j, "published_on"));
    if (!p.date_posted) p.date_posted = Text(Get(*j, "published"));
    std::string html;
    AppendHtml(html, Get(*j, "description"));
    AppendHtml(html, Get(*j, "requirements"), "Requirements");
    AppendHtml(html, Get(*j, "benefits"), "Benefits");
    SetDescription(p, html);
    auto link = Link(Get(*j, "url"), url);
    if (!link && p.external_id && !account.empty()) {
      link = CanonicalUrl("https://apply.workable.com/" + account + "/j/" + *p.external_id + "/");
    }
    p.url = link.value_or(std::string(url));
    p.apply_url = Link(Get(*j, "application_url"), url);
    Keep(std::move(p), response, out);
  }
}

namespace {

// ---- SmartRecruiters: {offset, limit, totalFound, content: [...]} pages
// of GET /v1/companies/{id}/postings, and one posting of
// GET /v1/companies/{id}/postings/{postingId} (the same fields, and its
// text in jobAd.sections, applyUrl, postingUrl, active) ----
void SmartRecruitersPosting(const json::object& j, const Response& response, Extracted& out) {
  const std::string_view url = response.url;
  if (const json::value* active = Get(j, "active"); active != nullptr && active->is_bool() && !active->get_bool()) {
    ++out.skipped;
    return;
  }
  Posting p;
  p.external_id = Text(Get(j, "id"));
  p.title = Text(Get(j, "name"));
  std::string company_id;
  if (const json::object* c = Object(Get(j, "company"))) {
    p.company = Text(Get(*c, "name"));
    company_id = Text(Get(*c, "identifier")).value_or("");
  }
  // The workplace: the posting's locationType (REMOTE | ONSITE | HYBRID)
  // beside the location's remote and hybrid flags. A hybrid stated by
  // either is hybrid (a flag added after a two-valued enum); else the enum,
  // which states on-site outright, wins over the flags, whose on-site is
  // only both of them false.
  auto location_type = Workplace(Text(Get(j, "locationType")));
  if (const json::object* l = Object(Get(j, "location"))) {
    p.location = JoinPlace({Text(Get(*l, "city")), Text(Get(*l, "region")), Text(Get(*l, "country"))});
    p.country = Text(Get(*l, "country"));
    if (!location_type) location_type = Workplace(Text(Get(*l, "locationType")));
    p.remote = WorkplaceFlags(Get(*l, "remote"), Get(*l, "hybrid"), nullptr);
    if (auto full = Text(Get(*l, "fullLocation"))) p.location = full;
  }
  if (location_type && p.remote != "hybrid") p.remote = location_type;
  if (const json::object* d = Object(Get(j, "department"))) p.department = Text(Get(*d, "label"));
  if (const json::object* t = Object(Get(j, "typeOfEmployment"))) {
    if (auto label = Text(Get(*t, "label"))) p.employment_type = EmploymentType(*label);
  }
  p.date_posted = Text(Get(j, "releasedDate"));
  // The posting endpoint's text: the job ad's sections, each under its title.
  if (const json::object* ad = Object(Get(j, "jobAd"))) {
    if (const json::object* sections = Object(Get(*ad, "sections"))) {
      std::string html;
      for (std::string_view name : {"companyDescription", "jobDescription", "qualifications", "additionalInformation"}) {
        if (const json::object* section = Object(Get(*sections, name))) {
          AppendHtml(html, Get(*section, "text"), Text(Get(*section, "title")).value_or(""));
        }
      }
      SetDescription(p, html);
    }
  }
  // The same URL from the list and the posting endpoint: one listing.
  if (!company_id.empty() && p.external_id) {
    p.url = CanonicalUrl("https://jobs.smartrecruiters.com/" + company_id + "/" + *p.external_id)
                .value_or(std::string(url));
  } else if (auto posting_url = Link(Get(j, "postingUrl"), url)) {
    p.url = *posting_url;
  } else {
    p.url = std::string(url);
  }
  p.apply_url = Link(Get(j, "applyUrl"), url);
  Keep(std::move(p), response, out);
}

void SmartRecruitersPage(const json::object& page, const Response& response, Extracted& out) {
  const std::string_view url = response.url;
  const json::array* content = Array(Get(page, "content"));
  if (content == nullptr) {
    // Not a page: the posting endpoint's one posting.
    if (Get(page, "id") != nullptr && Get(page, "name") != nullptr) SmartRecruitersPosting(page, response, out);
    return;
  }
  for (const json::value& v : *content) {
    if (const json::object* j = Object(&v)) SmartRecruitersPosting(*j, response, out);
  }
  // The next page, while the offset has not passed what was found.
  auto offset = Count(Get(page, "offset"));
  auto limit = Count(Get(page, "limit"));
  auto total = Count(Get(page, "totalFound"));
  if (!offset || !limit || !total || *limit <= 0 || *offset + *limit >= *total) return;
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return;
  boost::urls::url next(*parsed);
  next.params().set("offset", std::to_string(*offset + *limit));
  next.params().set("limit", std::to_string(*limit));
  if (auto canonical = CanonicalUrl(next.buffer())) out.links.push_back({*canonical, Link::Role::kListing});
}

}  // namespace

void SmartRecruiters(const json::value& root, const Response& response, Extracted& out) {
  if (const json::object* page = Object(&root)) {
    SmartRecruitersPage(*page, response, out);
  } else if (const json::array* pages = Array(&root)) {  // saved pages, one after another
    for (const auto& v : *pages) {
      if (const json::object* one = Object(&v)) SmartRecruitersPage(*one, response, out);
    }
  }
}

// ---- Recruitee: {"offers": [...]} ----
void Recruitee(const json::value& root, const Response& response, Extracted& out) {
  std::vector<const json::object*> offers = Entries(root, "offers");
  // GET /api/offers/{slug}: {"offer": {...}}, the one offer.
  if (const json::object* o = Object(&root); offers.empty() && o != nullptr) {
    if (const json::object* one = Object(Get(*o, "offer"))) offers.push_back(one);
  }
  for (const json::object* j : offers) {
    if (auto status = Text(Get(*j, "status")); status && *status != "published") {
      ++out.skipped;
      continue;
    }
    Posting p;
    p.external_id = Text(Get(*j, "id"));
    p.title = Text(Get(*j, "title"));
    p.company = Text(Get(*j, "company_name"));
    p.department = Text(Get(*j, "department"));
    p.location = Text(Get(*j, "location"));
    if (!p.location) p.location = JoinPlace({Text(Get(*j, "city")), Text(Get(*j, "country"))});
    p.country = Text(Get(*j, "country_code"));
    p.remote = WorkplaceFlags(Get(*j, "remote"), Get(*j, "hybrid"), Get(*j, "on_site"));
    if (auto code = Text(Get(*j, "employment_type_code"))) {
      // "fulltime_permanent", "parttime_fixed_term", "internship", ...: a
      // fixed term is temporary work besides its hours.
      static constexpr std::pair<std::string_view, std::string_view> kCodes[] = {
          {"fulltime", "FULL_TIME"},   {"parttime", "PART_TIME"},  {"contract", "CONTRACTOR"},
          {"freelance", "CONTRACTOR"}, {"internship", "INTERN"},   {"traineeship", "INTERN"},
          {"temporary", "TEMPORARY"},  {"volunteer", "VOLUNTEER"}};
      for (const auto& [prefix, value] : kCodes) {
        if (code->starts_with(prefix)) p.employment_type = std::string(value);
      }
      if (p.employment_type && code->ends_with("fixed_term") && *p.employment_type != "TEMPORARY") {
        *p.employment_type += ",TEMPORARY";
      }
    }
    p.date_posted = Text(Get(*j, "published_at"));
    if (!p.date_posted) p.date_posted = Text(Get(*j, "created_at"));
    std::string html;
    AppendHtml(html, Get(*j, "description"));
    AppendHtml(html, Get(*j, "requirements"));
    SetDescription(p, html);
    if (const json::object* s = Object(Get(*j, "salary"))) {
      Salary(p, Get(*s, "min"), Get(*s, "max"), Text(Get(*s, "currency")), PayRateOf(Text(Get(*s, "period"))));
    }
    Finish(std::move(p), Get(*j, "careers_url"), Get(*j, "careers_apply_url"), response, out);
  }
}

}  // namespace jobtrawl::parsers::boards
