// The database the analysts' commands read, on either engine (issue 15
// part 1): storage::Reader for a SQLite file, storage::pg::PgReader for a
// postgresql:// URL, behind one interface, so `search`, `export` and
// `stats` print the same formats from both. Both readers keep their own
// headers' contracts (storage/reader.h, storage/pg/reader.h); this only
// chooses between them.
#ifndef JOBTRAWL_APP_ANALYST_READER_H_
#define JOBTRAWL_APP_ANALYST_READER_H_

#include <expected>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/error.h"
#include "storage/reader.h"

namespace jobtrawl::app {

class AnalystReader {
 public:
  virtual ~AnalystReader() = default;
  virtual std::expected<std::vector<storage::Row>, Error> Search(const storage::PostingFilter& filter,
                                                                 std::string_view mark_open,
                                                                 std::string_view mark_close) = 0;
  virtual std::expected<std::int64_t, Error> Export(const storage::PostingFilter& filter,
                                                    const std::function<bool(const storage::Row&)>& row) = 0;
  virtual std::expected<std::pair<std::vector<storage::SourceStats>, storage::Totals>, Error> Stats(
      std::string_view now) = 0;
};

// Opens `database`: a PostgreSQL URI (IsPostgresUrl, model/
// database_location.h) with the PostgreSQL reader (an
// error naming the cause in a build without libpq), anything else as a
// SQLite file path.
std::expected<std::unique_ptr<AnalystReader>, Error> OpenAnalystReader(const std::string& database);

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_ANALYST_READER_H_
