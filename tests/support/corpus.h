// Reading test inputs: real pages saved from the web (../shared/corpus,
// JOBTRAWL_CORPUS_DIR) and files of the project. Tests skip cleanly when the
// corpus is absent, which ReadCorpus signals with an empty string.
#ifndef JOBTRAWL_TESTS_SUPPORT_CORPUS_H_
#define JOBTRAWL_TESTS_SUPPORT_CORPUS_H_

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace jobtrawl::testing {

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A corpus file by its path under the corpus folder; empty when absent.
inline std::string ReadCorpus(const std::string& relative) {
  return ReadFile(std::filesystem::path(JOBTRAWL_CORPUS_DIR) / relative);
}

}  // namespace jobtrawl::testing

#endif  // JOBTRAWL_TESTS_SUPPORT_CORPUS_H_
