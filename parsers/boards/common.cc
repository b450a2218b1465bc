#include "parsers/boards/common.h"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include "model/ascii.h"
#include "model/date_time.h"
#include "model/url.h"
#include "parsers/html_text.h"
#include "parsers/page_budget.h"

namespace jobtrawl::parsers::boards {

const json::object* Object(const json::value* v) {
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

const json::array* Array(const json::value* v) {
  return v != nullptr && v->is_array() ? &v->get_array() : nullptr;
}

std::vector<const json::object*> Entries(const json::value& root, std::string_view key) {
  std::vector<const json::object*> entries;
  const json::object* o = root.is_object() ? &root.get_object() : nullptr;
  const json::value* list = o != nullptr ? Get(*o, key) : nullptr;
  if (list == nullptr || !list->is_array()) return entries;
  for (const json::value& v : list->get_array()) {
    if (v.is_object()) entries.push_back(&v.get_object());
  }
  return entries;
}

std::vector<const json::object*> EntriesOrArray(const json::value& root, std::string_view key) {
  if (!root.is_array()) return Entries(root, key);
  std::vector<const json::object*> entries;
  for (const json::value& v : root.get_array()) {
    if (v.is_object()) entries.push_back(&v.get_object());
  }
  return entries;
}

bool Truthy(const json::value* v) { return v != nullptr && v->is_bool() && v->get_bool(); }

std::optional<std::string> Names(const json::array* list) {
  std::optional<std::string> names;
  if (list == nullptr) return names;
  for (const json::value& v : *list) AddCountry(names, Text(&v));
  return names;
}

std::string Html(const json::value* v) {
  if (v == nullptr || !v->is_string()) return {};
  return FragmentMarkup(v->get_string());
}

void AppendHtml(std::string& html, std::string_view part, std::string_view heading) {
  if (part.empty()) return;
  if (!heading.empty()) {
    html += "<h3>";
    for (char c : heading) {
      html += c == '<' ? "&lt;" : c == '&' ? "&amp;" : std::string(1, c);
    }
    html += "</h3>";
  }
  html += "<div>";
  html += part;
  html += "</div>";
}

void AppendHtml(std::string& html, const json::value* v, std::string_view heading) {
  AppendHtml(html, std::string_view(Html(v)), heading);
}

std::optional<std::string> EpochDate(const json::value* v) {
  auto n = Number(v);
  auto t = n ? DateFromEpochNumber(*n) : std::nullopt;
  return t ? std::optional(FormatDateTime(*t)) : std::nullopt;
}

namespace {

std::optional<std::string> WorkplaceWord(std::string_view raw) {
  std::string w;
  for (char c : raw) {
    if (ascii::IsAlpha(c)) w.push_back(ascii::ToLower(c));
  }
  // Also the words a remote job's location label stands in for a place
  // with ("Anywhere", "Worldwide", "Work from home").
  // Workday's remoteType pairs "Home Based" with "Office Based"; boards'
  // custom fields say "Remote-friendly", "Remote eligible", "In Office".
  static constexpr std::string_view kRemote[] = {
      "remote",       "fullyremote",    "remoteonly",     "fullremote", "remotefirst",  "remotefriendly",
      "remoteeligible", "anywhere",     "worldwide",      "global",     "virtual",      "workfromhome",
      "workfromanywhere", "wfh",        "telecommute",    "homebased",  "homeoffice",   "distributed",
      "remoto",       "teletrabajo"};
  static constexpr std::string_view kHybrid[] = {"hybrid", "flexible", "partiallyremote", "partlyremote",
                                                 "hibrido"};
  static constexpr std::string_view kOnsite[] = {
      "onsite",     "inoffice",   "office",    "inperson",   "officebased", "officeonly", "onsiteonly",
      "fullyonsite", "onpremises", "onpremise", "atoffice",  "presencial", "vorort"};
  const auto in = [&w](const auto& words) {
    return std::find(std::begin(words), std::end(words), w) != std::end(words);
  };
  if (in(kRemote)) return "remote";
  if (in(kHybrid)) return "hybrid";
  if (in(kOnsite)) return "onsite";
  return std::nullopt;
}

// The marks between a workplace enum and what it qualifies.
constexpr std::string_view kQualifierMarks[] = {"(", ",", ":", ";", "|", " - ", " \u2013 ", " \u2014 "};

// Does a qualifier deny the enum before it ("Remote: No", "Remote - Not
// eligible", "Remote (not available)")? Its first word says so: "no",
// "none", "false", or "not" before what says it is not offered (or
// nothing); "Remote (not in California)" still is remote.
bool Denies(std::string_view qualifier) {
  std::vector<std::string> words;
  std::string word;
  for (char c : qualifier) {
    if (ascii::IsAlpha(c)) {
      word.push_back(ascii::ToLower(c));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
      if (words.size() == 2) break;
    }
  }
  if (!word.empty() && words.size() < 2) words.push_back(std::move(word));
  if (words.empty()) return false;
  const std::string& first = words[0];
  if (first == "no" || first == "none" || first == "false" || first == "never" || first == "ineligible" ||
      first == "unavailable") {
    return true;
  }
  if (first == "n" && words.size() == 2 && words[1] == "a") return true;  // "N/A"
  if (first != "not") return false;
  if (words.size() == 1) return true;
  static constexpr std::string_view kOffered[] = {"eligible",   "available", "possible", "offered",  "allowed",
                                                  "permitted",  "applicable", "supported", "an",      "option",
                                                  "accepted",   "considered", "provided"};
  return std::find(std::begin(kOffered), std::end(kOffered), words[1]) != std::end(kOffered);
}

// The parts of a value that offers a choice of workplaces: "On-site /
// Remote", "Hybrid or Remote", "Remote, Hybrid"; one part when it is none.
std::vector<std::string_view> Alternatives(std::string_view raw) {
  std::vector<std::string_view> parts;
  const std::string lower = ascii::ToLower(raw);
  std::size_t start = 0;
  for (std::size_t i = 0; i < raw.size();) {
    std::size_t mark = 0;
    if (raw[i] == '/' || raw[i] == '|' || raw[i] == ',' || raw[i] == '&' || raw[i] == '+') {
      mark = 1;
    } else if (std::string_view(lower).substr(i, 4) == " or ") {
      mark = 4;
    } else if (std::string_view(lower).substr(i, 5) == " and ") {
      mark = 5;
    }
    if (mark == 0) {
      ++i;
      continue;
    }
    parts.push_back(ascii::Trim(raw.substr(start, i - start)));
    i += mark;
    start = i;
  }
  parts.push_back(ascii::Trim(raw.substr(start)));
  return parts;
}

}  // namespace

std::optional<std::string> Workplace(std::optional<std::string> raw) {
  if (!raw) return std::nullopt;
  if (auto w = WorkplaceWord(*raw)) return w;
  // A choice of workplaces ("On-site / Remote", "Hybrid or Remote") is the
  // most remote of them, as MergeWorkplace reads an office beside a remote
  // location: every part must be a workplace ("Remote, EMEA" is not).
  if (const auto parts = Alternatives(*raw); parts.size() > 1) {
    std::optional<std::string> most;
    bool all = true;
    for (std::string_view part : parts) {
      auto w = WorkplaceWord(part);
      if (!w) {
        all = false;
        break;
      }
      MergeWorkplace(most, w);
    }
    if (all) return most;
  }
  // The enum with what it qualifies: "Remote (United States)", "Hybrid -
  // 3 days in office", "On-site: London", "Remote, EMEA" (Rippling's
  // location labels, boards' custom fields, Workday's remoteType), unless
  // the qualifier denies it ("Remote: No", "Remote - Not eligible").
  std::string_view head = *raw;
  for (std::string_view mark : kQualifierMarks) {
    if (const std::size_t at = head.find(mark); at != std::string_view::npos) head = head.substr(0, at);
  }
  if (head.size() == raw->size()) return std::nullopt;
  const std::string_view qualifier = std::string_view(*raw).substr(head.size());
  if (auto w = WorkplaceWord(head)) return Denies(qualifier) ? std::nullopt : w;
  // A place with its workplace after it: "United States (Remote)", "US -
  // Remote", "New York, NY (Hybrid)".
  std::string_view tail = *raw;
  while (!tail.empty() && (tail.back() == ')' || tail.back() == ' ')) tail.remove_suffix(1);
  std::size_t cut = 0;
  for (std::string_view mark : kQualifierMarks) {
    if (const std::size_t at = tail.rfind(mark); at != std::string_view::npos) cut = std::max(cut, at + mark.size());
  }
  return cut > 0 ? WorkplaceWord(tail.substr(cut)) : std::nullopt;
}

void MergeWorkplace(std::optional<std::string>& workplace, const std::optional<std::string>& more) {
  const auto rank = [](const std::optional<std::string>& w) {
    return !w ? 0 : *w == "onsite" ? 1 : *w == "hybrid" ? 2 : 3;
  };
  if (rank(more) > rank(workplace)) workplace = more;
}

std::optional<std::string> WorkplaceFlags(const json::value* remote, const json::value* hybrid,
                                          const json::value* onsite) {
  const bool r = Truthy(remote), h = Truthy(hybrid), o = Truthy(onsite);
  // Hybrid stated is hybrid (SmartRecruiters marks a hybrid job remote and
  // hybrid both); remote and on-site both offered is remote-eligible, as
  // MergeWorkplace reads an office beside a remote location.
  if (h) return "hybrid";
  if (r) return "remote";
  if (o) return "onsite";
  const auto stated_false = [](const json::value* v) { return v != nullptr && v->is_bool() && !v->get_bool(); };
  if (onsite == nullptr && stated_false(remote) && stated_false(hybrid)) return "onsite";
  return std::nullopt;
}

bool IsCountryName(std::string_view label) {
  static constexpr std::string_view kNames[] = {
#include "parsers/country_names.inc"
  };
  const std::string key = ascii::ToLower(ascii::Trim(label));
  return std::find(std::begin(kNames), std::end(kNames), key) != std::end(kNames);
}

bool NamesNoOffice(std::string_view label) {
  static constexpr std::string_view kRegions[] = {
#include "parsers/region_names.inc"
  };
  // Areas remote hiring is open to, as normalize's location reader knows
  // them ("Europe", "LATAM"), and the stand-ins for several places.
  static constexpr std::string_view kAreas[] = {
      "europe",        "eu",           "european union", "emea",          "apac",          "apj",
      "asia pacific",  "asia",         "southeast asia", "south asia",    "east asia",     "latam",
      "latin america", "north america", "south america", "central america", "americas",   "the americas",
      "amer",          "africa",       "middle east",    "mena",          "oceania",       "anz",
      "nordics",       "scandinavia",  "dach",           "benelux",       "cee",           "eastern europe",
      "western europe", "central europe", "northern europe", "southern europe", "central and eastern europe"};
  static constexpr std::string_view kSeveral[] = {
      "multiple locations", "multiple", "various locations", "various", "several locations", "many locations",
      "all locations",      "tbd",      "tba",               "to be determined", "not specified", "unspecified",
      "n/a"};
  const auto no_office = [&](std::string_view part) {
    const std::string key = ascii::ToLower(ascii::Trim(part));
    const auto in = [&key](const auto& names) {
      return std::find(std::begin(names), std::end(names), key) != std::end(names);
    };
    return !key.empty() && (IsCountryName(key) || in(kRegions) || in(kAreas) || in(kSeveral));
  };
  if (no_office(label)) return true;
  const auto parts = Alternatives(label);
  return parts.size() > 1 && std::all_of(parts.begin(), parts.end(), no_office);
}

std::optional<std::string> JoinPlace(std::initializer_list<std::optional<std::string>> parts) {
  std::string display;
  for (const auto& part : parts) {
    if (!part || display.find(*part) != std::string::npos) continue;
    if (!display.empty()) display += ", ";
    display += *part;
  }
  return NonEmpty(std::move(display));
}

void AddPlace(std::string& places, const std::optional<std::string>& place) {
  if (!place) return;
  std::string_view rest = places;
  while (!rest.empty()) {
    const std::size_t end = rest.find("; ");
    if (rest.substr(0, end) == *place) return;
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 2);
  }
  if (!places.empty()) places += "; ";
  places += *place;
}

void AddCountry(std::optional<std::string>& countries, const std::optional<std::string>& country) {
  if (!country) return;
  if (!countries) {
    countries = country;
    return;
  }
  std::string_view rest = *countries;
  while (!rest.empty()) {
    const std::size_t end = rest.find(", ");
    if (rest.substr(0, end) == *country) return;
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 2);
  }
  *countries += ", " + *country;
}

std::optional<std::string> Link(const json::value* v, std::string_view page_url) { return Url(v, page_url); }

void Salary(Posting& p, std::optional<double> lo, std::optional<double> hi, std::optional<std::string> currency,
            std::optional<std::string> period) {
  if (lo && *lo <= 0) lo.reset();
  if (hi && *hi <= 0) hi.reset();
  if (!lo && !hi) return;
  p.salary_min = lo;
  p.salary_max = hi;
  p.salary_currency = std::move(currency);
  p.salary_period = std::move(period);
}

void Salary(Posting& p, const json::value* min, const json::value* max, std::optional<std::string> currency,
            std::optional<std::string> period) {
  // Bounds written with a sign or "k" ("$80,000", "80k") are salary text.
  if (auto text = BoundsText(min, max, currency, period); text && !p.salary_text) p.salary_text = text;
  Salary(p, Number(min), Number(max), std::move(currency), std::move(period));
}

void Salary(Posting& p, std::optional<double> lo, std::optional<double> hi, std::optional<std::string> currency,
            const PayRate& rate) {
  if (!rate.periodic) return;
  if (lo) *lo *= rate.factor;
  if (hi) *hi *= rate.factor;
  Salary(p, lo, hi, std::move(currency), rate.period);
}

void Salary(Posting& p, const json::value* min, const json::value* max, std::optional<std::string> currency,
            const PayRate& rate) {
  // Pay for no period ("one-time") is no salary, neither as numbers nor
  // as text.
  if (!rate.periodic) return;
  // Bounds written with a sign or "k" are salary text, with the interval
  // in the words the text reader multiplies by.
  std::optional<std::string> interval;
  if (IntervalWords(rate, interval)) {
    if (auto text = BoundsText(min, max, currency, interval); text && !p.salary_text) p.salary_text = text;
  }
  Salary(p, Number(min), Number(max), std::move(currency), rate);
}

bool IntervalWords(const PayRate& rate, std::optional<std::string>& words) {
  words.reset();
  if (rate.factor == 1) {
    words = rate.period;
  } else if (rate.factor == 26 && rate.period == "YEAR") {
    words = "bi-weekly";
  } else if (rate.factor == 2 && rate.period == "MONTH") {
    words = "semi-monthly";
  } else if (rate.factor == 4 && rate.period == "YEAR") {
    words = "quarterly";
  } else {
    return false;
  }
  return true;
}

namespace {

// N units of a period as a PayRate: one is the period, several give the
// period of a year, a fraction of one the period itself ("0.5 MONTH" is
// twice a month); several HOURs or DAYs state no period.
std::optional<PayRate> RateOf(double n, const std::string& unit) {
  if (n == 1 && (unit == "HOUR" || unit == "DAY" || unit == "WEEK" || unit == "MONTH" || unit == "YEAR")) {
    return PayRate{unit};
  }
  if (unit == "MONTH") return n < 1 ? PayRate{"MONTH", 1 / n} : PayRate{"YEAR", 12 / n};
  if (unit == "WEEK") return n < 1 ? PayRate{"WEEK", 1 / n} : PayRate{"YEAR", 52 / n};
  if (unit == "YEAR") return PayRate{"YEAR", 1 / n};
  if (unit == "HOUR" || unit == "DAY") return n < 1 ? PayRate{unit, 1 / n} : PayRate{};
  return std::nullopt;
}

// Ashby's "N UNIT" intervals ("1 YEAR", "2 WEEK", "0.5 MONTH", "3 MONTH",
// "1 TIME"): N units of a period, as a PayRate; nullopt for another form,
// or N of 1 (the unit alone says it). Dropping the number read "2 WEEK" as
// a week and "6 MONTH" as a month.
std::optional<PayRate> Multiple(std::string_view raw) {
  raw = ascii::Trim(raw);
  double n = 0;
  const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), n);
  if (ec != std::errc() || end == raw.data() || n <= 0) return std::nullopt;
  std::string unit = ascii::ToUpper(ascii::Trim(raw.substr(end - raw.data())));
  if (unit.ends_with('S')) unit.pop_back();
  if (unit == "TIME") return PayRate{.periodic = false};
  if (n == 1) return std::nullopt;
  return RateOf(n, unit);
}

// An ISO 8601 duration of one unit, as schema.org's unitText may be
// written ("P1Y", "P1M", "P2W", "P1D", "PT1H"): N of that period; nullopt
// for another form (of several units, or of minutes).
std::optional<PayRate> IsoDuration(std::string_view raw) {
  raw = ascii::Trim(raw);
  if (raw.size() < 3 || ascii::ToUpper(raw.front()) != 'P') return std::nullopt;
  raw.remove_prefix(1);
  const bool time = ascii::ToUpper(raw.front()) == 'T';
  if (time) raw.remove_prefix(1);
  double n = 0;
  const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), n);
  if (ec != std::errc() || end == raw.data() || n <= 0 || end + 1 != raw.data() + raw.size()) return std::nullopt;
  static constexpr std::pair<char, std::string_view> kDate[] = {{'Y', "YEAR"}, {'M', "MONTH"}, {'W', "WEEK"},
                                                                {'D', "DAY"}};
  const char designator = ascii::ToUpper(*end);
  if (time) return designator == 'H' ? RateOf(n, "HOUR") : std::nullopt;
  for (const auto& [letter, unit] : kDate) {
    if (designator == letter) return RateOf(n, std::string(unit));
  }
  return std::nullopt;
}

}  // namespace

PayRate PayRateOf(std::optional<std::string> raw) {
  if (!raw) return {};
  if (auto multiple = Multiple(*raw)) return *multiple;
  if (auto duration = IsoDuration(*raw)) return *duration;
  std::string u;  // letters only, upper case: "BI-WEEKLY", "bi weekly" -> "BIWEEKLY"
  for (char c : *raw) {
    if (ascii::IsAlpha(c)) u.push_back(ascii::ToUpper(c));
  }
  const auto has = [&u](std::string_view w) { return u.find(w) != std::string::npos; };
  // No pay period: one payment, or pay per piece of work. Lever's
  // salaryRange interval "one-time" was stored as monthly pay.
  if (has("ONETIME") || has("ONEOFF") || has("LUMPSUM") || u == "ONCE" || has("PROJECT") || has("PIECE") ||
      has("MILE") || has("FLATFEE") || has("FIXEDFEE") || has("COMMISSION")) {
    return {.periodic = false};
  }
  // Several weeks or several a month first: they hold "WEEK" and "MONTH".
  if (has("BIWEEK") || has("FORTNIGHT") || has("TWOWEEK") || has("OTHERWEEK")) return {"YEAR", 26};
  if (has("SEMIMONTH") || has("TWICEAMONTH") || has("TWICEMONTHLY") || has("TWICEPERMONTH")) return {"MONTH", 2};
  if (has("QUARTER")) return {"YEAR", 4};
  // Every two months or twice a month; twice a year or every two years.
  if (has("BIMONTH") || has("SEMIANNUAL") || has("BIANNUAL") || has("BIENNIAL") || has("SEMIYEAR")) return {};
  if (has("HOUR")) return {"HOUR"};
  if (has("DAY") || has("DAILY") || has("DIEM")) return {"DAY"};
  if (has("WEEK")) return {"WEEK"};
  if (has("MONTH")) return {"MONTH"};
  if (has("YEAR") || has("ANNUAL") || has("ANNUM")) return {"YEAR"};
  return {};
}

void Keep(Posting&& p, const Response& response, Extracted& out) {
  if (OutOfTime(response.budget, out) || !p.title) {
    ++out.skipped;
    return;
  }
  out.postings.push_back(std::move(p));
}

void Finish(Posting&& p, const json::value* page, const json::value* apply, const Response& response,
            Extracted& out) {
  p.url = Link(page, response.url).value_or(std::string(response.url));
  if (apply != nullptr) p.apply_url = Link(apply, response.url);
  Keep(std::move(p), response, out);
}

std::optional<std::string> WithParam(std::string_view url, std::string_view name, std::string_view value) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return std::nullopt;
  boost::urls::url next(*parsed);
  next.params().set(name, value);
  return CanonicalUrl(next.buffer());
}

void FollowPage(std::optional<std::string> url, Extracted& out) {
  if (url) out.links.push_back({.url = std::move(*url), .role = Link::Role::kListing});
}

}  // namespace jobtrawl::parsers::boards
