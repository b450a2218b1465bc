// robots.txt: parsed for one product token, then every path-like line of the
// input and a few fixed paths are checked against it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "crawler/robots.h"
#include "fuzz/fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobtrawl;
  std::string_view text = fuzz::AsText(data, size);
  auto robots = crawler::Robots::Parse(text, "jobtrawl");
  int lines = 1;
  for (char c : text) lines += (c == '\n' || c == '\r');

  auto check = [&](std::string_view path) {
    crawler::RobotsDecision d = robots.Check(path);
    fuzz::Check(d.line >= 0 && d.line <= lines);
    if (d.line == 0) fuzz::Check(d.allowed);
  };
  fuzz::Check(robots.Check("/robots.txt").allowed);
  for (std::string_view path : {"/", "/jobs/1", "/jobs?page=2", "/a%2Fb", "/%7Euser"}) check(path);
  if (robots.crawl_delay()) fuzz::Check(robots.crawl_delay()->count() >= 0);

  // Each line's value, as a path and inside a URL.
  std::string_view rest = text;
  for (int n = 0; n < 64 && !rest.empty(); ++n) {
    auto [line, after] = fuzz::SplitAt(rest, '\n');
    rest = after;
    std::size_t colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? line : line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    check(value);
    std::string url = "https://jobs.example.com" + std::string(value);
    std::string path = crawler::RobotsPath(url);
    fuzz::Check(!path.empty());
    check(path);
    crawler::RobotsUrl(url);
  }
  crawler::ProductToken(text.substr(0, 200));
  return 0;
}
