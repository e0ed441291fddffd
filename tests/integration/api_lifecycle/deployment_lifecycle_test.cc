// Deployments are immutable records: created (once per Idempotency-Key), read, imported,
// never changed or deleted through the API; a rollback is a new record.
#include <doctest/doctest.h>

#include "tests/integration/api_lifecycle/lifecycle_client.h"
#include "tests/support/temp_dir.h"

namespace vantus::testing {
namespace {

using nlohmann::json;

std::string repositoryHead(ApiServer& api) {
  CommandResult head =
      runCommand("git -C '" + api.app().layout().repository.string() + "' rev-parse HEAD");
  REQUIRE(head.exit_code == 0);
  return head.output.substr(0, 40);
}

TEST_CASE("deployment lifecycle: create, read, import, immutable, roll back") {
  ApiServer api;
  Answer cluster = send(api, "POST", "/api/v1/edge-clusters", R"({"name":"edge-a"})");
  Answer tenant = send(api, "POST", "/api/v1/tenants", R"({"slug":"acme","name":"Acme"})");
  REQUIRE(tenant.status == 201);
  const std::string base = "/api/v1/tenants/" + idOf(tenant);
  REQUIRE(api.call("POST", base + "/domains", R"({"name":"www.acme.example"})")->status == 201);
  REQUIRE(api.call("POST", base + "/upstream-pools",
                   R"({"name":"web","targets":[{"host":"127.0.0.1","port":9000}]})")
              ->status == 201);
  REQUIRE(api.call("PUT", base + "/clusters/" + idOf(cluster), "{}")->status / 100 == 2);
  REQUIRE(api.call("PUT", base + "/edge-policy", R"({"headers":{"X-A":"one"}})")->status == 200);

  const std::string list = base + "/deployments";
  const std::string body = json{{"tenant_id", tenant.body["id"]}, {"message", "first"}}.dump();
  Answer first = send(api, "POST", "/api/v1/deployments", body, "", idempotencyKey("deploy-1"));
  REQUIRE(first.status == 201);
  CHECK(first.body["kind"] == "deploy");
  CHECK(first.body["status"] == "released");
  CHECK(first.body["message"] == "first");
  CHECK(first.body["releases"][0]["version"] == 1);
  CHECK(first.body["commit"] == repositoryHead(api));
  checkCreateRetry(api, "/api/v1/deployments", body, "deploy-1", first,
                   json{{"tenant_id", tenant.body["id"]}, {"message", "second"}}.dump(), list);
  const std::string path = "/api/v1/deployments/" + idOf(first);
  checkReadEquals(api, path, first);
  checkImport(api, path,
              {{"tenant_id", tenant.body["id"]}, {"message", "first"}, {"kind", "deploy"}});

  for (const char* method : {"PUT", "PATCH", "DELETE"}) {
    INFO(method);
    // Deployments are immutable: the path has only GET.
    checkProblem(api.call(method, path, R"({"message":"changed"})"), 405, "");
  }
  checkReadEquals(api, path, first);

  REQUIRE(api.call("PUT", base + "/edge-policy", R"({"headers":{"X-A":"two"}})")->status == 200);
  Answer second =
      send(api, "POST", "/api/v1/deployments", json{{"tenant_id", tenant.body["id"]}}.dump());
  REQUIRE(second.status == 201);
  CHECK(second.body["releases"][0]["version"] == 2);

  const std::string rollback_body = json{{"deployment_id", first.body["id"]}}.dump();
  Answer rolled =
      send(api, "POST", base + "/rollback", rollback_body, "", idempotencyKey("rollback-1"));
  REQUIRE(rolled.status == 201);
  CHECK(rolled.body["kind"] == "rollback");
  CHECK(rolled.body["rollback_of"] == first.body["id"]);
  CHECK(rolled.body["releases"][0]["version"] == 3);
  CHECK(rolled.body["commit"] == repositoryHead(api));
  checkCreateRetry(api, base + "/rollback", rollback_body, "rollback-1", rolled,
                   json{{"deployment_id", second.body["id"]}}.dump(), list);
  checkReadEquals(api, "/api/v1/deployments/" + idOf(rolled), rolled);
  checkReadEquals(api, path, first);
  CHECK(bodyOf(api.call("GET", base + "/edge-policy"))["headers"]["X-A"] == "one");
  CHECK(itemCount(api, list) == 3);
}

}  // namespace
}  // namespace vantus::testing
