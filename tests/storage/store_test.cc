#include "storage/store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "storage/sql.h"
#include "tests/storage/backend_test_util.h"
#ifdef JOBTRAWL_TEST_POSTGRESQL
#include "storage/pg/connection.h"
#include "storage/pg/sql_pg.h"
#endif

namespace jobtrawl::storage {
namespace {

using testing::Backend;
using testing::BackendTest;

// A fresh store of the test's backend (testing::CurrentBackend).
std::unique_ptr<PostingStore> OpenMemory() {
  auto store = PostingStore::Open(testing::FreshLocation());
  EXPECT_TRUE(store.has_value()) << store.error().message;
  return std::move(*store);
}

Posting MakePosting(std::string url, std::string title) {
  Posting p;
  p.url = std::move(url);
  p.title = std::move(title);
  p.company = "Acme";
  return p;
}

std::int64_t Count(PostingStore& s, std::string_view sql) { return s.connection().QueryInt64(sql); }

std::string Text(PostingStore& s, std::string_view sql) {
  auto q = s.connection().Cached(sql);
  return q.Step() ? q.Text(0) : std::string();
}

class PostingStoreTest : public BackendTest {};
class PostingStoreMarkdownTest : public BackendTest {};
class PostingStoreNormalizedTest : public BackendTest {};
class LeaseTest : public BackendTest {};

TEST(PostingStoreSqliteTest, NewDatabaseHasLatestSchema) {
  auto store = OpenMemory();
  EXPECT_EQ(store->SchemaVersion(), LatestSchemaVersion());
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM sqlite_master WHERE name IN "
                          "('sources','postings','listings','crawl_runs','crawl_errors','open_postings')"),
            6);
  EXPECT_EQ(Count(*store, "PRAGMA foreign_keys"), 1);
}

TEST(PostingStoreSqliteTest, IdsAreNeverUsedTwice) {
  // docs/schema.md "Ids" (v21): SQLite gives a new row the largest id + 1,
  // the id of the newest row once it is deleted; postings, listings and
  // alerts get ids past every id ever deleted instead.
  auto opened = PostingStore::Open(":memory:");
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  PostingStore& store = **opened;
  auto source = store.EnsureSource("acme", "html", "t0");
  ASSERT_TRUE(source.has_value());
  std::vector<Posting> jobs = {MakePosting("https://acme.example/1", "Designer"),
                               MakePosting("https://acme.example/2", "Platform Engineer")};
  ASSERT_TRUE(store.Upsert(*source, jobs, "2026-12-01T10:00:00Z").has_value());
  const std::int64_t newest = Count(store, "SELECT max(id) FROM postings");
  const std::int64_t newest_listing = Count(store, "SELECT max(id) FROM listings");
  // Deleted, as a merge deletes a posting it emptied (its listing goes with it here).
  store.database().exec("DELETE FROM postings WHERE id = " + std::to_string(newest));
  ASSERT_EQ(Count(store, "SELECT max(id) FROM postings"), newest - 1);
  ASSERT_TRUE(store.Upsert(*source, std::vector<Posting>{MakePosting("https://acme.example/3", "Analyst")},
                           "2026-12-01T11:00:00Z")
                  .has_value());
  EXPECT_EQ(Count(store, "SELECT id FROM postings WHERE title = 'Analyst'"), newest + 1);
  EXPECT_EQ(Count(store, "SELECT id FROM listings WHERE url = 'https://acme.example/3'"), newest_listing + 1);
  // An insert that would take a freed id is refused, whoever writes it.
  store.database().exec("DELETE FROM postings WHERE title = 'Analyst'");
  EXPECT_THROW(store.database().exec("INSERT INTO postings (url, content_hash, first_seen, last_seen) "
                                     "VALUES ('u', 'h', 't', 't')"),
               SQLite::Exception);
  // Alerts: a pruned newest row's id is not given to the next one.
  store.database().exec("INSERT INTO alert_outbox (id, alert, event, idempotency_key, created_at, next_attempt_at) "
                        "VALUES (40, 'a', 'degraded', 'k40', 't', 't')");
  store.database().exec("DELETE FROM alert_outbox WHERE id = 40");
  auto alarm = store.EnqueueAlarm(std::vector<AlertRule>{{.name = "a", .postings = false, .alarms = true}}, "s1",
                                  "{}", "2026-12-01T12:00:00Z");
  ASSERT_TRUE(alarm.has_value()) << alarm.error().message;
  EXPECT_EQ(Count(store, "SELECT id FROM alert_outbox"), 41);
}

TEST(PostingStoreSqliteTest, UpgradeKeepsIdsAnAlertKeyNamesUsed) {
  // The upgrade to v21 cannot know the ids freed before; it starts past the
  // largest in use and the largest an alert's "new" key names.
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  ASSERT_TRUE(Migrate(db, 20).has_value());
  db.exec("INSERT INTO postings (id, url, content_hash, first_seen, last_seen) VALUES (3, 'u', 'h', 't', 't')");
  db.exec("INSERT INTO alert_outbox (alert, event, posting_id, idempotency_key, created_at, next_attempt_at) "
          "VALUES ('all', 'new', NULL, 'jobtrawl:all:new:7', 't', 't'), "
          "('all', 'reopened', 3, 'jobtrawl:all:reopened:3:2026-12-01T10:00:00Z', 't', 't')");
  ASSERT_TRUE(Migrate(db, LatestSchemaVersion()).has_value());
  EXPECT_EQ(db.execAndGet("SELECT id FROM id_high_water WHERE name = 'postings'").getInt64(), 7);
  EXPECT_EQ(db.execAndGet("SELECT id FROM id_high_water WHERE name = 'alert_outbox'").getInt64(), 2);
  // SQLite would give a posting inserted without an id 4, at or below the
  // high water (ids up to 7 may have been used): refused.
  EXPECT_THROW(db.exec("INSERT INTO postings (url, content_hash, first_seen, last_seen) VALUES ('u', 'h', 't', 't')"),
               SQLite::Exception);
}

TEST_P(PostingStoreTest, UpsertCountsNewUpdatedAndUnchanged) {
  // Exact dedup: a listing seen again is unchanged unless its content hash changed.
  auto store = OpenMemory();
  auto source = store->EnsureSource("board", "html", "2026-11-27T10:00:00Z");
  ASSERT_TRUE(source.has_value());
  std::vector<Posting> first{MakePosting("https://a.example/jobs/1", "One"),
                             MakePosting("https://a.example/jobs/2", "Two")};
  auto c1 = store->Upsert(*source, first, "2026-11-27T10:00:00Z");
  ASSERT_TRUE(c1.has_value());
  EXPECT_EQ(c1->new_postings, 2);

  std::vector<Posting> second{MakePosting("https://a.example/jobs/1", "One"),
                              MakePosting("https://a.example/jobs/2", "Two (updated)")};
  auto c2 = store->Upsert(*source, second, "2026-11-28T10:00:00Z");
  ASSERT_TRUE(c2.has_value());
  EXPECT_EQ(c2->new_postings, 0);
  EXPECT_EQ(c2->updated, 1);
  EXPECT_EQ(c2->unchanged, 1);

  EXPECT_EQ(Count(*store, "SELECT count(*) FROM postings"), 2);
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM listings"), 2);
  auto q = store->connection().Cached(
                      "SELECT title, first_seen, last_seen, updated_at FROM postings ORDER BY id");
  ASSERT_TRUE(q.Step());
  EXPECT_EQ(q.Text(0), "One");
  EXPECT_EQ(q.Text(1), "2026-11-27T10:00:00Z");
  EXPECT_EQ(q.Text(2), "2026-11-28T10:00:00Z");
  EXPECT_TRUE(q.IsNull(3));
  ASSERT_TRUE(q.Step());
  EXPECT_EQ(q.Text(0), "Two (updated)");
  EXPECT_EQ(q.Text(1), "2026-11-27T10:00:00Z");
  EXPECT_EQ(q.Text(3), "2026-11-28T10:00:00Z");
}

TEST_P(PostingStoreTest, BoardIdKeysTheListingAcrossUrls) {
  // A board id survives URL changes (slug edits, tracking parameters).
  auto store = OpenMemory();
  auto source = *store->EnsureSource("board", "html", "t0");
  Posting a = MakePosting("https://a.example/jobs/1-old-slug", "One");
  a.external_id = "1";
  Posting b = a;
  b.url = "https://a.example/jobs/1-new-slug";
  ASSERT_EQ(store->Upsert(source, std::span(&a, 1), "t1")->new_postings, 1);
  ASSERT_EQ(store->Upsert(source, std::span(&b, 1), "t2")->unchanged, 1);
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM listings"), 1);
  EXPECT_EQ(Text(*store, "SELECT url FROM listings"),
            "https://a.example/jobs/1-new-slug");
}

TEST_P(PostingStoreTest, SameUrlOnTwoSourcesIsTwoListings) {
  auto store = OpenMemory();
  auto s1 = *store->EnsureSource("one", "html", "t0");
  auto s2 = *store->EnsureSource("two", "html", "t0");
  EXPECT_NE(s1, s2);
  EXPECT_EQ(*store->EnsureSource("one", "html", "t1"), s1);
  Posting p = MakePosting("https://a.example/jobs/1", "One");
  store->Upsert(s1, std::span(&p, 1), "t1");
  store->Upsert(s2, std::span(&p, 1), "t1");
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM listings"), 2);
}

TEST_P(PostingStoreTest, NullStaysNull) {
  // "Not stated" is NULL, never '' or 0.
  auto store = OpenMemory();
  auto source = *store->EnsureSource("board", "html", "t0");
  Posting p;
  p.url = "https://a.example/x";
  store->Upsert(source, std::span(&p, 1), "t1");
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM postings WHERE title IS NULL AND "
                          "salary_min IS NULL AND company IS NULL AND description IS NULL"),
            1);
}

TEST_P(PostingStoreTest, RunsAndErrorsAreRecorded) {
  auto store = OpenMemory();
  auto source = *store->EnsureSource("board", "html", "t0");
  auto run = store->BeginRun(source, "2026-11-27T10:00:00Z");
  ASSERT_TRUE(run.has_value());
  ASSERT_TRUE(store->RecordError(*run, {"https://a.example/x", "http_status", 404, "Not Found"}, "t"));
  RunRecord r{.finished_at = "2026-11-27T10:01:00Z", .status = "partial", .pages = 12,
              .bytes = 3456, .errors = 1, .counts = {3, 2, 1}, .message = ""};
  ASSERT_TRUE(store->FinishRun(*run, r).has_value());
  auto q = store->connection().Cached(
                      "SELECT status, pages, bytes, errors, new_postings, updated_postings, "
                      "unchanged_postings, finished_at FROM crawl_runs");
  ASSERT_TRUE(q.Step());
  EXPECT_EQ(q.Text(0), "partial");
  EXPECT_EQ(q.Int(1), 12);
  EXPECT_EQ(q.Int(2), 3456);
  EXPECT_EQ(q.Int(3), 1);
  EXPECT_EQ(q.Int(4), 3);
  EXPECT_EQ(q.Int(5), 2);
  EXPECT_EQ(q.Int(6), 1);
  EXPECT_EQ(Count(*store, "SELECT status FROM crawl_errors"), 404);
  EXPECT_EQ(Count(*store, "SELECT attempt FROM crawl_errors"), 1);
}

TEST_P(PostingStoreTest, RolledBackBatchLeavesNothingBehind) {
  // A crash or failure mid-batch never leaves a half-written posting.
  auto store = OpenMemory();
  auto source = *store->EnsureSource("board", "html", "t0");
  ASSERT_TRUE(store->Begin());
  Posting p = MakePosting("https://a.example/1", "One");
  ASSERT_TRUE(store->Upsert(source, std::span(&p, 1), "t1"));
  store->Rollback();
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM postings"), 0);
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM listings"), 0);
  // A foreign-key failure (unknown source) rolls back the whole call.
  std::vector<Posting> batch{MakePosting("https://a.example/2", "Two")};
  EXPECT_FALSE(store->Upsert(9999, batch, "t1").has_value());
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM postings"), 0);
}

TEST_P(PostingStoreTest, ContentHashIgnoresUrlButSeesEveryField) {
  Posting a = MakePosting("https://a.example/1", "One");
  Posting b = a;
  b.url = "https://a.example/other";
  EXPECT_EQ(PostingStore::ContentHash(a), PostingStore::ContentHash(b));
  b.salary_min = 1;
  EXPECT_NE(PostingStore::ContentHash(a), PostingStore::ContentHash(b));
  Posting c = a;
  c.company.reset();
  Posting d = a;
  d.company = "";
  EXPECT_NE(PostingStore::ContentHash(c), PostingStore::ContentHash(d));
}

TEST_P(PostingStoreTest, TouchRefreshesAndReopens) {
  // An unchanged page (304 or same body) refreshes its listings without parsing.
  auto store = OpenMemory();
  auto source = *store->EnsureSource("board", "html", "t0");
  std::vector<Posting> batch{MakePosting("https://a.example/1", "One"),
                             MakePosting("https://a.example/2", "Two")};
  store->Upsert(source, batch, "2026-11-01T00:00:00Z");
  std::vector<std::string> keys{PostingStore::ListingKey(batch[0]), "url:https://a.example/unknown"};
  ASSERT_EQ(store->CloseListings(source, std::span(keys).first(1), "2026-11-02T00:00:00Z").value(), 1);
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM open_postings"), 1);
  auto touched = store->Touch(source, keys, "2026-11-03T00:00:00Z");
  ASSERT_TRUE(touched.has_value());
  EXPECT_EQ(touched->unchanged, 1);
  EXPECT_EQ(touched->reopened, 1);
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM open_postings"), 2);
  EXPECT_EQ(Text(*store, "SELECT last_seen FROM postings WHERE title = 'One'"),
            "2026-11-03T00:00:00Z");
}

TEST_P(PostingStoreTest, CloseUnseenClosesOnlyStaleListingsAndOrphanedPostings) {
  // A posting stays open while any of its listings is open.
  auto store = OpenMemory();
  auto source = *store->EnsureSource("board", "html", "t0");
  Posting old_one = MakePosting("https://a.example/old", "Old");
  Posting fresh = MakePosting("https://a.example/fresh", "Fresh");
  store->Upsert(source, std::span(&old_one, 1), "2026-11-01T00:00:00Z");
  store->Upsert(source, std::span(&fresh, 1), "2026-11-10T00:00:00Z");
  EXPECT_EQ(store->CountOpenListings(source).value(), 2);
  EXPECT_EQ(store->CountSeenSince(source, "2026-11-05T00:00:00Z").value(), 1);
  auto closed = store->CloseUnseen(source, "2026-11-07T00:00:00Z", "2026-11-10T00:00:01Z");
  ASSERT_TRUE(closed.has_value());
  EXPECT_EQ(*closed, 1);
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM postings WHERE closed_at IS NOT NULL AND title = 'Old'"), 1);
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM open_postings"), 1);
  // Seen again: reopened, and counted so.
  auto again = store->Upsert(source, std::span(&old_one, 1), "2026-11-11T00:00:00Z");
  EXPECT_EQ(again->reopened, 1);
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM open_postings"), 2);
}

TEST_P(PostingStoreTest, HttpCacheWriteAfterAFailedOneSucceeds) {
  // The cache statements are prepared once and reused: a write that failed
  // (here a source that does not exist, against the foreign key) must not
  // leave its error to the next write of the same statement.
  auto store = OpenMemory();
  auto source = *store->EnsureSource("board", "html", "t0");
  CachedPage page{.body_hash = "0123"};
  EXPECT_FALSE(store->SaveHttpCache(source + 1000, "https://a.example/", page, "t1").has_value());
  ASSERT_TRUE(store->SaveHttpCache(source, "https://a.example/", page, "t1").has_value());
  ASSERT_TRUE(store->MarkCacheUsed(source, "https://a.example/", "t2").has_value());
  ASSERT_TRUE(store->MarkCacheUsed(source, "https://a.example/", "t3").has_value());
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM http_cache WHERE last_used = 't3'"), 1);
}

TEST_P(PostingStoreTest, HttpCacheRoundTrips) {
  auto store = OpenMemory();
  auto source = *store->EnsureSource("board", "html", "t0");
  CachedPage page{.etag = "\"abc\"", .last_modified = "", .body_hash = "0123",
                  .links = {{"https://a.example/2", Link::Role::kListing},
                            {"https://a.example/jobs/1", Link::Role::kDetail}},
                  .listing_keys = {"id:7", "url:https://a.example/jobs/1"}};
  ASSERT_TRUE(store->SaveHttpCache(source, "https://a.example/", page, "t1").has_value());
  page.body_hash = "4567";
  ASSERT_TRUE(store->SaveHttpCache(source, "https://a.example/", page, "t2").has_value());
  auto loaded = store->LoadHttpCache(source);
  ASSERT_TRUE(loaded.has_value());
  ASSERT_EQ(loaded->size(), 1u);
  const CachedPage& got = (*loaded)[0].second;
  EXPECT_EQ((*loaded)[0].first, "https://a.example/");
  EXPECT_EQ(got.etag, "\"abc\"");
  EXPECT_EQ(got.last_modified, "");
  EXPECT_EQ(got.body_hash, "4567");
  EXPECT_EQ(got.links, page.links);
  EXPECT_EQ(got.listing_keys, page.listing_keys);
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM http_cache WHERE last_modified IS NULL"), 1);
}

TEST_P(PostingStoreTest, HttpCacheKeepsTheBodiesOfPostLinks) {
  // A Workday search page's cached links replay its further pages: POSTs
  // whose bodies (any bytes: tabs, newlines, '%') must come back as sent.
  auto store = OpenMemory();
  auto source = *store->EnsureSource("acme", "workday", "t0");
  Link post{.url = "https://a.example/jobs", .role = Link::Role::kListing,
            .post = PostBody{.content_type = "application/json", .data = "{\"offset\":20,\n\t\"q\":\"100%\"}\r"}};
  Link dated{.url = "https://a.example/jobs/2", .role = Link::Role::kDetail, .lastmod = "2026-11-01T00:00:00Z"};
  CachedPage page{.body_hash = "0123",
                  .links = {post, {"https://a.example/jobs/1", Link::Role::kDetail}, dated}};
  const std::string key = RequestKey("https://a.example/jobs", post.post);
  ASSERT_TRUE(store->SaveHttpCache(source, key, page, "t1").has_value());
  auto loaded = store->LoadHttpCache(source);
  ASSERT_TRUE(loaded.has_value());
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ((*loaded)[0].first, key);
  EXPECT_EQ((*loaded)[0].second.links, page.links);
}

#ifdef JOBTRAWL_TEST_POSTGRESQL
TEST_P(PostingStoreTest, AWriteAfterTheServerEndedTheSessionSucceeds) {
  // Issue 15 review: the store's PostgreSQL connection never reconnected:
  // after a server restart or pg_terminate_backend every later write
  // failed, and a long-running node silently stopped storing. Outside a
  // transaction the next call reconnects; inside one the transaction fails
  // (transient, so the crawl's writer tries the batch again) and the next
  // one runs on a new session.
  if (GetParam() != Backend::kPostgres) GTEST_SKIP() << "the connection under test is PostgreSQL's";
  const std::string location = testing::ReopenableLocation("reconnect");
  auto store = PostingStore::Open(location);
  ASSERT_TRUE(store.has_value()) << store.error().message;
  auto source = (*store)->EnsureSource("board", "html", "t0");
  ASSERT_TRUE(source.has_value()) << source.error().message;
  auto admin = pg::Connection::Open(location);
  ASSERT_TRUE(admin.has_value()) << admin.error().message;
  auto terminate = [&] {
    const std::int64_t pid = Count(**store, "SELECT pg_backend_pid()");
    auto r = admin->Exec("SELECT pg_terminate_backend($1::int, 120000)", {pg::Value{pid}});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ASSERT_EQ(r->Int64(0, 0), 1);
  };
  terminate();
  const Posting p1 = MakePosting("https://board.example/jobs/1", "Platform Engineer");
  auto stored = (*store)->Upsert(*source, std::span(&p1, 1), "t1");
  ASSERT_TRUE(stored.has_value()) << stored.error().message;
  // Inside a transaction: that transaction fails, transiently.
  ASSERT_TRUE((*store)->Begin().has_value());
  const Posting p2 = MakePosting("https://board.example/jobs/2", "Data Engineer");
  ASSERT_TRUE((*store)->Upsert(*source, std::span(&p2, 1), "t2").has_value());
  terminate();
  auto lost = (*store)->Upsert(*source, std::span(&p2, 1), "t2");
  ASSERT_FALSE(lost.has_value());
  EXPECT_TRUE(lost.error().transient) << lost.error().message;
  (*store)->Rollback();
  // The writer's retry.
  ASSERT_TRUE((*store)->Begin().has_value());
  ASSERT_TRUE((*store)->Upsert(*source, std::span(&p2, 1), "t2").has_value());
  auto committed = (*store)->Commit();
  ASSERT_TRUE(committed.has_value()) << committed.error().message;
  EXPECT_EQ(Count(**store, "SELECT count(*) FROM listings"), 2);
}
#endif

TEST_P(PostingStoreTest, TwoWritersAtOnceEachStoreAllTheirListings) {
  // Issue 15: several nodes write one database at once. Each gets its own
  // listing ids (PostgreSQL: the identity sequence; SQLite: one writer at a
  // time), so neither fails on the other's rows.
  const std::string location = testing::ReopenableLocation("two-writers");
  auto a = PostingStore::Open(location);
  auto b = PostingStore::Open(location);
  ASSERT_TRUE(a.has_value()) << a.error().message;
  ASSERT_TRUE(b.has_value()) << b.error().message;
  auto write = [](PostingStore& store, const std::string& source_name, std::string* failure) {
    auto source = store.EnsureSource(source_name, "html", "t0");
    if (!source) {
      *failure = source.error().message;
      return;
    }
    for (int batch = 0; batch < 10 && failure->empty(); ++batch) {
      std::vector<Posting> postings;
      for (int i = 0; i < 20; ++i) {
        postings.push_back(MakePosting("https://" + source_name + ".example/jobs/" + std::to_string(batch * 20 + i),
                                       source_name + " job " + std::to_string(batch * 20 + i)));
      }
      auto stored = store.Upsert(*source, postings, "t1");
      if (!stored) *failure = stored.error().message;
    }
  };
  std::string failure_a, failure_b;
  std::thread other([&] { write(**b, "board-b", &failure_b); });
  write(**a, "board-a", &failure_a);
  other.join();
  EXPECT_EQ(failure_a, "");
  EXPECT_EQ(failure_b, "");
  EXPECT_EQ(Count(**a, "SELECT count(*) FROM listings"), 400);
  EXPECT_EQ(Count(**a, "SELECT count(DISTINCT posting_id) FROM listings"), 400);
  EXPECT_EQ(Count(**a, "SELECT count(*) FROM postings p JOIN listings l ON l.id = p.canonical_listing_id "
                       "AND l.posting_id = p.id"),
            400);
  a->reset();
  b->reset();
  testing::RemoveLocation(location);
}

TEST_P(LeaseTest, TwoConnectionsContendForOneSource) {
  // Two processes on one database: only one holds a source's lease;
  // an expired lease (its holder died) is taken over.
  const std::string path = testing::ReopenableLocation("lease");
  auto a = std::move(*PostingStore::Open(path));
  auto b = std::move(*PostingStore::Open(path));
  auto source = *a->EnsureSource("board", "html", "t0");
  EXPECT_EQ(*b->EnsureSource("board", "html", "t0"), source);
  auto first = a->AcquireLease(source, "daemon:1", "2026-11-27T10:00:00Z", "2026-11-27T10:02:00Z");
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(first->has_value());  // taken
  auto second = b->AcquireLease(source, "cron:2", "2026-11-27T10:01:00Z", "2026-11-27T10:03:00Z");
  ASSERT_TRUE(second.has_value() && second->has_value());
  EXPECT_EQ((*second)->holder, "daemon:1");
  EXPECT_EQ((*second)->expires_at, "2026-11-27T10:02:00Z");
  // The holder renews; the other still cannot take it.
  EXPECT_FALSE(a->AcquireLease(source, "daemon:1", "2026-11-27T10:01:30Z", "2026-11-27T10:05:00Z")->has_value());
  EXPECT_TRUE(b->AcquireLease(source, "cron:2", "2026-11-27T10:04:00Z", "2026-11-27T10:06:00Z")->has_value());
  // Expired: taken over.
  EXPECT_FALSE(b->AcquireLease(source, "cron:2", "2026-11-27T10:05:00Z", "2026-11-27T10:07:00Z")->has_value());
  EXPECT_EQ((*a->AcquireLease(source, "daemon:1", "2026-11-27T10:05:30Z", "2026-11-27T10:08:00Z"))->holder, "cron:2");
  // Released: free for anyone.
  ASSERT_TRUE(b->ReleaseLease(source, "cron:2").has_value());
  EXPECT_FALSE(a->AcquireLease(source, "daemon:1", "2026-11-27T10:06:00Z", "2026-11-27T10:08:00Z")->has_value());
  a.reset();
  b.reset();
  testing::RemoveLocation(path);
}

TEST_P(PostingStoreTest, NextRunSurvivesReopening) {
  auto store = OpenMemory();
  auto source = *store->EnsureSource("board", "html", "t0");
  EXPECT_EQ(store->NextRun(source).value(), std::nullopt);
  ASSERT_TRUE(store->SetNextRun(source, "2026-11-27T11:00:00Z").has_value());
  EXPECT_EQ(store->NextRun(source).value(), "2026-11-27T11:00:00Z");
}

TEST(MigrationTest, UpgradesAnOlderSchemaKeepingData) {
  // A database made by the first release is upgraded in place on open.
  auto path = std::filesystem::temp_directory_path() / ("jobtrawl-migrate-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_TRUE(Migrate(db, 1).has_value());
    EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 1);
    db.exec("INSERT INTO sources (name, kind, created_at) VALUES ('old', 'html', 't0')");
  }
  {
    auto store = PostingStore::Open(path);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    EXPECT_EQ((*store)->SchemaVersion(), LatestSchemaVersion());
    EXPECT_EQ(Count(**store, "SELECT count(*) FROM sources WHERE name = 'old'"), 1);
    EXPECT_EQ(Count(**store, "SELECT count(*) FROM crawl_errors"), 0);
  }
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 99");
  }
  auto newer = PostingStore::Open(path);
  ASSERT_FALSE(newer.has_value());
  EXPECT_NE(newer.error().message.find("newer than this build"), std::string::npos);
  std::filesystem::remove(path);
  std::filesystem::remove(BackupPathBeforeMigration(path, 1));
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
}

TEST(MigrationTest, AnUpgradeBacksTheDatabaseUpFirst) {
  // Issue 13: "migrations are automatic; the database is backed up first".
  const auto dir = std::filesystem::temp_directory_path() / ("jobtrawl-upgrade-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto path = dir / "jobs.db";
  const int older = LatestSchemaVersion() - 1;
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_TRUE(Migrate(db, older).has_value());
    db.exec("INSERT INTO sources (name, kind, created_at) VALUES ('old', 'html', 't0')");
  }
  const auto backup = BackupPathBeforeMigration(path, older);
  EXPECT_EQ(backup, dir / ("jobs.db.v" + std::to_string(older) + ".bak"));
  {
    auto store = PostingStore::Open(path);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    EXPECT_EQ((*store)->SchemaVersion(), LatestSchemaVersion());
  }
  {
    SQLite::Database copy(backup.string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(copy.execAndGet("PRAGMA user_version").getInt(), older);
    EXPECT_EQ(copy.execAndGet("SELECT count(*) FROM sources WHERE name = 'old'").getInt(), 1);
  }
  // Opening an up-to-date or a new database makes no copy.
  std::filesystem::remove(backup);
  ASSERT_TRUE(PostingStore::Open(path).has_value());
  ASSERT_TRUE(PostingStore::Open(dir / "new.db").has_value());
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    EXPECT_EQ(e.path().string().find(".bak"), std::string::npos) << e.path();
  }
  // When the copy cannot be made, the database is not migrated.
  {
    SQLite::Database db((dir / "old2.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_TRUE(Migrate(db, older).has_value());
  }
  std::filesystem::create_directories(BackupPathBeforeMigration(dir / "old2.db", older));  // a directory there
  auto blocked = PostingStore::Open(dir / "old2.db");
  ASSERT_FALSE(blocked.has_value());
  EXPECT_NE(blocked.error().message.find("the backup first failed"), std::string::npos) << blocked.error().message;
  SQLite::Database still((dir / "old2.db").string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(still.execAndGet("PRAGMA user_version").getInt(), older);
  std::filesystem::remove_all(dir);
}

TEST(PostingStoreSqliteTest, AnotherApplicationsDatabaseIsRefusedAndLeftAlone) {
  // `crawl --db their.db` must not add jobtrawl's tables to their database.
  auto path = std::filesystem::temp_directory_path() / ("jobtrawl-foreign-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
  }
  auto store = PostingStore::Open(path);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, Error::Code::kInvalidArgument);
  EXPECT_NE(store.error().message.find("is not a jobtrawl database"), std::string::npos);
  SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sqlite_master").getInt(), 1);
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 0);
  std::filesystem::remove(path);
}

TEST(PostingStoreSqliteTest, OpenReportsUnwritablePath) {
  auto store = PostingStore::Open("/nonexistent-dir/jobs.db");
  ASSERT_FALSE(store.has_value());
  EXPECT_NE(store.error().message.find("cannot open database /nonexistent-dir/jobs.db"),
            std::string::npos);
}

}  // namespace
}  // namespace jobtrawl::storage

namespace jobtrawl::storage {
namespace {

TEST_P(PostingStoreMarkdownTest, MarkdownIsStoredBesideTextAndUpdatedWithIt) {
  auto store = OpenMemory();
  auto source = store->EnsureSource("board", "html", "2026-11-27T10:00:00Z");
  ASSERT_TRUE(source.has_value());
  Posting p;
  p.url = "https://a.example/jobs/1";
  p.title = "One";
  p.description = "Build things.";
  p.description_markdown = "Build **things**.";
  ASSERT_TRUE(store->Upsert(*source, std::vector<Posting>{p}, "2026-11-27T10:00:00Z").has_value());
  auto md = [&] {
    return Text(*store, "SELECT description_markdown FROM postings");
  };
  EXPECT_EQ(md(), "Build **things**.");
  // A change to the Markdown alone (a link's target, say) is a change.
  p.description_markdown = "Build [things](https://a.example/).";
  auto counts = store->Upsert(*source, std::vector<Posting>{p}, "2026-11-28T10:00:00Z");
  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->updated, 1);
  EXPECT_EQ(md(), "Build [things](https://a.example/).");
}

}  // namespace
}  // namespace jobtrawl::storage

namespace jobtrawl::storage {
namespace {

TEST_P(PostingStoreNormalizedTest, NormalizedColumnsAndRawValuesAreStored) {
  auto store = OpenMemory();
  auto source = store->EnsureSource("board", "html", "2026-11-27T10:00:00Z");
  ASSERT_TRUE(source.has_value());
  Posting p;
  p.url = "https://a.example/jobs/1";
  p.title = "Senior Backend Engineer";
  p.places = {Place{.city = "Berlin", .region = "BE", .country = "DE"}, Place{.country = "AT"}};
  p.city = "Berlin";
  p.region = "BE";
  p.country = "DE";
  p.salary_min = 70000;
  p.salary_annual_min = 70000;
  p.salary_source = "text";
  p.salary_raw = "€70k+";
  p.skills = {"Go", "PostgreSQL"};
  p.seniority = "senior";
  p.title_family = "backend engineer";
  p.experience_years_min = 5;
  p.remote_raw = "Hybrid (2 days)";
  ASSERT_TRUE(store->Upsert(*source, std::vector<Posting>{p}, "2026-11-27T10:00:00Z").has_value());
  // The JSON path is the one thing said differently on the two engines.
  const std::string second_country = GetParam() == Backend::kSqlite ? "json_extract(places, '$[1].country')"
                                                                    : "places->1->>'country'";
  auto q = store->connection().Cached(
      "SELECT city, region, places, salary_annual_min, salary_currency_guessed, salary_source, "
      "salary_raw, skills, seniority, title_family, experience_years_min, remote_raw, "
      "visa_sponsorship IS NULL, " + second_country + " FROM postings");
  ASSERT_TRUE(q.Step());
  EXPECT_EQ(q.Text(0), "Berlin");
  EXPECT_EQ(q.Text(1), "BE");
  EXPECT_EQ(q.Text(2),
            R"([{"city":"Berlin","region":"BE","country":"DE"},{"country":"AT"}])");
  EXPECT_EQ(q.Double(3), 70000);
  EXPECT_EQ(q.Int(4), 0);
  EXPECT_EQ(q.Text(5), "text");
  EXPECT_EQ(q.Text(6), "€70k+");
  EXPECT_EQ(q.Text(7), R"(["Go","PostgreSQL"])");
  EXPECT_EQ(q.Text(8), "senior");
  EXPECT_EQ(q.Text(9), "backend engineer");
  EXPECT_EQ(q.Int(10), 5);
  EXPECT_EQ(q.Text(11), "Hybrid (2 days)");
  EXPECT_EQ(q.Int(12), 1);  // not stated is NULL
  EXPECT_EQ(q.Text(13), "AT");
}

}  // namespace
}  // namespace jobtrawl::storage

namespace jobtrawl::storage {
namespace {

TEST(MigrationTest, UpgradeToV6ForgetsTheHttpCacheSoPagesAreReadAgain) {
  // Postings stored before normalization get it on the next crawl: the
  // upgrade drops what would let unchanged pages be skipped.
  auto path = std::filesystem::temp_directory_path() / ("jobtrawl-v6-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_TRUE(Migrate(db, 5).has_value());
    db.exec("INSERT INTO sources (id, name, kind, created_at) VALUES (1, 'old', 'html', 't0')");
    db.exec("INSERT INTO http_cache (source_id, url, body_hash, fetched_at) VALUES (1, 'https://a.example/', 'h', 't0')");
  }
  {
    auto store = PostingStore::Open(path);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    EXPECT_EQ(Count(**store, "SELECT count(*) FROM http_cache"), 0);
    EXPECT_EQ(Count(**store, "SELECT count(*) FROM sources"), 1);
  }
  for (auto suffix : {"", "-wal", "-shm", ".v5.bak"}) std::filesystem::remove(path.string() + suffix);
}

TEST(MigrationTest, UpgradeToV13ForgetsTheCachedPagesOfBoardsWithADepartment) {
  // Schema v13: postings of board kinds that state a department get it on
  // the next crawl (their unchanged pages would be skipped); other
  // sources keep their cache, and a revision of a stored posting records
  // its department as NULL before.
  auto path = std::filesystem::temp_directory_path() / ("jobtrawl-v13-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_TRUE(Migrate(db, 12).has_value());
    db.exec("INSERT INTO sources (id, name, kind, created_at) VALUES (1, 'gh', 'greenhouse', 't0'), "
            "(2, 'page', 'html', 't0'), (3, 'rp', 'rippling', 't0')");
    db.exec("INSERT INTO http_cache (source_id, url, body_hash, fetched_at) VALUES (1, 'https://a.example/', 'h', 't0'), "
            "(2, 'https://b.example/', 'h', 't0'), (3, 'https://c.example/', 'h', 't0')");
  }
  {
    auto store = PostingStore::Open(path);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    EXPECT_EQ((*store)->SchemaVersion(), LatestSchemaVersion());
    EXPECT_EQ(Count(**store, "SELECT count(*) FROM http_cache"), 1);
    EXPECT_EQ(Count(**store, "SELECT source_id FROM http_cache"), 2);
    Posting p = MakePosting("https://a.example/jobs/1", "Engineer");
    ASSERT_TRUE((*store)->Upsert(1, std::span(&p, 1), "2026-12-01T08:00:00Z").has_value());
    p.department = "Engineering";
    auto counts = (*store)->Upsert(1, std::span(&p, 1), "2026-12-02T08:00:00Z");
    ASSERT_TRUE(counts.has_value()) << counts.error().message;
    EXPECT_EQ(counts->updated, 1);
    EXPECT_EQ(Count(**store, "SELECT count(*) FROM revisions WHERE field = 'department' AND old_value IS NULL"), 1);
  }
  for (auto suffix : {"", "-wal", "-shm", ".v12.bak"}) std::filesystem::remove(path.string() + suffix);
}

}  // namespace
}  // namespace jobtrawl::storage

#include <sqlite3.h>
#include <sys/stat.h>

namespace jobtrawl::storage {
namespace {

TEST_P(PostingStoreTest, EnsureSourceKeepsTheConfigsKind) {
  // Known fault 6: a source's kind changes only when the config's does;
  // an empty kind is refused, not stored.
  auto store = OpenMemory();
  auto id = *store->EnsureSource("gh", "greenhouse", "t0");
  EXPECT_EQ(*store->EnsureSource("gh", "greenhouse", "t1"), id);
  EXPECT_EQ(Text(*store, "SELECT kind FROM sources"), "greenhouse");
  EXPECT_EQ(*store->EnsureSource("gh", "lever", "t2"), id);
  EXPECT_EQ(Text(*store, "SELECT kind FROM sources"), "lever");
  EXPECT_FALSE(store->EnsureSource("gh", "", "t3").has_value());
  EXPECT_EQ(store->FindSource("gh").value(), id);
  EXPECT_EQ(store->FindSource("none").value(), std::nullopt);
}

TEST_P(PostingStoreTest, InjectedFaultsFailWithTheirCodeAndSayIfTransient) {
  // leveldb's ErrorEnv: a hook fails chosen calls as SQLite would; busy,
  // locked, full and I/O errors are transient, others are not.
  auto store = OpenMemory();
  auto source = *store->EnsureSource("board", "html", "t0");
  int code = SQLITE_BUSY;
  store->SetFaultHook([&](std::string_view call) -> std::optional<int> {
    return call == "upsert" ? std::optional(code) : std::nullopt;
  });
  Posting p = MakePosting("https://a.example/1", "One");
  for (int c : {SQLITE_BUSY, SQLITE_LOCKED, SQLITE_FULL, SQLITE_IOERR_WRITE, SQLITE_CONSTRAINT,
                SQLITE_CORRUPT}) {
    code = c;
    auto r = store->Upsert(source, std::span(&p, 1), "t1");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().transient, c != SQLITE_CONSTRAINT && c != SQLITE_CORRUPT) << c;
    EXPECT_NE(r.error().message.find("(SQLite code " + std::to_string(c) + ")"), std::string::npos);
  }
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM postings"), 0);
  store->SetFaultHook({});
  EXPECT_TRUE(store->Upsert(source, std::span(&p, 1), "t1").has_value());
}

TEST_P(PostingStoreTest, HttpCacheRowsArePrunedByLastUse) {
  // Known fault 6: a row's last use is its last save or confirmation;
  // rows unused since the cutoff go, others stay.
  auto store = OpenMemory();
  auto source = *store->EnsureSource("board", "html", "t0");
  CachedPage page{.body_hash = "1"};
  ASSERT_TRUE(store->SaveHttpCache(source, "https://a.example/old", page, "2026-01-01T00:00:00Z"));
  ASSERT_TRUE(store->SaveHttpCache(source, "https://a.example/used", page, "2026-01-01T00:00:00Z"));
  ASSERT_TRUE(store->MarkCacheUsed(source, "https://a.example/used", "2026-03-01T00:00:00Z"));
  EXPECT_EQ(store->PruneHttpCache(source, "2026-02-01T00:00:00Z").value(), 1);
  EXPECT_EQ(Text(*store, "SELECT url FROM http_cache"), "https://a.example/used");
}

TEST_P(LeaseTest, TakeOverReplacesOnlyTheNamedHolder) {
  // Known fault 8: a dead holder's unexpired lease is taken over, but only
  // if that holder still has it.
  auto store = OpenMemory();
  auto source = *store->EnsureSource("board", "html", "t0");
  ASSERT_FALSE(store->AcquireLease(source, "crawl h:1:1", "2026-01-01T00:00:00Z", "2026-01-01T00:02:00Z")
                   ->has_value());
  EXPECT_FALSE(store->TakeOverLease(source, "crawl h:2:2", "crawl h:3:3", "2026-01-01T00:00:10Z",
                                    "2026-01-01T00:02:10Z").value());
  EXPECT_TRUE(store->TakeOverLease(source, "crawl h:1:1", "crawl h:3:3", "2026-01-01T00:00:10Z",
                                   "2026-01-01T00:02:10Z").value());
  EXPECT_EQ(store->LeaseHolder(source).value(), "crawl h:3:3");
  ASSERT_TRUE(store->ReleaseLease(source, "crawl h:3:3"));
  EXPECT_EQ(store->LeaseHolder(source).value(), std::nullopt);
}

TEST_P(PostingStoreTest, AbandonedRunsAreMarkedInterrupted) {
  // A run left "running" by a killed process is marked by the next holder.
  auto store = OpenMemory();
  auto source = *store->EnsureSource("board", "html", "t0");
  auto run = *store->BeginRun(source, "t1");
  EXPECT_EQ(store->MarkAbandonedRuns(source, "never finished").value(), 1);
  EXPECT_EQ(Text(*store, "SELECT status || ' ' || message FROM crawl_runs WHERE id = " +
                                         std::to_string(run)),
            "interrupted never finished");
  EXPECT_EQ(store->MarkAbandonedRuns(source, "never finished").value(), 0);
}

TEST(FilePermissionsTest, DatabaseWalAndShmAreForOwnerAndGroupOnly) {
  // Issue 10 part 6: postings and leases are not world-readable, whatever
  // the umask.
  auto path = std::filesystem::temp_directory_path() / ("jobtrawl-perm-" + std::to_string(::getpid()) + ".db");
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  const mode_t old_umask = ::umask(0);
  {
    auto store = PostingStore::Open(path);
    ::umask(old_umask);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    ASSERT_TRUE((*store)->EnsureSource("board", "html", "t0").has_value());
    for (auto suffix : {"", "-wal", "-shm"}) {
      struct stat st {};
      ASSERT_EQ(::stat((path.string() + suffix).c_str(), &st), 0) << suffix;
      EXPECT_EQ(st.st_mode & 0007, 0u) << suffix << " mode " << std::oct << (st.st_mode & 0777);
      EXPECT_EQ(st.st_mode & 0111, 0u) << suffix;
    }
  }
  ::umask(old_umask);
  // A database made before, open to all, is tightened when opened.
  ::chmod(path.c_str(), 0666);
  { ASSERT_TRUE(PostingStore::Open(path).has_value()); }
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0660u);
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

INSTANTIATE_TEST_SUITE_P(Backends, PostingStoreTest, testing::BackendValues(), testing::BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, PostingStoreMarkdownTest, testing::BackendValues(), testing::BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, PostingStoreNormalizedTest, testing::BackendValues(), testing::BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, LeaseTest, testing::BackendValues(), testing::BackendName);

}  // namespace
}  // namespace jobtrawl::storage
