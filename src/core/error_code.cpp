#include "core/error_code.hpp"

namespace swabline::core {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidRequest: return "invalid_request";
    case ErrorCode::kMissingField: return "missing_field";
    case ErrorCode::kInvalidField: return "invalid_field";
    case ErrorCode::kPayloadTooLarge: return "payload_too_large";
    case ErrorCode::kUnsupportedMediaType: return "unsupported_media_type";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kMethodNotAllowed: return "method_not_allowed";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kInvalidCredentials: return "invalid_credentials";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kRateLimited: return "rate_limited";
    case ErrorCode::kIdempotencyKeyReused: return "idempotency_key_reused";
    case ErrorCode::kUnknownPlace: return "unknown_place";
    case ErrorCode::kUnknownResident: return "unknown_resident";
    case ErrorCode::kInvalidIdNumber: return "invalid_id_number";
    case ErrorCode::kInvalidDocument: return "invalid_document";
    case ErrorCode::kDuplicateInFile: return "duplicate_in_file";
    case ErrorCode::kInvalidPlacePath: return "invalid_place_path";
    case ErrorCode::kUsernameTaken: return "username_taken";
    case ErrorCode::kInvalidRole: return "invalid_role";
    case ErrorCode::kWeakPassword: return "weak_password";
    case ErrorCode::kInvalidBarcode: return "invalid_barcode";
    case ErrorCode::kBarcodeInUse: return "barcode_in_use";
    case ErrorCode::kUnknownRound: return "unknown_round";
    case ErrorCode::kRoundClosed: return "round_closed";
    case ErrorCode::kUnknownSite: return "unknown_site";
    case ErrorCode::kUnknownTube: return "unknown_tube";
    case ErrorCode::kInvalidPersonalCode: return "invalid_personal_code";
    case ErrorCode::kUnknownPerson: return "unknown_person";
    case ErrorCode::kTubeFull: return "tube_full";
    case ErrorCode::kTubeSealed: return "tube_sealed";
    case ErrorCode::kDuplicateInTube: return "duplicate_in_tube";
    case ErrorCode::kAlreadySampled: return "already_sampled";
    case ErrorCode::kNotInIncident: return "not_in_incident";
    case ErrorCode::kTubeEmpty: return "tube_empty";
    case ErrorCode::kReasonRequired: return "reason_required";
    case ErrorCode::kTubeBoxed: return "tube_boxed";
    case ErrorCode::kUnknownSample: return "unknown_sample";
    case ErrorCode::kUnknownBox: return "unknown_box";
    case ErrorCode::kTubeNotSealed: return "tube_not_sealed";
    case ErrorCode::kTubeInBox: return "tube_in_box";
    case ErrorCode::kBoxNotOpen: return "box_not_open";
    case ErrorCode::kInvalidResult: return "invalid_result";
    case ErrorCode::kConflictingResult: return "conflicting_result";
    case ErrorCode::kUnknownIncident: return "unknown_incident";
    case ErrorCode::kInvalidPoolSize: return "invalid_pool_size";
    case ErrorCode::kBoxEmpty: return "box_empty";
    case ErrorCode::kUnknownDiscrepancy: return "unknown_discrepancy";
    case ErrorCode::kBusy: return "busy";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

}  // namespace swabline::core
