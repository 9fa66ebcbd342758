#include "store/users.hpp"

#include "store/columns.hpp"

namespace swabline::store {
namespace {

#define SWB_USER_SELECT                                                                        \
  "SELECT u.id, u.username, u.password_hash, u.role, u.scope_place_id, "                       \
  "COALESCE(p.id_path, ''), COALESCE(p.path, ''), u.disabled FROM users u LEFT JOIN places p " \
  "ON p.id = u.scope_place_id "

std::optional<UserRow> One(StatementUse& q) {
  if (q->Next() != Step::kRow) return std::nullopt;
  UserRow u;
  u.id = q->Int(0);
  u.username = q->Str(1);
  u.password_hash = q->Str(2);
  u.role = EnumColumn(core::ParseRole, q->Text(3), "users", "role");
  u.scope_place_id = q->OptInt(4);
  u.scope_id_path = q->Str(5);
  u.scope_path = q->Str(6);
  u.disabled = q->Int(7) != 0;
  return u;
}

}  // namespace

std::optional<UserRow> FindUserByName(Connection& db, std::string_view username) {
  auto q = db.Query(SWB_USER_SELECT "WHERE u.username = ?");
  q->Bind(1, username);
  return One(q);
}

std::optional<UserRow> FindUser(Connection& db, std::int64_t id) {
  auto q = db.Query(SWB_USER_SELECT "WHERE u.id = ?");
  q->Bind(1, id);
  return One(q);
}

std::optional<std::int64_t> InsertUser(Tx& tx, const UserRow& row, std::int64_t now) {
  auto q = tx.Query(
      "INSERT INTO users(username, password_hash, role, scope_place_id, created_at) "
      "VALUES (?, ?, ?, ?, ?)");
  q->Bind(1, row.username).Bind(2, row.password_hash).Bind(3, core::RoleName(row.role));
  q->Bind(4, row.scope_place_id).Bind(5, now);
  if (!q->Run()) return std::nullopt;
  return tx.db().LastInsertId();
}

void UpdateUserPassword(Tx& tx, std::int64_t id, std::string_view password_hash) {
  auto q = tx.Query("UPDATE users SET password_hash = ? WHERE id = ?");
  q->Bind(1, password_hash).Bind(2, id);
  q->RunOrThrow();
}

void InsertSession(Tx& tx, std::string_view token_hash, std::int64_t user_id, std::int64_t now,
                   std::int64_t expires_at) {
  auto q = tx.Query(
      "INSERT INTO sessions(token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)");
  q->BindBlob(1, token_hash).Bind(2, user_id).Bind(3, now).Bind(4, expires_at);
  q->RunOrThrow();
}

std::optional<UserRow> FindSessionUser(Connection& db, std::string_view token_hash,
                                       std::int64_t now) {
  auto q = db.Query(SWB_USER_SELECT
                    "JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = ? AND "
                    "s.expires_at > ? AND u.disabled = 0");
  q->BindBlob(1, token_hash).Bind(2, now);
  return One(q);
}

void DeleteSession(Tx& tx, std::string_view token_hash) {
  auto q = tx.Query("DELETE FROM sessions WHERE token_hash = ?");
  q->BindBlob(1, token_hash);
  q->RunOrThrow();
}

}  // namespace swabline::store
