#include "http/access_log.hpp"

#include <spdlog/spdlog.h>

namespace swabline::http {
namespace {

bool IdNumberChar(char c) { return (c >= '0' && c <= '9') || c == 'X' || c == 'x'; }

/// The path with each run of 15 or more ID-number characters masked but for its ends.
std::string MaskedPath(std::string_view path) {
  std::string out;
  std::size_t i = 0;
  while (i < path.size()) {
    std::size_t j = i;
    while (j < path.size() && IdNumberChar(path[j])) ++j;
    if (j - i >= 15) {
      out.append(path.substr(i, 6));
      out.append(j - i - 10, '*');
      out.append(path.substr(j - 4, 4));
      i = j;
    } else if (j > i) {
      out.append(path.substr(i, j - i));
      i = j;
    } else {
      out.push_back(path[i++]);
    }
  }
  return out;
}

/// "?a&b": the parameter names of `query` (without its '?'), their values dropped.
std::string QueryNames(std::string_view query) {
  std::string out = "?";
  bool first = true;
  while (!query.empty()) {
    std::string_view pair = query.substr(0, query.find('&'));
    if (!first) out.push_back('&');
    out.append(pair.substr(0, pair.find('=')));
    first = false;
    if (pair.size() == query.size()) break;
    query.remove_prefix(pair.size() + 1);
  }
  return out;
}

}  // namespace

std::string LoggableTarget(std::string_view target) {
  const std::size_t query = target.find('?');
  std::string out = MaskedPath(target.substr(0, query));
  if (query != std::string_view::npos) out += QueryNames(target.substr(query + 1));
  return out;
}

void Exchange::Answered(Metrics& metrics, bool access_log, int status,
                        std::size_t body_bytes) const {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics.ObserveRequest(route, status, seconds);
  if (access_log)
    spdlog::info("{} {} {} {} {:.2f}ms {}", remote, method, LoggableTarget(target), status,
                 seconds * 1e3, body_bytes);
}

}  // namespace swabline::http
