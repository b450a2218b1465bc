// USAJOBS, the US federal government's job board: its Search API
// (https://developer.usajobs.gov/api-reference/get-api-search), a GET of
// https://data.usajobs.gov/api/search?...&ResultsPerPage=500&Page=N with the
// request headers Host, User-Agent (the e-mail address the key was issued
// to) and Authorization-Key (README "Source kinds": set them with the
// source's `headers`). It answers
// {"SearchResult": {"SearchResultCountAll": N, "SearchResultItems": [
//   {"MatchedObjectId": "...", "MatchedObjectDescriptor": {PositionID,
//    PositionTitle, PositionURI, ApplyURI[], PositionLocation[{LocationName,
//    CountryCode, ...}], OrganizationName, DepartmentName,
//    PositionSchedule[{Name}], PositionOfferingType[{Name}],
//    PositionRemuneration[{MinimumRange, MaximumRange, RateIntervalCode}],
//    PublicationStartDate, ApplicationCloseDate, QualificationSummary,
//    UserArea: {Details: {JobSummary, MajorDuties[], TeleworkEligible,
//    RemoteIndicator}}}}], "UserArea": {"NumberOfPages": "N"}}}.
#include <boost/json.hpp>
#include <optional>

#include "model/ascii.h"
#include "model/url.h"
#include "parsers/boards/common.h"
#include "parsers/boards/readers.h"
#include "parsers/html_text.h"

namespace jobtrawl::parsers::boards {

namespace {

// RateIntervalCode: the code list's PA (per year), PH (hour), PD (day),
// BW (every two weeks), PM (month), or the same as words ("Per Year").
// Piece work (PW) and without compensation (WC) have no rate. Two-week pay
// has no period of its own: it is given per year (26 periods), as
// PayRateOf gives it.
PayRate RateOf(std::optional<std::string> code) {
  if (!code) return {};
  const std::string c = ascii::ToUpper(*code);
  if (c == "PA") return {"YEAR"};
  if (c == "PH") return {"HOUR"};
  if (c == "PD") return {"DAY"};
  if (c == "PM") return {"MONTH"};
  if (c == "BW") return {"YEAR", 26};
  if (c == "PW" || c == "WC" || c.find("WITHOUT") != std::string::npos || c.find("PIECE") != std::string::npos) {
    return {};
  }
  return PayRateOf(code);
}

// "Page" of the URL: 1 when absent, empty or 0 (the API's first page);
// nullopt when it is no plain number up to kMaxPage, so an odd URL never
// reads as page 1 and sends the crawl back to page 2.
constexpr long long kMaxPage = 1'000'000;
std::optional<long long> PageOf(std::string_view url) {
  const std::size_t q = url.find('?');
  if (q == std::string_view::npos) return 1;
  std::string_view rest = url.substr(q + 1);
  if (const std::size_t hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    if (const std::size_t eq = pair.find('='); eq != std::string_view::npos &&
                                               ascii::EqualsIgnoreCase(pair.substr(0, eq), "page")) {
      long long page = 0;
      for (char c : pair.substr(eq + 1)) {
        if (!ascii::IsDigit(c)) return std::nullopt;
        page = page * 10 + (c - '0');
        if (page > kMaxPage) return std::nullopt;
      }
      return page > 0 ? page : 1;
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return 1;
}

void UsaJobsItem(const json::object& item, const Response& response, Extracted& out) {
  const json::object* d = Object(Get(item, "MatchedObjectDescriptor"));
  if (d == nullptr) {
    ++out.skipped;
    return;
  }
  Posting p;
  p.external_id = Text(Get(item, "MatchedObjectId"));
  if (!p.external_id) p.external_id = Text(Get(*d, "PositionID"));
  p.title = Text(Get(*d, "PositionTitle"));
  p.company = Text(Get(*d, "OrganizationName"));
  p.department = Text(Get(*d, "DepartmentName"));
  std::string places;
  if (const json::array* locations = Array(Get(*d, "PositionLocation"))) {
    for (const json::value& l : *locations) {
      const json::object* lo = Object(&l);
      if (lo == nullptr) continue;
      AddPlace(places, Text(Get(*lo, "LocationName")));
      AddCountry(p.country, Text(Get(*lo, "CountryCode")));
    }
  }
  p.location = NonEmpty(std::move(places));
  std::string types;
  auto add_type = [&types](std::optional<std::string> t) {
    if (t && !t->empty() && types.find(*t) == std::string::npos) types += (types.empty() ? "" : ",") + *t;
  };
  if (const json::array* schedules = Array(Get(*d, "PositionSchedule"))) {
    for (const json::value& s : *schedules) {
      // "Full-time", "Part-time"; "Intermittent", "Multiple Schedules" and
      // the like are no schema.org type.
      const json::object* so = Object(&s);
      auto name = so != nullptr ? Text(Get(*so, "Name")) : Text(&s);
      std::string type = name ? EmploymentType(*name) : std::string();
      if (type == "FULL_TIME" || type == "PART_TIME") add_type(std::move(type));
    }
  }
  if (const json::array* offerings = Array(Get(*d, "PositionOfferingType"))) {
    for (const json::value& o : *offerings) {
      const json::object* oo = Object(&o);
      auto name = oo != nullptr ? Text(Get(*oo, "Name")) : Text(&o);
      if (name && (ascii::StartsWithIgnoreCase(*name, "temporary") || ascii::StartsWithIgnoreCase(*name, "term"))) {
        add_type("TEMPORARY");
      } else if (name && ascii::StartsWithIgnoreCase(*name, "internship")) {
        add_type("INTERN");
      }
    }
  }
  p.employment_type = NonEmpty(std::move(types));
  if (const json::array* pay = Array(Get(*d, "PositionRemuneration")); pay != nullptr && !pay->empty()) {
    if (const json::object* r = Object(&pay->front())) {
      const PayRate rate = RateOf(Text(Get(*r, "RateIntervalCode")));
      auto lo = Number(Get(*r, "MinimumRange"));
      auto hi = Number(Get(*r, "MaximumRange"));
      if (rate.period) {
        Salary(p, lo ? std::optional(*lo * rate.factor) : std::nullopt,
               hi ? std::optional(*hi * rate.factor) : std::nullopt, "USD", rate.period);
      }
    }
  }
  p.date_posted = Text(Get(*d, "PublicationStartDate"));
  p.valid_through = Text(Get(*d, "ApplicationCloseDate"));
  std::string html;
  if (const json::object* area = Object(Get(*d, "UserArea"))) {
    if (const json::object* details = Object(Get(*area, "Details"))) {
      AppendHtml(html, Get(*details, "JobSummary"));
      if (const json::array* duties = Array(Get(*details, "MajorDuties")); duties != nullptr && !duties->empty()) {
        std::string list = "<ul>";
        for (const json::value& duty : *duties) {
          std::string duty_html = Html(&duty);
          if (!duty_html.empty()) list += "<li>" + duty_html + "</li>";
        }
        AppendHtml(html, std::string_view(list + "</ul>"), "Major duties");
      }
      // Remote work is stated outright; telework is some days at home
      // besides the duty station. The API states both flags on every
      // posting, so both false is work at the duty station, as
      // SmartRecruiters' two flags (WorkplaceFlags).
      const json::value* remote = Get(*details, "RemoteIndicator");
      const json::value* telework = Get(*details, "TeleworkEligible");
      if (Truthy(remote)) {
        p.remote = "remote";
      } else {
        p.remote = WorkplaceFlags(remote, telework, nullptr);
      }
    }
  }
  AppendHtml(html, Get(*d, "QualificationSummary"), "Qualifications");
  SetDescription(p, html);
  const json::value* apply = Get(*d, "ApplyURI");
  if (apply != nullptr && apply->is_array()) apply = First(apply);
  Finish(std::move(p), Get(*d, "PositionURI"), apply, response, out);
}

}  // namespace

void UsaJobs(const json::value& root, const Response& response, Extracted& out) {
  const json::object* o = Object(&root);
  const json::object* result = o != nullptr ? Object(Get(*o, "SearchResult")) : nullptr;
  if (result == nullptr) return;
  const json::array* items = Array(Get(*result, "SearchResultItems"));
  if (items == nullptr) return;
  for (const json::value& v : *items) {
    if (const json::object* item = Object(&v)) {
      UsaJobsItem(*item, response, out);
    } else {
      ++out.skipped;
    }
  }
  // Each page asks for the next, up to the last (an empty page ends it too).
  if (items->empty()) return;
  const json::object* area = Object(Get(*result, "UserArea"));
  auto pages = area != nullptr ? Number(Get(*area, "NumberOfPages")) : std::nullopt;
  const std::optional<long long> page = PageOf(response.url);
  if (pages && page && static_cast<double>(*page) < *pages) {
    FollowPage(WithParam(response.url, "Page", std::to_string(*page + 1)), out);
  }
}

}  // namespace jobtrawl::parsers::boards
