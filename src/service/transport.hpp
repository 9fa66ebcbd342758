#pragma once
/// Transport (docs/architecture.md, the core loop, step 4): a courier opens a box, scans sealed
/// tubes into it and dispatches it to the lab. Each function is one use case run in the caller's
/// transaction.

#include <optional>
#include <string>
#include <vector>

#include "core/box.hpp"
#include "core/result.hpp"
#include "service/env.hpp"
#include "store/connection.hpp"

namespace swabline::service {

struct Box {
  std::string barcode;
  core::BoxStatus status = core::BoxStatus::kOpen;
  core::Micros created_at = 0;
  std::optional<core::Micros> dispatched_at;
  std::optional<core::Micros> received_at;
};

struct BoxView {
  Box box;
  std::vector<std::string> tubes;  // barcodes, in the order they went in
};

/// Opens a box. kInvalidBarcode; kBarcodeInUse when a box or a tube ever had the barcode.
core::Result<BoxView> CreateBox(store::Tx& tx, const Env& env, const Actor& actor,
                                const std::string& barcode);

/// Puts a sealed tube in an open box. Checks in order: kUnknownBox, kUnknownTube, kForbidden
/// (the tube's site is outside the actor's places), kTubeNotSealed, kTubeInBox (carrying the
/// `box` it is in, when it is in one), kBoxNotOpen.
core::Result<BoxView> AddTubeToBox(store::Tx& tx, const Env& env, const Actor& actor,
                                   const std::string& box, const std::string& tube);

/// Sends the box and its tubes in transit. kUnknownBox, kBoxEmpty, kBoxNotOpen (received
/// already); dispatching a box in transit is a no-op.
core::Result<BoxView> DispatchBox(store::Tx& tx, const Env& env, const Actor& actor,
                                  const std::string& box);

/// A box with its tubes. kUnknownBox.
core::Result<BoxView> GetBox(store::Connection& db, const Actor& actor, const std::string& box);

}  // namespace swabline::service
