// Board APIs: the public JSON of the applicant-tracking systems that host
// most company career pages, and of remote-work boards. Each adapter maps the
// provider's documented response shape to postings; board-native ids become
// `external_id` (and so the listing key).
#ifndef JOBTRAWL_PARSERS_BOARD_API_H_
#define JOBTRAWL_PARSERS_BOARD_API_H_

#include <string_view>

#include "model/posting.h"
#include "parsers/source_kind.h"

namespace jobtrawl::parsers {

class PageBudget;

// Reads one API response fetched from `url` (absolute, canonical). Postings
// go to `out.postings`, further result pages to `out.links` (kListing).
// Unreadable JSON counts as a broken block with a warning; entries without a
// title are skipped and counted in `out.skipped`. `kind` must be a board API
// kind (IsBoardApi).
// `budget` (may be null) is checked before each entry is kept; once spent,
// later entries are dropped. `post` (may be null) is the body a POST
// response was asked with: Workday's further search pages are the same POST
// with a later offset (links with `post` set). Personio's body may be its
// XML feed or its search JSON.
void ExtractBoardApi(SourceKind kind, std::string_view url, std::string_view body, Extracted& out,
                     PageBudget* budget = nullptr, const PostBody* post = nullptr);

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_BOARD_API_H_
