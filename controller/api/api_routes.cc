#include "controller/api/api_routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "common/log/log.h"
#include "controller/api/api_handler.h"
#include "controller/auth/api_tokens.h"
#include "controller/server/client_address.h"
#include "controller/server/problem.h"

namespace vantus::controller {

namespace api {

namespace {

constexpr std::size_t kMaxCachedAnswerBytes = 256 * 1024;

// The prefix of a well-formed bearer token, "" for anything else: failures are counted per
// prefix as well as per address, so one client's bad token does not lock out its neighbours
// behind the same proxy, and guesses at one token from many addresses are still limited.
std::string tokenPrefixOf(const httplib::Request& request) {
  const std::string header = request.get_header_value("Authorization");
  constexpr std::string_view kBearer = "bearer ";
  if (header.size() < kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), header.begin(), [](char a, char b) {
        return a == std::tolower(static_cast<unsigned char>(b));
      })) {
    return "";
  }
  Result<TokenParts> parts = splitApiToken(std::string_view(header).substr(kBearer.size()));
  return parts ? parts->prefix : "";
}

bool isWrite(const httplib::Request& request) {
  return request.method != "GET" && request.method != "HEAD";
}

bool isDeploy(const httplib::Request& request) {
  return request.method == "POST" &&
         (request.path == "/api/v1/deployments" || request.path.ends_with("/rollback"));
}

// A retry whose first request's write committed but whose answer was lost (the process died
// in between): answered from what the write made, never by writing again.
void answerClaimed(ApiServices& services, const Caller& caller, std::string_view target,
                   httplib::Response& response) {
  const std::size_t colon = target.find(':');
  const std::string_view kind = target.substr(0, colon);
  Result<Id> id = parseCursor(colon == std::string_view::npos ? "" : target.substr(colon + 1));
  Result<nlohmann::json> body = fail(ErrorCode::kConflict, "");
  std::string location;
  if (id && kind == "deployment") {
    location = fmt::format("/api/v1/deployments/{}", *id);
    body = describeDeployment(services, caller, *id);
  } else if (id && kind == "tenant") {
    location = fmt::format("/api/v1/tenants/{}", *id);
    if (Result<Tenant> tenant = services.model.tenant(caller, *id)) {
      body = tenantJson(*tenant);
    } else {
      body = fail(tenant.error());
    }
  }
  if (!body) {
    sendProblem(response, 409, "Conflict",
                fmt::format("the request with this Idempotency-Key was applied ({}) but its answer "
                            "was not kept; read the resource to see it",
                            target),
                "Idempotency-Key");
    return;
  }
  response.set_header("Location", location);
  sendJson(response, 201, *body);
}

}  // namespace

httplib::Server::Handler guarded(ApiServices& services, Handler handler) {
  return [&services, handler = std::move(handler)](const httplib::Request& request,
                                                   httplib::Response& response) {
    const std::string client = clientAddress(request, services.proxies);
    const std::string address_key = "addr:" + client;
    const std::string failures_key = "authfail:" + client;
    const std::string prefix = tokenPrefixOf(request);
    const std::string token_failures_key = prefix.empty() ? "" : "authfail-token:" + prefix;
    auto failuresWithin = [&](bool peek) {
      return withinLimit(*services.limiter, failures_key, services.limits.auth_failures, response,
                         "failed authentications from this address", peek) &&
             (token_failures_key.empty() ||
              withinLimit(*services.limiter, token_failures_key, services.limits.auth_failures,
                          response, "failed authentications with this token", peek));
    };
    // A source (or a token) that keeps failing to authenticate is refused before any token
    // is looked at.
    if (!failuresWithin(/*peek=*/true)) {
      return;
    }
    auto principal = services.tokens.authenticate(request.get_header_value("Authorization"), client,
                                                  services.clock());
    if (!principal) {
      if (!failuresWithin(/*peek=*/false)) {
        return;
      }
      response.set_header("WWW-Authenticate", "Bearer");
      sendError(response, principal.error());
      return;
    }
    if (isWrite(request)) {
      const std::string token_key = "token:" + principal->token.prefix;
      if (!withinLimit(*services.limiter, token_key, services.limits.writes, response,
                       "writes with this token") ||
          !withinLimit(*services.limiter, address_key, services.limits.writes, response,
                       "writes from this address")) {
        return;
      }
      if (isDeploy(request) &&
          !withinLimit(*services.limiter, "deploy:" + principal->token.prefix,
                       services.limits.deploys, response, "deployments with this token")) {
        return;
      }
    }
    // A GET answered from memory when nothing was written since it was read for this token.
    const bool cacheable = request.method == "GET";
    const std::string cache_key =
        cacheable ? fmt::format("{}\n{}", principal->token.id, request.target) : std::string();
    if (cacheable) {
      if (std::optional<CachedAnswer> kept = services.answers->find(cache_key)) {
        response.status = 200;
        response.set_header("ETag", kept->etag);
        response.set_content(std::move(kept->body), "application/json");
        return;
      }
    }
    const std::uint64_t generation = services.answers->generation();
    Caller caller{*principal, actorOf(*principal, request, client)};
    services.idempotency->run(
        services.idempotent_answers, *principal, request, response,
        [&](std::optional<IdempotencyClaim> claim) {
          caller.idempotency = std::move(claim);
          RequestContext context{request, response, *principal, services, caller};
          if (Result<void> done = handler(context); !done) {
            sendError(response, done.error());
          }
        },
        [&](std::string_view target, httplib::Response& answer) {
          answerClaimed(services, caller, target, answer);
        });
    if (cacheable && response.status == 200 && response.body.size() <= kMaxCachedAnswerBytes &&
        response.get_header_value("Content-Type") == "application/json") {
      services.answers->put(cache_key, generation,
                            CachedAnswer{response.body, response.get_header_value("ETag")});
    }
  };
}

}  // namespace api

void addSpecRoute(httplib::Server& server, std::string spec_yaml) {
  server.Get("/api/v1/openapi.yaml",
             [spec = std::move(spec_yaml)](const httplib::Request&, httplib::Response& response) {
               response.set_content(spec, "application/yaml");
             });
}

void addApiRoutes(httplib::Server& server, ApiServices& services) {
  if (!services.answers) {
    services.answers = std::make_shared<GenerationCache<CachedAnswer>>(
        [&services] { return services.write_generation ? services.write_generation() : 0; }, 512,
        std::chrono::milliseconds(1000));
  }
  api::addTenantRoutes(server, services);
  api::addConfigRoutes(server, services);
  api::addDeploymentRoutes(server, services);
  api::addFleetRoutes(server, services);
  api::addAdminRoutes(server, services);
  api::addPeopleRoutes(server, services);
}

}  // namespace vantus::controller
