#pragma once
/// What the metrics and the access log keep of each request: its route, status and time, and
/// its target with nothing personal in it.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "http/metrics.hpp"

namespace swabline::http {

/// The target as the access log may keep it: query values dropped (they carry search terms
/// and personal codes) and ID-number-like runs in the path masked (/people/{id}/status).
std::string LoggableTarget(std::string_view target);

/// One request on its way to an answer.
struct Exchange {
  std::string remote;
  std::string method;
  std::string target;  // as sent; masked when logged
  std::string route;   // the metrics label: a route pattern, "static", "unmatched", …
  std::chrono::steady_clock::time_point started;

  /// Counts the answer in `metrics` and, with `access_log`, logs one line of it.
  void Answered(Metrics& metrics, bool access_log, int status, std::size_t body_bytes) const;
};

}  // namespace swabline::http
