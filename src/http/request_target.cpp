#include "http/request_target.hpp"

#include <boost/url.hpp>

namespace swabline::http {
namespace {

std::string PercentEncodeNonAscii(std::string_view target) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(target.size());
  for (const char ch : target) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80)
      encoded.push_back(ch);
    else
      encoded += {'%', kHex[c >> 4], kHex[c & 15]};
  }
  return encoded;
}

}  // namespace

bool ParseTarget(Request& req) {
  auto url = boost::urls::parse_origin_form(req.target);
  if (!url) {
    req.target = PercentEncodeNonAscii(req.target);
    url = boost::urls::parse_origin_form(req.target);
  }
  if (!url) return false;
  req.path = url->path();
  for (auto p : url->params()) req.query.emplace_back(p.key, p.has_value ? p.value : "true");
  return true;
}

std::optional<Request> ToRequest(boost::beast::http::request<boost::beast::http::string_body>& msg,
                                 const std::string& remote) {
  Request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  req.remote = remote;
  if (!ParseTarget(req)) return std::nullopt;
  req.body = std::move(msg.body());
  auto header = [&](auto field) {
    auto it = msg.find(field);
    return it == msg.end() ? std::string() : std::string(it->value());
  };
  req.content_type = header(boost::beast::http::field::content_type);
  req.authorization = header(boost::beast::http::field::authorization);
  req.accept = header(boost::beast::http::field::accept);
  req.idempotency_key = header("Idempotency-Key");
  req.last_event_id = header("Last-Event-ID");
  return req;
}

}  // namespace swabline::http
