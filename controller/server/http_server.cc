#include "controller/server/http_server.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>

#include "common/log/log.h"
#include "controller/server/problem.h"
#include "controller/server/route_methods.h"

namespace vantus::controller {

// Debian builds cpp-httplib as a shared library, so CPPHTTPLIB_LISTEN_BACKLOG is fixed at
// compile time of libcpp-httplib (5, too small for a fleet of polling agents) and defining
// it here would change nothing. The subclass reaches the protected listening socket to
// raise the backlog, read the bound port and close it; it derives from Server or SSLServer.
class HttpServer::Listener {
 public:
  virtual ~Listener() = default;
  virtual httplib::Server& server() = 0;
  virtual bool setBacklog(int backlog) = 0;
  virtual uint16_t boundPort() const = 0;
  virtual void closeListeningSocket() = 0;
};

namespace {

template <typename Base>
class SocketListener final : public HttpServer::Listener, public Base {
 public:
  template <typename... Args>
  explicit SocketListener(Args&&... args) : Base(std::forward<Args>(args)...) {}

  httplib::Server& server() override { return *this; }

  // Linux updates the backlog of a socket that already listens.
  bool setBacklog(int backlog) override { return ::listen(this->svr_sock_, backlog) == 0; }

  uint16_t boundPort() const override {
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    if (::getsockname(this->svr_sock_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      return 0;
    }
    if (address.ss_family == AF_INET6) {
      return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
    }
    return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
  }

  // What httplib::Server::stop() does, minus its is_running() check: that flag is set by
  // the serving thread, so stop() right after start() would otherwise be lost. Also frees
  // the socket of a server that was bound but never started.
  void closeListeningSocket() override {
    socket_t socket = this->svr_sock_.exchange(INVALID_SOCKET);
    if (socket != INVALID_SOCKET) {
      ::shutdown(socket, SHUT_RDWR);
      ::close(socket);
    }
  }
};

Result<std::unique_ptr<HttpServer::Listener>> makeListener(const HttpServerOptions& options) {
  if (options.tls_cert_file.empty()) {
    return std::unique_ptr<HttpServer::Listener>(new SocketListener<httplib::Server>());
  }
  auto listener = std::make_unique<SocketListener<httplib::SSLServer>>(
      options.tls_cert_file.c_str(), options.tls_key_file.c_str());
  if (!listener->is_valid()) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("cannot load the TLS certificate {} with key {}",
                            options.tls_cert_file.string(), options.tls_key_file.string()),
                "tls_cert_file");
  }
  return std::unique_ptr<HttpServer::Listener>(std::move(listener));
}

// httplib's default sets SO_REUSEPORT, which lets a second process bind the same port
// without an error. SO_REUSEADDR alone still allows a quick restart over TIME_WAIT
// connections; FD_CLOEXEC keeps the socket out of spawned `nginx -t` processes.
void listeningSocketOptions(socket_t socket) {
  int yes = 1;
  ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  ::fcntl(socket, F_SETFD, FD_CLOEXEC);
}

std::string defaultDetail(const httplib::Request& request, int status, size_t max_body_bytes) {
  switch (status) {
    case 404:
      return fmt::format("there is nothing at {}", request.path);
    case 405:
      return fmt::format("{} is not allowed on {}", request.method, request.path);
    case 413:
      return fmt::format("the request body is larger than {} bytes", max_body_bytes);
    default:
      return std::string(httpStatusTitle(status));
  }
}

bool takesBody(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

// httplib reads a POST/PUT/PATCH without Content-Length or chunked framing until the peer
// closes, so a bodyless `curl -X PUT` waits out the read timeout for a bare 400. The
// headers already say what is wrong: answer that at once.
void installBodyRequirement(httplib::Server& server) {
  server.set_pre_routing_handler([](const httplib::Request& request, httplib::Response& response) {
    if (takesBody(request.method) && !request.has_header("Content-Length") &&
        !request.has_header("Transfer-Encoding")) {
      sendProblem(response, 411, httpStatusTitle(411),
                  fmt::format("{} {} needs a request body sent with a Content-Length header "
                              "(a JSON document, at least {{}})",
                              request.method, request.path));
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
}

// 405 with `Allow` when other methods serve the path; false (nothing sent) otherwise.
bool answerWrongMethod(const httplib::Server& server, const httplib::Request& request,
                       httplib::Response& response) {
  std::vector<std::string> allowed = methodsMatching(server, request.path);
  if (allowed.empty()) {
    return false;
  }
  const std::string allow = fmt::format("{}", fmt::join(allowed, ", "));
  response.set_header("Allow", allow);
  sendProblem(
      response, 405, httpStatusTitle(405),
      fmt::format("{} is not allowed on {}; it allows {}", request.method, request.path, allow));
  return true;
}

// httplib caps a Content-Length body but appends a chunked one to req.body without limit.
// A content-reader route that matches every body-carrying request reads the body itself:
// past the cap it keeps draining what the client sends (as httplib does for an over-long
// Content-Length) without keeping it, then answers 413. Under the cap it hands the body to
// the plain route that httplib would have chosen.
void installBodyReader(httplib::Server& server, size_t max_body_bytes) {
  auto reader = [&server, max_body_bytes](const httplib::Request& request,
                                          httplib::Response& response,
                                          const httplib::ContentReader& content) {
    std::string body;
    bool too_large = false;
    const bool complete = content([&](const char* data, size_t length) {
      if (too_large || body.size() + length > max_body_bytes) {
        too_large = true;
        body.clear();
        return true;
      }
      body.append(data, length);
      return true;
    });
    if (too_large || response.status == 413) {
      sendProblem(response, 413, httpStatusTitle(413),
                  fmt::format("the request body is larger than {} bytes", max_body_bytes));
      return;
    }
    if (!complete) {
      sendProblem(response, 400, httpStatusTitle(400), "the request body could not be read");
      return;
    }
    httplib::Request routed = request;
    routed.body = std::move(body);
    const httplib::Server::Handler* handler = bodyRouteFor(server, routed.method, routed);
    if (handler == nullptr) {
      if (!answerWrongMethod(server, request, response)) {
        sendProblem(response, 404, httpStatusTitle(404),
                    fmt::format("there is nothing at {}", request.path));
      }
      return;
    }
    (*handler)(routed, response);
  };
  server.Post(".*", reader);
  server.Put(".*", reader);
  server.Patch(".*", reader);
  server.Delete(".*", reader);
}

void installErrorResponses(httplib::Server& server, size_t max_body_bytes) {
  server.set_error_handler(
      [&server, max_body_bytes](const httplib::Request& request, httplib::Response& response) {
        // httplib answers 404 when no route of the request's method matches; a path that
        // other methods serve is a 405 that says which.
        if (response.status == 404 && response.body.empty() &&
            answerWrongMethod(server, request, response)) {
          return;
        }
        if (response.body.empty()) {
          sendProblem(response, response.status, httpStatusTitle(response.status),
                      defaultDetail(request, response.status, max_body_bytes));
        }
      });
  server.set_exception_handler(
      [](const httplib::Request& request, httplib::Response& response, std::exception_ptr thrown) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(thrown);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        log::error("http.handler_exception",
                   {{"method", request.method}, {"path", request.path}, {"what", what}});
        sendProblem(response, 500, httpStatusTitle(500),
                    "the controller could not complete the request; its log has the details");
      });
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::bind(const HostPort& address,
                                                     const HttpServerOptions& options) {
  VANTUS_TRY(std::unique_ptr<Listener> made, makeListener(options));
  httplib::Server* listener = &made->server();
  listener->set_socket_options(listeningSocketOptions);
  listener->set_tcp_nodelay(true);
  listener->set_payload_max_length(options.max_body_bytes);
  listener->set_read_timeout(options.read_timeout);
  listener->set_write_timeout(options.write_timeout);
  listener->set_keep_alive_timeout(options.keep_alive_timeout.count());
  listener->set_keep_alive_max_count(std::max<size_t>(options.keep_alive_max_requests, 1));
  size_t workers = std::max<size_t>(options.worker_threads, 1);
  listener->new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  installErrorResponses(*listener, options.max_body_bytes);
  installBodyRequirement(*listener);
  installBodyReader(*listener, options.max_body_bytes);

  std::string host = address.host;
  if (host == "localhost") {
    // getaddrinfo would usually put ::1 first, and a socket on ::1 does not answer
    // 127.0.0.1, which is what most clients try for "localhost".
    host = "127.0.0.1";
  }
  errno = 0;
  if (!listener->bind_to_port(host, address.port)) {
    int bind_errno = errno;
    return fail(ErrorCode::kUnavailable,
                fmt::format("cannot listen on {}: {}", address.toString(),
                            bind_errno != 0 ? std::strerror(bind_errno) : "bind failed"));
  }
  if (!made->setBacklog(options.listen_backlog)) {
    log::warn("http.backlog_unchanged",
              {{"backlog", options.listen_backlog}, {"error", std::strerror(errno)}});
  }
  uint16_t port = made->boundPort();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(made), port));
}

HttpServer::HttpServer(std::unique_ptr<Listener> listener, uint16_t port)
    : listener_(std::move(listener)), port_(port) {}

HttpServer::~HttpServer() { stop(); }

httplib::Server& HttpServer::routes() { return listener_->server(); }

void HttpServer::start() {
  if (thread_.joinable()) {
    return;
  }
  thread_ = std::thread([server = &listener_->server()] { server->listen_after_bind(); });
}

void HttpServer::stop() {
  // httplib's serving loop leaves accept() once the socket is shut down, then joins its
  // workers after they finish their current connection.
  listener_->closeListeningSocket();
  if (thread_.joinable()) {
    thread_.join();
  }
}

}  // namespace vantus::controller
