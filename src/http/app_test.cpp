#include "http/app.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "http/router.hpp"
#include "support/http/test_support.hpp"

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

using test::AppWorld;
using test::ExpectOneInternalProblem;
using test::WithToken;

TEST(AppRead, AnswersAReadThatThrowsOnAReaderWith500Internal) {
  AppWorld w;
  std::vector<Reply> replies;
  w.app().Read(WithToken(w.CachedToken()), w.Keep(replies),
               [](store::Connection&, const service::Actor&) -> Reply {
                 throw std::runtime_error("a bug in a read");
               });
  w.Drain();
  ExpectOneInternalProblem(replies);
}

TEST(AppGate, AnswersAHandlerThatThrowsOnAReaderWith500Internal) {
  AppWorld w;
  std::vector<Reply> replies;
  const Handler throws = [](Request&, Respond) { throw std::runtime_error("a bug in a handler"); };
  w.app().Gate(WithToken(w.SessionToken()), w.Keep(replies), SignedIn(), throws);
  w.Drain();
  ExpectOneInternalProblem(replies);
}

TEST(AppGate, KeepsTheAnswerOfAHandlerThatAnsweredAndThenThrew) {
  AppWorld w;
  std::vector<Reply> replies;
  const Handler answers_then_throws = [](Request&, Respond respond) {
    respond(JsonReply(200, std::string("{}")));
    throw std::runtime_error("a bug after the answer");
  };
  w.app().Gate(WithToken(w.SessionToken()), w.Keep(replies), SignedIn(), answers_then_throws);
  w.Drain();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].status, 200);
}

TEST(AppAuthenticated, AnswersANextStepThatThrowsOnAReaderWith500Internal) {
  AppWorld w;
  std::vector<Reply> replies;
  w.app().Authenticated(WithToken(w.SessionToken()), w.Keep(replies),
                        [](const service::Actor&, Respond) {
                          throw std::runtime_error("a bug after authentication");
                        });
  w.Drain();
  ExpectOneInternalProblem(replies);
}

}  // namespace
}  // namespace swabline::http
