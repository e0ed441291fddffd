#include "controller/server/health_routes.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "controller/server/http_server.h"

namespace vantus::controller {
namespace {

struct HealthFixture {
  std::atomic<bool> ready{true};
  std::unique_ptr<HttpServer> server;

  HealthFixture() {
    auto bound = HttpServer::bind(HostPort{"127.0.0.1", 0});
    REQUIRE(bound);
    server = std::move(*bound);
    addHealthRoutes(server->routes(), [this]() -> Result<void> {
      if (!ready) {
        return fail(ErrorCode::kUnavailable, "database is locked");
      }
      return ok();
    });
    server->start();
  }

  httplib::Result get(const std::string& path) {
    httplib::Client client("127.0.0.1", server->port());
    client.set_read_timeout(std::chrono::seconds(30));
    return client.Get(path);
  }
};

TEST_CASE("/healthz answers ok") {
  HealthFixture f;
  auto result = f.get("/healthz");
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(result->get_header_value("Content-Type") == "application/json");
  CHECK(result->get_header_value("Cache-Control") == "no-store");
  CHECK(nlohmann::json::parse(result->body) == nlohmann::json{{"status", "ok"}});
}

TEST_CASE("/healthz stays ok while the controller is not ready") {
  HealthFixture f;
  f.ready = false;
  auto result = f.get("/healthz");
  REQUIRE(result);
  CHECK(result->status == 200);
}

TEST_CASE("/readyz follows the readiness check") {
  HealthFixture f;
  auto ready = f.get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 200);
  CHECK(nlohmann::json::parse(ready->body) == nlohmann::json{{"status", "ready"}});

  f.ready = false;
  auto not_ready = f.get("/readyz");
  REQUIRE(not_ready);
  CHECK(not_ready->status == 503);
  CHECK(not_ready->get_header_value("Content-Type") == "application/problem+json");
  CHECK(not_ready->get_header_value("Cache-Control") == "no-store");
  auto problem = nlohmann::json::parse(not_ready->body);
  CHECK(problem["status"] == 503);
  CHECK(problem["title"] == "Service Unavailable");
  CHECK(problem["detail"] == "database is locked");

  f.ready = true;
  CHECK(f.get("/readyz")->status == 200);
}

TEST_CASE("an empty readiness check counts as ready") {
  auto bound = HttpServer::bind(HostPort{"127.0.0.1", 0});
  REQUIRE(bound);
  addHealthRoutes((*bound)->routes(), nullptr);
  (*bound)->start();
  httplib::Client client("127.0.0.1", (*bound)->port());
  auto result = client.Get("/readyz");
  REQUIRE(result);
  CHECK(result->status == 200);
}

}  // namespace
}  // namespace vantus::controller
