// The entry point of parsers/: one fetched page in, postings and links out.
#ifndef JOBTRAWL_PARSERS_EXTRACTOR_H_
#define JOBTRAWL_PARSERS_EXTRACTOR_H_

#include <memory>
#include <string>
#include <string_view>

#include "model/posting.h"

struct GumboInternalNode;
using GumboNode = GumboInternalNode;

namespace re2 {
class RE2;
}

namespace jobtrawl::parsers {

class HtmlDocument;

struct ExtractOptions {
  // RE2 patterns matched anywhere in a link's absolute URL; empty: none.
  std::string detail_pattern;
  std::string next_pattern;
  // CSS selectors whose matches' href are detail / further listing pages.
  std::string detail_css;
  std::string next_css;
  // Selector fields: for each posting field, CSS selectors tried in order,
  // each optionally ending in "@attribute". They fill what structured data
  // lacks; with `item`, each element it matches on a listing page is one
  // posting and the selectors are relative to it.
  struct Field {
    std::string field;
    std::vector<std::string> selectors;
  };
  std::vector<Field> fields;
  std::string item;
};

// Built once per source, then used from any number of threads at once.
class Extractor {
 public:
  // Invalid patterns (config validation rejects them first) match nothing.
  explicit Extractor(const ExtractOptions& options);
  ~Extractor();
  Extractor(const Extractor&) = delete;
  Extractor& operator=(const Extractor&) = delete;

  // Extracts from `body`, fetched from the absolute `url`. Listing pages are
  // parsed into a tree for their links; a detail page gets a tree only when
  // selector fields must fill what its structured data lacks. Never fails:
  // what cannot be read is skipped and counted in the result.
  Extracted Extract(std::string_view url, std::string_view body, Link::Role role) const;

  // The links to follow from a listing page (exposed for tests and tools).
  std::vector<Link> FindLinks(std::string_view url, std::string_view body) const;

 private:
  struct Compiled;
  std::vector<Link> Links(const HtmlDocument& doc, std::string_view url,
                          const std::string& base) const;
  void Fill(Posting& p, const GumboNode& scope, const std::string& base, bool only_missing) const;

  std::unique_ptr<re2::RE2> detail_;
  std::unique_ptr<re2::RE2> next_;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_EXTRACTOR_H_
