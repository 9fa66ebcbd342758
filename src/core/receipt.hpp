#pragma once
/// A lab receipt (docs/architecture.md, the core loop, step 4): what the lab found in a box against
/// what the box should hold.

#include <string>
#include <vector>

namespace swabline::core {

struct ReceiptOutcome {
  std::vector<std::string> received;    // found and expected, in the order found
  std::vector<std::string> missing;     // expected but not found, in the box's order
  std::vector<std::string> unexpected;  // found but not expected, in the order found
};

/// Compares the barcodes a box should hold (`expected`) with those scanned out of it
/// (`found`). Each barcode appears at most once in the outcome, however often it was scanned;
/// empty barcodes are ignored.
ReceiptOutcome ReconcileReceipt(const std::vector<std::string>& expected,
                                const std::vector<std::string>& found);

}  // namespace swabline::core
