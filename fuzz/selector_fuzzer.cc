// CSS selectors: the input up to the first newline is the selector, the rest
// an HTML document to match it against.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_checks.h"
#include "parsers/html_document.h"
#include "parsers/selector.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  auto [text, html] = fuzz::SplitAt(fuzz::AsText(data, size), '\n');
  auto selector = parsers::Selector::Parse(text);
  if (!selector) {
    fuzz::Check(selector.error().position <= text.size());
    selector.error().ToString();
    return 0;
  }
  fuzz::Check(selector->text() == text);
  const bool utf8 = parsers::IsValidUtf8(html);
  parsers::HtmlDocument doc{std::string(html)};
  auto all = selector->SelectAll(*doc.document());
  const GumboNode* first = selector->SelectFirst(*doc.document());
  fuzz::Check(all.empty() ? first == nullptr : first == all.front());
  for (const GumboNode* node : all) {
    fuzz::Check(node->type == GUMBO_NODE_ELEMENT);
    fuzz::Check(selector->Matches(*node));
    std::string element_text = parsers::ElementText(*node);
    std::string outer = parsers::OuterHtml(*node);
    if (utf8) {
      fuzz::CheckUtf8(element_text);
      fuzz::CheckUtf8(outer);
    }
  }
  return 0;
}
