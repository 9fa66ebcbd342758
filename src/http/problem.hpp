#pragma once
/// The one table from ErrorCode to HTTP status, and RFC 9457 problem+json bodies.

#include "core/result.hpp"
#include "http/message.hpp"

namespace swabline::http {

int HttpStatusOf(core::ErrorCode code);
/// `{"type","title","status","detail","code", …extras}` as application/problem+json.
Reply ProblemReply(const core::Error& error);
Reply ProblemReply(core::ErrorCode code, std::string detail);

}  // namespace swabline::http
