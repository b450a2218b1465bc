#include "config/units.h"

#include <gtest/gtest.h>

namespace jobtrawl::config {
namespace {

using std::chrono::milliseconds;

TEST(UnitsTest, ParsesDurationsAsPeopleWriteThem) {
  // Durations in config files carry their unit and may combine terms.
  struct Case {
    const char* text;
    long long ms;
  } cases[] = {{"500ms", 500},      {"30s", 30000},      {"1h30m", 5400000}, {"2d", 172800000},
               {"1.5h", 5400000},   {"1m 30s", 90000},   {" 10 s ", 10000},  {"0s", 0}};
  for (const auto& c : cases) {
    auto d = ParseDuration(c.text);
    ASSERT_TRUE(d.has_value()) << c.text << ": " << d.error();
    EXPECT_EQ(d->count(), c.ms) << c.text;
  }
}

TEST(UnitsTest, RejectsDurationsWithoutUnitOrWithUnknownUnit) {
  // A bare number is ambiguous (seconds? milliseconds?), so it is refused.
  for (const char* text : {"", "30", "5 minutes", "1h30", "abc", "-5s", "1y"}) {
    EXPECT_FALSE(ParseDuration(text).has_value()) << text;
  }
  EXPECT_NE(ParseDuration("3w").error().find("unknown unit \"w\""), std::string::npos);
}

TEST(UnitsTest, ParsesSizesDecimalAndBinary) {
  // KB/MB/GB are SI powers of 1000; KiB/MiB/GiB are powers of 1024.
  struct Case {
    const char* text;
    unsigned long long bytes;
  } cases[] = {{"10MB", 10000000},  {"512KiB", 524288}, {"1GiB", 1073741824},
               {"100B", 100},       {"4096", 4096},     {"1.5 MB", 1500000}};
  for (const auto& c : cases) {
    auto s = ParseSize(c.text);
    ASSERT_TRUE(s.has_value()) << c.text << ": " << s.error();
    EXPECT_EQ(*s, c.bytes) << c.text;
  }
  for (const char* text : {"", "MB", "10 XB", "10MB extra", "-1KB"}) {
    EXPECT_FALSE(ParseSize(text).has_value()) << text;
  }
}

TEST(UnitsTest, FormatsRoundTrip) {
  EXPECT_EQ(FormatDuration(milliseconds(5400000)), "1h30m");
  EXPECT_EQ(FormatDuration(milliseconds(1500)), "1s500ms");
  EXPECT_EQ(FormatSize(10000000), "10MB");
  EXPECT_EQ(FormatSize(1234), "1234B");
}

}  // namespace
}  // namespace jobtrawl::config
