#include "parsers/board_api.h"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <chrono>
#include <cmath>
#include <unordered_set>

#include "model/ascii.h"
#include "model/clock.h"
#include "model/date_time.h"
#include "model/url.h"
#include "parsers/html_text.h"
#include "parsers/json_values.h"
#include "parsers/lenient_json.h"
#include "parsers/page_budget.h"

namespace jobtrawl::parsers {
namespace {

namespace json = boost::json;

const json::object* Object(const json::value* v) {
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

const json::array* Array(const json::value* v) {
  return v != nullptr && v->is_array() ? &v->get_array() : nullptr;
}

// The objects in the array member `key` of `root`; none when either is missing.
std::vector<const json::object*> Entries(const json::value& root, std::string_view key) {
  std::vector<const json::object*> entries;
  const json::object* o = root.is_object() ? &root.get_object() : nullptr;
  const json::value* list = o != nullptr ? Get(*o, key) : nullptr;
  if (list == nullptr || !list->is_array()) return entries;
  for (const json::value& v : list->get_array()) {
    if (v.is_object()) entries.push_back(&v.get_object());
  }
  return entries;
}

bool Truthy(const json::value* v) { return v != nullptr && v->is_bool() && v->get_bool(); }

// An API field's HTML (some APIs entity-escape the whole fragment once
// more, or twice: FragmentMarkup unescapes it); empty when absent.
std::string Html(const json::value* v) {
  if (v == nullptr || !v->is_string()) return {};
  return FragmentMarkup(v->get_string());
}

// Several HTML parts of one description, each a block of its own, a
// heading before it when it has one.
void AppendHtml(std::string& html, const json::value* v, std::string_view heading = {}) {
  std::string part = Html(v);
  if (part.empty()) return;
  if (!heading.empty()) {
    html += "<h3>";
    for (char c : heading) {
      html += c == '<' ? "&lt;" : c == '&' ? "&amp;" : std::string(1, c);
    }
    html += "</h3>";
  }
  html += "<div>" + part + "</div>";
}

// Milliseconds or seconds since the epoch (told apart by size) as UTC ISO-8601.
std::optional<std::string> EpochDate(const json::value* v) {
  auto n = Number(v);
  auto t = n ? DateFromEpochNumber(*n) : std::nullopt;
  return t ? std::optional(FormatDateTime(*t)) : std::nullopt;
}

// "remote" | "hybrid" | "onsite" from the workplace enums boards use:
// Lever "onsite" | "remote" | "hybrid" | "unspecified", Ashby "OnSite",
// Workable "on_site", Rippling "ON_SITE"; "unspecified" and the unknown are
// not stated.
std::optional<std::string> Workplace(std::optional<std::string> raw) {
  if (!raw) return std::nullopt;
  std::string w;
  for (char c : *raw) {
    if (ascii::IsAlpha(c)) w.push_back(ascii::ToLower(c));
  }
  if (w == "remote" || w == "fullyremote" || w == "remoteonly") return "remote";
  if (w == "hybrid" || w == "flexible") return "hybrid";
  if (w == "onsite" || w == "inoffice" || w == "office" || w == "inperson") return "onsite";
  return std::nullopt;
}

// The workplace three flags state (Recruitee remote / hybrid / on_site,
// SmartRecruiters location.remote / hybrid): hybrid when set, or when
// remote and on-site both are; else the one set. A false flag alone says
// nothing, so all false is not stated.
std::optional<std::string> WorkplaceFlags(const json::value* remote, const json::value* hybrid,
                                          const json::value* onsite) {
  const bool r = Truthy(remote), h = Truthy(hybrid), o = Truthy(onsite);
  if (h || (r && o)) return "hybrid";
  if (r) return "remote";
  if (o) return "onsite";
  return std::nullopt;
}

// "City, Region, Country" from parts, skipping empty and repeated ones.
std::optional<std::string> JoinPlace(std::initializer_list<std::optional<std::string>> parts) {
  std::string display;
  for (const auto& part : parts) {
    if (!part || display.find(*part) != std::string::npos) continue;
    if (!display.empty()) display += ", ";
    display += *part;
  }
  return NonEmpty(std::move(display));
}

std::optional<std::string> IdText(const json::value* v) { return Text(v); }

std::optional<std::string> Link(const json::value* v, std::string_view page_url) {
  return Url(v, page_url);
}

// Salary from min/max numbers; zeros mean "not stated".
void Salary(Posting& p, std::optional<double> lo, std::optional<double> hi, std::optional<std::string> currency,
            std::optional<std::string> period) {
  if (lo && *lo <= 0) lo.reset();
  if (hi && *hi <= 0) hi.reset();
  if (!lo && !hi) return;
  p.salary_min = lo;
  p.salary_max = hi;
  p.salary_currency = std::move(currency);
  p.salary_period = std::move(period);
}

void Salary(Posting& p, const json::value* min, const json::value* max, std::optional<std::string> currency,
            std::optional<std::string> period) {
  Salary(p, Number(min), Number(max), std::move(currency), std::move(period));
}

// Salary intervals as APIs spell them ("1 YEAR", "per-year-salary", "month").
std::optional<std::string> Period(std::optional<std::string> raw) {
  if (!raw) return std::nullopt;
  std::string u;
  for (char c : *raw) u.push_back(ascii::ToUpper(c));
  for (std::string_view unit : {"HOUR", "DAY", "WEEK", "MONTH", "YEAR"}) {
    if (u.find(unit) != std::string::npos) return std::string(unit);
  }
  if (u.find("ANNUAL") != std::string::npos) return "YEAR";
  return std::nullopt;
}

using Adapter = void (*)(const json::value& root, std::string_view url, Extracted& out);

// Pushes `p` when it has a title; counts it as skipped otherwise.
void Keep(Posting&& p, Extracted& out);

// Sets the posting's page (`page`, else the API URL) and apply link from
// the entry's fields, then keeps it.
void Finish(Posting&& p, const json::value* page, const json::value* apply, std::string_view url,
            Extracted& out) {
  p.url = Link(page, url).value_or(std::string(url));
  if (apply != nullptr) p.apply_url = Link(apply, url);
  Keep(std::move(p), out);
}

// The budget of the response being read. The adapters share one shape,
// (root, url, out), so the budget rides beside it for the length of one
// ExtractBoardApi call on this thread.
thread_local PageBudget* t_budget = nullptr;

void Keep(Posting&& p, Extracted& out) {
  if (OutOfTime(t_budget, out)) {
    ++out.skipped;
    return;
  }
  if (!p.title) {
    ++out.skipped;
    return;
  }
  out.postings.push_back(std::move(p));
}

// Greenhouse has no workplace or employment field of its own; boards keep
// them in custom fields ("metadata": [{name, value, value_type}], value a
// string, a list or a flag), named as each board likes: "Workplace Type",
// "Remote", "Location Type", "Employment Type", "Job Type"...
void GreenhouseMetadata(Posting& p, const json::array* metadata) {
  if (metadata == nullptr) return;
  for (const json::value& m : *metadata) {
    const json::object* field = Object(&m);
    if (field == nullptr) continue;
    const std::string name = ascii::ToLower(Text(Get(*field, "name")).value_or(""));
    const json::value* value = Get(*field, "value");
    if (value != nullptr && value->is_array()) value = value->get_array().empty() ? nullptr : &value->get_array()[0];
    if (value == nullptr) continue;
    const bool workplace = name.find("workplace") != std::string::npos || name.find("remote") != std::string::npos ||
                           name.find("location type") != std::string::npos ||
                           name.find("work arrangement") != std::string::npos ||
                           name.find("work model") != std::string::npos || name.find("work type") != std::string::npos;
    const bool employment = name.find("employment") != std::string::npos || name.find("job type") != std::string::npos ||
                            name.find("time type") != std::string::npos || name.find("contract type") != std::string::npos;
    if (workplace && !p.remote) {
      if (value->is_bool()) {
        if (value->get_bool()) p.remote = "remote";
      } else if (auto w = Workplace(Text(value))) {
        p.remote = w;
      } else if (auto t = Text(value); t && name.find("remote") != std::string::npos &&
                                       (ascii::EqualsIgnoreCase(*t, "yes") || ascii::EqualsIgnoreCase(*t, "true"))) {
        p.remote = "remote";
      }
    } else if (employment && !p.employment_type) {
      if (auto t = Text(value)) p.employment_type = EmploymentType(*t);
    }
  }
}

// ---- Greenhouse: {"jobs": [...]} (also the older /embed/jobs shape) ----
void Greenhouse(const json::value& root, std::string_view url, Extracted& out) {
  const json::object* o = Object(&root);
  if (o == nullptr) return;
  // /jobs lists them; /departments and /offices nest them in their
  // branches (one job may sit in several); /jobs/{id} is the job itself.
  std::vector<const json::value*> found;
  std::unordered_set<std::string> ids;
  auto collect = [&](auto& self, const json::object& node, int depth) -> void {
    if (depth > 8) return;
    for (const auto& [key, child] : node) {
      const json::array* a = Array(&child);
      if (a == nullptr) continue;
      for (const json::value& e : *a) {
        const json::object* eo = Object(&e);
        if (eo == nullptr) continue;
        if (key == "jobs") {
          auto id = IdText(Get(*eo, "id"));
          if (!id || ids.insert(*id).second) found.push_back(&e);
        } else {
          self(self, *eo, depth + 1);
        }
      }
    }
  };
  if (Get(*o, "jobs") == nullptr && Get(*o, "title") != nullptr) {
    found.push_back(&root);
  } else {
    collect(collect, *o, 0);
  }
  for (const json::value* job : found) {
    const json::value& v = *job;
    const json::object* j = Object(&v);
    if (j == nullptr) continue;
    Posting p;
    p.external_id = IdText(Get(*j, "id"));
    p.title = Text(Get(*j, "title"));
    p.company = Text(Get(*j, "company_name"));
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
    SetDescription(p, Html(Get(*j, "content")));
    Finish(std::move(p), Get(*j, "absolute_url"), Get(*j, "absolute_url"), url, out);
  }
}

// ---- Lever: an array of postings (or one posting object) ----
void Lever(const json::value& root, std::string_view url, Extracted& out) {
  auto one = [&](const json::object& j) {
    Posting p;
    p.external_id = IdText(Get(j, "id"));
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
    if (const json::object* s = Object(Get(j, "salaryRange"))) {
      Salary(p, Get(*s, "min"), Get(*s, "max"), Text(Get(*s, "currency")), Period(Text(Get(*s, "interval"))));
    }
    if (!p.salary_min && !p.salary_max) p.salary_text = Text(Get(j, "salaryDescriptionPlain"));
    Finish(std::move(p), Get(j, "hostedUrl"), Get(j, "applyUrl"), url, out);
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
void Ashby(const json::value& root, std::string_view url, Extracted& out) {
  for (const json::object* j : Entries(root, "jobs")) {
    if (const json::value* listed = Get(*j, "isListed"); listed != nullptr && listed->is_bool() && !listed->get_bool()) {
      ++out.skipped;
      continue;
    }
    Posting p;
    p.external_id = IdText(Get(*j, "id"));
    p.title = Text(Get(*j, "title"));
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
      auto salary_of = [&p](const json::array* parts) {
        if (parts == nullptr) return;
        for (const auto& part : *parts) {
          const json::object* s = Object(&part);
          if (s == nullptr || Text(Get(*s, "compensationType")) != "Salary") continue;
          Salary(p, Get(*s, "minValue"), Get(*s, "maxValue"), Text(Get(*s, "currencyCode")),
                 Period(Text(Get(*s, "interval"))));
          break;
        }
      };
      salary_of(Array(Get(*c, "summaryComponents")));
      if (!p.salary_min && !p.salary_max) {
        if (const json::array* tiers = Array(Get(*c, "compensationTiers")); tiers != nullptr && !tiers->empty()) {
          if (const json::object* tier = Object(&tiers->front())) salary_of(Array(Get(*tier, "components")));
        }
      }
      if (!p.salary_min && !p.salary_max) {
        p.salary_text = Text(Get(*c, "scrapeableCompensationSalarySummary"));
        if (!p.salary_text) p.salary_text = Text(Get(*c, "compensationTierSummary"));
      }
    }
    Finish(std::move(p), Get(*j, "jobUrl"), Get(*j, "applyUrl"), url, out);
  }
}

// ---- Workable: the widget API ({name, jobs}) and the v3 apply API ({results}) ----
void Workable(const json::value& root, std::string_view url, Extracted& out) {
  const json::object* o = Object(&root);
  if (o == nullptr) return;
  auto company = Text(Get(*o, "name"));
  std::string account;  // ".../accounts/{account}/..." for v3 job links
  if (auto at = url.find("/accounts/"); at != std::string_view::npos) {
    account = std::string(url.substr(at + 10, url.find_first_of("/?", at + 10) - at - 10));
  }
  const json::array* jobs = Array(Get(*o, "jobs"));
  if (jobs == nullptr) jobs = Array(Get(*o, "results"));
  if (jobs == nullptr) return;
  for (const json::value& v : *jobs) {
    const json::object* j = Object(&v);
    if (j == nullptr) continue;
    Posting p;
    p.external_id = Text(Get(*j, "shortcode"));
    p.title = Text(Get(*j, "title"));
    p.company = company;
    const json::object* loc = Object(Get(*j, "location"));
    if (loc == nullptr) loc = j;  // the widget puts city/state/country on the job
    p.location = JoinPlace({Text(Get(*loc, "city")), Text(Get(*loc, "region")),
                            Text(Get(*loc, "state")), Text(Get(*loc, "country"))});
    p.country = Text(Get(*loc, "countryCode"));
    if (!p.country) p.country = Text(Get(*loc, "country_code"));
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
    if (Truthy(Get(*j, "telecommuting")) || Truthy(Get(*j, "remote")) || Truthy(Get(*loc, "telecommuting"))) {
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
    SetDescription(p, Html(Get(*j, "description")));
    auto link = Link(Get(*j, "url"), url);
    if (!link && p.external_id && !account.empty()) {
      link = CanonicalUrl("https://apply.workable.com/" + account + "/j/" + *p.external_id + "/");
    }
    p.url = link.value_or(std::string(url));
    p.apply_url = Link(Get(*j, "application_url"), url);
    Keep(std::move(p), out);
  }
}

// ---- SmartRecruiters: {offset, limit, totalFound, content: [...]} pages ----
void SmartRecruitersPage(const json::object& page, std::string_view url, Extracted& out) {
  const json::array* content = Array(Get(page, "content"));
  if (content == nullptr) return;
  for (const json::value& v : *content) {
    const json::object* j = Object(&v);
    if (j == nullptr) continue;
    Posting p;
    p.external_id = IdText(Get(*j, "id"));
    p.title = Text(Get(*j, "name"));
    std::string company_id;
    if (const json::object* c = Object(Get(*j, "company"))) {
      p.company = Text(Get(*c, "name"));
      company_id = Text(Get(*c, "identifier")).value_or("");
    }
    if (const json::object* l = Object(Get(*j, "location"))) {
      p.location = JoinPlace({Text(Get(*l, "city")), Text(Get(*l, "region")), Text(Get(*l, "country"))});
      p.country = Text(Get(*l, "country"));
      p.remote = WorkplaceFlags(Get(*l, "remote"), Get(*l, "hybrid"), nullptr);
      if (auto full = Text(Get(*l, "fullLocation"))) p.location = full;
    }
    if (const json::object* t = Object(Get(*j, "typeOfEmployment"))) {
      if (auto label = Text(Get(*t, "label"))) p.employment_type = EmploymentType(*label);
    }
    p.date_posted = Text(Get(*j, "releasedDate"));
    if (!company_id.empty() && p.external_id) {
      p.url = CanonicalUrl("https://jobs.smartrecruiters.com/" + company_id + "/" + *p.external_id)
                  .value_or(std::string(url));
    } else {
      p.url = std::string(url);
    }
    Keep(std::move(p), out);
  }
  // The next page, while the offset has not passed what was found.
  auto offset = Number(Get(page, "offset"));
  auto limit = Number(Get(page, "limit"));
  auto total = Number(Get(page, "totalFound"));
  if (!offset || !limit || !total || *limit <= 0 || *offset + *limit >= *total) return;
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return;
  boost::urls::url next(*parsed);
  next.params().set("offset", std::to_string(static_cast<long long>(*offset + *limit)));
  next.params().set("limit", std::to_string(static_cast<long long>(*limit)));
  if (auto canonical = CanonicalUrl(next.buffer())) out.links.push_back({*canonical, Link::Role::kListing});
}

void SmartRecruiters(const json::value& root, std::string_view url, Extracted& out) {
  if (const json::object* page = Object(&root)) {
    SmartRecruitersPage(*page, url, out);
  } else if (const json::array* pages = Array(&root)) {  // saved pages, one after another
    for (const auto& v : *pages) {
      if (const json::object* one = Object(&v)) SmartRecruitersPage(*one, url, out);
    }
  }
}

// ---- Recruitee: {"offers": [...]} ----
void Recruitee(const json::value& root, std::string_view url, Extracted& out) {
  for (const json::object* j : Entries(root, "offers")) {
    if (auto status = Text(Get(*j, "status")); status && *status != "published") {
      ++out.skipped;
      continue;
    }
    Posting p;
    p.external_id = IdText(Get(*j, "id"));
    p.title = Text(Get(*j, "title"));
    p.company = Text(Get(*j, "company_name"));
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
      Salary(p, Get(*s, "min"), Get(*s, "max"), Text(Get(*s, "currency")), Period(Text(Get(*s, "period"))));
    }
    Finish(std::move(p), Get(*j, "careers_url"), Get(*j, "careers_apply_url"), url, out);
  }
}

// ---- Remotive: {"jobs": [...]} ----
void Remotive(const json::value& root, std::string_view url, Extracted& out) {
  for (const json::object* j : Entries(root, "jobs")) {
    Posting p;
    p.external_id = IdText(Get(*j, "id"));
    p.title = Text(Get(*j, "title"));
    p.company = Text(Get(*j, "company_name"));
    p.location = Text(Get(*j, "candidate_required_location"));
    p.remote = "remote";
    p.salary_text = Text(Get(*j, "salary"));
    if (auto type = Text(Get(*j, "job_type"))) p.employment_type = EmploymentType(*type);
    p.date_posted = Text(Get(*j, "publication_date"));
    SetDescription(p, Html(Get(*j, "description")));
    Finish(std::move(p), Get(*j, "url"), nullptr, url, out);
  }
}

// ---- RemoteOK: [legal notice, job, job, ...] ----
void RemoteOk(const json::value& root, std::string_view url, Extracted& out) {
  const json::array* a = Array(&root);
  if (a == nullptr) return;
  for (const json::value& v : *a) {
    const json::object* j = Object(&v);
    if (j == nullptr || Get(*j, "legal") != nullptr) continue;  // the notice, not a job
    Posting p;
    p.external_id = IdText(Get(*j, "id"));
    p.title = Text(Get(*j, "position"));
    p.company = Text(Get(*j, "company"));
    p.location = Text(Get(*j, "location"));
    p.remote = "remote";
    p.date_posted = Text(Get(*j, "date"));
    if (!p.date_posted) p.date_posted = EpochDate(Get(*j, "epoch"));
    SetDescription(p, Html(Get(*j, "description")));
    // RemoteOK states salaries as yearly US dollars; 0 means not stated.
    Salary(p, Get(*j, "salary_min"), Get(*j, "salary_max"), "USD", "YEAR");
    Finish(std::move(p), Get(*j, "url"), Get(*j, "apply_url"), url, out);
  }
}

Adapter AdapterFor(SourceKind kind) {
  static constexpr std::pair<SourceKind, Adapter> kAdapters[] = {
      {SourceKind::kGreenhouse, Greenhouse}, {SourceKind::kLever, Lever},
      {SourceKind::kAshby, Ashby},           {SourceKind::kWorkable, Workable},
      {SourceKind::kSmartRecruiters, SmartRecruiters}, {SourceKind::kRecruitee, Recruitee},
      {SourceKind::kRemotive, Remotive},     {SourceKind::kRemoteOk, RemoteOk}};
  for (const auto& [k, adapter] : kAdapters) {
    if (k == kind) return adapter;
  }
  return nullptr;
}

}  // namespace

void ExtractBoardApi(SourceKind kind, std::string_view url, std::string_view body, Extracted& out,
                     PageBudget* budget) {
  Adapter adapter = AdapterFor(kind);
  if (adapter == nullptr) return;
  ++out.structured_blocks;
  auto root = ParseLenientJson(body);
  if (!root) {
    ++out.broken_blocks;
    out.warnings.push_back("unreadable " + std::string(SourceKindName(kind)) + " API response of " +
                           std::to_string(body.size()) + " bytes");
    return;
  }
  if (OutOfTime(budget, out)) return;
  struct Scope {
    explicit Scope(PageBudget* b) { t_budget = b; }
    ~Scope() { t_budget = nullptr; }
  } scope(budget);
  adapter(*root, url, out);
}

}  // namespace jobtrawl::parsers
