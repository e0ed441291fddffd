#pragma once
// The controller's HTTP/1.1 listener: cpp-httplib with bounded bodies, timeouts and a
// fixed worker pool. Errors without a body (404, 405, 413…) and exceptions escaping a
// handler are answered with application/problem+json.
//
// Lifecycle: bind() -> add routes through routes() -> start() -> stop(). Routes must be
// added before start(). stop() and the destructor close the listening socket, let the
// requests in flight finish and join every thread; a client idling on a keep-alive
// connection can hold stop() for up to `keep_alive_timeout`. Only the owning thread
// calls start()/stop(); handlers run on the worker threads.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <thread>

#include "common/core/result.h"
#include "controller/server/host_port.h"

namespace httplib {
class Server;
}

namespace vantus::controller {

struct HttpServerOptions {
  size_t max_body_bytes = 1u << 20;  // larger request bodies get 413
  std::chrono::seconds read_timeout{10};
  std::chrono::seconds write_timeout{10};
  std::chrono::seconds keep_alive_timeout{5};
  size_t keep_alive_max_requests = 100;  // per connection, then the server closes it
  // Each worker serves one connection at a time (including its keep-alive idle time);
  // further accepted connections wait in a queue.
  size_t worker_threads = 16;
  int listen_backlog = 1024;  // the kernel caps it at net.core.somaxconn
  // HTTPS when both are set (PEM files; the certificate file may hold the chain).
  std::filesystem::path tls_cert_file{};
  std::filesystem::path tls_key_file{};
};

class HttpServer {
 public:
  // Binds and listens at once, so a taken address fails here, at startup (kUnavailable).
  // Port 0 binds a free port; port() reports it. "localhost" binds 127.0.0.1.
  // kInvalidInput when the TLS certificate or key cannot be loaded.
  static Result<std::unique_ptr<HttpServer>> bind(const HostPort& address,
                                                  const HttpServerOptions& options = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  httplib::Server& routes();
  uint16_t port() const { return port_; }

  // Serves on a background thread. Calling it again has no effect.
  void start();
  // Graceful: stops accepting, finishes requests in flight, joins. Idempotent.
  void stop();

  // The listening socket behind routes(); defined in the .cc.
  class Listener;

 private:
  HttpServer(std::unique_ptr<Listener> listener, uint16_t port);

  std::unique_ptr<Listener> listener_;
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace vantus::controller
