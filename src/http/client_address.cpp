#include "http/client_address.hpp"

#include <boost/asio/ip/address.hpp>

namespace swabline::http {
namespace {

/// The address in `text`, IPv4-mapped IPv6 addresses as IPv4, or nothing.
std::optional<boost::asio::ip::address> AddressOf(std::string_view text) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  return address;
}

std::vector<unsigned char> BytesOf(const boost::asio::ip::address& address) {
  if (address.is_v4()) {
    auto b = address.to_v4().to_bytes();
    return {b.begin(), b.end()};
  }
  auto b = address.to_v6().to_bytes();
  return {b.begin(), b.end()};
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

core::Result<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& ranges) {
  TrustedProxies out;
  for (const std::string& text : ranges) {
    const auto slash = text.find('/');
    auto address = AddressOf(std::string_view(text).substr(0, slash));
    Range r;
    if (address) r.bytes = BytesOf(*address);
    const int bits = static_cast<int>(r.bytes.size() * 8);
    r.prefix = bits;
    bool ok = address.has_value();
    if (ok && slash != std::string::npos) {
      const std::string digits = text.substr(slash + 1);
      ok = !digits.empty() && digits.size() <= 3 &&
           digits.find_first_not_of("0123456789") == std::string::npos;
      if (ok) r.prefix = std::stoi(digits);
      ok = ok && r.prefix <= bits;
    }
    if (!ok)
      return core::Fail(core::ErrorCode::kInvalidField,
                        "'" + text + "' is not an address range such as 10.0.0.0/8 or ::1/128");
    out.ranges_.push_back(std::move(r));
  }
  return out;
}

bool TrustedProxies::Trusts(std::string_view text) const {
  if (ranges_.empty()) return false;
  auto address = AddressOf(text);
  if (!address) return false;
  const auto bytes = BytesOf(*address);
  for (const Range& r : ranges_) {
    if (r.bytes.size() != bytes.size()) continue;
    int left = r.prefix;
    bool match = true;
    for (std::size_t i = 0; match && left > 0; ++i, left -= 8) {
      const unsigned mask = left >= 8 ? 0xFFu : (0xFFu << (8 - left)) & 0xFFu;
      match = (bytes[i] & mask) == (r.bytes[i] & mask);
    }
    if (match) return true;
  }
  return false;
}

std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const TrustedProxies& proxies) {
  if (forwarded_for.empty() || !proxies.Trusts(peer)) return peer;
  std::string_view rest = forwarded_for;
  std::string_view entry;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    entry = Trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    if (!proxies.Trusts(entry)) break;
  }
  // Every entry a trusted proxy: the left-most is the closest to the client there is.
  auto address = AddressOf(entry);
  return address ? address->to_string() : peer;
}

}  // namespace swabline::http
