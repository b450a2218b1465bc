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
  // The canonical hashes of the words, in text order; sorted below so the
  // occurrences of a word are one run.
  thread_local std::vector<std::uint64_t> hashes;
  hashes.clear();
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
    hashes.push_back(kTable.Canonical(XXH3_64bits(word, len)));
  }
  std::sort(hashes.begin(), hashes.end());
  // Each distinct word weighs the square root of its count.
  std::array<double, 64> sums{};
  double total = 0;
  int distinct = 0;
  for (size_t k = 0; k < hashes.size();) {
    size_t run = k + 1;
    while (run < hashes.size() && hashes[run] == hashes[k]) ++run;
    const double weight = std::sqrt(static_cast<double>(run - k));
    const std::uint64_t h = hashes[k];
    for (int b = 0; b < 64; ++b) {
      if ((h >> b) & 1) sums[static_cast<size_t>(b)] += weight;
    }
    total += weight;
    ++distinct;
    k = run;
  }
  if (distinct < kMinWords) return std::nullopt;
  std::uint64_t fingerprint = 0;
  for (int b = 0; b < 64; ++b) {
    if (2 * sums[static_cast<size_t>(b)] > total) fingerprint |= std::uint64_t{1} << b;
  }
  return fingerprint;
}

}  // namespace jobtrawl::storage
