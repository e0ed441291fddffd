#include "tests/integration/api_rbac/rbac_world.h"

#include <doctest/doctest.h>

#include <chrono>

#include "common/crypto/ed25519.h"
#include "controller/service/model_service.h"
#include "controller/store/store_access.h"

namespace vantus::testing::rbac {

using controller::TenantRole;
using nlohmann::json;

namespace {

constexpr const char* kPoolBody = R"({"name":"web","targets":[{"host":"127.0.0.1","port":9000}]})";

std::vector<std::string> everyScopeBut(const std::string& scope) {
  std::vector<std::string> scopes;
  for (const std::string& each : kEveryScope) {
    if (each != scope) {
      scopes.push_back(each);
    }
  }
  return scopes;
}

}  // namespace

std::string World::emailOf(Who who) { return std::string(nameOf(who)) + "@rbac.example"; }

World::World() {
  // The matrix makes hundreds of writes from one address; rate limits have their own test.
  api_.services().limits = controller::ApiLimits{{0, 0}, {0, 0}, {0, 0}};
  for (Who who : kEveryone) {
    users_[static_cast<std::size_t>(who)] = api_.addUser(emailOf(who), who == Who::kPlatformAdmin);
  }
  cluster_main = asAdmin("POST", "/api/v1/edge-clusters", R"({"name":"edge-main"})")["id"];
  cluster_b_only = asAdmin("POST", "/api/v1/edge-clusters", R"({"name":"edge-b"})")["id"];
  node_main = freshNode();

  tenant_a = tenantLikeA("tenant-a");
  tenant_b = asAdmin("POST", "/api/v1/tenants", R"({"slug":"tenant-b","name":"B"})")["id"];
  tenant_r = tenantLikeA("tenant-r");
  b_owner = api_.addUser("owner@b.example");
  api_.addMember(b_owner, tenant_b, TenantRole::kOwner);
  b_owner_token = api_.token("owner@b.example", kEveryScope);

  const std::string a = "/api/v1/tenants/" + str(tenant_a);
  const std::string b = "/api/v1/tenants/" + str(tenant_b);
  const std::string r = "/api/v1/tenants/" + str(tenant_r);
  domain_a = asAdmin("POST", a + "/domains", R"({"name":"www.a.example"})")["id"];
  domain_b = asAdmin("POST", b + "/domains", R"({"name":"www.b.example"})")["id"];
  asAdmin("POST", r + "/domains", R"({"name":"www.r.example"})");
  pool_a = asAdmin("POST", a + "/upstream-pools", kPoolBody)["id"];
  pool_b = asAdmin("POST", b + "/upstream-pools", kPoolBody)["id"];
  asAdmin("POST", r + "/upstream-pools", kPoolBody);
  asAdmin("PUT", a + "/clusters/" + str(cluster_main), "{}");
  asAdmin("PUT", b + "/clusters/" + str(cluster_main), "{}");
  asAdmin("PUT", b + "/clusters/" + str(cluster_b_only), "{}");
  asAdmin("PUT", r + "/clusters/" + str(cluster_main), "{}");

  deploy_a1 = deploy(tenant_a);
  changeDrafts(tenant_a);
  deploy_a2 = deploy(tenant_a);
  deploy_b1 = deploy(tenant_b);
  deploy_r1 = deploy(tenant_r);
  changeDrafts(tenant_r);
  deploy_r2 = deploy(tenant_r);
  rollback_target = deploy_r1;
}

json World::asAdmin(const std::string& method, const std::string& path, const std::string& body) {
  auto result = api_.call(method, path, body);
  INFO("setup: ", method, " ", path, " ", body);
  REQUIRE(result);
  INFO("answer: ", result->status, " ", result->body);
  REQUIRE(result->status >= 200);
  REQUIRE(result->status < 300);
  if (result->body.empty()) {
    return nullptr;
  }
  return json::parse(result->body);
}

std::string World::token(Who who, TokenKind kind, const std::string& scope, Id own_tenant) {
  std::optional<Id> binding;
  std::vector<std::string> scopes = kEveryScope;
  switch (kind) {
    case TokenKind::kAllScopes:
      break;
    case TokenKind::kAllButNeeded:
      scopes = everyScopeBut(scope);
      break;
    case TokenKind::kBoundOwn:
      binding = own_tenant;
      break;
    case TokenKind::kBoundOther:
      binding = tenant_b;
      break;
  }
  const std::string key = std::string(nameOf(who)) + "|" + std::string(nameOf(kind)) + "|" +
                          (kind == TokenKind::kAllButNeeded ? scope : "") + "|" +
                          (binding ? str(*binding) : "");
  auto found = tokens_.find(key);
  if (found != tokens_.end()) {
    return found->second;
  }
  std::string secret = api_.token(emailOf(who), scopes, binding);
  tokens_.emplace(key, secret);
  return secret;
}

Id World::tokenId(const std::string& secret) {
  // "vt_<12 hex>_<secret>"
  const std::string prefix = secret.substr(3, 12);
  auto found = controller::readValue<controller::ApiToken>(
      api_.app().store(), [&](controller::Transaction& tx) { return tx.apiTokenByPrefix(prefix); });
  REQUIRE(found);
  return found->id;
}

std::string World::unique(std::string_view stem) {
  return std::string(stem) + "-" + std::to_string(++counter_);
}

Id World::tenantLikeA(const std::string& slug) {
  json made =
      asAdmin("POST", "/api/v1/tenants", json{{"slug", slug}, {"name", "Like A: " + slug}}.dump());
  const Id tenant = made["id"];
  api_.addMember(userId(Who::kOwner), tenant, TenantRole::kOwner);
  api_.addMember(userId(Who::kAdmin), tenant, TenantRole::kAdmin);
  api_.addMember(userId(Who::kOperator), tenant, TenantRole::kOperator);
  api_.addMember(userId(Who::kViewer), tenant, TenantRole::kViewer);
  return tenant;
}

Id World::freshDomain(Id tenant) {
  return asAdmin("POST", "/api/v1/tenants/" + str(tenant) + "/domains",
                 json{{"name", unique("fresh") + ".rbac.example"}}.dump())["id"];
}

Id World::freshPool(Id tenant) {
  json body = json::parse(kPoolBody);
  body["name"] = unique("pool");
  return asAdmin("POST", "/api/v1/tenants/" + str(tenant) + "/upstream-pools", body.dump())["id"];
}

Id World::freshCluster() {
  return asAdmin("POST", "/api/v1/edge-clusters", json{{"name", unique("edge")}}.dump())["id"];
}

Id World::freshUser() { return api_.addUser(unique("user") + "@rbac.example"); }

Id World::freshNode() {
  auto enrolment = api_.app().fleet().createEnrollmentToken(
      controller::localOperator(controller::Actor{}), "edge-main", std::chrono::seconds(600));
  REQUIRE(enrolment);
  auto key = crypto::Ed25519PrivateKey::generate();
  REQUIRE(key);
  auto enrolled = api_.app().fleet().enroll(enrolment->token, unique("node"),
                                            key->publicKey().pem(), controller::Actor{});
  REQUIRE(enrolled);
  return enrolled->node.id;
}

void World::changeDrafts(Id tenant) {
  asAdmin("PUT", "/api/v1/tenants/" + str(tenant) + "/edge-policy",
          json{{"headers", {{"X-Rbac", unique("v")}}}}.dump());
}

Id World::deploy(Id tenant) {
  return asAdmin("POST", "/api/v1/deployments", json{{"tenant_id", tenant}}.dump())["id"];
}

}  // namespace vantus::testing::rbac
