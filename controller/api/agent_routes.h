#pragma once
// /agent/v1: what edge agents call. Enrolment takes a one-time token; everything else the
// node credential (Authorization: Bearer vn_…, never in a URL). A client address that keeps
// failing to authenticate is refused before any credential is looked at, and each node has
// a request budget (AgentServices). A no-change poll of
// /agent/v1/desired reads memory only: no SQL, no signing. Handlers run on httplib's workers.
#include <filesystem>
#include <memory>

#include "controller/api/rate_limiter.h"
#include "controller/fleet/desired_releases.h"
#include "controller/fleet/fleet_service.h"
#include "controller/server/client_address.h"

namespace httplib {
class Server;
}

namespace vantus::controller {

struct AgentServices {
  FleetService& fleet;
  DesiredReleases& desired;
  std::filesystem::path bundles;  // <digest>.bundle files
  std::chrono::seconds max_wait{30};
  TrustedProxies proxies{};  // whose forwarding headers name the client
  // Failed authentications (bad node credentials, bad enrolment tokens) per client address,
  // and requests per enrolled node; over either, 429 with Retry-After. 0 per minute is off.
  RateRule auth_failures{60, 20};
  RateRule node_requests{240, 60};
  std::shared_ptr<RateLimiter> limiter = std::make_shared<RateLimiter>();
};

// `services` must outlive the server.
void addAgentRoutes(httplib::Server& server, AgentServices& services);

}  // namespace vantus::controller
