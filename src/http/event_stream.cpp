#include "http/event_stream.hpp"

#include <array>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <optional>
#include <string>

#include "http/sse_format.hpp"

namespace swabline::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

using Head = bhttp::response<bhttp::empty_body>;

/// One client's stream. Everything but Wake and Close runs on the connection's strand.
class EventStream : public std::enable_shared_from_this<EventStream> {
 public:
  EventStream(beast::tcp_stream stream, service::LiveFeed& feed, const EventStreamStart& start,
              std::atomic<int>& live)
      : stream_(std::move(stream)),
        feed_(feed),
        scope_(start.scope_place_id),
        resume_(start.last_event_id),
        heartbeat_(stream_.get_executor()),
        live_(live) {
    ++live_;
  }
  ~EventStream() { --live_; }
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  void Start(Head head) {
    head_ = std::move(head);
    serializer_.emplace(*head_);
    stream_.expires_after(EventHub::kWriteTimeout);
    bhttp::async_write_header(stream_, *serializer_,
                              [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                if (ec) return self->CloseNow();
                                self->OnHeadSent();
                              });
  }

  void Wake() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->Pump(); });
  }

  void Close() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->CloseNow(); });
  }

 private:
  void OnHeadSent() {
    // Without a Last-Event-ID the stream starts now; with one, after it (or with `reset`).
    last_id_ = resume_ ? *resume_ : feed_.Newest();
    AppendSseRetry(out_, EventHub::kRetryMs);
    WatchForClose();
    ArmHeartbeat();
    Pump();
  }

  /// Reads (and drops) whatever the client sends, to learn at once when it goes away.
  void WatchForClose() {
    stream_.socket().async_read_some(
        asio::buffer(sink_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
          if (ec) return self->CloseNow();
          self->WatchForClose();
        });
  }

  void ArmHeartbeat() {
    heartbeat_.expires_after(EventHub::kHeartbeat);
    heartbeat_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_) return;
      self->heartbeat_due_ = true;
      self->Pump();
      self->ArmHeartbeat();
    });
  }

  /// Sends what is new since the last write, when no write is in flight.
  void Pump() {
    if (closed_ || writing_ || !serializer_) return;
    if (out_.empty()) Collect();
    if (closed_) return;
    if (out_.empty() && heartbeat_due_) AppendSseHeartbeat(out_);
    if (out_.empty()) return;
    heartbeat_due_ = false;
    writing_ = true;
    stream_.expires_after(EventHub::kWriteTimeout);
    asio::async_write(stream_, bhttp::make_chunk(asio::buffer(out_)),
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        self->writing_ = false;
                        if (ec) return self->CloseNow();
                        self->stream_.expires_never();
                        self->out_.clear();
                        self->Pump();
                      });
  }

  /// Formats the visible events after last_id_ into out_.
  void Collect() {
    events_.clear();
    const service::LiveFeed::Slice slice =
        feed_.Read(last_id_, scope_, EventHub::kMaxEventsPerWrite, events_);
    if (slice.gap) {
      // Resuming from an id the ring no longer holds (or another run's): tell the client to
      // reload. Mid-stream, the client fell a whole ring behind: disconnect it, and its
      // reconnection gets the reset.
      if (started_) return CloseNow();
      AppendSseReset(out_, slice.newest);
    }
    started_ = true;
    for (const core::LiveEvent& e : events_) AppendSseEvent(out_, e);
    last_id_ = slice.newest;
  }

  void CloseNow() {
    if (closed_) return;
    closed_ = true;
    heartbeat_.cancel();
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  service::LiveFeed& feed_;
  std::optional<std::int64_t> scope_;
  std::optional<std::uint64_t> resume_;
  asio::steady_timer heartbeat_;
  std::atomic<int>& live_;
  std::optional<Head> head_;
  std::optional<bhttp::response_serializer<bhttp::empty_body>> serializer_;
  std::uint64_t last_id_ = 0;
  std::string out_;
  std::vector<core::LiveEvent> events_;
  std::array<char, 512> sink_{};
  bool writing_ = false;
  bool heartbeat_due_ = false;
  bool started_ = false;
  bool closed_ = false;
};

EventHub::EventHub(asio::io_context& ioc, service::LiveFeed& feed,
                   std::atomic<int>& live_connections)
    : ioc_(ioc), feed_(feed), live_connections_(live_connections) {
  feed_.SetListener([this] {
    if (!wake_posted_.exchange(true)) asio::post(ioc_, [this] { WakeAll(); });
  });
}

EventHub::~EventHub() { feed_.SetListener(nullptr); }

void EventHub::Attach(beast::tcp_stream stream, Head head, const EventStreamStart& start) {
  auto s = std::make_shared<EventStream>(std::move(stream), feed_, start, live_connections_);
  {
    std::lock_guard lock(mu_);
    if (!stopped_) {
      std::erase_if(streams_, [](const auto& w) { return w.expired(); });
      streams_.push_back(s);
    }
  }
  s->Start(std::move(head));
  std::lock_guard lock(mu_);
  if (stopped_) s->Close();
}

void EventHub::Stop() {
  std::vector<std::weak_ptr<EventStream>> streams;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    streams.swap(streams_);
  }
  for (auto& w : streams)
    if (auto s = w.lock()) s->Close();
}

void EventHub::WakeAll() {
  wake_posted_ = false;
  std::lock_guard lock(mu_);
  for (auto& w : streams_)
    if (auto s = w.lock()) s->Wake();
}

}  // namespace swabline::http
