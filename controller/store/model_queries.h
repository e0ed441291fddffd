#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// The draft model's queries: tenants, domains, upstream pools, edge policy, edge clusters and
// tenant-cluster assignments. Part of Transaction (transaction.h).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/model/types.h"

namespace vantus::controller {

class ModelQueries {
 public:
  // --- tenants ---
  virtual Result<Tenant> insertTenant(const Tenant& tenant) = 0;  // sets id and timestamps
  virtual Result<Tenant> tenant(Id id) = 0;
  virtual Result<Tenant> tenantBySlug(std::string_view slug) = 0;
  // `containing` (empty for all) narrows to tenants whose slug, name or a domain name contains
  // it, ASCII letters in any case.
  virtual Result<std::vector<Tenant>> listTenants(Id after_id, std::size_t limit,
                                                  std::string_view containing = {}) = 0;
  virtual Result<Tenant> updateTenant(const Tenant& tenant) = 0;  // name, status
  virtual Result<void> deleteTenant(Id id) = 0;  // cascades to its domains, pools, policy
  // --- domains (name unique across all tenants) ---
  virtual Result<Domain> insertDomain(const Domain& domain) = 0;
  virtual Result<Domain> domain(Id id) = 0;
  virtual Result<std::vector<Domain>> domainsOfTenant(Id tenant_id) = 0;  // by name
  virtual Result<Domain> updateDomain(const Domain& domain) = 0;
  virtual Result<void> deleteDomain(Id id) = 0;
  // --- upstream pools (name unique per tenant), targets stored in order ---
  virtual Result<UpstreamPool> insertPool(const UpstreamPool& pool) = 0;
  virtual Result<UpstreamPool> pool(Id id) = 0;
  virtual Result<std::vector<UpstreamPool>> poolsOfTenant(Id tenant_id) = 0;  // by id
  virtual Result<UpstreamPool> updatePool(const UpstreamPool& pool) = 0;      // replaces targets
  virtual Result<void> deletePool(Id id) = 0;
  // --- edge policy: one per tenant; a tenant without a row has the defaults of types.h ---
  virtual Result<EdgePolicy> policyOfTenant(Id tenant_id) = 0;
  virtual Result<EdgePolicy> putPolicy(const EdgePolicy& policy) = 0;

  // Tenant + domains + pools + policy.
  virtual Result<TenantConfig> tenantConfig(Id tenant_id) = 0;
  // --- edge clusters and assignments ---
  virtual Result<EdgeCluster> insertCluster(const EdgeCluster& cluster) = 0;
  virtual Result<EdgeCluster> cluster(Id id) = 0;
  virtual Result<EdgeCluster> clusterByName(std::string_view name) = 0;
  virtual Result<std::vector<EdgeCluster>> listClusters() = 0;  // by name
  virtual Result<void> deleteCluster(Id id) = 0;  // kFailedPrecondition while tenants assigned
  virtual Result<void> assign(Id tenant_id, Id cluster_id) = 0;    // idempotent
  virtual Result<void> unassign(Id tenant_id, Id cluster_id) = 0;  // kNotFound if not assigned
  virtual Result<std::vector<EdgeCluster>> clustersOfTenant(Id tenant_id) = 0;  // by name

  // A tenant other than `tenant_id` holding `name`, a wildcard that covers it, or (when
  // `name` is "*.S") a name under S; nullopt when none does. nginx would hand such a name's
  // traffic to whichever server matches best, so one tenant could capture another's.
  virtual Result<std::optional<Id>> domainClaimant(std::string_view name, Id tenant_id) = 0;

 protected:
  ~ModelQueries() = default;
};

}  // namespace vantus::controller
