// An HTML5 document parsed by Gumbo (https://github.com/google/gumbo-parser).
// Internal to parsers/: other modules see only extracted values.
#ifndef JOBTRAWL_PARSERS_HTML_DOCUMENT_H_
#define JOBTRAWL_PARSERS_HTML_DOCUMENT_H_

#include <gumbo.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace jobtrawl::parsers {

// Owns the input text and the tree parsed from it: Gumbo's nodes point into
// the text, so both live and die together. Immutable after construction and
// safe to read from several threads. Never fails: Gumbo recovers from any
// markup as browsers do. Gumbo's README asks for untrusted input to be
// bounded, and its tree building is quadratic in nesting depth, so input
// past 8 MiB, or past the point where elements nest deeper than 512, is
// left out of the tree (truncated() says so).
class HtmlDocument {
 public:
  explicit HtmlDocument(std::string html);
  HtmlDocument(const HtmlDocument&) = delete;
  HtmlDocument& operator=(const HtmlDocument&) = delete;

  const GumboNode* root() const { return output_->root; }          // the <html> element
  const GumboNode* document() const { return output_->document; }  // its parent
  std::string_view html() const { return html_; }

  // True when part of the input was left out; the reason, for warnings.
  bool truncated() const { return !truncated_reason_.empty(); }
  const std::string& truncated_reason() const { return truncated_reason_; }

  // Calls `visit` for each element in document order.
  void ForEachElement(const std::function<void(const GumboNode&)>& visit) const;

  // The attribute's value on an element, or nullptr.
  static const char* Attribute(const GumboNode& element, const char* name);

  // The href of the first <base> element, or empty.
  std::string_view BaseHref() const;

 private:
  struct OutputDeleter {
    void operator()(GumboOutput* output) const;
  };
  std::string truncated_reason_;
  const std::string html_;
  const std::unique_ptr<GumboOutput, OutputDeleter> output_;
};

// The length of the longest prefix of `html` in which elements nest at most
// `max_depth` deep, by a scan of its tags (void elements, elements whose end
// tag may be left out, comments and raw text such as <script> do not
// count); html.size() when the whole input qualifies.
std::size_t DepthBoundedPrefix(std::string_view html, int max_depth);

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_HTML_DOCUMENT_H_
