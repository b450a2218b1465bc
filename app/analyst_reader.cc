#include "app/analyst_reader.h"

#include "model/database_location.h"

#ifdef JOBTRAWL_HAVE_PG
#include "storage/pg/reader.h"
#endif

namespace jobtrawl::app {
namespace {

// Forwards to a reader of type R (storage::Reader or storage::pg::PgReader).
template <typename R>
class Forward final : public AnalystReader {
 public:
  explicit Forward(std::unique_ptr<R> r) : r_(std::move(r)) {}
  std::expected<std::vector<storage::Row>, Error> Search(const storage::PostingFilter& filter,
                                                         std::string_view mark_open,
                                                         std::string_view mark_close) override {
    return r_->Search(filter, mark_open, mark_close);
  }
  std::expected<std::int64_t, Error> Export(const storage::PostingFilter& filter,
                                            const std::function<bool(const storage::Row&)>& row) override {
    return r_->Export(filter, row);
  }
  std::expected<std::pair<std::vector<storage::SourceStats>, storage::Totals>, Error> Stats(
      std::string_view now) override {
    return r_->Stats(now);
  }

 private:
  std::unique_ptr<R> r_;
};

}  // namespace

std::expected<std::unique_ptr<AnalystReader>, Error> OpenAnalystReader(const std::string& database) {
  if (IsPostgresUrl(database)) {
#ifdef JOBTRAWL_HAVE_PG
    auto r = storage::pg::PgReader::Open(database);
    if (!r) return std::unexpected(r.error());
    return std::make_unique<Forward<storage::pg::PgReader>>(std::move(*r));
#else
    return std::unexpected(Error::InvalidArgument(
        "this jobtrawl was built without PostgreSQL support (libpq); it reads SQLite files only"));
#endif
  }
  auto r = storage::Reader::Open(database);
  if (!r) return std::unexpected(r.error());
  return std::make_unique<Forward<storage::Reader>>(std::move(*r));
}

}  // namespace jobtrawl::app
