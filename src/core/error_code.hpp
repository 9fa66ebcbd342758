#pragma once
/// The one list of error codes. Each maps to an HTTP status and a problem+json `code` in
/// exactly one table (src/http/problem.cpp); the names below are that `code`.

#include <string_view>

namespace swabline::core {

enum class ErrorCode {
  // Request shape
  kInvalidRequest,        // invalid_request: body not JSON, wrong types
  kMissingField,          // missing_field
  kInvalidField,          // invalid_field
  kPayloadTooLarge,       // payload_too_large
  kUnsupportedMediaType,  // unsupported_media_type
  kNotFound,              // not_found (no such route)
  kMethodNotAllowed,      // method_not_allowed
  // Auth
  kUnauthenticated,     // unauthenticated
  kInvalidCredentials,  // invalid_credentials
  kForbidden,           // forbidden
  kRateLimited,         // rate_limited
  kIdempotencyKeyReused,  // idempotency_key_reused: same key, different request
  // Registry
  kUnknownPlace,       // unknown_place
  kUnknownResident,    // unknown_resident
  kInvalidIdNumber,    // invalid_id_number
  kInvalidDocument,    // invalid_document
  kDuplicateInFile,    // duplicate_in_file
  kInvalidPlacePath,   // invalid_place_path
  kUsernameTaken,      // username_taken
  kInvalidRole,        // invalid_role
  kWeakPassword,       // weak_password
  // Sampling and beyond
  kInvalidBarcode,       // invalid_barcode
  kBarcodeInUse,         // barcode_in_use
  kUnknownRound,         // unknown_round
  kRoundClosed,          // round_closed
  kUnknownSite,          // unknown_site
  kUnknownTube,          // unknown_tube
  kInvalidPersonalCode,  // invalid_personal_code
  kUnknownPerson,        // unknown_person
  kTubeFull,             // tube_full
  kTubeSealed,           // tube_sealed
  kDuplicateInTube,      // duplicate_in_tube
  kAlreadySampled,       // already_sampled
  kNotInIncident,        // not_in_incident
  kTubeEmpty,            // tube_empty
  kReasonRequired,       // reason_required
  kTubeBoxed,            // tube_boxed
  kUnknownSample,        // unknown_sample
  kUnknownBox,           // unknown_box
  kTubeNotSealed,        // tube_not_sealed
  kTubeInBox,            // tube_in_box
  kBoxNotOpen,           // box_not_open
  kInvalidResult,        // invalid_result
  kConflictingResult,    // conflicting_result
  kUnknownIncident,      // unknown_incident
  kInvalidPoolSize,      // invalid_pool_size
  kBoxEmpty,             // box_empty
  kUnknownDiscrepancy,   // unknown_discrepancy
  // Operations
  kBusy,      // busy: the database could not take the write in time
  kInternal,  // internal
};

/// The stable machine-readable name, e.g. "tube_full".
std::string_view ErrorCodeName(ErrorCode code);

}  // namespace swabline::core
