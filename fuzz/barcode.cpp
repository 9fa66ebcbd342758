// Tube and box barcodes, the status names a request may carry, and a batch's numbered range
// (core/tube.hpp, core/box.hpp, core/tube_batch.hpp).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/box.hpp"
#include "core/tube.hpp"
#include "core/tube_batch.hpp"

namespace {

namespace core = swabline::core;

// Reads a small integer from the front of the input, consuming it.
std::int64_t Take(std::string_view& in, int bytes) {
  std::int64_t v = 0;
  for (int i = 0; i < bytes && !in.empty(); ++i, in.remove_prefix(1))
    v = v * 256 + static_cast<unsigned char>(in.front());
  return v;
}

void ExpandRange(std::string_view in) {
  core::BarcodeRange range;
  range.from = Take(in, 3) - 1000;
  // A narrow range keeps each run fast; the width of a range is checked apart.
  range.to = range.from + Take(in, 1) - 8;
  range.width = static_cast<int>(Take(in, 1)) - 4;
  range.prefix = std::string(in);
  auto barcodes = core::ExpandBarcodeRange(range);
  if (!barcodes) return;
  if (barcodes->size() != static_cast<std::size_t>(range.to - range.from + 1)) std::abort();
  if (!core::CheckBatchBarcodes(*barcodes).ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (core::CheckBarcode(text).ok()) {
    if (text.size() < 6 || text.size() > 32) std::abort();
  }
  (void)core::ParseTubeStatus(text);
  (void)core::ParseTubeResult(text);
  (void)core::ParseTubePurpose(text);
  (void)core::ParseBoxStatus(text);
  // A list of barcodes, one a line, as a batch upload carries them.
  std::vector<std::string> lines;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  (void)core::CheckBatchBarcodes(lines);
  ExpandRange(text);
  return 0;
}
