// ASCII character classes, case and trimming: the one set every module uses.
//
// Locale-free and byte-wise: a byte >= 0x80 (any part of a UTF-8 sequence)
// is never a letter, digit or space here, and case mapping leaves it as is.
// All functions are pure and thread-safe. Terms follow the WHATWG Infra
// standard (https://infra.spec.whatwg.org/#ascii-code-point): "ASCII
// whitespace" is TAB, LF, FF, CR and SPACE; HTTP's optional white space
// (RFC 9110 §5.6.3) is SPACE and TAB only, `IsBlank`.
#ifndef JOBTRAWL_MODEL_ASCII_H_
#define JOBTRAWL_MODEL_ASCII_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace jobtrawl::ascii {

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool IsAlpha(char c) { return IsUpper(c) || IsLower(c); }
constexpr bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
constexpr bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// WHATWG ASCII whitespace: TAB, LF, FF, CR, SPACE. (Not VT, as in HTML.)
constexpr bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }
// SPACE or TAB: HTTP's OWS, robots.txt's and TOML's blanks.
constexpr bool IsBlank(char c) { return c == ' ' || c == '\t'; }
// True for bytes 0x00-0x7F.
constexpr bool IsAscii(char c) { return static_cast<unsigned char>(c) < 0x80; }

constexpr char ToLower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr char ToUpper(char c) { return IsLower(c) ? static_cast<char>(c - 'a' + 'A') : c; }

// A copy with A-Z mapped to a-z; other bytes unchanged.
inline std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToLower(c);
  return out;
}
inline std::string ToUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToUpper(c);
  return out;
}
inline void LowerInPlace(std::string& s) {
  for (char& c : s) c = ToLower(c);
}

constexpr bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ToLower(a[i]) != ToLower(b[i])) return false;
  }
  return true;
}
constexpr bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}
constexpr bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsIgnoreCase(s.substr(s.size() - suffix.size()), suffix);
}
// Position of the first match of `needle` in `s` at or after `from`,
// ignoring ASCII case; npos when absent. An empty needle matches at `from`.
//
// At run time a needle of two or more bytes is found by the SIMD filter of
// Muła ("SIMD-friendly algorithms for substring searching", 2016): sixteen
// positions at a time are kept only where both the needle's first and last
// bytes match in either case, and only those are compared in full. Scanning
// a page for "<script" then costs a pass over its bytes, not a library call
// per '<'. In constant evaluation the plain loop below runs.
namespace detail {
constexpr std::size_t FindIgnoreCaseLoop(std::string_view s, std::string_view needle, std::size_t from) {
  const char both[2] = {ToLower(needle[0]), ToUpper(needle[0])};
  const std::string_view firsts(both, both[0] == both[1] ? 1 : 2);
  for (std::size_t i = s.find_first_of(firsts, from); i != std::string_view::npos && i + needle.size() <= s.size();
       i = s.find_first_of(firsts, i + 1)) {
    if (EqualsIgnoreCase(s.substr(i + 1, needle.size() - 1), needle.substr(1))) return i;
  }
  return std::string_view::npos;
}
// The run-time search (model/ascii.cc); same contract, needle.size() >= 2
// and from + needle.size() <= s.size().
std::size_t FindIgnoreCaseScan(std::string_view s, std::string_view needle, std::size_t from) noexcept;
}  // namespace detail

constexpr std::size_t FindIgnoreCase(std::string_view s, std::string_view needle, std::size_t from = 0) {
  if (needle.size() > s.size() || from > s.size() - needle.size()) return std::string_view::npos;
  if (needle.empty()) return from;
  if consteval {
    return detail::FindIgnoreCaseLoop(s, needle, from);
  } else {
    if (needle.size() == 1) return detail::FindIgnoreCaseLoop(s, needle, from);
    return detail::FindIgnoreCaseScan(s, needle, from);
  }
}
constexpr bool ContainsIgnoreCase(std::string_view s, std::string_view needle) {
  return FindIgnoreCase(s, needle) != std::string_view::npos;
}

// `s` without leading/trailing bytes for which `is_trimmed` holds
// (default: ASCII whitespace).
template <typename Pred = bool (*)(char)>
constexpr std::string_view TrimLeft(std::string_view s, Pred is_trimmed = IsSpace) {
  std::size_t i = 0;
  while (i < s.size() && is_trimmed(s[i])) ++i;
  return s.substr(i);
}
template <typename Pred = bool (*)(char)>
constexpr std::string_view TrimRight(std::string_view s, Pred is_trimmed = IsSpace) {
  std::size_t n = s.size();
  while (n > 0 && is_trimmed(s[n - 1])) --n;
  return s.substr(0, n);
}
template <typename Pred = bool (*)(char)>
constexpr std::string_view Trim(std::string_view s, Pred is_trimmed = IsSpace) {
  return TrimRight(TrimLeft(s, is_trimmed), is_trimmed);
}

}  // namespace jobtrawl::ascii

#endif  // JOBTRAWL_MODEL_ASCII_H_
