#include "parsers/extractor.h"

#include <re2/re2.h>

#include <unordered_set>

#include "parsers/html_document.h"
#include "parsers/json_ld.h"
#include "parsers/url.h"

namespace jobtrawl::parsers {
namespace {

std::unique_ptr<re2::RE2> Compile(const std::string& pattern) {
  if (pattern.empty()) return nullptr;
  auto re = std::make_unique<re2::RE2>(pattern, re2::RE2::Quiet);
  if (!re->ok()) return nullptr;
  return re;
}

// True when the space-separated `rel` list holds "next".
bool RelIsNext(const char* rel) {
  if (rel == nullptr) return false;
  std::string_view s(rel);
  while (!s.empty()) {
    size_t space = s.find_first_of(" \t\n\r\f");
    std::string_view token = s.substr(0, space);
    if (token.size() == 4) {
      std::string lower;
      for (char c : token) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      if (lower == "next") return true;
    }
    if (space == std::string_view::npos) break;
    s.remove_prefix(space + 1);
  }
  return false;
}

}  // namespace

Extractor::Extractor(const ExtractOptions& options)
    : detail_(Compile(options.detail_pattern)), next_(Compile(options.next_pattern)) {}

Extractor::~Extractor() = default;

std::vector<Link> Extractor::FindLinks(std::string_view url, std::string_view body) const {
  HtmlDocument doc{std::string(body)};
  std::string base(url);
  if (std::string_view href = doc.BaseHref(); !href.empty()) {
    if (auto resolved = ResolveUrl(url, href)) base = std::move(*resolved);
  }
  std::vector<Link> links;
  std::unordered_set<std::string> seen;
  doc.ForEachElement([&](const GumboNode& e) {
    GumboTag tag = e.v.element.tag;
    if (tag != GUMBO_TAG_A && tag != GUMBO_TAG_LINK && tag != GUMBO_TAG_AREA) return;
    const char* href = HtmlDocument::Attribute(e, "href");
    if (href == nullptr || *href == '\0' || *href == '#') return;
    auto resolved = ResolveUrl(base, href);
    if (!resolved) return;
    auto canonical = CanonicalUrl(*resolved);
    if (!canonical) return;
    std::string_view scheme = std::string_view(*canonical).substr(0, canonical->find(':'));
    if (scheme != "http" && scheme != "https" && scheme != "file") return;
    bool next = RelIsNext(HtmlDocument::Attribute(e, "rel")) ||
                (next_ && tag != GUMBO_TAG_LINK && re2::RE2::PartialMatch(*canonical, *next_));
    bool detail = !next && detail_ && tag != GUMBO_TAG_LINK &&
                  re2::RE2::PartialMatch(*canonical, *detail_);
    if (!next && !detail) return;
    if (*canonical == CanonicalUrl(url).value_or("")) return;  // a link to itself
    if (!seen.insert(*canonical).second) return;
    links.push_back({std::move(*canonical), next ? Link::Role::kListing : Link::Role::kDetail});
  });
  return links;
}

Extracted Extractor::Extract(std::string_view url, std::string_view body, Link::Role role) const {
  Extracted out;
  std::string page_url = CanonicalUrl(url).value_or(std::string(url));
  ExtractJsonLd(body, page_url, out);
  if (role == Link::Role::kListing) out.links = FindLinks(url, body);
  return out;
}

}  // namespace jobtrawl::parsers
