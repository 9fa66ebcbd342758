#pragma once
/// The server's own request and reply types: handlers see these, never Beast's, so that
/// Beast and Asio stay inside the server's .cpp files.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace swabline::http {

struct Request {
  std::string method;  // "GET", "POST", …
  std::string target;  // as sent, with the query
  std::string path;    // decoded, without the query
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> params;  // from the route pattern
  std::string body;
  std::string content_type;
  std::string authorization;
  std::string idempotency_key;
  std::string accept;
  std::string last_event_id;  // sent by an EventSource that reconnects
  std::string remote;

  std::optional<std::string> Query(std::string_view name) const;
  bool QueryFlag(std::string_view name) const;  // ?name=true / 1 / yes
  const std::string& Param(std::string_view name) const;
  /// The bearer token, or "" when none was sent.
  std::string_view BearerToken() const;
  /// True when the body is `text/csv` (ignoring parameters such as charset).
  bool IsCsv() const;
  /// True when the body is an .xlsx workbook (the spreadsheetml media type).
  bool IsXlsx() const;
  bool WantsCsv() const;
};

/// A reply that turns the connection into a server-sent event stream (http/event_stream.hpp)
/// instead of sending a body: what the stream may show and where it starts.
struct EventStreamStart {
  std::optional<std::int64_t> scope_place_id;  // none: the whole tree
  /// The last event the client has; none: only what happens from now on.
  std::optional<std::uint64_t> last_event_id;
};

struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<EventStreamStart> stream;  // set only with status 200
  /// When set, makes `body` where the reply is sent (Render): a write's reply is then encoded
  /// on the IO thread, not on the one writer thread every write waits for.
  std::function<std::string()> render;
};

/// Makes the body of `reply` from its `render`, if it has one (then clears it).
inline void Render(Reply& reply) {
  if (!reply.render) return;
  reply.body = reply.render();
  reply.render = nullptr;
}

/// Sends the reply. Callable from any thread, exactly once.
using Respond = std::function<void(Reply)>;

}  // namespace swabline::http
