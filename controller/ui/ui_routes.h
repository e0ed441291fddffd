#pragma once
// The web UI (DESIGN §8): server-rendered pages at `/`, forms posted and redirected (POST ->
// 303 -> GET), so every page works without JavaScript. A door like /api/v1: each handler
// reads the session, parses the form, calls one service with the session's Caller (the
// services authorise; the UI has no rule of its own) and renders a template. Handlers run on
// httplib's worker threads.
#include "controller/auth/api_tokens.h"
#include "controller/auth/session_service.h"
#include "controller/deploy/deployment_service.h"
#include "controller/fleet/fleet_service.h"
#include "controller/server/client_address.h"
#include "controller/service/audit_service.h"
#include "controller/service/model_service.h"
#include "controller/service/user_service.h"

namespace httplib {
class Server;
}

namespace vantus::controller::ui {
class PageRenderer;
class StaticAssets;
}  // namespace vantus::controller::ui

namespace vantus::controller {

struct UiServices {
  ModelService& model;
  DeploymentService& deployments;
  FleetService& fleet;
  SessionService& sessions;
  UserService& users;
  AuditService& audit;
  TokenService& tokens;
  const ui::PageRenderer& pages;
  const ui::StaticAssets& assets;
  bool tls = false;  // the cookie becomes __Host-…; Secure
  // For the `vantus-agent enroll` command shown with an enrolment token.
  std::string key_fingerprint{};
  std::string public_url{};
  // How long an invitation link works, in words ("7 days"), for the members page.
  std::string invitation_valid_for{"7 days"};
  TrustedProxies proxies{};  // whose forwarding headers name the client
};

// `services` (and what it references) must outlive the server.
void addUiRoutes(httplib::Server& server, UiServices& services);

}  // namespace vantus::controller
