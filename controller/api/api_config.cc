#include <fmt/format.h>

#include "controller/api/api_handler.h"
#include "controller/model/parse_json.h"

namespace vantus::controller::api {

using nlohmann::json;

namespace {

json withIds(json body, Id id, Id tenant_id) {
  body["id"] = id;
  body["tenant_id"] = tenant_id;
  return body;
}

json listOf(const json& items) { return {{"items", items}, {"next_cursor", nullptr}}; }

Result<void> addDomain(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(Domain parsed, parseDomainJson(body));
  VANTUS_TRY(Domain created, context.services.model.addDomain(context.caller, tenant_id, parsed));
  sendJson(context.response, 201, withIds(toJson(created), created.id, tenant_id));
  return ok();
}

Result<void> listDomains(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(std::vector<Domain> domains,
             context.services.model.domains(context.caller, tenant_id));
  json items = json::array();
  for (const Domain& domain : domains) {
    items.push_back(withIds(toJson(domain), domain.id, tenant_id));
  }
  sendJson(context.response, 200, listOf(items));
  return ok();
}

// The domain `index 2` of tenant `index 1`.
Result<Domain> domainOfPath(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(Id domain_id, pathId(context.request, 2));
  return context.services.model.domain(context.caller, tenant_id, domain_id);
}

Result<void> getDomain(RequestContext& context) {
  VANTUS_TRY(Domain domain, domainOfPath(context));
  sendJson(context.response, 200, withIds(toJson(domain), domain.id, domain.tenant_id));
  return ok();
}

// A partial update of the domain's settings; its name is its identity and never changes.
Result<void> patchDomain(RequestContext& context) {
  VANTUS_TRY(Domain current, domainOfPath(context));
  const Id tenant_id = current.tenant_id;
  VANTUS_TRY_VOID(checkIfMatch(context.request, withIds(toJson(current), current.id, tenant_id)));
  VANTUS_TRY(json body, jsonBody(context.request));
  json merged = toJson(current);
  merged.merge_patch(body);
  VANTUS_TRY(Domain parsed, parseDomainJson(merged));
  VANTUS_TRY(Domain after,
             context.services.model.updateDomain(context.caller, tenant_id, current.id, parsed));
  sendJson(context.response, 200, withIds(toJson(after), after.id, tenant_id));
  return ok();
}

Result<void> deleteDomain(RequestContext& context) {
  VANTUS_TRY(Domain domain, domainOfPath(context));
  VANTUS_TRY_VOID(
      checkIfMatch(context.request, withIds(toJson(domain), domain.id, domain.tenant_id)));
  VANTUS_TRY_VOID(context.services.model.deleteDomain(context.caller, domain.tenant_id, domain.id));
  context.response.status = 204;
  return ok();
}

Result<UpstreamPool> poolOfPath(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(Id pool_id, pathId(context.request, 2));
  return context.services.model.pool(context.caller, tenant_id, pool_id);
}

Result<void> addPool(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(UpstreamPool parsed, parseUpstreamPoolJson(body));
  VANTUS_TRY(UpstreamPool created,
             context.services.model.addPool(context.caller, tenant_id, parsed));
  sendJson(context.response, 201, withIds(toJson(created), created.id, tenant_id));
  return ok();
}

Result<void> listPools(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(std::vector<UpstreamPool> pools,
             context.services.model.pools(context.caller, tenant_id));
  json items = json::array();
  for (const UpstreamPool& pool : pools) {
    items.push_back(withIds(toJson(pool), pool.id, tenant_id));
  }
  sendJson(context.response, 200, listOf(items));
  return ok();
}

Result<void> getPool(RequestContext& context) {
  VANTUS_TRY(UpstreamPool pool, poolOfPath(context));
  sendJson(context.response, 200, withIds(toJson(pool), pool.id, pool.tenant_id));
  return ok();
}

Result<void> putPool(RequestContext& context) {
  VANTUS_TRY(UpstreamPool current, poolOfPath(context));
  const Id tenant_id = current.tenant_id;
  VANTUS_TRY_VOID(checkIfMatch(context.request, withIds(toJson(current), current.id, tenant_id)));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(UpstreamPool parsed, parseUpstreamPoolJson(body));
  VANTUS_TRY(UpstreamPool after,
             context.services.model.updatePool(context.caller, tenant_id, current.id, parsed));
  sendJson(context.response, 200, withIds(toJson(after), after.id, tenant_id));
  return ok();
}

Result<void> deletePool(RequestContext& context) {
  VANTUS_TRY(UpstreamPool current, poolOfPath(context));
  VANTUS_TRY_VOID(
      checkIfMatch(context.request, withIds(toJson(current), current.id, current.tenant_id)));
  VANTUS_TRY_VOID(context.services.model.deletePool(context.caller, current.tenant_id, current.id));
  context.response.status = 204;
  return ok();
}

Result<void> getPolicy(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(EdgePolicy policy, context.services.model.policy(context.caller, tenant_id));
  sendJson(context.response, 200, toJson(policy));
  return ok();
}

Result<void> putPolicy(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(EdgePolicy current, context.services.model.policy(context.caller, tenant_id));
  VANTUS_TRY_VOID(checkIfMatch(context.request, toJson(current)));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(EdgePolicy parsed, parseEdgePolicyJson(body));
  VANTUS_TRY(EdgePolicy after, context.services.model.putPolicy(context.caller, tenant_id, parsed));
  sendJson(context.response, 200, toJson(after));
  return ok();
}

// The policy lives as long as its tenant; deleting it puts the defaults back.
Result<void> deletePolicy(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(EdgePolicy current, context.services.model.policy(context.caller, tenant_id));
  VANTUS_TRY_VOID(checkIfMatch(context.request, toJson(current)));
  VANTUS_TRY_VOID(context.services.model.putPolicy(context.caller, tenant_id, EdgePolicy{}));
  context.response.status = 204;
  return ok();
}

json clusterJson(const EdgeCluster& cluster) {
  return {{"id", cluster.id}, {"name", cluster.name}, {"created_at", cluster.created_at}};
}

Result<void> createCluster(RequestContext& context) {
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(ObjectReader fields, ObjectReader::open(body, "", {"name"}));
  VANTUS_TRY(std::string name, fields.string("name"));
  VANTUS_TRY(EdgeCluster created, context.services.model.createCluster(context.caller, name));
  sendJson(context.response, 201, clusterJson(created));
  return ok();
}

Result<void> listClusters(RequestContext& context) {
  VANTUS_TRY(std::vector<EdgeCluster> clusters, context.services.model.clusters(context.caller));
  json items = json::array();
  for (const EdgeCluster& cluster : clusters) {
    items.push_back(clusterJson(cluster));
  }
  sendJson(context.response, 200, listOf(items));
  return ok();
}

Result<void> getCluster(RequestContext& context) {
  VANTUS_TRY(Id cluster_id, pathId(context.request, 1));
  VANTUS_TRY(EdgeCluster cluster, context.services.model.cluster(context.caller, cluster_id));
  sendJson(context.response, 200, clusterJson(cluster));
  return ok();
}

Result<void> deleteCluster(RequestContext& context) {
  VANTUS_TRY(Id cluster_id, pathId(context.request, 1));
  VANTUS_TRY(EdgeCluster cluster, context.services.model.cluster(context.caller, cluster_id));
  VANTUS_TRY_VOID(checkIfMatch(context.request, clusterJson(cluster)));
  VANTUS_TRY_VOID(context.services.model.deleteCluster(context.caller, cluster.id));
  context.response.status = 204;
  return ok();
}

json assignmentJson(Id tenant_id, const EdgeCluster& cluster) {
  return {{"tenant_id", tenant_id}, {"cluster_id", cluster.id}, {"cluster", cluster.name}};
}

Result<void> listAssignments(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(std::vector<EdgeCluster> clusters,
             context.services.model.clustersOfTenant(context.caller, tenant_id));
  json items = json::array();
  for (const EdgeCluster& cluster : clusters) {
    items.push_back(assignmentJson(tenant_id, cluster));
  }
  sendJson(context.response, 200, listOf(items));
  return ok();
}

Result<void> getAssignment(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(Id cluster_id, pathId(context.request, 2));
  VANTUS_TRY(EdgeCluster cluster,
             context.services.model.assignment(context.caller, tenant_id, cluster_id));
  sendJson(context.response, 200, assignmentJson(tenant_id, cluster));
  return ok();
}

// Idempotent: assigning twice answers the same assignment.
Result<void> putAssignment(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(Id cluster_id, pathId(context.request, 2));
  if (!context.request.body.empty()) {
    VANTUS_TRY(json body, jsonBody(context.request));
    VANTUS_TRY(ObjectReader fields, ObjectReader::open(body, "", {}));
  }
  Result<EdgeCluster> current =
      context.services.model.assignment(context.caller, tenant_id, cluster_id);
  if (current) {
    VANTUS_TRY_VOID(checkIfMatch(context.request, assignmentJson(tenant_id, *current)));
  } else if (current.error().code == ErrorCode::kNotFound) {
    VANTUS_TRY_VOID(checkIfMatchOnMissing(context.request));
  } else {
    return fail(current.error());
  }
  VANTUS_TRY(EdgeCluster cluster,
             context.services.model.assign(context.caller, tenant_id, cluster_id));
  sendJson(context.response, 200, assignmentJson(tenant_id, cluster));
  return ok();
}

Result<void> deleteAssignment(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(Id cluster_id, pathId(context.request, 2));
  VANTUS_TRY(EdgeCluster cluster,
             context.services.model.assignment(context.caller, tenant_id, cluster_id));
  VANTUS_TRY_VOID(checkIfMatch(context.request, assignmentJson(tenant_id, cluster)));
  VANTUS_TRY_VOID(context.services.model.unassign(context.caller, tenant_id, cluster.id));
  context.response.status = 204;
  return ok();
}

}  // namespace

void addConfigRoutes(httplib::Server& server, ApiServices& services) {
  constexpr const char* kDomains = R"(/api/v1/tenants/(\d+)/domains)";
  constexpr const char* kDomain = R"(/api/v1/tenants/(\d+)/domains/(\d+))";
  constexpr const char* kPools = R"(/api/v1/tenants/(\d+)/upstream-pools)";
  constexpr const char* kPool = R"(/api/v1/tenants/(\d+)/upstream-pools/(\d+))";
  constexpr const char* kPolicy = R"(/api/v1/tenants/(\d+)/edge-policy)";
  constexpr const char* kCluster = R"(/api/v1/edge-clusters/(\d+))";
  constexpr const char* kAssignments = R"(/api/v1/tenants/(\d+)/clusters)";
  constexpr const char* kAssignment = R"(/api/v1/tenants/(\d+)/clusters/(\d+))";
  server.Post(kDomains, guarded(services, addDomain));
  server.Get(kDomains, guarded(services, listDomains));
  server.Get(kDomain, guarded(services, getDomain));
  server.Patch(kDomain, guarded(services, patchDomain));
  server.Delete(kDomain, guarded(services, deleteDomain));
  server.Post(kPools, guarded(services, addPool));
  server.Get(kPools, guarded(services, listPools));
  server.Get(kPool, guarded(services, getPool));
  server.Put(kPool, guarded(services, putPool));
  server.Delete(kPool, guarded(services, deletePool));
  server.Get(kPolicy, guarded(services, getPolicy));
  server.Put(kPolicy, guarded(services, putPolicy));
  server.Delete(kPolicy, guarded(services, deletePolicy));
  server.Post("/api/v1/edge-clusters", guarded(services, createCluster));
  server.Get("/api/v1/edge-clusters", guarded(services, listClusters));
  server.Get(kCluster, guarded(services, getCluster));
  server.Delete(kCluster, guarded(services, deleteCluster));
  server.Get(kAssignments, guarded(services, listAssignments));
  server.Get(kAssignment, guarded(services, getAssignment));
  server.Put(kAssignment, guarded(services, putAssignment));
  server.Delete(kAssignment, guarded(services, deleteAssignment));
}

}  // namespace vantus::controller::api
