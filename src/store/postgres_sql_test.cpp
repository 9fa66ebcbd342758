#include "store/postgres_sql.hpp"

#include <gtest/gtest.h>

namespace swabline::store {
namespace {

TEST(RewriteForPostgres, NumbersParametersInOrder) {
  EXPECT_EQ(RewriteForPostgres("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
  EXPECT_EQ(RewriteForPostgres("UPDATE t SET a = ?2 WHERE id = ?1"),
            "UPDATE t SET a = $2 WHERE id = $1");
}

TEST(RewriteForPostgres, LeavesLiteralsIdentifiersAndCommentsAlone) {
  EXPECT_EQ(
      RewriteForPostgres("SELECT '?', 'it''s ? ifnull', \"odd?\" -- why?\nFROM t WHERE a = ?"),
      "SELECT '?', 'it''s ? ifnull', \"odd?\" -- why?\nFROM t WHERE a = $1");
  EXPECT_EQ(RewriteForPostgres("SELECT /* ? IFNULL */ ?"), "SELECT /* ? IFNULL */ $1");
}

TEST(RewriteForPostgres, InsertOrIgnoreBecomesOnConflictDoNothing) {
  EXPECT_EQ(RewriteForPostgres("INSERT OR IGNORE INTO t (a) VALUES (?)"),
            "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING");
  EXPECT_EQ(RewriteForPostgres("insert or ignore into t (a)\n  SELECT a FROM u\n"),
            "insert into t (a)\n  SELECT a FROM u ON CONFLICT DO NOTHING\n");
  EXPECT_EQ(RewriteForPostgres("INSERT OR IGNORE INTO t (a) VALUES (?) RETURNING id"),
            "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING RETURNING id");
  EXPECT_EQ(RewriteForPostgres("INSERT OR IGNORE INTO t VALUES (1); INSERT INTO u VALUES (2);"),
            "INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING; INSERT INTO u VALUES (2);");
  EXPECT_EQ(RewriteForPostgres("INSERT INTO orders (a) VALUES (1)"),
            "INSERT INTO orders (a) VALUES (1)")
      << "a word that begins with OR is not OR";
}

TEST(RewriteForPostgres, SpellsTheRestThePostgresWay) {
  EXPECT_EQ(RewriteForPostgres("BEGIN IMMEDIATE"), "BEGIN");
  EXPECT_EQ(RewriteForPostgres("SELECT IFNULL(a, 0), CAST(b AS INTEGER) FROM t"),
            "SELECT COALESCE(a, 0), CAST(b AS BIGINT) FROM t");
  EXPECT_EQ(RewriteForPostgres("CREATE TABLE t (a INTEGER)"), "CREATE TABLE t (a INTEGER)")
      << "only a cast's INTEGER is widened";
  EXPECT_EQ(RewriteForPostgres("SELECT my_ifnull FROM t"), "SELECT my_ifnull FROM t");
}

}  // namespace
}  // namespace swabline::store
