#include "parsers/extractor.h"

#include <re2/re2.h>

#include <optional>
#include <span>
#include <unordered_set>

#include "model/ascii.h"
#include "model/url.h"
#include "parsers/board_api.h"
#include "parsers/feed.h"
#include "parsers/html_document.h"
#include "parsers/html_text.h"
#include "parsers/json_ld.h"
#include "parsers/microdata.h"
#include "parsers/page_budget.h"
#include "parsers/selector.h"

namespace jobtrawl::parsers {
namespace {

std::unique_ptr<re2::RE2> Compile(const std::string& pattern) {
  if (pattern.empty()) return nullptr;
  auto re = std::make_unique<re2::RE2>(pattern, re2::RE2::Quiet);
  if (!re->ok()) return nullptr;
  return re;
}

// Config validation rejects bad selectors first; here one that does not
// parse simply selects nothing.
std::optional<Selector> CompileCss(std::string_view css) {
  if (css.empty()) return std::nullopt;
  auto s = Selector::Parse(css);
  if (!s) return std::nullopt;
  return std::move(*s);
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
      for (char c : token) lower.push_back(ascii::ToLower(c));
      if (lower == "next") return true;
    }
    if (space == std::string_view::npos) break;
    s.remove_prefix(space + 1);
  }
  return false;
}

using TextField = std::optional<std::string> Posting::*;

// The posting's text fields a selector may fill ("url" is handled apart).
TextField Slot(std::string_view field) {
  static const std::pair<std::string_view, TextField> kSlots[] = {
      {"title", &Posting::title},
      {"company", &Posting::company},
      {"department", &Posting::department},
      {"location", &Posting::location},
      {"country", &Posting::country},
      {"remote", &Posting::remote},
      {"employment_type", &Posting::employment_type},
      {"date_posted", &Posting::date_posted},
      {"valid_through", &Posting::valid_through},
      {"apply_url", &Posting::apply_url},
      {"external_id", &Posting::external_id},
      {"description", &Posting::description},
      {"salary", &Posting::salary_text}};
  for (const auto& [name, slot] : kSlots) {
    if (name == field) return slot;
  }
  return nullptr;
}

std::optional<std::string> Absolute(const std::string& base, std::string_view href) {
  auto resolved = ResolveUrl(base, href);
  if (!resolved) return std::nullopt;
  return CanonicalUrl(*resolved);
}

// "School: Ward Jackson Primary": an element whose text opens with a label
// in its own <strong>, <b>, <label>, <dt> or <th> ("School:") gives the value
// after the label.
std::string WithoutLabel(const GumboNode& element, std::string text) {
  const GumboVector& children = element.v.element.children;
  for (unsigned i = 0; i < children.length && i < 4; ++i) {
    const auto* child = static_cast<const GumboNode*>(children.data[i]);
    if (child->type != GUMBO_NODE_ELEMENT) continue;
    const GumboTag tag = child->v.element.tag;
    if (tag != GUMBO_TAG_STRONG && tag != GUMBO_TAG_B && tag != GUMBO_TAG_LABEL && tag != GUMBO_TAG_DT &&
        tag != GUMBO_TAG_TH && tag != GUMBO_TAG_SPAN) {
      continue;
    }
    std::string label = ElementText(*child);
    if (label.size() < 2 || label.back() != ':' || !text.starts_with(label)) continue;
    std::string rest = CleanInlineText(std::string_view(text).substr(label.size()));
    return rest.empty() ? text : rest;
  }
  return text;
}

constexpr const char* kTextFields[] = {"title", "company", "department", "location", "country", "remote",
                                      "employment_type", "date_posted", "valid_through",
                                      "apply_url", "external_id", "description"};

// Records `source` as the origin of every field set and not yet attributed.
void MarkProvenance(std::span<Posting> postings, const std::string& source) {
  for (Posting& p : postings) {
    for (const char* f : kTextFields) {
      if ((p.*Slot(f)).has_value()) p.provenance.try_emplace(f, source);
    }
    if (p.salary_min || p.salary_max) p.provenance.try_emplace("salary", source);
  }
}

}  // namespace

struct Extractor::Compiled {
  struct Rule {
    Selector css;
    std::string attribute;  // empty: the element's text
    std::string text;       // as written, for provenance
  };
  struct Field {
    std::string name;
    std::vector<Rule> rules;
  };
  std::vector<Field> fields;
  std::optional<Selector> item;
  std::optional<Selector> detail_css;
  std::optional<Selector> next_css;
};

Extractor::Extractor(const ExtractOptions& options)
    : kind_(options.kind),
      company_in_title_(options.company_in_title),
      company_(options.company),
      page_budget_(options.page_budget),
      clock_(options.clock),
      detail_(Compile(options.detail_pattern)),
      next_(Compile(options.next_pattern)),
      compiled_(std::make_unique<Compiled>()) {
  for (const auto& f : options.fields) {
    Compiled::Field field{.name = f.field};
    for (const auto& text : f.selectors) {
      std::string_view css = text;
      std::string attribute;
      if (size_t at = css.rfind('@'); at != std::string_view::npos) {
        attribute = std::string(css.substr(at + 1));
        css = css.substr(0, at);
      }
      if (auto s = CompileCss(css)) field.rules.push_back({std::move(*s), std::move(attribute), text});
    }
    if (!field.rules.empty()) compiled_->fields.push_back(std::move(field));
  }
  compiled_->item = CompileCss(options.item);
  compiled_->detail_css = CompileCss(options.detail_css);
  compiled_->next_css = CompileCss(options.next_css);
}

Extractor::~Extractor() = default;

std::vector<Link> Extractor::Links(const HtmlDocument& doc, std::string_view url,
                                   const std::string& base) const {
  std::vector<Link> links;
  std::unordered_set<std::string> seen;
  const std::string self = CanonicalUrl(url).value_or("");
  auto add = [&](const char* href, Link::Role role) {
    if (href == nullptr || *href == '\0' || *href == '#') return;
    auto canonical = Absolute(base, href);
    if (!canonical) return;
    std::string_view scheme = std::string_view(*canonical).substr(0, canonical->find(':'));
    if (scheme != "http" && scheme != "https" && scheme != "file") return;
    if (*canonical == self) return;  // a link to itself
    if (!seen.insert(*canonical).second) return;
    links.push_back({std::move(*canonical), role});
  };
  // Selector-chosen links first: they say exactly what the config author meant.
  if (compiled_->next_css) {
    for (const GumboNode* e : compiled_->next_css->SelectAll(*doc.document()))
      add(HtmlDocument::Attribute(*e, "href"), Link::Role::kListing);
  }
  if (compiled_->detail_css) {
    for (const GumboNode* e : compiled_->detail_css->SelectAll(*doc.document()))
      add(HtmlDocument::Attribute(*e, "href"), Link::Role::kDetail);
  }
  doc.ForEachElement([&](const GumboNode& e) {
    GumboTag tag = e.v.element.tag;
    if (tag != GUMBO_TAG_A && tag != GUMBO_TAG_LINK && tag != GUMBO_TAG_AREA) return;
    const char* href = HtmlDocument::Attribute(e, "href");
    if (href == nullptr) return;
    auto canonical = Absolute(base, href);
    if (!canonical) return;
    // <link> elements count only by rel=next: they point at feeds, styles, icons.
    bool next = RelIsNext(HtmlDocument::Attribute(e, "rel"));
    bool detail = false;
    if (tag != GUMBO_TAG_LINK) {
      if (std::optional<Link::Role> role = RoleByPattern(*canonical)) {
        next = next || *role == Link::Role::kListing;
        detail = !next && *role == Link::Role::kDetail;
      }
    }
    if (next || detail) add(href, next ? Link::Role::kListing : Link::Role::kDetail);
  });
  return links;
}

std::optional<Link::Role> Extractor::RoleByPattern(std::string_view url) const {
  const re2::StringPiece piece(url.data(), url.size());
  if (next_ && re2::RE2::PartialMatch(piece, *next_)) return Link::Role::kListing;
  if (detail_ && re2::RE2::PartialMatch(piece, *detail_)) return Link::Role::kDetail;
  return std::nullopt;
}

std::vector<Link> Extractor::FindLinks(std::string_view url, std::string_view body) const {
  HtmlDocument doc{std::string(body)};
  std::string base(url);
  if (std::string_view href = doc.BaseHref(); !href.empty()) {
    if (auto resolved = ResolveUrl(url, href)) base = std::move(*resolved);
  }
  return Links(doc, url, base);
}

void Extractor::Fill(Posting& p, const GumboNode& scope, const std::string& base,
                     bool only_missing) const {
  for (const Compiled::Field& field : compiled_->fields) {
    const bool is_url = field.name == "url";
    TextField slot = Slot(field.name);
    if (!is_url && slot == nullptr) continue;
    if (only_missing && !is_url && (p.*slot).has_value()) continue;
    if (only_missing && is_url && p.provenance.contains("url")) continue;
    for (const Compiled::Rule& rule : field.rules) {
      const GumboNode* e = rule.css.SelectFirst(scope);
      if (e == nullptr) continue;
      std::optional<std::string> value;
      if (!rule.attribute.empty()) {
        const char* v = HtmlDocument::Attribute(*e, rule.attribute.c_str());
        if (v == nullptr) continue;
        value = (is_url || field.name == "apply_url") ? Absolute(base, v) : std::optional(CleanInlineText(v));
      } else if (field.name == "description") {
        Posting described;
        SetDescription(described, OuterHtml(*e));
        if (!described.description) continue;
        p.description_markdown = std::move(described.description_markdown);
        value = std::move(described.description);
      } else {
        value = WithoutLabel(*e, ElementText(*e));
      }
      if (!value || value->empty()) continue;
      if (is_url) {
        p.url = std::move(*value);
      } else {
        p.*slot = std::move(*value);
      }
      p.provenance[field.name] = "css:" + rule.text;
      break;
    }
  }
}

Extracted Extractor::Extract(std::string_view url, std::string_view body, Link::Role role,
                             const PostBody* post) const {
  Extracted out;
  PageBudget budget(page_budget_, clock_);
  const std::string page_url = CanonicalUrl(url).value_or(std::string(url));
  if (IsBoardApi(kind_)) {
    ExtractBoardApi(kind_, page_url, body, out, &budget, post);
    MarkProvenance(out.postings, std::string(SourceKindName(kind_)) + "-api");
  } else if (kind_ == SourceKind::kRss || kind_ == SourceKind::kXmlFeed) {
    ExtractFeed(page_url, body, {.company_in_title = company_in_title_}, out, &budget);
    MarkProvenance(out.postings, "feed");
  } else if (kind_ == SourceKind::kSitemap && role == Link::Role::kListing) {
    ExtractSitemap(page_url, body, out, &budget);
    if (detail_) {
      // A sitemap lists every page of a site; the detail pattern keeps the postings.
      std::erase_if(out.links, [&](const Link& l) {
        return l.role == Link::Role::kDetail && !re2::RE2::PartialMatch(l.url, *detail_);
      });
    }
  } else {
    out = ExtractHtml(url, body, role, budget);
    // A JobPosting that names no title, even after selector fields, is no posting.
    out.skipped += static_cast<int>(std::erase_if(out.postings, [](const Posting& p) { return !p.title; }));
  }
  // A page fetched over the network never leads to a local file: only a
  // file:// page (a local board the config named) may link to file:// URLs.
  if (!page_url.starts_with("file:")) {
    out.skipped += static_cast<int>(
        std::erase_if(out.links, [](const Link& l) { return l.url.starts_with("file:"); }));
  }
  if (!company_.empty()) {
    for (Posting& p : out.postings) {
      if (!p.company) {
        p.company = company_;
        p.provenance["company"] = "config";
      }
    }
  }
  return out;
}

Extracted Extractor::ExtractHtml(std::string_view url, std::string_view body, Link::Role role,
                                 PageBudget& budget) const {
  Extracted out;
  const std::string page_url = CanonicalUrl(url).value_or(std::string(url));
  ExtractJsonLd(body, page_url, out, &budget);
  MarkProvenance(out.postings, "json-ld");
  // Past the budget a listing page still gets its tree for the links.
  if (OutOfTime(&budget, out) && role != Link::Role::kListing) return out;

  // A tree is built only when something needs it: links on listing pages,
  // microdata or RDFa when JSON-LD gave no posting, or selector fields that
  // structured data left empty.
  const bool has_fields = !compiled_->fields.empty();
  const bool markup = out.postings.empty() && MayHaveMarkupJobPosting(body);
  bool missing = false;
  if (has_fields && out.postings.size() == 1) {
    for (const auto& f : compiled_->fields) {
      TextField slot = Slot(f.name);
      missing = missing || (slot != nullptr && !(out.postings[0].*slot).has_value());
    }
  }
  const bool need_tree = role == Link::Role::kListing || markup ||
                         (has_fields && (out.postings.empty() || missing));
  if (!need_tree) return out;

  HtmlDocument doc{std::string(body)};
  if (doc.truncated()) {
    out.warnings.push_back(doc.truncated_reason());
    ++out.skipped;
  }
  std::string base(url);
  if (std::string_view href = doc.BaseHref(); !href.empty()) {
    if (auto resolved = ResolveUrl(url, href)) base = std::move(*resolved);
  }
  // Links are read whatever the budget says: they are linear in the tree,
  // which is bounded, and without them the crawl of a listing stops here.
  if (role == Link::Role::kListing) out.links = Links(doc, url, base);
  if (markup && !OutOfTime(&budget, out)) {
    ExtractMarkupPostings(doc, page_url, out, &budget);
    MarkProvenance(out.postings, "microdata");
  }
  if (!has_fields || OutOfTime(&budget, out)) return out;

  if (compiled_->item && out.postings.empty() && role == Link::Role::kListing) {
    // One posting per item element; its own link is its URL unless a `url` field says otherwise.
    std::vector<Posting> items;
    for (const GumboNode* e : compiled_->item->SelectAll(*doc.document())) {
      if (OutOfTime(&budget, out)) break;
      Posting p;
      p.url = page_url;
      static const Selector kFirstLink = *Selector::Parse("a[href]");
      if (const GumboNode* a = kFirstLink.SelectFirst(*e)) {
        if (auto link = Absolute(base, HtmlDocument::Attribute(*a, "href"))) p.url = *link;
      }
      Fill(p, *e, base, false);
      if (p.title) items.push_back(std::move(p));
    }
    out.postings = std::move(items);
    DistinguishInlinePostings(out.postings, page_url);
  } else if (out.postings.empty() && role == Link::Role::kDetail) {
    Posting p;
    p.url = page_url;
    Fill(p, *doc.document(), base, false);
    if (p.title) out.postings.push_back(std::move(p));
  } else if (out.postings.size() == 1) {
    Fill(out.postings[0], *doc.document(), base, true);
  }
  return out;
}

}  // namespace jobtrawl::parsers
