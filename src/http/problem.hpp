#pragma once
/// RFC 9457 problem+json bodies for errors; the status of each code comes from the one error
/// table (core/error_code.cpp).

#include "core/result.hpp"
#include "http/message.hpp"

namespace swabline::http {

/// Seconds a 503 asks the client to wait before trying again (the Retry-After header).
inline constexpr int kRetryAfterSeconds = 1;

/// `{"type","title","status","detail","code", …extras}` as application/problem+json.
Reply ProblemReply(const core::Error& error);
Reply ProblemReply(core::ErrorCode code, std::string detail);

}  // namespace swabline::http
