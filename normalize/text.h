// Text as postings store it, and the keys they are matched on.
#ifndef JOBTRAWL_NORMALIZE_TEXT_H_
#define JOBTRAWL_NORMALIZE_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace jobtrawl::normalize {

// Unicode NFC (utf8proc), zero-width and control characters removed (line
// breaks, and the spaces that indent a line, kept when `keep_lines`), runs
// of white space collapsed, trimmed.
// Invalid UTF-8 is returned with only the ASCII clean-up applied.
std::string CleanText(std::string_view text, bool keep_lines = false);
// True when CleanText(text, keep_lines) is `text` itself, as for text that
// was cleaned before, found without building it. May say false for some
// such text (it accepts only the characters it knows CleanText copies).
bool IsClean(std::string_view text, bool keep_lines = false);

// For matching: NFKC case-folded, accents stripped, every run of characters
// that are not letters or digits (except those in `keep`) one space, trimmed.
std::string Fold(std::string_view text, std::string_view keep = {});
// The same, and in `*folded_mark` the size of Fold(text.substr(0, mark),
// keep), which is the result's first *folded_mark bytes: one fold of a
// description serves the matchers that read all of it and Language, which
// reads its start. `folded_mark` may be nullptr.
std::string Fold(std::string_view text, std::string_view keep, std::size_t mark, std::size_t* folded_mark);

// The words of folded text.
std::vector<std::string_view> Words(std::string_view folded);

// Appends `word` to `out`, after `separator` unless `out` is empty.
inline void AppendJoined(std::string& out, std::string_view word, std::string_view separator) {
  if (!out.empty()) out.append(separator);
  out.append(word);
}

// A company's matching key: folded, "the" and trailing legal forms (Inc.,
// LLC, Ltd, Pvt. Ltd., GmbH, S.A., BV, ... from data/legal_suffixes.tsv)
// dropped. "Acme, Inc." and "ACME Inc" share "acme".
std::string CompanyKey(std::string_view company);

}  // namespace jobtrawl::normalize

#endif  // JOBTRAWL_NORMALIZE_TEXT_H_
