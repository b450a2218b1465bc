#include "normalize/text.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

#include "model/ascii.h"
#include "normalize/tables.h"

namespace jobtrawl::normalize {
namespace {

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

// utf8proc_map with `options`; nullopt-like empty result flagged by `ok`.
std::string Map(std::string_view text, int options, bool& ok) {
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                    static_cast<utf8proc_ssize_t>(text.size()), &out,
                                    static_cast<utf8proc_option_t>(options));
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owned(out);
  ok = n >= 0;
  if (!ok) return {};
  return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

// Code points dropped from text: zero-width and other invisible format
// characters, the BOM, soft hyphens, and controls other than line breaks.
bool Invisible(utf8proc_int32_t cp) {
  if (cp == 0xAD || cp == 0xFEFF || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 ||
      cp == 0x180E || (cp >= 0x200E && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
      (cp >= 0x2066 && cp <= 0x2069))
    return true;
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_CC && cp != '\n' && cp != '\t' && cp != '\r';
}

bool IsWhite(utf8proc_int32_t cp) {
  const auto cat = utf8proc_category(cp);
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
         cat == UTF8PROC_CATEGORY_ZS || cp == 0x2028 || cp == 0x2029;
}

void Append(std::string& out, utf8proc_int32_t cp) {
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

}  // namespace

// True when NFC could change `text`: it holds a combining mark or a
// conjoining Hangul jamo. Text of precomposed characters is left as it is.
bool MayNeedNfc(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                          static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (n <= 0) return true;
    i += static_cast<size_t>(n);
    if (utf8proc_get_property(cp)->combining_class != 0 || (cp >= 0x1100 && cp <= 0x11FF)) return true;
    const auto cat = utf8proc_category(cp);
    if (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) return true;
  }
  return false;
}

std::string CleanText(std::string_view text, bool keep_lines) {
  bool ok = false;
  std::string nfc = MayNeedNfc(text) ? Map(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE, ok) : std::string();
  std::string_view in = ok ? std::string_view(nfc) : text;
  std::string out;
  out.reserve(in.size());
  int pending_space = 0;  // 0 none, 1 space, 2 line break, 3 blank line
  int newlines = 0;
  size_t indent = 0;      // with keep_lines: spaces opening a line (Markdown list nesting)
  size_t i = 0;
  auto flush_space = [&] {
    if (!out.empty()) {
      if (pending_space == 1) out.push_back(' ');
      if (pending_space == 2) out.push_back('\n');
      if (pending_space == 3) out.append("\n\n");
      if (pending_space >= 2) out.append(indent, ' ');
    }
    pending_space = 0;
    newlines = 0;
    indent = 0;
  };
  while (i < in.size()) {
    // Printable ASCII, most of the text, straight through.
    if (const unsigned char b = static_cast<unsigned char>(in[i]); b > 0x20 && b < 0x7F) {
      flush_space();
      out.push_back(static_cast<char>(b));
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(in.data() + i),
                                          static_cast<utf8proc_ssize_t>(in.size() - i), &cp);
    if (n <= 0) {  // invalid byte: kept as it is (parsers made text valid UTF-8 already)
      cp = static_cast<unsigned char>(in[i]);
      n = 1;
      out.append(std::string(static_cast<size_t>(pending_space > 0 && !out.empty() ? 1 : 0), ' '));
      pending_space = 0;
      out.push_back(in[i]);
      i += 1;
      continue;
    }
    i += static_cast<size_t>(n);
    if (cp == '\n' && keep_lines) {
      ++newlines;
      pending_space = std::max(pending_space, newlines >= 2 ? 3 : 2);
      indent = 0;
      continue;
    }
    if (cp == ' ' && keep_lines && pending_space >= 2) {
      ++indent;
      continue;
    }
    if (IsWhite(cp)) {
      pending_space = std::max(pending_space, 1);
      continue;
    }
    if (Invisible(cp)) continue;
    flush_space();
    Append(out, cp);
  }
  return out;
}

std::string Fold(std::string_view text, std::string_view keep) {
  // ASCII, most of any posting, is folded byte by byte; each other
  // character through utf8proc on its own (NFKC case fold, marks stripped).
  bool keep_table[128] = {};
  for (char k : keep) {
    if (static_cast<unsigned char>(k) < 128) keep_table[static_cast<unsigned char>(k)] = true;
  }
  std::string out;
  out.reserve(text.size());
  bool space = false;
  auto emit_ascii = [&](char c) {
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  };
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      ++i;
      if (ascii::IsLower(static_cast<char>(b)) || ascii::IsDigit(static_cast<char>(b)) || keep_table[b]) {
        emit_ascii(static_cast<char>(b));
      } else if (ascii::IsUpper(static_cast<char>(b))) {
        emit_ascii(static_cast<char>(b - 'A' + 'a'));
      } else {
        space = !out.empty();
      }
      continue;
    }
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                          static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (n <= 0) {
      ++i;
      continue;
    }
    i += static_cast<size_t>(n);
    utf8proc_int32_t decomposed[16];
    int boundclass = UTF8PROC_BOUNDCLASS_START;
    utf8proc_ssize_t count = utf8proc_decompose_char(
        cp, decomposed, 16,
        static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                       UTF8PROC_STRIPMARK | UTF8PROC_IGNORE),
        &boundclass);
    if (count < 0 || count > 16) continue;
    for (utf8proc_ssize_t k = 0; k < count; ++k) {
      const utf8proc_int32_t c = decomposed[k];
      const auto cat = utf8proc_category(c);
      if (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) continue;  // marks: stripped
      const bool word = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                        (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO) ||
                        (c < 0x80 && keep_table[c]);
      if (!word) {
        space = !out.empty();
        continue;
      }
      if (space) out.push_back(' ');
      space = false;
      if (c < 0x80) {
        out.push_back(ascii::ToLower(static_cast<char>(c)));
      } else {
        Append(out, c);
      }
    }
  }
  return out;
}

std::vector<std::string_view> Words(std::string_view folded) {
  std::vector<std::string_view> words;
  while (!folded.empty()) {
    size_t space = folded.find(' ');
    if (space != 0) words.push_back(folded.substr(0, space));
    if (space == std::string_view::npos) break;
    folded.remove_prefix(space + 1);
  }
  return words;
}

std::string CompanyKey(std::string_view company) {
  // Qualifiers go: "(Hong Kong)", "(YC W21)", and a " - Hudson WI" suffix.
  // One pass: erasing each group in place was quadratic in "()()()...".
  std::string name;
  name.reserve(company.size());
  for (size_t i = 0; i < company.size();) {
    if (company[i] != '(') {
      name.push_back(company[i++]);
      continue;
    }
    size_t close = company.find(')', i);
    i = close == std::string_view::npos ? company.size() : close + 1;
  }
  for (std::string_view sep : {" - ", " | ", " – "}) {
    if (size_t at = name.find(sep); at != std::string::npos && at > 0) name.erase(at);
  }
  // Dots of abbreviations and legal forms go ("U.S.A.", "Inc."), those of
  // domain names stay ("Cypress.io"); apostrophes go ("Hubbard's").
  std::string plain;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '\'') continue;
    if (c == '.') {
      const bool at_end = i + 1 >= name.size() || name[i + 1] == ' ' || name[i + 1] == ',';
      const bool after_initial = i >= 1 && ascii::IsAlpha(name[i - 1]) &&
                                 (i == 1 || !ascii::IsAlnum(name[i - 2]));
      if (at_end || after_initial) continue;
    }
    plain.push_back(c);
  }
  std::string key = Fold(plain, "&.");
  auto words = Words(key);
  size_t begin = 0, end = words.size();
  if (end - begin > 1 && words[begin] == "the") ++begin;
  // Trailing legal forms, longest first ("pvt ltd" before "ltd"), while a name remains.
  const auto& suffixes = Tables::Get().legal_suffixes;
  for (bool dropped = true; dropped && end - begin > 1;) {
    dropped = false;
    for (size_t n = std::min<size_t>(4, end - begin - 1); n >= 1 && !dropped; --n) {
      std::string tail;
      for (size_t k = end - n; k < end; ++k) AppendJoined(tail, words[k], " ");
      if (suffixes.contains(tail)) {
        end -= n;
        dropped = true;
      }
    }
    if (!dropped && end - begin > 1 && words[end - 1] == "&") {
      --end;
      dropped = true;
    }
  }
  std::string out;
  for (size_t k = begin; k < end; ++k) AppendJoined(out, words[k], " ");
  return out;
}

}  // namespace jobtrawl::normalize
