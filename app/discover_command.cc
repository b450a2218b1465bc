#include "app/discover_command.h"

#include <boost/asio/io_context.hpp>
#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdlib>
#include <ostream>
#include <sstream>
#include <unistd.h>

#include "app/commands.h"
#include "app/crawl_pipeline.h"
#include "config/config.h"
#include "crawler/fetcher.h"
#include "model/ascii.h"
#include "model/url.h"
#include "parsers/charset.h"
#include "parsers/discover.h"
#include "parsers/json_ld.h"
#include "parsers/source_kind.h"
#include "storage/reader.h"

namespace jobtrawl::app {
namespace {

constexpr int kMaxDetailChecks = 3;  // detail pages fetched to look for JSON-LD
constexpr int kCheckListingPages = 3;

// A TOML basic string, quoted and escaped by toml++'s formatter.
std::string TomlString(std::string_view s) {
  std::ostringstream out;
  out << toml::value<std::string>(std::string(s));
  return out.str();
}

// A source name from a token or host: lower-case letters, digits and '-'.
std::string NameFrom(std::string_view text) {
  std::string name;
  for (char c : text) {
    const char l = ascii::ToLower(c);
    if (ascii::IsAlnum(l)) {
      name += l;
    } else if (!name.empty() && name.back() != '-') {
      name += '-';
    }
  }
  while (!name.empty() && name.back() == '-') name.pop_back();
  return name.empty() ? "careers" : name;
}

// What discover proposes: the lines of a [[source]] block.
struct Proposal {
  std::string how;  // one line for people: what was found
  std::string name;
  std::string kind;
  std::string board;
  std::string company;
  std::vector<std::string> start;
  std::string detail_pattern;
  std::string item;
  std::vector<parsers::ExtractOptions::Field> fields;
  bool allow_file = false;

  std::string Toml() const {
    std::ostringstream o;
    o << "[[source]]\n";
    o << "name = " << TomlString(name) << '\n';
    o << "kind = " << TomlString(kind) << '\n';
    if (!board.empty()) o << "board = " << TomlString(board) << '\n';
    if (!company.empty()) o << "company = " << TomlString(company) << '\n';
    if (!start.empty()) {
      o << "start = [";
      for (std::size_t i = 0; i < start.size(); ++i) o << (i ? ", " : "") << TomlString(start[i]);
      o << "]\n";
    }
    if (allow_file) o << "allow_file = true\n";
    if (!detail_pattern.empty()) o << "follow.detail = " << TomlString(detail_pattern) << '\n';
    if (!item.empty()) o << "item = " << TomlString(item) << '\n';
    if (!fields.empty()) {
      o << "fields = { ";
      for (std::size_t i = 0; i < fields.size(); ++i) {
        o << (i ? ", " : "") << fields[i].field << " = " << TomlString(fields[i].selectors.front());
      }
      o << " }\n";
    }
    return o.str();
  }
};

// Text from the page as it may be shown on a terminal: control characters
// (C0 and DEL, which start escape sequences) become '?'.
std::string Printable(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return out;
}

bool IsHttpUrl(std::string_view s) {
  return ascii::StartsWithIgnoreCase(s, "http://") || ascii::StartsWithIgnoreCase(s, "https://");
}

// Fetches `urls` at once through one Fetcher (robots.txt, the address
// policy, pacing and retries of [http]); results in the same order.
std::vector<FetchResult> FetchAll(const config::HttpConfig& http, const std::vector<std::string>& urls) {
  std::vector<FetchResult> results(urls.size());
  if (urls.empty()) return results;
  boost::asio::io_context ioc;
  crawler::Fetcher fetcher(ioc, http);
  std::size_t pending = urls.size();
  for (std::size_t i = 0; i < urls.size(); ++i) {
    crawler::FetchRequest request;
    request.url = urls[i];
    fetcher.Fetch(std::move(request), [&, i](FetchResult r) {
      results[i] = std::move(r);
      if (--pending == 0) ioc.stop();
    });
  }
  ioc.run();
  return results;
}

std::string Describe(const FetchResult& r) {
  std::string s(FetchErrorName(r.error));
  if (!r.error_message.empty()) s += ": " + r.error_message;
  return s;
}

std::string Utf8(const FetchResult& r) {
  const std::string_view type = r.Header("Content-Type");
  parsers::DecodedText d = parsers::DecodeToUtf8(r.body, type);
  return std::string(d.View(r.body));
}

// "rss", "sitemap" or "xmlfeed" when `text` is that XML document (by its
// root element, after any prolog), else empty.
std::string_view DocumentKind(std::string_view text) {
  std::size_t at = 0;
  while (true) {
    at = text.find('<', at);
    if (at == std::string_view::npos || at + 1 >= text.size()) return {};
    const char next = text[at + 1];
    if (next != '?' && next != '!') break;
    at += 2;  // the XML declaration, comments, a DOCTYPE
  }
  const std::string_view root = text.substr(at + 1, 32);
  auto is = [&](std::string_view name) {
    return root.starts_with(name) && root.size() > name.size() &&
           (ascii::IsSpace(root[name.size()]) || root[name.size()] == '>' || root[name.size()] == '/');
  };
  if (is("rss") || is("feed") || is("rdf:RDF")) return "rss";
  if (is("urlset") || is("sitemapindex")) return "sitemap";
  if ((is("source") || is("jobs")) && text.find("<job>") != std::string_view::npos) return "xmlfeed";
  return {};
}

bool HasJobPosting(std::string_view url, std::string_view html) {
  Extracted x;
  parsers::ExtractJsonLd(html, url, x);
  return !x.postings.empty();
}

bool NamesJobs(std::string_view url) {
  return ascii::ContainsIgnoreCase(url, "job") || ascii::ContainsIgnoreCase(url, "career") ||
         ascii::ContainsIgnoreCase(url, "vacanc");
}

// Robots.txt "Sitemap:" lines (RFC 9309 section 2.3.5 leaves them to other
// specs; sitemaps.org defines the line), those naming jobs first.
std::vector<std::string> SitemapsOf(std::string_view robots) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < robots.size()) {
    std::size_t end = robots.find('\n', pos);
    if (end == std::string_view::npos) end = robots.size();
    std::string_view line = ascii::Trim(robots.substr(pos, end - pos));
    pos = end + 1;
    if (!ascii::StartsWithIgnoreCase(line, "sitemap:")) continue;
    std::string_view url = ascii::Trim(line.substr(8));
    if (IsHttpUrl(url)) out.emplace_back(url);
  }
  std::stable_partition(out.begin(), out.end(), [](const std::string& u) { return NamesJobs(u); });
  return out;
}

// Crawls `proposal` once into a temporary database and prints its summary
// and postings as TOML comments. Returns the number of postings stored, or
// nullopt when the crawl could not run.
std::optional<std::int64_t> Check(const Proposal& proposal, config::Config config, int show,
                                  std::ostream& out, std::ostream& err) {
  auto parsed = config::ParseConfig(proposal.Toml(), "<discover>", std::filesystem::current_path());
  if (!parsed || parsed->sources.size() != 1) {
    err << "jobtrawl: the proposed source does not load:\n";
    if (!parsed) PrintConfigErrors(parsed.error(), err);
    return std::nullopt;
  }
  config::SourceConfig source = parsed->sources.front();
  source.follow.max_pages = std::min(source.follow.max_pages, kCheckListingPages);
  source.page_budget = config.parse.page_budget;

  // In $TMPDIR, as temp_directory_path reads it (POSIX), else /tmp.
  std::error_code tmp_error;
  std::filesystem::path tmp = std::filesystem::temp_directory_path(tmp_error);
  if (tmp_error) tmp = "/tmp";
  std::string pattern = (tmp / "jobtrawl-discover-XXXXXX").string();
  const char* dir = ::mkdtemp(pattern.data());
  if (dir == nullptr) {
    err << "jobtrawl: cannot make a temporary folder: " << std::strerror(errno) << '\n';
    return std::nullopt;
  }
  struct RemoveDir {
    std::filesystem::path path;
    ~RemoveDir() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  } cleanup{dir};
  config.sources = {std::move(source)};
  config.storage.database = cleanup.path / "check.db";

  CrawlOptions options;
  options.database = config.storage.database;
  boost::asio::io_context ioc;
  auto summary = RunCrawl(ioc, config, options);
  if (!summary) {
    err << "jobtrawl: the check crawl could not run: " << summary.error().message << '\n';
    return std::nullopt;
  }
  std::istringstream lines(FormatSummary(*summary));
  out << "#\n# --check: one crawl of this source (listing pages capped at " << kCheckListingPages << "):\n";
  for (std::string line; std::getline(lines, line);) {
    if (line.find(cleanup.path.string()) == std::string::npos) out << "#   " << line << '\n';  // not the temporary file
  }
  auto reader = storage::Reader::Open(config.storage.database);
  if (!reader) {
    err << "jobtrawl: cannot read the check database: " << reader.error().message << '\n';
    return std::nullopt;
  }
  std::int64_t shown = 0;
  auto total = (*reader)->Export(storage::PostingFilter{}, [&](const storage::Row& row) {
    if (shown == 0) out << "# postings it would store (title | company | location | url):\n";
    if (shown < show) {
      out << "#   " << row.Text("title") << " | " << row.Text("company") << " | " << row.Text("location")
          << " | " << row.Text("url") << '\n';
    }
    ++shown;
    return true;
  });
  if (!total) {
    err << "jobtrawl: cannot read the check database: " << total.error().message << '\n';
    return std::nullopt;
  }
  if (shown > show) out << "#   ... and " << (shown - show) << " more\n";
  if (shown == 0) out << "# it would store no posting\n";
  return shown;
}

}  // namespace

int DiscoverCommand(const DiscoverOptions& options, std::ostream& out, std::ostream& err) {
  config::Config config;
  // As every command: -c, else $JOBTRAWL_CONFIG or the installed config
  // (when there is one), so that its [http] user_agent and address policy
  // apply to these fetches too.
  std::optional<std::filesystem::path> config_path = options.config;
  if (!config_path) {
    std::error_code ec;
    if (std::filesystem::path d = DefaultConfigPath(); std::filesystem::exists(d, ec)) config_path = d;
  }
  if (config_path) {
    auto loaded = config::LoadConfig(*config_path);
    if (!loaded) {
      PrintConfigErrors(loaded.error(), err);
      return kExitUsage;
    }
    config = std::move(*loaded);
  }
  const bool remote = IsHttpUrl(options.input);
  if (remote && !options.url.empty()) {
    err << "jobtrawl: --url is for saved pages; a URL input is its own address\n";
    return kExitUsage;
  }

  // The page.
  std::string url;
  std::string html;
  if (remote) {
    auto canonical = CanonicalUrl(options.input);
    auto parts = canonical ? SplitUrl(*canonical) : std::nullopt;
    if (!parts || parts->host.empty()) {
      err << "jobtrawl: \"" << options.input << "\" is not a URL jobtrawl can fetch\n";
      return kExitUsage;
    }
    FetchResult page = std::move(FetchAll(config.http, {*canonical}).front());
    if (!page.ok()) {
      err << "jobtrawl: cannot fetch " << *canonical << ": " << Describe(page) << '\n';
      return kExitRuntime;
    }
    url = page.final_url.empty() ? *canonical : page.final_url;
    html = Utf8(page);
  } else {
    auto bytes = ReadInputOrSay(options.input, err);
    if (!bytes) return kExitRuntime;
    url = options.url.empty()
              ? "file://" + std::filesystem::absolute(options.input).lexically_normal().string()
              : options.url;
    parsers::DecodedText d = parsers::DecodeToUtf8(*bytes);
    html = std::string(d.View(*bytes));
  }
  const bool file_page = ascii::StartsWithIgnoreCase(url, "file:");
  err << "page: " << Printable(url) << " (" << html.size() << " bytes)\n";
  const std::string kind_of_document(DocumentKind(html));

  const parsers::CareersPage page(url, std::move(html));
  Proposal p;
  const std::string site = page.SiteName();
  auto host_name = [&] {
    if (!site.empty()) return NameFrom(site);
    auto parts = SplitUrl(url);
    if (parts && !parts->host.empty()) return NameFrom(parts->host);
    return NameFrom(std::filesystem::path(options.input).stem().string());
  };

  // 0. The input is a feed or a sitemap itself.
  if (const std::string_view kind = kind_of_document; !kind.empty()) {
    p.how = "the page is " + std::string(kind == "rss" ? "an RSS/Atom feed" : kind == "sitemap" ? "a sitemap" : "a job feed");
    p.kind = std::string(kind);
    p.start = {url};
  }

  // 1. An applicant-tracking system with its board token.
  std::vector<parsers::BoardSighting> boards = page.Boards();
  const parsers::BoardSighting* board = nullptr;
  if (!p.kind.empty()) boards.clear();  // a feed's items link to many systems
  const bool aggregator = parsers::IsAggregator(boards);
  for (const auto& b : boards) {
    err << "seen: " << b.system << (b.board.empty() ? "" : " board \"" + b.board + "\"") << ", "
        << b.count << (b.count == 1 ? " time" : " times") << ", e.g. " << Printable(b.evidence)
        << (!b.kind.empty()   ? std::string()
            : !b.feed.empty() ? " (read through its feed " + b.feed + ")"
                              : " (jobtrawl has no reader for " + b.system + "'s API)")
        << '\n';
    if (board == nullptr && !aggregator && !b.board.empty() && (!b.kind.empty() || !b.feed.empty())) board = &b;
  }
  if (aggregator) {
    err << "note: the page links to the boards of "
        << std::count_if(boards.begin(), boards.end(), [](const auto& b) { return !b.board.empty(); })
        << " companies alike, as an aggregator does; it is none of them (discover one board's URL for its own"
           " source)\n";
  }
  if (board != nullptr && p.kind.empty() && board->kind.empty()) {
    p.how = board->system + " board \"" + board->board + "\", through its RSS feed";
    p.kind = "rss";
    p.start = {board->feed};
    p.name = NameFrom(board->board);
  } else if (board != nullptr && p.kind.empty()) {
    p.how = board->system + " board \"" + board->board + "\"";
    p.kind = board->kind;
    if (board->start.empty()) {
      p.board = board->board;
    } else {
      p.start = {board->start};  // a board the kind's own API host does not serve
    }
    p.name = NameFrom(board->kind == "workday" ? board->board.substr(0, board->board.find('.')) : board->board);
    // Lever's and Ashby's APIs do not name the company.
    if ((p.kind == "lever" || p.kind == "ashby") && !site.empty()) p.company = site;
  }

  // 2. JobPosting JSON-LD, on this page or on its detail pages.
  auto detail = p.kind.empty() ? page.DetailLinks() : std::nullopt;
  if (p.kind.empty()) {
    if (detail && remote) {
      std::vector<std::string> urls(detail->urls.begin(),
                                    detail->urls.begin() + std::min<std::size_t>(detail->urls.size(), kMaxDetailChecks));
      std::vector<FetchResult> pages = FetchAll(config.http, urls);
      int with = 0;
      for (std::size_t i = 0; i < pages.size(); ++i) {
        const bool has = pages[i].ok() && HasJobPosting(urls[i], Utf8(pages[i]));
        err << "detail page " << Printable(urls[i]) << ": "
            << (!pages[i].ok() ? Describe(pages[i]) : has ? "JobPosting JSON-LD" : "no JobPosting JSON-LD") << '\n';
        with += has ? 1 : 0;
      }
      if (with > 0) {
        p.how = "detail pages with schema.org JobPosting JSON-LD (" + std::to_string(with) + " of " +
                std::to_string(pages.size()) + " checked)";
        p.kind = "html";
        p.start = {url};
        p.detail_pattern = detail->pattern;
      }
    }
    if (p.kind.empty() && HasJobPosting(url, page.html())) {
      p.how = "schema.org JobPosting JSON-LD on the page itself";
      p.kind = "html";
      p.start = {url};
      if (detail) p.detail_pattern = detail->pattern;
    }
  }

  // 3. A feed the page announces, or a sitemap its robots.txt names.
  // Only those naming jobs come before the listing: a blog's feed and a
  // sitemap of the whole site are on nearly every site.
  auto feeds = page.FeedLinks();
  std::vector<std::string> sitemaps;
  std::string robots_url;
  if (p.kind.empty()) {
    if (!feeds.empty() && feeds.front().jobs) {
      p.how = "a feed the page links to" + (feeds.front().title.empty() ? "" : " (\"" + Printable(feeds.front().title) + "\")");
      p.kind = "rss";
      p.start = {feeds.front().url};
    } else if (remote) {
      if (auto parts = SplitUrl(url)) {
        robots_url = Origin(*parts) + "/robots.txt";
        FetchResult robots = std::move(FetchAll(config.http, {robots_url}).front());
        if (robots.ok() && robots.status == 200) sitemaps = SitemapsOf(robots.body);
        if (!sitemaps.empty() && NamesJobs(sitemaps.front())) {
          p.how = "a sitemap named by " + robots_url;
          p.kind = "sitemap";
          p.start = {sitemaps.front()};
          if (detail) p.detail_pattern = detail->pattern;
        }
      }
    }
  }

  // 4. The listing's repeated rows.
  if (p.kind.empty()) {
    if (auto guess = page.Listing()) {
      p.how = "a listing of " + std::to_string(guess->rows) + " rows matching \"" + guess->item + "\"";
      p.kind = "html";
      p.start = {url};
      p.item = guess->item;
      p.fields = guess->fields;
    }
  }

  // 5. A feed or sitemap that does not say it is of jobs (a blog's feed,
  // the whole site's sitemap) is the last resort.
  if (p.kind.empty() && !feeds.empty()) {
    p.how = "a feed the page links to" + (feeds.front().title.empty() ? "" : " (\"" + Printable(feeds.front().title) + "\")") +
            ", which does not say it is of jobs";
    p.kind = "rss";
    p.start = {feeds.front().url};
  } else if (p.kind.empty() && !sitemaps.empty()) {
    p.how = "a sitemap named by " + robots_url + ", which does not say it is of jobs";
    p.kind = "sitemap";
    p.start = {sitemaps.front()};
    if (detail) p.detail_pattern = detail->pattern;
  }

  if (p.kind.empty()) {
    err << "jobtrawl: found no way to read jobs from " << url
        << ": no applicant-tracking system with a board token, no JobPosting JSON-LD, no feed or sitemap,"
           " no repeated rows with links\n";
    return kExitSourcesFailed;
  }
  if (p.name.empty()) p.name = host_name();
  // A name the config has already would make it unloadable once the block
  // is appended (README: `jobtrawl discover URL >> jobtrawl.toml`).
  auto taken = [&](const std::string& name) { return config.FindSource(name) != nullptr; };
  if (!options.name.empty()) {
    p.name = options.name;
    if (taken(p.name)) {
      err << "note: " << config.path.string() << " has a source named \"" << Printable(p.name)
          << "\" already; the block needs another name before it is added\n";
    }
  } else if (taken(p.name)) {
    std::string name;
    for (int i = 2; name.empty() || taken(name); ++i) name = p.name + "-" + std::to_string(i);
    err << "note: " << config.path.string() << " has a source named \"" << p.name << "\" already; this one is \""
        << name << "\"\n";
    p.name = std::move(name);
  }
  p.allow_file = file_page && !p.start.empty() && ascii::StartsWithIgnoreCase(p.start.front(), "file:");
  err << "found: " << p.how << '\n';
  if (p.allow_file) {
    err << "note: this source reads the saved file; give the address the page was saved from with --url URL"
           " for one that reads the live page\n";
  }
  if (parsers::SourceKindFromName(p.kind) == std::nullopt) {
    err << "note: this build of jobtrawl has no \"" << p.kind << "\" source kind\n";
  }
  out << p.Toml();
  if (!options.check) return kExitOk;
  auto stored = Check(p, std::move(config), options.check_postings, out, err);
  if (!stored) return kExitRuntime;
  return *stored > 0 ? kExitOk : kExitSourcesFailed;
}

}  // namespace jobtrawl::app
