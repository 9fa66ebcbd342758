#include "service/auth.hpp"

#include <sodium.h>

#include <vector>

#include "store/audit.hpp"
#include "store/places.hpp"
#include "store/users.hpp"

namespace swabline::service {
namespace {

constexpr core::Micros kSessionLifetime = 12LL * 3600 * 1'000'000;  // one working shift

Actor ActorOf(const store::UserRow& u) {
  Actor a;
  a.user_id = u.id;
  a.username = u.username;
  a.role = u.role;
  a.scope_place_id = u.scope_place_id;
  a.scope_id_path = u.scope_id_path;
  a.scope_path = u.scope_path;
  return a;
}

}  // namespace

std::string TokenDigest(std::string_view token) {
  std::string out(crypto_generichash_BYTES, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr,
                     0);
  return out;
}

core::Result<std::string> HashPassword(std::string_view password) {
  if (password.size() < 8)
    return core::Fail(core::ErrorCode::kWeakPassword, "a password needs at least 8 characters");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return core::Fail(core::ErrorCode::kInternal, "out of memory while hashing a password");
  return std::string(out);
}

core::Result<Actor> VerifyCredentials(store::Connection& db, std::string_view username,
                                      std::string_view password) {
  auto user = store::FindUserByName(db, username);
  // An unknown user costs the same Argon2id check as a known one, so response time does not
  // tell which usernames exist.
  static const std::string kDummyHash = *HashPassword("swabline-timing-equaliser");
  const std::string& hash = user ? user->password_hash : kDummyHash;
  const bool verified =
      crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  if (!user || user->disabled || !verified)
    return core::Fail(core::ErrorCode::kInvalidCredentials, "wrong username or password");
  return ActorOf(*user);
}

NewSession CreateSession(store::Tx& tx, const Env& env, const Actor& user) {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  NewSession s;
  s.token = "swb_" + store::ToHex(std::string_view(reinterpret_cast<char*>(raw), sizeof raw));
  const core::Micros now = env.clock.Now();
  s.expires_at = now + kSessionLifetime;
  store::InsertSession(tx, TokenDigest(s.token), user.user_id, now, s.expires_at);
  store::AppendAudit(tx, now,
                     {user.username, "session.create", "user", std::to_string(user.user_id), ""});
  return s;
}

void EndSession(store::Tx& tx, const Env&, std::string_view token) {
  store::DeleteSession(tx, TokenDigest(token));
}

core::Result<Actor> Authenticate(store::Connection& db, const Env& env, std::string_view token) {
  if (token.empty())
    return core::Fail(core::ErrorCode::kUnauthenticated, "send Authorization: Bearer <token>");
  auto user = store::FindSessionUser(db, TokenDigest(token), env.clock.Now());
  if (!user)
    return core::Fail(core::ErrorCode::kUnauthenticated, "the token is unknown or has expired");
  return ActorOf(*user);
}

core::Result<std::int64_t> AddUser(store::Tx& tx, const Env& env, const Actor& actor,
                                   const AddUserInput& in) {
  SWB_TRY(Require(actor, core::Permission::kManageUsers));
  const auto role = core::ParseRole(in.role);
  if (!role)
    return core::Fail(core::ErrorCode::kInvalidRole,
                      "role must be one of admin, command, community, recorder, courier, lab, "
                      "viewer; not '" +
                          in.role + "'");
  if (in.username.empty() || in.username.size() > 64)
    return core::Fail(core::ErrorCode::kInvalidField, "a username has 1 to 64 characters");
  store::UserRow row;
  row.username = in.username;
  row.role = *role;
  row.password_hash = in.password_hash;
  if (in.scope_path.empty() && !actor.scope_id_path.empty())
    return core::Fail(core::ErrorCode::kForbidden,
                      "a user limited to " + actor.scope_path + " cannot add an unlimited user");
  if (!in.scope_path.empty()) {
    std::string canonical;
    SWB_TRY_ASSIGN(canonical, core::CanonicalPlacePath(in.scope_path));
    auto place = store::FindPlaceByPath(tx.db(), canonical);
    if (!place)
      return core::Fail(core::ErrorCode::kUnknownPlace, "no place at '" + in.scope_path + "'");
    SWB_TRY(RequireInScope(actor, place->id_path));
    row.scope_place_id = place->id;
  }
  const core::Micros now = env.clock.Now();
  auto id = store::InsertUser(tx, row, now);
  if (!id)
    return core::Fail(core::ErrorCode::kUsernameTaken,
                      "the username '" + in.username + "' is taken");
  store::AppendAudit(tx, now,
                     {actor.username, "user.add", "user", std::to_string(*id),
                      "role=" + in.role + " scope=" + in.scope_path});
  return *id;
}

}  // namespace swabline::service
