#include "controller/deploy/tenant_snapshot.h"

#include "controller/model/parse_json.h"
#include "controller/model/validate.h"

namespace vantus::controller {

using nlohmann::json;

json tenantSnapshot(const TenantConfig& config) {
  json snapshot = json::object();
  snapshot["tenant"] = {{"slug", config.tenant.slug},
                        {"name", config.tenant.name},
                        {"status", tenantStatusName(config.tenant.status)}};
  snapshot["domains"] = json::array();
  for (const Domain& domain : config.domains) {
    snapshot["domains"].push_back(toJson(domain));
  }
  snapshot["pools"] = json::array();
  for (const UpstreamPool& pool : config.pools) {
    snapshot["pools"].push_back(toJson(pool));
  }
  snapshot["policy"] = toJson(config.policy);
  return snapshot;
}

namespace {

Result<const json*> member(const json& object, const char* key, bool (json::*is_kind)() const) {
  auto it = object.find(key);
  if (it == object.end() || !((*it).*is_kind)()) {
    return fail(ErrorCode::kInvalidInput,
                std::string("deployment snapshot has no valid \"") + key + "\"", key);
  }
  return &*it;
}

}  // namespace

Result<TenantConfig> parseTenantSnapshot(const json& snapshot) {
  if (!snapshot.is_object()) {
    return fail(ErrorCode::kInvalidInput, "deployment snapshot is not an object");
  }
  TenantConfig config;
  VANTUS_TRY(const json* tenant, member(snapshot, "tenant", &json::is_object));
  VANTUS_TRY(const json* slug, member(*tenant, "slug", &json::is_string));
  VANTUS_TRY(const json* name, member(*tenant, "name", &json::is_string));
  VANTUS_TRY(const json* status, member(*tenant, "status", &json::is_string));
  VANTUS_TRY(config.tenant.slug, parseSlug(slug->get<std::string>()));
  VANTUS_TRY(config.tenant.name, parseTenantName(name->get<std::string>()));
  VANTUS_TRY(config.tenant.status, parseTenantStatus(status->get<std::string>()));
  VANTUS_TRY(const json* domains, member(snapshot, "domains", &json::is_array));
  for (const json& item : *domains) {
    VANTUS_TRY(Domain domain, parseDomainJson(item));
    config.domains.push_back(std::move(domain));
  }
  VANTUS_TRY(const json* pools, member(snapshot, "pools", &json::is_array));
  for (const json& item : *pools) {
    VANTUS_TRY(UpstreamPool pool, parseUpstreamPoolJson(item));
    config.pools.push_back(std::move(pool));
  }
  VANTUS_TRY(const json* policy, member(snapshot, "policy", &json::is_object));
  VANTUS_TRY(config.policy, parseEdgePolicyJson(*policy));
  return config;
}

}  // namespace vantus::controller
