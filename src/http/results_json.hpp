#pragma once
/// A lab's results upload as JSON (docs/openapi.yaml, POST /api/v1/lab/results); the CSV form
/// is service::ResultRowsFromCsv.

#include <vector>

#include "core/result.hpp"
#include "http/message.hpp"
#include "service/lab.hpp"

namespace swabline::http {

/// {"results":[{"tube","result","ct":{"orf1ab","n"},"correction_reason"}]}. The body fails
/// as a whole only when it is not of that shape; a row with a wrong member is the row's
/// problem, reported with its index.
core::Result<std::vector<service::UploadedResult>> ResultRowsFromJson(const Request& req);

}  // namespace swabline::http
