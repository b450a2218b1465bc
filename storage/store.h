// The jobtrawl database: SQLite in WAL mode (schema in docs/schema.md), or
// PostgreSQL for a postgresql:// URL (issue 15; storage/pg/schema.h,
// docs/postgresql.md). One implementation for both, written against
// storage/sql.h.
//
// One PostingStore owns one connection. It is not thread-safe: the crawl
// gives it to a single writer thread. Every public call catches the
// database's exceptions and returns them as an Error (`transient` when
// SQLite said BUSY, LOCKED, FULL or IOERR, or PostgreSQL reported a
// serialization failure, a deadlock or a lost connection: the same call may
// succeed later); a failed call inside a transaction leaves it to the
// caller to Rollback().
//
// Files: the database, its -wal and its -shm file are readable and writable
// by their owner and group only (at most 0660, whatever the umask).
#ifndef JOBTRAWL_STORAGE_STORE_H_
#define JOBTRAWL_STORAGE_STORE_H_

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/error.h"
#include "model/posting.h"
#include "storage/reader.h"

namespace SQLite {
class Database;
}

namespace jobtrawl::storage {

namespace internal {
class Deduper;
}
namespace sql {
class Connection;
}

// The newest schema version this build writes (PRAGMA user_version).
int LatestSchemaVersion();

// Where Open copies a database of schema version `version` before it
// migrates it: "jobs.db" -> "jobs.db.v7.bak".
std::filesystem::path BackupPathBeforeMigration(const std::filesystem::path& database, int version);

// A 64-bit hash of `bytes` in hex (XXH3): stable across builds and
// machines, as content_hash and http_cache.body_hash need.
std::string StableHash(std::string_view bytes);

struct UpsertCounts {
  int new_postings = 0;  // listings never seen before that are a job of their own
  int updated = 0;       // seen before, content changed
  int unchanged = 0;     // seen before, same content; last_seen refreshed
  int reopened = 0;      // of those seen before, how many had been closed
  int merged = 0;        // listings never seen before that joined a posting another source carries

  UpsertCounts& operator+=(const UpsertCounts& o) {
    new_postings += o.new_postings;
    updated += o.updated;
    unchanged += o.unchanged;
    reopened += o.reopened;
    merged += o.merged;
    return *this;
  }
};

// How the store groups listings into postings (docs/schema.md
// "Deduplication"). storage/ takes these from its caller, never from config/.
struct StoreOptions {
  // Listings of different sources with the same company_key and
  // title_family, compatible cities and description SimHashes at most this
  // many bits apart are sightings of one posting. 0..3 (the banded index
  // finds every pair up to 3); -1 turns cross-board matching off.
  int dedup_distance = 3;
  // Source kinds whose listings are the employer's own (applicant-tracking
  // system APIs): in a posting several sources carry, such a listing is
  // canonical (its content is what the posting shows) over an aggregator's
  // copy. Every other kind (html, rss, xmlfeed, sitemap, remotive,
  // remoteok, ...) ranks as an aggregator.
  std::vector<std::string> canonical_kinds = {"greenhouse", "lever",    "ashby",  "workable",
                                              "smartrecruiters", "recruitee", "workday", "personio",
                                              "breezy",     "rippling"};
  // The most listings one regrouping reads through matches (issue 12
  // part 6: a lookup touches a handful of listings, never a growing
  // group). A component of matching listings larger than this is regrouped
  // only around the listing that changed: the matches reached first
  // (breadth-first), with every listing of each posting they are in. Up to
  // this size the grouping is the same in every arrival order.
  int dedup_max_component = 256;
  // PostgreSQL only: the session's lock_timeout and statement_timeout
  // (docs/postgresql.md "Connections"): a write waiting on another node's
  // lock, or a statement that runs away, fails with a transient error
  // (which the crawl's writer retries) instead of hanging. Zero: none. A
  // URL's own `options=-c ...` wins; migrations run under
  // pg_migration_timeout instead.
  std::chrono::milliseconds pg_lock_timeout{10'000};
  std::chrono::milliseconds pg_statement_timeout{60'000};
  std::chrono::milliseconds pg_migration_timeout{std::chrono::hours(1)};
  // PostgreSQL only: a lost connection is opened again on the next use
  // outside a transaction; failed attempts wait this long, doubling up to
  // pg_reconnect_backoff_max.
  std::chrono::milliseconds pg_reconnect_backoff_min{100};
  std::chrono::milliseconds pg_reconnect_backoff_max{30'000};
};

// What the last fetch of a page left behind, for the next conditional GET.
struct CachedPage {
  std::string etag;
  std::string last_modified;
  std::string body_hash;
  std::vector<Link> links;                // a listing page's links, replayed on 304
  std::vector<std::string> listing_keys;  // the listings the page held (ListingKey)
  std::string fetched_at;                 // when it was last fetched and read (UTC ISO-8601)
};

// One failed page of a crawl.
struct CrawlError {
  std::string url;
  std::string kind;  // "http_status", "timeout", "parse", ... (FetchErrorName)
  long status = 0;   // HTTP status, 0 when none
  std::string message;
  int attempt = 1;   // 1 for the first try, 2 for the first retry, ...
};

// What a finished crawl of one source did, for its crawl_runs row.
struct RunRecord {
  std::string finished_at;
  std::string status;  // "ok" | "partial" | "failed"
  std::int64_t pages = 0;
  std::int64_t bytes = 0;
  std::int64_t errors = 0;
  std::int64_t retries = 0;
  std::int64_t not_modified = 0;
  std::int64_t closed = 0;  // listings closed by this run
  UpsertCounts counts;
  std::string message;
  std::string stats;  // a JSON object of the run's statistics (app/run_stats.h), or empty
};

// An [[alert]] as the store applies it: postings made new or reopened that
// match `filter` (the filters of `jobtrawl search`; an empty `match` matches
// every posting) get an outbox row for `name`; with `alarms`, so do
// breakage alarms (degraded runs).
struct AlertRule {
  std::string name;
  PostingFilter filter;
  bool postings = true;
  bool alarms = false;
};

// One undelivered alert_outbox row.
struct OutboxItem {
  std::int64_t id = 0;
  std::string alert;
  std::string event;  // "new" | "reopened" | "degraded"
  std::optional<std::int64_t> posting_id;  // new, reopened; nullopt when the posting is gone
  std::string payload;                     // degraded: the alarm as a JSON object
  std::string idempotency_key;
  std::string created_at;
  int attempts = 0;
};

class PostingStore {
 public:
  // Opens (creating if needed) and migrates the database at `path`;
  // ":memory:" gives a private in-memory database for tests. Takes every
  // permission for others off the database files. Before migrating a
  // database of an older schema version V, copies it to
  // BackupPathBeforeMigration(path, V) (storage/backup.h) and refuses to
  // migrate when that copy cannot be made. A file that holds tables but no
  // jobtrawl schema version (another application's database) is refused
  // with kInvalidArgument and left as it is.
  // A PostgreSQL URI (model/database_location.h IsPostgresUrl) opens that
  // database instead and brings it to the PostgreSQL schema
  // (pg::MigrateSchema, under an advisory lock); a build without libpq
  // refuses it with kInvalidArgument.
  // Fails with kInvalidArgument when options.dedup_distance is outside
  // -1..3. Listings whose matching features were never computed (stored by
  // a build before schema v10, or while dedup_distance was -1) get them now
  // and are grouped with the rest: a one-time cost on the first open.
  static std::expected<std::unique_ptr<PostingStore>, Error> Open(const std::filesystem::path& path,
                                                                  const StoreOptions& options = {});

  // As Open, for tools that work on a database a crawl made: never creates
  // one, and never migrates a file that is not a jobtrawl database.
  // kNotFound when `path` does not exist; kInvalidArgument when it is not an
  // SQLite database or holds another application's tables.
  static std::expected<std::unique_ptr<PostingStore>, Error> OpenExisting(
      const std::filesystem::path& path, const StoreOptions& options = {});

  ~PostingStore();
  PostingStore(const PostingStore&) = delete;
  PostingStore& operator=(const PostingStore&) = delete;

  int SchemaVersion() const;

  // Failure injection for tests (leveldb's ErrorEnv): before a write call
  // does anything, `hook` is asked with the call's name ("begin", "commit",
  // "upsert", "touch", "close listings", "close unseen", "save http cache",
  // "mark cache used", "prune http cache", "record error", "finish run",
  // "run progress", "mark abandoned runs", "acquire lease", "take over lease", "read lease",
  // "release lease", "set next run", "split", "enqueue alerts", "mark delivered",
  // "mark delivery failed", "prune outbox"); a SQLite result code it returns
  // (e.g. SQLITE_BUSY) makes the call fail with that code, as if SQLite had
  // said so. Empty: no injection.
  using FaultHook = std::function<std::optional<int>(std::string_view call)>;
  void SetFaultHook(FaultHook hook);

  // Explicit transactions group many writes into one commit. Calls made
  // outside one commit on their own. Postings added inside one are indexed
  // for full-text search (postings_fts) together at Commit(), a few times
  // cheaper than one by one (schema v11, fts_pending).
  std::expected<void, Error> Begin();
  std::expected<void, Error> Commit();
  void Rollback() noexcept;

  // The id of the source with this name, inserting it if new. `kind` is
  // the config's (never a guess); a stored kind changes only when the
  // config's did. REQUIRES: `kind` is not empty (else kInvalidArgument).
  std::expected<std::int64_t, Error> EnsureSource(std::string_view name, std::string_view kind,
                                                  std::string_view now);
  // The id of the source with this name, or nullopt when there is none.
  std::expected<std::optional<std::int64_t>, Error> FindSource(std::string_view name);

  // Marks the source's runs still "running" as "interrupted" with
  // `message`: call it holding the source's lease, when every such run
  // belongs to a process that died. Returns how many were marked.
  std::expected<int, Error> MarkAbandonedRuns(std::int64_t source_id, std::string_view message);

  // Starts a crawl_runs row with status "running"; returns its id.
  std::expected<std::int64_t, Error> BeginRun(std::int64_t source_id, std::string_view now);
  std::expected<void, Error> FinishRun(std::int64_t run_id, const RunRecord& record);
  // Writes a run's counters so far (pages, bytes, errors, retries,
  // not_modified, posting counts, closed); status, message and finished_at
  // are not touched. Only a run still `running` is changed.
  std::expected<void, Error> UpdateRunProgress(std::int64_t run_id, const RunRecord& progress);
  std::expected<void, Error> RecordError(std::int64_t run_id, const CrawlError& error,
                                         std::string_view now);

  // Stores sightings of postings on a source. A listing is keyed by the
  // board's id when the posting has one, else by its canonical URL; seeing
  // it again refreshes last_seen, and a changed content hash updates its
  // content (the posting's fields when it is the posting's canonical
  // listing; the old values go to `revisions`). A new listing, or one whose
  // matching features changed, is grouped with the listings it matches
  // (docs/schema.md "Deduplication"): the grouping depends only on the set
  // of listings stored, never on the order they arrived in.
  std::expected<UpsertCounts, Error> Upsert(std::int64_t source_id,
                                            std::span<const Posting> postings,
                                            std::string_view now);

  // Refreshes last_seen of the listings with these keys (and their
  // postings), reopening closed ones: the page that holds them is unchanged.
  std::expected<UpsertCounts, Error> Touch(std::int64_t source_id,
                                           std::span<const std::string> listing_keys,
                                           std::string_view now);

  // Closes these listings now (their page answered 404 or 410), and the
  // postings left with no open listing. Returns how many listings closed.
  std::expected<int, Error> CloseListings(std::int64_t source_id,
                                          std::span<const std::string> listing_keys,
                                          std::string_view now);

  // Closes the source's open listings last seen before `cutoff`, and the
  // postings left with no open listing. Returns how many listings closed.
  std::expected<int, Error> CloseUnseen(std::int64_t source_id, std::string_view cutoff,
                                        std::string_view now);

  // Open listings of a source, and those of them seen at or after `since`.
  std::expected<std::int64_t, Error> CountOpenListings(std::int64_t source_id);
  std::expected<std::int64_t, Error> CountSeenSince(std::int64_t source_id, std::string_view since);

  // The http_cache rows of a source, by URL.
  std::expected<std::vector<std::pair<std::string, CachedPage>>, Error> LoadHttpCache(
      std::int64_t source_id);
  // Writes a page's row; its last_used becomes `now`.
  std::expected<void, Error> SaveHttpCache(std::int64_t source_id, const std::string& url,
                                           const CachedPage& page, std::string_view now);
  // The page was fetched (or confirmed by a sitemap) unchanged: its row is
  // still in use. No row: nothing happens.
  std::expected<void, Error> MarkCacheUsed(std::int64_t source_id, const std::string& url,
                                           std::string_view now);
  // Deletes the source's rows last used before `cutoff` (pages no longer
  // linked from the board); returns how many.
  std::expected<int, Error> PruneHttpCache(std::int64_t source_id, std::string_view cutoff);
  // Deletes the source's rows used at or after `since`: what a degraded
  // run read is read afresh next time, so its breakage is checked again.
  std::expected<int, Error> ForgetHttpCacheSince(std::int64_t source_id, std::string_view since);

  // Leases: only the holder of a source's unexpired lease crawls it, so a
  // daemon and a one-shot crawl on the same database never overlap. Taken
  // atomically; an expired lease (its holder died) may be taken over.
  struct Lease {
    std::string holder;
    std::string expires_at;
  };
  // Takes or renews the lease; returns nullopt when `holder` has it now,
  // or the lease of whoever else holds it.
  std::expected<std::optional<Lease>, Error> AcquireLease(std::int64_t source_id,
                                                          std::string_view holder,
                                                          std::string_view now,
                                                          std::string_view expires_at);
  // Replaces `dead_holder`'s lease by one of `holder`, whatever its expiry:
  // the caller knows that process is gone. False when `dead_holder` no
  // longer holds it (released, or taken by someone else meanwhile).
  std::expected<bool, Error> TakeOverLease(std::int64_t source_id, std::string_view dead_holder,
                                           std::string_view holder, std::string_view now,
                                           std::string_view expires_at);
  // Who holds the source's lease now (expired or not), or nullopt.
  std::expected<std::optional<std::string>, Error> LeaseHolder(std::int64_t source_id);
  std::expected<void, Error> ReleaseLease(std::int64_t source_id, std::string_view holder);

  // The daemon's next crawl of a source, kept across restarts.
  std::expected<void, Error> SetNextRun(std::int64_t source_id, std::string_view at);
  std::expected<std::optional<std::string>, Error> NextRun(std::int64_t source_id);

  // When the source's newest run that stored what it found (status `ok`,
  // `partial` or `degraded`) started and finished (UTC ISO-8601), or
  // nullopt when it has had none. `crawl --due` counts the source's `every` from the start; the
  // daemon's last-success metric is the finish.
  struct RunTimes {
    std::string started_at;
    std::string finished_at;
  };
  std::expected<std::optional<RunTimes>, Error> LastSuccessfulRun(std::int64_t source_id);
  // The stats JSON (crawl_runs.stats) of the source's newest good run:
  // status `ok` or `partial`, never `degraded` (breakage alarms compare a
  // run with it), or nullopt when it has had none.
  std::expected<std::optional<std::string>, Error> LastGoodRunStats(std::int64_t source_id);

  // Alerts (README "Alerts"). CaptureFreshPostings makes this connection
  // note every posting inserted or reopened from now on (SQLite: TEMP
  // triggers; PostgreSQL: the schema's triggers, on for this session only,
  // into its temporary table pg_temp.fresh_postings, set up again on every
  // session a reconnect opens; idempotent; call it outside a transaction);
  // EnqueueAlerts, inside the transaction that stored them, adds an
  // alert_outbox row for each noted posting still open that a rule's
  // filter matches (as `jobtrawl search` matches on that engine), and
  // forgets the notes. A rule whose filter the engine cannot run (a query
  // FTS5, or on PostgreSQL storage/pg/search_query.h, cannot read) is
  // skipped and named in `skipped`; the other rules' rows are still added.
  // Returns how many rows were added.
  std::expected<void, Error> CaptureFreshPostings();
  std::expected<int, Error> EnqueueAlerts(std::span<const AlertRule> rules, std::string_view now,
                                          std::vector<std::string>* skipped = nullptr);
  // An outbox row for each rule with `alarms`: `key` makes it unique (one
  // per degraded run), `payload` is a JSON object.
  std::expected<int, Error> EnqueueAlarm(std::span<const AlertRule> rules, std::string_view key,
                                         std::string_view payload, std::string_view now);
  // Undelivered rows whose next attempt is due at `now`, oldest first.
  std::expected<std::vector<OutboxItem>, Error> DueOutbox(std::string_view now, int limit);
  // The earliest next attempt of an undelivered row, or nullopt when all
  // are delivered (or given up).
  std::expected<std::optional<std::string>, Error> NextOutboxAttempt();
  // Takes `ids` for one delivery attempt: each row still undelivered and
  // due at `now` gets next_attempt_at = `until`, so another process
  // delivering the same outbox (a daemon and a one-shot crawl, two nodes)
  // skips it while this one sends it. Returns the ids taken, in order. A
  // crash after the claim leaves the row due again at `until`.
  std::expected<std::vector<std::int64_t>, Error> ClaimOutbox(std::span<const std::int64_t> ids,
                                                              std::string_view now,
                                                              std::string_view until);
  // Moves the next attempt of undelivered rows to `next_attempt_at`
  // without counting an attempt (rows not tried because their target just
  // failed, or a delivery stopped before it tried them).
  std::expected<void, Error> DeferOutbox(std::span<const std::int64_t> ids, std::string_view next_attempt_at);
  // Rows waiting for delivery (undelivered and not given up).
  std::expected<std::int64_t, Error> CountPendingOutbox();
  // Gives up undelivered rows queued before `queued_before` ([delivery]
  // give_up_after): they are never tried again; last_error says so and
  // next_attempt_at becomes "never". Returns how many, by alert.
  std::expected<std::vector<std::pair<std::string, int>>, Error> GiveUpOutbox(std::string_view queued_before,
                                                                            std::string_view now);
  std::expected<void, Error> MarkDelivered(std::span<const std::int64_t> ids, std::string_view now);
  // Deletes the rows done with before `before` (app/alerts.h
  // kKeepDeliveredAlerts): delivered before it, or given up and queued
  // before it. Breakage alarms ("degraded") are kept: a lasting breakage's
  // row is what stops it paging again (EnqueueAlarm's key), one row per
  // breakage. Returns how many rows went.
  std::expected<int, Error> PruneOutbox(std::string_view before);
  // An alert's posting (OutboxItem::posting_id) with Export's columns
  // (storage/reader.h PostingRow on either engine), or nullopt when it is
  // gone.
  std::expected<std::optional<Row>, Error> AlertPosting(std::int64_t id);
  // One more failed attempt; the next is not before `next_attempt_at`.
  std::expected<void, Error> MarkDeliveryFailed(std::span<const std::int64_t> ids,
                                                std::string_view error,
                                                std::string_view next_attempt_at);

  // Undoes a merge: listing `listing_id` leaves posting `posting_id` and is
  // never grouped again with the listings that posting has now, whatever
  // later crawls bring (dedup_splits). Returns the posting the listing
  // belongs to afterwards. kNotFound when the listing is not one of the
  // posting's; kInvalidArgument when it is the posting's only listing.
  std::expected<std::int64_t, Error> SplitListing(std::int64_t posting_id, std::int64_t listing_id,
                                                  std::string_view now);

  // The listing key Upsert uses for `p` ("id:..." or "url:...").
  static std::string ListingKey(const Posting& p);
  // A stable hash of the fields a posting is compared on (hex).
  static std::string ContentHash(const Posting& p);

  // For tests and tools that read the database directly. database():
  // REQUIRES: an SQLite store (!postgres()).
  SQLite::Database& database() { return *db_; }
  sql::Connection& connection() { return *conn_; }
  bool postgres() const { return db_ == nullptr; }

 private:
  // `conn` null: an SQLite store over `db`; else a store over `conn` alone.
  PostingStore(std::unique_ptr<SQLite::Database> db, std::unique_ptr<sql::Connection> conn,
               const StoreOptions& options);
  static std::expected<std::unique_ptr<PostingStore>, Error> OpenPostgres(const std::string& url,
                                                                          const StoreOptions& options,
                                                                          bool existing);
  std::optional<Error> Fault(std::string_view call);
  std::expected<void, Error> BackfillFeatures();
  struct Statements;
  std::unique_ptr<SQLite::Database> db_;
  // The store's SQL goes through conn_ (storage/sql.h); db_ stays for the
  // SQLite-only parts (file setup, migrations, the alert filters' reader).
  std::unique_ptr<sql::Connection> conn_;
  std::unique_ptr<internal::Deduper> deduper_;
  std::unique_ptr<Statements> stmts_;
  FaultHook fault_hook_;
  // Inside Begin()..Commit(): new postings are queued in fts_pending and
  // indexed for search in one statement at Commit() (schema v11).
  bool search_batch_ = false;
  void StartSearchBatch();
  void FlushSearchBatch();
};

// Brings `db` to `target_version` by running the migrations it lacks, each
// in its own transaction. Exposed so tests can build an older schema.
std::expected<void, Error> Migrate(SQLite::Database& db, int target_version);

}  // namespace jobtrawl::storage

#endif  // JOBTRAWL_STORAGE_STORE_H_
