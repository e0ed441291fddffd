#pragma once
// Create, read, update and delete of the draft model: tenants, their domains, upstream
// pools and edge policy, edge clusters and tenant-cluster assignments. Every write is one
// store transaction carrying its audit row (actor, tenant, action, target, before/after);
// nothing here touches git or an edge: drafts take effect when deployed
// (DeploymentService). Every operation authorizes its caller first (controller/auth/access.h:
// a tenant the caller may not see is kNotFound, too little right on a visible one is
// kPermissionDenied). Values arrive parsed (controller/model); raw strings (slugs, names) are
// parsed here. The REST API, the UI and the CLI call this, never the store.
// Thread-safe: the store serialises writes.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/auth/caller.h"
#include "controller/model/audit_records.h"
#include "controller/model/deployments.h"
#include "controller/model/fleet_records.h"
#include "controller/model/people.h"
#include "controller/model/types.h"
#include "controller/service/page.h"

namespace vantus::controller {

class Store;
class Transaction;

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

  // Platform admins ("tenants:write" on the platform).
  Result<Tenant> createTenant(const Caller& caller, std::string_view slug, std::string_view name);
  Result<Tenant> tenant(const Caller& caller, Id id) const;
  Result<Tenant> tenantBySlug(const Caller& caller, std::string_view slug) const;
  // The tenants the caller may read, by id, after `after_id`.
  // `containing` narrows to tenants whose slug, name or a domain name contains it (ASCII
  // letters in any case).
  Result<Page<Tenant>> listTenants(const Caller& caller, Id after_id, std::size_t limit,
                                   std::string_view containing = {}) const;
  Result<Tenant> updateTenant(const Caller& caller, Id id, const TenantUpdate& update);
  // The tenant's owner or a platform admin. Refused while the tenant is assigned to a cluster
  // or still deployed: unassign and deploy first, so its files leave every edge before its
  // rows go.
  Result<void> deleteTenant(const Caller& caller, Id id);
  Result<TenantConfig> tenantConfig(const Caller& caller, Id tenant_id) const;

  // Domains, pools and the policy of a tenant: "config:read" / "config:write" on it. An id of
  // another tenant's domain or pool is kNotFound.
  Result<Domain> addDomain(const Caller& caller, Id tenant_id, Domain domain);
  Result<Domain> domain(const Caller& caller, Id tenant_id, Id domain_id) const;
  // A domain's name is its identity and never changes.
  Result<Domain> updateDomain(const Caller& caller, Id tenant_id, Id domain_id, Domain domain);
  Result<void> deleteDomain(const Caller& caller, Id tenant_id, Id domain_id);
  Result<std::vector<Domain>> domains(const Caller& caller, Id tenant_id) const;

  Result<UpstreamPool> addPool(const Caller& caller, Id tenant_id, UpstreamPool pool);
  Result<UpstreamPool> pool(const Caller& caller, Id tenant_id, Id pool_id) const;
  Result<UpstreamPool> updatePool(const Caller& caller, Id tenant_id, Id pool_id,
                                  UpstreamPool pool);
  Result<void> deletePool(const Caller& caller, Id tenant_id, Id pool_id);
  Result<std::vector<UpstreamPool>> pools(const Caller& caller, Id tenant_id) const;

  Result<EdgePolicy> putPolicy(const Caller& caller, Id tenant_id, EdgePolicy policy);
  Result<EdgePolicy> policy(const Caller& caller, Id tenant_id) const;

  // Edge clusters: "edges:read" / "edges:write" on the platform.
  Result<EdgeCluster> createCluster(const Caller& caller, std::string_view name);
  Result<EdgeCluster> cluster(const Caller& caller, Id cluster_id) const;
  Result<EdgeCluster> clusterByName(const Caller& caller, std::string_view name) const;
  Result<std::vector<EdgeCluster>> clusters(const Caller& caller) const;
  Result<void> deleteCluster(const Caller& caller, Id cluster_id);

  // Assignments: "config:read" / "config:write" on the tenant. assign() is idempotent.
  Result<EdgeCluster> assign(const Caller& caller, Id tenant_id, Id cluster_id);
  Result<void> unassign(const Caller& caller, Id tenant_id, Id cluster_id);
  // kNotFound unless the tenant is assigned to the cluster.
  Result<EdgeCluster> assignment(const Caller& caller, Id tenant_id, Id cluster_id) const;
  Result<std::vector<EdgeCluster>> clustersOfTenant(const Caller& caller, Id tenant_id) const;

 private:
  Store& store_;
  DeployedClusters deployed_clusters_;
};

}  // namespace vantus::controller
