#include "parsers/json_ld.h"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>

#include "model/ascii.h"
#include "model/url.h"
#include "parsers/boards/common.h"
#include "parsers/html_text.h"
#include "parsers/json_values.h"
#include "parsers/lenient_json.h"
#include "parsers/page_budget.h"

namespace jobtrawl::parsers {
namespace {

namespace json = boost::json;

// Places (and employment types) read from one posting: more is no real
// posting, and a cap keeps the joined text small.
constexpr std::size_t kMaxPlaces = 64;

// The value of attribute `name` in the attribute text of a start tag.
std::optional<std::string_view> Attribute(std::string_view attrs, std::string_view name) {
  size_t i = 0;
  while (i < attrs.size()) {
    while (i < attrs.size() && (attrs[i] == ' ' || attrs[i] == '\t' || attrs[i] == '\n' ||
                                attrs[i] == '\r' || attrs[i] == '/'))
      ++i;
    size_t key_start = i;
    while (i < attrs.size() && attrs[i] != '=' && attrs[i] != ' ' && attrs[i] != '\t' &&
           attrs[i] != '\n' && attrs[i] != '\r')
      ++i;
    std::string_view key = attrs.substr(key_start, i - key_start);
    while (i < attrs.size() && (attrs[i] == ' ' || attrs[i] == '\t')) ++i;
    std::string_view value;
    if (i < attrs.size() && attrs[i] == '=') {
      ++i;
      while (i < attrs.size() && (attrs[i] == ' ' || attrs[i] == '\t')) ++i;
      if (i < attrs.size() && (attrs[i] == '"' || attrs[i] == '\'')) {
        char q = attrs[i++];
        size_t end = attrs.find(q, i);
        if (end == std::string_view::npos) end = attrs.size();
        value = attrs.substr(i, end - i);
        i = end + 1;
      } else {
        size_t start = i;
        while (i < attrs.size() && attrs[i] != ' ' && attrs[i] != '\t' && attrs[i] != '\n') ++i;
        value = attrs.substr(start, i - start);
      }
    }
    if (key.size() == name.size()) {
      bool same = true;
      for (size_t k = 0; k < key.size() && same; ++k) same = ascii::ToLower(key[k]) == name[k];
      if (same) return value;
    }
    if (key.empty()) ++i;
  }
  return std::nullopt;
}

// "Locality, Region, Country" from a Place, PostalAddress or string.
struct Location {
  std::optional<std::string> display;
  std::optional<std::string> country;
};

Location ReadPlace(const json::value& place) {
  Location loc;
  if (place.is_string()) {
    loc.display = NonEmpty(CleanInlineText(place.get_string()));
    return loc;
  }
  if (!place.is_object()) return loc;
  const json::object& p = place.get_object();
  const json::value* address = First(Get(p, "address"));
  const json::object* a = nullptr;
  if (address != nullptr && address->is_object()) {
    a = &address->get_object();
  } else if (HasType(p, "PostalAddress")) {
    a = &p;
  }
  if (a == nullptr) {
    // A Place with only a name, or an address as one string.
    loc.display = address != nullptr ? Text(address) : Text(Get(p, "name"));
    return loc;
  }
  std::string display;
  auto add = [&](const std::optional<std::string>& part) {
    if (!part) return;
    if (display.find(*part) != std::string::npos) return;  // "Berlin, Berlin"
    if (!display.empty()) display += ", ";
    display += *part;
  };
  add(Text(Get(*a, "addressLocality")));
  add(Text(Get(*a, "addressRegion")));
  loc.country = Text(Get(*a, "addressCountry"));
  add(loc.country);
  loc.display = NonEmpty(std::move(display));
  return loc;
}

void ReadSalary(const json::value* salary, Posting& p) {
  salary = First(salary);
  if (salary == nullptr) return;
  if (!salary->is_object()) {
    if (auto n = Number(salary)) {
      p.salary_min = p.salary_max = n;
    } else {
      p.salary_text = Text(salary);  // "$100k - $120k": for the normalizer
    }
    return;
  }
  const json::object& s = salary->get_object();
  const std::optional<std::string> text_before = p.salary_text;
  p.salary_currency = Text(Get(s, "currency"));
  const json::value* value = First(Get(s, "value"));
  const json::object* q = nullptr;
  if (value != nullptr && value->is_object()) {
    q = &value->get_object();
  } else if (value != nullptr) {
    if (auto n = Number(value)) {
      p.salary_min = p.salary_max = n;
    } else if (auto text = Text(value)) {
      p.salary_text = *text + (p.salary_currency ? " " + *p.salary_currency : "");
    }
  }
  // Some sites put min/max on the MonetaryAmount itself, also beside a
  // value object that holds only the unit.
  const auto holds_amounts = [](const json::object& o) {
    return Get(o, "minValue") != nullptr || Get(o, "maxValue") != nullptr || Number(Get(o, "value"));
  };
  const json::object* amounts = q != nullptr && holds_amounts(*q) ? q : nullptr;
  if (amounts == nullptr && (Get(s, "minValue") || Get(s, "maxValue"))) amounts = &s;
  if (amounts != nullptr) {
    ReadBounds(Get(*amounts, "minValue"), Get(*amounts, "maxValue"), p.salary_min, p.salary_max);
    if (auto single = Number(Get(*amounts, "value")); single && !p.salary_min && !p.salary_max) {
      p.salary_min = p.salary_max = single;
    }
  }
  if (q == nullptr) q = amounts;
  // The unit as the board adapters read a pay interval ("HOUR", "MONTHLY";
  // ISO 8601 durations, "P1Y", "PT1H", and their multiples, "P2W" as 26 a
  // year). A unit that names no pay period ("ONE_TIME") is no salary; one
  // not read is left for the normalizer, which may read it or size the
  // amounts.
  boards::PayRate rate;
  std::optional<std::string> interval;
  bool written = true;
  if (q != nullptr) {
    auto unit = Text(Get(*q, "unitText"));
    if (!unit && q != &s) unit = Text(Get(s, "unitText"));
    if (unit) {
      rate = boards::PayRateOf(*unit);
      if (!rate.periodic) {
        p.salary_min = p.salary_max = std::nullopt;
        p.salary_text = text_before;
        p.salary_currency.reset();
        return;
      }
      if (rate.period) {
        written = boards::IntervalWords(rate, interval);
        p.salary_period = rate.period;
        if (p.salary_min) *p.salary_min *= rate.factor;
        if (p.salary_max) *p.salary_max *= rate.factor;
      } else {
        p.salary_period = interval = ascii::ToUpper(*unit);
      }
    }
  }
  // Bounds written with a sign, a code or "k" ("$80,000", "80,000 USD",
  // "80k") read as no number: they are salary text, with the currency and
  // unit stated beside them.
  if (!p.salary_min && !p.salary_max && !p.salary_text && written && (amounts != nullptr || q != nullptr)) {
    const json::object& o = amounts != nullptr ? *amounts : *q;
    p.salary_text = BoundsText(Get(o, "minValue"), Get(o, "maxValue"), p.salary_currency, interval);
    if (!p.salary_text) p.salary_text = BoundsText(Get(o, "value"), nullptr, p.salary_currency, interval);
  }
  if (!p.salary_min && !p.salary_max) {
    p.salary_currency.reset();
    p.salary_period.reset();
  }
}

Posting ReadPosting(const json::object& o, std::string_view page_url, std::string_view base_url) {
  Posting p;
  p.title = Text(Get(o, "title"));
  if (!p.title) p.title = Text(Get(o, "name"));
  p.company = Text(Get(o, "hiringOrganization"));

  std::string display;
  // Places already named: a set, and at most kMaxPlaces of them, since a
  // search of the joined text per place was quadratic in a list of 50,000.
  std::unordered_set<std::string> named;
  for (const json::value* places = Get(o, "jobLocation"); places != nullptr;) {
    auto add_place = [&](const json::value& place) {
      if (named.size() >= kMaxPlaces) return;
      Location loc = ReadPlace(place);
      if (!p.country) p.country = loc.country;
      if (loc.display && named.insert(*loc.display).second && display.find(*loc.display) == std::string::npos) {
        if (!display.empty()) display += "; ";
        display += *loc.display;
      }
    };
    if (places->is_array()) {
      for (const auto& place : places->get_array()) add_place(place);
    } else {
      add_place(*places);
    }
    break;
  }
  if (auto type = Text(Get(o, "jobLocationType"))) {
    std::string t;
    for (char c : *type) t.push_back(ascii::ToUpper(c));
    if (t.find("TELECOMMUTE") != std::string::npos) p.remote = "remote";
  }
  if (display.empty()) {
    // A remote job may only say where applicants must be.
    if (auto req = Text(Get(o, "applicantLocationRequirements"))) {
      display = *req;
      if (!p.country) p.country = req;
    }
  }
  p.location = NonEmpty(std::move(display));

  if (const json::value* types = Get(o, "employmentType")) {
    std::string joined;
    std::unordered_set<std::string> seen;
    auto add = [&](const json::value& t) {
      if (!t.is_string() || seen.size() >= kMaxPlaces) return;
      // "FULL_TIME, PART_TIME" in one string is common too.
      std::string_view s = t.get_string();
      while (!s.empty()) {
        size_t comma = s.find(',');
        std::string part = CleanInlineText(s.substr(0, comma));
        if (!part.empty()) {
          std::string value = EmploymentType(part);
          if (seen.insert(value).second && joined.find(value) == std::string::npos) {
            joined += (joined.empty() ? "" : ",") + value;
          }
        }
        if (comma == std::string_view::npos) break;
        s.remove_prefix(comma + 1);
      }
    };
    if (types->is_array()) {
      for (const auto& t : types->get_array()) add(t);
    } else {
      add(*types);
    }
    p.employment_type = NonEmpty(std::move(joined));
  }

  ReadSalary(Get(o, "baseSalary"), p);
  if (!p.salary_min && !p.salary_max) ReadSalary(Get(o, "estimatedSalary"), p);
  // A bare number as baseSalary with the currency beside it (schema.org's
  // own JobPosting example does this).
  if ((p.salary_min || p.salary_max) && !p.salary_currency) p.salary_currency = Text(Get(o, "salaryCurrency"));
  p.date_posted = Text(Get(o, "datePosted"));
  p.valid_through = Text(Get(o, "validThrough"));
  // PropertyValue identifiers carry the id in "value" and a label in "name".
  if (const json::value* id = First(Get(o, "identifier")); id != nullptr && id->is_object()) {
    const json::object& io = id->get_object();
    p.external_id = Text(Get(io, "value"));
    if (!p.external_id) p.external_id = Text(Get(io, "@value"));
  } else {
    p.external_id = Text(id);
  }
  if (const json::value* d = First(Get(o, "description")); d != nullptr && d->is_string()) {
    SetDescription(p, d->get_string());
  }
  auto own_url = Url(Get(o, "url"), base_url);
  p.url = own_url ? *own_url : std::string(page_url);
  if (const json::value* action = First(Get(o, "potentialAction"));
      action != nullptr && action->is_object()) {
    p.apply_url = Url(Get(action->get_object(), "target"), base_url);
  }
  return p;
}

void Collect(const json::value& v, std::string_view page_url, std::string_view base_url, Extracted& out,
             int depth) {
  if (depth > 64) return;
  if (v.is_array()) {
    for (const auto& e : v.get_array()) Collect(e, page_url, base_url, out, depth + 1);
    return;
  }
  if (!v.is_object()) return;
  const json::object& o = v.get_object();
  if (HasType(o, "JobPosting")) {
    out.postings.push_back(ReadPosting(o, page_url, base_url));
    return;
  }
  for (const auto& [key, child] : o) {
    if (child.is_object() || child.is_array()) Collect(child, page_url, base_url, out, depth + 1);
  }
}

}  // namespace

void CollectJobPostings(const json::value& v, std::string_view page_url, Extracted& out) {
  Collect(v, page_url, page_url, out, 0);
}

// A listing page may carry many postings with neither a URL nor an id of
// their own (RemoteOK rows, for one). Keyed by the page URL alone they would
// overwrite each other, so each gets the page URL plus a fragment derived
// from what identifies it ("#job-<hash of title, company, location>").
void DistinguishInlinePostings(std::span<Posting> postings, std::string_view page_url) {
  std::vector<Posting*> anonymous;
  for (Posting& p : postings) {
    if (p.url == page_url && !p.external_id) anonymous.push_back(&p);
  }
  if (anonymous.size() < 2) return;
  std::map<std::string, int> used;
  for (Posting* p : anonymous) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const auto* field : {&p->title, &p->company, &p->location}) {
      for (unsigned char c : field->value_or("")) {
        h ^= c;
        h *= 0x100000001b3ULL;
      }
      h ^= 0x1f;
      h *= 0x100000001b3ULL;
    }
    char fragment_buf[32];
    std::snprintf(fragment_buf, sizeof fragment_buf, "#job-%016llx", static_cast<unsigned long long>(h));
    std::string fragment(fragment_buf);
    if (int n = ++used[fragment]; n > 1) {
      fragment.push_back('-');
      fragment.append(std::to_string(n));
    }
    p->url += fragment;
  }
}

std::vector<std::string_view> FindJsonLdBlocks(std::string_view html) {
  std::vector<std::string_view> blocks;
  size_t i = 0;
  while ((i = ascii::FindIgnoreCase(html, "<script", i)) != std::string_view::npos) {
    size_t attrs_start = i + 7;
    // Find the end of the start tag, honouring quoted attribute values.
    size_t j = attrs_start;
    char quote = 0;
    for (; j < html.size(); ++j) {
      char c = html[j];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
    }
    if (j >= html.size()) break;
    std::string_view attrs = html.substr(attrs_start, j - attrs_start);
    size_t content_start = j + 1;
    size_t end = ascii::FindIgnoreCase(html, "</script", content_start);
    if (end == std::string_view::npos) end = html.size();  // truncated page
    auto type = Attribute(attrs, "type");
    if (type) {
      std::string t;
      for (char c : *type) t.push_back(ascii::ToLower(c));
      if (t.find("ld+json") != std::string::npos) {
        blocks.push_back(html.substr(content_start, end - content_start));
      }
    }
    i = end;
  }
  return blocks;
}

namespace {

// The page's base URL (HTML, "Document base URL"): the href of its first
// <base> element that has one, resolved against the page's URL; else the
// page's URL. JSON-LD in HTML resolves against it (JSON-LD 1.1 §7.3), as
// the page's links do.
std::string DocumentBase(std::string_view html, std::string_view page_url) {
  for (size_t i = ascii::FindIgnoreCase(html, "<base"); i != std::string_view::npos;
       i = ascii::FindIgnoreCase(html, "<base", i + 5)) {
    const size_t attrs_start = i + 5;
    if (attrs_start < html.size() && !ascii::IsSpace(html[attrs_start]) && html[attrs_start] != '/' &&
        html[attrs_start] != '>') {
      continue;  // <basefont>
    }
    const size_t end = html.find('>', attrs_start);
    if (end == std::string_view::npos) break;
    const auto href = Attribute(html.substr(attrs_start, end - attrs_start), "href");
    if (!href) continue;
    if (auto resolved = ResolveUrl(page_url, DecodeEntities(*href, ReferenceContext::kAttribute))) return *resolved;
    break;
  }
  return std::string(page_url);
}

}  // namespace

void ExtractJsonLd(std::string_view html, std::string_view page_url, Extracted& out,
                   PageBudget* budget) {
  const std::size_t first = out.postings.size();
  std::optional<std::string> base;  // found once, for the first block
  for (std::string_view block : FindJsonLdBlocks(html)) {
    if (OutOfTime(budget, out)) break;
    ++out.structured_blocks;
    auto value = ParseLenientJson(block);
    if (!value) {
      ++out.broken_blocks;
      out.warnings.push_back("unreadable JSON-LD block of " + std::to_string(block.size()) +
                             " bytes");
      continue;
    }
    if (!base) base = DocumentBase(html, page_url);
    Collect(*value, page_url, *base, out, 0);
  }
  DistinguishInlinePostings(std::span(out.postings).subspan(first), page_url);
}

}  // namespace jobtrawl::parsers
