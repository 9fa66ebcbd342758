#include "store/outbox_deliveries.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/outbox.hpp"
#include "support/store/test_support.hpp"

namespace swabline::store {
namespace {

void AddMessages(test::TestDb& t, int n, std::int64_t at) {
  t.InTx([&](Tx& tx) {
    for (int i = 0; i < n; ++i)
      AppendOutbox(tx,
                   {"status_yellow", "resident", std::to_string(i + 1), "{\"incident_id\":1}", at});
  });
}

std::vector<std::int64_t> Ids(const std::vector<DueDelivery>& due) {
  std::vector<std::int64_t> out;
  for (const DueDelivery& d : due) out.push_back(d.outbox_id);
  return out;
}

TEST(EnqueueDeliveries, TakesOnOnlyMessagesAfterTheLastItHas) {
  test::TestDb t;
  AddMessages(t, 3, 10);
  EXPECT_EQ(t.InTx([](Tx& tx) { return EnqueueDeliveries(tx, "log", 100); }), 3u);
  EXPECT_EQ(t.InTx([](Tx& tx) { return EnqueueDeliveries(tx, "log", 100); }), 0u);
  AddMessages(t, 2, 20);
  EXPECT_EQ(t.InTx([](Tx& tx) { return EnqueueDeliveries(tx, "log", 200); }), 2u);
  EXPECT_EQ(LastEnqueued(t.db(), "log"), 5);
  EXPECT_EQ(LastOutboxId(t.db()), 5);
}

TEST(EnqueueDeliveries, KeepsEachAdapterApart) {
  test::TestDb t;
  AddMessages(t, 2, 10);
  t.InTx([](Tx& tx) { EnqueueDeliveries(tx, "log", 100); });
  EXPECT_EQ(LastEnqueued(t.db(), "webhook"), 0);
  EXPECT_EQ(t.InTx([](Tx& tx) { return EnqueueDeliveries(tx, "webhook", 100); }), 2u);
  EXPECT_EQ(t.Count("SELECT COUNT(*) FROM outbox_deliveries"), 4);
}

TEST(ClaimDue, LeasesWhatItClaimsSoItIsNotClaimedTwice) {
  test::TestDb t;
  AddMessages(t, 3, 10);
  t.InTx([](Tx& tx) { EnqueueDeliveries(tx, "log", 100); });
  EXPECT_TRUE(AnyDue(t.db(), "log", 100));
  auto first = t.InTx([](Tx& tx) { return ClaimDue(tx, "log", 100, 2, 500); });
  EXPECT_EQ(Ids(first), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(first[0].event, "status_yellow");
  EXPECT_EQ(first[0].payload, "{\"incident_id\":1}");
  auto second = t.InTx([](Tx& tx) { return ClaimDue(tx, "log", 100, 10, 500); });
  EXPECT_EQ(Ids(second), (std::vector<std::int64_t>{3}));
  EXPECT_FALSE(AnyDue(t.db(), "log", 499));
  // A crash mid-send: the lease runs out and the rows are due again.
  EXPECT_EQ(t.InTx([](Tx& tx) { return ClaimDue(tx, "log", 500, 10, 900); }).size(), 3u);
}

TEST(MarkDelivered, IsNeverClaimedAgain) {
  test::TestDb t;
  AddMessages(t, 2, 10);
  t.InTx([](Tx& tx) { EnqueueDeliveries(tx, "log", 100); });
  t.InTx([](Tx& tx) {
    ClaimDue(tx, "log", 100, 10, 500);
    MarkDelivered(tx, "log", 1, 120);
    MarkDelivered(tx, "log", 1, 130);  // a repeat changes nothing
  });
  EXPECT_EQ(t.Count("SELECT attempts FROM outbox_deliveries WHERE outbox_id = 1"), 1);
  EXPECT_EQ(t.Count("SELECT delivered_at FROM outbox_deliveries WHERE outbox_id = 1"), 120);
  EXPECT_EQ(Ids(t.InTx([](Tx& tx) { return ClaimDue(tx, "log", 10'000, 10, 20'000); })),
            (std::vector<std::int64_t>{2}));
  const DeliveryBacklog backlog = Backlog(t.db(), "log");
  EXPECT_EQ(backlog.pending, 1);
  EXPECT_EQ(backlog.oldest_created_at, 10);
}

TEST(MarkFailed, CountsTheAttemptAndPutsTheRowOff) {
  test::TestDb t;
  AddMessages(t, 1, 10);
  t.InTx([](Tx& tx) {
    EnqueueDeliveries(tx, "webhook", 100);
    ClaimDue(tx, "webhook", 100, 10, 500);
    MarkFailed(tx, "webhook", 1, "HTTP 500", 300);
  });
  EXPECT_FALSE(AnyDue(t.db(), "webhook", 299));
  auto due = t.InTx([](Tx& tx) { return ClaimDue(tx, "webhook", 300, 10, 900); });
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].attempts, 1);
  EXPECT_EQ(t.Count("SELECT last_error = 'HTTP 500' FROM outbox_deliveries"), 1);
}

TEST(ReleaseClaims, MakesUnsentRowsDueAtOnce) {
  test::TestDb t;
  AddMessages(t, 2, 10);
  t.InTx([](Tx& tx) {
    EnqueueDeliveries(tx, "log", 100);
    ClaimDue(tx, "log", 100, 10, 5'000);
    ReleaseClaims(tx, "log", {2}, 150);
  });
  EXPECT_EQ(Ids(t.InTx([](Tx& tx) { return ClaimDue(tx, "log", 150, 10, 5'000); })),
            (std::vector<std::int64_t>{2}));
}

TEST(Backlog, IsEmptyWithNothingPending) {
  test::TestDb t;
  const DeliveryBacklog backlog = Backlog(t.db(), "log");
  EXPECT_EQ(backlog.pending, 0);
  EXPECT_FALSE(backlog.oldest_created_at);
}

}  // namespace
}  // namespace swabline::store
