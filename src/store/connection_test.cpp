#include "store/connection.hpp"

#include <gtest/gtest.h>

#include <string>

#include "support/store/test_support.hpp"

namespace swabline::store {
namespace {

std::int64_t One(Connection& db, const std::string& sql) {
  auto q = db.Query(sql);
  EXPECT_EQ(q->Next(), Step::kRow);
  return q->Int(0);
}

TEST(ConnectionQuery, TellsApartDifferentSqlAskedForFromTheSameAddress) {
  test::TestDb t;
  std::string sql = "SELECT 1";
  const char* address = sql.data();
  EXPECT_EQ(One(t.db(), sql), 1);
  sql.assign("SELECT 2");  // same buffer: the statement cache must not go by address alone
  ASSERT_EQ(sql.data(), address);
  EXPECT_EQ(One(t.db(), sql), 2);
  sql.assign("SELECT 1");
  EXPECT_EQ(One(t.db(), sql), 1);
}

TEST(ConnectionQuery, FindsTheSameSqlFromAnotherAddress) {
  test::TestDb t;
  const std::string first = "SELECT 40 + 2";
  const std::string second = first;  // equal text, other buffer
  EXPECT_EQ(One(t.db(), first), 42);
  EXPECT_EQ(One(t.db(), second), 42);
  EXPECT_EQ(One(t.db(), "SELECT 40 + 2"), 42);
}

}  // namespace
}  // namespace swabline::store
