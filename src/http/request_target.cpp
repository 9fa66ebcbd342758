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

}  // namespace swabline::http
