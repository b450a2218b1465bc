// Where the database lives: a file path (SQLite, the default) or a
// PostgreSQL connection URI (libpq's form, "postgresql://" or
// "postgres://", https://www.postgresql.org/docs/15/libpq-connect.html
// §34.1.1.2, several "host:port" pairs included). Config keeps the text as
// written; storage picks the backend by IsPostgresUrl and libpq judges the
// rest when it connects; anything that prints a location prints
// RedactedDatabaseLocation, never the text itself.
//
// Pure functions; thread-safe.
#ifndef JOBTRAWL_MODEL_DATABASE_LOCATION_H_
#define JOBTRAWL_MODEL_DATABASE_LOCATION_H_

#include <string>
#include <string_view>

namespace jobtrawl {

// True when `location` starts with a PostgreSQL URI scheme ("postgresql://"
// or "postgres://", scheme letters in any case, RFC 3986 §3.1).
bool IsPostgresUrl(std::string_view location);

// `location` for messages and logs: a PostgreSQL URI with its password (in
// the user information, "user:PASSWORD@", or a `password=` query
// parameter) replaced by "***"; a file path as it is.
std::string RedactedDatabaseLocation(std::string_view location);

// `text` (a message about `location`, such as libpq's error for a
// malformed URI, which quotes the token it could not read) with every
// occurrence of the location's password, as written and percent-decoded,
// replaced by "***". `text` itself when the location has no password.
std::string RedactPasswordIn(std::string_view text, std::string_view location);

}  // namespace jobtrawl

#endif  // JOBTRAWL_MODEL_DATABASE_LOCATION_H_
