#include "parsers/source_kind.h"

#include <algorithm>
#include <array>
#include <utility>

#include "model/ascii.h"

namespace jobtrawl::parsers {
namespace {

struct KindInfo {
  SourceKind kind;
  std::string_view name;
  std::string_view url_template;  // "{}" is the board token; empty: none
  bool needs_token;
};

constexpr std::array kKinds{
    KindInfo{SourceKind::kHtml, "html", "", false},
    KindInfo{SourceKind::kRss, "rss", "", false},
    KindInfo{SourceKind::kXmlFeed, "xmlfeed", "", false},
    KindInfo{SourceKind::kSitemap, "sitemap", "", false},
    KindInfo{SourceKind::kGreenhouse, "greenhouse",
             "https://boards-api.greenhouse.io/v1/boards/{}/jobs?content=true", true},
    KindInfo{SourceKind::kLever, "lever", "https://api.lever.co/v0/postings/{}?mode=json", true},
    KindInfo{SourceKind::kAshby, "ashby",
             "https://api.ashbyhq.com/posting-api/job-board/{}?includeCompensation=true", true},
    KindInfo{SourceKind::kWorkable, "workable",
             "https://apply.workable.com/api/v1/widget/accounts/{}?details=true", true},
    KindInfo{SourceKind::kSmartRecruiters, "smartrecruiters",
             "https://api.smartrecruiters.com/v1/companies/{}/postings?limit=100&offset=0", true},
    KindInfo{SourceKind::kRecruitee, "recruitee", "https://{}.recruitee.com/api/offers/", true},
    KindInfo{SourceKind::kRemotive, "remotive", "https://remotive.com/api/remote-jobs", false},
    KindInfo{SourceKind::kRemoteOk, "remoteok", "https://remoteok.com/api", false},
    KindInfo{SourceKind::kWorkday, "workday", "https://{tenant}.{wd}.myworkdayjobs.com/wday/cxs/{tenant}/{site}/jobs",
             true},
    KindInfo{SourceKind::kPersonio, "personio", "https://{}.jobs.personio.de/xml", true},
    KindInfo{SourceKind::kBreezy, "breezy", "https://{}.breezy.hr/json", true},
    KindInfo{SourceKind::kRippling, "rippling", "https://api.rippling.com/platform/api/ats/v1/board/{}/jobs", true},
    KindInfo{SourceKind::kHimalayas, "himalayas", "https://himalayas.app/jobs/api", false},
    KindInfo{SourceKind::kJobicy, "jobicy", "https://jobicy.com/api/v2/remote-jobs?count=100", false},
    KindInfo{SourceKind::kArbeitnow, "arbeitnow", "https://www.arbeitnow.com/api/job-board-api", false},
    KindInfo{SourceKind::kLandingJobs, "landingjobs", "https://landing.jobs/api/v1/jobs?limit=50&offset=0", false},
    KindInfo{SourceKind::kFourDayWeek, "fourdayweek", "https://4dayweek.io/api/jobs", false},
    KindInfo{SourceKind::kWorkingNomads, "workingnomads", "https://www.workingnomads.com/api/exposed_jobs/", false},
    KindInfo{SourceKind::kTheMuse, "themuse", "https://www.themuse.com/api/public/jobs?page=0", false},
    KindInfo{SourceKind::kUsaJobs, "usajobs", "https://data.usajobs.gov/api/search?ResultsPerPage=500", false},
};

const KindInfo& Info(SourceKind kind) {
  for (const KindInfo& k : kKinds) {
    if (k.kind == kind) return k;
  }
  return kKinds[0];
}

bool ValidToken(std::string_view token) {
  if (token.empty() || token.size() > 100) return false;
  for (char c : token) {
    bool ok = ascii::IsAlnum(c) ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return token != "." && token != "..";
}

// Workday's "{tenant}.{wdN}.myworkdayjobs.com/{site}": the CXS jobs search.
std::optional<std::string> WorkdayUrl(std::string_view board) {
  constexpr std::string_view kDomain = ".myworkdayjobs.com/";
  const std::size_t at = board.find(kDomain);
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view host = board.substr(0, at);
  const std::string_view site = board.substr(at + kDomain.size());
  const std::size_t dot = host.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view tenant = host.substr(0, dot);
  const std::string_view wd = host.substr(dot + 1);
  auto word = [](std::string_view w) {
    return !w.empty() && w.size() <= 100 &&
           std::all_of(w.begin(), w.end(), [](char c) { return ascii::IsAlnum(c) || c == '_' || c == '-'; });
  };
  const bool wd_ok = wd.size() > 2 && wd.starts_with("wd") &&
                     std::all_of(wd.begin() + 2, wd.end(), [](char c) { return ascii::IsDigit(c); });
  if (!word(tenant) || !wd_ok || !word(site)) return std::nullopt;
  std::string t = ascii::ToLower(tenant);
  return "https://" + t + "." + std::string(wd) + ".myworkdayjobs.com/wday/cxs/" + t + "/" + std::string(site) +
         "/jobs";
}

}  // namespace

const std::vector<std::string_view>& SourceKindNames() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> names;
    for (const KindInfo& k : kKinds) names.push_back(k.name);
    return names;
  }();
  return kNames;
}

std::optional<SourceKind> SourceKindFromName(std::string_view name) {
  for (const KindInfo& k : kKinds) {
    if (k.name == name) return k.kind;
  }
  return std::nullopt;
}

std::string_view SourceKindName(SourceKind kind) { return Info(kind).name; }

bool IsBoardApi(SourceKind kind) { return !Info(kind).url_template.empty(); }

bool NeedsBoardToken(SourceKind kind) { return Info(kind).needs_token; }

std::optional<std::string> BoardApiUrl(SourceKind kind, std::string_view board) {
  const KindInfo& info = Info(kind);
  if (info.url_template.empty()) return std::nullopt;
  if (!info.needs_token) {
    std::string url(info.url_template);
    if (board.empty()) return url;
    // Remotive filters by category, Jobicy by industry; the others have no
    // token of their own.
    if (!ValidToken(board)) return std::nullopt;
    if (kind == SourceKind::kRemotive) return url + "?category=" + std::string(board);
    if (kind == SourceKind::kJobicy) return url + "&industry=" + std::string(board);
    return std::nullopt;
  }
  if (kind == SourceKind::kWorkday) return WorkdayUrl(board);
  if (!ValidToken(board)) return std::nullopt;
  std::string url(info.url_template);
  url.replace(url.find("{}"), 2, board);
  return url;
}

std::optional<PostBody> BoardApiStartPost(SourceKind kind) {
  if (kind != SourceKind::kWorkday) return std::nullopt;
  return PostBody{.content_type = "application/json",
                  .data = R"({"appliedFacets":{},"limit":20,"offset":0,"searchText":""})"};
}

}  // namespace jobtrawl::parsers
