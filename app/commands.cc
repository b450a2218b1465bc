#include "app/commands.h"

#include "app/alerts.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <expected>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/config_lint.h"
#include "app/daemon.h"
#include "app/json_text.h"
#include "app/log.h"
#include "app/posting_json.h"
#include "app/recorded_response.h"
#include "app/source_crawl.h"
#include "config/config.h"
#include "model/database_location.h"
#include "model/date_time.h"
#include "crawler/fetcher.h"
#include "crawler/robots.h"
#include "parsers/charset.h"
#include "storage/backup.h"
#include "parsers/extractor.h"
#include "parsers/html_text.h"
#include "parsers/html_document.h"
#include "parsers/selector.h"
#include "parsers/source_kind.h"
#include "normalize/classify.h"
#include "normalize/dates.h"
#include "normalize/location.h"
#include "normalize/normalize.h"
#include "normalize/salary.h"
#include "normalize/text.h"

namespace jobtrawl::app {

void PrintConfigErrors(const std::vector<config::ConfigError>& errors, std::ostream& err) {
  for (const auto& e : errors) err << e.ToString() << '\n';
  err << errors.size() << (errors.size() == 1 ? " error" : " errors") << " in the config\n";
}

// The bytes of an input file, or why it cannot be read, as the system says
// it ("No such file or directory", "Is a directory", "Permission denied").
static std::expected<std::string, std::string> ReadInputFile(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::unexpected(std::strerror(errno));
  std::string bytes;
  struct stat st {};
  int error = 0;
  if (::fstat(fd, &st) != 0) {
    error = errno;
  } else if (S_ISDIR(st.st_mode)) {
    error = EISDIR;
  } else {
    if (S_ISREG(st.st_mode)) bytes.reserve(static_cast<std::size_t>(st.st_size));
    char buf[65536];
    while (true) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) {
        bytes.append(buf, static_cast<std::size_t>(n));
      } else if (n == 0) {
        break;
      } else if (errno != EINTR) {
        error = errno;
        break;
      }
    }
  }
  ::close(fd);
  if (error != 0) return std::unexpected(std::strerror(error));
  return bytes;
}

// ReadInputFile, or the message for exit code 3 on `err`.
std::optional<std::string> ReadInputOrSay(const std::filesystem::path& file, std::ostream& err) {
  auto bytes = ReadInputFile(file);
  if (!bytes) {
    err << "jobtrawl: cannot read " << file.string() << ": " << bytes.error() << '\n';
    return std::nullopt;
  }
  return std::move(*bytes);
}

std::filesystem::path DefaultConfigPath() {
  if (const char* env = std::getenv("JOBTRAWL_CONFIG"); env != nullptr && *env != '\0') return env;
  return InstalledConfigPath();
}

std::filesystem::path InstalledConfigPath() { return JOBTRAWL_INSTALLED_CONFIG; }

int CheckConfigCommand(const std::filesystem::path& file, std::ostream& out, std::ostream& err,
                       bool strict) {
  auto config = config::LoadConfig(file);
  if (!config) {
    PrintConfigErrors(config.error(), err);
    return kExitUsage;
  }
  if (auto errors = CheckAlerts(*config); !errors.empty()) {
    PrintConfigErrors(errors, err);
    return kExitUsage;
  }
  const std::vector<config::ConfigError> warnings = LintConfig(*config);
  for (config::ConfigError w : warnings) {
    w.message = "warning: " + w.message;
    err << w.ToString() << '\n';
  }
  if (strict && !warnings.empty()) {
    err << file.string() << ": " << warnings.size() << (warnings.size() == 1 ? " warning" : " warnings")
        << " (--strict)\n";
    return kExitUsage;
  }
  out << file.string() << ": ok, " << config->sources.size()
      << (config->sources.size() == 1 ? " source" : " sources")
      << (config->alerts.empty() ? std::string()
                                 : ", " + std::to_string(config->alerts.size()) +
                                       (config->alerts.size() == 1 ? " alert" : " alerts"))
      << ", database "
      << RedactedDatabaseLocation(config->storage.database.string())
      << (warnings.empty() ? std::string() : ", " + std::to_string(warnings.size()) +
                                                 (warnings.size() == 1 ? " warning" : " warnings"))
      << '\n';
  return kExitOk;
}

int RunCommand(const std::filesystem::path& config_file, int parse_threads, std::ostream& err) {
  auto config = config::LoadConfig(config_file);
  if (!config) {
    PrintConfigErrors(config.error(), err);
    return kExitUsage;
  }
  if (auto errors = CheckAlerts(*config); !errors.empty()) {
    PrintConfigErrors(errors, err);
    return kExitUsage;
  }
  // What would make it idle or fail every page is said at start, in the journal.
  for (config::ConfigError w : LintConfig(*config)) {
    if (config->sources.empty()) w.message += "; the service idles until a reload brings one";
    LogLine(LogLevel::kWarning, w.ToString());
  }
  boost::asio::io_context ioc(1);
  Daemon daemon(ioc, std::move(*config),
                {.config_path = std::filesystem::absolute(config_file), .parse_threads = parse_threads});
  return daemon.Run();
}

int CrawlCommand(const std::filesystem::path& config_file, const CrawlOptions& options,
                 bool quiet, std::ostream& out, std::ostream& err) {
  auto config = config::LoadConfig(config_file);
  if (!config) {
    PrintConfigErrors(config.error(), err);
    return kExitUsage;
  }
  if (auto errors = CheckAlerts(*config); !errors.empty()) {
    PrintConfigErrors(errors, err);
    return kExitUsage;
  }
  boost::asio::io_context ioc(1);
  CrawlOptions with_progress = options;
  if (!with_progress.alert_log) {
    with_progress.alert_log = [&err, journal = StderrIsJournal()](LogLevel level, std::string_view message) {
      err << FormatLogLine(level, message, journal) << '\n';
    };
  }
  if (with_progress.progress_out == nullptr) {
    with_progress.progress = ChooseProgressMode(quiet);
    with_progress.progress_out = &err;
  }
  auto summary = RunCrawl(ioc, *config, with_progress);
  if (!summary) {
    err << "jobtrawl: " << summary.error().message << '\n';
    return summary.error().code == Error::Code::kInvalidArgument ? kExitUsage : kExitRuntime;
  }
  if (!quiet) out << FormatSummary(*summary) << FormatStatsDump(*summary);
  // Failures go to stderr whatever -q says: cron mails them, and under
  // systemd they reach the journal with their priority.
  const bool journal = StderrIsJournal();
  for (const SourceSummary& s : summary->sources) {
    const storage::RunRecord& r = s.record;
    if (r.status == "ok" || r.status == "skipped") continue;
    const LogLevel level =
        r.status == "partial" || r.status == "degraded" ? LogLevel::kWarning : LogLevel::kError;
    err << FormatLogLine(level, s.name + ": " + r.status + (r.message.empty() ? "" : ": " + r.message),
                         journal)
        << '\n';
  }
  if (summary->all_skipped() && !summary->interrupted) return kExitAllSkipped;
  return summary->all_ok() ? kExitOk : kExitSourcesFailed;
}

int BackupCommand(const std::filesystem::path& config_file, const std::filesystem::path& database,
                  const std::filesystem::path& destination, std::ostream& out, std::ostream& err) {
  std::filesystem::path source = database;
  if (source.empty()) {
    auto config = config::LoadConfig(config_file);
    if (!config) {
      PrintConfigErrors(config.error(), err);
      return kExitUsage;
    }
    source = config->storage.database;
  }
  auto stats = storage::BackupDatabase(source, destination);
  if (!stats) {
    err << "jobtrawl: " << stats.error().message << '\n';
    return stats.error().code == Error::Code::kInvalidArgument ? kExitUsage : kExitRuntime;
  }
  out << "backed up " << source.string() << " to " << destination.string() << ": " << stats->pages
      << " pages, " << stats->bytes << " bytes, schema version " << stats->schema_version << '\n';
  return kExitOk;
}

int ParseCommand(const ParseOptions& options, std::ostream& out, std::ostream& err) {
  std::optional<std::string> input = ReadInputOrSay(options.file, err);
  if (!input) return kExitRuntime;

  parsers::ExtractOptions extract;
  std::string country = options.country;
  if (!options.kind.empty()) {
    auto kind = parsers::SourceKindFromName(options.kind);
    if (!kind) {
      std::string list;
      for (auto k : parsers::SourceKindNames()) list += (list.empty() ? "" : ", ") + std::string(k);
      err << "jobtrawl: unknown source kind \"" << options.kind << "\" (expected one of: " << list << ")\n";
      return kExitUsage;
    }
    extract.kind = *kind;
  }
  std::optional<config::Config> config;
  const config::SourceConfig* source = nullptr;
  if (!options.source.empty()) {
    auto loaded = config::LoadConfig(options.config.value_or(DefaultConfigPath()));
    if (!loaded) {
      PrintConfigErrors(loaded.error(), err);
      return kExitUsage;
    }
    config = std::move(*loaded);
    const config::SourceConfig* s = config->FindSource(options.source);
    if (s == nullptr) {
      err << "jobtrawl: no source named \"" << options.source << "\" in the config\n";
      return kExitUsage;
    }
    source = s;
    const parsers::SourceKind kind = extract.kind;
    extract = ExtractOptionsFor(*s);
    if (country.empty()) country = s->country;
    if (!options.kind.empty()) extract.kind = kind;
  }
  std::string url = options.url.empty()
                        ? "file://" + std::filesystem::absolute(options.file).lexically_normal().string()
                        : options.url;
  std::string bytes = std::move(*input);
  std::string content_type;
  if (auto recorded = ReadRecording(bytes)) {
    // A saved recording: its response is what the source would have fetched.
    err << "recorded response" << (recorded->url.empty() ? "" : " of " + recorded->url) << '\n';
    if (options.url.empty() && !recorded->url.empty()) url = recorded->url;
    content_type = std::move(recorded->content_type);
    bytes = std::move(recorded->body);
  }
  parsers::Extractor extractor(extract);
  parsers::DecodedText decoded = parsers::DecodeToUtf8(bytes, content_type);
  if (decoded.charset != "utf-8" || decoded.replaced > 0) {
    err << "charset: " << decoded.charset << " (" << decoded.source << ")"
        << (decoded.replaced > 0 ? ", " + std::to_string(decoded.replaced) + " invalid sequences replaced" : "")
        << '\n';
  }
  // Read as the source's crawl would read the page at `url`; --links asks for a listing.
  const Link::Role role = options.links     ? Link::Role::kListing
                          : source != nullptr ? PageRole(*source, extractor, url)
                                              : Link::Role::kDetail;
  Extracted x = extractor.Extract(url, decoded.View(bytes), role);
  const bool pretty = options.pretty.value_or(isatty(STDOUT_FILENO) == 1);
  auto emit = [&](const boost::json::value& v) {
    out << (pretty ? PrettyJson(v) : JsonText(v)) << '\n';
  };
  if (!options.raw) {
    if (!country.empty()) country = normalize::CountryCode(country).value_or(country);
    const normalize::Context context{.fetched_at = Clock::now(), .country = country};
    for (Posting& p : x.postings) normalize::NormalizePosting(p, context);
  }
  for (const Posting& p : x.postings) emit(PostingToJson(p));
  if (options.links) {
    for (const Link& l : x.links) {
      boost::json::object link{{"link", l.url}, {"role", l.role == Link::Role::kListing ? "listing" : "detail"}};
      if (l.post) link["post"] = l.post->data;  // asked for by POST with this body
      emit(std::move(link));
    }
  }
  for (const std::string& w : x.warnings) err << "warning: " << w << '\n';
  err << x.postings.size() << (x.postings.size() == 1 ? " posting" : " postings");
  if (options.links) err << ", " << x.links.size() << (x.links.size() == 1 ? " link" : " links");
  const bool html = extract.kind == parsers::SourceKind::kHtml ||
                    (extract.kind == parsers::SourceKind::kSitemap && role != Link::Role::kListing);
  err << " (" << x.structured_blocks << (html ? " JSON-LD blocks, " : " documents, ") << x.broken_blocks
      << " unreadable" << (x.skipped > 0 ? ", " + std::to_string(x.skipped) + " skipped" : "") << ")\n";
  return kExitOk;
}

int NormalizeCommand(const NormalizeOptions& o, std::ostream& out, std::ostream& err) {
  namespace json = boost::json;
  std::string country;
  if (!o.country.empty()) {
    auto code = normalize::CountryCode(o.country);
    if (!code) {
      err << "jobtrawl: --country \"" << o.country << "\" names no country (use an ISO code such as US or DE)\n";
      return kExitUsage;
    }
    country = *code;
  }
  Clock::time_point at = Clock::now();
  if (!o.at.empty() && o.at != "now") {
    auto iso = normalize::NormalizeDate(o.at, at, normalize::DateOrder::kDayFirst);
    auto when = iso ? ParseDateTime(*iso) : std::nullopt;
    if (!when) {
      err << "jobtrawl: --at \"" << o.at << "\" is not a date (use ISO 8601, e.g. 2026-11-28T12:00:00Z)\n";
      return kExitUsage;
    }
    at = when->time_point();
  }
  auto opt = [](const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); };
  auto num = [](const std::optional<double>& v) {
    if (!v) return json::value(nullptr);
    if (*v == std::floor(*v) && std::abs(*v) < 9e15) return json::value(static_cast<std::int64_t>(*v));
    return json::value(*v);
  };
  auto list = [](const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
  };
  json::object r;
  if (o.what == "salary") {
    auto s = normalize::ParseSalary(o.text, country);
    if (!s) {
      r["salary"] = nullptr;
    } else {
      r = {{"min", num(s->min)}, {"max", num(s->max)}, {"currency", opt(s->currency)},
           {"currency_guessed", s->currency_guessed}, {"period", opt(s->period)},
           {"annual_min", num(s->annual_min)}, {"annual_max", num(s->annual_max)}};
    }
  } else if (o.what == "location") {
    normalize::LocationResult l = normalize::ParseLocation(o.text, country);
    json::array places;
    for (const Place& p : l.places) places.push_back(PlaceToJson(p));
    r = {{"places", std::move(places)}, {"remote", opt(l.remote)}, {"scope", opt(l.scope)}};
  } else if (o.what == "remote") {
    r = {{"remote", opt(normalize::RemoteFrom(o.text))}};
  } else if (o.what == "employment-type") {
    r = {{"employment_types", list(normalize::EmploymentTypes(o.text))}};
  } else if (o.what == "date") {
    r = {{"date", opt(normalize::NormalizeDate(o.text, at, normalize::DateOrderFor(country)))}};
  } else if (o.what == "title") {
    auto s = normalize::SeniorityOf(o.text);
    normalize::TitleKeys keys = normalize::TitleKeysOf(o.text);
    r = {{"seniority", s ? json::value(s->level) : json::value(nullptr)},
         {"seniority_rule", s ? json::value(s->rule) : json::value(nullptr)},
         {"title_family", keys.family},
         {"title_key", keys.key},
         {"employment_types", list(normalize::EmploymentTypes(o.text))},
         {"remote", opt(normalize::RemoteFrom(o.text))}};
  } else if (o.what == "company") {
    r = {{"company", normalize::CleanText(o.text)}, {"company_key", normalize::CompanyKey(o.text)}};
  } else if (o.what == "skills") {
    r = {{"skills", list(normalize::Skills(o.text))}};
  } else {
    err << "jobtrawl: cannot normalize \"" << o.what
        << "\" (expected salary, location, remote, employment-type, date, title, company or skills)\n";
    return kExitUsage;
  }
  out << JsonText(r) << '\n';
  return kExitOk;
}

int SelectCommand(const SelectOptions& options, std::ostream& out, std::ostream& err) {
  auto selector = parsers::Selector::Parse(options.selector);
  if (!selector) {
    err << "jobtrawl: invalid selector \"" << options.selector << "\" "
        << selector.error().ToString() << '\n';
    return kExitUsage;
  }
  std::optional<std::string> input = ReadInputOrSay(options.file, err);
  if (!input) return kExitRuntime;
  const std::string bytes = std::move(*input);
  parsers::DecodedText decoded = parsers::DecodeToUtf8(bytes);
  parsers::HtmlDocument doc(std::string(decoded.View(bytes)));
  auto matches = selector->SelectAll(*doc.document());
  if (options.count) {
    out << matches.size() << '\n';
    return kExitOk;
  }
  for (const GumboNode* n : matches) {
    if (!options.attribute.empty()) {
      const char* v = parsers::HtmlDocument::Attribute(*n, options.attribute.c_str());
      if (v == nullptr) continue;  // only elements that have it
      out << parsers::CleanInlineText(v) << '\n';
    } else if (options.html) {
      out << parsers::OuterHtml(*n) << '\n';
    } else {
      out << parsers::ElementText(*n) << '\n';
    }
  }
  return kExitOk;
}

int RobotsCommand(const std::filesystem::path& robots_file, const std::string& url,
                  const std::string& agent, std::ostream& out, std::ostream& err) {
  std::optional<std::string> text = ReadInputOrSay(robots_file, err);
  if (!text) return kExitRuntime;
  const std::string token = crawler::ProductToken(agent);
  crawler::Robots robots = crawler::Robots::Parse(*text, token);
  crawler::RobotsDecision d = robots.Check(crawler::RobotsPath(url));
  out << (d.allowed ? "allowed" : "disallowed") << ' ' << url << '\n';
  out << "  agent: " << token << " (group: "
      << (robots.group().empty() ? "none applies" : "\"" + robots.group() + "\"") << ")\n";
  if (d.line > 0) {
    out << "  rule: line " << d.line << ": " << d.rule << '\n';
  } else {
    out << "  rule: " << d.rule << '\n';
  }
  if (robots.crawl_delay()) out << "  crawl-delay: " << robots.crawl_delay()->count() << "ms\n";
  return d.allowed ? kExitOk : kExitSourcesFailed;
}

int SplitCommand(const SplitOptions& options, std::ostream& out, std::ostream& err) {
  std::filesystem::path database = options.database;
  storage::StoreOptions store_options;
  if (options.config || database.empty()) {
    auto config = config::LoadConfig(options.config.value_or(DefaultConfigPath()));
    if (!config) {
      PrintConfigErrors(config.error(), err);
      return kExitUsage;
    }
    if (database.empty()) database = config->storage.database;
    store_options = StoreOptionsFrom(config->storage);
  }
  auto store = storage::PostingStore::OpenExisting(database, store_options);
  if (!store) {
    err << "jobtrawl split: " << store.error().message << '\n';
    return kExitRuntime;
  }
  auto split = (*store)->SplitListing(options.posting, options.listing, FormatUtc(Clock::now()));
  if (!split) {
    err << "jobtrawl split: " << split.error().message << '\n';
    return split.error().code == Error::Code::kStorage ? kExitRuntime : kExitUsage;
  }
  out << "listing " << options.listing << " left posting " << options.posting << "; it is now posting "
      << *split << '\n';
  return kExitOk;
}

}  // namespace jobtrawl::app
