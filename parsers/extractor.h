// The entry point of parsers/: one fetched page in, postings and links out.
#ifndef JOBTRAWL_PARSERS_EXTRACTOR_H_
#define JOBTRAWL_PARSERS_EXTRACTOR_H_

#include <memory>
#include <string>
#include <string_view>

#include "model/posting.h"

namespace re2 {
class RE2;
}

namespace jobtrawl::parsers {

struct ExtractOptions {
  // RE2 patterns matched anywhere in a link's absolute URL; empty: none.
  std::string detail_pattern;
  std::string next_pattern;
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
  // parsed into a tree for their links; detail pages are only scanned for
  // structured data, never parsed into a tree. Never fails: what cannot be
  // read is skipped and counted in the result.
  Extracted Extract(std::string_view url, std::string_view body, Link::Role role) const;

  // The links to follow from a listing page (exposed for tests and tools).
  std::vector<Link> FindLinks(std::string_view url, std::string_view body) const;

 private:
  std::unique_ptr<re2::RE2> detail_;
  std::unique_ptr<re2::RE2> next_;
};

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_EXTRACTOR_H_
