#pragma once
// REST API v1 (`/api/v1`, JSON, errors as application/problem+json): thin handlers that
// authenticate the bearer token, parse the body strictly (controller/model/parse_json.h), call
// one service (which authorizes the caller) and format its answer. Resources carry an ETag; PATCH,
// PUT and DELETE honour If-Match (412 on mismatch). Handlers run on httplib's worker threads.
#include <cstdint>
#include <functional>
#include <memory>

#include "common/core/generation_cache.h"
#include "controller/api/idempotency.h"
#include "controller/api/rate_limiter.h"
#include "controller/auth/api_tokens.h"
#include "controller/deploy/deployment_service.h"
#include "controller/fleet/fleet_service.h"
#include "controller/server/client_address.h"
#include "controller/service/audit_service.h"
#include "controller/service/idempotency_service.h"
#include "controller/service/model_service.h"
#include "controller/service/user_service.h"

namespace httplib {
class Server;
}

namespace vantus::controller {

// Per-minute request budgets (token buckets); 0 switches a limit off.
struct ApiLimits {
  RateRule writes{3000, 500};      // POST/PUT/PATCH/DELETE, per token and per address
  RateRule deploys{120, 30};       // deployments and rollbacks, per token
  RateRule auth_failures{60, 20};  // failed authentications, per address
};

// A GET answer kept for its token while nothing was written (controller/store/generation_cache.h).
struct CachedAnswer {
  std::string body;
  std::string etag;
};

// The services the API calls; the doors reach nothing else (no store, no repository).
struct ApiServices {
  ModelService& model;
  DeploymentService& deployments;
  TokenService& tokens;
  FleetService& fleet;
  UserService& users;
  AuditService& audit;
  IdempotencyService& idempotent_answers;
  std::function<std::uint64_t()> write_generation;  // the store's, for the answer cache
  std::function<std::int64_t()> clock;              // unix seconds
  ApiLimits limits{};
  TrustedProxies proxies{};  // whose forwarding headers name the client
  std::shared_ptr<RateLimiter> limiter = std::make_shared<RateLimiter>();
  std::shared_ptr<IdempotencyKeys> idempotency = std::make_shared<IdempotencyKeys>();
  // Made by addApiRoutes() from write_generation when not given.
  std::shared_ptr<GenerationCache<CachedAnswer>> answers{};
};

// `services` (and what it references) must outlive the server.
void addApiRoutes(httplib::Server& server, ApiServices& services);

// GET /api/v1/openapi.yaml: the spec (schema/openapi.yaml), public like the API's shape.
void addSpecRoute(httplib::Server& server, std::string spec_yaml);

}  // namespace vantus::controller
