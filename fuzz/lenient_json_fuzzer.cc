// The lenient JSON reader over any bytes. What it reads must survive a round
// trip through standard JSON unchanged.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_checks.h"
#include "parsers/lenient_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  auto value = parsers::ParseLenientJson(fuzz::AsText(data, size));
  if (!value) return 0;
  std::string json = boost::json::serialize(*value);
  // Strings keep any bytes the input had (the reader allows invalid UTF-8).
  boost::json::parse_options options;
  options.allow_invalid_utf8 = true;
  options.max_depth = 1024;
  boost::system::error_code ec;
  boost::json::value again = boost::json::parse(json, ec, {}, options);
  fuzz::Check(!ec);
  fuzz::Check(again == *value);
  return 0;
}
