#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/url.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "http/app.hpp"
#include "http/problem.hpp"
#include "http/router.hpp"

namespace swabline::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(60);
constexpr auto kIoTimeout = std::chrono::seconds(30);
constexpr std::size_t kHeaderLimit = 8 * 1024;

std::string_view MimeType(std::string_view path) {
  auto ends = [&](std::string_view ext) {
    return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".json")) return "application/json";
  if (ends(".ico")) return "image/x-icon";
  return "application/octet-stream";
}

/// Static files of the browser UI. Anything outside /api is looked up under web/; an unknown
/// path that is not a file falls back to index.html, so the UI's own routes load.
Reply ServeStatic(const std::string& web_dir, const std::string& path) {
  if (path.find("..") != std::string::npos)
    return ProblemReply(core::ErrorCode::kNotFound, "no such file");
  std::string rel = path == "/" ? "/index.html" : path;
  std::error_code fs_ec;
  if (!std::filesystem::is_regular_file(web_dir + rel, fs_ec) && rel.find('.') == std::string::npos)
    rel = "/index.html";
  if (!std::filesystem::is_regular_file(web_dir + rel, fs_ec))
    return ProblemReply(core::ErrorCode::kNotFound, "no such file: " + path);
  std::ifstream f(web_dir + rel, std::ios::binary);
  if (!f) return ProblemReply(core::ErrorCode::kNotFound, "no such file: " + path);
  std::ostringstream ss;
  ss << f.rdbuf();
  Reply r;
  r.content_type = std::string(MimeType(rel));
  r.body = ss.str();
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

/// The target as the access log may keep it: query values dropped (they carry search terms
/// and personal codes) and ID-number-like runs in the path masked (/people/{id}/status).
std::string LoggableTarget(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  std::string out;
  std::size_t i = 0;
  while (i < path.size()) {
    std::size_t j = i;
    while (j < path.size() && ((path[j] >= '0' && path[j] <= '9') || path[j] == 'X' || path[j] == 'x')) ++j;
    if (j - i >= 15) {
      out.append(path.substr(i, 6));
      out.append(j - i - 10, '*');
      out.append(path.substr(j - 4, 4));
      i = j;
    } else if (j > i) {
      out.append(path.substr(i, j - i));
      i = j;
    } else {
      out.push_back(path[i++]);
    }
  }
  if (path.size() < target.size()) {
    // Keep the parameter names only.
    std::string_view query = target.substr(path.size() + 1);
    out.push_back('?');
    bool first = true;
    while (!query.empty()) {
      std::string_view pair = query.substr(0, query.find('&'));
      if (!first) out.push_back('&');
      out.append(pair.substr(0, pair.find('=')));
      first = false;
      if (pair.size() == query.size()) break;
      query.remove_prefix(pair.size() + 1);
    }
  }
  return out;
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
  std::vector<std::thread> threads;
  std::uint16_t bound_port = 0;

  Impl(App& a, const Router& r, ServerOptions o) : app(a), router(r), options(std::move(o)) {}
  void Accept();
  void BeginStop();
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl& server)
      : stream_(std::move(socket)), server_(server) {
    ++server_.live_sessions;
    boost::system::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
  }
  ~Session() { --server_.live_sessions; }

  void Run() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

 private:
  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    // The route's own limit is set once the target is known; until then allow the largest,
    // or Beast would refuse a big Content-Length while still reading the header.
    parser_->body_limit(server_.router.MaxBodyLimit());
    stream_.expires_after(first_ ? kIoTimeout : kIdleTimeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                               self->OnHeader(ec);
                             });
  }

  void OnHeader(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return RefuseTooLarge();
    if (ec) return Close(ec);
    started_ = std::chrono::steady_clock::now();
    const auto& h = parser_->get();
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
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
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
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        self->OnBody(ec);
                      });
  }

  void OnBody(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return RefuseTooLarge();
    if (ec) return Close(ec);
    first_ = false;
    auto msg = parser_->release();
    keep_alive_ = msg.keep_alive() && !server_.stopping;

    Request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    req.remote = remote_;
    auto url = boost::urls::parse_origin_form(req.target);
    if (!url) {
      // Raw UTF-8 in the target (curl sends Chinese place paths as they are): encode the
      // bytes outside ASCII and try again.
      std::string encoded;
      for (unsigned char c : req.target) {
        if (c < 0x80) {
          encoded.push_back(static_cast<char>(c));
        } else {
          static constexpr char kHex[] = "0123456789ABCDEF";
          encoded += {'%', kHex[c >> 4], kHex[c & 15]};
        }
      }
      req.target = std::move(encoded);
      url = boost::urls::parse_origin_form(req.target);
    }
    if (!url) {
      route_ = "bad_target";
      return Send(ProblemReply(core::ErrorCode::kInvalidRequest, "the request target is malformed"));
    }
    req.path = url->path();
    for (auto p : url->params()) req.query.emplace_back(p.key, p.has_value ? p.value : "true");
    req.body = std::move(msg.body());
    auto header = [&](bhttp::field f) {
      auto it = msg.find(f);
      return it == msg.end() ? std::string() : std::string(it->value());
    };
    req.content_type = header(bhttp::field::content_type);
    req.authorization = header(bhttp::field::authorization);
    req.accept = header(bhttp::field::accept);
    auto idem = msg.find("Idempotency-Key");
    if (idem != msg.end()) req.idempotency_key = std::string(idem->value());
    method_ = req.method;
    target_ = req.target;

    auto match = server_.router.Find(req.method, req.path, req.params);
    if (!match.route) {
      if (req.path.rfind("/api/", 0) != 0 && req.method == "GET") {
        route_ = "static";
        return Send(ServeStatic(server_.app.web_dir(), req.path));
      }
      route_ = "unmatched";
      if (!match.allowed.empty()) {
        Reply r = ProblemReply(core::ErrorCode::kMethodNotAllowed,
                               req.method + " is not allowed on " + req.path);
        r.headers.emplace_back("Allow", match.allowed);
        return Send(std::move(r));
      }
      return Send(ProblemReply(core::ErrorCode::kNotFound, "no endpoint at " + req.path));
    }
    route_ = match.route->pattern;
    // The reply may come from a reader or writer thread: hop back onto this session's
    // executor before touching the stream — unless it is already running here (a handler
    // that answered at once).
    auto respond = [self = shared_from_this()](Reply reply) {
      if (self->OnOwnStrand()) return self->Send(std::move(reply));
      asio::post(self->stream_.get_executor(),
                 [self, reply = std::move(reply)]() mutable { self->Send(std::move(reply)); });
    };
    try {
      if (match.route->needs_auth) {
        // Who asks is settled before what they sent is judged: a caller without a valid
        // token learns nothing about the body rules.
        server_.app.Gate(std::move(req), std::move(respond), match.route->handler);
      } else {
        match.route->handler(req, std::move(respond));
      }
    } catch (const std::exception& e) {
      spdlog::error("handler {} threw: {}", route_, e.what());
      Send(ProblemReply(core::ErrorCode::kInternal, "the server failed; the error has been logged"));
    }
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
    route_ = "body_limit";
    Send(ProblemReply(core::ErrorCode::kPayloadTooLarge, "the body is too large for this endpoint"));
  }

  void Send(Reply reply) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(reply.status), 11);
    res->set(bhttp::field::server, "swabline");
    res->set(bhttp::field::content_type, reply.content_type);
    for (auto& [k, v] : reply.headers) res->set(k, v);
    res->body() = std::move(reply.body);
    if (server_.stopping) keep_alive_ = false;
    res->keep_alive(keep_alive_);
    res->prepare_payload();
    const int status = reply.status;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    server_.app.metrics().ObserveRequest(route_, status, seconds);
    if (server_.options.access_log)
      spdlog::info("{} {} {} {} {:.2f}ms {}", remote_, method_, LoggableTarget(target_), status,
                   seconds * 1e3, res->body().size());
    stream_.expires_after(kIoTimeout);
    bhttp::async_write(stream_, *res,
                       [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
                         self->OnWrite(ec);
                       });
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
    drain_.resize(64 * 1024);
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
  beast::flat_buffer buffer_;
  std::vector<char> drain_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_;
  std::string route_;
  std::string method_;
  std::string target_;
  bool keep_alive_ = true;
  bool first_ = true;
  std::chrono::steady_clock::time_point started_;
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

Server::~Server() { Stop(); }

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
  unsigned n = i.options.threads ? i.options.threads : std::max(1u, std::thread::hardware_concurrency());
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
