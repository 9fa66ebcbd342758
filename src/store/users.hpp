#pragma once
/// Rows of users and their sessions. Session tokens are stored only as digests.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/role.hpp"
#include "store/connection.hpp"

namespace swabline::store {

struct UserRow {
  std::int64_t id = 0;
  std::string username;
  std::string password_hash;
  core::Role role = core::Role::kViewer;
  std::optional<std::int64_t> scope_place_id;
  std::string scope_id_path;  // "" when unscoped
  std::string scope_path;
  bool disabled = false;
};

std::optional<UserRow> FindUserByName(Connection& db, std::string_view username);
std::optional<UserRow> FindUser(Connection& db, std::int64_t id);
/// Returns nullopt when the username is taken.
[[nodiscard]] std::optional<std::int64_t> InsertUser(Tx& tx, const UserRow& row, std::int64_t now);
void UpdateUserPassword(Tx& tx, std::int64_t id, std::string_view password_hash);

void InsertSession(Tx& tx, std::string_view token_hash, std::int64_t user_id, std::int64_t now,
                   std::int64_t expires_at);
/// The user of an unexpired session, or nullopt.
std::optional<UserRow> FindSessionUser(Connection& db, std::string_view token_hash,
                                       std::int64_t now);
void DeleteSession(Tx& tx, std::string_view token_hash);

}  // namespace swabline::store
