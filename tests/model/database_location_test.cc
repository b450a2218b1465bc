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

}  // namespace
}  // namespace jobtrawl
