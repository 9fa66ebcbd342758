#pragma once
/// The outbox worker of a serving process, with the adapters its options ask for.

#include <memory>

#include "cli/commands.hpp"
#include "http/app.hpp"
#include "service/outbox_worker.hpp"

namespace swabline::cli {

/// Starts the worker: the webhook adapter when options.webhook_url is set (its secret read
/// from options.webhook_secret_file), else the log adapter; its news goes to app's /metrics,
/// and every commit nudges it. Throws for a bad URL or an unreadable secret file.
/// The caller stops it (or lets it go) before `rt` is destroyed.
std::unique_ptr<service::OutboxWorker> StartOutboxWorker(Runtime& rt, http::App& app,
                                                         const ServeOptions& options);

}  // namespace swabline::cli
