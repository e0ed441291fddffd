#include "controller/service/model_service.h"

#include <fmt/format.h>

#include "controller/auth/access.h"
#include "controller/model/parse_json.h"
#include "controller/model/validate.h"
#include "controller/store/store_access.h"

namespace vantus::controller {

using nlohmann::json;

namespace {

json tenantJson(const Tenant& tenant) {
  return {{"id", tenant.id},
          {"slug", tenant.slug},
          {"name", tenant.name},
          {"status", tenantStatusName(tenant.status)}};
}

std::string target(std::string_view kind, Id id) { return fmt::format("{}:{}", kind, id); }

// The tenant's own domain, or kNotFound: another tenant's ids do not exist here.
Result<Domain> domainOfTenant(Transaction& tx, Id tenant_id, Id domain_id) {
  Result<Domain> found = tx.domain(domain_id);
  if (found && found->tenant_id != tenant_id) {
    return fail(ErrorCode::kNotFound, fmt::format("domain {} not found", domain_id));
  }
  return found;
}

Result<UpstreamPool> poolOfTenant(Transaction& tx, Id tenant_id, Id pool_id) {
  Result<UpstreamPool> found = tx.pool(pool_id);
  if (found && found->tenant_id != tenant_id) {
    return fail(ErrorCode::kNotFound, fmt::format("upstream pool {} not found", pool_id));
  }
  return found;
}

}  // namespace

Result<Tenant> ModelService::createTenant(const Caller& caller, std::string_view slug,
                                          std::string_view name) {
  VANTUS_TRY_VOID(authorize(caller.principal, "tenants:write", std::nullopt));
  Tenant tenant;
  VANTUS_TRY(tenant.slug, parseSlug(slug));
  VANTUS_TRY(tenant.name, parseTenantName(name));
  return writeValue<Tenant>(store_, [&](Transaction& tx) -> Result<Tenant> {
    VANTUS_TRY(Tenant created, tx.insertTenant(tenant));
    VANTUS_TRY_VOID(recordWrite(tx, caller, created.id, "tenant.create",
                                target("tenant", created.id), nullptr, tenantJson(created)));
    return created;
  });
}

Result<Tenant> ModelService::tenant(const Caller& caller, Id id) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "tenants:read", id));
  return readValue<Tenant>(store_, [&](Transaction& tx) { return tx.tenant(id); });
}

Result<Tenant> ModelService::tenantBySlug(const Caller& caller, std::string_view slug) const {
  VANTUS_TRY(Tenant found,
             readValue<Tenant>(store_, [&](Transaction& tx) { return tx.tenantBySlug(slug); }));
  if (Result<void> allowed = authorize(caller.principal, "tenants:read", found.id); !allowed) {
    if (allowed.error().code == ErrorCode::kNotFound) {
      return fail(ErrorCode::kNotFound, fmt::format("tenant \"{}\" not found", slug));
    }
    return fail(allowed.error());
  }
  return found;
}

Result<Page<Tenant>> ModelService::listTenants(const Caller& caller, Id after_id, std::size_t limit,
                                               std::string_view containing) const {
  Page<Tenant> page;
  if (limit == 0) {
    return page;
  }
  // Reads in batches past the tenants the caller cannot see, and one beyond the page so that
  // `next` is set only when another visible tenant follows.
  Id cursor = after_id;
  while (page.items.size() <= limit) {
    VANTUS_TRY(std::vector<Tenant> batch,
               readValue<std::vector<Tenant>>(store_, [&](Transaction& tx) {
                 return tx.listTenants(cursor, limit + 1, containing);
               }));
    for (Tenant& tenant : batch) {
      cursor = tenant.id;
      if (!authorize(caller.principal, "tenants:read", tenant.id)) {
        continue;
      }
      if (page.items.size() == limit) {
        page.next = page.items.back().id;
        return page;
      }
      page.items.push_back(std::move(tenant));
    }
    if (batch.size() < limit + 1) {
      break;
    }
  }
  return page;
}

Result<Tenant> ModelService::updateTenant(const Caller& caller, Id id, const TenantUpdate& update) {
  VANTUS_TRY_VOID(authorize(caller.principal, "tenants:write", id));
  std::optional<std::string> name;
  if (update.name) {
    VANTUS_TRY(name, parseTenantName(*update.name));
  }
  return writeValue<Tenant>(store_, [&](Transaction& tx) -> Result<Tenant> {
    VANTUS_TRY(Tenant before, tx.tenant(id));
    Tenant changed = before;
    changed.name = name.value_or(before.name);
    changed.status = update.status.value_or(before.status);
    VANTUS_TRY(Tenant after, tx.updateTenant(changed));
    VANTUS_TRY_VOID(recordWrite(tx, caller, id, "tenant.update", target("tenant", id),
                                tenantJson(before), tenantJson(after)));
    return after;
  });
}

Result<void> ModelService::deleteTenant(const Caller& caller, Id id) {
  VANTUS_TRY(std::optional<TenantRole> role, authorizedRole(caller.principal, "tenants:write", id));
  if (role && *role != TenantRole::kOwner) {
    return fail(ErrorCode::kPermissionDenied,
                "deleting a tenant needs its owner role (or a platform admin)");
  }
  if (deployed_clusters_) {
    VANTUS_TRY(Tenant tenant,
               readValue<Tenant>(store_, [&](Transaction& tx) { return tx.tenant(id); }));
    VANTUS_TRY(std::vector<std::string> clusters, deployed_clusters_(tenant.slug));
    if (!clusters.empty()) {
      return fail(
          ErrorCode::kFailedPrecondition,
          fmt::format("tenant \"{}\" is still deployed on cluster \"{}\": deploy it "
                      "after unassigning it, so its config leaves the edges, then delete it",
                      tenant.slug, clusters.front()));
    }
  }
  return store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(Tenant before, tx.tenant(id));
    VANTUS_TRY(std::vector<EdgeCluster> assigned, tx.clustersOfTenant(id));
    if (!assigned.empty()) {
      return fail(ErrorCode::kFailedPrecondition,
                  fmt::format("tenant \"{}\" is still assigned to cluster \"{}\": unassign it "
                              "and deploy, so its config leaves the edges, then delete it",
                              before.slug, assigned.front().name));
    }
    VANTUS_TRY(std::vector<DeploymentReservation> in_flight, tx.deploymentReservations());
    for (const DeploymentReservation& reservation : in_flight) {
      if (reservation.tenant_id == id) {
        return fail(ErrorCode::kConflict,
                    fmt::format("tenant \"{}\" has deployment {} in progress: delete it once "
                                "that deployment has finished",
                                before.slug, reservation.id));
      }
    }
    VANTUS_TRY_VOID(tx.deleteTenant(id));
    return recordWrite(tx, caller, id, "tenant.delete", target("tenant", id), tenantJson(before),
                       nullptr);
  });
}

Result<TenantConfig> ModelService::tenantConfig(const Caller& caller, Id tenant_id) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:read", tenant_id));
  return readValue<TenantConfig>(store_,
                                 [&](Transaction& tx) { return tx.tenantConfig(tenant_id); });
}

Result<Domain> ModelService::addDomain(const Caller& caller, Id tenant_id, Domain domain) {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:write", tenant_id));
  domain.tenant_id = tenant_id;
  return writeValue<Domain>(store_, [&](Transaction& tx) -> Result<Domain> {
    VANTUS_TRY(Tenant owner, tx.tenant(tenant_id));
    VANTUS_TRY(Domain created, tx.insertDomain(domain));
    VANTUS_TRY_VOID(recordWrite(tx, caller, owner.id, "domain.create", target("domain", created.id),
                                nullptr, toJson(created)));
    return created;
  });
}

Result<Domain> ModelService::domain(const Caller& caller, Id tenant_id, Id domain_id) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:read", tenant_id));
  return readValue<Domain>(
      store_, [&](Transaction& tx) { return domainOfTenant(tx, tenant_id, domain_id); });
}

Result<Domain> ModelService::updateDomain(const Caller& caller, Id tenant_id, Id domain_id,
                                          Domain domain) {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:write", tenant_id));
  return writeValue<Domain>(store_, [&](Transaction& tx) -> Result<Domain> {
    VANTUS_TRY(Domain before, domainOfTenant(tx, tenant_id, domain_id));
    if (domain.name != before.name) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("a domain's name never changes (it is {:?}); add a new domain and "
                              "delete this one",
                              before.name),
                  "name");
    }
    domain.id = domain_id;
    domain.tenant_id = before.tenant_id;
    VANTUS_TRY(Domain after, tx.updateDomain(domain));
    VANTUS_TRY_VOID(recordWrite(tx, caller, before.tenant_id, "domain.update",
                                target("domain", domain_id), toJson(before), toJson(after)));
    return after;
  });
}

Result<void> ModelService::deleteDomain(const Caller& caller, Id tenant_id, Id domain_id) {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:write", tenant_id));
  return store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(Domain before, domainOfTenant(tx, tenant_id, domain_id));
    VANTUS_TRY_VOID(tx.deleteDomain(domain_id));
    return recordWrite(tx, caller, before.tenant_id, "domain.delete", target("domain", domain_id),
                       toJson(before), nullptr);
  });
}

Result<std::vector<Domain>> ModelService::domains(const Caller& caller, Id tenant_id) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:read", tenant_id));
  return readValue<std::vector<Domain>>(store_,
                                        [&](Transaction& tx) -> Result<std::vector<Domain>> {
                                          VANTUS_TRY_VOID(tx.tenant(tenant_id));
                                          return tx.domainsOfTenant(tenant_id);
                                        });
}

Result<UpstreamPool> ModelService::addPool(const Caller& caller, Id tenant_id, UpstreamPool pool) {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:write", tenant_id));
  pool.tenant_id = tenant_id;
  return writeValue<UpstreamPool>(store_, [&](Transaction& tx) -> Result<UpstreamPool> {
    VANTUS_TRY(Tenant owner, tx.tenant(tenant_id));
    VANTUS_TRY(UpstreamPool created, tx.insertPool(pool));
    VANTUS_TRY_VOID(recordWrite(tx, caller, owner.id, "upstream_pool.create",
                                target("upstream_pool", created.id), nullptr, toJson(created)));
    return created;
  });
}

Result<UpstreamPool> ModelService::pool(const Caller& caller, Id tenant_id, Id pool_id) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:read", tenant_id));
  return readValue<UpstreamPool>(
      store_, [&](Transaction& tx) { return poolOfTenant(tx, tenant_id, pool_id); });
}

Result<UpstreamPool> ModelService::updatePool(const Caller& caller, Id tenant_id, Id pool_id,
                                              UpstreamPool pool) {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:write", tenant_id));
  return writeValue<UpstreamPool>(store_, [&](Transaction& tx) -> Result<UpstreamPool> {
    VANTUS_TRY(UpstreamPool before, poolOfTenant(tx, tenant_id, pool_id));
    pool.id = pool_id;
    pool.tenant_id = before.tenant_id;
    VANTUS_TRY(UpstreamPool after, tx.updatePool(pool));
    VANTUS_TRY_VOID(recordWrite(tx, caller, before.tenant_id, "upstream_pool.update",
                                target("upstream_pool", pool_id), toJson(before), toJson(after)));
    return after;
  });
}

Result<void> ModelService::deletePool(const Caller& caller, Id tenant_id, Id pool_id) {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:write", tenant_id));
  return store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(UpstreamPool before, poolOfTenant(tx, tenant_id, pool_id));
    VANTUS_TRY_VOID(tx.deletePool(pool_id));
    return recordWrite(tx, caller, before.tenant_id, "upstream_pool.delete",
                       target("upstream_pool", pool_id), toJson(before), nullptr);
  });
}

Result<std::vector<UpstreamPool>> ModelService::pools(const Caller& caller, Id tenant_id) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:read", tenant_id));
  return readValue<std::vector<UpstreamPool>>(
      store_, [&](Transaction& tx) -> Result<std::vector<UpstreamPool>> {
        VANTUS_TRY_VOID(tx.tenant(tenant_id));
        return tx.poolsOfTenant(tenant_id);
      });
}

Result<EdgePolicy> ModelService::putPolicy(const Caller& caller, Id tenant_id, EdgePolicy policy) {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:write", tenant_id));
  policy.tenant_id = tenant_id;
  return writeValue<EdgePolicy>(store_, [&](Transaction& tx) -> Result<EdgePolicy> {
    VANTUS_TRY_VOID(tx.tenant(tenant_id));
    VANTUS_TRY(EdgePolicy before, tx.policyOfTenant(tenant_id));
    VANTUS_TRY(EdgePolicy after, tx.putPolicy(policy));
    VANTUS_TRY_VOID(recordWrite(tx, caller, tenant_id, "edge_policy.update",
                                target("edge_policy", tenant_id), toJson(before), toJson(after)));
    return after;
  });
}

Result<EdgePolicy> ModelService::policy(const Caller& caller, Id tenant_id) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:read", tenant_id));
  return readValue<EdgePolicy>(store_, [&](Transaction& tx) -> Result<EdgePolicy> {
    VANTUS_TRY_VOID(tx.tenant(tenant_id));
    return tx.policyOfTenant(tenant_id);
  });
}

}  // namespace vantus::controller
