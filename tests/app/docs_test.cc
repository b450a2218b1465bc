// The man pages and the shell completion cover the whole CLI and config
// (issue 13, part 8): a subcommand, option or config key added without them
// fails here.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "config/config.h"

namespace jobtrawl {
namespace {

std::string RunJobtrawl(const std::string& args) {
  const std::string command = std::string(JOBTRAWL_BINARY) + " " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  if (pipe == nullptr) return out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  ::pclose(pipe);
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The subcommands `jobtrawl --help` lists.
std::vector<std::string> Subcommands() {
  const std::string help = RunJobtrawl("--help");
  std::vector<std::string> out;
  std::istringstream lines(help.substr(help.find("Subcommands:")));
  std::string line;
  std::getline(lines, line);
  static const std::regex kName(R"(^  ([a-z][a-z-]*)\s)");
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_search(line, m, kName)) out.push_back(m[1]);
  }
  return out;
}

// The options `jobtrawl SUB --help` lists, short and long ("-c", "--config").
std::set<std::string> Options(const std::string& sub) {
  const std::string help = RunJobtrawl(sub + " --help");
  std::set<std::string> out;
  std::istringstream lines(help.substr(help.find("Options:")));
  std::string line;
  static const std::regex kOption(R"(^  (-[a-zA-Z])?,?(--[a-z][a-z-]*)?)");
  while (std::getline(lines, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, kOption)) continue;
    if (m[1].matched) out.insert(m[1]);
    if (m[2].matched) out.insert(m[2]);
  }
  return out;
}

// "--parse-threads" as roff writes it: "\-\-parse\-threads".
std::string Roff(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '-') out += '\\';
    out += c;
  }
  return out;
}

TEST(DocsTest, ManPageAndCompletionNameEverySubcommandAndOption) {
  const std::string man = ReadFile(JOBTRAWL_SOURCE_DIR "/docs/man/jobtrawl.1");
  const std::string completion = ReadFile(JOBTRAWL_SOURCE_DIR "/app/completion/jobtrawl.bash");
  ASSERT_FALSE(man.empty());
  ASSERT_FALSE(completion.empty());
  const std::vector<std::string> subs = Subcommands();
  ASSERT_GE(subs.size(), 8u);
  for (const std::string& sub : subs) {
    EXPECT_NE(man.find(".B jobtrawl " + Roff(sub)), std::string::npos) << sub << " has no SYNOPSIS line";
    EXPECT_NE(man.find(".B " + Roff(sub) + "\n"), std::string::npos) << sub << " is not under COMMANDS";
    EXPECT_NE(completion.find("\n    " + sub + ")"), std::string::npos) << sub << " has no case in the completion";
    const std::set<std::string> options = Options(sub);
    EXPECT_FALSE(options.empty()) << sub;
    for (const std::string& o : options) {
      EXPECT_NE(man.find(Roff(o)), std::string::npos) << sub << " " << o << " is not in jobtrawl.1";
      EXPECT_NE(completion.find(o), std::string::npos) << sub << " " << o << " is not completed";
    }
  }
}

TEST(DocsTest, ConfigManPageNamesEveryKey) {
  const std::string man = ReadFile(JOBTRAWL_SOURCE_DIR "/docs/man/jobtrawl.toml.5");
  ASSERT_FALSE(man.empty());
  const std::vector<std::string> keys = config::ConfigKeys();
  ASSERT_GE(keys.size(), 40u);
  for (const std::string& key : keys) {
    const std::string name = key.substr(key.rfind('.') + 1);
    // Bold on a .B/.BR line of its table's section: ".BR delay " or ", " delay ".
    const std::regex bold("\n\\.BR? (.*[ \"])?" + name + "([ \"]|\n)");
    EXPECT_TRUE(std::regex_search(man, bold)) << key << " is not in jobtrawl.toml.5";
  }
}

TEST(DocsTest, ManPageJudgesASilentNodeByItsOwnLeaseTtl) {
  // app/nodes_command.cc: a node is silent once its heartbeat is older than
  // the [node] lease_ttl it registered with, not a fixed 2 minutes (the man
  // page said "the 2-minute lease").
  const std::string man = ReadFile(JOBTRAWL_SOURCE_DIR "/docs/man/jobtrawl.1");
  const std::size_t nodes = man.find(".B nodes\n");
  ASSERT_NE(nodes, std::string::npos);
  const std::string text = man.substr(nodes, man.find(".SH", nodes) - nodes);
  EXPECT_NE(text.find(".B [node] lease_ttl"), std::string::npos) << text;
  EXPECT_EQ(text.find("2\\-minute lease"), std::string::npos) << text;
}

TEST(DocsTest, HelpListsWhatTheManPageSaysOfExitCodes) {
  const std::string help = RunJobtrawl("--help");
  for (const char* code : {"0 ok", "1 some sources failed", "2 usage or config error", "3 database or file error",
                           "4 crawl skipped every source"}) {
    EXPECT_NE(help.find(code), std::string::npos) << code;
  }
  const std::string man = ReadFile(JOBTRAWL_SOURCE_DIR "/docs/man/jobtrawl.1");
  for (const char* code : {".B 0\n", ".B 1\n", ".B 2\n", ".B 3\n", ".B 4\n"}) {
    EXPECT_NE(man.find(code), std::string::npos) << code;
  }
}

}  // namespace
}  // namespace jobtrawl
