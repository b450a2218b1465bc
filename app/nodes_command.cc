#include "app/nodes_command.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <vector>

#include "app/commands.h"
#include "app/json_text.h"
#include "config/config.h"
#include "model/database_location.h"
#include "model/date_time.h"

namespace jobtrawl::app {
namespace {

namespace json = boost::json;
namespace pg = storage::pg;
namespace work = storage::work;

std::string Utc(work::Time t) {
  return FormatDateTime(DateTime{std::chrono::floor<std::chrono::seconds>(t), true});
}

std::string State(const pg::NodeInfo& n, work::Time now, work::Duration live_within) {
  if (n.stopped_at) return "stopped";
  return now - n.heartbeat_at <= n.lease_ttl.value_or(live_within) ? "live" : "silent";
}

std::optional<double> PerHour(const pg::NodeInfo& n) {
  const work::Time until = n.stopped_at ? *n.stopped_at : n.heartbeat_at;
  const double hours = std::chrono::duration<double, std::ratio<3600>>(until - n.started_at).count();
  if (hours <= 0) return std::nullopt;
  return static_cast<double>(n.crawls) / hours;
}

}  // namespace

std::string FormatNodes(const pg::NodeList& list, work::Duration live_within, bool as_json) {
  std::ostringstream out;
  if (as_json) {
    for (const pg::NodeInfo& n : list.nodes) {
      const auto rate = PerHour(n);
      out << JsonText(json::object{
                 {"name", n.name},
                 {"hostname", n.hostname},
                 {"pid", n.pid},
                 {"state", State(n, list.now, live_within)},
                 {"started_at", Utc(n.started_at)},
                 {"heartbeat_at", Utc(n.heartbeat_at)},
                 {"stopped_at", n.stopped_at ? json::value(Utc(*n.stopped_at)) : json::value(nullptr)},
                 {"sources", n.sources ? json::value(*n.sources) : json::value(nullptr)},
                 {"leases", n.leases},
                 {"crawls", n.crawls},
                 {"failures", n.failures},
                 {"crawls_per_hour", rate ? json::value(*rate) : json::value(nullptr)}})
          << '\n';
    }
    return out.str();
  }
  std::vector<std::vector<std::string>> rows = {
      {"NODE", "HOST", "PID", "STATE", "STARTED", "HEARTBEAT", "SOURCES", "LEASES", "CRAWLS", "FAILED", "PER HOUR"}};
  for (const pg::NodeInfo& n : list.nodes) {
    const auto rate = PerHour(n);
    char per_hour[32] = "-";
    if (rate) std::snprintf(per_hour, sizeof per_hour, "%.1f", *rate);
    rows.push_back({n.name, n.hostname, std::to_string(n.pid), State(n, list.now, live_within), Utc(n.started_at),
                    Utc(n.heartbeat_at), n.sources ? std::to_string(*n.sources) : "-", std::to_string(n.leases), std::to_string(n.crawls),
                    std::to_string(n.failures), per_hour});
  }
  std::vector<std::size_t> width(rows[0].size());
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 2, ' ');
    }
    out << line << '\n';
  }
  return out.str();
}

int NodesCommand(const NodesOptions& o, std::ostream& out, std::ostream& err) {
  const std::string format = o.format.empty() ? "table" : o.format;
  if (format != "table" && format != "json") {
    err << "jobtrawl: --format \"" << format << "\" is not one of table, json\n";
    return kExitUsage;
  }
  std::string db = o.db;
  if (db.empty()) {
    auto config = config::LoadConfig(o.config_file);
    if (!config) {
      for (const auto& e : config.error()) err << e.ToString() << '\n';
      return kExitUsage;
    }
    db = config->storage.database.string();
  }
  if (!IsPostgresUrl(db)) {
    err << "jobtrawl: nodes share work only through a PostgreSQL database; " << RedactedDatabaseLocation(db)
        << " is a SQLite file, served by one machine\n";
    return kExitUsage;
  }
  auto connection = pg::Connection::Open(db);
  if (!connection) {
    err << "jobtrawl: " << connection.error().message << '\n';
    return kExitRuntime;
  }
  auto list = pg::ListNodes(*connection);
  if (!list) {
    err << "jobtrawl: " << list.error().message << '\n';
    return kExitRuntime;
  }
  out << FormatNodes(*list, o.live_within, format == "json");
  return kExitOk;
}

}  // namespace jobtrawl::app
