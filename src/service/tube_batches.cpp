#include "service/tube_batches.hpp"

#include "core/civil_time.hpp"
#include "core/tube.hpp"
#include "service/page.hpp"
#include "store/audit.hpp"
#include "store/outbox.hpp"
#include "store/rounds.hpp"
#include "store/tube_batches.hpp"

namespace swabline::service {

using core::ErrorCode;

namespace {

core::Result<store::SiteRow> SiteInScope(store::Connection& db, const Actor& actor,
                                         std::int64_t site_id) {
  auto site = store::FindSite(db, site_id);
  if (!site)
    return core::Fail(ErrorCode::kUnknownSite, "no site with id " + std::to_string(site_id));
  SWB_TRY(RequireInScope(actor, site->place_id_path));
  return std::move(*site);
}

TubeBatch BatchOf(const store::TubeBatchRow& r) {
  std::optional<int> pool;
  if (r.pool_size) pool = static_cast<int>(*r.pool_size);
  return {r.id, r.site_id, r.count, pool, r.expires_at, r.created_at, r.created_by};
}

core::Error InvalidStock(const char* field, const std::string& detail) {
  return core::Fail(ErrorCode::kInvalidField, std::string(field) + " " + detail)
      .With("field", field);
}

SiteStock StockOf(std::int64_t site_id, const store::SiteStockRow& row,
                  const store::SiteUsageRow& usage) {
  SiteStock s;
  s.site_id = site_id;
  s.samples = usage.samples;
  s.samples_per_kit = row.samples_per_kit;
  s.tubes = core::LevelOf(usage.tubes_issued, usage.tubes_opened, row.low_tubes);
  s.swabs = core::LevelOf(row.swabs_delivered, usage.samples, row.low_swabs);
  s.kits = core::LevelOf(row.kits_delivered, core::KitsUsed(usage.samples, row.samples_per_kit),
                         row.low_kits);
  s.updated_at = row.updated_at;
  s.updated_by = row.updated_by;
  return s;
}

std::string LevelPayload(std::string_view name, const core::StockLevel& l) {
  return "\"" + std::string(name) + R"(":{"left":)" + std::to_string(l.left) +
         ",\"threshold\":" + std::to_string(l.threshold) + "}";
}

}  // namespace

core::Result<TubeBatch> CreateTubeBatch(store::Tx& tx, const Env& env, const Actor& actor,
                                        const NewTubeBatch& in) {
  SWB_TRY(Require(actor, core::Permission::kManageSites));
  store::SiteRow site;
  SWB_TRY_ASSIGN(site, SiteInScope(tx.db(), actor, in.site_id));
  if (in.range.has_value() == !in.barcodes.empty())
    return core::Fail(ErrorCode::kInvalidField, "send either barcodes or a range")
        .With("field", "barcodes");
  std::vector<std::string> expanded;
  if (in.range) {
    SWB_TRY_ASSIGN(expanded, core::ExpandBarcodeRange(*in.range));
  }
  const std::vector<std::string>& barcodes = in.range ? expanded : in.barcodes;
  SWB_TRY(core::CheckBatchBarcodes(barcodes));
  if (in.pool_size) SWB_TRY(core::CheckPoolSize(*in.pool_size));
  const core::Micros now = env.clock.Now();
  store::TubeBatchRow row{0,   in.site_id,    std::ssize(barcodes), in.pool_size, in.expires_at,
                          now, actor.username};
  std::string taken;
  auto id = store::InsertTubeBatch(tx, row, barcodes, taken);
  if (!id)
    return core::Fail(ErrorCode::kBarcodeInBatch,
                      "the barcode '" + taken + "' was issued by an earlier batch")
        .With("barcode", taken);
  row.id = *id;
  store::AppendAudit(
      tx, now,
      {actor.username, "tube_batch.create", "tube_batch", std::to_string(*id),
       "site=" + std::to_string(in.site_id) + " count=" + std::to_string(row.count)});
  CheckSiteStock(tx, in.site_id, now);
  return BatchOf(row);
}

core::Result<TubeBatchPage> ListTubeBatches(store::Connection& db, const Actor& actor,
                                            std::int64_t site_id, std::int64_t cursor, int limit) {
  SWB_TRY(Require(actor, core::Permission::kReadTubes));
  SWB_TRY(SiteInScope(db, actor, site_id));
  auto rows = store::ListTubeBatches(db, site_id, cursor, limit + 1);
  TubeBatchPage page;
  page.next_cursor = CutPage(rows, limit);
  for (const auto& r : rows) page.batches.push_back(BatchOf(r));
  return page;
}

core::Result<std::optional<int>> CheckIssuedTube(store::Connection& db, const Env& env,
                                                 const std::string& barcode, std::int64_t site_id) {
  if (!env.strict_tubes) return std::optional<int>();
  auto batch = store::FindBatchOfBarcode(db, barcode);
  if (!batch)
    return core::Fail(ErrorCode::kBarcodeNotIssued,
                      "no tube batch issued the barcode '" + barcode + "'");
  if (batch->site_id != site_id)
    return core::Fail(ErrorCode::kBarcodeOtherSite,
                      "the barcode '" + barcode + "' was issued to another site")
        .With("site_id", std::to_string(batch->site_id));
  if (batch->expires_at <= env.clock.Now())
    return core::Fail(ErrorCode::kTubeExpired, "the tube '" + barcode + "' expired on " +
                                                   core::FormatRfc3339(batch->expires_at))
        .With("expires_at", core::FormatRfc3339(batch->expires_at));
  std::optional<int> pool;
  if (batch->pool_size) pool = static_cast<int>(*batch->pool_size);
  return pool;
}

core::Result<SiteStock> GetSiteStock(store::Connection& db, const Actor& actor,
                                     std::int64_t site_id) {
  SWB_TRY(Require(actor, core::Permission::kReadTubes));
  SWB_TRY(SiteInScope(db, actor, site_id));
  const auto row = store::FindSiteStock(db, site_id).value_or(store::SiteStockRow{});
  return StockOf(site_id, row, store::SiteUsageOf(db, site_id));
}

core::Result<SiteStock> PutSiteStock(store::Tx& tx, const Env& env, const Actor& actor,
                                     std::int64_t site_id, const StockInput& in) {
  SWB_TRY(Require(actor, core::Permission::kManageSites));
  SWB_TRY(SiteInScope(tx.db(), actor, site_id));
  for (auto [field, value] :
       {std::pair{"swabs_delivered", in.swabs_delivered},
        std::pair{"kits_delivered", in.kits_delivered}, std::pair{"low.tubes", in.low_tubes},
        std::pair{"low.swabs", in.low_swabs}, std::pair{"low.kits", in.low_kits}})
    if (value < 0) return InvalidStock(field, "must not be negative");
  if (in.samples_per_kit < 1) return InvalidStock("samples_per_kit", "must be 1 or more");
  const core::Micros now = env.clock.Now();
  const auto before = store::FindSiteStock(tx.db(), site_id);
  store::PutSiteStock(
      tx, {site_id, in.swabs_delivered, in.kits_delivered, in.samples_per_kit, in.low_tubes,
           in.low_swabs, in.low_kits, before ? before->alerted : "", now, actor.username});
  store::AppendAudit(tx, now,
                     {actor.username, "site.stock", "site", std::to_string(site_id),
                      "swabs=" + std::to_string(in.swabs_delivered) +
                          " kits=" + std::to_string(in.kits_delivered)});
  CheckSiteStock(tx, site_id, now);
  return StockOf(site_id, *store::FindSiteStock(tx.db(), site_id),
                 store::SiteUsageOf(tx.db(), site_id));
}

void CheckSiteStock(store::Tx& tx, std::int64_t site_id, core::Micros now) {
  const auto row = store::FindSiteStock(tx.db(), site_id);
  if (!row) return;
  const SiteStock s = StockOf(site_id, *row, store::SiteUsageOf(tx.db(), site_id));
  std::string low;
  std::string fresh;  // low now and not told of yet
  for (auto [name, level] :
       {std::pair{"tubes", &s.tubes}, std::pair{"swabs", &s.swabs}, std::pair{"kits", &s.kits}}) {
    if (!level->low) continue;
    low += (low.empty() ? "" : ",") + std::string(name);
    if (("," + row->alerted + ",").find("," + std::string(name) + ",") == std::string::npos)
      fresh += (fresh.empty() ? "\"" : ",\"") + std::string(name) + "\"";
  }
  if (low == row->alerted) return;
  store::SetStockAlerted(tx, site_id, low);
  if (fresh.empty()) return;  // only a supply rising again changed
  const auto site = store::FindSite(tx.db(), site_id);
  store::AppendOutbox(
      tx, {"low_stock", "place", std::to_string(site->place_id),
           "{\"site_id\":" + std::to_string(site_id) + ",\"low\":[" + fresh + "]," +
               LevelPayload("tubes", s.tubes) + "," + LevelPayload("swabs", s.swabs) + "," +
               LevelPayload("kits", s.kits) + "}",
           now});
}

}  // namespace swabline::service
