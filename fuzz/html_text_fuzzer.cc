// HTML fragments to text and Markdown, and character references: valid
// UTF-8 in, valid UTF-8 out.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_checks.h"
#include "parsers/html_text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  std::string_view html = fuzz::AsText(data, size);
  const bool utf8 = parsers::IsValidUtf8(html);
  std::string outputs[] = {parsers::DecodeEntities(html), parsers::HtmlToText(html),
                           parsers::HtmlToMarkdown(html), parsers::FragmentToText(html),
                           parsers::CleanInlineText(html)};
  if (utf8) {
    for (const std::string& out : outputs) fuzz::CheckUtf8(out);
  }
  // One-line text has no line breaks and no space at either end.
  const std::string& inline_text = outputs[4];
  fuzz::Check(inline_text.find('\n') == std::string::npos);
  fuzz::Check(inline_text.empty() || (inline_text.front() != ' ' && inline_text.back() != ' '));
  return 0;
}
