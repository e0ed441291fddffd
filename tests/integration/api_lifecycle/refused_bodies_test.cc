// Bodies the API refuses — not JSON, the wrong types, unknown fields, too large, values
// that would smuggle syntax into nginx config — each with the precise problem+json, and
// without changing the store, the audit log, the git history or the releases.
#include <doctest/doctest.h>

#include "tests/integration/api_lifecycle/observed_state.h"

namespace vantus::testing {
namespace {

std::string id(controller::Id value) { return std::to_string(value); }

TEST_CASE("refused: bodies that are not a JSON object") {
  ApiServer api;
  DeployedWorld world = deployWorld(api);
  const ObservedState before = observe(api, world.watched);
  const std::string& t = world.a.path;
  const std::string pool = t + "/upstream-pools/" + id(world.a.pool);
  const std::string domain = t + "/domains/" + id(world.a.domain);
  for (const char* body : {R"({"slug":)", R"({"slug":"x",})", "", "[]", "\"text\"", "nul"}) {
    checkRefused(api, before, "POST", "/api/v1/tenants", body, 400, "body");
  }
  checkRefused(api, before, "PATCH", t, R"({"name":"x")", 400, "body");
  checkRefused(api, before, "POST", t + "/domains", "{name: 'a.example'}", 400, "body");
  checkRefused(api, before, "PATCH", domain, R"({"tls_enabled":tru})", 400, "body");
  checkRefused(api, before, "PUT", pool, R"({"name":"web","targets":[)", 400, "body");
  checkRefused(api, before, "PUT", t + "/edge-policy", "{'headers':{}}", 400, "body");
  checkRefused(api, before, "POST", "/api/v1/deployments", R"({"tenant_id":1)", 400, "body");
  checkRefused(api, before, "POST", t + "/rollback", "[1]", 400, "body");
  checkRefused(api, before, "POST", "/api/v1/users", R"({"email":)", 400, "body");
  checkRefused(api, before, "POST", "/api/v1/tokens", "{", 400, "body");
}

TEST_CASE("refused: fields of the wrong type") {
  ApiServer api;
  DeployedWorld world = deployWorld(api);
  const std::string user = "/api/v1/users/" + id(api.addUser("dev@example.com"));
  world.watched.push_back(user);
  const ObservedState before = observe(api, world.watched);
  const std::string& t = world.a.path;
  const std::string pool = t + "/upstream-pools/" + id(world.a.pool);
  const std::string domain = t + "/domains/" + id(world.a.domain);
  checkRefused(api, before, "POST", "/api/v1/tenants", R"({"slug":7,"name":"Seven"})", 400, "slug");
  checkRefused(api, before, "PATCH", t, R"({"name":["alpha"]})", 400, "name");
  checkRefused(api, before, "POST", t + "/domains", R"({"name":"x.example","is_primary":"yes"})",
               400, "is_primary");
  checkRefused(api, before, "PATCH", domain, R"({"tls_enabled":1})", 400, "tls_enabled");
  checkRefused(api, before, "PUT", pool,
               R"({"name":"web","targets":[{"host":"127.0.0.1","port":"9000"}]})", 400,
               "targets[0].port");
  checkRefused(api, before, "PUT", pool, R"({"name":"web","targets":{"host":"127.0.0.1"}})", 400,
               "targets");
  checkRefused(api, before, "PUT", pool,
               R"({"name":"web","health_check_interval_s":1.5,)"
               R"("targets":[{"host":"127.0.0.1","port":9000}]})",
               400, "health_check_interval_s");
  checkRefused(api, before, "PUT", t + "/edge-policy", R"({"cors_origins":{"a":"b"}})", 400,
               "cors_origins");
  checkRefused(api, before, "PUT", t + "/edge-policy", R"({"headers":[["X-A","one"]]})", 400,
               "headers");
  checkRefused(api, before, "PUT", t + "/edge-policy", R"({"rate_limit":{"rps":"50"}})", 400,
               "rate_limit.rps");
  checkRefused(api, before, "POST", "/api/v1/deployments",
               R"({"tenant_id":")" + id(world.a.id) + R"("})", 400, "tenant_id");
  checkRefused(api, before, "POST", t + "/rollback",
               R"({"deployment_id":)" + id(world.a.deployment) + ".0}", 400, "deployment_id");
  checkRefused(api, before, "POST", "/api/v1/users",
               R"({"email":"x@example.com","platform_admin":"true"})", 400, "platform_admin");
  checkRefused(api, before, "POST", "/api/v1/tokens", R"({"name":"ci","scopes":"tenants:read"})",
               400, "scopes");
  checkRefused(api, before, "PATCH", user, R"({"disabled":"yes"})", 400, "disabled");
  checkRefused(api, before, "PUT", t + "/members/" + user.substr(user.rfind('/') + 1),
               R"({"role":["viewer"]})", 400, "role");
}

TEST_CASE("refused: unknown fields, at every level") {
  ApiServer api;
  DeployedWorld world = deployWorld(api);
  const ObservedState before = observe(api, world.watched);
  const std::string& t = world.a.path;
  const std::string pool = t + "/upstream-pools/" + id(world.a.pool);
  const std::string domain = t + "/domains/" + id(world.a.domain);
  checkRefused(api, before, "POST", "/api/v1/tenants", R"({"slug":"g","name":"G","plan":"pro"})",
               400, "plan");
  checkRefused(api, before, "PATCH", t, R"({"slug":"renamed"})", 400, "slug");
  checkRefused(api, before, "POST", t + "/domains", R"({"name":"x.example","cert":"pem"})", 400,
               "cert");
  checkRefused(api, before, "PATCH", domain, R"({"tls":true})", 400, "tls");
  checkRefused(api, before, "PUT", pool,
               R"({"name":"web","targets":[{"host":"127.0.0.1","port":9000,"extra":1}]})", 400,
               "targets[0].extra");
  checkRefused(api, before, "PUT", t + "/edge-policy", R"({"rate_limit":{"rps":5,"window":60}})",
               400, "rate_limit.window");
  checkRefused(api, before, "POST", "/api/v1/deployments",
               R"({"tenant_id":)" + id(world.a.id) + R"(,"force":true})", 400, "force");
  checkRefused(api, before, "POST", "/api/v1/users", R"({"email":"x@example.com","role":"admin"})",
               400, "role");
  checkRefused(api, before, "PUT", t + "/members/1", R"({"role":"viewer","until":"never"})", 400,
               "until");
  checkRefused(api, before, "PUT", t + "/clusters/" + id(world.cluster), R"({"weight":2})", 400,
               "weight");
  checkRefused(api, before, "POST", "/api/v1/tokens",
               R"({"name":"ci","scopes":["tenants:read"],"admin":true})", 400, "admin");
}

TEST_CASE("refused: a body over the 1 MiB limit is 413") {
  ApiServer api;
  DeployedWorld world = deployWorld(api);
  const ObservedState before = observe(api, world.watched);
  const std::string padding((1u << 20) + 1, 'a');
  checkRefused(api, before, "POST", "/api/v1/tenants",
               R"({"slug":"big","name":")" + padding + R"("})", 413, "");
  checkRefused(api, before, "PUT", world.a.path + "/edge-policy",
               R"({"headers":{"X-A":")" + padding + R"("}})", 413, "");
  auto refused = api.call("POST", "/api/v1/tenants", R"({"slug":"big","name":")" + padding + "\"}");
  REQUIRE(refused);
  CHECK(bodyOf(refused)["detail"] == "the request body is larger than 1048576 bytes");
}

TEST_CASE("refused: values that would reach nginx config with syntax in them") {
  ApiServer api;
  DeployedWorld world = deployWorld(api);
  const ObservedState before = observe(api, world.watched);
  const std::string& t = world.a.path;
  const std::string pool = t + "/upstream-pools/" + id(world.a.pool);
  const std::string domain = t + "/domains/" + id(world.a.domain);
  checkRefused(api, before, "POST", t + "/domains", R"({"name":"a.example;evil"})", 400, "name");
  checkRefused(api, before, "POST", t + "/domains", R"({"name":"a.example\ninclude /etc/passwd;"})",
               400, "name");
  checkRefused(api, before, "PATCH", domain, R"({"min_tls_version":"TLSv1.2; ssl_ciphers NULL"})",
               400, "min_tls_version");
  checkRefused(api, before, "POST", "/api/v1/tenants", R"({"slug":"a;b","name":"A"})", 400, "slug");
  checkRefused(api, before, "PUT", pool,
               R"({"name":"web","targets":[{"host":"127.0.0.1;evil","port":9000}]})", 400,
               "targets[0].host");
  checkRefused(api, before, "PUT", pool,
               R"({"name":"web } server {","targets":[{"host":"127.0.0.1","port":9000}]})", 400,
               "name");
  checkRefused(api, before, "PUT", pool,
               R"({"name":"web","health_check_path":"/ok;return 200",)"
               R"("targets":[{"host":"127.0.0.1","port":9000}]})",
               400, "health_check_path");
  checkRefused(api, before, "PUT", t + "/edge-policy", R"({"headers":{"X-A":"one\ntwo"}})", 400,
               "headers.X-A");
  checkRefused(api, before, "PUT", t + "/edge-policy", R"({"headers":{"X-A":"one\r\nX-B: two"}})",
               400, "headers.X-A");
  checkRefused(api, before, "PUT", t + "/edge-policy",
               R"({"headers":{"X-A":"a\" always; return 200; #"}})", 400, "headers.X-A");
  checkRefused(api, before, "PUT", t + "/edge-policy", R"({"headers":{"X-A":"$host"}})", 400,
               "headers.X-A");
  checkRefused(api, before, "PUT", t + "/edge-policy",
               R"({"cors_origins":["https://a.example;evil"]})", 400, "cors_origins[0]");
  checkRefused(api, before, "PUT", t + "/edge-policy",
               R"({"ip_allowlist":["10.0.0.0/8; allow all"]})", 400, "ip_allowlist[0]");
}

}  // namespace
}  // namespace vantus::testing
