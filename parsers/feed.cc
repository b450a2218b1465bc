#include "parsers/feed.h"

#include <pugixml.hpp>

#include <array>
#include <cctype>
#include <charconv>
#include <ctime>
#include <map>
#include <span>
#include <unordered_set>

#include "parsers/html_text.h"
#include "parsers/json_ld.h"
#include "parsers/url.h"

namespace jobtrawl::parsers {
namespace {

// Element names without their namespace prefix, lower-cased: feeds mix
// prefixes freely (a10:updated, atom:link, dc:date).
std::string LocalName(const pugi::xml_node& n) {
  std::string_view name = n.name();
  if (auto colon = name.rfind(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
  std::string lower;
  for (char c : name) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return lower;
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
        if (link_.empty() && (rel.empty() || rel == "alternate")) link_ = c.attribute("href").value();
        continue;
      }
      if (name == "category" && c.attribute("domain")) {
        // <category domain="Location">London</category>
        std::string domain;
        for (char ch : std::string_view(c.attribute("domain").value())) {
          domain.push_back(ch == ' ' || ch == '-' || ch == '/' ? '_'
                                                              : static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
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
};

std::string Lower(std::string_view s) {
  std::string out;
  for (char c : s) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
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

std::string EmploymentTypeValue(std::string_view raw) {
  std::string upper;
  for (char c : raw) {
    if (c == '-' || c == ' ') c = '_';
    upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (upper == "FULLTIME") return "FULL_TIME";
  if (upper == "PARTTIME") return "PART_TIME";
  if (upper == "CONTRACT") return "CONTRACTOR";
  if (upper == "INTERNSHIP") return "INTERN";
  if (upper == "TEMP") return "TEMPORARY";
  return upper;
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
    std::string r = Lower(*remote);
    if (r == "yes" || r == "true" || r == "1" || r == "remote" || r == "fully remote") p.remote = "remote";
    if (r == "hybrid") p.remote = "hybrid";
  }
  if (auto type = f.Line({"jobtype", "job_type", "employmenttype", "employment_type", "type",
                          "category_working_pattern", "working_patterns", "working_pattern"})) {
    p.employment_type = EmploymentTypeValue(*type);
  }
  for (auto date : {f.Line({"pubdate", "date", "published", "date_posted", "dateposted", "posted", "updated"})}) {
    if (!date) continue;
    std::string iso = FeedDateToIso(*date);
    p.date_posted = iso.empty() ? *date : iso;
  }
  p.salary_text = f.Line({"salary", "salaryrange", "salary_range", "compensation", "pay", "wage"});
  if (auto until = f.Line({"expiration_date", "expirationdate", "expiry_date", "closing_date",
                           "closingdate", "expires", "valid_through", "enddate"})) {
    std::string iso = FeedDateToIso(*until);
    p.valid_through = iso.empty() ? *until : iso;
  }
  if (auto html = f.Raw({"encoded", "description", "summary", "content", "advert_text",
                         "jobdescription", "body"})) {
    SetDescription(p, *html);
  }
  // The posting's page: Atom's link, RSS <link>, a feed's <url>, or a guid that is a URL.
  std::optional<std::string> link;
  if (const std::string* atom = f.Link()) link = Absolute(feed_url, *atom);
  if (!link) {
    if (auto l = f.Raw({"link", "url", "joburl", "job_url", "applyurl"})) link = Absolute(feed_url, *l);
  }
  auto guid = f.Line({"guid", "id"});
  if (!link && guid && (guid->starts_with("http://") || guid->starts_with("https://"))) {
    link = Absolute(feed_url, *guid);
  }
  p.url = link.value_or(std::string(feed_url));
  if (auto apply = f.Raw({"applyurl", "apply_url", "application_url", "adverturl"})) p.apply_url = Absolute(feed_url, *apply);
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

int Number(std::string_view s) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && ptr == s.data() + s.size() ? v : -1;
}

std::string Format(std::tm tm, long offset_seconds, bool date_only) {
  std::time_t t = timegm(&tm) - offset_seconds;
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, date_only ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

// "+0000", "-04:00", "Z", "GMT", "EST": seconds east of UTC; false if unknown.
bool ZoneOffset(std::string_view z, long& offset) {
  offset = 0;
  if (z.empty() || z == "Z" || z == "GMT" || z == "UT" || z == "UTC") return true;
  static constexpr std::pair<std::string_view, int> kZones[] = {
      {"EST", -5}, {"EDT", -4}, {"CST", -6}, {"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7}};
  for (auto [name, hours] : kZones) {
    if (z == name) {
      offset = hours * 3600L;
      return true;
    }
  }
  if (z[0] != '+' && z[0] != '-') return false;
  std::string digits;
  for (char c : z.substr(1)) {
    if (c != ':') digits.push_back(c);
  }
  if (digits.size() != 4) return false;
  int hh = Number(std::string_view(digits).substr(0, 2));
  int mm = Number(std::string_view(digits).substr(2, 2));
  if (hh < 0 || mm < 0 || hh > 23 || mm > 59) return false;
  offset = (z[0] == '-' ? -1 : 1) * (hh * 3600L + mm * 60L);
  return true;
}

}  // namespace

std::string FeedDateToIso(std::string_view date) {
  std::string_view s = date;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::tm tm{};
  // ISO 8601: YYYY-MM-DD[Thh:mm[:ss[.fff]][zone]]
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
    int y = Number(s.substr(0, 4)), mo = Number(s.substr(5, 2)), d = Number(s.substr(8, 2));
    if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31) return {};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    if (s.size() == 10) return Format(tm, 0, true);
    if ((s[10] != 'T' && s[10] != ' ') || s.size() < 16 || s[13] != ':') return {};
    tm.tm_hour = Number(s.substr(11, 2));
    tm.tm_min = Number(s.substr(14, 2));
    std::string_view rest = s.substr(16);
    if (rest.starts_with(':') && rest.size() >= 3) {
      tm.tm_sec = Number(rest.substr(1, 2));
      rest.remove_prefix(3);
    }
    if (rest.starts_with('.')) {
      size_t i = 1;
      while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) ++i;
      rest.remove_prefix(i);
    }
    long offset = 0;
    if (tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 ||
        tm.tm_sec > 60 || !ZoneOffset(rest, offset))
      return {};
    return Format(tm, offset, false);
  }
  // RFC 822: [Day, ]DD Mon YYYY HH:MM[:SS] zone
  if (auto comma = s.find(','); comma != std::string_view::npos && comma < 10) s.remove_prefix(comma + 1);
  std::vector<std::string_view> parts;
  while (!s.empty()) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    size_t end = s.find(' ');
    if (!s.empty()) parts.push_back(s.substr(0, end));
    if (end == std::string_view::npos) break;
    s.remove_prefix(end);
  }
  if (parts.size() < 4) return {};
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int month = -1;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (parts[1].substr(0, 3) == kMonths[i]) month = static_cast<int>(i);
  }
  int day = Number(parts[0]), year = Number(parts[2]);
  if (year >= 0 && year < 100) year += year < 70 ? 2000 : 1900;
  std::string_view clock = parts[3];
  if (month < 0 || day < 1 || day > 31 || year < 1900 || clock.size() < 5 || clock[2] != ':') return {};
  tm.tm_year = year - 1900;
  tm.tm_mon = month;
  tm.tm_mday = day;
  tm.tm_hour = Number(clock.substr(0, 2));
  tm.tm_min = Number(clock.substr(3, 2));
  if (clock.size() >= 8 && clock[5] == ':') tm.tm_sec = Number(clock.substr(6, 2));
  long offset = 0;
  if (tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 ||
      !ZoneOffset(parts.size() > 4 ? parts[4] : "", offset))
    return {};
  return Format(tm, offset, false);
}

void ExtractFeed(std::string_view url, std::string_view body, const FeedOptions& options,
                 Extracted& out) {
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

void ExtractSitemap(std::string_view url, std::string_view body, Extracted& out) {
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
  for (const pugi::xml_node& entry : root.children()) {
    if (entry.type() != pugi::node_element) continue;
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
    std::string when = FeedDateToIso(lastmod);
    if (when.size() == 10) when += "T00:00:00Z";
    out.links.push_back({std::move(*link), index ? Link::Role::kListing : Link::Role::kDetail, std::move(when)});
  }
}

}  // namespace jobtrawl::parsers
