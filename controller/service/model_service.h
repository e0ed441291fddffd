#pragma once
#include <functional>
// Create, read, update and delete of the draft model: tenants, their domains, upstream
// pools and edge policy, edge clusters and tenant-cluster assignments. Every write is one
// store transaction carrying its audit row (actor, tenant, action, target, before/after);
// nothing here touches git or an edge: drafts take effect when deployed
// (DeploymentService). Values arrive parsed (controller/model); raw strings (slugs, names)
// are parsed here. The REST API, the UI and the CLI call this, never the store.
// Thread-safe: the store serialises writes.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/model/types.h"
#include "controller/store/store.h"
#include "controller/store/store_access.h"

namespace vantus::controller {

struct TenantUpdate {
  std::optional<std::string> name;
  std::optional<TenantStatus> status;
};

class ModelService {
 public:
  explicit ModelService(Store& store) : store_(store) {}

  // Names the clusters whose deployed config still holds a tenant (by slug). deleteTenant()
  // refuses while it names any: deleting a tenant must not leave it serving on the edges.
  using DeployedClusters = std::function<Result<std::vector<std::string>>(std::string_view slug)>;
  void setDeployedClusters(DeployedClusters lookup) { deployed_clusters_ = std::move(lookup); }

  Result<Tenant> createTenant(const Actor& actor, std::string_view slug, std::string_view name);
  Result<Tenant> tenant(Id id) const;
  Result<Tenant> tenantBySlug(std::string_view slug) const;
  Result<std::vector<Tenant>> listTenants(Id after_id, std::size_t limit) const;
  Result<Tenant> updateTenant(const Actor& actor, Id id, const TenantUpdate& update);
  // Refused while the tenant is assigned to a cluster: unassign and deploy first, so its
  // files leave every edge before its rows go.
  Result<void> deleteTenant(const Actor& actor, Id id);
  Result<TenantConfig> tenantConfig(Id tenant_id) const;

  Result<Domain> addDomain(const Actor& actor, Id tenant_id, Domain domain);
  Result<Domain> updateDomain(const Actor& actor, Id domain_id, Domain domain);
  Result<void> deleteDomain(const Actor& actor, Id domain_id);
  Result<std::vector<Domain>> domains(Id tenant_id) const;

  Result<UpstreamPool> addPool(const Actor& actor, Id tenant_id, UpstreamPool pool);
  Result<UpstreamPool> updatePool(const Actor& actor, Id pool_id, UpstreamPool pool);
  Result<void> deletePool(const Actor& actor, Id pool_id);
  Result<std::vector<UpstreamPool>> pools(Id tenant_id) const;

  Result<EdgePolicy> putPolicy(const Actor& actor, Id tenant_id, EdgePolicy policy);
  Result<EdgePolicy> policy(Id tenant_id) const;

  Result<EdgeCluster> createCluster(const Actor& actor, std::string_view name);
  Result<EdgeCluster> clusterByName(std::string_view name) const;
  Result<std::vector<EdgeCluster>> clusters() const;
  Result<void> deleteCluster(const Actor& actor, Id cluster_id);
  Result<void> assign(const Actor& actor, Id tenant_id, Id cluster_id);
  Result<void> unassign(const Actor& actor, Id tenant_id, Id cluster_id);
  Result<std::vector<EdgeCluster>> clustersOfTenant(Id tenant_id) const;

 private:
  Store& store_;
  DeployedClusters deployed_clusters_;
};

}  // namespace vantus::controller
