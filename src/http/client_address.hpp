#pragma once
/// The client's address, for per-address limits and the access log. Behind a reverse proxy
/// (haproxy, nginx) every connection comes from the proxy, so the client's own address is
/// read from `X-Forwarded-For` — but only when the connection comes from a proxy the
/// deployment trusts (`serve --trusted-proxy CIDR`): from anyone else the header is a claim
/// anybody can make, and it is ignored.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace swabline::http {

/// A set of address ranges (CIDR: "10.0.0.0/8", "::1/128"; a bare address is /32 or /128).
class TrustedProxies {
 public:
  /// kInvalidField when a range does not parse.
  static core::Result<TrustedProxies> Parse(const std::vector<std::string>& ranges);

  bool empty() const { return ranges_.empty(); }
  /// True when `address` (text) lies in one of the ranges; false for a malformed address.
  bool Trusts(std::string_view address) const;

 private:
  struct Range {
    std::vector<unsigned char> bytes;  // 4 or 16
    int prefix = 0;
  };
  std::vector<Range> ranges_;
};

/// The client's address: `peer` (the socket's), unless `peer` is a trusted proxy; then the
/// right-most entry of `forwarded_for` (the X-Forwarded-For values, joined by commas) that is
/// not a trusted proxy — each proxy appends the address it saw, so entries to the left of that
/// one are whatever the client chose to send. An entry that is not an address leaves `peer`.
std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const TrustedProxies& proxies);

}  // namespace swabline::http
