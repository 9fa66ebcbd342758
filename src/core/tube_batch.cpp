#include "core/tube_batch.hpp"

#include <algorithm>
#include <unordered_set>

#include "core/tube.hpp"

namespace swabline::core {
namespace {

Error InvalidRange(std::string detail) {
  return Fail(ErrorCode::kInvalidField, std::move(detail)).With("field", "range");
}

}  // namespace

Result<std::vector<std::string>> ExpandBarcodeRange(const BarcodeRange& r) {
  if (r.from < 0 || r.to < r.from) return InvalidRange("the range needs 0 <= from <= to");
  if (r.to - r.from + 1 > kMaxBatchBarcodes)
    return InvalidRange("a batch holds at most " + std::to_string(kMaxBatchBarcodes) + " barcodes");
  if (r.width < 0 || r.width > 20) return InvalidRange("width must be 0 to 20");
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(r.to - r.from + 1));
  for (std::int64_t n = r.from; n <= r.to; ++n) {
    std::string digits = std::to_string(n);
    if (digits.size() < static_cast<std::size_t>(r.width))
      digits.insert(0, static_cast<std::size_t>(r.width) - digits.size(), '0');
    out.push_back(r.prefix + digits);
  }
  // The ends are the shortest and the longest: checking them checks every length; the prefix
  // is the only other part, and it is in both.
  SWB_TRY(CheckBarcode(out.front()));
  SWB_TRY(CheckBarcode(out.back()));
  return out;
}

Status CheckBatchBarcodes(const std::vector<std::string>& barcodes) {
  if (barcodes.empty())
    return Fail(ErrorCode::kInvalidField, "a batch holds at least one barcode")
        .With("field", "barcodes");
  if (std::ssize(barcodes) > kMaxBatchBarcodes)
    return Fail(ErrorCode::kInvalidField,
                "a batch holds at most " + std::to_string(kMaxBatchBarcodes) + " barcodes")
        .With("field", "barcodes");
  std::unordered_set<std::string_view> seen;
  seen.reserve(barcodes.size());
  for (const std::string& b : barcodes) {
    SWB_TRY(CheckBarcode(b));
    if (!seen.insert(b).second)
      return Fail(ErrorCode::kInvalidField, "the barcode '" + b + "' is listed twice")
          .With("field", "barcodes")
          .With("barcode", b);
  }
  return Ok{};
}

StockLevel LevelOf(std::int64_t delivered, std::int64_t used, std::int64_t threshold) {
  StockLevel s;
  s.delivered = delivered;
  s.used = used;
  s.left = std::max<std::int64_t>(delivered - used, 0);
  s.threshold = threshold;
  s.low = threshold > 0 && s.left <= threshold;
  return s;
}

std::int64_t KitsUsed(std::int64_t samples, std::int64_t samples_per_kit) {
  if (samples <= 0) return 0;
  if (samples_per_kit <= 1) return samples;
  return (samples + samples_per_kit - 1) / samples_per_kit;
}

}  // namespace swabline::core
