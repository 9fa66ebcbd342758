#pragma once
/// Tube batches (docs/api.md, "The areas": community operations; docs/openapi.yaml): the barcodes a
/// site is issued, listed or given as a numbered range, and what a site's stock of tubes, swabs and
/// protective kits comes to.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace swabline::core {

/// A batch holds at most this many barcodes (a printed roll is a few thousand).
inline constexpr std::int64_t kMaxBatchBarcodes = 100'000;

/// "CY01-00001" … "CY01-00500": `prefix` then the number, zero-padded to `width` digits.
struct BarcodeRange {
  std::string prefix;
  std::int64_t from = 1;
  std::int64_t to = 0;
  int width = 0;  // 0: no padding
};

/// The range's barcodes in order. kInvalidField (naming "range") when `from` is negative or
/// above `to`, the range holds more than kMaxBatchBarcodes, or `width` is outside 0..20;
/// kInvalidBarcode for a barcode the range makes that the pattern refuses.
Result<std::vector<std::string>> ExpandBarcodeRange(const BarcodeRange& range);

/// Every barcode valid (kInvalidBarcode, naming the first bad one) and listed once
/// (kInvalidField naming "barcodes"); at least one, at most kMaxBatchBarcodes.
Status CheckBatchBarcodes(const std::vector<std::string>& barcodes);

/// What is left of one supply at a site, and whether it is at or below its threshold.
struct StockLevel {
  std::int64_t delivered = 0;
  std::int64_t used = 0;
  std::int64_t left = 0;
  std::int64_t threshold = 0;
  bool low = false;
};

/// `left` = delivered − used (never below 0); low when left ≤ threshold and a threshold is set
/// (a threshold of 0 or less means no alert).
StockLevel LevelOf(std::int64_t delivered, std::int64_t used, std::int64_t threshold);

/// Protective kits used for `samples` samples when one kit lasts `samples_per_kit` of them
/// (a collector's gown, mask and gloves are changed every so many samples); a started kit counts.
std::int64_t KitsUsed(std::int64_t samples, std::int64_t samples_per_kit);

}  // namespace swabline::core
