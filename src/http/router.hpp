#pragma once
/// Routes "METHOD /api/v1/tubes/{barcode}/samples" patterns to handlers.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace swabline::http {

using Handler = std::function<void(Request&, Respond)>;

struct Route {
  std::string method;
  std::string pattern;  // also the metrics label
  std::vector<std::string> segments;
  Handler handler;
  std::size_t body_limit = 0;
  bool needs_auth = true;  // /api routes other than login and the public status look-up
};

/// Built once at start, then read-only: safe to share between IO threads.
class Router {
 public:
  static constexpr std::size_t kDefaultBodyLimit = 1 << 20;

  void Add(std::string method, std::string pattern, Handler handler,
           std::size_t body_limit = kDefaultBodyLimit);
  /// A route anyone may call without a token.
  void AddPublic(std::string method, std::string pattern, Handler handler);

  struct Match {
    const Route* route = nullptr;
    std::string allowed;  // "GET, POST": the methods other routes take on this path
  };
  /// Finds the route for method and path, filling `params` from its {placeholders}.
  Match Find(std::string_view method, std::string_view path,
             std::vector<std::pair<std::string, std::string>>& params) const;
  /// The body limit of the route a request goes to (the default for unknown routes).
  std::size_t BodyLimit(std::string_view method, std::string_view path) const;
  /// The largest body limit of any route.
  std::size_t MaxBodyLimit() const { return max_body_limit_; }

 private:
  std::vector<Route> routes_;
  std::size_t max_body_limit_ = kDefaultBodyLimit;
};

}  // namespace swabline::http
