#pragma once
/// The request target as it arrives: parsed into path and query.

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace swabline::http {

/// Fills `req.path` (decoded) and `req.query` from `req.target`. Clients such as curl send
/// raw UTF-8 (Chinese place paths) in the target, which a URL parser refuses: such a target
/// has its bytes outside ASCII percent-encoded (in `req.target` too) and is parsed again.
/// False when the target is malformed even so.
bool ParseTarget(Request& req);

}  // namespace swabline::http
