// The HTML standard's named character references: all 2,231 names of
// https://html.spec.whatwg.org/multipage/named-characters.html (2,125
// references, 106 of them also valid without the ";", the legacy forms).
//
// Compiled in from parsers/data/entities.tsv (written by
// scripts/make-entities-data) at build time; immutable and thread-safe.
#ifndef JOBTRAWL_PARSERS_NAMED_REFERENCES_H_
#define JOBTRAWL_PARSERS_NAMED_REFERENCES_H_

#include <cstddef>
#include <span>
#include <string_view>

namespace jobtrawl::parsers {

struct NamedReference {
  std::string_view name;  // without "&" and ";": "amp", "NotNestedLessLess"
  char32_t first = 0;     // the one or two code points it stands for
  char32_t second = 0;    // 0 when there is one
  bool legacy = false;    // also recognized without the ";"
};

// Every reference, sorted by name (byte order) for binary search.
std::span<const NamedReference> NamedReferences();

// The reference named exactly `name` (case-sensitive), or nullptr.
const NamedReference* FindNamedReference(std::string_view name);

// Length of the longest name in the list (without its ";").
inline constexpr std::size_t kMaxNamedReferenceLength = 31;
// Length of the longest legacy name ("frac12": 6).
inline constexpr std::size_t kMaxLegacyNameLength = 6;

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_NAMED_REFERENCES_H_
