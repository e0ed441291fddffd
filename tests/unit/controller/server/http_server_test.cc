#include "controller/server/http_server.h"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/log/log.h"
#include "tests/support/temp_dir.h"

namespace vantus::controller {
namespace {

std::unique_ptr<HttpServer> bindLoopback(const HttpServerOptions& options = {}) {
  auto server = HttpServer::bind(HostPort{"127.0.0.1", 0}, options);
  if (!server) {
    FAIL(server.error().describe());
  }
  REQUIRE((*server)->port() != 0);
  return std::move(*server);
}

httplib::Client clientFor(const HttpServer& server, const std::string& host = "127.0.0.1") {
  httplib::Client client(host, server.port());
  client.set_connection_timeout(std::chrono::seconds(10));
  client.set_read_timeout(std::chrono::seconds(30));
  return client;
}

nlohmann::json problemOf(const httplib::Result& result, int status) {
  REQUIRE(result);
  CHECK(result->status == status);
  CHECK(result->get_header_value("Content-Type") == "application/problem+json");
  auto body = nlohmann::json::parse(result->body);
  CHECK(body["status"] == status);
  CHECK(body["type"] == "about:blank");
  CHECK(body["title"].is_string());
  CHECK(body["detail"].is_string());
  return body;
}

TEST_CASE("a server bound to port 0 reports its port and answers routes") {
  auto server = bindLoopback();
  server->routes().Get("/hello", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("hi", "text/plain");
  });
  server->start();
  auto client = clientFor(*server);
  auto result = client.Get("/hello");
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(result->body == "hi");
  server->stop();
}

TEST_CASE("an address in use is an error at bind time") {
  auto first = bindLoopback();
  auto second = HttpServer::bind(HostPort{"127.0.0.1", first->port()});
  REQUIRE_FALSE(second);
  CHECK(second.error().code == ErrorCode::kUnavailable);
  CHECK(second.error().message.find("in use") != std::string::npos);
  CHECK(second.error().message.find(std::to_string(first->port())) != std::string::npos);
}

TEST_CASE("a bound server that never started frees its port when destroyed") {
  uint16_t port = 0;
  {
    auto server = bindLoopback();
    port = server->port();
  }
  auto again = HttpServer::bind(HostPort{"127.0.0.1", port});
  if (!again) {
    FAIL(again.error().describe());
  }
}

TEST_CASE("localhost binds the IPv4 loopback") {
  auto server = HttpServer::bind(HostPort{"localhost", 0});
  REQUIRE(server);
  (*server)->routes().Get("/x", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("x", "text/plain");
  });
  (*server)->start();
  auto client = clientFor(**server, "127.0.0.1");
  auto result = client.Get("/x");
  REQUIRE(result);
  CHECK(result->status == 200);
}

TEST_CASE("an IPv6 loopback address can be bound") {
  if (!std::ifstream("/proc/net/if_inet6")) {
    MESSAGE("no IPv6 on this host");
    return;
  }
  auto server = HttpServer::bind(HostPort{"::1", 0});
  if (!server) {
    FAIL(server.error().describe());
  }
  (*server)->routes().Get("/x", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("x", "text/plain");
  });
  (*server)->start();
  auto client = clientFor(**server, "::1");
  auto result = client.Get("/x");
  REQUIRE(result);
  CHECK(result->status == 200);
}

TEST_CASE("the listen backlog is raised beyond httplib's compiled-in 5") {
  auto server = bindLoopback();
  auto ss =
      vantus::testing::runCommand("ss -Hltn 'sport = :" + std::to_string(server->port()) + "'");
  if (ss.exit_code != 0) {
    MESSAGE("ss is not available: " << ss.output);
    return;
  }
  int somaxconn = 4096;
  std::ifstream("/proc/sys/net/core/somaxconn") >> somaxconn;
  int expected = std::min(1024, somaxconn);
  // "LISTEN 0 1024 127.0.0.1:port 0.0.0.0:*": the third column is the backlog.
  std::istringstream columns(ss.output);
  std::string state, queued;
  int backlog = 0;
  columns >> state >> queued >> backlog;
  CHECK(state == "LISTEN");
  CHECK(backlog == expected);
}

TEST_CASE("unknown paths get a 404 problem") {
  auto server = bindLoopback();
  server->start();
  auto client = clientFor(*server);
  auto body = problemOf(client.Get("/missing"), 404);
  CHECK(body["title"] == "Not Found");
  CHECK(body["detail"] == "there is nothing at /missing");
}

TEST_CASE("a known path with a wrong method gets 405 with the methods it allows") {
  auto server = bindLoopback();
  auto answer = [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok", "text/plain");
  };
  server->routes().Get(R"(/clusters/(\d+))", answer);
  server->routes().Put(R"(/clusters/(\d+))", answer);
  server->routes().Delete(R"(/clusters/(\d+))", answer);
  server->routes().Post("/clusters", answer);
  server->start();
  auto client = clientFor(*server);

  auto post = client.Post("/clusters/2", "{}", "application/json");
  auto body = problemOf(post, 405);
  CHECK(post->get_header_value("Allow") == "GET, HEAD, PUT, DELETE");
  CHECK(body["title"] == "Method Not Allowed");
  CHECK(body["detail"] == "POST is not allowed on /clusters/2; it allows GET, HEAD, PUT, DELETE");

  auto del = client.Delete("/clusters");
  problemOf(del, 405);
  CHECK(del->get_header_value("Allow") == "POST");

  problemOf(client.Get("/clusters/x"), 404);
  CHECK(client.Get("/clusters/2")->status == 200);
}

TEST_CASE("a body over the cap gets 413; one at the cap is served") {
  auto server = bindLoopback();
  server->routes().Post("/upload",
                        [](const httplib::Request& request, httplib::Response& response) {
                          response.set_content(std::to_string(request.body.size()), "text/plain");
                        });
  server->start();
  auto client = clientFor(*server);

  auto at_cap = client.Post("/upload", std::string(1u << 20, 'a'), "application/octet-stream");
  REQUIRE(at_cap);
  CHECK(at_cap->status == 200);
  CHECK(at_cap->body == std::to_string(1u << 20));

  auto over = client.Post("/upload", std::string((1u << 20) + 1, 'a'), "application/octet-stream");
  auto body = problemOf(over, 413);
  CHECK(body["detail"] == "the request body is larger than 1048576 bytes");
}

// Sends `raw` as is and returns everything the server answers before it closes.
std::string rawExchange(const HttpServer& server, const std::string& raw) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(server.port());
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
  REQUIRE(::send(fd, raw.data(), raw.size(), 0) == static_cast<ssize_t>(raw.size()));
  std::string answer;
  char buffer[4096];
  for (ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0); n > 0;
       n = ::recv(fd, buffer, sizeof(buffer), 0)) {
    answer.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return answer;
}

TEST_CASE("a PUT or POST without a body is a 411 problem saying so, at once") {
  HttpServerOptions options;
  // Reading until the peer closes would take the whole read timeout: the test would hang.
  options.read_timeout = std::chrono::seconds(60);
  auto server = bindLoopback(options);
  server->routes().Put("/clusters/2", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("put", "text/plain");
  });
  server->start();
  for (const std::string method : {"PUT", "POST", "PATCH"}) {
    CAPTURE(method);
    const std::string answer = rawExchange(
        *server, method + " /clusters/2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(answer.starts_with("HTTP/1.1 411 "));
    CHECK(answer.find("Content-Type: application/problem+json") != std::string::npos);
    const auto body = nlohmann::json::parse(answer.substr(answer.find("\r\n\r\n") + 4));
    CHECK(body["status"] == 411);
    CHECK(body["title"] == "Length Required");
    CHECK(body["detail"] == method +
                                " /clusters/2 needs a request body sent with a Content-Length "
                                "header (a JSON document, at least {})");
  }
  auto client = clientFor(*server);
  auto empty = client.Put("/clusters/2", "", "application/json");
  REQUIRE(empty);
  CHECK(empty->status == 200);
}

// A chunked request of `total` bytes in 64 KiB chunks.
std::string chunkedPost(const std::string& path, size_t total) {
  std::string raw = "POST " + path +
                    " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n";
  const std::string chunk(64 * 1024, 'a');
  for (size_t sent = 0; sent < total; sent += chunk.size()) {
    const size_t size = std::min(chunk.size(), total - sent);
    raw += fmt::format("{:x}\r\n", size);
    raw.append(chunk, 0, size);
    raw += "\r\n";
  }
  raw += "0\r\n\r\n";
  return raw;
}

TEST_CASE("a chunked body over the cap gets the same 413 problem, and is never kept whole") {
  auto server = bindLoopback();
  std::atomic<size_t> largest{0};
  server->routes().Post("/upload",
                        [&largest](const httplib::Request& request, httplib::Response& response) {
                          largest = std::max(largest.load(), request.body.size());
                          response.set_content(std::to_string(request.body.size()), "text/plain");
                        });
  server->start();

  const std::string over = rawExchange(*server, chunkedPost("/upload", 5u << 20));
  CHECK(over.starts_with("HTTP/1.1 413 "));
  CHECK(over.find("Content-Type: application/problem+json") != std::string::npos);
  const auto body = nlohmann::json::parse(over.substr(over.find("\r\n\r\n") + 4));
  CHECK(body["detail"] == "the request body is larger than 1048576 bytes");
  CHECK(largest == 0);

  const std::string at_cap = rawExchange(*server, chunkedPost("/upload", 1u << 20));
  CHECK(at_cap.starts_with("HTTP/1.1 200 "));
  CHECK(at_cap.ends_with("\r\n\r\n" + std::to_string(1u << 20)));
}

TEST_CASE("routes see path captures and bodies as before") {
  auto server = bindLoopback();
  server->routes().Put(
      R"(/items/(\d+))", [](const httplib::Request& request, httplib::Response& response) {
        response.set_content(request.matches[1].str() + ":" + request.body, "text/plain");
      });
  server->start();
  auto client = clientFor(*server);
  auto put = client.Put("/items/42", "hello", "text/plain");
  REQUIRE(put);
  CHECK(put->status == 200);
  CHECK(put->body == "42:hello");
  problemOf(client.Put("/nothing", "x", "text/plain"), 404);
  auto wrong = client.Post("/items/42", "x", "text/plain");
  problemOf(wrong, 405);
  CHECK(wrong->get_header_value("Allow") == "PUT");
}

TEST_CASE("the body cap is configurable") {
  HttpServerOptions options;
  options.max_body_bytes = 16;
  auto server = bindLoopback(options);
  server->routes().Post("/upload", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok", "text/plain");
  });
  server->start();
  auto client = clientFor(*server);
  CHECK(client.Post("/upload", std::string(16, 'a'), "text/plain")->status == 200);
  problemOf(client.Post("/upload", std::string(17, 'a'), "text/plain"), 413);
}

TEST_CASE("an exception escaping a handler is a 500 problem that does not leak its message") {
  auto server = bindLoopback();
  server->routes().Get("/boom", [](const httplib::Request&, httplib::Response&) {
    throw std::runtime_error("secret internal detail");
  });
  server->start();
  std::mutex mutex;
  std::string logged;
  log::setSink([&](std::string_view line) {
    std::lock_guard<std::mutex> lock(mutex);
    logged.append(line);
  });
  auto client = clientFor(*server);
  auto result = client.Get("/boom");
  server->stop();
  log::setSink(nullptr);
  auto body = problemOf(result, 500);
  CHECK(result->body.find("secret") == std::string::npos);
  CHECK_FALSE(result->has_header("EXCEPTION_WHAT"));
  CHECK(logged.find("http.handler_exception") != std::string::npos);
  CHECK(logged.find("secret internal detail") != std::string::npos);
}

TEST_CASE("a body set by the handler is kept on error statuses") {
  auto server = bindLoopback();
  server->routes().Get("/teapot", [](const httplib::Request&, httplib::Response& response) {
    response.status = 418;
    response.set_content("short and stout", "text/plain");
  });
  server->start();
  auto client = clientFor(*server);
  auto result = client.Get("/teapot");
  REQUIRE(result);
  CHECK(result->status == 418);
  CHECK(result->body == "short and stout");
}

TEST_CASE("stop() while idle returns, and is idempotent") {
  auto server = bindLoopback();
  server->start();
  server->start();
  server->stop();
  server->stop();
  auto client = clientFor(*server);
  client.set_connection_timeout(std::chrono::seconds(2));
  CHECK_FALSE(client.Get("/anything"));
}

TEST_CASE("stop() right after start() is not lost") {
  for (int i = 0; i < 20; ++i) {
    auto server = bindLoopback();
    server->start();
    server->stop();
  }
}

TEST_CASE("stop() lets a request in flight finish") {
  auto server = bindLoopback();
  std::promise<void> entered;
  server->routes().Get("/slow", [&entered](const httplib::Request&, httplib::Response& response) {
    entered.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    response.set_content("done", "text/plain");
  });
  server->start();
  auto pending = std::async(std::launch::async, [&server] {
    auto client = clientFor(*server);
    client.set_keep_alive(false);
    auto result = client.Get("/slow");
    return result ? result->body : std::string("request failed");
  });
  entered.get_future().wait();
  server->stop();
  CHECK(pending.get() == "done");
}

TEST_CASE("stop() finishes once idle keep-alive connections time out") {
  HttpServerOptions options;
  options.keep_alive_timeout = std::chrono::seconds(1);
  auto server = bindLoopback(options);
  server->routes().Get("/x", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("x", "text/plain");
  });
  server->start();
  auto client = clientFor(*server);
  client.set_keep_alive(true);
  REQUIRE(client.Get("/x"));
  server->stop();
  CHECK_FALSE(client.Get("/x"));
}

}  // namespace
}  // namespace vantus::controller
