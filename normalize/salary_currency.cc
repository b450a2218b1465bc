// The salary reader's currency signs and codes: finding them beside an
// amount, and resolving them to an ISO 4217 code for the posting's country.

#include "normalize/salary_parts.h"

#include <algorithm>
#include <array>
#include <vector>

#include "model/ascii.h"
#include "normalize/tables.h"

namespace jobtrawl::normalize::salary_detail {
namespace {

// Currency tokens, longest first: the symbol table's and ISO codes.
const std::vector<std::string>& CurrencyTokens() {
  static const std::vector<std::string> kTokens = [] {
    std::vector<std::string> tokens;
    const Tables& t = Tables::Get();
    for (const auto& [token, codes] : t.currency_symbols) tokens.push_back(token);
    for (const auto& code : t.currency_codes) tokens.push_back(code);
    std::sort(tokens.begin(), tokens.end(), [](const auto& a, const auto& b) {
      return a.size() != b.size() ? a.size() > b.size() : a < b;
    });
    tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
    return tokens;
  }();
  return kTokens;
}

const std::vector<CurrencyToken>& CurrencyTokenInfo() {
  static const std::vector<CurrencyToken> kInfo = [] {
    std::vector<CurrencyToken> info;
    for (const std::string& token : CurrencyTokens()) {
      // "SR" is the riyal, "Sr" a senior: capitals match only capitals. A
      // sign of one or two letters matches only as written ("Ks" the kyat,
      // "KS" Kansas; "Sh" the shilling, "SH" no money): the table lists the
      // spellings boards use.
      const bool capitals = token.size() >= 2 && std::all_of(token.begin(), token.end(), [](char c) {
                              return ascii::IsUpper(c) || !ascii::IsAlpha(c);
                            }) && ascii::IsAlpha(token.front());
      const bool short_word = token.size() <= 2 && std::all_of(token.begin(), token.end(), ascii::IsAscii);
      info.push_back({token, IsIsoCode(token) || capitals || short_word,
                      ascii::IsAlpha(token.front()) || ascii::IsAlpha(token.back()),
                      token.size() == 1 && ascii::IsAlpha(token.front()),
                      !ascii::IsAscii(token.front()) && LetterAt(token, 0)});
    }
    return info;
  }();
  return kInfo;
}

// Tokens made of letters must stand alone: "USD" not inside "USDT"; ISO
// codes and signs written in capitals only in capitals.
bool TokenMatchesAt(std::string_view text, size_t at, const CurrencyToken& t) {
  const std::string_view token = t.text;
  if (at + token.size() > text.size()) return false;
  if (ascii::ToLower(text[at]) != ascii::ToLower(token.front())) return false;
  const bool alphabetic = t.alphabetic;
  if (t.exact_case || !alphabetic) {
    if (text.compare(at, token.size(), token) != 0) return false;
  } else if (!ascii::StartsWithIgnoreCase(text.substr(at), token)) {
    return false;
  }
  // Nor is a word of another script the end of a longer word ("\ud68c\uc6d0" a
  // member, "\uc9c1\uc6d0" staff: not the won).
  if (t.script && at > 0) {
    size_t previous = at - 1;
    while (previous > 0 && (text[previous] & 0xC0) == 0x80) --previous;
    if (LetterAt(text, previous)) return false;
  }
  if (alphabetic) {
    if (at > 0 && IsLetterByte(text[at - 1]) && ascii::IsAlpha(token.front())) return false;
    // "5K 10K": the K after a number is its multiplier, never the next one's sign.
    if (t.letter && at > 0 && ascii::IsDigit(text[at - 1])) return false;
    size_t after = at + token.size();
    if (after < text.size() && IsLetterByte(text[after]) && ascii::IsAlpha(token.back())) return false;
  }
  return true;
}

// The tokens by their first and by their last byte in lower case, each
// list in the tokens' order (longest first): a number is tried only
// against the tokens that can start right after it or end right before it.
struct TokensByByte {
  std::array<std::vector<const CurrencyToken*>, 256> first, last;
};

const TokensByByte& TokenIndex() {
  static const TokensByByte kIndex = [] {
    TokensByByte index;
    for (const CurrencyToken& token : CurrencyTokenInfo()) {
      index.first[static_cast<unsigned char>(ascii::ToLower(token.text.front()))].push_back(&token);
      index.last[static_cast<unsigned char>(ascii::ToLower(token.text.back()))].push_back(&token);
    }
    return index;
  }();
  return kIndex;
}

}  // namespace

bool IsIsoCode(std::string_view token) {
  return token.size() == 3 && Tables::Get().currency_codes.contains(std::string(token));
}

// The currency token ending right before `end` (spaces skipped), or empty.
std::string CurrencyBefore(std::string_view text, size_t end, size_t& begin) {
  while (end > 0 && text[end - 1] == ' ') --end;
  if (end == 0) return {};
  for (const CurrencyToken* t : TokenIndex().last[static_cast<unsigned char>(ascii::ToLower(text[end - 1]))]) {
    const CurrencyToken& token = *t;
    if (token.text.size() > end) continue;
    if (TokenMatchesAt(text, end - token.text.size(), token)) {
      begin = end - token.text.size();
      return token.text;
    }
  }
  return {};
}

// The currency token starting at `at` (spaces skipped), or empty. A sign
// of one letter stands before its amount (CLDR's patterns for the
// countries that write R, K, L or Q); after a number a letter is a unit, a
// multiplier or a grade ("5 L" of lakh, "50 K", "Level 3 Q").
std::string CurrencyAfter(std::string_view text, size_t at, size_t& end) {
  while (at < text.size() && text[at] == ' ') ++at;
  if (at == text.size()) return {};
  for (const CurrencyToken* t : TokenIndex().first[static_cast<unsigned char>(ascii::ToLower(text[at]))]) {
    const CurrencyToken& token = *t;
    if (!token.letter && TokenMatchesAt(text, at, token)) {
      end = at + token.text.size();
      return token.text;
    }
  }
  return {};
}

// A symbol several currencies share ("$", "kr", "¥").
bool Ambiguous(const std::string& token) {
  const auto& symbols = Tables::Get().currency_symbols;
  auto it = symbols.find(token);
  return it != symbols.end() && it->second.size() > 1;
}

// The currency token starting right at `at`, whatever stands before it: a
// multiplier it is written against ("45k\u20ac", "45kCHF", "60 TEUR"), or
// empty.
std::string CurrencyAt(std::string_view text, size_t at, size_t& end) {
  const std::string_view rest = text.substr(at);
  for (const CurrencyToken& token : CurrencyTokenInfo()) {
    if (!token.letter && TokenMatchesAt(rest, 0, token)) {
      end = at + token.text.size();
      return token.text;
    }
  }
  return {};
}

// The currency token of letters ending right at `end` ("R" of "R40,000"),
// or nullptr.
const CurrencyToken* LetterCurrencyEndingAt(std::string_view text, size_t end) {
  if (end == 0 || end > text.size()) return nullptr;
  for (const CurrencyToken* t : TokenIndex().last[static_cast<unsigned char>(ascii::ToLower(text[end - 1]))]) {
    const CurrencyToken& token = *t;
    if (token.alphabetic && token.text.size() <= end && TokenMatchesAt(text, end - token.text.size(), token)) {
      return &token;
    }
  }
  return nullptr;
}

// A sign of one or two ASCII letters ("TL", "Q", "K"), which is an
// abbreviation as often as money.
bool ShortLetterSign(std::string_view token) {
  return !token.empty() && token.size() <= 2 && std::all_of(token.begin(), token.end(), ascii::IsAlpha);
}

// A sign only some countries write money with ("VT", "KM", "R"), on a
// board of none of them.
bool ForeignLocalSign(const std::string& token, std::string_view country) {
  const auto& where = Tables::Get().currency_symbol_countries;
  auto it = where.find(token);
  return it != where.end() && std::find(it->second.begin(), it->second.end(), country) == it->second.end();
}

// A sign only some countries write money with, on a board of one of them
// ("RM" in Malaysia).
bool LocalSignOf(const std::string& token, std::string_view country) {
  const auto& where = Tables::Get().currency_symbol_countries;
  auto it = where.find(token);
  return it != where.end() && std::find(it->second.begin(), it->second.end(), country) != it->second.end();
}

// Does a sign of money that counts on a board of `country` follow `at`?
bool SignAfter(std::string_view t, size_t at, std::string_view country) {
  size_t end = 0;
  const std::string sign = CurrencyAfter(t, at, end);
  return !sign.empty() && !ForeignLocalSign(sign, country);
}

// A currency token as an ISO code: the posting's country picks among the
// currencies a symbol may mean; otherwise the first, as a guess.
std::optional<std::string> ResolveCurrency(std::string_view token, std::string_view country, bool& guessed) {
  const Tables& t = Tables::Get();
  guessed = false;
  if (IsIsoCode(token)) return std::string(token);
  auto it = t.currency_symbols.find(std::string(token));
  if (it == t.currency_symbols.end()) {
    // Words match in any case ("Dollars").
    std::string lower;
    for (char c : token) lower.push_back(ascii::ToLower(c));
    it = t.currency_symbols.find(lower);
  }
  if (it == t.currency_symbols.end() || it->second.empty()) return std::nullopt;
  const auto& options = it->second;
  // A sign only some countries write money with ("VT", "KM", "TL", "R")
  // is decided on their boards only; elsewhere it is at most a guess.
  if (ForeignLocalSign(it->first, country)) {
    guessed = true;
    return options.front();
  }
  if (options.size() == 1) return options.front();
  if (auto c = t.countries.find(std::string(country)); c != t.countries.end()) {
    if (std::find(options.begin(), options.end(), c->second.currency) != options.end()) return c->second.currency;
  }
  guessed = true;
  return options.front();
}

}  // namespace jobtrawl::normalize::salary_detail
