#include "store/audit.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/connection.hpp"
#include "support/store/test_support.hpp"

namespace swabline::store {
namespace {

AuditEntry Entry(std::string detail) {
  return {"alice", "resident.create", "resident", "7", std::move(detail)};
}

/// Appends records "record 1" … "record n" in one transaction.
void AppendRecords(test::TestDb& t, int n) {
  t.InTx([n](Tx& tx) {
    for (int i = 1; i <= n; ++i)
      AppendAudit(tx, 1'000'000 * i, Entry("record " + std::to_string(i)));
  });
}

struct Link {
  std::int64_t seq;
  std::string prev_hash;
  std::string hash;
};

std::vector<Link> Links(Connection& db) {
  std::vector<Link> out;
  auto q = db.Query("SELECT seq, prev_hash, hash FROM audit ORDER BY seq");
  while (q->Next() == Step::kRow)
    out.push_back({q->Int(0), std::string(q->Blob(1)), std::string(q->Blob(2))});
  return out;
}

TEST(AppendAudit, ChainsEachRecordToTheOneBefore) {
  test::TestDb t;
  AppendRecords(t, 3);

  const std::vector<Link> links = Links(t.db());
  ASSERT_EQ(links.size(), 3u);
  EXPECT_EQ(links[0].seq, 1);
  EXPECT_EQ(links[0].prev_hash, std::string(32, '\0')) << "the first record links to genesis";
  for (std::size_t i = 1; i < links.size(); ++i) {
    EXPECT_EQ(links[i].seq, links[i - 1].seq + 1);
    EXPECT_EQ(links[i].prev_hash, links[i - 1].hash);
  }
  for (const Link& l : links) EXPECT_EQ(l.hash.size(), 32u);

  const AuditVerdict verdict = VerifyAudit(t.db());
  EXPECT_EQ(verdict.records, 3);
  EXPECT_FALSE(verdict.broken_seq.has_value()) << verdict.reason;
}

TEST(AppendAudit, HashesTheDocumentedByteStreamSoOldChainsStillVerify) {
  // SHA-256 over each field as an 8-byte little-endian length and its bytes: genesis (32 zero
  // bytes), seq, time, actor, action, entity, entity id, detail. Computed independently
  // (Python's hashlib); a change of layout would break every chain already written.
  test::TestDb t;
  t.InTx([](Tx& tx) {
    AppendAudit(tx, 1'795'920'236'000'000, {"admin", "sample.add", "sample", "7", "tube=T1 居民"});
  });
  auto q = t.db().Query("SELECT hex(hash) FROM audit WHERE seq = 1");
  ASSERT_EQ(q->Next(), Step::kRow);
  EXPECT_EQ(q->Str(0), "FE8D5BA411BFE12992481DD1AF0A6E062E17E12EAAE68409ADB2DE7AA426CF36");
}

TEST(AppendAudit, ContinuesTheChainAcrossTransactions) {
  test::TestDb t;
  AppendRecords(t, 2);
  AppendRecords(t, 2);
  const AuditVerdict verdict = VerifyAudit(t.db());
  EXPECT_EQ(verdict.records, 4);
  EXPECT_FALSE(verdict.broken_seq.has_value()) << verdict.reason;
}

TEST(AppendAudit, GivesIdenticalEntriesDifferentHashes) {
  test::TestDb t;
  t.InTx([](Tx& tx) {
    AppendAudit(tx, 5, Entry("same"));
    AppendAudit(tx, 5, Entry("same"));
  });
  const std::vector<Link> links = Links(t.db());
  ASSERT_EQ(links.size(), 2u);
  EXPECT_NE(links[0].hash, links[1].hash);
}

TEST(AppendAudit, LeavesNoTraceOfARolledBackSavepointAndTheChainStillVerifies) {
  test::TestDb t;
  t.InTx([](Tx& tx) {
    AppendAudit(tx, 1, Entry("kept 1"));
    tx.db().Exec("SAVEPOINT job");
    AppendAudit(tx, 2, Entry("undone"));
    tx.db().Exec("ROLLBACK TO job");
    tx.db().Exec("RELEASE job");
    AppendAudit(tx, 3, Entry("kept 2"));
  });

  EXPECT_EQ(t.Count("SELECT COUNT(*) FROM audit WHERE detail = 'undone'"), 0);
  EXPECT_EQ(t.Count("SELECT seq FROM audit WHERE detail = 'kept 2'"), 2);
  const AuditVerdict verdict = VerifyAudit(t.db());
  EXPECT_EQ(verdict.records, 2);
  EXPECT_FALSE(verdict.broken_seq.has_value()) << verdict.reason;
}

TEST(VerifyAudit, AcceptsAnEmptyLog) {
  test::TestDb t;
  const AuditVerdict verdict = VerifyAudit(t.db());
  EXPECT_EQ(verdict.records, 0);
  EXPECT_FALSE(verdict.broken_seq.has_value());
}

TEST(VerifyAudit, FindsAnEditedDetail) {
  test::TestDb t;
  AppendRecords(t, 4);
  t.db().Exec("UPDATE audit SET detail = 'nothing happened' WHERE seq = 2");

  const AuditVerdict verdict = VerifyAudit(t.db());
  EXPECT_EQ(verdict.broken_seq, 2);
  EXPECT_EQ(verdict.records, 1);
  EXPECT_NE(verdict.reason.find("altered"), std::string::npos) << verdict.reason;
}

TEST(VerifyAudit, FindsAnEditedActor) {
  test::TestDb t;
  AppendRecords(t, 3);
  t.db().Exec("UPDATE audit SET actor = 'mallory' WHERE seq = 3");
  EXPECT_EQ(VerifyAudit(t.db()).broken_seq, 3);
}

TEST(VerifyAudit, FindsAnEditedHash) {
  test::TestDb t;
  AppendRecords(t, 4);
  t.db().Exec("UPDATE audit SET hash = zeroblob(32) WHERE seq = 3");

  const AuditVerdict verdict = VerifyAudit(t.db());
  EXPECT_EQ(verdict.broken_seq, 3);
  EXPECT_EQ(verdict.records, 2);
}

TEST(VerifyAudit, FindsAnEditedLink) {
  test::TestDb t;
  AppendRecords(t, 3);
  t.db().Exec("UPDATE audit SET prev_hash = zeroblob(32) WHERE seq = 2");
  const AuditVerdict verdict = VerifyAudit(t.db());
  EXPECT_EQ(verdict.broken_seq, 2);
  EXPECT_NE(verdict.reason.find("link"), std::string::npos) << verdict.reason;
}

TEST(VerifyAudit, FindsADeletedMiddleRecord) {
  test::TestDb t;
  AppendRecords(t, 4);
  t.db().Exec("DELETE FROM audit WHERE seq = 2");

  const AuditVerdict verdict = VerifyAudit(t.db());
  EXPECT_EQ(verdict.broken_seq, 2);
  EXPECT_EQ(verdict.records, 1);
  EXPECT_NE(verdict.reason.find("missing"), std::string::npos) << verdict.reason;
}

TEST(VerifyAudit, FindsADeletedFirstRecord) {
  test::TestDb t;
  AppendRecords(t, 3);
  t.db().Exec("DELETE FROM audit WHERE seq = 1");
  EXPECT_EQ(VerifyAudit(t.db()).broken_seq, 1);
}

TEST(VerifyAudit, ReportsTheFirstBrokenRecord) {
  test::TestDb t;
  AppendRecords(t, 6);
  t.db().Exec("UPDATE audit SET detail = 'edited' WHERE seq IN (3, 5)");
  t.db().Exec("DELETE FROM audit WHERE seq = 4");
  EXPECT_EQ(VerifyAudit(t.db()).broken_seq, 3);
}

}  // namespace
}  // namespace swabline::store
