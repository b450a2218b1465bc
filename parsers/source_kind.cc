#include "parsers/source_kind.h"

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
    // Remotive filters by category; RemoteOK has no token of its own.
    if (kind != SourceKind::kRemotive || !ValidToken(board)) return std::nullopt;
    return url + "?category=" + std::string(board);
  }
  if (!ValidToken(board)) return std::nullopt;
  std::string url(info.url_template);
  url.replace(url.find("{}"), 2, board);
  return url;
}

}  // namespace jobtrawl::parsers
