#include "parsers/board_api.h"

#include <boost/json.hpp>
#include <utility>

#include "model/ascii.h"
#include "parsers/boards/common.h"
#include "parsers/boards/readers.h"
#include "parsers/lenient_json.h"
#include "parsers/page_budget.h"

namespace jobtrawl::parsers {
namespace {

boards::Reader ReaderFor(SourceKind kind) {
  using K = SourceKind;
  static constexpr std::pair<SourceKind, boards::Reader> kReaders[] = {
      {K::kGreenhouse, boards::Greenhouse},
      {K::kLever, boards::Lever},
      {K::kAshby, boards::Ashby},
      {K::kWorkable, boards::Workable},
      {K::kSmartRecruiters, boards::SmartRecruiters},
      {K::kRecruitee, boards::Recruitee},
      {K::kRemotive, boards::Remotive},
      {K::kRemoteOk, boards::RemoteOk},
      {K::kWorkday, boards::Workday},
      {K::kPersonio, boards::Personio},
      {K::kBreezy, boards::Breezy},
      {K::kRippling, boards::Rippling},
      {K::kHimalayas, boards::Himalayas},
      {K::kJobicy, boards::Jobicy},
      {K::kArbeitnow, boards::Arbeitnow},
      {K::kLandingJobs, boards::LandingJobs},
      {K::kFourDayWeek, boards::FourDayWeek},
      {K::kWorkingNomads, boards::WorkingNomads},
      {K::kTheMuse, boards::TheMuse},
      {K::kUsaJobs, boards::UsaJobs},
  };
  for (const auto& [k, reader] : kReaders) {
    if (k == kind) return reader;
  }
  return nullptr;
}

}  // namespace

void ExtractBoardApi(SourceKind kind, std::string_view url, std::string_view body, Extracted& out,
                     PageBudget* budget, const PostBody* post) {
  boards::Reader reader = ReaderFor(kind);
  if (reader == nullptr) return;
  ++out.structured_blocks;
  const boards::Response response{.url = url, .post = post, .budget = budget};
  // Personio's documented feed is XML; its search JSON is read below.
  if (kind == SourceKind::kPersonio && ascii::TrimLeft(body).starts_with('<')) {
    if (OutOfTime(budget, out)) return;
    boards::PersonioXml(body, response, out);
    return;
  }
  auto root = ParseLenientJson(body);
  if (!root) {
    ++out.broken_blocks;
    out.warnings.push_back("unreadable " + std::string(SourceKindName(kind)) + " API response of " +
                           std::to_string(body.size()) + " bytes");
    return;
  }
  if (OutOfTime(budget, out)) return;
  reader(*root, response, out);
}

}  // namespace jobtrawl::parsers
