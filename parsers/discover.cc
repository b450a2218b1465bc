#include "parsers/discover.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>

#include "model/ascii.h"
#include "model/url.h"
#include "parsers/html_document.h"
#include "parsers/selector.h"

namespace jobtrawl::parsers {
namespace {

// ---------------------------------------------------------------------------
// URLs in a page's text

// The page text with the escapes URLs hide behind in scripts and JSON read
// through: "\/" (any run of backslashes before it), "\u002F", "\u0026",
// "\u003A", "&amp;", "&#x2F;" and "&#47;".
std::string Unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '\\') {
      std::size_t j = i;
      while (j < s.size() && s[j] == '\\') ++j;
      if (j < s.size() && s[j] == '/') {
        out += '/';
        i = j + 1;
        continue;
      }
      if (j + 4 < s.size() && s[j] == 'u' && s[j + 1] == '0' && s[j + 2] == '0') {
        const std::string_view code = s.substr(j + 3, 2);
        char decoded = 0;
        if (ascii::EqualsIgnoreCase(code, "2f")) decoded = '/';
        if (ascii::EqualsIgnoreCase(code, "26")) decoded = '&';
        if (ascii::EqualsIgnoreCase(code, "3a")) decoded = ':';
        if (ascii::EqualsIgnoreCase(code, "3d")) decoded = '=';
        if (ascii::EqualsIgnoreCase(code, "3f")) decoded = '?';
        if (decoded != 0) {
          out += decoded;
          i = j + 5;
          continue;
        }
      }
      out.append(s.substr(i, j - i));
      i = j;
      continue;
    }
    if (c == '&') {
      static constexpr std::array<std::pair<std::string_view, char>, 5> kRefs{
          {{"&amp;", '&'}, {"&#x2F;", '/'}, {"&#x2f;", '/'}, {"&#47;", '/'}, {"&#38;", '&'}}};
      bool replaced = false;
      for (const auto& [ref, ch] : kRefs) {
        if (s.substr(i, ref.size()) == ref) {
          out += ch;
          i += ref.size();
          replaced = true;
          break;
        }
      }
      if (replaced) continue;
    }
    out += c;
    ++i;
  }
  return out;
}

constexpr bool EndsUrl(char c) {
  return static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' ||
         c == '\\' || c == '`' || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '|' || c == '^' || c == ',' || c == ';';
}

// A URL split for matching: lower-case host, path segments, raw query.
struct FoundUrl {
  std::string url;
  std::string host;
  std::vector<std::string> segments;
  std::string query;

  std::string_view Segment(std::size_t i) const {
    return i < segments.size() ? std::string_view(segments[i]) : std::string_view();
  }
  // The value of query parameter `name`, undecoded; empty when absent.
  std::string_view Param(std::string_view name) const {
    std::string_view q = query;
    while (!q.empty()) {
      const std::size_t amp = q.find('&');
      const std::string_view pair = q.substr(0, amp);
      if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=') {
        return pair.substr(name.size() + 1);
      }
      if (amp == std::string_view::npos) break;
      q.remove_prefix(amp + 1);
    }
    return {};
  }
};

std::optional<FoundUrl> Split(std::string_view url) {
  auto parts = SplitUrl(url);
  if (!parts || (parts->scheme != "http" && parts->scheme != "https") || parts->host.empty()) {
    return std::nullopt;
  }
  FoundUrl f;
  f.url = std::string(url);
  f.host = ascii::ToLower(parts->host);
  std::string_view path = parts->path;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    const std::string_view seg = path.substr(0, slash);
    if (!seg.empty()) f.segments.emplace_back(seg);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  if (parts->query) f.query = *parts->query;
  return f;
}

// Calls `found` with each absolute or protocol-relative http(s) URL in
// `text` whose host ends with one of `suffixes` (checked before the URL is
// split, so a page of unrelated links costs one scan).
template <typename F>
void ForEachUrl(std::string_view text, const std::vector<std::string_view>& suffixes, F&& found) {
  for (std::size_t at = text.find("//"); at != std::string_view::npos; at = text.find("//", at + 2)) {
    std::size_t start;
    std::string prefix;
    if (at >= 6 && ascii::EqualsIgnoreCase(text.substr(at - 6, 6), "https:")) {
      start = at - 6;
    } else if (at >= 5 && ascii::EqualsIgnoreCase(text.substr(at - 5, 5), "http:")) {
      start = at - 5;
    } else if (at > 0 && (text[at - 1] == '"' || text[at - 1] == '\'' || text[at - 1] == '=' ||
                          text[at - 1] == '(' || ascii::IsSpace(text[at - 1]))) {
      start = at;
      prefix = "https:";
    } else {
      continue;
    }
    std::size_t host_end = at + 2;
    while (host_end < text.size() && !EndsUrl(text[host_end]) && text[host_end] != '/' &&
           text[host_end] != '?' && text[host_end] != '#' && text[host_end] != ':') {
      ++host_end;
    }
    const std::string_view host = text.substr(at + 2, host_end - at - 2);
    const bool wanted = std::any_of(suffixes.begin(), suffixes.end(), [&](std::string_view s) {
      return ascii::EndsWithIgnoreCase(host, s) &&
             (host.size() == s.size() || host[host.size() - s.size() - 1] == '.');
    });
    if (!wanted) continue;
    std::size_t end = host_end;
    while (end < text.size() && !EndsUrl(text[end])) ++end;
    const std::string url = prefix + std::string(text.substr(start, end - start));
    if (auto split = Split(url)) found(*split);
    at = end - 2;
  }
}

// ---------------------------------------------------------------------------
// The systems

bool IsToken(std::string_view t) {
  if (t.empty() || t.size() > 100 || t == "." || t == "..") return false;
  return std::all_of(t.begin(), t.end(),
                     [](char c) { return ascii::IsAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

// A path segment that names a board rather than an asset or an endpoint.
std::string BoardSegment(std::string_view seg) {
  static const std::set<std::string_view> kNotBoards{
      "api", "assets", "static", "embed", "js", "css", "images", "img", "favicon.ico", "j",
      "v0", "v1", "oneclick-ui", "widget", "robots.txt", "sitemap.xml", "fonts", "cdn"};
  if (!IsToken(seg) || kNotBoards.contains(ascii::ToLower(seg))) return {};
  if (seg.find('.') != std::string_view::npos) return {};  // a file
  return std::string(seg);
}

// The first label of `host` when it is "<label>.<suffix>" and the label
// names a company, not a service of the system.
std::string Subdomain(const FoundUrl& u, std::string_view suffix) {
  if (u.host.size() <= suffix.size() + 1 || !u.host.ends_with(suffix)) return {};
  const std::string_view label =
      std::string_view(u.host).substr(0, u.host.size() - suffix.size() - 1);
  static const std::set<std::string_view> kServices{
      "www", "app", "api", "cdn", "assets", "static", "jobs", "careers", "career", "apply",
      "help", "support", "blog", "status", "docs", "login", "my", "resources", "images", "img"};
  if (label.find('.') != std::string_view::npos || kServices.contains(label) || !IsToken(label)) {
    return {};
  }
  return std::string(label);
}

bool HostIs(const FoundUrl& u, std::initializer_list<std::string_view> hosts) {
  return std::find(hosts.begin(), hosts.end(), u.host) != hosts.end();
}

// segments[i..] == path (a '/'-separated list); then the next one.
std::string After(const FoundUrl& u, std::initializer_list<std::string_view> path) {
  std::size_t i = 0;
  for (std::string_view p : path) {
    if (u.Segment(i) != p) return {};
    ++i;
  }
  return IsToken(u.Segment(i)) ? std::string(u.Segment(i)) : std::string();
}

struct System {
  std::string_view name;
  std::string_view kind;  // empty: no jobtrawl reader
  std::vector<std::string_view> suffixes;
  // The board token a URL of the system shows; empty: the system, no token.
  std::string (*token)(const FoundUrl&);
};

std::string GreenhouseToken(const FoundUrl& u) {
  if (std::string_view f = u.Param("for"); IsToken(f)) return std::string(f);
  if (HostIs(u, {"boards-api.greenhouse.io", "api.greenhouse.io"})) return After(u, {"v1", "boards"});
  if (HostIs(u, {"boards.greenhouse.io", "job-boards.greenhouse.io", "boards.eu.greenhouse.io",
                 "job-boards.eu.greenhouse.io"})) {
    return BoardSegment(u.Segment(0));
  }
  return {};
}

std::string LeverToken(const FoundUrl& u) {
  if (HostIs(u, {"jobs.lever.co", "jobs.eu.lever.co"})) return BoardSegment(u.Segment(0));
  if (HostIs(u, {"api.lever.co", "api.eu.lever.co"})) return After(u, {"v0", "postings"});
  return {};
}

std::string AshbyToken(const FoundUrl& u) {
  if (u.host == "jobs.ashbyhq.com") return BoardSegment(u.Segment(0));
  if (u.host == "api.ashbyhq.com") return After(u, {"posting-api", "job-board"});
  return {};
}

std::string WorkableToken(const FoundUrl& u) {
  if (u.host == "apply.workable.com") {
    if (u.Segment(0) == "api") {
      if (auto t = After(u, {"api", "v1", "widget", "accounts"}); !t.empty()) return t;
      if (auto t = After(u, {"api", "v3", "accounts"}); !t.empty()) return t;
      return After(u, {"api", "v1", "accounts"});
    }
    return BoardSegment(u.Segment(0));
  }
  return Subdomain(u, "workable.com");
}

std::string SmartRecruitersToken(const FoundUrl& u) {
  if (HostIs(u, {"jobs.smartrecruiters.com", "careers.smartrecruiters.com"})) {
    return BoardSegment(u.Segment(0));
  }
  if (u.host == "api.smartrecruiters.com") return After(u, {"v1", "companies"});
  return {};
}

std::string RecruiteeToken(const FoundUrl& u) { return Subdomain(u, "recruitee.com"); }

// "{tenant}.{wdN}.myworkdayjobs.com/{site}", the `workday` kind's token.
std::string WorkdayToken(const FoundUrl& u) {
  auto is_locale = [](std::string_view s) {
    return (s.size() == 2 && ascii::IsAlpha(s[0]) && ascii::IsAlpha(s[1])) ||
           (s.size() == 5 && ascii::IsAlpha(s[0]) && ascii::IsAlpha(s[1]) && s[2] == '-' && ascii::IsAlpha(s[3]) &&
            ascii::IsAlpha(s[4]));
  };
  std::string tenant, datacenter, site;
  const std::string_view host = u.host;
  if (host.ends_with(".myworkdayjobs.com")) {
    const std::string_view labels = host.substr(0, host.size() - std::string_view(".myworkdayjobs.com").size());
    const std::size_t dot = labels.find('.');
    if (dot == std::string_view::npos || labels.find('.', dot + 1) != std::string_view::npos) return {};
    tenant = labels.substr(0, dot);
    datacenter = labels.substr(dot + 1);
    if (u.Segment(0) == "wday" && u.Segment(1) == "cxs") {
      site = u.Segment(3);
    } else {
      std::size_t i = is_locale(u.Segment(0)) ? 1 : 0;
      site = u.Segment(i);
    }
  } else if (host.ends_with(".myworkdaysite.com")) {
    // wdN.myworkdaysite.com/recruiting/{tenant}/{site}
    datacenter = host.substr(0, host.size() - std::string_view(".myworkdaysite.com").size());
    std::size_t i = is_locale(u.Segment(0)) ? 1 : 0;
    if (u.Segment(i) == "recruiting") {
      tenant = u.Segment(i + 1);
      site = u.Segment(i + 2);
    } else if (u.Segment(0) == "wday" && u.Segment(1) == "cxs") {
      tenant = u.Segment(2);
      site = u.Segment(3);
    }
  }
  if (!IsToken(tenant) || !IsToken(datacenter) || !IsToken(site) || site == "wday" ||
      datacenter.find('.') != std::string::npos) {
    return {};
  }
  return tenant + "." + datacenter + ".myworkdayjobs.com/" + site;
}

std::string PersonioToken(const FoundUrl& u) {
  if (auto t = Subdomain(u, "jobs.personio.de"); !t.empty()) return t;
  return Subdomain(u, "jobs.personio.com");
}
std::string TeamtailorToken(const FoundUrl& u) { return Subdomain(u, "teamtailor.com"); }
std::string BambooToken(const FoundUrl& u) { return Subdomain(u, "bamboohr.com"); }
std::string BreezyToken(const FoundUrl& u) { return Subdomain(u, "breezy.hr"); }

std::string RipplingToken(const FoundUrl& u) {
  if (u.host == "ats.rippling.com") return BoardSegment(u.Segment(0));
  if (u.host == "api.rippling.com") return After(u, {"platform", "api", "ats", "v1", "board"});
  return {};
}

std::string JobviteToken(const FoundUrl& u) {
  if (HostIs(u, {"jobs.jobvite.com", "careers.jobvite.com"})) return BoardSegment(u.Segment(0));
  return {};
}

// iCIMS portals are "careers-acme.icims.com"; the token is that label.
std::string IcimsToken(const FoundUrl& u) { return Subdomain(u, "icims.com"); }

std::string PaylocityToken(const FoundUrl& u) {
  // recruiting.paylocity.com/Recruiting/Jobs/All/{company guid}
  if (u.host != "recruiting.paylocity.com") return {};
  for (std::size_t i = 0; i + 1 < u.segments.size(); ++i) {
    if (ascii::EqualsIgnoreCase(u.segments[i], "All") && i >= 1 && ascii::EqualsIgnoreCase(u.segments[i - 1], "Jobs")) {
      return IsToken(u.segments[i + 1]) ? u.segments[i + 1] : std::string();
    }
  }
  return {};
}
std::string NoToken(const FoundUrl&) { return {}; }
std::string TaleoToken(const FoundUrl& u) { return Subdomain(u, "taleo.net"); }
std::string JazzToken(const FoundUrl& u) { return Subdomain(u, "applytojob.com"); }

const std::vector<System>& Systems() {
  static const std::vector<System> systems{
      {"Greenhouse", "greenhouse", {"greenhouse.io"}, GreenhouseToken},
      {"Lever", "lever", {"lever.co"}, LeverToken},
      {"Ashby", "ashby", {"ashbyhq.com"}, AshbyToken},
      {"Workable", "workable", {"workable.com"}, WorkableToken},
      {"SmartRecruiters", "smartrecruiters", {"smartrecruiters.com"}, SmartRecruitersToken},
      {"Recruitee", "recruitee", {"recruitee.com"}, RecruiteeToken},
      {"Workday", "workday", {"myworkdayjobs.com", "myworkdaysite.com"}, WorkdayToken},
      {"Personio", "personio", {"jobs.personio.de", "jobs.personio.com"}, PersonioToken},
      {"Teamtailor", "teamtailor", {"teamtailor.com", "teamtailor-cdn.com"}, TeamtailorToken},
      {"BambooHR", "bamboohr", {"bamboohr.com"}, BambooToken},
      {"Breezy HR", "breezy", {"breezy.hr"}, BreezyToken},
      {"Rippling", "rippling", {"ats.rippling.com", "api.rippling.com"}, RipplingToken},
      {"Jobvite", "jobvite", {"jobvite.com"}, JobviteToken},
      {"iCIMS", "icims", {"icims.com"}, IcimsToken},
      {"Paylocity", "", {"recruiting.paylocity.com"}, PaylocityToken},
      {"Phenom", "", {"phenompeople.com"}, NoToken},
      {"Taleo", "", {"taleo.net"}, TaleoToken},
      {"SuccessFactors", "", {"successfactors.com", "successfactors.eu"}, NoToken},
      {"JazzHR", "", {"applytojob.com"}, JazzToken},
      {"UKG Pro", "", {"recruiting.ultipro.com", "recruiting2.ultipro.com"}, NoToken},
      {"ADP", "", {"workforcenow.adp.com"}, NoToken},
  };
  return systems;
}

const System* SystemOf(const FoundUrl& u) {
  for (const System& s : Systems()) {
    for (std::string_view suffix : s.suffixes) {
      if (u.host == suffix || (u.host.size() > suffix.size() && u.host.ends_with(suffix) &&
                               u.host[u.host.size() - suffix.size() - 1] == '.')) {
        return &s;
      }
    }
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// Page structure helpers

bool IsElement(const GumboNode* n) { return n != nullptr && n->type == GUMBO_NODE_ELEMENT; }

std::string_view TagName(const GumboNode& e) {
  if (e.v.element.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(e.v.element.tag);
  GumboStringPiece piece = e.v.element.original_tag;
  gumbo_tag_from_original_text(&piece);
  return {piece.data, piece.length};
}

// Class names usable in a selector, in document order.
std::vector<std::string> Classes(const GumboNode& e) {
  std::vector<std::string> out;
  const char* cls = HtmlDocument::Attribute(e, "class");
  if (cls == nullptr) return out;
  std::string_view rest = cls;
  while (!rest.empty()) {
    rest = ascii::TrimLeft(rest);
    std::size_t end = 0;
    while (end < rest.size() && !ascii::IsSpace(rest[end])) ++end;
    const std::string_view c = rest.substr(0, end);
    const bool plain = !c.empty() && !ascii::IsDigit(c[0]) && c.size() <= 64 &&
                       std::all_of(c.begin(), c.end(), [](char ch) { return ascii::IsAlnum(ch) || ch == '-' || ch == '_'; });
    if (plain && std::find(out.begin(), out.end(), c) == out.end()) out.emplace_back(c);
    rest.remove_prefix(end);
  }
  return out;
}

std::string Compound(const GumboNode& e) {
  std::string s(TagName(e));
  for (const std::string& c : Classes(e)) s += "." + c;
  return s;
}

template <typename F>
void ForEachDescendant(const GumboNode& e, F&& visit) {
  std::vector<const GumboNode*> stack;
  for (unsigned i = e.v.element.children.length; i > 0; --i) {
    stack.push_back(static_cast<const GumboNode*>(e.v.element.children.data[i - 1]));
  }
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (!IsElement(n)) continue;
    visit(*n);
    for (unsigned i = n->v.element.children.length; i > 0; --i) {
      stack.push_back(static_cast<const GumboNode*>(n->v.element.children.data[i - 1]));
    }
  }
}

const GumboNode* FirstLink(const GumboNode& e) {
  if (e.v.element.tag == GUMBO_TAG_A && HtmlDocument::Attribute(e, "href") != nullptr) return &e;
  const GumboNode* found = nullptr;
  ForEachDescendant(e, [&](const GumboNode& d) {
    if (found == nullptr && d.v.element.tag == GUMBO_TAG_A && HtmlDocument::Attribute(d, "href") != nullptr) {
      found = &d;
    }
  });
  return found;
}

constexpr std::array<std::string_view, 12> kJobWords{"job",     "career",  "position", "vacanc",
                                                     "opening", "posting", "role",     "stelle",
                                                     "offre",   "emploi",  "vacature", "opportunit"};

bool HasJobWord(std::string_view s) {
  return std::any_of(kJobWords.begin(), kJobWords.end(),
                     [&](std::string_view w) { return ascii::ContainsIgnoreCase(s, w); });
}

std::string Base(const HtmlDocument& doc, std::string_view page_url) {
  std::string_view base = doc.BaseHref();
  if (!base.empty()) {
    if (auto resolved = ResolveUrl(page_url, base)) return *resolved;
  }
  return std::string(page_url);
}

}  // namespace

std::vector<BoardSighting> FindBoards(std::string_view page_url, std::string_view html) {
  std::vector<std::string_view> suffixes;
  for (const System& s : Systems()) suffixes.insert(suffixes.end(), s.suffixes.begin(), s.suffixes.end());
  std::map<std::pair<const System*, std::string>, BoardSighting> seen;
  std::vector<std::pair<const System*, std::string>> order;
  auto count = [&](const FoundUrl& u, int weight) {
    const System* system = SystemOf(u);
    if (system == nullptr) return;
    std::string token = system->token(u);
    auto key = std::make_pair(system, token);
    auto [it, inserted] = seen.try_emplace(key);
    if (inserted) {
      it->second = BoardSighting{.system = std::string(system->name), .kind = std::string(system->kind),
                                 .board = std::move(token), .evidence = u.url};
      order.push_back(key);
    }
    it->second.count += weight;
  };
  if (auto own = Split(page_url)) count(*own, 10);
  const std::string text = Unescape(html);
  ForEachUrl(text, suffixes, [&](const FoundUrl& u) { count(u, 1); });

  std::vector<BoardSighting> out;
  out.reserve(order.size());
  for (const auto& key : order) out.push_back(std::move(seen[key]));
  // A system seen with a token: its token-less sightings only add to it.
  for (BoardSighting& b : out) {
    if (!b.board.empty()) continue;
    for (BoardSighting& other : out) {
      if (&other != &b && other.system == b.system && !other.board.empty()) {
        other.count += b.count;
        b.count = 0;
        break;
      }
    }
  }
  std::erase_if(out, [](const BoardSighting& b) { return b.count == 0; });
  std::stable_sort(out.begin(), out.end(), [](const BoardSighting& a, const BoardSighting& b) {
    if (a.board.empty() != b.board.empty()) return !a.board.empty();
    return a.count > b.count;
  });
  return out;
}

namespace {

std::vector<FeedLink> FeedLinksIn(const HtmlDocument& doc, std::string_view page_url) {
  const std::string base = Base(doc, page_url);
  std::vector<FeedLink> out;
  auto add = [&](const char* href, const char* title) {
    if (href == nullptr) return;
    auto url = ResolveUrl(base, href);
    if (!url) return;
    if (std::any_of(out.begin(), out.end(), [&](const FeedLink& f) { return f.url == *url; })) return;
    out.push_back({*url, title != nullptr ? std::string(ascii::Trim(std::string_view(title))) : std::string()});
  };
  doc.ForEachElement([&](const GumboNode& e) {
    const char* href = HtmlDocument::Attribute(e, "href");
    if (href == nullptr) return;
    if (e.v.element.tag == GUMBO_TAG_LINK) {
      const char* type = HtmlDocument::Attribute(e, "type");
      const char* rel = HtmlDocument::Attribute(e, "rel");
      if (type != nullptr && rel != nullptr && ascii::ContainsIgnoreCase(rel, "alternate") &&
          (ascii::ContainsIgnoreCase(type, "rss+xml") || ascii::ContainsIgnoreCase(type, "atom+xml"))) {
        add(href, HtmlDocument::Attribute(e, "title"));
      }
    } else if (e.v.element.tag == GUMBO_TAG_A) {
      auto resolved = ResolveUrl(base, href);
      auto parts = resolved ? SplitUrl(*resolved) : std::nullopt;
      if (!parts) return;
      const std::string_view h = parts->path;
      if (ascii::EndsWithIgnoreCase(h, ".rss") || ascii::EndsWithIgnoreCase(h, "/rss") || ascii::EndsWithIgnoreCase(h, "/feed") ||
          ascii::EndsWithIgnoreCase(h, "/feed/") || ascii::EndsWithIgnoreCase(h, ".atom") ||
          (ascii::ContainsIgnoreCase(h, "rss") && ascii::EndsWithIgnoreCase(h, ".xml"))) {
        add(href, nullptr);
      }
    }
  });
  return out;
}

std::optional<DetailLinks> DetailLinksIn(const HtmlDocument& doc, std::string_view page_url) {
  const std::string base = Base(doc, page_url);
  auto page = SplitUrl(page_url);
  if (!page) return std::nullopt;
  const std::string origin = Origin(*page);
  struct Group {
    std::vector<std::string> urls;
    int job_words = 0;
    int digits = 0;
  };
  std::map<std::string, Group> groups;  // by "origin + prefix"
  std::set<std::string> seen;
  doc.ForEachElement([&](const GumboNode& e) {
    if (e.v.element.tag != GUMBO_TAG_A) return;
    const char* href = HtmlDocument::Attribute(e, "href");
    if (href == nullptr) return;
    auto url = ResolveUrl(base, href);
    if (!url) return;
    url->erase(std::min(url->size(), url->find('#')));
    auto parts = SplitUrl(*url);
    if (!parts || Origin(*parts) != origin || parts->path == page->path) return;
    std::string_view path = parts->path;
    while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
    const std::size_t slash = path.rfind('/');
    if (slash == std::string_view::npos || slash + 1 >= path.size()) return;
    if (!seen.insert(*url).second) return;
    const std::string prefix = origin + std::string(path.substr(0, slash + 1));
    Group& g = groups[prefix];
    g.urls.push_back(*url);
    if (HasJobWord(path)) ++g.job_words;
    const std::string_view last = path.substr(slash + 1);
    if (std::any_of(last.begin(), last.end(), ascii::IsDigit)) ++g.digits;
  });
  const Group* best = nullptr;
  std::string best_prefix;
  double best_score = 0;
  for (const auto& [prefix, g] : groups) {
    if (g.urls.size() < 2) continue;
    const bool root = prefix == origin + "/";
    const double n = static_cast<double>(g.urls.size());
    const bool jobby = g.job_words * 2 >= static_cast<int>(g.urls.size());
    if (root && !jobby) continue;  // a site's top-level pages: about, contact, blog
    double score = n * (jobby ? 3 : 1) * (g.digits * 2 >= static_cast<int>(g.urls.size()) ? 2 : 1);
    if (score > best_score) {
      best_score = score;
      best = &g;
      best_prefix = prefix;
    }
  }
  if (best == nullptr) return std::nullopt;
  DetailLinks out;
  out.urls = best->urls;
  out.pattern = "^" + RE2::QuoteMeta(best_prefix) + "[^/?#]+/?(?:[?#]|$)";
  return out;
}

std::optional<ListingGuess> ListingIn(const HtmlDocument& doc, std::string_view page_url) {
  const std::string_view html = doc.html();
  struct Candidate {
    const GumboNode* parent;
    std::string compound;
    std::vector<const GumboNode*> rows;
    double score;
  };
  std::vector<Candidate> candidates;
  // Rows share their tag and first class ("job-row"; "job-row featured" too)
  // anywhere in the page (postings split by department sit under several
  // parents); rows without a class are grouped under their parent only.
  std::unordered_map<std::string, std::size_t> group_of;
  struct Group {
    std::string compound;
    const GumboNode* parent;
    std::vector<const GumboNode*> rows;
  };
  std::vector<Group> groups;
  doc.ForEachElement([&](const GumboNode& e) {
    const GumboTag tag = e.v.element.tag;
    if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_OPTION || tag == GUMBO_TAG_LINK ||
        tag == GUMBO_TAG_META || tag == GUMBO_TAG_BR || tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_BODY ||
        tag == GUMBO_TAG_HEAD || !IsElement(e.parent)) {
      return;
    }
    std::string compound(TagName(e));
    std::string key;
    if (auto classes = Classes(e); !classes.empty()) {
      compound += "." + classes.front();
      key = compound;
    } else {
      key = compound + "@" + std::to_string(reinterpret_cast<std::uintptr_t>(e.parent));
    }
    auto [it, inserted] = group_of.try_emplace(key, groups.size());
    if (inserted) groups.push_back({compound, e.parent, {}});
    groups[it->second].rows.push_back(&e);
  });
  // The page's detail links, when it has a group of them: a posting's row
  // holds exactly one of them (a department's holds several, a part of a
  // row such as "more jobs at" links none).
  std::set<std::string> detail_urls;
  if (auto detail = DetailLinksIn(doc, page_url)) detail_urls.insert(detail->urls.begin(), detail->urls.end());
  const std::string base = Base(doc, page_url);
  constexpr std::size_t kSampledRows = 100;  // scoring reads at most this many rows of a group
  for (Group& g : groups) {
    const std::vector<const GumboNode*>& rows = g.rows;
    if (rows.size() < 3) continue;
    const std::size_t sampled = std::min(rows.size(), kSampledRows);
    int with_links = 0;
    int one_detail = 0;     // rows holding exactly one detail link
    std::size_t links = 0;  // title-like links over the rows: a posting has one
    std::size_t text = 0;
    const bool job_class = HasJobWord(g.compound);
    for (std::size_t i = 0; i < sampled; ++i) {
      const GumboNode* r = rows[i];
      const GumboNode* a = FirstLink(*r);
      if (a == nullptr) continue;
      const std::string t = ElementText(*r);
      if (ElementText(*a).empty() || t.empty()) continue;
      ++with_links;
      text += std::min<std::size_t>(t.size(), 200);
      // Links worded like a title ("Apply", "Save" and icons are not).
      std::set<std::string_view> hrefs;
      std::set<std::string> details;
      auto visit = [&](const GumboNode& d) {
        if (d.v.element.tag != GUMBO_TAG_A) return;
        const char* h = HtmlDocument::Attribute(d, "href");
        if (h == nullptr) return;
        if (ElementText(d).size() >= 12) hrefs.insert(h);
        if (!detail_urls.empty()) {
          if (auto url = ResolveUrl(base, h)) {
            url->erase(std::min(url->size(), url->find('#')));
            if (detail_urls.contains(*url)) details.insert(std::move(*url));
          }
        }
      };
      visit(*r);
      ForEachDescendant(*r, visit);
      if (details.size() == 1) ++one_detail;
      links += std::max<std::size_t>(hrefs.size(), 1);
    }
    if (with_links == 0 || with_links * 5 < static_cast<int>(sampled) * 4) continue;  // 80% hold a link
    const double avg = static_cast<double>(text) / with_links;
    if (avg < 15) continue;  // menus and pagers: a word or two per row
    // Rows holding many links are groups of postings (departments), not postings.
    const double links_per_row = static_cast<double>(links) / with_links;
    const double rows_with_links = static_cast<double>(with_links) * rows.size() / sampled;
    double score = rows_with_links * avg * (job_class ? 2 : 1) / std::max(1.0, links_per_row);
    if (one_detail * 5 >= with_links * 4) score *= 3;  // rows that each hold one detail link
    candidates.push_back({g.parent, g.compound, rows, score});
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score > b.score; });

  for (const Candidate& c : candidates) {
    // The item selector: the rows' own compound when it picks out just them,
    // else under their parent (by its id or classes).
    std::vector<std::string> tries;
    if (c.compound.find('.') != std::string::npos) tries.push_back(c.compound);
    if (const char* id = HtmlDocument::Attribute(*c.parent, "id");
        id != nullptr && IsToken(id) && !ascii::IsDigit(id[0])) {
      tries.push_back("#" + std::string(id) + " > " + c.compound);
    }
    tries.push_back(Compound(*c.parent) + " > " + c.compound);
    if (c.compound.find('.') == std::string::npos) tries.push_back(c.compound);
    std::string item;
    for (const std::string& t : tries) {
      auto sel = Selector::Parse(t);
      if (sel && sel->SelectAll(*doc.document()).size() == c.rows.size()) {
        item = t;
        break;
      }
    }
    if (item.empty()) continue;

    // Fields, read from the first row that has each, by tag and class names.
    ListingGuess guess;
    guess.item = item;
    auto field_selector = [&](const GumboNode& e) {
      std::string s(TagName(e));
      auto classes = Classes(e);
      if (!classes.empty()) s += "." + classes.front();
      return s;
    };
    std::map<std::string, std::string> fields;
    const GumboNode& row = *c.rows.front();
    // Title: a heading, else the row's first link with text.
    ForEachDescendant(row, [&](const GumboNode& d) {
      const GumboTag t = d.v.element.tag;
      if (!fields.contains("title") && t >= GUMBO_TAG_H1 && t <= GUMBO_TAG_H6 && !ElementText(d).empty()) {
        fields["title"] = field_selector(d);
      }
    });
    if (!fields.contains("title")) {
      const GumboNode* a = FirstLink(row);
      if (a != nullptr && a != &row) fields["title"] = field_selector(*a);
    }
    // The first word a class holds decides its field ("workplaceType" is
    // about remote work, not a place).
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kClassWords{{
        {"workplace", "remote"}, {"remote", "remote"}, {"location", "location"}, {"city", "location"}, {"place", "location"}, {"office", "location"},
        {"company", "company"}, {"employer", "company"}, {"organi", "company"},
        {"posted", "date_posted"}, {"date", "date_posted"},
        {"employment", "employment_type"}, {"commitment", "employment_type"}, {"jobtype", "employment_type"},
        {"salary", "salary"}, {"compensation", "salary"},
    }};
    ForEachDescendant(row, [&](const GumboNode& d) {
      if (ElementText(d).empty()) return;
      if (d.v.element.tag == GUMBO_TAG_TIME && !fields.contains("date_posted")) {
        fields["date_posted"] =
            HtmlDocument::Attribute(d, "datetime") != nullptr ? "time@datetime" : "time";
        return;
      }
      for (const std::string& cls : Classes(d)) {
        for (const auto& [word, field] : kClassWords) {
          if (!ascii::ContainsIgnoreCase(cls, word)) continue;
          if (!fields.contains(std::string(field))) {
            fields[std::string(field)] = std::string(TagName(d)) + "." + cls;
          }
          break;
        }
      }
    });
    if (!fields.contains("title")) continue;
    for (const auto& [field, selector] : fields) {
      guess.fields.push_back({field, {selector}});
    }
    // Checked by extracting with it, as a crawl would.
    ExtractOptions options;
    options.kind = SourceKind::kHtml;
    options.item = guess.item;
    options.fields = guess.fields;
    options.page_budget = std::chrono::milliseconds(0);
    Extractor extractor(options);
    Extracted x = extractor.Extract(page_url, html, Link::Role::kListing);
    guess.rows = static_cast<int>(std::count_if(x.postings.begin(), x.postings.end(),
                                                [](const Posting& p) { return p.title && !p.title->empty(); }));
    if (guess.rows >= 3) return guess;
  }
  return std::nullopt;
}

std::string SiteNameIn(const HtmlDocument& doc) {
  std::string og, app;
  doc.ForEachElement([&](const GumboNode& e) {
    if (e.v.element.tag != GUMBO_TAG_META) return;
    const char* content = HtmlDocument::Attribute(e, "content");
    if (content == nullptr) return;
    const char* property = HtmlDocument::Attribute(e, "property");
    const char* name = HtmlDocument::Attribute(e, "name");
    if (og.empty() && property != nullptr && ascii::EqualsIgnoreCase(property, "og:site_name")) og = content;
    if (app.empty() && name != nullptr && ascii::EqualsIgnoreCase(name, "application-name")) app = content;
  });
  return std::string(ascii::Trim(std::string_view(!og.empty() ? og : app)));
}

}  // namespace

std::vector<FeedLink> FindFeedLinks(std::string_view page_url, std::string_view html) {
  return FeedLinksIn(HtmlDocument(std::string(html)), page_url);
}
std::optional<DetailLinks> FindDetailLinks(std::string_view page_url, std::string_view html) {
  return DetailLinksIn(HtmlDocument(std::string(html)), page_url);
}
std::optional<ListingGuess> GuessListing(std::string_view page_url, std::string_view html) {
  return ListingIn(HtmlDocument(std::string(html)), page_url);
}
std::string SiteName(std::string_view html) { return SiteNameIn(HtmlDocument(std::string(html))); }

CareersPage::CareersPage(std::string_view page_url, std::string html)
    : url_(page_url), doc_(std::make_unique<HtmlDocument>(std::move(html))) {}
CareersPage::~CareersPage() = default;
std::string_view CareersPage::html() const { return doc_->html(); }
std::vector<BoardSighting> CareersPage::Boards() const { return FindBoards(url_, doc_->html()); }
std::vector<FeedLink> CareersPage::FeedLinks() const { return FeedLinksIn(*doc_, url_); }
std::optional<DetailLinks> CareersPage::DetailLinks() const { return DetailLinksIn(*doc_, url_); }
std::optional<ListingGuess> CareersPage::Listing() const { return ListingIn(*doc_, url_); }
std::string CareersPage::SiteName() const { return SiteNameIn(*doc_); }

}  // namespace jobtrawl::parsers
