#include "service/lab.hpp"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "core/box.hpp"
#include "core/receipt.hpp"
#include "core/text.hpp"
#include "core/tube.hpp"
#include "service/page.hpp"
#include "store/audit.hpp"
#include "store/boxes.hpp"
#include "store/tubes.hpp"

namespace swabline::service {

using core::ErrorCode;

namespace {

constexpr std::string_view kMissing = "missing";
constexpr std::string_view kUnexpected = "unexpected";

/// Records a discrepancy unless an earlier receipt of the box recorded it already.
int RecordDiscrepancies(store::Tx& tx, const std::string& box,
                        const std::vector<std::string>& tubes, std::string_view kind,
                        core::Micros now) {
  int recorded = 0;
  for (const std::string& tube : tubes) {
    if (store::HasDiscrepancy(tx.db(), box, tube, kind)) continue;
    store::InsertDiscrepancy(tx, box, tube, kind, now);
    ++recorded;
  }
  return recorded;
}

Discrepancy DiscrepancyOf(store::DiscrepancyRow d) {
  return {d.id,
          std::move(d.box_barcode),
          std::move(d.tube_barcode),
          std::move(d.kind),
          d.created_at,
          d.resolved_at,
          std::move(d.resolution)};
}

}  // namespace

core::Result<ReceiptReport> ReceiveBox(store::Tx& tx, const Env& env, const Actor& actor,
                                       const std::string& box,
                                       const std::vector<std::string>& found) {
  SWB_TRY(Require(actor, core::Permission::kLab));
  if (!store::FindBox(tx.db(), box))
    return core::Fail(ErrorCode::kUnknownBox, "no box with barcode '" + box + "'");
  for (const std::string& barcode : found) {
    if (barcode.empty()) continue;
    if (auto valid = core::CheckBarcode(barcode); !valid)
      return valid.take_error().With("tube", barcode);
  }
  const std::vector<store::BoxedTube> in_box = store::TubesInBox(tx.db(), box);
  std::vector<std::string> expected;
  std::unordered_map<std::string_view, core::TubeStatus> status_of;
  expected.reserve(in_box.size());
  for (const store::BoxedTube& t : in_box) {
    expected.push_back(t.barcode);
    status_of.emplace(t.barcode, t.status);
  }
  core::ReceiptOutcome outcome = core::ReconcileReceipt(expected, found);
  // A repeat receipt that scans fewer tubes does not make missing what an earlier receipt of
  // this box already found.
  std::unordered_set<std::string_view> received_before;
  for (const store::BoxedTube& t : in_box)
    if (t.received) received_before.insert(t.barcode);
  std::erase_if(outcome.missing,
                [&](const std::string& tube) { return received_before.contains(tube); });

  const core::Micros now = env.clock.Now();
  for (const std::string& tube : outcome.received) {
    store::ReceiveTubeRow(tx, tube, core::ReceiptMovesTube(status_of.at(tube)), now);
    store::ResolveOpenDiscrepancies(tx, box, tube, kMissing, "found on a later receipt", now);
  }
  const int recorded = RecordDiscrepancies(tx, box, outcome.missing, kMissing, now) +
                       RecordDiscrepancies(tx, box, outcome.unexpected, kUnexpected, now);
  store::ReceiveBoxRow(tx, box, now);
  store::AppendAudit(tx, now,
                     {actor.username, "box.receive", "box", box,
                      "received=" + std::to_string(outcome.received.size()) +
                          " missing=" + std::to_string(outcome.missing.size()) +
                          " unexpected=" + std::to_string(outcome.unexpected.size()) +
                          " new_discrepancies=" + std::to_string(recorded)});
  return ReceiptReport{box, std::move(outcome.received), std::move(outcome.missing),
                       std::move(outcome.unexpected)};
}

core::Result<DiscrepancyPage> ListDiscrepancies(store::Connection& db, const Actor& actor,
                                                std::optional<bool> open, std::int64_t cursor,
                                                int limit) {
  SWB_TRY(Require(actor, core::Permission::kReadTubes));
  limit = std::clamp(limit, 1, 1000);
  DiscrepancyPage page;
  auto rows = store::ListDiscrepancies(db, open, cursor, limit + 1);
  page.next_cursor = CutPage(rows, limit);
  for (auto& d : rows) page.discrepancies.push_back(DiscrepancyOf(std::move(d)));
  return page;
}

core::Result<Discrepancy> ResolveDiscrepancy(store::Tx& tx, const Env& env, const Actor& actor,
                                             std::int64_t id, const std::string& resolution) {
  SWB_TRY(Require(actor, core::Permission::kLab));
  if (!store::FindDiscrepancy(tx.db(), id))
    return core::Fail(ErrorCode::kUnknownDiscrepancy,
                      "no discrepancy with id " + std::to_string(id));
  if (core::TrimBlanks(resolution).empty())
    return core::Fail(ErrorCode::kReasonRequired, "say how the discrepancy was resolved");
  const core::Micros now = env.clock.Now();
  if (store::ResolveDiscrepancyRow(tx, id, resolution, now))
    store::AppendAudit(
        tx, now,
        {actor.username, "discrepancy.resolve", "discrepancy", std::to_string(id), resolution});
  return DiscrepancyOf(*store::FindDiscrepancy(tx.db(), id));
}

}  // namespace swabline::service
