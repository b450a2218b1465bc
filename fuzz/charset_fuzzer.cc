// Charset decoding: any bytes, with a Content-Type the first byte picks, come
// out as valid UTF-8; the mojibake repair keeps them valid.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_checks.h"
#include "parsers/charset.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  if (size < 1) return 0;
  static constexpr const char* kContentTypes[] = {
      "",
      "text/html",
      "text/html; charset=utf-8",
      "text/html; charset=\"ISO-8859-1\"",
      "application/xml; charset=windows-1251",
      "text/html; charset=shift_jis",
      "text/html; charset=gb18030",
      "text/html; charset=utf-16le",
      "text/html; charset=bogus",
  };
  std::string_view bytes = fuzz::AsText(data + 1, size - 1);
  std::string_view content_type = kContentTypes[data[0] % 9];

  auto decoded = parsers::DecodeToUtf8(bytes, content_type);
  std::string_view text = decoded.View(bytes);
  fuzz::CheckUtf8(text);
  if (decoded.unchanged) fuzz::Check(parsers::IsValidUtf8(bytes));
  fuzz::Check(decoded.replaced >= 0);
  fuzz::Check(!decoded.charset.empty() && !decoded.source.empty());

  std::string repaired = parsers::RepairMojibake(text);
  fuzz::CheckUtf8(repaired);

  parsers::CharsetFromContentType(bytes);
  parsers::CharsetFromMeta(bytes);
  parsers::CharsetFromXmlDeclaration(bytes);
  return 0;
}
