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
  VANTUS_TRY_VOID(context.require("config:write", tenant_id));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(Domain parsed, parseDomainJson(body));
  VANTUS_TRY(Domain created, context.services.model.addDomain(context.actor(), tenant_id, parsed));
  sendJson(context.response, 201, withIds(toJson(created), created.id, tenant_id));
  return ok();
}

Result<void> listDomains(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY_VOID(context.require("config:read", tenant_id));
  VANTUS_TRY(std::vector<Domain> domains, context.services.model.domains(tenant_id));
  json items = json::array();
  for (const Domain& domain : domains)
    items.push_back(withIds(toJson(domain), domain.id, tenant_id));
  sendJson(context.response, 200, listOf(items));
  return ok();
}

// The domain `index 2` of tenant `index 1`, or kNotFound: ids of other tenants do not exist here.
Result<Domain> domainOfPath(RequestContext& context, Id tenant_id) {
  VANTUS_TRY(Id domain_id, pathId(context.request, 2));
  VANTUS_TRY(std::vector<Domain> domains, context.services.model.domains(tenant_id));
  for (const Domain& domain : domains) {
    if (domain.id == domain_id) return domain;
  }
  return fail(ErrorCode::kNotFound, fmt::format("domain {} not found", domain_id));
}

Result<void> deleteDomain(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY_VOID(context.require("config:write", tenant_id));
  VANTUS_TRY(Domain domain, domainOfPath(context, tenant_id));
  VANTUS_TRY_VOID(checkIfMatch(context.request, withIds(toJson(domain), domain.id, tenant_id)));
  VANTUS_TRY_VOID(context.services.model.deleteDomain(context.actor(), domain.id));
  context.response.status = 204;
  return ok();
}

Result<UpstreamPool> poolOfPath(RequestContext& context, Id tenant_id) {
  VANTUS_TRY(Id pool_id, pathId(context.request, 2));
  VANTUS_TRY(std::vector<UpstreamPool> pools, context.services.model.pools(tenant_id));
  for (const UpstreamPool& pool : pools) {
    if (pool.id == pool_id) return pool;
  }
  return fail(ErrorCode::kNotFound, fmt::format("upstream pool {} not found", pool_id));
}

Result<void> addPool(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY_VOID(context.require("config:write", tenant_id));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(UpstreamPool parsed, parseUpstreamPoolJson(body));
  VANTUS_TRY(UpstreamPool created,
             context.services.model.addPool(context.actor(), tenant_id, parsed));
  sendJson(context.response, 201, withIds(toJson(created), created.id, tenant_id));
  return ok();
}

Result<void> listPools(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY_VOID(context.require("config:read", tenant_id));
  VANTUS_TRY(std::vector<UpstreamPool> pools, context.services.model.pools(tenant_id));
  json items = json::array();
  for (const UpstreamPool& pool : pools) items.push_back(withIds(toJson(pool), pool.id, tenant_id));
  sendJson(context.response, 200, listOf(items));
  return ok();
}

Result<void> getPool(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY_VOID(context.require("config:read", tenant_id));
  VANTUS_TRY(UpstreamPool pool, poolOfPath(context, tenant_id));
  sendJson(context.response, 200, withIds(toJson(pool), pool.id, tenant_id));
  return ok();
}

Result<void> putPool(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY_VOID(context.require("config:write", tenant_id));
  VANTUS_TRY(UpstreamPool current, poolOfPath(context, tenant_id));
  VANTUS_TRY_VOID(checkIfMatch(context.request, withIds(toJson(current), current.id, tenant_id)));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(UpstreamPool parsed, parseUpstreamPoolJson(body));
  VANTUS_TRY(UpstreamPool after,
             context.services.model.updatePool(context.actor(), current.id, parsed));
  sendJson(context.response, 200, withIds(toJson(after), after.id, tenant_id));
  return ok();
}

Result<void> deletePool(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY_VOID(context.require("config:write", tenant_id));
  VANTUS_TRY(UpstreamPool current, poolOfPath(context, tenant_id));
  VANTUS_TRY_VOID(checkIfMatch(context.request, withIds(toJson(current), current.id, tenant_id)));
  VANTUS_TRY_VOID(context.services.model.deletePool(context.actor(), current.id));
  context.response.status = 204;
  return ok();
}

Result<void> getPolicy(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY_VOID(context.require("config:read", tenant_id));
  VANTUS_TRY(EdgePolicy policy, context.services.model.policy(tenant_id));
  sendJson(context.response, 200, toJson(policy));
  return ok();
}

Result<void> putPolicy(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY_VOID(context.require("config:write", tenant_id));
  VANTUS_TRY(EdgePolicy current, context.services.model.policy(tenant_id));
  VANTUS_TRY_VOID(checkIfMatch(context.request, toJson(current)));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(EdgePolicy parsed, parseEdgePolicyJson(body));
  VANTUS_TRY(EdgePolicy after,
             context.services.model.putPolicy(context.actor(), tenant_id, parsed));
  sendJson(context.response, 200, toJson(after));
  return ok();
}

json clusterJson(const EdgeCluster& cluster) {
  return {{"id", cluster.id}, {"name", cluster.name}, {"created_at", cluster.created_at}};
}

Result<void> createCluster(RequestContext& context) {
  VANTUS_TRY_VOID(context.require("edges:write", std::nullopt));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY_VOID(onlyFields(body, {"name"}));
  VANTUS_TRY(std::string name, stringField(body, "name", true));
  VANTUS_TRY(EdgeCluster created, context.services.model.createCluster(context.actor(), name));
  sendJson(context.response, 201, clusterJson(created));
  return ok();
}

Result<void> listClusters(RequestContext& context) {
  VANTUS_TRY_VOID(context.require("edges:read", std::nullopt));
  VANTUS_TRY(std::vector<EdgeCluster> clusters, context.services.model.clusters());
  json items = json::array();
  for (const EdgeCluster& cluster : clusters) items.push_back(clusterJson(cluster));
  sendJson(context.response, 200, listOf(items));
  return ok();
}

Result<void> setAssignment(RequestContext& context, bool assigned) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(Id cluster_id, pathId(context.request, 2));
  VANTUS_TRY_VOID(context.require("config:write", tenant_id));
  if (assigned) {
    VANTUS_TRY_VOID(context.services.model.assign(context.actor(), tenant_id, cluster_id));
  } else {
    VANTUS_TRY_VOID(context.services.model.unassign(context.actor(), tenant_id, cluster_id));
  }
  context.response.status = 204;
  return ok();
}

}  // namespace

void addConfigRoutes(httplib::Server& server, ApiServices& services) {
  server.Post(R"(/api/v1/tenants/(\d+)/domains)", guarded(services, addDomain));
  server.Get(R"(/api/v1/tenants/(\d+)/domains)", guarded(services, listDomains));
  server.Delete(R"(/api/v1/tenants/(\d+)/domains/(\d+))", guarded(services, deleteDomain));
  server.Post(R"(/api/v1/tenants/(\d+)/upstream-pools)", guarded(services, addPool));
  server.Get(R"(/api/v1/tenants/(\d+)/upstream-pools)", guarded(services, listPools));
  server.Get(R"(/api/v1/tenants/(\d+)/upstream-pools/(\d+))", guarded(services, getPool));
  server.Put(R"(/api/v1/tenants/(\d+)/upstream-pools/(\d+))", guarded(services, putPool));
  server.Delete(R"(/api/v1/tenants/(\d+)/upstream-pools/(\d+))", guarded(services, deletePool));
  server.Get(R"(/api/v1/tenants/(\d+)/edge-policy)", guarded(services, getPolicy));
  server.Put(R"(/api/v1/tenants/(\d+)/edge-policy)", guarded(services, putPolicy));
  server.Post("/api/v1/edge-clusters", guarded(services, createCluster));
  server.Get("/api/v1/edge-clusters", guarded(services, listClusters));
  server.Put(R"(/api/v1/tenants/(\d+)/clusters/(\d+))",
             guarded(services, [](RequestContext& c) { return setAssignment(c, true); }));
  server.Delete(R"(/api/v1/tenants/(\d+)/clusters/(\d+))",
                guarded(services, [](RequestContext& c) { return setAssignment(c, false); }));
}

}  // namespace vantus::controller::api
