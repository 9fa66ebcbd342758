#include "store/tube_batches.hpp"

namespace swabline::store {
namespace {

constexpr std::string_view kBatchColumns =
    "SELECT b.id, b.site_id, b.count, b.pool_size, b.expires_at, b.created_at, b.created_by "
    "FROM tube_batches b ";

TubeBatchRow ReadBatch(Statement& q) {
  return {q.Int(0), q.Int(1), q.Int(2), q.OptInt(3), q.Int(4), q.Int(5), q.Str(6)};
}

}  // namespace

std::optional<std::int64_t> InsertTubeBatch(Tx& tx, const TubeBatchRow& row,
                                            const std::vector<std::string>& barcodes,
                                            std::string& taken) {
  auto q = tx.Query(
      "INSERT INTO tube_batches(site_id, count, pool_size, expires_at, created_at, created_by) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  q->Bind(1, row.site_id).Bind(2, row.count).Bind(3, row.pool_size).Bind(4, row.expires_at);
  q->Bind(5, row.created_at).Bind(6, row.created_by);
  q->RunOrThrow();
  const std::int64_t id = tx.db().LastInsertId();
  auto add = tx.Query("INSERT INTO tube_batch_barcodes(barcode, batch_id) VALUES (?, ?)");
  for (const std::string& barcode : barcodes) {
    add->Bind(1, barcode).Bind(2, id);
    if (!add->Run()) {
      taken = barcode;
      return std::nullopt;
    }
  }
  return id;
}

std::optional<TubeBatchRow> FindBatchOfBarcode(Connection& db, std::string_view barcode) {
  auto q = db.Query(std::string(kBatchColumns) +
                    "JOIN tube_batch_barcodes x ON x.batch_id = b.id WHERE x.barcode = ?");
  q->Bind(1, barcode);
  if (q->Next() != Step::kRow) return std::nullopt;
  return ReadBatch(*q);
}

std::vector<TubeBatchRow> ListTubeBatches(Connection& db, std::int64_t site_id,
                                          std::int64_t before_id, int limit) {
  auto q = db.Query(std::string(kBatchColumns) +
                    "WHERE b.site_id = ? AND (? = 0 OR b.id < ?) ORDER BY b.id DESC LIMIT ?");
  q->Bind(1, site_id).Bind(2, before_id).Bind(3, before_id).Bind(4, limit);
  std::vector<TubeBatchRow> out;
  while (q->Next() == Step::kRow) out.push_back(ReadBatch(*q));
  return out;
}

std::optional<SiteStockRow> FindSiteStock(Connection& db, std::int64_t site_id) {
  auto q = db.Query(
      "SELECT site_id, swabs_delivered, kits_delivered, samples_per_kit, low_tubes, low_swabs, "
      "low_kits, alerted, updated_at, updated_by FROM site_stock WHERE site_id = ?");
  q->Bind(1, site_id);
  if (q->Next() != Step::kRow) return std::nullopt;
  return SiteStockRow{q->Int(0), q->Int(1), q->Int(2), q->Int(3), q->Int(4),
                      q->Int(5), q->Int(6), q->Str(7), q->Int(8), q->OptStr(9).value_or("")};
}

void PutSiteStock(Tx& tx, const SiteStockRow& r) {
  auto q = tx.Query(
      "INSERT INTO site_stock(site_id, swabs_delivered, kits_delivered, samples_per_kit, "
      "low_tubes, low_swabs, low_kits, alerted, updated_at, updated_by) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(site_id) DO UPDATE SET "
      "swabs_delivered = excluded.swabs_delivered, kits_delivered = excluded.kits_delivered, "
      "samples_per_kit = excluded.samples_per_kit, low_tubes = excluded.low_tubes, "
      "low_swabs = excluded.low_swabs, low_kits = excluded.low_kits, alerted = excluded.alerted, "
      "updated_at = excluded.updated_at, updated_by = excluded.updated_by");
  q->Bind(1, r.site_id).Bind(2, r.swabs_delivered).Bind(3, r.kits_delivered);
  q->Bind(4, r.samples_per_kit).Bind(5, r.low_tubes).Bind(6, r.low_swabs).Bind(7, r.low_kits);
  q->Bind(8, r.alerted).Bind(9, r.updated_at.value_or(0)).Bind(10, r.updated_by);
  q->RunOrThrow();
}

void SetStockAlerted(Tx& tx, std::int64_t site_id, std::string_view alerted) {
  auto q = tx.Query("UPDATE site_stock SET alerted = ? WHERE site_id = ?");
  q->Bind(1, alerted).Bind(2, site_id);
  q->RunOrThrow();
}

SiteUsageRow SiteUsageOf(Connection& db, std::int64_t site_id) {
  auto q = db.Query(
      "SELECT (SELECT COALESCE(SUM(count), 0) FROM tube_batches WHERE site_id = ?1), "
      "COUNT(*), COALESCE(SUM(t.count), 0) FROM tubes t WHERE t.site_id = ?1");
  q->Bind(1, site_id);
  q->Next();
  return {q->Int(0), q->Int(1), q->Int(2)};
}

}  // namespace swabline::store
