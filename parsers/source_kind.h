// The shapes of board a source can be, and what each needs from its config.
#ifndef JOBTRAWL_PARSERS_SOURCE_KIND_H_
#define JOBTRAWL_PARSERS_SOURCE_KIND_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/request.h"

namespace jobtrawl::parsers {

enum class SourceKind {
  kHtml,             // pages: JSON-LD, microdata, CSS selector fields
  kRss,              // RSS 2.0 and Atom feeds
  kXmlFeed,          // Indeed-style <source><job> feeds (and <jobs><job>)
  kSitemap,          // XML sitemaps and sitemap indexes → detail pages
  kGreenhouse,       // boards-api.greenhouse.io/v1/boards/{board}/jobs?content=true
  kLever,            // api.lever.co/v0/postings/{board}?mode=json
  kAshby,            // api.ashbyhq.com/posting-api/job-board/{board}
  kWorkable,         // apply.workable.com/api/v1/widget/accounts/{board}
  kSmartRecruiters,  // api.smartrecruiters.com/v1/companies/{board}/postings
  kRecruitee,        // {board}.recruitee.com/api/offers/
  kRemotive,         // remotive.com/api/remote-jobs
  kRemoteOk,         // remoteok.com/api (a JSON array)
  kWorkday,          // {tenant}.{wdN}.myworkdayjobs.com/wday/cxs/{tenant}/{site}/jobs (POST)
  kPersonio,         // {board}.jobs.personio.de/xml (the XML feed; also search JSON)
  kBreezy,           // {board}.breezy.hr/json
  kRippling,         // api.rippling.com/platform/api/ats/v1/board/{board}/jobs
  kHimalayas,        // himalayas.app/jobs/api
  kJobicy,           // jobicy.com/api/v2/remote-jobs
  kArbeitnow,        // www.arbeitnow.com/api/job-board-api
  kLandingJobs,      // landing.jobs/api/v1/jobs
  kFourDayWeek,      // 4dayweek.io/api/jobs
  kWorkingNomads,    // www.workingnomads.com/api/exposed_jobs/
  kTheMuse,          // www.themuse.com/api/public/jobs?page=0
  kUsaJobs,          // data.usajobs.gov/api/search (needs request headers: an API key)
};

// Every kind's config name, in declaration order.
const std::vector<std::string_view>& SourceKindNames();
std::optional<SourceKind> SourceKindFromName(std::string_view name);
std::string_view SourceKindName(SourceKind kind);

// True for the kinds whose pages are JSON from a board's public API.
bool IsBoardApi(SourceKind kind);

// The API URL for a board's token ("acme"), for the kinds that take one.
// nullopt for kinds without a token-based URL or for tokens that are not
// [A-Za-z0-9._-]+. Workday's token is "{tenant}.{wdN}.myworkdayjobs.com/{site}"
// ("acme.wd5.myworkdayjobs.com/External"), its URL the CXS jobs search.
// The aggregators (remotive, remoteok, himalayas, jobicy, arbeitnow,
// landingjobs, fourdayweek, workingnomads, themuse, usajobs) need no token: an empty one
// gives their whole public feed; a token is Remotive's category or
// Jobicy's industry, and refused by the others.
std::optional<std::string> BoardApiUrl(SourceKind kind, std::string_view board);

// The body a board API's start URL is sent with, for the APIs searched by
// POST (Workday's CXS jobs search: {"appliedFacets":{},"limit":20,
// "offset":0,"searchText":""}); nullopt for those read by GET.
std::optional<PostBody> BoardApiStartPost(SourceKind kind);

// True when `BoardApiUrl` needs a token for `kind`.
bool NeedsBoardToken(SourceKind kind);

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_SOURCE_KIND_H_
