#include "app/query_commands.h"

#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "app/analyst_reader.h"
#include "app/commands.h"
#include "app/json_text.h"
#include "config/config.h"
#include "config/units.h"
#include "normalize/location.h"
#include "normalize/tables.h"
#include "normalize/text.h"
#include "storage/reader.h"

namespace jobtrawl::app {
namespace {

namespace json = boost::json;
using storage::Row;
using storage::Value;

// The database path from --db, else the config's [storage] database; on
// failure says why on `err` and gives the exit code.
std::expected<std::filesystem::path, int> ResolveDatabase(const DatabaseChoice& where,
                                                          std::ostream& err) {
  if (!where.db.empty()) return where.db;
  std::error_code ec;
  if (!std::filesystem::exists(where.config_file, ec)) {
    err << "jobtrawl: no database given with --db, and no config at " << where.config_file.string()
        << " to find it in ([storage] database)\n";
    return std::unexpected(kExitUsage);
  }
  auto config = config::LoadConfig(where.config_file);
  if (!config) {
    for (const auto& e : config.error()) err << e.ToString() << '\n';
    err << "jobtrawl: cannot find the database: the config " << where.config_file.string()
        << " has errors (or give the database with --db)\n";
    return std::unexpected(kExitUsage);
  }
  return config->storage.database;
}

// A SQLite file, or a postgresql:// URL (app/analyst_reader.h).
std::expected<std::unique_ptr<AnalystReader>, int> OpenReader(const DatabaseChoice& where, std::ostream& err) {
  auto path = ResolveDatabase(where, err);
  if (!path) return std::unexpected(path.error());
  auto reader = OpenAnalystReader(path->string());
  if (!reader) {
    err << "jobtrawl: " << reader.error().message << '\n';
    return std::unexpected(kExitRuntime);
  }
  return std::move(*reader);
}

// "7d" before now, as the database writes times; "" for no limit.
std::expected<std::string, int> SinceTime(const std::string& since, const NowFunction& now,
                                          std::ostream& err) {
  if (since.empty()) return std::string();
  auto d = config::ParseDuration(since);
  if (!d) {
    err << "jobtrawl: --since \"" << since << "\" is not a duration: " << d.error()
        << " (e.g. 7d, 12h, 1h30m)\n";
    return std::unexpected(kExitUsage);
  }
  return FormatUtc(now() - *d);
}

std::expected<std::string, int> CountryOption(const std::string& text, std::ostream& err) {
  if (text.empty()) return std::string();
  auto code = normalize::CountryCode(text);
  if (!code) {
    err << "jobtrawl: --country \"" << text
        << "\" is not a country code (use ISO 3166-1 alpha-2, e.g. US, DE, GB)\n";
    return std::unexpected(kExitUsage);
  }
  return *code;
}

// Integral amounts print without ".0", as the JSON of `parse` does.
json::value ToJson(std::string_view column, const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return nullptr;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) {
    if (*d == std::floor(*d) && std::abs(*d) < 9e15) return static_cast<std::int64_t>(*d);
    return *d;
  }
  const std::string& text = std::get<std::string>(v);
  if (storage::IsJsonColumn(column)) {
    boost::system::error_code ec;
    json::value parsed = json::parse(text, ec);
    if (!ec) return parsed;
  }
  return json::value(text);
}

std::string JsonLine(const Row& row) { return JsonText(RowToJson(row)); }

// RFC 4180: quoted when it holds a comma, quote or line break.
std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += CsvField(fields[i]);
  }
  return line + "\r\n";
}

// A row's cells for CSV. A text cell that opens with = + - @ tab or CR is
// prefixed with ' so a spreadsheet opening the file shows it as text rather
// than running it as a formula (OWASP "CSV Injection"); numbers are left as
// they are.
std::vector<std::string> CsvCells(const Row& row) {
  std::vector<std::string> out;
  out.reserve(row.values.size());
  for (std::size_t i = 0; i < row.values.size(); ++i) {
    const auto* text = std::get_if<std::string>(&row.values[i]);
    if (text == nullptr) {
      out.push_back(row.Text((*row.columns)[i]));
      continue;
    }
    const bool formula = !text->empty() && std::string_view("=+-@\t\r").find(text->front()) != std::string_view::npos;
    out.push_back(formula ? "'" + *text : *text);
  }
  return out;
}

std::string OneLine(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::string out;
  for (char c : s) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  return out;
}

std::string Amount(const std::string& number) {
  // "75000.0" -> "75000"
  if (number.ends_with(".0")) return number.substr(0, number.size() - 2);
  return number;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "Remote · Full time, Part time · 75000–95000 EUR per year" (parts present).
std::string DetailsLine(const Row& r) {
  std::vector<std::string> parts;
  if (std::string remote = r.Text("remote"); !remote.empty()) {
    remote[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(remote[0])));
    if (std::string scope = r.Text("remote_scope"); !scope.empty()) remote += " (" + scope + ")";
    parts.push_back(remote);
  }
  if (std::string types = r.Text("employment_type"); !types.empty()) {
    std::string human = Lower(types);
    std::replace(human.begin(), human.end(), '_', ' ');
    size_t pos = 0;
    while ((pos = human.find(',', pos)) != std::string::npos) {
      human.replace(pos, 1, ", ");
      pos += 2;
    }
    human[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(human[0])));
    parts.push_back(human);
  }
  const std::string min = Amount(r.Text("salary_min")), max = Amount(r.Text("salary_max"));
  if (!min.empty() || !max.empty()) {
    std::string pay = min.empty() ? "up to " + max : (max.empty() || max == min ? min : min + "–" + max);
    if (std::string cur = r.Text("salary_currency"); !cur.empty()) pay += " " + cur;
    if (std::string period = r.Text("salary_period"); !period.empty()) pay += " per " + Lower(period);
    parts.push_back(pay);
  }
  std::string line;
  for (const auto& p : parts) line += (line.empty() ? "" : " · ") + p;
  return line;
}

// Plain text (a title, company, department or place) as Markdown inline
// text that renders as itself. CommonMark (0.30, §2.4) lets any ASCII
// punctuation be backslash-escaped; these are the characters with an inline
// meaning: escapes, code spans, emphasis, links, raw HTML and entity
// references, and GFM's strikethrough and table pipes. Line breaks become
// spaces, so a field never starts a block of its own.
std::string InlineText(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    if (std::string_view("\\`*_[]<>&~|").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// `line` with its first character escaped where it would start a block
// (an ATX heading, a list item, a setext underline, a thematic break):
// CommonMark §4.2, §4.3, §5.2.
std::string EscapeLineStart(std::string line) {
  if (line.empty()) return line;
  if (std::string_view("#+-=").find(line[0]) != std::string_view::npos) return "\\" + line;
  const std::size_t digits = line.find_first_not_of("0123456789");
  if (digits != std::string::npos && digits > 0 && digits <= 9 && (line[digits] == '.' || line[digits] == ')')) {
    line.insert(digits, "\\");
  }
  return line;
}

std::string LinkTarget(const std::string& url) {
  if (url.find_first_of(" ()<>") == std::string::npos) return url;
  std::string out = "<";
  for (char c : url) {
    if (c == '<' || c == '>') {
      out += c == '<' ? "%3C" : "%3E";
    } else if (c == ' ') {
      out += "%20";
    } else {
      out += c;
    }
  }
  return out + ">";
}

// The description's ATX headings one level down (at most ######), so the
// posting's title stays the document's only level-1 heading; fenced code is
// left alone.
std::string DemoteHeadings(const std::string& markdown) {
  std::string out;
  std::istringstream lines(markdown);
  bool fenced = false;
  bool first = true;
  for (std::string line; std::getline(lines, line);) {
    if (!first) out += '\n';
    first = false;
    const std::size_t indent = line.find_first_not_of(' ');
    if (indent != std::string::npos && indent < 4) {
      const std::string_view rest = std::string_view(line).substr(indent);
      if (rest.starts_with("```") || rest.starts_with("~~~")) fenced = !fenced;
      const std::size_t level = rest.find_first_not_of('#');
      if (!fenced && level >= 1 && level < 6 && level != std::string_view::npos &&
          (rest[level] == ' ' || rest[level] == '\t')) {
        line.insert(indent, "#");
      }
    }
    out += line;
  }
  return out;
}

// One posting as a job site publishes it: the title linked to where to
// apply, the company, a location line, then the description.
std::string MarkdownDocument(const Row& r) {
  std::string title = r.Text("title");
  if (title.empty()) title = "Untitled posting";
  std::string link = r.Text("apply_url");
  if (link.empty()) link = r.Text("url");
  std::string doc = "# [" + InlineText(title) + "](" + LinkTarget(link) + ")\n\n";
  std::string company_line;
  if (std::string company = r.Text("company"); !company.empty()) company_line = "**" + InlineText(company) + "**";
  if (std::string department = r.Text("department"); !department.empty()) {
    company_line += company_line.empty() ? InlineText(department) : " (" + InlineText(department) + ")";
  }
  if (std::string location = r.Text("location"); !location.empty()) {
    company_line += (company_line.empty() ? "" : " · ") + InlineText(location);
  }
  if (!company_line.empty()) doc += EscapeLineStart(std::move(company_line)) + "\n\n";
  if (std::string details = DetailsLine(r); !details.empty()) doc += details + "\n\n";
  std::string body = DemoteHeadings(r.Text("description_markdown"));
  if (body.empty()) body = r.Text("description");
  while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.pop_back();
  if (!body.empty()) doc += body + "\n";
  return doc;
}

// "1001-senior-c-engineer.md": the id keeps names unique.
std::string MarkdownFileName(const Row& r) {
  std::string slug;
  for (char c : r.Text("title")) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 && u < 0x80) {
      slug += static_cast<char>(std::tolower(u));
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
    if (slug.size() >= 60) break;
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return r.Text("id") + (slug.empty() ? "" : "-" + slug) + ".md";
}

}  // namespace

int SearchCommand(const SearchOptions& o, std::ostream& out, std::ostream& err) {
  const std::string format = o.format.empty() ? "table" : o.format;
  if (format != "table" && format != "json" && format != "csv") {
    err << "jobtrawl: --format \"" << format << "\" is not one of table, json, csv\n";
    return kExitUsage;
  }
  storage::PostingFilter filter;
  filter.match = o.query;
  if (o.query.find_first_not_of(" \t") == std::string::npos) {
    err << "jobtrawl: the search query is empty\n";
    return kExitUsage;
  }
  auto country = CountryOption(o.country, err);
  if (!country) return country.error();
  filter.country = *country;
  auto since = SinceTime(o.since, o.now, err);
  if (!since) return since.error();
  filter.since = *since;
  filter.remote = o.remote;
  if (!o.company.empty()) {
    filter.company = o.company;
    filter.company_key = normalize::CompanyKey(o.company);
  }
  if (o.salary_min) {
    std::string currency;
    for (char c : o.currency) currency += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (currency.empty()) {
      err << "jobtrawl: --salary-min needs --currency (pay is compared in one currency)\n";
      return kExitUsage;
    }
    if (!normalize::Tables::Get().currency_codes.contains(currency)) {
      err << "jobtrawl: --currency \"" << o.currency << "\" is not an ISO 4217 code (e.g. USD, EUR, GBP)\n";
      return kExitUsage;
    }
    filter.salary_min = o.salary_min;
    filter.currency = currency;
  } else if (!o.currency.empty()) {
    err << "jobtrawl: --currency goes with --salary-min\n";
    return kExitUsage;
  }
  if (o.open && o.closed) {
    err << "jobtrawl: --open and --closed exclude each other\n";
    return kExitUsage;
  }
  filter.state = o.open     ? storage::PostingFilter::State::kOpen
                 : o.closed ? storage::PostingFilter::State::kClosed
                            : storage::PostingFilter::State::kAny;
  if (o.limit < 1) {
    err << "jobtrawl: --limit must be at least 1\n";
    return kExitUsage;
  }
  filter.limit = o.limit;
  if (o.rank_all) filter.rank_window = 0;

  auto reader = OpenReader(o.where, err);
  if (!reader) return reader.error();
  const bool color = format == "table" && o.color.value_or(isatty(STDOUT_FILENO) == 1);
  auto rows = (*reader)->Search(filter, color ? "\x1b[1m" : "", color ? "\x1b[0m" : "");
  if (!rows) {
    err << "jobtrawl: " << rows.error().message << '\n';
    return rows.error().code == Error::Code::kInvalidArgument ? kExitUsage : kExitRuntime;
  }
  if (format == "json") {
    for (const Row& r : *rows) out << JsonLine(r) << '\n';
  } else if (format == "csv") {
    if (!rows->empty()) out << CsvLine(*rows->front().columns);
    for (const Row& r : *rows) out << CsvLine(CsvCells(r));
  } else {
    int n = 0;
    for (const Row& r : *rows) {
      out << ++n << ". " << r.Text("title");
      if (std::string c = r.Text("company"); !c.empty()) out << " · " << c;
      if (std::string l = r.Text("location"); !l.empty()) out << " · " << l;
      out << '\n';
      std::string sources = r.Text("sources");
      sources.erase(std::remove_if(sources.begin(), sources.end(),
                                   [](char c) { return c == '[' || c == ']' || c == '"'; }),
                    sources.end());
      std::replace(sources.begin(), sources.end(), ',', ' ');
      const std::string closed = r.Text("closed_at");
      out << "   " << (closed.empty() ? "open" : "closed " + closed.substr(0, 10)) << " · first seen "
          << r.Text("first_seen").substr(0, 10) << " · " << sources << '\n';
      out << "   " << OneLine(r.Text("snippet")) << '\n';
      std::string link = r.Text("apply_url");
      out << "   " << (link.empty() ? r.Text("url") : link) << '\n';
    }
    err << rows->size() << (rows->size() == 1 ? " posting" : " postings") << '\n';
  }
  out.flush();
  if (!out) {
    err << "jobtrawl: cannot write the results\n";
    return kExitRuntime;
  }
  return kExitOk;
}

int ExportCommand(const ExportOptions& o, std::ostream& out, std::ostream& err) {
  if (o.format != "csv" && o.format != "jsonl" && o.format != "markdown") {
    err << "jobtrawl: --format \"" << o.format << "\" is not one of csv, jsonl, markdown\n";
    return kExitUsage;
  }
  storage::PostingFilter filter;
  auto since = SinceTime(o.since, o.now, err);
  if (!since) return since.error();
  filter.since = *since;
  if (o.open) filter.state = storage::PostingFilter::State::kOpen;
  // The database first: a missing one leaves no empty output behind.
  auto reader = OpenReader(o.where, err);
  if (!reader) return reader.error();

  const bool to_folder = o.format == "markdown" && !o.out.empty();
  std::ofstream file;
  std::ostream* sink = &out;
  if (to_folder) {
    std::error_code ec;
    std::filesystem::create_directories(o.out, ec);
    if (ec || !std::filesystem::is_directory(o.out)) {
      err << "jobtrawl: cannot write Markdown into " << o.out.string() << ": "
          << (ec ? ec.message() : "not a folder") << '\n';
      return kExitRuntime;
    }
  } else if (!o.out.empty()) {
    file.open(o.out, std::ios::binary | std::ios::trunc);
    if (!file) {
      err << "jobtrawl: cannot write " << o.out.string() << ": " << std::strerror(errno) << '\n';
      return kExitRuntime;
    }
    sink = &file;
  }

  bool header = o.format == "csv";
  bool first = true;
  std::string failed;
  auto written = (*reader)->Export(filter, [&](const Row& r) {
    if (o.format == "csv") {
      if (header) *sink << CsvLine(*r.columns);
      header = false;
      *sink << CsvLine(CsvCells(r));
    } else if (o.format == "jsonl") {
      *sink << JsonLine(r) << '\n';
    } else if (to_folder) {
      const auto path = o.out / MarkdownFileName(r);
      std::ofstream doc(path, std::ios::binary | std::ios::trunc);
      doc << MarkdownDocument(r);
      doc.close();
      if (!doc) {
        failed = path.string() + ": " + std::strerror(errno);
        return false;
      }
    } else {
      if (!first) *sink << "\n---\n\n";
      *sink << MarkdownDocument(r);
    }
    first = false;
    if (!*sink) {
      failed = o.out.empty() ? "standard output" : o.out.string();
      return false;
    }
    return true;
  });
  if (!written) {
    err << "jobtrawl: " << written.error().message << '\n';
    return kExitRuntime;
  }
  sink->flush();
  if (!failed.empty() || !*sink) {
    err << "jobtrawl: cannot write " << (failed.empty() ? o.out.string() : failed) << '\n';
    return kExitRuntime;
  }
  err << *written << (*written == 1 ? " posting" : " postings") << " exported\n";
  return kExitOk;
}

int StatsCommand(const StatsOptions& o, std::ostream& out, std::ostream& err) {
  const std::string format = o.format.empty() ? "table" : o.format;
  if (format != "table" && format != "json") {
    err << "jobtrawl: --format \"" << format << "\" is not one of table, json\n";
    return kExitUsage;
  }
  auto reader = OpenReader(o.where, err);
  if (!reader) return reader.error();
  auto stats = (*reader)->Stats(FormatUtc(o.now()));
  if (!stats) {
    err << "jobtrawl: " << stats.error().message << '\n';
    return kExitRuntime;
  }
  const auto& [sources, totals] = *stats;
  std::int64_t open = 0, closed = 0, fresh = 0;
  for (const auto& s : sources) {
    open += s.open;
    closed += s.closed;
    fresh += s.new_24h;
  }
  auto rate = [](const std::optional<double>& r) {
    if (!r) return std::string("-");
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f%%", *r * 100);
    return std::string(buf);
  };
  if (format == "json") {
    json::array list;
    for (const auto& s : sources) {
      list.push_back(json::object{
          {"source", s.name}, {"open", s.open}, {"closed", s.closed}, {"new_24h", s.new_24h},
          {"last_crawl", s.last_crawl.empty() ? json::value(nullptr) : json::value(s.last_crawl)},
          {"last_finished", s.last_finished.empty() ? json::value(nullptr) : json::value(s.last_finished)},
          {"last_status", s.last_status.empty() ? json::value(nullptr) : json::value(s.last_status)},
          {"error_rate", s.error_rate ? json::value(*s.error_rate) : json::value(nullptr)},
          {"degraded", s.degraded.empty() ? json::value(nullptr) : json::value(s.degraded)}});
    }
    out << JsonText(json::object{
               {"sources", std::move(list)},
               {"listings", json::object{{"open", open}, {"closed", closed}, {"new_24h", fresh}}},
               {"postings", json::object{{"open", totals.open_postings},
                                         {"closed", totals.closed_postings},
                                         {"new_24h", totals.new_postings_24h}}}})
        << '\n';
    return kExitOk;
  }
  std::size_t width = 6;
  for (const auto& s : sources) width = std::max(width, s.name.size());
  auto row = [&](const std::string& name, const std::string& a, const std::string& b,
                 const std::string& c, const std::string& last, const std::string& status,
                 const std::string& errors) {
    std::ostringstream line;
    line << std::left << std::setw(static_cast<int>(width)) << name << std::right << std::setw(8) << a
         << std::setw(8) << b << std::setw(9) << c << "  " << std::left << std::setw(22) << last
         << std::setw(12) << status << std::right << std::setw(10) << errors;
    std::string text = line.str();
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << '\n';
  };
  row("source", "open", "closed", "new 24h", "last crawl", "status", "error rate");
  for (const auto& s : sources) {
    row(s.name, std::to_string(s.open), std::to_string(s.closed), std::to_string(s.new_24h),
        s.last_crawl.empty() ? "never" : s.last_crawl, s.last_status.empty() ? "-" : s.last_status,
        rate(s.error_rate));
  }
  row("total", std::to_string(open), std::to_string(closed), std::to_string(fresh), "", "", "");
  out << "postings: " << totals.open_postings << " open, " << totals.closed_postings << " closed, "
      << totals.new_postings_24h
      << " new in the last 24 h (open, closed and new above count listings: one per source "
         "that carries a job)\n";
  for (const auto& s : sources) {
    if (!s.degraded.empty()) out << s.name << ": " << s.degraded << '\n';
  }
  return kExitOk;
}

boost::json::object RowToJson(const storage::Row& row) {
  json::object o;
  for (std::size_t i = 0; i < row.columns->size(); ++i) {
    o[(*row.columns)[i]] = ToJson((*row.columns)[i], row.values[i]);
  }
  return o;
}

}  // namespace jobtrawl::app
