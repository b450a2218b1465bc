// CSS selectors over Gumbo trees: the subset people write in scraper
// configs, matched as a browser's querySelectorAll would
// (https://www.w3.org/TR/selectors-4/).
//
// Supported: type and `*`, `#id`, `.class`, attribute selectors (`[a]`,
// `[a=v]`, `~=`, `|=`, `^=`, `$=`, `*=`, quoted values, the `i` and `s`
// flags), the combinators descendant, `>`, `+` and `~`, selector lists,
// `:first-child`, `:last-child`, `:only-child`, `:nth-child()`,
// `:nth-last-child()`, `:first-of-type`, `:last-of-type`, `:only-of-type`,
// `:nth-of-type()`, `:nth-last-of-type()` (an+b, odd, even), `:not()`,
// `:empty` and `:root`.
//
// Bounds: a selector is at most 2048 characters, with at most 64 compound
// selectors (:not() arguments included) and :not() nested at most 8 deep;
// Parse rejects more with an error saying which. Matching remembers each
// (element, compound) result for the length of one call, so SelectAll costs
// O(elements x compounds) whatever the tree and the combinators.
#ifndef JOBTRAWL_PARSERS_SELECTOR_H_
#define JOBTRAWL_PARSERS_SELECTOR_H_

#include <gumbo.h>

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace jobtrawl::parsers {

struct SelectorError {
  std::size_t position = 0;  // 0-based offset into the selector text
  std::string message;

  std::string ToString() const;  // "at column N: message" (1-based)
};

// Work done by one SelectAll call, for tests and benchmarks.
struct SelectStats {
  std::uint64_t steps = 0;  // compound selectors tested, and tree nodes walked
};

// Immutable after Parse; matching is safe from many threads at once.
class Selector {
 public:
  static std::expected<Selector, SelectorError> Parse(std::string_view text);

  Selector(Selector&&) noexcept;
  Selector& operator=(Selector&&) noexcept;
  ~Selector();

  bool Matches(const GumboNode& element) const;

  // The matching elements under `root` (itself excluded), in document order,
  // each once. `stats`, when given, counts the work done.
  std::vector<const GumboNode*> SelectAll(const GumboNode& root, SelectStats* stats = nullptr) const;
  const GumboNode* SelectFirst(const GumboNode& root) const;

  const std::string& text() const { return text_; }

 private:
  struct Impl;
  Selector(std::string text, std::unique_ptr<Impl> impl);
  std::string text_;
  std::unique_ptr<Impl> impl_;
};

// An element's text content, whitespace collapsed to single spaces and
// trimmed (what `jobtrawl select` prints).
std::string ElementText(const GumboNode& element);

// The element as HTML: its source text when Gumbo kept it (both tags
// written in the input), else a serialization.
std::string OuterHtml(const GumboNode& element);

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_SELECTOR_H_
