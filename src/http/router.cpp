#include "http/router.hpp"

#include <algorithm>

namespace swabline::http {
namespace {

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool Matches(const Route& r, const std::vector<std::string>& segs,
             std::vector<std::pair<std::string, std::string>>* params) {
  if (r.segments.size() != segs.size()) return false;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const std::string& s = r.segments[i];
    if (s.size() > 2 && s.front() == '{' && s.back() == '}') {
      if (params) params->emplace_back(s.substr(1, s.size() - 2), segs[i]);
    } else if (s != segs[i]) {
      if (params) params->clear();
      return false;
    }
  }
  return true;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Access access, Handler handler,
                 std::size_t body_limit) {
  Route r;
  r.method = std::move(method);
  r.segments = SplitPath(pattern);
  r.pattern = std::move(pattern);
  r.handler = std::move(handler);
  r.body_limit = body_limit;
  r.access = access;
  max_body_limit_ = std::max(max_body_limit_, body_limit);
  routes_.push_back(std::move(r));
}

Router::Match Router::Find(std::string_view method, std::string_view path,
                           std::vector<std::pair<std::string, std::string>>& params) const {
  const auto segs = SplitPath(path);
  Match m;
  // Literal segments win over placeholders: /residents/import before /residents/{id}.
  const Route* best = nullptr;
  int best_literals = -1;
  for (const auto& r : routes_) {
    if (!Matches(r, segs, nullptr)) continue;
    if (r.method != method) {
      if (m.allowed.find(r.method) == std::string::npos)
        m.allowed += (m.allowed.empty() ? "" : ", ") + r.method;
      continue;
    }
    int literals = 0;
    for (const auto& s : r.segments) literals += s.front() == '{' ? 0 : 1;
    if (literals > best_literals) {
      best = &r;
      best_literals = literals;
    }
  }
  if (best) {
    params.clear();
    Matches(*best, segs, &params);
    m.route = best;
  }
  return m;
}

std::size_t Router::BodyLimit(std::string_view method, std::string_view path) const {
  std::vector<std::pair<std::string, std::string>> params;
  auto m = Find(method, path, params);
  return m.route ? m.route->body_limit : kDefaultBodyLimit;
}

}  // namespace swabline::http
