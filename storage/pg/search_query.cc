#include "storage/pg/search_query.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace jobtrawl::storage::pg {
namespace {

// The weight of each column in postings_fts.document (schema.cc).
struct ColumnWeight {
  const char* column;
  char weight;
};
constexpr ColumnWeight kColumns[] = {
    {"title", 'A'}, {"company", 'B'}, {"location", 'C'}, {"description", 'D'}, {"skills", 'C'}};
constexpr unsigned kAllWeights = 0xF;  // A B C D

unsigned WeightBit(char w) { return 1u << (w - 'A'); }

struct Token {
  enum Kind { kWord, kString, kLParen, kRParen, kColon, kStar, kPlus, kCaret, kLBrace, kRBrace, kMinus,
              kAnd, kOr, kNot, kNear, kEnd };
  Kind kind;
  std::string text;
};

bool BarewordChar(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80 || c == 0x1a; }

std::string SyntaxError(std::string_view near) {
  return "fts5: syntax error near \"" + std::string(near) + "\"";
}

std::expected<std::vector<Token>, std::string> Lex(std::string_view q) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < q.size()) {
    const unsigned char c = static_cast<unsigned char>(q[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '"') {
      std::string s;
      ++i;
      bool closed = false;
      while (i < q.size()) {
        if (q[i] == '"') {
          if (i + 1 < q.size() && q[i + 1] == '"') {
            s += '"';
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        s += q[i++];
      }
      if (!closed) return std::unexpected("fts5: syntax error near \"\" (a string without its closing \")");
      out.push_back({Token::kString, std::move(s)});
      continue;
    }
    if (BarewordChar(c)) {
      std::size_t j = i;
      while (j < q.size() && BarewordChar(static_cast<unsigned char>(q[j]))) ++j;
      std::string w(q.substr(i, j - i));
      i = j;
      Token::Kind k = Token::kWord;
      if (w == "AND") k = Token::kAnd;
      if (w == "OR") k = Token::kOr;
      if (w == "NOT") k = Token::kNot;
      if (w == "NEAR") {
        std::size_t n = i;
        while (n < q.size() && q[n] == ' ') ++n;
        if (n < q.size() && q[n] == '(') k = Token::kNear;
      }
      out.push_back({k, std::move(w)});
      continue;
    }
    Token::Kind k;
    switch (c) {
      case '(': k = Token::kLParen; break;
      case ')': k = Token::kRParen; break;
      case ':': k = Token::kColon; break;
      case '*': k = Token::kStar; break;
      case '+': k = Token::kPlus; break;
      case '^': k = Token::kCaret; break;
      case '{': k = Token::kLBrace; break;
      case '}': k = Token::kRBrace; break;
      case '-': k = Token::kMinus; break;
      default: return std::unexpected(SyntaxError(q.substr(i, 1)));
    }
    out.push_back({k, std::string(1, static_cast<char>(c))});
    ++i;
  }
  out.push_back({Token::kEnd, ""});
  return out;
}

struct Node {
  enum Kind { kPhrase, kAnd, kOr, kNot };
  Kind kind;
  // kPhrase: its parts (a string or bareword each) and whether each is a prefix.
  std::vector<std::pair<std::string, bool>> parts;
  unsigned weights = kAllWeights;
  std::unique_ptr<Node> left, right;
};
using NodePtr = std::unique_ptr<Node>;

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  std::expected<NodePtr, std::string> Parse() {
    auto n = Or(kAllWeights);
    if (!n) return n;
    if (Peek().kind != Token::kEnd) return std::unexpected(SyntaxError(Peek().text));
    return n;
  }

 private:
  const Token& Peek(std::size_t ahead = 0) const { return t_[std::min(p_ + ahead, t_.size() - 1)]; }
  const Token& Next() { return t_[std::min(p_++, t_.size() - 1)]; }

  static NodePtr Binary(Node::Kind k, NodePtr l, NodePtr r) {
    auto n = std::make_unique<Node>();
    n->kind = k;
    n->left = std::move(l);
    n->right = std::move(r);
    return n;
  }

  std::expected<NodePtr, std::string> Or(unsigned weights) {
    auto l = And(weights);
    if (!l) return l;
    while (Peek().kind == Token::kOr) {
      Next();
      auto r = And(weights);
      if (!r) return r;
      l = Binary(Node::kOr, std::move(*l), std::move(*r));
    }
    return l;
  }

  // The start of a phrase, perhaps behind a column filter (FTS5's cnearset).
  bool StartsPhrase() const {
    const Token::Kind k = Peek().kind;
    return k == Token::kWord || k == Token::kString || k == Token::kLBrace || k == Token::kMinus ||
           k == Token::kCaret || k == Token::kNear;
  }

  std::expected<NodePtr, std::string> And(unsigned weights) {
    auto l = Not(weights);
    if (!l) return l;
    while (Peek().kind == Token::kAnd) {
      Next();
      auto r = Not(weights);
      if (!r) return r;
      l = Binary(Node::kAnd, std::move(*l), std::move(*r));
    }
    return l;
  }

  std::expected<NodePtr, std::string> Not(unsigned weights) {
    auto l = Atom(weights);
    if (!l) return l;
    while (Peek().kind == Token::kNot) {
      Next();
      auto r = Atom(weights);
      if (!r) return r;
      l = Binary(Node::kNot, std::move(*l), std::move(*r));
    }
    return l;
  }

  // A (group), col:(group), or a run of phrases joined by the implicit
  // AND. As in FTS5's grammar, only phrases join implicitly: "(a OR b) c"
  // and "a (b OR c)" are syntax errors, and "a NOT b c" is a NOT (b c).
  std::expected<NodePtr, std::string> Atom(unsigned weights) {
    const std::size_t start = p_;
    auto filter = ColumnFilter();
    if (!filter) return std::unexpected(filter.error());
    if (Peek().kind == Token::kLParen) {
      unsigned inner_weights = weights;
      if (*filter) inner_weights &= **filter;
      if (inner_weights == 0) return std::unexpected(std::string("column filters that leave no column to search"));
      Next();
      auto inner = Or(inner_weights);
      if (!inner) return inner;
      if (Peek().kind != Token::kRParen) return std::unexpected(SyntaxError(Peek().text));
      Next();
      return inner;
    }
    p_ = start;
    if (!StartsPhrase()) return std::unexpected(SyntaxError(Peek().text));
    auto l = Phrase(weights);
    if (!l) return l;
    while (StartsPhrase()) {
      auto r = Phrase(weights);
      if (!r) return r;
      l = Binary(Node::kAnd, std::move(*l), std::move(*r));
    }
    return l;
  }

  // The index of column `name` in kColumns (case-insensitive, as FTS5).
  static std::optional<std::size_t> ColumnIndex(std::string_view name) {
    for (std::size_t k = 0; k < std::size(kColumns); ++k) {
      std::string_view col = kColumns[k].column;
      if (col.size() != name.size()) continue;
      bool same = true;
      for (std::size_t i = 0; i < col.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(name[i])) != col[i]) same = false;
      }
      if (same) return k;
    }
    return std::nullopt;
  }

  // A column filter at the cursor: its weights, or nullopt when there is none.
  std::expected<std::optional<unsigned>, std::string> ColumnFilter() {
    std::size_t at = p_;
    bool negated = false;
    if (Peek().kind == Token::kMinus) {
      negated = true;
      ++at;
    }
    std::vector<std::string> names;
    std::size_t after;
    if (t_[at].kind == Token::kWord && t_[at + 1].kind == Token::kColon) {
      names.push_back(t_[at].text);
      after = at + 2;
    } else if (t_[at].kind == Token::kLBrace) {
      std::size_t j = at + 1;
      while (t_[j].kind == Token::kWord) names.push_back(t_[j++].text);
      if (t_[j].kind != Token::kRBrace || names.empty()) return std::unexpected(SyntaxError(t_[j].text));
      if (t_[j + 1].kind != Token::kColon) return std::unexpected(SyntaxError(t_[j + 1].text));
      after = j + 2;
    } else {
      if (negated) return std::unexpected(SyntaxError("-"));
      return std::optional<unsigned>();
    }
    bool named[std::size(kColumns)] = {};
    for (const std::string& n : names) {
      auto k = ColumnIndex(n);
      if (!k) return std::unexpected("no such column: " + n);
      named[*k] = true;
    }
    // -col: every column but those named.
    unsigned bits = 0;
    for (std::size_t k = 0; k < std::size(kColumns); ++k) {
      if (named[k] != negated) bits |= WeightBit(kColumns[k].weight);
    }
    p_ = after;
    return std::optional<unsigned>(bits);
  }

  std::expected<NodePtr, std::string> Phrase(unsigned weights) {
    auto filter = ColumnFilter();
    if (!filter) return std::unexpected(filter.error());
    if (*filter) {
      weights &= **filter;
      if (weights == 0) return std::unexpected(std::string("column filters that leave no column to search"));
    }
    const Token& t = Peek();
    if (t.kind == Token::kNear) {
      return std::unexpected(std::string("NEAR(...) is not supported on PostgreSQL; use a \"phrase\" or AND"));
    }
    if (t.kind == Token::kCaret) {
      return std::unexpected(std::string("^ (a match at the start of a column) is not supported on PostgreSQL"));
    }
    if (t.kind != Token::kWord && t.kind != Token::kString) return std::unexpected(SyntaxError(t.text));
    auto n = std::make_unique<Node>();
    n->kind = Node::kPhrase;
    n->weights = weights;
    while (true) {
      const Token& part = Next();
      if (part.kind != Token::kWord && part.kind != Token::kString) return std::unexpected(SyntaxError(part.text));
      bool prefix = false;
      if (Peek().kind == Token::kStar) {
        Next();
        prefix = true;
      }
      n->parts.emplace_back(part.text, prefix);
      if (Peek().kind != Token::kPlus) break;
      Next();
    }
    return n;
  }

  std::vector<Token> t_;
  std::size_t p_ = 0;
};

std::expected<NodePtr, std::string> ParseQuery(std::string_view query) {
  auto tokens = Lex(query);
  if (!tokens) return std::unexpected(tokens.error());
  if (tokens->size() == 1) return std::unexpected(std::string("empty search query"));
  return Parser(std::move(*tokens)).Parse();
}

// Appends `suffix` (":*", ":AB", ":*AB") to every lexeme of a tsquery text,
// and ":*" to the last one only when `prefix`.
std::string WithSuffix(std::string_view tsquery, std::string_view weights, bool prefix) {
  std::vector<std::pair<std::size_t, std::size_t>> lexemes;  // [begin, end) of each quoted lexeme
  std::size_t i = 0;
  while (i < tsquery.size()) {
    if (tsquery[i] != '\'') {
      ++i;
      continue;
    }
    const std::size_t begin = i++;
    while (i < tsquery.size()) {
      if (tsquery[i] == '\\' && i + 1 < tsquery.size()) {
        i += 2;
      } else if (tsquery[i] == '\'') {
        if (i + 1 < tsquery.size() && tsquery[i + 1] == '\'') {
          i += 2;
        } else {
          ++i;
          break;
        }
      } else {
        ++i;
      }
    }
    lexemes.emplace_back(begin, i);
  }
  std::string out;
  std::size_t copied = 0;
  for (std::size_t k = 0; k < lexemes.size(); ++k) {
    out.append(tsquery.substr(copied, lexemes[k].second - copied));
    copied = lexemes[k].second;
    const bool star = prefix && k + 1 == lexemes.size();
    if (star || !weights.empty()) out += ":" + std::string(star ? "*" : "") + std::string(weights);
  }
  out.append(tsquery.substr(copied));
  return out;
}

std::expected<std::string, jobtrawl::Error> Emit(const Node& n, const PhraseLexer& lexer) {
  if (n.kind == Node::kPhrase) {
    std::string weights;
    if (n.weights != kAllWeights) {
      for (char w = 'A'; w <= 'D'; ++w) {
        if (n.weights & WeightBit(w)) weights += w;
      }
    }
    std::string out;
    for (const auto& [text, prefix] : n.parts) {
      auto lexemes = lexer(text);
      if (!lexemes) return std::unexpected(lexemes.error());
      if (lexemes->empty()) {
        return std::unexpected(jobtrawl::Error::InvalidArgument("the phrase \"" + text + "\" has no word to search for"));
      }
      if (!out.empty()) out += " <-> ";
      out += WithSuffix(*lexemes, weights, prefix);
    }
    return "(" + out + ")";
  }
  auto l = Emit(*n.left, lexer);
  if (!l) return l;
  auto r = Emit(*n.right, lexer);
  if (!r) return r;
  if (n.kind == Node::kAnd) return "(" + *l + " & " + *r + ")";
  if (n.kind == Node::kOr) return "(" + *l + " | " + *r + ")";
  return "(" + *l + " & !" + *r + ")";
}

}  // namespace

std::expected<std::string, jobtrawl::Error> TranslateSearchQuery(std::string_view query, const PhraseLexer& lexer) {
  auto tree = ParseQuery(query);
  if (!tree) return std::unexpected(jobtrawl::Error::InvalidArgument(tree.error()));
  return Emit(**tree, lexer);
}

std::string CheckPgSearchQuery(std::string_view query) {
  auto tree = ParseQuery(query);
  return tree ? std::string() : tree.error();
}

}  // namespace jobtrawl::storage::pg
