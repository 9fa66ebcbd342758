#include "service/auth.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "core/role.hpp"
#include "store/users.hpp"
#include "support/service/test_support.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;
using core::Role;
using test::Csv;
using test::IdNumber;
using test::kHour;
using test::World;

constexpr std::string_view kPassword = "correct horse battery";
constexpr std::string_view kCommunity = "朝阳区/和平街街道/小黄庄社区";

/// Argon2id is slow on purpose; each distinct password is hashed once per test binary.
const std::string& HashOf(std::string_view password) {
  static std::map<std::string, std::string, std::less<>> cache;
  auto it = cache.find(password);
  if (it == cache.end()) {
    auto hash = HashPassword(password);
    EXPECT_TRUE(hash.ok());
    it = cache.emplace(std::string(password), hash.ok() ? *hash : "").first;
  }
  return it->second;
}

/// Places for scopes, and an admin to act.
void SeedPlaces(World& w) {
  w.ImportOk(Csv({IdNumber(1) + ",王伟,,朝阳区,和平街街道,小黄庄社区,1号楼,1单元,101,",
                  IdNumber(2) + ",王芳,,朝阳区,和平街街道,和平里社区,1号楼,1单元,101,"}));
}

core::Result<std::int64_t> Add(World& w, const Actor& actor, std::string username, std::string role,
                               std::string scope_path = "") {
  return w.InTx([&](store::Tx& tx) {
    return AddUser(
        tx, w.env, actor,
        {std::move(username), std::move(role), std::move(scope_path), HashOf(kPassword)});
  });
}

Actor Admin() {
  Actor a = Actor::System();
  a.username = "root";
  return a;
}

TEST(HashPassword, RejectsPasswordsShorterThanEightCharacters) {
  for (std::string_view weak : {"", "a", "1234567"}) {
    auto hash = HashPassword(weak);
    ASSERT_FALSE(hash.ok()) << weak;
    EXPECT_EQ(hash.error().code, ErrorCode::kWeakPassword);
  }
}

TEST(HashPassword, GivesAnArgon2idHashThatDiffersEachTime) {
  const std::string& first = HashOf("12345678");
  EXPECT_EQ(first.rfind("$argon2id$", 0), 0u) << first;
  EXPECT_EQ(first.find("12345678"), std::string::npos);
  auto second = HashPassword("12345678");
  ASSERT_TRUE(second.ok());
  EXPECT_NE(*second, first) << "each hash has its own salt";
}

TEST(VerifyCredentials, AcceptsTheRightPassword) {
  World w;
  SeedPlaces(w);
  auto id = Add(w, Admin(), "xhz-office", "community", std::string(kCommunity));
  ASSERT_TRUE(id.ok()) << id.error().detail;

  auto actor = VerifyCredentials(w.conn(), "xhz-office", kPassword);
  ASSERT_TRUE(actor.ok()) << actor.error().detail;
  EXPECT_EQ(actor->user_id, *id);
  EXPECT_EQ(actor->username, "xhz-office");
  EXPECT_EQ(actor->role, Role::kCommunity);
  EXPECT_EQ(actor->scope_place_id, w.PlaceAt(kCommunity).id);
  EXPECT_EQ(actor->scope_id_path, w.PlaceAt(kCommunity).id_path);
  EXPECT_EQ(actor->scope_path, kCommunity);
}

TEST(VerifyCredentials, RefusesAWrongPasswordAnUnknownUserAndADisabledUserAlike) {
  World w;
  ASSERT_TRUE(Add(w, Admin(), "alice", "viewer").ok());
  ASSERT_TRUE(Add(w, Admin(), "bob", "viewer").ok());
  w.conn().Exec("UPDATE users SET disabled = 1 WHERE username = 'bob'");

  auto wrong = VerifyCredentials(w.conn(), "alice", "not the password");
  auto unknown = VerifyCredentials(w.conn(), "carol", kPassword);
  auto disabled = VerifyCredentials(w.conn(), "bob", kPassword);
  for (const auto* r : {&wrong, &unknown, &disabled}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->error().code, ErrorCode::kInvalidCredentials);
    EXPECT_EQ(r->error().detail, wrong.error().detail) << "no hint which part was wrong";
  }
}

TEST(CreateSession, GivesATokenThatAuthenticatesItsUser) {
  World w;
  ASSERT_TRUE(Add(w, Admin(), "alice", "recorder").ok());
  auto alice = VerifyCredentials(w.conn(), "alice", kPassword);
  ASSERT_TRUE(alice.ok());

  const NewSession session =
      w.InTx([&](store::Tx& tx) { return CreateSession(tx, w.env, *alice); });
  EXPECT_EQ(session.token.rfind("swb_", 0), 0u);
  EXPECT_EQ(session.expires_at, test::kStart + 12 * kHour);

  auto actor = Authenticate(w.conn(), w.env, session.token);
  ASSERT_TRUE(actor.ok()) << actor.error().detail;
  EXPECT_EQ(actor->user_id, alice->user_id);
  EXPECT_EQ(actor->username, "alice");
  EXPECT_EQ(actor->role, Role::kRecorder);
}

TEST(CreateSession, StoresOnlyADigestOfTheToken) {
  World w;
  ASSERT_TRUE(Add(w, Admin(), "alice", "recorder").ok());
  auto alice = VerifyCredentials(w.conn(), "alice", kPassword);
  ASSERT_TRUE(alice.ok());
  const NewSession session =
      w.InTx([&](store::Tx& tx) { return CreateSession(tx, w.env, *alice); });

  auto q = w.conn().Query("SELECT token_hash FROM sessions");
  ASSERT_EQ(q->Next(), store::Step::kRow);
  EXPECT_EQ(std::string(q->Blob(0)), TokenDigest(session.token));
  EXPECT_EQ(std::string(q->Blob(0)).find(session.token.substr(4)), std::string::npos);
}

TEST(CreateSession, WritesAnAuditRecord) {
  World w;
  ASSERT_TRUE(Add(w, Admin(), "alice", "recorder").ok());
  auto alice = VerifyCredentials(w.conn(), "alice", kPassword);
  ASSERT_TRUE(alice.ok());
  w.InTx([&](store::Tx& tx) { return CreateSession(tx, w.env, *alice); });

  const auto audit = w.Audit();
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().action, "session.create");
  EXPECT_EQ(audit.back().actor, "alice");
  EXPECT_EQ(audit.back().entity_id, std::to_string(alice->user_id));
}

TEST(Authenticate, RefusesASessionOnceTwelveHoursHavePassed) {
  World w;
  ASSERT_TRUE(Add(w, Admin(), "alice", "recorder").ok());
  auto alice = VerifyCredentials(w.conn(), "alice", kPassword);
  ASSERT_TRUE(alice.ok());
  const NewSession session =
      w.InTx([&](store::Tx& tx) { return CreateSession(tx, w.env, *alice); });

  w.clock.Advance(12 * kHour - 1'000'000);
  EXPECT_TRUE(Authenticate(w.conn(), w.env, session.token).ok()) << "still within the shift";

  w.clock.Advance(1'000'000);
  auto expired = Authenticate(w.conn(), w.env, session.token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::kUnauthenticated);

  w.clock.Advance(kHour);
  EXPECT_FALSE(Authenticate(w.conn(), w.env, session.token).ok());
}

TEST(Authenticate, RefusesAnEmptyOrUnknownToken) {
  World w;
  for (std::string_view token : {"", "swb_00", "garbage"}) {
    auto actor = Authenticate(w.conn(), w.env, token);
    ASSERT_FALSE(actor.ok()) << token;
    EXPECT_EQ(actor.error().code, ErrorCode::kUnauthenticated) << token;
  }
}

TEST(Authenticate, RefusesTheSessionOfAUserDisabledSince) {
  World w;
  ASSERT_TRUE(Add(w, Admin(), "alice", "recorder").ok());
  auto alice = VerifyCredentials(w.conn(), "alice", kPassword);
  ASSERT_TRUE(alice.ok());
  const NewSession session =
      w.InTx([&](store::Tx& tx) { return CreateSession(tx, w.env, *alice); });
  w.conn().Exec("UPDATE users SET disabled = 1 WHERE username = 'alice'");

  auto actor = Authenticate(w.conn(), w.env, session.token);
  ASSERT_FALSE(actor.ok());
  EXPECT_EQ(actor.error().code, ErrorCode::kUnauthenticated);
}

TEST(AddUser, AddsAUserScopedToAPlaceAndAuditsIt) {
  World w;
  SeedPlaces(w);
  auto id = Add(w, Admin(), "xhz-office", "community", std::string(kCommunity));
  ASSERT_TRUE(id.ok()) << id.error().detail;

  auto row = store::FindUser(w.conn(), *id);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->username, "xhz-office");
  EXPECT_EQ(row->role, core::Role::kCommunity);
  EXPECT_EQ(row->scope_path, kCommunity);
  EXPECT_EQ(row->password_hash, HashOf(kPassword));
  EXPECT_FALSE(row->disabled);

  const auto audit = w.Audit();
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().actor, "root");
  EXPECT_EQ(audit.back().action, "user.add");
  EXPECT_EQ(audit.back().entity_id, std::to_string(*id));
  EXPECT_EQ(audit.back().detail, "role=community scope=" + std::string(kCommunity));
  EXPECT_EQ(audit.back().detail.find("argon2"), std::string::npos);
}

TEST(AddUser, RefusesAnInvalidRole) {
  World w;
  auto id = Add(w, Admin(), "alice", "superuser");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, ErrorCode::kInvalidRole);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM users"), 0);
}

TEST(AddUser, RefusesAnUnknownScopePath) {
  World w;
  SeedPlaces(w);
  auto id = Add(w, Admin(), "alice", "community", "朝阳区/和平街街道/无名社区");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, ErrorCode::kUnknownPlace);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM users"), 0);
}

TEST(AddUser, RefusesATakenUsername) {
  World w;
  ASSERT_TRUE(Add(w, Admin(), "alice", "viewer").ok());
  auto again = Add(w, Admin(), "alice", "lab");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kUsernameTaken);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM users"), 1);
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM audit WHERE action = 'user.add'"), 1);
}

TEST(AddUser, RefusesAnEmptyOrOverlongUsername) {
  World w;
  for (const std::string& name : {std::string(), std::string(65, 'a')}) {
    auto id = Add(w, Admin(), name, "viewer");
    ASSERT_FALSE(id.ok()) << name.size();
    EXPECT_EQ(id.error().code, ErrorCode::kInvalidField);
  }
}

TEST(AddUser, IsForbiddenToAnActorWhoIsNotAnAdmin) {
  World w;
  SeedPlaces(w);
  for (Role role : {Role::kCommand, Role::kCommunity, Role::kRecorder, Role::kViewer}) {
    auto id = Add(w, w.ActorAt(role, ""), "alice", "viewer");
    ASSERT_FALSE(id.ok()) << core::RoleName(role);
    EXPECT_EQ(id.error().code, ErrorCode::kForbidden) << core::RoleName(role);
  }
  EXPECT_EQ(w.db.Count("SELECT COUNT(*) FROM users"), 0);
}

TEST(AddUser, KeepsAScopedAdminToTheirOwnPlaces) {
  World w;
  SeedPlaces(w);
  const Actor local_admin = w.ActorAt(Role::kAdmin, kCommunity, "xhz-admin");
  EXPECT_TRUE(Add(w, local_admin, "inside", "recorder", std::string(kCommunity) + "/1号楼").ok());

  auto outside = Add(w, local_admin, "outside", "recorder", "朝阳区/和平街街道/和平里社区");
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code, ErrorCode::kForbidden);
}

TEST(AddUser, RefusesAScopedAdminAnUnscopedUser) {
  // An empty scope_path means the whole tree: a community's admin must not be able to create
  // a user who sees every district.
  World w;
  SeedPlaces(w);
  const Actor local_admin = w.ActorAt(Role::kAdmin, kCommunity, "xhz-admin");
  auto everywhere = Add(w, local_admin, "everywhere", "admin");
  ASSERT_FALSE(everywhere.ok()) << "created user " << *everywhere << " with no scope";
  EXPECT_EQ(everywhere.error().code, ErrorCode::kForbidden);
  EXPECT_FALSE(store::FindUserByName(w.conn(), "everywhere").has_value());
}

}  // namespace
}  // namespace swabline::service
