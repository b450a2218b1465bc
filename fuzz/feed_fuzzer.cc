// RSS, Atom and job XML feeds, and sitemaps. The first byte picks the reader
// and whether "Company: Title" item titles are split.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_checks.h"
#include "parsers/feed.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  if (size < 1) return 0;
  const std::uint8_t control = data[0];
  std::string_view body = fuzz::AsText(data + 1, size - 1);
  const bool utf8 = parsers::IsValidUtf8(body);
  Extracted e;
  if (control & 1) {
    parsers::ExtractSitemap("https://jobs.example.com/sitemap.xml", body, e);
    fuzz::Check(e.postings.empty());
    for (const Link& l : e.links) {
      // lastmod is empty or UTC "YYYY-MM-DDTHH:MM:SSZ".
      fuzz::Check(l.lastmod.empty() || (l.lastmod.size() == 20 && l.lastmod[10] == 'T' &&
                                        l.lastmod.back() == 'Z'));
    }
  } else {
    parsers::ExtractFeed("https://jobs.example.com/feed.xml", body,
                         {.company_in_title = (control & 2) != 0}, e);
  }
  fuzz::CheckExtracted(e, utf8);
  return 0;
}
