// Board API responses: the first byte picks the API kind, the rest is the
// body (Workday's read as the answer to its first search POST).
#include <cstddef>
#include <cstdint>
#include <iterator>

#include "fuzz/fuzz_checks.h"
#include "parsers/board_api.h"
#include "parsers/source_kind.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  using parsers::SourceKind;
  if (size < 1) return 0;
  // In make_seeds.py's BOARD_KINDS order.
  static constexpr SourceKind kKinds[] = {
      SourceKind::kGreenhouse, SourceKind::kLever,     SourceKind::kAshby,
      SourceKind::kWorkable,   SourceKind::kSmartRecruiters, SourceKind::kRecruitee,
      SourceKind::kRemotive,   SourceKind::kRemoteOk,  SourceKind::kWorkday,
      SourceKind::kPersonio,   SourceKind::kBreezy,    SourceKind::kRippling,
      SourceKind::kHimalayas,  SourceKind::kJobicy,    SourceKind::kArbeitnow,
      SourceKind::kLandingJobs, SourceKind::kFourDayWeek, SourceKind::kWorkingNomads,
      SourceKind::kTheMuse,    SourceKind::kUsaJobs};
  const SourceKind kind = kKinds[data[0] % std::size(kKinds)];
  fuzz::Check(parsers::IsBoardApi(kind));
  const std::string url =
      CanonicalUrl(parsers::BoardApiUrl(kind, kind == SourceKind::kWorkday ? "acme.wd5.myworkdayjobs.com/External"
                                                                            : "acme")
                       .value_or("https://acme.example/api"))
          .value_or("https://acme.example/api");
  const auto post = parsers::BoardApiStartPost(kind);
  std::string_view body = fuzz::AsText(data + 1, size - 1);
  Extracted e;
  parsers::ExtractBoardApi(kind, url, body, e, nullptr, post ? &*post : nullptr);
  fuzz::CheckExtracted(e, parsers::IsValidUtf8(body));
  return 0;
}
