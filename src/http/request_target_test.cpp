#include "http/request_target.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace swabline::http {
namespace {

TEST(ParseTarget, DecodesThePathAndQueryAndTakesRawUtf8) {
  Request req;
  req.target = "/api/v1/places/朝阳区?path=%E6%9C%9D&flag";
  ASSERT_TRUE(ParseTarget(req));
  EXPECT_EQ(req.target, "/api/v1/places/%E6%9C%9D%E9%98%B3%E5%8C%BA?path=%E6%9C%9D&flag");
  EXPECT_EQ(req.path, "/api/v1/places/朝阳区");
  EXPECT_EQ(req.query,
            (std::vector<std::pair<std::string, std::string>>{{"path", "朝"}, {"flag", "true"}}));
}

TEST(ParseTarget, RefusesATargetThatIsNotAPath) {
  Request req;
  req.target = "no-leading-slash";
  EXPECT_FALSE(ParseTarget(req));
}

}  // namespace
}  // namespace swabline::http
