#include "core/error_code.hpp"

#include <cstddef>

namespace swabline::core {
namespace {

// clang-format off
constexpr ErrorInfo kTable[] = {
    // Request shape
    {ErrorCode::kInvalidRequest, "invalid_request", 422},  // body not JSON, wrong types
    {ErrorCode::kMissingField, "missing_field", 422},
    {ErrorCode::kInvalidField, "invalid_field", 422},
    {ErrorCode::kPayloadTooLarge, "payload_too_large", 413},
    {ErrorCode::kUnsupportedMediaType, "unsupported_media_type", 415},
    // a text file neither UTF-8 nor GB18030/GBK: refused before any row is read
    {ErrorCode::kUnsupportedEncoding, "unsupported_encoding", 422},
    {ErrorCode::kNotFound, "not_found", 404},  // (no such route)
    {ErrorCode::kMethodNotAllowed, "method_not_allowed", 405},
    // Auth
    {ErrorCode::kUnauthenticated, "unauthenticated", 401},
    {ErrorCode::kInvalidCredentials, "invalid_credentials", 401},
    {ErrorCode::kForbidden, "forbidden", 403},
    {ErrorCode::kRateLimited, "rate_limited", 429},
    {ErrorCode::kIdempotencyKeyReused, "idempotency_key_reused", 422},  // same key, different request
    // Registry
    {ErrorCode::kUnknownPlace, "unknown_place", 404},
    {ErrorCode::kUnknownResident, "unknown_resident", 404},
    {ErrorCode::kInvalidIdNumber, "invalid_id_number", 422},
    {ErrorCode::kInvalidDocument, "invalid_document", 422},
    {ErrorCode::kDuplicateInFile, "duplicate_in_file", 422},
    {ErrorCode::kInvalidPlacePath, "invalid_place_path", 422},
    {ErrorCode::kUsernameTaken, "username_taken", 409},
    {ErrorCode::kInvalidRole, "invalid_role", 422},
    {ErrorCode::kWeakPassword, "weak_password", 422},
    // Sampling and beyond
    {ErrorCode::kInvalidBarcode, "invalid_barcode", 422},
    {ErrorCode::kBarcodeInUse, "barcode_in_use", 409},
    {ErrorCode::kUnknownRound, "unknown_round", 404},
    {ErrorCode::kRoundClosed, "round_closed", 409},
    {ErrorCode::kUnknownSite, "unknown_site", 404},
    {ErrorCode::kUnknownTube, "unknown_tube", 404},
    {ErrorCode::kInvalidPersonalCode, "invalid_personal_code", 422},
    {ErrorCode::kUnknownPerson, "unknown_person", 404},
    {ErrorCode::kTubeFull, "tube_full", 409},
    {ErrorCode::kTubeSealed, "tube_sealed", 409},
    {ErrorCode::kDuplicateInTube, "duplicate_in_tube", 409},
    {ErrorCode::kAlreadySampled, "already_sampled", 409},
    {ErrorCode::kNotInIncident, "not_in_incident", 409},
    {ErrorCode::kTubeEmpty, "tube_empty", 409},
    {ErrorCode::kReasonRequired, "reason_required", 422},
    {ErrorCode::kTubeBoxed, "tube_boxed", 409},
    {ErrorCode::kUnknownSample, "unknown_sample", 404},
    {ErrorCode::kUnknownBox, "unknown_box", 404},
    {ErrorCode::kTubeNotSealed, "tube_not_sealed", 409},
    {ErrorCode::kTubeInBox, "tube_in_box", 409},
    {ErrorCode::kBoxNotOpen, "box_not_open", 409},
    {ErrorCode::kInvalidResult, "invalid_result", 422},
    {ErrorCode::kConflictingResult, "conflicting_result", 409},
    {ErrorCode::kUnknownIncident, "unknown_incident", 404},
    {ErrorCode::kInvalidPoolSize, "invalid_pool_size", 422},
    {ErrorCode::kBoxEmpty, "box_empty", 409},
    {ErrorCode::kUnknownDiscrepancy, "unknown_discrepancy", 404},
    {ErrorCode::kIncidentClosed, "incident_closed", 409},
    {ErrorCode::kUnknownZone, "unknown_zone", 404},
    {ErrorCode::kZoneLifted, "zone_lifted", 409},
    {ErrorCode::kUnknownTask, "unknown_task", 404},
    {ErrorCode::kInvalidHours, "invalid_hours", 422},  // a site's opening hours
    {ErrorCode::kUnknownLane, "unknown_lane", 422},
    // serve --strict-tubes: no tube batch issued this barcode
    {ErrorCode::kBarcodeNotIssued, "barcode_not_issued", 422},
    {ErrorCode::kBarcodeOtherSite, "barcode_other_site", 409},  // its batch went to another site
    {ErrorCode::kTubeExpired, "tube_expired", 409},             // its batch's expires_at passed
    {ErrorCode::kBarcodeInBatch, "barcode_in_batch", 409},      // issued by an earlier batch
    {ErrorCode::kUnknownCheckpoint, "unknown_checkpoint", 404},
    // Community operations
    {ErrorCode::kUnknownRequest, "unknown_request", 404},
    {ErrorCode::kResolutionRequired, "resolution_required", 422},
    {ErrorCode::kUnknownAssignee, "unknown_assignee", 422},  // no user of that name
    {ErrorCode::kRequestClosed, "request_closed", 409},
    {ErrorCode::kUnknownStaff, "unknown_staff", 404},
    {ErrorCode::kUnknownWorkGroup, "unknown_work_group", 404},
    // Operations
    {ErrorCode::kBusy, "busy", 503},  // the database stayed locked past the wait: retry
    // the disk failed (full, I/O error) or a commit could not be made durable: nothing of
    // the request was kept; retry after Retry-After
    {ErrorCode::kStorageUnavailable, "storage_unavailable", 503},
    // Trust: malformed or abusive HTTP, hostile bodies; each answer closes the connection
    // when it comes from the HTTP layer (the stream may be out of step)
    {ErrorCode::kHeaderTooLarge, "header_too_large", 431},
    {ErrorCode::kUriTooLong, "uri_too_long", 414},
    {ErrorCode::kTooManyParameters, "too_many_parameters", 414},
    {ErrorCode::kMalformedHttp, "malformed_http", 400},  // bad chunk sizes, bad header syntax
    // Transfer-Encoding other than exactly chunked, or with Content-Length (RFC 9112 6.1, 6.3)
    {ErrorCode::kAmbiguousFraming, "ambiguous_framing", 400},
    {ErrorCode::kInvalidHost, "invalid_host", 400},  // HTTP/1.1 with no Host, or two
    {ErrorCode::kDuplicateHeader, "duplicate_header", 400},  // e.g. two Authorization headers
    {ErrorCode::kDuplicateKey, "duplicate_key", 422},  // a JSON object naming a member twice
    {ErrorCode::kNulCharacter, "nul_character", 422},  // U+0000 in a JSON string or CSV field
    {ErrorCode::kTooManyColumns, "too_many_columns", 422},  // a CSV row or header too wide
    {ErrorCode::kTooManyConnections, "too_many_connections", 503},  // serve --max-connections
    {ErrorCode::kInvalidTicket, "invalid_ticket", 401},  // an event-stream ticket spent or stale
    {ErrorCode::kOverloaded, "overloaded", 503},  // a queue full, or a request waited too long
    {ErrorCode::kInternal, "internal", 500},
    //  The stable machine-readable name, e.g. "tube_full".
};
// clang-format on

constexpr bool InEnumOrder() {
  for (std::size_t i = 0; i < std::size(kTable); ++i) {
    if (static_cast<std::size_t>(kTable[i].code) != i) return false;
  }
  return true;
}
static_assert(InEnumOrder(), "kTable must list every ErrorCode once, in the enum's order");
static_assert(static_cast<std::size_t>(ErrorCode::kInternal) + 1 == std::size(kTable),
              "kInternal must stay the last ErrorCode, and every code needs a row");

}  // namespace

std::span<const ErrorInfo> AllErrors() { return kTable; }

std::string_view ErrorCodeName(ErrorCode code) {
  return kTable[static_cast<std::size_t>(code)].name;
}

int HttpStatusOf(ErrorCode code) { return kTable[static_cast<std::size_t>(code)].http_status; }

}  // namespace swabline::core
