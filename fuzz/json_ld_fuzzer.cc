// JSON-LD JobPostings: the input is a page, or a JSON-LD block when it holds
// no <script> (then it is wrapped in one), so the fuzzer can work on the JSON
// directly.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_checks.h"
#include "parsers/json_ld.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  std::string_view text = fuzz::AsText(data, size);
  std::string page;
  if (text.find("<script") == std::string_view::npos) {
    page = "<script type=\"application/ld+json\">";
    page.append(text);
    page.append("</script>");
  } else {
    page.assign(text);
  }
  const bool utf8 = parsers::IsValidUtf8(page);

  for (std::string_view block : parsers::FindJsonLdBlocks(page)) {
    // Blocks are views into the page.
    fuzz::Check(block.data() >= page.data() &&
                block.data() + block.size() <= page.data() + page.size());
  }
  Extracted e;
  parsers::ExtractJsonLd(page, "https://jobs.example.com/careers/jobs/1", e);
  fuzz::CheckExtracted(e, utf8);
  return 0;
}
