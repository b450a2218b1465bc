// model/database_location.h: telling a PostgreSQL URI from a SQLite path,
// and printing either without a password.
#include "model/database_location.h"

#include <gtest/gtest.h>

namespace jobtrawl {
namespace {

TEST(DatabaseLocationTest, PostgresUrlsByTheirSchemeInAnyCase) {
  EXPECT_TRUE(IsPostgresUrl("postgresql://127.0.0.1/jobs"));
  EXPECT_TRUE(IsPostgresUrl("postgres://127.0.0.1/jobs"));
  EXPECT_TRUE(IsPostgresUrl("PostgreSQL://127.0.0.1/jobs"));
  EXPECT_FALSE(IsPostgresUrl("jobs.db"));
  EXPECT_FALSE(IsPostgresUrl("/var/lib/jobtrawl/jobs.db"));
  EXPECT_FALSE(IsPostgresUrl("postgresql:jobs.db"));
  EXPECT_FALSE(IsPostgresUrl("file:postgresql://x"));
  EXPECT_FALSE(IsPostgresUrl(""));
}

TEST(DatabaseLocationTest, RedactedHidesEveryPassword) {
  EXPECT_EQ(RedactedDatabaseLocation("/var/lib/jobtrawl/jobs.db"), "/var/lib/jobtrawl/jobs.db");
  EXPECT_EQ(RedactedDatabaseLocation("postgresql://127.0.0.1/jobs"), "postgresql://127.0.0.1/jobs");
  EXPECT_EQ(RedactedDatabaseLocation("postgresql://jt:s3cret@127.0.0.1:5432/jobs"),
            "postgresql://jt:***@127.0.0.1:5432/jobs");
  EXPECT_EQ(RedactedDatabaseLocation("postgresql://jt@127.0.0.1/jobs?password=s3cret&sslmode=disable"),
            "postgresql://jt@127.0.0.1/jobs?password=***&sslmode=disable");
  EXPECT_EQ(RedactedDatabaseLocation("postgresql://jt:s3cret@h1:5432,h2:5433/jobs%zz?PASSWORD=x#frag"),
            "postgresql://jt:***@h1:5432,h2:5433/jobs%zz?PASSWORD=***#frag");
  // An '@' or ':' in the path or query is not user information.
  EXPECT_EQ(RedactedDatabaseLocation("postgresql://h/jobs?application_name=a@b:c"),
            "postgresql://h/jobs?application_name=a@b:c");
  EXPECT_EQ(RedactedDatabaseLocation("postgresql://:pw@h"), "postgresql://:***@h");
  EXPECT_EQ(RedactedDatabaseLocation("postgresql://"), "postgresql://");
}

TEST(DatabaseLocationTest, RedactPasswordInHidesItAsWrittenAndDecoded) {
  // libpq's message for a malformed URI quotes the token it could not read.
  EXPECT_EQ(RedactPasswordIn("invalid percent-encoded token: \"p%zz\"", "postgresql://u:p%zz@h/db"),
            "invalid percent-encoded token: \"***\"");
  EXPECT_EQ(RedactPasswordIn("auth for s3cr@t and s3cr%40t failed", "postgresql://u:s3cr%40t@h/db"),
            "auth for *** and *** failed");
  EXPECT_EQ(RedactPasswordIn("bad pw: hunter2", "postgresql://h/db?sslmode=disable&password=hunter2"), "bad pw: ***");
  EXPECT_EQ(RedactPasswordIn("no password here", "postgresql://u@h/db"), "no password here");
  EXPECT_EQ(RedactPasswordIn("a message", "/var/lib/jobs.db"), "a message");
}

}  // namespace
}  // namespace jobtrawl
