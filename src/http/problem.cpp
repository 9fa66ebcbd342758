#include "http/problem.hpp"

#include <boost/json.hpp>

#include "http/json_text.hpp"

namespace swabline::http {

namespace {

std::string_view Title(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}

}  // namespace

Reply ProblemReply(const core::Error& error) {
  const int status = core::HttpStatusOf(error.code);
  boost::json::object o;
  const std::string_view code = core::ErrorCodeName(error.code);
  o["type"] = "/problems/" + std::string(code);
  o["title"] = Title(status);
  o["status"] = status;
  o["detail"] = error.detail;
  o["code"] = code;
  for (const auto& [k, v] : error.extras) o[k] = v;
  Reply r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = JsonText(o);
  // Every 503 is a passing condition (a locked or failing database): say when to come back.
  if (status == 503) r.headers.emplace_back("Retry-After", std::to_string(kRetryAfterSeconds));
  return r;
}

Reply ProblemReply(core::ErrorCode code, std::string detail) {
  return ProblemReply(core::Error(code, std::move(detail)));
}

}  // namespace swabline::http
