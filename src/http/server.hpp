#pragma once
/// The HTTP server. Beast and Asio stay inside server.cpp; callers see only this.

#include <cstdint>
#include <memory>
#include <string>

#include "http/client_address.hpp"

namespace swabline::http {

class App;
class Router;

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port
  unsigned threads = 0;       // 0 = one per core
  bool access_log = true;
  /// Connections open at once; one more is answered 503 too_many_connections and closed.
  int max_connections = 10000;
  /// Proxies whose X-Forwarded-For names the client (http/client_address.hpp).
  TrustedProxies trusted_proxies;
};

/// REQUIRES: `app` and `router` outlive the server.
class Server {
 public:
  Server(App& app, const Router& router, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and listens; throws std::runtime_error when the address cannot be had.
  void Start();
  /// The port actually bound (useful with port 0).
  std::uint16_t port() const;
  /// Blocks until SIGINT/SIGTERM or Stop(), then stops gracefully: the acceptor closes,
  /// in-flight requests finish (with Connection: close), and after a deadline the rest drop.
  void RunUntilSignal();
  void Stop();

  struct Impl;  // public so the .cpp's sessions can name it; defined only there

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace swabline::http
