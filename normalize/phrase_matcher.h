// All the phrases of a table found in one pass over the words of a text: an
// Aho-Corasick automaton (Aho and Corasick, "Efficient string matching",
// CACM 18(6), 1975) whose alphabet is the words of the phrases, not bytes.
//
// A text is fed to it word by word, as the caller splits it (the skill
// matcher splits at its own token bytes, the visa matcher at the folded
// text's spaces). Each word is looked up once, as written, ignoring ASCII
// case (AsciiCaseMap: no copy, no allocation), and moves the automaton one
// step; every phrase that ends at that word is then reported, overlapping
// ones and phrases inside longer ones included. A word no phrase holds sends
// it back to the start at the cost of one filtered lookup.
//
// Built once (Tables), then shared read-only by every thread.
#ifndef JOBTRAWL_NORMALIZE_PHRASE_MATCHER_H_
#define JOBTRAWL_NORMALIZE_PHRASE_MATCHER_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <string_view>
#include <vector>

#include "normalize/word_table.h"

namespace jobtrawl::normalize {

class PhraseMatcher {
 public:
  using State = std::uint32_t;
  static constexpr State kStart = 0;
  static constexpr std::uint32_t kNoWord = 0xFFFFFFFFu;

  struct Match {
    std::uint32_t id;     // as given to Add
    std::uint32_t words;  // the phrase's length in words
  };

  // Adds `phrase`: words separated by single spaces, compared ignoring
  // ASCII case. A phrase with an empty word (two spaces, a space at either
  // end) or none is not added. Several phrases may share an id; the same
  // phrase twice is reported once per id. Not after Build().
  void Add(std::string_view phrase, std::uint32_t id);
  // Links the automaton; Add is over. REQUIRES: called once.
  void Build();

  // The number of a word in the phrases (ignoring ASCII case), kNoWord for
  // any other word.
  std::uint32_t WordOf(std::string_view written) const {
    const std::uint32_t* w = words_.Find(written);
    return w == nullptr ? kNoWord : *w;
  }
  // The state after reading the word numbered `word` (WordOf) in `state`.
  State Next(State state, std::uint32_t word) const {
    if (word == kNoWord) return kStart;
    while (true) {
      const State to = Goto(state, word);
      if (to != kNoState) return to;
      if (state == kStart) return kStart;
      state = nodes_[state].fail;
    }
  }
  State Next(State state, std::string_view written) const { return Next(state, WordOf(written)); }
  // The phrases that end with the word that led to `state`, longest first.
  std::span<const Match> MatchesAt(State state) const {
    const Node& n = nodes_[state];
    return {outputs_.data() + n.output_begin, n.output_end - n.output_begin};
  }

  // The most words of any phrase.
  std::size_t longest() const { return longest_; }

 private:
  static constexpr State kNoState = 0xFFFFFFFFu;
  struct Node {
    State fail = kStart;
    std::uint32_t depth = 0;
    std::uint32_t output_begin = 0, output_end = 0;  // into outputs_, after Build
  };
  struct Edge {
    std::uint64_t key = kEmpty;  // state << 32 | word
    State to = kNoState;
  };
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};

  static std::uint64_t Key(State s, std::uint32_t word) { return std::uint64_t{s} << 32 | word; }
  static std::size_t Slot(std::uint64_t key, std::size_t mask) {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
  }
  State Goto(State s, std::uint32_t word) const {
    const std::uint64_t key = Key(s, word);
    const std::size_t mask = edges_.size() - 1;
    for (std::size_t i = Slot(key, mask);; i = (i + 1) & mask) {
      const Edge& e = edges_[i];
      if (e.key == key) return e.to;
      if (e.key == kEmpty) return kNoState;
    }
  }
  void SetGoto(State s, std::uint32_t word, State to);

  AsciiCaseMap<std::uint32_t> words_;
  std::uint32_t word_count_ = 0;
  std::vector<Node> nodes_{Node{}};
  std::vector<Edge> edges_ = std::vector<Edge>(16);  // open addressing, power of two, load at most a half
  std::size_t edge_count_ = 0;
  std::vector<std::vector<Match>> own_{{}};  // per node, the phrases ending there (until Build)
  std::vector<std::vector<std::pair<std::uint32_t, State>>> children_{{}};  // per node (until Build)
  std::vector<Match> outputs_;
  std::size_t longest_ = 0;
  bool built_ = false;
};

// A phrase of a table taken from a text: `words` words from word `first`.
struct TakenPhrase {
  std::uint32_t id;
  std::size_t first;
  std::size_t words;
};

// What a table's phrases say in `folded` (words separated by single
// spaces) when each is looked for in the table's order (ids 0, 1, ...) and
// each occurrence taken is blanked out: an occurrence counts only if no
// occurrence taken before overlaps it. With `every_occurrence` a phrase
// takes all its occurrences that count, else its first. In the order
// taken. One pass over the words through `matcher` (built with the
// table's index as id), where a search of the text per phrase was.
std::vector<TakenPhrase> TakePhrases(const PhraseMatcher& matcher, std::string_view folded, bool every_occurrence);

}  // namespace jobtrawl::normalize

#endif  // JOBTRAWL_NORMALIZE_PHRASE_MATCHER_H_
