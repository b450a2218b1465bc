#include "app/sample_database.h"

#include <boost/asio/io_context.hpp>
#include <fstream>
#include <sstream>
#include <vector>

#include "app/crawl_pipeline.h"
#include "config/config.h"
#include "model/date_time.h"
#include "support/test_server.h"

namespace jobtrawl::testing {
namespace {

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// One crawl: the time, and the job ids each board lists then.
struct Crawl {
  const char* at;
  std::vector<int> board;
  std::vector<int> mirror;
  bool raise_1004 = false;   // the SRE posting's text changes
  bool mirror_fails = false; // one of the mirror's job pages answers 500
};

// 1005 and 1002 leave the board, 1006 too; jobs arrive through October
// and November; the mirror carries 1001, 1002, 1006 and 1011 for a while.
const Crawl kCrawls[] = {
    {"2026-10-14T08:00:00Z", {1001, 1002, 1003, 1004, 1005, 1006}, {}},
    {"2026-10-28T08:00:00Z", {1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009}, {1001, 1002}},
    {"2026-11-04T08:00:00Z", {1001, 1002, 1003, 1004, 1006, 1007, 1008, 1009, 1010}, {1001, 1002, 1006}},
    {"2026-11-18T08:00:00Z", {1001, 1003, 1004, 1007, 1008, 1009, 1010, 1011, 1012}, {1001, 1002, 1006, 1011},
     true},
    {"2026-11-25T08:00:00Z", {1001, 1003, 1004, 1007, 1008, 1009, 1010, 1011, 1012}, {1001, 1011, 1012},
     true, true},
    {"2026-12-01T08:00:00Z", {1001, 1003, 1004, 1007, 1008, 1010, 1011, 1012}, {1001, 1011}, true},
};

std::string Listing(const std::vector<int>& ids) {
  std::string html = "<html><body><h1>Open positions</h1><ul>\n";
  for (int id : ids) html += "<li><a href=\"jobs/" + std::to_string(id) + ".html\">Job</a></li>\n";
  return html + "</ul></body></html>\n";
}

}  // namespace

std::string BuildSampleDatabase(const std::filesystem::path& path) {
  const std::filesystem::path jobs = std::filesystem::path(JOBTRAWL_SOURCE_DIR) / "sample-board" / "jobs";
  boost::asio::io_context ioc;
  TestServer server(ioc);
  for (const Crawl& crawl : kCrawls) {
    for (int id = 1001; id <= 1012; ++id) {
      std::string page = ReadFile(jobs / (std::to_string(id) + ".html"));
      if (page.empty()) return "cannot read the sample board's job " + std::to_string(id);
      if (id == 1004 && crawl.raise_1004) {
        const std::string from = "on-call one week in six", to = "on-call one week in eight";
        for (size_t at = page.find(from); at != std::string::npos; at = page.find(from)) page.replace(at, from.size(), to);
      }
      const std::string file = "/jobs/" + std::to_string(id) + ".html";
      server.Route("/board" + file, {200, page});
      server.Route("/mirror" + file, {(crawl.mirror_fails && id == 1012) ? 500 : 200, page});
    }
    server.Route("/board/", {200, Listing(crawl.board)});
    server.Route("/mirror/", {200, Listing(crawl.mirror)});
    std::string text = "[storage]\ndatabase = \"" + path.string() + "\"\n"
                       "[http]\ndelay = \"0s\"\nallow_private_networks = true\nretries = 0\n"
                       "obey_robots = false\n"
                       "[[source]]\nname = \"sample-board\"\nstart = [\"" + server.Url("/board/") + "\"]\n"
                       "follow = { detail = \"/jobs/[0-9]+\\\\.html$\" }\n";
    if (!crawl.mirror.empty()) {
      text += "[[source]]\nname = \"mirror-board\"\nstart = [\"" + server.Url("/mirror/") + "\"]\n"
              "follow = { detail = \"/jobs/[0-9]+\\\\.html$\" }\n";
    }
    auto config = config::ParseConfig(text, "sample.toml", path.parent_path());
    if (!config) return "the sample config is wrong: " + config.error().front().ToString();
    auto at = ParseDateTime(crawl.at);
    app::CrawlOptions options{.parse_threads = 1};
    options.now = [t = at->time_point()] { return t; };
    auto summary = app::RunCrawl(ioc, *config, options);
    if (!summary) return "the crawl at " + std::string(crawl.at) + " failed: " + summary.error().message;
    ioc.restart();
  }
  return "";
}

}  // namespace jobtrawl::testing
