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

TEST(RewriteForPostgres, ComparesValuesWithIsNullSafely) {
  EXPECT_EQ(RewriteForPostgres("SELECT a IS 'positive', b IS NOT ?, c IS NULL, d IS NOT NULL"),
            "SELECT a IS NOT DISTINCT FROM 'positive', b IS DISTINCT FROM $1, c IS NULL, d IS "
            "NOT NULL");
  EXPECT_EQ(
      RewriteForPostgres("WHERE tally_id IS NOT id AND a IS TRUE AND b IS NOT DISTINCT FROM c"),
      "WHERE tally_id IS DISTINCT FROM id AND a IS TRUE AND b IS NOT DISTINCT FROM c");
}

TEST(RewriteForPostgres, TellsScalarMaxAndMinFromTheAggregates) {
  EXPECT_EQ(RewriteForPostgres("SELECT MAX(0, w + ?), MIN(a, f(b, c)), MAX(x), min(f(a, b))"),
            "SELECT GREATEST(0, w + $1), LEAST(a, f(b, c)), MAX(x), min(f(a, b))");
}

TEST(RewriteForPostgres, DropsSqlitesPlannerHints) {
  EXPECT_EQ(RewriteForPostgres("SELECT 1 FROM places tp INDEXED BY places_tallies CROSS JOIN "
                               "samples s NOT INDEXED ON s.a = tp.id"),
            "SELECT 1 FROM places tp   JOIN samples s  ON s.a = tp.id");
}

TEST(RewriteForPostgres, SpellsTheRestThePostgresWay) {
  EXPECT_EQ(RewriteForPostgres("BEGIN IMMEDIATE"), "BEGIN");
  EXPECT_EQ(RewriteForPostgres("SELECT IFNULL(a, 0), CAST(b AS INTEGER) FROM t"),
            "SELECT COALESCE(a, 0), CAST(b AS BIGINT) FROM t");
  EXPECT_EQ(RewriteForPostgres("CREATE TABLE t (a INTEGER)"), "CREATE TABLE t (a INTEGER)")
      << "only a cast's INTEGER is widened";
  EXPECT_EQ(RewriteForPostgres("SELECT my_ifnull FROM t"), "SELECT my_ifnull FROM t");
  EXPECT_EQ(RewriteForPostgres("SELECT group_concat(level, ',') FROM zones"),
            "SELECT string_agg(level, ',') FROM zones");
}

}  // namespace
}  // namespace swabline::store
