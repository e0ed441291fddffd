// Users, tenant members and API tokens driven the way a Terraform provider drives them.
#include <doctest/doctest.h>

#include "tests/integration/api_lifecycle/lifecycle_client.h"
#include "tests/support/processes.h"

namespace vantus::testing {
namespace {

using nlohmann::json;

TEST_CASE("user lifecycle: the email comes back lower-cased; disable, delete") {
  ApiServer api;
  const std::string list = "/api/v1/users";
  const std::string body = R"({"email":"Ops@Example.COM"})";
  Answer created = send(api, "POST", list, body, "", idempotencyKey("user-ops"));
  REQUIRE(created.status == 201);
  CHECK(created.body["email"] == "ops@example.com");
  CHECK(created.body["platform_admin"] == false);
  CHECK(created.body["disabled"] == false);
  const std::string path = list + "/" + idOf(created);
  CHECK(created.location == path);
  checkCreateRetry(api, list, body, "user-ops", created, R"({"email":"dev@example.com"})", list);
  checkProblem(api.call("POST", list, R"({"email":"OPS@example.com"})"), 409, "email");
  checkReadEquals(api, path, created);

  Answer updated = send(api, "PATCH", path, R"({"disabled":true,"platform_admin":false})", "",
                        ifMatch(created.etag));
  REQUIRE(updated.status == 200);
  CHECK(updated.body["id"] == created.body["id"]);
  CHECK(updated.body["email"] == "ops@example.com");
  CHECK(updated.body["disabled"] == true);
  CHECK(updated.body["created_at"] == created.body["created_at"]);
  checkReadEquals(api, path, updated);
  checkProblem(api.call("PATCH", path, R"({"disabled":false})", "", ifMatch(created.etag)), 412,
               "If-Match");
  checkProblem(api.call("DELETE", path, "", "", ifMatch(created.etag)), 412, "If-Match");
  checkReadEquals(api, path, updated);

  checkImport(api, path,
              {{"email", "ops@example.com"}, {"platform_admin", false}, {"disabled", true}});
  checkDeleteGone(api, path, updated.etag);
}

TEST_CASE("member lifecycle: PUT grants a role, PUT changes it, DELETE removes it") {
  ApiServer api;
  Answer tenant = send(api, "POST", "/api/v1/tenants", R"({"slug":"acme","name":"Acme"})");
  REQUIRE(tenant.status == 201);
  Answer user = send(api, "POST", "/api/v1/users", R"({"email":"dev@example.com"})");
  REQUIRE(user.status == 201);
  const std::string list = "/api/v1/tenants/" + idOf(tenant) + "/members";
  const std::string path = list + "/" + idOf(user);
  checkProblem(api.call("GET", path), 404, "");

  Answer created = send(api, "PUT", path, R"({"role":"viewer"})");
  REQUIRE(created.status == 201);
  CHECK(created.body["tenant_id"] == tenant.body["id"]);
  CHECK(created.body["user_id"] == user.body["id"]);
  CHECK(created.body["email"] == "dev@example.com");
  CHECK(created.body["role"] == "viewer");
  checkReadEquals(api, path, created);
  Answer retried = send(api, "PUT", path, R"({"role":"viewer"})");
  CHECK(retried.status == 200);
  CHECK(retried.body == created.body);
  CHECK(retried.etag == created.etag);
  CHECK(itemCount(api, list) == 1);

  Answer updated = send(api, "PUT", path, R"({"role":"operator"})", "", ifMatch(created.etag));
  REQUIRE(updated.status == 200);
  CHECK(updated.body["role"] == "operator");
  CHECK(updated.body["created_at"] == created.body["created_at"]);
  checkReadEquals(api, path, updated);
  checkProblem(api.call("PUT", path, R"({"role":"admin"})", "", ifMatch(created.etag)), 412,
               "If-Match");
  checkReadEquals(api, path, updated);

  checkImport(api, path, {{"role", "operator"}, {"email", "dev@example.com"}});
  checkDeleteGone(api, path, updated.etag);
  CHECK(itemCount(api, list) == 0);
  checkProblem(api.call("PUT", list + "/999999", R"({"role":"viewer"})"), 404, "user_id");
}

TEST_CASE("API token lifecycle: the secret shows once, PATCH renames, DELETE revokes") {
  ApiServer api;
  const std::string list = "/api/v1/tokens";
  const std::string body = R"({"name":"ci","scopes":["tenants:read"],"expires_in_days":30})";
  Answer created = send(api, "POST", list, body, "", idempotencyKey("token-ci"));
  REQUIRE(created.status == 201);
  REQUIRE(created.body["token"].is_string());
  const std::string secret = created.body["token"];
  const std::string path = list + "/" + idOf(created);
  checkCreateRetry(api, list, body, "token-ci", created,
                   R"({"name":"other","scopes":["tenants:read"]})", list, "token");
  // Only the secret's SHA-256 is kept, also by the store of Idempotency-Key answers.
  const std::string random_part = secret.substr(secret.rfind('_') + 1);
  const std::string database = api.app().layout().database.string();
  for (const std::string& file : {database, database + "-wal"}) {
    INFO(file);
    CHECK(slurp(file).find(random_part) == std::string::npos);
  }

  Answer read = send(api, "GET", path);
  REQUIRE(read.status == 200);
  CHECK_FALSE(read.body.contains("token"));
  CHECK(read.body == without(created, "token"));
  CHECK(read.body["name"] == "ci");
  CHECK(read.body["scopes"] == json::array({"tenants:read"}));

  Answer renamed = send(api, "PATCH", path, R"({"name":"ci-deploy"})", "", ifMatch(read.etag));
  REQUIRE(renamed.status == 200);
  CHECK(renamed.body["name"] == "ci-deploy");
  CHECK(renamed.body["id"] == created.body["id"]);
  CHECK_FALSE(renamed.body.contains("token"));
  checkReadEquals(api, path, renamed);
  checkProblem(api.call("PATCH", path, R"({"name":"stale"})", "", ifMatch(read.etag)), 412,
               "If-Match");
  checkReadEquals(api, path, renamed);
  checkImport(
      api, path,
      {{"name", "ci-deploy"}, {"scopes", json::array({"tenants:read"})}, {"revoked", false}});

  CHECK(api.call("GET", "/api/v1/tenants", "", secret)->status == 200);
  Answer used = send(api, "GET", path);
  REQUIRE(used.status == 200);
  checkProblem(api.call("DELETE", path, "", "", ifMatch(read.etag)), 412, "If-Match");
  checkDeleteGone(api, path, used.etag);
  checkProblem(api.call("GET", "/api/v1/tenants", "", secret), 401, "");
  checkProblem(api.call("PATCH", path, R"({"name":"again"})"), 404, "");
}

}  // namespace
}  // namespace vantus::testing
