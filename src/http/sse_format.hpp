#pragma once
/// The text of the event stream (GET /api/v1/events, text/event-stream): each event as
/// `id:`, `event:` and one `data:` line of JSON, per the HTML standard's server-sent events.
/// Beast-free, so that it is tested alone.

#include <cstdint>
#include <string>

#include "core/live_event.hpp"

namespace swabline::http {

/// Appends the event, its blank line included. The data's members are listed in
/// docs/openapi.yaml (LiveEvent).
void AppendSseEvent(std::string& out, const core::LiveEvent& event);
/// Appends a `reset` event: the client missed events (the id it resumed from is too old, or
/// from another run of the server) and must reload its snapshot; the stream goes on after
/// `newest`.
void AppendSseReset(std::string& out, std::uint64_t newest);
/// The stream's first lines: how long a client waits before reconnecting.
void AppendSseRetry(std::string& out, int retry_ms);
/// A comment line that keeps proxies and the client from timing the stream out.
void AppendSseHeartbeat(std::string& out);

}  // namespace swabline::http
