#include "store/bulk_insert.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/outbox.hpp"
#include "support/store/test_support.hpp"

namespace swabline::store {
namespace {

TEST(MultiRowInsert, InsertsRowsInOrderWithConsecutiveIdsAcrossStatements) {
  test::TestDb t;
  t.db().Exec("CREATE TABLE numbers(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
  t.db().Exec("INSERT INTO numbers(n) VALUES (-1)");
  const MultiRowInsert insert("INSERT INTO numbers(n) VALUES ", "(?)", 1);
  // More rows than one statement takes: two full statements and a short one.
  const std::size_t rows = 2 * MultiRowInsert::kMaxRows + 5;
  t.InTx([&](Tx& tx) {
    insert.Run(tx, rows, [](Statement& q, int at, std::size_t i) {
      q.Bind(at, static_cast<std::int64_t>(i * 10));
    });
  });
  auto q = t.db().Query("SELECT id, n FROM numbers WHERE id > 1 ORDER BY id");
  std::int64_t expected_id = 2;
  std::size_t i = 0;
  for (; q->Next() == Step::kRow; ++i, ++expected_id) {
    EXPECT_EQ(q->Int(0), expected_id);
    EXPECT_EQ(q->Int(1), static_cast<std::int64_t>(i * 10));
  }
  EXPECT_EQ(i, rows);
}

TEST(MultiRowInsert, NoRowsRunsNoStatement) {
  test::TestDb t;
  const MultiRowInsert insert("INSERT INTO outbox_nowhere(n) VALUES ", "(?)", 1);
  // The table does not exist: preparing the statement would throw.
  t.InTx([&](Tx& tx) { insert.Run(tx, 0, [](Statement&, int, std::size_t) {}); });
}

TEST(AppendOutboxRows, KeepsTheRowsInOrder) {
  test::TestDb t;
  std::vector<OutboxRow> rows;
  for (int i = 0; i < 150; ++i)
    rows.push_back({i % 2 ? "status_yellow" : "zone_started", i % 2 ? "resident" : "place",
                    std::to_string(i), "{\"incident_id\":" + std::to_string(i) + "}", 1000 + i});
  t.InTx([&](Tx& tx) { AppendOutboxRows(tx, rows); });
  const std::vector<OutboxRow> read = OutboxRows(t.db());
  ASSERT_EQ(read.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(read[i].event, rows[i].event);
    EXPECT_EQ(read[i].recipient_kind, rows[i].recipient_kind);
    EXPECT_EQ(read[i].recipient, rows[i].recipient);
    EXPECT_EQ(read[i].payload, rows[i].payload);
    EXPECT_EQ(read[i].created_at, rows[i].created_at);
  }
}

}  // namespace
}  // namespace swabline::store
