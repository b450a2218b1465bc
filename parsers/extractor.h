// The entry point of parsers/: one fetched page in, postings and links out.
#ifndef JOBTRAWL_PARSERS_EXTRACTOR_H_
#define JOBTRAWL_PARSERS_EXTRACTOR_H_

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "model/posting.h"
#include "parsers/source_kind.h"

struct GumboInternalNode;
using GumboNode = GumboInternalNode;

namespace re2 {
class RE2;
}

namespace jobtrawl::parsers {

class HtmlDocument;
class PageBudget;

struct ExtractOptions {
  SourceKind kind = SourceKind::kHtml;
  // Feeds: item titles written "Company: Title" are split (see FeedOptions).
  bool company_in_title = false;
  // Fills `company` where the data names none (board APIs often do not).
  std::string company;
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
  // CPU time one page may take to extract. It is checked between units of work
  // (each JSON-LD block, feed or sitemap entry, board API entry, selector
  // item and microdata step); once spent, extraction stops and returns what
  // it has with Extracted::too_slow set. Zero: no limit.
  std::chrono::milliseconds page_budget{2000};
  // The clock the budget reads; empty: the extracting thread's CPU time.
  // Tests inject a fake one.
  std::function<std::chrono::steady_clock::time_point()> clock;
};

// Built once per source, then used from any number of threads at once.
class Extractor {
 public:
  // Invalid patterns (config validation rejects them first) match nothing.
  explicit Extractor(const ExtractOptions& options);
  ~Extractor();
  Extractor(const Extractor&) = delete;
  Extractor& operator=(const Extractor&) = delete;

  // Extracts from `body` (valid UTF-8), fetched from the absolute `url`, as
  // the source's kind reads it: board API JSON and feeds whole; a sitemap's
  // links; HTML pages by JSON-LD, then microdata/RDFa, then selector fields.
  // An HTML listing page is parsed into a tree for its links; a detail page
  // gets a tree only when markup or selector fields must fill what its
  // JSON-LD lacks. Never fails: what cannot be read is skipped and counted.
  // Past the page budget it stops early: `too_slow` is set, with a warning.
  // Links to file:// URLs are kept only when `url` is a file:// URL itself:
  // a page from the network cannot point the crawler at local files.
  // `post` (may be null) is the body a board API page was asked for with
  // by POST (see ExtractBoardApi).
  Extracted Extract(std::string_view url, std::string_view body, Link::Role role,
                    const PostBody* post = nullptr) const;

  // The role the follow patterns give a link to `url` (absolute,
  // canonical): kListing when `next_pattern` matches (it is checked first),
  // kDetail when `detail_pattern` does, else none. The crawl's links and
  // `jobtrawl parse` both take their roles from here.
  std::optional<Link::Role> RoleByPattern(std::string_view url) const;

  // The links to follow from a listing page (exposed for tests and tools).
  std::vector<Link> FindLinks(std::string_view url, std::string_view body) const;

 private:
  struct Compiled;
  std::vector<Link> Links(const HtmlDocument& doc, std::string_view url,
                          const std::string& base) const;
  void Fill(Posting& p, const GumboNode& scope, const std::string& base, bool only_missing) const;
  Extracted ExtractHtml(std::string_view url, std::string_view body, Link::Role role,
                        PageBudget& budget) const;

  SourceKind kind_;
  bool company_in_title_;
  std::string company_;
  std::chrono::milliseconds page_budget_;
  std::function<std::chrono::steady_clock::time_point()> clock_;

  std::unique_ptr<re2::RE2> detail_;
  std::unique_ptr<re2::RE2> next_;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_EXTRACTOR_H_
