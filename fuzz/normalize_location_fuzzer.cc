// Locations: places, remote and scope from any text; the first byte picks
// the board's country.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_checks.h"
#include "normalize/location.h"

namespace {

bool IsCountryCode(const std::string& s) {
  return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  if (size < 1) return 0;
  static constexpr const char* kCountries[] = {"", "US", "GB", "IN", "DE", "CA", "AU", "FR"};
  std::string_view hint = kCountries[data[0] % 8];
  std::string_view text = fuzz::AsText(data + 1, size - 1);
  const bool utf8 = parsers::IsValidUtf8(text);

  auto result = normalize::ParseLocation(text, hint);
  for (std::size_t i = 0; i < result.places.size(); ++i) {
    const Place& p = result.places[i];
    if (p.country) fuzz::Check(IsCountryCode(*p.country));
    if (utf8) {
      fuzz::CheckUtf8(p.city);
      fuzz::CheckUtf8(p.region);
    }
    // Each place once.
    fuzz::Check(std::find(result.places.begin(), result.places.begin() + i, p) ==
                result.places.begin() + i);
  }
  if (result.remote) {
    fuzz::Check(*result.remote == "remote" || *result.remote == "hybrid" ||
                *result.remote == "onsite");
  }
  if (utf8) fuzz::CheckUtf8(result.scope);
  if (auto code = normalize::CountryCode(text)) fuzz::Check(IsCountryCode(*code));
  return 0;
}
