#include "store/notices.hpp"

namespace swabline::store {

std::int64_t InsertNotice(Tx& tx, const NoticeRow& row) {
  auto q = tx.Query(
      "INSERT INTO round_notices(round_id, text, created_at, created_by) VALUES (?, ?, ?, ?)");
  q->Bind(1, row.round_id).Bind(2, row.text).Bind(3, row.created_at).Bind(4, row.created_by);
  q->RunOrThrow();
  return tx.db().LastInsertId();
}

std::vector<NoticeRow> NoticesOfRound(Connection& db, std::int64_t round_id) {
  std::vector<NoticeRow> out;
  auto q = db.Query(
      "SELECT id, round_id, text, created_at, created_by FROM round_notices WHERE round_id = ? "
      "ORDER BY id DESC");
  q->Bind(1, round_id);
  while (q->Next() == Step::kRow)
    out.push_back({q->Int(0), q->Int(1), q->Str(2), q->Int(3), q->Str(4)});
  return out;
}

std::string NoticePayload(Connection& db, std::int64_t round_id,
                          std::optional<std::int64_t> notice_id,
                          const std::optional<std::string>& text) {
  // json_patch drops the members whose value is null; on PostgreSQL jsonb_strip_nulls does.
  auto q = db.Query(
      db.dialect() == Dialect::kPostgres
          ? "SELECT CAST(jsonb_build_object('round_id', CAST(?1 AS BIGINT)) || "
            "jsonb_strip_nulls(jsonb_build_object('notice_id', CAST(?2 AS BIGINT), 'text', "
            "CAST(?3 AS TEXT))) AS TEXT)"
          : "SELECT json_patch(json_object('round_id', ?1), json_object('notice_id', ?2, "
            "'text', ?3))");
  q->Bind(1, round_id).Bind(2, notice_id).Bind(3, text);
  q->Next();
  return q->Str(0);
}

}  // namespace swabline::store
