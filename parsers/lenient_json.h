// JSON as real sites write it inside <script type="application/ld+json">:
// trailing commas, comments, raw newlines and tabs inside strings, invalid
// escapes such as \', HTML entities over the whole block (&quot;), CDATA and
// comment wrappers, several values back to back, and JavaScript object
// literals (unquoted keys, '...' and `...` strings). Standard JSON first;
// each repair is tried only when the text before it failed. A \u escape
// that is no character (a lone UTF-16 surrogate, an escape cut short) reads
// as U+FFFD in every attempt.
#ifndef JOBTRAWL_PARSERS_LENIENT_JSON_H_
#define JOBTRAWL_PARSERS_LENIENT_JSON_H_

#include <boost/json/value.hpp>
#include <optional>
#include <string_view>

namespace jobtrawl::parsers {

// The parsed value (an array when the block held several values), or
// nullopt when no repair made it readable. Never throws.
std::optional<boost::json::value> ParseLenientJson(std::string_view text);

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_LENIENT_JSON_H_
