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
#include "model/database_location.h"
#include "storage/ahead.h"
#include "storage/backup.h"
#include "storage/dedup.h"
#include "storage/sql.h"
#include "storage/sqlite_file.h"

#ifdef JOBTRAWL_HAVE_POSTGRESQL
#include "storage/pg/reader.h"
#include "storage/pg/schema.h"
#include "storage/pg/sql_pg.h"
#endif

namespace jobtrawl::storage {
namespace {

constexpr const char* kPostingFields =
    "title, company, location, country, remote, employment_type, salary_min, salary_max, "
    "salary_currency, salary_period, date_posted, valid_through, url, apply_url, external_id, "
    "description";

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
void BindPosting(sql::Statement& s, const Posting& p) {
  s.Bind(1, p.title);
  s.Bind(2, p.company);
  s.Bind(3, p.location);
  s.Bind(4, p.country);
  s.Bind(5, p.remote);
  s.Bind(6, p.employment_type);
  s.Bind(7, p.salary_min);
  s.Bind(8, p.salary_max);
  s.Bind(9, p.salary_currency);
  s.Bind(10, p.salary_period);
  s.Bind(11, p.date_posted);
  s.Bind(12, p.valid_through);
  s.Bind(13, p.url);
  s.Bind(14, p.apply_url);
  s.Bind(15, p.external_id);
  s.Bind(16, p.description);
  s.Bind(20, p.description_markdown);
  int i = kFirstNormalized;
  s.Bind(i++, p.city);
  s.Bind(i++, p.region);
  s.Bind(i++, PlacesJson(p.places));
  s.Bind(i++, p.remote_scope);
  s.Bind(i++, p.salary_annual_min);
  s.Bind(i++, p.salary_annual_max);
  if (p.salary_source) {
    s.Bind(i++, p.salary_currency_guessed ? 1 : 0);
  } else {
    s.BindNull(i++);
  }
  s.Bind(i++, p.salary_source);
  s.Bind(i++, p.seniority);
  s.Bind(i++, p.seniority_rule);
  s.Bind(i++, p.title_family);
  s.Bind(i++, p.title_key);
  s.Bind(i++, p.company_key);
  s.Bind(i++, ListJson(p.skills));
  s.Bind(i++, p.visa_sponsorship);
  s.Bind(i++, p.experience_years_min);
  s.Bind(i++, p.language);
  s.Bind(i++, p.remote_raw);
  s.Bind(i++, p.employment_type_raw);
  s.Bind(i++, p.salary_raw);
  s.Bind(i++, p.date_posted_raw);
  s.Bind(i++, p.valid_through_raw);
  s.Bind(i++, p.country_raw);
  s.Bind(i++, p.department);
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
// "a = excluded.a, b = excluded.b" for the columns in `columns` ("a, b").
std::string ExcludedAssignments(std::string_view columns) {
  std::string out;
  while (!columns.empty()) {
    const size_t comma = columns.find(',');
    std::string_view c = columns.substr(0, comma);
    while (!c.empty() && c.front() == ' ') c.remove_prefix(1);
    if (!c.empty()) {
      if (!out.empty()) out += ", ";
      out += std::string(c) + " = excluded." + std::string(c);
    }
    if (comma == std::string_view::npos) break;
    columns.remove_prefix(comma + 1);
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

Error StorageError(std::string_view what, const sql::Exception& e) {
  if (e.sqlstate().empty() && e.sqlite_code() != 0) return StorageError(what, e.sqlite_code(), e.what());
  Error out = Error::Storage(std::string(what) + ": " + e.what() +
                             (e.sqlstate().empty() ? std::string() : " (SQLSTATE " + e.sqlstate() + ")"));
  out.transient = e.transient();
  return out;
}

// Runs `body`, turning the database's exceptions into an Error that says
// `what` failed: exceptions stay inside storage/.
template <typename F>
auto Guard(std::string_view what, F&& body) -> std::expected<std::invoke_result_t<F>, Error> {
  try {
    if constexpr (std::is_void_v<std::invoke_result_t<F>>) {
      body();
      return {};
    } else {
      return body();
    }
  } catch (const sql::Exception& e) {
    return std::unexpected(StorageError(what, e));
  } catch (const SQLite::Exception& e) {
    return std::unexpected(StorageError(what, e));
  }
}

// As Guard, inside a transaction of its own unless the caller has one open,
// so a call is all or nothing either way.
template <typename F>
auto Atomically(sql::Connection& db, std::string_view what, F&& body) {
  return Guard(what, [&] {
    sql::Transaction tx(db);
    if constexpr (std::is_void_v<std::invoke_result_t<F>>) {
      body();
      tx.Commit();
    } else {
      auto result = body();
      tx.Commit();
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

void BindRunCounters(sql::Statement& s, const RunRecord& r) {
  s.Bind(1, r.pages);
  s.Bind(2, r.bytes);
  s.Bind(3, r.errors);
  s.Bind(4, r.counts.new_postings);
  s.Bind(5, r.counts.updated);
  s.Bind(6, r.counts.unchanged);
  s.Bind(7, r.retries);
  s.Bind(8, r.not_modified);
  s.Bind(9, r.closed);
  s.Bind(10, r.counts.reopened);
  s.Bind(11, r.counts.merged);
}

void BindText(sql::Statement& s, int index, const std::string& text) {
  if (text.empty()) {
    s.BindNull(index);
  } else {
    s.Bind(index, text);
  }
}

// Postings whose listings (on this source, just closed at `now`) leave them
// with no open listing anywhere are closed too.
void ClosePostingsWithoutOpenListings(sql::Connection& db, std::int64_t source_id,
                                      const std::string& now) {
  if (db.engine() == sql::Engine::kPostgres) {
    // Writers of other sources of these postings run at once: their rows
    // are locked first (waiting for such a writer to commit), so that the
    // statement below, with a snapshot of its own, sees every listing's
    // state as committed; else two writers closing the last two open
    // listings of one posting would each see the other's still open.
    auto lock = db.Cached("SELECT id FROM postings WHERE closed_at IS NULL AND id IN "
                          "(SELECT posting_id FROM listings WHERE source_id = ?2 AND closed_at = ?1) "
                          "ORDER BY id FOR UPDATE");
    lock.Bind(1, now);
    lock.Bind(2, source_id);
    lock.Exec();
  }
  auto close = db.Cached("UPDATE postings SET closed_at = ?1 WHERE closed_at IS NULL AND id IN "
                          "(SELECT posting_id FROM listings WHERE source_id = ?2 AND closed_at = ?1) "
                          "AND NOT EXISTS (SELECT 1 FROM listings l WHERE l.posting_id = postings.id "
                          "AND l.closed_at IS NULL)");
  close.Bind(1, now);
  close.Bind(2, source_id);
  close.Exec();
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
  explicit Statements(sql::Connection& db, bool sqlite = true)
      : find_listing(db.Prepare("SELECT l.id, l.posting_id, l.content_hash, l.closed_at IS NOT NULL, "
                         "p.canonical_listing_id IS NOT DISTINCT FROM l.id, l.company_key, l.title_family, l.cities, "
                         "l.simhash, l.features_version, l.seniority "
                         "FROM listings l JOIN postings p ON p.id = l.posting_id "
                         "WHERE l.source_id = ? AND l.key = ?")),
        insert_posting(db.Prepare(std::string("INSERT INTO postings (") + kPostingFields +
                               ", content_hash, first_seen, last_seen, description_markdown" +
                               NormalizedColumns() +
                               ", canonical_listing_id) VALUES "
                               "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,"
                               "?17,?18,?18,?20" +
                               NormalizedValues() + ", ?" + std::to_string(kCanonicalParameter) + ") RETURNING id")),
        update_posting(db.Prepare("UPDATE postings SET " + NormalizedAssignments() +
                               "title=?1, company=?2, location=?3, country=?4, "
                           "remote=?5, employment_type=?6, salary_min=?7, salary_max=?8, "
                           "salary_currency=?9, salary_period=?10, date_posted=?11, "
                           "valid_through=?12, url=?13, apply_url=?14, external_id=?15, "
                           "description=?16, description_markdown=?20, content_hash=?17, last_seen=?18, updated_at=?18, "
                           "closed_at=NULL WHERE id=?19")),
        write_copy(db.Prepare(std::string("INSERT INTO listing_copies (") + kPostingFields +
                           ", content_hash, listing_id, description_markdown" + NormalizedColumns() +
                           ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,"
                           "?17,?19,?20" + NormalizedValues() + ") ON CONFLICT (listing_id) DO UPDATE SET " +
                           ExcludedAssignments(std::string(kPostingFields) + ", content_hash, description_markdown" +
                                               NormalizedColumns()))),
        touch_posting(db.Prepare("UPDATE postings SET last_seen=?1, closed_at=NULL WHERE id=?2")),
        insert_listing(db.Prepare("INSERT INTO listings (posting_id, source_id, key, url, external_id, "
                           "content_hash, first_seen, last_seen, company_key, title_family, cities, "
                           "simhash, band0, band1, band2, band3, features_version, seniority, id) "
                           "VALUES (?1,?2,?3,?4,?5,?6,?7,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)")),
        next_listing_id(db.Prepare(sqlite ? "SELECT coalesce(max(id), 0) + 1 FROM listings"
                                          // Several writers at once: the identity's sequence
                                          // hands each its own id (max + 1 would collide).
                                          : "SELECT nextval(pg_get_serial_sequence('listings', 'id'))")),
        update_listing(db.Prepare("UPDATE listings SET url=?1, content_hash=?2, last_seen=?3, "
                           "closed_at=NULL WHERE id=?4")),
        update_features(db.Prepare("UPDATE listings SET company_key=?1, title_family=?2, cities=?3, "
                            "simhash=?4, band0=?5, band1=?6, band2=?7, band3=?8, "
                            "features_version=?9, seniority=?10 WHERE id=?11")),
        touch_listing(db.Prepare("UPDATE listings SET last_seen=?1, closed_at=NULL WHERE id=?2")),
        save_http_cache(db.Prepare("INSERT INTO http_cache (source_id, url, etag, last_modified, body_hash, "
                        "links, listing_keys, fetched_at, last_used) VALUES (?, ?, ?, ?, ?, ?, ?, ?8, ?8) "
                        "ON CONFLICT (source_id, url) DO UPDATE SET etag = excluded.etag, "
                        "last_modified = excluded.last_modified, body_hash = excluded.body_hash, "
                        "links = excluded.links, listing_keys = excluded.listing_keys, "
                        "fetched_at = excluded.fetched_at, last_used = excluded.last_used")),
        mark_cache_used(db.Prepare("UPDATE http_cache SET last_used = ? WHERE source_id = ? AND url = ?")),
        start_search_batch(sqlite ? db.Prepare("INSERT INTO fts_pending (posting_id) VALUES (0) ON CONFLICT DO NOTHING")
                                  : nullptr),
        index_search_batch(sqlite ? db.Prepare("INSERT INTO postings_fts (rowid, title, company, location, description, skills) "
                               "SELECT p.id, p.title, p.company, p.location, p.description, p.skills "
                               // CROSS JOIN: walk the queue, not postings (the
                               // planner would scan postings for p.id > 0).
                               "FROM fts_pending f CROSS JOIN postings p ON p.id = f.posting_id "
                               "WHERE f.posting_id > 0 ORDER BY f.posting_id")
                                  : nullptr),
        end_search_batch(sqlite ? db.Prepare("DELETE FROM fts_pending") : nullptr) {}

  std::unique_ptr<sql::Statement> find_listing;
  std::unique_ptr<sql::Statement> insert_posting;
  std::unique_ptr<sql::Statement> update_posting;
  std::unique_ptr<sql::Statement> write_copy;
  std::unique_ptr<sql::Statement> touch_posting;
  std::unique_ptr<sql::Statement> insert_listing;
  // The id the next listing gets: a new posting is inserted with its
  // canonical listing's id at once, not updated after (a second write of
  // the whole row). SQLite's writer is alone (the write lock); on
  // PostgreSQL the id comes from the column's identity sequence.
  std::unique_ptr<sql::Statement> next_listing_id;
  std::unique_ptr<sql::Statement> update_listing;
  std::unique_ptr<sql::Statement> update_features;
  std::unique_ptr<sql::Statement> touch_listing;
  // Once per page fetched: preparing them each time was ~6% of a crawl's CPU.
  std::unique_ptr<sql::Statement> save_http_cache;
  std::unique_ptr<sql::Statement> mark_cache_used;
  // Schema v11: queue new postings for postings_fts, index them, stop queueing.
  std::unique_ptr<sql::Statement> start_search_batch;
  std::unique_ptr<sql::Statement> index_search_batch;
  std::unique_ptr<sql::Statement> end_search_batch;
};

PostingStore::PostingStore(std::unique_ptr<SQLite::Database> db, std::unique_ptr<sql::Connection> conn,
                           const StoreOptions& options)
    : db_(std::move(db)),
      conn_(conn ? std::move(conn) : sql::WrapSqlite(*db_)),
      deduper_(std::make_unique<internal::Deduper>(*conn_, options.dedup_distance,
                                                   options.canonical_kinds,
                                                   options.dedup_max_component)),
      stmts_(std::make_unique<Statements>(*conn_, conn_->engine() == sql::Engine::kSqlite)) {}

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

std::expected<std::unique_ptr<PostingStore>, Error> PostingStore::OpenPostgres(const std::string& url,
                                                                               const StoreOptions& options,
                                                                               bool existing) {
#ifdef JOBTRAWL_HAVE_POSTGRESQL
  // The URL may hold a password: errors name the server (libpq's text
  // says host and port) but never repeat the URL.
  pg::ConnectOptions connect;
  connect.lock_timeout = options.pg_lock_timeout;
  connect.statement_timeout = options.pg_statement_timeout;
  connect.migration_timeout = options.pg_migration_timeout;
  connect.reconnect_backoff_min = options.pg_reconnect_backoff_min;
  connect.reconnect_backoff_max = options.pg_reconnect_backoff_max;
  auto connection = pg::Connection::Open(url, connect);
  if (!connection) return std::unexpected(connection.error().ToError());
  if (existing) {
    auto has_schema = connection->Exec("SELECT to_regclass('schema_version') IS NOT NULL");
    if (!has_schema) return std::unexpected(has_schema.error().ToError());
    if (has_schema->Int64(0, 0).value_or(0) == 0) {
      return std::unexpected(
          Error::InvalidArgument("the PostgreSQL database is not a jobtrawl database (it has no schema_version)"));
    }
  }
  if (auto migrated = pg::MigrateSchema(*connection); !migrated) {
    return std::unexpected(migrated.error().ToError());
  }
  auto store = Guard("cannot prepare statements", [&] {
    return std::unique_ptr<PostingStore>(new PostingStore(nullptr, pg::WrapForSql(std::move(*connection)), options));
  });
  if (!store) return store;
  if (auto filled = (*store)->BackfillFeatures(); !filled) return std::unexpected(filled.error());
  return store;
#else
  (void)url;
  (void)options;
  (void)existing;
  return std::unexpected(Error::InvalidArgument(
      "this jobtrawl was built without PostgreSQL support (libpq): it cannot open a postgresql:// database"));
#endif
}

std::expected<std::unique_ptr<PostingStore>, Error> PostingStore::Open(
    const std::filesystem::path& path, const StoreOptions& options) {
  if (options.dedup_distance < -1 || options.dedup_distance > 3) {
    return std::unexpected(Error::InvalidArgument(
        "dedup_distance must be -1 (off) or 0..3, not " + std::to_string(options.dedup_distance)));
  }
  if (IsPostgresUrl(path.native())) return OpenPostgres(path.native(), options, /*existing=*/false);
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
    // A transaction's dirty pages may exceed that cache up to 128 MiB
    // before SQLite spills them to the WAL mid-transaction (a page spilled
    // and changed again is written twice, and re-read): a commit of 2,000
    // postings dirties a page of each random-order index (the four bands,
    // listing keys, title families, company keys) per listing once those
    // outgrow the cache, about 40 MiB at 1,000,000 postings. The bound is
    // the writer's transaction, not the database: after the commit the
    // cache shrinks back to 8 MiB. Nothing about durability changes.
    opened->exec("PRAGMA cache_spill = 32768");
    // Checkpoint when the WAL reaches 256 MiB (journal_size_limit below
    // truncates it back to 64 MiB after each checkpoint) rather than
    // SQLite's 4 MiB: a commit of a few thousand postings writes more than
    // 4 MiB, so every commit was copied back into the database and synced
    // at once, and index pages that the next commits change again were
    // written each time. At 64 MiB the same held from about 500,000
    // postings on (a commit then rewrites 40 MiB of random-order index
    // pages); 256 MiB lets several commits' versions of a page be copied
    // once (+8% postings per CPU second at 300,000, bench/README.md
    // "Scale"). It costs disk, not memory: the WAL index (-shm) is 32 KiB
    // per 4,096 pages (512 KiB here). Durability is unchanged: a commit is
    // in the WAL before COMMIT returns (a killed process loses nothing
    // committed), and the WAL is synced at each checkpoint.
    opened->exec("PRAGMA wal_autocheckpoint = 65536");
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
    return std::unique_ptr<PostingStore>(new PostingStore(std::move(*db), nullptr, options));
  });
  if (!store) return store;
  if (auto filled = (*store)->BackfillFeatures(); !filled) return std::unexpected(filled.error());
  return store;
}

std::expected<std::unique_ptr<PostingStore>, Error> PostingStore::OpenExisting(
    const std::filesystem::path& path, const StoreOptions& options) {
  if (IsPostgresUrl(path.native())) {
    if (options.dedup_distance < -1 || options.dedup_distance > 3) return Open(path, options);
    return OpenPostgres(path.native(), options, /*existing=*/true);
  }
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
  const bool sqlite = conn_->engine() == sql::Engine::kSqlite;
  // A listing's own content is its posting's when it is the one shown,
  // else its listing_copies row.
  auto pick = [](const char* column) {
    return std::string("CASE WHEN c.listing_id IS NULL THEN p.") + column + " ELSE c." + column +
           " END";
  };
  const std::string select =
      "SELECT l.id, " + pick("company_key") + ", " + pick("title_family") + ", " + pick("places") +
      ", " + pick("city") + ", " + pick("description") + ", " + pick("seniority") + ", " + pick("title") +
      " FROM listings l " + std::string(sqlite ? "INDEXED BY listings_features_stale " : "") +
      "JOIN postings p ON p.id = l.posting_id "
      "LEFT JOIN listing_copies c ON c.listing_id = l.id "
      "WHERE l.features_version < 4 LIMIT 1000";
  // Every row read gets the current version and so leaves the index: the
  // loop ends, in whatever order SQLite gives them (grouping does not
  // depend on it).
  std::int64_t after = 0;
  for (;;) {
    auto more = Atomically(*conn_, "cannot fill in matching features", [&] {
      static_assert(internal::kFeaturesVersion == 4, "the literal above and listings_features_stale");
      auto q = conn_->Cached(select);
      auto cities = conn_->Cached(
          sqlite ? "SELECT json_extract(value, '$.city') FROM "
                   "json_each(CASE WHEN json_valid(?1) THEN ?1 END) "
                   "WHERE json_extract(value, '$.city') IS NOT NULL"
                 // places is a json column on PostgreSQL: always valid.
                 : "SELECT e->>'city' FROM json_array_elements(CAST(?1 AS json)) AS e "
                   "WHERE e->>'city' IS NOT NULL");
      auto text = [&](int i) -> std::optional<std::string> {
        if (q.IsNull(i)) return std::nullopt;
        return q.Text(i);
      };
      std::vector<std::int64_t> eligible;
      int rows = 0;
      while (q.Step()) {
        ++rows;
        after = q.Int64(0);
        std::vector<std::string> names;
        if (auto places = text(3)) {
          cities.Reset();
          cities.Bind(1, *places);
          while (cities.Step()) names.push_back(cities.Text(0));
        }
        if (names.empty()) {
          if (auto city = text(4)) names.push_back(*city);
        }
        const internal::ListingFeatures f = internal::FeaturesOf(text(1), text(2), names, text(5), text(6), text(7));
        stmts_->update_features->Reset();
        internal::BindFeatures(*stmts_->update_features, 1, f);
        stmts_->update_features->Bind(11, after);
        stmts_->update_features->Exec();
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
  if (!db_) {
    return Guard("", [&] { return static_cast<int>(conn_->QueryInt64("SELECT max(version) FROM schema_version")); })
        .value_or(-1);
  }
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
  if (!stmts_->start_search_batch) return;  // PostgreSQL: triggers index at once
  stmts_->start_search_batch->Reset();
  stmts_->start_search_batch->Exec();
}

// One statement indexes every queued posting: FTS5 keeps their terms in
// memory (up to its hashsize) and writes segments of many documents.
void PostingStore::FlushSearchBatch() {
  if (!stmts_->index_search_batch) return;
  stmts_->index_search_batch->Reset();
  stmts_->index_search_batch->Exec();
  stmts_->end_search_batch->Reset();
  stmts_->end_search_batch->Exec();
}

std::expected<void, Error> PostingStore::Begin() {
  if (auto f = Fault("begin")) return std::unexpected(*f);
  return Guard("begin", [&] {
    conn_->Begin();
    try {
      StartSearchBatch();
    } catch (...) {
      conn_->Rollback();
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
    conn_->Commit();
    search_batch_ = false;
  });
}

void PostingStore::Rollback() noexcept {
  conn_->Rollback();
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
    auto insert = conn_->Cached("INSERT INTO sources (name, kind, created_at) VALUES (?, ?, ?) "
                             "ON CONFLICT (name) DO UPDATE SET kind = excluded.kind "
                             "WHERE sources.kind <> excluded.kind");
    insert.Bind(1, std::string(name));
    insert.Bind(2, std::string(kind));
    insert.Bind(3, std::string(now));
    if (insert.Exec() > 0) deduper_->ForgetSources();
    auto select = conn_->Cached("SELECT id FROM sources WHERE name = ?");
    select.Bind(1, std::string(name));
    select.Step();
    return select.Int64(0);
  });
}

std::expected<std::optional<std::int64_t>, Error> PostingStore::FindSource(std::string_view name) {
  return Guard("cannot read sources", [&]() -> std::optional<std::int64_t> {
    auto select = conn_->Cached("SELECT id FROM sources WHERE name = ?");
    select.Bind(1, std::string(name));
    if (!select.Step()) return std::nullopt;
    return select.Int64(0);
  });
}

std::expected<int, Error> PostingStore::MarkAbandonedRuns(std::int64_t source_id,
                                                          std::string_view message) {
  if (auto f = Fault("mark abandoned runs")) return std::unexpected(*f);
  return Guard("cannot mark abandoned crawl runs", [&] {
    auto s = conn_->Cached("UPDATE crawl_runs SET status = 'interrupted', message = ? "
                        "WHERE source_id = ? AND status = 'running'");
    s.Bind(1, std::string(message));
    s.Bind(2, source_id);
    return s.Exec();
  });
}

std::expected<std::int64_t, Error> PostingStore::BeginRun(std::int64_t source_id,
                                                          std::string_view now) {
  return Guard("cannot start crawl run", [&] {
    auto s = conn_->Cached("INSERT INTO crawl_runs (source_id, started_at, status) "
                           "VALUES (?, ?, 'running') RETURNING id");
    s.Bind(1, source_id);
    s.Bind(2, now);
    s.Step();
    return s.Int64(0);
  });
}

std::expected<void, Error> PostingStore::FinishRun(std::int64_t run_id, const RunRecord& r) {
  if (auto f = Fault("finish run")) return std::unexpected(*f);
  return Guard("cannot finish crawl run", [&] {
    auto s = conn_->Cached(std::string("UPDATE crawl_runs SET ") + kRunCounters +
                                  ", finished_at=?12, status=?13, message=?14, stats=?15 WHERE id=?16");
    BindRunCounters(s, r);
    s.Bind(12, r.finished_at);
    s.Bind(13, r.status);
    BindText(s, 14, r.message);
    BindText(s, 15, r.stats);
    s.Bind(16, run_id);
    s.Exec();
  });
}

std::expected<void, Error> PostingStore::UpdateRunProgress(std::int64_t run_id, const RunRecord& r) {
  if (auto f = Fault("run progress")) return std::unexpected(*f);
  return Guard("cannot update crawl run", [&] {
    auto s = conn_->Cached(std::string("UPDATE crawl_runs SET ") + kRunCounters +
                                  ", stats=coalesce(?12, stats) WHERE id=?13 AND status='running'");
    BindRunCounters(s, r);
    BindText(s, 12, r.stats);
    s.Bind(13, run_id);
    s.Exec();
  });
}

std::expected<void, Error> PostingStore::RecordError(std::int64_t run_id, const CrawlError& error,
                                                     std::string_view now) {
  if (auto f = Fault("record error")) return std::unexpected(*f);
  return Guard("cannot record crawl error", [&] {
    auto s = conn_->Cached("INSERT INTO crawl_errors (run_id, url, kind, status, message, at, attempt) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.Bind(1, run_id);
    s.Bind(2, error.url);
    s.Bind(3, error.kind);
    s.Bind(4, error.status != 0 ? std::optional<std::int64_t>(error.status) : std::nullopt);
    s.Bind(5, error.message);
    s.Bind(6, std::string(now));
    s.Bind(7, error.attempt);
    s.Exec();
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

namespace {
// What Upsert needs of a posting before its SQL.
struct Computed {
  std::string key;
  std::string hash;
  internal::ListingFeatures features;
};
}  // namespace

std::expected<UpsertCounts, Error> PostingStore::Upsert(std::int64_t source_id,
                                                        std::span<const Posting> postings,
                                                        std::string_view now_view) {
  if (auto f = Fault("upsert")) return std::unexpected(*f);
  const std::string now(now_view);
  const bool dedup = deduper_->enabled();
  return Atomically(*conn_, "cannot store postings", [&] {
    UpsertCounts counts;
    Statements& s = *stmts_;
    // Outside Begin()..Commit(), this call's new postings are indexed for
    // search together at its end (inside the transaction either way).
    const bool own_search_batch = !search_batch_;
    if (own_search_batch) StartSearchBatch();
    // What needs the posting alone (key, content hash, matching features:
    // the SimHash is most of it) is computed ahead on a second core while
    // this thread runs the SQL of the postings before (storage/ahead.h).
    internal::Ahead<Computed> computed(postings.size(), [&](size_t i) {
      const Posting& p = postings[i];
      // Features are computed only while matching is on; features_version 0
      // marks them missing, so turning it on later fills them in (Open).
      return Computed{ListingKey(p), ContentHash(p),
                      dedup ? internal::FeaturesOf(p) : internal::ListingFeatures{}};
    });
    if (dedup && conn_->engine() == sql::Engine::kPostgres) {
      // Writers of other nodes run at once: the dedup groups this call
      // matches in are locked first, all together in ascending order (a
      // changed listing's old group may add one later, in Regroup).
      std::vector<std::int32_t> groups;
      for (size_t i = 0; i < postings.size(); ++i) {
        const internal::ListingFeatures& f = computed.Get(i).features;
        if (f.company_key && f.title_family) groups.push_back(internal::GroupLockKey(f));
      }
      conn_->LockKeys(groups);
    }
    for (size_t index = 0; index < postings.size(); ++index) {
      const Posting& p = postings[index];
      const Computed& c = computed.Get(index);
      const std::string& key = c.key;
      const std::string& hash = c.hash;
      const internal::ListingFeatures& features = c.features;
      s.find_listing->Reset();
      s.find_listing->Bind(1, source_id);
      s.find_listing->Bind(2, key);
      if (!s.find_listing->Step()) {
        s.next_listing_id->Reset();
        s.next_listing_id->Step();
        const std::int64_t new_listing_id = s.next_listing_id->Int64(0);
        s.next_listing_id->Reset();
        // A new listing of `posting_id`; returns its id.
        auto insert_listing = [&](std::int64_t posting_id) {
          s.insert_listing->Reset();
          s.insert_listing->Bind(18, new_listing_id);
          s.insert_listing->Bind(1, posting_id);
          s.insert_listing->Bind(2, source_id);
          s.insert_listing->Bind(3, key);
          s.insert_listing->Bind(4, p.url);
          s.insert_listing->Bind(5, p.external_id);
          s.insert_listing->Bind(6, hash);
          s.insert_listing->Bind(7, now);
          internal::BindFeatures(*s.insert_listing, 8, features);
          if (!dedup) s.insert_listing->Bind(16, 0);
          s.insert_listing->Exec();
          return new_listing_id;
        };
        if (auto match = deduper_->ProbeMatch(source_id, features)) {
          // Stored as a sighting of the posting it matches, its own content
          // in listing_copies; regrouping decides where it belongs.
          const std::int64_t listing_id = insert_listing(*match);
          s.write_copy->Reset();
          BindPosting(*s.write_copy, p);
          s.write_copy->Bind(17, hash);
          s.write_copy->Bind(19, listing_id);
          s.write_copy->Exec();
          ++(deduper_->Regroup(listing_id, std::nullopt, now) > 1 ? counts.merged
                                                                  : counts.new_postings);
          continue;
        }
        s.insert_posting->Reset();
        BindPosting(*s.insert_posting, p);
        s.insert_posting->Bind(17, hash);
        s.insert_posting->Bind(18, now);
        s.insert_posting->Bind(kCanonicalParameter, new_listing_id);
        if (!s.insert_posting->Step()) throw sql::Exception("no posting id returned", SQLITE_INTERNAL, "", false);
        const std::int64_t posting_id = s.insert_posting->Int64(0);
        s.insert_posting->Reset();
        insert_listing(posting_id);
        ++counts.new_postings;
        continue;
      }
      const std::int64_t listing_id = s.find_listing->Int64(0);
      const std::int64_t posting_id = s.find_listing->Int64(1);
      const bool changed = s.find_listing->Text(2) != hash;
      if (s.find_listing->Int(3) != 0) ++counts.reopened;
      const bool shown = s.find_listing->Int(4) != 0;
      internal::ListingFeatures before;
      if (!s.find_listing->IsNull(5)) before.company_key = s.find_listing->Text(5);
      if (!s.find_listing->IsNull(6)) before.title_family = s.find_listing->Text(6);
      if (!s.find_listing->IsNull(7)) {
        before.cities = internal::SplitCities(s.find_listing->Text(7));
      }
      if (!s.find_listing->IsNull(8)) {
        before.simhash = std::bit_cast<std::uint64_t>(s.find_listing->Int64(8));
      }
      if (!s.find_listing->IsNull(10)) before.seniority = s.find_listing->Text(10);
      const bool features_current = s.find_listing->Int(9) == internal::kFeaturesVersion;
      s.find_listing->Reset();
      if (changed && shown) {
        s.update_posting->Reset();
        BindPosting(*s.update_posting, p);
        s.update_posting->Bind(17, hash);
        s.update_posting->Bind(18, now);
        s.update_posting->Bind(19, posting_id);
        s.update_posting->Exec();
      } else {
        if (changed) {  // a copy another listing's content stands for
          s.write_copy->Reset();
          BindPosting(*s.write_copy, p);
          s.write_copy->Bind(17, hash);
          s.write_copy->Bind(19, listing_id);
          s.write_copy->Exec();
        }
        s.touch_posting->Reset();
        s.touch_posting->Bind(1, now);
        s.touch_posting->Bind(2, posting_id);
        s.touch_posting->Exec();
      }
      ++(changed ? counts.updated : counts.unchanged);
      s.update_listing->Reset();
      s.update_listing->Bind(1, p.url);
      s.update_listing->Bind(2, hash);
      s.update_listing->Bind(3, now);
      s.update_listing->Bind(4, listing_id);
      s.update_listing->Exec();
      if (dedup && (!features_current || !(before == features))) {
        s.update_features->Reset();
        internal::BindFeatures(*s.update_features, 1, features);
        s.update_features->Bind(11, listing_id);
        s.update_features->Exec();
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
  auto result = Atomically(*conn_, "cannot split the posting",
                           [&]() -> std::expected<std::int64_t, Error> {
    auto others = conn_->Cached("SELECT id FROM listings WHERE posting_id = ? AND id <> ?");
    others.Bind(1, posting_id);
    others.Bind(2, listing_id);
    auto owner = conn_->Cached("SELECT posting_id FROM listings WHERE id = ?");
    owner.Bind(1, listing_id);
    if (!owner.Step() || owner.Int64(0) != posting_id) {
      return std::unexpected(Error::NotFound("listing " + std::to_string(listing_id) +
                                             " is not a sighting of posting " +
                                             std::to_string(posting_id)));
    }
    const sql::Dialect& d = conn_->dialect();
    auto split = conn_->Cached(std::string("INSERT INTO dedup_splits (listing_a, listing_b, split_at) VALUES (") +
                               std::string(d.least) + "(CAST(?1 AS bigint), CAST(?2 AS bigint)), " +
                               std::string(d.greatest) + "(CAST(?1 AS bigint), CAST(?2 AS bigint)), ?3) "
                               "ON CONFLICT DO NOTHING");
    int pairs = 0;
    while (others.Step()) {
      split.Reset();
      split.Bind(1, listing_id);
      split.Bind(2, others.Int64(0));
      split.Bind(3, now);
      split.Exec();
      ++pairs;
    }
    if (pairs == 0) {
      return std::unexpected(Error::InvalidArgument(
          "listing " + std::to_string(listing_id) + " is the only sighting of posting " +
          std::to_string(posting_id) + ": nothing to split"));
    }
    deduper_->Regroup(listing_id, std::nullopt, now, posting_id);
    auto after = conn_->Cached("SELECT posting_id FROM listings WHERE id = ?");
    after.Bind(1, listing_id);
    after.Step();
    return after.Int64(0);
  });
  if (!result) return std::unexpected(result.error());
  return *result;
}

std::expected<UpsertCounts, Error> PostingStore::Touch(std::int64_t source_id,
                                                       std::span<const std::string> listing_keys,
                                                       std::string_view now_view) {
  if (auto f = Fault("touch")) return std::unexpected(*f);
  const std::string now(now_view);
  return Atomically(*conn_, "cannot refresh listings", [&] {
    UpsertCounts counts;
    Statements& s = *stmts_;
    for (const std::string& key : listing_keys) {
      s.find_listing->Reset();
      s.find_listing->Bind(1, source_id);
      s.find_listing->Bind(2, key);
      if (!s.find_listing->Step()) continue;  // gone meanwhile: nothing to refresh
      const std::int64_t listing_id = s.find_listing->Int64(0);
      const std::int64_t posting_id = s.find_listing->Int64(1);
      if (s.find_listing->Int(3) != 0) ++counts.reopened;
      s.find_listing->Reset();
      s.touch_listing->Reset();
      s.touch_listing->Bind(1, now);
      s.touch_listing->Bind(2, listing_id);
      s.touch_listing->Exec();
      s.touch_posting->Reset();
      s.touch_posting->Bind(1, now);
      s.touch_posting->Bind(2, posting_id);
      s.touch_posting->Exec();
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
  return Atomically(*conn_, "cannot close listings", [&] {
    auto close = conn_->Cached("UPDATE listings SET closed_at = ? WHERE source_id = ? AND key = ? "
                            "AND closed_at IS NULL");
    int closed = 0;
    for (const std::string& key : listing_keys) {
      close.Reset();
      close.Bind(1, now);
      close.Bind(2, source_id);
      close.Bind(3, key);
      closed += close.Exec();
    }
    if (closed > 0) ClosePostingsWithoutOpenListings(*conn_, source_id, now);
    return closed;
  });
}

std::expected<int, Error> PostingStore::CloseUnseen(std::int64_t source_id,
                                                    std::string_view cutoff,
                                                    std::string_view now_view) {
  if (auto f = Fault("close unseen")) return std::unexpected(*f);
  const std::string now(now_view);
  return Atomically(*conn_, "cannot close unseen listings", [&] {
    auto close = conn_->Cached("UPDATE listings SET closed_at = ? WHERE source_id = ? "
                            "AND closed_at IS NULL AND last_seen < ?");
    close.Bind(1, now);
    close.Bind(2, source_id);
    close.Bind(3, std::string(cutoff));
    const int closed = close.Exec();
    if (closed > 0) ClosePostingsWithoutOpenListings(*conn_, source_id, now);
    return closed;
  });
}

std::expected<std::int64_t, Error> PostingStore::CountOpenListings(std::int64_t source_id) {
  return Guard("cannot count listings", [&] {
    auto q = conn_->Cached("SELECT count(*) FROM listings WHERE source_id = ? AND closed_at IS NULL");
    q.Bind(1, source_id);
    q.Step();
    return q.Int64(0);
  });
}

std::expected<std::int64_t, Error> PostingStore::CountSeenSince(std::int64_t source_id,
                                                                std::string_view since) {
  return Guard("cannot count listings", [&] {
    auto q = conn_->Cached("SELECT count(*) FROM listings WHERE source_id = ? AND last_seen >= ?");
    q.Bind(1, source_id);
    q.Bind(2, std::string(since));
    q.Step();
    return q.Int64(0);
  });
}

std::expected<std::vector<std::pair<std::string, CachedPage>>, Error> PostingStore::LoadHttpCache(
    std::int64_t source_id) {
  return Guard("cannot read the HTTP cache", [&] {
    auto q = conn_->Cached("SELECT url, coalesce(etag, ''), coalesce(last_modified, ''), body_hash, "
                        "links, listing_keys, fetched_at FROM http_cache WHERE source_id = ?");
    q.Bind(1, source_id);
    std::vector<std::pair<std::string, CachedPage>> out;
    while (q.Step()) {
      CachedPage page{.etag = q.Text(1),
                      .last_modified = q.Text(2),
                      .body_hash = q.Text(3),
                      .links = DecodeLinks(q.Text(4)),
                      .listing_keys = SplitLines(q.Text(5)),
                      .fetched_at = q.Text(6)};
      out.emplace_back(q.Text(0), std::move(page));
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
    sql::Statement& s = *stmts_->save_http_cache;
    s.Reset();  // a failed last use was reported then; its code is not this call's
    s.Bind(1, source_id);
    s.Bind(2, url);
    BindText(s, 3, page.etag);
    BindText(s, 4, page.last_modified);
    s.Bind(5, page.body_hash);
    s.Bind(6, EncodeLinks(page.links));
    s.Bind(7, EncodeKeys(page.listing_keys));
    s.Bind(8, std::string(now));
    s.Exec();
  });
}

std::expected<void, Error> PostingStore::MarkCacheUsed(std::int64_t source_id,
                                                       const std::string& url,
                                                       std::string_view now) {
  if (auto f = Fault("mark cache used")) return std::unexpected(*f);
  return Guard("cannot write the HTTP cache", [&] {
    sql::Statement& s = *stmts_->mark_cache_used;
    s.Reset();  // a failed last use was reported then; its code is not this call's
    s.Bind(1, std::string(now));
    s.Bind(2, source_id);
    s.Bind(3, url);
    s.Exec();
  });
}

std::expected<int, Error> PostingStore::PruneHttpCache(std::int64_t source_id,
                                                       std::string_view cutoff) {
  if (auto f = Fault("prune http cache")) return std::unexpected(*f);
  return Guard("cannot prune the HTTP cache", [&] {
    auto s = conn_->Cached("DELETE FROM http_cache WHERE source_id = ? AND last_used < ?");
    s.Bind(1, source_id);
    s.Bind(2, std::string(cutoff));
    return s.Exec();
  });
}

std::expected<int, Error> PostingStore::ForgetHttpCacheSince(std::int64_t source_id,
                                                             std::string_view since) {
  if (auto f = Fault("prune http cache")) return std::unexpected(*f);
  return Guard("cannot prune the HTTP cache", [&] {
    auto s = conn_->Cached("DELETE FROM http_cache WHERE source_id = ? AND last_used >= ?");
    s.Bind(1, source_id);
    s.Bind(2, std::string(since));
    return s.Exec();
  });
}

std::expected<std::optional<PostingStore::Lease>, Error> PostingStore::AcquireLease(
    std::int64_t source_id, std::string_view holder, std::string_view now,
    std::string_view expires_at) {
  if (auto f = Fault("acquire lease")) return std::unexpected(*f);
  return Guard("cannot take the source lease", [&]() -> std::optional<Lease> {
    // One statement, so the check and the take are atomic across processes.
    auto take = conn_->Cached("INSERT INTO source_leases (source_id, holder, acquired_at, expires_at) "
                           "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (source_id) DO UPDATE SET "
                           "holder = excluded.holder, acquired_at = CASE WHEN source_leases.holder = "
                           "excluded.holder THEN source_leases.acquired_at ELSE excluded.acquired_at END, "
                           "expires_at = excluded.expires_at "
                           "WHERE source_leases.holder = excluded.holder "
                           "OR source_leases.expires_at <= excluded.acquired_at");
    take.Bind(1, source_id);
    take.Bind(2, std::string(holder));
    take.Bind(3, std::string(now));
    take.Bind(4, std::string(expires_at));
    if (take.Exec() == 1) return std::nullopt;
    auto who = conn_->Cached("SELECT holder, expires_at FROM source_leases WHERE source_id = ?");
    who.Bind(1, source_id);
    if (!who.Step()) return std::nullopt;  // released meanwhile; try again later
    return Lease{who.Text(0), who.Text(1)};
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
    auto s = conn_->Cached("UPDATE source_leases SET holder = ?, acquired_at = ?, expires_at = ? "
                        "WHERE source_id = ? AND holder = ?");
    s.Bind(1, std::string(holder));
    s.Bind(2, std::string(now));
    s.Bind(3, std::string(expires_at));
    s.Bind(4, source_id);
    s.Bind(5, std::string(dead_holder));
    return s.Exec() == 1;
  });
}

std::expected<std::optional<std::string>, Error> PostingStore::LeaseHolder(std::int64_t source_id) {
  if (auto f = Fault("read lease")) return std::unexpected(*f);
  return Guard("cannot read the source lease", [&]() -> std::optional<std::string> {
    auto q = conn_->Cached("SELECT holder FROM source_leases WHERE source_id = ?");
    q.Bind(1, source_id);
    if (!q.Step()) return std::nullopt;
    return q.Text(0);
  });
}

std::expected<void, Error> PostingStore::ReleaseLease(std::int64_t source_id,
                                                      std::string_view holder) {
  if (auto f = Fault("release lease")) return std::unexpected(*f);
  return Guard("cannot release the source lease", [&] {
    auto s = conn_->Cached("DELETE FROM source_leases WHERE source_id = ? AND holder = ?");
    s.Bind(1, source_id);
    s.Bind(2, std::string(holder));
    s.Exec();
  });
}

std::expected<void, Error> PostingStore::SetNextRun(std::int64_t source_id, std::string_view at) {
  if (auto f = Fault("set next run")) return std::unexpected(*f);
  return Guard("cannot store the next run time", [&] {
    auto s = conn_->Cached("UPDATE sources SET next_run_at = ? WHERE id = ?");
    s.Bind(1, std::string(at));
    s.Bind(2, source_id);
    s.Exec();
  });
}

std::expected<std::optional<std::string>, Error> PostingStore::NextRun(std::int64_t source_id) {
  return Guard("cannot read the next run time", [&]() -> std::optional<std::string> {
    auto q = conn_->Cached("SELECT next_run_at FROM sources WHERE id = ?");
    q.Bind(1, source_id);
    if (!q.Step() || q.IsNull(0)) return std::nullopt;
    return q.Text(0);
  });
}

std::expected<std::optional<PostingStore::RunTimes>, Error> PostingStore::LastSuccessfulRun(
    std::int64_t source_id) {
  return Guard("cannot read the source's last run", [&]() -> std::optional<RunTimes> {
    auto q = conn_->Cached("SELECT started_at, coalesce(finished_at, started_at) FROM crawl_runs "
                        "WHERE source_id = ? AND status IN ('ok', 'partial', 'degraded') "
                        "ORDER BY started_at DESC LIMIT 1");
    q.Bind(1, source_id);
    if (!q.Step()) return std::nullopt;
    return RunTimes{q.Text(0), q.Text(1)};
  });
}

std::expected<std::optional<std::string>, Error> PostingStore::LastGoodRunStats(
    std::int64_t source_id) {
  return Guard("cannot read the source's last good run", [&]() -> std::optional<std::string> {
    auto q = conn_->Cached(
        conn_->engine() == sql::Engine::kSqlite
            ? "SELECT stats FROM crawl_runs WHERE source_id = ? AND status IN ('ok', 'partial') "
              "AND stats IS NOT NULL AND json_valid(stats) "
              "AND coalesce(json_extract(stats, '$.deadline_hit'), 0) = 0 ORDER BY id DESC LIMIT 1"
            // stats is a json column: valid whenever it is there.
            : "SELECT stats FROM crawl_runs WHERE source_id = ? AND status IN ('ok', 'partial') "
              "AND stats IS NOT NULL AND json_typeof(stats) = 'object' "
              "AND coalesce(stats->>'deadline_hit', '0') IN ('0', 'false') ORDER BY id DESC LIMIT 1");
    q.Bind(1, source_id);
    if (!q.Step()) return std::nullopt;
    return q.Text(0);
  });
}

std::expected<void, Error> PostingStore::CaptureFreshPostings() {
  if (!db_) {
    // PostgreSQL: the schema's triggers (pg schema v18) note postings in
    // this session's temporary table once the session asks for it; both
    // are rolled back with a transaction that made them. Both are session
    // state, so the connection sets them up again on every session a
    // reconnect opens (a reconnect loses what the old session noted but
    // had not yet queued).
    pg::Connection* pg = pg::Underlying(*conn_);
    if (!pg) return std::unexpected(Error::Storage("cannot note new postings for alerts: not a PostgreSQL store"));
    auto set = pg->AddSessionSetup(
        "CREATE TEMP TABLE IF NOT EXISTS fresh_postings (id bigint PRIMARY KEY, event text NOT NULL);"
        "SET jobtrawl.capture_fresh = 'on'");
    if (!set) {
      return std::unexpected(StorageError("cannot note new postings for alerts",
                                          sql::Exception(set.error().message, 0, set.error().sqlstate,
                                                         set.error().transient)));
    }
    return {};
  }
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
    const bool pg = db_ == nullptr;
    if (pg) {
      if (conn_->QueryInt64("SELECT CASE WHEN to_regclass('pg_temp.fresh_postings') IS NULL THEN 0 ELSE 1 END") == 0) {
        return 0;
      }
    } else if (db_->execAndGet("SELECT count(*) FROM temp.sqlite_master WHERE name = 'fresh_postings'").getInt() == 0) {
      return 0;
    }
    const std::string fresh = pg ? "pg_temp.fresh_postings" : "temp.fresh_postings";
    if (conn_->QueryInt64("SELECT count(*) FROM " + fresh) == 0) return 0;
    // PostgreSQL: a rule the server refuses is undone to a savepoint (a
    // failed statement ends the whole transaction there), which needs one.
    std::optional<sql::Transaction> own;
    if (pg) own.emplace(*conn_);
    // A rule's full-text query reads postings_fts: the postings this
    // transaction queued for the search index (schema v11) go in first, and
    // the batch goes on for what follows.
    const bool full_text = std::any_of(rules.begin(), rules.end(),
                                       [](const AlertRule& r) { return r.postings && !r.filter.match.empty(); });
    if (full_text && search_batch_) {
      FlushSearchBatch();
      StartSearchBatch();
    }
    auto event = conn_->Cached("SELECT event FROM " + fresh + " WHERE id = ?");
    auto insert = conn_->Cached("INSERT INTO alert_outbox (alert, event, posting_id, idempotency_key, "
                             "created_at, next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT DO NOTHING");
    int added = 0;
    for (const AlertRule& rule : rules) {
      if (!rule.postings) continue;
      std::expected<std::vector<std::int64_t>, Error> ids = std::vector<std::int64_t>();
      if (!pg) {
        ids = MatchingPostings(*db_, rule.filter, "SELECT id FROM temp.fresh_postings");
        if (!ids && ids.error().transient) throw SQLite::Exception(ids.error().message, SQLITE_BUSY);
      } else {
#ifdef JOBTRAWL_HAVE_POSTGRESQL
        conn_->Exec("SAVEPOINT jobtrawl_alert_rule");
        ids = pg::MatchingPostings(*pg::Underlying(*conn_), rule.filter, "SELECT id FROM pg_temp.fresh_postings");
        if (!ids && ids.error().transient) throw sql::Exception(ids.error().message, 0, "", true);
        if (!ids) conn_->Exec("ROLLBACK TO SAVEPOINT jobtrawl_alert_rule");
        conn_->Exec("RELEASE SAVEPOINT jobtrawl_alert_rule");
#endif
      }
      if (!ids) {
        if (skipped != nullptr) skipped->push_back(rule.name + ": " + ids.error().message);
        continue;
      }
      for (std::int64_t id : *ids) {
        event.Reset();
        event.Bind(1, id);
        if (!event.Step()) continue;
        const std::string what = event.Text(0);
        insert.Reset();
        insert.Bind(1, rule.name);
        insert.Bind(2, what);
        insert.Bind(3, id);
        // One event of one posting for one alert: a reopening's key has its time.
        insert.Bind(4, "jobtrawl:" + rule.name + ":" + what + ":" + std::to_string(id) +
                           (what == "new" ? std::string() : ":" + std::string(now)));
        insert.Bind(5, std::string(now));
        added += insert.Exec();
      }
    }
    conn_->Exec("DELETE FROM " + fresh);
    if (own) own->Commit();
    return added;
  });
}

std::expected<int, Error> PostingStore::EnqueueAlarm(std::span<const AlertRule> rules, std::string_view key,
                                                     std::string_view payload, std::string_view now) {
  if (auto f = Fault("enqueue alerts")) return std::unexpected(*f);
  return Guard("cannot add an alarm to the outbox", [&]() -> int {
    auto insert = conn_->Cached("INSERT INTO alert_outbox (alert, event, payload, idempotency_key, "
                             "created_at, next_attempt_at) VALUES (?1, 'degraded', ?2, ?3, ?4, ?4) "
                             "ON CONFLICT DO NOTHING");
    int added = 0;
    for (const AlertRule& rule : rules) {
      if (!rule.alarms) continue;
      insert.Reset();
      insert.Bind(1, rule.name);
      insert.Bind(2, std::string(payload));
      insert.Bind(3, "jobtrawl:" + rule.name + ":degraded:" + std::string(key));
      insert.Bind(4, std::string(now));
      added += insert.Exec();
    }
    return added;
  });
}

std::expected<std::vector<OutboxItem>, Error> PostingStore::DueOutbox(std::string_view now, int limit) {
  return Guard("cannot read the alert outbox", [&] {
    auto q = conn_->Cached("SELECT id, alert, event, posting_id, coalesce(payload, ''), idempotency_key, "
                        "created_at, attempts FROM alert_outbox WHERE delivered_at IS NULL "
                        "AND next_attempt_at <= ? ORDER BY id LIMIT ?");
    q.Bind(1, std::string(now));
    q.Bind(2, limit);
    std::vector<OutboxItem> items;
    while (q.Step()) {
      OutboxItem item{.id = q.Int64(0),
                      .alert = q.Text(1),
                      .event = q.Text(2),
                      .payload = q.Text(4),
                      .idempotency_key = q.Text(5),
                      .created_at = q.Text(6),
                      .attempts = q.Int(7)};
      if (!q.IsNull(3)) item.posting_id = q.Int64(3);
      items.push_back(std::move(item));
    }
    return items;
  });
}

std::expected<std::optional<std::string>, Error> PostingStore::NextOutboxAttempt() {
  return Guard("cannot read the alert outbox", [&]() -> std::optional<std::string> {
    auto q = conn_->Cached("SELECT min(next_attempt_at) FROM alert_outbox WHERE delivered_at IS NULL "
                              "AND next_attempt_at <> 'never'");
    if (!q.Step() || q.IsNull(0)) return std::nullopt;
    return q.Text(0);
  });
}

std::expected<std::vector<std::int64_t>, Error> PostingStore::ClaimOutbox(std::span<const std::int64_t> ids,
                                                                          std::string_view now,
                                                                          std::string_view until) {
  if (auto f = Fault("claim outbox")) return std::unexpected(*f);
  return Atomically(*conn_, "cannot claim alerts for delivery", [&] {
    auto u = conn_->Cached("UPDATE alert_outbox SET next_attempt_at = ?1 WHERE id = ?2 "
                              "AND delivered_at IS NULL AND next_attempt_at <= ?3");
    std::vector<std::int64_t> claimed;
    for (std::int64_t id : ids) {
      u.Reset();
      u.Bind(1, std::string(until));
      u.Bind(2, id);
      u.Bind(3, std::string(now));
      if (u.Exec() == 1) claimed.push_back(id);
    }
    return claimed;
  });
}

std::expected<void, Error> PostingStore::DeferOutbox(std::span<const std::int64_t> ids,
                                                     std::string_view next_attempt_at) {
  if (auto f = Fault("defer outbox")) return std::unexpected(*f);
  return Atomically(*conn_, "cannot defer alerts", [&] {
    auto u = conn_->Cached("UPDATE alert_outbox SET next_attempt_at = ? WHERE id = ? AND delivered_at IS NULL "
                              "AND next_attempt_at <> 'never'");
    for (std::int64_t id : ids) {
      u.Reset();
      u.Bind(1, std::string(next_attempt_at));
      u.Bind(2, id);
      u.Exec();
    }
  });
}

std::expected<std::int64_t, Error> PostingStore::CountPendingOutbox() {
  return Guard("cannot read the alert outbox", [&]() -> std::int64_t {
    return conn_->QueryInt64("SELECT count(*) FROM alert_outbox WHERE delivered_at IS NULL AND next_attempt_at <> 'never'");
  });
}

std::expected<std::vector<std::pair<std::string, int>>, Error> PostingStore::GiveUpOutbox(
    std::string_view queued_before, std::string_view now) {
  if (auto f = Fault("give up outbox")) return std::unexpected(*f);
  return Atomically(*conn_, "cannot give up old alerts", [&] {
    std::vector<std::pair<std::string, int>> by_alert;
    auto q = conn_->Cached("SELECT alert, count(*) FROM alert_outbox WHERE delivered_at IS NULL AND next_attempt_at <> 'never' "
                        "AND created_at < ?1 GROUP BY alert ORDER BY alert");
    q.Bind(1, std::string(queued_before));
    while (q.Step()) by_alert.emplace_back(q.Text(0), q.Int(1));
    if (by_alert.empty()) return by_alert;
    auto u = conn_->Cached("UPDATE alert_outbox SET next_attempt_at = 'never', last_error = 'given up at ' || ?2 || "
                        "' ([delivery] give_up_after)' || coalesce(': ' || last_error, '') "
                        "WHERE delivered_at IS NULL AND next_attempt_at <> 'never' AND created_at < ?1");
    u.Bind(1, std::string(queued_before));
    u.Bind(2, std::string(now));
    u.Exec();
    return by_alert;
  });
}

std::expected<void, Error> PostingStore::MarkDelivered(std::span<const std::int64_t> ids,
                                                       std::string_view now) {
  if (auto f = Fault("mark delivered")) return std::unexpected(*f);
  return Atomically(*conn_, "cannot mark alerts delivered", [&] {
    auto u = conn_->Cached("UPDATE alert_outbox SET delivered_at = ?, attempts = attempts + 1, "
                              "last_error = NULL WHERE id = ?");
    for (std::int64_t id : ids) {
      u.Reset();
      u.Bind(1, std::string(now));
      u.Bind(2, id);
      u.Exec();
    }
  });
}

std::expected<void, Error> PostingStore::MarkDeliveryFailed(std::span<const std::int64_t> ids,
                                                            std::string_view error,
                                                            std::string_view next_attempt_at) {
  if (auto f = Fault("mark delivery failed")) return std::unexpected(*f);
  return Atomically(*conn_, "cannot record a failed delivery", [&] {
    auto u = conn_->Cached("UPDATE alert_outbox SET attempts = attempts + 1, last_error = ?, "
                              "next_attempt_at = ? WHERE id = ? AND delivered_at IS NULL AND next_attempt_at <> 'never'");
    for (std::int64_t id : ids) {
      u.Reset();
      u.Bind(1, std::string(error));
      u.Bind(2, std::string(next_attempt_at));
      u.Bind(3, id);
      u.Exec();
    }
  });
}

std::expected<std::optional<Row>, Error> PostingStore::AlertPosting(std::int64_t id) {
  if (!db_) {
#ifdef JOBTRAWL_HAVE_POSTGRESQL
    return pg::PostingRow(*pg::Underlying(*conn_), id);
#else
    return std::unexpected(Error::InvalidArgument("built without PostgreSQL"));
#endif
  }
  return PostingRow(*db_, id);
}

std::expected<int, Error> PostingStore::PruneOutbox(std::string_view before) {
  if (auto f = Fault("prune outbox")) return std::unexpected(*f);
  return Atomically(*conn_, "cannot prune the alert outbox", [&] {
    auto d = conn_->Cached(
        "DELETE FROM alert_outbox WHERE event <> 'degraded' AND ("
        "(delivered_at IS NOT NULL AND delivered_at < ?1) OR "
        "(delivered_at IS NULL AND next_attempt_at = 'never' AND created_at < ?1))");
    d.Bind(1, std::string(before));
    return d.Exec();
  });
}

}  // namespace jobtrawl::storage
