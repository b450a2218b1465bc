#include "parsers/lenient_json.h"

#include <boost/json/stream_parser.hpp>
#include <string>

#include "model/ascii.h"
#include "parsers/html_text.h"

namespace jobtrawl::parsers {
namespace {

namespace json = boost::json;

void Trim(std::string_view& s) {
  s = ascii::TrimRight(ascii::TrimLeft(s), [](char c) { return ascii::IsSpace(c) || c == ';'; });
}

// Removes the wrappers CMSs put around script content.
std::string_view Unwrap(std::string_view s) {
  static constexpr std::string_view kPrefixes[] = {"//<![CDATA[", "<![CDATA[", "<!--"};
  static constexpr std::string_view kSuffixes[] = {"//]]>", "]]>", "//-->", "-->"};
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);  // a byte order mark
  Trim(s);
  for (bool changed = true; changed;) {
    changed = false;
    for (auto p : kPrefixes) {
      if (s.starts_with(p)) {
        s.remove_prefix(p.size());
        Trim(s);
        changed = true;
      }
    }
    for (auto p : kSuffixes) {
      if (s.ends_with(p)) {
        s.remove_suffix(p.size());
        Trim(s);
        changed = true;
      }
    }
  }
  return s;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of the four hex digits at `at`, or -1; `digits` is how
// many hex digits stand there (up to four).
int CodeUnit(std::string_view text, size_t at, size_t* digits = nullptr) {
  int unit = 0;
  size_t n = 0;
  for (; n < 4 && at + n < text.size(); ++n) {
    const int d = HexDigit(text[at + n]);
    if (d < 0) break;
    unit = unit * 16 + d;
  }
  if (digits != nullptr) *digits = n;
  return n == 4 ? unit : -1;
}

bool IsHighSurrogate(int unit) { return unit >= 0xD800 && unit <= 0xDBFF; }
bool IsLowSurrogate(int unit) { return unit >= 0xDC00 && unit <= 0xDFFF; }

// `text` with each \u escape that is no character as \ufffd: a lone
// UTF-16 surrogate ("\ud800", an emoji cut after its first half "\ud83d",
// a second half alone "\udc00") or an escape cut short ("\ud8"). RFC 8259
// §8.2 lets JSON text hold lone surrogates, and APIs that cut text at a
// UTF-16 boundary write them; Boost.JSON refuses the whole text for one
// (Boost 1.81's parse_options have no switch for it), which lost every
// posting of a board's page for one character. nullopt when there is none:
// one scan, and a copy only for a text that needs it.
std::optional<std::string> WithoutLoneSurrogates(std::string_view text) {
  std::optional<std::string> out;
  size_t copied = 0;
  for (size_t i = text.find('\\'); i != std::string_view::npos && i + 1 < text.size();) {
    // A backslash escapes the character after it: "\\ud800" is no \u escape.
    if (text[i + 1] != 'u') {
      i = text.find('\\', i + 2);
      continue;
    }
    size_t digits = 0;
    const int unit = CodeUnit(text, i + 2, &digits);
    size_t length = 6;  // of the escape
    if (unit < 0) {
      length = 2 + digits;
    } else if (IsHighSurrogate(unit)) {
      if (text.substr(i + 6, 2) == "\\u" && IsLowSurrogate(CodeUnit(text, i + 8))) {
        i = text.find('\\', i + 12);  // a pair: one character
        continue;
      }
    } else if (!IsLowSurrogate(unit)) {
      i = text.find('\\', i + 6);
      continue;
    }
    if (!out) out.emplace().reserve(text.size() + 4);
    out->append(text.substr(copied, i - copied));
    out->append("\\ufffd");
    copied = i + length;
    i = text.find('\\', copied);
  }
  if (out) out->append(text.substr(copied));
  return out;
}

// Parses one or more JSON values written back to back. Empty on any error.
std::optional<json::value> ParseValues(std::string_view text) {
  const std::optional<std::string> replaced = WithoutLoneSurrogates(text);
  if (replaced) text = *replaced;
  json::parse_options opt;
  opt.allow_comments = true;
  opt.allow_trailing_commas = true;
  opt.allow_invalid_utf8 = true;
  opt.max_depth = 128;
  json::stream_parser p({}, opt);
  json::array values;
  boost::system::error_code ec;
  while (true) {
    while (!text.empty() && (ascii::IsSpace(text.front()) || text.front() == ';' || text.front() == ','))
      text.remove_prefix(1);
    if (text.empty()) break;
    p.reset();
    size_t used = p.write_some(text.data(), text.size(), ec);
    if (ec) return std::nullopt;
    // A number at the very end is only complete once the parser is told so.
    if (!p.done()) {
      p.finish(ec);
      if (ec) return std::nullopt;
    }
    values.push_back(p.release());
    text.remove_prefix(used);
  }
  if (values.empty()) return std::nullopt;
  if (values.size() == 1) return std::move(values[0]);
  return json::value(std::move(values));
}

// Escapes raw control characters inside strings and drops backslashes
// before characters JSON cannot escape ("\'" -> "'").
std::string RepairStrings(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (!in_string) {
      if (c == '"') in_string = true;
      out.push_back(c);
      continue;
    }
    if (c == '\\') {
      char next = i + 1 < text.size() ? text[i + 1] : '\0';
      static constexpr std::string_view kEscapable = "\"\\/bfnrtu";
      if (next != '\0' && kEscapable.find(next) != std::string_view::npos) {
        out.push_back(c);
        out.push_back(next);
        ++i;
      }
      // else: drop the stray backslash; the next character is kept as is.
      continue;
    }
    if (c == '"') {
      in_string = false;
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      switch (c) {
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: out += ' '; break;
      }
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool IsIdentifierStart(char c) {
  return ascii::IsAlpha(c) || c == '_' || c == '$';
}

// A JavaScript object literal as JSON: unquoted keys quoted, '...' and
// `...` strings made "...", undefined/NaN/Infinity null, comments dropped.
std::string JsLiteralToJson(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '"' || c == '\'' || c == '`') {
      // One string, or several joined with "+" as util.inspect writes long ones.
      out.push_back('"');
      while (true) {
        const char quote = text[i];
        for (++i; i < text.size() && text[i] != quote; ++i) {
          char ch = text[i];
          if (ch == '\\' && i + 1 < text.size()) {
            char next = text[++i];
            if (next == '\'' || next == '`') {
              out.push_back(next);
            } else if (next != '\n') {  // an escaped line break continues the line
              out.push_back('\\');
              out.push_back(next);
            }
          } else if (ch == '"') {
            out += "\\\"";
          } else if (ch == '\n') {
            out += "\\n";
          } else if (ch == '\r') {
            out += "\\r";
          } else if (ch == '\t') {
            out += "\\t";
          } else {
            out.push_back(ch);
          }
        }
        ++i;
        size_t k = i;
        while (k < text.size() && ascii::IsSpace(text[k])) ++k;
        if (k >= text.size() || text[k] != '+') break;
        ++k;
        while (k < text.size() && ascii::IsSpace(text[k])) ++k;
        if (k >= text.size() || (text[k] != '"' && text[k] != '\'' && text[k] != '`')) break;
        i = k;
      }
      out.push_back('"');
    } else if (c == '/' && i + 1 < text.size() && (text[i + 1] == '/' || text[i + 1] == '*')) {
      size_t end = text[i + 1] == '/' ? text.find('\n', i) : text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : end + (text[i + 1] == '/' ? 0 : 2);
    } else if (IsIdentifierStart(c)) {
      size_t j = i;
      while (j < text.size() && (IsIdentifierStart(text[j]) || (text[j] >= '0' && text[j] <= '9'))) ++j;
      std::string_view word = text.substr(i, j - i);
      size_t k = j;
      while (k < text.size() && ascii::IsSpace(text[k])) ++k;
      if (k < text.size() && text[k] == ':') {
        out += '"';
        out += word;
        out += '"';
      } else if (word == "undefined" || word == "NaN" || word == "Infinity") {
        out += "null";
      } else {
        out += word;
      }
      i = j;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

}  // namespace

std::optional<json::value> ParseLenientJson(std::string_view text) {
  try {
    std::string_view body = Unwrap(text);
    if (body.empty()) return std::nullopt;
    if (auto v = ParseValues(body)) return v;
    std::string repaired = RepairStrings(body);
    if (auto v = ParseValues(repaired)) return v;
    // The whole block was entity-escaped (&quot;@type&quot;: ...).
    if (body.find('&') != std::string_view::npos) {
      std::string decoded = RepairStrings(DecodeEntities(body));
      if (auto v = ParseValues(decoded)) return v;
    }
    // A JavaScript object literal (window.__DATA__ = {...}, saved JS modules).
    if (auto v = ParseValues(JsLiteralToJson(body))) return v;
  } catch (const std::exception&) {
    // Allocation failure on hostile input; treated as unreadable.
  }
  return std::nullopt;
}

}  // namespace jobtrawl::parsers
