// Near-duplicate fingerprints of descriptions: 64-bit SimHash (Charikar,
// "Similarity estimation techniques from rounding algorithms", STOC 2002)
// over word shingles, looked up by the permuted-blocks method of Manku,
// Jain and Das Sarma ("Detecting near-duplicates for web crawling",
// WWW 2007): with the fingerprint cut into 4 blocks of 16 bits, two
// fingerprints at Hamming distance <= 3 agree on at least one whole block,
// so an index per block finds every such pair.
//
// Pure functions; thread-safe.
#ifndef JOBTRAWL_STORAGE_SIMHASH_H_
#define JOBTRAWL_STORAGE_SIMHASH_H_

#include <array>
#include <bit>
#include <cstdint>
#include <optional>
#include <string_view>

namespace jobtrawl::storage {

// Blocks the fingerprint is cut into, and the largest Hamming distance the
// blocks are guaranteed to find (pigeonhole: kBands - 1).
inline constexpr int kBands = 4;
inline constexpr int kMaxBandedDistance = kBands - 1;

// Words a text needs for its fingerprint to mean anything; shorter texts
// get none (and are never matched).
inline constexpr int kMinWords = 8;

// The SimHash of `text` (UTF-8): words are runs of letters and digits,
// ASCII-lower-cased; words holding a digit (dates, amounts, reference
// numbers) are left out, so a date shifted by a few days changes nothing;
// a few words job ads use interchangeably are mapped to one form
// ("clients" -> "customers", "solid" -> "strong"). Each distinct remaining
// word is one feature (a shingle of one word), hashed with XXH3, of weight
// the square root of its count (sublinear term frequency): counted once
// per occurrence, the most common words ("the", "and", "you") outweighed
// the duties, and 3.4% of the pairs of different jobs with one company's
// introduction and benefits came out within 3 bits (the false merges of
// bench/scale_bench.cc, issue 12 part 6; 0.1% now); counted once whatever
// the count, a few edits moved a copy 4 bits.
// White space, punctuation and letter case never change the result.
// Why single words: on a 230-word description, 3 random word substitutions
// stay within 3 bits 82% of the time with single words against 30% with
// pairs of words, while replacing a quarter of the text (another team's
// duties) still moves it 9 bits. nullopt when the text has fewer than
// kMinWords distinct words.
std::optional<std::uint64_t> SimHash(std::string_view text);

inline int HammingDistance(std::uint64_t a, std::uint64_t b) { return std::popcount(a ^ b); }

// Block `i` (0..kBands-1) of `fingerprint`: bits 16*i .. 16*i+15.
inline std::uint16_t Band(std::uint64_t fingerprint, int i) {
  return static_cast<std::uint16_t>(fingerprint >> (16 * i));
}

}  // namespace jobtrawl::storage

#endif  // JOBTRAWL_STORAGE_SIMHASH_H_
