#include "controller/service/model_service.h"

#include <fmt/format.h>

#include "controller/model/parse_json.h"
#include "controller/model/validate.h"

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

}  // namespace

Result<Tenant> ModelService::createTenant(const Actor& actor, std::string_view slug,
                                          std::string_view name) {
  Tenant tenant;
  VANTUS_TRY(tenant.slug, parseSlug(slug));
  VANTUS_TRY(tenant.name, parseTenantName(name));
  return writeValue<Tenant>(store_, [&](Transaction& tx) -> Result<Tenant> {
    VANTUS_TRY(Tenant created, tx.insertTenant(tenant));
    VANTUS_TRY_VOID(appendAuditRow(tx, actor, created.id, "tenant.create",
                                   target("tenant", created.id), nullptr, tenantJson(created)));
    return created;
  });
}

Result<Tenant> ModelService::tenant(Id id) const {
  return readValue<Tenant>(store_, [&](Transaction& tx) { return tx.tenant(id); });
}

Result<Tenant> ModelService::tenantBySlug(std::string_view slug) const {
  return readValue<Tenant>(store_, [&](Transaction& tx) { return tx.tenantBySlug(slug); });
}

Result<std::vector<Tenant>> ModelService::listTenants(Id after_id, std::size_t limit) const {
  return readValue<std::vector<Tenant>>(
      store_, [&](Transaction& tx) { return tx.listTenants(after_id, limit); });
}

Result<Tenant> ModelService::updateTenant(const Actor& actor, Id id, const TenantUpdate& update) {
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
    VANTUS_TRY_VOID(appendAuditRow(tx, actor, id, "tenant.update", target("tenant", id),
                                   tenantJson(before), tenantJson(after)));
    return after;
  });
}

Result<void> ModelService::deleteTenant(const Actor& actor, Id id) {
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
    VANTUS_TRY_VOID(tx.deleteTenant(id));
    return appendAuditRow(tx, actor, id, "tenant.delete", target("tenant", id), tenantJson(before),
                          nullptr);
  });
}

Result<TenantConfig> ModelService::tenantConfig(Id tenant_id) const {
  return readValue<TenantConfig>(store_,
                                 [&](Transaction& tx) { return tx.tenantConfig(tenant_id); });
}

Result<Domain> ModelService::addDomain(const Actor& actor, Id tenant_id, Domain domain) {
  domain.tenant_id = tenant_id;
  return writeValue<Domain>(store_, [&](Transaction& tx) -> Result<Domain> {
    VANTUS_TRY(Tenant owner, tx.tenant(tenant_id));
    VANTUS_TRY(Domain created, tx.insertDomain(domain));
    VANTUS_TRY_VOID(appendAuditRow(tx, actor, owner.id, "domain.create",
                                   target("domain", created.id), nullptr, toJson(created)));
    return created;
  });
}

Result<Domain> ModelService::updateDomain(const Actor& actor, Id domain_id, Domain domain) {
  return writeValue<Domain>(store_, [&](Transaction& tx) -> Result<Domain> {
    VANTUS_TRY(Domain before, tx.domain(domain_id));
    domain.id = domain_id;
    domain.tenant_id = before.tenant_id;
    VANTUS_TRY(Domain after, tx.updateDomain(domain));
    VANTUS_TRY_VOID(appendAuditRow(tx, actor, before.tenant_id, "domain.update",
                                   target("domain", domain_id), toJson(before), toJson(after)));
    return after;
  });
}

Result<void> ModelService::deleteDomain(const Actor& actor, Id domain_id) {
  return store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(Domain before, tx.domain(domain_id));
    VANTUS_TRY_VOID(tx.deleteDomain(domain_id));
    return appendAuditRow(tx, actor, before.tenant_id, "domain.delete", target("domain", domain_id),
                          toJson(before), nullptr);
  });
}

Result<std::vector<Domain>> ModelService::domains(Id tenant_id) const {
  return readValue<std::vector<Domain>>(store_,
                                        [&](Transaction& tx) -> Result<std::vector<Domain>> {
                                          VANTUS_TRY_VOID(tx.tenant(tenant_id));
                                          return tx.domainsOfTenant(tenant_id);
                                        });
}

Result<UpstreamPool> ModelService::addPool(const Actor& actor, Id tenant_id, UpstreamPool pool) {
  pool.tenant_id = tenant_id;
  return writeValue<UpstreamPool>(store_, [&](Transaction& tx) -> Result<UpstreamPool> {
    VANTUS_TRY(Tenant owner, tx.tenant(tenant_id));
    VANTUS_TRY(UpstreamPool created, tx.insertPool(pool));
    VANTUS_TRY_VOID(appendAuditRow(tx, actor, owner.id, "upstream_pool.create",
                                   target("upstream_pool", created.id), nullptr, toJson(created)));
    return created;
  });
}

Result<UpstreamPool> ModelService::updatePool(const Actor& actor, Id pool_id, UpstreamPool pool) {
  return writeValue<UpstreamPool>(store_, [&](Transaction& tx) -> Result<UpstreamPool> {
    VANTUS_TRY(UpstreamPool before, tx.pool(pool_id));
    pool.id = pool_id;
    pool.tenant_id = before.tenant_id;
    VANTUS_TRY(UpstreamPool after, tx.updatePool(pool));
    VANTUS_TRY_VOID(appendAuditRow(tx, actor, before.tenant_id, "upstream_pool.update",
                                   target("upstream_pool", pool_id), toJson(before),
                                   toJson(after)));
    return after;
  });
}

Result<void> ModelService::deletePool(const Actor& actor, Id pool_id) {
  return store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(UpstreamPool before, tx.pool(pool_id));
    VANTUS_TRY_VOID(tx.deletePool(pool_id));
    return appendAuditRow(tx, actor, before.tenant_id, "upstream_pool.delete",
                          target("upstream_pool", pool_id), toJson(before), nullptr);
  });
}

Result<std::vector<UpstreamPool>> ModelService::pools(Id tenant_id) const {
  return readValue<std::vector<UpstreamPool>>(
      store_, [&](Transaction& tx) -> Result<std::vector<UpstreamPool>> {
        VANTUS_TRY_VOID(tx.tenant(tenant_id));
        return tx.poolsOfTenant(tenant_id);
      });
}

Result<EdgePolicy> ModelService::putPolicy(const Actor& actor, Id tenant_id, EdgePolicy policy) {
  policy.tenant_id = tenant_id;
  return writeValue<EdgePolicy>(store_, [&](Transaction& tx) -> Result<EdgePolicy> {
    VANTUS_TRY_VOID(tx.tenant(tenant_id));
    VANTUS_TRY(EdgePolicy before, tx.policyOfTenant(tenant_id));
    VANTUS_TRY(EdgePolicy after, tx.putPolicy(policy));
    VANTUS_TRY_VOID(appendAuditRow(tx, actor, tenant_id, "edge_policy.update",
                                   target("edge_policy", tenant_id), toJson(before),
                                   toJson(after)));
    return after;
  });
}

Result<EdgePolicy> ModelService::policy(Id tenant_id) const {
  return readValue<EdgePolicy>(store_, [&](Transaction& tx) -> Result<EdgePolicy> {
    VANTUS_TRY_VOID(tx.tenant(tenant_id));
    return tx.policyOfTenant(tenant_id);
  });
}

}  // namespace vantus::controller
