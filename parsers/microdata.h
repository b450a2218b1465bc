// schema.org JobPosting from microdata (https://html.spec.whatwg.org/multipage/microdata.html)
// and RDFa Lite (https://www.w3.org/TR/rdfa-lite/): items are read into the
// JSON shape JSON-LD would give them and then read by the same code, so a
// posting says the same whichever of the three a page uses.
#ifndef JOBTRAWL_PARSERS_MICRODATA_H_
#define JOBTRAWL_PARSERS_MICRODATA_H_

#include <boost/json/fwd.hpp>
#include <string_view>

#include "model/posting.h"

namespace jobtrawl::parsers {

class PageBudget;

class HtmlDocument;

// True when `html` may hold a microdata or RDFa JobPosting: a cheap scan
// that decides whether the page needs a tree for it.
bool MayHaveMarkupJobPosting(std::string_view html);

// The page's top-level microdata and RDFa items as JSON-LD-shaped values
// ({"@type": "JobPosting", "title": ..., "jobLocation": {...}}), in
// document order. Properties: `content`, then the element's URL attribute
// (href, src, data), `datetime`/`value`, then its text; a `description`
// keeps its markup so its paragraphs and lists survive. Once `budget` (may
// be null) is spent, no further item is read.
boost::json::array ReadMarkupItems(const HtmlDocument& doc, PageBudget* budget = nullptr);

// Appends each JobPosting among the page's microdata and RDFa items.
// `budget` (may be null) is checked before each top-level item.
void ExtractMarkupPostings(const HtmlDocument& doc, std::string_view page_url, Extracted& out,
                           PageBudget* budget = nullptr);

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_MICRODATA_H_
