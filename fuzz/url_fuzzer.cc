// URL resolution and canonicalization: the input up to the first newline is
// the base, the rest the reference. A canonical URL is its own canonical
// form, and resolving it against anything gives it back.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_checks.h"
#include "model/url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  auto [base, ref] = fuzz::SplitAt(fuzz::AsText(data, size), '\n');
  for (std::string_view url : {base, ref}) {
    if (auto canonical = CanonicalUrl(url)) {
      fuzz::CheckCanonical(*canonical);
    }
  }
  if (auto resolved = ResolveUrl(base, ref)) {
    if (auto canonical = CanonicalUrl(*resolved)) {
      fuzz::CheckCanonical(*canonical);
      auto again = ResolveUrl(base, *canonical);
      fuzz::Check(again.has_value());
      fuzz::Check(CanonicalUrl(*again) == canonical);
    }
  }
  IsTrackingParameter(ref);
  return 0;
}
