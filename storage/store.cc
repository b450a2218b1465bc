#include "storage/store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <sqlite3.h>

#include <cstdio>
#include <optional>

namespace jobtrawl::storage {
namespace {

constexpr const char* kPostingFields =
    "title, company, location, country, remote, employment_type, salary_min, salary_max, "
    "salary_currency, salary_period, date_posted, valid_through, url, apply_url, external_id, "
    "description";

// NULL for "not stated", never '' or 0.
template <typename T>
void BindOpt(SQLite::Statement& s, int index, const std::optional<T>& v) {
  if (v) {
    s.bind(index, *v);
  } else {
    s.bind(index);
  }
}

// Binds the 16 posting fields to ?1..?16 in kPostingFields order.
void BindPosting(SQLite::Statement& s, const Posting& p) {
  BindOpt(s, 1, p.title);
  BindOpt(s, 2, p.company);
  BindOpt(s, 3, p.location);
  BindOpt(s, 4, p.country);
  BindOpt(s, 5, p.remote);
  BindOpt(s, 6, p.employment_type);
  BindOpt(s, 7, p.salary_min);
  BindOpt(s, 8, p.salary_max);
  BindOpt(s, 9, p.salary_currency);
  BindOpt(s, 10, p.salary_period);
  BindOpt(s, 11, p.date_posted);
  BindOpt(s, 12, p.valid_through);
  s.bind(13, p.url);
  BindOpt(s, 14, p.apply_url);
  BindOpt(s, 15, p.external_id);
  BindOpt(s, 16, p.description);
}

// FNV-1a, 64 bit: stable across builds and machines, which std::hash is not.
class Fnv1a {
 public:
  void Add(std::string_view s) {
    for (unsigned char c : s) {
      h_ ^= c;
      h_ *= 0x100000001b3ULL;
    }
  }
  void Field(const std::optional<std::string>& v) {
    Add(v ? "\x01" : "\x00");
    if (v) Add(*v);
    Add("\x1f");
  }
  void Field(const std::optional<double>& v) {
    if (v) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", *v);
      Field(std::optional<std::string>(buf));
    } else {
      Field(std::optional<std::string>());
    }
  }
  std::string Hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h_));
    return buf;
  }

 private:
  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

Error StorageError(const char* what, const SQLite::Exception& e) {
  return Error::Storage(std::string(what) + ": " + e.what() + " (SQLite code " +
                        std::to_string(e.getExtendedErrorCode()) + ")");
}

}  // namespace

// Prepared once, reset and rebound for each use.
struct PostingStore::Statements {
  explicit Statements(SQLite::Database& db)
      : find_listing(db, "SELECT id, posting_id, content_hash FROM listings "
                         "WHERE source_id = ? AND key = ?"),
        insert_posting(db, std::string("INSERT INTO postings (") + kPostingFields +
                               ", content_hash, first_seen, last_seen) VALUES "
                               "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,"
                               "?17,?18,?18)"),
        update_posting(db, "UPDATE postings SET title=?1, company=?2, location=?3, country=?4, "
                           "remote=?5, employment_type=?6, salary_min=?7, salary_max=?8, "
                           "salary_currency=?9, salary_period=?10, date_posted=?11, "
                           "valid_through=?12, url=?13, apply_url=?14, external_id=?15, "
                           "description=?16, content_hash=?17, last_seen=?18, updated_at=?18, "
                           "closed_at=NULL WHERE id=?19"),
        touch_posting(db, "UPDATE postings SET last_seen=?1, closed_at=NULL WHERE id=?2"),
        insert_listing(db, "INSERT INTO listings (posting_id, source_id, key, url, external_id, "
                           "content_hash, first_seen, last_seen) VALUES (?,?,?,?,?,?,?7,?7)"),
        update_listing(db, "UPDATE listings SET url=?1, content_hash=?2, last_seen=?3, "
                           "closed_at=NULL WHERE id=?4") {}

  SQLite::Statement find_listing;
  SQLite::Statement insert_posting;
  SQLite::Statement update_posting;
  SQLite::Statement touch_posting;
  SQLite::Statement insert_listing;
  SQLite::Statement update_listing;
};

PostingStore::PostingStore(std::unique_ptr<SQLite::Database> db)
    : db_(std::move(db)), stmts_(std::make_unique<Statements>(*db_)) {}

PostingStore::~PostingStore() = default;

std::expected<std::unique_ptr<PostingStore>, Error> PostingStore::Open(
    const std::filesystem::path& path) {
  try {
    auto db = std::make_unique<SQLite::Database>(
        path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX);
    db->setBusyTimeout(10000);
    db->exec("PRAGMA foreign_keys = ON");
    // WAL lets analysts read while a crawl writes; NORMAL is durable at
    // checkpoints and never corrupts, which is what a crawl database needs.
    db->exec("PRAGMA journal_mode = WAL");
    db->exec("PRAGMA synchronous = NORMAL");
    if (auto migrated = Migrate(*db, LatestSchemaVersion()); !migrated) {
      return std::unexpected(migrated.error());
    }
    return std::unique_ptr<PostingStore>(new PostingStore(std::move(db)));
  } catch (const SQLite::Exception& e) {
    return std::unexpected(StorageError(("cannot open database " + path.string()).c_str(), e));
  }
}

int PostingStore::SchemaVersion() const {
  try {
    return db_->execAndGet("PRAGMA user_version").getInt();
  } catch (const SQLite::Exception&) {
    return -1;
  }
}

std::expected<void, Error> PostingStore::Begin() {
  try {
    db_->exec("BEGIN IMMEDIATE");
    return {};
  } catch (const SQLite::Exception& e) {
    return std::unexpected(StorageError("begin", e));
  }
}

std::expected<void, Error> PostingStore::Commit() {
  try {
    db_->exec("COMMIT");
    return {};
  } catch (const SQLite::Exception& e) {
    return std::unexpected(StorageError("commit", e));
  }
}

void PostingStore::Rollback() noexcept {
  db_->tryExec("ROLLBACK");
}

std::expected<std::int64_t, Error> PostingStore::EnsureSource(std::string_view name,
                                                              std::string_view kind,
                                                              std::string_view now) {
  try {
    SQLite::Statement insert(*db_,
                             "INSERT INTO sources (name, kind, created_at) VALUES (?, ?, ?) "
                             "ON CONFLICT(name) DO UPDATE SET kind = excluded.kind");
    insert.bind(1, std::string(name));
    insert.bind(2, std::string(kind));
    insert.bind(3, std::string(now));
    insert.exec();
    SQLite::Statement select(*db_, "SELECT id FROM sources WHERE name = ?");
    select.bind(1, std::string(name));
    select.executeStep();
    return select.getColumn(0).getInt64();
  } catch (const SQLite::Exception& e) {
    return std::unexpected(StorageError("cannot record source", e));
  }
}

std::expected<std::int64_t, Error> PostingStore::BeginRun(std::int64_t source_id,
                                                          std::string_view now) {
  try {
    SQLite::Statement s(*db_,
                        "INSERT INTO crawl_runs (source_id, started_at, status) "
                        "VALUES (?, ?, 'running')");
    s.bind(1, source_id);
    s.bind(2, std::string(now));
    s.exec();
    return db_->getLastInsertRowid();
  } catch (const SQLite::Exception& e) {
    return std::unexpected(StorageError("cannot start crawl run", e));
  }
}

std::expected<void, Error> PostingStore::FinishRun(std::int64_t run_id, const RunRecord& r) {
  try {
    SQLite::Statement s(*db_,
                        "UPDATE crawl_runs SET finished_at=?, status=?, pages=?, bytes=?, "
                        "errors=?, new_postings=?, updated_postings=?, unchanged_postings=?, "
                        "message=? WHERE id=?");
    s.bind(1, r.finished_at);
    s.bind(2, r.status);
    s.bind(3, r.pages);
    s.bind(4, r.bytes);
    s.bind(5, r.errors);
    s.bind(6, r.counts.new_postings);
    s.bind(7, r.counts.updated);
    s.bind(8, r.counts.unchanged);
    if (r.message.empty()) {
      s.bind(9);
    } else {
      s.bind(9, r.message);
    }
    s.bind(10, run_id);
    s.exec();
    return {};
  } catch (const SQLite::Exception& e) {
    return std::unexpected(StorageError("cannot finish crawl run", e));
  }
}

std::expected<void, Error> PostingStore::RecordError(std::int64_t run_id, const CrawlError& error,
                                                     std::string_view now) {
  try {
    SQLite::Statement s(*db_,
                        "INSERT INTO crawl_errors (run_id, url, kind, status, message, at) "
                        "VALUES (?, ?, ?, ?, ?, ?)");
    s.bind(1, run_id);
    s.bind(2, error.url);
    s.bind(3, error.kind);
    if (error.status != 0) {
      s.bind(4, static_cast<std::int64_t>(error.status));
    } else {
      s.bind(4);
    }
    s.bind(5, error.message);
    s.bind(6, std::string(now));
    s.exec();
    return {};
  } catch (const SQLite::Exception& e) {
    return std::unexpected(StorageError("cannot record crawl error", e));
  }
}

std::string PostingStore::ListingKey(const Posting& p) {
  return p.external_id ? "id:" + *p.external_id : "url:" + p.url;
}

std::string PostingStore::ContentHash(const Posting& p) {
  Fnv1a h;
  h.Field(p.title);
  h.Field(p.company);
  h.Field(p.location);
  h.Field(p.country);
  h.Field(p.remote);
  h.Field(p.employment_type);
  h.Field(p.salary_min);
  h.Field(p.salary_max);
  h.Field(p.salary_currency);
  h.Field(p.salary_period);
  h.Field(p.date_posted);
  h.Field(p.valid_through);
  h.Field(p.apply_url);
  h.Field(p.description);
  return h.Hex();
}

std::expected<UpsertCounts, Error> PostingStore::Upsert(std::int64_t source_id,
                                                        std::span<const Posting> postings,
                                                        std::string_view now_view) {
  UpsertCounts counts;
  const std::string now(now_view);
  const bool own_transaction = sqlite3_get_autocommit(db_->getHandle()) != 0;
  try {
    std::optional<SQLite::Transaction> tx;
    if (own_transaction) tx.emplace(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    Statements& s = *stmts_;
    for (const Posting& p : postings) {
      const std::string key = ListingKey(p);
      const std::string hash = ContentHash(p);
      s.find_listing.reset();
      s.find_listing.bind(1, source_id);
      s.find_listing.bind(2, key);
      if (!s.find_listing.executeStep()) {
        s.insert_posting.reset();
        BindPosting(s.insert_posting, p);
        s.insert_posting.bind(17, hash);
        s.insert_posting.bind(18, now);
        s.insert_posting.exec();
        std::int64_t posting_id = db_->getLastInsertRowid();
        s.insert_listing.reset();
        s.insert_listing.bind(1, posting_id);
        s.insert_listing.bind(2, source_id);
        s.insert_listing.bind(3, key);
        s.insert_listing.bind(4, p.url);
        BindOpt(s.insert_listing, 5, p.external_id);
        s.insert_listing.bind(6, hash);
        s.insert_listing.bind(7, now);
        s.insert_listing.exec();
        ++counts.new_postings;
        continue;
      }
      const std::int64_t listing_id = s.find_listing.getColumn(0).getInt64();
      const std::int64_t posting_id = s.find_listing.getColumn(1).getInt64();
      const bool changed = s.find_listing.getColumn(2).getString() != hash;
      s.find_listing.reset();
      if (changed) {
        s.update_posting.reset();
        BindPosting(s.update_posting, p);
        s.update_posting.bind(17, hash);
        s.update_posting.bind(18, now);
        s.update_posting.bind(19, posting_id);
        s.update_posting.exec();
        ++counts.updated;
      } else {
        s.touch_posting.reset();
        s.touch_posting.bind(1, now);
        s.touch_posting.bind(2, posting_id);
        s.touch_posting.exec();
        ++counts.unchanged;
      }
      s.update_listing.reset();
      s.update_listing.bind(1, p.url);
      s.update_listing.bind(2, hash);
      s.update_listing.bind(3, now);
      s.update_listing.bind(4, listing_id);
      s.update_listing.exec();
    }
    if (tx) tx->commit();
    return counts;
  } catch (const SQLite::Exception& e) {
    stmts_->find_listing.tryReset();
    return std::unexpected(StorageError("cannot store postings", e));
  }
}

}  // namespace jobtrawl::storage
