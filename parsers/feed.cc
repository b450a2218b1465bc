#include "parsers/feed.h"

#include <pugixml.hpp>

#include <map>
#include <span>
#include <unordered_set>

#include "model/ascii.h"
#include "model/clock.h"
#include "model/date_time.h"
#include "model/url.h"
#include "parsers/boards/common.h"
#include "parsers/html_text.h"
#include "parsers/json_ld.h"
#include "parsers/json_values.h"
#include "parsers/page_budget.h"

namespace jobtrawl::parsers {
namespace {

// Element names without their namespace prefix, lower-cased: feeds mix
// prefixes freely (a10:updated, atom:link, dc:date).
std::string LocalName(const pugi::xml_node& n) {
  std::string_view name = n.name();
  if (auto colon = name.rfind(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
  return ascii::ToLower(name);
}

// The text of an element (its text and CDATA children), or of its children
// joined when it holds elements.
std::string NodeText(const pugi::xml_node& n) {
  std::string text;
  for (const pugi::xml_node& c : n.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) text += c.value();
  }
  return text;
}

bool HasElementChildren(const pugi::xml_node& n) {
  for (const pugi::xml_node& c : n.children()) {
    if (c.type() == pugi::node_element) return true;
  }
  return false;
}

std::optional<std::string> Clean(std::string_view text) {
  std::string s = CleanInlineText(text);
  if (s.empty()) return std::nullopt;
  return s;
}

// What one item says, by element name. The first occurrence of a name wins;
// the item's own children come before nested extension blocks.
class ItemFields {
 public:
  explicit ItemFields(const pugi::xml_node& item) { Collect(item, 0); }

  std::optional<std::string> Raw(std::initializer_list<std::string_view> names) const {
    for (std::string_view name : names) {
      auto it = values_.find(std::string(name));
      if (it != values_.end() && !it->second.empty()) return it->second;
    }
    return std::nullopt;
  }
  std::optional<std::string> Line(std::initializer_list<std::string_view> names) const {
    auto raw = Raw(names);
    return raw ? Clean(*raw) : std::nullopt;
  }
  const std::string* Link() const { return link_.empty() ? nullptr : &link_; }
  // The element the Link() came from (for its xml:base); empty if none.
  const pugi::xml_node& link_node() const { return link_node_; }

 private:
  void Collect(const pugi::xml_node& node, int depth) {
    if (depth > 8) return;
    // Breadth first: the item's own fields before those nested deeper.
    std::vector<pugi::xml_node> nested;
    for (const pugi::xml_node& c : node.children()) {
      if (c.type() != pugi::node_element) continue;
      std::string name = LocalName(c);
      if (name == "link" && c.attribute("href")) {
        // Atom: the alternate link (or one without rel) is the entry's page.
        std::string_view rel = c.attribute("rel").value();
        if (link_.empty() && (rel.empty() || rel == "alternate")) {
          link_ = c.attribute("href").value();
          link_node_ = c;
        }
        continue;
      }
      if (name == "category" && c.attribute("domain")) {
        // <category domain="Location">London</category>
        std::string domain;
        for (char ch : std::string_view(c.attribute("domain").value())) {
          domain.push_back(ch == ' ' || ch == '-' || ch == '/' ? '_'
                                                              : ascii::ToLower(ch));
        }
        values_.try_emplace("category_" + domain, NodeText(c));
        continue;
      }
      if (HasElementChildren(c)) {
        if (name == "location") values_.try_emplace("location_parts", "");
        nested.push_back(c);
        continue;
      }
      values_.try_emplace(std::move(name), NodeText(c));
    }
    for (const pugi::xml_node& c : nested) Collect(c, depth + 1);
  }

  std::map<std::string, std::string, std::less<>> values_;
  std::string link_;
  pugi::xml_node link_node_;
};

// The base URI of `node` (XML Base, W3C 2009, §4.2; Atom uses it, RFC 4287
// §2): the xml:base attributes of its ancestors and its own, each resolved
// against the one above, starting from the document's URL.
std::string XmlBase(const pugi::xml_node& node, std::string_view document_url) {
  std::vector<std::string_view> bases;  // innermost first
  for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent()) {
    if (const pugi::xml_attribute a = n.attribute("xml:base")) bases.push_back(a.value());
  }
  std::string base(document_url);
  for (auto it = bases.rbegin(); it != bases.rend(); ++it) {
    const std::string trimmed = CleanInlineText(*it);
    if (trimmed.empty()) continue;
    if (auto resolved = ResolveUrl(base, trimmed)) base = std::move(*resolved);
  }
  return base;
}

std::optional<std::string> Absolute(std::string_view base, std::string_view href) {
  std::string trimmed = CleanInlineText(href);
  if (trimmed.empty()) return std::nullopt;
  auto resolved = ResolveUrl(base, trimmed);
  if (!resolved) return std::nullopt;
  auto canonical = CanonicalUrl(*resolved);
  if (!canonical) return std::nullopt;
  if (!canonical->starts_with("http://") && !canonical->starts_with("https://") &&
      !canonical->starts_with("file://"))
    return std::nullopt;
  return canonical;
}

Posting ReadItem(const pugi::xml_node& item, std::string_view feed_url, bool company_in_title) {
  ItemFields f(item);
  Posting p;
  p.title = f.Line({"title", "vacancy_title", "vtitle", "jobtitle", "job_title", "position"});
  p.company = f.Line({"company", "company_name", "companyname", "employer", "hiringorganization",
                      "category_school_network"});
  if (company_in_title && !p.company && p.title) {
    // "Company: Title", the company never empty and the title not either.
    if (size_t colon = p.title->find(": "); colon != std::string::npos && colon > 0 &&
                                            colon + 2 < p.title->size()) {
      p.company = p.title->substr(0, colon);
      p.title = p.title->substr(colon + 2);
    }
  }
  p.location = f.Line({"location", "category_location", "joblocation", "job_location"});
  if (!p.location) {
    std::string display;
    for (auto part : {f.Line({"city"}), f.Line({"state", "region"}), f.Line({"country"})}) {
      if (!part || display.find(*part) != std::string::npos) continue;
      display += (display.empty() ? "" : ", ") + *part;
    }
    if (!display.empty()) p.location = std::move(display);
  }
  p.country = f.Line({"country", "countrycode", "country_code"});
  if (auto remote = f.Line({"remote", "remotetype", "remote_type", "telecommute"})) {
    // A flag ("yes", "true", "1"), else a workplace value as the board
    // readers read one ("Hybrid (3 days)", "On-site / Remote").
    std::string r = ascii::ToLower(*remote);
    p.remote = r == "yes" || r == "true" || r == "1" ? std::optional<std::string>("remote") : boards::Workplace(*remote);
  }
  if (auto type = f.Line({"jobtype", "job_type", "employmenttype", "employment_type", "type",
                          "category_working_pattern", "working_patterns", "working_pattern"})) {
    p.employment_type = EmploymentType(*type);
  }
  // Dates as written (RFC 822 in RSS, ISO 8601 in Atom): normalize/ reads them.
  p.date_posted = f.Line({"pubdate", "date", "published", "date_posted", "dateposted", "posted", "updated"});
  p.salary_text = f.Line({"salary", "salaryrange", "salary_range", "compensation", "pay", "wage"});
  p.valid_through = f.Line({"expiration_date", "expirationdate", "expiry_date", "closing_date", "closingdate",
                             "expires", "valid_through", "enddate"});
  if (auto html = f.Raw({"encoded", "description", "summary", "content", "advert_text",
                         "jobdescription", "body"})) {
    SetDescription(p, *html);
  }
  // The posting's page: Atom's link, RSS <link>, a feed's <url>, or a guid
  // that is a URL; relative ones against the item's xml:base, if any.
  const std::string base = XmlBase(item, feed_url);
  std::optional<std::string> link;
  if (const std::string* atom = f.Link()) link = Absolute(XmlBase(f.link_node(), feed_url), *atom);
  if (!link) {
    if (auto l = f.Raw({"link", "url", "joburl", "job_url", "applyurl"})) link = Absolute(base, *l);
  }
  auto guid = f.Line({"guid", "id"});
  if (!link && guid && (guid->starts_with("http://") || guid->starts_with("https://"))) {
    link = Absolute(base, *guid);
  }
  p.url = link.value_or(std::string(feed_url));
  if (auto apply = f.Raw({"applyurl", "apply_url", "application_url", "adverturl"})) p.apply_url = Absolute(base, *apply);
  p.external_id = f.Line({"referencenumber", "reference", "jobid", "job_id", "vacancy_id",
                          "vacancyid", "requisitionid"});
  if (!p.external_id && guid && !guid->starts_with("http") && !guid->starts_with("urn:")) {
    p.external_id = guid;
  }
  return p;
}

bool IsItem(std::string_view name) {
  return name == "item" || name == "entry" || name == "job" || name == "vacancy";
}

// Item elements: rss/channel/item, rdf:RDF/item, feed/entry, source/job, jobs/job.
void FindItems(const pugi::xml_node& node, int depth, std::vector<pugi::xml_node>& items) {
  if (depth > 4) return;
  for (const pugi::xml_node& c : node.children()) {
    if (c.type() != pugi::node_element) continue;
    if (IsItem(LocalName(c))) {
      items.push_back(c);
    } else {
      FindItems(c, depth + 1, items);
    }
  }
}

bool Parse(std::string_view body, pugi::xml_document& doc, std::string_view what, Extracted& out) {
  ++out.structured_blocks;
  pugi::xml_parse_result r =
      doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
  if (r) return true;
  // A truncated or slightly broken feed still yields the items before the fault.
  ++out.broken_blocks;
  out.warnings.push_back("unreadable " + std::string(what) + " at byte " + std::to_string(r.offset) +
                         ": " + r.description());
  return doc.first_child() != nullptr;
}

// A sitemap <lastmod> (W3C Datetime, an ISO 8601 profile) as UTC
// "YYYY-MM-DDTHH:MM:SSZ", for comparing with when we last read a page;
// empty when it is not one.
std::string LastmodUtc(std::string_view s) {
  auto t = ParseDateTime(s);
  return t ? FormatUtc(t->time_point()) : std::string();
}

}  // namespace

void ExtractFeed(std::string_view url, std::string_view body, const FeedOptions& options,
                 Extracted& out, PageBudget* budget) {
  pugi::xml_document doc;
  if (!Parse(body, doc, "feed", out)) return;
  // We Work Remotely lists remote jobs only, titled "Company: Title"; known
  // by the feed's address or its channel's <link>.
  std::string site(url);
  if (pugi::xml_node channel = doc.document_element().child("channel")) site += channel.child_value("link");
  const bool wwr = site.find("weworkremotely.com/") != std::string::npos;
  const bool split = options.company_in_title || wwr;
  std::vector<pugi::xml_node> items;
  FindItems(doc, 0, items);
  const std::size_t first = out.postings.size();
  for (const pugi::xml_node& item : items) {
    if (OutOfTime(budget, out)) break;
    Posting p = ReadItem(item, url, split);
    if (wwr && !p.remote) p.remote = "remote";
    if (!p.title) {
      ++out.skipped;
      continue;
    }
    out.postings.push_back(std::move(p));
  }
  DistinguishInlinePostings(std::span(out.postings).subspan(first), url);
}

void ExtractSitemap(std::string_view url, std::string_view body, Extracted& out,
                    PageBudget* budget) {
  pugi::xml_document doc;
  if (!Parse(body, doc, "sitemap", out)) return;
  const pugi::xml_node root = doc.document_element();
  const std::string kind = LocalName(root);
  const bool index = kind == "sitemapindex";
  if (!index && kind != "urlset") {
    out.warnings.push_back("not a sitemap: the root element is <" + std::string(root.name()) + ">");
    return;
  }
  std::unordered_set<std::string> seen;
  std::size_t entries = 0;
  for (const pugi::xml_node& entry : root.children()) {
    if (entry.type() != pugi::node_element) continue;
    if (++entries % 256 == 0 && OutOfTime(budget, out)) break;
    std::string loc, lastmod;
    for (const pugi::xml_node& c : entry.children()) {
      std::string name = LocalName(c);
      if (name == "loc") loc = NodeText(c);
      if (name == "lastmod") lastmod = NodeText(c);
    }
    auto link = Absolute(url, loc);
    if (!link) {
      ++out.skipped;
      continue;
    }
    if (!seen.insert(*link).second) continue;
    std::string when = LastmodUtc(lastmod);
    out.links.push_back({std::move(*link), index ? Link::Role::kListing : Link::Role::kDetail, std::move(when)});
  }
}

}  // namespace jobtrawl::parsers
