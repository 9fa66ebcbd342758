#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "http/access_log.hpp"
#include "http/app.hpp"
#include "http/dispatch.hpp"
#include "http/event_stream.hpp"
#include "http/problem.hpp"
#include "http/request_target.hpp"
#include "http/router.hpp"
#include "http/wire_checks.hpp"

namespace swabline::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(60);
constexpr auto kIoTimeout = std::chrono::seconds(30);
// A first request's head must arrive whole within this: a client dribbling its headers
// (slowloris) holds a socket for at most this long, never a thread.
constexpr auto kHeaderTimeout = std::chrono::seconds(10);
constexpr std::size_t kHeaderLimit = std::size_t{8} * 1024;
constexpr std::size_t kDrainChunk = std::size_t{64} * 1024;

/// Headers on every answer: pages run only the server's own scripts (no inline script or
/// style attribute; images also from blob: URLs, the QR fetched with the token) and cannot be
/// framed; nothing is sniffed into another type; no address leaks to other sites; and what
/// is not a page (the API's answers, personal data) is not stored by a browser or proxy
/// unless the reply says otherwise (static files do: no-cache). 'wasm-unsafe-eval' lets the
/// station's camera decoder (ZXing compiled to WebAssembly, web/vendor/) compile; it allows no
/// JavaScript eval.
template <typename Body>
void SetSecurityHeaders(bhttp::response<Body>& res) {
  res.set("Content-Security-Policy",
          "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; "
          "frame-ancestors 'none'; "
          "base-uri 'none'; img-src 'self' blob:; form-action 'self'");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set(bhttp::field::cache_control, "no-store");
}

}  // namespace

struct Server::Impl {
  App& app;
  const Router& router;
  ServerOptions options;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  asio::signal_set signals{ioc, SIGINT, SIGTERM};
  std::atomic<bool> stopping{false};
  std::atomic<int> live_sessions{0};
  EventHub events{ioc, app.feed(), live_sessions};
  std::vector<std::thread> threads;
  std::uint16_t bound_port = 0;

  Impl(App& a, const Router& r, ServerOptions o) : app(a), router(r), options(std::move(o)) {}
  void Accept();
  void BeginStop();
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {
    ++server_.live_sessions;
    boost::system::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) peer_ = ep.address().to_string();
    exchange_.remote = peer_;
  }
  ~Session() { --server_.live_sessions; }

  void Run() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->server_.live_sessions > self->server_.options.max_connections)
        return self->Refuse(core::Error(core::ErrorCode::kTooManyConnections,
                                        "the server is at its connection limit; retry shortly"));
      self->ReadHeader();
    });
  }

 private:
  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    // The route's own limit is set once the target is known; until then allow the largest,
    // or Beast would refuse a big Content-Length while still reading the header.
    parser_->body_limit(server_.router.MaxBodyLimit());
    stream_.expires_after(first_ ? kHeaderTimeout : kIdleTimeout);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    exchange_.started = std::chrono::steady_clock::now();
    if (ec == bhttp::error::body_limit) return RefuseTooLarge();
    // Beast fills in the target once it has read the request line.
    if (IsMalformed(ec)) return Refuse(ParseFailure(ec, !parser_->get().target().empty()));
    if (ec) return Close(ec);
    const auto& h = parser_->get();
    exchange_.method = std::string(h.method_string());
    exchange_.target = std::string(h.target());
    if (auto problem = CheckHead(h)) return Refuse(*problem);
    std::string_view target(h.target().data(), h.target().size());
    std::string path(target.substr(0, target.find('?')));
    const std::size_t limit = server_.router.BodyLimit(
        std::string_view(h.method_string().data(), h.method_string().size()), path);
    // Beast checks a Content-Length against the limit only while parsing the header, which
    // was read under the largest limit: check the route's own here. Chunked bodies are
    // checked by the parser as they arrive.
    if (auto length = parser_->content_length(); length && *length > limit) return RefuseTooLarge();
    parser_->body_limit(limit);
    stream_.expires_after(kIoTimeout);
    if (beast::iequals(h[bhttp::field::expect], "100-continue")) {
      // curl and friends wait for this before sending a large body (a CSV import).
      auto cont =
          std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
      bhttp::async_write(stream_, *cont,
                         [self = shared_from_this(), cont](beast::error_code ec, std::size_t) {
                           if (ec) return self->Close(ec);
                           self->ReadBody();
                         });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnBody(ec); });
  }

  void OnBody(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return RefuseTooLarge();
    if (IsMalformed(ec)) return Refuse(ParseFailure(ec, true));
    if (ec) return Close(ec);
    first_ = false;
    auto msg = parser_->release();
    keep_alive_ = msg.keep_alive() && !server_.stopping;
    exchange_.method = std::string(msg.method_string());
    exchange_.target = std::string(msg.target());
    exchange_.remote = ClientOf(msg);
    auto req = ToRequest(msg, exchange_.remote);
    if (!req) {
      exchange_.route = "bad_target";
      return Send(
          ProblemReply(core::ErrorCode::kInvalidRequest, "the request target is malformed"));
    }
    exchange_.target = req->target;
    Dispatch(server_.app, server_.router, *req, Responder(), exchange_.route);
  }

  /// The client's address: the peer's, or from X-Forwarded-For when the peer is a trusted
  /// proxy (every such header, joined, as RFC 9110 §5.3 allows).
  std::string ClientOf(const bhttp::request<bhttp::string_body>& msg) const {
    const auto& proxies = server_.options.trusted_proxies;
    if (proxies.empty()) return peer_;
    std::string forwarded;
    const auto [first, last] = msg.equal_range("X-Forwarded-For");
    for (auto it = first; it != last; ++it) {
      if (!forwarded.empty()) forwarded += ',';
      forwarded.append(it->value().data(), it->value().size());
    }
    return ClientAddress(peer_, forwarded, proxies);
  }

  /// Answers on this session. The reply may come from a reader or writer thread: hop back
  /// onto the session's executor before touching the stream, unless already running there
  /// (a handler that answered at once).
  Respond Responder() {
    return [self = shared_from_this()](Reply reply) {
      if (self->OnOwnStrand()) return self->Send(std::move(reply));
      asio::post(self->stream_.get_executor(),
                 [self, reply = std::move(reply)]() mutable { self->Send(std::move(reply)); });
    };
  }

  /// True on a thread running this session's strand (Accept gives each session one).
  bool OnOwnStrand() {
    using Strand = asio::strand<asio::io_context::executor_type>;
    const Strand* strand = stream_.get_executor().target<Strand>();
    return strand && strand->running_in_this_thread();
  }

  void RefuseTooLarge() {
    // The rest of the body is never read, so the connection cannot be reused.
    keep_alive_ = false;
    exchange_.route = "body_limit";
    Send(
        ProblemReply(core::ErrorCode::kPayloadTooLarge, "the body is too large for this endpoint"));
  }

  /// Answers a request that is not read on (malformed, ambiguous, over a limit) and closes:
  /// where its body ends, and so where a next request would start, is not known.
  void Refuse(const core::Error& problem) {
    if (exchange_.started == std::chrono::steady_clock::time_point{})
      exchange_.started = std::chrono::steady_clock::now();
    keep_alive_ = false;
    exchange_.route = "refused";
    Send(ProblemReply(problem));
  }

  void Send(Reply reply) {
    Render(reply);
    if (reply.stream && reply.status == 200) return SendStream(std::move(reply));
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(reply.status), 11);
    res->set(bhttp::field::server, "swabline");
    res->set(bhttp::field::content_type, reply.content_type);
    SetSecurityHeaders(*res);
    for (auto& [k, v] : reply.headers) res->set(k, v);
    res->body() = std::move(reply.body);
    if (server_.stopping) keep_alive_ = false;
    res->keep_alive(keep_alive_);
    res->prepare_payload();
    // A HEAD is answered with the headers a GET would have, Content-Length included, and no
    // body: the client reads none.
    if (exchange_.method == "HEAD") res->body().clear();
    exchange_.Answered(server_.app.metrics(), server_.options.access_log, reply.status,
                       res->body().size());
    stream_.expires_after(kIoTimeout);
    bhttp::async_write(
        stream_, *res,
        [self = shared_from_this(), res](beast::error_code ec, std::size_t) { self->OnWrite(ec); });
  }

  /// Hands the connection to the event streams (http/event_stream.hpp); this session ends.
  void SendStream(Reply reply) {
    bhttp::response<bhttp::empty_body> head(bhttp::status::ok, 11);
    head.set(bhttp::field::server, "swabline");
    head.set(bhttp::field::content_type, "text/event-stream; charset=utf-8");
    SetSecurityHeaders(head);
    for (auto& [k, v] : reply.headers) head.set(k, v);
    head.set("X-Accel-Buffering", "no");  // a proxy in front must not hold events back
    head.keep_alive(true);
    head.chunked(true);
    exchange_.Answered(server_.app.metrics(), server_.options.access_log, 200, 0);
    server_.events.Attach(std::move(stream_), std::move(head), *reply.stream);
  }

  void OnWrite(beast::error_code ec) {
    if (ec) return Close(ec);
    if (!keep_alive_) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      return Linger(8u << 20);
    }
    ReadHeader();
  }

  /// A lingering close: read and drop what the client is still sending (the rest of a
  /// refused body) until it closes, so closing our end does not reset the connection before
  /// the client has read our answer. Bounded in bytes and by the stream's timeout.
  void Linger(std::size_t budget) {
    stream_.expires_after(std::chrono::seconds(2));
    drain_.resize(kDrainChunk);
    stream_.async_read_some(asio::buffer(drain_), [self = shared_from_this(), budget](
                                                      beast::error_code ec, std::size_t n) {
      if (ec || n >= budget) return self->Close(ec);
      self->Linger(budget - n);
    });
  }

  void Close(beast::error_code) {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  beast::tcp_stream stream_;
  Server::Impl& server_;
  std::string peer_;  // the socket's address
  beast::flat_buffer buffer_;
  std::vector<char> drain_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Exchange exchange_;
  bool keep_alive_ = true;
  bool first_ = true;
};

}  // namespace

void Server::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (stopping) return;
    if (ec) {
      // EMFILE and friends: log, wait a moment, and keep accepting.
      spdlog::warn("accept failed: {}", ec.message());
      auto timer = std::make_shared<asio::steady_timer>(ioc, std::chrono::milliseconds(50));
      timer->async_wait([this, timer](beast::error_code) { Accept(); });
      return;
    }
    socket.set_option(tcp::no_delay(true));
    std::make_shared<Session>(std::move(socket), *this)->Run();
    Accept();
  });
}

void Server::Impl::BeginStop() {
  if (stopping.exchange(true)) return;
  spdlog::info("stopping: finishing requests in flight");
  beast::error_code ec;
  acceptor.close(ec);
  signals.cancel(ec);
  events.Stop();
  // Give in-flight requests a deadline, then stop the loop whatever is left.
  auto timer = std::make_shared<asio::steady_timer>(ioc);
  auto poll = std::make_shared<std::function<void(int)>>();
  *poll = [this, timer, poll](int tries) {
    if (live_sessions == 0 || tries == 0) {
      ioc.stop();
      return;
    }
    timer->expires_after(std::chrono::milliseconds(100));
    timer->async_wait([poll, tries](beast::error_code) { (*poll)(tries - 1); });
  };
  (*poll)(50);
}

Server::Server(App& app, const Router& router, ServerOptions options)
    : impl_(std::make_unique<Impl>(app, router, std::move(options))) {}

Server::~Server() {
  // Stop joins the IO threads. Should that fail, a destructor can only say so: an exception
  // leaving it would end the process.
  try {
    Stop();
  } catch (const std::exception& e) {
    spdlog::error("the server did not stop cleanly: {}", e.what());
  } catch (...) {
    spdlog::error("the server did not stop cleanly");
  }
}

void Server::Start() {
  auto& i = *impl_;
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(i.options.host, ec);
  if (ec) throw std::runtime_error("bad listen address '" + i.options.host + "'");
  tcp::endpoint ep(addr, i.options.port);
  i.acceptor.open(ep.protocol());
  i.acceptor.set_option(asio::socket_base::reuse_address(true));
  i.acceptor.bind(ep, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + i.options.host + ":" +
                             std::to_string(i.options.port) + ": " + ec.message());
  i.acceptor.listen(asio::socket_base::max_listen_connections);
  i.bound_port = i.acceptor.local_endpoint().port();
  i.signals.async_wait([&i](beast::error_code ec, int) {
    if (!ec) i.BeginStop();
  });
  i.Accept();
  unsigned n =
      i.options.threads ? i.options.threads : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned t = 0; t < n; ++t) i.threads.emplace_back([&i] { i.ioc.run(); });
}

std::uint16_t Server::port() const { return impl_->bound_port; }

void Server::RunUntilSignal() {
  for (auto& t : impl_->threads)
    if (t.joinable()) t.join();
}

void Server::Stop() {
  if (!impl_) return;
  asio::post(impl_->ioc, [i = impl_.get()] { i->BeginStop(); });
  for (auto& t : impl_->threads)
    if (t.joinable()) t.join();
}

}  // namespace swabline::http
