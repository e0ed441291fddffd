#include "controller/api/api_routes.h"

#include "common/log/log.h"
#include "controller/api/api_handler.h"
#include "controller/auth/access.h"
#include "controller/server/problem.h"

namespace vantus::controller {

namespace api {

Result<void> RequestContext::require(std::string_view scope, std::optional<Id> tenant_id) const {
  return services.store.read(
      [&](Transaction& tx) { return authorize(tx, principal, scope, tenant_id); });
}

httplib::Server::Handler guarded(ApiServices& services, Handler handler) {
  return [&services, handler = std::move(handler)](const httplib::Request& request,
                                                   httplib::Response& response) {
    auto principal = services.tokens.authenticate(request.get_header_value("Authorization"),
                                                  request.remote_addr, services.clock());
    if (!principal) {
      response.set_header("WWW-Authenticate", "Bearer");
      sendError(response, principal.error());
      return;
    }
    RequestContext context{request, response, *principal, services};
    Result<void> done = handler(context);
    if (!done) {
      if (done.error().field == "If-Match") {
        sendProblem(response, 412, "Precondition Failed", done.error().message, "If-Match");
        return;
      }
      sendError(response, done.error());
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
  api::addTenantRoutes(server, services);
  api::addConfigRoutes(server, services);
  api::addDeploymentRoutes(server, services);
  api::addFleetRoutes(server, services);
}

}  // namespace vantus::controller
