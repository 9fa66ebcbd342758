#include "service/code_verifier.hpp"

#include <gtest/gtest.h>

#include "service/personal_code.hpp"
#include "support/service/test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

TEST(CodeVerifier, AcceptsWhatTheVaultSignedAndRemembersIt) {
  test::World w;
  CodeVerifier verifier(w.vault);
  const std::string code = SignPersonalCode(w.env, {42, 3});
  for (int i = 0; i < 2; ++i) {  // the second time from the cache
    auto claim = verifier.Verify(code);
    ASSERT_TRUE(claim.ok()) << claim.error().detail;
    EXPECT_EQ(claim->resident_id, 42);
    EXPECT_EQ(claim->version, 3);
  }
}

TEST(CodeVerifier, RefusesAForgedCodeEvenAfterCachingTheGenuineOne) {
  test::World w;
  CodeVerifier verifier(w.vault);
  std::string code = SignPersonalCode(w.env, {42, 1});
  ASSERT_TRUE(verifier.Verify(code).ok());
  code[code.size() - 3] = code[code.size() - 3] == 'A' ? 'B' : 'A';
  auto forged = verifier.Verify(code);
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.error().code, ErrorCode::kInvalidPersonalCode);
}

TEST(CodeVerifier, RefusesCodesOfAnotherVault) {
  test::World w;
  auto other_key = test::World::FixedKey();
  other_key[0] ^= 1;
  const store::Vault other = store::Vault::FromKey(other_key);
  CodeVerifier verifier(other);
  EXPECT_FALSE(verifier.Verify(SignPersonalCode(w.env, {1, 1})).ok());
}

TEST(CodeVerifier, LeavesRevocationToTheRegistry) {
  // A cached claim still has to match the resident's current code version: ResolvePersonalCode
  // with a verifier in Env refuses a code version that the registry no longer holds.
  test::World w;
  CodeVerifier verifier(w.vault);
  Env env{w.vault, w.clock, &verifier};
  auto r = ResolvePersonalCode(w.conn(), env, SignPersonalCode(env, {999, 1}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidPersonalCode);
}

}  // namespace
}  // namespace swabline::service
