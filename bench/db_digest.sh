#!/bin/bash
# bench/db_digest.sh DB: one SHA-256 per stored table a change to the
# ingest must leave identical (bench/README.md "Scale"): every row of
# postings, listings, listing_copies, revisions and dedup_splits in id
# order, and every indexed term occurrence of the search index
# (fts5vocab 'instance': term, document, column, offset), then FTS5's own
# integrity check. Two databases the same generated postings were stored
# into agree line for line when the change kept the stored results.
#
#   build/bench/jobtrawl_scale_bench --postings 100000 --search-runs 0 --keep --db /tmp/a.db
#   bench/db_digest.sh /tmp/a.db > a.txt   # the same for b.db, then: diff a.txt b.txt
#
# Needs the sqlite3 shell (Debian's sqlite3). The digests only read; the
# integrity check takes the write lock for its run (no writer should be
# storing meanwhile: a bench database after its run).
set -euo pipefail
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
  echo "usage: bench/db_digest.sh DATABASE" >&2
  exit 2
fi
db=$1
digest() {
  printf '%s ' "$1"
  # -bail: a missing table or a failed query is an error, not an empty digest.
  sqlite3 -bail -readonly -batch -noheader -separator '|' "$db" "$2" | sha256sum | cut -d' ' -f1
}
digest postings "SELECT * FROM postings ORDER BY id"
digest listings "SELECT * FROM listings ORDER BY id"
digest listing_copies "SELECT * FROM listing_copies ORDER BY listing_id"
digest revisions "SELECT * FROM revisions ORDER BY id"
digest dedup_splits "SELECT * FROM dedup_splits ORDER BY listing_a, listing_b"
digest fts5vocab "CREATE VIRTUAL TABLE IF NOT EXISTS temp.v USING fts5vocab(main, postings_fts, 'instance');
                  SELECT term, doc, col, offset FROM temp.v ORDER BY term, doc, col, offset"
printf 'integrity_check '
sqlite3 -bail -batch "$db" "INSERT INTO postings_fts (postings_fts) VALUES ('integrity-check'); SELECT 'ok'"
