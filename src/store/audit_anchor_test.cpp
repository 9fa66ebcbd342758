// The audit chain's daily anchors (docs/security.md, Malicious lab staff): someone with write
// access to the database file can rewrite a record and recompute every hash after it, and the
// chain verifies again; a head published before the rewrite does not.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/audit.hpp"
#include "support/store/test_support.hpp"

namespace swabline::store {
namespace {

constexpr std::int64_t kDay = 86'400LL * 1'000'000;
constexpr std::int64_t kMay1 = 1'777'593'600LL * 1'000'000;  // 2026-05-01T00:00:00Z

void Append(test::TestDb& t, std::int64_t at, const std::string& detail) {
  t.InTx([&](Tx& tx) { AppendAudit(tx, at, {"lab1", "tube.result", "tube", "T-1", detail}); });
}

/// Three records on 1 May, two on 2 May, one on 4 May.
void ThreeDays(test::TestDb& t) {
  for (int i = 1; i <= 3; ++i) Append(t, kMay1 + i * 1'000'000, "may 1 #" + std::to_string(i));
  for (int i = 1; i <= 2; ++i)
    Append(t, kMay1 + kDay + i * 1'000'000, "may 2 #" + std::to_string(i));
  Append(t, kMay1 + 3 * kDay + 5, "may 4");
}

/// What an attacker with the file does: rewrites record `seq` and every record after it
/// through AppendAudit, so that each hash is right again.
void RewriteFrom(test::TestDb& t, std::int64_t seq, const std::string& new_detail) {
  struct Row {
    std::int64_t at;
    AuditEntry entry;
  };
  std::vector<Row> rows;
  {
    auto q = t.db().Query(
        "SELECT at, actor, action, entity, entity_id, detail FROM audit WHERE seq >= ? ORDER BY "
        "seq");
    q->Bind(1, seq);
    while (q->Next() == Step::kRow)
      rows.push_back({q->Int(0), {q->Str(1), q->Str(2), q->Str(3), q->Str(4), q->Str(5)}});
  }
  rows.front().entry.detail = new_detail;
  t.InTx([&](Tx& tx) {
    tx.db().Exec("DROP TRIGGER audit_anchors_append_only_d");
    tx.db().Exec("DELETE FROM audit_anchors");  // the attacker's own copy goes too
    auto del = tx.Query("DELETE FROM audit WHERE seq >= ?");
    del->Bind(1, seq).RunOrThrow();
    for (const Row& r : rows) AppendAudit(tx, r.at, r.entry);
  });
}

TEST(AuditAnchors, TheFirstRecordOfADayAnchorsTheDayBefore) {
  test::TestDb t;
  ThreeDays(t);
  const std::vector<AuditAnchor> anchors = ListAuditAnchors(t.db());
  ASSERT_EQ(anchors.size(), 2u);  // no records on 3 May, and 4 May has not ended
  EXPECT_EQ(anchors[0].day, "2026-05-01");
  EXPECT_EQ(anchors[0].seq, 3);
  EXPECT_EQ(anchors[1].day, "2026-05-02");
  EXPECT_EQ(anchors[1].seq, 5);
  EXPECT_EQ(anchors[1].head_hash.size(), 32u);

  // On demand: a stored day, a day without records (its head is the day before's), today.
  EXPECT_EQ(AuditAnchorOf(t.db(), "2026-05-02")->seq, 5);
  EXPECT_EQ(AuditAnchorOf(t.db(), "2026-05-03")->seq, 5);
  EXPECT_EQ(AuditAnchorOf(t.db(), "2026-05-03")->head_hash, anchors[1].head_hash);
  EXPECT_EQ(AuditAnchorOf(t.db(), "2026-05-04")->seq, 6);
  EXPECT_FALSE(AuditAnchorOf(t.db(), "2026-04-30").has_value());
  EXPECT_FALSE(AuditAnchorOf(t.db(), "2026-02-30").has_value());
  EXPECT_FALSE(AuditAnchorOf(t.db(), "May 1").has_value());
  const auto head = AuditHead(t.db());
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->day, "2026-05-04");
  EXPECT_EQ(head->seq, 6);
}

TEST(AuditAnchors, AnUntouchedChainPassesThroughEveryAnchor) {
  test::TestDb t;
  ThreeDays(t);
  const AuditAnchor published = *AuditAnchorOf(t.db(), "2026-05-02");
  const AuditVerdict v = VerifyAudit(t.db(), {published, *AuditHead(t.db())});
  EXPECT_FALSE(v.broken_seq.has_value()) << v.reason;
  EXPECT_EQ(v.records, 6);
}

TEST(AuditAnchors, ARewrittenAndRecomputedChainFailsAgainstAPublishedAnchor) {
  test::TestDb t;
  ThreeDays(t);
  const AuditAnchor published = *AuditAnchorOf(t.db(), "2026-05-02");
  RewriteFrom(t, 2, "nothing happened here");

  // Without the anchor the rewritten chain verifies: this is what anchoring is for.
  EXPECT_FALSE(VerifyAudit(t.db()).broken_seq.has_value());
  const AuditVerdict v = VerifyAudit(t.db(), {published});
  ASSERT_TRUE(v.broken_seq.has_value());
  EXPECT_EQ(*v.broken_seq, 5);
  EXPECT_NE(v.reason.find("anchored for 2026-05-02"), std::string::npos) << v.reason;
}

TEST(AuditAnchors, AChainCutShortBeforeAnAnchorFails) {
  test::TestDb t;
  ThreeDays(t);
  const AuditAnchor published = *AuditHead(t.db());
  t.InTx([](Tx& tx) { tx.db().Exec("DELETE FROM audit WHERE seq = 6"); });
  const AuditVerdict v = VerifyAudit(t.db(), {published});
  ASSERT_TRUE(v.broken_seq.has_value());
  EXPECT_NE(v.reason.find("records were deleted"), std::string::npos) << v.reason;
}

TEST(AuditAnchors, StoredAnchorsAreCheckedAndAppendOnly) {
  test::TestDb t;
  ThreeDays(t);
  EXPECT_THROW(t.InTx([](Tx& tx) { tx.db().Exec("UPDATE audit_anchors SET seq = 1"); }),
               StoreError);
  EXPECT_THROW(t.InTx([](Tx& tx) { tx.db().Exec("DELETE FROM audit_anchors"); }), StoreError);
  // A rewrite that recomputes the chain but leaves the stored anchors is caught by them.
  t.InTx([](Tx& tx) {
    tx.db().Exec("DROP TRIGGER audit_anchors_append_only_u");
    tx.db().Exec("UPDATE audit_anchors SET head_hash = zeroblob(32) WHERE day = '2026-05-01'");
  });
  const AuditVerdict v = VerifyAudit(t.db());
  ASSERT_TRUE(v.broken_seq.has_value());
  EXPECT_EQ(*v.broken_seq, 3);
}

}  // namespace
}  // namespace swabline::store
