// The one reader of amounts written as decimal numbers: salaries in text
// and the string amounts board APIs send ("4.000,50", "130,000") both go
// through it, so one amount never reads as two values.
//
// Separators follow Unicode CLDR's number symbols (UTS #35 Part 3 §2.3,
// "group" and "decimal"), in every convention boards write:
// - grouping by "," (en), "." (de, es, pt), " " (fr, sv; ISO 80000-1 §7.3.1)
//   and "'" (de-CH), in threes or the Indian 2-2-3 ("6,00,000");
// - a decimal separator "." or ",".
// A lone "." or "," is the decimal separator unless exactly three digits
// follow it and at most three precede it ("12.5", "1,5", "1234.567" are
// decimals; "55.000", "100,000" are grouped; "0.500" is a decimal, as a
// first group of zeros groups nothing); with both kinds, the last is
// the decimal separator ("1.234,56", "1,234.56"); one kind repeated groups
// ("1.234.567"). " " and "'" only group, and only before exactly three
// digits after a group of at most three. No sign, exponent or currency.
//
// Pure, thread-safe, allocation-free.
#ifndef JOBTRAWL_MODEL_DECIMAL_H_
#define JOBTRAWL_MODEL_DECIMAL_H_

#include <cstddef>
#include <optional>
#include <string_view>

namespace jobtrawl {

// The number starting at text[at] (a digit), read as far as it goes; `end`
// is set past its last digit (also when nullopt). nullopt when text[at] is
// not a digit, or the number has more than 15 significant characters (no
// amount is that precise; double keeps 15 digits exactly).
std::optional<double> ReadDecimal(std::string_view text, std::size_t at, std::size_t& end);

// The other reading of a number ReadDecimal reads as grouped but could be
// a decimal: one lone "." or "," after one to three digits (not all zeros)
// and before exactly three ("12.500" → 12.5, "1,250" → 1.25); nullopt for
// any other text. Callers with a second figure of the same amount (the
// other bound of a range) choose between the readings with it.
std::optional<double> OtherDecimalReading(std::string_view text);

// `text` (ASCII blanks around it ignored) when it is one number and nothing
// else: ReadDecimal's forms, and the plain forms JSON and C write ("-5",
// "1e5", ".5"); nullopt for anything else or a value not finite.
std::optional<double> ParseDecimal(std::string_view text);

}  // namespace jobtrawl

#endif  // JOBTRAWL_MODEL_DECIMAL_H_
