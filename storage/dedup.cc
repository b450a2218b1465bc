#include "storage/dedup.h"

#include <sqlite3.h>

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <deque>
#include <numeric>
#include <set>
#include <utility>

#include "storage/simhash.h"

namespace jobtrawl::storage::internal {
namespace {

// The columns a posting shows and a listing_copies row keeps (schema v10).
constexpr const char* kContentColumns =
    "title, company, location, country, remote, employment_type, salary_min, salary_max, "
    "salary_currency, salary_period, date_posted, valid_through, url, apply_url, external_id, "
    "description, description_markdown, city, region, places, remote_scope, salary_annual_min, "
    "salary_annual_max, salary_currency_guessed, salary_source, seniority, seniority_rule, "
    "title_family, title_key, company_key, skills, visa_sponsorship, experience_years_min, "
    "language, remote_raw, employment_type_raw, salary_raw, date_posted_raw, valid_through_raw, "
    "country_raw, department, content_hash";

constexpr const char* kNodeColumns =
    "id, source_id, key, posting_id, company_key, title_family, cities, simhash, band0, seniority";

// "title = excluded.title, ..." for every content column.
std::string ExcludedContent() {
  std::string out;
  std::string_view columns = kContentColumns;
  while (!columns.empty()) {
    const size_t comma = columns.find(", ");
    const std::string c(columns.substr(0, comma));
    if (!out.empty()) out += ", ";
    out += c + " = excluded." + c;
    if (comma == std::string_view::npos) break;
    columns.remove_prefix(comma + 2);
  }
  return out;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<std::string> CityKeys(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const std::string& n : names) {
    if (!n.empty()) out.push_back(AsciiLower(n));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The 48 high bits of a hash of company key and title family: a band value
// is these with 16 bits of the SimHash below, so one integer index per band
// finds listings of the same company and title whose band agrees.
std::uint64_t GroupBits(const ListingFeatures& f) {
  std::string group = *f.company_key;
  group.push_back('\x1f');
  group += *f.title_family;
  return XXH3_64bits(group.data(), group.size()) & ~std::uint64_t{0xffff};
}

bool Grouped(const ListingFeatures& f) { return f.company_key && f.title_family; }

std::int64_t BandValue(const ListingFeatures& f, int i) {
  return std::bit_cast<std::int64_t>(GroupBits(f) | Band(*f.simhash, i));
}

bool Subset(const std::vector<std::string>& small, const std::vector<std::string>& big) {
  return std::includes(big.begin(), big.end(), small.begin(), small.end());
}

bool Intersect(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i == *j) return true;
    if (*i < *j) ++i; else ++j;
  }
  return false;
}

bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Whether the text between two words of a title ends the part of the title
// the first one is in: any punctuation but a '.' ("Sr. Engineer") or a
// '-' inside a word ("Engineering-Manager"); " - " does.
bool EndsPart(std::string_view gap) {
  bool space = false, dash = false;
  for (char c : gap) {
    if (c == ' ' || c == '\t') {
      space = true;
    } else if (c == '-') {
      dash = true;
    } else if (c != '.') {
      return true;
    }
  }
  return dash && space;
}

// normalize/data/seniority.tsv's levels that are not a role of their own,
// in one spelling each. A test checks that every such word of the table is
// here (tests/storage/dedup_test.cc).
enum class LevelPlace { kAnywhere, kBeforeAWord, kEndOfPart };
struct LevelWord {
  std::string_view word;
  std::string_view spelling;
  LevelPlace place;
};
constexpr LevelWord kLevelWords[] = {
    {"junior", "junior", LevelPlace::kAnywhere},   {"jr", "junior", LevelPlace::kAnywhere},
    {"entry", "entry", LevelPlace::kAnywhere},     {"graduate", "graduate", LevelPlace::kAnywhere},
    {"grad", "graduate", LevelPlace::kAnywhere},   {"associate", "associate", LevelPlace::kBeforeAWord},
    {"mid", "mid", LevelPlace::kAnywhere},         {"midlevel", "mid", LevelPlace::kAnywhere},
    {"intermediate", "intermediate", LevelPlace::kAnywhere},
    {"regular", "regular", LevelPlace::kAnywhere}, {"senior", "senior", LevelPlace::kAnywhere},
    {"sr", "senior", LevelPlace::kAnywhere},       {"snr", "senior", LevelPlace::kAnywhere},
    {"experienced", "experienced", LevelPlace::kAnywhere},
    {"staff", "staff", LevelPlace::kAnywhere},     {"principal", "principal", LevelPlace::kAnywhere},
    {"distinguished", "distinguished", LevelPlace::kAnywhere},
    {"lead", "lead", LevelPlace::kBeforeAWord},    {"i", "1", LevelPlace::kEndOfPart},
    {"1", "1", LevelPlace::kEndOfPart},            {"ii", "2", LevelPlace::kEndOfPart},
    {"2", "2", LevelPlace::kEndOfPart},            {"iii", "3", LevelPlace::kEndOfPart},
    {"3", "3", LevelPlace::kEndOfPart},            {"iv", "4", LevelPlace::kEndOfPart},
};

}  // namespace

std::string TitleLevelWords(std::string_view title) {
  struct Word {
    std::string text;
    bool ends_part = false;
  };
  std::vector<Word> words;
  size_t i = 0;
  while (i < title.size() && !IsWordByte(title[i])) ++i;
  while (i < title.size()) {
    size_t end = i;
    while (end < title.size() && IsWordByte(title[end])) ++end;
    size_t next = end;
    while (next < title.size() && !IsWordByte(title[next])) ++next;
    words.push_back({AsciiLower(title.substr(i, end - i)),
                     next == title.size() || EndsPart(title.substr(end, next - end))});
    i = next;
  }
  std::vector<std::string_view> found;
  for (const Word& w : words) {
    if (w.text == "to" || w.text == "for") break;
    for (const LevelWord& level : kLevelWords) {
      if (level.word != w.text) continue;
      const bool counts = level.place == LevelPlace::kAnywhere ||
                          (level.place == LevelPlace::kBeforeAWord && !w.ends_part) ||
                          (level.place == LevelPlace::kEndOfPart && w.ends_part);
      if (counts) found.push_back(level.spelling);
      break;
    }
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  std::string out;
  for (std::string_view w : found) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

std::optional<std::string> MatchedTitleFamily(const std::optional<std::string>& title_family,
                                              const std::optional<std::string>& title) {
  if (!title_family || title_family->empty()) return std::nullopt;
  std::string out = title ? TitleLevelWords(*title) : std::string();
  std::string_view family = *title_family;
  while (!family.empty()) {
    const size_t space = family.find(' ');
    std::string_view word = family.substr(0, space);
    if (word == "mgr") word = "manager";
    if (word == "&") word = "and";
    if (!word.empty()) {
      if (!out.empty()) out += ' ';
      out += word;
    }
    if (space == std::string_view::npos) break;
    family.remove_prefix(space + 1);
  }
  return out;
}

std::int32_t GroupLockKey(const ListingFeatures& f) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(GroupBits(f) >> 32));
}

ListingFeatures FeaturesOf(const std::optional<std::string>& company_key,
                           const std::optional<std::string>& title_family,
                           const std::vector<std::string>& city_names,
                           const std::optional<std::string>& description,
                           const std::optional<std::string>& seniority,
                           const std::optional<std::string>& title) {
  ListingFeatures f;
  if (company_key && !company_key->empty()) f.company_key = company_key;
  f.title_family = MatchedTitleFamily(title_family, title);
  f.cities = CityKeys(city_names);
  if (description) f.simhash = SimHash(*description);
  if (seniority && !seniority->empty()) f.seniority = seniority;
  return f;
}

ListingFeatures FeaturesOf(const Posting& p) {
  std::vector<std::string> names;
  for (const Place& place : p.places) {
    if (place.city) names.push_back(*place.city);
  }
  if (names.empty() && p.city) names.push_back(*p.city);
  return FeaturesOf(p.company_key, p.title_family, names, p.description, p.seniority, p.title);
}

std::string JoinCities(const std::vector<std::string>& cities) {
  std::string out;
  for (const std::string& c : cities) {
    if (!out.empty()) out += "; ";
    out += c;
  }
  return out;
}

std::vector<std::string> SplitCities(std::string_view joined) {
  std::vector<std::string> out;
  while (!joined.empty()) {
    const size_t sep = joined.find("; ");
    out.emplace_back(joined.substr(0, sep));
    if (sep == std::string_view::npos) break;
    joined.remove_prefix(sep + 2);
  }
  return out;
}

void BindFeatures(sql::Statement& s, int first, const ListingFeatures& f) {
  auto text = [&](int i, const std::optional<std::string>& v) {
    if (v) s.Bind(i, *v); else s.BindNull(i);
  };
  text(first, f.company_key);
  text(first + 1, f.title_family);
  const std::string cities = JoinCities(f.cities);
  text(first + 2, cities.empty() ? std::nullopt : std::optional(cities));
  if (f.simhash) {
    s.Bind(first + 3, std::bit_cast<std::int64_t>(*f.simhash));
  } else {
    s.BindNull(first + 3);
  }
  for (int i = 0; i < kBands; ++i) {
    if (f.Eligible()) {
      s.Bind(first + 4 + i, BandValue(f, i));
    } else {
      s.BindNull(first + 4 + i);
    }
  }
  s.Bind(first + 8, kFeaturesVersion);
  text(first + 9, f.seniority);
}

// One listing of the component being regrouped.
struct Deduper::Node {
  std::int64_t id = 0;
  std::int64_t source_id = 0;
  std::string key;
  std::int64_t posting_id = 0;
  ListingFeatures features;
  bool banded = false;  // has band columns: takes part in matching
};

struct Deduper::Statements {
  explicit Statements(sql::Connection& db)
      : // Each branch reads only its band index (schema v11: (bandI, simhash)),
        // so a candidate too far away costs an index entry, not a row.
        candidates(db.Prepare("SELECT id, simhash FROM listings WHERE band0 = ?1 "
                       "UNION ALL SELECT id, simhash FROM listings WHERE band1 = ?2 "
                       "UNION ALL SELECT id, simhash FROM listings WHERE band2 = ?3 "
                       "UNION ALL SELECT id, simhash FROM listings WHERE band3 = ?4")),
        members(db.Prepare(std::string("SELECT ") + kNodeColumns + " FROM listings WHERE posting_id = ?")),
        by_id(db.Prepare(std::string("SELECT ") + kNodeColumns + " FROM listings WHERE id = ?")),
        splits(db.Prepare("SELECT listing_a, listing_b FROM dedup_splits WHERE listing_a = ?1 OR listing_b = ?1")),
        any_splits(db.Prepare("SELECT EXISTS (SELECT 1 FROM dedup_splits)")),
        canonical_of(db.Prepare("SELECT canonical_listing_id FROM postings WHERE id = ?")),
        save_copy(db.Prepare(std::string("INSERT INTO listing_copies (listing_id, ") +
                          kContentColumns + ") SELECT CAST(?1 AS bigint), " + kContentColumns +
                          " FROM postings WHERE id = ?2 ON CONFLICT (listing_id) DO UPDATE SET " +
                          ExcludedContent())),
        load_copy(db.Prepare(std::string("UPDATE postings SET (") + kContentColumns + ") = (SELECT " +
                          kContentColumns +
                          " FROM listing_copies WHERE listing_id = ?1), canonical_listing_id = ?1, "
                          // Only a change of what the posting shows is an update.
                          "updated_at = CASE WHEN content_hash IS NOT DISTINCT FROM (SELECT content_hash FROM "
                          "listing_copies WHERE listing_id = ?1) THEN updated_at ELSE ?3 END "
                          "WHERE id = ?2")),
        insert_from_copy(db.Prepare(std::string("INSERT INTO postings (") + kContentColumns +
                                 ", first_seen, last_seen, canonical_listing_id) SELECT " +
                                 kContentColumns +
                                 ", ?2, ?2, CAST(?1 AS bigint) FROM listing_copies WHERE listing_id = ?1 "
                                 "RETURNING id")),
        delete_copy(db.Prepare("DELETE FROM listing_copies WHERE listing_id = ?")),
        move_listing(db.Prepare("UPDATE listings SET posting_id = ?1 WHERE id = ?2")),
        move_revisions(db.Prepare("UPDATE revisions SET posting_id = ?1 WHERE posting_id = ?2")),
        delete_posting(db.Prepare("DELETE FROM postings WHERE id = ?")),
        // Only a posting whose times change is written: a merge usually
        // changes none, and an update writes the whole row.
        refresh_times(db.Prepare("UPDATE postings SET first_seen = t.first_seen, last_seen = t.last_seen, "
                      "closed_at = t.closed_at FROM (SELECT min(first_seen) AS first_seen, "
                      "max(last_seen) AS last_seen, CASE WHEN count(*) > count(closed_at) THEN NULL "
                      "ELSE max(closed_at) END AS closed_at FROM listings WHERE posting_id = ?1) AS t "
                      "WHERE postings.id = ?1 AND (postings.first_seen IS DISTINCT FROM t.first_seen "
                      "OR postings.last_seen IS DISTINCT FROM t.last_seen "
                      "OR postings.closed_at IS DISTINCT FROM t.closed_at)")),
        source(db.Prepare("SELECT name, kind FROM sources WHERE id = ?")) {}

  std::unique_ptr<sql::Statement> candidates;
  std::unique_ptr<sql::Statement> members;
  std::unique_ptr<sql::Statement> by_id;
  std::unique_ptr<sql::Statement> splits;
  std::unique_ptr<sql::Statement> any_splits;
  std::unique_ptr<sql::Statement> canonical_of;
  std::unique_ptr<sql::Statement> save_copy;
  std::unique_ptr<sql::Statement> load_copy;
  std::unique_ptr<sql::Statement> insert_from_copy;
  std::unique_ptr<sql::Statement> delete_copy;
  std::unique_ptr<sql::Statement> move_listing;
  std::unique_ptr<sql::Statement> move_revisions;
  std::unique_ptr<sql::Statement> delete_posting;
  std::unique_ptr<sql::Statement> refresh_times;
  std::unique_ptr<sql::Statement> source;
};

Deduper::Deduper(sql::Connection& db, int distance, std::vector<std::string> canonical_kinds,
                 int max_component)
    : db_(db),
      distance_(std::min(distance, kMaxBandedDistance)),
      canonical_kinds_(std::move(canonical_kinds)),
      max_component_(static_cast<size_t>(std::max(max_component, 2))),
      stmts_(std::make_unique<Statements>(db)) {}

Deduper::~Deduper() = default;

const Deduper::SourceInfo& Deduper::Source(std::int64_t id) {
  auto it = sources_.find(id);
  if (it != sources_.end()) return it->second;
  sql::Statement& q = *stmts_->source;
  q.Reset();
  q.Bind(1, id);
  SourceInfo info;
  if (q.Step()) {
    info.name = q.Text(0);
    const std::string kind = q.Text(1);
    info.canonical = std::find(canonical_kinds_.begin(), canonical_kinds_.end(), kind) !=
                     canonical_kinds_.end();
  }
  q.Reset();
  return sources_.emplace(id, std::move(info)).first->second;
}

Deduper::Node Deduper::ReadNode(sql::Statement& row) {
  Node n;
  n.id = row.Int64(0);
  n.source_id = row.Int64(1);
  n.key = row.Text(2);
  n.posting_id = row.Int64(3);
  if (!row.IsNull(4)) n.features.company_key = row.Text(4);
  if (!row.IsNull(5)) n.features.title_family = row.Text(5);
  if (!row.IsNull(6)) n.features.cities = SplitCities(row.Text(6));
  if (!row.IsNull(7)) {
    n.features.simhash = std::bit_cast<std::uint64_t>(row.Int64(7));
  }
  n.banded = !row.IsNull(8);
  if (!row.IsNull(9)) n.features.seniority = row.Text(9);
  return n;
}

bool Deduper::Matches(const Node& a, const Node& b) const {
  if (distance_ < 0 || !a.banded || !b.banded || a.source_id == b.source_id) return false;
  const ListingFeatures& f = a.features;
  const ListingFeatures& g = b.features;
  if (f.company_key != g.company_key || f.title_family != g.title_family) return false;
  // A Staff and a Junior opening of one family are two jobs (schema v14),
  // and so are "Junior Mobile Developer" and "Mobile Developer": companies
  // write the openings of one role at several levels from one template, so
  // near-identical text says little, and a title's level word is rarely
  // dropped by a board that copies it (precision first: features v3).
  if (f.seniority != g.seniority) return false;
  if (!f.cities.empty() && !g.cities.empty() && !Intersect(f.cities, g.cities)) return false;
  return HammingDistance(*f.simhash, *g.simhash) <= distance_;
}

// Adds to `nodes` every listing reachable from `seed` through matches and
// through sharing a posting, breadth-first. `seed` is taken as given (its
// features may be the ones it had before a change); the others are read
// from the database. Once max_component_ listings are in `nodes` or
// queued, no more are added through matches, but every posting reached is
// still read whole (regrouping moves listings between the postings it
// read, and deletes the ones it empties: a posting it read only in part
// would lose listings), so the work per call is bounded by the bound plus
// the listings of those postings (one per source each).
void Deduper::Collect(Node seed, std::map<std::int64_t, Node>& nodes) {
  std::set<std::int64_t> seen{seed.id};
  std::set<std::int64_t> postings_read;
  std::deque<Node> queue;
  queue.push_back(std::move(seed));
  const size_t already = nodes.size();
  while (!queue.empty()) {
    Node n = std::move(queue.front());
    queue.pop_front();
    auto visit = [&](sql::Statement& rows, bool must_match) {
      while (rows.Step()) {
        Node m = ReadNode(rows);
        if (seen.contains(m.id)) continue;
        if (must_match && (already + seen.size() >= max_component_ || !Matches(n, m))) continue;
        seen.insert(m.id);
        queue.push_back(std::move(m));
      }
      rows.Reset();
    };
    if (n.banded && distance_ >= 0 && already + seen.size() < max_component_) {
      for (std::int64_t id : Candidates(n.features)) {
        if (seen.contains(id)) continue;
        if (already + seen.size() >= max_component_) break;
        sql::Statement& q = *stmts_->by_id;
        q.Reset();
        q.Bind(1, id);
        visit(q, true);
      }
    }
    if (postings_read.insert(n.posting_id).second) {
      sql::Statement& q = *stmts_->members;
      q.Reset();
      q.Bind(1, n.posting_id);
      visit(q, false);
    }
    nodes.insert_or_assign(n.id, std::move(n));
  }
}

std::vector<std::int64_t> Deduper::Candidates(const ListingFeatures& features) {
  std::vector<std::int64_t> ids;
  sql::Statement& q = *stmts_->candidates;
  q.Reset();
  for (int i = 0; i < kBands; ++i) q.Bind(i + 1, BandValue(features, i));
  while (q.Step()) {
    if (q.IsNull(1)) continue;
    const auto simhash = std::bit_cast<std::uint64_t>(q.Int64(1));
    if (HammingDistance(simhash, *features.simhash) <= distance_) ids.push_back(q.Int64(0));
  }
  q.Reset();
  // A listing agreeing on several bands comes once per band.
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

std::optional<std::int64_t> Deduper::ProbeMatch(std::int64_t source_id,
                                                const ListingFeatures& features) {
  if (distance_ < 0 || !features.Eligible()) return std::nullopt;
  const std::int32_t key = GroupLockKey(features);
  db_.LockKeys(std::span(&key, 1));
  Node probe;
  probe.source_id = source_id;
  probe.features = features;
  probe.banded = true;
  for (std::int64_t id : Candidates(features)) {
    sql::Statement& q = *stmts_->by_id;
    q.Reset();
    q.Bind(1, id);
    std::optional<std::int64_t> posting;
    if (q.Step()) {
      const Node m = ReadNode(q);
      if (Matches(probe, m)) posting = m.posting_id;
    }
    q.Reset();
    if (posting) return posting;
  }
  return std::nullopt;
}

int Deduper::Regroup(std::int64_t listing_id, const std::optional<ListingFeatures>& old_features,
                     const std::string& now, std::optional<std::int64_t> leaving_posting) {
  std::optional<std::pair<std::int64_t, std::int64_t>> leaving;
  if (leaving_posting) leaving.emplace(listing_id, *leaving_posting);
  Statements& s = *stmts_;
  s.by_id->Reset();
  s.by_id->Bind(1, listing_id);
  if (!s.by_id->Step()) return 0;
  const Node current = ReadNode(*s.by_id);
  s.by_id->Reset();
  std::map<std::int64_t, Node> nodes;
  auto collect = [&] {
    nodes.clear();
    if (old_features) {
      Node before = current;
      before.features = *old_features;
      before.banded = old_features->Eligible();
      Collect(std::move(before), nodes);
    }
    Collect(current, nodes);  // the stored features win over the old ones
  };
  if (enabled() && db_.engine() == sql::Engine::kPostgres) {
    // Other writers run at once: hold the lock of every group the component
    // reaches before deciding, and read it again after taking one it lacked
    // (what was read before may have changed meanwhile).
    std::set<std::int32_t> locked;
    std::vector<std::int32_t> wanted;
    for (const ListingFeatures* f : {&current.features, old_features ? &*old_features : nullptr}) {
      if (f && Grouped(*f)) wanted.push_back(GroupLockKey(*f));
    }
    for (;;) {
      db_.LockKeys(wanted);
      locked.insert(wanted.begin(), wanted.end());
      collect();
      wanted.clear();
      for (const auto& [id, node] : nodes) {
        if (Grouped(node.features) && !locked.contains(GroupLockKey(node.features))) {
          wanted.push_back(GroupLockKey(node.features));
        }
      }
      if (wanted.empty()) break;
    }
  } else {
    collect();
  }
  if (nodes.size() == 1) return 1;

  // Rank: listings of the employer's own ATS first, then by source name and
  // listing key; the best-ranked listing of a group is its canonical one.
  std::vector<const Node*> order;
  for (const auto& [id, n] : nodes) order.push_back(&n);
  auto rank_less = [&](const Node* a, const Node* b) {
    const SourceInfo& sa = Source(a->source_id);
    const SourceInfo& sb = Source(b->source_id);
    if (sa.canonical != sb.canonical) return sa.canonical;
    if (sa.name != sb.name) return sa.name < sb.name;
    if (a->key != b->key) return a->key < b->key;
    return a->id < b->id;
  };
  std::sort(order.begin(), order.end(), rank_less);
  const size_t n = order.size();

  std::set<std::pair<std::int64_t, std::int64_t>> splits;
  s.any_splits->Reset();
  const bool any_splits = s.any_splits->Step() && s.any_splits->Int(0) != 0;
  s.any_splits->Reset();
  for (const Node* node : order) {
    if (!any_splits) break;
    s.splits->Reset();
    s.splits->Bind(1, node->id);
    while (s.splits->Step()) {
      splits.emplace(s.splits->Int64(0), s.splits->Int64(1));
    }
    s.splits->Reset();
  }

  struct Edge {
    int distance;
    size_t a, b;  // indexes into `order`, a < b
  };
  std::vector<Edge> edges;
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = a + 1; b < n; ++b) {
      if (Matches(*order[a], *order[b])) {
        edges.push_back({HammingDistance(*order[a]->features.simhash, *order[b]->features.simhash),
                         a, b});
      }
    }
  }
  std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
    return std::tie(x.distance, x.a, x.b) < std::tie(y.distance, y.a, y.b);
  });

  // Kruskal with constraints: groups as member lists, merged smaller into
  // larger; group[i] is the group of order[i].
  std::vector<size_t> group(n);
  std::iota(group.begin(), group.end(), 0);
  std::vector<std::vector<size_t>> members(n);
  for (size_t i = 0; i < n; ++i) members[i] = {i};
  auto allowed = [&](const std::vector<size_t>& x, const std::vector<size_t>& y) {
    for (size_t i : x) {
      for (size_t j : y) {
        if (order[i]->source_id == order[j]->source_id) return false;
        const auto pair = std::minmax(order[i]->id, order[j]->id);
        if (splits.contains({pair.first, pair.second})) return false;
      }
    }
    std::vector<std::string> cities;
    for (const auto* side : {&x, &y}) {
      for (size_t i : *side) {
        const auto& c = order[i]->features.cities;
        cities.insert(cities.end(), c.begin(), c.end());
      }
    }
    if (cities.empty()) return true;
    std::sort(cities.begin(), cities.end());
    cities.erase(std::unique(cities.begin(), cities.end()), cities.end());
    for (const auto* side : {&x, &y}) {
      for (size_t i : *side) {
        if (Subset(cities, order[i]->features.cities)) return true;
      }
    }
    return false;
  };
  for (const Edge& e : edges) {
    size_t ga = group[e.a], gb = group[e.b];
    if (ga == gb || !allowed(members[ga], members[gb])) continue;
    if (members[ga].size() < members[gb].size()) std::swap(ga, gb);
    for (size_t i : members[gb]) group[i] = ga;
    members[ga].insert(members[ga].end(), members[gb].begin(), members[gb].end());
    members[gb].clear();
  }

  // Which listing each posting row shows now.
  std::map<std::int64_t, std::optional<std::int64_t>> canonical_now;
  for (const Node* node : order) {
    if (canonical_now.contains(node->posting_id)) continue;
    s.canonical_of->Reset();
    s.canonical_of->Bind(1, node->posting_id);
    std::optional<std::int64_t> c;
    if (s.canonical_of->Step() && !s.canonical_of->IsNull(0)) {
      c = s.canonical_of->Int64(0);
    }
    s.canonical_of->Reset();
    canonical_now.emplace(node->posting_id, c);
  }

  // Each group keeps the oldest posting whose shown listing is one of its
  // members; failing that, the oldest posting one of its members was in
  // that no group keeps; failing that, it gets a new posting. A listing
  // being split off (`leaving`) never takes the posting it leaves. Groups
  // in rank order of their canonical (first) listing; members[g] lists
  // indexes into `order`.
  struct Plan {
    size_t canonical;                       // index into order
    std::vector<size_t> listings;
    std::optional<std::int64_t> posting;    // kept posting, or nullopt: new
  };
  std::vector<Plan> plans;
  std::map<std::int64_t, size_t> plan_of_posting;  // kept postings
  for (size_t g = 0; g < n; ++g) {
    if (members[g].empty()) continue;
    Plan plan;
    plan.listings = members[g];
    std::sort(plan.listings.begin(), plan.listings.end());
    plan.canonical = plan.listings.front();
    plans.push_back(std::move(plan));
  }
  std::sort(plans.begin(), plans.end(),
            [](const Plan& x, const Plan& y) { return x.canonical < y.canonical; });
  auto may_keep = [&](const Plan& plan, std::int64_t posting) {
    if (!leaving || posting != leaving->second) return true;
    for (size_t i : plan.listings) {
      if (order[i]->id == leaving->first) return false;
    }
    return true;
  };
  for (Plan& plan : plans) {
    for (size_t i : plan.listings) {
      const Node& m = *order[i];
      if (canonical_now[m.posting_id] == m.id && may_keep(plan, m.posting_id) &&
          (!plan.posting || m.posting_id < *plan.posting)) {
        plan.posting = m.posting_id;
      }
    }
    if (plan.posting) plan_of_posting[*plan.posting] = static_cast<size_t>(&plan - plans.data());
  }
  for (Plan& plan : plans) {
    if (plan.posting) continue;
    for (size_t i : plan.listings) {
      const std::int64_t p = order[i]->posting_id;
      if (!plan_of_posting.contains(p) && may_keep(plan, p) && (!plan.posting || p < *plan.posting)) {
        plan.posting = p;
      }
    }
    if (plan.posting) plan_of_posting[*plan.posting] = static_cast<size_t>(&plan - plans.data());
  }

  // A posting that goes away, or shows another listing from now on, first
  // leaves the content of the listing it showed in listing_copies.
  for (const auto& [posting, shown] : canonical_now) {
    if (!shown || !nodes.contains(*shown)) continue;
    auto kept = plan_of_posting.find(posting);
    if (kept != plan_of_posting.end() && order[plans[kept->second].canonical]->id == *shown) continue;
    s.save_copy->Reset();
    s.save_copy->Bind(1, *shown);
    s.save_copy->Bind(2, posting);
    s.save_copy->Exec();
  }
  int size_of_listing = 1;
  std::set<std::int64_t> touched;  // postings whose listings changed
  for (Plan& plan : plans) {
    const Node& canonical = *order[plan.canonical];
    const bool shown_already = plan.posting && canonical_now[*plan.posting] == canonical.id;
    if (!plan.posting) {
      s.insert_from_copy->Reset();
      s.insert_from_copy->Bind(1, canonical.id);
      s.insert_from_copy->Bind(2, now);
      if (!s.insert_from_copy->Step()) {
        // Every listing is shown by its posting or has a copy; a lost copy
        // must fail the call rather than give the posting another's content.
        throw sql::Exception("listing " + std::to_string(canonical.id) + " has no stored content",
                             SQLITE_CORRUPT, "", false);
      }
      plan.posting = s.insert_from_copy->Int64(0);
      s.insert_from_copy->Reset();
      touched.insert(*plan.posting);
    } else if (!shown_already) {
      s.load_copy->Reset();
      s.load_copy->Bind(1, canonical.id);
      s.load_copy->Bind(2, *plan.posting);
      s.load_copy->Bind(3, now);
      s.load_copy->Exec();  // no copy: content_hash NOT NULL fails the call
    }
    if (!shown_already) {
      s.delete_copy->Reset();
      s.delete_copy->Bind(1, canonical.id);
      s.delete_copy->Exec();
    }
    for (size_t i : plan.listings) {
      const Node& m = *order[i];
      if (m.id == listing_id) {
        size_of_listing = static_cast<int>(plan.listings.size());
        touched.insert(*plan.posting);  // it may have just been stored there
      }
      if (m.posting_id == *plan.posting) continue;
      touched.insert(m.posting_id);
      touched.insert(*plan.posting);
      s.move_listing->Reset();
      s.move_listing->Bind(1, *plan.posting);
      s.move_listing->Bind(2, m.id);
      s.move_listing->Exec();
    }
  }
  // Postings left without listings go; their history goes with the listing
  // they showed.
  for (const auto& [posting, shown] : canonical_now) {
    if (plan_of_posting.contains(posting)) continue;
    for (const Plan& plan : plans) {
      bool holds = false;
      for (size_t i : plan.listings) holds = holds || (shown && order[i]->id == *shown);
      if (!holds) continue;
      s.move_revisions->Reset();
      s.move_revisions->Bind(1, *plan.posting);
      s.move_revisions->Bind(2, posting);
      s.move_revisions->Exec();
    }
    s.delete_posting->Reset();
    s.delete_posting->Bind(1, posting);
    s.delete_posting->Exec();
  }
  // first_seen, last_seen and closed_at follow the listings each posting has now.
  for (const Plan& plan : plans) {
    if (!touched.contains(*plan.posting)) continue;
    s.refresh_times->Reset();
    s.refresh_times->Bind(1, *plan.posting);
    s.refresh_times->Exec();
  }
  return size_of_listing;
}

}  // namespace jobtrawl::storage::internal
