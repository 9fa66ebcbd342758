#pragma once
/// The live dashboard's event streams (GET /api/v1/events): connections the server keeps open
/// and writes server-sent events to as the feed (service::LiveFeed) grows. Used by server.cpp
/// only; Beast and Asio stay inside src/http.
///
/// A stream holds at most one write in flight; events wait in the feed's bounded ring, not
/// per connection, so a slow client costs no memory beyond its one write. A client whose
/// write does not finish within kWriteTimeout, or that falls so far behind that events it has
/// not been sent leave the ring, is disconnected; it reconnects with Last-Event-ID and is told
/// `reset` (reload the snapshot). Each stream counts as a connection toward the server's cap.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "http/message.hpp"
#include "service/live_feed.hpp"

namespace swabline::http {

class EventStream;

class EventHub {
 public:
  static constexpr auto kHeartbeat = std::chrono::seconds(15);
  static constexpr auto kWriteTimeout = std::chrono::seconds(30);
  static constexpr int kRetryMs = 3000;
  /// Events sent in one write at most; the rest follow when it is done.
  static constexpr std::size_t kMaxEventsPerWrite = 256;

  /// Listens to `feed` until destroyed. `live_connections` counts each open stream.
  EventHub(boost::asio::io_context& ioc, service::LiveFeed& feed,
           std::atomic<int>& live_connections);
  ~EventHub();
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  /// Takes the connection over: sends `head` (200, text/event-stream, chunked), then events.
  /// Called on the connection's strand.
  void Attach(boost::beast::tcp_stream stream,
              boost::beast::http::response<boost::beast::http::empty_body> head,
              const EventStreamStart& start);
  /// Closes every stream (graceful shutdown); later ones are closed at once.
  void Stop();

 private:
  /// Asks every stream to send what is new (posted once per publish, not once per stream).
  void WakeAll();

  boost::asio::io_context& ioc_;
  service::LiveFeed& feed_;
  std::atomic<int>& live_connections_;
  std::mutex mu_;
  std::vector<std::weak_ptr<EventStream>> streams_;
  bool stopped_ = false;
  /// Set while a WakeAll is posted and not yet run: a burst of commits wakes streams once.
  std::atomic<bool> wake_posted_{false};
};

}  // namespace swabline::http
