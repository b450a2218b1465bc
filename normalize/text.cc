#include "normalize/text.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

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

std::string CleanText(std::string_view text, bool keep_lines) {
  bool ok = false;
  std::string nfc = Map(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE, ok);
  std::string_view in = ok ? std::string_view(nfc) : text;
  std::string out;
  out.reserve(in.size());
  int pending_space = 0;  // 0 none, 1 space, 2 line break, 3 blank line
  int newlines = 0;
  size_t i = 0;
  while (i < in.size()) {
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
      continue;
    }
    if (IsWhite(cp)) {
      pending_space = std::max(pending_space, 1);
      continue;
    }
    if (Invisible(cp)) continue;
    if (!out.empty()) {
      if (pending_space == 1) out.push_back(' ');
      if (pending_space == 2) out.push_back('\n');
      if (pending_space == 3) out.append("\n\n");
    }
    pending_space = 0;
    newlines = 0;
    Append(out, cp);
  }
  return out;
}

std::string Fold(std::string_view text, std::string_view keep) {
  bool ok = false;
  std::string folded = Map(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                     UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE,
                           ok);
  std::string_view in = ok ? std::string_view(folded) : text;
  std::string out;
  out.reserve(in.size());
  bool space = false;
  size_t i = 0;
  while (i < in.size()) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(in.data() + i),
                                          static_cast<utf8proc_ssize_t>(in.size() - i), &cp);
    if (n <= 0) {
      ++i;
      continue;
    }
    i += static_cast<size_t>(n);
    const auto cat = utf8proc_category(cp);
    const bool word = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                      (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO) ||
                      (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) ||
                      (cp < 0x80 && keep.find(static_cast<char>(cp)) != std::string_view::npos);
    if (!word) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    if (cp < 0x80) {
      out.push_back(static_cast<char>(std::tolower(static_cast<int>(cp))));
    } else {
      Append(out, cp);
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
  std::string name(company);
  for (size_t open = name.find('('); open != std::string::npos; open = name.find('(')) {
    size_t close = name.find(')', open);
    name.erase(open, close == std::string::npos ? std::string::npos : close - open + 1);
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
      const bool after_initial = i >= 1 && std::isalpha(static_cast<unsigned char>(name[i - 1])) &&
                                 (i == 1 || !std::isalnum(static_cast<unsigned char>(name[i - 2])));
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
      for (size_t k = end - n; k < end; ++k) tail += (tail.empty() ? "" : " ") + std::string(words[k]);
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
  for (size_t k = begin; k < end; ++k) out += (out.empty() ? "" : " ") + std::string(words[k]);
  return out;
}

}  // namespace jobtrawl::normalize
