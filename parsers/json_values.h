// Reading values out of JSON the way job data writes them: a field may be a
// scalar, an array of them or an object with a "name"; numbers may be
// strings. Shared by the JSON-LD, microdata and board API readers.
#ifndef JOBTRAWL_PARSERS_JSON_VALUES_H_
#define JOBTRAWL_PARSERS_JSON_VALUES_H_

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jobtrawl::parsers {

// The member `key` of `o`, or nullptr.
const boost::json::value* Get(const boost::json::object& o, std::string_view key);

// The first element of an array, or the value itself (nullptr stays nullptr).
const boost::json::value* First(const boost::json::value* v);

// nullopt for the empty string.
std::optional<std::string> NonEmpty(std::string s);

// A scalar, or an object's "name"/"@value"/"value", as one line of clean
// text (entities decoded, whitespace collapsed); nullopt when empty or absent.
std::optional<std::string> Text(const boost::json::value* v);

// A number, or a string holding only a number, read as model/decimal.h reads
// amounts ("130,000", "4.000,50", "-5"); nullopt otherwise.
std::optional<double> Number(const boost::json::value* v);

// The largest count, offset or page number a board's JSON is taken at:
// 2^53, the largest a double holds exactly. Sums of two stay far inside
// int64_t, so paging arithmetic on them cannot overflow.
inline constexpr std::int64_t kMaxCount = std::int64_t{1} << 53;

// A count, offset, limit or page number: Number's value when it is whole and
// in [0, kMaxCount], else nullopt. The one way the board readers turn a JSON
// number into an integer: a cast of 1e19 or NaN to an integer is undefined.
std::optional<std::int64_t> Count(const boost::json::value* v);

// The two bounds of one amount range ("minValue", "maxValue"), each as
// Number reads it, except that a bound written as a string that reads two
// ways ("12.500": 12500 or 12.5, model/decimal.h OtherDecimalReading) takes
// the reading nearer (by ratio) to the other bound when that one reads one
// way only ("12.500" beside 15 is 12.5; beside 15000, 12500). Alone, or
// beside another such string, the grouped reading stands (de "12.500").
void ReadBounds(const boost::json::value* lo, const boost::json::value* hi, std::optional<double>& min,
                std::optional<double>& max);

// Two bounds (or one amount, `hi` null) that Number reads neither of but
// that are written ("$80,000", "80,000 USD", "USD 80,000", "80k") as salary
// text: as written, joined by " - ", then `currency` and "/" `period` where
// stated ("$80,000 - $90,000 USD/YEAR"), for the salary normalizer, which
// reads each such form. nullopt when a bound reads as a number or none is
// written.
std::optional<std::string> BoundsText(const boost::json::value* lo, const boost::json::value* hi,
                                      const std::optional<std::string>& currency,
                                      const std::optional<std::string>& period);

// True when "@type" names `type` ("JobPosting", "schema:JobPosting",
// "http://schema.org/JobPosting", or an array holding one of them).
bool HasType(const boost::json::object& o, std::string_view type);

// schema.org's employment type values for the common spellings
// ("full-time" → FULL_TIME, "Contract" → CONTRACTOR); others upper-cased.
std::string EmploymentType(std::string_view raw);

// A URL value resolved against `page_url` and made canonical.
std::optional<std::string> Url(const boost::json::value* v, std::string_view page_url);

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_JSON_VALUES_H_
