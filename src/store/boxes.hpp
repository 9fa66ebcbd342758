#pragma once
/// Rows of transport boxes, the tubes in them, and the discrepancies a lab receipt finds.
/// Moves of a tube are guarded updates, so that a race cannot put a tube in two boxes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/box.hpp"
#include "core/tube.hpp"
#include "store/connection.hpp"

namespace swabline::store {

struct BoxRow {
  std::string barcode;
  core::BoxStatus status = core::BoxStatus::kOpen;
  std::int64_t created_at = 0;
  std::string created_by;
  std::optional<std::int64_t> dispatched_at;
  std::optional<std::int64_t> received_at;
};

/// Returns false when a box already has the barcode.
[[nodiscard]] bool InsertBox(Tx& tx, std::string_view barcode, std::string_view created_by,
                             std::int64_t now);
std::optional<BoxRow> FindBox(Connection& db, std::string_view barcode);
/// True when a tube or a box ever had the barcode (a barcode is used once, ever).
bool BarcodeUsed(Connection& db, std::string_view barcode);

struct BoxedTube {
  std::string barcode;
  core::TubeStatus status = core::TubeStatus::kOpen;
  bool received = false;  // a receipt of this box already found it
};

/// The tubes in a box, in the order they went in.
std::vector<BoxedTube> TubesInBox(Connection& db, std::string_view box);

/// Puts a sealed tube that is in no box into an open box. Returns false (changing nothing)
/// when the tube is not sealed, is in a box already, or the box is not open.
[[nodiscard]] bool PutTubeInBox(Tx& tx, std::string_view tube, std::string_view box,
                                std::int64_t now);
/// The box and the tubes in it go in transit.
void DispatchBoxRow(Tx& tx, std::string_view box, std::int64_t now);
/// Stamps a tube's arrival at the lab (the first arrival counts) and, when `move_status`,
/// moves it to `received`.
void ReceiveTubeRow(Tx& tx, std::string_view tube, bool move_status, std::int64_t now);
/// The box is received; the first receipt's time is kept.
void ReceiveBoxRow(Tx& tx, std::string_view box, std::int64_t now);

struct DiscrepancyRow {
  std::int64_t id = 0;
  std::string box_barcode;
  std::string tube_barcode;
  std::string kind;  // missing, unexpected
  std::int64_t created_at = 0;
  std::optional<std::int64_t> resolved_at;
  std::optional<std::string> resolution;
};

/// True when this box's receipts ever recorded `kind` for the tube, resolved or not.
bool HasDiscrepancy(Connection& db, std::string_view box, std::string_view tube,
                    std::string_view kind);
std::int64_t InsertDiscrepancy(Tx& tx, std::string_view box, std::string_view tube,
                               std::string_view kind, std::int64_t now);
std::optional<DiscrepancyRow> FindDiscrepancy(Connection& db, std::int64_t id);
/// Discrepancies with id > after_id, oldest first: only the open ones when `open` is true,
/// only the resolved ones when false, all when empty.
std::vector<DiscrepancyRow> ListDiscrepancies(Connection& db, std::optional<bool> open,
                                              std::int64_t after_id, int limit);
/// Resolves an open discrepancy; false (changing nothing) when it was resolved already.
[[nodiscard]] bool ResolveDiscrepancyRow(Tx& tx, std::int64_t id, std::string_view resolution,
                                         std::int64_t now);
/// Resolves the open discrepancies of `kind` for the tube in this box; returns how many.
int ResolveOpenDiscrepancies(Tx& tx, std::string_view box, std::string_view tube,
                             std::string_view kind, std::string_view resolution, std::int64_t now);

}  // namespace swabline::store
