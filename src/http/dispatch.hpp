#pragma once
/// Where a parsed request goes: its route's handler (behind the token gate when the route
/// needs a token), a static file of the UI, or a routing problem. Beast-free, so the server
/// session only reads and writes.

#include <string>

#include "http/message.hpp"

namespace swabline::http {

class App;
class Router;

/// Sends `req` where it goes and answers it through `respond` exactly once (a handler that
/// throws answers 500, see AnswerOnce). `route` is set to the metrics label of where it
/// went before anything answers. HEAD outside /api is routed as GET (the static files,
/// /healthz, /metrics); the session sends such an answer's headers without its body.
void Dispatch(App& app, const Router& router, Request& req, Respond respond, std::string& route);

}  // namespace swabline::http
