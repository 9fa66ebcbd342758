#pragma once
/// Routes "METHOD /api/v1/tubes/{barcode}/samples" patterns to handlers.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/role.hpp"
#include "http/message.hpp"

namespace swabline::http {

using Handler = std::function<void(Request&, Respond)>;

/// Who may call a route, declared with it and checked before its handler runs (so before the
/// body is judged): a role without the permission gets 403 whatever it sends. The use case
/// checks the role again, and the places, which only it knows.
struct Access {
  enum class Kind { kPublic, kSignedIn, kPermission };
  Kind kind = Kind::kSignedIn;
  core::Permission permission{};

  /// True when `role` passes (a public route passes everyone).
  bool Admits(core::Role role) const {
    return kind != Kind::kPermission || core::RoleMay(role, permission);
  }
};
/// Anyone, without a token.
inline Access Public() { return {Access::Kind::kPublic, {}}; }
/// Any user with a valid token.
inline Access SignedIn() { return {Access::Kind::kSignedIn, {}}; }
/// A user whose role has `permission`.
inline Access Needs(core::Permission permission) { return {Access::Kind::kPermission, permission}; }

struct Route {
  std::string method;
  std::string pattern;  // also the metrics label
  std::vector<std::string> segments;
  Handler handler;
  std::size_t body_limit = 0;
  Access access;
  bool needs_auth() const { return access.kind != Access::Kind::kPublic; }
};

/// Built once at start, then read-only: safe to share between IO threads.
class Router {
 public:
  static constexpr std::size_t kDefaultBodyLimit = 1 << 20;

  /// Every route declares who may call it: the access test
  /// (src/http/access_table_test.cpp) fails for a route without a row there.
  void Add(std::string method, std::string pattern, Access access, Handler handler,
           std::size_t body_limit = kDefaultBodyLimit);

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
  /// Every route, in the order added (for the access test and documentation).
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  std::size_t max_body_limit_ = kDefaultBodyLimit;
};

}  // namespace swabline::http
