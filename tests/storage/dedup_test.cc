// Cross-board deduplication and history (docs/schema.md "Deduplication",
// "History"): the rules of issue 12 parts 1 and 2.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "normalize/normalize.h"
#include "storage/dedup.h"
#include "storage/simhash.h"
#include "storage/sql.h"
#include "storage/store.h"
#include "tests/storage/backend_test_util.h"

namespace jobtrawl::storage {
namespace {

using namespace std::chrono;

// A backend role at Acme: company introduction, duties, requirements, offer.
constexpr const char* kBackend = R"(About Acme Robotics
Acme Robotics builds the software that runs warehouse robots for more than two hundred customers across Europe and North America. Our platform team owns the services that plan routes, schedule work and keep thousands of machines talking to each other in real time.

What you will do
- Design, build and operate backend services in Go and Python that handle millions of events every day.
- Work closely with product managers, designers and the robotics team to turn customer problems into reliable features.
- Improve the observability of our systems: metrics, tracing and alerting that let the on-call engineer sleep at night.
- Review code, mentor other engineers and help us keep a high bar for quality and simplicity.

What we are looking for
- Several years of experience building distributed systems in production.
- Strong knowledge of PostgreSQL, message queues such as Kafka, and containers on Kubernetes.
- You communicate clearly in writing and enjoy explaining hard trade-offs to people outside engineering.
- Experience with robotics or logistics is a plus but not required.

What we offer
A competitive salary and equity, thirty days of paid holiday, a learning budget, flexible working hours and the option to work from home two days a week. We are an equal opportunity employer and welcome applicants of every background.
Apply before 2026-12-01 with your CV and a short note about a system you are proud of.)";

// The same title at the same company for another team: the duties differ.
constexpr const char* kPayments = R"(About Acme Robotics
Acme Robotics builds the software that runs warehouse robots for more than two hundred customers across Europe and North America. Our payments team owns billing, invoicing and the ledger behind every contract we sign.

What you will do
- Own the billing and invoicing services that charge our customers every month, written in Java and Kotlin.
- Partner with finance and legal to make payments, refunds and taxes correct in every country we sell in.
- Build reconciliation jobs and reports that the accounting department trusts and audits every quarter.
- Take part in the on-call rotation for the payments stack and its card processors.

What we are looking for
- Several years of experience with money movement, double-entry bookkeeping or payment processors.
- Strong knowledge of relational databases, idempotent APIs and careful schema migrations.
- You communicate clearly in writing and enjoy explaining hard trade-offs to people outside engineering.

What we offer
A competitive salary and equity, thirty days of paid holiday, a learning budget, flexible working hours and the option to work from home two days a week. We are an equal opportunity employer and welcome applicants of every background.
Apply before 2026-12-01 with your CV and a short note about a system you are proud of.)";

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  for (size_t i = s.find(from); i != std::string::npos; i = s.find(from, i + to.size())) {
    s.replace(i, from.size(), to);
  }
  return s;
}

// What an aggregator does to a copy: casing, white space, a few synonyms
// (two of them not in SimHash's table), the closing date shifted 3 days.
std::string LightEdit(std::string text, int variant = 0) {
  text = ReplaceAll(text, "\n- ", variant ? "\n * " : "\n• ");
  text = ReplaceAll(text, "What you will do", "WHAT YOU WILL DO");
  text = ReplaceAll(text, "  ", " ");
  text = ReplaceAll(text, "customers", "clients");
  text = ReplaceAll(text, "Strong knowledge", variant ? "Deep knowledge" : "Solid knowledge");
  text = ReplaceAll(text, "closely", variant ? "tightly" : "hand in hand");
  text = ReplaceAll(text, "2026-12-01", variant ? "2026-12-03" : "2026-12-04");
  return text;
}

Posting Job(std::string url, std::string id, std::string title, std::string company,
            std::string location, std::string description) {
  Posting p;
  p.url = std::move(url);
  if (!id.empty()) p.external_id = std::move(id);
  p.title = std::move(title);
  p.company = std::move(company);
  p.location = std::move(location);
  p.description = std::move(description);
  normalize::NormalizePosting(p, {.fetched_at = sys_days{2026y / 11 / 27}, .country = ""});
  return p;
}

// Listings as "source/key" and their posting, for comparing groupings.
struct Store {
  // A fresh store of the test's backend (testing::CurrentBackend) unless
  // `path` names one.
  explicit Store(StoreOptions options = {}, const std::filesystem::path& path = testing::FreshLocation()) {
    auto opened = PostingStore::Open(path, options);
    EXPECT_TRUE(opened.has_value()) << opened.error().message;
    store = std::move(*opened);
    ats = *store->EnsureSource("acme-ats", "greenhouse", "t0");
    board = *store->EnsureSource("jobboard", "html", "t0");
    feed = *store->EnsureSource("feedsite", "rss", "t0");
  }
  std::unique_ptr<PostingStore> store;
  std::int64_t ats = 0, board = 0, feed = 0;

  UpsertCounts Put(std::int64_t source, const Posting& p, const std::string& now = "2026-11-27T10:00:00Z") {
    auto c = store->Upsert(source, std::span(&p, 1), now);
    EXPECT_TRUE(c.has_value()) << c.error().message;
    return c.value_or(UpsertCounts{});
  }
  std::int64_t Count(const std::string& sql) { return store->connection().QueryInt64(sql); }
  std::string Text(const std::string& sql) {
    auto q = store->connection().Cached(sql);
    return q.Step() ? q.Text(0) : std::string();
  }
  std::int64_t PostingOf(const std::string& key) {
    return Count("SELECT posting_id FROM listings WHERE key = '" + key + "'");
  }
  std::int64_t ListingId(const std::string& key) {
    return Count("SELECT id FROM listings WHERE key = '" + key + "'");
  }
  // "[canonical] a b c | [canonical] d": every posting's listings, sorted,
  // canonical one first; postings sorted. Independent of ids.
  std::string Grouping() {
    auto q = store->connection().Cached(
                        "SELECT l.posting_id, s.name || '/' || l.key, p.canonical_listing_id = l.id "
                        "FROM listings l JOIN sources s ON s.id = l.source_id "
                        "JOIN postings p ON p.id = l.posting_id");
    std::map<std::int64_t, std::pair<std::string, std::vector<std::string>>> groups;
    while (q.Step()) {
      auto& g = groups[q.Int64(0)];
      if (q.Int(2) != 0) g.first = q.Text(1);
      g.second.push_back(q.Text(1));
    }
    std::vector<std::string> parts;
    for (auto& [id, g] : groups) {
      std::sort(g.second.begin(), g.second.end());
      std::string part = "[" + g.first + "]";
      for (const auto& l : g.second) part += " " + l;
      parts.push_back(part);
    }
    std::sort(parts.begin(), parts.end());
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : " | ") + p;
    return out;
  }
};

class DedupTest : public testing::BackendTest {};

// "a,b,c" of `column` in id order, on the test's backend.
std::string GroupConcat(const std::string& column) {
  return testing::CurrentBackend() == testing::Backend::kSqlite
             ? "group_concat(" + column + ", ',')"  // over rows in id order (SQLite 3.40)
             : "string_agg(CAST(" + column + " AS text), ',' ORDER BY id)";
}
class HistoryTest : public testing::BackendTest {};

TEST_P(DedupTest, LightlyEditedCopyIsDistanceThreeOrLess) {
  // The fixture's premise: the aggregator's edits stay within the default distance, another team does not.
  EXPECT_LE(HammingDistance(*SimHash(kBackend), *SimHash(LightEdit(kBackend))), 3);
  EXPECT_LE(HammingDistance(*SimHash(kBackend), *SimHash(LightEdit(kBackend, 1))), 3);
  EXPECT_GT(HammingDistance(*SimHash(kBackend), *SimHash(kPayments)), 3);
}

TEST_P(DedupTest, CrossPostWithLightEditsIsOnePosting) {
  // Issue 12 rule: casing, white space, a few synonyms and a shifted date are the same job.
  Store s;
  auto a = s.Put(s.ats, Job("https://boards.greenhouse.io/acme/jobs/101", "101",
                            "Senior Backend Engineer", "Acme Robotics GmbH", "Berlin, Germany", kBackend));
  auto b = s.Put(s.board, Job("https://jobboard.example/jobs/77", "", "senior backend engineer (m/f/d)",
                              "ACME Robotics", "Berlin", LightEdit(kBackend)),
                 "2026-11-28T10:00:00Z");
  EXPECT_EQ(a.new_postings, 1);
  EXPECT_EQ(b.new_postings, 0);
  EXPECT_EQ(b.merged, 1);
  EXPECT_EQ(s.Count("SELECT count(*) FROM postings"), 1);
  EXPECT_EQ(s.Count("SELECT count(*) FROM listings"), 2);
  EXPECT_EQ(s.Count("SELECT sightings FROM posting_lifecycle"), 2);
  EXPECT_EQ(s.Count("SELECT sources FROM posting_lifecycle"), 2);
  EXPECT_EQ(s.Text("SELECT source_names FROM posting_lifecycle"), "acme-ats, jobboard");
  EXPECT_EQ(s.Text("SELECT first_seen FROM postings"), "2026-11-27T10:00:00Z");
  EXPECT_EQ(s.Text("SELECT last_seen FROM postings"), "2026-11-28T10:00:00Z");
}

TEST_P(DedupTest, SameTitleForAnotherTeamIsTwoPostings) {
  // Issue 12 rule: same title, same company, different description: two jobs, on one board or two.
  Store s;
  s.Put(s.ats, Job("https://boards.greenhouse.io/acme/jobs/101", "101", "Backend Engineer",
                   "Acme Robotics", "Berlin, Germany", kBackend));
  s.Put(s.ats, Job("https://boards.greenhouse.io/acme/jobs/102", "102", "Backend Engineer",
                   "Acme Robotics", "Berlin, Germany", kPayments));
  s.Put(s.board, Job("https://jobboard.example/jobs/78", "", "Backend Engineer", "Acme Robotics",
                     "Berlin", LightEdit(kPayments)));
  EXPECT_EQ(s.Count("SELECT count(*) FROM postings"), 2);
  EXPECT_EQ(s.PostingOf("url:https://jobboard.example/jobs/78"), s.PostingOf("id:102"));
  EXPECT_NE(s.PostingOf("id:101"), s.PostingOf("id:102"));
}

TEST_P(DedupTest, StatedSenioritiesThatDifferAreTwoPostings) {
  // Issue 12 part 6: a Staff and a Junior opening of one title family at one
  // company often share most of their text; both seniorities stated and
  // different means two jobs, however near the descriptions are.
  Store s;
  s.Put(s.ats, Job("https://boards.greenhouse.io/acme/jobs/101", "101", "Staff Backend Engineer",
                   "Acme Robotics", "Berlin, Germany", kBackend));
  s.Put(s.board, Job("https://jobboard.example/jobs/77", "", "Junior Backend Engineer", "Acme Robotics",
                     "Berlin", LightEdit(kBackend)));
  EXPECT_EQ(s.Text("SELECT " + GroupConcat("seniority") + " FROM (SELECT id, seniority FROM listings ORDER BY id) AS t"),
            "staff,entry");
  EXPECT_EQ(s.Count("SELECT count(*) FROM postings"), 2);
  EXPECT_NE(s.PostingOf("id:101"), s.PostingOf("url:https://jobboard.example/jobs/77"));
}

TEST_P(DedupTest, ASeniorityStatedOnOneSideOnlyIsAnotherJob) {
  // "Backend Engineer" beside "Senior Backend Engineer" at one company is
  // most often a second opening written from the same template, not a copy
  // that lost its level word (features v3); "Sr." is "Senior".
  Store s;
  s.Put(s.ats, Job("https://boards.greenhouse.io/acme/jobs/101", "101", "Senior Backend Engineer",
                   "Acme Robotics", "Berlin, Germany", kBackend));
  s.Put(s.board, Job("https://jobboard.example/jobs/77", "", "Backend Engineer", "Acme Robotics",
                     "Berlin", LightEdit(kBackend)));
  s.Put(s.feed, Job("https://feedsite.example/jobs/5", "", "Sr. Backend Engineer", "Acme Robotics",
                    "Berlin", LightEdit(kBackend, 1)));
  EXPECT_EQ(s.Count("SELECT count(*) FROM postings"), 2);
  EXPECT_EQ(s.Count("SELECT count(*) FROM listings WHERE seniority IS NULL"), 1);
  EXPECT_EQ(s.Count("SELECT count(*) FROM listings WHERE seniority = 'senior' AND posting_id = "
                    "(SELECT posting_id FROM listings WHERE url LIKE 'https://feedsite.example/%')"), 2);
}

struct TitlePair {
  const char* name;
  const char* ats_title;
  const char* board_title;
};

TEST_P(DedupTest, LevelWordsBesideTheRoleAreTwoPostings) {
  // Issue 12 rule (review of part 1): different levels of one role at one
  // company are different jobs, also when the role word carries a level of
  // its own ("Manager" is lead, "Director" director, "Architect" staff), so
  // both titles' seniority is the same: a level word beside the role word
  // must agree, whatever the role word's own level.
  static constexpr TitlePair kPairs[] = {
      {"StaffVsLeadEngineeringManager", "Staff Engineering Manager", "Lead Engineering Manager"},
      {"SeniorVsPrincipalProductManager", "Senior Product Manager", "Principal Product Manager"},
      {"NoneVsSeniorEngineeringManager", "Engineering Manager", "Senior Engineering Manager"},
      {"AssociateVsPlainProductManager", "Associate Product Manager", "Product Manager"},
      {"DirectorVsSeniorDirector", "Director of Engineering", "Senior Director of Engineering"},
      {"HeadOfVsDirectorOf", "Head of Engineering", "Director of Engineering"},
      {"ArchitectVsSeniorArchitect", "Solutions Architect", "Senior Solutions Architect"},
      {"StaffVsPrincipalEngineer", "Staff Software Engineer", "Principal Software Engineer"},
      {"ManagerVsSeniorManagerWithQualifier", "Manager, Engineering", "Senior Manager, Engineering"},
      {"VicePresidentVsSeniorVicePresident", "Vice President, Sales", "Senior Vice President, Sales"},
      {"LevelTwoVsLevelThree", "Software Engineer II - Berlin", "Software Engineer III - Berlin"},
  };
  for (const TitlePair& pair : kPairs) {
    SCOPED_TRACE(pair.name);
    Store s;
    s.Put(s.ats, Job("https://boards.greenhouse.io/acme/jobs/101", "101", pair.ats_title, "Acme Robotics",
                     "Berlin, Germany", kBackend));
    s.Put(s.board, Job("https://jobboard.example/jobs/77", "", pair.board_title, "Acme Robotics", "Berlin",
                       LightEdit(kBackend)));
    EXPECT_EQ(s.Count("SELECT count(*) FROM postings"), 2);
  }
}

TEST_P(DedupTest, LightEditsOfATitleStillMerge) {
  // Issue 12 rule: casing, punctuation, "Sr." for "Senior", "Mgr" for
  // "Manager", a place suffix in another order and a "(Remote)" suffix are
  // the same title: a cross-post with them is one posting.
  static constexpr TitlePair kPairs[] = {
      {"Casing", "Senior Engineering Manager", "SENIOR ENGINEERING MANAGER"},
      {"SrForSenior", "Senior Engineering Manager", "Sr. Engineering Manager"},
      {"SrWithoutDot", "Senior Product Manager", "Sr Product Manager"},
      {"MgrForManager", "Engineering Manager", "Engineering Mgr"},
      {"SrMgr", "Senior Engineering Manager", "Sr. Engineering Mgr."},
      {"Punctuation", "Staff Engineering Manager", "Staff Engineering-Manager"},
      {"PlaceSuffixOrder", "Staff Engineering Manager - Berlin, Germany", "Staff Engineering Manager - Germany, Berlin"},
      {"RemoteSuffix", "Lead Engineering Manager", "Lead Engineering Manager (Remote)"},
      {"GenderMarker", "Principal Product Manager", "Principal Product Manager (m/w/d)"},
      {"LevelNumberBeforeAPlace", "Software Engineer II", "Software Engineer II - Berlin"},
      {"HeadOf", "Head of Engineering", "HEAD OF ENGINEERING (Remote)"},
      {"TeamLeadIsARole", "Team Lead", "Team Lead - Berlin"},
  };
  for (const TitlePair& pair : kPairs) {
    SCOPED_TRACE(pair.name);
    Store s;
    s.Put(s.ats, Job("https://boards.greenhouse.io/acme/jobs/101", "101", pair.ats_title, "Acme Robotics",
                     "Berlin, Germany", kBackend));
    s.Put(s.board, Job("https://jobboard.example/jobs/77", "", pair.board_title, "Acme Robotics", "Berlin",
                       LightEdit(kBackend)));
    EXPECT_EQ(s.Count("SELECT count(*) FROM postings"), 1);
  }
}

TEST_P(DedupTest, OpeningADatabaseMergedByTheOldRuleSplitsItsLevels) {
  // Schema v19 (features version 4): a posting that the rule before merged
  // from a Staff and a Lead Engineering Manager is split when the store
  // opens the database, the level words being read from the titles stored.
  const std::string location = testing::ReopenableLocation("dedup-levels-upgrade");
  {
    // Stored merged as the old rule would: one title for both, then the
    // titles as the boards wrote them, and the features marked version 3.
    Store s({}, location);
    s.Put(s.ats, Job("https://boards.greenhouse.io/acme/jobs/101", "101", "Engineering Manager", "Acme Robotics",
                     "Berlin, Germany", kBackend));
    s.Put(s.board, Job("https://jobboard.example/jobs/77", "", "Engineering Manager", "Acme Robotics", "Berlin",
                       LightEdit(kBackend)));
    ASSERT_EQ(s.Count("SELECT count(*) FROM postings"), 1);
    s.store->connection().Exec("UPDATE postings SET title = 'Staff Engineering Manager'");
    s.store->connection().Exec("UPDATE listing_copies SET title = 'Lead Engineering Manager'");
    s.store->connection().Exec("UPDATE listings SET features_version = 3");
  }
  Store reopened({}, location);
  EXPECT_EQ(reopened.Count("SELECT count(*) FROM listings WHERE features_version = 4"), 2);
  EXPECT_EQ(reopened.Count("SELECT count(*) FROM postings"), 2);
  EXPECT_NE(reopened.PostingOf("id:101"), reopened.PostingOf("url:https://jobboard.example/jobs/77"));
  EXPECT_EQ(reopened.Text("SELECT title FROM postings WHERE canonical_listing_id = " +
                          std::to_string(reopened.ListingId("url:https://jobboard.example/jobs/77"))),
            "Lead Engineering Manager");
  testing::RemoveLocation(location);
}

TEST(TitleLevelWordsTest, EveryLevelWordOfTheSeniorityTableIsRead) {
  // storage/dedup.h: the level words a title's copies must agree on are the
  // levels of normalize/data/seniority.tsv that are not a role; a word added
  // there must be read here too. Level numbers count at the end of a part.
  std::ifstream table(std::string(JOBTRAWL_SOURCE_DIR) + "/normalize/data/seniority.tsv");
  ASSERT_TRUE(table) << "normalize/data/seniority.tsv";
  int levels = 0;
  for (std::string line; std::getline(table, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    for (size_t at = 0;;) {
      const size_t tab = line.find('\t', at);
      cells.push_back(line.substr(at, tab == std::string::npos ? std::string::npos : tab - at));
      if (tab == std::string::npos) break;
      at = tab + 1;
    }
    if (cells.size() < 2 || cells[1] == "none" || (cells.size() > 2 && cells[2] == "role")) continue;
    ++levels;
    const std::string& word = cells[0];
    // Before the role ("Lead", "Associate") or at the end (a level number).
    EXPECT_TRUE(internal::TitleLevelWords(word + " backend engineer") != "" ||
                internal::TitleLevelWords("backend engineer " + word) != "")
        << word;
  }
  EXPECT_GE(levels, 20);
}

TEST(TitleLevelWordsTest, OneSpellingPerLevelWordWhereItIsALevel) {
  // storage/dedup.h TitleLevelWords: spellings of one word agree, different words do not.
  struct Case {
    const char* title;
    const char* levels;
  };
  static constexpr Case kCases[] = {
      {"Senior Engineering Manager", "senior"},
      {"Sr. Engineering Manager", "senior"},
      {"SNR engineering manager", "senior"},
      {"Staff Engineering Manager", "staff"},
      {"Lead Engineering Manager", "lead"},
      {"Principal Product Manager", "principal"},
      {"Engineering Manager", ""},
      {"Team Lead", ""},
      {"Team Lead - Berlin", ""},
      {"Senior Team Lead", "senior"},
      {"Sales Associate", ""},
      {"Associate Product Manager", "associate"},
      {"Software Engineer II", "2"},
      {"Software Engineer 2 - Berlin", "2"},
      {"Software Engineer III (Remote)", "3"},
      {"2 Software Engineers", ""},
      {"Senior Staff Engineer", "senior staff"},
      {"Staff or Senior Accountant", "senior staff"},
      {"Jr. Data Analyst", "junior"},
      {"Entry-Level Data Analyst", "entry"},
      {"Assistant to the Senior Director", ""},
      {"Engineering-Manager", ""},
  };
  for (const Case& c : kCases) EXPECT_EQ(internal::TitleLevelWords(c.title), c.levels) << c.title;
  EXPECT_EQ(internal::MatchedTitleFamily(std::string("engineering mgr"), std::string("Sr. Engineering Mgr")),
            "senior engineering manager");
  EXPECT_EQ(internal::MatchedTitleFamily(std::string("research & development manager"), std::nullopt),
            "research and development manager");
  EXPECT_EQ(internal::MatchedTitleFamily(std::nullopt, std::string("Staff Engineer")), std::nullopt);
}

TEST(TitleFamilyTest, StoredFamilyIsSpelledAsMatchingReadsIt) {
  // Issue 12 review: postings.title_family kept "engineering mgr" while
  // matching read "Mgr" as "Manager"; analysts group by the stored family
  // (docs/analysts.md), so it is stored in the matching's spelling.
  struct Case {
    const char* title;
    const char* family;
    const char* key;
  };
  const Case kCases[] = {
      {"Engineering Mgr", "engineering manager", "engineering manager"},
      {"Sr. Engineering Mgr.", "engineering manager", "engineering manager"},
      {"Engineering Manager", "engineering manager", "engineering manager"},
      {"Research & Development Manager", "research and development manager", "research and development manager"},
      {"Sales & Marketing Mgr", "sales and marketing manager", "sales and marketing manager"},
      {"R&D Engineer", "r&d engineer", "r&d engineer"},
  };
  for (const Case& c : kCases) {
    Posting p;
    p.title = c.title;
    p.url = "https://example.com/1";
    normalize::NormalizePosting(p, {.fetched_at = sys_days{2026y / 11 / 27}, .country = ""});
    EXPECT_EQ(p.title_family, c.family) << c.title;
    EXPECT_EQ(p.title_key, c.key) << c.title;
    // Matching adds the level words and changes no word of the family.
    EXPECT_EQ(internal::MatchedTitleFamily(p.title_family, std::nullopt), p.title_family) << c.title;
  }
}

TEST(TitleFamilyTest, MigrationRewritesStoredFamiliesInTheMatchingSpelling) {
  // Schema v21: rows stored before are rewritten, word by word; other words stay.
  const auto path = std::filesystem::temp_directory_path() /
                    ("jobtrawl-family-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_TRUE(Migrate(db, 20).has_value());
    db.exec("INSERT INTO sources (id, name, kind, created_at) VALUES (1, 'a', 'html', 't0')");
    const char* families[][2] = {{"engineering mgr", "engineering mgr (python)"},
                                 {"mgr mgr & & ops", "mgr mgr & & ops"},
                                 {"sales & marketing mgr", "sales & marketing mgr emea"},
                                 {"r&d mgrs engineer", "r&d mgrs engineer"},
                                 {"backend engineer", "backend engineer"}};
    int id = 0;
    for (const auto& f : families) {
      ++id;
      SQLite::Statement insert(db, "INSERT INTO postings (id, url, content_hash, first_seen, last_seen, "
                                   "title_family, title_key) VALUES (?, 'u', 'h', 't0', 't0', ?, ?)");
      insert.bind(1, id);
      insert.bind(2, f[0]);
      insert.bind(3, f[1]);
      insert.exec();
      db.exec("INSERT INTO listings (id, posting_id, source_id, key, url, content_hash, first_seen, last_seen) "
              "VALUES (" + std::to_string(id) + ", " + std::to_string(id) + ", 1, 'k" + std::to_string(id) +
              "', 'u', 'h', 't0', 't0')");
      db.exec("INSERT INTO listing_copies (listing_id, title_family, title_key, content_hash) SELECT id, "
              "title_family, title_key, content_hash FROM postings WHERE id = " + std::to_string(id));
    }
    ASSERT_TRUE(Migrate(db, LatestSchemaVersion()).has_value());
    const std::vector<std::string> want = {"engineering manager|engineering manager (python)",
                                           "manager manager and and ops|manager manager and and ops",
                                           "sales and marketing manager|sales and marketing manager emea",
                                           "r&d mgrs engineer|r&d mgrs engineer",
                                           "backend engineer|backend engineer"};
    for (const char* table : {"postings", "listing_copies"}) {
      SQLite::Statement q(db, std::string("SELECT title_family || '|' || title_key FROM ") + table +
                                  " ORDER BY rowid");
      std::vector<std::string> got;
      while (q.executeStep()) got.push_back(q.getColumn(0).getString());
      EXPECT_EQ(got, want) << table;
    }
    // Rewritten in place: no revision, no change of content.
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM revisions").getInt(), 0);
  }
  std::filesystem::remove(path);
}

// Every listing in a posting that exists, at most one per source; every
// posting has listings, shows one of them, and keeps the others' content.
void ExpectConsistentGrouping(Store& s) {
  EXPECT_EQ(s.Count("SELECT count(*) FROM listings l LEFT JOIN postings p ON p.id = l.posting_id "
                    "WHERE p.id IS NULL"), 0);
  EXPECT_EQ(s.Count("SELECT count(*) FROM (SELECT 1 FROM listings GROUP BY posting_id, source_id "
                    "HAVING count(*) > 1) AS t"), 0);
  EXPECT_EQ(s.Count("SELECT count(*) FROM postings p WHERE NOT EXISTS (SELECT 1 FROM listings l "
                    "WHERE l.posting_id = p.id AND l.id = p.canonical_listing_id)"), 0);
  EXPECT_EQ(s.Count("SELECT count(*) FROM listings l JOIN postings p ON p.id = l.posting_id "
                    "WHERE p.canonical_listing_id <> l.id AND NOT EXISTS (SELECT 1 FROM listing_copies c "
                    "WHERE c.listing_id = l.id)"), 0);
}

TEST_P(DedupTest, RegroupingReadsABoundedPartOfALargeComponent) {
  // Issue 12 part 6: three openings with one text on three boards are one
  // component of nine matching listings. Unbounded, it is three postings;
  // with a bound of four listings per regrouping, each arrival regroups
  // only its neighbourhood, and the grouping stays consistent.
  for (const int bound : {256, 4}) {
    SCOPED_TRACE(bound);
    Store s({.dedup_max_component = bound});
    for (int job = 1; job <= 3; ++job) {
      const std::string id = std::to_string(job);
      s.Put(s.ats, Job("https://boards.greenhouse.io/acme/jobs/" + id, id, "Backend Engineer",
                       "Acme Robotics", "Berlin, Germany", kBackend));
      s.Put(s.board, Job("https://jobboard.example/jobs/" + id, "", "Backend Engineer", "Acme Robotics",
                         "Berlin", LightEdit(kBackend)));
      s.Put(s.feed, Job("https://feedsite.example/jobs/" + id, "", "Backend Engineer", "Acme Robotics",
                        "Berlin", LightEdit(kBackend, 1)));
    }
    EXPECT_EQ(s.Count("SELECT count(*) FROM listings"), 9);
    ExpectConsistentGrouping(s);
    if (bound == 256) {
      EXPECT_EQ(s.Count("SELECT count(*) FROM postings"), 3);
    } else {
      EXPECT_GE(s.Count("SELECT count(*) FROM postings"), 3);
    }
  }
}

TEST_P(DedupTest, IdenticalTextOnOneSourceIsNeverMerged) {
  // A board's own ids say two listings are two jobs, however alike their text.
  Store s;
  s.Put(s.board, Job("https://jobboard.example/jobs/1", "", "Backend Engineer", "Acme Robotics",
                     "Berlin", kBackend));
  s.Put(s.board, Job("https://jobboard.example/jobs/2", "", "Backend Engineer", "Acme Robotics",
                     "Berlin", kBackend));
  EXPECT_EQ(s.Count("SELECT count(*) FROM postings"), 2);
}

TEST_P(DedupTest, AggregatorCopyFoldsUnderTheAtsOneWhicheverComesFirst) {
  // Issue 12 rule: the ATS listing is canonical; the posting shows its content, the copy keeps its own.
  for (bool ats_first : {true, false}) {
    SCOPED_TRACE(ats_first ? "ATS first" : "aggregator first");
    Store s;
    const Posting ats = Job("https://boards.greenhouse.io/acme/jobs/101", "101",
                            "Senior Backend Engineer", "Acme Robotics GmbH", "Berlin, Germany", kBackend);
    const Posting copy = Job("https://jobboard.example/jobs/77", "", "SENIOR BACKEND ENGINEER",
                             "Acme Robotics", "Berlin", LightEdit(kBackend));
    if (ats_first) {
      s.Put(s.ats, ats, "2026-11-27T10:00:00Z");
      s.Put(s.board, copy, "2026-11-28T10:00:00Z");
    } else {
      s.Put(s.board, copy, "2026-11-27T10:00:00Z");
      s.Put(s.ats, ats, "2026-11-28T10:00:00Z");
    }
    EXPECT_EQ(s.Count("SELECT count(*) FROM postings"), 1);
    EXPECT_EQ(s.Count("SELECT canonical_listing_id FROM postings"), s.ListingId("id:101"));
    EXPECT_EQ(s.Text("SELECT url FROM postings"), "https://boards.greenhouse.io/acme/jobs/101");
    EXPECT_EQ(s.Text("SELECT title FROM postings"), "Senior Backend Engineer");
    EXPECT_EQ(s.Text("SELECT title FROM listing_copies"), "SENIOR BACKEND ENGINEER");
    EXPECT_EQ(s.Count("SELECT listing_id FROM listing_copies"),
              s.ListingId("url:https://jobboard.example/jobs/77"));
    EXPECT_EQ(s.Text("SELECT first_seen FROM postings"), "2026-11-27T10:00:00Z");
    // When the ATS listing came second, what the posting showed before is history.
    EXPECT_EQ(s.Count("SELECT count(*) FROM revisions WHERE field = 'title'"), ats_first ? 0 : 1);
    if (!ats_first) {
      EXPECT_EQ(s.Text("SELECT old_value || ' ' || changed_at FROM revisions WHERE field = 'title'"),
                "SENIOR BACKEND ENGINEER 2026-11-28T10:00:00Z");
    }
  }
}

TEST_P(DedupTest, SameJobInSeveralCitiesFollowsTheCityRule) {
  // docs/schema.md rule: listings naming cities but none in common are different postings; a
  // listing naming no city joins its nearest match; a listing naming several cities takes in
  // copies for each of them.
  Store s;
  const auto berlin = Job("https://boards.greenhouse.io/acme/jobs/1", "1", "Backend Engineer",
                          "Acme Robotics", "Berlin, Germany", kBackend);
  const auto munich = Job("https://boards.greenhouse.io/acme/jobs/2", "2", "Backend Engineer",
                          "Acme Robotics", "Munich, Germany", kBackend);
  s.Put(s.ats, berlin);
  s.Put(s.ats, munich);
  s.Put(s.board, Job("https://jobboard.example/b", "", "Backend Engineer", "Acme Robotics",
                     "Berlin", LightEdit(kBackend)));
  s.Put(s.board, Job("https://jobboard.example/m", "", "Backend Engineer", "Acme Robotics",
                     "München", LightEdit(kBackend)));
  s.Put(s.feed, Job("https://feed.example/de", "", "Backend Engineer", "Acme Robotics",
                    "Remote, Germany", LightEdit(kBackend, 1)));
  EXPECT_EQ(s.Count("SELECT count(*) FROM postings"), 2);
  EXPECT_EQ(s.PostingOf("url:https://jobboard.example/b"), s.PostingOf("id:1"));
  EXPECT_EQ(s.PostingOf("url:https://jobboard.example/m"), s.PostingOf("id:2"));
  const auto remote = s.PostingOf("url:https://feed.example/de");
  EXPECT_TRUE(remote == s.PostingOf("id:1") || remote == s.PostingOf("id:2"));

  // One ATS posting for two cities: the per-city copies are both that job.
  Store t;
  t.Put(t.ats, Job("https://boards.greenhouse.io/acme/jobs/3", "3", "Backend Engineer",
                   "Acme Robotics", "Berlin; Munich, Germany", kBackend));
  t.Put(t.board, Job("https://jobboard.example/b", "", "Backend Engineer", "Acme Robotics",
                     "Berlin", LightEdit(kBackend)));
  t.Put(t.feed, Job("https://feed.example/m", "", "Backend Engineer", "Acme Robotics", "Munich",
                    LightEdit(kBackend, 1)));
  EXPECT_EQ(t.Count("SELECT count(*) FROM postings"), 1);
  EXPECT_EQ(t.Text("SELECT cities FROM listings WHERE key = 'id:3'"), "berlin; munich");
}

// Listings that exercise every rule at once: two cities, another team, a
// city-less copy, ATS and aggregators.
struct Arrival {
  int source;  // 0 ats, 1 board, 2 feed
  Posting posting;
};

std::vector<Arrival> MixedListings() {
  return {
      {0, Job("https://boards.greenhouse.io/acme/jobs/1", "1", "Backend Engineer", "Acme Robotics",
              "Berlin, Germany", kBackend)},
      {0, Job("https://boards.greenhouse.io/acme/jobs/2", "2", "Backend Engineer", "Acme Robotics",
              "Munich, Germany", kBackend)},
      {0, Job("https://boards.greenhouse.io/acme/jobs/3", "3", "Backend Engineer", "Acme Robotics",
              "Berlin, Germany", kPayments)},
      {1, Job("https://jobboard.example/b", "", "backend engineer", "ACME Robotics GmbH", "Berlin",
              LightEdit(kBackend))},
      {1, Job("https://jobboard.example/m", "", "Backend Engineer", "Acme Robotics", "Munich",
              LightEdit(kBackend, 1))},
      {2, Job("https://feed.example/de", "", "Backend Engineer (m/f/d)", "Acme Robotics",
              "Germany", LightEdit(kBackend, 1))},
  };
}

// A migrated empty database file to copy: opening ":memory:" migrates from
// scratch each time, which 720 orders would spend most of their time on.
class DatabaseCopies {
 public:
  // In /dev/shm where there is one: the copies are many and fsync there is free.
  DatabaseCopies()
      : dir_((std::filesystem::is_directory("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                        : std::filesystem::temp_directory_path()) /
             ("jobtrawl-dedup-perm-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(dir_);
    Store s({}, dir_ / "template.db");
  }
  ~DatabaseCopies() { std::filesystem::remove_all(dir_); }
  std::filesystem::path Fresh() {
    const auto path = dir_ / "copy.db";
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    std::filesystem::copy_file(dir_ / "template.db", path);
    return path;
  }

 private:
  std::filesystem::path dir_;
};

std::string GroupingAfter(const std::vector<Arrival>& arrivals, const std::vector<size_t>& order,
                          DatabaseCopies& copies) {
  Store s({}, copies.Fresh());
  const std::int64_t ids[] = {s.ats, s.board, s.feed};
  int minute = 0;
  for (size_t i : order) {
    char now[32];
    std::snprintf(now, sizeof now, "2026-11-27T10:%02d:00Z", minute++ % 60);
    s.Put(ids[arrivals[i].source], arrivals[i].posting, now);
  }
  return s.Grouping();
}

TEST_P(DedupTest, GroupingIsTheSameInEveryArrivalOrder) {
  // Issue 12: merging is deterministic whatever order listings arrive in (all 720 orders of 6).
  const auto arrivals = MixedListings();
  std::vector<size_t> order(arrivals.size());
  std::iota(order.begin(), order.end(), 0);
  DatabaseCopies copies;
  const std::string expected = GroupingAfter(arrivals, order, copies);
  // The rules hold in that grouping: Berlin and Munich apart, another team alone, ATS canonical.
  // (The feed's copy names no city: it may join either; which one is fixed by its distances.)
  const std::string berlin = expected.substr(0, expected.find(" | "));
  EXPECT_TRUE(berlin.starts_with("[acme-ats/id:1] acme-ats/id:1 ")) << expected;
  EXPECT_NE(berlin.find("jobboard/url:https://jobboard.example/b"), std::string::npos) << expected;
  EXPECT_EQ(berlin.find("jobboard/url:https://jobboard.example/m"), std::string::npos) << expected;
  EXPECT_NE((expected + " |").find("[acme-ats/id:3] acme-ats/id:3 |"), std::string::npos) << expected;
  EXPECT_NE(expected.find("[acme-ats/id:2] acme-ats/id:2"), std::string::npos) << expected;
  EXPECT_EQ(std::count(expected.begin(), expected.end(), '|'), 2) << expected;
  int orders = 0;
  while (std::next_permutation(order.begin(), order.end())) {
    ASSERT_EQ(GroupingAfter(arrivals, order, copies), expected) << "order #" << orders;
    ++orders;
  }
  EXPECT_EQ(orders, 719);
}

TEST_P(DedupTest, GroupingIsTheSameAfterShufflesOfALargerSetInBatches) {
  // Many shuffles of 18 listings (3 companies), stored in batches of random size per source.
  std::vector<Arrival> arrivals;
  for (const char* company : {"Acme Robotics", "Globex", "Initech"}) {
    for (auto a : MixedListings()) {
      a.posting.company = company;
      a.posting.company_key = std::string(company);
      a.posting.url += std::string("?c=") + company;
      if (a.posting.external_id) *a.posting.external_id += company;
      arrivals.push_back(std::move(a));
    }
  }
  DatabaseCopies copies;
  auto grouping = [&](const std::vector<size_t>& order, std::mt19937& rng) {
    Store s({}, copies.Fresh());
    const std::int64_t ids[] = {s.ats, s.board, s.feed};
    size_t i = 0;
    int batch_no = 0;
    while (i < order.size()) {
      // A batch: consecutive arrivals of one source, 1..4 of them.
      std::vector<Posting> batch{arrivals[order[i]].posting};
      const int source = arrivals[order[i]].source;
      const size_t want = 1 + rng() % 4;
      for (++i; i < order.size() && batch.size() < want && arrivals[order[i]].source == source; ++i) {
        batch.push_back(arrivals[order[i]].posting);
      }
      auto c = s.store->Upsert(ids[source], batch, "2026-11-27T10:" + std::to_string(10 + batch_no++ % 50) + ":00Z");
      EXPECT_TRUE(c.has_value());
    }
    return s.Grouping();
  };
  const unsigned seed = 12;
  std::mt19937 rng(seed);
  std::vector<size_t> order(arrivals.size());
  std::iota(order.begin(), order.end(), 0);
  const std::string expected = grouping(order, rng);
  EXPECT_EQ(std::count(expected.begin(), expected.end(), '|'), 8) << expected;  // 3 per company
  for (int shuffle = 0; shuffle < 60; ++shuffle) {
    std::shuffle(order.begin(), order.end(), rng);
    ASSERT_EQ(grouping(order, rng), expected) << "seed " << seed << ", shuffle " << shuffle;
  }
}

TEST_P(DedupTest, OneCallWithManyPostingsStoresWhatOneByOneStores) {
  // Upsert computes hashes and SimHashes of a long call's postings ahead on
  // a helper thread (storage/ahead.h): the grouping, contents and counts
  // are those of the same postings stored one call each.
  std::vector<Arrival> arrivals;
  for (const char* company :
       {"Acme Robotics", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Soylent", "Wonka"}) {
    for (auto a : MixedListings()) {
      a.posting.company = company;
      a.posting.company_key = std::string(company);
      a.posting.url += std::string("?c=") + company;
      if (a.posting.external_id) *a.posting.external_id += company;
      arrivals.push_back(std::move(a));
    }
  }
  auto store = [&](bool one_by_one, UpsertCounts& counts) {
    Store s;
    const std::int64_t ids[] = {s.ats, s.board, s.feed};
    for (int source = 0; source < 3; ++source) {
      std::vector<Posting> batch;
      for (const auto& a : arrivals) {
        if (a.source == source) batch.push_back(a.posting);
      }
      if (one_by_one) {
        for (const auto& p : batch) counts += s.Put(ids[source], p);
      } else {
        if (source < 2) {
          EXPECT_GE(batch.size(), 16u);  // long enough for the helper thread
        }
        auto c = s.store->Upsert(ids[source], batch, "2026-11-27T10:00:00Z");
        EXPECT_TRUE(c.has_value()) << c.error().message;
        counts += c.value_or(UpsertCounts{});
      }
    }
    const std::string contents = s.Text(
        "SELECT " + GroupConcat("content_hash") + " FROM (SELECT id, content_hash FROM listings ORDER BY id) AS l");
    const std::string features = s.Text(
        "SELECT " + GroupConcat("simhash") + " FROM (SELECT id, simhash FROM listings ORDER BY id) AS l");
    return s.Grouping() + "\n" + contents + "\n" + features;
  };
  UpsertCounts batched, single;
  const std::string a = store(false, batched);
  const std::string b = store(true, single);
  EXPECT_EQ(a, b);
  EXPECT_EQ(std::count(a.begin(), a.end(), '|'), 23) << a;  // 3 postings per company
  EXPECT_EQ(batched.new_postings, single.new_postings);
  EXPECT_EQ(batched.merged, single.merged);
  EXPECT_GT(batched.merged, 0);
}

TEST_P(DedupTest, SplitUndoesAWrongMergeAndItStaysSplit) {
  // Issue 12: `jobtrawl split POSTING LISTING`; later crawls (same or changed text) never re-merge.
  Store s;
  const Posting ats = Job("https://boards.greenhouse.io/acme/jobs/101", "101", "Backend Engineer",
                          "Acme Robotics", "Berlin, Germany", kBackend);
  Posting copy = Job("https://jobboard.example/jobs/77", "", "Backend Engineer", "Acme Robotics",
                     "Berlin", LightEdit(kBackend));
  s.Put(s.ats, ats);
  s.Put(s.board, copy);
  const auto posting = s.PostingOf("id:101");
  const auto listing = s.ListingId("url:https://jobboard.example/jobs/77");
  ASSERT_EQ(s.PostingOf("url:https://jobboard.example/jobs/77"), posting);

  auto split = s.store->SplitListing(posting, listing, "2026-11-28T09:00:00Z");
  ASSERT_TRUE(split.has_value()) << split.error().message;
  EXPECT_NE(*split, posting);
  EXPECT_EQ(s.PostingOf("id:101"), posting);
  EXPECT_EQ(s.PostingOf("url:https://jobboard.example/jobs/77"), *split);
  // The split-off posting shows the copy's own content, kept in listing_copies until now.
  EXPECT_EQ(s.Count("SELECT count(*) FROM listing_copies"), 0);
  EXPECT_EQ(s.Text("SELECT url FROM postings WHERE id = " + std::to_string(*split)),
            "https://jobboard.example/jobs/77");
  EXPECT_EQ(s.Count("SELECT count(*) FROM dedup_splits"), 1);

  s.Put(s.board, copy, "2026-11-29T10:00:00Z");  // seen again, unchanged
  s.Put(s.ats, ats, "2026-11-29T10:00:00Z");
  copy.description = LightEdit(kBackend, 1);       // edited again: regrouped, still apart
  s.Put(s.board, Job(copy.url, "", "Backend Engineer", "Acme Robotics", "Berlin", *copy.description),
        "2026-11-30T10:00:00Z");
  EXPECT_EQ(s.Count("SELECT count(*) FROM postings"), 2);
  EXPECT_NE(s.PostingOf("url:https://jobboard.example/jobs/77"), s.PostingOf("id:101"));

  // A third board's copy matches both: it joins one of them, never bridges them.
  s.Put(s.feed, Job("https://feed.example/acme", "", "Backend Engineer", "Acme Robotics", "Berlin",
                    LightEdit(kBackend, 1)));
  EXPECT_EQ(s.Count("SELECT count(*) FROM postings"), 2);
  EXPECT_NE(s.PostingOf("url:https://jobboard.example/jobs/77"), s.PostingOf("id:101"));
}

TEST_P(DedupTest, SplittingTheCanonicalListingLeavesThePostingToTheOthers) {
  // The posting id stays with the listings that remain; the one split off gets a new posting.
  Store s;
  s.Put(s.ats, Job("https://a.example/1", "1", "Backend Engineer", "Acme Robotics", "Berlin", kBackend));
  s.Put(s.board, Job("https://b.example/1", "", "BACKEND ENGINEER", "Acme Robotics", "Berlin",
                     LightEdit(kBackend)));
  s.Put(s.feed, Job("https://c.example/1", "", "Backend engineer", "Acme Robotics", "Berlin",
                    LightEdit(kBackend, 1)));
  const auto posting = s.PostingOf("id:1");
  ASSERT_EQ(s.Count("SELECT count(*) FROM postings"), 1);
  auto split = s.store->SplitListing(posting, s.ListingId("id:1"), "2026-11-28T09:00:00Z");
  ASSERT_TRUE(split.has_value()) << split.error().message;
  EXPECT_NE(*split, posting);
  EXPECT_EQ(s.PostingOf("url:https://b.example/1"), posting);
  EXPECT_EQ(s.PostingOf("url:https://c.example/1"), posting);
  // Each posting shows one of its own listings: the ATS one alone, and the best-ranked copy.
  EXPECT_EQ(s.Text("SELECT url FROM postings WHERE id = " + std::to_string(*split)), "https://a.example/1");
  EXPECT_EQ(s.Text("SELECT url FROM postings WHERE id = " + std::to_string(posting)), "https://c.example/1");
  EXPECT_EQ(s.Count("SELECT count(*) FROM listing_copies"), 1);
}

TEST_P(DedupTest, SplitRejectsAListingOfAnotherPostingAndALoneListing) {
  // Bad input to `jobtrawl split`: a clear error, nothing changed.
  Store s;
  s.Put(s.ats, Job("https://a.example/1", "1", "Backend Engineer", "Acme Robotics", "Berlin", kBackend));
  s.Put(s.ats, Job("https://a.example/2", "2", "Backend Engineer", "Acme Robotics", "Berlin", kPayments));
  const auto p1 = s.PostingOf("id:1");
  auto wrong = s.store->SplitListing(p1, s.ListingId("id:2"), "t");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code, Error::Code::kNotFound);
  auto alone = s.store->SplitListing(p1, s.ListingId("id:1"), "t");
  ASSERT_FALSE(alone.has_value());
  EXPECT_EQ(alone.error().code, Error::Code::kInvalidArgument);
  EXPECT_EQ(s.Count("SELECT count(*) FROM dedup_splits"), 0);
}

TEST_P(DedupTest, AListingWhoseTextChangesIsRegrouped) {
  // Matching is not only at a listing's first sight: a copy rewritten into another job leaves.
  Store s;
  s.Put(s.ats, Job("https://a.example/1", "1", "Backend Engineer", "Acme Robotics", "Berlin", kBackend));
  s.Put(s.ats, Job("https://a.example/2", "2", "Backend Engineer", "Acme Robotics", "Berlin", kPayments));
  const auto copy_url = "https://jobboard.example/x";
  s.Put(s.board, Job(copy_url, "", "Backend Engineer", "Acme Robotics", "Berlin", LightEdit(kBackend)));
  EXPECT_EQ(s.PostingOf(std::string("url:") + copy_url), s.PostingOf("id:1"));
  auto c = s.Put(s.board, Job(copy_url, "", "Backend Engineer", "Acme Robotics", "Berlin",
                              LightEdit(kPayments)),
                 "2026-11-28T10:00:00Z");
  EXPECT_EQ(c.updated, 1);
  EXPECT_EQ(s.PostingOf(std::string("url:") + copy_url), s.PostingOf("id:2"));
  EXPECT_EQ(s.Count("SELECT count(*) FROM postings"), 2);
}

TEST_P(DedupTest, DistanceMinusOneKeepsBoardsApartAndTurningItOnGroupsThem) {
  // [storage] dedup_distance = -1 disables matching; reopening with it on fills in features and merges.
  const std::string path = testing::ReopenableLocation("dedup-test");
  {
    auto store = std::move(*PostingStore::Open(path, {.dedup_distance = -1}));
    const auto a = *store->EnsureSource("acme-ats", "greenhouse", "t0");
    const auto b = *store->EnsureSource("jobboard", "html", "t0");
    const Posting p1 = Job("https://a.example/1", "1", "Backend Engineer", "Acme Robotics", "Berlin", kBackend);
    const Posting p2 = Job("https://b.example/1", "", "Backend Engineer", "Acme Robotics", "Berlin",
                           LightEdit(kBackend));
    ASSERT_TRUE(store->Upsert(a, std::span(&p1, 1), "t1"));
    ASSERT_TRUE(store->Upsert(b, std::span(&p2, 1), "t1"));
    EXPECT_EQ(store->connection().QueryInt64("SELECT count(*) FROM postings"), 2);
  }
  {
    auto store = std::move(*PostingStore::Open(path));
    EXPECT_EQ(store->connection().QueryInt64("SELECT count(*) FROM postings"), 1);
    EXPECT_EQ(store->connection().QueryInt64("SELECT count(*) FROM listings"), 2);
  }
  EXPECT_FALSE(PostingStore::Open(path, {.dedup_distance = 4}).has_value());
  testing::RemoveLocation(path);
}

TEST_P(DedupTest, TwoWritersStoringCopiesOfTheSameJobsGroupEachJobOnce) {
  // Issue 15: nodes writing one database at once (an ATS reader and an
  // aggregator's) group each job once, as one writer would: the store's
  // transactions hold the write lock (SQLite's, PostgreSQL's advisory one).
  const std::string location = testing::ReopenableLocation("dedup-writers");
  Store ats_writer({}, location);
  Store board_writer({}, location);
  constexpr int kJobs = 8;
  auto job = [](int i, bool copy) {
    const std::string company = "Company " + std::string(1, static_cast<char>('A' + i));
    return copy ? Job("https://jobboard.example/jobs/" + std::to_string(i), "", "Backend Engineer", company,
                      "Berlin", LightEdit(kBackend))
                : Job("https://boards.greenhouse.io/c/jobs/" + std::to_string(i), std::to_string(i),
                      "Backend Engineer", company, "Berlin", kBackend);
  };
  std::thread other([&] {
    for (int i = 0; i < kJobs; ++i) board_writer.Put(board_writer.board, job(i, true));
  });
  for (int i = 0; i < kJobs; ++i) ats_writer.Put(ats_writer.ats, job(i, false));
  other.join();
  EXPECT_EQ(ats_writer.Count("SELECT count(*) FROM listings"), 2 * kJobs);
  EXPECT_EQ(ats_writer.Count("SELECT count(*) FROM postings"), kJobs);
  EXPECT_EQ(ats_writer.Count("SELECT count(*) FROM (SELECT posting_id FROM listings GROUP BY posting_id "
                             "HAVING count(*) = 2) AS t"),
            kJobs);
  // The ATS listing is each posting's canonical one, whichever came first.
  EXPECT_EQ(ats_writer.Count("SELECT count(*) FROM postings p JOIN listings l ON l.id = p.canonical_listing_id "
                             "WHERE l.source_id = " + std::to_string(ats_writer.ats)),
            kJobs);
  ExpectConsistentGrouping(ats_writer);
  ats_writer.store.reset();
  board_writer.store.reset();
  testing::RemoveLocation(location);
}


#ifdef JOBTRAWL_TEST_POSTGRESQL
// PostgreSQL: the writer sessions' server process ids, and a way to see
// which of them waits on a lock (polled: no event reaches this process).
bool SeenWaitingOnALock(PostingStore& observer, std::int64_t pid, const std::atomic<bool>& done) {
  const auto deadline = steady_clock::now() + seconds(60);
  while (steady_clock::now() < deadline && !done) {
    auto q = observer.connection().Cached(
        "SELECT count(*) FROM pg_stat_activity WHERE pid = ? AND wait_event_type = 'Lock'");
    q.Bind(1, pid);
    if (q.Step() && q.Int64(0) == 1) return true;
    q.Reset();
    std::this_thread::sleep_for(milliseconds(10));
  }
  return false;
}
std::int64_t BackendPid(PostingStore& s) { return s.connection().QueryInt64("SELECT pg_backend_pid()"); }
#endif

TEST_P(DedupTest, WritersOfDifferentCompaniesDoNotWaitForEachOther) {
  // Issue 15 review: every PostgreSQL write transaction took one global
  // advisory lock, so nodes wrote one at a time and adding nodes could not
  // raise write throughput. Now a writer locks only the dedup groups it
  // matches in: while one holds its transaction open (company A), another
  // (company B) writes and commits. The second's lock_timeout only turns a
  // wait into a failure; it never fires when nothing is waited on.
  if (GetParam() != testing::Backend::kPostgres) {
    GTEST_SKIP() << "SQLite serializes its writers by design (BEGIN IMMEDIATE)";
  }
  const std::string location = testing::ReopenableLocation("dedup-concurrent");
  Store first({}, location);
  Store second({.pg_lock_timeout = seconds(30)}, location);
  ASSERT_TRUE(first.store->Begin());
  first.Put(first.ats, Job("https://boards.greenhouse.io/a/jobs/1", "1", "Backend Engineer", "Company A",
                           "Berlin", kBackend));
  // Open, holding company A's group: the other company's write commits.
  auto counts = second.store->Upsert(
      second.board,
      std::vector<Posting>{Job("https://jobboard.example/jobs/2", "", "Backend Engineer", "Company B", "Berlin",
                               kBackend)},
      "2026-11-27T10:00:00Z");
  ASSERT_TRUE(counts.has_value()) << counts.error().message;
  EXPECT_EQ(counts->new_postings, 1);
  EXPECT_EQ(second.Count("SELECT count(*) FROM postings"), 1);
  ASSERT_TRUE(first.store->Commit());
  EXPECT_EQ(second.Count("SELECT count(*) FROM postings"), 2);
}

TEST_P(DedupTest, AWriteBehindAnotherWritersGroupLockFailsTransientlyWithinTheLockTimeout) {
  // Issue 15 review: no lock_timeout, so a write stuck behind another
  // session's lock hung. A copy of the job another writer holds open
  // waits on that job's group lock, gives up after StoreOptions'
  // pg_lock_timeout with a transient error, and succeeds (grouped with
  // the first) once that writer has committed.
  if (GetParam() != testing::Backend::kPostgres) {
    GTEST_SKIP() << "SQLite waits on its busy timeout (a fault of its own: SQLITE_BUSY)";
  }
  const std::string location = testing::ReopenableLocation("dedup-lock-timeout");
  Store first({}, location);
  Store second({.pg_lock_timeout = milliseconds(100)}, location);
  ASSERT_TRUE(first.store->Begin());
  first.Put(first.ats, Job("https://boards.greenhouse.io/a/jobs/1", "1", "Backend Engineer", "Company A",
                           "Berlin", kBackend));
  const Posting copy = Job("https://jobboard.example/jobs/1", "", "Backend Engineer", "Company A", "Berlin",
                           LightEdit(kBackend));
  auto blocked = second.store->Upsert(second.board, std::span(&copy, 1), "2026-11-27T10:00:00Z");
  ASSERT_FALSE(blocked.has_value());
  EXPECT_TRUE(blocked.error().transient) << blocked.error().message;
  EXPECT_NE(blocked.error().message.find("55P03"), std::string::npos) << blocked.error().message;
  ASSERT_TRUE(first.store->Commit());
  auto stored = second.store->Upsert(second.board, std::span(&copy, 1), "2026-11-27T10:00:00Z");
  ASSERT_TRUE(stored.has_value()) << stored.error().message;
  EXPECT_EQ(stored->merged, 1);
  EXPECT_EQ(second.Count("SELECT count(*) FROM postings"), 1);
}

TEST_P(DedupTest, TwoWritersClosingTheLastOpenListingsOfAPostingCloseIt) {
  // Without a global write lock: writers of two sources of one posting
  // each close their listing at once; the posting must end closed (each
  // seeing the other's listing still open would leave it open for ever).
  if (GetParam() != testing::Backend::kPostgres) {
    GTEST_SKIP() << "SQLite serializes its writers by design (BEGIN IMMEDIATE)";
  }
  const std::string location = testing::ReopenableLocation("dedup-close");
  Store first({}, location);
  Store second({}, location);
  first.Put(first.ats, Job("https://boards.greenhouse.io/a/jobs/1", "1", "Backend Engineer", "Company A",
                           "Berlin", kBackend));
  second.Put(second.board, Job("https://jobboard.example/jobs/1", "", "Backend Engineer", "Company A", "Berlin",
                               LightEdit(kBackend)));
  ASSERT_EQ(first.Count("SELECT count(*) FROM postings"), 1);
  ASSERT_TRUE(first.store->Begin());
  auto closed = first.store->CloseUnseen(first.ats, "2026-11-28T00:00:00Z", "2026-11-28T10:00:00Z");
  ASSERT_TRUE(closed.has_value()) << closed.error().message;
  ASSERT_EQ(*closed, 1);
  std::expected<int, Error> other = 0;
  std::atomic<bool> done = false;
  const std::int64_t second_pid = BackendPid(*second.store);
  std::thread t([&] {
    other = second.store->CloseUnseen(second.board, "2026-11-28T00:00:00Z", "2026-11-28T10:00:01Z");
    done = true;
  });
  Store observer({}, location);
  const bool waiting = SeenWaitingOnALock(*observer.store, second_pid, done);
  EXPECT_TRUE(first.store->Commit());
  t.join();
  ASSERT_TRUE(waiting);
  ASSERT_TRUE(other.has_value()) << other.error().message;
  EXPECT_EQ(*other, 1);
  EXPECT_EQ(observer.Count("SELECT count(*) FROM postings WHERE closed_at IS NOT NULL"), 1);
}

TEST_P(DedupTest, MergesAreCountedInCrawlRuns) {
  // crawl_runs.merged_listings: listings a run folded into a posting another source carries.
  Store s;
  s.Put(s.ats, Job("https://a.example/1", "1", "Backend Engineer", "Acme Robotics", "Berlin", kBackend));
  auto c = s.Put(s.board, Job("https://b.example/1", "", "Backend Engineer", "Acme Robotics", "Berlin",
                              LightEdit(kBackend)));
  auto run = *s.store->BeginRun(s.board, "t1");
  ASSERT_TRUE(s.store->FinishRun(run, {.finished_at = "t2", .status = "ok", .counts = c}));
  EXPECT_EQ(s.Count("SELECT merged_listings FROM crawl_runs"), 1);
  EXPECT_EQ(s.Count("SELECT new_postings FROM crawl_runs"), 0);
}

TEST_P(HistoryTest, ChangedFieldsKeepTheirOldValuesWithTheTimeOfChange) {
  // Issue 12 part 2: only the fields that changed, each with its previous value.
  Store s;
  Posting p = Job("https://a.example/1", "1", "Backend Engineer", "Acme Robotics", "Berlin", kBackend);
  p.salary_min = 70000;
  s.Put(s.ats, p, "2026-11-27T10:00:00Z");
  s.Put(s.ats, p, "2026-11-28T10:00:00Z");  // unchanged: no revision
  EXPECT_EQ(s.Count("SELECT count(*) FROM revisions"), 0);
  p.salary_min = 75000;
  p.title = "Senior Backend Engineer";
  s.Put(s.ats, p, "2026-11-29T10:00:00Z");
  // SQLite keeps an old number as a number; PostgreSQL's old_value is text
  // as PostgreSQL writes the number (storage/pg/schema.h).
  const bool sqlite = GetParam() == testing::Backend::kSqlite;
  auto q = s.store->connection().Cached(
      sqlite ? "SELECT field, old_value, changed_at, typeof(old_value) FROM revisions ORDER BY field"
             : "SELECT field, old_value, changed_at FROM revisions ORDER BY field");
  std::vector<std::string> rows;
  while (q.Step()) {
    rows.push_back(q.Text(0) + "=" + q.Text(1) + (sqlite ? " (" + q.Text(3) + ")" : "") + " " + q.Text(2));
  }
  if (sqlite) {
    EXPECT_EQ(rows, (std::vector<std::string>{"salary_min=70000.0 (real) 2026-11-29T10:00:00Z",
                                              "title=Backend Engineer (text) 2026-11-29T10:00:00Z"}));
  } else {
    EXPECT_EQ(rows, (std::vector<std::string>{"salary_min=70000 2026-11-29T10:00:00Z",
                                              "title=Backend Engineer 2026-11-29T10:00:00Z"}));
  }
}

TEST_P(HistoryTest, LifecycleCountsSightingsSourcesAndReopenings) {
  // posting_lifecycle: first_seen, last_seen, closed_at, times_reopened, sightings, sources.
  Store s;
  s.Put(s.ats, Job("https://a.example/1", "1", "Backend Engineer", "Acme Robotics", "Berlin", kBackend),
        "2026-11-27T10:00:00Z");
  s.Put(s.board, Job("https://b.example/1", "", "Backend Engineer", "Acme Robotics", "Berlin",
                     LightEdit(kBackend)),
        "2026-11-27T11:00:00Z");
  ASSERT_TRUE(s.store->CloseUnseen(s.ats, "2026-11-28T00:00:00Z", "2026-11-28T01:00:00Z"));
  EXPECT_TRUE(s.Text("SELECT coalesce(closed_at, 'open') FROM posting_lifecycle") == "open");
  ASSERT_TRUE(s.store->CloseUnseen(s.board, "2026-11-28T00:00:00Z", "2026-11-28T02:00:00Z"));
  EXPECT_EQ(s.Text("SELECT closed_at FROM posting_lifecycle"), "2026-11-28T02:00:00Z");
  s.Put(s.board, Job("https://b.example/1", "", "Backend Engineer", "Acme Robotics", "Berlin",
                     LightEdit(kBackend)),
        "2026-11-30T10:00:00Z");  // back again: reopened
  auto q = s.store->connection().Cached(
                      "SELECT first_seen, last_seen, closed_at IS NULL, times_reopened, sightings, sources "
                      "FROM posting_lifecycle");
  ASSERT_TRUE(q.Step());
  EXPECT_EQ(q.Text(0), "2026-11-27T10:00:00Z");
  EXPECT_EQ(q.Text(1), "2026-11-30T10:00:00Z");
  EXPECT_EQ(q.Int(2), 1);
  EXPECT_EQ(q.Int(3), 1);
  EXPECT_EQ(q.Int(4), 2);
  EXPECT_EQ(q.Int(5), 2);
}

TEST(MigrationTest, V7DatabaseUpgradesToTheDedupSchemaKeepingItsRows) {
  // A database written before dedup keeps every listing and field; its cross-posts are grouped.
  const auto path = std::filesystem::temp_directory_path() /
                    ("jobtrawl-v7-test-" + std::to_string(::getpid()) + ".db");
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_TRUE(Migrate(db, 7).has_value());
    db.exec("INSERT INTO sources (id, name, kind, created_at) VALUES (1, 'acme-ats', 'greenhouse', 't0'), "
            "(2, 'jobboard', 'html', 't0')");
    const Posting a = Job("https://a.example/1", "1", "Backend Engineer", "Acme Robotics", "Berlin", kBackend);
    const Posting b = Job("https://b.example/1", "", "Backend Engineer", "Acme Robotics", "Berlin",
                          LightEdit(kBackend));
    const Posting c = Job("https://a.example/2", "2", "Backend Engineer", "Acme Robotics", "Berlin", kPayments);
    int id = 1;
    for (const auto& [source, p] : {std::pair{1, &a}, std::pair{2, &b}, std::pair{1, &c}}) {
      SQLite::Statement ins(db,
                            "INSERT INTO postings (id, title, company, url, description, company_key, "
                            "title_family, city, places, content_hash, first_seen, last_seen) VALUES "
                            "(?, ?, ?, ?, ?, ?, ?, ?, '[{\"city\":\"Berlin\"}]', 'h', '2026-01-0' || ?1, "
                            "'2026-02-01')");
      ins.bind(1, id);
      ins.bind(2, *p->title);
      ins.bind(3, *p->company);
      ins.bind(4, p->url);
      ins.bind(5, *p->description);
      ins.bind(6, *p->company_key);
      ins.bind(7, *p->title_family);
      ins.bind(8, *p->city);
      ins.exec();
      SQLite::Statement l(db,
                          "INSERT INTO listings (id, posting_id, source_id, key, url, content_hash, "
                          "first_seen, last_seen) VALUES (?1, ?1, ?2, ?3, ?4, 'h', '2026-01-0' || ?1, "
                          "'2026-02-01')");
      l.bind(1, id);
      l.bind(2, source);
      l.bind(3, PostingStore::ListingKey(*p));
      l.bind(4, p->url);
      l.exec();
      ++id;
    }
  }
  auto store = PostingStore::Open(path);
  ASSERT_TRUE(store.has_value()) << store.error().message;
  auto& db = (*store)->database();
  EXPECT_EQ((*store)->SchemaVersion(), LatestSchemaVersion());
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM listings").getInt(), 3);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM listings WHERE simhash IS NOT NULL").getInt(), 3);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM postings").getInt(), 2);
  EXPECT_EQ(db.execAndGet("SELECT count(DISTINCT posting_id) FROM listings WHERE id IN (1, 2)").getInt(), 1);
  // The posting keeps the ATS listing's fields and the earliest first_seen.
  EXPECT_EQ(db.execAndGet("SELECT p.url || ' ' || p.first_seen FROM postings p JOIN listings l "
                          "ON l.posting_id = p.id WHERE l.id = 2").getString(),
            "https://a.example/1 2026-01-01");
  EXPECT_EQ(db.execAndGet("SELECT description FROM listing_copies WHERE listing_id = 2").getString(),
            LightEdit(kBackend));
  EXPECT_EQ(db.execAndGet("SELECT title FROM postings WHERE id = 3").getString(), "Backend Engineer");
  // v11: the band indexes hold the SimHash; the search index matches postings.
  EXPECT_EQ(db.execAndGet("SELECT group_concat(name, ',') FROM pragma_index_info('listings_band2')").getString(),
            "band2,simhash");
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM postings_fts WHERE postings_fts MATCH 'ledger'").getInt(), 1);
  EXPECT_NO_THROW(db.exec("INSERT INTO postings_fts (postings_fts, rank) VALUES ('integrity-check', 1)"));
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM fts_pending").getInt(), 0);
  store->reset();
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

// Schema v11: inside Begin()..Commit() new postings are queued in
// fts_pending and indexed for search at Commit(). A copy that a posting
// shows first and its ATS original replaces (the posting's content changes
// while it is queued), and a posting stored in an earlier commit and
// changed now: at the commit the index is exactly the postings' content,
// and the queue is empty.
TEST(DedupSqliteTest, SearchIndexIsCompleteAtEveryCommitOfABatch) {
  Store s;
  auto matches = [&](const std::string& q) {
    return s.Count("SELECT count(*) FROM postings_fts WHERE postings_fts MATCH '" + q + "'");
  };
  auto integrity = [&] {
    s.store->database().exec("INSERT INTO postings_fts (postings_fts, rank) VALUES ('integrity-check', 1)");
  };
  s.Put(s.ats, Job("https://boards.greenhouse.io/acme/jobs/102", "102", "Backend Engineer",
                   "Acme Robotics", "Berlin, Germany", kPayments));
  EXPECT_EQ(matches("ledger"), 1);  // Upsert outside a transaction: indexed before it returns
  EXPECT_EQ(s.Count("SELECT count(*) FROM fts_pending"), 0);

  ASSERT_TRUE(s.store->Begin().has_value());
  // The aggregator's copy first: a posting showing "clients".
  s.Put(s.board, Job("https://jobboard.example/jobs/77", "", "senior backend engineer (m/f/d)",
                     "ACME Robotics", "Berlin", LightEdit(kBackend)));
  EXPECT_GE(s.Count("SELECT count(*) FROM fts_pending"), 2);  // the marker and the posting
  EXPECT_EQ(matches("clients"), 0);                           // not indexed before the commit
  // The ATS original arrives: the posting shows it from now on ("customers").
  s.Put(s.ats, Job("https://boards.greenhouse.io/acme/jobs/101", "101", "Senior Backend Engineer",
                   "Acme Robotics GmbH", "Berlin, Germany", kBackend));
  // The earlier commit's posting changes: re-indexed at once, as before v11.
  s.Put(s.ats, Job("https://boards.greenhouse.io/acme/jobs/102", "102", "Backend Engineer",
                   "Acme Robotics", "Berlin, Germany",
                   ReplaceAll(kPayments, "ledger", "general journal")));
  // A queued posting deleted before the commit is never indexed.
  s.Put(s.feed, Job("https://feed.example/9", "9", "Lighthouse Keeper", "Coast Guard", "Brest",
                    "Keep the lighthouse lamp burning through every storm and log each passing ship."));
  s.store->database().exec("DELETE FROM postings WHERE title = 'Lighthouse Keeper'");
  ASSERT_TRUE(s.store->Commit().has_value());
  EXPECT_EQ(matches("lighthouse"), 0);

  EXPECT_EQ(s.Count("SELECT count(*) FROM fts_pending"), 0);
  EXPECT_EQ(s.Count("SELECT count(*) FROM postings"), 2);
  EXPECT_EQ(matches("clients"), 0);
  EXPECT_EQ(matches("customers AND observability"), 1);
  EXPECT_EQ(matches("ledger"), 0);
  EXPECT_EQ(matches("journal"), 1);
  EXPECT_EQ(s.Count("SELECT count(*) FROM postings_fts WHERE postings_fts MATCH 'customers' AND rowid = "
                    "(SELECT posting_id FROM listings WHERE key = 'id:101')"),
            1);
  EXPECT_NO_THROW(integrity());
}

TEST(DedupSqliteTest, RolledBackBatchLeavesTheSearchIndexAndQueueAsTheyWere) {
  Store s;
  ASSERT_TRUE(s.store->Begin().has_value());
  s.Put(s.ats, Job("https://boards.greenhouse.io/acme/jobs/101", "101", "Backend Engineer",
                   "Acme Robotics", "Berlin, Germany", kBackend));
  s.store->Rollback();
  EXPECT_EQ(s.Count("SELECT count(*) FROM fts_pending"), 0);
  EXPECT_EQ(s.Count("SELECT count(*) FROM postings"), 0);
  // Not queueing any more: a writer outside the store indexes at once.
  s.store->database().exec(
      "INSERT INTO postings (url, content_hash, first_seen, last_seen, title) "
      "VALUES ('https://x.example/1', 'h', 't', 't', 'Lighthouse keeper')");
  EXPECT_EQ(s.Count("SELECT count(*) FROM postings_fts WHERE postings_fts MATCH 'lighthouse'"), 1);
  // The next batch queues and indexes again.
  ASSERT_TRUE(s.store->Begin().has_value());
  s.Put(s.ats, Job("https://boards.greenhouse.io/acme/jobs/101", "101", "Backend Engineer",
                   "Acme Robotics", "Berlin, Germany", kBackend));
  ASSERT_TRUE(s.store->Commit().has_value());
  EXPECT_EQ(s.Count("SELECT count(*) FROM postings_fts WHERE postings_fts MATCH 'robots'"), 1);
  EXPECT_NO_THROW(s.store->database().exec(
      "INSERT INTO postings_fts (postings_fts, rank) VALUES ('integrity-check', 1)"));
}

// A new posting is stored with its canonical listing at once (no second
// write of the row), and listing ids are what SQLite would have chosen.
TEST_P(DedupTest, NewPostingsNameTheirListingAsCanonical) {
  Store s;
  s.Put(s.ats, Job("https://boards.greenhouse.io/acme/jobs/101", "101", "Backend Engineer",
                   "Acme Robotics", "Berlin, Germany", kBackend));
  s.Put(s.feed, Job("https://feed.example/9", "9", "Payments Engineer", "Other Corp", "Paris", kPayments));
  EXPECT_EQ(s.Count("SELECT count(*) FROM postings p JOIN listings l ON l.id = p.canonical_listing_id "
                    "AND l.posting_id = p.id"),
            2);
  EXPECT_EQ(s.Text("SELECT " + GroupConcat("id") + " FROM (SELECT id FROM listings ORDER BY id) AS t"), "1,2");
}

}  // namespace
INSTANTIATE_TEST_SUITE_P(Backends, DedupTest, testing::BackendValues(), testing::BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, HistoryTest, testing::BackendValues(), testing::BackendName);

}  // namespace jobtrawl::storage
