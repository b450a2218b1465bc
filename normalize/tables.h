// The data tables of normalize/data/*.tsv, read once (they are compiled
// into the library) and shared read-only by every thread.
#ifndef JOBTRAWL_NORMALIZE_TABLES_H_
#define JOBTRAWL_NORMALIZE_TABLES_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "normalize/phrase_matcher.h"
#include "normalize/word_table.h"

namespace jobtrawl::normalize {

struct CountryInfo {
  std::string code;      // ISO 3166-1 alpha-2
  std::string name;      // display name
  std::string currency;  // ISO 4217 of its money, or empty
};

struct RegionInfo {
  std::string country;  // ISO 3166-1 alpha-2
  std::string code;     // ISO 3166-2 subdivision part ("CA" of US-CA)
  std::string name;
  std::string parent;   // a second-level subdivision's first-level one ("21" for IT-TO), else empty
  // A code read only after a town the table knows in this country, as
  // `parent` (regions.tsv's "known-city": ISO 3166-2:IN's 2023 codes, "TS"
  // for TG Telangana).
  bool known_city_only = false;
};

struct CityInfo {
  std::string name;
  std::string region;  // subdivision code, or empty
  std::string country;
  // In cities.tsv's first block: the main job markets' cities and the tech
  // hubs boards name, each a place of its own ("New York, London": two).
  bool hub = false;
};

struct SkillInfo {
  enum class Match { kAnyCase, kExactCase, kInContext };
  std::string name;
  std::string category;
  Match match = Match::kAnyCase;
  std::vector<std::string> forms;  // name and aliases as written in the table
  std::vector<std::string> free_forms;  // aliases that match in any case, without context
};

class Tables {
 public:
  static const Tables& Get();

  // Keys are Fold()ed names unless said otherwise.
  std::unordered_map<std::string, std::string> country_by_name;  // name or alias → code
  // Names another country has too, besides the one country_by_name gives
  // ("congo" → CD besides CG): countries.tsv's aliases marked "~".
  std::unordered_map<std::string, std::vector<std::string>> shared_country_names;
  std::unordered_set<std::string> shared_name_defaults;  // country_by_name's codes for those names
  std::unordered_map<std::string, CountryInfo> countries;       // code → info
  // (country, name/alias/code) → code; "" for a region with no ISO 3166-2
  // code (regions.tsv: read as its country).
  std::map<std::pair<std::string, std::string>, std::string> region_by_name;
  // Folded name/code → the countries with a region of that name, read alone
  // or after a city ("Georgia", "WA"); the second map adds those read only
  // after a city ("Torino, TO": regions.tsv's "after-city"; and "known-city"
  // codes, which the reader takes only after a town known in that country).
  std::unordered_map<std::string, std::vector<std::string>> region_countries;
  std::unordered_map<std::string, std::vector<std::string>> region_countries_after_city;
  // (country, folded code) read only after a town the table knows in that
  // country and region: "known-city" rows, and the codes of "names" rows
  // ("Bogotá, DC" is Colombian; "Washington, DC" stays American).
  std::set<std::pair<std::string, std::string>> known_city_keys;
  // Folded region aliases of three letters or fewer written with a dot
  // ("Gto.", "Jal."): read after a town when written capitalised, though a
  // short name is otherwise read only as a code in capitals.
  std::unordered_set<std::string> dotted_abbreviations;
  std::map<std::pair<std::string, std::string>, RegionInfo> regions;  // (country, code) → info
  std::unordered_map<std::string, std::vector<CityInfo>> cities;      // name or alias → cities
  std::unordered_map<std::string, std::vector<std::string>> currency_symbols;  // token as written → currencies
  // Token → the only countries whose boards write money with it (third
  // column of currency_symbols.tsv); absent: any country's.
  std::unordered_map<std::string, std::vector<std::string>> currency_symbol_countries;
  std::unordered_set<std::string> currency_codes;                     // ISO 4217
  std::vector<std::pair<std::string, std::string>> employment_phrases;  // phrase → value, longest first
  PhraseMatcher employment_matcher;                                    // employment_phrases, id: index there
  std::unordered_map<std::string, std::string> seniority;             // word or phrase → level
  std::unordered_set<std::string> seniority_roles;                    // of those, words that are the job too
  std::vector<std::pair<std::string, std::string>> remote_phrases;    // phrase → value, longest first
  PhraseMatcher remote_matcher;                                        // remote_phrases, id: index there
  std::unordered_set<std::string> remote_words;                       // every word of remote_phrases
  std::unordered_map<std::string, int> months;                        // month name → 1..12 (months.tsv)
  // A word of a relative date → what model/date_time.h's relative reader
  // reads for it ("geleden" → "ago", "3日前"'s "日前" → "days ago").
  std::unordered_map<std::string, std::string> relative_date_words;
  std::size_t longest_relative_date_word = 0;                          // in bytes, of those keys
  std::vector<std::pair<std::string, std::string>> salary_periods;    // Fold(phrase, "/.") → period, longest first
  struct SalaryRange {
    double hourly_below = 300, monthly_from = 1000, yearly_from = 10000;
  };
  std::unordered_map<std::string, SalaryRange> salary_ranges;         // currency, "CUR/CC" or "*" → sizes
  std::unordered_set<std::string> legal_suffixes;
  std::vector<std::pair<std::string, std::string>> visa_phrases;      // phrase → yes | no, "no" first
  PhraseMatcher visa_matcher;                                          // visa_phrases, id: index there
  std::vector<std::string> languages;                                  // ISO 639-1, in table order
  AsciiCaseMap<std::uint32_t> language_words;                         // common word → bit per language
  std::vector<SkillInfo> skills;
  AsciiCaseMap<std::vector<std::size_t>> skill_forms;  // form, any ASCII case → skills
  // Every form of every skill, its words as the skill matcher's tokens,
  // any ASCII case; a match's id indexes skill_phrase_skills, the skills
  // with that form (as skill_forms holds them).
  PhraseMatcher skill_phrases;
  std::vector<std::vector<std::size_t>> skill_phrase_skills;

 private:
  Tables();
};

// The raw text of one data file ("countries.tsv"); empty when unknown.
std::string_view DataFile(std::string_view name);

}  // namespace jobtrawl::normalize

#endif  // JOBTRAWL_NORMALIZE_TABLES_H_
