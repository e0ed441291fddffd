#include <fmt/format.h>

#include "controller/auth/access.h"
#include "controller/model/validate.h"
#include "controller/service/model_service.h"
#include "controller/store/store_access.h"

namespace vantus::controller {

using nlohmann::json;

namespace {

json clusterJson(const EdgeCluster& cluster) {
  return {{"id", cluster.id}, {"name", cluster.name}};
}

std::string clusterTarget(Id id) { return fmt::format("edge_cluster:{}", id); }

Result<EdgeCluster> assignedCluster(Transaction& tx, Id tenant_id, Id cluster_id) {
  VANTUS_TRY_VOID(tx.tenant(tenant_id));
  VANTUS_TRY(std::vector<EdgeCluster> assigned, tx.clustersOfTenant(tenant_id));
  for (EdgeCluster& cluster : assigned) {
    if (cluster.id == cluster_id) {
      return std::move(cluster);
    }
  }
  return fail(ErrorCode::kNotFound,
              fmt::format("tenant {} is not assigned to edge cluster {}", tenant_id, cluster_id));
}

}  // namespace

Result<EdgeCluster> ModelService::createCluster(const Caller& caller, std::string_view name) {
  VANTUS_TRY_VOID(authorize(caller.principal, "edges:write", std::nullopt));
  EdgeCluster cluster;
  VANTUS_TRY(cluster.name, parseSlug(name, "name"));
  return writeValue<EdgeCluster>(store_, [&](Transaction& tx) -> Result<EdgeCluster> {
    VANTUS_TRY(EdgeCluster created, tx.insertCluster(cluster));
    VANTUS_TRY_VOID(recordWrite(tx, caller, std::nullopt, "edge_cluster.create",
                                clusterTarget(created.id), nullptr, clusterJson(created)));
    return created;
  });
}

Result<EdgeCluster> ModelService::cluster(const Caller& caller, Id cluster_id) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "edges:read", std::nullopt));
  return readValue<EdgeCluster>(store_, [&](Transaction& tx) { return tx.cluster(cluster_id); });
}

Result<EdgeCluster> ModelService::clusterByName(const Caller& caller, std::string_view name) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "edges:read", std::nullopt));
  return readValue<EdgeCluster>(store_, [&](Transaction& tx) { return tx.clusterByName(name); });
}

Result<std::vector<EdgeCluster>> ModelService::clusters(const Caller& caller) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "edges:read", std::nullopt));
  return readValue<std::vector<EdgeCluster>>(store_,
                                             [&](Transaction& tx) { return tx.listClusters(); });
}

Result<void> ModelService::deleteCluster(const Caller& caller, Id cluster_id) {
  VANTUS_TRY_VOID(authorize(caller.principal, "edges:write", std::nullopt));
  return store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(EdgeCluster before, tx.cluster(cluster_id));
    VANTUS_TRY_VOID(tx.deleteCluster(cluster_id));
    return recordWrite(tx, caller, std::nullopt, "edge_cluster.delete", clusterTarget(cluster_id),
                       clusterJson(before), nullptr);
  });
}

Result<EdgeCluster> ModelService::assign(const Caller& caller, Id tenant_id, Id cluster_id) {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:write", tenant_id));
  return writeValue<EdgeCluster>(store_, [&](Transaction& tx) -> Result<EdgeCluster> {
    VANTUS_TRY(Tenant tenant, tx.tenant(tenant_id));
    VANTUS_TRY(EdgeCluster cluster, tx.cluster(cluster_id));
    if (Result<EdgeCluster> already = assignedCluster(tx, tenant_id, cluster_id)) {
      return already;  // assigning twice changes nothing, so it records nothing
    }
    VANTUS_TRY_VOID(tx.assign(tenant_id, cluster_id));
    VANTUS_TRY_VOID(recordWrite(tx, caller, tenant_id, "assignment.create",
                                fmt::format("assignment:{}:{}", tenant_id, cluster_id), nullptr,
                                {{"tenant", tenant.slug}, {"cluster", cluster.name}}));
    return cluster;
  });
}

Result<void> ModelService::unassign(const Caller& caller, Id tenant_id, Id cluster_id) {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:write", tenant_id));
  return store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(Tenant tenant, tx.tenant(tenant_id));
    VANTUS_TRY(EdgeCluster cluster, assignedCluster(tx, tenant_id, cluster_id));
    VANTUS_TRY_VOID(tx.unassign(tenant_id, cluster_id));
    return recordWrite(tx, caller, tenant_id, "assignment.delete",
                       fmt::format("assignment:{}:{}", tenant_id, cluster_id),
                       {{"tenant", tenant.slug}, {"cluster", cluster.name}}, nullptr);
  });
}

Result<EdgeCluster> ModelService::assignment(const Caller& caller, Id tenant_id,
                                             Id cluster_id) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:read", tenant_id));
  return readValue<EdgeCluster>(
      store_, [&](Transaction& tx) { return assignedCluster(tx, tenant_id, cluster_id); });
}

Result<std::vector<EdgeCluster>> ModelService::clustersOfTenant(const Caller& caller,
                                                                Id tenant_id) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:read", tenant_id));
  return readValue<std::vector<EdgeCluster>>(
      store_, [&](Transaction& tx) -> Result<std::vector<EdgeCluster>> {
        VANTUS_TRY_VOID(tx.tenant(tenant_id));
        return tx.clustersOfTenant(tenant_id);
      });
}

}  // namespace vantus::controller
