// Credentials the API refuses: missing, malformed, expired, revoked, a disabled user's (401
// with WWW-Authenticate) and too narrow (403). Each write attempt changes nothing.
#include <doctest/doctest.h>

#include <ctime>

#include "tests/integration/api_lifecycle/lifecycle_client.h"
#include "tests/integration/api_lifecycle/observed_state.h"

namespace vantus::testing {
namespace {

using nlohmann::json;

// Writes that would each change the store, the history or the releases of tenant `a`.
void checkWritesRefused(ApiServer& api, const DeployedWorld& world, const ObservedState& before,
                        const std::string& bearer, int status) {
  const std::string& t = world.a.path;
  checkRefused(api, before, "POST", "/api/v1/tenants", R"({"slug":"gamma","name":"G"})", status, "",
               bearer);
  checkRefused(api, before, "PUT", t + "/edge-policy", R"({"headers":{"X-A":"two"}})", status, "",
               bearer);
  checkRefused(api, before, "DELETE", t + "/upstream-pools/" + std::to_string(world.a.pool), "",
               status, "", bearer);
  checkRefused(api, before, "POST", "/api/v1/deployments", json{{"tenant_id", world.a.id}}.dump(),
               status, "", bearer);
}

void checkUnauthenticated(ApiServer& api, const std::string& bearer) {
  auto answer = api.call("GET", "/api/v1/tenants", "", bearer);
  checkProblem(answer, 401, "");
  CHECK(answer->get_header_value("WWW-Authenticate") == "Bearer");
}

TEST_CASE("refused: missing and malformed tokens") {
  ApiServer api;
  DeployedWorld world = deployWorld(api);
  const ObservedState before = observe(api, world.watched);
  checkUnauthenticated(api, "-");
  checkWritesRefused(api, world, before, "-", 401);
  const std::string& admin = api.adminToken();
  for (const std::string& malformed :
       {std::string("vt_short"), std::string("not-a-token"), admin + "x", admin.substr(1),
        admin.substr(0, admin.size() - 1) + (admin.back() == 'A' ? "B" : "A")}) {
    INFO(malformed);
    checkUnauthenticated(api, malformed);
  }
  checkWritesRefused(api, world, before, "vt_000000000000_" + std::string(43, 'a'), 401);
  checkProblem(api.call("GET", "/api/v1/tenants", "", "-", {{"Authorization", "Basic YTpi"}}), 401,
               "");
}

TEST_CASE("refused: an expired token, by the API's clock") {
  ApiServer api;
  DeployedWorld world = deployWorld(api);
  Answer made =
      send(api, "POST", "/api/v1/tokens",
           json{{"name", "short"}, {"scopes", kEveryScope}, {"expires_in_days", 1}}.dump());
  REQUIRE(made.status == 201);
  const std::string token = made.body["token"];
  CHECK(api.call("GET", "/api/v1/tenants", "", token)->status == 200);
  const std::int64_t later = static_cast<std::int64_t>(std::time(nullptr)) + 2 * 86400;
  api.services().clock = [later] { return later; };
  const ObservedState before = observe(api, world.watched);
  checkUnauthenticated(api, token);
  checkWritesRefused(api, world, before, token, 401);
}

TEST_CASE("refused: a revoked token and a disabled user's token") {
  ApiServer api;
  DeployedWorld world = deployWorld(api);
  Answer made =
      send(api, "POST", "/api/v1/tokens", json{{"name", "gone"}, {"scopes", kEveryScope}}.dump());
  REQUIRE(made.status == 201);
  const std::string revoked = made.body["token"];
  REQUIRE(api.call("DELETE", "/api/v1/tokens/" + idOf(made))->status == 204);

  const controller::Id user = api.addUser("ops@example.com", /*platform_admin=*/true);
  const std::string disabled = api.token("ops@example.com", kEveryScope);
  CHECK(api.call("GET", "/api/v1/tenants", "", disabled)->status == 200);
  Answer patched =
      send(api, "PATCH", "/api/v1/users/" + std::to_string(user), R"({"disabled":true})");
  REQUIRE(patched.status == 200);

  const ObservedState before = observe(api, world.watched);
  checkUnauthenticated(api, revoked);
  checkWritesRefused(api, world, before, revoked, 401);
  checkUnauthenticated(api, disabled);
  checkWritesRefused(api, world, before, disabled, 401);
}

TEST_CASE("refused: a token without the scope is 403 on a tenant it may see") {
  ApiServer api;
  DeployedWorld world = deployWorld(api);
  const std::string reader = api.token(ApiServer::kAdminEmail, {"tenants:read", "config:read"});
  const ObservedState before = observe(api, world.watched);
  CHECK(api.call("GET", world.a.path + "/edge-policy", "", reader)->status == 200);
  checkWritesRefused(api, world, before, reader, 403);
  checkRefused(api, before, "PATCH", world.a.path, R"({"name":"renamed"})", 403, "", reader);
  checkRefused(api, before, "POST", world.a.path + "/rollback",
               json{{"deployment_id", world.a.deployment}}.dump(), 403, "", reader);
  checkRefused(api, before, "POST", "/api/v1/users", R"({"email":"x@example.com"})", 403, "",
               reader);
  checkRefused(api, before, "POST", "/api/v1/tokens", R"({"name":"up","scopes":["config:write"]})",
               403, "scopes", reader);
}

}  // namespace
}  // namespace vantus::testing
