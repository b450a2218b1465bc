// Microdata and RDFa Lite JobPostings over a Gumbo tree.
#include <boost/json/array.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_checks.h"
#include "parsers/html_document.h"
#include "parsers/microdata.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  std::string html(fuzz::AsText(data, size));
  const bool utf8 = parsers::IsValidUtf8(html);
  const bool may_have = parsers::MayHaveMarkupJobPosting(html);
  parsers::HtmlDocument doc(html);
  parsers::ReadMarkupItems(doc);
  Extracted e;
  parsers::ExtractMarkupPostings(doc, "https://jobs.example.com/careers/jobs/1", e);
  fuzz::CheckExtracted(e, utf8);
  // The cheap scan that decides whether a page needs a tree never misses a
  // posting the tree would give.
  if (!may_have) fuzz::Check(e.postings.empty());
  return 0;
}
