#include "parsers/selector.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <unordered_map>

#include "model/ascii.h"
#include "parsers/html_text.h"

namespace jobtrawl::parsers {
namespace {

bool IsElement(const GumboNode* n) {
  return n != nullptr && (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE);
}

}  // namespace

// ---- The parsed form ----

enum class AttrOp { kExists, kEquals, kIncludes, kDashMatch, kPrefix, kSuffix, kSubstring };

struct AttrTest {
  std::string name;  // lower-case
  AttrOp op = AttrOp::kExists;
  std::string value;
  bool ignore_case = false;
};

// an+b, matched against 1-based positions.
struct Nth {
  long a = 0;
  long b = 0;
  bool Matches(long position) const {
    if (a == 0) return position == b;
    long diff = position - b;
    return diff % a == 0 && diff / a >= 0;
  }
};

enum class Pseudo {
  kFirstChild, kLastChild, kOnlyChild, kNthChild, kNthLastChild,
  kFirstOfType, kLastOfType, kOnlyOfType, kNthOfType, kNthLastOfType,
  kEmpty, kRoot, kNot,
};

struct Complex;

struct PseudoTest {
  Pseudo kind = Pseudo::kEmpty;
  Nth nth;
  std::vector<Complex> inner;  // :not(...)
};

struct Compound {
  std::string tag;  // lower-case; empty for any
  std::vector<std::string> ids;
  std::vector<std::string> classes;
  std::vector<AttrTest> attrs;
  std::vector<PseudoTest> pseudos;
};

enum class Combinator { kDescendant, kChild, kNextSibling, kSubsequentSibling };

struct Complex {
  std::vector<Compound> compounds;
  std::vector<Combinator> combinators;  // combinators[i] joins compounds[i] and [i + 1]
};

struct Selector::Impl {
  std::vector<Complex> list;
};

namespace {

// ---- Parsing (recursive descent; errors carry the offset) ----

// Limits that keep parsing and matching bounded whatever the config says: the
// recursion of :not() and the memo of matching grow with them.
constexpr std::size_t kMaxSelectorLength = 2048;
constexpr int kMaxCompounds = 64;  // in the whole list, :not() included
constexpr int kMaxNotDepth = 8;
constexpr long kMaxNth = 1'000'000;

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  std::expected<std::vector<Complex>, SelectorError> ParseList(bool nested) {
    std::vector<Complex> list;
    if (nested && ++not_depth_ > kMaxNotDepth) {
      return Fail(":not() nested more than " + std::to_string(kMaxNotDepth) + " deep");
    }
    while (true) {
      SkipWhite();
      auto complex = ParseComplex();
      if (!complex) return std::unexpected(complex.error());
      list.push_back(std::move(*complex));
      SkipWhite();
      if (AtEnd()) break;
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (nested && Peek() == ')') break;
      return Fail("unexpected '" + std::string(1, Peek()) + "'");
    }
    if (nested) --not_depth_;
    return list;
  }

  bool AtEnd() const { return pos_ >= s_.size(); }

 private:
  char Peek(size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
  void SkipWhite() {
    while (!AtEnd() && ascii::IsSpace(Peek())) ++pos_;
  }
  std::unexpected<SelectorError> Fail(std::string message) const {
    return std::unexpected(SelectorError{std::min(pos_, s_.size()), std::move(message)});
  }

  static bool IsNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
  }
  static bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-'; }

  // An identifier with backslash escapes; empty when there is none here.
  std::string Ident() {
    std::string out;
    size_t start = pos_;
    if (Peek() == '-') {
      out.push_back('-');
      ++pos_;
    }
    while (!AtEnd()) {
      char c = Peek();
      if (c == '\\' && pos_ + 1 < s_.size()) {
        out.push_back(s_[pos_ + 1]);
        pos_ += 2;
      } else if (out.empty() || out == "-" ? IsNameStart(c) || (out == "-" && c == '-') : IsNameChar(c)) {
        out.push_back(c);
        ++pos_;
      } else {
        break;
      }
    }
    if (out.empty() || out == "-") {
      pos_ = start;
      return {};
    }
    return out;
  }

  std::expected<std::string, SelectorError> QuotedOrIdent() {
    char q = Peek();
    if (q == '"' || q == '\'') {
      ++pos_;
      std::string out;
      while (!AtEnd() && Peek() != q) {
        if (Peek() == '\\' && pos_ + 1 < s_.size()) ++pos_;
        out.push_back(Peek());
        ++pos_;
      }
      if (AtEnd()) return Fail("unterminated string");
      ++pos_;
      return out;
    }
    std::string id = Ident();
    if (id.empty()) return Fail("expected a value (an identifier or a quoted string)");
    return id;
  }

  std::expected<Complex, SelectorError> ParseComplex() {
    Complex c;
    auto first = ParseCompound();
    if (!first) return std::unexpected(first.error());
    c.compounds.push_back(std::move(*first));
    while (true) {
      size_t before = pos_;
      SkipWhite();
      bool white = pos_ > before;
      char p = Peek();
      Combinator comb = Combinator::kDescendant;
      if (p == '>' || p == '+' || p == '~') {
        comb = p == '>' ? Combinator::kChild : p == '+' ? Combinator::kNextSibling
                                                        : Combinator::kSubsequentSibling;
        ++pos_;
        SkipWhite();
      } else if (!white || AtEnd() || p == ',' || p == ')') {
        pos_ = before;
        break;
      }
      auto next = ParseCompound();
      if (!next) return std::unexpected(next.error());
      c.combinators.push_back(comb);
      c.compounds.push_back(std::move(*next));
    }
    return c;
  }

  std::expected<Compound, SelectorError> ParseCompound() {
    if (++compounds_ > kMaxCompounds) {
      return Fail("more than " + std::to_string(kMaxCompounds) + " compound selectors");
    }
    Compound c;
    bool any = false;
    if (Peek() == '*') {
      ++pos_;
      any = true;
    } else if (std::string tag = Ident(); !tag.empty()) {
      c.tag = ascii::ToLower(tag);
      any = true;
    }
    while (!AtEnd()) {
      char p = Peek();
      if (p == '#' || p == '.') {
        ++pos_;
        std::string name = Ident();
        if (name.empty()) return Fail(p == '#' ? "expected an id after '#'" : "expected a class name after '.'");
        (p == '#' ? c.ids : c.classes).push_back(std::move(name));
      } else if (p == '[') {
        auto attr = ParseAttr();
        if (!attr) return std::unexpected(attr.error());
        c.attrs.push_back(std::move(*attr));
      } else if (p == ':') {
        auto pseudo = ParsePseudo();
        if (!pseudo) return std::unexpected(pseudo.error());
        c.pseudos.push_back(std::move(*pseudo));
      } else {
        break;
      }
      any = true;
    }
    if (!any) {
      return Fail(AtEnd() ? "expected a selector" : "expected a selector, got '" + std::string(1, Peek()) + "'");
    }
    return c;
  }

  std::expected<AttrTest, SelectorError> ParseAttr() {
    ++pos_;  // '['
    SkipWhite();
    AttrTest t;
    std::string name = Ident();
    if (name.empty()) return Fail("expected an attribute name");
    t.name = ascii::ToLower(name);
    SkipWhite();
    if (Peek() == ']') {
      ++pos_;
      return t;
    }
    static constexpr std::pair<std::string_view, AttrOp> kOps[] = {
        {"~=", AttrOp::kIncludes}, {"|=", AttrOp::kDashMatch}, {"^=", AttrOp::kPrefix},
        {"$=", AttrOp::kSuffix},   {"*=", AttrOp::kSubstring}, {"=", AttrOp::kEquals}};
    bool found = false;
    for (const auto& [text, op] : kOps) {
      if (s_.substr(pos_, text.size()) == text) {
        t.op = op;
        pos_ += text.size();
        found = true;
        break;
      }
    }
    if (!found) return Fail("expected ']' or an operator (=, ~=, |=, ^=, $=, *=)");
    SkipWhite();
    auto value = QuotedOrIdent();
    if (!value) return std::unexpected(value.error());
    t.value = std::move(*value);
    SkipWhite();
    if (Peek() == 'i' || Peek() == 'I' || Peek() == 's' || Peek() == 'S') {
      t.ignore_case = ascii::ToLower(Peek()) == 'i';
      ++pos_;
      SkipWhite();
    }
    if (Peek() != ']') return Fail("expected ']'");
    ++pos_;
    return t;
  }

  std::expected<Nth, SelectorError> ParseNth() {
    // an+b | odd | even, up to the closing ')'.
    SkipWhite();
    size_t start = pos_;
    std::string text;
    while (!AtEnd() && Peek() != ')') text.push_back(ascii::ToLower(s_[pos_++]));
    std::erase_if(text, ascii::IsSpace);
    if (text == "odd") return Nth{2, 1};
    if (text == "even") return Nth{2, 0};
    Nth nth;
    size_t n = text.find('n');
    auto number = [](const std::string& t, long& out) {
      if (t.empty() || t == "+" || t == "-") return false;
      char* end = nullptr;
      out = std::strtol(t.c_str(), &end, 10);
      return *end == '\0' && out >= -kMaxNth && out <= kMaxNth;
    };
    bool ok;
    if (n == std::string::npos) {
      ok = number(text, nth.b);
    } else {
      std::string a = text.substr(0, n), b = text.substr(n + 1);
      ok = true;
      if (a.empty() || a == "+") {
        nth.a = 1;
      } else if (a == "-") {
        nth.a = -1;
      } else {
        ok = number(a, nth.a);
      }
      if (ok && !b.empty()) ok = (b[0] == '+' || b[0] == '-') && number(b, nth.b);
    }
    if (!ok) {
      pos_ = start;
      return Fail("expected an+b, odd or even (numbers up to " + std::to_string(kMaxNth) + ")");
    }
    return nth;
  }

  std::expected<PseudoTest, SelectorError> ParsePseudo() {
    ++pos_;  // ':'
    if (Peek() == ':') return Fail("pseudo-elements (::) select no elements");
    size_t name_at = pos_;
    std::string name = ascii::ToLower(Ident());
    static constexpr std::pair<std::string_view, Pseudo> kSimple[] = {
        {"first-child", Pseudo::kFirstChild},   {"last-child", Pseudo::kLastChild},
        {"only-child", Pseudo::kOnlyChild},     {"first-of-type", Pseudo::kFirstOfType},
        {"last-of-type", Pseudo::kLastOfType},  {"only-of-type", Pseudo::kOnlyOfType},
        {"empty", Pseudo::kEmpty},              {"root", Pseudo::kRoot}};
    static constexpr std::pair<std::string_view, Pseudo> kNth[] = {
        {"nth-child", Pseudo::kNthChild},     {"nth-last-child", Pseudo::kNthLastChild},
        {"nth-of-type", Pseudo::kNthOfType},  {"nth-last-of-type", Pseudo::kNthLastOfType}};
    PseudoTest t;
    for (const auto& [text, kind] : kSimple) {
      if (name == text) {
        t.kind = kind;
        return t;
      }
    }
    bool nth = false;
    for (const auto& [text, kind] : kNth) {
      if (name == text) {
        t.kind = kind;
        nth = true;
      }
    }
    if (!nth && name != "not") {
      pos_ = name_at;
      return Fail(name.empty() ? "expected a pseudo-class name" : "unsupported pseudo-class ':" + name + "'");
    }
    if (Peek() != '(') return Fail("expected '(' after ':" + name + "'");
    ++pos_;
    if (nth) {
      auto n = ParseNth();
      if (!n) return std::unexpected(n.error());
      t.nth = *n;
    } else {
      t.kind = Pseudo::kNot;
      auto inner = ParseList(/*nested=*/true);
      if (!inner) return std::unexpected(inner.error());
      t.inner = std::move(*inner);
    }
    SkipWhite();
    if (Peek() != ')') return Fail("expected ')'");
    ++pos_;
    return t;
  }

  std::string_view s_;
  size_t pos_ = 0;
  int compounds_ = 0;
  int not_depth_ = 0;
};

// ---- Matching ----

const GumboVector* Children(const GumboNode* n) {
  if (n == nullptr) return nullptr;
  if (n->type == GUMBO_NODE_DOCUMENT) return &n->v.document.children;
  if (IsElement(n)) return &n->v.element.children;
  return nullptr;
}

std::string_view TagName(const GumboNode& e) {
  if (e.v.element.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(e.v.element.tag);
  GumboStringPiece piece = e.v.element.original_tag;
  gumbo_tag_from_original_text(&piece);
  return {piece.data, piece.length};
}

const char* Attr(const GumboNode& e, const std::string& name) {
  const GumboAttribute* a = gumbo_get_attribute(&e.v.element.attributes, name.c_str());
  return a != nullptr ? a->value : nullptr;
}

bool HasWord(std::string_view list, std::string_view word, bool ignore_case) {
  while (!list.empty()) {
    while (!list.empty() && ascii::IsSpace(list.front())) list.remove_prefix(1);
    size_t end = 0;
    while (end < list.size() && !ascii::IsSpace(list[end])) ++end;
    std::string_view w = list.substr(0, end);
    if (!w.empty() && (ignore_case ? ascii::EqualsIgnoreCase(w, word) : w == word)) return true;
    list.remove_prefix(end);
  }
  return false;
}

bool MatchAttr(const GumboNode& e, const AttrTest& t) {
  const char* raw = Attr(e, t.name);
  if (raw == nullptr) return false;
  std::string_view v(raw);
  std::string lowered_v, lowered_t;
  std::string_view want = t.value;
  if (t.ignore_case) {
    lowered_v = ascii::ToLower(v);
    lowered_t = ascii::ToLower(t.value);
    v = lowered_v;
    want = lowered_t;
  }
  switch (t.op) {
    case AttrOp::kExists: return true;
    case AttrOp::kEquals: return v == want;
    case AttrOp::kIncludes: return !want.empty() && HasWord(v, want, false);
    case AttrOp::kDashMatch: return v == want || (v.starts_with(want) && v.size() > want.size() && v[want.size()] == '-');
    case AttrOp::kPrefix: return !want.empty() && v.starts_with(want);
    case AttrOp::kSuffix: return !want.empty() && v.ends_with(want);
    case AttrOp::kSubstring: return !want.empty() && v.find(want) != std::string_view::npos;
  }
  return false;
}

const GumboNode* PreviousElement(const GumboNode& e) {
  const GumboVector* siblings = Children(e.parent);
  if (siblings == nullptr) return nullptr;
  for (unsigned i = e.index_within_parent; i > 0; --i) {
    const auto* n = static_cast<const GumboNode*>(siblings->data[i - 1]);
    if (IsElement(n)) return n;
  }
  return nullptr;
}

// The state of one selection: what is known about (element, compound)
// pairs, so that each combinator step is computed once per element and
// matching costs O(elements x compounds) whatever the selector and the tree
// (right-to-left matching without it backtracks over every subset of
// ancestors or earlier siblings). Recursion is bounded by the selector's
// compound count and :not() depth (both capped at parse time); walks up the
// tree and along siblings are loops.
class MatchContext {
 public:
  explicit MatchContext(SelectStats* stats) : stats_(stats) {}

  // Right to left: compounds[index] must match `e`, and what is left of it
  // must match the elements its combinator leads to.
  bool Match(const GumboNode& e, const Complex& c, size_t index) {
    if (index + 1 < c.compounds.size()) {
      if (auto known = Lookup(&e, c, index, kMatch)) return *known;
    }
    bool result = MatchCompound(e, c.compounds[index]);
    if (result && index > 0) {
      switch (c.combinators[index - 1]) {
        case Combinator::kChild:
          result = IsElement(e.parent) && Match(*e.parent, c, index - 1);
          break;
        case Combinator::kDescendant:
          result = AnyAncestor(e, c, index - 1);
          break;
        case Combinator::kNextSibling: {
          const GumboNode* prev = PreviousElement(e);
          result = prev != nullptr && Match(*prev, c, index - 1);
          break;
        }
        case Combinator::kSubsequentSibling:
          result = AnyPrevious(e, c, index - 1);
          break;
      }
    }
    if (index + 1 < c.compounds.size()) Store(&e, c, index, kMatch, result);
    return result;
  }

 private:
  enum Relation : std::uint32_t { kMatch, kAncestor, kPrevious };

  struct Key {
    const void* node;
    const Complex* complex;
    std::uint32_t index;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      std::size_t h = std::hash<const void*>()(k.node);
      h ^= std::hash<const void*>()(k.complex) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
      h ^= std::hash<std::uint32_t>()(k.index) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
      return h;
    }
  };
  // Sibling positions of one element, 1-based: among all element siblings
  // and among those of its type, from the start and from the end.
  struct Positions {
    long first = 1, last = 1, first_of_type = 1, last_of_type = 1;
  };

  std::optional<bool> Lookup(const GumboNode* n, const Complex& c, size_t index, Relation r) const {
    auto it = memo_.find(Key{n, &c, static_cast<std::uint32_t>(index * 3 + r)});
    if (it == memo_.end()) return std::nullopt;
    return it->second;
  }
  void Store(const GumboNode* n, const Complex& c, size_t index, Relation r, bool value) {
    memo_.emplace(Key{n, &c, static_cast<std::uint32_t>(index * 3 + r)}, value);
  }

  // Does some ancestor of `e` match compounds[0..index]? Walks up to the
  // first ancestor whose answer is known, then fills the answers in going
  // down: each element is visited once per compound index.
  bool AnyAncestor(const GumboNode& e, const Complex& c, size_t index) {
    std::vector<const GumboNode*> chain;  // answers unknown, bottom first
    bool answer = false;
    for (const GumboNode* n = &e; IsElement(n->parent); n = n->parent) {
      Step();
      if (auto known = Lookup(n, c, index, kAncestor)) {
        answer = *known;
        break;
      }
      chain.push_back(n);
    }
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      answer = answer || Match(*(*it)->parent, c, index);
      Store(*it, c, index, kAncestor, answer);
    }
    return answer;
  }

  // The same along the element's earlier siblings.
  bool AnyPrevious(const GumboNode& e, const Complex& c, size_t index) {
    std::vector<std::pair<const GumboNode*, const GumboNode*>> chain;  // (node, its previous)
    bool answer = false;
    const GumboNode* n = &e;
    for (const GumboNode* prev = PreviousElement(*n); prev != nullptr; prev = PreviousElement(*n)) {
      Step();
      if (auto known = Lookup(n, c, index, kPrevious)) {
        answer = *known;
        break;
      }
      chain.emplace_back(n, prev);
      n = prev;
    }
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      answer = answer || Match(*it->second, c, index);
      Store(it->first, c, index, kPrevious, answer);
    }
    return answer;
  }

  const Positions& PositionsOf(const GumboNode& e) {
    if (auto it = positions_.find(&e); it != positions_.end()) return it->second;
    const GumboVector* siblings = Children(e.parent);
    if (siblings == nullptr) return positions_[&e];
    // One pass forward and one back over the parent's children fill in
    // every element child at once.
    std::unordered_map<std::string_view, long> of_type;
    long count = 0;
    for (unsigned i = 0; i < siblings->length; ++i) {
      const auto* n = static_cast<const GumboNode*>(siblings->data[i]);
      Step();
      if (!IsElement(n)) continue;
      Positions& p = positions_[n];
      p.first = ++count;
      p.first_of_type = ++of_type[TagName(*n)];
    }
    of_type.clear();
    count = 0;
    for (unsigned i = siblings->length; i > 0; --i) {
      const auto* n = static_cast<const GumboNode*>(siblings->data[i - 1]);
      Step();
      if (!IsElement(n)) continue;
      Positions& p = positions_[n];
      p.last = ++count;
      p.last_of_type = ++of_type[TagName(*n)];
    }
    return positions_[&e];
  }

  bool MatchPseudo(const GumboNode& e, const PseudoTest& p) {
    switch (p.kind) {
      case Pseudo::kFirstChild: return PositionsOf(e).first == 1;
      case Pseudo::kLastChild: return PositionsOf(e).last == 1;
      case Pseudo::kOnlyChild: return PositionsOf(e).first == 1 && PositionsOf(e).last == 1;
      case Pseudo::kNthChild: return p.nth.Matches(PositionsOf(e).first);
      case Pseudo::kNthLastChild: return p.nth.Matches(PositionsOf(e).last);
      case Pseudo::kFirstOfType: return PositionsOf(e).first_of_type == 1;
      case Pseudo::kLastOfType: return PositionsOf(e).last_of_type == 1;
      case Pseudo::kOnlyOfType: return PositionsOf(e).first_of_type == 1 && PositionsOf(e).last_of_type == 1;
      case Pseudo::kNthOfType: return p.nth.Matches(PositionsOf(e).first_of_type);
      case Pseudo::kNthLastOfType: return p.nth.Matches(PositionsOf(e).last_of_type);
      case Pseudo::kEmpty: {
        // Elements and text (white space included, as browsers count it)
        // make it non-empty; comments do not.
        const GumboVector& kids = e.v.element.children;
        for (unsigned i = 0; i < kids.length; ++i) {
          auto t = static_cast<const GumboNode*>(kids.data[i])->type;
          if (t != GUMBO_NODE_COMMENT) return false;
        }
        return true;
      }
      case Pseudo::kRoot: return e.parent != nullptr && e.parent->type == GUMBO_NODE_DOCUMENT;
      case Pseudo::kNot:
        for (const Complex& c : p.inner) {
          if (Match(e, c, c.compounds.size() - 1)) return false;
        }
        return true;
    }
    return false;
  }

  bool MatchCompound(const GumboNode& e, const Compound& c) {
    Step();
    if (!c.tag.empty() && !ascii::EqualsIgnoreCase(TagName(e), c.tag)) return false;
    for (const auto& id : c.ids) {
      const char* v = Attr(e, "id");
      if (v == nullptr || id != v) return false;
    }
    for (const auto& cls : c.classes) {
      const char* v = Attr(e, "class");
      if (v == nullptr || !HasWord(v, cls, false)) return false;
    }
    for (const auto& a : c.attrs) {
      if (!MatchAttr(e, a)) return false;
    }
    for (const auto& p : c.pseudos) {
      if (!MatchPseudo(e, p)) return false;
    }
    return true;
  }

  void Step() {
    if (stats_ != nullptr) ++stats_->steps;
  }

  SelectStats* const stats_;
  std::unordered_map<Key, bool, KeyHash> memo_;
  std::unordered_map<const GumboNode*, Positions> positions_;
};

bool IsBlock(const GumboNode& e) {
  static constexpr GumboTag kBlocks[] = {
      GUMBO_TAG_P,  GUMBO_TAG_DIV,     GUMBO_TAG_LI,      GUMBO_TAG_BR,     GUMBO_TAG_H1,
      GUMBO_TAG_H2, GUMBO_TAG_H3,      GUMBO_TAG_H4,      GUMBO_TAG_H5,     GUMBO_TAG_H6,
      GUMBO_TAG_TR, GUMBO_TAG_TD,      GUMBO_TAG_TH,      GUMBO_TAG_UL,     GUMBO_TAG_OL,
      GUMBO_TAG_SECTION, GUMBO_TAG_ARTICLE, GUMBO_TAG_HEADER, GUMBO_TAG_FOOTER, GUMBO_TAG_DT,
      GUMBO_TAG_DD, GUMBO_TAG_TABLE,   GUMBO_TAG_NAV,     GUMBO_TAG_ASIDE,  GUMBO_TAG_MAIN};
  return std::find(std::begin(kBlocks), std::end(kBlocks), e.v.element.tag) != std::end(kBlocks);
}

void CollectText(const GumboNode& n, std::string& out, int depth) {
  if (depth > 512) return;
  if (n.type == GUMBO_NODE_TEXT || n.type == GUMBO_NODE_WHITESPACE || n.type == GUMBO_NODE_CDATA) {
    out += n.v.text.text;
    return;
  }
  if (!IsElement(&n)) return;
  GumboTag tag = n.v.element.tag;
  if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_TEMPLATE) return;
  const bool block = IsBlock(n);
  if (block) out.push_back(' ');
  const GumboVector& kids = n.v.element.children;
  for (unsigned i = 0; i < kids.length; ++i) {
    CollectText(*static_cast<const GumboNode*>(kids.data[i]), out, depth + 1);
  }
  if (block) out.push_back(' ');
}

void EscapeInto(std::string& out, std::string_view text, bool attribute) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += attribute ? "<" : "&lt;"; break;
      case '>': out += attribute ? ">" : "&gt;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      default: out.push_back(c);
    }
  }
}

void Serialize(const GumboNode& n, std::string& out, int depth) {
  if (depth > 512) return;
  switch (n.type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_WHITESPACE:
      EscapeInto(out, n.v.text.text, false);
      return;
    case GUMBO_NODE_CDATA:
      out += n.v.text.text;
      return;
    case GUMBO_NODE_COMMENT:
      out += "<!--";
      out += n.v.text.text;
      out += "-->";
      return;
    case GUMBO_NODE_DOCUMENT:
      return;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
      break;
  }
  std::string_view name = TagName(n);
  out.push_back('<');
  out.append(name);
  const GumboVector& attrs = n.v.element.attributes;
  for (unsigned i = 0; i < attrs.length; ++i) {
    const auto* a = static_cast<const GumboAttribute*>(attrs.data[i]);
    out.push_back(' ');
    out += a->name;
    out += "=\"";
    EscapeInto(out, a->value, true);
    out.push_back('"');
  }
  out.push_back('>');
  const GumboVector& kids = n.v.element.children;
  for (unsigned i = 0; i < kids.length; ++i) {
    Serialize(*static_cast<const GumboNode*>(kids.data[i]), out, depth + 1);
  }
  static constexpr GumboTag kVoid[] = {GUMBO_TAG_AREA, GUMBO_TAG_BASE, GUMBO_TAG_BR, GUMBO_TAG_COL,
                                       GUMBO_TAG_EMBED, GUMBO_TAG_HR, GUMBO_TAG_IMG, GUMBO_TAG_INPUT,
                                       GUMBO_TAG_LINK, GUMBO_TAG_META, GUMBO_TAG_SOURCE,
                                       GUMBO_TAG_TRACK, GUMBO_TAG_WBR};
  if (std::find(std::begin(kVoid), std::end(kVoid), n.v.element.tag) == std::end(kVoid)) {
    out += "</";
    out.append(name);
    out.push_back('>');
  }
}

}  // namespace

std::string SelectorError::ToString() const {
  return "at column " + std::to_string(position + 1) + ": " + message;
}

Selector::Selector(std::string text, std::unique_ptr<Impl> impl)
    : text_(std::move(text)), impl_(std::move(impl)) {}
Selector::Selector(Selector&&) noexcept = default;
Selector& Selector::operator=(Selector&&) noexcept = default;
Selector::~Selector() = default;

std::expected<Selector, SelectorError> Selector::Parse(std::string_view text) {
  if (text.size() > kMaxSelectorLength) {
    return std::unexpected(SelectorError{kMaxSelectorLength, "selector longer than " +
                                                                 std::to_string(kMaxSelectorLength) +
                                                                 " characters"});
  }
  Parser parser(text);
  auto list = parser.ParseList(/*nested=*/false);
  if (!list) return std::unexpected(list.error());
  auto impl = std::make_unique<Impl>();
  impl->list = std::move(*list);
  return Selector(std::string(text), std::move(impl));
}

bool Selector::Matches(const GumboNode& element) const {
  if (!IsElement(&element)) return false;
  MatchContext context(nullptr);
  for (const Complex& c : impl_->list) {
    if (context.Match(element, c, c.compounds.size() - 1)) return true;
  }
  return false;
}

std::vector<const GumboNode*> Selector::SelectAll(const GumboNode& root, SelectStats* stats) const {
  std::vector<const GumboNode*> out;
  MatchContext context(stats);
  // Iterative pre-order walk: document order, and no recursion on hostile depth.
  std::vector<const GumboNode*> stack;
  auto push_children = [&](const GumboNode& n) {
    const GumboVector* kids = Children(&n);
    if (kids == nullptr) return;
    for (unsigned i = kids->length; i > 0; --i) stack.push_back(static_cast<const GumboNode*>(kids->data[i - 1]));
  };
  push_children(root);
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (!IsElement(n)) continue;
    for (const Complex& c : impl_->list) {
      if (context.Match(*n, c, c.compounds.size() - 1)) {
        out.push_back(n);
        break;
      }
    }
    push_children(*n);
  }
  return out;
}

const GumboNode* Selector::SelectFirst(const GumboNode& root) const {
  auto all = SelectAll(root);
  return all.empty() ? nullptr : all.front();
}

std::string ElementText(const GumboNode& element) {
  std::string raw;
  CollectText(element, raw, 0);
  return CleanInlineText(raw);
}

std::string OuterHtml(const GumboNode& element) {
  if (!IsElement(&element)) return {};
  const GumboStringPiece& open = element.v.element.original_tag;
  const GumboStringPiece& close = element.v.element.original_end_tag;
  if (open.length > 0 && close.length > 0 && close.data > open.data) {
    return std::string(open.data, static_cast<size_t>(close.data + close.length - open.data));
  }
  std::string out;
  Serialize(element, out, 0);
  return out;
}

}  // namespace jobtrawl::parsers
