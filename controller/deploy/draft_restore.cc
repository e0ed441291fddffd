#include "controller//deploy/draft_restore.h"

#include <fmt/format.h>

#include "controller/store/store.h"

namespace vantus::controller {

namespace {

template <typename Item>
const Item* findByName(const std::vector<Item>& items, const std::string& name) {
  for (const Item& item : items) {
    if (item.name == name) {
      return &item;
    }
  }
  return nullptr;
}

}  // namespace

Result<void> checkDraftRestore(Transaction& tx, Id tenant_id, const TenantConfig& config,
                               std::string_view field) {
  VANTUS_TRY_VOID(tx.tenant(tenant_id));
  // Pools are unique per tenant and restored by name, policy and tenant fields have no
  // uniqueness: only a domain name, unique across tenants, can be in the way.
  for (const Domain& domain : config.domains) {
    VANTUS_TRY(std::optional<Id> claimant, tx.domainClaimant(domain.name, tenant_id));
    if (claimant) {
      return fail(ErrorCode::kAlreadyExists,
                  fmt::format("domain \"{}\" of that deployment is now in use elsewhere: remove "
                              "it there first, or deploy the drafts as they are",
                              domain.name),
                  std::string(field));
    }
  }
  return ok();
}

Result<void> restoreDrafts(Transaction& tx, Id tenant_id, const TenantConfig& config) {
  VANTUS_TRY(Tenant tenant, tx.tenant(tenant_id));
  tenant.name = config.tenant.name;
  tenant.status = config.tenant.status;
  VANTUS_TRY_VOID(tx.updateTenant(tenant));
  VANTUS_TRY(std::vector<Domain> domains, tx.domainsOfTenant(tenant_id));
  for (const Domain& domain : domains) {
    if (!findByName(config.domains, domain.name)) {
      VANTUS_TRY_VOID(tx.deleteDomain(domain.id));
    }
  }
  for (Domain domain : config.domains) {
    domain.tenant_id = tenant_id;
    if (const Domain* kept = findByName(domains, domain.name)) {
      domain.id = kept->id;
      VANTUS_TRY_VOID(tx.updateDomain(domain));
    } else {
      VANTUS_TRY_VOID(tx.insertDomain(domain));
    }
  }
  VANTUS_TRY(std::vector<UpstreamPool> pools, tx.poolsOfTenant(tenant_id));
  for (const UpstreamPool& pool : pools) {
    if (!findByName(config.pools, pool.name)) {
      VANTUS_TRY_VOID(tx.deletePool(pool.id));
    }
  }
  for (UpstreamPool pool : config.pools) {
    pool.tenant_id = tenant_id;
    if (const UpstreamPool* kept = findByName(pools, pool.name)) {
      pool.id = kept->id;
      VANTUS_TRY_VOID(tx.updatePool(pool));
    } else {
      VANTUS_TRY_VOID(tx.insertPool(pool));
    }
  }
  EdgePolicy policy = config.policy;
  policy.tenant_id = tenant_id;
  VANTUS_TRY_VOID(tx.putPolicy(policy));
  return ok();
}

}  // namespace vantus::controller
