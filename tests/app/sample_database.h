// The sample database that docs/analysts.md shows its queries on: the
// bundled sample board (sample-board/) and a second board that carries
// copies of some of its jobs, both served by the in-process test server
// and crawled by the real pipeline six times at fixed times between
// 2026-10-14 and 2026-12-01, while jobs come, change and go.
#ifndef JOBTRAWL_TESTS_APP_SAMPLE_DATABASE_H_
#define JOBTRAWL_TESTS_APP_SAMPLE_DATABASE_H_

#include <filesystem>
#include <string>

namespace jobtrawl::testing {

// Creates the database at `path` (which must not exist). Returns "" or
// what went wrong.
std::string BuildSampleDatabase(const std::filesystem::path& path);

}  // namespace jobtrawl::testing

#endif  // JOBTRAWL_TESTS_APP_SAMPLE_DATABASE_H_
