#include "store/tubes.hpp"

#include "store/columns.hpp"
#include "store/coverage_tallies.hpp"

namespace swabline::store {
namespace {

#define SWB_TUBE_SELECT                                                                         \
  "SELECT t.barcode, t.round_id, t.site_id, t.capacity, t.count, t.status, t.auto_sealed, "     \
  "t.result, t.purpose, t.incident_id, t.box_barcode, t.opened_by, t.opened_at, "               \
  "t.first_sample_at, t.sealed_at, t.boxed_at, t.dispatched_at, t.received_at, t.resulted_at, " \
  "p.id_path FROM tubes t JOIN sites s ON s.id = t.site_id JOIN places p ON p.id = s.place_id "

#define SWB_SAMPLE_SELECT                                                                  \
  "SELECT id, tube_barcode, round_id, resident_id, screening, repeat_reason, sampled_at, " \
  "sampled_by, voided_at, void_reason FROM samples "

TubeRow ReadTube(Statement& q) {
  TubeRow t;
  t.barcode = q.Str(0);
  t.round_id = q.Int(1);
  t.site_id = q.Int(2);
  t.capacity = static_cast<int>(q.Int(3));
  t.count = static_cast<int>(q.Int(4));
  t.status = EnumColumn(core::ParseTubeStatus, q.Text(5), "tubes", "status");
  t.auto_sealed = q.Int(6) != 0;
  if (!q.IsNull(7)) t.result = EnumColumn(core::ParseTubeResult, q.Text(7), "tubes", "result");
  t.purpose = EnumColumn(core::ParseTubePurpose, q.Text(8), "tubes", "purpose");
  t.incident_id = q.OptInt(9);
  t.box_barcode = q.OptStr(10);
  t.opened_by = q.Str(11);
  t.opened_at = q.Int(12);
  t.first_sample_at = q.OptInt(13);
  t.sealed_at = q.OptInt(14);
  t.boxed_at = q.OptInt(15);
  t.dispatched_at = q.OptInt(16);
  t.received_at = q.OptInt(17);
  t.resulted_at = q.OptInt(18);
  t.site_id_path = q.Str(19);
  return t;
}

SampleRow ReadSample(Statement& q) {
  SampleRow s;
  s.id = q.Int(0);
  s.tube_barcode = q.Str(1);
  s.round_id = q.Int(2);
  s.resident_id = q.Int(3);
  s.screening = q.Int(4) != 0;
  s.repeat_reason = q.OptStr(5);
  s.sampled_at = q.Int(6);
  s.sampled_by = q.Str(7);
  s.voided_at = q.OptInt(8);
  s.void_reason = q.OptStr(9);
  return s;
}

}  // namespace

bool InsertTube(Tx& tx, const TubeRow& t) {
  auto q = tx.Query(
      "INSERT INTO tubes(barcode, round_id, site_id, capacity, purpose, incident_id, opened_by, "
      "opened_at, region) VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT region FROM sites WHERE id = "
      "?))");
  q->Bind(1, t.barcode).Bind(2, t.round_id).Bind(3, t.site_id).Bind(4, t.capacity);
  q->Bind(5, core::TubePurposeName(t.purpose))
      .Bind(6, t.incident_id)
      .Bind(7, t.opened_by)
      .Bind(8, t.opened_at);
  q->Bind(9, t.site_id);
  return q->Run();
}

std::optional<TubeRow> FindTube(Connection& db, std::string_view barcode) {
  auto q = db.Query(SWB_TUBE_SELECT "WHERE t.barcode = ?");
  q->Bind(1, barcode);
  if (q->Next() != Step::kRow) return std::nullopt;
  return ReadTube(*q);
}

bool TakeTubeSlot(Tx& tx, std::string_view barcode, std::int64_t now) {
  // No RETURNING: it makes SQLite build a temporary table on every scan.
  auto q = tx.Query(
      "UPDATE tubes SET count = count + 1, first_sample_at = COALESCE(first_sample_at, ?) "
      "WHERE barcode = ? AND status = 'open' AND count < capacity");
  q->Bind(1, now).Bind(2, barcode);
  q->RunOrThrow();
  return tx.db().Changes() != 0;
}

void ReturnTubeSlot(Tx& tx, std::string_view barcode) {
  auto q = tx.Query(
      "UPDATE tubes SET count = count - 1, status = CASE WHEN auto_sealed = 1 AND status = "
      "'sealed' THEN 'open' ELSE status END, auto_sealed = CASE WHEN status = 'sealed' AND "
      "auto_sealed = 1 THEN 0 ELSE auto_sealed END, sealed_at = CASE WHEN auto_sealed = 1 AND "
      "status = 'sealed' THEN NULL ELSE sealed_at END WHERE barcode = ? AND count > 0");
  q->Bind(1, barcode);
  q->RunOrThrow();
}

void SealTubeRow(Tx& tx, std::string_view barcode, bool automatic, std::int64_t now) {
  auto q = tx.Query(
      "UPDATE tubes SET status = 'sealed', auto_sealed = ?, sealed_at = ? WHERE barcode = ? AND "
      "status = 'open'");
  q->Bind(1, automatic ? 1 : 0).Bind(2, now).Bind(3, barcode);
  q->RunOrThrow();
}

std::optional<std::int64_t> InsertSample(Tx& tx, const SampleRow& s) {
  auto q = tx.Query(
      "INSERT INTO samples(tube_barcode, round_id, resident_id, screening, repeat_reason, "
      "sampled_at, sampled_by, region) VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT region FROM residents "
      "WHERE id = ?))");
  q->Bind(1, s.tube_barcode)
      .Bind(2, s.round_id)
      .Bind(3, s.resident_id)
      .Bind(4, s.screening ? 1 : 0);
  q->Bind(5, s.repeat_reason).Bind(6, s.sampled_at).Bind(7, s.sampled_by).Bind(8, s.resident_id);
  if (!q->Run()) return std::nullopt;
  const std::int64_t id = tx.db().LastInsertId();
  CountNewSample(tx, s);
  return id;
}

std::optional<SampleRow> FindSample(Connection& db, std::int64_t id) {
  auto q = db.Query(SWB_SAMPLE_SELECT "WHERE id = ?");
  q->Bind(1, id);
  if (q->Next() != Step::kRow) return std::nullopt;
  return ReadSample(*q);
}

std::vector<SampleRow> ValidSamplesInTube(Connection& db, std::string_view barcode) {
  auto q = db.Query(SWB_SAMPLE_SELECT "WHERE tube_barcode = ? AND voided_at IS NULL ORDER BY id");
  q->Bind(1, barcode);
  std::vector<SampleRow> out;
  while (q->Next() == Step::kRow) out.push_back(ReadSample(*q));
  return out;
}

EarlierSamples FindEarlierSamples(Connection& db, std::string_view barcode, std::int64_t round_id,
                                  std::int64_t resident_id) {
  // A tube belongs to one round, so "in this tube" is among the round's samples. A person has
  // one or two of them at most: no ORDER BY (it would sort in a temporary b-tree), the first
  // screening sample is picked here.
  auto q =
      db.Query(SWB_SAMPLE_SELECT "WHERE resident_id = ? AND round_id = ? AND voided_at IS NULL");
  q->Bind(1, resident_id).Bind(2, round_id);
  EarlierSamples out;
  while (q->Next() == Step::kRow) {
    if (q->Text(1) == barcode) out.in_tube = true;
    if (q->Int(4) != 0 && (!out.screening || q->Int(0) < out.screening->id))
      out.screening = ReadSample(*q);
  }
  return out;
}

void VoidSampleRow(Tx& tx, std::int64_t id, std::string_view reason, std::int64_t now) {
  auto q = tx.Query(
      "UPDATE samples SET voided_at = ?, void_reason = ? WHERE id = ? AND voided_at IS NULL");
  q->Bind(1, now).Bind(2, reason).Bind(3, id);
  q->RunOrThrow();
}

bool IsIncidentMember(Connection& db, std::int64_t incident_id, std::int64_t resident_id) {
  auto q = db.Query("SELECT 1 FROM incident_people WHERE incident_id = ? AND resident_id = ?");
  q->Bind(1, incident_id).Bind(2, resident_id);
  return q->Next() == Step::kRow;
}

bool IncidentExists(Connection& db, std::int64_t incident_id) {
  auto q = db.Query("SELECT 1 FROM incidents WHERE id = ?");
  q->Bind(1, incident_id);
  return q->Next() == Step::kRow;
}

}  // namespace swabline::store
