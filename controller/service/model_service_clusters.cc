#include <fmt/format.h>

#include "controller/model/validate.h"
#include "controller/service/model_service.h"

namespace vantus::controller {

using nlohmann::json;

namespace {

json clusterJson(const EdgeCluster& cluster) {
  return {{"id", cluster.id}, {"name", cluster.name}};
}

std::string clusterTarget(Id id) { return fmt::format("edge_cluster:{}", id); }

}  // namespace

Result<EdgeCluster> ModelService::createCluster(const Actor& actor, std::string_view name) {
  EdgeCluster cluster;
  VANTUS_TRY(cluster.name, parseSlug(name, "name"));
  return writeValue<EdgeCluster>(store_, [&](Transaction& tx) -> Result<EdgeCluster> {
    VANTUS_TRY(EdgeCluster created, tx.insertCluster(cluster));
    VANTUS_TRY_VOID(appendAuditRow(tx, actor, std::nullopt, "edge_cluster.create",
                                   clusterTarget(created.id), nullptr, clusterJson(created)));
    return created;
  });
}

Result<EdgeCluster> ModelService::clusterByName(std::string_view name) const {
  return readValue<EdgeCluster>(store_, [&](Transaction& tx) { return tx.clusterByName(name); });
}

Result<std::vector<EdgeCluster>> ModelService::clusters() const {
  return readValue<std::vector<EdgeCluster>>(store_,
                                             [&](Transaction& tx) { return tx.listClusters(); });
}

Result<void> ModelService::deleteCluster(const Actor& actor, Id cluster_id) {
  return store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(EdgeCluster before, tx.cluster(cluster_id));
    VANTUS_TRY_VOID(tx.deleteCluster(cluster_id));
    return appendAuditRow(tx, actor, std::nullopt, "edge_cluster.delete", clusterTarget(cluster_id),
                          clusterJson(before), nullptr);
  });
}

Result<void> ModelService::assign(const Actor& actor, Id tenant_id, Id cluster_id) {
  return store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(Tenant tenant, tx.tenant(tenant_id));
    VANTUS_TRY(EdgeCluster cluster, tx.cluster(cluster_id));
    VANTUS_TRY(std::vector<EdgeCluster> assigned, tx.clustersOfTenant(tenant_id));
    for (const EdgeCluster& already : assigned) {
      if (already.id == cluster_id) {
        return ok();  // assigning twice changes nothing, so it records nothing
      }
    }
    VANTUS_TRY_VOID(tx.assign(tenant_id, cluster_id));
    return appendAuditRow(tx, actor, tenant_id, "assignment.create",
                          fmt::format("assignment:{}:{}", tenant_id, cluster_id), nullptr,
                          {{"tenant", tenant.slug}, {"cluster", cluster.name}});
  });
}

Result<void> ModelService::unassign(const Actor& actor, Id tenant_id, Id cluster_id) {
  return store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(Tenant tenant, tx.tenant(tenant_id));
    VANTUS_TRY(EdgeCluster cluster, tx.cluster(cluster_id));
    VANTUS_TRY_VOID(tx.unassign(tenant_id, cluster_id));
    return appendAuditRow(tx, actor, tenant_id, "assignment.delete",
                          fmt::format("assignment:{}:{}", tenant_id, cluster_id),
                          {{"tenant", tenant.slug}, {"cluster", cluster.name}}, nullptr);
  });
}

Result<std::vector<EdgeCluster>> ModelService::clustersOfTenant(Id tenant_id) const {
  return readValue<std::vector<EdgeCluster>>(
      store_, [&](Transaction& tx) -> Result<std::vector<EdgeCluster>> {
        VANTUS_TRY_VOID(tx.tenant(tenant_id));
        return tx.clustersOfTenant(tenant_id);
      });
}

}  // namespace vantus::controller
