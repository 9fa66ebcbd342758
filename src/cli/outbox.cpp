#include "cli/outbox.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "http/webhook.hpp"

namespace swabline::cli {
namespace {

std::string ReadSecret(const std::string& path) {
  if (path.empty()) throw std::runtime_error("--webhook-url needs --webhook-secret-file");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read the webhook secret file " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string secret = ss.str();
  // A secret written with echo ends in a newline that is not part of it.
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) throw std::runtime_error("the webhook secret file " + path + " is empty");
  return secret;
}

service::OutboxObserver ObserverFor(http::Metrics& metrics) {
  return {[&metrics](std::string_view a) { metrics.ObserveOutboxDelivered(a); },
          [&metrics](std::string_view a) { metrics.ObserveOutboxFailed(a); },
          [&metrics](std::string_view a, const store::DeliveryBacklog& b, core::Micros now) {
            const double age =
                b.oldest_created_at
                    ? static_cast<double>(std::max<core::Micros>(now - *b.oldest_created_at, 0)) /
                          1e6
                    : 0.0;
            metrics.SetOutboxBacklog(a, b.pending, age);
          }};
}

}  // namespace

std::unique_ptr<service::OutboxWorker> StartOutboxWorker(Runtime& rt, http::App& app,
                                                         const ServeOptions& options) {
  std::vector<std::unique_ptr<service::OutboxAdapter>> adapters;
  if (options.webhook_url.empty()) {
    adapters.push_back(std::make_unique<service::LogAdapter>());
  } else {
    adapters.push_back(std::make_unique<http::WebhookAdapter>(
        http::WebhookOptions{options.webhook_url, ReadSecret(options.webhook_secret_file)}));
  }
  service::OutboxWorkerOptions o;
  o.poll = static_cast<core::Micros>(options.outbox_poll_ms) * 1000;
  o.retry_base = static_cast<core::Micros>(options.outbox_retry_base_ms) * 1000;
  auto worker =
      std::make_unique<service::OutboxWorker>(rt.writer(), rt.readers(), app.env().clock,
                                              std::move(adapters), o, ObserverFor(app.metrics()));
  app.SetCommitListener([w = worker.get()] { w->Nudge(); });
  worker->Start();
  return worker;
}

}  // namespace swabline::cli
