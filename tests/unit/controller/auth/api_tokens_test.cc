#include "controller/auth/api_tokens.h"

#include <doctest/doctest.h>

#include "controller/auth/access.h"

namespace vantus::controller {
namespace {

TEST_CASE("scopes are validated, de-duplicated and ordered") {
  auto scopes = parseScopes("deploy,tenants:read,deploy");
  REQUIRE(scopes);
  CHECK(*scopes == std::vector<std::string>{"tenants:read", "deploy"});
  auto unknown = parseScopes("tenants:read,root");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().field == "scopes");
  CHECK(unknown.error().message.find("root") != std::string::npos);
  CHECK_FALSE(parseScopes(""));
}

TEST_CASE("only the vt_<12 hex>_<43 base64url> form is a token") {
  const std::string secret(43, 'A');
  auto parts = splitApiToken("vt_0123456789ab_" + secret);
  REQUIRE(parts);
  CHECK(parts->prefix == "0123456789ab");
  CHECK(parts->secret == secret);
  for (std::string bad : {"vt_0123456789AB_" + secret, "vx_0123456789ab_" + secret,
                          "vt_0123456789ab_" + secret + "A", "vt_0123456789ab-" + secret,
                          "vt_0123456789ab_" + std::string(42, 'A') + "=", std::string()}) {
    CAPTURE(bad);
    auto refused = splitApiToken(bad);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::kUnauthenticated);
  }
}

TEST_CASE("tenant roles allow what docs/rbac.md says") {
  for (TenantRole role : {TenantRole::kOwner, TenantRole::kAdmin}) {
    CHECK(roleAllows(role, "config:write"));
    CHECK(roleAllows(role, "deploy"));
    CHECK_FALSE(roleAllows(role, "users:admin"));
    CHECK_FALSE(roleAllows(role, "edges:write"));
  }
  CHECK(roleAllows(TenantRole::kOperator, "deploy"));
  CHECK(roleAllows(TenantRole::kOperator, "config:write"));
  CHECK_FALSE(roleAllows(TenantRole::kOperator, "tenants:write"));
  CHECK_FALSE(roleAllows(TenantRole::kOperator, "audit:read"));
  CHECK(roleAllows(TenantRole::kViewer, "config:read"));
  CHECK_FALSE(roleAllows(TenantRole::kViewer, "deploy"));
  CHECK_FALSE(roleAllows(TenantRole::kViewer, "tenants:write"));
}

}  // namespace
}  // namespace vantus::controller
