// Bytes off the socket: Beast's request parser with the server's limits, then the framing
// checks Beast leaves to its user (http/wire_checks.hpp) and the request the handlers see
// (http/request_target.hpp), as http/server.cpp reads a request.
#include <boost/beast/core/buffers_prefix.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>

#include "http/request_target.hpp"
#include "http/wire_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace bhttp = boost::beast::http;
  namespace http = swabline::http;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(8 * 1024);
  parser.body_limit(1 << 20);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (used < size && !parser.is_done()) {
    const std::size_t n = parser.put(boost::asio::buffer(data + used, size - used), ec);
    if (ec == bhttp::error::need_more) break;
    if (ec) {
      if (http::IsMalformed(ec)) (void)http::ParseFailure(ec, !parser.get().target().empty());
      return 0;
    }
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_header_done()) return 0;
  if (http::CheckHead(parser.get())) return 0;
  if (!parser.is_done()) return 0;
  auto msg = parser.release();
  (void)http::ToRequest(msg, "192.0.2.1");
  return 0;
}
