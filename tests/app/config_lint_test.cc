// check-config's warnings (issue 13, part 6: start-up traps).
#include "app/config_lint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/commands.h"

namespace jobtrawl::app {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

config::Config Parse(const std::string& text) {
  auto c = config::ParseConfig(text, "lint.toml", "/tmp");
  EXPECT_TRUE(c.has_value());
  config::Config out = c.value_or(config::Config{});
  out.path = "lint.toml";
  return out;
}

TEST(ConfigLintTest, NoSourceIsAWarningAboutTheWholeFile) {
  auto w = LintConfig(Parse("[http]\ndelay = \"2s\"\n"));
  ASSERT_THAT(w, SizeIs(1));
  EXPECT_EQ(w[0].line, 0);
  EXPECT_THAT(w[0].ToString(), HasSubstr("lint.toml: no [[source]]: there is nothing to crawl"));
}

TEST(ConfigLintTest, PlainHttpWebhookToAnotherMachineIsAWarning) {
  // README "Alerts": a webhook URL and its payloads travel unencrypted over http.
  const std::string source = "[[source]]\nname = \"a\"\nstart = \"https://a.example/\"\n";
  auto w = LintConfig(Parse(source + "[[alert]]\nname = \"x\"\nwebhook = \"http://hooks.example.com/t0ken\"\n"));
  ASSERT_THAT(w, SizeIs(1));
  EXPECT_THAT(w[0].ToString(), HasSubstr("lint.toml:4:1: alert \"x\": webhook http://hooks.example.com/t0ken is plain http"));
  EXPECT_THAT(LintConfig(Parse(source + "[[alert]]\nname = \"x\"\nwebhook = \"http://127.0.0.1:8080/\"\n")), IsEmpty());
  EXPECT_THAT(LintConfig(Parse(source + "[[alert]]\nname = \"x\"\nwebhook = \"https://hooks.example.com/\"\n")), IsEmpty());
}

TEST(ConfigLintTest, StartUrlOnARefusedAddressIsNamedWithItsSourcesPlace) {
  const std::string sources =
      "[[source]]\nname = \"local\"\nstart = \"http://127.0.0.1:8080/jobs\"\n"
      "\n[[source]]\nname = \"lan\"\nstart = [\"https://10.0.0.5/careers\", \"http://[::1]/x\", "
      "\"http://intranet.localhost/\"]\n"
      "\n[[source]]\nname = \"public\"\nstart = \"https://93.184.216.34/jobs\"\n";
  auto w = LintConfig(Parse(sources));
  ASSERT_THAT(w, SizeIs(4));
  EXPECT_EQ(w[0].ToString(),
            "lint.toml:1:1: source \"local\": start URL http://127.0.0.1:8080/jobs is on a loopback "
            "address, which is refused while allow_private_networks is off (set it in [http] or in the "
            "source)");
  EXPECT_EQ(w[1].line, 5);
  EXPECT_THAT(w[1].message, HasSubstr("https://10.0.0.5/careers is on a private address"));
  EXPECT_THAT(w[2].message, HasSubstr("http://[::1]/x is on a loopback address"));
  EXPECT_THAT(w[3].message, HasSubstr("intranet.localhost/ is on a loopback address"));
  // Allowed for all sources, or for the one source: no warning.
  EXPECT_THAT(LintConfig(Parse("[http]\nallow_private_networks = true\n" + sources)), IsEmpty());
  EXPECT_THAT(LintConfig(Parse("[[source]]\nname = \"local\"\nstart = \"http://127.0.0.1/\"\n"
                               "allow_private_networks = true\n")),
              IsEmpty());
}

// review13: the crawler refuses these as loopback (curl reads IPv4 the way
// inet_aton does: one 32-bit number, hex, a short form), but check-config
// --strict let all three through, so a typo'd or obfuscated local start URL
// reached the crawl and failed every page as forbidden_address.
TEST(ConfigLintTest, StartUrlOnALoopbackAddressInAnotherSpelling) {
  auto w = LintConfig(Parse("[[source]]\nname = \"spelt\"\nstart = [\"http://2130706433/jobs\", "
                            "\"http://0x7f000001/jobs\", \"http://127.1/jobs\"]\n"));
  ASSERT_THAT(w, SizeIs(3));
  EXPECT_THAT(w[0].message, HasSubstr("http://2130706433/jobs is on a loopback address"));
  EXPECT_THAT(w[1].message, HasSubstr("http://0x7f000001/jobs is on a loopback address"));
  EXPECT_THAT(w[2].message, HasSubstr("http://127.1/jobs is on a loopback address"));
}

TEST(ConfigLintTest, HtmlSourceOnABoardThatAnApiKindReads) {
  auto w = LintConfig(Parse("[[source]]\nname = \"acme\"\nstart = \"https://boards.greenhouse.io/acme\"\n"
                            "[[source]]\nname = \"rec\"\nstart = \"https://acme.recruitee.com/\"\n"
                            "[[source]]\nname = \"api\"\nkind = \"greenhouse\"\nboard = \"acme\"\n"));
  ASSERT_THAT(w, SizeIs(2));
  EXPECT_THAT(w[0].message, HasSubstr("boards.greenhouse.io is a greenhouse board; kind = \"greenhouse\""));
  EXPECT_THAT(w[1].message, HasSubstr("acme.recruitee.com is a recruitee board"));
}

TEST(ConfigLintTest, CheckConfigPrintsWarningsAndStrictFailsOnThem) {
  auto file = std::filesystem::temp_directory_path() / ("jobtrawl-lint-" + std::to_string(::getpid()) + ".toml");
  { std::ofstream(file) << "[[source]]\nname = \"local\"\nstart = \"http://127.0.0.1/jobs\"\n"; }
  std::ostringstream out, err;
  EXPECT_EQ(CheckConfigCommand(file, out, err), kExitOk);
  EXPECT_THAT(out.str(), HasSubstr(": ok, 1 source, database "));
  EXPECT_THAT(out.str(), HasSubstr(", 1 warning"));
  EXPECT_THAT(err.str(), HasSubstr(file.string() + ":1:1: warning: source \"local\": start URL"));
  std::ostringstream out2, err2;
  EXPECT_EQ(CheckConfigCommand(file, out2, err2, /*strict=*/true), kExitUsage);
  EXPECT_EQ(out2.str(), "");
  EXPECT_THAT(err2.str(), HasSubstr("1 warning (--strict)"));
  // A clean config passes --strict.
  { std::ofstream(file) << "[[source]]\nname = \"board\"\nstart = \"https://jobs.example.com/\"\n"; }
  std::ostringstream out3, err3;
  EXPECT_EQ(CheckConfigCommand(file, out3, err3, true), kExitOk);
  EXPECT_EQ(err3.str(), "");
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace jobtrawl::app
