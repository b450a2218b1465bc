// What the board API readers share: reading their JSON, the workplace,
// salary and date conventions boards use, and keeping a posting. Internal
// to parsers/ (board_api.cc dispatches to the readers in parsers/boards/).
#ifndef JOBTRAWL_PARSERS_BOARDS_COMMON_H_
#define JOBTRAWL_PARSERS_BOARDS_COMMON_H_

#include <boost/json/value.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/posting.h"
#include "model/request.h"
#include "parsers/json_values.h"

namespace jobtrawl::parsers {
class PageBudget;
}

namespace jobtrawl::parsers::boards {

namespace json = boost::json;

// One API response being read: where it came from and, for a POST, the
// body it was asked with (Workday pages by changing it).
struct Response {
  std::string_view url;  // absolute, canonical
  const PostBody* post = nullptr;
  PageBudget* budget = nullptr;  // may be null
};

// A reader of one provider's JSON.
using Reader = void (*)(const json::value& root, const Response& response, Extracted& out);

const json::object* Object(const json::value* v);
const json::array* Array(const json::value* v);
// The objects in the array member `key` of `root`; none when either is missing.
std::vector<const json::object*> Entries(const json::value& root, std::string_view key);
// The objects of `root` when it is an array, else of its member `key`.
std::vector<const json::object*> EntriesOrArray(const json::value& root, std::string_view key);
bool Truthy(const json::value* v);
// The texts of a list (strings, or objects by their "name"), joined with
// ", " without repeats; nullopt when there are none.
std::optional<std::string> Names(const json::array* list);

// An API field's HTML (some APIs entity-escape the whole fragment once
// more, or twice: FragmentMarkup unescapes it); empty when absent.
std::string Html(const json::value* v);
// Several HTML parts of one description, each a block of its own, a
// heading before it when it has one.
void AppendHtml(std::string& html, const json::value* v, std::string_view heading = {});
void AppendHtml(std::string& html, std::string_view part, std::string_view heading = {});

// Milliseconds or seconds since the epoch (told apart by size) as UTC ISO-8601.
std::optional<std::string> EpochDate(const json::value* v);

// "remote" | "hybrid" | "onsite" from the workplace enums boards use
// ("ON_SITE", "OnSite", "on_site", "fully remote", "in office"...) and the
// words remote jobs' location labels use ("Anywhere", "Worldwide", "Work
// from home"), also with what they qualify after a bracket, comma, colon or
// dash ("Remote (United States)", "Hybrid - 3 days in office") or, after a
// place, as its last part ("United States (Remote)", "US - Remote"). A
// qualifier that denies the enum ("Remote: No", "Remote - Not eligible",
// "Remote (not available)") states nothing; so do "unspecified" and the
// unknown. A choice of workplaces ("On-site / Remote", "Hybrid or Remote",
// "Remote, Hybrid": every part of a "/", "|", ",", "&", "+", "or" or "and"
// list a workplace) is the most remote of them, as MergeWorkplace.
std::optional<std::string> Workplace(std::optional<std::string> raw);
// Is `label` (ASCII case ignored) only the name of a country ("United
// States", "Germany", "DEU"), by normalize/data/countries.tsv's names and
// aliases? A city-state's name is a city too (cities.tsv: "Singapore",
// "Hong Kong", "Luxembourg"): not only a country.
bool IsCountryName(std::string_view label);
// Does `label` (ASCII case ignored) name no office: only a country
// (IsCountryName), an area remote hiring is open to ("Europe", "EMEA",
// "LATAM", "North America"), a first-level region ("California",
// "Bavaria": normalize/data/regions.tsv, less the names of cities), a
// stand-in for several places ("Multiple locations"), or a list of those
// ("California, US", "US / Canada")?
bool NamesNoOffice(std::string_view label);
// Adds one location's workplace to a posting's: the posting's is the most
// remote way it may be worked (remote, then hybrid, then on-site). A job
// offered in an office or remote is remote-eligible, not hybrid (hybrid is
// part of the week in the office, which neither location says).
void MergeWorkplace(std::optional<std::string>& workplace, const std::optional<std::string>& more);
// The workplace three flags state: hybrid when set; else remote when set,
// also beside on-site (a job that may be worked remote or in the office is
// remote-eligible, not hybrid: Recruitee's remote and on_site); else
// on-site when set. All false (or absent) is not stated,
// except for an API without an on-site flag (`onsite` null, as
// SmartRecruiters' remote and hybrid, USAJOBS's RemoteIndicator and
// TeleworkEligible), which states both on every posting: there both
// stated false is on-site.
std::optional<std::string> WorkplaceFlags(const json::value* remote, const json::value* hybrid,
                                          const json::value* onsite);

// "City, Region, Country" from parts, skipping empty and repeated ones.
std::optional<std::string> JoinPlace(std::initializer_list<std::optional<std::string>> parts);
// Appends `place` to a "; "-separated list unless it is already there.
void AddPlace(std::string& places, const std::optional<std::string>& place);
// Appends `country` to a ", "-separated list of countries unless it is there.
void AddCountry(std::optional<std::string>& countries, const std::optional<std::string>& country);

std::optional<std::string> Link(const json::value* v, std::string_view page_url);

// Salary from min/max numbers; zeros and negatives mean "not stated".
void Salary(Posting& p, std::optional<double> lo, std::optional<double> hi, std::optional<std::string> currency,
            std::optional<std::string> period);
void Salary(Posting& p, const json::value* min, const json::value* max, std::optional<std::string> currency,
            std::optional<std::string> period);
// A salary interval: the period (HOUR | DAY | WEEK | MONTH | YEAR) and how
// many of the stated amounts make one of it. Pay every two weeks has no
// period of its own: it is given per year, 26 a year (as USAJOBS's BW);
// twice a month is given per month (2), quarterly per year (4).
struct PayRate {
  std::optional<std::string> period;
  double factor = 1;
  // False for an interval that is no pay period: one payment ("one-time",
  // "lump sum") or pay per piece of work ("per project", "per mile"). Its
  // amounts are no salary: a salary has a period, and one guessed from the
  // amount's size would store a one-off fee as monthly pay.
  bool periodic = true;
};
// Salary intervals as APIs spell them ("per-year-salary", "month",
// "hourly", "annual", "yearly", "bi-weekly", "fortnightly",
// "semi-monthly"; Ashby's "1 YEAR", "2 WEEK", "0.5 MONTH", "1 TIME"; ISO
// 8601 durations of one unit, as schema.org's unitText may be, "P1Y",
// "P2W", "PT1H"). An
// interval that may mean either of two ("bi-monthly": every two months or
// twice a month; "biannual") states none; so does one not read, which the
// amounts' size may still tell.
PayRate PayRateOf(std::optional<std::string> raw);
// The interval in the words the text reader multiplies amounts by: the
// period, or "bi-weekly", "semi-monthly", "quarterly" (PayRateOf's
// factors); false for a rate the reader has no words for ("6 MONTH":
// twice a year), which writes no salary text.
bool IntervalWords(const PayRate& rate, std::optional<std::string>& words);
// Salary from min/max in the stated interval: the amounts times its factor;
// none for an interval that is no pay period.
void Salary(Posting& p, std::optional<double> lo, std::optional<double> hi, std::optional<std::string> currency,
            const PayRate& rate);
void Salary(Posting& p, const json::value* min, const json::value* max, std::optional<std::string> currency,
            const PayRate& rate);

// Pushes `p` when it has a title and the budget is not spent; counts it as
// skipped otherwise.
void Keep(Posting&& p, const Response& response, Extracted& out);
// Sets the posting's page (`page`, else the API URL) and apply link from
// the entry's fields, then keeps it.
void Finish(Posting&& p, const json::value* page, const json::value* apply, const Response& response,
            Extracted& out);

// `url` with query parameter `name` set to `value`, canonical; nullopt when
// `url` is no URL.
std::optional<std::string> WithParam(std::string_view url, std::string_view name, std::string_view value);
// Adds a further result page to follow.
void FollowPage(std::optional<std::string> url, Extracted& out);

}  // namespace jobtrawl::parsers::boards

#endif  // JOBTRAWL_PARSERS_BOARDS_COMMON_H_
