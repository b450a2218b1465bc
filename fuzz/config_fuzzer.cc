// The config loader over TOML in memory. Relative paths resolve against a
// folder that is never created: loading touches no file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.h"
#include "config/units.h"
#include "fuzz/fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  std::string_view text = fuzz::AsText(data, size);
  auto result = config::ParseConfig(text, "fuzz.toml", "/nonexistent/jobtrawl-fuzz");
  if (!result) {
    fuzz::Check(!result.error().empty());
    for (const config::ConfigError& e : result.error()) {
      fuzz::Check(e.line >= 0 && e.column >= 0);
      fuzz::Check(!e.message.empty());
      e.ToString();
    }
  } else {
    const config::Config& c = *result;
    fuzz::Check(c.storage.database.is_absolute());
    for (const config::SourceConfig& s : c.sources) {
      fuzz::Check(!s.name.empty());
      fuzz::Check(c.FindSource(s.name) != nullptr);
      fuzz::Check(!s.start.empty());
    }
  }
  // The unit readers over the same text; what they read formats and reads back.
  auto line = fuzz::SplitAt(text, '\n').first;
  if (auto d = config::ParseDuration(line)) {
    auto again = config::ParseDuration(config::FormatDuration(*d));
    fuzz::Check(again.has_value() && *again == *d);
  }
  if (auto s = config::ParseSize(line)) {
    auto again = config::ParseSize(config::FormatSize(*s));
    fuzz::Check(again.has_value() && *again == *s);
  }
  return 0;
}
