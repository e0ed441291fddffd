#include "controller/deploy/tenant_snapshot.h"

#include <doctest/doctest.h>

#include "controller/model/parse_json.h"
#include "controller/model/validate.h"

namespace vantus::controller {
namespace {

TenantConfig sampleTenant() {
  TenantConfig config;
  config.tenant.id = 7;
  config.tenant.slug = "acme";
  config.tenant.name = "Acme Ltd";
  config.tenant.status = TenantStatus::kSuspended;
  auto domain =
      parseDomainJson({{"name", "www.acme.example"}, {"tls_enabled", true}, {"force_https", true}});
  REQUIRE(domain);
  config.domains.push_back(*domain);
  auto pool =
      parseUpstreamPoolJson({{"name", "web"},
                             {"targets",
                              {{{"host", "10.0.0.5"}, {"port", 8080}, {"weight", 3}},
                               {{"host", "2001:db8::1"}, {"port", 80}, {"backup", true}}}}});
  REQUIRE(pool);
  config.pools.push_back(*pool);
  auto policy = parseEdgePolicyJson({{"headers", {{"X-Frame-Options", "DENY"}}},
                                     {"rate_limit", {{"rps", 20}, {"burst", 40}}},
                                     {"ip_allowlist", {"10.0.0.0/8"}}});
  REQUIRE(policy);
  config.policy = *policy;
  return config;
}

TEST_CASE("a snapshot parses back to the model it was taken from, without ids") {
  const TenantConfig original = sampleTenant();
  auto parsed = parseTenantSnapshot(tenantSnapshot(original));
  REQUIRE(parsed);
  CHECK(parsed->tenant.id == 0);
  CHECK(parsed->tenant.slug == "acme");
  CHECK(parsed->tenant.name == "Acme Ltd");
  CHECK(parsed->tenant.status == TenantStatus::kSuspended);
  REQUIRE(parsed->domains.size() == 1);
  CHECK(toJson(parsed->domains[0]) == toJson(original.domains[0]));
  REQUIRE(parsed->pools.size() == 1);
  CHECK(toJson(parsed->pools[0]) == toJson(original.pools[0]));
  CHECK(toJson(parsed->policy) == toJson(original.policy));
  CHECK(tenantSnapshot(*parsed) == tenantSnapshot(original));
}

TEST_CASE("a snapshot goes through the same strict parsers as any input") {
  nlohmann::json snapshot = tenantSnapshot(sampleTenant());
  snapshot["domains"][0]["name"] = "a.com;include /etc/passwd";
  auto parsed = parseTenantSnapshot(snapshot);
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().code == ErrorCode::kInvalidInput);

  nlohmann::json missing = tenantSnapshot(sampleTenant());
  missing.erase("policy");
  auto refused = parseTenantSnapshot(missing);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().field == "policy");
  CHECK_FALSE(parseTenantSnapshot(nlohmann::json::array()));
}

}  // namespace
}  // namespace vantus::controller
