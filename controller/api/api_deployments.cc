#include <fmt/format.h>

#include "controller/api/api_handler.h"

namespace vantus::controller::api {

using nlohmann::json;

namespace {

Result<json> describe(ApiServices& services, const Caller& caller, const Deployment& deployment) {
  VANTUS_TRY(std::vector<Release> releases, services.deployments.releasesOf(caller, deployment.id));
  return deploymentJson(deployment, releases);
}

Result<json> describe(RequestContext& context, const Deployment& deployment) {
  return describe(context.services, context.caller, deployment);
}

void sendOutcome(RequestContext& context, const DeploymentOutcome& outcome) {
  context.response.set_header("Location",
                              fmt::format("/api/v1/deployments/{}", outcome.deployment.id));
  sendJson(context.response, 201, deploymentJson(outcome.deployment, outcome.releases));
}

Result<void> createDeployment(RequestContext& context) {
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(ObjectReader fields, ObjectReader::open(body, "", {"tenant_id", "message"}));
  VANTUS_TRY(Id tenant_id, fields.positiveId("tenant_id"));
  VANTUS_TRY(std::string message, fields.string("message", ""));
  VANTUS_TRY(DeploymentOutcome outcome,
             context.services.deployments.deploy(context.caller, tenant_id, message));
  sendOutcome(context, outcome);
  return ok();
}

// A deployment of a tenant the principal cannot see does not exist for it.
Result<Deployment> visibleDeployment(RequestContext& context, Id id) {
  return context.services.deployments.deployment(context.caller, id);
}

Result<void> getDeployment(RequestContext& context) {
  VANTUS_TRY(Id id, pathId(context.request, 1));
  VANTUS_TRY(Deployment deployment, visibleDeployment(context, id));
  VANTUS_TRY(json body, describe(context, deployment));
  sendJson(context.response, 200, body);
  return ok();
}

// Per node of every cluster the deployment released to: pending, applied, failed, … with the
// receipt's reason and nginx's words.
Result<void> deploymentNodes(RequestContext& context) {
  VANTUS_TRY(Id id, pathId(context.request, 1));
  VANTUS_TRY(Deployment deployment, visibleDeployment(context, id));
  VANTUS_TRY(std::vector<DeploymentNodeState> states,
             context.services.fleet.deploymentNodes(context.caller, deployment.id));
  json items = json::array();
  for (const DeploymentNodeState& state : states) {
    items.push_back({{"cluster", state.cluster},
                     {"version", state.version},
                     {"node", state.node},
                     {"state", state.state},
                     {"reason", state.reason},
                     {"nginx_output", state.nginx_output}});
  }
  sendJson(context.response, 200, {{"items", items}});
  return ok();
}

Result<void> diffDeployment(RequestContext& context) {
  VANTUS_TRY(Id id, pathId(context.request, 1));
  VANTUS_TRY(Deployment deployment, visibleDeployment(context, id));
  if (!context.request.has_param("against")) {
    return fail(ErrorCode::kInvalidInput, "?against=<deployment id> is required", "against");
  }
  Result<Id> against = parseCursor(context.request.get_param_value("against"));
  if (!against || *against == 0) {
    return fail(ErrorCode::kInvalidInput, "?against= must be the id of an earlier deployment",
                "against");
  }
  VANTUS_TRY(std::string text,
             context.services.deployments.diff(context.caller, deployment.id, *against));
  context.response.status = 200;
  context.response.set_content(text, "text/x-diff; charset=utf-8");
  return ok();
}

Result<void> listDeployments(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(PageRequest request, pageOf(context.request, 50));
  const Id cursor = request.cursor;
  const std::size_t limit = request.limit;
  VANTUS_TRY(std::vector<Deployment> page,
             context.services.deployments.deployments(context.caller, tenant_id, cursor, limit));
  json items = json::array();
  for (const Deployment& deployment : page) {
    VANTUS_TRY(json item, describe(context, deployment));
    items.push_back(std::move(item));
  }
  json next = page.size() == limit ? json(std::to_string(page.back().id)) : json(nullptr);
  sendJson(context.response, 200, {{"items", items}, {"next_cursor", next}});
  return ok();
}

Result<void> rollback(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(ObjectReader fields, ObjectReader::open(body, "", {"deployment_id", "message"}));
  VANTUS_TRY(Id deployment_id, fields.positiveId("deployment_id"));
  VANTUS_TRY(std::string message, fields.string("message", ""));
  VANTUS_TRY(DeploymentOutcome outcome, context.services.deployments.rollback(
                                            context.caller, tenant_id, deployment_id, message));
  sendOutcome(context, outcome);
  return ok();
}

Result<void> preview(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(DeploymentPreview result,
             context.services.deployments.preview(context.caller, tenant_id));
  sendJson(context.response, 200,
           {{"head", result.head},
            {"clusters", result.clusters},
            {"diff", result.diff},
            {"warnings", result.warnings}});
  return ok();
}

}  // namespace

Result<json> describeDeployment(ApiServices& services, const Caller& caller, Id id) {
  VANTUS_TRY(Deployment deployment, services.deployments.deployment(caller, id));
  return describe(services, caller, deployment);
}

void addDeploymentRoutes(httplib::Server& server, ApiServices& services) {
  server.Post("/api/v1/deployments", guarded(services, createDeployment));
  server.Get(R"(/api/v1/deployments/(\d+))", guarded(services, getDeployment));
  server.Get(R"(/api/v1/deployments/(\d+)/diff)", guarded(services, diffDeployment));
  server.Get(R"(/api/v1/deployments/(\d+)/nodes)", guarded(services, deploymentNodes));
  server.Get(R"(/api/v1/tenants/(\d+)/deployments)", guarded(services, listDeployments));
  server.Post(R"(/api/v1/tenants/(\d+)/rollback)", guarded(services, rollback));
  server.Get(R"(/api/v1/tenants/(\d+)/preview)", guarded(services, preview));
}

}  // namespace vantus::controller::api
