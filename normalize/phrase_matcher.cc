#include "normalize/phrase_matcher.h"

#include <algorithm>
#include <cassert>
#include <deque>

namespace jobtrawl::normalize {

void PhraseMatcher::SetGoto(State s, std::uint32_t word, State to) {
  if ((edge_count_ + 1) * 2 > edges_.size()) {
    std::vector<Edge> old = std::move(edges_);
    edges_.assign(old.size() * 2, Edge{});
    edge_count_ = 0;
    for (const Edge& e : old) {
      if (e.key != kEmpty) SetGoto(static_cast<State>(e.key >> 32), static_cast<std::uint32_t>(e.key), e.to);
    }
  }
  const std::uint64_t key = Key(s, word);
  const std::size_t mask = edges_.size() - 1;
  for (std::size_t i = Slot(key, mask);; i = (i + 1) & mask) {
    Edge& e = edges_[i];
    if (e.key == kEmpty) {
      e = Edge{key, to};
      ++edge_count_;
      return;
    }
    if (e.key == key) {
      e.to = to;
      return;
    }
  }
}

void PhraseMatcher::Add(std::string_view phrase, std::uint32_t id) {
  assert(!built_);
  std::vector<std::string_view> words;
  for (std::string_view rest = phrase;;) {
    const std::size_t space = rest.find(' ');
    words.push_back(rest.substr(0, space));
    if (words.back().empty()) return;
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  State s = kStart;
  for (std::string_view w : words) {
    std::uint32_t word = WordOf(w);
    if (word == kNoWord) {
      word = word_count_++;
      words_[w] = word;
    }
    State to = Goto(s, word);
    if (to == kNoState) {
      to = static_cast<State>(nodes_.size());
      nodes_.push_back(Node{.depth = nodes_[s].depth + 1});
      own_.emplace_back();
      children_.emplace_back();
      children_[s].emplace_back(word, to);
      SetGoto(s, word, to);
    }
    s = to;
  }
  const Match m{id, static_cast<std::uint32_t>(words.size())};
  auto& own = own_[s];
  if (std::none_of(own.begin(), own.end(), [&](const Match& o) { return o.id == id; })) own.push_back(m);
  longest_ = std::max(longest_, words.size());
}

void PhraseMatcher::Build() {
  assert(!built_);
  built_ = true;
  // Breadth first, so a node's failure state (a shorter suffix) is linked,
  // and its outputs gathered, before the node's own.
  std::vector<State> order;
  order.reserve(nodes_.size());
  std::deque<State> queue;
  for (const auto& [word, child] : children_[kStart]) {
    nodes_[child].fail = kStart;
    queue.push_back(child);
  }
  while (!queue.empty()) {
    const State s = queue.front();
    queue.pop_front();
    order.push_back(s);
    for (const auto& [word, child] : children_[s]) {
      State f = nodes_[s].fail;
      State to = Goto(f, word);
      while (to == kNoState && f != kStart) {
        f = nodes_[f].fail;
        to = Goto(f, word);
      }
      nodes_[child].fail = to == kNoState ? kStart : to;
      queue.push_back(child);
    }
  }
  // Outputs: a node's own phrases (its whole path), then its failure
  // state's, which are suffixes and shorter: longest first throughout.
  std::vector<std::vector<Match>> all(nodes_.size());
  for (State s : order) {
    all[s] = own_[s];
    const auto& inherited = all[nodes_[s].fail];
    all[s].insert(all[s].end(), inherited.begin(), inherited.end());
  }
  for (State s = 0; s < nodes_.size(); ++s) {
    nodes_[s].output_begin = static_cast<std::uint32_t>(outputs_.size());
    outputs_.insert(outputs_.end(), all[s].begin(), all[s].end());
    nodes_[s].output_end = static_cast<std::uint32_t>(outputs_.size());
  }
  own_.clear();
  own_.shrink_to_fit();
  children_.clear();
  children_.shrink_to_fit();
}

std::vector<TakenPhrase> TakePhrases(const PhraseMatcher& matcher, std::string_view folded, bool every_occurrence) {
  std::vector<TakenPhrase> found;
  PhraseMatcher::State state = PhraseMatcher::kStart;
  std::size_t word = 0;
  for (std::size_t start = 0; start <= folded.size();) {
    std::size_t end = folded.find(' ', start);
    if (end == std::string_view::npos) end = folded.size();
    if (end != start) {
      state = matcher.Next(state, folded.substr(start, end - start));
      for (const PhraseMatcher::Match& m : matcher.MatchesAt(state)) found.push_back({m.id, word + 1 - m.words, m.words});
      ++word;
    }
    start = end + 1;
  }
  if (found.empty()) return found;
  std::sort(found.begin(), found.end(), [](const TakenPhrase& a, const TakenPhrase& b) {
    return a.id != b.id ? a.id < b.id : a.first < b.first;
  });
  std::vector<bool> blanked(word, false);
  std::vector<TakenPhrase> taken;
  for (std::size_t i = 0; i < found.size(); ++i) {
    const TakenPhrase& o = found[i];
    if (!every_occurrence && !taken.empty() && taken.back().id == o.id) continue;  // its first is taken
    bool free = true;
    for (std::size_t k = o.first; k < o.first + o.words && free; ++k) free = !blanked[k];
    if (!free) continue;
    for (std::size_t k = o.first; k < o.first + o.words; ++k) blanked[k] = true;
    taken.push_back(o);
  }
  return taken;
}

}  // namespace jobtrawl::normalize
