#include "normalize/location.h"

#include <algorithm>
#include <set>

#include "model/ascii.h"
#include "normalize/classify.h"
#include "normalize/recent_results.h"
#include "normalize/tables.h"
#include "normalize/text.h"

namespace jobtrawl::normalize {
namespace {

// Areas remote postings name instead of countries, folded → as stored.
constexpr std::pair<std::string_view, std::string_view> kAreas[] = {
    {"worldwide", "Worldwide"},      {"anywhere", "Worldwide"},        {"global", "Worldwide"},
    {"anywhere in the world", "Worldwide"}, {"international", "Worldwide"},
    {"europe", "Europe"},            {"eu", "Europe"},                 {"european union", "Europe"},
    {"emea", "EMEA"},                {"apac", "APAC"},                 {"asia pacific", "APAC"},
    {"asia", "Asia"},                {"latam", "LATAM"},               {"latin america", "LATAM"},
    {"north america", "North America"}, {"south america", "South America"},
    {"north south america", "Americas"}, {"americas", "Americas"},    {"the americas", "Americas"},
    {"africa", "Africa"},            {"middle east", "Middle East"},   {"mena", "MENA"},
    {"oceania", "Oceania"},          {"nordics", "Nordics"},           {"scandinavia", "Nordics"},
    {"dach", "DACH"},                {"benelux", "Benelux"},           {"cet", "CET"},
    {"us time zones", "US time zones"}, {"european time zones", "European time zones"},
    {"countries of europe and ukraine", "Europe"}, {"країни європи та україна", "Europe, UA"},
    {"весь світ", "Worldwide"},      {"world", "Worldwide"},          {"the world", "Worldwide"},
    {"northern america", "North America"}, {"east coast", "US East Coast"}, {"west coast", "US West Coast"},
    {"european timezones", "European time zones"}, {"european time zone", "European time zones"},
    {"usa timezones", "US time zones"}, {"us timezones", "US time zones"}, {"us time zone", "US time zones"},
    {"cst", "US time zones"},        {"est", "US time zones"},         {"pst", "US time zones"},
    {"mst", "US time zones"},        {"et", "US time zones"},          {"pt", "US time zones"},
};

// Words that carry no place: "USA Only", "Berlin area", "Greater London".
// "City" is not one: it is part of a town's name ("Culver City", "Panama
// City"); City() reads "Cebu City" as Cebu where the table knows Cebu there.
constexpr std::string_view kNoise[] = {"only", "area", "metro", "metropolitan", "greater", "region",
                                       "based", "hq", "office", "and", "or", "the", "in",
                                       "within", "from", "timezone", "time", "zone", "friendly",
                                       "preferred", "candidates", "residents", "job", "jobs", "position",
                                       "role", "opportunity", "location", "locations", "nationwide"};

// Words that make a part name no place: "Multiple locations", "Various
// cities", "Several states" ("Nationwide" is a noise word: "Nationwide, US"
// is the US).
constexpr std::string_view kManyPlaces[] = {"multiple", "various", "several"};

constexpr std::size_t kMaxPlaces = 64;

std::string Trim(std::string_view s) {
  auto junk = [](char c) { return c == ' ' || c == ',' || c == '-' || c == ':' || c == '.' || c == '(' || c == ')'; };
  return std::string(ascii::Trim(s, junk));
}

bool IsUpperCode(std::string_view s, size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), ascii::IsUpper);
}

std::optional<std::string> Area(std::string_view part) {
  static const std::vector<std::pair<std::string, std::string_view>> kFolded = [] {
    std::vector<std::pair<std::string, std::string_view>> v;
    for (const auto& [name, area] : kAreas) v.emplace_back(Fold(name), area);
    return v;
  }();
  // "PT" and "ET" are countries when written in capitals; "EU" is no country.
  if (IsUpperCode(part, 2) && CountryCode(part)) return std::nullopt;
  std::string f = Fold(part);
  for (const auto& [name, area] : kFolded) {
    if (f == name) return std::string(area);
  }
  return std::nullopt;
}

// The US time zones written as two capitals ("Remote (ET)", "Remote - PT"):
// after a remote word, with no place beside them, they are the zone, not
// Ethiopia, Portugal or Malta, unless the board is in that country. On a
// US board CT and MT are the states (Connecticut, Montana): remote roles
// open in one state only are written "Remote - CT", and a state the
// posting names is worth more than a zone.
bool TimeZoneNotCountry(std::string_view part, std::string_view hint) {
  static constexpr std::string_view kZones[] = {"ET", "CT", "MT", "PT"};
  if (hint == "US" && (part == "CT" || part == "MT")) return false;
  return std::find(std::begin(kZones), std::end(kZones), part) != std::end(kZones) && part != hint;
}

// Whether the table knows `part` as a city of one country only, and not of
// `elsewhere`.
bool CityOfOneCountryOnly(std::string_view part, std::string_view elsewhere) {
  const Tables& t = Tables::Get();
  const auto it = t.cities.find(Fold(part));
  if (it == t.cities.end()) return false;
  return std::all_of(it->second.begin(), it->second.end(), [&](const CityInfo& c) {
    return c.country == it->second.front().country && c.country != elsewhere;
  });
}

// Whether `hint` is a country (the posting's or board's stated country).
bool StatedCountry(std::string_view hint) {
  return hint.size() == 2 && Tables::Get().countries.contains(std::string(hint));
}

// The region column's code: a first-level subdivision. Italian province
// sigle decide readings ("Torino, TO") but are stored as their region
// (IT-21 Piemonte), so `region` is one level across countries.
std::optional<std::string> FirstLevel(const std::string& country, const std::string& region) {
  if (region.empty()) return std::nullopt;
  const Tables& t = Tables::Get();
  if (auto it = t.regions.find({country, region}); it != t.regions.end() && !it->second.parent.empty()) {
    return it->second.parent;
  }
  return region;
}

// The region a code written after a town stands for: a "known-city" code
// (ISO 3166-2:IN's 2023 "TS") is its parent ("TG"); any other is itself.
std::string WrittenRegion(const std::string& country, const std::string& region) {
  const Tables& t = Tables::Get();
  if (auto it = t.regions.find({country, region}); it != t.regions.end() && it->second.known_city_only) {
    return it->second.parent;
  }
  return region;
}

const CityInfo* City(std::string_view part, const std::string& country, const std::string& written_region,
                     std::string_view hint) {
  const Tables& t = Tables::Get();
  const std::string region = WrittenRegion(country, written_region);
  const std::string folded = Fold(part);
  auto it = t.cities.find(folded);
  // A name the table lacks that ends in "City" is the shorter name's city
  // only where the table knows that name in the country and region written
  // ("Cebu City, Philippines": Cebu; "Boulder City, NV" is not Boulder,
  // Colorado, and "Panama City, FL" names no country).
  bool shorter = false;
  if (it == t.cities.end() && folded.size() > 5 && folded.ends_with(" city")) {
    it = t.cities.find(folded.substr(0, folded.size() - 5));
    shorter = true;
  }
  if (it == t.cities.end()) return nullptr;
  const CityInfo* best = nullptr;
  int best_score = -1;
  for (const CityInfo& c : it->second) {
    if (!country.empty() && c.country != country) continue;
    if (shorter && (country.empty() || (!region.empty() && c.region != region))) continue;
    // The region, then the board's country, then the table's order (largest first) decide.
    int score = (!region.empty() && c.region == region ? 4 : 0) + (c.country == hint ? 2 : 0);
    if (score > best_score) {
      best = &c;
      best_score = score;
    }
  }
  return best;
}

// The countries that have `part` as a region name or code (short codes
// only when written as codes); null when none has it. `folded` is set to
// the key they are found under. `after_city`: the part follows a city, where
// second-level codes count too ("Torino, TO": the province; "TO" alone or
// in a list of countries stays Tonga).
const std::vector<std::string>* RegionHolders(std::string_view part, std::string& folded, bool after_city = false) {
  const Tables& t = Tables::Get();
  bool code = IsUpperCode(part, 2) || IsUpperCode(part, 3);
  if (!code && part.size() <= 5 && part.find('.') != std::string_view::npos) {
    // "D.C.", "D.F." are codes too (the trailing dot is trimmed).
    std::string letters(part);
    std::erase(letters, '.');
    code = IsUpperCode(letters, 2) || IsUpperCode(letters, 3);
  }
  folded = Fold(part);
  // A short name is read only as a code in capitals ("TX"), or after a town
  // as a dotted abbreviation written capitalised ("León, Gto.": the dot is
  // trimmed by now), so "son" and "col" stay words.
  const bool abbreviation = after_city && !part.empty() && ascii::IsUpper(part[0]) &&
                            t.dotted_abbreviations.contains(folded);
  if (folded.empty() || (folded.size() <= 3 && !code && !abbreviation)) return nullptr;
  const auto& map = after_city ? t.region_countries_after_city : t.region_countries;
  auto it = map.find(folded);
  return it == map.end() ? nullptr : &it->second;
}

// A dotted code after a town ("N.L.", "N.M.") reads as its letters where
// the table lacks the dotted form, or where the town is known in, or the
// board is in, a country whose region the letters are and the dotted form
// is not: "Santa Fe, N.M." is New Mexico and "St. John's, N.L."
// Newfoundland and Labrador, while "Monterrey, N.L." stays Nuevo León.
void ReadDottedCode(std::string_view town, std::string& part, std::string_view hint) {
  if (part.size() > 5 || part.find('.') == std::string::npos) return;
  std::string letters = part;
  std::erase(letters, '.');
  if (!IsUpperCode(letters, 2) && !IsUpperCode(letters, 3)) return;
  std::string dotted_key, letters_key;
  const std::vector<std::string>* dotted = RegionHolders(part, dotted_key, true);
  const std::vector<std::string>* as_code = RegionHolders(letters, letters_key, true);
  if (as_code == nullptr) return;
  const bool read = dotted == nullptr || std::any_of(as_code->begin(), as_code->end(), [&](const std::string& h) {
                      return std::find(dotted->begin(), dotted->end(), h) == dotted->end() &&
                             (h == hint || City(town, h, "", hint) != nullptr);
                    });
  if (read) part = std::move(letters);
}

// Which of the countries sharing a region name or code ("WA", "Punjab",
// "Limburg") is meant, and what says so, weakest first. kCityElsewhere:
// the city is known in that country, but only in another region.
enum class Agreement { kNone, kDefault, kBoardCountry, kCityElsewhere, kCity, kCityAndRegion };
struct Holder {
  std::string country;
  Agreement agreement = Agreement::kNone;
};

// How the city named before a region of `country` agrees with it: known in
// that region, in that country (the table has no region for it, or the
// region has no code), known there only in other regions, or not known.
Agreement CityAgreement(std::string_view city, const std::string& country, const std::string& written_region,
                        std::string_view hint) {
  if (city.empty()) return Agreement::kNone;
  const std::string region = WrittenRegion(country, written_region);
  const CityInfo* c = City(city, country, region, hint);
  if (c == nullptr) {
    // A town the table lacks, named as the region is ("Lecco, LC": Italian
    // provinces are named after their chief towns) is in that region.
    const Tables& t = Tables::Get();
    const auto named = t.region_by_name.find({country, Fold(city)});
    return !region.empty() && named != t.region_by_name.end() && named->second == region ? Agreement::kCityAndRegion
                                                                                          : Agreement::kNone;
  }
  if (region.empty() || c->region.empty()) return Agreement::kCity;
  // A city of a province agrees with the region the province is in ("Milano, Lombardia").
  return c->region == region || FirstLevel(country, c->region) == region ? Agreement::kCityAndRegion
                                                                         : Agreement::kCityElsewhere;
}

Holder ChooseHolder(const std::vector<std::string>& holders, const std::string& folded, std::string_view city,
                    std::string_view hint) {
  const Tables& t = Tables::Get();
  Holder best;
  // A country where the city is known only in other regions is the weakest
  // reading: "Florence, AL" is no town of Alessandria province (Florence is
  // in FI), so the US reading (Alabama) wins; "Austin, MN" stays in the
  // US though the table knows Austin, Texas, as no other reading is left.
  bool hint_elsewhere = false, us_elsewhere = false;
  // A "known-city" code (ISO 3166-2:IN's 2023 "UK", "TS", "CG") is read only
  // after a town the table knows in its country: "London, UK" stays Britain.
  // So is the code of a region whose boards write its name: "Bogotá, DC" is
  // Colombia's capital district, "Smalltown, DC" stays in the US.
  std::vector<std::string> readable;
  for (const std::string& h : holders) {
    if (t.known_city_keys.contains({h, folded}) &&
        (city.empty() || CityAgreement(city, h, t.region_by_name.at({h, folded}), hint) < Agreement::kCity)) {
      continue;
    }
    readable.push_back(h);
  }
  if (readable.empty()) return best;
  // The city named before it: a known city of that region, else of that country.
  if (!city.empty()) {
    for (const std::string& h : readable) {
      const Agreement a = CityAgreement(city, h, t.region_by_name.at({h, folded}), hint);
      if (a == Agreement::kCityElsewhere) {
        hint_elsewhere = hint_elsewhere || h == hint;
        us_elsewhere = us_elsewhere || h == "US";
      }
      if (a > best.agreement) best = {h, a};
    }
    if (best.agreement >= Agreement::kCity) return best;
  }
  // Then the board's country; then the US, whose state codes boards use
  // most; then a country that knows the city elsewhere; then the only holder.
  if (!hint_elsewhere && std::find(readable.begin(), readable.end(), hint) != readable.end()) {
    return {std::string(hint), Agreement::kBoardCountry};
  }
  if (!us_elsewhere && std::find(readable.begin(), readable.end(), "US") != readable.end()) {
    return {"US", Agreement::kDefault};
  }
  if (best.agreement == Agreement::kCityElsewhere) return best;
  // The only holder among those read alone: a second-level code does not
  // take "SP" (São Paulo) from Brazil for La Spezia.
  const auto alone = t.region_countries.find(folded);
  const std::vector<std::string>& first_level = alone != t.region_countries.end() ? alone->second : readable;
  if (first_level.size() == 1) return {first_level.front(), Agreement::kDefault};
  return best;
}

// A region of `country`; with no country, of the country that `city` (the
// part written before it) or else the board's country agrees with.
std::optional<std::pair<std::string, std::string>> Region(std::string_view part, const std::string& country,
                                                          std::string_view city = {}, std::string_view hint = {}) {
  const Tables& t = Tables::Get();
  std::string f;
  const std::vector<std::string>* holders = RegionHolders(part, f, !city.empty());
  if (!holders) return std::nullopt;
  if (!country.empty()) {
    if (auto it = t.region_by_name.find({country, f}); it != t.region_by_name.end()) {
      return std::pair{country, it->second};
    }
    return std::nullopt;
  }
  const Holder h = ChooseHolder(*holders, f, city, hint);
  if (h.agreement == Agreement::kNone) return std::nullopt;
  return std::pair{h.country, t.region_by_name.at({h.country, f})};
}

// The words a workplace denial may hold that deny nothing alone ("work",
// "is", "an option"): see WorkplaceDenialWord.
bool IsWorkplaceVerb(std::string_view folded) {
  return folded == "work" || folded == "working" || folded == "is" || folded == "are" || folded == "ist" ||
         folded == "est" || folded == "an" || folded == "option";
}

// Blanks the clauses of `text` (between ",", ";", ".", " - ") that start
// with a negation and deny something besides a workplace: they name no
// place ("Remote, no relocation", "Remote - no travel", "No visa
// sponsorship. Remote.", "kein Umzug"). A clause of denial words only
// ("Remote - Not eligible", "Oslo, NO") is left for TakeRemote.
void DropNegatedClauses(std::string& text) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = start;
    while (end < text.size() && text[end] != ',' && text[end] != ';' && text[end] != '.' &&
           text.compare(end, 3, " - ") != 0) {
      ++end;
    }
    const std::string_view clause = ascii::Trim(std::string_view(text).substr(start, end - start));
    const std::string folded = Fold(clause);
    const std::vector<std::string_view> words = Words(folded);
    // The negation a word of its own: "Pas-de-Calais" is a place.
    if (!words.empty() && WorkplaceNegationWord(words.front()) && Fold(clause.substr(0, clause.find(' '))) == words.front() &&
        std::any_of(words.begin() + 1, words.end(), [](std::string_view w) {
          return !WorkplaceDenialWord(w) && !WorkplaceNegationWord(w);
        })) {
      std::fill(text.begin() + static_cast<std::ptrdiff_t>(start), text.begin() + static_cast<std::ptrdiff_t>(end),
                ' ');
    }
    start = end + (text.compare(end, 3, " - ") == 0 ? 3 : 1);
  }
}

// Removes remote phrases from `text`, returning what they said as
// RemoteInPlace reads it: the most remote of a choice ("On-site, Remote"),
// nothing for a denied phrase ("no remote"), whose words go all the same.
std::optional<std::string> TakeRemote(std::string& text) {
  const Tables& t = Tables::Get();
  if (TakePhrases(t.remote_matcher, Fold(text, "%"), false).empty()) return std::nullopt;
  // Rebuild from the original text, dropping its remote words and the
  // words that deny them ("No" of "Remote: No" is no Norway, "Not" of "Not
  // remote - Berlin" no town).
  struct Token {
    std::string word;  // may be empty between two separators
    char sep = 0;      // the separator after it; 0 at the end
    std::string folded;
    bool drop = false;
  };
  std::vector<Token> tokens(1);
  for (char c : text) {
    if (c == ',' || c == ' ' || c == '-' || c == '/' || c == '(' || c == ')' || c == ':') {
      tokens.back().sep = c;
      tokens.emplace_back();
    } else {
      tokens.back().word.push_back(c);
    }
  }
  for (Token& token : tokens) {
    if (token.word.empty()) continue;
    token.folded = Fold(token.word, "%");
    token.drop = !token.folded.empty() && t.remote_words.contains(token.folded);
  }
  // In a place, "NO" in capitals before a phrase is Norway ("Oslo, NO -
  // Remote"): what is read starts after it.
  std::size_t read_from = 0, offset = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    offset += tokens[i].word.size() + (tokens[i].sep ? 1 : 0);
    if (!tokens[i].drop || !t.remote_words.contains(tokens[i].folded)) continue;
    // Denials before a phrase ("not remote"), then after it ("remote work is not possible").
    for (std::size_t j = i; j-- > 0;) {
      if (tokens[j].word.empty()) continue;
      const std::string& f = tokens[j].folded;
      if (t.remote_words.contains(f) || !WorkplaceNegationWord(f)) break;
      if (tokens[j].word == "NO") {
        read_from = std::max(read_from, offset - tokens[i].word.size() - (tokens[i].sep ? 1 : 0));
        break;
      }
      tokens[j].drop = true;
    }
    // After it, the words of a denial go only with a word that denies
    // ("Remote - EST" keeps the zone, whose folded "est" is a French "is").
    std::vector<std::size_t> run;
    bool denies = false;
    for (std::size_t j = i + 1; j < tokens.size(); ++j) {
      if (tokens[j].word.empty()) continue;
      const std::string& f = tokens[j].folded;
      if (t.remote_words.contains(f) || !WorkplaceDenialWord(f)) break;
      run.push_back(j);
      denies = denies || !IsWorkplaceVerb(f);
    }
    for (std::size_t j : run) {
      if (denies || tokens[j].folded == "work" || tokens[j].folded == "working") tokens[j].drop = true;
    }
  }
  const std::optional<std::string> found = RemoteInPlace(std::string_view(text).substr(read_from));
  std::string rebuilt;
  for (const Token& token : tokens) {
    if (!token.drop) rebuilt += token.word;
    if (token.sep) rebuilt.push_back(token.sep);
  }
  text = rebuilt;
  return found;
}

}  // namespace

std::optional<std::string> CountryCode(std::string_view text) {
  const Tables& t = Tables::Get();
  std::string trimmed = Trim(text);
  if (trimmed.empty()) return std::nullopt;
  if (trimmed.size() == 2) {
    std::string upper;
    for (char c : trimmed) upper.push_back(ascii::ToUpper(c));
    if (upper == "UK") return "GB";
    if (t.countries.contains(upper)) return upper;
    return std::nullopt;
  }
  if (auto it = t.country_by_name.find(Fold(trimmed)); it != t.country_by_name.end()) return it->second;
  return std::nullopt;
}

namespace {

bool AllDigits(std::string_view s, size_t min, size_t max) {
  return s.size() >= min && s.size() <= max && std::all_of(s.begin(), s.end(), ascii::IsDigit);
}

// UK postcodes (BS 7666): outward code "SW1A", "M1", "EC2A"; inward code "1AA".
bool IsUkOutward(std::string_view w) {
  size_t i = 0;
  while (i < w.size() && i < 2 && ascii::IsUpper(w[i])) ++i;
  if (i == 0 || i >= w.size() || !ascii::IsDigit(w[i])) return false;
  const std::string_view tail = w.substr(i + 1);
  return tail.empty() || (tail.size() == 1 && (ascii::IsDigit(tail[0]) || ascii::IsUpper(tail[0])));
}
bool IsUkInward(std::string_view w) {
  return w.size() == 3 && ascii::IsDigit(w[0]) && ascii::IsUpper(w[1]) && ascii::IsUpper(w[2]);
}

// How many leading words of `words` are a postcode written before the town
// (UPU addressing: "10115 Berlin", "1010 Wien", "110 00 Praha", "1012 AB
// Amsterdam", "00-001 Warszawa", "D-10115 Berlin", "SW1A 1AA London",
// "125009 Москва"); 0 when they are none. A house number of one to three
// digits is none.
size_t PostcodeWords(const std::vector<std::string_view>& words) {
  if (words.size() < 2) return 0;
  const std::string_view w = words[0], next = words[1];
  if (AllDigits(w, 4, 6)) return w.size() == 4 && IsUpperCode(next, 2) && words.size() > 2 ? 2 : 1;
  if (AllDigits(w, 3, 3) && AllDigits(next, 2, 2) && words.size() > 2) return 2;
  if (const size_t dash = w.find('-'); dash != std::string_view::npos) {
    const std::string_view before = w.substr(0, dash), after = w.substr(dash + 1);
    if (AllDigits(before, 2, 4) && AllDigits(after, 3, 4)) return 1;  // "00-001", "1000-001"
    // A country prefix of the old European form: "D-10115", "CH-8001", "F-75001".
    if (before.size() >= 1 && before.size() <= 3 && std::all_of(before.begin(), before.end(), ascii::IsUpper) &&
        AllDigits(after, 4, 5)) {
      return 1;
    }
  }
  if (IsUkOutward(w) && IsUkInward(next) && words.size() > 2) return 2;
  return 0;
}

// Whether a folded word names a street: "St", "Avenue", "Hauptstraße",
// "Keizersgracht", "Drottninggatan"; an address line, not a place.
// English street types follow the name, so a first word is no street
// ("9000 St. Gallen"); Romance and Slavic ones lead it ("5 Rue de Rivoli").
bool IsStreetWord(std::string_view f, bool first) {
  static constexpr std::string_view kTrailing[] = {
      "st",  "street", "str",     "rd",    "road",  "ave",   "avenue", "blvd", "boulevard", "dr",  "drive",
      "ln",  "lane",   "way",     "pkwy",  "parkway", "pl",  "place",  "plaza", "sq",      "square", "ct",
      "court", "hwy",  "highway", "suite", "ste",   "floor", "fl",     "building", "bldg", "unit", "box"};
  static constexpr std::string_view kLeading[] = {"rue",   "via",   "viale", "piazza", "calle", "avenida",
                                                  "avda",  "av",    "carrer", "rua",   "ul",    "ulica"};
  static constexpr std::string_view kEndings[] = {"strasse", "weg",   "gasse", "platz", "allee", "damm",
                                                  "straat",  "gracht", "laan", "plein", "kade",  "vej",
                                                  "gade",    "gatan", "gata",  "veien", "vegen", "katu", "utca"};
  if (!first && std::find(std::begin(kTrailing), std::end(kTrailing), f) != std::end(kTrailing)) return true;
  if (std::find(std::begin(kLeading), std::end(kLeading), f) != std::end(kLeading)) return true;
  return f.size() > 4 && std::any_of(std::begin(kEndings), std::end(kEndings),
                                     [&](std::string_view e) { return f.ends_with(e); });
}

// iCIMS writes "US-CA-San Francisco" and "IN-Bangalore": country code,
// region and town joined by "-" without spaces. Rewritten town first
// ("San Francisco, CA, US"), as the rest of the reader reads; nullopt for
// any other text ("Aix-en-Provence", "Dallas-Fort Worth").
std::optional<std::string> CodesFirst(std::string_view text) {
  const std::string trimmed = Trim(text);
  const size_t first = trimmed.find('-');
  if (first != 2 && first != 3) return std::nullopt;
  const std::string country = trimmed.substr(0, first);
  if (!IsUpperCode(country, first) || !CountryCode(country)) return std::nullopt;
  std::string region;
  size_t town = first + 1;
  if (const size_t second = trimmed.find('-', town);
      second != std::string::npos && Region(trimmed.substr(town, second - town), *CountryCode(country))) {
    region = trimmed.substr(town, second - town);
    town = second + 1;
  }
  if (town >= trimmed.size() || !ascii::IsAlpha(trimmed[town]) || trimmed.find(' ') < town) return std::nullopt;
  std::string out = trimmed.substr(town);
  if (!region.empty()) out.append(", ").append(region);
  return out.append(", ").append(country);
}

// Whether the last part of `previous` and `qualifier` are one town's name as
// the table has it: "Frankfurt (Oder)", "Halle/Saale", "Frankfurt/Main".
bool TownWithQualifier(std::string_view previous, std::string_view qualifier,
                       std::string_view hint) {
  const size_t comma = previous.rfind(',');
  const std::string town =
      Trim(comma == std::string_view::npos ? previous : previous.substr(comma + 1));
  const std::string name = Trim(qualifier.substr(0, qualifier.find(',')));
  return !town.empty() && !name.empty() && City(town + " " + name, "", "", hint) != nullptr;
}

// Whether `next`, a place written after "/" or "|", qualifies the last part
// of `previous`, as after a comma: a country that part is a region or a
// known city of ("Georgia / USA", "Berlin / Germany"), a country name that
// is a region of the country the city is known in ("Thessaloniki /
// Macedonia"), or the region the city is known in ("Seattle / WA").
// "USA / Canada", "Mumbai / Pune" and "Berlin / Brandenburg" stay two places.
bool QualifiesLast(const std::string& previous, const std::string& next, std::string_view hint) {
  const size_t comma = previous.rfind(',');
  const std::string last = Trim(comma == std::string::npos ? std::string_view(previous)
                                                           : std::string_view(previous).substr(comma + 1));
  if (last.empty()) return false;
  const Tables& t = Tables::Get();
  std::string folded;
  const std::optional<std::string> code = CountryCode(next);
  if (code) {
    // Two country names with no city before them are two countries
    // ("Luxembourg / Belgium", "Moldova / Romania"), though the first names
    // a region of the second; only a US state is read so ("Georgia / USA"),
    // as US postings far outnumber any other country's.
    if (comma == std::string::npos && *code != "US" && CountryCode(last)) return false;
    if (const auto* holders = RegionHolders(last, folded, comma != std::string::npos);
        holders != nullptr && std::find(holders->begin(), holders->end(), *code) != holders->end()) {
      return true;
    }
    if (City(last, *code, "", hint) != nullptr) return true;
  }
  const auto* holders = RegionHolders(Trim(next), folded, true);
  if (holders == nullptr) return false;
  return std::any_of(holders->begin(), holders->end(), [&](const std::string& h) {
    const Agreement a = CityAgreement(last, h, t.region_by_name.at({h, folded}), hint);
    return code ? a != Agreement::kNone : a == Agreement::kCityAndRegion;
  });
}

LocationResult ParseLocationUncached(std::string_view raw, std::string_view country_hint) {
  LocationResult out;
  std::string text = CleanText(raw);
  if (text.empty()) return out;
  const std::string hint(country_hint);

  // Parenthesized notes: remote words count, the rest ("Old Fourth Ward area") does not.
  // A region or country that qualifies the place before it is read as after
  // a comma ("Portland (ME)" is "Portland, ME"; "Valencia (Venezuela)").
  // An unclosed group runs to the end ("Remote (US").
  // One pass: erasing each group in place was quadratic in "(a)(b)(c)...".
  std::string notes;
  {
    std::string outside;
    outside.reserve(text.size());
    size_t place_start = 0;  // where the place before a group starts in `outside`
    for (size_t i = 0; i < text.size();) {
      if (text[i] != '(') {
        if (text[i] == ';' || text[i] == '|' || text[i] == '/' || text[i] == '\n') {
          place_start = outside.size() + 1;
        }
        outside.push_back(text[i++]);
        continue;
      }
      size_t close = std::min(text.find(')', i), text.size());
      const std::string_view note = std::string_view(text).substr(i + 1, close - i - 1);
      // No place or note is longer; a field of many groups stays linear.
      constexpr size_t kLongest = 200;
      std::string_view before = std::string_view(outside).substr(std::min(place_start, outside.size()));
      if (before.size() <= kLongest) {
        if (size_t word = before.rfind(" or "); word != std::string_view::npos) before.remove_prefix(word + 4);
      }
      if (before.size() <= kLongest && note.size() <= kLongest &&
          TownWithQualifier(before, note, hint)) {
        outside.append(" ").append(note).push_back(' ');
      } else if (before.size() <= kLongest && note.size() <= kLongest && !Trim(before).empty() &&
                 QualifiesLast(Trim(before), std::string(note), hint)) {
        outside.append(", ").append(note).push_back(' ');
      } else {
        AppendJoined(notes, note, " ");
      }
      i = close + 1;
    }
    text = std::move(outside);
  }
  if (auto r = TakeRemote(notes)) out.remote = r;
  std::vector<std::string> scope_notes;
  // Whether the line names remote work, outside its notes or in them;
  // read once, so a field of many notes stays linear.
  std::optional<bool> remote_line_read;
  const auto remote_line = [&] {
    if (!remote_line_read) {
      std::string outside = text;
      remote_line_read = out.remote.has_value() || TakeRemote(outside).has_value();
    }
    return *remote_line_read;
  };
  {
    // "(US or Canada)", "(US, UK or Canada)": each an area or a country.
    std::string list;
    list.reserve(notes.size());
    for (size_t i = 0; i < notes.size(); ++i) {
      if (notes.compare(i, 4, " or ") == 0) {
        list.push_back(',');
        i += 3;
      } else {
        list.push_back(notes[i] == '/' || notes[i] == ';' ? ',' : notes[i]);
      }
    }
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      std::string note = Trim(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (!note.empty()) {
        if (TimeZoneNotCountry(note, hint) && remote_line()) {
          scope_notes.push_back("US time zones");
        } else if (auto a = Area(note)) {
          scope_notes.push_back(*a);
        } else if (auto c = CountryCode(note)) {
          scope_notes.push_back(*c);
        }
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }

  // Places: split on ";", "|", " or ", "/" and line breaks; a country
  // after "/" or "|" that the place before is in qualifies it, as after a
  // comma ("Georgia / USA" is "Georgia, USA", one place; "Berlin | Germany").
  std::vector<std::string> candidates;
  {
    std::string current;
    bool after_slash = false;  // `current` follows "/" or "|"
    auto push = [&] {
      if (!Trim(current).empty()) {
        if (after_slash && !candidates.empty() &&
            TownWithQualifier(candidates.back(), current, hint)) {
          candidates.back().append("/").append(current);
        } else if (after_slash && !candidates.empty() &&
                   QualifiesLast(candidates.back(), current, hint)) {
          candidates.back().append(", ").append(current);
        } else {
          candidates.push_back(current);
        }
      }
      current.clear();
    };
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c == ';' || c == '|' || c == '/' || c == '\n') {
        push();
        after_slash = c == '|' || c == '/';
      } else if (text.compare(i, 4, " or ") == 0) {
        push();
        after_slash = false;
        i += 3;
      } else if (text.compare(i, 3, " · ") == 0 || text.compare(i, 5, " \u2022 ") == 0) {
        push();
        after_slash = false;
        i += text[i + 1] == '\xE2' ? 4 : 2;
      } else {
        current.push_back(c);
      }
    }
    push();
  }

  std::vector<std::string> scope = scope_notes;
  {
    // "Worldwide", "Anywhere" are remote words and a scope at once.
    std::string all = Fold(std::string(raw));
    for (std::string_view w : Words(all)) {
      if (w == "worldwide" || w == "anywhere" || w == "global") {
        scope.insert(scope.begin(), "Worldwide");
        break;
      }
    }
  }
  std::optional<std::string> chosen;  // what the places say of the workplace
  for (std::string c : candidates) {
    // A field naming more places than any posting does is cut short, which
    // also keeps the search for repeats below linear.
    if (out.places.size() >= kMaxPlaces) break;
    // Places split at "/", "|", ";" or " or " are a choice: the most remote
    // way one of them is worked ("On-site / Remote", "Berlin or Remote").
    DropNegatedClauses(c);
    const std::optional<std::string> workplace = TakeRemote(c);
    if (workplace && (!chosen || Remoteness(*workplace) > Remoteness(*chosen))) chosen = workplace;
    if (workplace && TimeZoneNotCountry(Trim(c), hint)) {
      scope.push_back("US time zones");
      continue;
    }
    if (auto rewritten = CodesFirst(c)) c = std::move(*rewritten);
    // "Remote - US" leaves "US"; "London - UK" reads as "London, UK".
    if (c.find(" - ") != std::string::npos) {
      std::string commas;
      commas.reserve(c.size());
      for (size_t i = 0; i < c.size(); ++i) {
        if (c.compare(i, 3, " - ") == 0) {
          commas.append(", ");
          i += 2;
        } else {
          commas.push_back(c[i]);
        }
      }
      c = std::move(commas);
    }
    std::vector<std::string> parts;
    std::vector<bool> numbered;  // parts[i] was written with a number in it
    size_t street_from = 0;      // parts before it are gone or towns after postcodes
    size_t start = 0;
    while (start <= c.size()) {
      size_t comma = c.find(',', start);
      std::string part = Trim(c.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      std::vector<std::string_view> words;
      for (size_t i = 0; i < part.size();) {
        const size_t sp = std::min(part.find(' ', i), part.size());
        if (sp > i) words.push_back(std::string_view(part).substr(i, sp - i));
        i = sp + 1;
      }
      // A postcode before the town (UPU: most of Europe) leaves the town,
      // unless what follows it is a street ("1600 Amphitheatre Parkway").
      const size_t postcode = PostcodeWords(words);
      bool street = false;
      for (size_t k = postcode; k < words.size(); ++k) {
        // "Miami FL 33101", "Hartford CT 06103": a state and its ZIP code.
        if (IsUpperCode(words[k], 2) && k + 1 < words.size() && AllDigits(words[k + 1], 4, 6)) continue;
        street = street || IsStreetWord(Fold(words[k]), k == postcode);
      }
      const bool town_after_postcode = postcode > 0 && !street;
      // "444 De Haro St", "Hauptstraße 5": a street address, not a place name.
      street = street && std::any_of(part.begin(), part.end(), ascii::IsDigit);
      street = street || (postcode == 0 && !part.empty() && ascii::IsDigit(part[0]) && words.size() > 1 &&
                          std::any_of(part.begin(), part.end(), [](char ch) { return ascii::IsAlpha(ch); }));
      // Postal codes and noise words go.
      std::string cleaned;
      if (!words.empty() && std::find(std::begin(kManyPlaces), std::end(kManyPlaces),
                                      Fold(words[0])) != std::end(kManyPlaces)) {
        words.clear();
      }
      {
        std::string rebuilt;
        for (size_t k = town_after_postcode ? postcode : 0; k < words.size(); ++k) {
          const std::string_view word = words[k];
          const bool postal = std::all_of(word.begin(), word.end(), [](char ch) {
            return (ch >= '0' && ch <= '9') || ch == '-';
          }) || (IsUkOutward(word) && k + 1 < words.size() && IsUkInward(words[k + 1])) ||
                              (IsUkInward(word) && k > 0 && IsUkOutward(words[k - 1])) ||
                              // "London EC2A", "Amsterdam 1012 AB": a postcode after the town.
                              (IsUkOutward(word) && k > 0 && k + 1 == words.size()) ||
                              (IsUpperCode(word, 2) && k > 0 && AllDigits(words[k - 1], 4, 4));
          std::string fw = Fold(word);
          // "IN" is Indiana, "in" a word.
          const bool noise = !IsUpperCode(word, 2) &&
                             std::find(std::begin(kNoise), std::end(kNoise), fw) != std::end(kNoise);
          if (!postal && !noise) AppendJoined(rebuilt, word, " ");
        }
        cleaned = Trim(rebuilt);
      }
      if (town_after_postcode && !cleaned.empty()) {
        // The lines before the postcode and town are the street's
        // ("Hauptstraße 5, 10115 Berlin"; "Unter den Linden 5, 10117 Berlin").
        for (size_t k = parts.size(); k-- > street_from;) {
          if (numbered[k]) {
            parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(k));
            numbered.erase(numbered.begin() + static_cast<std::ptrdiff_t>(k));
          }
        }
      }
      if (!cleaned.empty() && !street) {
        parts.push_back(cleaned);
        numbered.push_back(!town_after_postcode && std::any_of(part.begin(), part.end(), ascii::IsDigit));
        if (town_after_postcode) street_from = parts.size();
      }
      // Keep the part as written too, for names with noise words in them
      // ("Bay Area", "National Capital Region", "Región Metropolitana").
      std::string region_key;
      if (!cleaned.empty() && !street && !town_after_postcode && cleaned != part &&
          (City(part, "", "", hint) || RegionHolders(part, region_key, true))) {
        parts.back() = part;
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (parts.empty()) continue;
    for (std::size_t k = 1; k < parts.size(); ++k) ReadDottedCode(parts[k - 1], parts[k], hint);

    // One part without commas may still end in a region code: "Melbourne VIC".
    if (parts.size() == 1) {
      size_t sp = parts[0].rfind(' ');
      if (sp != std::string::npos) {
        std::string last = parts[0].substr(sp + 1);
        std::string first = parts[0].substr(0, sp);
        if ((IsUpperCode(last, 2) || IsUpperCode(last, 3)) && (Region(last, "", first, hint) || CountryCode(last))) {
          parts = {first, last};
        }
      }
    }

    // Country first, as Workday and Taleo write ("USA - Texas - Austin",
    // "India - Bangalore", "Germany, Berlin"): read in reverse when the
    // first part is a country, the last a town of it (or any town after
    // regions of it), and what is between regions of it. "Georgia, USA",
    // "Jordan, MN" and "Cuba, NY" end in a country or a region of another.
    if (parts.size() >= 2) {
      if (const auto first = CountryCode(parts.front()); first && !CountryCode(parts.back()) && !Area(parts.back())) {
        const bool regions_between = std::all_of(parts.begin() + 1, parts.end() - 1, [&](const std::string& p) {
          return Region(p, *first).has_value();
        });
        if (regions_between && (parts.size() > 2 || City(parts.back(), *first, "", hint) != nullptr)) {
          std::reverse(parts.begin(), parts.end());
        }
      }
    }
    // "Darlington, Hartlepool, Middlesbrough": several known cities, each a place.
    // A last part that is a region the city before it is in is no city
    // of its own, though a city has its name too ("Montería, Córdoba": the
    // Colombian department, whose name an Argentine province shares).
    const auto region_of_city = [&parts, &hint] {
      std::string folded;
      const auto* holders = RegionHolders(parts.back(), folded, true);
      if (holders == nullptr) return false;
      const Tables& t = Tables::Get();
      return std::any_of(holders->begin(), holders->end(), [&](const std::string& h) {
        return CityAgreement(parts[parts.size() - 2], h, t.region_by_name.at({h, folded}), hint) ==
               Agreement::kCityAndRegion;
      });
    };
    // "Belém, Lisbon": a town the table knows only in other countries than
    // the city after it is a place of that city's country (Lisbon's parish,
    // not Belém in Brazil), read below as a town before its city. A main
    // job market's city is a place of its own ("New York, London": two).
    const auto town_of_later_city = [&parts] {
      if (parts.size() != 2) return false;
      const Tables& t = Tables::Get();
      const auto town = t.cities.find(Fold(parts[0]));
      const auto city = t.cities.find(Fold(parts[1]));
      if (town == t.cities.end() || city == t.cities.end()) return false;
      return std::none_of(town->second.begin(), town->second.end(), [&](const CityInfo& a) {
        return a.hub || std::any_of(city->second.begin(), city->second.end(),
                                    [&](const CityInfo& b) { return a.country == b.country; });
      });
    };
    // A town the table does not know in the board's country, before a
    // county of it, is in that county: "Richmond, Surrey" on a British
    // board (with no board's country, the two cities of BC).
    const auto county_of_board = [&parts, &hint] {
      return StatedCountry(hint) &&
             Region(parts.back(), std::string(hint), parts[parts.size() - 2]) &&
             City(parts[parts.size() - 2], std::string(hint), "", hint) == nullptr;
    };
    if (parts.size() >= 2 && !CountryCode(parts.back()) && !Region(parts.back(), "") &&
        !region_of_city() && !town_of_later_city() && !county_of_board() &&
        std::all_of(parts.begin(), parts.end(),
                    [&](const std::string& p) { return City(p, "", "", hint) != nullptr; })) {
      for (const std::string& p : parts) {
        const CityInfo* city = City(p, "", "", hint);
        // As for one city below: a city the table knows only elsewhere is a town of the stated country.
        Place place = StatedCountry(hint) && city->country != hint
                          ? Place{.city = p, .country = std::string(hint)}
                          : Place{.city = city->name,
                                  .region = FirstLevel(city->country, city->region),
                                  .country = city->country};
        if (std::find(out.places.begin(), out.places.end(), place) == out.places.end()) out.places.push_back(place);
      }
      continue;
    }
    // "USA, Canada", "Americas, Europe, Israel": several countries (and areas), each its own.
    // Two-letter codes count as countries here unless they are US states too ("CA", "DE").
    // "Georgia, USA" is one place: a part that is a US state, with the US
    // named after it, is no country of its own. Other country names that
    // are also a region of a later country stay countries ("Moldova,
    // Romania": MD and RO; "Iasi, Moldova" with a city is Romanian).
    // One pass from the right, so a field of many parts stays linear.
    const auto region_of_later = [&parts] {
      std::set<std::string> later;
      for (size_t i = parts.size(); i-- > 0;) {
        std::string folded;
        if (const auto* holders = RegionHolders(parts[i], folded)) {
          for (const std::string& h : *holders) {
            if (h == "US" && later.contains(h)) return true;
          }
        }
        if (auto named = CountryCode(parts[i])) later.insert(*named);
      }
      return false;
    };
    if (parts.size() >= 2 && std::all_of(parts.begin(), parts.end(), [](const std::string& p) {
          return Area(p).has_value() ||
                 (CountryCode(p).has_value() && !(IsUpperCode(p, 2) && Region(p, "US").has_value()));
        }) && !region_of_later()) {
      for (const std::string& p : parts) {
        if (auto a = Area(p)) {
          scope.push_back(*a);
          continue;
        }
        Place place{.country = CountryCode(p)};
        scope.push_back(*place.country);
        if (std::find(out.places.begin(), out.places.end(), place) == out.places.end()) out.places.push_back(place);
      }
      continue;
    }
    Place place;
    std::string country, region;
    std::vector<std::string> rest = parts;
    // Areas ("Europe", "LATAM") are scope, not places.
    std::vector<std::string> kept;
    for (const std::string& p : rest) {
      if (auto a = Area(p)) {
        scope.push_back(*a);
      } else {
        kept.push_back(p);
      }
    }
    rest = kept;
    if (rest.empty()) continue;

    // Country: the last part, unless it reads better as a region: "Atlanta,
    // Georgia" (a city of the US state, not of the country), "Georgia" on a
    // US board, "Springfield, IL" (a US state code and no city of Israel).
    if (auto code = CountryCode(rest.back())) {
      const std::string city_part = rest.size() >= 2 ? rest[rest.size() - 2] : std::string();
      const Tables& t = Tables::Get();
      auto known_in = [&](const std::string& country_code) { return !city_part.empty() && City(city_part, country_code, "", hint) != nullptr; };
      // A name two countries have ("Congo": CG and CD): the one the city is
      // known in, else the posting's or board's country ("Goma, Congo" on a
      // DRC board: CD), else the table's first.
      const bool shared_name = t.shared_name_defaults.contains(*code);
      bool city_in_country = shared_name && known_in(*code);
      if (shared_name && !city_in_country) {
        if (auto shared = t.shared_country_names.find(Fold(rest.back())); shared != t.shared_country_names.end()) {
          for (const std::string& other : shared->second) {
            if (known_in(other)) {
              code = other;
              city_in_country = true;
              break;
            }
          }
          if (!city_in_country && *code != hint &&
              std::find(shared->second.begin(), shared->second.end(), hint) != shared->second.end()) {
            code = std::string(hint);
          }
        }
      }
      bool as_region = false;
      std::string folded;
      const auto* holders = RegionHolders(rest.back(), folded, !city_part.empty());
      if (holders != nullptr) {
        const Holder h = ChooseHolder(*holders, folded, city_part, hint);
        if (!shared_name) city_in_country = known_in(*code);
        switch (h.agreement) {
          case Agreement::kCityAndRegion: as_region = true; break;
          case Agreement::kCity:
          case Agreement::kCityElsewhere:
          case Agreement::kBoardCountry: as_region = !city_in_country && h.country != *code; break;
          case Agreement::kDefault:
            // A US state after an unknown town, unless the board is in the
            // country the name or code names: "Alpharetta, Georgia" is a
            // town of the US state, as US postings far outnumber Georgian
            // ones and Georgia's cities are in the table ("Tbilisi,
            // Georgia": GE); a territory that is its own ISO 3166-1 country
            // ("Ponce, Puerto Rico") stays that country.
            as_region = h.country == "US" && rest.size() == 2 && !city_in_country && hint != *code &&
                        (IsUpperCode(rest.back(), 2) || !t.region_by_name.contains({"US", Fold(*code)}));
            break;
          case Agreement::kNone: break;
        }
        if (as_region) {
          country = h.country;
          region = Tables::Get().region_by_name.at({h.country, folded});
          // A country name read as a region of the country the city is
          // known in, but not the city's region, names the country and not
          // the region: "Abuja, Niger" is Abuja (NG-FC), not Niger State.
          // A US state keeps the state written: US towns repeat names
          // across states ("Albany, Georgia", "Austin, MN").
          if (h.agreement == Agreement::kCityElsewhere && h.country != "US" && !IsUpperCode(rest.back(), 2) &&
              !IsUpperCode(rest.back(), 3)) {
            if (const CityInfo* known = City(city_part, h.country, "", hint)) region = known->region;
          }
        }
      }
      if (!as_region) {
        country = *code;
        // A region that names its own country too ("Perth, Scotland"): the
        // country, and the region it says, unless the city is known there
        // in another region ("Mexico City, Mexico": the city, not the state
        // of México). A region of that country written before it is the
        // region ("Guadalajara, Jalisco, Mexico": JAL, not MEX; "Puebla,
        // Mexico": the state or city of Puebla).
        // A region named as its country is ("Mexico": the state of México)
        // is the country after a town ("Córdoba, Mexico": Veracruz's city).
        if (holders != nullptr && rest.size() >= 2 &&
            std::find(holders->begin(), holders->end(), *code) != holders->end() && !Region(city_part, *code) &&
            Fold(t.countries.at(*code).name) != folded) {
          const std::string& named = t.region_by_name.at({*code, folded});
          if (CityAgreement(city_part, *code, named, hint) != Agreement::kCityElsewhere) region = named;
        }
      }
      rest.pop_back();
    }
    if (!rest.empty() && region.empty()) {
      const std::string city_part = rest.size() >= 2 ? rest[rest.size() - 2] : std::string();
      // A name alone that is a region of the board's country and a city of
      // one other country only is the region ("La Rioja" on a Spanish board;
      // "Córdoba", a town of several countries, on a Colombian one is a
      // town there). Not a region of another country whose name is a city
      // of the board's country: "Guildford, Surrey" on a Canadian board is
      // in Surrey, BC.
      if (auto r = Region(rest.back(), country, city_part, hint);
          r &&
          (rest.size() > 1 || !City(rest.back(), country, "", hint) ||
           (country.empty() && r->first == hint && CityOfOneCountryOnly(rest.back(), hint))) &&
          !(country.empty() && StatedCountry(hint) && r->first != hint &&
            City(rest.back(), hint, "", hint))) {
        country = r->first;
        region = r->second;
        // As above: a country's name read as a region of the country the
        // city is known in, but not the city's region, names the country:
        // "Abuja, Niger, Nigeria" is Abuja (NG-FC), not Niger State.
        if (!city_part.empty() && !IsUpperCode(rest.back(), 2) && !IsUpperCode(rest.back(), 3) &&
            CountryCode(rest.back()) && CityAgreement(city_part, country, region, hint) == Agreement::kCityElsewhere) {
          if (const CityInfo* known = City(city_part, country, "", hint)) region = known->region;
        }
        rest.pop_back();
      }
    }
    // A town the table knows before a city it knows, with no region
    // written after them ("Belém, Lisbon", "Guimarães, Braga, PT"): the
    // city names the country and region the town is in. A district the
    // table lacks ("Shoreditch, London") is dropped for the city below. A
    // region's name left undecided above ("Lorica, Córdoba") names no city
    // here.
    std::string region_key;
    if (rest.size() >= 2 && region.empty() && RegionHolders(rest.back(), region_key, true) == nullptr &&
        Tables::Get().cities.contains(Fold(rest[rest.size() - 2]))) {
      if (const CityInfo* later = City(rest.back(), country, "", hint)) {
        country = later->country;
        region = later->region;
        rest.pop_back();
      }
    }
    // A region name several countries have, alone, with nothing to say
    // which ("Punjab": IN-PB and PK-PB; "Limburg": NL-LI and BE-VLI): no
    // city of that name, and no country guessed. The place is the region
    // when every reading has the same code, else there is none.
    if (country.empty() && region.empty() && rest.size() == 1 && !IsUpperCode(rest[0], 2) &&
        !IsUpperCode(rest[0], 3) && City(rest[0], "", "", hint) == nullptr) {
      std::string folded;
      if (const auto* holders = RegionHolders(rest[0], folded); holders != nullptr && holders->size() > 1) {
        const Tables& t = Tables::Get();
        const std::string& code = t.region_by_name.at({holders->front(), folded});
        if (std::all_of(holders->begin(), holders->end(),
                        [&](const std::string& h) { return t.region_by_name.at({h, folded}) == code; })) {
          region = code;
        }
        rest.clear();
      }
    }
    // A part naming the country again ("Portugal, PT") is no city, unless
    // it is the capital's name before the capital's region ("México, D.F.").
    const auto capital_named = [&](const std::string& name) {
      const CityInfo* capital = region.empty() ? nullptr : City(name, country, region, hint);
      return capital != nullptr &&
             FirstLevel(country, region) == FirstLevel(capital->country, capital->region);
    };
    while (!rest.empty() && !country.empty() && CountryCode(rest.back()) == country &&
           !capital_named(rest.back())) {
      rest.pop_back();
    }
    // What is left before them: the city first ("Guimarães, Braga": the town, then its district).
    if (!rest.empty()) {
      // A district or neighbourhood the table lacks before a city it knows
      // ("Whitefield, Bangalore", "Canary Wharf, London, UK"): the city, and
      // the district is dropped, as "Brooklyn, New York" is New York. Not a
      // city known only outside the stated country ("Guildford, Surrey" on
      // a British board: Surrey, BC is no county), nor a region's name that
      // nothing decided ("Lorica, Córdoba": CO-COR or AR-X, no city).
      if (rest.size() >= 2 && City(rest.front(), country, region, hint) == nullptr && !CountryCode(rest.front())) {
        for (size_t k = 1; k < rest.size(); ++k) {
          const CityInfo* known = City(rest[k], country, region, hint);
          if (known == nullptr) continue;
          std::string folded;
          if (RegionHolders(rest[k], folded, true) != nullptr &&
              !(StatedCountry(hint) && known->country == hint)) {
            break;
          }
          if (country.empty() && region.empty() && StatedCountry(hint) && known->country != hint) break;
          rest.erase(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(k));
          break;
        }
      }
      const std::string& name = rest.front();
      const CityInfo* city = City(name, country, region, hint);
      // A country's name is its capital's ("México, D.F." is Mexico City)
      // only in the capital's region: "Mexico, Jalisco" names no city.
      if (city != nullptr && CountryCode(name) &&
          (region.empty() ||
           FirstLevel(country, region) != FirstLevel(city->country, city->region))) {
        city = nullptr;
      }
      // A city named with no country or region the text states takes the
      // country the posting or board states, when the table does not know
      // the name there: "Florence" on a US board is a US town (Florence, SC),
      // not Florence, Italy. The table decides only with no country stated.
      if (city != nullptr && country.empty() && region.empty() && StatedCountry(hint) && city->country != hint) {
        city = nullptr;
      }
      if (city != nullptr) {
        place.city = city->name;
        if (country.empty()) country = city->country;
        if (region.empty() && !city->region.empty() && city->country == country) region = city->region;
      } else if (const auto named = CountryCode(name); !named || (!region.empty() && *named != country)) {
        // A town named as another country, before its region, is a town:
        // "Jordan, MN", "Lebanon, PA", "Mexico, MO".
        place.city = name;
      }
    }
    if (country.empty() && !hint.empty() && place.city) country = hint;
    if (!country.empty()) place.country = country;
    if (!region.empty()) place.region = country.empty() ? std::optional(region) : FirstLevel(country, region);
    if (!place.city && !place.region && place.country) scope.push_back(*place.country);
    if ((place.city || place.region || place.country) &&
        std::find(out.places.begin(), out.places.end(), place) == out.places.end()) {
      out.places.push_back(std::move(place));
    }
  }
  // A note qualifies the places: "Hybrid (2 days remote)" is hybrid, as
  // "Berlin (Hybrid)" is.
  if (chosen && (!out.remote || *chosen == "hybrid")) out.remote = chosen;
  // "Remote (United States)": a country only in the notes is the place too.
  if (out.places.empty()) {
    for (const std::string& note : scope_notes) {
      Place place{.country = note};
      if (note.size() == 2 && Tables::Get().countries.contains(note) &&
          std::find(out.places.begin(), out.places.end(), place) == out.places.end()) {
        out.places.push_back(std::move(place));
      }
    }
  }
  // Who may apply, should the work be remote: areas, and countries named
  // without a city. The caller keeps it only for remote and hybrid work.
  // "Anywhere, India": India, not the world.
  if (std::any_of(scope.begin(), scope.end(), [](const std::string& x) { return x != "Worldwide"; })) {
    std::erase(scope, std::string("Worldwide"));
  }
  std::string joined;
  std::set<std::string_view> named;
  for (const std::string& s : scope) {
    if (named.insert(s).second && joined.find(s) == std::string::npos) AppendJoined(joined, s, ", ");
  }
  if (!joined.empty()) out.scope = joined;
  return out;
}

}  // namespace

LocationResult ParseLocation(std::string_view raw, std::string_view country_hint) {
  thread_local RecentResults<LocationResult> recent;
  return recent.Get(raw, country_hint, [&] { return ParseLocationUncached(raw, country_hint); });
}

}  // namespace jobtrawl::normalize
