#pragma once
/// Users, passwords and sessions. Password hashing (Argon2id) is slow by design, so it runs
/// outside any write transaction: hash first, then hand the hash to the use case.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/civil_time.hpp"
#include "core/result.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

/// Argon2id (libsodium's interactive limits). Fails with kWeakPassword under 8 characters.
core::Result<std::string> HashPassword(std::string_view password);

/// Checks a username and password on a read connection. Fails with kInvalidCredentials for an
/// unknown user, a disabled one or a wrong password alike, so that usernames do not leak.
core::Result<Actor> VerifyCredentials(store::Connection& db, std::string_view username,
                                      std::string_view password);

struct NewSession {
  std::string token;  // shown once; only its digest is stored
  core::Micros expires_at = 0;
};

/// Opens a session for a verified user.
NewSession CreateSession(store::Tx& tx, const Env& env, const Actor& user);

/// Ends the session of `token` (logout). Unknown tokens are ignored.
void EndSession(store::Tx& tx, const Env& env, std::string_view token);

/// The user behind a bearer token, or kUnauthenticated.
core::Result<Actor> Authenticate(store::Connection& db, const Env& env, std::string_view token);

struct AddUserInput {
  std::string username;
  std::string role;
  std::string scope_path;  // "" = the whole tree
  std::string password_hash;
};

/// Adds a user. Fails with kInvalidRole, kUnknownPlace (scope), kUsernameTaken, kForbidden.
core::Result<std::int64_t> AddUser(store::Tx& tx, const Env& env, const Actor& actor,
                                   const AddUserInput& input);

/// The digest under which a session token is stored.
std::string TokenDigest(std::string_view token);

}  // namespace swabline::service
