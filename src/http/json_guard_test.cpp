#include "http/json_guard.hpp"

#include <gtest/gtest.h>

namespace swabline::http {
namespace {

using core::ErrorCode;

std::optional<ErrorCode> CodeOf(std::string_view text) {
  auto hazard = JsonHazard(text);
  return hazard ? std::optional(hazard->code) : std::nullopt;
}

TEST(JsonHazard, FindsAMemberNamedTwiceInOneObjectAtAnyDepth) {
  EXPECT_EQ(CodeOf(R"({"a":1,"a":2})"), ErrorCode::kDuplicateKey);
  EXPECT_EQ(CodeOf(R"({"x":{"b":1,"c":[{"d":1,"d":1}]}})"), ErrorCode::kDuplicateKey);
  auto hazard = JsonHazard(R"({"username":"a","username":"b"})");
  ASSERT_TRUE(hazard);
  EXPECT_EQ(hazard->extras.at(0).second, "username");
}

TEST(JsonHazard, LetsTheSameNameInDifferentObjectsPass) {
  EXPECT_EQ(CodeOf(R"({"a":{"a":1},"b":{"a":2},"c":[{"a":1},{"a":2}]})"), std::nullopt);
}

TEST(JsonHazard, FindsUPlus0000InAStringOrAName) {
  EXPECT_EQ(CodeOf(R"({"name":"ab\u0000c"})"), ErrorCode::kNulCharacter);
  EXPECT_EQ(CodeOf(R"({"na\u0000me":"abc"})"), ErrorCode::kNulCharacter);
  EXPECT_EQ(CodeOf(R"(["x",["\u0000"]])"), ErrorCode::kNulCharacter);
  EXPECT_EQ(CodeOf(R"({"name":"\u0001 is fine"})"), std::nullopt);
}

TEST(JsonHazard, LeavesTextThatIsNotJsonToTheParser) {
  EXPECT_EQ(CodeOf("{not json"), std::nullopt);
  EXPECT_EQ(CodeOf(""), std::nullopt);
}

}  // namespace
}  // namespace swabline::http
