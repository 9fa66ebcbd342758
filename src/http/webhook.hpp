#pragma once
/// The webhook outbox adapter (docs/outbreak.md, "Notifications"): each message is a JSON
/// POST to one URL, signed with a shared secret. Beast stays inside webhook.cpp.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "service/outbox_worker.hpp"

namespace swabline::http {

struct WebhookOptions {
  std::string url;  // http://host[:port]/path; https is refused (TLS is not supported yet)
  std::string secret;
  std::chrono::milliseconds timeout{5000};  // for the whole exchange, connect included
};

/// The body sent for `m`: {"id","event","recipient_kind","recipient","payload","created_at"},
/// the payload as a JSON object and created_at in RFC 3339.
std::string WebhookBody(const service::OutboxMessage& m);
/// "sha256=" and the lower-case hex HMAC-SHA256 of `body` keyed with `secret`.
std::string WebhookSignature(std::string_view secret, std::string_view body);

/// POSTs each message with Content-Type application/json, X-Swabline-Delivery (the outbox
/// id, the same on every attempt) and X-Swabline-Signature. A 2xx answer delivers; any other
/// answer, a connection error or the timeout is a failure the worker retries.
class WebhookAdapter : public service::OutboxAdapter {
 public:
  /// Throws std::invalid_argument for a URL that is not http://host[:port][/path].
  explicit WebhookAdapter(WebhookOptions options);
  std::string_view name() const override { return "webhook"; }
  service::SendOutcome Send(const service::OutboxMessage& message) override;

 private:
  WebhookOptions options_;
  std::string host_;
  std::string port_;
  std::string target_;
};

}  // namespace swabline::http
