#include "http/wire_checks.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <string>

namespace swabline::http {
namespace bhttp = boost::beast::http;

namespace {

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::size_t QueryParameterCount(std::string_view target) {
  const std::size_t q = target.find('?');
  if (q == std::string_view::npos || q + 1 == target.size()) return 0;
  std::size_t n = 1;
  for (std::size_t i = q + 1; i < target.size(); ++i) n += target[i] == '&' ? 1 : 0;
  return n;
}

std::optional<core::Error> CheckFraming(const bhttp::request_header<bhttp::fields>& head) {
  const std::size_t te = head.count(bhttp::field::transfer_encoding);
  if (te == 0) return std::nullopt;
  // A request whose length two parties could read differently is the shape of request
  // smuggling: refuse it rather than guess (RFC 9112 6.1, 6.3).
  if (head.count(bhttp::field::content_length) > 0)
    return core::Error(core::ErrorCode::kAmbiguousFraming,
                       "Transfer-Encoding and Content-Length together");
  const std::string_view value = head[bhttp::field::transfer_encoding];
  if (te > 1 || !boost::beast::iequals(Trimmed(value), "chunked"))
    return core::Error(core::ErrorCode::kAmbiguousFraming,
                       "the only Transfer-Encoding accepted is chunked");
  return std::nullopt;
}

}  // namespace

std::optional<core::Error> CheckHead(const bhttp::request_header<bhttp::fields>& head) {
  if (auto framing = CheckFraming(head)) return framing;
  const std::size_t hosts = head.count(bhttp::field::host);
  if (head.version() >= 11 && hosts != 1)
    return core::Error(core::ErrorCode::kInvalidHost,
                       hosts == 0 ? "HTTP/1.1 needs a Host header" : "more than one Host header");
  if (hosts > 1) return core::Error(core::ErrorCode::kInvalidHost, "more than one Host header");
  if (head.count(bhttp::field::authorization) > 1)
    return core::Error(core::ErrorCode::kDuplicateHeader, "more than one Authorization header")
        .With("header", "Authorization");
  const std::string_view target(head.target().data(), head.target().size());
  if (QueryParameterCount(target) > kMaxQueryParameters)
    return core::Error(core::ErrorCode::kTooManyParameters,
                       "at most " + std::to_string(kMaxQueryParameters) + " query parameters");
  return std::nullopt;
}

bool IsMalformed(const boost::beast::error_code& ec) {
  static const auto& kHttpCategory = bhttp::make_error_code(bhttp::error::bad_target).category();
  if (ec.category() != kHttpCategory) return false;
  return ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
         ec != bhttp::error::need_more && ec != bhttp::error::need_buffer;
}

core::Error ParseFailure(const boost::beast::error_code& ec, bool request_line_read) {
  if (ec == bhttp::error::header_limit) {
    if (!request_line_read) return {core::ErrorCode::kUriTooLong, "the request target is too long"};
    return {core::ErrorCode::kHeaderTooLarge, "the request's headers are too large"};
  }
  if (ec == bhttp::error::bad_transfer_encoding || ec == bhttp::error::bad_content_length)
    return {core::ErrorCode::kAmbiguousFraming,
            "conflicting Content-Length or Transfer-Encoding: " + ec.message()};
  return {core::ErrorCode::kMalformedHttp, "the request is not valid HTTP: " + ec.message()};
}

}  // namespace swabline::http
