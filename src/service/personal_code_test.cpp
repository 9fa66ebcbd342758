#include "service/personal_code.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/personal_code.hpp"
#include "core/role.hpp"
#include "service/code_sheet.hpp"
#include "store/vault.hpp"
#include "support/service/test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;
using core::Role;
using test::Csv;
using test::IdNumber;
using test::World;

constexpr std::string_view kBuilding1 = "朝阳区/和平街街道/小黄庄社区/1号楼";

/// Three residents in 1号楼, one in 2号楼 of 小黄庄社区, one in another community.
void SeedResidents(World& w) {
  w.ImportOk(Csv({
      IdNumber(1) + ",王伟,13800000001,朝阳区,和平街街道,小黄庄社区,1号楼,1单元,101,",
      IdNumber(2) + ",王芳,13800000002,朝阳区,和平街街道,小黄庄社区,1号楼,1单元,102,",
      IdNumber(3) + ",李娜,13800000003,朝阳区,和平街街道,小黄庄社区,1号楼,2单元,101,",
      IdNumber(4) + ",赵磊,13800000004,朝阳区,和平街街道,小黄庄社区,2号楼,1单元,101,",
      IdNumber(5) + ",张敏,13800000005,朝阳区,小关街道,惠新苑社区,1号楼,1单元,101,",
  }));
}

/// The token's bytes after the prefix (payload || signature).
std::string Decode(std::string_view code) {
  code.remove_prefix(core::kPersonalCodePrefix.size());
  std::string raw(code.size(), '\0');
  std::size_t size = 0;
  EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), code.data(),
                              code.size(), nullptr, &size, nullptr,
                              sodium_base64_VARIANT_URLSAFE_NO_PADDING),
            0);
  raw.resize(size);
  return raw;
}

void ExpectInvalid(const core::Result<CodeClaim>& r, std::string_view detail_part = "") {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidPersonalCode);
  EXPECT_NE(r.error().detail.find(detail_part), std::string::npos) << r.error().detail;
}

TEST(PersonalCode, VerifiesWhatItSigned) {
  World w;
  const std::string code = SignPersonalCode(w.env, {4217, 3});
  EXPECT_EQ(code.substr(0, 4), "SW1.");
  auto claim = VerifyPersonalCode(w.env, code);
  ASSERT_TRUE(claim.ok()) << claim.error().detail;
  EXPECT_EQ(claim->resident_id, 4217);
  EXPECT_EQ(claim->version, 3);
  EXPECT_EQ(SignPersonalCode(w.env, {4217, 3}), code) << "Ed25519 signing is deterministic";
}

TEST(PersonalCode, RoundTripsTheExtremesOfTheVarints) {
  World w;
  for (CodeClaim c : {CodeClaim{0, 0}, CodeClaim{127, 128}, CodeClaim{INT64_MAX, INT64_MAX}}) {
    auto claim = VerifyPersonalCode(w.env, SignPersonalCode(w.env, c));
    ASSERT_TRUE(claim.ok()) << claim.error().detail;
    EXPECT_EQ(claim->resident_id, c.resident_id);
    EXPECT_EQ(claim->version, c.version);
  }
}

TEST(PersonalCode, RefusesEveryOneCharacterChange) {
  World w;
  const std::string code = SignPersonalCode(w.env, {42, 1});
  for (std::size_t i = core::kPersonalCodePrefix.size(); i < code.size(); ++i) {
    std::string tampered = code;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(VerifyPersonalCode(w.env, tampered).ok()) << "position " << i;
  }
}

TEST(PersonalCode, RefusesAnotherPrefix) {
  World w;
  std::string code = SignPersonalCode(w.env, {42, 1});
  code.replace(0, 4, "SW2.");
  ExpectInvalid(VerifyPersonalCode(w.env, code), "starts with 'SW1.'");
  ExpectInvalid(VerifyPersonalCode(w.env, ""), "starts with 'SW1.'");
}

TEST(PersonalCode, RefusesATruncatedCode) {
  World w;
  const std::string code = SignPersonalCode(w.env, {42, 1});
  ExpectInvalid(VerifyPersonalCode(w.env, code.substr(0, code.size() - 1)));
  ExpectInvalid(VerifyPersonalCode(w.env, code.substr(0, code.size() - 4)));
  ExpectInvalid(VerifyPersonalCode(w.env, code.substr(0, 20)), "too short");
  ExpectInvalid(VerifyPersonalCode(w.env, "SW1."), "too short");
  ExpectInvalid(VerifyPersonalCode(w.env, code + code), "too long");
  ExpectInvalid(VerifyPersonalCode(w.env, code.substr(0, 30) + "!" + code.substr(31)),
                "not base64url");
}

TEST(PersonalCode, RefusesACodeSignedUnderAnotherVault) {
  World w;
  std::array<unsigned char, store::Vault::kKeyBytes> other_key{};
  other_key.fill(0x5a);
  const store::Vault other = store::Vault::FromKey(other_key);
  const Env other_env{other, w.clock};
  ExpectInvalid(VerifyPersonalCode(w.env, SignPersonalCode(other_env, {42, 1})),
                "signature does not match");
}

TEST(PersonalCode, VerifiesWithThePublicKeyAlone) {
  World w;
  const std::string code = SignPersonalCode(w.env, {42, 7});
  const auto key = PersonalCodePublicKey(w.env);
  const std::string key_bytes(reinterpret_cast<const char*>(key.data()), key.size());
  EXPECT_EQ(PersonalCodePublicKeyHex(w.env), store::ToHex(key_bytes));
  EXPECT_EQ(PersonalCodePublicKeyHex(w.env).size(), 64u);

  auto claim = VerifyPersonalCodeWithPublicKey(key_bytes, code);
  ASSERT_TRUE(claim.ok()) << claim.error().detail;
  EXPECT_EQ(claim->resident_id, 42);
  EXPECT_EQ(claim->version, 7);

  std::string wrong = key_bytes;
  wrong[0] = static_cast<char>(wrong[0] ^ 1);
  ExpectInvalid(VerifyPersonalCodeWithPublicKey(wrong, code));
  auto short_key = VerifyPersonalCodeWithPublicKey(key_bytes.substr(1), code);
  ASSERT_FALSE(short_key.ok());
  EXPECT_EQ(short_key.error().code, ErrorCode::kInternal);
}

TEST(PersonalCode, CarriesNothingReadableAboutTheResident) {
  World w;
  SeedResidents(w);
  const std::int64_t id = w.ResidentIdOf(IdNumber(1));
  auto code = GetPersonalCode(w.conn(), w.env, Actor::System(), id);
  ASSERT_TRUE(code.ok()) << code.error().detail;
  const std::string raw = Decode(*code);
  const std::size_t payload = raw.size() - crypto_sign_BYTES;
  EXPECT_LT(payload, 20u) << "only a format byte, the id and the version";
  EXPECT_EQ(payload, 3u) << "format 1, id " << id << ", version 1: one byte each";
  EXPECT_EQ(raw.find("王伟"), std::string::npos);
  EXPECT_EQ(code->find(IdNumber(1).substr(6, 8)), std::string::npos);
  EXPECT_LE(code->size(), 110u) << "small enough for a low-version QR code";
}

TEST(ResolvePersonalCode, RefusesACodeOfAnUnknownResident) {
  World w;
  auto r = ResolvePersonalCode(w.conn(), w.env, SignPersonalCode(w.env, {999, 1}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidPersonalCode);
}

TEST(ReissuePersonalCode, RevokesTheOldCodeAndTheNewOneResolves) {
  World w;
  SeedResidents(w);
  const std::int64_t id = w.ResidentIdOf(IdNumber(2));
  auto old_code = GetPersonalCode(w.conn(), w.env, Actor::System(), id);
  ASSERT_TRUE(old_code.ok());
  auto resolved = ResolvePersonalCode(w.conn(), w.env, *old_code);
  ASSERT_TRUE(resolved.ok()) << resolved.error().detail;
  EXPECT_EQ(*resolved, id);

  const Actor community = w.ActorAt(Role::kCommunity, "朝阳区/和平街街道/小黄庄社区", "li");
  auto new_code =
      w.InTx([&](store::Tx& tx) { return ReissuePersonalCode(tx, w.env, community, id); });
  ASSERT_TRUE(new_code.ok()) << new_code.error().detail;
  EXPECT_NE(*new_code, *old_code);

  auto stale = ResolvePersonalCode(w.conn(), w.env, *old_code);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kInvalidPersonalCode);
  EXPECT_EQ(stale.error().detail, "this code was replaced by a newer one");
  EXPECT_TRUE(VerifyPersonalCode(w.env, *old_code).ok()) << "still genuine, only revoked";

  auto fresh = ResolvePersonalCode(w.conn(), w.env, *new_code);
  ASSERT_TRUE(fresh.ok()) << fresh.error().detail;
  EXPECT_EQ(*fresh, id);
  auto current = GetPersonalCode(w.conn(), w.env, Actor::System(), id);
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(*current, *new_code);

  const auto audit = w.Audit();
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().actor, "li");
  EXPECT_EQ(audit.back().action, "resident.code_reissue");
  EXPECT_EQ(audit.back().entity_id, std::to_string(id));
  EXPECT_EQ(audit.back().detail, "code version 2");
}

TEST(ReissuePersonalCode, NeedsTheRightToWriteTheRegistryInScope) {
  World w;
  SeedResidents(w);
  const std::int64_t id = w.ResidentIdOf(IdNumber(5));  // 惠新苑社区
  for (const Actor& actor :
       {w.ActorAt(Role::kViewer, ""), w.ActorAt(Role::kCommunity, "朝阳区/和平街街道")}) {
    auto r = w.InTx([&](store::Tx& tx) { return ReissuePersonalCode(tx, w.env, actor, id); });
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  }
  auto r =
      w.InTx([&](store::Tx& tx) { return ReissuePersonalCode(tx, w.env, Actor::System(), 999); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnknownResident);
}

TEST(GetPersonalCode, NeedsTheRightToReadResidentsInScope) {
  World w;
  SeedResidents(w);
  const std::int64_t id = w.ResidentIdOf(IdNumber(5));
  for (const Actor& actor :
       {w.ActorAt(Role::kCourier, ""), w.ActorAt(Role::kViewer, "朝阳区/和平街街道")}) {
    auto r = GetPersonalCode(w.conn(), w.env, actor, id);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  }
  EXPECT_TRUE(
      GetPersonalCode(w.conn(), w.env, w.ActorAt(Role::kViewer, "朝阳区/小关街道"), id).ok());
  auto unknown = GetPersonalCode(w.conn(), w.env, Actor::System(), 999);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnknownResident);
}

// How fast signing and verifying are is bench/micro_personal_code's to measure (a timed test
// fails on a busy machine); this pins that many distinct codes all verify, both ways.
TEST(PersonalCode, ManyCodesEachVerifyWithTheVaultAndWithThePublicKey) {
  World w;
  constexpr int kRounds = 300;
  std::vector<std::string> codes;
  codes.reserve(kRounds);
  for (int i = 0; i < kRounds; ++i) codes.push_back(SignPersonalCode(w.env, {i + 1, 1}));
  const auto key = PersonalCodePublicKey(w.env);
  const std::string key_bytes(reinterpret_cast<const char*>(key.data()), key.size());
  for (const std::string& code : codes) {
    ASSERT_TRUE(VerifyPersonalCode(w.env, code).ok());
    ASSERT_TRUE(VerifyPersonalCodeWithPublicKey(key_bytes, code).ok());
  }
}

// The code sheet lives here too: it is the printed form of the personal code.

std::size_t Count(std::string_view text, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + needle.size()))
    ++n;
  return n;
}

constexpr std::string_view kCardMark = "stroke-dasharray";

TEST(CodeSheetSvg, PrintsOneCardPerResidentOfTheBuilding) {
  World w;
  SeedResidents(w);
  auto sheet = CodeSheetSvg(w.conn(), w.env, Actor::System(), w.PlaceAt(kBuilding1).id, 1);
  ASSERT_TRUE(sheet.ok()) << sheet.error().detail;
  EXPECT_EQ(sheet->svg.substr(0, 4), "<svg");
  EXPECT_NE(sheet->svg.find("viewBox='0 0 210 297'"), std::string::npos);
  EXPECT_EQ(Count(sheet->svg, kCardMark), 3u);
  EXPECT_EQ(sheet->page_count, 1);
  EXPECT_EQ(sheet->residents, 3);
  EXPECT_NE(sheet->svg.find("page 1 of 1"), std::string::npos);
  EXPECT_NE(sheet->svg.find(kBuilding1), std::string::npos);
  EXPECT_NE(sheet->svg.find("1号楼 2单元 101"), std::string::npos);
  EXPECT_NE(sheet->svg.find(IdNumber(3).substr(0, 6) + "********"), std::string::npos);
  EXPECT_EQ(sheet->svg.find(IdNumber(3)), std::string::npos) << "masked, never in clear";
  EXPECT_EQ(sheet->svg.find("赵磊"), std::string::npos) << "2号楼 is not on 1号楼's sheet";
  const std::size_t wang_wei = sheet->svg.find("王伟");
  const std::size_t li_na = sheet->svg.find("李娜");
  EXPECT_LT(wang_wei, li_na) << "by address: 1单元 before 2单元";
}

TEST(CodeSheetSvg, PagesTwelveCardsAtATimeInNaturalOrder) {
  World w;
  std::vector<std::string> rows;
  for (int i = 1; i <= 14; ++i)
    rows.push_back(IdNumber(i) + ",居民" + std::to_string(i) +
                   ",,朝阳区,和平街街道,小黄庄社区,3号楼,1单元," + std::to_string(100 + i) + ",");
  rows.push_back(IdNumber(20) + ",甲,,朝阳区,和平街街道,小黄庄社区,10号楼,1单元,101,");
  rows.push_back(IdNumber(21) + ",乙,,朝阳区,和平街街道,小黄庄社区,2号楼,1单元,101,");
  std::string csv(test::kCsvHeader);
  for (const auto& row : rows) csv += row + "\n";
  w.ImportOk(csv);
  const std::int64_t community = w.PlaceAt("朝阳区/和平街街道/小黄庄社区").id;

  auto first = CodeSheetSvg(w.conn(), w.env, Actor::System(), community, 1);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_EQ(Count(first->svg, kCardMark), 12u);
  EXPECT_EQ(first->page_count, 2);
  EXPECT_NE(first->svg.find("page 1 of 2"), std::string::npos);
  EXPECT_NE(first->svg.find(">乙<"), std::string::npos) << "2号楼 comes first";
  EXPECT_EQ(first->svg.find(">甲<"), std::string::npos) << "10号楼 comes last";

  auto second = CodeSheetSvg(w.conn(), w.env, Actor::System(), community, 2);
  ASSERT_TRUE(second.ok()) << second.error().detail;
  EXPECT_EQ(Count(second->svg, kCardMark), 4u);
  EXPECT_NE(second->svg.find("page 2 of 2"), std::string::npos);
  EXPECT_NE(second->svg.find(">甲<"), std::string::npos);

  auto past = CodeSheetSvg(w.conn(), w.env, Actor::System(), community, 3);
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error().code, ErrorCode::kInvalidField);
}

TEST(CodeSheetSvg, RefusesUnknownPlacesStreetsAndStrangers) {
  World w;
  SeedResidents(w);
  auto unknown = CodeSheetSvg(w.conn(), w.env, Actor::System(), 999, 1);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnknownPlace);

  auto street =
      CodeSheetSvg(w.conn(), w.env, Actor::System(), w.PlaceAt("朝阳区/和平街街道").id, 1);
  ASSERT_FALSE(street.ok());
  EXPECT_EQ(street.error().code, ErrorCode::kInvalidField);

  const std::int64_t building = w.PlaceAt(kBuilding1).id;
  for (const Actor& actor :
       {w.ActorAt(Role::kRecorder, ""), w.ActorAt(Role::kViewer, "朝阳区/小关街道")}) {
    auto r = CodeSheetSvg(w.conn(), w.env, actor, building, 1);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  }
}

}  // namespace
}  // namespace swabline::service
