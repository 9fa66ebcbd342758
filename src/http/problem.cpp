#include "http/problem.hpp"

#include <boost/json.hpp>

namespace swabline::http {

int HttpStatusOf(core::ErrorCode code) {
  using E = core::ErrorCode;
  switch (code) {
    case E::kInvalidRequest:
    case E::kMissingField:
    case E::kInvalidField:
    case E::kInvalidIdNumber:
    case E::kInvalidDocument:
    case E::kInvalidPlacePath:
    case E::kInvalidRole:
    case E::kWeakPassword:
    case E::kInvalidBarcode:
    case E::kInvalidPersonalCode:
    case E::kReasonRequired:
    case E::kInvalidResult:
    case E::kInvalidPoolSize:
    case E::kIdempotencyKeyReused:
    case E::kDuplicateInFile:
      return 422;
    case E::kPayloadTooLarge: return 413;
    case E::kUnsupportedMediaType: return 415;
    case E::kMethodNotAllowed: return 405;
    case E::kUnauthenticated:
    case E::kInvalidCredentials:
      return 401;
    case E::kForbidden: return 403;
    case E::kRateLimited: return 429;
    case E::kNotFound:
    case E::kUnknownPlace:
    case E::kUnknownResident:
    case E::kUnknownRound:
    case E::kUnknownSite:
    case E::kUnknownTube:
    case E::kUnknownPerson:
    case E::kUnknownSample:
    case E::kUnknownBox:
    case E::kUnknownIncident:
    case E::kUnknownDiscrepancy:
      return 404;
    case E::kUsernameTaken:
    case E::kBarcodeInUse:
    case E::kRoundClosed:
    case E::kTubeFull:
    case E::kTubeSealed:
    case E::kDuplicateInTube:
    case E::kAlreadySampled:
    case E::kNotInIncident:
    case E::kTubeEmpty:
    case E::kTubeBoxed:
    case E::kTubeNotSealed:
    case E::kTubeInBox:
    case E::kBoxNotOpen:
    case E::kConflictingResult:
    case E::kBoxEmpty:
      return 409;
    case E::kBusy: return 503;
    case E::kInternal: return 500;
  }
  return 500;
}

namespace {

std::string_view Title(int status) {
  switch (status) {
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}

}  // namespace

Reply ProblemReply(const core::Error& error) {
  const int status = HttpStatusOf(error.code);
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
  r.body = boost::json::serialize(o);
  return r;
}

Reply ProblemReply(core::ErrorCode code, std::string detail) {
  return ProblemReply(core::Error(code, std::move(detail)));
}

}  // namespace swabline::http
