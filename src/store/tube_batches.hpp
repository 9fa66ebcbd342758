#pragma once
/// Rows of tube batches (the barcodes issued to a site) and of a site's stock of supplies.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/connection.hpp"

namespace swabline::store {

struct TubeBatchRow {
  std::int64_t id = 0;
  std::int64_t site_id = 0;
  std::int64_t count = 0;
  std::optional<std::int64_t> pool_size;
  std::int64_t expires_at = 0;
  std::int64_t created_at = 0;
  std::string created_by;
};

/// Inserts the batch and its barcodes. nullopt, with `taken` set to the first barcode an
/// earlier batch issued, when one was (nothing of the batch is kept then: the caller's
/// transaction rolls back on the error it answers).
std::optional<std::int64_t> InsertTubeBatch(Tx& tx, const TubeBatchRow& row,
                                            const std::vector<std::string>& barcodes,
                                            std::string& taken);
/// The batch that issued `barcode`, if any: one primary-key probe.
std::optional<TubeBatchRow> FindBatchOfBarcode(Connection& db, std::string_view barcode);
/// A site's batches, newest first, ids below `before_id` (0: from the newest), at most `limit`.
std::vector<TubeBatchRow> ListTubeBatches(Connection& db, std::int64_t site_id,
                                          std::int64_t before_id, int limit);

struct SiteStockRow {
  std::int64_t site_id = 0;
  std::int64_t swabs_delivered = 0;
  std::int64_t kits_delivered = 0;
  std::int64_t samples_per_kit = 1;
  std::int64_t low_tubes = 0;
  std::int64_t low_swabs = 0;
  std::int64_t low_kits = 0;
  std::string alerted;  // "tubes,swabs": supplies told of as low and not risen since
  std::optional<std::int64_t> updated_at;
  std::string updated_by;
};

std::optional<SiteStockRow> FindSiteStock(Connection& db, std::int64_t site_id);
/// Inserts or replaces the site's stock row.
void PutSiteStock(Tx& tx, const SiteStockRow& row);
void SetStockAlerted(Tx& tx, std::int64_t site_id, std::string_view alerted);

/// What a site has used, from its tubes: tube barcodes issued (unexpired or not), tubes
/// opened, and valid samples in them.
struct SiteUsageRow {
  std::int64_t tubes_issued = 0;
  std::int64_t tubes_opened = 0;
  std::int64_t samples = 0;
};
SiteUsageRow SiteUsageOf(Connection& db, std::int64_t site_id);

}  // namespace swabline::store
