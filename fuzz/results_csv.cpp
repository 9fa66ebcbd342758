// A lab's results file as CSV (service/lab.hpp ResultRowsFromCsv), each row then decided
// against every state a tube may be in (core/lab_result.hpp).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "core/lab_result.hpp"
#include "service/lab.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace core = swabline::core;
  const std::string_view csv(reinterpret_cast<const char*>(data), size);
  (void)core::ParseCtValue(csv);
  auto rows = swabline::service::ResultRowsFromCsv(csv);
  if (!rows) return 0;
  for (const auto& row : *rows) {
    for (auto ct : {row.ct_orf1ab, row.ct_n})
      if (ct && !core::IsCtValue(*ct)) std::abort();
    for (auto status : {core::TubeStatus::kOpen, core::TubeStatus::kReceived})
      for (auto current :
           {std::optional<core::TubeResult>(), std::optional(core::TubeResult::kPositive)})
        (void)core::DecideUploadedResult(status, current, row.result,
                                         !row.correction_reason.empty());
  }
  return 0;
}
