// Normalized postings: every posting says the same thing the same way,
// whatever the board wrote (README "Normalized fields"). Runs on the parse
// pool after extraction; pure functions of the posting and its context.
#ifndef JOBTRAWL_NORMALIZE_NORMALIZE_H_
#define JOBTRAWL_NORMALIZE_NORMALIZE_H_

#include <chrono>
#include <string>

#include "model/posting.h"

namespace jobtrawl::normalize {

struct Context {
  // When the page was fetched: "3 days ago" counts back from it, and dates
  // after it are not believed.
  std::chrono::system_clock::time_point fetched_at;
  // The board's country (ISO alpha-2, from the source's `country`), or
  // empty: it resolves shared currency symbols ("$", "£", "Rs."), orders
  // numeric dates and fills a missing country.
  std::string country;
};

// Normalizes `p` in place: text cleaned (NFC, invisible characters, white
// space); location into places; remote and its scope; salary (structured,
// board field or text) with currency, period and annual figures;
// employment types; seniority and title family; dates as UTC; title and
// company keys; skills; visa sponsorship, years of experience, language.
// What the board wrote stays in the *_raw fields. Idempotent.
void NormalizePosting(Posting& p, const Context& context);

}  // namespace jobtrawl::normalize

#endif  // JOBTRAWL_NORMALIZE_NORMALIZE_H_
