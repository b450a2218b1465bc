// Workday's candidate experience ("CXS") JSON, as its career sites load it:
// the jobs search, a POST to .../wday/cxs/{tenant}/{site}/jobs with
// {"appliedFacets":{},"limit":20,"offset":N,"searchText":""}, answered with
// {"total": N, "jobPostings": [{title, externalPath, locationsText,
// postedOn, bulletFields}]}, and the job detail, a GET of
// .../wday/cxs/{tenant}/{site}{externalPath}, answered with
// {"jobPostingInfo": {...}, "hiringOrganization": {...}}. Only the first
// page of a search states the total (later ones say 0), so the first page
// asks for every further one.
#include <boost/json.hpp>

#include "model/url.h"
#include "parsers/boards/common.h"
#include "parsers/boards/readers.h"
#include "parsers/html_text.h"

namespace jobtrawl::parsers::boards {

namespace {

constexpr std::int64_t kDefaultLimit = 20;  // the most the search gives per page

std::int64_t IntOr(const json::object& o, std::string_view key, std::int64_t fallback) {
  return Count(Get(o, key)).value_or(fallback);
}

// The listing: a detail link per job, and the further pages of the search,
// each the same POST with its offset.
void WorkdaySearch(const json::object& root, const Response& response, Extracted& out) {
  std::string_view base = response.url;
  if (auto q = base.find('?'); q != std::string_view::npos) base = base.substr(0, q);
  if (base.ends_with("/jobs")) base.remove_suffix(5);
  const json::array* jobs = Array(Get(root, "jobPostings"));
  if (jobs != nullptr) {
    for (const json::value& v : *jobs) {
      const json::object* j = Object(&v);
      auto path = j != nullptr ? Text(Get(*j, "externalPath")) : std::nullopt;
      if (!path || !path->starts_with('/')) {
        ++out.skipped;
        continue;
      }
      if (auto url = CanonicalUrl(std::string(base) + *path)) {
        out.links.push_back({.url = std::move(*url), .role = Link::Role::kDetail});
      }
    }
  }
  // The body this page was asked with, so further pages keep its facets
  // and search text.
  json::object request{{"appliedFacets", json::object()}, {"limit", kDefaultLimit}, {"offset", 0},
                       {"searchText", ""}};
  std::string content_type = "application/json";
  if (response.post != nullptr) {
    boost::system::error_code ec;
    json::value asked = json::parse(response.post->data, ec);
    if (!ec && asked.is_object()) request = asked.get_object();
    content_type = response.post->content_type;
  }
  const std::int64_t limit = std::max<std::int64_t>(1, IntOr(request, "limit", kDefaultLimit));
  const std::int64_t offset = IntOr(request, "offset", 0);
  const std::int64_t total = IntOr(root, "total", 0);
  if (jobs == nullptr || jobs->empty()) return;
  // A page asks for at most kMaxFurtherPages more: a "total" of 10^15 (a
  // hostile or broken server) must not become a billion links in memory.
  // The crawl's follow.max_pages bounds what is fetched of them.
  constexpr std::int64_t kMaxFurtherPages = 1000;
  if (total <= offset) return;
  const std::int64_t room = total - offset;  // offset + n * limit < total, without overflow
  for (std::int64_t n = 1; n <= kMaxFurtherPages && limit <= (room - 1) / n; ++n) {
    request["offset"] = offset + n * limit;
    request["limit"] = limit;
    out.links.push_back({.url = std::string(response.url),
                         .role = Link::Role::kListing,
                         .post = PostBody{.content_type = content_type, .data = json::serialize(request)}});
  }
}

void WorkdayJob(const json::object& root, const Response& response, Extracted& out) {
  const json::object* j = Object(Get(root, "jobPostingInfo"));
  if (j == nullptr) return;
  Posting p;
  p.external_id = Text(Get(*j, "jobReqId"));
  if (!p.external_id) p.external_id = Text(Get(*j, "id"));
  p.title = Text(Get(*j, "title"));
  std::string places;
  AddPlace(places, Text(Get(*j, "location")));
  if (const json::array* more = Array(Get(*j, "additionalLocations"))) {
    for (const json::value& l : *more) AddPlace(places, Text(&l));
  }
  p.location = NonEmpty(std::move(places));
  if (const json::object* req = Object(Get(*j, "jobRequisitionLocation"))) {
    if (const json::object* c = Object(Get(*req, "country"))) p.country = Text(Get(*c, "alpha2Code"));
  }
  if (!p.country) {
    if (const json::object* c = Object(Get(*j, "country"))) p.country = Text(Get(*c, "descriptor"));
  }
  p.remote = Workplace(Text(Get(*j, "remoteType")));
  if (auto t = Text(Get(*j, "timeType"))) p.employment_type = EmploymentType(*t);
  // startDate is the day the posting went up; endDate the day it closes.
  p.date_posted = Text(Get(*j, "startDate"));
  p.valid_through = Text(Get(*j, "endDate"));
  SetDescription(p, Html(Get(*j, "jobDescription")));
  auto page = Link(Get(*j, "externalUrl"), response.url);
  p.url = page.value_or(std::string(response.url));
  if (page && Get(*j, "canApply") != nullptr && Truthy(Get(*j, "canApply"))) {
    p.apply_url = CanonicalUrl(*page + "/apply");
  }
  Keep(std::move(p), response, out);
}

}  // namespace

void Workday(const json::value& root, const Response& response, Extracted& out) {
  const json::object* o = Object(&root);
  if (o == nullptr) return;
  if (Get(*o, "jobPostingInfo") != nullptr) {
    WorkdayJob(*o, response, out);
  } else {
    WorkdaySearch(*o, response, out);
  }
}

}  // namespace jobtrawl::parsers::boards
