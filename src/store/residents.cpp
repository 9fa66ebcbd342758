#include "store/residents.hpp"

#include "store/columns.hpp"
#include "store/coverage_tallies.hpp"

namespace swabline::store {
namespace {

// The brief columns come first in both selects, so that one function reads them for both.
#define SWB_RESIDENT_BRIEF_SELECT \
  "SELECT id, name, doc_type, doc_masked, place_id, walk_in, code_version FROM residents "
#define SWB_RESIDENT_SELECT                                                                      \
  "SELECT r.id, r.name, r.doc_type, r.doc_masked, r.place_id, r.walk_in, r.code_version, "       \
  "r.doc_hash, r.doc_cipher, r.phone, p.path, p.id_path, r.tags FROM residents r JOIN places p " \
  "ON p.id = r.place_id "

/// Columns 0-6: the brief row (FindResidentBrief).
ResidentRow ReadBrief(Statement& q) {
  ResidentRow r;
  r.id = q.Int(0);
  r.name = q.Str(1);
  r.doc_type = EnumColumn(core::ParseDocumentType, q.Text(2), "residents", "doc_type");
  r.doc_masked = q.Str(3);
  r.place_id = q.Int(4);
  r.walk_in = q.Int(5) != 0;
  r.code_version = q.Int(6);
  return r;
}

std::optional<ResidentRow> OneBrief(StatementUse& q) {
  if (q->Next() != Step::kRow) return std::nullopt;
  return ReadBrief(*q);
}

/// The whole row (SWB_RESIDENT_SELECT).
ResidentRow ReadFull(Statement& q) {
  ResidentRow r = ReadBrief(q);
  r.doc_hash = std::string(q.Blob(7));
  r.doc_cipher = std::string(q.Blob(8));
  r.phone = q.Str(9);
  r.place_path = q.Str(10);
  r.place_id_path = q.Str(11);
  r.tags = q.Str(12);
  return r;
}

std::optional<ResidentRow> One(StatementUse& q) {
  if (q->Next() != Step::kRow) return std::nullopt;
  return ReadFull(*q);
}

}  // namespace

std::optional<ResidentRow> FindResident(Connection& db, std::int64_t id) {
  auto q = db.Query(SWB_RESIDENT_SELECT "WHERE r.id = ?");
  q->Bind(1, id);
  return One(q);
}

std::vector<ResidentRow> ResidentsInTube(Connection& db, std::string_view barcode) {
  auto q = db.Query(SWB_RESIDENT_SELECT
                    "JOIN samples s ON s.resident_id = r.id "
                    "WHERE s.tube_barcode = ? AND s.voided_at IS NULL ORDER BY s.id");
  q->Bind(1, barcode);
  std::vector<ResidentRow> out;
  while (q->Next() == Step::kRow) out.push_back(ReadFull(*q));
  return out;
}

std::optional<ResidentRow> FindResidentByDocHash(Connection& db, std::string_view doc_hash) {
  auto q = db.Query(SWB_RESIDENT_SELECT "WHERE r.doc_hash = ?");
  q->BindBlob(1, doc_hash);
  return One(q);
}

std::optional<ResidentRow> FindResidentBrief(Connection& db, std::int64_t id) {
  auto q = db.Query(SWB_RESIDENT_BRIEF_SELECT "WHERE id = ?");
  q->Bind(1, id);
  return OneBrief(q);
}

std::optional<ResidentRow> FindResidentBriefByDocHash(Connection& db, std::string_view doc_hash) {
  auto q = db.Query(SWB_RESIDENT_BRIEF_SELECT "WHERE doc_hash = ?");
  q->BindBlob(1, doc_hash);
  return OneBrief(q);
}

std::vector<ResidentRow> ListResidentsUnder(Connection& db, std::string_view id_path,
                                            std::string_view name_prefix, std::int64_t after_id,
                                            int limit) {
  // A subtree is the id_path range [prefix, prefix-with-last-'/'-as-'0'): '0' follows '/'
  // in ASCII, so the index on places.id_path answers it.
  std::string upper(id_path);
  if (!upper.empty()) upper.back() = '0';
  auto q = db.Query(SWB_RESIDENT_SELECT
                    "WHERE p.id_path >= ? AND p.id_path < ? AND r.id > ? AND (? = '' OR "
                    "substr(r.name, 1, length(?)) = ?) ORDER BY r.id LIMIT ?");
  q->Bind(1, id_path).Bind(2, upper).Bind(3, after_id).Bind(4, name_prefix);
  q->Bind(5, name_prefix).Bind(6, name_prefix).Bind(7, limit);
  std::vector<ResidentRow> out;
  while (auto r = One(q)) out.push_back(std::move(*r));
  return out;
}

std::optional<std::int64_t> InsertResident(Tx& tx, const ResidentRow& row, std::int64_t now) {
  auto q = tx.Query(
      "INSERT INTO residents(name, doc_type, doc_hash, doc_cipher, doc_masked, phone, place_id, "
      "tags, walk_in, region, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "(SELECT region FROM places WHERE id = ?), ?, ?)");
  q->Bind(1, row.name)
      .Bind(2, core::DocumentTypeName(row.doc_type))
      .BindBlob(3, row.doc_hash)
      .BindBlob(4, row.doc_cipher);
  q->Bind(5, row.doc_masked).Bind(6, row.phone).Bind(7, row.place_id).Bind(8, row.tags);
  q->Bind(9, row.walk_in ? 1 : 0).Bind(10, row.place_id).Bind(11, now).Bind(12, now);
  if (!q->Run()) return std::nullopt;
  const std::int64_t id = tx.db().LastInsertId();
  CountNewResident(tx, row.place_id);
  return id;
}

void UpdateResident(Tx& tx, const ResidentRow& row, std::int64_t now) {
  auto q = tx.Query(
      "UPDATE residents SET name = ?, phone = ?, place_id = ?, tags = ?, region = (SELECT "
      "region FROM places WHERE id = ?), updated_at = ? WHERE id = ?");
  q->Bind(1, row.name).Bind(2, row.phone).Bind(3, row.place_id).Bind(4, row.tags);
  q->Bind(5, row.place_id).Bind(6, now).Bind(7, row.id);
  q->RunOrThrow();
}

std::int64_t BumpCodeVersion(Tx& tx, std::int64_t id, std::int64_t now) {
  {
    auto q = tx.Query(
        "UPDATE residents SET code_version = code_version + 1, code_issued_at = ?, updated_at = ? "
        "WHERE id = ?");
    q->Bind(1, now).Bind(2, now).Bind(3, id);
    q->RunOrThrow();
  }
  auto q = tx.Query("SELECT code_version FROM residents WHERE id = ?");
  q->Bind(1, id);
  if (q->Next() != Step::kRow) throw StoreError(0, "no resident " + std::to_string(id));
  return q->Int(0);
}

std::vector<ResidentRow> ListResidentsByAddress(Connection& db, std::string_view id_path) {
  std::string upper(id_path);  // the subtree's range, as in ListResidentsUnder
  if (!upper.empty()) upper.back() = '0';
  auto q = db.Query(SWB_RESIDENT_SELECT
                    "WHERE p.id_path >= ? AND p.id_path < ? ORDER BY p.path, r.name, r.id");
  q->Bind(1, id_path).Bind(2, upper);
  std::vector<ResidentRow> out;
  while (auto r = One(q)) out.push_back(std::move(*r));
  return out;
}

}  // namespace swabline::store
