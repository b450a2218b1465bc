// The PostgreSQL implementation of the storage SQL layer (storage/sql.h)
// over storage/pg/connection.h. One server-side prepared statement per SQL
// text per connection; parameters are sent as text with the server
// inferring their types (pg::Type::kUnknown). Rows are read whole by each
// execution (libpq's default), so a statement may be stepped while others
// run on the same connection.
#ifndef JOBTRAWL_STORAGE_PG_SQL_PG_H_
#define JOBTRAWL_STORAGE_PG_SQL_PG_H_

#include <memory>

#include "storage/pg/connection.h"
#include "storage/sql.h"

namespace jobtrawl::storage::pg {

// The first half of the two-key advisory locks sql::Connection::LockKeys
// takes (pg_advisory_xact_lock(kStoreLockClass, key), "jt" as ASCII): a
// space of its own, apart from the one-key locks (kMigrationLockKey).
// The store locks the dedup group of each listing it matches
// (storage/dedup.h) with them, so writers of one group take turns while
// writers of different groups run at once.
inline constexpr std::int32_t kStoreLockClass = 0x6a74;

// Takes `connection` over; its statements live as long as the result.
// The connection reconnects by itself (storage/pg/connection.h).
std::unique_ptr<sql::Connection> WrapForSql(Connection connection);

// The pg::Connection under a connection WrapForSql made (for migrations
// and advisory locks); nullptr for any other connection.
Connection* Underlying(sql::Connection& connection);

}  // namespace jobtrawl::storage::pg

#endif  // JOBTRAWL_STORAGE_PG_SQL_PG_H_
