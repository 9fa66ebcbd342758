#include "http/dispatch.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "http/router.hpp"
#include "support/http/test_support.hpp"

namespace swabline::http {
namespace {

using test::AppWorld;
using test::ExpectOneInternalProblem;
using test::WithToken;

Reply Ok() { return JsonReply(200, std::string(R"({"status":"ok"})")); }

TEST(Dispatch, AnswersAPublicHandlerThatThrowsWith500Internal) {
  AppWorld w;
  Router router;
  router.Add("GET", "/api/v1/public", Public(),
             [](Request&, Respond) { throw std::runtime_error("bug"); });
  std::vector<Reply> replies;
  std::string route;
  Request req = WithToken("", "/api/v1/public");
  Dispatch(w.app(), router, req, w.Keep(replies), route);
  EXPECT_EQ(route, "/api/v1/public");
  ExpectOneInternalProblem(replies);
}

TEST(Dispatch, AnswersAGatedHandlerThatThrowsOnTheCallingThreadWith500Internal) {
  AppWorld w;
  Router router;
  router.Add("GET", "/api/v1/gated", SignedIn(),
             [](Request&, Respond) { throw 42; });  // not a std::exception
  std::vector<Reply> replies;
  std::string route;
  Request req = WithToken(w.CachedToken(), "/api/v1/gated");
  Dispatch(w.app(), router, req, w.Keep(replies), route);
  ExpectOneInternalProblem(replies);
}

TEST(Dispatch, RoutesAHeadOutsideTheApiAsAGet) {
  AppWorld w;
  Router router;
  router.Add("GET", "/healthz", Public(), [](Request&, Respond respond) { respond(Ok()); });
  std::vector<Reply> replies;
  std::string route;
  Request req = WithToken("", "/healthz");
  req.method = "HEAD";
  Dispatch(w.app(), router, req, w.Keep(replies), route);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].status, 200);
  EXPECT_EQ(route, "/healthz");
}

TEST(Dispatch, RefusesAHeadUnderTheApiAsAMethodNotAllowed) {
  AppWorld w;
  Router router;
  router.Add("GET", "/api/v1/people/{id}", SignedIn(),
             [](Request&, Respond respond) { respond(Ok()); });
  std::vector<Reply> replies;
  std::string route;
  Request req = WithToken(w.CachedToken(), "/api/v1/people/1");
  req.method = "HEAD";
  Dispatch(w.app(), router, req, w.Keep(replies), route);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].status, 405);
  ASSERT_EQ(replies[0].headers.size(), 1u);
  EXPECT_EQ(replies[0].headers[0], (std::pair<std::string, std::string>{"Allow", "GET"}));
  EXPECT_EQ(route, "unmatched");
}

}  // namespace
}  // namespace swabline::http
