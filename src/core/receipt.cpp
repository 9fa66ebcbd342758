#include "core/receipt.hpp"

#include <string_view>
#include <unordered_set>

namespace swabline::core {

ReceiptOutcome ReconcileReceipt(const std::vector<std::string>& expected,
                                const std::vector<std::string>& found) {
  const std::unordered_set<std::string_view> in_box(expected.begin(), expected.end());
  std::unordered_set<std::string_view> seen;
  seen.reserve(found.size());
  ReceiptOutcome out;
  for (const std::string& barcode : found) {
    if (barcode.empty() || !seen.insert(barcode).second) continue;
    (in_box.contains(barcode) ? out.received : out.unexpected).push_back(barcode);
  }
  std::unordered_set<std::string_view> listed;
  for (const std::string& barcode : expected) {
    if (barcode.empty() || seen.contains(barcode) || !listed.insert(barcode).second) continue;
    out.missing.push_back(barcode);
  }
  return out;
}

}  // namespace swabline::core
