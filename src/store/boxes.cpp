#include "store/boxes.hpp"

#include "store/columns.hpp"

namespace swabline::store {
namespace {

#define SWB_DISCREPANCY_SELECT                                                            \
  "SELECT id, box_barcode, tube_barcode, kind, created_at, resolved_at, resolution FROM " \
  "discrepancies "

DiscrepancyRow ReadDiscrepancy(Statement& q) {
  DiscrepancyRow d;
  d.id = q.Int(0);
  d.box_barcode = q.Str(1);
  d.tube_barcode = q.Str(2);
  d.kind = q.Str(3);
  d.created_at = q.Int(4);
  d.resolved_at = q.OptInt(5);
  d.resolution = q.OptStr(6);
  return d;
}

}  // namespace

bool InsertBox(Tx& tx, std::string_view barcode, std::string_view created_by, std::int64_t now) {
  auto q = tx.Query("INSERT INTO boxes(barcode, created_at, created_by) VALUES (?, ?, ?)");
  q->Bind(1, barcode).Bind(2, now).Bind(3, created_by);
  return q->Run();
}

std::optional<BoxRow> FindBox(Connection& db, std::string_view barcode) {
  auto q = db.Query(
      "SELECT barcode, status, created_at, created_by, dispatched_at, received_at FROM boxes "
      "WHERE barcode = ?");
  q->Bind(1, barcode);
  if (q->Next() != Step::kRow) return std::nullopt;
  BoxRow b;
  b.barcode = q->Str(0);
  b.status = EnumColumn(core::ParseBoxStatus, q->Text(1), "boxes", "status");
  b.created_at = q->Int(2);
  b.created_by = q->Str(3);
  b.dispatched_at = q->OptInt(4);
  b.received_at = q->OptInt(5);
  return b;
}

bool BarcodeUsed(Connection& db, std::string_view barcode) {
  auto q = db.Query(
      "SELECT 1 WHERE EXISTS (SELECT 1 FROM tubes WHERE barcode = ?1) OR EXISTS (SELECT 1 FROM "
      "boxes WHERE barcode = ?1)");
  q->Bind(1, barcode);
  return q->Next() == Step::kRow;
}

std::vector<BoxedTube> TubesInBox(Connection& db, std::string_view box) {
  auto q = db.Query(
      "SELECT barcode, status, received_at IS NOT NULL FROM tubes WHERE box_barcode = ? "
      "ORDER BY boxed_at, rowid");
  q->Bind(1, box);
  std::vector<BoxedTube> out;
  while (q->Next() == Step::kRow)
    out.push_back({q->Str(0), EnumColumn(core::ParseTubeStatus, q->Text(1), "tubes", "status"),
                   q->Int(2) != 0});
  return out;
}

bool PutTubeInBox(Tx& tx, std::string_view tube, std::string_view box, std::int64_t now) {
  auto q = tx.Query(
      "UPDATE tubes SET status = 'in_box', box_barcode = ?1, boxed_at = ?2 WHERE barcode = ?3 "
      "AND status = 'sealed' AND box_barcode IS NULL AND EXISTS (SELECT 1 FROM boxes WHERE "
      "barcode = ?1 AND status = 'open')");
  q->Bind(1, box).Bind(2, now).Bind(3, tube);
  q->RunOrThrow();
  return tx.db().Changes() == 1;
}

void DispatchBoxRow(Tx& tx, std::string_view box, std::int64_t now) {
  {
    auto q = tx.Query(
        "UPDATE boxes SET status = 'in_transit', dispatched_at = ? WHERE barcode = ? AND status "
        "= 'open'");
    q->Bind(1, now).Bind(2, box);
    q->RunOrThrow();
  }
  auto q = tx.Query(
      "UPDATE tubes SET status = 'in_transit', dispatched_at = ? WHERE box_barcode = ? AND "
      "status = 'in_box'");
  q->Bind(1, now).Bind(2, box);
  q->RunOrThrow();
}

void ReceiveTubeRow(Tx& tx, std::string_view tube, bool move_status, std::int64_t now) {
  auto q = tx.Query(
      "UPDATE tubes SET received_at = COALESCE(received_at, ?), status = CASE WHEN ? THEN "
      "'received' ELSE status END WHERE barcode = ?");
  q->Bind(1, now).Bind(2, move_status ? 1 : 0).Bind(3, tube);
  q->RunOrThrow();
}

void ReceiveBoxRow(Tx& tx, std::string_view box, std::int64_t now) {
  auto q = tx.Query(
      "UPDATE boxes SET status = 'received', received_at = COALESCE(received_at, ?) WHERE "
      "barcode = ?");
  q->Bind(1, now).Bind(2, box);
  q->RunOrThrow();
}

bool HasDiscrepancy(Connection& db, std::string_view box, std::string_view tube,
                    std::string_view kind) {
  auto q = db.Query(
      "SELECT 1 FROM discrepancies WHERE box_barcode = ? AND tube_barcode = ? AND kind = ?");
  q->Bind(1, box).Bind(2, tube).Bind(3, kind);
  return q->Next() == Step::kRow;
}

std::int64_t InsertDiscrepancy(Tx& tx, std::string_view box, std::string_view tube,
                               std::string_view kind, std::int64_t now) {
  auto q = tx.Query(
      "INSERT INTO discrepancies(box_barcode, tube_barcode, kind, created_at) VALUES (?, ?, ?, ?)");
  q->Bind(1, box).Bind(2, tube).Bind(3, kind).Bind(4, now);
  if (!q->Run()) throw StoreError(0, "discrepancy refused by a constraint");
  return tx.db().LastInsertId();
}

std::optional<DiscrepancyRow> FindDiscrepancy(Connection& db, std::int64_t id) {
  auto q = db.Query(SWB_DISCREPANCY_SELECT "WHERE id = ?");
  q->Bind(1, id);
  if (q->Next() != Step::kRow) return std::nullopt;
  return ReadDiscrepancy(*q);
}

std::vector<DiscrepancyRow> ListDiscrepancies(Connection& db, std::optional<bool> open,
                                              std::int64_t after_id, int limit) {
  auto q = db.Query(SWB_DISCREPANCY_SELECT
                    "WHERE id > ?1 AND (CAST(?2 AS INTEGER) IS NULL OR "
                    "(CASE WHEN resolved_at IS NULL THEN 1 ELSE 0 END) = ?2) ORDER BY id "
                    "LIMIT ?3");
  q->Bind(1, after_id);
  if (open) q->Bind(2, *open ? 1 : 0);
  q->Bind(3, limit);
  std::vector<DiscrepancyRow> out;
  while (q->Next() == Step::kRow) out.push_back(ReadDiscrepancy(*q));
  return out;
}

bool ResolveDiscrepancyRow(Tx& tx, std::int64_t id, std::string_view resolution, std::int64_t now) {
  auto q = tx.Query(
      "UPDATE discrepancies SET resolved_at = ?, resolution = ? WHERE id = ? AND resolved_at IS "
      "NULL");
  q->Bind(1, now).Bind(2, resolution).Bind(3, id);
  q->RunOrThrow();
  return tx.db().Changes() == 1;
}

int ResolveOpenDiscrepancies(Tx& tx, std::string_view box, std::string_view tube,
                             std::string_view kind, std::string_view resolution, std::int64_t now) {
  auto q = tx.Query(
      "UPDATE discrepancies SET resolved_at = ?, resolution = ? WHERE box_barcode = ? AND "
      "tube_barcode = ? AND kind = ? AND resolved_at IS NULL");
  q->Bind(1, now).Bind(2, resolution).Bind(3, box).Bind(4, tube).Bind(5, kind);
  q->RunOrThrow();
  return tx.db().Changes();
}

}  // namespace swabline::store
