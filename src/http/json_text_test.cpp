#include "http/json_text.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <limits>
#include <string>

namespace swabline::http {
namespace {
namespace json = boost::json;

TEST(JsonText, WritesADoubleAsPeopleWriteIt) {
  EXPECT_EQ(JsonText(json::value(5.62)), "5.62");
  EXPECT_EQ(JsonText(json::value(24.0)), "24");
  EXPECT_EQ(JsonText(json::value(0.1 + 0.2)), "0.30000000000000004") << "shortest that reads back";
  EXPECT_EQ(JsonText(json::value(-0.5)), "-0.5");
  EXPECT_EQ(JsonText(json::object{{"median_hours", 5.62}, {"ct", json::object{{"n", 31.4}}}}),
            R"({"median_hours":5.62,"ct":{"n":31.4}})");
}

TEST(JsonText, KeepsVerySmallAndVeryLargeDoublesValidAndExact) {
  for (double d : {1e-7, 1.5e-300, 1e22, 1.7976931348623157e308, -4.9e-324}) {
    const std::string text = JsonText(json::value(d));
    json::error_code ec;
    const json::value back = json::parse(text, ec);
    ASSERT_FALSE(ec) << text << " is not JSON";
    ASSERT_TRUE(back.is_double()) << text;
    EXPECT_EQ(back.get_double(), d) << text;
  }
  EXPECT_EQ(JsonText(json::value(1e-7)), "1e-07");
}

TEST(JsonText, WritesANumberJsonCannotHoldAsNull) {
  EXPECT_EQ(JsonText(json::array{std::numeric_limits<double>::quiet_NaN(),
                                 std::numeric_limits<double>::infinity()}),
            "[null,null]");
}

TEST(JsonText, WritesEverythingButDoublesAsBoostJsonDoes) {
  const json::value v =
      json::parse(R"({"a":[1,-2,18446744073709551615,-9223372036854775808,true,false,null,{},[]],)"
                  R"("s":"quote \" backslash \\ \b\f\n\r\t \u0001 \u001f / é 朝阳区","":""})");
  EXPECT_EQ(JsonText(v), json::serialize(v));
}

}  // namespace
}  // namespace swabline::http
