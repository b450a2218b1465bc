// Cross-board deduplication inside storage/ (docs/schema.md
// "Deduplication"): what a listing is matched on, and the regrouping of
// listings into postings. Internal to jobtrawl_storage; PostingStore is the
// interface.
//
// The grouping is a function of the set of listings, never of the order
// they arrived in: listings are nodes, two listings of different sources
// that match (same company key and title family, compatible cities, SimHash
// within the distance) are joined by an edge, and each connected component
// is grouped by a Kruskal pass over its edges sorted by (distance, rank of
// the two listings) that joins two groups only when the result is allowed
// (no two listings of one source, no pair an analyst split, some listing
// naming every city the group names). A change to one listing can only
// change its own component (before and after the change), so regrouping
// that component reproduces what grouping everything at once would give.
// A regrouping reads at most StoreOptions::dedup_max_component listings
// through matches (plus the other listings of the postings they are in):
// a larger component is regrouped around the changed listing only, and
// its grouping may then depend on the order of arrival.
#ifndef JOBTRAWL_STORAGE_DEDUP_H_
#define JOBTRAWL_STORAGE_DEDUP_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/posting.h"

#include "storage/sql.h"

namespace jobtrawl::storage::internal {

// Bumped when what features hold or how they are computed changes: listings
// with an older version get theirs recomputed when the store opens.
// 2 (schema v14): the seniority; SimHash counts each distinct word once.
// 3 (schema v15): a seniority stated by one title only is a mismatch too
// (the features are the same; the bump regroups what the old rule merged).
// 4 (schema v18): title_family holds the title's level words too
// (MatchedTitleFamily), so "Staff" and "Lead Engineering Manager" differ
// although both titles' seniority is the role word's ("manager": lead).
inline constexpr int kFeaturesVersion = 4;

// The level words of `title` (docs/schema.md "Deduplication"): the words
// normalize/data/seniority.tsv lists as a level that are not a role of
// their own, each in one spelling ("sr", "sr." and "snr" are "senior";
// "jr" "junior"; "grad" "graduate"; "midlevel" "mid"; "i" "1", "ii" "2",
// "iii" "3"), sorted, unique, joined by spaces; "" when there is none.
// "lead" and "associate" count before another word of their part of the
// title ("Lead Engineer"), not at its end ("Team Lead", "Sales
// Associate"); a level number only at the end of a part ("Engineer II",
// "Engineer II - Berlin", not "2 Engineers"). A part ends at punctuation
// other than '.' and a '-' inside a word. Words after "to" or "for" name
// someone else's level ("Assistant to the Senior Director") and are not
// read. ASCII letters are compared without case; other bytes separate words.
std::string TitleLevelWords(std::string_view title);

// What two listings' titles must agree on: `title_family` (from
// normalize/) with "mgr" read as "manager" and "&" as "and", after
// TitleLevelWords(title) ("staff engineering manager"). nullopt when the
// family is absent or empty.
std::optional<std::string> MatchedTitleFamily(const std::optional<std::string>& title_family,
                                              const std::optional<std::string>& title);

// What a listing is matched on.
struct ListingFeatures {
  std::optional<std::string> company_key;
  // MatchedTitleFamily: the title family with the title's level words.
  std::optional<std::string> title_family;
  std::vector<std::string> cities;  // ASCII-lower-cased, sorted, unique; empty: none named
  std::optional<std::uint64_t> simhash;
  // normalize::SeniorityOf's level of the title ("intern" ... "director");
  // nullopt: the title states none. Different (one stated, the other not,
  // included): not a match.
  std::optional<std::string> seniority;

  bool Eligible() const { return company_key && title_family && simhash; }
  bool operator==(const ListingFeatures&) const = default;
};

// From a normalized posting: its company_key, title_family with the level
// words of its title, the cities of its places (or its city), the SimHash
// of its plain description and its seniority. A pure function, safe to
// call from several threads at once: PostingStore::Upsert runs it on a
// helper thread ahead of its SQL (storage/ahead.h).
ListingFeatures FeaturesOf(const Posting& p);
// The same from stored columns (places as the JSON the store writes).
ListingFeatures FeaturesOf(const std::optional<std::string>& company_key,
                           const std::optional<std::string>& title_family,
                           const std::vector<std::string>& city_names,
                           const std::optional<std::string>& description,
                           const std::optional<std::string>& seniority,
                           const std::optional<std::string>& title);

// "berlin; munich" for the listings.cities column; "" stays NULL.
std::string JoinCities(const std::vector<std::string>& cities);
std::vector<std::string> SplitCities(std::string_view joined);

// The lock (sql::Connection::LockKeys) of the dedup group of `f`: its
// company key and title family, which every match shares. Writers that
// may match or regroup listings of one group take turns on it; writers of
// different groups do not wait on each other (hash collisions aside).
// REQUIRES: f.company_key and f.title_family.
std::int32_t GroupLockKey(const ListingFeatures& f);

// Binds company_key, title_family, cities, simhash, band0..band3,
// features_version and seniority to `first`..`first + 9`.
void BindFeatures(sql::Statement& s, int first, const ListingFeatures& f);

// Regroups listings into postings. Not thread-safe (one per PostingStore).
// Every call runs inside the caller's transaction and may throw
// sql::Exception. Concurrent writers (PostgreSQL): ProbeMatch holds the
// GroupLockKey of the features it probes before it looks, and Regroup the
// lock of every group its component reaches before it decides (reading the
// component again after taking a lock it lacked), so two writers never
// group one job's listings apart.
class Deduper {
 public:
  // `distance` < 0 disables matching; at most kMaxBandedDistance.
  // `max_component`: StoreOptions::dedup_max_component (at least 2).
  Deduper(sql::Connection& db, int distance, std::vector<std::string> canonical_kinds,
          int max_component = 256);
  ~Deduper();
  Deduper(const Deduper&) = delete;
  Deduper& operator=(const Deduper&) = delete;

  bool enabled() const { return distance_ >= 0; }

  // Regroups the component of listing `listing_id` as stored now, and, when
  // `old_features` is given, also the component it belonged to with those
  // features (the listing has just changed). With `leaving_posting`, the
  // listing is being split off that posting: its group does not keep it.
  // Returns how many listings its posting has afterwards.
  int Regroup(std::int64_t listing_id, const std::optional<ListingFeatures>& old_features,
              const std::string& now, std::optional<std::int64_t> leaving_posting = std::nullopt);
  // A posting holding a listing that a new listing of `source_id` with
  // `features` would match, or nullopt when there is none: then the new
  // listing is a posting of its own and needs no regrouping. Otherwise the
  // caller stores it in that posting with its content in listing_copies
  // and calls Regroup.
  std::optional<std::int64_t> ProbeMatch(std::int64_t source_id, const ListingFeatures& features);

  // A source's kind may have changed (EnsureSource): forget cached ranks.
  void ForgetSources() { sources_.clear(); }

 private:
  struct Node;
  struct SourceInfo {
    std::string name;
    bool canonical = false;
  };
  struct Statements;

  const SourceInfo& Source(std::int64_t id);
  Node ReadNode(sql::Statement& row);
  // Ids of the listings whose band value agrees with one of `features`'s
  // and whose SimHash is within the distance, read from the band indexes
  // alone; REQUIRES: features.Eligible().
  std::vector<std::int64_t> Candidates(const ListingFeatures& features);
  void Collect(Node seed, std::map<std::int64_t, Node>& nodes);
  bool Matches(const Node& a, const Node& b) const;

  sql::Connection& db_;
  const int distance_;
  const std::vector<std::string> canonical_kinds_;
  const size_t max_component_;
  std::map<std::int64_t, SourceInfo> sources_;
  std::unique_ptr<Statements> stmts_;
};

}  // namespace jobtrawl::storage::internal

#endif  // JOBTRAWL_STORAGE_DEDUP_H_
