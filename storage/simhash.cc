#include "storage/simhash.h"

#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace jobtrawl::storage {
namespace {

// Words job ads use interchangeably, and British spellings, mapped to one
// form before hashing, so a copy that swaps them has the same fingerprint.
// Sorted by the first member (binary search).
constexpr std::pair<std::string_view, std::string_view> kSynonyms[] = {
    {"abilities", "skills"},        {"ability", "skill"},
    {"applicant", "candidate"},     {"applicants", "candidates"},
    {"assist", "help"},             {"background", "experience"},
    {"behaviour", "behavior"},      {"client", "customer"},
    {"clients", "customers"},       {"colleagues", "teammates"},
    {"compensation", "salary"},     {"create", "build"},
    {"creating", "building"},       {"deep", "strong"},
    {"develop", "build"},           {"developing", "building"},
    {"duties", "responsibilities"}, {"enhance", "improve"},
    {"enhancing", "improving"},     {"excellent", "great"},
    {"firm", "company"},            {"implement", "build"},
    {"job", "role"},                {"leverage", "use"},
    {"optimise", "optimize"},       {"organisation", "company"},
    {"organization", "company"},    {"perks", "benefits"},
    {"position", "role"},           {"qualifications", "requirements"},
    {"solid", "strong"},            {"squad", "team"},
    {"squads", "teams"},
    {"utilise", "use"},             {"utilize", "use"},
};

// The synonyms by the hash of the word they replace, in a 128-slot
// open-addressing table: a word costs one probe (its hash is needed anyway).
class SynonymTable {
 public:
  SynonymTable() {
    for (const auto& [word, canonical] : kSynonyms) {
      const std::uint64_t h = XXH3_64bits(word.data(), word.size());
      size_t slot = h & (kSlots - 1);
      while (slots_[slot].from != 0) slot = (slot + 1) & (kSlots - 1);
      slots_[slot] = {h, XXH3_64bits(canonical.data(), canonical.size())};
    }
  }
  // The hash of the word's canonical form, given the hash of the word.
  std::uint64_t Canonical(std::uint64_t h) const {
    for (size_t slot = h & (kSlots - 1); slots_[slot].from != 0; slot = (slot + 1) & (kSlots - 1)) {
      if (slots_[slot].from == h) return slots_[slot].to;
    }
    return h;
  }

 private:
  static constexpr size_t kSlots = 128;
  static_assert(std::size(kSynonyms) < kSlots / 2);
  struct Slot {
    std::uint64_t from = 0, to = 0;
  };
  std::array<Slot, kSlots> slots_{};
};

bool IsAsciiWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Length of a separator starting at text[i] (0: not one). Besides ASCII
// punctuation and space, no-break space (U+00A0) and the General
// Punctuation block (U+2000..U+206F: dashes, quotes, bullets, thin spaces)
// separate words; any other non-ASCII character is part of a word.
size_t SeparatorLength(std::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return IsAsciiWordByte(c) ? 0 : 1;
  if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0) return 2;
  if (c == 0xE2 && i + 2 < text.size()) {
    const auto c1 = static_cast<unsigned char>(text[i + 1]);
    if (c1 == 0x80 || c1 == 0x81) return 3;
  }
  return 0;
}

}  // namespace

std::optional<std::uint64_t> SimHash(std::string_view text) {
  static const SynonymTable kTable;
  // The distinct canonical word hashes with their counts, in an
  // open-addressing table (a hash of 0 marks a free slot: XXH3 gives it to
  // one word in 2^64) grown to stay at most half full.
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t count = 0;
  };
  thread_local std::vector<Slot> table(512);
  thread_local std::vector<std::uint32_t> used;  // indexes of the filled slots
  for (std::uint32_t u : used) table[u] = Slot{};
  used.clear();
  auto add = [&](std::uint64_t h) {
    for (size_t mask = table.size() - 1, i = h & mask;; i = (i + 1) & mask) {
      if (table[i].hash == h) {
        ++table[i].count;
        return;
      }
      if (table[i].hash == 0) {
        table[i] = {h, 1};
        used.push_back(static_cast<std::uint32_t>(i));
        break;
      }
    }
    if (2 * used.size() < table.size()) return;
    std::vector<Slot> old(table.size() * 2);
    old.swap(table);
    used.clear();
    for (const Slot& slot : old) {
      if (slot.hash == 0) continue;
      size_t i = slot.hash & (table.size() - 1);
      while (table[i].hash != 0) i = (i + 1) & (table.size() - 1);
      table[i] = slot;
      used.push_back(static_cast<std::uint32_t>(i));
    }
  };
  char word[64];  // longer words are cut here: enough to tell them apart
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    if (size_t sep = SeparatorLength(text, i)) {
      i += sep;
      continue;
    }
    size_t len = 0;
    bool has_digit = false;
    while (i < n) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c < 0x80) {
        if (!IsAsciiWordByte(c)) break;
        has_digit = has_digit || (c >= '0' && c <= '9');
        if (len < sizeof word) word[len++] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        ++i;
      } else {
        if (SeparatorLength(text, i) != 0) break;
        if (len < sizeof word) word[len++] = static_cast<char>(c);
        ++i;
      }
    }
    if (has_digit) continue;
    const std::uint64_t h = kTable.Canonical(XXH3_64bits(word, len));
    if (h != 0) add(h);  // 0 marks a free slot; one word in 2^64 is left out
  }
  // Each distinct word weighs the square root of its count, in sixteenths
  // (integers: the sum is exact whatever the order). Per-bit sums are kept
  // SWAR-style: lanes[k] holds in its 16-bit field j the weight of the
  // words with bit 16*j+k set, so a word costs 16 shifts, masks and
  // multiply-adds instead of 64 branches; the fields are drained into
  // `sums` before they can overflow.
  std::array<std::uint64_t, 16> lanes{};
  std::array<std::uint64_t, 64> sums{};
  std::uint64_t in_lanes = 0, total = 0;
  int distinct = 0;
  auto drain = [&] {
    for (int k = 0; k < 16; ++k) {
      for (int j = 0; j < 4; ++j) sums[static_cast<size_t>(16 * j + k)] += (lanes[static_cast<size_t>(k)] >> (16 * j)) & 0xffff;
      lanes[static_cast<size_t>(k)] = 0;
    }
    in_lanes = 0;
  };
  // The sums are integers: the order of the slots does not matter.
  for (const std::uint32_t u : used) {
    const Slot& slot = table[u];
    const auto weight = std::min<std::uint64_t>(
        0xffff, static_cast<std::uint64_t>(std::lround(16.0 * std::sqrt(static_cast<double>(slot.count)))));
    if (in_lanes + weight > 0xffff) drain();
    const std::uint64_t h = slot.hash;
    for (size_t b = 0; b < 16; ++b) lanes[b] += ((h >> b) & 0x0001000100010001ULL) * weight;
    in_lanes += weight;
    total += weight;
    ++distinct;
  }
  drain();
  if (table.size() > 8192) {  // a huge text does not keep its table
    table.assign(512, Slot{});
    used.clear();
  }
  if (distinct < kMinWords) return std::nullopt;
  std::uint64_t fingerprint = 0;
  for (int b = 0; b < 64; ++b) {
    if (2 * sums[static_cast<size_t>(b)] > total) fingerprint |= std::uint64_t{1} << b;
  }
  return fingerprint;
}

}  // namespace jobtrawl::storage
