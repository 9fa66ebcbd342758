#include "service/key_rotation.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "core/personal_code.hpp"
#include "service/code_verifier.hpp"
#include "service/personal_code.hpp"
#include "service/registry.hpp"
#include "store/key_ring.hpp"
#include "support/service/test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;
using store::KeyKind;
using test::Csv;
using test::IdNumber;
using test::World;

/// The resident a code names, or 0 when refused.
std::int64_t Resolved(const core::Result<std::int64_t>& r) { return r.ok() ? *r : 0; }

/// A world whose vault follows a key file, as a server's does, so that tests can rotate.
struct RotatingWorld {
  World w;
  store::test::TempDir dir;
  std::string key_path = dir.File("swabline.db.key");
  store::Vault vault = store::Vault::LoadOrCreate(key_path);
  Env env{vault, w.clock};

  std::uint32_t Rotate(KeyKind kind) {
    store::KeyRing ring = store::ReadKeyFile(key_path);
    const std::uint32_t kid = store::AddKey(ring, kind, w.clock.Now() / 1'000'000);
    store::WriteKeyFile(key_path, ring);
    EXPECT_TRUE(vault.Reload());
    return kid;
  }
  void Retire(KeyKind kind, std::uint32_t kid) {
    store::KeyRing ring = store::ReadKeyFile(key_path);
    store::RemoveKey(ring, kind, kid);
    store::WriteKeyFile(key_path, ring);
    EXPECT_TRUE(vault.Reload());
  }
  void Import(int first, int count) {
    std::string csv(test::kCsvHeader);
    for (int i = first; i < first + count; ++i)
      csv += IdNumber(i) + ",居民" + std::to_string(i) +
             ",13800000000,朝阳区,和平街街道,小黄庄社区,1号楼,1单元,101,\n";
    auto report =
        w.InTx([&](store::Tx& tx) { return ImportResidents(tx, env, Actor::System(), csv); });
    ASSERT_TRUE(report.ok());
    ASSERT_TRUE(report->rejected.empty());
  }
  SealedCensus Census() { return CountSealedIdNumbers(w.conn(), vault); }
  /// Re-encrypts to the end in batches of `limit`; the residents re-sealed.
  std::int64_t ReencryptAll(int limit) {
    std::int64_t resealed = 0;
    ReencryptStep step;
    do {
      step = w.InTx([&](store::Tx& tx) { return ReencryptBatch(tx, vault, step.last_id, limit); });
      resealed += step.resealed;
    } while (!step.done);
    return resealed;
  }
  /// The resident with this ID number, found through this vault's look-up digest.
  std::int64_t ResidentIdOf(int seq) {
    auto q = w.conn().Query("SELECT id FROM residents WHERE doc_hash = ?");
    q->BindBlob(1, vault.Digest("resident_id:" + IdNumber(seq)));
    return q->Next() == store::Step::kRow ? q->Int(0) : 0;
  }
  /// The same, in clear.
  std::string Reveal(int seq) {
    const std::int64_t id = ResidentIdOf(seq);
    auto r = w.InTx([&](store::Tx& tx) { return RevealResident(tx, env, Actor::System(), id); });
    return r.ok() ? r->id_number : r.error().detail;
  }
};

TEST(ReencryptBatch, MovesEveryRowToTheNewestKeyAndLookupsKeepWorking) {
  RotatingWorld rw;
  rw.Import(1, 25);
  EXPECT_EQ(rw.Rotate(KeyKind::kIdNumber), 1u);
  rw.Import(100, 5);  // sealed under the new key at once
  EXPECT_EQ(rw.Census().by_kid[0], 25);
  EXPECT_EQ(rw.Census().by_kid[1], 5);
  EXPECT_EQ(rw.Reveal(7), IdNumber(7));  // an old box opens mid-rotation

  EXPECT_EQ(rw.ReencryptAll(4), 25);
  const SealedCensus census = rw.Census();
  EXPECT_EQ(census.by_kid.size(), 1u);
  EXPECT_EQ(census.by_kid.at(1), 30);
  EXPECT_EQ(census.unreadable, 0);
  rw.Retire(KeyKind::kIdNumber, 0);
  for (int seq : {1, 13, 25, 100, 104}) EXPECT_EQ(rw.Reveal(seq), IdNumber(seq));
}

TEST(ReencryptBatch, IsIdempotent) {
  RotatingWorld rw;
  rw.Import(1, 10);
  rw.Rotate(KeyKind::kIdNumber);
  EXPECT_EQ(rw.ReencryptAll(3), 10);
  EXPECT_EQ(rw.ReencryptAll(3), 0);
  EXPECT_EQ(rw.Census().by_kid.at(1), 10);
}

TEST(ReencryptBatch, ARunCutShortIsFinishedByRunningAgain) {
  RotatingWorld rw;
  rw.Import(1, 20);
  rw.Rotate(KeyKind::kIdNumber);
  // One batch commits; the next one dies mid-way (a crash): its transaction rolls back.
  auto first = rw.w.InTx([&](store::Tx& tx) { return ReencryptBatch(tx, rw.vault, 0, 6); });
  EXPECT_EQ(first.resealed, 6);
  EXPECT_THROW(rw.w.InTx([&](store::Tx& tx) {
    ReencryptBatch(tx, rw.vault, first.last_id, 6);
    throw std::runtime_error("killed");
    return 0;
  }),
               std::runtime_error);
  EXPECT_EQ(rw.Census().by_kid[0], 14);

  EXPECT_EQ(rw.ReencryptAll(6), 14);  // a new run starts from the beginning
  EXPECT_EQ(rw.Census().by_kid.at(1), 20);
  for (int seq = 1; seq <= 20; ++seq) EXPECT_EQ(rw.Reveal(seq), IdNumber(seq));
}

TEST(ReencryptBatch, LeavesRowsSealedUnderAKeyItLacksAndCountsThem) {
  RotatingWorld rw;
  rw.Import(1, 3);
  {
    auto q = rw.w.conn().Query(
        "UPDATE residents SET doc_cipher = ? WHERE id = (SELECT MIN(id) FROM residents)");
    q->BindBlob(1, store::Vault::FromKey({}).Seal("x")).RunOrThrow();
  }
  rw.Rotate(KeyKind::kIdNumber);
  auto step = rw.w.InTx([&](store::Tx& tx) { return ReencryptBatch(tx, rw.vault, 0, 10); });
  EXPECT_EQ(step.resealed, 2);
  EXPECT_EQ(step.unreadable, 1);
  EXPECT_EQ(rw.Census().unreadable, 1);
}

TEST(CodeKeyRotation, AnOldCodeVerifiesAfterRotationAndFailsAfterRetirement) {
  RotatingWorld rw;
  rw.Import(1, 1);
  const std::int64_t id = rw.ResidentIdOf(1);
  const std::string old_code = SignPersonalCode(rw.env, {id, 1});
  CodeVerifier verifier(rw.vault);
  Env serving{rw.vault, rw.w.clock, &verifier};
  ASSERT_TRUE(ResolvePersonalCode(rw.w.conn(), serving, old_code).ok());  // now cached

  EXPECT_EQ(rw.Rotate(KeyKind::kPersonalCode), 1u);
  const std::string new_code = SignPersonalCode(rw.env, {id, 1});
  EXPECT_NE(new_code, old_code);
  EXPECT_EQ(VerifyPersonalCode(rw.env, new_code)->kid, 1u);
  EXPECT_EQ(VerifyPersonalCode(rw.env, old_code)->kid, 0u);
  for (const Env* env : {&rw.env, &serving}) {
    EXPECT_EQ(Resolved(ResolvePersonalCode(rw.w.conn(), *env, old_code)), id);
    EXPECT_EQ(Resolved(ResolvePersonalCode(rw.w.conn(), *env, new_code)), id);
  }

  rw.Retire(KeyKind::kPersonalCode, 0);
  for (const Env* env : {&rw.env, &serving}) {
    auto refused = ResolvePersonalCode(rw.w.conn(), *env, old_code);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidPersonalCode);
    EXPECT_EQ(Resolved(ResolvePersonalCode(rw.w.conn(), *env, new_code)), id);
  }
}

TEST(CodeKeyRotation, ACodeNamingAKeyTheRegistryLacksIsRefusedWithTheStableCode) {
  RotatingWorld rw;
  store::test::TempDir elsewhere;
  // Another registry's key file, rotated twice: its codes name kid 2.
  const std::string other_path = elsewhere.File("other.key");
  store::Vault::LoadOrCreate(other_path);
  store::KeyRing ring = store::ReadKeyFile(other_path);
  store::AddKey(ring, KeyKind::kPersonalCode, 1);
  store::AddKey(ring, KeyKind::kPersonalCode, 2);
  const store::Vault other = store::Vault::FromRing(ring);
  const std::string code = SignPersonalCode(Env{other, rw.w.clock}, {1, 1});
  CodeVerifier verifier(rw.vault);
  for (const Env& env : {rw.env, Env{rw.vault, rw.w.clock, &verifier}}) {
    auto r = VerifyPersonalCode(env, code);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidPersonalCode);
    EXPECT_NE(r.error().detail.find("key 2"), std::string::npos) << r.error().detail;
  }
  // Its kid 1 is another key than our kid 1: a signature mismatch, the same stable code.
  store::KeyRing ring1 = ring;
  ring1.code_keys.pop_back();
  rw.Rotate(KeyKind::kPersonalCode);
  const store::Vault other1 = store::Vault::FromRing(ring1);
  auto mismatch = VerifyPersonalCode(rw.env, SignPersonalCode(Env{other1, rw.w.clock}, {1, 1}));
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().code, ErrorCode::kInvalidPersonalCode);
}

TEST(CodeKeyRotation, CodesOfKeyZeroKeepTheirFormatAndLaterKeysNameTheirKid) {
  RotatingWorld rw;
  const std::string before = SignPersonalCode(rw.env, {42, 3});
  EXPECT_EQ(SignPersonalCode(Env{store::Vault::LoadOrCreate(rw.key_path), rw.w.clock}, {42, 3}),
            before);  // deterministic, and format 1 as ever
  rw.Rotate(KeyKind::kPersonalCode);
  const std::string after = SignPersonalCode(rw.env, {42, 3});
  EXPECT_TRUE(core::LooksLikePersonalCode(after));
  EXPECT_GT(after.size(), before.size());  // one byte of kid
  auto claim = VerifyPersonalCode(rw.env, after);
  ASSERT_TRUE(claim.ok());
  EXPECT_EQ(claim->resident_id, 42);
  EXPECT_EQ(claim->version, 3);
  EXPECT_EQ(claim->kid, 1u);
  // The public key alone still verifies a code of its kid (a checkpoint app offline).
  const auto key = PersonalCodePublicKey(rw.env);
  EXPECT_TRUE(VerifyPersonalCodeWithPublicKey(
                  std::string_view(reinterpret_cast<const char*>(key.data()), key.size()), after)
                  .ok());
  EXPECT_EQ(PersonalCodePublicKeysHex(rw.env).size(), 2u);
}

TEST(CodeHoldersBefore, CountsResidentsWhoseCurrentCodePredatesTheRotation) {
  RotatingWorld rw;
  rw.Import(1, 3);
  rw.w.clock.Advance(test::kHour);
  const core::Micros rotated = rw.w.clock.Now();
  EXPECT_EQ(CodeHoldersBefore(rw.w.conn(), rotated), 3);
  rw.w.clock.Advance(test::kHour);
  const std::int64_t id = rw.ResidentIdOf(2);
  ASSERT_TRUE(
      rw.w.InTx([&](store::Tx& tx) { return ReissuePersonalCode(tx, rw.env, Actor::System(), id); })
          .ok());
  rw.Import(50, 1);  // registered after the rotation: only ever shown new codes
  EXPECT_EQ(CodeHoldersBefore(rw.w.conn(), rotated), 2);
}

}  // namespace
}  // namespace swabline::service
