// The salary reader's addresses: numbers in a text that are a postcode, a
// ZIP, a street or a suite, not an amount (UPU addressing formats).

#include "normalize/salary_parts.h"

#include <algorithm>
#include <unordered_set>

#include "model/ascii.h"
#include "normalize/tables.h"

namespace jobtrawl::normalize::salary_detail {
namespace {

// Where a country writes its postcode beside the city name (Universal
// Postal Union's addressing formats): before it ("10115 Berlin", "75001
// Paris"), after it ("Bangalore 560001", "Singapore 018956"), or either.
enum class PostcodeSide { kBefore, kAfter, kEither };

// Are `country`'s postcodes numbers of `digits` digits (UPU: 5 in
// Germany, France, Italy, Spain, Mexico; 4 in Austria, Switzerland,
// Belgium, Denmark, Norway, Australia; 6 in India, China, Russia,
// Singapore), written on `side` of the city? Not in the UK or Canada,
// whose postcodes have letters: there "London 45000" is pay; nor the US,
// whose ZIP follows the state ("Dallas 75000" is pay).
bool WritesPostcodes(std::string_view country, size_t digits, PostcodeSide side) {
  using enum PostcodeSide;
  struct Format {
    std::string_view country;
    size_t digits;
    PostcodeSide side;
  };
  static constexpr Format kFormats[] = {
      {"DE", 5, kBefore}, {"FR", 5, kBefore}, {"IT", 5, kBefore}, {"ES", 5, kBefore}, {"MX", 5, kBefore},
      {"FI", 5, kBefore}, {"TR", 5, kBefore}, {"UA", 5, kEither}, {"KR", 5, kEither}, {"MY", 5, kBefore},
      {"ID", 5, kAfter},  {"TH", 5, kAfter},  {"EG", 5, kEither}, {"MA", 5, kBefore}, {"SA", 5, kEither},
      {"PK", 5, kAfter},  {"HR", 5, kBefore}, {"EE", 5, kBefore}, {"LT", 5, kBefore}, {"AT", 4, kBefore},
      {"CH", 4, kBefore}, {"BE", 4, kBefore}, {"DK", 4, kBefore}, {"NO", 4, kBefore}, {"AU", 4, kAfter},
      {"NZ", 4, kAfter},  {"ZA", 4, kAfter},  {"HU", 4, kEither}, {"BG", 4, kBefore}, {"LU", 4, kBefore},
      {"SI", 4, kBefore}, {"PH", 4, kAfter},  {"IN", 6, kAfter},  {"CN", 6, kEither}, {"RU", 6, kEither},
      {"SG", 6, kAfter},  {"KZ", 6, kEither}, {"BY", 6, kEither}, {"VN", 6, kEither}, {"RO", 6, kEither},
      {"NG", 6, kEither}};
  for (const Format& f : kFormats) {
    if (country == f.country && f.digits == digits && (f.side == side || f.side == kEither)) return true;
  }
  return false;
}

// Is `folded` a city in a country whose postcodes WritesPostcodes says
// are numbers of `digits` digits on `side` of the city?
bool IsCityWithPostcodesOf(const std::string& folded, size_t digits, PostcodeSide side) {
  if (folded.empty()) return false;
  auto it = Tables::Get().cities.find(folded);
  if (it == Tables::Get().cities.end()) return false;
  for (const CityInfo& city : it->second) {
    if (WritesPostcodes(city.country, digits, side)) return true;
  }
  return false;
}

// Is `folded`, written at `t[begin]`, a region of a country whose
// postcodes of `digits` digits follow the region ("Telangana 500081",
// "VIC 3000")? A region's code counts only in capitals, as addresses write
// it ("UP 201301", not "up 201301").
bool IsRegionWithPostcodesAfter(std::string_view t, size_t begin, const std::string& folded, size_t digits) {
  const Tables& tables = Tables::Get();
  auto it = tables.region_countries.find(folded);
  if (it == tables.region_countries.end()) return false;
  const std::string written(t.substr(begin, folded.size()));
  return std::any_of(it->second.begin(), it->second.end(), [&](const std::string& country) {
    const bool code = tables.regions.contains({country, ascii::ToUpper(folded)});
    return WritesPostcodes(country, digits, PostcodeSide::kAfter) && (!code || written == ascii::ToUpper(folded));
  });
}

// Does a city or region of `country` stand within three words before
// `begin` (a comma skipped) or after `end`?
bool PlaceOfNear(std::string_view t, size_t begin, size_t end, std::string_view country) {
  const Tables& tables = Tables::Get();
  auto of_country = [&](const std::string& folded) {
    if (folded.empty()) return false;
    if (auto it = tables.cities.find(folded); it != tables.cities.end()) {
      for (const CityInfo& city : it->second) {
        if (city.country == country) return true;
      }
    }
    auto it = tables.region_countries.find(folded);
    return it != tables.region_countries.end() &&
           std::find(it->second.begin(), it->second.end(), country) != it->second.end();
  };
  while (begin > 0 && t[begin - 1] == ' ') --begin;
  if (begin > 0 && t[begin - 1] == ',') --begin;
  for (int n = 1; n <= 3; ++n) {
    size_t words_begin = 0;
    if (of_country(WordsBefore(t, begin, n, words_begin)) || of_country(WordsAfter(t, end, n))) return true;
  }
  return false;
}

// Postcodes whose shape the digits alone do not give (UPU addressing
// formats): the Netherlands' four digits and two capitals ("1012 AB
// Amsterdam"), Portugal's "1000-001 Lisboa" and Brazil's "20040-002" (a
// hyphen and three digits), Israel's seven digits ("Tel Aviv 6100000").
// Each is a postcode on its country's board or beside a city or region of
// its country. Moves `a.end` past the part after the digits.
bool PostcodeOfItsShape(std::string_view t, Amount& a, std::string_view country) {
  struct Shape {
    std::string_view country;
    size_t digits;
    size_t after_hyphen;  // digits after a hyphen ("1000-001")
    bool capitals;        // two capitals after it ("1012 AB", "1012AB")
  };
  static constexpr Shape kShapes[] = {
      {"NL", 4, 0, true}, {"PT", 4, 3, false}, {"BR", 5, 3, false}, {"IL", 7, 0, false}};
  const size_t digits = a.end - a.begin;
  for (const Shape& shape : kShapes) {
    if (shape.digits != digits) continue;
    size_t end = a.end;
    if (shape.after_hyphen > 0) {
      if (end >= t.size() || t[end] != '-') continue;
      size_t d = end + 1;
      while (d < t.size() && ascii::IsDigit(t[d])) ++d;
      if (d - end - 1 != shape.after_hyphen) continue;
      end = d;
    } else if (shape.capitals) {
      const size_t at = end < t.size() && t[end] == ' ' ? end + 1 : end;
      if (at + 2 > t.size() || !ascii::IsUpper(t[at]) || !ascii::IsUpper(t[at + 1]) ||
          (at + 2 < t.size() && IsLetterByte(t[at + 2]))) {
        continue;
      }
      end = at + 2;
    }
    if (country != shape.country && !PlaceOfNear(t, a.begin, end, shape.country)) continue;
    a.end = end;
    return true;
  }
  return false;
}

// Does a sign of money that counts on a board of `country` stand beside
// a number within 48 bytes after `from` ("Paris 75008 - 50 000 \u20ac")?
bool SignedAmountAfter(std::string_view t, size_t from, std::string_view country) {
  // Near it only: a field of addresses stays linear.
  for (size_t p = from + 1; p < t.size() && p - from <= 48; ++p) {
    size_t edge = 0;
    if (ascii::IsDigit(t[p]) && !ascii::IsDigit(t[p - 1])) {
      const std::string sign = CurrencyBefore(t, p, edge);
      if (!sign.empty() && !ForeignLocalSign(sign, country)) return true;
    } else if (!ascii::IsDigit(t[p]) && ascii::IsDigit(t[p - 1]) && SignAfter(t, p, country)) {
      return true;
    }
  }
  return false;
}

}  // namespace

// Is the number `a` (digits only, no multiplier) part of an address rather
// than an amount? A number written with a leading zero ("05401"); a US ZIP
// or ZIP+4 after a state ("Burlington, VT 05401", "Austin, Texas 78701",
// "KS 67202-1234"); a postcode after or before a city of a country whose
// postcodes it looks like ("Berlin 10115", "75001 Paris"), or after its
// region ("Telangana 500081"); a postcode of its country's shape ("1012
// AB", "1000-001"); a street or suite number ("1600
// Amphitheatre Parkway", "Suite 1200", "Hauptstraße 12", "12 rue de la
// Paix"). With a sign of money after the number (`sign_after`: "Paris
// 45000 EUR", "l\u00f6n 45000 kr") only a leading zero or a ZIP after its
// state make it an address. Moves `a.end` past a ZIP's "-1234" and a
// postcode's part after the digits.
//
// `range_bound`: the number is a bound of a range of bare numbers ("90000
// - 110000"), never a postcode. A postcode written on the side of the city
// its country does not use ("Berlin 10115") is one only when money is
// stated after it; alone it is pay, as "Berlin 55000".
bool AddressNumber(std::string_view t, Amount& a, bool sign_after, bool range_bound,
                   std::string_view country) {
  const size_t digits = a.end - a.begin;
  if (digits >= 2 && t[a.begin] == '0') return true;
  // ZIP+4: five digits, a hyphen and four.
  const bool zip4 = digits == 5 && a.end + 5 <= t.size() && t[a.end] == '-' &&
                    std::all_of(t.begin() + static_cast<std::ptrdiff_t>(a.end) + 1,
                                t.begin() + static_cast<std::ptrdiff_t>(a.end) + 5, ascii::IsDigit) &&
                    (a.end + 5 == t.size() || !ascii::IsDigit(t[a.end + 5]));
  const Tables& tables = Tables::Get();
  if (digits == 5) {
    // Applicant tracking systems join the fields with commas ("Austin, TX,
    // 78701"), where a bound of a range of bare numbers stays pay.
    size_t state_end = a.begin;
    while (state_end > 0 && t[state_end - 1] == ' ') --state_end;
    const bool comma = state_end > 0 && t[state_end - 1] == ',' && !range_bound;
    state_end = comma ? state_end - 1 : a.begin;
    for (int n = 1; n <= 3; ++n) {
      size_t begin = 0;
      const std::string words = WordsBefore(t, state_end, n, begin);
      if (words.empty() || !tables.region_countries.contains(words)) continue;
      size_t before = begin;
      while (before > 0 && t[before - 1] == ' ') --before;
      // After a comma ("City, ST"), or a US state's code as the Postal
      // Service writes it ("KS 67202").
      // The ZIP follows the state directly ("TX 75201", not "TX - 75000"),
      // and only a US state's ("Toronto, ON 90000" is pay).
      const std::string_view gap = t.substr(begin, a.begin - begin);
      if (gap.find('-') != std::string_view::npos || !tables.region_by_name.contains({"US", words})) continue;
      const bool code = words.size() == 2 && ascii::IsUpper(t[begin]) && ascii::IsUpper(t[begin + 1]);
      if ((before > 0 && t[before - 1] == ',') || code) {
        if (zip4) a.end += 5;
        return true;
      }
    }
  }
  if (zip4) {
    a.end += 5;
    return true;
  }
  if (sign_after) return false;
  if (digits >= 4 && digits <= 6 && !range_bound && !PayLabelBefore(t, a.begin)) {
    for (int n = 1; n <= 3; ++n) {
      size_t begin = 0;
      const std::string before = WordsBefore(t, a.begin, n, begin);
      const std::string after = WordsAfter(t, a.end, n);
      if (IsCityWithPostcodesOf(before, digits, PostcodeSide::kAfter) ||
          IsCityWithPostcodesOf(after, digits, PostcodeSide::kBefore)) {
        return true;
      }
      if ((IsCityWithPostcodesOf(before, digits, PostcodeSide::kBefore) ||
           IsCityWithPostcodesOf(after, digits, PostcodeSide::kAfter)) &&
          SignedAmountAfter(t, a.end, country)) {
        return true;
      }
    }
  }
  if (digits >= 4 && digits <= 6 && !range_bound) {
    // After the region, as India and Australia write it ("Hyderabad,
    // Telangana 500081", "Melbourne VIC 3000"), or after the city and a
    // comma ("Bangalore, 560001").
    size_t place_end = a.begin;
    while (place_end > 0 && t[place_end - 1] == ' ') --place_end;
    if (place_end > 0 && t[place_end - 1] == ',') --place_end;
    for (int n = 1; n <= 3; ++n) {
      size_t begin = 0;
      const std::string before = WordsBefore(t, place_end, n, begin);
      if (IsRegionWithPostcodesAfter(t, begin, before, digits) ||
          IsCityWithPostcodesOf(before, digits, PostcodeSide::kAfter)) {
        return true;
      }
    }
  }
  // The part after the hyphen is no bound of a range ("1000-001 Lisboa").
  if (PostcodeOfItsShape(t, a, country)) return true;
  // A street or suite number.
  static const std::unordered_set<std::string> kBefore = {
      "suite", "ste", "unit", "apt", "apartment", "floor", "fl", "room", "building", "bldg", "box", "no",
      "rue", "via", "calle", "avenida", "rua", "viale", "piazza", "corso", "ul"};
  static const std::unordered_set<std::string> kStreets = {
      "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "drive", "dr", "lane", "ln",
      "way", "parkway", "pkwy", "highway", "hwy", "court", "ct", "place", "pl", "plaza", "square", "sq",
      "terrace", "circle", "cir", "trail", "pike", "route"};
  static constexpr std::string_view kStreetEndings[] = {"strasse", "str", "weg", "gasse", "platz", "allee",
                                                        "straat", "laan", "gracht", "vej", "gatan", "gade"};
  if (a.begin > 0 && t[a.begin - 1] == '#') return true;
  size_t begin = 0;
  const std::string before = WordsBefore(t, a.begin, 1, begin);
  if (kBefore.contains(before)) return true;
  for (std::string_view ending : kStreetEndings) {
    if (before.size() > ending.size() && before.ends_with(ending)) return true;
  }
  const std::string after = WordsAfter(t, a.end, 4);
  for (size_t at = 0; at < after.size();) {
    size_t space = after.find(' ', at);
    if (space == std::string::npos) space = after.size();
    if (at > 0 && kStreets.contains(after.substr(at, space - at))) return true;  // a name comes first
    at = space + 1;
  }
  return false;
}

}  // namespace jobtrawl::normalize::salary_detail
