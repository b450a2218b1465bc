// schema.org JobPosting from JSON-LD (https://schema.org/JobPosting,
// https://www.w3.org/TR/json-ld11/). The page is scanned for
// <script type="application/ld+json"> blocks without building an HTML tree,
// so a detail page whose structured data says everything costs one pass.
#ifndef JOBTRAWL_PARSERS_JSON_LD_H_
#define JOBTRAWL_PARSERS_JSON_LD_H_

#include <boost/json/fwd.hpp>
#include <span>
#include <string_view>
#include <vector>

#include "model/posting.h"

namespace jobtrawl::parsers {

class PageBudget;

// The contents of every JSON-LD script block, in document order.
std::vector<std::string_view> FindJsonLdBlocks(std::string_view html);

// Appends each JobPosting found in the page's JSON-LD to `out.postings`
// (single objects, arrays, @graph, nested lists, several blocks) and counts
// blocks read and unreadable in `out`. `page_url` (absolute, canonical)
// is the posting's URL when the data gives none; relative URLs resolve
// against the page's <base href> if it has one, else against `page_url`
// (JSON-LD 1.1 §7.3: the HTML document's base URL);
// when several postings on one page have neither URL nor id, each gets
// "#job-<hash>" appended so they stay distinct listings.
// `budget` (may be null) is checked before each block.
void ExtractJsonLd(std::string_view html, std::string_view page_url, Extracted& out,
                   PageBudget* budget = nullptr);

// Appends each schema.org JobPosting in `v` (a JSON-LD value, or microdata
// read into the same shape), looking through arrays, @graph and nested
// objects; a JobPosting is read, not descended into.
void CollectJobPostings(const boost::json::value& v, std::string_view page_url, Extracted& out);

// Postings on one page with neither a URL nor an id of their own would all
// share the page's listing key; each gets "#job-<hash of title, company,
// location>" appended instead (stable from crawl to crawl).
void DistinguishInlinePostings(std::span<Posting> postings, std::string_view page_url);

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_JSON_LD_H_
