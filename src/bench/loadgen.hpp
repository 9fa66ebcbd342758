#pragma once
/// A load-generating HTTP/1.1 client for `swabline bench`: many keep-alive connections, each
/// one request at a time (write, read the answer, record its latency, next), all on one
/// thread. Requests are raw bytes the caller builds (cheap: a reused string per connection).
/// Beast and Asio stay inside loadgen.cpp.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "bench/histogram.hpp"

namespace swabline::bench {

struct LoadOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::size_t connections = 64;
  /// No new request is sent after this; requests in flight finish. Zero: until every
  /// connection's source runs dry.
  std::chrono::milliseconds duration{0};
  /// Target requests/s over all connections; 0 = each connection sends as soon as it has its
  /// answer (closed loop). When paced, latency counts from the scheduled send time, so a
  /// stalled server shows up in the tail (no coordinated omission).
  double rate = 0;
  /// The status that counts as success; anything else is an error.
  int ok_status = 200;
  /// A phase that runs longer than this is abandoned (its sockets closed).
  std::chrono::milliseconds give_up{std::chrono::minutes(10)};
  std::size_t body_limit = 64 << 20;
};

/// Fills `wire` with the next request of connection `conn` (a complete HTTP/1.1 message,
/// see BuildRequest); returns false when that connection has nothing more to send.
/// Called on the load generator's thread only.
using NextRequest = std::function<bool(std::size_t conn, std::string& wire)>;
/// Called with every answer, on the load generator's thread.
using OnResponse = std::function<void(std::size_t conn, int status, std::string_view body)>;

struct LoadResult {
  std::uint64_t responses = 0;         // answers read, whatever their status
  std::uint64_t ok = 0;                // answers with options.ok_status
  std::uint64_t errors = 0;            // answers with another status
  std::uint64_t transport_errors = 0;  // connections lost or refused
  double seconds = 0;                  // first send to last answer
  Histogram latency;                   // of every answer, in µs
  Histogram ok_latency;                // of the answers with options.ok_status, in µs
  std::map<int, std::uint64_t> statuses;
  std::string first_error;  // the first unexpected answer or socket error, shortened

  double OkPerSecond() const { return seconds > 0 ? static_cast<double>(ok) / seconds : 0; }
};

/// Connects `options.connections` sockets, then drives them until the duration ends or every
/// source runs dry. Blocks the calling thread, which is the only one it uses.
LoadResult RunLoad(const LoadOptions& options, const NextRequest& next,
                   const OnResponse& on_response = {});

/// A complete request: request line, Host, optional Authorization (Bearer) and body.
std::string BuildRequest(std::string_view method, std::string_view target,
                         std::string_view token = {}, std::string_view content_type = {},
                         std::string_view body = {});
/// Rewrites `wire` in place (keeping its capacity) with the same layout as BuildRequest.
void BuildRequestInto(std::string& wire, std::string_view method, std::string_view target,
                      std::string_view token = {}, std::string_view content_type = {},
                      std::string_view body = {});

struct FetchResult {
  int status = 0;  // 0 when the request could not be made
  std::string body;
  std::string error;
};

/// One request on a fresh connection, synchronously (setup and checks, not load).
FetchResult Fetch(const std::string& host, std::uint16_t port, const std::string& wire,
                  std::chrono::milliseconds timeout = std::chrono::seconds(60));

/// Percent-encodes a query value or path segment (UTF-8 bytes outside the unreserved set).
std::string UrlEncode(std::string_view text);

}  // namespace swabline::bench
