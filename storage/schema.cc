// Schema migrations, keyed on PRAGMA user_version. Append new migrations to
// the list; never edit one that has shipped. docs/schema.md describes the
// result for analysts.
#include <SQLiteCpp/SQLiteCpp.h>

#include <array>
#include <string_view>

#include "storage/store.h"

namespace jobtrawl::storage {
namespace {

constexpr std::string_view kV1 = R"sql(
CREATE TABLE sources (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL,
  created_at  TEXT NOT NULL
);

CREATE TABLE postings (
  id               INTEGER PRIMARY KEY,
  title            TEXT,
  company          TEXT,
  location         TEXT,
  country          TEXT,
  remote           TEXT,
  employment_type  TEXT,
  salary_min       REAL,
  salary_max       REAL,
  salary_currency  TEXT,
  salary_period    TEXT,
  date_posted      TEXT,
  valid_through    TEXT,
  url              TEXT NOT NULL,
  apply_url        TEXT,
  external_id      TEXT,
  description      TEXT,
  content_hash     TEXT NOT NULL,
  first_seen       TEXT NOT NULL,
  last_seen        TEXT NOT NULL,
  updated_at       TEXT,
  closed_at        TEXT
);

CREATE TABLE listings (
  id            INTEGER PRIMARY KEY,
  posting_id    INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
  source_id     INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  key           TEXT NOT NULL,
  url           TEXT NOT NULL,
  external_id   TEXT,
  content_hash  TEXT NOT NULL,
  first_seen    TEXT NOT NULL,
  last_seen     TEXT NOT NULL,
  closed_at     TEXT,
  UNIQUE (source_id, key)
);
CREATE INDEX listings_posting ON listings(posting_id);

CREATE TABLE crawl_runs (
  id                  INTEGER PRIMARY KEY,
  source_id           INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  started_at          TEXT NOT NULL,
  finished_at         TEXT,
  status              TEXT NOT NULL,
  pages               INTEGER NOT NULL DEFAULT 0,
  bytes               INTEGER NOT NULL DEFAULT 0,
  errors              INTEGER NOT NULL DEFAULT 0,
  new_postings        INTEGER NOT NULL DEFAULT 0,
  updated_postings    INTEGER NOT NULL DEFAULT 0,
  unchanged_postings  INTEGER NOT NULL DEFAULT 0,
  message             TEXT
);
CREATE INDEX crawl_runs_source ON crawl_runs(source_id, started_at);
)sql";

constexpr std::string_view kV2 = R"sql(
CREATE TABLE crawl_errors (
  id       INTEGER PRIMARY KEY,
  run_id   INTEGER NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
  url      TEXT NOT NULL,
  kind     TEXT NOT NULL,
  status   INTEGER,
  message  TEXT,
  at       TEXT NOT NULL
);
CREATE INDEX crawl_errors_run ON crawl_errors(run_id);

CREATE VIEW open_postings AS
  SELECT * FROM postings WHERE closed_at IS NULL;
)sql";

// Conditional GET, retries and the lifecycle of listings.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE http_cache (
  source_id     INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  url           TEXT NOT NULL,
  etag          TEXT,
  last_modified TEXT,
  body_hash     TEXT NOT NULL,
  links         TEXT NOT NULL DEFAULT '',
  listing_keys  TEXT NOT NULL DEFAULT '',
  fetched_at    TEXT NOT NULL,
  PRIMARY KEY (source_id, url)
) WITHOUT ROWID;

ALTER TABLE crawl_errors ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
ALTER TABLE crawl_runs ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN not_modified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN closed_listings INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN reopened_listings INTEGER NOT NULL DEFAULT 0;
CREATE INDEX listings_open ON listings(source_id, last_seen) WHERE closed_at IS NULL;
)sql";

// The daemon's schedule, and leases that keep two processes from crawling
// one source at once.
constexpr std::string_view kV4 = R"sql(
ALTER TABLE sources ADD COLUMN next_run_at TEXT;
CREATE TABLE source_leases (
  source_id   INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
  holder      TEXT NOT NULL,
  acquired_at TEXT NOT NULL,
  expires_at  TEXT NOT NULL
);
)sql";

// Descriptions as Markdown besides plain text.
constexpr std::string_view kV5 = R"sql(
ALTER TABLE postings ADD COLUMN description_markdown TEXT;
)sql";

// Normalized fields, and what the board wrote beside them (docs/schema.md).
constexpr std::string_view kV6 = R"sql(
ALTER TABLE postings ADD COLUMN city TEXT;
ALTER TABLE postings ADD COLUMN region TEXT;
ALTER TABLE postings ADD COLUMN places TEXT;
ALTER TABLE postings ADD COLUMN remote_scope TEXT;
ALTER TABLE postings ADD COLUMN salary_annual_min REAL;
ALTER TABLE postings ADD COLUMN salary_annual_max REAL;
ALTER TABLE postings ADD COLUMN salary_currency_guessed INTEGER;
ALTER TABLE postings ADD COLUMN salary_source TEXT;
ALTER TABLE postings ADD COLUMN seniority TEXT;
ALTER TABLE postings ADD COLUMN seniority_rule TEXT;
ALTER TABLE postings ADD COLUMN title_family TEXT;
ALTER TABLE postings ADD COLUMN title_key TEXT;
ALTER TABLE postings ADD COLUMN company_key TEXT;
ALTER TABLE postings ADD COLUMN skills TEXT;
ALTER TABLE postings ADD COLUMN visa_sponsorship TEXT;
ALTER TABLE postings ADD COLUMN experience_years_min INTEGER;
ALTER TABLE postings ADD COLUMN language TEXT;
ALTER TABLE postings ADD COLUMN remote_raw TEXT;
ALTER TABLE postings ADD COLUMN employment_type_raw TEXT;
ALTER TABLE postings ADD COLUMN salary_raw TEXT;
ALTER TABLE postings ADD COLUMN date_posted_raw TEXT;
ALTER TABLE postings ADD COLUMN valid_through_raw TEXT;
ALTER TABLE postings ADD COLUMN country_raw TEXT;
CREATE INDEX postings_title_family ON postings(title_family);
CREATE INDEX postings_company_key ON postings(company_key);
CREATE INDEX postings_country ON postings(country);
-- Pages stored before are fetched and read once more, so their postings
-- get the new fields (and the Markdown of v5) instead of waiting for the
-- page to change.
DELETE FROM http_cache;
)sql";

// When each cached page was last fetched or confirmed, so rows of pages the
// board no longer links to can be pruned ([storage] cache_ttl).
constexpr std::string_view kV7 = R"sql(
ALTER TABLE http_cache ADD COLUMN last_used TEXT;
UPDATE http_cache SET last_used = fetched_at;
)sql";

constexpr std::array<std::string_view, 7> kMigrations = {kV1, kV2, kV3, kV4, kV5, kV6, kV7};

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

std::expected<void, Error> Migrate(SQLite::Database& db, int target_version) {
  try {
    int version = db.execAndGet("PRAGMA user_version").getInt();
    if (version > LatestSchemaVersion()) {
      return std::unexpected(Error::Storage(
          "the database has schema version " + std::to_string(version) +
          ", newer than this build knows (" + std::to_string(LatestSchemaVersion()) +
          "); upgrade jobtrawl"));
    }
    for (int v = version; v < target_version; ++v) {
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      // Re-read inside the write lock: another process may have migrated.
      if (db.execAndGet("PRAGMA user_version").getInt() > v) continue;
      db.exec(std::string(kMigrations[static_cast<size_t>(v)]));
      db.exec("PRAGMA user_version = " + std::to_string(v + 1));
      tx.commit();
    }
    return {};
  } catch (const SQLite::Exception& e) {
    return std::unexpected(Error::Storage(std::string("schema migration failed: ") + e.what()));
  }
}

}  // namespace jobtrawl::storage
