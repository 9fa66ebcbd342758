#include "http/webhook.hpp"

#include <sodium.h>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <stdexcept>

#include "http/json_text.hpp"

namespace swabline::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

std::string WebhookBody(const service::OutboxMessage& m) {
  json::value payload;
  try {
    payload = json::parse(m.payload);
  } catch (const std::exception&) {
    payload = json::string(m.payload);  // never written so, but never lose what was said
  }
  return JsonText(json::object{{"id", m.outbox_id},
                               {"event", m.event},
                               {"recipient_kind", m.recipient_kind},
                               {"recipient", m.recipient},
                               {"payload", std::move(payload)},
                               {"created_at", core::FormatRfc3339(m.created_at)}});
}

std::string WebhookSignature(std::string_view secret, std::string_view body) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return "sha256=" + std::string(hex);
}

WebhookAdapter::WebhookAdapter(WebhookOptions options) : options_(std::move(options)) {
  auto url = boost::urls::parse_uri(options_.url);
  if (!url) throw std::invalid_argument("--webhook-url: not a URL: " + options_.url);
  if (url->scheme() == "https")
    throw std::invalid_argument("--webhook-url: https is not supported yet; use http://");
  if (url->scheme() != "http" || url->host().empty())
    throw std::invalid_argument("--webhook-url: want http://host[:port]/path, not " + options_.url);
  host_ = url->host_address();
  port_ = url->has_port() ? std::string(url->port()) : "80";
  target_ = url->encoded_target().empty() ? "/" : std::string(url->encoded_target());
}

service::SendOutcome WebhookAdapter::Send(const service::OutboxMessage& message) {
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, target_, 11};
  req.set(bhttp::field::host, host_ + ":" + port_);
  req.set(bhttp::field::user_agent, "swabline");
  req.set(bhttp::field::content_type, "application/json");
  req.set("X-Swabline-Delivery", std::to_string(message.outbox_id));
  req.body() = WebhookBody(message);
  req.set("X-Swabline-Signature", WebhookSignature(options_.secret, req.body()));
  req.keep_alive(false);
  req.prepare_payload();

  // One io_context per send: the worker sends one message at a time, and the stream's
  // deadline then bounds the whole exchange (resolving, connecting, writing, reading).
  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  beast::error_code result;
  stream.expires_after(options_.timeout);
  resolver.async_resolve(
      host_, port_, [&](beast::error_code ec, const tcp::resolver::results_type& r) {
        if (ec) return void(result = ec);
        stream.async_connect(r, [&](beast::error_code ec, const tcp::endpoint&) {
          if (ec) return void(result = ec);
          bhttp::async_write(stream, req, [&](beast::error_code ec, std::size_t) {
            if (ec) return void(result = ec);
            bhttp::async_read(stream, buffer, res,
                              [&](beast::error_code ec, std::size_t) { result = ec; });
          });
        });
      });
  ioc.run_for(options_.timeout + std::chrono::seconds(1));  // the resolver has no deadline
  if (!ioc.stopped()) result = beast::error::timeout;
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  if (result) return {false, result.message()};
  const unsigned status = res.result_int();
  if (status >= 200 && status < 300) return {true, ""};
  return {false, "HTTP " + std::to_string(status)};
}

}  // namespace swabline::http
