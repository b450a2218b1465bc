// model/decimal.h: the one reader of written amounts.
#include "model/decimal.h"

#include <gtest/gtest.h>

namespace jobtrawl {
namespace {

std::string Read(std::string_view text) {
  auto v = ParseDecimal(text);
  return v ? std::to_string(*v) : "none";
}

TEST(DecimalTest, GroupingAndDecimalSeparatorsOfEveryConvention) {
  // UTS #35 Part 3 §2.3 number symbols "group" and "decimal" as the
  // locales boards write in use them.
  const std::pair<std::string_view, double> cases[] = {
      {"130,000", 130000},       {"130000.00", 130000},     {"4.000,50", 4000.5},    {"4,000.50", 4000.5},
      {"55.000", 55000},         {"1.234.567", 1234567},    {"1,234,567", 1234567},  {"6,00,000", 600000},
      {"100 000", 100000},       {"100'000", 100000},       {"100 000,50", 100000.5}, {"12.5", 12.5},
      {"1,5", 1.5},              {"18.50", 18.5},           {"1234.567", 1234.567},  {"85000.000", 85000},
      {"  42 ", 42},             {"-5", -5},                {"1e5", 100000},         {".5", 0.5},
  };
  for (const auto& [text, value] : cases) {
    auto v = ParseDecimal(text);
    ASSERT_TRUE(v) << text;
    EXPECT_DOUBLE_EQ(*v, value) << text;
  }
  for (std::string_view text : {"", "abc", "4.000,50 EUR", "1-2", "12 34", "nan", "inf",
                                "1e999"}) {
    EXPECT_EQ(Read(text), "none") << text;
  }
}

TEST(DecimalTest, ALeadingZeroIsNoGroup) {
  // A group separator follows a first group of a number of at least a
  // thousand (UTS #35 Part 3 §2.3); "0.500" is a half, never 500.
  const std::pair<std::string_view, double> cases[] = {
      {"0.500", 0.5}, {"0,500", 0.5}, {"0.125", 0.125}, {"0,750", 0.75}, {"00.500", 0.5},
  };
  for (const auto& [text, value] : cases) {
    auto v = ParseDecimal(text);
    ASSERT_TRUE(v) << text;
    EXPECT_DOUBLE_EQ(*v, value) << text;
  }
}

TEST(DecimalTest, TheOtherReadingOfALoneSeparator) {
  EXPECT_EQ(OtherDecimalReading("12.500"), 12.5);
  EXPECT_EQ(OtherDecimalReading("1,250"), 1.25);
  EXPECT_EQ(OtherDecimalReading(" 999.999 "), 999.999);
  for (std::string_view text : {"0.500", "1234.500", "12.50", "1.234.567", "1.234,56", "12500", "12.5000", "a.500"}) {
    EXPECT_EQ(OtherDecimalReading(text), std::nullopt) << text;
  }
}

TEST(DecimalTest, ReadsAsFarAsTheNumberGoes) {
  std::size_t end = 0;
  EXPECT_EQ(ReadDecimal("€4.000,50 - €5.000", 3, end), 4000.5);
  EXPECT_EQ(end, 11u);
  EXPECT_EQ(ReadDecimal("100 000 per year", 0, end), 100000);
  EXPECT_EQ(end, 7u);
  EXPECT_EQ(ReadDecimal("40 hours", 0, end), 40);  // a space groups only before three digits
  EXPECT_EQ(end, 2u);
  EXPECT_EQ(ReadDecimal("x1", 0, end), std::nullopt);
  EXPECT_EQ(end, 0u);
}

}  // namespace
}  // namespace jobtrawl
