#pragma once
/// The error codes of every expected failure. Each has exactly one row in the table in
/// error_code.cpp: its stable machine-readable name (the problem+json `code`, also used for
/// row codes in import and upload reports) and the HTTP status an edge answers it with. A test
/// checks the table against docs/openapi.yaml.

#include <span>
#include <string_view>

namespace swabline::core {

/// In the table's order (a static_assert holds them together); see error_code.cpp for each
/// code's meaning.
enum class ErrorCode {
  // Request shape
  kInvalidRequest,
  kMissingField,
  kInvalidField,
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kUnsupportedEncoding,
  kNotFound,
  kMethodNotAllowed,
  // Auth
  kUnauthenticated,
  kInvalidCredentials,
  kForbidden,
  kRateLimited,
  kIdempotencyKeyReused,
  // Registry
  kUnknownPlace,
  kUnknownResident,
  kInvalidIdNumber,
  kInvalidDocument,
  kDuplicateInFile,
  kInvalidPlacePath,
  kUsernameTaken,
  kInvalidRole,
  kWeakPassword,
  // Sampling and beyond
  kInvalidBarcode,
  kBarcodeInUse,
  kUnknownRound,
  kRoundClosed,
  kUnknownSite,
  kUnknownTube,
  kInvalidPersonalCode,
  kUnknownPerson,
  kTubeFull,
  kTubeSealed,
  kDuplicateInTube,
  kAlreadySampled,
  kNotInIncident,
  kTubeEmpty,
  kReasonRequired,
  kTubeBoxed,
  kUnknownSample,
  kUnknownBox,
  kTubeNotSealed,
  kTubeInBox,
  kBoxNotOpen,
  kInvalidResult,
  kConflictingResult,
  kUnknownIncident,
  kInvalidPoolSize,
  kBoxEmpty,
  kUnknownDiscrepancy,
  kIncidentClosed,
  kUnknownZone,
  kZoneLifted,
  kUnknownTask,
  kInvalidHours,
  kUnknownLane,
  // Tube batches and checkpoints
  kBarcodeNotIssued,
  kBarcodeOtherSite,
  kTubeExpired,
  kBarcodeInBatch,
  kUnknownCheckpoint,
  // Community operations
  kUnknownRequest,
  kResolutionRequired,
  kUnknownAssignee,
  kRequestClosed,
  kUnknownStaff,
  kUnknownWorkGroup,
  // Operations
  kBusy,
  kStorageUnavailable,
  // Trust: malformed or abusive HTTP, hostile bodies (appended; kInternal stays last)
  kHeaderTooLarge,
  kUriTooLong,
  kTooManyParameters,
  kMalformedHttp,
  kAmbiguousFraming,
  kInvalidHost,
  kDuplicateHeader,
  kDuplicateKey,
  kNulCharacter,
  kTooManyColumns,
  kTooManyConnections,
  // Live dashboard (appended; kInternal stays last)
  kInvalidTicket,
  kOverloaded,
  kInternal,
  //  The stable machine-readable name, e.g. "tube_full".
};

struct ErrorInfo {
  ErrorCode code;
  std::string_view name;  // e.g. "tube_full"
  int http_status;        // e.g. 409
};

/// The whole table, in enum order.
std::span<const ErrorInfo> AllErrors();
/// The stable machine-readable name, e.g. "tube_full".
std::string_view ErrorCodeName(ErrorCode code);
/// The HTTP status an edge answers this error with.
int HttpStatusOf(ErrorCode code);

}  // namespace swabline::core
