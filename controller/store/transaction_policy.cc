#include "controller/store/policy_codec.h"
#include "controller/store/sqlite_transaction.h"
#include "controller/store/store_support.h"

namespace vantus::controller {

namespace {

Result<EdgePolicy> policyFromRow(const sqlite::Statement& row) {
  EdgePolicy policy;
  policy.tenant_id = row.integer(0);
  VANTUS_TRY(policy.headers, headersFromJsonText(row.text(1)));
  if (!row.isNull(2)) {
    policy.rate_limit =
        RateLimit{static_cast<int>(row.integer(2)), static_cast<int>(row.integer(3))};
  }
  VANTUS_TRY(policy.ip_allowlist, stringsFromJsonText(row.text(4), "ip_allowlist_json"));
  VANTUS_TRY(policy.cors_origins, stringsFromJsonText(row.text(5), "cors_origins_json"));
  policy.cache_ttl_s = static_cast<int>(row.integer(6));
  policy.compression = row.boolean(7);
  policy.max_body_bytes = static_cast<std::uint64_t>(row.integer(8));
  policy.security_headers = row.boolean(9);
  policy.updated_at = row.text(10);
  return policy;
}

}  // namespace

Result<EdgePolicy> SqliteTransaction::policyOfTenant(Id tenant_id) {
  {
    VANTUS_TRY(sqlite::Statement query,
               db_.prepare("SELECT tenant_id, headers_json, rate_limit_rps, rate_limit_burst, "
                           "ip_allowlist_json, cors_origins_json, cache_ttl_s, compression, "
                           "max_body_bytes, security_headers, updated_at "
                           "FROM edge_policies WHERE tenant_id = ?"));
    query.bindInt(tenant_id);
    VANTUS_TRY(bool found, query.step());
    if (found) {
      return policyFromRow(query);
    }
  }
  VANTUS_TRY_VOID(requireRow("SELECT 1 FROM tenants WHERE id = ?", "tenant", tenant_id));
  EdgePolicy defaults;
  defaults.tenant_id = tenant_id;
  return defaults;
}

Result<EdgePolicy> SqliteTransaction::putPolicy(const EdgePolicy& policy) {
  VANTUS_TRY_VOID(requireWritable("putPolicy"));
  VANTUS_TRY_VOID(requireRow("SELECT 1 FROM tenants WHERE id = ?", "tenant", policy.tenant_id));
  VANTUS_TRY(sqlite::Statement upsert,
             db_.prepare("INSERT INTO edge_policies (tenant_id, headers_json, rate_limit_rps, "
                         "rate_limit_burst, ip_allowlist_json, cors_origins_json, cache_ttl_s, "
                         "compression, max_body_bytes, security_headers, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT (tenant_id) DO UPDATE SET "
                         "headers_json = excluded.headers_json, "
                         "rate_limit_rps = excluded.rate_limit_rps, "
                         "rate_limit_burst = excluded.rate_limit_burst, "
                         "ip_allowlist_json = excluded.ip_allowlist_json, "
                         "cors_origins_json = excluded.cors_origins_json, "
                         "cache_ttl_s = excluded.cache_ttl_s, "
                         "compression = excluded.compression, "
                         "max_body_bytes = excluded.max_body_bytes, "
                         "security_headers = excluded.security_headers, "
                         "updated_at = excluded.updated_at"));
  std::optional<std::int64_t> rps;
  std::optional<std::int64_t> burst;
  if (policy.rate_limit) {
    rps = policy.rate_limit->requests_per_second;
    burst = policy.rate_limit->burst;
  }
  upsert.bindInt(policy.tenant_id)
      .bindText(headersToJsonText(policy.headers))
      .bindOptionalInt(rps)
      .bindOptionalInt(burst)
      .bindText(stringsToJsonText(policy.ip_allowlist))
      .bindText(stringsToJsonText(policy.cors_origins))
      .bindInt(policy.cache_ttl_s)
      .bindBool(policy.compression)
      .bindInt(static_cast<std::int64_t>(policy.max_body_bytes))
      .bindBool(policy.security_headers)
      .bindText(nowText());
  VANTUS_TRY_VOID(upsert.run());
  return policyOfTenant(policy.tenant_id);
}

}  // namespace vantus::controller
