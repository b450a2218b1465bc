// Readers of the smaller applicant-tracking systems' public job lists:
// Breezy HR, Rippling and Personio.
#include <boost/json.hpp>
#include <pugixml.hpp>
#include <map>

#include "model/ascii.h"
#include "model/url.h"
#include "parsers/boards/common.h"
#include "parsers/boards/readers.h"
#include "parsers/html_text.h"

namespace jobtrawl::parsers::boards {

namespace {

// "scheme://host" of an absolute URL; empty when it has none.
std::string OriginOf(std::string_view url) {
  auto parts = SplitUrl(url);
  return parts ? Origin(*parts) : std::string();
}

// Personio's schedule and employment type, in English or in German as the
// board's language gives them: schedule "full-time" | "part-time" |
// "full-or-part-time" (Vollzeit, Teilzeit, Voll- oder Teilzeit);
// employmentType "permanent" | "intern" | "trainee" | "freelance" |
// "temporary" | "working_student" (Festanstellung, Praktikum, Ausbildung,
// Freelance, Befristet, Werkstudent).
std::optional<std::string> PersonioEmployment(std::optional<std::string> schedule,
                                              std::optional<std::string> type) {
  std::string types;
  auto add = [&types](std::string_view t) {
    if (types.find(t) == std::string::npos) types += (types.empty() ? "" : ",") + std::string(t);
  };
  const std::string s = ascii::ToLower(schedule.value_or(""));
  const bool full = s.find("full") != std::string::npos || s.find("voll") != std::string::npos;
  const bool part = s.find("part") != std::string::npos || s.find("teil") != std::string::npos;
  if (full) add("FULL_TIME");
  if (part) add("PART_TIME");
  const std::string t = ascii::ToLower(type.value_or(""));
  if (t.find("intern") != std::string::npos || t.find("praktik") != std::string::npos ||
      t.find("trainee") != std::string::npos || t.find("ausbildung") != std::string::npos) {
    add("INTERN");
  } else if (t.find("freelance") != std::string::npos) {
    add("CONTRACTOR");
  } else if (t.find("temporary") != std::string::npos || t.find("befrist") != std::string::npos) {
    add("TEMPORARY");
  } else if (t.find("student") != std::string::npos) {
    add("PART_TIME");
  }
  return NonEmpty(std::move(types));
}

std::string NodeText(const pugi::xml_node& n) {
  std::string text;
  for (const pugi::xml_node& c : n.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) text += c.value();
  }
  return std::string(ascii::Trim(text));
}

std::optional<std::string> Child(const pugi::xml_node& n, const char* name) {
  return NonEmpty(NodeText(n.child(name)));
}

}  // namespace

// ---- Breezy HR: a bare array from {board}.breezy.hr/json ----
void Breezy(const json::value& root, const Response& response, Extracted& out) {
  for (const json::object* j : EntriesOrArray(root, "positions")) {
    Posting p;
    p.external_id = Text(Get(*j, "id"));
    p.title = Text(Get(*j, "name"));
    if (const json::object* c = Object(Get(*j, "company"))) p.company = Text(Get(*c, "name"));
    p.department = Text(Get(*j, "department"));
    // Every location (the list may be empty; `location` is the primary one).
    std::vector<const json::object*> locations;
    if (const json::array* all = Array(Get(*j, "locations"))) {
      for (const json::value& l : *all) {
        if (const json::object* lo = Object(&l)) locations.push_back(lo);
      }
    }
    if (locations.empty()) {
      if (const json::object* lo = Object(Get(*j, "location"))) locations.push_back(lo);
    }
    std::string places;
    for (const json::object* lo : locations) {
      const json::object* country = Object(Get(*lo, "country"));
      auto code = country != nullptr ? Text(Get(*country, "id")) : std::nullopt;
      auto name = Text(Get(*lo, "name"));
      if (!name) {
        const json::object* state = Object(Get(*lo, "state"));
        name = JoinPlace({Text(Get(*lo, "city")), state != nullptr ? Text(Get(*state, "id")) : std::nullopt});
      }
      AddPlace(places, JoinPlace({name, code}));
      if (!p.country || Truthy(Get(*lo, "primary"))) p.country = code;
      if (Truthy(Get(*lo, "is_remote"))) p.remote = "remote";
    }
    p.location = NonEmpty(std::move(places));
    if (const json::object* type = Object(Get(*j, "type"))) {
      if (auto name = Text(Get(*type, "name"))) p.employment_type = EmploymentType(*name);
    }
    // Salary as the board displays it: "$0.05 – $0.06 / hour".
    p.salary_text = Text(Get(*j, "salary"));
    p.date_posted = Text(Get(*j, "published_date"));
    SetDescription(p, Html(Get(*j, "description")));
    Finish(std::move(p), Get(*j, "url"), nullptr, response, out);
  }
}

// ---- Rippling: the board's jobs, GET .../board/{board}/jobs, as
// {items: [...], page, pageSize, totalItems, totalPages} (entries with id,
// department.name and locations[] each with its workplaceType) or as a bare
// array (entries with uuid, department.label and workLocation.label); and
// one job, GET .../board/{board}/jobs/{id}, with its text
// (description.role, description.company), workLocations (labels),
// employmentType.label, createdOn and companyName.
// A job with several locations comes once per location, under one id: its
// entries on the page are one posting with every location.
namespace {

// A name given as text or as an object's name, label or base department.
std::optional<std::string> NameOf(const json::value* v) {
  if (auto t = Text(v)) return t;
  const json::object* o = Object(v);
  if (o == nullptr) return std::nullopt;
  if (auto label = Text(Get(*o, "label"))) return label;
  return Text(Get(*o, "base_department"));
}

// employmentType.label: SALARIED_FT, HOURLY_PT, CONTRACTOR, TEMP, INTERN...
std::optional<std::string> RipplingEmployment(const json::value* v) {
  auto label = NameOf(v);
  if (!label) {
    if (const json::object* o = Object(v)) label = Text(Get(*o, "id"));
  }
  if (!label) return std::nullopt;
  const std::string code = ascii::ToUpper(*label);
  if (code.ends_with("_FT")) return "FULL_TIME";
  if (code.ends_with("_PT")) return "PART_TIME";
  if (code.starts_with("CONTRACT")) return "CONTRACTOR";
  if (code.starts_with("TEMP")) return "TEMPORARY";
  if (code.starts_with("INTERN")) return "INTERN";
  return EmploymentType(*label);
}

// A location label as the board writes it: "Remote (United States)",
// "Hybrid (New York, New York, US)", a place with its workplace after it
// ("United States (Remote)", "US - Remote"), a remote job's stand-in for a
// place ("Anywhere", "Worldwide", "Work from home"), or a place alone,
// which is the office the job is worked from (the list's workplaceType
// says ON_SITE for the same).
// A place that is no office says nothing of the workplace: a country
// ("United States", "Germany"), an area ("Europe", "LATAM": on Rippling
// boards the areas remote hiring is open to), a state ("California") or
// "Multiple locations" (NamesNoOffice).
std::optional<std::string> LabelWorkplace(const std::string& label) {
  if (auto w = Workplace(label)) return w;
  if (NamesNoOffice(label)) return std::nullopt;
  return "onsite";
}

}  // namespace

void Rippling(const json::value& root, const Response& response, Extracted& out) {
  std::vector<Posting> postings;
  std::map<std::string, std::size_t> by_id;
  std::vector<std::string> places;
  std::vector<const json::object*> pages;
  std::vector<const json::object*> items = EntriesOrArray(root, "items");
  const json::object* one = nullptr;  // the job endpoint's job
  if (const json::object* o = Object(&root); items.empty() && o != nullptr && Get(*o, "items") == nullptr &&
                                             Get(*o, "name") != nullptr) {
    one = o;
    items.push_back(o);
  }
  for (const json::object* j : items) {
    auto id = Text(Get(*j, "id"));
    if (!id) id = Text(Get(*j, "uuid"));
    std::size_t at = postings.size();
    if (id) {
      auto [it, fresh] = by_id.emplace(*id, postings.size());
      at = it->second;
      if (fresh) {
        postings.emplace_back();
        places.emplace_back();
        pages.push_back(j);
      }
    } else {
      postings.emplace_back();
      places.emplace_back();
      pages.push_back(j);
    }
    Posting& p = postings[at];
    p.external_id = id;
    if (!p.title) p.title = Text(Get(*j, "name"));
    if (!p.company) p.company = Text(Get(*j, "companyName"));
    if (!p.department) p.department = NameOf(Get(*j, "department"));
    if (auto locations = Array(Get(*j, "locations"))) {
      for (const json::value& l : *locations) {
        const json::object* lo = Object(&l);
        if (lo == nullptr) continue;
        auto code = Text(Get(*lo, "countryCode"));
        auto name = Text(Get(*lo, "name"));
        if (!name) name = JoinPlace({Text(Get(*lo, "city")), Text(Get(*lo, "stateCode"))});
        AddPlace(places[at], JoinPlace({name, code ? code : Text(Get(*lo, "country"))}));
        if (!p.country) p.country = code ? code : Text(Get(*lo, "country"));
        MergeWorkplace(p.remote, Workplace(Text(Get(*lo, "workplaceType"))));
      }
    }
    // Labels: the bare list's workLocation, the job's workLocations.
    std::vector<const json::value*> labels;
    if (const json::value* l = Get(*j, "workLocation")) labels.push_back(l);
    if (const json::array* all = Array(Get(*j, "workLocations"))) {
      for (const json::value& l : *all) labels.push_back(&l);
    }
    for (const json::value* l : labels) {
      auto label = NameOf(l);
      if (!label) continue;
      AddPlace(places[at], label);
      MergeWorkplace(p.remote, LabelWorkplace(*label));
    }
    if (!p.employment_type) p.employment_type = RipplingEmployment(Get(*j, "employmentType"));
    if (!p.date_posted) p.date_posted = Text(Get(*j, "createdOn"));
    if (const json::object* d = Object(Get(*j, "description"))) {
      std::string html;
      AppendHtml(html, Get(*d, "role"));
      AppendHtml(html, Get(*d, "company"));
      SetDescription(p, html);
    } else if (const json::value* text = Get(*j, "description")) {
      SetDescription(p, Html(text));
    }
  }
  // The job's page when its answer does not name it: the board's, as the
  // list gives it (ats.rippling.com/{board}/jobs/{id}), so both are one listing.
  std::optional<std::string> job_page;
  if (one != nullptr && postings.size() == 1 && postings[0].external_id) {
    const std::string_view url = response.url;
    if (const std::size_t at = url.find("/board/"); at != std::string_view::npos) {
      const std::string_view board = url.substr(at + 7, url.find('/', at + 7) - (at + 7));
      if (!board.empty()) {
        job_page = CanonicalUrl("https://ats.rippling.com/" + std::string(board) + "/jobs/" + *postings[0].external_id);
      }
    }
  }
  for (std::size_t i = 0; i < postings.size(); ++i) {
    postings[i].location = NonEmpty(std::move(places[i]));
    const json::value* page = Get(*pages[i], "url");
    if (page == nullptr && job_page) {
      postings[i].url = *job_page;
      Keep(std::move(postings[i]), response, out);
      continue;
    }
    Finish(std::move(postings[i]), page, nullptr, response, out);
  }
  if (one != nullptr || items.empty() || !root.is_object()) return;
  auto page = Count(Get(root.get_object(), "page"));
  auto total = Count(Get(root.get_object(), "totalPages"));
  if (page && total && *page + 1 < *total) {
    FollowPage(WithParam(response.url, "page", std::to_string(*page + 1)), out);
  }
}

// ---- Personio: the search JSON (an array of positions) ----
void Personio(const json::value& root, const Response& response, Extracted& out) {
  const std::string origin = OriginOf(response.url);
  for (const json::object* j : EntriesOrArray(root, "positions")) {
    Posting p;
    p.external_id = Text(Get(*j, "id"));
    p.title = Text(Get(*j, "name"));
    p.company = Text(Get(*j, "subcompany"));
    p.department = Text(Get(*j, "department"));
    std::string places;
    AddPlace(places, Text(Get(*j, "office")));
    if (const json::array* more = Array(Get(*j, "additional_offices"))) {
      for (const json::value& o : *more) AddPlace(places, Text(&o));
    }
    p.location = NonEmpty(std::move(places));
    p.employment_type = PersonioEmployment(Text(Get(*j, "schedule")), Text(Get(*j, "employment_type")));
    p.date_posted = Text(Get(*j, "created_at"));
    if (!p.date_posted) p.date_posted = Text(Get(*j, "createdAt"));
    SetDescription(p, Html(Get(*j, "description")));
    if (p.external_id && !origin.empty()) p.url = CanonicalUrl(origin + "/job/" + *p.external_id).value_or("");
    if (p.url.empty()) p.url = std::string(response.url);
    Keep(std::move(p), response, out);
  }
}

// ---- Personio: the XML feed, <workzag-jobs><position>... ----
// https://developer.personio.de/docs/retrieving-open-job-positions
void PersonioXml(std::string_view body, const Response& response, Extracted& out) {
  pugi::xml_document doc;
  pugi::xml_parse_result r = doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!r && doc.first_child().empty()) {
    ++out.broken_blocks;
    out.warnings.push_back(std::string("unreadable personio XML feed: ") + r.description());
    return;
  }
  const std::string origin = OriginOf(response.url);
  for (const pugi::xml_node& position : doc.document_element().children("position")) {
    Posting p;
    p.external_id = Child(position, "id");
    p.title = Child(position, "name");
    p.company = Child(position, "subcompany");
    p.department = Child(position, "department");
    std::string places;
    AddPlace(places, Child(position, "office"));
    for (const pugi::xml_node& o : position.child("additionalOffices").children("office")) {
      AddPlace(places, NonEmpty(NodeText(o)));
    }
    p.location = NonEmpty(std::move(places));
    p.employment_type = PersonioEmployment(Child(position, "schedule"), Child(position, "employmentType"));
    p.date_posted = Child(position, "createdAt");
    std::string html;
    for (const pugi::xml_node& d : position.child("jobDescriptions").children("jobDescription")) {
      AppendHtml(html, std::string_view(FragmentMarkup(NodeText(d.child("value")))),
                 Child(d, "name").value_or(""));
    }
    SetDescription(p, html);
    if (p.external_id && !origin.empty()) p.url = CanonicalUrl(origin + "/job/" + *p.external_id).value_or("");
    if (p.url.empty()) p.url = std::string(response.url);
    Keep(std::move(p), response, out);
  }
}

}  // namespace jobtrawl::parsers::boards
