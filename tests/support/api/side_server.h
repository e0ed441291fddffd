#pragma once
// The routes of `vantus-controller serve` that the API suites' ApiServer does not mount:
// /healthz, /readyz, /api/v1/openapi.yaml and /agent/v1, wired as serve.cc wires them, on
// their own loopback port and over the same ControllerApp. Bundles are built on demand
// (publish()) instead of by serve's maintenance thread.
#include <memory>

#include "controller/api/agent_routes.h"
#include "controller/app/controller_app.h"
#include "controller/fleet/desired_releases.h"
#include "controller/server/http_server.h"

namespace vantus::testing {

class SideServer {
 public:
  explicit SideServer(controller::ControllerApp& app);
  ~SideServer();
  SideServer(const SideServer&) = delete;
  SideServer& operator=(const SideServer&) = delete;

  int port() const { return server_->port(); }
  // Builds the bundles of new releases and makes them the clusters' desired releases.
  void publish();
  // What /agent/v1 is served with (limits, trusted proxies), for a test to change.
  controller::AgentServices& agents() { return agents_; }

 private:
  controller::ControllerApp& app_;
  controller::DesiredReleases desired_;
  controller::AgentServices agents_;
  std::unique_ptr<controller::HttpServer> server_;
};

}  // namespace vantus::testing
