#include "http/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/problem.hpp"

namespace swabline::http {
namespace {

std::string_view MimeType(std::string_view path) {
  auto ends = [&](std::string_view ext) {
    return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".json")) return "application/json";
  if (ends(".ico")) return "image/x-icon";
  // The camera's barcode decoder (web/vendor/): WebAssembly compiles while it streams in only
  // when served as application/wasm.
  if (ends(".wasm")) return "application/wasm";
  if (ends(".woff2")) return "font/woff2";
  return "application/octet-stream";
}

}  // namespace

Reply ServeStatic(const std::string& web_dir, std::string_view path) {
  if (path.find("..") != std::string_view::npos)
    return ProblemReply(core::ErrorCode::kNotFound, "no such file");
  std::string rel = path == "/" ? "/index.html" : std::string(path);
  std::error_code fs_ec;
  if (!std::filesystem::is_regular_file(web_dir + rel, fs_ec) && rel.find('.') == std::string::npos)
    rel = "/index.html";
  if (!std::filesystem::is_regular_file(web_dir + rel, fs_ec))
    return ProblemReply(core::ErrorCode::kNotFound, "no such file: " + std::string(path));
  std::ifstream f(web_dir + rel, std::ios::binary);
  if (!f) return ProblemReply(core::ErrorCode::kNotFound, "no such file: " + std::string(path));
  std::ostringstream ss;
  ss << f.rdbuf();
  Reply r;
  r.content_type = std::string(MimeType(rel));
  r.body = ss.str();
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

}  // namespace swabline::http
