#include "storage/simhash.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace jobtrawl::storage {
namespace {

constexpr const char* kText =
    "Acme Robotics builds the software that runs warehouse robots for more than two hundred "
    "customers across Europe. You will build and operate backend services in Go and Python, work "
    "closely with product managers and the robotics team, and improve the observability of our "
    "systems. We look for strong knowledge of PostgreSQL and Kafka and clear writing. Apply "
    "before 2026-12-01.";

int Distance(std::string_view a, std::string_view b) {
  return HammingDistance(*SimHash(a), *SimHash(b));
}

TEST(SimHashTest, CaseWhitespaceAndPunctuationDoNotMatter) {
  // Light edits a board makes when it copies a posting: casing, line breaks, bullets, dashes.
  EXPECT_EQ(Distance(kText,
                     "ACME ROBOTICS builds the software   that runs warehouse robots\n\nfor more than "
                     "two hundred customers across Europe — you will build and operate backend "
                     "services in Go and Python; work closely with product managers and the "
                     "robotics team, and improve the observability of our systems. We look for "
                     "strong knowledge of PostgreSQL and Kafka and clear writing. • Apply before "
                     "2026-12-01."),
            0);
}

TEST(SimHashTest, WordsWithDigitsAreLeftOutSoAShiftedDateMatches) {
  // A copy posted a few days later often carries a shifted date or a new reference number.
  std::string shifted = kText;
  shifted.replace(shifted.find("2026-12-01"), 10, "2026-12-04 (#48213)");
  EXPECT_EQ(Distance(kText, shifted), 0);
}

TEST(SimHashTest, ListedSynonymsHashAlike) {
  // "clients"/"customers", "develop"/"build", "solid"/"strong" are one word to the fingerprint.
  std::string edited = kText;
  edited.replace(edited.find("customers"), 9, "clients");
  edited.replace(edited.find("build and"), 5, "develop");
  edited.replace(edited.find("strong"), 6, "solid");
  EXPECT_EQ(Distance(kText, edited), 0);
}

TEST(SimHashTest, AnotherTeamsDutiesMoveItBeyondTheDistance) {
  // Same company template, another team: the duties differ, the boilerplate does not.
  const std::string other =
      "Acme Robotics builds the software that runs warehouse robots for more than two hundred "
      "customers across Europe. You will own the billing and invoicing services written in Java "
      "and Kotlin, partner with finance and legal on refunds and taxes, and build reconciliation "
      "reports the accounting department trusts. We look for strong knowledge of PostgreSQL and "
      "Kafka and clear writing. Apply before 2026-12-01.";
  EXPECT_GT(Distance(kText, other), kMaxBandedDistance);
}

TEST(SimHashTest, ShortTextHasNoFingerprint) {
  // Too few words to tell near-duplicates from chance: never matched.
  EXPECT_FALSE(SimHash("Apply now at 2026-12-01!").has_value());
  EXPECT_FALSE(SimHash("").has_value());
  EXPECT_TRUE(SimHash("one two three four five six seven eight").has_value());
}

TEST(SimHashTest, BandsFindEveryPairWithinThreeBits) {
  // Manku, Jain and Das Sarma's pigeonhole: 4 blocks, at most 3 differing bits, one block equal.
  std::mt19937_64 rng(20261201);  // seed logged by being fixed
  for (int trial = 0; trial < 20000; ++trial) {
    const std::uint64_t a = rng();
    std::uint64_t b = a;
    const int flips = static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) b ^= std::uint64_t{1} << (rng() % 64);
    ASSERT_LE(HammingDistance(a, b), kMaxBandedDistance);
    bool shared = false;
    for (int i = 0; i < kBands; ++i) shared = shared || Band(a, i) == Band(b, i);
    ASSERT_TRUE(shared) << std::hex << a << " " << b;
  }
}

}  // namespace
}  // namespace jobtrawl::storage
