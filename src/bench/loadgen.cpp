#include "bench/loadgen.hpp"

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <memory>
#include <optional>
#include <vector>

namespace swabline::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

namespace {

std::uint64_t MicrosBetween(SteadyClock::time_point from, SteadyClock::time_point to) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(to - from).count();
  return us < 0 ? 0 : static_cast<std::uint64_t>(us);
}

std::string Shorten(std::string_view text) { return std::string(text.substr(0, 300)); }

class LoadConnection;

/// What every connection of one run shares. Touched only on the run's one thread.
struct Run {
  Run(const LoadOptions& o, const NextRequest& n, const OnResponse& r)
      : options(o), next(n), on_response(r), watchdog(ioc) {}

  const LoadOptions& options;
  const NextRequest& next;
  const OnResponse& on_response;
  asio::io_context ioc{1};
  asio::steady_timer watchdog;
  LoadResult result;
  SteadyClock::time_point start;
  SteadyClock::time_point deadline;
  SteadyClock::time_point last_answer;
  bool has_deadline = false;
  bool paced = false;
  SteadyClock::duration interval{};  // between one connection's sends, when paced
  std::size_t active = 0;
  std::vector<std::unique_ptr<LoadConnection>> connections;

  void NoteError(const std::string& what) {
    if (result.first_error.empty()) result.first_error = Shorten(what);
  }
  void ConnectionDone() {
    if (--active == 0) watchdog.cancel();
  }
};

/// One keep-alive connection: write a request, read its answer, record, repeat.
class LoadConnection {
 public:
  LoadConnection(Run& run, std::size_t index)
      : run_(run), index_(index), socket_(run.ioc), timer_(run.ioc) {}

  void Connect(const tcp::endpoint& endpoint) {
    socket_.async_connect(endpoint, [this](beast::error_code ec) {
      if (ec) {
        ++run_.result.transport_errors;
        run_.NoteError("connect: " + ec.message());
        done_ = true;
        return;
      }
      socket_.set_option(tcp::no_delay(true));
    });
  }

  bool connected() const { return !done_; }

  void Start(SteadyClock::time_point first_send) {
    ++run_.active;
    next_send_ = first_send;
    Next();
  }

  /// Abandons the connection (the watchdog ran out).
  void Abort() {
    beast::error_code ignored;
    timer_.cancel();
    socket_.close(ignored);
  }

 private:
  void Next() {
    const auto now = SteadyClock::now();
    if (run_.paced) {
      intended_ = next_send_;
      next_send_ += run_.interval;
    } else {
      intended_ = now;
    }
    if (run_.has_deadline && intended_ >= run_.deadline) return Finish();
    if (!run_.next(index_, wire_)) return Finish();
    if (intended_ > now) {
      timer_.expires_at(intended_);
      timer_.async_wait([this](beast::error_code ec) {
        if (ec) return Fail(ec, "pacing");
        Write();
      });
      return;
    }
    Write();
  }

  void Write() {
    asio::async_write(socket_, asio::buffer(wire_), [this](beast::error_code ec, std::size_t) {
      if (ec) return Fail(ec, "write");
      Read();
    });
  }

  void Read() {
    parser_.emplace();
    parser_->body_limit(run_.options.body_limit);
    bhttp::async_read(socket_, buffer_, *parser_, [this](beast::error_code ec, std::size_t) {
      if (ec) return Fail(ec, "read");
      OnAnswer();
    });
  }

  void OnAnswer() {
    const auto now = SteadyClock::now();
    auto& res = parser_->get();
    const int status = static_cast<int>(res.result_int());
    auto& r = run_.result;
    const auto micros = MicrosBetween(intended_, now);
    r.latency.Record(micros);
    ++r.responses;
    ++r.statuses[status];
    if (status == run_.options.ok_status) {
      r.ok_latency.Record(micros);
      ++r.ok;
    } else {
      ++r.errors;
      if (r.first_error.empty()) r.first_error = std::to_string(status) + " " + Shorten(res.body());
    }
    run_.last_answer = now;
    if (run_.on_response) run_.on_response(index_, status, res.body());
    if (!res.keep_alive()) {
      run_.NoteError("the server closed a keep-alive connection");
      return Finish();
    }
    Next();
  }

  void Fail(beast::error_code ec, const char* where) {
    if (done_) return;
    ++run_.result.transport_errors;
    run_.NoteError(std::string(where) + ": " + ec.message());
    Finish();
  }

  void Finish() {
    if (done_) return;
    done_ = true;
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    run_.ConnectionDone();
  }

  Run& run_;
  std::size_t index_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
  std::string wire_;
  SteadyClock::time_point intended_;
  SteadyClock::time_point next_send_;
  bool done_ = false;
};

}  // namespace

LoadResult RunLoad(const LoadOptions& options, const NextRequest& next,
                   const OnResponse& on_response) {
  Run run(options, next, on_response);
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.host, ec);
  if (ec) {
    run.result.first_error = "bad host '" + options.host + "'";
    run.result.transport_errors = 1;
    return std::move(run.result);
  }
  const tcp::endpoint endpoint(address, options.port);
  const std::size_t n = std::max<std::size_t>(1, options.connections);
  for (std::size_t i = 0; i < n; ++i) {
    run.connections.push_back(std::make_unique<LoadConnection>(run, i));
    run.connections.back()->Connect(endpoint);
  }
  run.ioc.run();  // every connect completes (or fails) before the clock starts
  run.ioc.restart();

  run.start = SteadyClock::now();
  run.last_answer = run.start;
  run.has_deadline = options.duration.count() > 0;
  run.deadline = run.start + options.duration;
  run.paced = options.rate > 0;
  if (run.paced) {
    run.interval = std::chrono::duration_cast<SteadyClock::duration>(
        std::chrono::duration<double>(static_cast<double>(n) / options.rate));
  }
  for (std::size_t i = 0; i < n; ++i) {
    auto& c = *run.connections[i];
    if (!c.connected()) continue;
    // Paced connections start spread over one interval, not all at once.
    c.Start(run.start + run.interval * static_cast<long>(i) / static_cast<long>(n));
  }
  if (run.active > 0) {
    auto limit = options.give_up;
    if (run.has_deadline) limit = std::min(limit, options.duration + std::chrono::seconds(30));
    run.watchdog.expires_after(limit);
    run.watchdog.async_wait([&run](beast::error_code wec) {
      if (wec) return;
      run.NoteError("gave up: requests still unanswered after the time limit");
      for (auto& c : run.connections) c->Abort();
    });
  }
  run.ioc.run();
  run.result.seconds = std::chrono::duration<double>(run.last_answer - run.start).count();
  return std::move(run.result);
}

void BuildRequestInto(std::string& wire, std::string_view method, std::string_view target,
                      std::string_view token, std::string_view content_type,
                      std::string_view body) {
  wire.clear();
  wire += method;
  wire += ' ';
  wire += target;
  wire += " HTTP/1.1\r\nHost: bench\r\n";
  if (!token.empty()) {
    wire += "Authorization: Bearer ";
    wire += token;
    wire += "\r\n";
  }
  if (!content_type.empty()) {
    wire += "Content-Type: ";
    wire += content_type;
    wire += "\r\n";
  }
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    wire += "Content-Length: ";
    wire += std::to_string(body.size());
    wire += "\r\n";
  }
  wire += "\r\n";
  wire += body;
}

std::string BuildRequest(std::string_view method, std::string_view target, std::string_view token,
                         std::string_view content_type, std::string_view body) {
  std::string wire;
  BuildRequestInto(wire, method, target, token, content_type, body);
  return wire;
}

FetchResult Fetch(const std::string& host, std::uint16_t port, const std::string& wire,
                  std::chrono::milliseconds timeout) {
  FetchResult out;
  beast::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) {
    out.error = "bad host '" + host + "'";
    return out;
  }
  // Asynchronous on a private io_context so that the stream's timeout holds for every step.
  asio::io_context ioc{1};
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(256 << 20);
  auto fail = [&out](beast::error_code e, const char* where) {
    out.status = 0;
    out.error = std::string(where) + ": " + e.message();
  };
  stream.expires_after(timeout);
  stream.async_connect(tcp::endpoint(address, port), [&](beast::error_code e) {
    if (e) return fail(e, "connect");
    asio::async_write(stream, asio::buffer(wire), [&](beast::error_code e2, std::size_t) {
      if (e2) return fail(e2, "write");
      bhttp::async_read(stream, buffer, parser, [&](beast::error_code e3, std::size_t) {
        if (e3) return fail(e3, "read");
        out.status = static_cast<int>(parser.get().result_int());
        out.body = std::move(parser.get().body());
      });
    });
  });
  ioc.run();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return out;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

}  // namespace swabline::bench
