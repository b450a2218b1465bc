#include "normalize/tables.h"

#include <algorithm>

#include "model/ascii.h"
#include "normalize/text.h"

namespace jobtrawl::normalize {

extern const std::pair<std::string_view, std::string_view> kEmbeddedData[];
extern const int kEmbeddedDataCount;

namespace {

// The rows of a TSV data file: '#' lines and blank lines skipped.
std::vector<std::vector<std::string_view>> Rows(std::string_view file) {
  std::vector<std::vector<std::string_view>> rows;
  std::string_view text = DataFile(file);
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string_view> cells;
    while (true) {
      size_t tab = line.find('\t');
      cells.push_back(line.substr(0, tab));
      if (tab == std::string_view::npos) break;
      line.remove_prefix(tab + 1);
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

std::string_view Cell(const std::vector<std::string_view>& row, size_t i) {
  return i < row.size() ? row[i] : std::string_view();
}

std::vector<std::string_view> Split(std::string_view list, char sep) {
  std::vector<std::string_view> parts;
  while (!list.empty()) {
    size_t at = list.find(sep);
    if (at != 0) parts.push_back(list.substr(0, at));
    if (at == std::string_view::npos) break;
    list.remove_prefix(at + 1);
  }
  return parts;
}

template <typename Pairs>
void LongestFirst(Pairs& pairs) {
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

}  // namespace

std::string_view DataFile(std::string_view name) {
  for (int i = 0; i < kEmbeddedDataCount; ++i) {
    if (kEmbeddedData[i].first == name) return kEmbeddedData[i].second;
  }
  return {};
}

const Tables& Tables::Get() {
  static const Tables kTables;
  return kTables;
}

Tables::Tables() {
  for (const auto& row : Rows("countries.tsv")) {
    CountryInfo c{std::string(Cell(row, 0)), std::string(Cell(row, 1)), std::string(Cell(row, 3))};
    country_by_name.try_emplace(Fold(c.name), c.code);
    for (std::string_view alias : Split(Cell(row, 2), '|')) {
      if (alias.ends_with('~')) {
        alias.remove_suffix(1);
        shared_country_names[Fold(alias)].push_back(c.code);
        continue;
      }
      // Two-letter aliases ("US", "UK") are codes: matched in upper case by the code.
      if (alias.size() > 2) country_by_name.try_emplace(Fold(alias), c.code);
    }
    countries.emplace(c.code, std::move(c));
  }
  for (const auto& [name, others] : shared_country_names) {
    if (auto it = country_by_name.find(name); it != country_by_name.end()) shared_name_defaults.insert(it->second);
  }
  for (const auto& row : Rows("regions.tsv")) {
    RegionInfo r{std::string(Cell(row, 0)), std::string(Cell(row, 1)), std::string(Cell(row, 2)),
                 std::string(Cell(row, 5))};
    const std::string_view read = Cell(row, 4);
    r.known_city_only = read == "known-city";
    // "after-city-names": as "after-city", but the code is never read
    // (England's counties: boards write "Woking, Surrey", not "SRY").
    const bool names_only = read == "after-city-names";
    const bool alone = read != "after-city" && !names_only && !r.known_city_only;
    auto add = [&](std::string_view name, bool after_known_city) {
      std::string key = Fold(name);
      if (key.empty()) return;
      if (region_by_name.try_emplace({r.country, key}, r.code).second && after_known_city) {
        known_city_keys.emplace(r.country, key);
      }
      auto note = [&](std::vector<std::string>& list) {
        if (std::find(list.begin(), list.end(), r.country) == list.end()) list.push_back(r.country);
      };
      if (alone && !after_known_city) note(region_countries[key]);
      note(region_countries_after_city[key]);
    };
    std::string_view name = r.name;
    if (size_t bracket = name.find(" ["); bracket != std::string_view::npos) name = name.substr(0, bracket);
    r.name = std::string(name);
    // A known-city row is its code only: the name is its parent's. A
    // "names" row's code is read only after a town known in that region,
    // and only a code of two or three letters is read as one ("DC", "RM";
    // not Venezuela's "A" or Paraguay's "11").
    if (!r.known_city_only) add(r.name, false);
    if (read != "names" && !names_only) {
      add(r.code, r.known_city_only);
    } else if (read == "names" && r.code.size() >= 2 && r.code.size() <= 3 &&
               std::all_of(r.code.begin(), r.code.end(), ascii::IsUpper)) {
      add(r.code, true);
    }
    for (std::string_view alias : Split(Cell(row, 3), '|')) {
      add(alias, r.known_city_only);
      if (alias.ends_with('.') && Fold(alias).size() <= 3) dotted_abbreviations.insert(Fold(alias));
    }
    if (!r.code.empty()) regions.emplace(std::pair{r.country, r.code}, r);
  }
  // The first block of rows, up to the first comment after a row.
  std::size_t hubs = 0;
  {
    std::string_view text = DataFile("cities.tsv");
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t eol = std::min(text.find('\n', at), text.size());
      const std::string_view line = text.substr(at, eol - at);
      at = eol + 1;
      if (line.starts_with('#') && hubs > 0) break;
      if (!line.empty() && !line.starts_with('#')) ++hubs;
    }
  }
  for (const auto& row : Rows("cities.tsv")) {
    CityInfo c{std::string(Cell(row, 0)), std::string(Cell(row, 1)), std::string(Cell(row, 2))};
    c.hub = hubs > 0;
    if (hubs > 0) --hubs;
    cities[Fold(c.name)].push_back(c);
    for (std::string_view alias : Split(Cell(row, 3), '|')) {
      std::string key = Fold(alias);
      if (key != Fold(c.name)) cities[key].push_back(c);
    }
  }
  for (const auto& row : Rows("currencies.tsv")) currency_codes.emplace(Cell(row, 0));
  for (const auto& row : Rows("currency_symbols.tsv")) {
    auto& list = currency_symbols[std::string(Cell(row, 0))];
    for (std::string_view code : Split(Cell(row, 1), ' ')) list.emplace_back(code);
    if (!Cell(row, 2).empty()) {
      auto& where = currency_symbol_countries[std::string(Cell(row, 0))];
      for (std::string_view code : Split(Cell(row, 2), ' ')) where.emplace_back(code);
    }
  }
  for (const auto& row : Rows("employment_types.tsv")) {
    employment_phrases.emplace_back(Fold(Cell(row, 0)), std::string(Cell(row, 1)));
  }
  LongestFirst(employment_phrases);
  for (std::size_t i = 0; i < employment_phrases.size(); ++i) {
    employment_matcher.Add(employment_phrases[i].first, static_cast<std::uint32_t>(i));
  }
  employment_matcher.Build();
  for (const auto& row : Rows("seniority.tsv")) {
    seniority.try_emplace(Fold(Cell(row, 0)), Cell(row, 1));
    if (Cell(row, 2) == "role") seniority_roles.insert(Fold(Cell(row, 0)));
  }
  for (const auto& row : Rows("visa.tsv")) visa_phrases.emplace_back(Fold(Cell(row, 0)), Cell(row, 1));
  std::stable_partition(visa_phrases.begin(), visa_phrases.end(), [](const auto& p) { return p.second == "no"; });
  for (std::size_t i = 0; i < visa_phrases.size(); ++i) visa_matcher.Add(visa_phrases[i].first, static_cast<std::uint32_t>(i));
  visa_matcher.Build();
  for (const auto& row : Rows("languages.tsv")) {
    const std::uint32_t bit = 1u << languages.size();
    languages.emplace_back(Cell(row, 0));
    for (std::string_view w : Split(Cell(row, 1), ' ')) language_words[Fold(w)] |= bit;
  }
  for (const auto& row : Rows("remote.tsv")) remote_phrases.emplace_back(Fold(Cell(row, 0), "%"), Cell(row, 1));
  LongestFirst(remote_phrases);
  for (std::size_t i = 0; i < remote_phrases.size(); ++i) {
    remote_matcher.Add(remote_phrases[i].first, static_cast<std::uint32_t>(i));
    for (std::string_view w : Words(remote_phrases[i].first)) remote_words.emplace(w);
  }
  remote_matcher.Build();
  for (const auto& row : Rows("months.tsv")) {
    months.try_emplace(Fold(Cell(row, 0)), std::stoi(std::string(Cell(row, 1))));
  }
  for (const auto& row : Rows("relative_dates.tsv")) {
    const std::string word = Fold(Cell(row, 0));
    longest_relative_date_word = std::max(longest_relative_date_word, word.size());
    relative_date_words.try_emplace(word, Cell(row, 1));
  }
  for (const auto& row : Rows("salary_periods.tsv")) salary_periods.emplace_back(Fold(Cell(row, 0), "/."), Cell(row, 1));
  LongestFirst(salary_periods);
  for (const auto& row : Rows("salary_ranges.tsv")) {
    salary_ranges[std::string(Cell(row, 0))] = {std::stod(std::string(Cell(row, 1))),
                                                std::stod(std::string(Cell(row, 2))),
                                                std::stod(std::string(Cell(row, 3)))};
  }
  for (const auto& row : Rows("legal_suffixes.tsv")) legal_suffixes.insert(Fold(Cell(row, 0), "&"));
  for (const auto& row : Rows("skills.tsv")) {
    SkillInfo s{.name = std::string(Cell(row, 0)), .category = std::string(Cell(row, 1))};
    std::string_view match = Cell(row, 3);
    s.match = match == "case"      ? SkillInfo::Match::kExactCase
              : match == "context" ? SkillInfo::Match::kInContext
                                   : SkillInfo::Match::kAnyCase;
    s.forms.push_back(s.name);
    for (std::string_view alias : Split(Cell(row, 2), '|')) {
      if (alias.ends_with('!')) {
        alias.remove_suffix(1);
        s.free_forms.push_back(ascii::ToLower(alias));
      }
      s.forms.emplace_back(alias);
    }
    for (const std::string& form : s.forms) {
      auto& list = skill_forms[form];
      if (std::find(list.begin(), list.end(), skills.size()) == list.end()) list.push_back(skills.size());
    }
    skills.push_back(std::move(s));
  }
  // Forms differing only in ASCII case are one phrase: skill_forms's keys.
  std::map<std::string, std::uint32_t> form_ids;
  for (const SkillInfo& s : skills) {
    for (const std::string& form : s.forms) {
      const auto [it, added] = form_ids.try_emplace(ascii::ToLower(form), static_cast<std::uint32_t>(skill_phrase_skills.size()));
      if (added) {
        skill_phrase_skills.push_back(*skill_forms.Find(form));
        skill_phrases.Add(form, it->second);
      }
    }
  }
  skill_phrases.Build();
}

}  // namespace jobtrawl::normalize
