#include "http/decode.hpp"

#include <gtest/gtest.h>

namespace swabline::http {
namespace {

namespace json = boost::json;

TEST(RequiredNumber, TakesIntegersAndFractions) {
  const json::object o = json::parse(R"({"a": 3, "b": 0.25})").as_object();
  EXPECT_EQ(*RequiredNumber(o, "a"), 3.0);
  EXPECT_EQ(*RequiredNumber(o, "b"), 0.25);
}

TEST(RequiredNumber, NamesTheMissingOrMistypedMember) {
  const json::object o = json::parse(R"({"a": "3"})").as_object();
  auto missing = RequiredNumber(o, "b");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::ErrorCode::kMissingField);
  auto text = RequiredNumber(o, "a");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, core::ErrorCode::kInvalidField);
}

}  // namespace
}  // namespace swabline::http
