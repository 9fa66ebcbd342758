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

/// `path` with each segment that is a session token (swb_…) or a personal code (SW1.…) cut
/// to its prefix: either lets whoever reads the log act or look as its owner.
std::string SecretsMasked(std::string_view path) {
  std::string out;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    std::string_view segment = path.substr(0, slash);
    for (std::string_view prefix : {"swb_", "SW1."})
      if (segment.size() > prefix.size() && segment.substr(0, prefix.size()) == prefix) {
        out.append(prefix);
        segment = "***";
      }
    out.append(segment);
    if (slash == std::string_view::npos) break;
    out.push_back('/');
    path.remove_prefix(slash + 1);
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
  std::string out = MaskedPath(SecretsMasked(target.substr(0, query)));
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
