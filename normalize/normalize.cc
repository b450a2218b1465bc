#include "normalize/normalize.h"

#include <cmath>

#include "model/date_time.h"
#include "normalize/classify.h"
#include "normalize/dates.h"
#include "normalize/location.h"
#include "normalize/salary.h"
#include "normalize/text.h"

namespace jobtrawl::normalize {
namespace {

using Clock = std::chrono::system_clock;

void Clean(std::optional<std::string>& field, bool keep_lines = false) {
  if (!field) return;
  if (!field->empty() && IsClean(*field, keep_lines)) return;  // most fields: no copy
  std::string cleaned = CleanText(*field, keep_lines);
  if (cleaned.empty()) {
    field.reset();
  } else {
    *field = std::move(cleaned);
  }
}

// The board's value, kept once: on a second run the raw field is the input.
const std::optional<std::string>& Raw(std::optional<std::string>& raw, const std::optional<std::string>& value) {
  if (!raw) raw = value;
  return raw;
}

std::string FormatAmount(double v) {
  char buf[32];
  if (v == std::floor(v) && std::abs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f", v);
  }
  return buf;
}

// Where structured salary figures came from, by the extractor's provenance.
std::string SalarySource(const Posting& p) {
  auto it = p.provenance.find("salary");
  if (it == p.provenance.end()) return "structured";
  if (it->second.ends_with("-api")) return "board";
  if (it->second == "feed" || it->second.starts_with("css:")) return "text";
  return "structured";
}

std::optional<std::string> Date(const std::optional<std::string>& raw, const Context& c) {
  if (!raw) return std::nullopt;
  return NormalizeDate(*raw, c.fetched_at, DateOrderFor(c.country));
}

// Seconds since the epoch of a normalized date ("YYYY-MM-DD" or with time).
std::optional<std::time_t> Seconds(const std::string& iso) {
  auto t = ParseDateTime(iso);
  if (!t) return std::nullopt;
  return static_cast<std::time_t>(t->time.time_since_epoch().count());
}

}  // namespace

void NormalizePosting(Posting& p, const Context& c) {
  if (p.normalized) return;
  p.normalized = true;
  Clean(p.title);
  Clean(p.company);
  Clean(p.department);
  Clean(p.location);
  Clean(p.description, true);
  Clean(p.description_markdown, true);
  Clean(p.salary_text);

  // Location: places, then the country they are in.
  const auto& country_raw = Raw(p.country_raw, p.country);
  std::optional<std::string> stated_country = country_raw ? CountryCode(*country_raw) : std::nullopt;
  const std::string hint = stated_country.value_or(c.country);
  LocationResult where = p.location ? ParseLocation(*p.location, hint) : LocationResult{};
  p.places = where.places;
  if (p.places.empty() && stated_country) p.places.push_back(Place{.country = stated_country});
  for (Place& place : p.places) {
    if (!place.country && stated_country) place.country = stated_country;
  }
  p.country = !p.places.empty() && p.places.front().country ? p.places.front().country : stated_country;
  p.city = p.places.empty() ? std::nullopt : p.places.front().city;
  p.region = p.places.empty() ? std::nullopt : p.places.front().region;

  // Remote: the board's flag, then the location's words, then the title's.
  const auto& remote_raw = Raw(p.remote_raw, p.remote);
  std::optional<std::string> remote = remote_raw ? RemoteFrom(*remote_raw) : std::nullopt;
  if (where.remote && (!remote || *where.remote == "hybrid")) remote = where.remote;
  if (!remote && p.title) remote = RemoteFrom(*p.title);
  p.remote = remote;
  p.remote_scope = (remote == "remote" || remote == "hybrid") ? where.scope : std::nullopt;

  // Salary: structured figures, else the board's salary text, else the title.
  // A shared currency symbol ("$", "Rs") is the money of the posting's
  // place, else of the board's country.
  const std::string money_country = p.country.value_or(c.country);
  // For remote work the place says where candidates may live, and US dollars
  // are what international remote work is paid in: the place does not make
  // "$" a local dollar or peso ("$80k - $100k" for a remote role open to
  // Uruguay, Remotive 2026); the board's country still does.
  auto parse_salary = [&](std::string_view text) {
    std::optional<Salary> s = ParseSalary(text, money_country);
    if (s && s->currency && *s->currency != "USD" && remote == "remote" && money_country != c.country) {
      if (auto board = ParseSalary(text, c.country); board && board->currency == "USD") return board;
    }
    return s;
  };
  std::optional<Salary> salary;
  if (p.salary_min || p.salary_max) {
    if (!p.salary_raw) {
      std::string raw = p.salary_min ? FormatAmount(*p.salary_min) : "";
      if (p.salary_max && p.salary_max != p.salary_min) AppendJoined(raw, FormatAmount(*p.salary_max), "-");
      if (p.salary_currency) AppendJoined(raw, *p.salary_currency, " ");
      if (p.salary_period) raw += "/" + *p.salary_period;
      p.salary_raw = raw;
    }
    salary = NormalizeStructuredSalary(p.salary_min, p.salary_max, p.salary_currency.value_or(""),
                                       p.salary_period.value_or(""), money_country);
    if (salary) p.salary_source = SalarySource(p);
  }
  if (!salary && p.salary_text) {
    Raw(p.salary_raw, p.salary_text);
    salary = parse_salary(*p.salary_text);
    auto prov = p.provenance.find("salary");
    if (salary) p.salary_source = prov != p.provenance.end() && prov->second.ends_with("-api") ? "board" : "text";
  }
  // A title's amount counts only with a sign decided on this board; one
  // that names only extra pay ("RN - ICU - $15,000 Sign-On Bonus") states
  // no salary, as in a salary field.
  if (!salary && p.title) {
    if (auto s = parse_salary(*p.title); s && s->currency && !s->currency_guessed) {
      salary = s;
      p.salary_source = "text";
      Raw(p.salary_raw, p.title);
    }
  }
  if (salary) {
    p.salary_min = salary->min;
    p.salary_max = salary->max;
    p.salary_currency = salary->currency;
    p.salary_period = salary->period;
    p.salary_annual_min = salary->annual_min;
    p.salary_annual_max = salary->annual_max;
    p.salary_currency_guessed = salary->currency_guessed;
  } else {
    p.salary_min = p.salary_max = std::nullopt;
    p.salary_currency = p.salary_period = std::nullopt;
    p.salary_annual_min = p.salary_annual_max = std::nullopt;
    p.salary_source.reset();
  }

  // Employment types: the board's words, else the title's ("(Contract)").
  const auto& type_raw = Raw(p.employment_type_raw, p.employment_type);
  std::vector<std::string> types = type_raw ? EmploymentTypes(*type_raw) : std::vector<std::string>{};
  if (types.empty() && p.title) types = EmploymentTypes(*p.title);
  if (types.empty()) {
    p.employment_type.reset();
  } else {
    std::string joined;
    for (const std::string& t : types) AppendJoined(joined, t, ",");
    p.employment_type = joined;
  }

  // Title: seniority, family and key; company key.
  if (p.title) {
    if (auto s = SeniorityOf(*p.title)) {
      p.seniority = s->level;
      p.seniority_rule = s->rule;
    } else {
      p.seniority = p.seniority_rule = std::nullopt;
    }
    TitleKeys keys = TitleKeysOf(*p.title);
    p.title_key = keys.key.empty() ? std::nullopt : std::optional(keys.key);
    p.title_family = keys.family.empty() ? std::nullopt : std::optional(keys.family);
  }
  if (p.company) {
    std::string key = CompanyKey(*p.company);
    p.company_key = key.empty() ? std::nullopt : std::optional(key);
  }

  // Dates as UTC, and believable: not after the fetch, not before 1995, an
  // end neither before the start nor over three years ahead.
  const std::time_t now = Clock::to_time_t(c.fetched_at);
  p.date_posted = Date(Raw(p.date_posted_raw, p.date_posted), c);
  if (p.date_posted) {
    auto t = Seconds(*p.date_posted);
    if (!t || *t > now + 86400 || *t < 788918400) p.date_posted.reset();  // 1995-01-01
  }
  p.valid_through = Date(Raw(p.valid_through_raw, p.valid_through), c);
  if (p.valid_through) {
    auto t = Seconds(*p.valid_through);
    auto start = p.date_posted ? Seconds(*p.date_posted) : std::nullopt;
    if (!t || (start && *t < *start) || *t > now + 3 * 366 * 86400L) p.valid_through.reset();
  }

  // From the words of the posting.
  p.skills = Skills(p.title ? std::string_view(*p.title) : std::string_view(),
                    p.description ? std::string_view(*p.description) : std::string_view());
  if (p.description) {
    // One fold of the description serves all three (Language reads the
    // fold of its sample, the start of this one).
    size_t sample = 0;
    std::string folded = Fold(*p.description, kExtrasKeep, kLanguageSample, &sample);
    p.language = LanguageInFolded(*p.description, std::string_view(folded).substr(0, sample));
    p.visa_sponsorship = VisaSponsorshipInFolded(folded);
    p.experience_years_min = ExperienceYearsInFolded(std::move(folded));
  }
}

}  // namespace jobtrawl::normalize
