#include "store/coverage_tallies.hpp"

#include <optional>

#include "store/rounds.hpp"

namespace swabline::store {

void ScanTallies(Connection& db, std::int64_t round_id, const std::string& id_path,
                 const std::function<void(const TallyRow&)>& fn) {
  // places_tallies holds the tally places only, by id_path: the subtree is one range of it.
  auto q = db.Query(
      "SELECT p.id_path, COALESCE(tr.residents, 0), COALESCE(rt.sampled, 0), "
      "COALESCE(rt.resulted, 0), COALESCE(rt.positive, 0) FROM places p INDEXED BY "
      "places_tallies LEFT JOIN tally_residents tr ON tr.tally_id = p.id LEFT JOIN "
      "round_tallies rt ON rt.round_id = ? AND rt.tally_id = p.id WHERE p.tally_id = p.id AND "
      "p.id_path >= ? AND p.id_path < ?");
  q->Bind(1, round_id).Bind(2, id_path).Bind(3, SubtreeEnd(id_path));
  TallyRow row;
  while (q->Next() == Step::kRow) {
    row.id_path = q->Text(0);
    row.residents = q->Int(1);
    row.sampled = q->Int(2);
    row.resulted = q->Int(3);
    row.positive = q->Int(4);
    fn(row);
  }
}

void ScanRepeatSamplers(Connection& db, std::int64_t round_id, const std::string& id_path,
                        const std::function<void(const RepeatSamplerRow&)>& fn) {
  // CROSS JOIN keeps SQLite in this order: the subtree's tally places, their repeaters in
  // the round, and only then those people's samples.
  auto q = db.Query(
      "SELECT p.id_path, COUNT(*), SUM(CASE WHEN t.result IS NOT NULL THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN t.result = 'positive' THEN 1 ELSE 0 END) "
      "FROM places tp INDEXED BY places_tallies CROSS JOIN round_repeaters rr ON rr.round_id = "
      "?1 AND rr.tally_id = tp.id CROSS JOIN residents r ON r.id = rr.resident_id CROSS JOIN "
      "places p ON p.id = r.place_id CROSS JOIN samples s ON s.resident_id = r.id CROSS JOIN "
      "tubes t ON t.barcode = s.tube_barcode WHERE tp.tally_id = tp.id AND tp.id_path >= ?2 AND "
      "tp.id_path < ?3 AND s.round_id = ?1 AND s.voided_at IS NULL GROUP BY r.id, p.id_path HAVING "
      "COUNT(*) > 1");
  q->Bind(1, round_id).Bind(2, id_path).Bind(3, SubtreeEnd(id_path));
  RepeatSamplerRow row;
  while (q->Next() == Step::kRow) {
    row.home_id_path = q->Text(0);
    row.valid_samples = q->Int(1);
    row.resulted_samples = q->Int(2);
    row.positive_samples = q->Int(3);
    fn(row);
  }
}

void CountNewResident(Tx& tx, std::int64_t place_id) {
  std::optional<std::int64_t> tally;
  {
    auto q = tx.Query("SELECT tally_id FROM places WHERE id = ?");
    q->Bind(1, place_id);
    if (q->Next() == Step::kRow) tally = q->OptInt(0);
  }
  if (!tally) return;  // a place outside any tally place (none is made so): nothing to keep
  auto q = tx.Query(
      "INSERT INTO tally_residents(tally_id, residents) VALUES (?, 1) ON CONFLICT(tally_id) DO "
      "UPDATE SET residents = tally_residents.residents + 1");
  q->Bind(1, *tally);
  q->RunOrThrow();
}

void CountNewSample(Tx& tx, const SampleRow& sample) {
  const std::string_view tube = sample.tube_barcode;
  std::optional<std::int64_t> tally;
  std::int64_t resulted = 0;
  std::int64_t positive = 0;
  {
    auto q = tx.Query(
        "SELECT p.tally_id, t.result IS NOT NULL, t.result IS 'positive' FROM residents r JOIN "
        "places p ON p.id = r.place_id, tubes t WHERE r.id = ? AND t.barcode = ?");
    q->Bind(1, sample.resident_id).Bind(2, tube);
    if (q->Next() == Step::kRow) {
      tally = q->OptInt(0);
      resulted = q->Int(1);
      positive = q->Int(2);
    }
  }
  if (!tally) return;
  {
    auto q = tx.Query(
        "INSERT INTO tube_tallies(tube_barcode, tally_id, n) VALUES (?, ?, 1) ON "
        "CONFLICT(tube_barcode, tally_id) DO UPDATE SET n = tube_tallies.n + 1");
    q->Bind(1, tube).Bind(2, *tally);
    q->RunOrThrow();
  }
  {
    auto q = tx.Query(
        "INSERT INTO round_tallies(round_id, tally_id, sampled, resulted, positive) VALUES (?, "
        "?, 1, ?, ?) ON CONFLICT(round_id, tally_id) DO UPDATE SET "
        "sampled = round_tallies.sampled + 1, resulted = round_tallies.resulted + "
        "excluded.resulted, positive = round_tallies.positive + excluded.positive");
    q->Bind(1, sample.round_id).Bind(2, *tally).Bind(3, resulted).Bind(4, positive);
    q->RunOrThrow();
  }
  if (!sample.repeat_reason && sample.screening) return;
  auto q = tx.Query(
      "INSERT INTO round_repeaters(round_id, tally_id, resident_id) VALUES (?, ?, ?) ON "
      "CONFLICT DO NOTHING");
  q->Bind(1, sample.round_id).Bind(2, *tally).Bind(3, sample.resident_id);
  q->RunOrThrow();
}

bool KeepsTally(Connection& db, std::int64_t place_id) {
  auto q = db.Query("SELECT 1 FROM places WHERE id = ? AND tally_id = id");
  q->Bind(1, place_id);
  return q->Next() == Step::kRow;
}

bool ChildrenKeepTallies(Connection& db, std::int64_t place_id) {
  auto q = db.Query("SELECT 1 FROM places WHERE parent_id = ? AND tally_id IS NOT id LIMIT 1");
  q->Bind(1, place_id);
  return q->Next() != Step::kRow;
}

}  // namespace swabline::store
