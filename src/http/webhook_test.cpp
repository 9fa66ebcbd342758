#include "http/webhook.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <stdexcept>

namespace swabline::http {
namespace {

namespace json = boost::json;

TEST(WebhookSignature, IsTheHmacSha256OfTheBody) {
  // RFC 4231, test case 2.
  EXPECT_EQ(WebhookSignature("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookBody, CarriesTheMessageWithItsPayloadAsAnObject) {
  service::OutboxMessage m;
  m.outbox_id = 42;
  m.event = "zone_started";
  m.recipient_kind = "place";
  m.recipient = "7";
  m.payload = R"({"zone_id":3,"place_id":7,"level":"temporary","incident_id":null})";
  m.created_at = 1'777'622'400LL * 1'000'000;
  const json::value body = json::parse(WebhookBody(m));
  EXPECT_EQ(body.at("id").as_int64(), 42);
  EXPECT_EQ(body.at("event").as_string(), "zone_started");
  EXPECT_EQ(body.at("recipient_kind").as_string(), "place");
  EXPECT_EQ(body.at("recipient").as_string(), "7");
  EXPECT_EQ(body.at("payload").at("level").as_string(), "temporary");
  EXPECT_TRUE(body.at("payload").at("incident_id").is_null());
  EXPECT_EQ(body.at("created_at").as_string(), "2026-05-01T08:00:00Z");
}

TEST(WebhookAdapter, RefusesAnythingButPlainHttp) {
  EXPECT_THROW(WebhookAdapter({"https://example.org/hook", "s"}), std::invalid_argument);
  EXPECT_THROW(WebhookAdapter({"ftp://example.org/hook", "s"}), std::invalid_argument);
  EXPECT_THROW(WebhookAdapter({"not a url", "s"}), std::invalid_argument);
  EXPECT_NO_THROW(WebhookAdapter({"http://127.0.0.1:9/hook?x=1", "s"}));
}

TEST(WebhookAdapter, FailsWhenNothingListens) {
  // Port 9 (discard) on the loopback: nothing listens in a test environment.
  WebhookAdapter adapter({"http://127.0.0.1:9/hook", "s", std::chrono::milliseconds(2000)});
  service::OutboxMessage m;
  m.outbox_id = 1;
  m.payload = "{}";
  const service::SendOutcome outcome = adapter.Send(m);
  EXPECT_FALSE(outcome.delivered);
  EXPECT_FALSE(outcome.error.empty());
}

}  // namespace
}  // namespace swabline::http
