#include "http/client_address.hpp"

#include <gtest/gtest.h>

namespace swabline::http {
namespace {

TrustedProxies Proxies(std::vector<std::string> ranges) {
  auto parsed = TrustedProxies::Parse(ranges);
  EXPECT_TRUE(parsed.ok());
  return parsed.ok() ? *parsed : TrustedProxies{};
}

TEST(TrustedProxies, TrustsAddressesInsideItsRangesOnly) {
  const auto proxies = Proxies({"10.0.0.0/8", "192.168.1.7", "fd00::/8"});
  EXPECT_TRUE(proxies.Trusts("10.200.3.4"));
  EXPECT_FALSE(proxies.Trusts("11.0.0.1"));
  EXPECT_TRUE(proxies.Trusts("192.168.1.7"));
  EXPECT_FALSE(proxies.Trusts("192.168.1.8")) << "a bare address is /32";
  EXPECT_TRUE(proxies.Trusts("fd12::1"));
  EXPECT_TRUE(proxies.Trusts("::ffff:10.1.1.1")) << "an IPv4-mapped address is its IPv4 one";
  EXPECT_FALSE(proxies.Trusts("not an address"));
}

TEST(TrustedProxies, RefusesARangeThatDoesNotParse) {
  for (const char* bad : {"10.0.0.0/33", "10.0.0/8", "10.0.0.0/", "10.0.0.0/x", "::/129", ""})
    EXPECT_FALSE(TrustedProxies::Parse({bad}).ok()) << bad;
  EXPECT_TRUE(TrustedProxies::Parse({"0.0.0.0/0", "::/0"}).ok());
}

TEST(ClientAddress, IgnoresForwardedForFromAPeerThatIsNotTrusted) {
  const auto proxies = Proxies({"10.0.0.1"});
  EXPECT_EQ(ClientAddress("203.0.113.5", "198.51.100.1", proxies), "203.0.113.5");
  EXPECT_EQ(ClientAddress("203.0.113.5", "198.51.100.1", Proxies({})), "203.0.113.5")
      << "no proxy is trusted unless named";
}

TEST(ClientAddress, TakesTheRightMostUntrustedEntryFromATrustedProxy) {
  const auto proxies = Proxies({"10.0.0.0/8"});
  EXPECT_EQ(ClientAddress("10.0.0.1", "198.51.100.1", proxies), "198.51.100.1");
  // The client sent "1.2.3.4" itself; the proxy appended the address it saw.
  EXPECT_EQ(ClientAddress("10.0.0.1", "1.2.3.4, 198.51.100.1", proxies), "198.51.100.1");
  // Two proxies of ours: the second's entry names the first, which is skipped.
  EXPECT_EQ(ClientAddress("10.0.0.1", "1.2.3.4,198.51.100.1, 10.0.0.2", proxies), "198.51.100.1");
  EXPECT_EQ(ClientAddress("10.0.0.1", "10.0.0.3, 10.0.0.2", proxies), "10.0.0.3");
  EXPECT_EQ(ClientAddress("10.0.0.1", "2001:db8::7", proxies), "2001:db8::7");
}

TEST(ClientAddress, KeepsThePeerWhenTheEntryIsNoAddressOrThereIsNone) {
  const auto proxies = Proxies({"10.0.0.0/8"});
  EXPECT_EQ(ClientAddress("10.0.0.1", "", proxies), "10.0.0.1");
  EXPECT_EQ(ClientAddress("10.0.0.1", "1.2.3.4, garbage", proxies), "10.0.0.1");
}

}  // namespace
}  // namespace swabline::http
