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

// The advisory lock a store's transaction takes at Begin() ("jtwrite1"):
// writers of one database commit one at a time, as SQLite's BEGIN
// IMMEDIATE makes them, so regrouping (storage/dedup.h) never races
// another node's. Statements outside a transaction do not take it.
inline constexpr std::int64_t kStoreWriteLockKey = 0x6a74777269746531LL;

// Takes `connection` over; its statements live as long as the result.
std::unique_ptr<sql::Connection> WrapForSql(Connection connection);

// The pg::Connection under a connection WrapForSql made (for migrations
// and advisory locks); nullptr for any other connection.
Connection* Underlying(sql::Connection& connection);

}  // namespace jobtrawl::storage::pg

#endif  // JOBTRAWL_STORAGE_PG_SQL_PG_H_
