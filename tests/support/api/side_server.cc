#include "tests/support/api/side_server.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include "common/core/files.h"
#include "controller/api/api_routes.h"
#include "controller/app/serve.h"
#include "controller/server/health_routes.h"

namespace vantus::testing {

SideServer::SideServer(controller::ControllerApp& app)
    : app_(app),
      desired_(app.store(), /*max_waiters=*/8, std::chrono::milliseconds(50)),
      agents_(controller::agentServicesOf(app, desired_)) {
  agents_.max_wait = std::chrono::seconds(1);
  REQUIRE(desired_.start());
  auto server = controller::HttpServer::bind(controller::HostPort{"127.0.0.1", 0});
  REQUIRE(server);
  server_ = std::move(*server);
  controller::addHealthRoutes(server_->routes(), [this] { return app_.readiness(); });
  auto spec = readFile(VANTUS_SOURCE_DIR "/schema/openapi.yaml");
  REQUIRE(spec);
  controller::addSpecRoute(server_->routes(), std::move(*spec));
  controller::addAgentRoutes(server_->routes(), agents_);
  server_->start();
}

SideServer::~SideServer() {
  desired_.stop();  // wakes long polls first, so that stop() does not wait for them
  server_->stop();
}

void SideServer::publish() {
  REQUIRE(app_.deployments().materializePending());
  REQUIRE(desired_.refresh());
}

}  // namespace vantus::testing
