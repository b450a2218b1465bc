// Bytes off the wire to valid UTF-8, following the HTML spec's order
// (https://html.spec.whatwg.org/multipage/parsing.html#determining-the-character-encoding):
// byte order mark, then the HTTP Content-Type charset, then an XML
// declaration's encoding (feeds, sitemaps), then <meta charset>
// or <meta http-equiv> within the first 1024 bytes, then detection
// (uchardet, limited to the Encoding Standard's encodings, after a check
// that bytes which are nearly all UTF-8 stay UTF-8), with windows-1252 as
// the last resort. Labels are read through the Encoding Standard's table;
// transcoding uses iconv; invalid sequences become U+FFFD, never passed on.
#ifndef JOBTRAWL_PARSERS_CHARSET_H_
#define JOBTRAWL_PARSERS_CHARSET_H_

#include <string>
#include <string_view>

namespace jobtrawl::parsers {

struct DecodedText {
  bool unchanged = false;  // the input was valid UTF-8 already: use it as it is
  std::string text;        // otherwise: the input as valid UTF-8
  std::string charset;     // the Encoding Standard's name of what the bytes were read as, e.g. "utf-8", "windows-1252"
  std::string source;      // how it was decided: "bom", "header", "xml", "meta", "detected", "default"
  int replaced = 0;        // invalid sequences replaced by U+FFFD

  // The UTF-8 text, given the same input DecodeToUtf8 saw.
  std::string_view View(std::string_view input) const { return unchanged ? input : text; }
};

// Never fails: unknown charsets fall back to detection, then windows-1252.
DecodedText DecodeToUtf8(std::string_view bytes, std::string_view content_type = {});

// The encoding a label names in the Encoding Standard
// (https://encoding.spec.whatwg.org/#names-and-labels), e.g. "latin1" ->
// "windows-1252", " UTF8 " -> "utf-8"; empty for a label it does not list
// (which the steps below then ignore, as browsers do).
std::string EncodingForLabel(std::string_view label);

// The charset named in a Content-Type value ("text/html; charset=ISO-8859-1"),
// lower-cased; empty when none.
std::string CharsetFromContentType(std::string_view content_type);

// The charset a page declares in <meta> within its first 1024 bytes; empty
// when none.
std::string CharsetFromMeta(std::string_view html);

// The encoding an XML declaration names (<?xml ... encoding="..."?>),
// lower-cased; empty when the bytes do not start with one that names it.
std::string CharsetFromXmlDeclaration(std::string_view bytes);

// True when `bytes` is entirely valid UTF-8.
bool IsValidUtf8(std::string_view bytes);

// Repairs text that was UTF-8, wrongly decoded as windows-1252 and
// re-encoded ("Ã©" for "é", "â€™" for "’", "ðŸŒŽ" for "🌎"), when the
// repair is unambiguous: the whole run maps back to valid UTF-8. Text with
// no such runs is returned unchanged.
std::string RepairMojibake(std::string_view text);

}  // namespace jobtrawl::parsers

#endif  // JOBTRAWL_PARSERS_CHARSET_H_
