#pragma once
/// The browser UI's static files, served from the web directory for every GET (and HEAD)
/// outside /api.

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace swabline::http {

/// The file at `path` under `web_dir` with its content type, or a not_found problem. A path
/// that names no file and has no extension is one of the UI's own routes: index.html answers
/// it, so that a bookmark of /tubes/T-1 loads the UI. A path with ".." is never looked up.
Reply ServeStatic(const std::string& web_dir, std::string_view path);

}  // namespace swabline::http
