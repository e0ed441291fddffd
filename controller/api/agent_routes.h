#pragma once
// /agent/v1: what edge agents call. Enrolment takes a one-time token; everything else the
// node credential (Authorization: Bearer vn_…, never in a URL). A no-change poll of
// /agent/v1/desired reads memory only: no SQL, no signing. Handlers run on httplib's workers.
#include <filesystem>

#include "controller/fleet/desired_releases.h"
#include "controller/fleet/fleet_service.h"

namespace httplib {
class Server;
}

namespace vantus::controller {

struct AgentServices {
  FleetService& fleet;
  DesiredReleases& desired;
  std::filesystem::path bundles;  // <digest>.bundle files
  std::chrono::seconds max_wait{30};
};

// `services` must outlive the server.
void addAgentRoutes(httplib::Server& server, AgentServices& services);

}  // namespace vantus::controller
