#include "service/qr.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace swabline::service {
namespace {

// A personal code's length and alphabet: "SW1." and base64url.
const std::string kToken =
    "SW1." + std::string(106, 'x').replace(0, 40, "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_ab");

TEST(QrSvg, DrawsAStandaloneSvgImage) {
  const std::string svg = QrSvg("SW1.hello", 4);
  EXPECT_EQ(svg.substr(0, 4), "<svg");
  EXPECT_NE(svg.find("xmlns='http://www.w3.org/2000/svg'"), std::string::npos);
  EXPECT_EQ(svg.find("<path"), svg.rfind("<path")) << "one path for all dark modules";
  // Version 1 is 21 modules; with four quiet modules each side, 29; at 4 px, 116.
  EXPECT_NE(svg.find("width='116'"), std::string::npos) << svg.substr(0, 200);
  EXPECT_NE(svg.find("viewBox='0 0 29 29'"), std::string::npos);
}

TEST(QrSvg, IsDeterministicAndDependsOnTheText) {
  EXPECT_EQ(QrSvg(kToken), QrSvg(kToken));
  std::string other = kToken;
  other.back() = 'y';
  EXPECT_NE(QrSvg(kToken), QrSvg(other));
}

TEST(EncodeQr, HoldsAPersonalCodeLengthTokenInASmallVersion) {
  ASSERT_EQ(kToken.size(), 110u);
  const QrSymbol symbol = EncodeQr(kToken);
  // Version 7 (45 modules) holds 122 bytes at level M.
  EXPECT_LE(symbol.size, 45 + 8);
  EXPECT_FALSE(symbol.path.empty());
  // The quiet zone stays clear: no run starts left of or above module 4.
  EXPECT_EQ(symbol.path.find("M3 "), std::string::npos);
  EXPECT_EQ(symbol.path.find(" 3h"), std::string::npos);
}

TEST(EncodeQr, RefusesTextNoQrCodeHolds) {
  EXPECT_THROW(EncodeQr(std::string(4000, 'a')), std::invalid_argument);
  EXPECT_THROW(EncodeQr(std::string("a\0b", 3)), std::invalid_argument);
}

}  // namespace
}  // namespace swabline::service
