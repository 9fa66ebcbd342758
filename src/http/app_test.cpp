#include "http/app.hpp"

#include <gtest/gtest.h>

#include <string>

namespace swabline::http {
namespace {

constexpr core::Micros kTtl = 60LL * 1'000'000;

service::Actor Recorder() {
  service::Actor a;
  a.user_id = 7;
  a.username = "recorder1";
  a.role = core::Role::kRecorder;
  a.scope_id_path = "/1/5/";
  return a;
}

TEST(TokenCache, AnswersAPutTokenByItsTextUntilItsTimeIsUp) {
  TokenCache cache(kTtl);
  const std::string token = "a-token-long-enough-not-to-fit-a-short-string";
  cache.Put(token, Recorder(), 1000);
  auto actor = cache.Get(std::string_view(token), 1000 + kTtl - 1);
  ASSERT_TRUE(actor.has_value());
  EXPECT_EQ(actor->username, "recorder1");
  EXPECT_EQ(actor->scope_id_path, "/1/5/");
  EXPECT_TRUE(cache.Contains(token, 1000 + kTtl - 1));
  EXPECT_FALSE(cache.Contains(token, 1000 + kTtl));
  EXPECT_FALSE(cache.Get(token, 1000).has_value()) << "an expired entry is gone, not revived";
}

TEST(TokenCache, ForgetsALoggedOutTokenAndKnowsNoOther) {
  TokenCache cache(kTtl);
  cache.Put("one", Recorder(), 0);
  EXPECT_FALSE(cache.Contains("two", 0));
  EXPECT_FALSE(cache.Contains("on", 0));
  cache.Forget("one");
  EXPECT_FALSE(cache.Get("one", 0).has_value());
}

}  // namespace
}  // namespace swabline::http
