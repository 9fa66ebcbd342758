// A lab's results upload as JSON (http/results_json.hpp), each row then decided as the
// upload decides it (core/lab_result.hpp).
#include "http/results_json.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/lab_result.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace core = swabline::core;
  swabline::http::Request req;
  req.body.assign(reinterpret_cast<const char*>(data), size);
  auto rows = swabline::http::ResultRowsFromJson(req);
  if (!rows) return 0;
  for (const auto& row : *rows) {
    for (auto ct : {row.ct_orf1ab, row.ct_n})
      if (ct && !core::IsCtValue(*ct)) std::abort();
    (void)core::DecideUploadedResult(core::TubeStatus::kReceived, core::TubeResult::kNegative,
                                     row.result, !row.correction_reason.empty());
  }
  return 0;
}
