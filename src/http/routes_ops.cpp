#include "http/routes.hpp"

namespace swabline::http {

void AddOpsRoutes(Router& router, App& app) {
  router.Add("GET", "/healthz", Public(), [](Request&, const Respond& respond) {
    respond(JsonReply(200, std::string(R"({"status":"ok"})")));
  });
  router.Add("GET", "/metrics", Public(), [&app](Request&, const Respond& respond) {
    Reply r;
    r.content_type = "text/plain; version=0.0.4";
    r.body =
        app.metrics().Render() + RenderAdmission(app.reader_admission(), app.writer_admission());
    respond(std::move(r));
  });
}

}  // namespace swabline::http
