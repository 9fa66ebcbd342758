#pragma once
/// Tube batches and a site's stock (docs/api.md, "The areas": community operations;
/// docs/openapi.yaml): the barcodes issued to a site, which `serve --strict-tubes` holds every
/// opened tube to, and the supplies a site has left, with a low_stock message through the outbox
/// when one falls to its threshold.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/tube_batch.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

struct NewTubeBatch {
  std::int64_t site_id = 0;
  std::vector<std::string> barcodes;        // either these…
  std::optional<core::BarcodeRange> range;  // …or a numbered range
  core::Micros expires_at = 0;
  std::optional<int> pool_size;  // the tubes' capacity, when the batch is made for one
};

struct TubeBatch {
  std::int64_t id = 0;
  std::int64_t site_id = 0;
  std::int64_t count = 0;
  std::optional<int> pool_size;
  core::Micros expires_at = 0;
  core::Micros created_at = 0;
  std::string created_by;
};

/// Issues the barcodes to the site (kManageSites, the site in scope). kUnknownSite;
/// kInvalidField for both or neither of barcodes and range, or a bad range;
/// kInvalidBarcode; kInvalidPoolSize; kBarcodeInBatch (with `barcode`) when an earlier batch
/// issued one of them.
core::Result<TubeBatch> CreateTubeBatch(store::Tx& tx, const Env& env, const Actor& actor,
                                        const NewTubeBatch& in);

struct TubeBatchPage {
  std::vector<TubeBatch> batches;  // newest first
  std::optional<std::int64_t> next_cursor;
};

/// The site's batches (kReadTubes, the site in scope). kUnknownSite.
core::Result<TubeBatchPage> ListTubeBatches(store::Connection& db, const Actor& actor,
                                            std::int64_t site_id, std::int64_t cursor, int limit);

/// With `env.strict_tubes`: the barcode was issued to this site and has not expired —
/// kBarcodeNotIssued, kBarcodeOtherSite (with `site_id`), kTubeExpired (with `expires_at`).
/// Returns the batch's pool size, the tube's default capacity. Without it: nothing is checked.
core::Result<std::optional<int>> CheckIssuedTube(store::Connection& db, const Env& env,
                                                 const std::string& barcode, std::int64_t site_id);

struct StockInput {
  std::int64_t swabs_delivered = 0;
  std::int64_t kits_delivered = 0;
  std::int64_t samples_per_kit = 1;
  std::int64_t low_tubes = 0;  // thresholds; 0: no alert
  std::int64_t low_swabs = 0;
  std::int64_t low_kits = 0;
};

struct SiteStock {
  std::int64_t site_id = 0;
  core::StockLevel tubes;  // issued by batches − opened at the site
  core::StockLevel swabs;  // delivered − samples taken
  core::StockLevel kits;   // delivered − samples / samples_per_kit
  std::int64_t samples = 0;
  std::int64_t samples_per_kit = 1;
  std::optional<core::Micros> updated_at;  // nullopt: never put
  std::string updated_by;
};

/// The site's stock (kReadTubes, the site in scope). kUnknownSite.
core::Result<SiteStock> GetSiteStock(store::Connection& db, const Actor& actor,
                                     std::int64_t site_id);
/// Replaces what was delivered and the thresholds (kManageSites, the site in scope), audited.
/// kUnknownSite; kInvalidField for a negative count or a samples_per_kit below 1.
core::Result<SiteStock> PutSiteStock(store::Tx& tx, const Env& env, const Actor& actor,
                                     std::int64_t site_id, const StockInput& in);

/// Compares the site's stock with its thresholds and, for each supply that fell to or below
/// its threshold since the last message, sends one low_stock message (outbox, to the site's
/// place); a supply that rose above it again may alert again. Nothing for a site without a
/// stock row. Called where stock moves: a tube opened or sealed, a batch, a delivery.
void CheckSiteStock(store::Tx& tx, std::int64_t site_id, core::Micros now);

}  // namespace swabline::service
