// Ids the caller may not use: another tenant's domain, pool or deployment answers 404 (never
// 403, so ids leak nothing), and a stale ETag answers 412 naming If-Match. Nothing changes.
#include <doctest/doctest.h>

#include "tests/integration/api_lifecycle/lifecycle_client.h"
#include "tests/integration/api_lifecycle/observed_state.h"

namespace vantus::testing {
namespace {

using nlohmann::json;

std::string id(controller::Id value) { return std::to_string(value); }

// `bearer` acts for tenant a only; everything of tenant b must look absent.
void checkTenantBHidden(ApiServer& api, const DeployedWorld& world, const ObservedState& before,
                        const std::string& bearer) {
  const std::string& a = world.a.path;
  const std::string& b = world.b.path;
  const std::string b_deployment = "/api/v1/deployments/" + id(world.b.deployment);
  for (const std::string& tenant : {a, b}) {
    const std::string domain = tenant + "/domains/" + id(world.b.domain);
    const std::string pool = tenant + "/upstream-pools/" + id(world.b.pool);
    checkRefused(api, before, "GET", domain, "", 404, "", bearer);
    checkRefused(api, before, "PATCH", domain, R"({"tls_enabled":true})", 404, "", bearer);
    checkRefused(api, before, "DELETE", domain, "", 404, "", bearer);
    checkRefused(api, before, "GET", pool, "", 404, "", bearer);
    checkRefused(api, before, "PUT", pool,
                 R"({"name":"web","targets":[{"host":"127.0.0.1","port":9001}]})", 404, "", bearer);
    checkRefused(api, before, "DELETE", pool, "", 404, "", bearer);
  }
  checkRefused(api, before, "GET", b, "", 404, "", bearer);
  checkRefused(api, before, "GET", b + "/edge-policy", "", 404, "", bearer);
  checkRefused(api, before, "PUT", b + "/edge-policy", R"({"headers":{"X-A":"b"}})", 404, "",
               bearer);
  checkRefused(api, before, "GET", b + "/deployments", "", 404, "", bearer);
  checkRefused(api, before, "GET", b_deployment, "", 404, "", bearer);
  checkRefused(api, before, "GET", b_deployment + "/nodes", "", 404, "", bearer);
  checkRefused(api, before, "GET", b_deployment + "/diff?against=" + id(world.a.deployment), "",
               404, "", bearer);
  checkRefused(api, before, "POST", "/api/v1/deployments", json{{"tenant_id", world.b.id}}.dump(),
               404, "", bearer);
  checkRefused(api, before, "POST", a + "/rollback",
               json{{"deployment_id", world.b.deployment}}.dump(), 404, "", bearer);
  checkRefused(api, before, "POST", b + "/rollback",
               json{{"deployment_id", world.b.deployment}}.dump(), 404, "", bearer);
}

TEST_CASE("refused: a token bound to tenant A asking for tenant B's ids gets 404") {
  ApiServer api;
  DeployedWorld world = deployWorld(api);
  const std::string bound = api.token(ApiServer::kAdminEmail, kEveryScope, world.a.id);
  const ObservedState before = observe(api, world.watched);
  REQUIRE(api.call("GET", world.a.path + "/domains/" + id(world.a.domain), "", bound)->status ==
          200);
  checkTenantBHidden(api, world, before, bound);
}

TEST_CASE("refused: an owner of tenant A asking for tenant B's ids gets 404") {
  ApiServer api;
  DeployedWorld world = deployWorld(api);
  const controller::Id owner = api.addUser("owner@example.com");
  api.addMember(owner, world.a.id, controller::TenantRole::kOwner);
  const std::string token = api.token("owner@example.com", kEveryScope);
  const ObservedState before = observe(api, world.watched);
  REQUIRE(
      api.call("GET", world.a.path + "/upstream-pools/" + id(world.a.pool), "", token)->status ==
      200);
  checkTenantBHidden(api, world, before, token);
}

TEST_CASE("refused: an id spelled with leading zeros names nothing") {
  ApiServer api;
  DeployedWorld world = deployWorld(api);
  const ObservedState before = observe(api, world.watched);
  const std::string zeros = "/api/v1/tenants/0" + id(world.a.id);
  REQUIRE(api.call("GET", world.a.path, "", api.adminToken())->status == 200);
  checkRefused(api, before, "GET", zeros, "", 404, "", api.adminToken());
  checkRefused(api, before, "PATCH", zeros, R"({"name":"Renamed"})", 404, "", api.adminToken());
  checkRefused(api, before, "GET", zeros + "/domains/00" + id(world.a.domain), "", 404, "",
               api.adminToken());
  checkRefused(api, before, "DELETE", world.a.path + "/domains/0" + id(world.a.domain), "", 404, "",
               api.adminToken());
  checkRefused(api, before, "GET", "/api/v1/deployments/0" + id(world.a.deployment), "", 404, "",
               api.adminToken());
}

TEST_CASE("refused: a stale ETag is 412 naming If-Match") {
  ApiServer api;
  DeployedWorld world = deployWorld(api);
  const std::string& t = world.a.path;
  const std::string domain = t + "/domains/" + id(world.a.domain);
  const std::string pool = t + "/upstream-pools/" + id(world.a.pool);
  const std::string policy = t + "/edge-policy";
  const std::string assignment = t + "/clusters/" + id(world.cluster);
  struct Stale {
    std::string path;
    std::string etag;
  };
  std::vector<Stale> stale;
  for (const std::string& path : {t, domain, pool, policy, assignment}) {
    stale.push_back({path, send(api, "GET", path).etag});
  }
  // One change to each makes the ETags read above stale.
  REQUIRE(api.call("PATCH", t, R"({"name":"Alpha Inc"})")->status == 200);
  REQUIRE(api.call("PATCH", domain, R"({"is_primary":true})")->status == 200);
  REQUIRE(api.call("PUT", pool, R"({"name":"web","targets":[{"host":"127.0.0.1","port":9002}]})")
              ->status == 200);
  REQUIRE(api.call("PUT", policy, R"({"headers":{"X-Tenant":"two"}})")->status == 200);
  REQUIRE(api.call("DELETE", assignment)->status == 204);
  REQUIRE(api.call("PUT", assignment, "{}")->status == 200);
  stale.back().etag = "\"0123456789abcdef0123456789abcdef\"";

  world.watched.push_back(domain);
  world.watched.push_back(pool);
  world.watched.push_back(assignment);
  const ObservedState before = observe(api, world.watched);
  const Stale& tenant = stale[0];
  checkRefused(api, before, "PATCH", t, R"({"name":"Alpha"})", 412, "If-Match", "",
               ifMatch(tenant.etag));
  checkRefused(api, before, "DELETE", t, "", 412, "If-Match", "", ifMatch(tenant.etag));
  checkRefused(api, before, "PATCH", domain, R"({"is_primary":false})", 412, "If-Match", "",
               ifMatch(stale[1].etag));
  checkRefused(api, before, "DELETE", domain, "", 412, "If-Match", "", ifMatch(stale[1].etag));
  checkRefused(api, before, "PUT", pool,
               R"({"name":"web","targets":[{"host":"127.0.0.1","port":9000}]})", 412, "If-Match",
               "", ifMatch(stale[2].etag));
  checkRefused(api, before, "DELETE", pool, "", 412, "If-Match", "", ifMatch(stale[2].etag));
  checkRefused(api, before, "PUT", policy, R"({"headers":{"X-Tenant":"one"}})", 412, "If-Match", "",
               ifMatch(stale[3].etag));
  checkRefused(api, before, "DELETE", policy, "", 412, "If-Match", "", ifMatch(stale[3].etag));
  checkRefused(api, before, "DELETE", assignment, "", 412, "If-Match", "", ifMatch(stale[4].etag));
  checkRefused(api, before, "PATCH", t, R"({"name":"Alpha"})", 412, "If-Match", "",
               ifMatch("W/" + send(api, "GET", t).etag));
  checkRefused(api, before, "PUT", assignment, "{}", 412, "If-Match", "", ifMatch(stale[4].etag));
}

}  // namespace
}  // namespace vantus::testing
