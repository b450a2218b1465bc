// Board API responses: the first byte picks the API kind, the rest is the body.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_checks.h"
#include "parsers/board_api.h"
#include "parsers/source_kind.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  using parsers::SourceKind;
  if (size < 1) return 0;
  static constexpr SourceKind kKinds[] = {
      SourceKind::kGreenhouse, SourceKind::kLever,     SourceKind::kAshby,
      SourceKind::kWorkable,   SourceKind::kSmartRecruiters, SourceKind::kRecruitee,
      SourceKind::kRemotive,   SourceKind::kRemoteOk};
  const SourceKind kind = kKinds[data[0] % 8];
  fuzz::Check(parsers::IsBoardApi(kind));
  const std::string url =
      CanonicalUrl(parsers::BoardApiUrl(kind, "acme").value_or("https://acme.example/api"))
          .value_or("https://acme.example/api");
  std::string_view body = fuzz::AsText(data + 1, size - 1);
  Extracted e;
  parsers::ExtractBoardApi(kind, url, body, e);
  fuzz::CheckExtracted(e, parsers::IsValidUtf8(body));
  return 0;
}
