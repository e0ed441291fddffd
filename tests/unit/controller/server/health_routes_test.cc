#include "controller/server/health_routes.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>

#include "common/log/log.h"
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
  CHECK(problem["detail"] == "not ready: controller failing; the controller's log has the details");
  CHECK(problem["failed"] == nlohmann::json::array({"controller"}));
  CHECK(not_ready->body.find("database is locked") == std::string::npos);

  f.ready = true;
  CHECK(f.get("/readyz")->status == 200);
}

TEST_CASE("/readyz names the failing checks and keeps their messages in the log") {
  auto bound = HttpServer::bind(HostPort{"127.0.0.1", 0});
  REQUIRE(bound);
  std::vector<ReadinessCheck> checks = {
      {"database", [] { return ok(); }},
      {"repository",
       []() -> Result<void> {
         return fail(ErrorCode::kIo, "cannot open /var/lib/vantus/config.git/HEAD");
       }},
      {"signing_key", [] { return ok(); }},
  };
  addHealthRoutes((*bound)->routes(), std::move(checks));
  (*bound)->start();
  std::string logged;
  std::mutex mutex;
  log::setSink([&](std::string_view line) {
    std::lock_guard<std::mutex> lock(mutex);
    logged.append(line);
  });
  httplib::Client client("127.0.0.1", (*bound)->port());
  client.set_read_timeout(std::chrono::seconds(30));
  auto result = client.Get("/readyz");
  (*bound)->stop();
  log::setSink(nullptr);
  REQUIRE(result);
  CHECK(result->status == 503);
  CHECK(result->get_header_value("Content-Type") == "application/problem+json");
  auto problem = nlohmann::json::parse(result->body);
  CHECK(problem["status"] == 503);
  CHECK(problem["type"] == "about:blank");
  CHECK(problem["failed"] == nlohmann::json::array({"repository"}));
  CHECK(problem["checks"] ==
        nlohmann::json{{"database", "ok"}, {"repository", "failing"}, {"signing_key", "ok"}});
  CHECK(problem["detail"] == "not ready: repository failing; the controller's log has the details");
  CHECK(result->body.find("/var/lib") == std::string::npos);
  CHECK(logged.find("readyz.check_failed") != std::string::npos);
  CHECK(logged.find("config.git/HEAD") != std::string::npos);
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
