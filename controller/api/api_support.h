#pragma once
// Shared pieces of the API handlers: JSON bodies, ETags, the request's principal and actor.
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/core/result.h"
#include "common/json/json_reader.h"
#include "controller/api/rate_limiter.h"
#include "controller/auth/principal.h"
#include "controller/fleet/fleet_service.h"
#include "controller/model/actor.h"
#include "controller/model/deployments.h"
#include "controller/model/types.h"

namespace vantus::controller::api {

// The body as a JSON object; kInvalidInput naming the problem otherwise.
Result<nlohmann::json> jsonBody(const httplib::Request& request);
// Its fields are read with ObjectReader::open(body, "", {known keys}).
using ::vantus::json::ObjectReader;
// The numeric path segment `index` of the route's match; kNotFound when it is not an id.
Result<Id> pathId(const httplib::Request& request, size_t index);

// ?cursor= (an opaque id string) and ?limit= (1..500); kInvalidInput otherwise.
Result<Id> parseCursor(std::string_view text);
Result<std::size_t> parseLimit(std::string_view text);

struct PageRequest {
  Id cursor = 0;  // 0 = from the start
  std::size_t limit = 0;
};
// The request's ?cursor= and ?limit= (`default_limit` when absent).
Result<PageRequest> pageOf(const httplib::Request& request, std::size_t default_limit);

// A strong ETag over the representation (as sent: its compact JSON bytes).
std::string etagOf(const nlohmann::json& representation);
std::string etagOfBytes(std::string_view bytes);
// kFailedPrecondition (412) when If-Match is present and names another representation.
Result<void> checkIfMatch(const httplib::Request& request, const nlohmann::json& current);
// For a PUT that would create the resource: any If-Match (even "*") names one that is not there.
Result<void> checkIfMatchOnMissing(const httplib::Request& request);

void sendJson(httplib::Response& response, int status, const nlohmann::json& body);
// A page's next_cursor: the id as a string, or null on the last page.
nlohmann::json cursorJson(const std::optional<Id>& next);

// The request's actor; `client` is its clientAddress() (controller/server/client_address.h).
Actor actorOf(const Principal& principal, const httplib::Request& request,
              const std::string& client);

// True when the request may go on; otherwise the 429 with Retry-After is answered naming
// `what`. `peek` checks the bucket without taking from it; a rule of 0 per minute is off.
bool withinLimit(RateLimiter& limiter, const std::string& key, const RateRule& rule,
                 httplib::Response& response, std::string_view what, bool peek = false);

// The representations /api/v1 answers with; the CLI's --json prints the same.
nlohmann::json tenantJson(const Tenant& tenant);
nlohmann::json nodeJson(const NodeStatus& status);
nlohmann::json deploymentJson(const Deployment& deployment, const std::vector<Release>& releases);

}  // namespace vantus::controller::api
