// A request target as sent (http/request_target.hpp): parsed into path and query, then
// routed (http/router.hpp) and paged (http/json_body.hpp) as the server does.
#include "http/request_target.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/json_body.hpp"
#include "http/router.hpp"

namespace {

namespace http = swabline::http;

const http::Router& Routes() {
  static const http::Router router = [] {
    http::Router r;
    const auto none = [](http::Request&, const http::Respond&) {};
    for (const char* pattern : {"/api/v1/boxes/{barcode}", "/api/v1/checkpoints/{id}/scans",
                                "/api/v1/people/{person}/status", "/api/v1/places/{id}/codes.svg",
                                "/api/v1/residents/{id}/code", "/api/v1/rounds/{id}/coverage",
                                "/api/v1/tubes/{barcode}/results", "/api/v1/status", "/healthz"})
      r.Add("GET", pattern, http::SignedIn(), none);
    for (const char* pattern : {"/api/v1/incidents/{id}/checklist/{item}", "/api/v1/lab/results",
                                "/api/v1/boxes/{barcode}/tubes", "/api/v1/residents/{id}/code"})
      r.Add("POST", pattern, http::SignedIn(), none, 64u << 20);
    r.Add("POST", "/api/v1/sessions", http::Public(), none);
    return r;
  }();
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  http::Request req;
  req.method = size % 2 ? "GET" : "POST";
  req.target.assign(reinterpret_cast<const char*>(data), size);
  if (!http::ParseTarget(req)) return 0;
  (void)Routes().Find(req.method, req.path, req.params);
  (void)Routes().BodyLimit(req.method, req.path);
  (void)req.Query("limit");
  (void)req.QueryFlag("all");
  (void)http::ParsePaging(req, 50, 500);
  return 0;
}
