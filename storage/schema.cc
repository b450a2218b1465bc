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

// The analysts' schema (docs/analysts.md).
//
// JSON columns hold JSON arrays, minified: a value stored as a JSON string
// that holds JSON (encoded twice) is unwrapped, a text that is no JSON
// becomes a one-element array (skills) or NULL (places, whose display text
// is in `location`), and '' or [] become NULL, so "not stated" is NULL.
// Triggers refuse anything else from now on.
//
// postings_fts is an external-content FTS5 table over postings: it stores
// only the index, and snippet()/highlight() read the text from postings, as
// `jobtrawl search` needs (a contentless index cannot give snippets). The
// update trigger fires only when an indexed column is set, so refreshing
// last_seen costs no index work. tokenchars keeps C++, C# and F# whole.
constexpr std::string_view kV8 = R"sql(
UPDATE postings SET skills = CASE
    WHEN json_valid(skills) AND json_type(skills) = 'text' AND json_valid(json_extract(skills, '$'))
      THEN json(json_extract(skills, '$'))
    WHEN json_valid(skills) THEN json(skills)
    WHEN trim(skills) = '' THEN NULL
    ELSE json_array(skills) END
  WHERE skills IS NOT NULL;
UPDATE postings SET places = CASE
    WHEN json_valid(places) AND json_type(places) = 'text' AND json_valid(json_extract(places, '$'))
      THEN json(json_extract(places, '$'))
    WHEN json_valid(places) THEN json(places)
    ELSE NULL END
  WHERE places IS NOT NULL;
UPDATE postings SET skills = json_array(json_extract(skills, '$'))
  WHERE skills IS NOT NULL AND json_type(skills) NOT IN ('array', 'null');
UPDATE postings SET places = json_array(json(places))
  WHERE places IS NOT NULL AND json_type(places) = 'object';
UPDATE postings SET skills = NULL WHERE skills IN ('[]', 'null');
UPDATE postings SET places = NULL WHERE places IS NOT NULL
  AND (places IN ('[]', 'null') OR json_type(places) <> 'array');

CREATE TRIGGER postings_json_insert BEFORE INSERT ON postings
  WHEN (NEW.skills IS NOT NULL AND (NOT json_valid(NEW.skills) OR json_type(NEW.skills) <> 'array'))
    OR (NEW.places IS NOT NULL AND (NOT json_valid(NEW.places) OR json_type(NEW.places) <> 'array'))
BEGIN
  SELECT RAISE(ABORT, 'postings.skills and postings.places must be JSON arrays or NULL');
END;
CREATE TRIGGER postings_json_update BEFORE UPDATE OF skills, places ON postings
  WHEN (NEW.skills IS NOT NULL AND (NOT json_valid(NEW.skills) OR json_type(NEW.skills) <> 'array'))
    OR (NEW.places IS NOT NULL AND (NOT json_valid(NEW.places) OR json_type(NEW.places) <> 'array'))
BEGIN
  SELECT RAISE(ABORT, 'postings.skills and postings.places must be JSON arrays or NULL');
END;

CREATE VIRTUAL TABLE postings_fts USING fts5(
  title, company, location, description, skills,
  content = 'postings', content_rowid = 'id',
  tokenize = "unicode61 remove_diacritics 2 tokenchars '+#'"
);
INSERT INTO postings_fts(postings_fts) VALUES ('rebuild');
CREATE TRIGGER postings_fts_insert AFTER INSERT ON postings BEGIN
  INSERT INTO postings_fts (rowid, title, company, location, description, skills)
  VALUES (NEW.id, NEW.title, NEW.company, NEW.location, NEW.description, NEW.skills);
END;
CREATE TRIGGER postings_fts_delete AFTER DELETE ON postings BEGIN
  INSERT INTO postings_fts (postings_fts, rowid, title, company, location, description, skills)
  VALUES ('delete', OLD.id, OLD.title, OLD.company, OLD.location, OLD.description, OLD.skills);
END;
CREATE TRIGGER postings_fts_update AFTER UPDATE OF title, company, location, description, skills
  ON postings BEGIN
  INSERT INTO postings_fts (postings_fts, rowid, title, company, location, description, skills)
  VALUES ('delete', OLD.id, OLD.title, OLD.company, OLD.location, OLD.description, OLD.skills);
  INSERT INTO postings_fts (rowid, title, company, location, description, skills)
  VALUES (NEW.id, NEW.title, NEW.company, NEW.location, NEW.description, NEW.skills);
END;

CREATE INDEX postings_first_seen ON postings(first_seen);
CREATE INDEX listings_source_first_seen ON listings(source_id, first_seen);

DROP VIEW open_postings;
CREATE VIEW open_postings AS
  SELECT p.*,
         (SELECT group_concat(name, ', ') FROM
            (SELECT DISTINCT s.name FROM listings l JOIN sources s ON s.id = l.source_id
             WHERE l.posting_id = p.id AND l.closed_at IS NULL ORDER BY s.name)) AS source_names
  FROM postings p WHERE p.closed_at IS NULL;

CREATE VIEW posting_sightings AS
  SELECT l.posting_id, p.title, p.company, s.name AS source, s.kind AS source_kind,
         l.id AS listing_id, l.key AS listing_key, l.url, l.external_id,
         l.first_seen, l.last_seen, l.closed_at, p.closed_at AS posting_closed_at
  FROM listings l JOIN sources s ON s.id = l.source_id JOIN postings p ON p.id = l.posting_id;

CREATE VIEW daily_counts AS
  WITH events (source_id, day, new, closed) AS (
    SELECT source_id, substr(first_seen, 1, 10), 1, 0 FROM listings
    UNION ALL
    SELECT source_id, substr(closed_at, 1, 10), 0, 1 FROM listings WHERE closed_at IS NOT NULL
    UNION ALL
    SELECT source_id, substr(started_at, 1, 10), 0, 0 FROM crawl_runs
  ), per_day AS (
    SELECT source_id, day, sum(new) AS new, sum(closed) AS closed
    FROM events GROUP BY source_id, day
  )
  SELECT d.day, s.name AS source, d.source_id, d.new, d.closed,
         sum(d.new - d.closed) OVER (PARTITION BY d.source_id ORDER BY d.day) AS open
  FROM per_day d JOIN sources s ON s.id = d.source_id;
)sql";

// Each run's statistics (app/run_stats.h), a JSON object; NULL for runs
// from before v9.
constexpr std::string_view kV9 = R"sql(
ALTER TABLE crawl_runs ADD COLUMN stats TEXT CHECK (stats IS NULL OR json_valid(stats));
)sql";

// Cross-board deduplication and history (docs/schema.md "Deduplication"), version 10.
// Each listing keeps what it is matched on; a posting shows the content of
// its canonical listing, and every other listing's own content is kept in
// listing_copies, so a posting can be split or its canonical listing
// changed without waiting for a recrawl. The features of listings stored
// before are filled in by PostingStore::Open (SimHash needs C++).
constexpr std::string_view kV10 = R"sql(
ALTER TABLE listings ADD COLUMN company_key TEXT;
ALTER TABLE listings ADD COLUMN title_family TEXT;
ALTER TABLE listings ADD COLUMN cities TEXT;
ALTER TABLE listings ADD COLUMN simhash INTEGER;
ALTER TABLE listings ADD COLUMN band0 INTEGER;
ALTER TABLE listings ADD COLUMN band1 INTEGER;
ALTER TABLE listings ADD COLUMN band2 INTEGER;
ALTER TABLE listings ADD COLUMN band3 INTEGER;
ALTER TABLE listings ADD COLUMN features_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX listings_band0 ON listings(band0) WHERE band0 IS NOT NULL;
CREATE INDEX listings_band1 ON listings(band1) WHERE band1 IS NOT NULL;
CREATE INDEX listings_band2 ON listings(band2) WHERE band2 IS NOT NULL;
CREATE INDEX listings_band3 ON listings(band3) WHERE band3 IS NOT NULL;
-- Listings whose features are still to compute (PostingStore::Open): only
-- those are in it, so opening a database with none costs nothing.
CREATE INDEX listings_features_stale ON listings(features_version) WHERE features_version < 1;

ALTER TABLE postings ADD COLUMN canonical_listing_id INTEGER;
ALTER TABLE postings ADD COLUMN times_reopened INTEGER NOT NULL DEFAULT 0;
-- Before v10 every posting had exactly one listing.
UPDATE postings SET canonical_listing_id =
  (SELECT min(l.id) FROM listings l WHERE l.posting_id = postings.id);

CREATE TABLE listing_copies (
  listing_id              INTEGER PRIMARY KEY REFERENCES listings(id) ON DELETE CASCADE,
  title                   TEXT,
  company                 TEXT,
  location                TEXT,
  country                 TEXT,
  remote                  TEXT,
  employment_type         TEXT,
  salary_min              REAL,
  salary_max              REAL,
  salary_currency         TEXT,
  salary_period           TEXT,
  date_posted             TEXT,
  valid_through           TEXT,
  url                     TEXT,
  apply_url               TEXT,
  external_id             TEXT,
  description             TEXT,
  description_markdown    TEXT,
  city                    TEXT,
  region                  TEXT,
  places                  TEXT,
  remote_scope            TEXT,
  salary_annual_min       REAL,
  salary_annual_max       REAL,
  salary_currency_guessed INTEGER,
  salary_source           TEXT,
  seniority               TEXT,
  seniority_rule          TEXT,
  title_family            TEXT,
  title_key               TEXT,
  company_key             TEXT,
  skills                  TEXT,
  visa_sponsorship        TEXT,
  experience_years_min    INTEGER,
  language                TEXT,
  remote_raw              TEXT,
  employment_type_raw     TEXT,
  salary_raw              TEXT,
  date_posted_raw         TEXT,
  valid_through_raw       TEXT,
  country_raw             TEXT,
  content_hash            TEXT NOT NULL
);

CREATE TABLE dedup_splits (
  listing_a  INTEGER NOT NULL REFERENCES listings(id) ON DELETE CASCADE,
  listing_b  INTEGER NOT NULL REFERENCES listings(id) ON DELETE CASCADE,
  split_at   TEXT NOT NULL,
  PRIMARY KEY (listing_a, listing_b),
  CHECK (listing_a < listing_b)
) WITHOUT ROWID;
CREATE INDEX dedup_splits_b ON dedup_splits(listing_b);

CREATE TABLE revisions (
  id          INTEGER PRIMARY KEY,
  posting_id  INTEGER NOT NULL REFERENCES postings(id) ON DELETE CASCADE,
  changed_at  TEXT NOT NULL,
  field       TEXT NOT NULL,
  old_value
);
CREATE INDEX revisions_posting ON revisions(posting_id, changed_at);

CREATE TRIGGER postings_revisions AFTER UPDATE OF content_hash ON postings
WHEN OLD.content_hash IS NOT NEW.content_hash
BEGIN
  INSERT INTO revisions (posting_id, changed_at, field, old_value)
  SELECT NEW.id, NEW.updated_at, 'title', OLD.title WHERE OLD.title IS NOT NEW.title
  UNION ALL SELECT NEW.id, NEW.updated_at, 'company', OLD.company WHERE OLD.company IS NOT NEW.company
  UNION ALL SELECT NEW.id, NEW.updated_at, 'location', OLD.location WHERE OLD.location IS NOT NEW.location
  UNION ALL SELECT NEW.id, NEW.updated_at, 'country', OLD.country WHERE OLD.country IS NOT NEW.country
  UNION ALL SELECT NEW.id, NEW.updated_at, 'remote', OLD.remote WHERE OLD.remote IS NOT NEW.remote
  UNION ALL SELECT NEW.id, NEW.updated_at, 'employment_type', OLD.employment_type WHERE OLD.employment_type IS NOT NEW.employment_type
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_min', OLD.salary_min WHERE OLD.salary_min IS NOT NEW.salary_min
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_max', OLD.salary_max WHERE OLD.salary_max IS NOT NEW.salary_max
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_currency', OLD.salary_currency WHERE OLD.salary_currency IS NOT NEW.salary_currency
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_period', OLD.salary_period WHERE OLD.salary_period IS NOT NEW.salary_period
  UNION ALL SELECT NEW.id, NEW.updated_at, 'date_posted', OLD.date_posted WHERE OLD.date_posted IS NOT NEW.date_posted
  UNION ALL SELECT NEW.id, NEW.updated_at, 'valid_through', OLD.valid_through WHERE OLD.valid_through IS NOT NEW.valid_through
  UNION ALL SELECT NEW.id, NEW.updated_at, 'apply_url', OLD.apply_url WHERE OLD.apply_url IS NOT NEW.apply_url
  UNION ALL SELECT NEW.id, NEW.updated_at, 'external_id', OLD.external_id WHERE OLD.external_id IS NOT NEW.external_id
  UNION ALL SELECT NEW.id, NEW.updated_at, 'description', OLD.description WHERE OLD.description IS NOT NEW.description
  UNION ALL SELECT NEW.id, NEW.updated_at, 'description_markdown', OLD.description_markdown WHERE OLD.description_markdown IS NOT NEW.description_markdown
  UNION ALL SELECT NEW.id, NEW.updated_at, 'city', OLD.city WHERE OLD.city IS NOT NEW.city
  UNION ALL SELECT NEW.id, NEW.updated_at, 'region', OLD.region WHERE OLD.region IS NOT NEW.region
  UNION ALL SELECT NEW.id, NEW.updated_at, 'places', OLD.places WHERE OLD.places IS NOT NEW.places
  UNION ALL SELECT NEW.id, NEW.updated_at, 'remote_scope', OLD.remote_scope WHERE OLD.remote_scope IS NOT NEW.remote_scope
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_annual_min', OLD.salary_annual_min WHERE OLD.salary_annual_min IS NOT NEW.salary_annual_min
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_annual_max', OLD.salary_annual_max WHERE OLD.salary_annual_max IS NOT NEW.salary_annual_max
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_currency_guessed', OLD.salary_currency_guessed WHERE OLD.salary_currency_guessed IS NOT NEW.salary_currency_guessed
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_source', OLD.salary_source WHERE OLD.salary_source IS NOT NEW.salary_source
  UNION ALL SELECT NEW.id, NEW.updated_at, 'seniority', OLD.seniority WHERE OLD.seniority IS NOT NEW.seniority
  UNION ALL SELECT NEW.id, NEW.updated_at, 'seniority_rule', OLD.seniority_rule WHERE OLD.seniority_rule IS NOT NEW.seniority_rule
  UNION ALL SELECT NEW.id, NEW.updated_at, 'title_family', OLD.title_family WHERE OLD.title_family IS NOT NEW.title_family
  UNION ALL SELECT NEW.id, NEW.updated_at, 'title_key', OLD.title_key WHERE OLD.title_key IS NOT NEW.title_key
  UNION ALL SELECT NEW.id, NEW.updated_at, 'company_key', OLD.company_key WHERE OLD.company_key IS NOT NEW.company_key
  UNION ALL SELECT NEW.id, NEW.updated_at, 'skills', OLD.skills WHERE OLD.skills IS NOT NEW.skills
  UNION ALL SELECT NEW.id, NEW.updated_at, 'visa_sponsorship', OLD.visa_sponsorship WHERE OLD.visa_sponsorship IS NOT NEW.visa_sponsorship
  UNION ALL SELECT NEW.id, NEW.updated_at, 'experience_years_min', OLD.experience_years_min WHERE OLD.experience_years_min IS NOT NEW.experience_years_min
  UNION ALL SELECT NEW.id, NEW.updated_at, 'language', OLD.language WHERE OLD.language IS NOT NEW.language
  UNION ALL SELECT NEW.id, NEW.updated_at, 'remote_raw', OLD.remote_raw WHERE OLD.remote_raw IS NOT NEW.remote_raw
  UNION ALL SELECT NEW.id, NEW.updated_at, 'employment_type_raw', OLD.employment_type_raw WHERE OLD.employment_type_raw IS NOT NEW.employment_type_raw
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_raw', OLD.salary_raw WHERE OLD.salary_raw IS NOT NEW.salary_raw
  UNION ALL SELECT NEW.id, NEW.updated_at, 'date_posted_raw', OLD.date_posted_raw WHERE OLD.date_posted_raw IS NOT NEW.date_posted_raw
  UNION ALL SELECT NEW.id, NEW.updated_at, 'valid_through_raw', OLD.valid_through_raw WHERE OLD.valid_through_raw IS NOT NEW.valid_through_raw
  UNION ALL SELECT NEW.id, NEW.updated_at, 'country_raw', OLD.country_raw WHERE OLD.country_raw IS NOT NEW.country_raw;
END;

CREATE TRIGGER postings_reopened AFTER UPDATE OF closed_at ON postings
WHEN OLD.closed_at IS NOT NULL AND NEW.closed_at IS NULL
BEGIN
  UPDATE postings SET times_reopened = times_reopened + 1 WHERE id = NEW.id;
END;

ALTER TABLE crawl_runs ADD COLUMN merged_listings INTEGER NOT NULL DEFAULT 0;

CREATE VIEW posting_lifecycle AS
SELECT p.id AS posting_id, p.first_seen, p.last_seen, p.closed_at, p.times_reopened,
       count(l.id) AS sightings, count(DISTINCT l.source_id) AS sources,
       (SELECT group_concat(name, ', ') FROM (SELECT DISTINCT s.name FROM listings l2
          JOIN sources s ON s.id = l2.source_id WHERE l2.posting_id = p.id ORDER BY s.name))
         AS source_names
FROM postings p LEFT JOIN listings l ON l.posting_id = p.id
GROUP BY p.id;
)sql";

// Version 11: cheaper ingest at a million postings (bench/scale_bench.cc).
// The band indexes hold the SimHash too, so a lookup rejects the listings
// of the same company and title whose fingerprint is too far away (most
// candidates: such jobs share their employer's introduction and benefits
// text) from the index alone, without reading their rows.
// Batched full-text indexing (docs/schema.md "postings_fts").
// SQLite 3.40's FTS5 writes its pending terms to disk at the end of every
// statement that opens a statement savepoint, and every insert into
// postings does (its triggers may abort): indexing a posting from its
// insert trigger wrote a one-document segment each time, and merging those
// was half the cost of storing a posting. While fts_pending holds the row
// 0 (the writer's transaction, PostingStore::Begin or Upsert, puts it
// there and removes it before it commits), new postings are only queued
// there and indexed with one statement before the commit; otherwise the
// triggers index at once, as before. An update or delete of a queued
// posting leaves the index alone (the queue indexes what is there at the
// commit), so the index matches postings at every commit either way.
constexpr std::string_view kV11 = R"sql(
DROP INDEX listings_band0;
DROP INDEX listings_band1;
DROP INDEX listings_band2;
DROP INDEX listings_band3;
CREATE INDEX listings_band0 ON listings(band0, simhash) WHERE band0 IS NOT NULL;
CREATE INDEX listings_band1 ON listings(band1, simhash) WHERE band1 IS NOT NULL;
CREATE INDEX listings_band2 ON listings(band2, simhash) WHERE band2 IS NOT NULL;
CREATE INDEX listings_band3 ON listings(band3, simhash) WHERE band3 IS NOT NULL;
CREATE TABLE fts_pending (posting_id INTEGER PRIMARY KEY);
DROP TRIGGER postings_fts_insert;
DROP TRIGGER postings_fts_delete;
DROP TRIGGER postings_fts_update;
CREATE TRIGGER postings_fts_insert AFTER INSERT ON postings
  WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE posting_id = 0) BEGIN
  INSERT INTO postings_fts (rowid, title, company, location, description, skills)
  VALUES (NEW.id, NEW.title, NEW.company, NEW.location, NEW.description, NEW.skills);
END;
CREATE TRIGGER postings_fts_queue AFTER INSERT ON postings
  WHEN EXISTS (SELECT 1 FROM fts_pending WHERE posting_id = 0) BEGIN
  INSERT INTO fts_pending (posting_id) VALUES (NEW.id);
END;
CREATE TRIGGER postings_fts_delete AFTER DELETE ON postings BEGIN
  INSERT INTO postings_fts (postings_fts, rowid, title, company, location, description, skills)
  SELECT 'delete', OLD.id, OLD.title, OLD.company, OLD.location, OLD.description, OLD.skills
  WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE posting_id = OLD.id);
  DELETE FROM fts_pending WHERE posting_id = OLD.id;
END;
CREATE TRIGGER postings_fts_update AFTER UPDATE OF title, company, location, description, skills
  ON postings WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE posting_id = NEW.id) BEGIN
  INSERT INTO postings_fts (postings_fts, rowid, title, company, location, description, skills)
  VALUES ('delete', OLD.id, OLD.title, OLD.company, OLD.location, OLD.description, OLD.skills);
  INSERT INTO postings_fts (rowid, title, company, location, description, skills)
  VALUES (NEW.id, NEW.title, NEW.company, NEW.location, NEW.description, NEW.skills);
END;
)sql";

// Version 12: alerts (issue 14 part 4): what is to be delivered to an [[alert]]'s
// target, written in the transaction that stored the posting (or finished
// the degraded run), marked delivered after the target took it.
constexpr std::string_view kV12 = R"sql(
CREATE TABLE alert_outbox (
  id               INTEGER PRIMARY KEY,
  alert            TEXT NOT NULL,
  event            TEXT NOT NULL,
  posting_id       INTEGER REFERENCES postings(id) ON DELETE SET NULL,
  payload          TEXT,
  idempotency_key  TEXT NOT NULL UNIQUE,
  created_at       TEXT NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT NOT NULL,
  last_error       TEXT,
  delivered_at     TEXT
);
CREATE INDEX alert_outbox_due ON alert_outbox (next_attempt_at) WHERE delivered_at IS NULL;
)sql";

// Version 13: the department a board puts a job in (issue 14 part 1), a
// nullable column beside company on postings and listing_copies, kept in
// revisions like every other field (the trigger is recreated with it). It
// is not in postings_fts: adding a column to an FTS5 table means building
// the whole index again, and department names are few and filtered
// exactly (WHERE department = ...), not searched for words. The pages of
// the board kinds that state a department are forgotten by the HTTP
// cache, so the next crawl reads them again and fills it in (an unchanged
// page is otherwise not read).
constexpr std::string_view kV13 = R"sql(
ALTER TABLE postings ADD COLUMN department TEXT;
ALTER TABLE listing_copies ADD COLUMN department TEXT;
CREATE INDEX postings_department ON postings(department) WHERE department IS NOT NULL;
DELETE FROM http_cache WHERE source_id IN (SELECT id FROM sources WHERE kind IN
  ('greenhouse', 'lever', 'ashby', 'workable', 'smartrecruiters', 'recruitee', 'personio', 'breezy', 'rippling'));
DROP TRIGGER postings_revisions;
CREATE TRIGGER postings_revisions AFTER UPDATE OF content_hash ON postings
WHEN OLD.content_hash IS NOT NEW.content_hash
BEGIN
  INSERT INTO revisions (posting_id, changed_at, field, old_value)
  SELECT NEW.id, NEW.updated_at, 'title', OLD.title WHERE OLD.title IS NOT NEW.title
  UNION ALL SELECT NEW.id, NEW.updated_at, 'company', OLD.company WHERE OLD.company IS NOT NEW.company
  UNION ALL SELECT NEW.id, NEW.updated_at, 'department', OLD.department WHERE OLD.department IS NOT NEW.department
  UNION ALL SELECT NEW.id, NEW.updated_at, 'location', OLD.location WHERE OLD.location IS NOT NEW.location
  UNION ALL SELECT NEW.id, NEW.updated_at, 'country', OLD.country WHERE OLD.country IS NOT NEW.country
  UNION ALL SELECT NEW.id, NEW.updated_at, 'remote', OLD.remote WHERE OLD.remote IS NOT NEW.remote
  UNION ALL SELECT NEW.id, NEW.updated_at, 'employment_type', OLD.employment_type WHERE OLD.employment_type IS NOT NEW.employment_type
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_min', OLD.salary_min WHERE OLD.salary_min IS NOT NEW.salary_min
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_max', OLD.salary_max WHERE OLD.salary_max IS NOT NEW.salary_max
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_currency', OLD.salary_currency WHERE OLD.salary_currency IS NOT NEW.salary_currency
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_period', OLD.salary_period WHERE OLD.salary_period IS NOT NEW.salary_period
  UNION ALL SELECT NEW.id, NEW.updated_at, 'date_posted', OLD.date_posted WHERE OLD.date_posted IS NOT NEW.date_posted
  UNION ALL SELECT NEW.id, NEW.updated_at, 'valid_through', OLD.valid_through WHERE OLD.valid_through IS NOT NEW.valid_through
  UNION ALL SELECT NEW.id, NEW.updated_at, 'apply_url', OLD.apply_url WHERE OLD.apply_url IS NOT NEW.apply_url
  UNION ALL SELECT NEW.id, NEW.updated_at, 'external_id', OLD.external_id WHERE OLD.external_id IS NOT NEW.external_id
  UNION ALL SELECT NEW.id, NEW.updated_at, 'description', OLD.description WHERE OLD.description IS NOT NEW.description
  UNION ALL SELECT NEW.id, NEW.updated_at, 'description_markdown', OLD.description_markdown WHERE OLD.description_markdown IS NOT NEW.description_markdown
  UNION ALL SELECT NEW.id, NEW.updated_at, 'city', OLD.city WHERE OLD.city IS NOT NEW.city
  UNION ALL SELECT NEW.id, NEW.updated_at, 'region', OLD.region WHERE OLD.region IS NOT NEW.region
  UNION ALL SELECT NEW.id, NEW.updated_at, 'places', OLD.places WHERE OLD.places IS NOT NEW.places
  UNION ALL SELECT NEW.id, NEW.updated_at, 'remote_scope', OLD.remote_scope WHERE OLD.remote_scope IS NOT NEW.remote_scope
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_annual_min', OLD.salary_annual_min WHERE OLD.salary_annual_min IS NOT NEW.salary_annual_min
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_annual_max', OLD.salary_annual_max WHERE OLD.salary_annual_max IS NOT NEW.salary_annual_max
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_currency_guessed', OLD.salary_currency_guessed WHERE OLD.salary_currency_guessed IS NOT NEW.salary_currency_guessed
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_source', OLD.salary_source WHERE OLD.salary_source IS NOT NEW.salary_source
  UNION ALL SELECT NEW.id, NEW.updated_at, 'seniority', OLD.seniority WHERE OLD.seniority IS NOT NEW.seniority
  UNION ALL SELECT NEW.id, NEW.updated_at, 'seniority_rule', OLD.seniority_rule WHERE OLD.seniority_rule IS NOT NEW.seniority_rule
  UNION ALL SELECT NEW.id, NEW.updated_at, 'title_family', OLD.title_family WHERE OLD.title_family IS NOT NEW.title_family
  UNION ALL SELECT NEW.id, NEW.updated_at, 'title_key', OLD.title_key WHERE OLD.title_key IS NOT NEW.title_key
  UNION ALL SELECT NEW.id, NEW.updated_at, 'company_key', OLD.company_key WHERE OLD.company_key IS NOT NEW.company_key
  UNION ALL SELECT NEW.id, NEW.updated_at, 'skills', OLD.skills WHERE OLD.skills IS NOT NEW.skills
  UNION ALL SELECT NEW.id, NEW.updated_at, 'visa_sponsorship', OLD.visa_sponsorship WHERE OLD.visa_sponsorship IS NOT NEW.visa_sponsorship
  UNION ALL SELECT NEW.id, NEW.updated_at, 'experience_years_min', OLD.experience_years_min WHERE OLD.experience_years_min IS NOT NEW.experience_years_min
  UNION ALL SELECT NEW.id, NEW.updated_at, 'language', OLD.language WHERE OLD.language IS NOT NEW.language
  UNION ALL SELECT NEW.id, NEW.updated_at, 'remote_raw', OLD.remote_raw WHERE OLD.remote_raw IS NOT NEW.remote_raw
  UNION ALL SELECT NEW.id, NEW.updated_at, 'employment_type_raw', OLD.employment_type_raw WHERE OLD.employment_type_raw IS NOT NEW.employment_type_raw
  UNION ALL SELECT NEW.id, NEW.updated_at, 'salary_raw', OLD.salary_raw WHERE OLD.salary_raw IS NOT NEW.salary_raw
  UNION ALL SELECT NEW.id, NEW.updated_at, 'date_posted_raw', OLD.date_posted_raw WHERE OLD.date_posted_raw IS NOT NEW.date_posted_raw
  UNION ALL SELECT NEW.id, NEW.updated_at, 'valid_through_raw', OLD.valid_through_raw WHERE OLD.valid_through_raw IS NOT NEW.valid_through_raw
  UNION ALL SELECT NEW.id, NEW.updated_at, 'country_raw', OLD.country_raw WHERE OLD.country_raw IS NOT NEW.country_raw;
END;
)sql";

// Version 14: dedup precision (issue 12 part 6). A listing keeps the
// seniority of its title (normalize::SeniorityOf: intern < entry < mid <
// senior < staff < lead < director); two listings that both state one and
// differ are two jobs. Features version 2 (the seniority, and a SimHash of
// each distinct word once) is recomputed for every listing by
// PostingStore::Open, which regroups them.
constexpr std::string_view kV14 = R"sql(
ALTER TABLE listings ADD COLUMN seniority TEXT;
DROP INDEX listings_features_stale;
CREATE INDEX listings_features_stale ON listings(features_version) WHERE features_version < 2;
)sql";

// Version 15: `jobtrawl search` with filters (storage::Reader::Search).
// The search walks the matches of its query newest first and checks each
// against the filters until its rank window is full; reading a posting's
// row for that reads a page of text per match (a row holds both
// descriptions). This index holds the id and every column a filter reads,
// so the check is a lookup in a narrow index instead.
//
// It also moves listings_features_stale to features version 3 (a
// seniority stated by one title only is a mismatch: storage/dedup.h), so
// the store regroups every listing once when it opens the database.
constexpr std::string_view kV15 = R"sql(
DROP INDEX listings_features_stale;
CREATE INDEX listings_features_stale ON listings(features_version) WHERE features_version < 3;
CREATE INDEX postings_search_filters ON postings (
  id, closed_at, first_seen, country, remote, salary_currency, salary_annual_min,
  salary_annual_max, company_key, company);
)sql";

// Version 16: `jobtrawl search --closed` (storage::Reader::Search). The
// newest closed posting bounds the walk over the query's matches from
// above: postings close weeks after they are first seen, so the newest
// matches are open, and a walk from the top went through all of them
// before the first closed one. This partial index holds only the ids of
// closed postings, so their maximum is one lookup. Closing a posting
// (PostingStore) adds an entry; reopening one removes it.
constexpr std::string_view kV16 = R"sql(
CREATE INDEX postings_closed ON postings(id) WHERE closed_at IS NOT NULL;
)sql";

// Version 17: nothing on SQLite. PostgreSQL's version 17 adds the fleet's
// tables (storage/pg/schema.cc); the step keeps both engines' version
// numbers equal, as `jobtrawl migrate` requires.
constexpr std::string_view kV17 = "-- PostgreSQL only: the fleet tables (storage/pg/work_queue.h)\n";

// Version 18: delivered alerts are pruned (app/alerts.h
// kKeepDeliveredAlerts): this partial index finds the delivered rows by
// age without reading the undelivered ones. PostgreSQL's version 18 adds
// the same index and the triggers that note new and reopened postings for
// alerts (SQLite notes them with TEMP triggers of the writer's connection).
constexpr std::string_view kV18 = R"sql(
CREATE INDEX alert_outbox_delivered ON alert_outbox (delivered_at) WHERE delivered_at IS NOT NULL;
)sql";

// Version 19: dedup precision (review of issue 12 part 1). A listing's
// title_family holds the level words of its title too (storage/dedup.h
// MatchedTitleFamily): "Staff" and "Lead Engineering Manager" both have
// the seniority of their role word ("manager": lead) and one family, and
// were merged. Features version 4 is recomputed for every listing by
// PostingStore::Open, which regroups them.
constexpr std::string_view kV19 = R"sql(
DROP INDEX listings_features_stale;
CREATE INDEX listings_features_stale ON listings(features_version) WHERE features_version < 4;
)sql";

// Version 20: nothing on SQLite. PostgreSQL's version 20 adds the fleet's
// node_sources and the nodes' lease ttl (storage/pg/work_queue.h).
constexpr std::string_view kV20 = "-- PostgreSQL only: node_sources, nodes.lease_ttl (storage/pg/work_queue.h)\n";

// Version 21 (review of issue 12): ids are never used twice, and title
// families are stored in the spelling matching reads.
//
// SQLite gives a new row the largest rowid + 1, so a posting merged away
// (the only rows jobtrawl deletes besides pruned alerts) freed its id for
// the next new posting when it was the newest: the new posting's "new"
// alert key (jobtrawl:ALERT:new:ID) was the old one's, so its alert was
// skipped as already queued. AUTOINCREMENT would need every table rebuilt
// (postings is most of the database, and dropping it with foreign keys on
// deletes every listing), so id_high_water keeps the largest id each table
// ever deleted instead, and the store gives new rows an id past both
// (NextSqliteId). It starts at the largest id in use or named by an alert
// key, the most that can be known of ids freed before. An insert that
// would take a freed id anyway is refused. listings and alert_outbox get
// the same: their ids are referenced (canonical_listing_id,
// listing_copies, dedup_splits; a deliverer's claims), and alerts are
// pruned. crawl_runs, crawl_errors and revisions lose rows only with their
// source or posting, whose ids are kept.
//
// Title families: "mgr" is "manager" and "&" "and" in title_family and
// title_key (normalize::TitleKeysOf), as dedup matching read them; rows
// stored before are rewritten word by word (each word between its own
// pair of spaces, so "mgr mgr" becomes "manager manager").
constexpr std::string_view kV21 = R"sql(
CREATE TABLE id_high_water (
  name  TEXT PRIMARY KEY,
  id    INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO id_high_water (name, id) VALUES
  ('postings', max(coalesce((SELECT max(id) FROM postings), 0),
                   coalesce((SELECT max(posting_id) FROM alert_outbox), 0),
                   coalesce((SELECT max(CAST(substr(idempotency_key,
                                                    length(rtrim(idempotency_key, '0123456789')) + 1) AS INTEGER))
                             FROM alert_outbox WHERE event = 'new'), 0))),
  ('listings', coalesce((SELECT max(id) FROM listings), 0)),
  ('alert_outbox', coalesce((SELECT max(id) FROM alert_outbox), 0));
CREATE TRIGGER postings_high_water AFTER DELETE ON postings BEGIN
  UPDATE id_high_water SET id = OLD.id WHERE name = 'postings' AND id < OLD.id;
END;
CREATE TRIGGER listings_high_water AFTER DELETE ON listings BEGIN
  UPDATE id_high_water SET id = OLD.id WHERE name = 'listings' AND id < OLD.id;
END;
CREATE TRIGGER alert_outbox_high_water AFTER DELETE ON alert_outbox BEGIN
  UPDATE id_high_water SET id = OLD.id WHERE name = 'alert_outbox' AND id < OLD.id;
END;
CREATE TRIGGER postings_id_unused AFTER INSERT ON postings
  WHEN NEW.id <= (SELECT id FROM id_high_water WHERE name = 'postings') BEGIN
  SELECT RAISE(ABORT, 'postings.id: this id was used before (id_high_water)');
END;
CREATE TRIGGER listings_id_unused AFTER INSERT ON listings
  WHEN NEW.id <= (SELECT id FROM id_high_water WHERE name = 'listings') BEGIN
  SELECT RAISE(ABORT, 'listings.id: this id was used before (id_high_water)');
END;
CREATE TRIGGER alert_outbox_id_unused AFTER INSERT ON alert_outbox
  WHEN NEW.id <= (SELECT id FROM id_high_water WHERE name = 'alert_outbox') BEGIN
  SELECT RAISE(ABORT, 'alert_outbox.id: this id was used before (id_high_water)');
END;

UPDATE postings SET
  title_family = trim(replace(replace(replace(' ' || replace(title_family, ' ', '  ') || ' ',
                                              ' mgr ', ' manager '), ' & ', ' and '), '  ', ' ')),
  title_key = trim(replace(replace(replace(' ' || replace(title_key, ' ', '  ') || ' ',
                                           ' mgr ', ' manager '), ' & ', ' and '), '  ', ' '))
  WHERE ' ' || title_family || ' ' LIKE '% mgr %' OR ' ' || title_family || ' ' LIKE '% & %'
     OR ' ' || title_key || ' ' LIKE '% mgr %' OR ' ' || title_key || ' ' LIKE '% & %';
UPDATE listing_copies SET
  title_family = trim(replace(replace(replace(' ' || replace(title_family, ' ', '  ') || ' ',
                                              ' mgr ', ' manager '), ' & ', ' and '), '  ', ' ')),
  title_key = trim(replace(replace(replace(' ' || replace(title_key, ' ', '  ') || ' ',
                                           ' mgr ', ' manager '), ' & ', ' and '), '  ', ' '))
  WHERE ' ' || title_family || ' ' LIKE '% mgr %' OR ' ' || title_family || ' ' LIKE '% & %'
     OR ' ' || title_key || ' ' LIKE '% mgr %' OR ' ' || title_key || ' ' LIKE '% & %';
)sql";

// Version 22: nothing on SQLite (the version number only). PostgreSQL's
// version 22 keeps search documents in postings_fts's own rows
// (storage/pg/schema.cc).
constexpr std::string_view kV22 = "-- PostgreSQL only: postings_fts toast_tuple_target (storage/pg/schema.cc)\n";

constexpr std::array<std::string_view, 22> kMigrations = {kV1,  kV2,  kV3,  kV4,  kV5,  kV6,  kV7,  kV8,
                                                          kV9,  kV10, kV11, kV12, kV13, kV14, kV15, kV16,
                                                          kV17, kV18, kV19, kV20, kV21, kV22};

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

std::string NextSqliteId(std::string_view table) {
  const std::string t(table);
  return std::string("(SELECT max(coalesce((SELECT max(id) FROM ") + t +
         "), 0), coalesce((SELECT id FROM id_high_water WHERE name = '" + t + "'), 0)) + 1)";
}

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
