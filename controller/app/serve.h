#pragma once
// `vantus-controller serve`: the HTTP server (health routes now; the API, UI and agent
// routes hang off the same server), the app's publishing loop (signatures, bundles and
// renewals; controller/deploy/publishing_loop.h) and a graceful stop on SIGTERM/SIGINT.
#include <optional>

#include "common/core/result.h"
#include "controller/api/agent_routes.h"
#include "controller/api/api_routes.h"
#include "controller/app/controller_app.h"
#include "controller/server/host_port.h"

namespace vantus::controller {

// The REST API's services out of the app, with the limits of its controller.yaml.
ApiServices apiServicesOf(ControllerApp& app);
// The agent API's services out of the app, with the limits of its controller.yaml;
// `desired` must outlive them.
AgentServices agentServicesOf(ControllerApp& app, DesiredReleases& desired);

// Blocks until SIGTERM or SIGINT. Call blockTerminationSignals() before any thread starts.
Result<void> serve(ControllerApp& app, const std::optional<HostPort>& listen_override);

}  // namespace vantus::controller
