#include "storage/store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <sqlite3.h>
#include <xxhash.h>

#include <sys/stat.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <optional>
#include <type_traits>

#include "model/ascii.h"
#include "model/clock.h"
#include "storage/backup.h"
#include "storage/dedup.h"
#include "storage/sqlite_file.h"

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

// The normalized columns (schema v6) and the department (v13), bound to ?21
// onwards in this order.
constexpr const char* kNormalizedFields[] = {
    "city", "region", "places", "remote_scope", "salary_annual_min", "salary_annual_max",
    "salary_currency_guessed", "salary_source", "seniority", "seniority_rule", "title_family",
    "title_key", "company_key", "skills", "visa_sponsorship", "experience_years_min", "language",
    "remote_raw", "employment_type_raw", "salary_raw", "date_posted_raw", "valid_through_raw",
    "country_raw", "department"};
constexpr int kFirstNormalized = 21;
// postings.canonical_listing_id in Statements::insert_posting: after the normalized columns.
constexpr int kCanonicalParameter = kFirstNormalized + static_cast<int>(std::size(kNormalizedFields));

// A JSON string literal.
std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  return out + "\"";
}

std::optional<std::string> PlacesJson(const std::vector<Place>& places) {
  if (places.empty()) return std::nullopt;
  std::string out = "[";
  for (const Place& p : places) {
    if (out.size() > 1) out += ",";
    out += "{";
    bool first = true;
    for (const auto& [name, value] : {std::pair{"city", &p.city}, std::pair{"region", &p.region},
                                      std::pair{"country", &p.country}}) {
      if (!*value) continue;
      if (!first) out += ",";
      first = false;
      out += "\"" + std::string(name) + "\":" + JsonString(**value);
    }
    out += "}";
  }
  return out + "]";
}

std::optional<std::string> ListJson(const std::vector<std::string>& items) {
  if (items.empty()) return std::nullopt;
  std::string out = "[";
  for (const std::string& i : items) out += (out.size() > 1 ? "," : "") + JsonString(i);
  return out + "]";
}

// Binds the 16 posting fields to ?1..?16 in kPostingFields order, the
// Markdown description (a later column) to ?20, and the normalized columns
// to ?21 onwards in kNormalizedFields order.
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
  BindOpt(s, 20, p.description_markdown);
  int i = kFirstNormalized;
  BindOpt(s, i++, p.city);
  BindOpt(s, i++, p.region);
  BindOpt(s, i++, PlacesJson(p.places));
  BindOpt(s, i++, p.remote_scope);
  BindOpt(s, i++, p.salary_annual_min);
  BindOpt(s, i++, p.salary_annual_max);
  if (p.salary_source) {
    s.bind(i++, p.salary_currency_guessed ? 1 : 0);
  } else {
    s.bind(i++);
  }
  BindOpt(s, i++, p.salary_source);
  BindOpt(s, i++, p.seniority);
  BindOpt(s, i++, p.seniority_rule);
  BindOpt(s, i++, p.title_family);
  BindOpt(s, i++, p.title_key);
  BindOpt(s, i++, p.company_key);
  BindOpt(s, i++, ListJson(p.skills));
  BindOpt(s, i++, p.visa_sponsorship);
  BindOpt(s, i++, p.experience_years_min);
  BindOpt(s, i++, p.language);
  BindOpt(s, i++, p.remote_raw);
  BindOpt(s, i++, p.employment_type_raw);
  BindOpt(s, i++, p.salary_raw);
  BindOpt(s, i++, p.date_posted_raw);
  BindOpt(s, i++, p.valid_through_raw);
  BindOpt(s, i++, p.country_raw);
  BindOpt(s, i++, p.department);
}

// ", city, region, ..." and ", ?21, ?22, ..." for the normalized columns;
// "city=?21, region=?22, ..." for updates.
std::string NormalizedColumns() {
  std::string out;
  for (const char* f : kNormalizedFields) out += std::string(", ") + f;
  return out;
}
std::string NormalizedValues() {
  std::string out;
  for (int i = 0; i < static_cast<int>(std::size(kNormalizedFields)); ++i) {
    out += ", ?" + std::to_string(kFirstNormalized + i);
  }
  return out;
}
std::string NormalizedAssignments() {
  std::string out;
  for (int i = 0; i < static_cast<int>(std::size(kNormalizedFields)); ++i) {
    out += std::string(kNormalizedFields[i]) + "=?" + std::to_string(kFirstNormalized + i) + ", ";
  }
  return out;
}

// The fields a posting is compared on, fed one by one into XXH3 with a
// marker for "not stated", so NULL and "" differ.
class FieldHasher {
 public:
  FieldHasher() : state_(XXH3_createState()) { XXH3_64bits_reset(state_); }
  ~FieldHasher() { XXH3_freeState(state_); }
  FieldHasher(const FieldHasher&) = delete;
  FieldHasher& operator=(const FieldHasher&) = delete;

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
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(XXH3_64bits_digest(state_)));
    return buf;
  }

 private:
  void Add(std::string_view s) { XXH3_64bits_update(state_, s.data(), s.size()); }
  XXH3_state_t* state_;
};

// Busy or locked by another connection, a full disk, a failed read or
// write: the same call may succeed later. Anything else (a constraint, a
// corrupt file, a schema error) will not.
bool TransientCode(int code) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
      return true;
    default:
      return false;
  }
}

Error StorageError(std::string_view what, int extended_code, std::string_view text) {
  Error e = Error::Storage(std::string(what) + ": " + std::string(text) + " (SQLite code " +
                           std::to_string(extended_code) + ")");
  e.transient = TransientCode(extended_code);
  return e;
}

Error StorageError(std::string_view what, const SQLite::Exception& e) {
  return StorageError(what, e.getExtendedErrorCode(), e.what());
}

// Runs `body`, turning SQLite's exceptions into an Error that says `what`
// failed: exceptions stay inside storage/.
template <typename F>
auto Guard(std::string_view what, F&& body) -> std::expected<std::invoke_result_t<F>, Error> {
  try {
    if constexpr (std::is_void_v<std::invoke_result_t<F>>) {
      body();
      return {};
    } else {
      return body();
    }
  } catch (const SQLite::Exception& e) {
    return std::unexpected(StorageError(what, e));
  }
}

// As Guard, inside a transaction of its own unless the caller has one open,
// so a call is all or nothing either way.
template <typename F>
auto Atomically(SQLite::Database& db, std::string_view what, F&& body) {
  return Guard(what, [&] {
    std::optional<SQLite::Transaction> tx;
    if (sqlite3_get_autocommit(db.getHandle()) != 0) {
      tx.emplace(db, SQLite::TransactionBehavior::IMMEDIATE);
    }
    if constexpr (std::is_void_v<std::invoke_result_t<F>>) {
      body();
      if (tx) tx->commit();
    } else {
      auto result = body();
      if (tx) tx->commit();
      return result;
    }
  });
}

// Binds `text`, or NULL when it is empty.
// The counters of a crawl_runs row, as ?1..?11 (BindRunCounters binds them):
// FinishRun and UpdateRunProgress write the same ones.
constexpr const char* kRunCounters =
    "pages=?1, bytes=?2, errors=?3, new_postings=?4, updated_postings=?5, unchanged_postings=?6, "
    "retries=?7, not_modified=?8, closed_listings=?9, reopened_listings=?10, merged_listings=?11";

void BindRunCounters(SQLite::Statement& s, const RunRecord& r) {
  s.bind(1, r.pages);
  s.bind(2, r.bytes);
  s.bind(3, r.errors);
  s.bind(4, r.counts.new_postings);
  s.bind(5, r.counts.updated);
  s.bind(6, r.counts.unchanged);
  s.bind(7, r.retries);
  s.bind(8, r.not_modified);
  s.bind(9, r.closed);
  s.bind(10, r.counts.reopened);
  s.bind(11, r.counts.merged);
}

void BindText(SQLite::Statement& s, int index, const std::string& text) {
  if (text.empty()) {
    s.bind(index);
  } else {
    s.bind(index, text);
  }
}

// Postings whose listings (on this source, just closed at `now`) leave them
// with no open listing anywhere are closed too.
void ClosePostingsWithoutOpenListings(SQLite::Database& db, std::int64_t source_id,
                                      const std::string& now) {
  SQLite::Statement close(db,
                          "UPDATE postings SET closed_at = ?1 WHERE closed_at IS NULL AND id IN "
                          "(SELECT posting_id FROM listings WHERE source_id = ?2 AND closed_at = ?1) "
                          "AND NOT EXISTS (SELECT 1 FROM listings l WHERE l.posting_id = postings.id "
                          "AND l.closed_at IS NULL)");
  close.bind(1, now);
  close.bind(2, source_id);
  close.exec();
}

// Links as lines "L <url>" (listing) or "D <url>" (detail); keys one a line.
// A POST body's bytes on one line of `links`: '%', tab, LF and CR as %XX.
std::string EscapeField(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '\t' || c == '\n' || c == '\r') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[static_cast<unsigned char>(c) >> 4];
      out += kHex[static_cast<unsigned char>(c) & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

std::string UnescapeField(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && ascii::IsHexDigit(text[i + 1]) &&
        ascii::IsHexDigit(text[i + 2])) {
      auto hex = [](char c) { return ascii::IsDigit(c) ? c - '0' : ascii::ToLower(c) - 'a' + 10; };
      out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// One link a line: "L url" or "D url", then, tab-separated (canonical URLs
// never hold a raw tab), the sitemap lastmod and, for a POST, the body's
// content type and the body, escaped.
std::string EncodeLinks(const std::vector<Link>& links) {
  std::string out;
  for (const Link& l : links) {
    out += l.role == Link::Role::kListing ? "L " : "D ";
    out += l.url;
    if (!l.lastmod.empty() || l.post) {
      out += '\t';
      out += l.lastmod;
    }
    if (l.post) {
      out += '\t';
      out += EscapeField(l.post->content_type);
      out += '\t';
      out += EscapeField(l.post->data);
    }
    out += '\n';
  }
  return out;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    if (eol != 0) lines.emplace_back(text.substr(0, eol));
    if (eol == std::string_view::npos) break;
    text.remove_prefix(eol + 1);
  }
  return lines;
}

std::vector<Link> DecodeLinks(std::string_view text) {
  std::vector<Link> links;
  for (const std::string& line : SplitLines(text)) {
    if (line.size() <= 2) continue;
    std::vector<std::string_view> fields;
    std::string_view rest = std::string_view(line).substr(2);
    for (std::size_t tab; (tab = rest.find('\t')) != std::string_view::npos;) {
      fields.push_back(rest.substr(0, tab));
      rest.remove_prefix(tab + 1);
    }
    fields.push_back(rest);
    Link link{.url = std::string(fields[0]),
              .role = line[0] == 'L' ? Link::Role::kListing : Link::Role::kDetail,
              .lastmod = fields.size() > 1 ? std::string(fields[1]) : std::string()};
    if (fields.size() > 3) {
      link.post = PostBody{.content_type = UnescapeField(fields[2]), .data = UnescapeField(fields[3])};
    }
    links.push_back(std::move(link));
  }
  return links;
}

std::string EncodeKeys(const std::vector<std::string>& keys) {
  std::string out;
  for (const auto& k : keys) {
    out += k;
    out += '\n';
  }
  return out;
}

}  // namespace

// Prepared once, reset and rebound for each use.
struct PostingStore::Statements {
  explicit Statements(SQLite::Database& db)
      : find_listing(db, "SELECT l.id, l.posting_id, l.content_hash, l.closed_at IS NOT NULL, "
                         "p.canonical_listing_id IS l.id, l.company_key, l.title_family, l.cities, "
                         "l.simhash, l.features_version, l.seniority "
                         "FROM listings l JOIN postings p ON p.id = l.posting_id "
                         "WHERE l.source_id = ? AND l.key = ?"),
        insert_posting(db, std::string("INSERT INTO postings (") + kPostingFields +
                               ", content_hash, first_seen, last_seen, description_markdown" +
                               NormalizedColumns() +
                               ", canonical_listing_id) VALUES "
                               "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,"
                               "?17,?18,?18,?20" +
                               NormalizedValues() + ", ?" + std::to_string(kCanonicalParameter) + ")"),
        update_posting(db, "UPDATE postings SET " + NormalizedAssignments() +
                               "title=?1, company=?2, location=?3, country=?4, "
                           "remote=?5, employment_type=?6, salary_min=?7, salary_max=?8, "
                           "salary_currency=?9, salary_period=?10, date_posted=?11, "
                           "valid_through=?12, url=?13, apply_url=?14, external_id=?15, "
                           "description=?16, description_markdown=?20, content_hash=?17, last_seen=?18, updated_at=?18, "
                           "closed_at=NULL WHERE id=?19"),
        write_copy(db, std::string("INSERT OR REPLACE INTO listing_copies (") + kPostingFields +
                           ", content_hash, listing_id, description_markdown" + NormalizedColumns() +
                           ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,"
                           "?17,?19,?20" + NormalizedValues() + ")"),
        touch_posting(db, "UPDATE postings SET last_seen=?1, closed_at=NULL WHERE id=?2"),
        insert_listing(db, "INSERT INTO listings (posting_id, source_id, key, url, external_id, "
                           "content_hash, first_seen, last_seen, company_key, title_family, cities, "
                           "simhash, band0, band1, band2, band3, features_version, seniority, id) "
                           "VALUES (?1,?2,?3,?4,?5,?6,?7,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)"),
        next_listing_id(db, "SELECT coalesce(max(id), 0) + 1 FROM listings"),
        update_listing(db, "UPDATE listings SET url=?1, content_hash=?2, last_seen=?3, "
                           "closed_at=NULL WHERE id=?4"),
        update_features(db, "UPDATE listings SET company_key=?1, title_family=?2, cities=?3, "
                            "simhash=?4, band0=?5, band1=?6, band2=?7, band3=?8, "
                            "features_version=?9, seniority=?10 WHERE id=?11"),
        touch_listing(db, "UPDATE listings SET last_seen=?1, closed_at=NULL WHERE id=?2"),
        save_http_cache(db,
                        "INSERT INTO http_cache (source_id, url, etag, last_modified, body_hash, "
                        "links, listing_keys, fetched_at, last_used) VALUES (?, ?, ?, ?, ?, ?, ?, ?8, ?8) "
                        "ON CONFLICT (source_id, url) DO UPDATE SET etag = excluded.etag, "
                        "last_modified = excluded.last_modified, body_hash = excluded.body_hash, "
                        "links = excluded.links, listing_keys = excluded.listing_keys, "
                        "fetched_at = excluded.fetched_at, last_used = excluded.last_used"),
        mark_cache_used(db, "UPDATE http_cache SET last_used = ? WHERE source_id = ? AND url = ?"),
        start_search_batch(db, "INSERT OR IGNORE INTO fts_pending (posting_id) VALUES (0)"),
        index_search_batch(db, "INSERT INTO postings_fts (rowid, title, company, location, description, skills) "
                               "SELECT p.id, p.title, p.company, p.location, p.description, p.skills "
                               // CROSS JOIN: walk the queue, not postings (the
                               // planner would scan postings for p.id > 0).
                               "FROM fts_pending f CROSS JOIN postings p ON p.id = f.posting_id "
                               "WHERE f.posting_id > 0 ORDER BY f.posting_id"),
        end_search_batch(db, "DELETE FROM fts_pending") {}

  SQLite::Statement find_listing;
  SQLite::Statement insert_posting;
  SQLite::Statement update_posting;
  SQLite::Statement write_copy;
  SQLite::Statement touch_posting;
  SQLite::Statement insert_listing;
  // The id the next listing gets: a new posting is inserted with its
  // canonical listing's id at once, not updated after (a second write of
  // the whole row).
  SQLite::Statement next_listing_id;
  SQLite::Statement update_listing;
  SQLite::Statement update_features;
  SQLite::Statement touch_listing;
  // Once per page fetched: preparing them each time was ~6% of a crawl's CPU.
  SQLite::Statement save_http_cache;
  SQLite::Statement mark_cache_used;
  // Schema v11: queue new postings for postings_fts, index them, stop queueing.
  SQLite::Statement start_search_batch;
  SQLite::Statement index_search_batch;
  SQLite::Statement end_search_batch;
};

PostingStore::PostingStore(std::unique_ptr<SQLite::Database> db, const StoreOptions& options)
    : db_(std::move(db)),
      deduper_(std::make_unique<internal::Deduper>(*db_, options.dedup_distance,
                                                   options.canonical_kinds,
                                                   options.dedup_max_component)),
      stmts_(std::make_unique<Statements>(*db_)) {}

PostingStore::~PostingStore() = default;

namespace {

// Keeps -wal and -shm when this connection closes last: a reader that may
// not create files in the database's folder (another user of the group, a
// read-only mount) can open a WAL database only while both exist. The size
// limit empties the kept WAL at close and after checkpoints. On disk, both
// files are created now (a read transaction opens the WAL), so they get
// their mode at once rather than at the first write.
void KeepWalFiles(SQLite::Database& db, bool on_disk) {
  int persist = 1;
  sqlite3_file_control(db.getHandle(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
  db.exec("PRAGMA journal_size_limit = 67108864");
  if (on_disk) db.execAndGet("SELECT count(*) FROM sqlite_master");
}

// Postings, leases and the HTTP cache are for the service's user and group
// only, whatever the umask. A database file SQLite has just created (still
// empty) is made 0660, so readers in the service's group can open it; an
// existing one loses every bit for others and keeps the rest (an
// operator's 0600 stays). The WAL and shared-memory files get the
// database's mode: a reader in the group must be able to write -shm (the
// WAL index) to read at all.
void RestrictToOwnerAndGroup(const std::filesystem::path& path) {
  struct stat db {};
  if (::stat(path.c_str(), &db) != 0) return;
  const mode_t db_mode = db.st_size == 0 ? 0660 : (db.st_mode & 0660);
  // A file of another user cannot be changed; opening it is still allowed.
  if ((db.st_mode & 07777) != db_mode) ::chmod(path.c_str(), db_mode);
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string file = path.string() + suffix;
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) continue;
    if ((st.st_mode & 07777) != db_mode) ::chmod(file.c_str(), db_mode);
  }
}

std::expected<void, Error> BackupBeforeMigrating(SQLite::Database& db, const std::filesystem::path& path) {
  int version = 0;
  try {
    version = db.execAndGet("PRAGMA user_version").getInt();
  } catch (const SQLite::Exception& e) {
    return std::unexpected(Error::Storage("cannot read the schema version of " + path.string() + ": " + e.what()));
  }
  if (version == 0 || version >= LatestSchemaVersion()) return {};  // new, or nothing to migrate
  const std::filesystem::path copy = BackupPathBeforeMigration(path, version);
  auto stats = BackupDatabase(path, copy);
  if (!stats) {
    return std::unexpected(Error::Storage("not migrating " + path.string() + " from schema version " +
                                          std::to_string(version) + ": the backup first failed: " +
                                          stats.error().message));
  }
  return {};
}

}  // namespace

std::filesystem::path BackupPathBeforeMigration(const std::filesystem::path& database, int version) {
  return database.string() + ".v" + std::to_string(version) + ".bak";
}

std::expected<std::unique_ptr<PostingStore>, Error> PostingStore::Open(
    const std::filesystem::path& path, const StoreOptions& options) {
  if (options.dedup_distance < -1 || options.dedup_distance > 3) {
    return std::unexpected(Error::InvalidArgument(
        "dedup_distance must be -1 (off) or 0..3, not " + std::to_string(options.dedup_distance)));
  }
  const bool on_disk = path != ":memory:" && !path.empty();
  auto db = Guard("cannot open database " + path.string(), [&] {
    auto opened = std::make_unique<SQLite::Database>(
        SqliteFileName(path), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX);
    if (on_disk) RestrictToOwnerAndGroup(path);
    opened->setBusyTimeout(10000);
    opened->exec("PRAGMA foreign_keys = ON");
    // WAL lets analysts read while a crawl writes; NORMAL is durable at
    // checkpoints and never corrupts, which is what a crawl database needs.
    opened->exec("PRAGMA journal_mode = WAL");
    opened->exec("PRAGMA synchronous = NORMAL");
    // The writer's page cache: the band, key and title indexes take inserts
    // at random places, and a transaction's dirty pages should stay in
    // memory until it commits. 8 MiB (SQLite's default is 2 MiB): a bound
    // independent of the database size, and small enough that the daemon's
    // memory is flat soon after it starts (the soak test); larger caches
    // help bulk ingest of millions of postings only a little.
    opened->exec("PRAGMA cache_size = -8192");
    // Checkpoint when the WAL reaches 64 MiB (journal_size_limit below
    // keeps no more on disk) rather than SQLite's 4 MiB: a commit of a few
    // thousand postings writes more than 4 MiB, so every commit was copied
    // back into the database and synced at once, and index pages that the
    // next commits change again were written each time. It costs disk,
    // not memory: the WAL index (-shm) is 32 KiB per 4,096 pages.
    opened->exec("PRAGMA wal_autocheckpoint = 16384");
    KeepWalFiles(*opened, on_disk);
    if (on_disk) RestrictToOwnerAndGroup(path);
    return opened;
  });
  if (!db) return std::unexpected(db.error());
  try {
    // Never turn another application's database into a jobtrawl one.
    const int version = (*db)->execAndGet("PRAGMA user_version").getInt();
    const int tables = (*db)->execAndGet("SELECT count(*) FROM sqlite_master").getInt();
    if (version == 0 && tables > 0) {
      return std::unexpected(Error::InvalidArgument(
          path.string() + " is not a jobtrawl database (it holds other tables); not adding jobtrawl's"));
    }
  } catch (const SQLite::Exception& e) {
    return std::unexpected(StorageError("cannot read database " + path.string(), e));
  }
  if (on_disk) {
    // An upgrade backs the database up before it changes its schema, so a
    // failed or regretted upgrade can be undone by copying the file back.
    if (auto backed_up = BackupBeforeMigrating(**db, path); !backed_up) {
      return std::unexpected(backed_up.error());
    }
  }
  if (auto migrated = Migrate(**db, LatestSchemaVersion()); !migrated) {
    return std::unexpected(migrated.error());
  }
  auto store = Guard("cannot prepare statements", [&] {
    return std::unique_ptr<PostingStore>(new PostingStore(std::move(*db), options));
  });
  if (!store) return store;
  if (auto filled = (*store)->BackfillFeatures(); !filled) return std::unexpected(filled.error());
  return store;
}

std::expected<std::unique_ptr<PostingStore>, Error> PostingStore::OpenExisting(
    const std::filesystem::path& path, const StoreOptions& options) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return std::unexpected(Error::NotFound("no database at " + path.string()));
  }
  try {
    SQLite::Database db(SqliteFileName(path), SQLite::OPEN_READONLY);
    const int tables = db.execAndGet("SELECT count(*) FROM sqlite_master").getInt();
    const int version = db.execAndGet("PRAGMA user_version").getInt();
    if (version == 0 || tables == 0) {
      return std::unexpected(Error::InvalidArgument(
          path.string() + " is not a jobtrawl database (" +
          (tables == 0 ? std::string("it is empty") : "it holds other tables") + ")"));
    }
  } catch (const SQLite::Exception& e) {
    if ((e.getErrorCode() & 0xff) == SQLITE_NOTADB) {
      return std::unexpected(
          Error::InvalidArgument(path.string() + " is not a jobtrawl database (not SQLite)"));
    }
    return std::unexpected(StorageError("cannot open database " + path.string(), e));
  }
  return Open(path, options);
}

std::expected<void, Error> PostingStore::BackfillFeatures() {
  if (!deduper_->enabled()) return {};
  const std::string now = FormatUtc(Clock::now());
  // A listing's own content is its posting's when it is the one shown,
  // else its listing_copies row.
  auto pick = [](const char* column) {
    return std::string("CASE WHEN c.listing_id IS NULL THEN p.") + column + " ELSE c." + column +
           " END";
  };
  const std::string select =
      "SELECT l.id, " + pick("company_key") + ", " + pick("title_family") + ", " + pick("places") +
      ", " + pick("city") + ", " + pick("description") + ", " + pick("seniority") +
      " FROM listings l INDEXED BY listings_features_stale JOIN postings p ON p.id = l.posting_id "
      "LEFT JOIN listing_copies c ON c.listing_id = l.id "
      "WHERE l.features_version < 3 LIMIT 1000";
  // Every row read gets the current version and so leaves the index: the
  // loop ends, in whatever order SQLite gives them (grouping does not
  // depend on it).
  std::int64_t after = 0;
  for (;;) {
    auto more = Atomically(*db_, "cannot fill in matching features", [&] {
      static_assert(internal::kFeaturesVersion == 3, "the literal above and listings_features_stale");
      SQLite::Statement q(*db_, select);
      SQLite::Statement cities(*db_,
                               "SELECT json_extract(value, '$.city') FROM "
                               "json_each(CASE WHEN json_valid(?1) THEN ?1 END) "
                               "WHERE json_extract(value, '$.city') IS NOT NULL");
      auto text = [&](int i) -> std::optional<std::string> {
        if (q.getColumn(i).isNull()) return std::nullopt;
        return q.getColumn(i).getString();
      };
      std::vector<std::int64_t> eligible;
      int rows = 0;
      while (q.executeStep()) {
        ++rows;
        after = q.getColumn(0).getInt64();
        std::vector<std::string> names;
        if (auto places = text(3)) {
          cities.reset();
          cities.bind(1, *places);
          while (cities.executeStep()) names.push_back(cities.getColumn(0).getString());
        }
        if (names.empty()) {
          if (auto city = text(4)) names.push_back(*city);
        }
        const internal::ListingFeatures f = internal::FeaturesOf(text(1), text(2), names, text(5), text(6));
        stmts_->update_features.reset();
        internal::BindFeatures(stmts_->update_features, 1, f);
        stmts_->update_features.bind(11, after);
        stmts_->update_features.exec();
        if (f.Eligible()) eligible.push_back(after);
      }
      // Grouped once the whole chunk has its features; a later chunk's
      // listing that joins a component regroups all of it again.
      for (std::int64_t id : eligible) deduper_->Regroup(id, std::nullopt, now);
      return rows > 0;
    });
    if (!more) return std::unexpected(more.error());
    if (!*more) return {};
  }
}

int PostingStore::SchemaVersion() const {
  return Guard("", [&] { return db_->execAndGet("PRAGMA user_version").getInt(); }).value_or(-1);
}

void PostingStore::SetFaultHook(FaultHook hook) { fault_hook_ = std::move(hook); }

std::optional<Error> PostingStore::Fault(std::string_view call) {
  if (!fault_hook_) return std::nullopt;
  std::optional<int> code = fault_hook_(call);
  if (!code) return std::nullopt;
  return StorageError(call, *code, "injected fault");
}

void PostingStore::StartSearchBatch() {
  stmts_->start_search_batch.reset();
  stmts_->start_search_batch.exec();
}

// One statement indexes every queued posting: FTS5 keeps their terms in
// memory (up to its hashsize) and writes segments of many documents.
void PostingStore::FlushSearchBatch() {
  stmts_->index_search_batch.reset();
  stmts_->index_search_batch.exec();
  stmts_->end_search_batch.reset();
  stmts_->end_search_batch.exec();
}

std::expected<void, Error> PostingStore::Begin() {
  if (auto f = Fault("begin")) return std::unexpected(*f);
  return Guard("begin", [&] {
    db_->exec("BEGIN IMMEDIATE");
    try {
      StartSearchBatch();
    } catch (...) {
      db_->tryExec("ROLLBACK");
      throw;
    }
    search_batch_ = true;
  });
}

std::expected<void, Error> PostingStore::Commit() {
  if (auto f = Fault("commit")) return std::unexpected(*f);
  return Guard("commit", [&] {
    // The queue is emptied before COMMIT: every commit leaves postings_fts
    // matching postings.
    if (search_batch_) FlushSearchBatch();
    db_->exec("COMMIT");
    search_batch_ = false;
  });
}

void PostingStore::Rollback() noexcept {
  db_->tryExec("ROLLBACK");
  search_batch_ = false;
}

std::expected<std::int64_t, Error> PostingStore::EnsureSource(std::string_view name,
                                                              std::string_view kind,
                                                              std::string_view now) {
  if (kind.empty()) {
    return std::unexpected(Error::InvalidArgument("source " + std::string(name) + " has no kind"));
  }
  return Guard("cannot record source", [&] {
    // The kind is the config's: it changes only when the config's does.
    SQLite::Statement insert(*db_,
                             "INSERT INTO sources (name, kind, created_at) VALUES (?, ?, ?) "
                             "ON CONFLICT(name) DO UPDATE SET kind = excluded.kind "
                             "WHERE kind <> excluded.kind");
    insert.bind(1, std::string(name));
    insert.bind(2, std::string(kind));
    insert.bind(3, std::string(now));
    if (insert.exec() > 0) deduper_->ForgetSources();
    SQLite::Statement select(*db_, "SELECT id FROM sources WHERE name = ?");
    select.bind(1, std::string(name));
    select.executeStep();
    return select.getColumn(0).getInt64();
  });
}

std::expected<std::optional<std::int64_t>, Error> PostingStore::FindSource(std::string_view name) {
  return Guard("cannot read sources", [&]() -> std::optional<std::int64_t> {
    SQLite::Statement select(*db_, "SELECT id FROM sources WHERE name = ?");
    select.bind(1, std::string(name));
    if (!select.executeStep()) return std::nullopt;
    return select.getColumn(0).getInt64();
  });
}

std::expected<int, Error> PostingStore::MarkAbandonedRuns(std::int64_t source_id,
                                                          std::string_view message) {
  if (auto f = Fault("mark abandoned runs")) return std::unexpected(*f);
  return Guard("cannot mark abandoned crawl runs", [&] {
    SQLite::Statement s(*db_,
                        "UPDATE crawl_runs SET status = 'interrupted', message = ? "
                        "WHERE source_id = ? AND status = 'running'");
    s.bind(1, std::string(message));
    s.bind(2, source_id);
    return s.exec();
  });
}

std::expected<std::int64_t, Error> PostingStore::BeginRun(std::int64_t source_id,
                                                          std::string_view now) {
  return Guard("cannot start crawl run", [&] {
    SQLite::Statement s(*db_,
                        "INSERT INTO crawl_runs (source_id, started_at, status) "
                        "VALUES (?, ?, 'running')");
    s.bind(1, source_id);
    s.bind(2, std::string(now));
    s.exec();
    return db_->getLastInsertRowid();
  });
}

std::expected<void, Error> PostingStore::FinishRun(std::int64_t run_id, const RunRecord& r) {
  if (auto f = Fault("finish run")) return std::unexpected(*f);
  return Guard("cannot finish crawl run", [&] {
    SQLite::Statement s(*db_, std::string("UPDATE crawl_runs SET ") + kRunCounters +
                                  ", finished_at=?12, status=?13, message=?14, stats=?15 WHERE id=?16");
    BindRunCounters(s, r);
    s.bind(12, r.finished_at);
    s.bind(13, r.status);
    BindText(s, 14, r.message);
    BindText(s, 15, r.stats);
    s.bind(16, run_id);
    s.exec();
  });
}

std::expected<void, Error> PostingStore::UpdateRunProgress(std::int64_t run_id, const RunRecord& r) {
  if (auto f = Fault("run progress")) return std::unexpected(*f);
  return Guard("cannot update crawl run", [&] {
    SQLite::Statement s(*db_, std::string("UPDATE crawl_runs SET ") + kRunCounters +
                                  ", stats=coalesce(?12, stats) WHERE id=?13 AND status='running'");
    BindRunCounters(s, r);
    BindText(s, 12, r.stats);
    s.bind(13, run_id);
    s.exec();
  });
}

std::expected<void, Error> PostingStore::RecordError(std::int64_t run_id, const CrawlError& error,
                                                     std::string_view now) {
  if (auto f = Fault("record error")) return std::unexpected(*f);
  return Guard("cannot record crawl error", [&] {
    SQLite::Statement s(*db_,
                        "INSERT INTO crawl_errors (run_id, url, kind, status, message, at, attempt) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, run_id);
    s.bind(2, error.url);
    s.bind(3, error.kind);
    BindOpt(s, 4, error.status != 0 ? std::optional<std::int64_t>(error.status) : std::nullopt);
    s.bind(5, error.message);
    s.bind(6, std::string(now));
    s.bind(7, error.attempt);
    s.exec();
  });
}

std::string PostingStore::ListingKey(const Posting& p) {
  return p.external_id ? "id:" + *p.external_id : "url:" + p.url;
}

std::string StableHash(std::string_view bytes) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(bytes.data(), bytes.size())));
  return buf;
}

std::string PostingStore::ContentHash(const Posting& p) {
  FieldHasher h;
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
  h.Field(p.description_markdown);
  // Only when stated, so postings stored before schema v13 (none had one)
  // keep their hash and are not counted as changed.
  if (p.department) h.Field(p.department);
  return h.Hex();
}

std::expected<UpsertCounts, Error> PostingStore::Upsert(std::int64_t source_id,
                                                        std::span<const Posting> postings,
                                                        std::string_view now_view) {
  if (auto f = Fault("upsert")) return std::unexpected(*f);
  const std::string now(now_view);
  const bool dedup = deduper_->enabled();
  return Atomically(*db_, "cannot store postings", [&] {
    UpsertCounts counts;
    Statements& s = *stmts_;
    // Outside Begin()..Commit(), this call's new postings are indexed for
    // search together at its end (inside the transaction either way).
    const bool own_search_batch = !search_batch_;
    if (own_search_batch) StartSearchBatch();
    for (const Posting& p : postings) {
      const std::string key = ListingKey(p);
      const std::string hash = ContentHash(p);
      // Features are computed only while matching is on; features_version 0
      // marks them missing, so turning it on later fills them in (Open).
      const internal::ListingFeatures features =
          dedup ? internal::FeaturesOf(p) : internal::ListingFeatures{};
      s.find_listing.reset();
      s.find_listing.bind(1, source_id);
      s.find_listing.bind(2, key);
      if (!s.find_listing.executeStep()) {
        s.next_listing_id.reset();
        s.next_listing_id.executeStep();
        const std::int64_t new_listing_id = s.next_listing_id.getColumn(0).getInt64();
        s.next_listing_id.reset();
        // A new listing of `posting_id`; returns its id.
        auto insert_listing = [&](std::int64_t posting_id) {
          s.insert_listing.reset();
          s.insert_listing.bind(18, new_listing_id);
          s.insert_listing.bind(1, posting_id);
          s.insert_listing.bind(2, source_id);
          s.insert_listing.bind(3, key);
          s.insert_listing.bind(4, p.url);
          BindOpt(s.insert_listing, 5, p.external_id);
          s.insert_listing.bind(6, hash);
          s.insert_listing.bind(7, now);
          internal::BindFeatures(s.insert_listing, 8, features);
          if (!dedup) s.insert_listing.bind(16, 0);
          s.insert_listing.exec();
          return db_->getLastInsertRowid();
        };
        if (auto match = deduper_->ProbeMatch(source_id, features)) {
          // Stored as a sighting of the posting it matches, its own content
          // in listing_copies; regrouping decides where it belongs.
          const std::int64_t listing_id = insert_listing(*match);
          s.write_copy.reset();
          BindPosting(s.write_copy, p);
          s.write_copy.bind(17, hash);
          s.write_copy.bind(19, listing_id);
          s.write_copy.exec();
          ++(deduper_->Regroup(listing_id, std::nullopt, now) > 1 ? counts.merged
                                                                  : counts.new_postings);
          continue;
        }
        s.insert_posting.reset();
        BindPosting(s.insert_posting, p);
        s.insert_posting.bind(17, hash);
        s.insert_posting.bind(18, now);
        s.insert_posting.bind(kCanonicalParameter, new_listing_id);
        s.insert_posting.exec();
        insert_listing(db_->getLastInsertRowid());
        ++counts.new_postings;
        continue;
      }
      const std::int64_t listing_id = s.find_listing.getColumn(0).getInt64();
      const std::int64_t posting_id = s.find_listing.getColumn(1).getInt64();
      const bool changed = s.find_listing.getColumn(2).getString() != hash;
      if (s.find_listing.getColumn(3).getInt() != 0) ++counts.reopened;
      const bool shown = s.find_listing.getColumn(4).getInt() != 0;
      internal::ListingFeatures before;
      if (!s.find_listing.getColumn(5).isNull()) before.company_key = s.find_listing.getColumn(5).getString();
      if (!s.find_listing.getColumn(6).isNull()) before.title_family = s.find_listing.getColumn(6).getString();
      if (!s.find_listing.getColumn(7).isNull()) {
        before.cities = internal::SplitCities(s.find_listing.getColumn(7).getString());
      }
      if (!s.find_listing.getColumn(8).isNull()) {
        before.simhash = std::bit_cast<std::uint64_t>(s.find_listing.getColumn(8).getInt64());
      }
      if (!s.find_listing.getColumn(10).isNull()) before.seniority = s.find_listing.getColumn(10).getString();
      const bool features_current = s.find_listing.getColumn(9).getInt() == internal::kFeaturesVersion;
      s.find_listing.reset();
      if (changed && shown) {
        s.update_posting.reset();
        BindPosting(s.update_posting, p);
        s.update_posting.bind(17, hash);
        s.update_posting.bind(18, now);
        s.update_posting.bind(19, posting_id);
        s.update_posting.exec();
      } else {
        if (changed) {  // a copy another listing's content stands for
          s.write_copy.reset();
          BindPosting(s.write_copy, p);
          s.write_copy.bind(17, hash);
          s.write_copy.bind(19, listing_id);
          s.write_copy.exec();
        }
        s.touch_posting.reset();
        s.touch_posting.bind(1, now);
        s.touch_posting.bind(2, posting_id);
        s.touch_posting.exec();
      }
      ++(changed ? counts.updated : counts.unchanged);
      s.update_listing.reset();
      s.update_listing.bind(1, p.url);
      s.update_listing.bind(2, hash);
      s.update_listing.bind(3, now);
      s.update_listing.bind(4, listing_id);
      s.update_listing.exec();
      if (dedup && (!features_current || !(before == features))) {
        s.update_features.reset();
        internal::BindFeatures(s.update_features, 1, features);
        s.update_features.bind(11, listing_id);
        s.update_features.exec();
        deduper_->Regroup(listing_id,
                          features_current ? std::optional(before) : std::nullopt, now);
      }
    }
    if (own_search_batch) FlushSearchBatch();
    return counts;
  });
}

std::expected<std::int64_t, Error> PostingStore::SplitListing(std::int64_t posting_id,
                                                              std::int64_t listing_id,
                                                              std::string_view now_view) {
  if (auto f = Fault("split")) return std::unexpected(*f);
  const std::string now(now_view);
  auto result = Atomically(*db_, "cannot split the posting",
                           [&]() -> std::expected<std::int64_t, Error> {
    SQLite::Statement others(*db_, "SELECT id FROM listings WHERE posting_id = ? AND id <> ?");
    others.bind(1, posting_id);
    others.bind(2, listing_id);
    SQLite::Statement owner(*db_, "SELECT posting_id FROM listings WHERE id = ?");
    owner.bind(1, listing_id);
    if (!owner.executeStep() || owner.getColumn(0).getInt64() != posting_id) {
      return std::unexpected(Error::NotFound("listing " + std::to_string(listing_id) +
                                             " is not a sighting of posting " +
                                             std::to_string(posting_id)));
    }
    SQLite::Statement split(*db_,
                            "INSERT OR IGNORE INTO dedup_splits (listing_a, listing_b, split_at) "
                            "VALUES (min(?1, ?2), max(?1, ?2), ?3)");
    int pairs = 0;
    while (others.executeStep()) {
      split.reset();
      split.bind(1, listing_id);
      split.bind(2, others.getColumn(0).getInt64());
      split.bind(3, now);
      split.exec();
      ++pairs;
    }
    if (pairs == 0) {
      return std::unexpected(Error::InvalidArgument(
          "listing " + std::to_string(listing_id) + " is the only sighting of posting " +
          std::to_string(posting_id) + ": nothing to split"));
    }
    deduper_->Regroup(listing_id, std::nullopt, now, posting_id);
    SQLite::Statement after(*db_, "SELECT posting_id FROM listings WHERE id = ?");
    after.bind(1, listing_id);
    after.executeStep();
    return after.getColumn(0).getInt64();
  });
  if (!result) return std::unexpected(result.error());
  return *result;
}

std::expected<UpsertCounts, Error> PostingStore::Touch(std::int64_t source_id,
                                                       std::span<const std::string> listing_keys,
                                                       std::string_view now_view) {
  if (auto f = Fault("touch")) return std::unexpected(*f);
  const std::string now(now_view);
  return Atomically(*db_, "cannot refresh listings", [&] {
    UpsertCounts counts;
    Statements& s = *stmts_;
    for (const std::string& key : listing_keys) {
      s.find_listing.reset();
      s.find_listing.bind(1, source_id);
      s.find_listing.bind(2, key);
      if (!s.find_listing.executeStep()) continue;  // gone meanwhile: nothing to refresh
      const std::int64_t listing_id = s.find_listing.getColumn(0).getInt64();
      const std::int64_t posting_id = s.find_listing.getColumn(1).getInt64();
      if (s.find_listing.getColumn(3).getInt() != 0) ++counts.reopened;
      s.find_listing.reset();
      s.touch_listing.reset();
      s.touch_listing.bind(1, now);
      s.touch_listing.bind(2, listing_id);
      s.touch_listing.exec();
      s.touch_posting.reset();
      s.touch_posting.bind(1, now);
      s.touch_posting.bind(2, posting_id);
      s.touch_posting.exec();
      ++counts.unchanged;
    }
    return counts;
  });
}

std::expected<int, Error> PostingStore::CloseListings(std::int64_t source_id,
                                                      std::span<const std::string> listing_keys,
                                                      std::string_view now_view) {
  if (auto f = Fault("close listings")) return std::unexpected(*f);
  const std::string now(now_view);
  return Atomically(*db_, "cannot close listings", [&] {
    SQLite::Statement close(*db_,
                            "UPDATE listings SET closed_at = ? WHERE source_id = ? AND key = ? "
                            "AND closed_at IS NULL");
    int closed = 0;
    for (const std::string& key : listing_keys) {
      close.reset();
      close.bind(1, now);
      close.bind(2, source_id);
      close.bind(3, key);
      closed += close.exec();
    }
    if (closed > 0) ClosePostingsWithoutOpenListings(*db_, source_id, now);
    return closed;
  });
}

std::expected<int, Error> PostingStore::CloseUnseen(std::int64_t source_id,
                                                    std::string_view cutoff,
                                                    std::string_view now_view) {
  if (auto f = Fault("close unseen")) return std::unexpected(*f);
  const std::string now(now_view);
  return Atomically(*db_, "cannot close unseen listings", [&] {
    SQLite::Statement close(*db_,
                            "UPDATE listings SET closed_at = ? WHERE source_id = ? "
                            "AND closed_at IS NULL AND last_seen < ?");
    close.bind(1, now);
    close.bind(2, source_id);
    close.bind(3, std::string(cutoff));
    const int closed = close.exec();
    if (closed > 0) ClosePostingsWithoutOpenListings(*db_, source_id, now);
    return closed;
  });
}

std::expected<std::int64_t, Error> PostingStore::CountOpenListings(std::int64_t source_id) {
  return Guard("cannot count listings", [&] {
    SQLite::Statement q(*db_,
                        "SELECT count(*) FROM listings WHERE source_id = ? AND closed_at IS NULL");
    q.bind(1, source_id);
    q.executeStep();
    return q.getColumn(0).getInt64();
  });
}

std::expected<std::int64_t, Error> PostingStore::CountSeenSince(std::int64_t source_id,
                                                                std::string_view since) {
  return Guard("cannot count listings", [&] {
    SQLite::Statement q(*db_,
                        "SELECT count(*) FROM listings WHERE source_id = ? AND last_seen >= ?");
    q.bind(1, source_id);
    q.bind(2, std::string(since));
    q.executeStep();
    return q.getColumn(0).getInt64();
  });
}

std::expected<std::vector<std::pair<std::string, CachedPage>>, Error> PostingStore::LoadHttpCache(
    std::int64_t source_id) {
  return Guard("cannot read the HTTP cache", [&] {
    SQLite::Statement q(*db_,
                        "SELECT url, coalesce(etag, ''), coalesce(last_modified, ''), body_hash, "
                        "links, listing_keys, fetched_at FROM http_cache WHERE source_id = ?");
    q.bind(1, source_id);
    std::vector<std::pair<std::string, CachedPage>> out;
    while (q.executeStep()) {
      CachedPage page{.etag = q.getColumn(1).getString(),
                      .last_modified = q.getColumn(2).getString(),
                      .body_hash = q.getColumn(3).getString(),
                      .links = DecodeLinks(q.getColumn(4).getString()),
                      .listing_keys = SplitLines(q.getColumn(5).getString()),
                      .fetched_at = q.getColumn(6).getString()};
      out.emplace_back(q.getColumn(0).getString(), std::move(page));
    }
    return out;
  });
}

std::expected<void, Error> PostingStore::SaveHttpCache(std::int64_t source_id,
                                                       const std::string& url,
                                                       const CachedPage& page,
                                                       std::string_view now) {
  if (auto f = Fault("save http cache")) return std::unexpected(*f);
  return Guard("cannot write the HTTP cache", [&] {
    SQLite::Statement& s = stmts_->save_http_cache;
    s.tryReset();  // a failed last use was reported then; its code is not this call's
    s.bind(1, source_id);
    s.bind(2, url);
    BindText(s, 3, page.etag);
    BindText(s, 4, page.last_modified);
    s.bind(5, page.body_hash);
    s.bind(6, EncodeLinks(page.links));
    s.bind(7, EncodeKeys(page.listing_keys));
    s.bind(8, std::string(now));
    s.exec();
  });
}

std::expected<void, Error> PostingStore::MarkCacheUsed(std::int64_t source_id,
                                                       const std::string& url,
                                                       std::string_view now) {
  if (auto f = Fault("mark cache used")) return std::unexpected(*f);
  return Guard("cannot write the HTTP cache", [&] {
    SQLite::Statement& s = stmts_->mark_cache_used;
    s.tryReset();  // a failed last use was reported then; its code is not this call's
    s.bind(1, std::string(now));
    s.bind(2, source_id);
    s.bind(3, url);
    s.exec();
  });
}

std::expected<int, Error> PostingStore::PruneHttpCache(std::int64_t source_id,
                                                       std::string_view cutoff) {
  if (auto f = Fault("prune http cache")) return std::unexpected(*f);
  return Guard("cannot prune the HTTP cache", [&] {
    SQLite::Statement s(*db_, "DELETE FROM http_cache WHERE source_id = ? AND last_used < ?");
    s.bind(1, source_id);
    s.bind(2, std::string(cutoff));
    return s.exec();
  });
}

std::expected<int, Error> PostingStore::ForgetHttpCacheSince(std::int64_t source_id,
                                                             std::string_view since) {
  if (auto f = Fault("prune http cache")) return std::unexpected(*f);
  return Guard("cannot prune the HTTP cache", [&] {
    SQLite::Statement s(*db_, "DELETE FROM http_cache WHERE source_id = ? AND last_used >= ?");
    s.bind(1, source_id);
    s.bind(2, std::string(since));
    return s.exec();
  });
}

std::expected<std::optional<PostingStore::Lease>, Error> PostingStore::AcquireLease(
    std::int64_t source_id, std::string_view holder, std::string_view now,
    std::string_view expires_at) {
  if (auto f = Fault("acquire lease")) return std::unexpected(*f);
  return Guard("cannot take the source lease", [&]() -> std::optional<Lease> {
    // One statement, so the check and the take are atomic across processes.
    SQLite::Statement take(*db_,
                           "INSERT INTO source_leases (source_id, holder, acquired_at, expires_at) "
                           "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (source_id) DO UPDATE SET "
                           "holder = excluded.holder, acquired_at = CASE WHEN holder = "
                           "excluded.holder THEN acquired_at ELSE excluded.acquired_at END, "
                           "expires_at = excluded.expires_at "
                           "WHERE source_leases.holder = excluded.holder "
                           "OR source_leases.expires_at <= excluded.acquired_at");
    take.bind(1, source_id);
    take.bind(2, std::string(holder));
    take.bind(3, std::string(now));
    take.bind(4, std::string(expires_at));
    if (take.exec() == 1) return std::nullopt;
    SQLite::Statement who(*db_, "SELECT holder, expires_at FROM source_leases WHERE source_id = ?");
    who.bind(1, source_id);
    if (!who.executeStep()) return std::nullopt;  // released meanwhile; try again later
    return Lease{who.getColumn(0).getString(), who.getColumn(1).getString()};
  });
}

std::expected<bool, Error> PostingStore::TakeOverLease(std::int64_t source_id,
                                                       std::string_view dead_holder,
                                                       std::string_view holder,
                                                       std::string_view now,
                                                       std::string_view expires_at) {
  if (auto f = Fault("take over lease")) return std::unexpected(*f);
  return Guard("cannot take over the source lease", [&] {
    // Only if the dead holder still has it: someone else may have been faster.
    SQLite::Statement s(*db_,
                        "UPDATE source_leases SET holder = ?, acquired_at = ?, expires_at = ? "
                        "WHERE source_id = ? AND holder = ?");
    s.bind(1, std::string(holder));
    s.bind(2, std::string(now));
    s.bind(3, std::string(expires_at));
    s.bind(4, source_id);
    s.bind(5, std::string(dead_holder));
    return s.exec() == 1;
  });
}

std::expected<std::optional<std::string>, Error> PostingStore::LeaseHolder(std::int64_t source_id) {
  if (auto f = Fault("read lease")) return std::unexpected(*f);
  return Guard("cannot read the source lease", [&]() -> std::optional<std::string> {
    SQLite::Statement q(*db_, "SELECT holder FROM source_leases WHERE source_id = ?");
    q.bind(1, source_id);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
  });
}

std::expected<void, Error> PostingStore::ReleaseLease(std::int64_t source_id,
                                                      std::string_view holder) {
  if (auto f = Fault("release lease")) return std::unexpected(*f);
  return Guard("cannot release the source lease", [&] {
    SQLite::Statement s(*db_, "DELETE FROM source_leases WHERE source_id = ? AND holder = ?");
    s.bind(1, source_id);
    s.bind(2, std::string(holder));
    s.exec();
  });
}

std::expected<void, Error> PostingStore::SetNextRun(std::int64_t source_id, std::string_view at) {
  if (auto f = Fault("set next run")) return std::unexpected(*f);
  return Guard("cannot store the next run time", [&] {
    SQLite::Statement s(*db_, "UPDATE sources SET next_run_at = ? WHERE id = ?");
    s.bind(1, std::string(at));
    s.bind(2, source_id);
    s.exec();
  });
}

std::expected<std::optional<std::string>, Error> PostingStore::NextRun(std::int64_t source_id) {
  return Guard("cannot read the next run time", [&]() -> std::optional<std::string> {
    SQLite::Statement q(*db_, "SELECT next_run_at FROM sources WHERE id = ?");
    q.bind(1, source_id);
    if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
    return q.getColumn(0).getString();
  });
}

std::expected<std::optional<PostingStore::RunTimes>, Error> PostingStore::LastSuccessfulRun(
    std::int64_t source_id) {
  return Guard("cannot read the source's last run", [&]() -> std::optional<RunTimes> {
    SQLite::Statement q(*db_,
                        "SELECT started_at, coalesce(finished_at, started_at) FROM crawl_runs "
                        "WHERE source_id = ? AND status IN ('ok', 'partial', 'degraded') "
                        "ORDER BY started_at DESC LIMIT 1");
    q.bind(1, source_id);
    if (!q.executeStep()) return std::nullopt;
    return RunTimes{q.getColumn(0).getString(), q.getColumn(1).getString()};
  });
}

std::expected<std::optional<std::string>, Error> PostingStore::LastGoodRunStats(
    std::int64_t source_id) {
  return Guard("cannot read the source's last good run", [&]() -> std::optional<std::string> {
    SQLite::Statement q(*db_,
                        "SELECT stats FROM crawl_runs WHERE source_id = ? AND status IN ('ok', 'partial') "
                        "AND stats IS NOT NULL AND json_valid(stats) "
                        "AND coalesce(json_extract(stats, '$.deadline_hit'), 0) = 0 ORDER BY id DESC LIMIT 1");
    q.bind(1, source_id);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
  });
}

std::expected<void, Error> PostingStore::CaptureFreshPostings() {
  return Guard("cannot note new postings for alerts", [&] {
    // TEMP: this connection's only, and rolled back with its transaction.
    db_->exec(
        "CREATE TEMP TABLE IF NOT EXISTS fresh_postings (id INTEGER PRIMARY KEY, event TEXT NOT NULL);"
        "CREATE TEMP TRIGGER IF NOT EXISTS fresh_posting_new AFTER INSERT ON main.postings BEGIN "
        "  INSERT OR IGNORE INTO fresh_postings (id, event) VALUES (NEW.id, 'new'); END;"
        "CREATE TEMP TRIGGER IF NOT EXISTS fresh_posting_reopened AFTER UPDATE OF closed_at ON main.postings "
        "WHEN OLD.closed_at IS NOT NULL AND NEW.closed_at IS NULL BEGIN "
        "  INSERT OR IGNORE INTO fresh_postings (id, event) VALUES (NEW.id, 'reopened'); END;");
  });
}

std::expected<int, Error> PostingStore::EnqueueAlerts(std::span<const AlertRule> rules,
                                                      std::string_view now,
                                                      std::vector<std::string>* skipped) {
  if (auto f = Fault("enqueue alerts")) return std::unexpected(*f);
  return Guard("cannot add alerts to the outbox", [&]() -> int {
    if (db_->execAndGet("SELECT count(*) FROM temp.sqlite_master WHERE name = 'fresh_postings'").getInt() == 0) {
      return 0;
    }
    if (db_->execAndGet("SELECT count(*) FROM temp.fresh_postings").getInt() == 0) return 0;
    // A rule's full-text query reads postings_fts: the postings this
    // transaction queued for the search index (schema v11) go in first, and
    // the batch goes on for what follows.
    const bool full_text = std::any_of(rules.begin(), rules.end(),
                                       [](const AlertRule& r) { return r.postings && !r.filter.match.empty(); });
    if (full_text && search_batch_) {
      FlushSearchBatch();
      StartSearchBatch();
    }
    SQLite::Statement event(*db_, "SELECT event FROM temp.fresh_postings WHERE id = ?");
    SQLite::Statement insert(*db_,
                             "INSERT OR IGNORE INTO alert_outbox (alert, event, posting_id, idempotency_key, "
                             "created_at, next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
    int added = 0;
    for (const AlertRule& rule : rules) {
      if (!rule.postings) continue;
      auto ids = MatchingPostings(*db_, rule.filter, "SELECT id FROM temp.fresh_postings");
      if (!ids) {
        if (ids.error().transient) throw SQLite::Exception(ids.error().message, SQLITE_BUSY);
        if (skipped != nullptr) skipped->push_back(rule.name + ": " + ids.error().message);
        continue;
      }
      for (std::int64_t id : *ids) {
        event.reset();
        event.bind(1, id);
        if (!event.executeStep()) continue;
        const std::string what = event.getColumn(0).getString();
        insert.reset();
        insert.bind(1, rule.name);
        insert.bind(2, what);
        insert.bind(3, id);
        // One event of one posting for one alert: a reopening's key has its time.
        insert.bind(4, "jobtrawl:" + rule.name + ":" + what + ":" + std::to_string(id) +
                           (what == "new" ? std::string() : ":" + std::string(now)));
        insert.bind(5, std::string(now));
        added += insert.exec();
      }
    }
    db_->exec("DELETE FROM temp.fresh_postings");
    return added;
  });
}

std::expected<int, Error> PostingStore::EnqueueAlarm(std::span<const AlertRule> rules, std::string_view key,
                                                     std::string_view payload, std::string_view now) {
  if (auto f = Fault("enqueue alerts")) return std::unexpected(*f);
  return Guard("cannot add an alarm to the outbox", [&]() -> int {
    SQLite::Statement insert(*db_,
                             "INSERT OR IGNORE INTO alert_outbox (alert, event, payload, idempotency_key, "
                             "created_at, next_attempt_at) VALUES (?1, 'degraded', ?2, ?3, ?4, ?4)");
    int added = 0;
    for (const AlertRule& rule : rules) {
      if (!rule.alarms) continue;
      insert.reset();
      insert.bind(1, rule.name);
      insert.bind(2, std::string(payload));
      insert.bind(3, "jobtrawl:" + rule.name + ":degraded:" + std::string(key));
      insert.bind(4, std::string(now));
      added += insert.exec();
    }
    return added;
  });
}

std::expected<std::vector<OutboxItem>, Error> PostingStore::DueOutbox(std::string_view now, int limit) {
  return Guard("cannot read the alert outbox", [&] {
    SQLite::Statement q(*db_,
                        "SELECT id, alert, event, posting_id, coalesce(payload, ''), idempotency_key, "
                        "created_at, attempts FROM alert_outbox WHERE delivered_at IS NULL "
                        "AND next_attempt_at <= ? ORDER BY id LIMIT ?");
    q.bind(1, std::string(now));
    q.bind(2, limit);
    std::vector<OutboxItem> items;
    while (q.executeStep()) {
      OutboxItem item{.id = q.getColumn(0).getInt64(),
                      .alert = q.getColumn(1).getString(),
                      .event = q.getColumn(2).getString(),
                      .payload = q.getColumn(4).getString(),
                      .idempotency_key = q.getColumn(5).getString(),
                      .created_at = q.getColumn(6).getString(),
                      .attempts = q.getColumn(7).getInt()};
      if (!q.getColumn(3).isNull()) item.posting_id = q.getColumn(3).getInt64();
      items.push_back(std::move(item));
    }
    return items;
  });
}

std::expected<std::optional<std::string>, Error> PostingStore::NextOutboxAttempt() {
  return Guard("cannot read the alert outbox", [&]() -> std::optional<std::string> {
    SQLite::Statement q(*db_, "SELECT min(next_attempt_at) FROM alert_outbox WHERE delivered_at IS NULL "
                              "AND next_attempt_at <> 'never'");
    if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
    return q.getColumn(0).getString();
  });
}

std::expected<std::vector<std::int64_t>, Error> PostingStore::ClaimOutbox(std::span<const std::int64_t> ids,
                                                                          std::string_view now,
                                                                          std::string_view until) {
  if (auto f = Fault("claim outbox")) return std::unexpected(*f);
  return Atomically(*db_, "cannot claim alerts for delivery", [&] {
    SQLite::Statement u(*db_, "UPDATE alert_outbox SET next_attempt_at = ?1 WHERE id = ?2 "
                              "AND delivered_at IS NULL AND next_attempt_at <= ?3");
    std::vector<std::int64_t> claimed;
    for (std::int64_t id : ids) {
      u.reset();
      u.bind(1, std::string(until));
      u.bind(2, id);
      u.bind(3, std::string(now));
      if (u.exec() == 1) claimed.push_back(id);
    }
    return claimed;
  });
}

std::expected<void, Error> PostingStore::DeferOutbox(std::span<const std::int64_t> ids,
                                                     std::string_view next_attempt_at) {
  if (auto f = Fault("defer outbox")) return std::unexpected(*f);
  return Atomically(*db_, "cannot defer alerts", [&] {
    SQLite::Statement u(*db_, "UPDATE alert_outbox SET next_attempt_at = ? WHERE id = ? AND delivered_at IS NULL "
                              "AND next_attempt_at <> 'never'");
    for (std::int64_t id : ids) {
      u.reset();
      u.bind(1, std::string(next_attempt_at));
      u.bind(2, id);
      u.exec();
    }
  });
}

std::expected<std::int64_t, Error> PostingStore::CountPendingOutbox() {
  return Guard("cannot read the alert outbox", [&]() -> std::int64_t {
    return db_->execAndGet("SELECT count(*) FROM alert_outbox WHERE delivered_at IS NULL AND next_attempt_at <> 'never'")
        .getInt64();
  });
}

std::expected<std::vector<std::pair<std::string, int>>, Error> PostingStore::GiveUpOutbox(
    std::string_view queued_before, std::string_view now) {
  if (auto f = Fault("give up outbox")) return std::unexpected(*f);
  return Atomically(*db_, "cannot give up old alerts", [&] {
    std::vector<std::pair<std::string, int>> by_alert;
    SQLite::Statement q(*db_,
                        "SELECT alert, count(*) FROM alert_outbox WHERE delivered_at IS NULL AND next_attempt_at <> 'never' "
                        "AND created_at < ?1 GROUP BY alert ORDER BY alert");
    q.bind(1, std::string(queued_before));
    while (q.executeStep()) by_alert.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getInt());
    if (by_alert.empty()) return by_alert;
    SQLite::Statement u(*db_,
                        "UPDATE alert_outbox SET next_attempt_at = 'never', last_error = 'given up at ' || ?2 || "
                        "' ([delivery] give_up_after)' || coalesce(': ' || last_error, '') "
                        "WHERE delivered_at IS NULL AND next_attempt_at <> 'never' AND created_at < ?1");
    u.bind(1, std::string(queued_before));
    u.bind(2, std::string(now));
    u.exec();
    return by_alert;
  });
}

std::expected<void, Error> PostingStore::MarkDelivered(std::span<const std::int64_t> ids,
                                                       std::string_view now) {
  if (auto f = Fault("mark delivered")) return std::unexpected(*f);
  return Atomically(*db_, "cannot mark alerts delivered", [&] {
    SQLite::Statement u(*db_, "UPDATE alert_outbox SET delivered_at = ?, attempts = attempts + 1, "
                              "last_error = NULL WHERE id = ?");
    for (std::int64_t id : ids) {
      u.reset();
      u.bind(1, std::string(now));
      u.bind(2, id);
      u.exec();
    }
  });
}

std::expected<void, Error> PostingStore::MarkDeliveryFailed(std::span<const std::int64_t> ids,
                                                            std::string_view error,
                                                            std::string_view next_attempt_at) {
  if (auto f = Fault("mark delivery failed")) return std::unexpected(*f);
  return Atomically(*db_, "cannot record a failed delivery", [&] {
    SQLite::Statement u(*db_, "UPDATE alert_outbox SET attempts = attempts + 1, last_error = ?, "
                              "next_attempt_at = ? WHERE id = ? AND delivered_at IS NULL AND next_attempt_at <> 'never'");
    for (std::int64_t id : ids) {
      u.reset();
      u.bind(1, std::string(error));
      u.bind(2, std::string(next_attempt_at));
      u.bind(3, id);
      u.exec();
    }
  });
}

}  // namespace jobtrawl::storage
