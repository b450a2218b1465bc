#include "app/migrate_command.h"

#include <ostream>

#include "model/database_location.h"
#include "app/commands.h"

#ifdef JOBTRAWL_HAVE_PG
#include "storage/pg/sqlite_copy.h"
#endif

namespace jobtrawl::app {

int MigrateCommand(const MigrateOptions& o, std::ostream& out, std::ostream& err) {
  if (!IsPostgresUrl(o.to)) {
    err << "jobtrawl: --to must be a postgresql:// URL (postgresql://user:password@host:port/database)\n";
    return kExitUsage;
  }
  if (o.batch < 1) {
    err << "jobtrawl: --batch must be at least 1\n";
    return kExitUsage;
  }
#ifdef JOBTRAWL_HAVE_PG
  storage::pg::CopyOptions options{.batch_rows = o.batch, .replace = o.replace, .progress = {}};
  if (o.progress) {
    options.progress = [&err](std::string_view table, std::int64_t rows) {
      err << "jobtrawl: " << table << ": " << rows << " rows\n";
    };
  }
  auto copied = storage::pg::CopySqliteToPostgres(o.from, o.to, options);
  if (!copied) {
    err << "jobtrawl: " << copied.error().message << '\n';
    return kExitRuntime;
  }
  std::int64_t total = 0;
  for (const auto& t : *copied) {
    out << t.table << ' ' << t.rows << '\n';
    total += t.rows;
  }
  out << "copied " << total << " rows from " << o.from.string()
      << " into PostgreSQL; row counts checked\n";
  return kExitOk;
#else
  (void)out;
  err << "jobtrawl: this jobtrawl was built without PostgreSQL support (libpq)\n";
  return kExitUsage;
#endif
}

}  // namespace jobtrawl::app
