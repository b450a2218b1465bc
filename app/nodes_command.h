// `jobtrawl nodes` (issue 15 part 3): the nodes of a fleet sharing one
// PostgreSQL database, from its `nodes` and `source_schedule` tables
// (storage/pg/work_queue.h): each node's state, heartbeat, the sources its
// config lists, the leases it holds and its crawl rate.
#ifndef JOBTRAWL_APP_NODES_COMMAND_H_
#define JOBTRAWL_APP_NODES_COMMAND_H_

#include <chrono>
#include <filesystem>
#include <ostream>
#include <string>

#include "storage/pg/work_queue.h"

namespace jobtrawl::app {

struct NodesOptions {
  std::string db;                        // a postgresql:// URL; empty: the config's
  std::filesystem::path config_file;     // read only when db is empty
  std::string format;                    // table | json; empty: table
  // A node whose heartbeat is older than its own lease ttl (stored when it
  // registered) is "silent" (dead or cut off; its leases expire); this is
  // the ttl of a node that stored none (registered before schema 20).
  storage::work::Duration live_within = std::chrono::minutes(2);
};

// The listing as `nodes` prints it: a table, or one JSON object per node
// per line. Sources: how many its config lists (it claims only those;
// "-" in the table, null in JSON, for a node that gave no list and may
// claim any); leases: the sources it holds a lease on. State: "live" (no stopped_at, heartbeat within the node's
// lease_ttl of list.now, else within live_within when it has none: it
// renews every ttl / 3, so a silent node missed at least two renewals),
// "stopped" (drained) or "silent"; rate: crawls per hour from
// started_at to stopped_at, else to heartbeat_at.
std::string FormatNodes(const storage::pg::NodeList& list, storage::work::Duration live_within, bool json);

// Exit codes: 0 listed, 2 bad --format or config, or a database that is
// not PostgreSQL (a SQLite file has no fleet), 3 the database could not be
// read.
int NodesCommand(const NodesOptions& options, std::ostream& out, std::ostream& err);

}  // namespace jobtrawl::app

#endif  // JOBTRAWL_APP_NODES_COMMAND_H_
