#include "parsers/microdata.h"

#include <boost/json.hpp>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "model/ascii.h"
#include "parsers/html_document.h"
#include "parsers/html_text.h"
#include "parsers/json_ld.h"
#include "parsers/page_budget.h"
#include "parsers/selector.h"

namespace jobtrawl::parsers {
namespace {

namespace json = boost::json;

constexpr int kMaxItemDepth = 16;

bool IsElement(const GumboNode* n) { return n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE; }

// The two vocabularies read by one walker: microdata's itemscope/itemprop
// and RDFa Lite's typeof/property.
struct Markup {
  const char* scope;  // attribute that starts an item
  const char* type;   // attribute holding its type
  const char* prop;   // attribute naming a property
};
constexpr Markup kMicrodata{"itemscope", "itemtype", "itemprop"};
constexpr Markup kRdfa{"typeof", "typeof", "property"};

// "https://schema.org/JobPosting" or "schema:JobPosting" → "JobPosting".
std::string_view LocalName(std::string_view name) {
  if (auto cut = name.find_last_of("/:#"); cut != std::string_view::npos) name.remove_prefix(cut + 1);
  return name;
}

template <typename F>
void ForEachToken(std::string_view list, F&& f) {
  while (!list.empty()) {
    size_t start = list.find_first_not_of(" \t\n\r\f");
    if (start == std::string_view::npos) break;
    list.remove_prefix(start);
    size_t end = list.find_first_of(" \t\n\r\f");
    f(list.substr(0, end));
    if (end == std::string_view::npos) break;
    list.remove_prefix(end);
  }
}

class Reader {
 public:
  Reader(const HtmlDocument& doc, const Markup& m, PageBudget* budget)
      : doc_(doc), m_(m), budget_(budget) {}

  void TopLevel(json::array& out) {
    doc_.ForEachElement([&](const GumboNode& e) {
      if (HtmlDocument::Attribute(e, m_.scope) == nullptr) return;
      // Items may share what they name by itemref, so the work is bounded
      // by the budget, checked per item, rather than by the page's size.
      if (budget_ != nullptr && budget_->Spent()) return;
      if (HtmlDocument::Attribute(e, m_.prop) != nullptr) return;  // a property of another item
      std::unordered_set<const GumboNode*> visiting;
      out.push_back(Item(e, 0, visiting));
    });
  }

 private:
  json::value Item(const GumboNode& root, int depth, std::unordered_set<const GumboNode*>& visiting) {
    json::object item;
    if (const char* type = HtmlDocument::Attribute(root, m_.type)) {
      json::array types;
      ForEachToken(type, [&](std::string_view t) { types.emplace_back(LocalName(t)); });
      if (types.size() == 1) {
        item["@type"] = types[0];
      } else if (!types.empty()) {
        item["@type"] = std::move(types);
      }
    }
    if (depth > kMaxItemDepth || !visiting.insert(&root).second) return item;
    // The item's own subtree, then the elements its itemref names.
    std::vector<const GumboNode*> pending;
    auto push_children = [&](const GumboNode& e) {
      const GumboVector& children = e.v.element.children;
      for (unsigned i = children.length; i > 0; --i) {
        auto* c = static_cast<const GumboNode*>(children.data[i - 1]);
        if (IsElement(c)) pending.push_back(c);
      }
    };
    push_children(root);
    while (!pending.empty()) {
      const GumboNode* e = pending.back();
      pending.pop_back();
      Visit(*e, item, depth, visiting, push_children);
    }
    if (const char* refs = HtmlDocument::Attribute(root, "itemref"); refs != nullptr && m_.scope == kMicrodata.scope) {
      ForEachToken(refs, [&](std::string_view id) {
        const GumboNode* target = ById(id);
        if (target == nullptr || visiting.contains(target)) return;
        Visit(*target, item, depth, visiting, push_children);
        while (!pending.empty()) {
          const GumboNode* e = pending.back();
          pending.pop_back();
          Visit(*e, item, depth, visiting, push_children);
        }
      });
    }
    visiting.erase(&root);
    return item;
  }

  template <typename Push>
  void Visit(const GumboNode& e, json::object& item, int depth,
             std::unordered_set<const GumboNode*>& visiting, Push& push_children) {
    const char* props = HtmlDocument::Attribute(e, m_.prop);
    const bool scope = HtmlDocument::Attribute(e, m_.scope) != nullptr;
    if (props != nullptr) {
      json::value value = scope ? Item(e, depth + 1, visiting) : json::value(Value(e, props));
      ForEachToken(props, [&](std::string_view name) { Add(item, LocalName(name), value); });
    }
    if (!scope) push_children(e);  // a nested item's properties are its own
  }

  static void Add(json::object& item, std::string_view name, const json::value& value) {
    if (name.empty()) return;
    auto it = item.find(name);
    if (it == item.end()) {
      item[name] = value;
    } else if (it->value().is_array()) {
      it->value().get_array().push_back(value);
    } else {
      json::array both{it->value(), value};
      it->value() = std::move(both);
    }
  }

  // A property's value, per the HTML spec's list of elements.
  static std::string Value(const GumboNode& e, std::string_view props) {
    if (const char* content = HtmlDocument::Attribute(e, "content")) return content;
    // Elements whose value is an attribute rather than their text.
    static constexpr std::pair<GumboTag, const char*> kValueAttribute[] = {
        {GUMBO_TAG_A, "href"},      {GUMBO_TAG_AREA, "href"},   {GUMBO_TAG_LINK, "href"},
        {GUMBO_TAG_IMG, "src"},     {GUMBO_TAG_AUDIO, "src"},   {GUMBO_TAG_EMBED, "src"},
        {GUMBO_TAG_IFRAME, "src"},  {GUMBO_TAG_SOURCE, "src"},  {GUMBO_TAG_TRACK, "src"},
        {GUMBO_TAG_VIDEO, "src"},   {GUMBO_TAG_OBJECT, "data"}, {GUMBO_TAG_DATA, "value"},
        {GUMBO_TAG_METER, "value"}, {GUMBO_TAG_TIME, "datetime"}};
    for (const auto& [tag, attribute] : kValueAttribute) {
      if (e.v.element.tag != tag) continue;
      if (const char* v = HtmlDocument::Attribute(e, attribute)) return v;
      break;
    }
    if (const char* resource = HtmlDocument::Attribute(e, "resource")) return resource;  // RDFa
    // A description keeps its markup: the JSON-LD reader turns HTML into
    // text with paragraphs and list items intact.
    bool description = false;
    ForEachToken(props, [&](std::string_view n) { description = description || LocalName(n) == "description"; });
    return description ? OuterHtml(e) : ElementText(e);
  }

  const GumboNode* ById(std::string_view id) {
    if (!ids_built_) {
      ids_built_ = true;
      doc_.ForEachElement([&](const GumboNode& e) {
        if (const char* v = HtmlDocument::Attribute(e, "id")) ids_.try_emplace(v, &e);
      });
    }
    auto it = ids_.find(std::string(id));
    return it == ids_.end() ? nullptr : it->second;
  }

  const HtmlDocument& doc_;
  const Markup& m_;
  PageBudget* const budget_;
  bool ids_built_ = false;
  std::unordered_map<std::string, const GumboNode*> ids_;
};

}  // namespace

bool MayHaveMarkupJobPosting(std::string_view html) {
  // Both vocabularies name the type in an attribute value: itemtype="...JobPosting"
  // or typeof="JobPosting". The type name alone is a cheap first test.
  if (html.find("JobPosting") == std::string_view::npos && !ascii::ContainsIgnoreCase(html, "jobposting")) return false;
  return ascii::ContainsIgnoreCase(html, "itemscope") || ascii::ContainsIgnoreCase(html, "typeof");
}

json::array ReadMarkupItems(const HtmlDocument& doc, PageBudget* budget) {
  json::array items;
  Reader(doc, kMicrodata, budget).TopLevel(items);
  Reader(doc, kRdfa, budget).TopLevel(items);
  return items;
}

void ExtractMarkupPostings(const HtmlDocument& doc, std::string_view page_url, Extracted& out,
                           PageBudget* budget) {
  json::array items = ReadMarkupItems(doc, budget);
  OutOfTime(budget, out);
  if (items.empty()) return;
  const std::size_t first = out.postings.size();
  CollectJobPostings(items, page_url, out);
  DistinguishInlinePostings(std::span(out.postings).subspan(first), page_url);
}

}  // namespace jobtrawl::parsers
