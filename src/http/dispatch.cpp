#include "http/dispatch.hpp"

#include <string_view>

#include "http/app.hpp"
#include "http/problem.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"

namespace swabline::http {
namespace {

/// The method a request is routed by: a HEAD outside /api asks what a GET would answer.
/// Under /api it stays HEAD (405): a GET there may be an audited read of personal data.
std::string_view RoutedMethod(const Request& req) {
  if (req.method == "HEAD" && req.path.rfind("/api/", 0) != 0) return "GET";
  return req.method;
}

Reply Unmatched(const Request& req, const Router::Match& match) {
  if (match.allowed.empty())
    return ProblemReply(core::ErrorCode::kNotFound, "no endpoint at " + req.path);
  Reply r = ProblemReply(core::ErrorCode::kMethodNotAllowed,
                         req.method + " is not allowed on " + req.path);
  r.headers.emplace_back("Allow", match.allowed);
  return r;
}

}  // namespace

void Dispatch(App& app, const Router& router, Request& req, Respond respond, std::string& route) {
  const std::string_view method = RoutedMethod(req);
  auto match = router.Find(method, req.path, req.params);
  if (!match.route) {
    const bool is_static = method == "GET" && req.path.rfind("/api/", 0) != 0;
    route = is_static ? "static" : "unmatched";
    return respond(is_static ? ServeStatic(app.web_dir(), req.path) : Unmatched(req, match));
  }
  route = match.route->pattern;
  if (!match.route->needs_auth())
    return AnswerOnce(std::move(respond),
                      [&](Respond r) { match.route->handler(req, std::move(r)); });
  // Who asks is settled before what they sent is judged: a caller without a valid token, or
  // whose role may not call the route, learns nothing about the body rules.
  AnswerOnce(std::move(respond), [&](Respond r) {
    app.Gate(std::move(req), std::move(r), match.route->access, match.route->handler);
  });
}

}  // namespace swabline::http
