// Invariants the fuzzers assert on what the parsers give back. A broken
// invariant traps (__builtin_trap), so libFuzzer saves the input as a crash
// the same way a sanitizer report would.
#ifndef JOBTRAWL_FUZZ_FUZZ_CHECKS_H_
#define JOBTRAWL_FUZZ_FUZZ_CHECKS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "model/posting.h"
#include "parsers/charset.h"
#include "model/url.h"

namespace jobtrawl::fuzz {

inline void Check(bool ok) {
  if (!ok) __builtin_trap();
}

inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The text before the first `separator` and the text after it; all of it and
// nothing when there is none.
inline std::pair<std::string_view, std::string_view> SplitAt(std::string_view text,
                                                             char separator) {
  std::size_t at = text.find(separator);
  if (at == std::string_view::npos) return {text, {}};
  return {text.substr(0, at), text.substr(at + 1)};
}

inline void CheckUtf8(std::string_view s) { Check(parsers::IsValidUtf8(s)); }
inline void CheckUtf8(const std::string& s) { CheckUtf8(std::string_view(s)); }
inline void CheckUtf8(const std::optional<std::string>& s) {
  if (s) CheckUtf8(std::string_view(*s));
}

// Every text field of a posting read from valid UTF-8 is valid UTF-8, and
// "not stated" is nullopt, never the empty string (model/posting.h).
inline void CheckPostingText(const Posting& p) {
  for (const auto* field :
       {&p.title, &p.company, &p.location, &p.country, &p.remote, &p.employment_type,
        &p.salary_currency, &p.salary_period, &p.date_posted, &p.valid_through, &p.apply_url,
        &p.external_id, &p.description, &p.description_markdown, &p.salary_text}) {
    CheckUtf8(*field);
    Check(!field->has_value() || !(*field)->empty());
  }
  CheckUtf8(p.url);
}

// A canonical URL is its own canonical form.
inline void CheckCanonical(std::string_view url) {
  auto again = CanonicalUrl(url);
  Check(again.has_value() && *again == url);
}

// What a parser gives for valid UTF-8 input: valid UTF-8 postings and
// canonical links.
inline void CheckExtracted(const Extracted& e, bool input_is_utf8) {
  for (const Posting& p : e.postings) {
    if (input_is_utf8) CheckPostingText(p);
  }
  for (const Link& l : e.links) {
    if (input_is_utf8) CheckUtf8(l.url);
    CheckCanonical(l.url);
  }
  Check(e.broken_blocks <= e.structured_blocks);
  Check(e.skipped >= 0);
}

}  // namespace jobtrawl::fuzz

#endif  // JOBTRAWL_FUZZ_FUZZ_CHECKS_H_
