#pragma once
/// A request as it arrives: its target parsed into path and query, its headers read.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace swabline::http {

/// Fills `req.path` (decoded) and `req.query` from `req.target`. Clients such as curl send
/// raw UTF-8 (Chinese place paths) in the target, which a URL parser refuses: such a target
/// has its bytes outside ASCII percent-encoded (in `req.target` too) and is parsed again.
/// False when the target is malformed even so.
bool ParseTarget(Request& req);

/// The server's Request for a parsed message from `remote` (its body moved out), or nothing
/// when its target is malformed (ParseTarget).
std::optional<Request> ToRequest(boost::beast::http::request<boost::beast::http::string_body>& msg,
                                 const std::string& remote);

}  // namespace swabline::http
