// Locations as boards write them, split into places with ISO codes.
#ifndef JOBTRAWL_NORMALIZE_LOCATION_H_
#define JOBTRAWL_NORMALIZE_LOCATION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/posting.h"

namespace jobtrawl::normalize {

struct LocationResult {
  std::vector<Place> places;           // each place named, in order, without repeats; at most 64
  // "remote" | "hybrid" | "onsite" when the text says so, as RemoteInPlace
  // (normalize/classify.h) reads it. Places split at "/", "|", ";" or " or "
  // are a choice: the most remote way one is worked ("On-site / Remote",
  // "Berlin or Remote": remote); a note qualifies them ("Berlin (Hybrid)",
  // "Hybrid (2 days remote)": hybrid). The words of a denied phrase name no
  // place ("Remote: No": no Norway).
  std::optional<std::string> remote;
  std::optional<std::string> scope;    // for remote work: who may apply ("US", "Europe", "Worldwide")

  bool operator==(const LocationResult&) const = default;
};

// Reads "Hyderabad, India", "TELECOMMUTE Hyderabad, India", "London,
// England, United Kingdom", "San Francisco, CA", "Remote - US", "Berlin or
// Munich", "Bengaluru/Bangalore", "Melbourne VIC (Remote)", "LATAM, Europe".
// A region or country in parentheses that qualifies the place before it is
// read as after a comma ("Portland (ME)"), a qualifier of a town's name as
// part of it ("Frankfurt (Oder)", "Halle/Saale"); other notes give remote
// words and scope only, ET, CT, MT and PT after a remote word US time zones
// ("Remote (ET)": no Ethiopia). A region code whose boards write the name (Latin America, the
// Philippines) is read only after a town the table knows in that region, so
// the town's own code beats another country's ("Bogotá, DC": CO-DC).
// Several places are separated by ";", "|", " or ", "/"; within one, parts
// by commas are read from the right: country, region, city (tables in
// normalize/data); a country written first, before its regions and a
// town of it, is read in that order ("USA - Texas - Austin", "India -
// Bangalore", "US-CA-San Francisco"). A postcode before the town is read as
// UPU address formats write it ("10115 Berlin", "1012 AB Amsterdam", "SW1A
// 1AA London"), the street line before it dropped. A district the table
// lacks before a city it knows is dropped for the city ("Whitefield,
// Bangalore": Bengaluru, KA, IN). A part with several readings (country or region:
// "Georgia"; a region several countries have: "WA", "Punjab", "Limburg")
// takes the one the city before it is known in ("Atlanta, Georgia": US-GA;
// "Tbilisi, Georgia": GE; "Iasi, Moldova": RO, Romanian Moldavia; "Torino,
// TO": the Italian province, not Tonga), or the country named after it
// ("Georgia, USA", "Georgia / USA"); a country name two countries have is
// the one the city is known in ("Kinshasa, Congo": CD). A reading whose
// country knows the city only in another region is the weakest ("Florence,
// AL": Alabama, as Florence is in IT-FI, not IT-AL). Second-level codes
// (Italian province sigle) are read only after a city; a place's region is
// always a first-level subdivision (ISO 3166-2), so a province is given as
// the region it is in ("Torino, TO": IT-21 Piemonte). `country_hint` (ISO
// alpha-2: the posting's or board's stated country) breaks the remaining
// ties and fills a country the text leaves out: a city written with no
// country or region after it is in that country even when the table knows
// the name only elsewhere ("Florence" on a US board: Florence, SC, not
// Italy); the table's country is taken only when none is stated; a region name several countries have, alone
// with nothing to decide it, is no city: the region without a country when
// they share its code ("Punjab": PB), else no place ("Limburg"); a city the
// table knows is that city ("La Rioja": the Argentine city). A town before a city the table knows, with no region written
// after them, is in that city's country and region ("Shoreditch, London":
// ENG, GB; "Belém, Lisbon": PT, though the table knows Belém in Brazil),
// unless the town is known in that country too or is a main job market's
// city (cities.tsv's first block): "Guimarães, Braga" and "New York,
// London" are two places.
// Thread-safe: each thread keeps its recent results (a board repeats its
// locations).
LocationResult ParseLocation(std::string_view text, std::string_view country_hint = {});

// The ISO 3166-1 alpha-2 code for a country name, alias or code ("Deutschland",
// "UK", "USA", "us"); nullopt when it names no country.
std::optional<std::string> CountryCode(std::string_view text);

}  // namespace jobtrawl::normalize

#endif  // JOBTRAWL_NORMALIZE_LOCATION_H_
