#pragma once
// The wrapper every API handler runs in: authentication, rate limits, Idempotency-Key, error →
// problem+json, and a per-request context whose caller every service call is given (the
// services authorize). Internal to controller/api.
#include <httplib.h>

#include <functional>
#include <optional>
#include <string_view>

#include "controller/api/api_routes.h"
#include "controller/api/api_support.h"
#include "controller/auth/caller.h"

namespace vantus::controller::api {

struct RequestContext {
  const httplib::Request& request;
  httplib::Response& response;
  const Principal& principal;
  ApiServices& services;
  // What every service call is given: the principal, its actor, a POST's Idempotency-Key.
  Caller caller;
};

using Handler = std::function<Result<void>(RequestContext&)>;

// Wraps `handler` with authentication and error reporting.
httplib::Server::Handler guarded(ApiServices& services, Handler handler);

// The deployment's representation (with its releases), as GET /api/v1/deployments/{id}.
Result<nlohmann::json> describeDeployment(ApiServices& services, const Caller& caller, Id id);

void addTenantRoutes(httplib::Server& server, ApiServices& services);
void addConfigRoutes(httplib::Server& server, ApiServices& services);
void addDeploymentRoutes(httplib::Server& server, ApiServices& services);
void addFleetRoutes(httplib::Server& server, ApiServices& services);
void addAdminRoutes(httplib::Server& server, ApiServices& services);
void addPeopleRoutes(httplib::Server& server, ApiServices& services);

}  // namespace vantus::controller::api
