// JSON the commands print and export: amounts with a fraction as plain
// decimals. Boost.JSON 1.81 writes a double in exponent form ("2.05E1"),
// which `jobtrawl normalize salary`, `parse`, `search`, `export` and
// `stats` printed for every amount that was not whole.
#include "app/json_text.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "app/commands.h"

namespace jobtrawl::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(JsonTextTest, DoublesArePlainDecimals) {
  // Shortest form that reads back as the same double; a whole one keeps
  // ".0"; exponent form only for the very small and very large.
  EXPECT_EQ(JsonNumber(20.5), "20.5");
  EXPECT_EQ(JsonNumber(25.75), "25.75");
  EXPECT_EQ(JsonNumber(0.004), "0.004");
  EXPECT_EQ(JsonNumber(1.317), "1.317");
  EXPECT_EQ(JsonNumber(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(JsonNumber(10), "10.0");
  EXPECT_EQ(JsonNumber(0), "0.0");
  EXPECT_EQ(JsonNumber(-2.5), "-2.5");
  EXPECT_EQ(JsonNumber(123456789.125), "123456789.125");
  EXPECT_EQ(JsonNumber(1e-7), "1e-07");
  EXPECT_EQ(JsonNumber(1e21), "1e+21");
  EXPECT_EQ(JsonNumber(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(JsonNumber(std::nan("")), "null");
  // Everything else as boost::json::serialize writes it.
  const boost::json::value v = {{"min", 20.5}, {"n", 3}, {"s", "a \"b\"\n"}, {"none", nullptr},
                                {"list", {1.5, true, "x"}}, {"nested", {{"rate", 0.0}}}};
  const std::string text = JsonText(v);
  EXPECT_EQ(text, R"({"min":20.5,"n":3,"s":"a \"b\"\n","none":null,"list":[1.5,true,"x"],"nested":{"rate":0.0}})");
  EXPECT_EQ(boost::json::parse(text), v);
}

TEST(JsonTextTest, NormalizeSalaryPrintsAmountsAsPlainDecimals) {
  // `jobtrawl normalize salary '$20.50 - $25.75 per hour'` printed
  // "min":2.05E1.
  std::ostringstream out, err;
  ASSERT_EQ(NormalizeCommand({.what = "salary", .text = "$20.50 - $25.75 per hour", .country = "US"}, out, err), 0)
      << err.str();
  EXPECT_THAT(out.str(), HasSubstr(R"("min":20.5,"max":25.75,)"));
  EXPECT_THAT(out.str(), Not(HasSubstr("E1")));
}

TEST(JsonTextTest, ParsePrintsAmountsAsPlainDecimals) {
  // `jobtrawl parse` of a page whose salary is 20.5 an hour, in both forms.
  const auto file = std::filesystem::temp_directory_path() / ("jobtrawl-json-text-" + std::to_string(::getpid()) + ".html");
  {
    std::ofstream page(file);
    page << R"(<html><head><script type="application/ld+json">{"@type":"JobPosting","title":"Picker",)"
            R"("baseSalary":{"currency":"USD","value":{"minValue":20.5,"maxValue":25.75,"unitText":"HOUR"}}})"
            R"(</script></head><body></body></html>)";
  }
  for (bool pretty : {false, true}) {
    std::ostringstream out, err;
    ASSERT_EQ(ParseCommand({.file = file, .url = "https://jobs.example/1", .kind = "html", .pretty = pretty}, out,
                           err),
              0)
        << err.str();
    EXPECT_THAT(out.str(), HasSubstr(pretty ? R"("salary_min": 20.5)" : R"("salary_min":20.5)")) << out.str();
    EXPECT_THAT(out.str(), HasSubstr(pretty ? R"("salary_max": 25.75)" : R"("salary_max":25.75)")) << out.str();
  }
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace jobtrawl::app
