#include "storage/simhash.h"

#include <xxhash.h>

#include <algorithm>
#include <string>
#include <utility>

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
    {"utilise", "use"},             {"utilize", "use"},
};

static_assert(std::is_sorted(std::begin(kSynonyms), std::end(kSynonyms)));

std::string_view Canonical(std::string_view word) {
  auto it = std::lower_bound(std::begin(kSynonyms), std::end(kSynonyms), word,
                             [](const auto& entry, std::string_view w) { return entry.first < w; });
  return it != std::end(kSynonyms) && it->first == word ? it->second : word;
}

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
  // counts[b]: features whose hash has bit b set. Summing set bits (rather
  // than +1/-1) keeps the inner loop branch-free; bit b of the result is
  // set when more than half of the features have it.
  std::array<std::uint32_t, 64> counts{};
  std::uint32_t features = 0;
  std::string word;
  size_t i = 0;
  while (i < text.size()) {
    if (size_t sep = SeparatorLength(text, i)) {
      i += sep;
      continue;
    }
    word.clear();
    bool has_digit = false;
    while (i < text.size() && SeparatorLength(text, i) == 0) {
      char c = text[i++];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      has_digit = has_digit || (c >= '0' && c <= '9');
      word.push_back(c);
    }
    if (has_digit) continue;
    const std::string_view feature = Canonical(word);
    const std::uint64_t h = XXH3_64bits(feature.data(), feature.size());
    for (int b = 0; b < 64; ++b) counts[b] += static_cast<std::uint32_t>((h >> b) & 1);
    ++features;
  }
  if (features < static_cast<std::uint32_t>(kMinWords)) return std::nullopt;
  std::uint64_t fingerprint = 0;
  for (int b = 0; b < 64; ++b) {
    if (2 * counts[b] > features) fingerprint |= std::uint64_t{1} << b;
  }
  return fingerprint;
}

}  // namespace jobtrawl::storage
