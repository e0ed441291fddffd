#include <fmt/format.h>

#include "common/core/time.h"
#include "controller/api/api_handler.h"

namespace vantus::controller::api {

using nlohmann::json;

namespace {

Result<EdgeCluster> clusterOfPath(RequestContext& context) {
  VANTUS_TRY(Id cluster_id, pathId(context.request, 1));
  return context.services.model.cluster(context.caller, cluster_id);
}

Result<void> listNodes(RequestContext& context) {
  VANTUS_TRY(EdgeCluster cluster, clusterOfPath(context));
  VANTUS_TRY(std::vector<NodeStatus> nodes,
             context.services.fleet.nodes(context.caller, cluster.name));
  json items = json::array();
  for (const NodeStatus& node : nodes) {
    items.push_back(nodeJson(node));
  }
  sendJson(context.response, 200, {{"items", items}, {"next_cursor", nullptr}});
  return ok();
}

Result<void> createEnrollmentToken(RequestContext& context) {
  VANTUS_TRY(EdgeCluster cluster, clusterOfPath(context));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(ObjectReader fields, ObjectReader::open(body, "", {"ttl_seconds"}));
  VANTUS_TRY(std::int64_t ttl, fields.integer("ttl_seconds", 3600));
  Result<EnrollmentToken> made = context.services.fleet.createEnrollmentToken(
      context.caller, cluster.name, std::chrono::seconds(ttl));
  if (!made && made.error().field == "ttl") {
    return fail(made.error().code, made.error().message, "ttl_seconds");  // the API's name
  }
  VANTUS_TRY(EnrollmentToken token, std::move(made));
  context.response.set_header("Cache-Control", "no-store");
  sendJson(context.response, 201,
           {{"token", token.token},
            {"cluster", token.cluster},
            {"expires_at", formatRfc3339Utc(token.expires_at)}});
  return ok();
}

Result<void> getNode(RequestContext& context) {
  VANTUS_TRY(Id cluster_id, pathId(context.request, 1));
  VANTUS_TRY(Id node_id, pathId(context.request, 2));
  VANTUS_TRY(NodeStatus node, context.services.fleet.node(context.caller, cluster_id, node_id));
  sendJson(context.response, 200, nodeJson(node));
  return ok();
}

Result<void> patchNode(RequestContext& context) {
  VANTUS_TRY(Id cluster_id, pathId(context.request, 1));
  VANTUS_TRY(Id node_id, pathId(context.request, 2));
  VANTUS_TRY(NodeStatus current, context.services.fleet.node(context.caller, cluster_id, node_id));
  VANTUS_TRY_VOID(checkIfMatch(context.request, nodeJson(current)));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(ObjectReader fields, ObjectReader::open(body, "", {"name", "drained"}));
  NodeUpdate update;
  if (fields.has("name")) {
    VANTUS_TRY(update.name, fields.string("name"));
  }
  VANTUS_TRY(update.drained, fields.optionalBoolean("drained"));
  VANTUS_TRY(NodeStatus after,
             context.services.fleet.updateNode(context.caller, cluster_id, node_id, update));
  sendJson(context.response, 200, nodeJson(after));
  return ok();
}

Result<void> deleteNode(RequestContext& context) {
  VANTUS_TRY(Id cluster_id, pathId(context.request, 1));
  VANTUS_TRY(Id node_id, pathId(context.request, 2));
  VANTUS_TRY(NodeStatus current, context.services.fleet.node(context.caller, cluster_id, node_id));
  VANTUS_TRY_VOID(checkIfMatch(context.request, nodeJson(current)));
  VANTUS_TRY_VOID(context.services.fleet.deleteNode(context.caller, cluster_id, node_id));
  context.response.status = 204;
  return ok();
}

}  // namespace

void addFleetRoutes(httplib::Server& server, ApiServices& services) {
  server.Get(R"(/api/v1/edge-clusters/(\d+)/nodes)", guarded(services, listNodes));
  server.Post(R"(/api/v1/edge-clusters/(\d+)/enrollment-tokens)",
              guarded(services, createEnrollmentToken));
  constexpr const char* kNode = R"(/api/v1/edge-clusters/(\d+)/nodes/(\d+))";
  server.Get(kNode, guarded(services, getNode));
  server.Patch(kNode, guarded(services, patchNode));
  server.Delete(kNode, guarded(services, deleteNode));
}

}  // namespace vantus::controller::api
