// The one date reader (model/date_time.h): a date read is within the stored
// years, formats to text that reads back to the same time, and an HTTP-date
// is one of the RFC 5322 family ParseDateTime also reads when in range.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_checks.h"
#include "model/date_time.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  using namespace std::chrono;
  const std::string_view text = fuzz::AsText(data, size);
  if (auto t = ParseDateTime(text)) {
    const year_month_day ymd{floor<days>(t->time)};
    fuzz::Check(ymd.ok() && ymd.year() >= year{kMinDateYear} && ymd.year() <= year{kMaxDateYear});
    if (!t->has_time) fuzz::Check(t->time == floor<days>(t->time));
    const std::string formatted = FormatDateTime(*t);
    auto again = ParseDateTime(formatted);
    fuzz::Check(again.has_value() && *again == *t);
  }
  if (auto h = ParseHttpDate(text)) {
    fuzz::Check(h->has_time);
    const year_month_day ymd{floor<days>(h->time)};
    if (ymd.year() <= year{kMaxDateYear}) {
      auto same = ParseDateTime(text);
      fuzz::Check(same.has_value() && *same == *h);
    }
  }
  return 0;
}
