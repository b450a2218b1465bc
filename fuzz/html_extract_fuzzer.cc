// HTML pages end to end, as a crawl reads them: bytes are decoded to UTF-8
// (charset detection included), extracted as a listing or a detail page by
// JSON-LD, microdata and selector fields, and each posting is normalized.
// The first byte picks the role, the Content-Type and whether listing rows
// are read with `item`.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_checks.h"
#include "normalize/normalize.h"
#include "parsers/charset.h"
#include "parsers/extractor.h"

namespace {

using jobtrawl::parsers::ExtractOptions;
using jobtrawl::parsers::Extractor;

ExtractOptions Options(bool with_item) {
  ExtractOptions o{.detail_pattern = "/jobs?/[0-9]+", .next_pattern = "[?&]page=[0-9]+"};
  o.detail_css = "a.job, h2 > a";
  o.next_css = "a[rel~=next]";
  o.fields = {{"title", {"h1", ".title"}},
              {"company", {".company", "[itemprop=hiringOrganization]"}},
              {"location", {".location"}},
              {"salary", {".salary"}},
              {"date_posted", {"time@datetime"}},
              {"apply_url", {"a.apply@href"}},
              {"description", {".description"}}};
  if (with_item) o.item = "div.posting, li.job";
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  if (size < 1) return 0;
  static const Extractor plain(Options(false));
  static const Extractor rows(Options(true));
  static constexpr const char* kContentTypes[] = {"", "text/html", "text/html; charset=utf-8",
                                                  "text/html; charset=ISO-8859-1",
                                                  "text/html; charset=shift_jis"};
  const std::uint8_t control = data[0];
  std::string_view bytes = fuzz::AsText(data + 1, size - 1);

  auto decoded = parsers::DecodeToUtf8(bytes, kContentTypes[control % 5]);
  std::string_view html = decoded.View(bytes);
  fuzz::CheckUtf8(html);

  const Extractor& x = (control & 0x08) ? rows : plain;
  auto role = (control & 0x10) ? Link::Role::kListing : Link::Role::kDetail;
  Extracted e = x.Extract("https://jobs.example.com/careers/jobs/1?page=1", html, role);
  fuzz::CheckExtracted(e, /*input_is_utf8=*/true);

  const normalize::Context context{
      .fetched_at = std::chrono::system_clock::time_point(std::chrono::seconds(1790000000)),
      .country = (control & 0x20) ? "US" : ""};
  for (Posting& p : e.postings) {
    normalize::NormalizePosting(p, context);
    fuzz::CheckPostingText(p);
    // NormalizePosting is idempotent (normalize/normalize.h).
    Posting again = p;
    normalize::NormalizePosting(again, context);
    fuzz::Check(again == p);
  }
  return 0;
}
