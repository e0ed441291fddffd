// Tenants, domains and upstream pools driven the way a Terraform provider drives them:
// create, read back, update with If-Match, read back, import by id, delete until 404,
// and a create retried with the same Idempotency-Key.
#include <doctest/doctest.h>

#include "tests/integration/api_lifecycle/lifecycle_client.h"

namespace vantus::testing {
namespace {

using nlohmann::json;

std::string createTenant(ApiServer& api, const std::string& slug) {
  Answer created =
      send(api, "POST", "/api/v1/tenants", json{{"slug", slug}, {"name", slug}}.dump());
  REQUIRE(created.status == 201);
  return "/api/v1/tenants/" + idOf(created);
}

TEST_CASE("tenant lifecycle: create, read, update, import, delete, retried create") {
  ApiServer api;
  const std::string body = R"({"slug":"acme","name":"Acme"})";
  Answer created = send(api, "POST", "/api/v1/tenants", body, "", idempotencyKey("tenant-acme"));
  REQUIRE(created.status == 201);
  CHECK(created.body["slug"] == "acme");
  CHECK(created.body["status"] == "active");
  const std::string path = "/api/v1/tenants/" + idOf(created);
  CHECK(created.location == path);
  checkCreateRetry(api, "/api/v1/tenants", body, "tenant-acme", created,
                   R"({"slug":"other","name":"Other"})", "/api/v1/tenants");
  checkReadEquals(api, path, created);

  Answer updated = send(api, "PATCH", path, R"({"name":"Acme Corp","status":"suspended"})", "",
                        ifMatch(created.etag));
  REQUIRE(updated.status == 200);
  CHECK(updated.body["id"] == created.body["id"]);
  CHECK(updated.body["slug"] == "acme");
  CHECK(updated.body["name"] == "Acme Corp");
  CHECK(updated.body["status"] == "suspended");
  CHECK(updated.body["created_at"] == created.body["created_at"]);
  checkReadEquals(api, path, updated);

  checkImport(api, path, {{"slug", "acme"}, {"name", "Acme Corp"}, {"status", "suspended"}});
  checkDeleteGone(api, path, updated.etag);
  CHECK(itemCount(api, "/api/v1/tenants") == 0);
}

TEST_CASE("domain lifecycle: the name comes back lower-cased and never changes") {
  ApiServer api;
  const std::string tenant = createTenant(api, "acme");
  const std::string list = tenant + "/domains";
  const std::string body = R"({"name":"WWW.Example.COM","is_primary":true})";
  Answer created = send(api, "POST", list, body, "", idempotencyKey("domain-www"));
  REQUIRE(created.status == 201);
  CHECK(created.body["name"] == "www.example.com");
  CHECK(created.body["is_primary"] == true);
  CHECK(created.body["tls_enabled"] == false);
  const std::string path = list + "/" + idOf(created);
  checkCreateRetry(api, list, body, "domain-www", created, R"({"name":"api.example.com"})", list);
  checkReadEquals(api, path, created);

  Answer updated =
      send(api, "PATCH", path,
           R"({"name":"www.example.com","tls_enabled":true,"force_https":true,"hsts":true,)"
           R"("min_tls_version":"TLSv1.3"})",
           "", ifMatch(created.etag));
  REQUIRE(updated.status == 200);
  CHECK(updated.body["id"] == created.body["id"]);
  CHECK(updated.body["name"] == "www.example.com");
  CHECK(updated.body["tls_enabled"] == true);
  CHECK(updated.body["force_https"] == true);
  CHECK(updated.body["hsts"] == true);
  CHECK(updated.body["min_tls_version"] == "TLSv1.3");
  checkReadEquals(api, path, updated);

  // The provider sends its configuration again, with the name as written in it.
  Answer resent = send(api, "PATCH", path, R"({"name":"WWW.Example.COM","is_primary":true})", "",
                       ifMatch(updated.etag));
  CHECK(resent.status == 200);
  CHECK(resent.body == updated.body);
  CHECK(resent.etag == updated.etag);
  checkProblem(api.call("PATCH", path, R"({"name":"api.example.com"})", "", ifMatch(updated.etag)),
               400, "name");
  checkReadEquals(api, path, updated);

  checkImport(api, path,
              {{"name", "www.example.com"},
               {"is_primary", true},
               {"tls_enabled", true},
               {"force_https", true},
               {"hsts", true},
               {"min_tls_version", "TLSv1.3"}});
  checkDeleteGone(api, path, updated.etag);
  CHECK(itemCount(api, list) == 0);
}

TEST_CASE("upstream pool lifecycle: PUT replaces the pool whole, defaults filled in") {
  ApiServer api;
  const std::string tenant = createTenant(api, "acme");
  const std::string list = tenant + "/upstream-pools";
  const std::string body =
      R"({"name":"web","targets":[{"host":"App.Internal.Example","port":9000}]})";
  Answer created = send(api, "POST", list, body, "", idempotencyKey("pool-web"));
  REQUIRE(created.status == 201);
  CHECK(created.body["name"] == "web");
  CHECK(created.body["protocol"] == "http");
  CHECK(created.body["health_check_path"] == "/");
  CHECK(created.body["health_check_interval_s"] == 10);
  CHECK(created.body["targets"] ==
        json::parse(R"([{"host":"app.internal.example","port":9000,"weight":1,"backup":false}])"));
  const std::string path = list + "/" + idOf(created);
  checkCreateRetry(api, list, body, "pool-web", created,
                   R"({"name":"api","targets":[{"host":"127.0.0.1","port":9000}]})", list);
  checkReadEquals(api, path, created);

  const json replacement = json::parse(R"({
    "name": "web", "protocol": "http", "health_check_path": "/healthz",
    "health_check_interval_s": 5,
    "targets": [{"host": "127.0.0.1", "port": 9000, "weight": 5, "backup": false},
                {"host": "127.0.0.2", "port": 9001, "weight": 1, "backup": true}]})");
  Answer updated = send(api, "PUT", path, replacement.dump(), "", ifMatch(created.etag));
  REQUIRE(updated.status == 200);
  CHECK(updated.body["id"] == created.body["id"]);
  CHECK(updated.body["tenant_id"] == created.body["tenant_id"]);
  checkReadEquals(api, path, updated);

  checkImport(api, path, replacement);
  checkDeleteGone(api, path, updated.etag);
  CHECK(itemCount(api, list) == 0);
}

}  // namespace
}  // namespace vantus::testing
