#pragma once
/// The checks of a request's framing that Beast leaves to its user: what RFC 9112 says a
/// server must refuse (ambiguous message framing, a missing or doubled Host) and what this
/// server refuses besides (a doubled Authorization, a query of too many parameters), and the
/// problem to answer for a parse error Beast reports. Each refusal closes the connection.

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>
#include <cstddef>
#include <optional>
#include <string_view>

#include "core/result.hpp"

namespace swabline::http {

/// At most this many query parameters are read (`too_many_parameters` beyond).
inline constexpr std::size_t kMaxQueryParameters = 200;
/// What is wrong with a request head that Beast parsed, or nothing: `ambiguous_framing` for a
/// Transfer-Encoding other than exactly one `chunked` or one alongside Content-Length,
/// `invalid_host` for HTTP/1.1 without exactly one Host, `duplicate_header` for two
/// Authorization headers, `too_many_parameters` for a query of over kMaxQueryParameters.
std::optional<core::Error> CheckHead(
    const boost::beast::http::request_header<boost::beast::http::fields>& head);

/// True when `ec` says the client sent something that is not valid HTTP (which deserves an
/// answer), rather than that the connection ended or timed out (which does not).
bool IsMalformed(const boost::beast::error_code& ec);

/// The problem for a malformed request (IsMalformed): a head over the limit is `uri_too_long`
/// when its request line was not read whole (`request_line_read` false), `header_too_large`
/// otherwise; a conflicting Content-Length or Transfer-Encoding is
/// `ambiguous_framing`; anything else (a bad chunk size, a bad header line) `malformed_http`.
core::Error ParseFailure(const boost::beast::error_code& ec, bool request_line_read);

}  // namespace swabline::http
