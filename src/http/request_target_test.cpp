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

TEST(ToRequest, ReadsTheHeadersTheHandlersUseAndRefusesAMalformedTarget) {
  namespace bhttp = boost::beast::http;
  bhttp::request<bhttp::string_body> msg(bhttp::verb::post, "/api/v1/tubes?x=1", 11);
  msg.set(bhttp::field::authorization, "Bearer t");
  msg.set(bhttp::field::content_type, "application/json");
  msg.set("Idempotency-Key", "k1");
  msg.body() = "{}";
  const auto req = ToRequest(msg, "10.0.0.1");
  ASSERT_TRUE(req.has_value());
  EXPECT_EQ(req->method, "POST");
  EXPECT_EQ(req->path, "/api/v1/tubes");
  EXPECT_EQ(req->remote, "10.0.0.1");
  EXPECT_EQ(req->authorization, "Bearer t");
  EXPECT_EQ(req->content_type, "application/json");
  EXPECT_EQ(req->idempotency_key, "k1");
  EXPECT_EQ(req->accept, "");
  EXPECT_EQ(req->body, "{}");
  msg.target("no-leading-slash");
  EXPECT_FALSE(ToRequest(msg, "10.0.0.1").has_value());
}

}  // namespace
}  // namespace swabline::http
