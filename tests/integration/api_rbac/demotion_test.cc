// Rights are the token's scopes ∩ the owner's role *now*: a demoted user's existing token
// loses what the new role does not allow on the very next request.
#include <doctest/doctest.h>

#include <chrono>

#include "common/crypto/ed25519.h"
#include "tests/support/api/api_server.h"

namespace vantus::testing {
namespace {

using controller::Id;
using controller::TenantRole;
using nlohmann::json;

struct Tenant {
  Id id = 0;
  std::string path;
};

Tenant makeTenant(ApiServer& api, const std::string& slug) {
  auto made = api.call("POST", "/api/v1/tenants", json{{"slug", slug}, {"name", slug}}.dump());
  REQUIRE(made);
  REQUIRE(made->status == 201);
  Tenant tenant;
  tenant.id = json::parse(made->body)["id"];
  tenant.path = "/api/v1/tenants/" + std::to_string(tenant.id);
  return tenant;
}

int status(const httplib::Result& result) { return result ? result->status : 0; }

TEST_CASE("demoting an owner to viewer in the store takes config:write from their token at once") {
  ApiServer api;
  api.services().limits = controller::ApiLimits{{0, 0}, {0, 0}, {0, 0}};
  Tenant tenant = makeTenant(api, "demoted");
  const Id user = api.addUser("demoted@rbac.example");
  api.addMember(user, tenant.id, TenantRole::kOwner);
  const std::string token = api.token("demoted@rbac.example", kEveryScope);
  const std::string policy = tenant.path + "/edge-policy";

  CHECK(status(api.call("PUT", policy, R"({"headers":{"X-Step":"owner"}})", token)) == 200);
  CHECK(status(api.call("POST", tenant.path + "/domains", R"({"name":"one.rbac.example"})",
                        token)) == 201);

  api.addMember(user, tenant.id, TenantRole::kViewer);  // upsert: owner -> viewer

  auto refused = api.call("PUT", policy, R"({"headers":{"X-Step":"viewer"}})", token);
  checkProblem(refused, 403, "");
  checkProblem(api.call("POST", tenant.path + "/domains", R"({"name":"two.rbac.example"})", token),
               403, "");
  checkProblem(api.call("PATCH", tenant.path, R"({"name":"Still mine"})", token), 403, "");
  // What a viewer may do still works with the same token, and nothing was written.
  auto read = api.call("GET", policy, "", token);
  REQUIRE(read);
  CHECK(read->status == 200);
  CHECK(json::parse(read->body)["headers"]["X-Step"] == "owner");
}

TEST_CASE("a role change through the API applies to existing tokens at once") {
  ApiServer api;
  api.services().limits = controller::ApiLimits{{0, 0}, {0, 0}, {0, 0}};
  Tenant tenant = makeTenant(api, "changed");
  const Id user = api.addUser("changed@rbac.example");
  api.addMember(user, tenant.id, TenantRole::kOwner);
  const std::string token = api.token("changed@rbac.example", kEveryScope);
  const std::string member = tenant.path + "/members/" + std::to_string(user);

  CHECK(status(api.call("PATCH", tenant.path, R"({"name":"Owned"})", token)) == 200);

  // Owner -> operator: tenants:write goes, config:write stays (operators edit config).
  auto changed = api.call("PUT", member, R"({"role":"operator"})");
  REQUIRE(changed);
  CHECK(changed->status == 200);
  checkProblem(api.call("PATCH", tenant.path, R"({"name":"Operated"})", token), 403, "");
  CHECK(status(api.call("PUT", tenant.path + "/edge-policy", R"({"headers":{"X-Op":"1"}})",
                        token)) == 200);

  // Removed from the tenant: it is gone for them (404, not 403).
  auto removed = api.call("DELETE", member);
  REQUIRE(removed);
  CHECK(removed->status == 204);
  checkProblem(api.call("GET", tenant.path, "", token), 404, "");
  checkProblem(api.call("PUT", tenant.path + "/edge-policy", R"({"headers":{"X-Op":"2"}})", token),
               404, "");
}

TEST_CASE("disabling or deleting a user ends their tokens at once (401)") {
  ApiServer api;
  api.services().limits = controller::ApiLimits{{0, 0}, {0, 0}, {0, 0}};
  const Id disabled = api.addUser("disabled@rbac.example");
  const Id deleted = api.addUser("deleted@rbac.example");
  const std::string disabled_token = api.token("disabled@rbac.example", kEveryScope);
  const std::string deleted_token = api.token("deleted@rbac.example", kEveryScope);
  CHECK(status(api.call("GET", "/api/v1/tokens", "", disabled_token)) == 200);
  CHECK(status(api.call("GET", "/api/v1/tokens", "", deleted_token)) == 200);

  CHECK(status(api.call("PATCH", "/api/v1/users/" + std::to_string(disabled),
                        R"({"disabled":true})")) == 200);
  checkProblem(api.call("GET", "/api/v1/tokens", "", disabled_token), 401, "");
  CHECK(status(api.call("DELETE", "/api/v1/users/" + std::to_string(deleted))) == 204);
  checkProblem(api.call("GET", "/api/v1/tokens", "", deleted_token), 401, "");
}

TEST_CASE("a node's credential and an enrolment token grant nothing under /api/v1") {
  ApiServer api;
  auto cluster = api.call("POST", "/api/v1/edge-clusters", R"({"name":"edge-c"})");
  REQUIRE(cluster);
  REQUIRE(cluster->status == 201);
  auto enrolment = api.app().fleet().createEnrollmentToken(
      controller::localOperator(controller::Actor{}), "edge-c", std::chrono::seconds(600));
  REQUIRE(enrolment);
  checkProblem(api.call("GET", "/api/v1/edge-clusters", "", enrolment->token), 401, "");
  auto key = crypto::Ed25519PrivateKey::generate();
  REQUIRE(key);
  auto node =
      api.app().fleet().enroll(enrolment->token, "n1", key->publicKey().pem(), controller::Actor{});
  REQUIRE(node);
  for (const char* path : {"/api/v1/edge-clusters", "/api/v1/tenants", "/api/v1/tokens"}) {
    checkProblem(api.call("GET", path, "", node->credential), 401, "");
  }
}

}  // namespace
}  // namespace vantus::testing
