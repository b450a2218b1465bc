// A fresh directory under the system's temporary directory for one test,
// named "jobtrawl-PREFIX-PID-TESTNAME", removed with everything in it when
// the object goes (permissions are restored first, so a test that made it
// read-only still cleans up). Not thread-safe; one per test.
#ifndef JOBTRAWL_TESTS_SUPPORT_TEMP_DIR_H_
#define JOBTRAWL_TESTS_SUPPORT_TEMP_DIR_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace jobtrawl::testing {

class TempDir {
 public:
  explicit TempDir(std::string_view prefix) {
    path_ = std::filesystem::temp_directory_path() /
            ("jobtrawl-" + std::string(prefix) + "-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace jobtrawl::testing

#endif  // JOBTRAWL_TESTS_SUPPORT_TEMP_DIR_H_
