// The two resources a provider creates with PUT: the edge policy (a singleton that lives as
// long as its tenant and goes back to its defaults on DELETE) and the tenant–cluster
// assignment (no mutable field; a retried PUT is a no-op).
#include <doctest/doctest.h>

#include "tests/integration/api_lifecycle/lifecycle_client.h"

namespace vantus::testing {
namespace {

using nlohmann::json;

TEST_CASE("edge policy lifecycle: PUT creates and replaces, DELETE brings the defaults back") {
  ApiServer api;
  Answer tenant = send(api, "POST", "/api/v1/tenants", R"({"slug":"acme","name":"Acme"})");
  REQUIRE(tenant.status == 201);
  const std::string path = "/api/v1/tenants/" + idOf(tenant) + "/edge-policy";
  Answer defaults = send(api, "GET", path);
  REQUIRE(defaults.status == 200);
  CHECK(defaults.body["headers"] == json::object());
  CHECK(defaults.body["rate_limit"].is_null());

  const json config = json::parse(R"({
    "headers": {"X-Frame-Options": "DENY"}, "rate_limit": {"rps": 50, "burst": 100},
    "ip_allowlist": [], "cors_origins": [], "cache_ttl_s": 60, "compression": false,
    "max_body_bytes": 1048576, "security_headers": true})");
  Answer created = send(api, "PUT", path, config.dump(), "", ifMatch(defaults.etag));
  REQUIRE(created.status == 200);
  CHECK(created.body == config);
  checkReadEquals(api, path, created);
  // A retried PUT answers the same and changes nothing.
  Answer retried = send(api, "PUT", path, config.dump());
  CHECK(retried.status == 200);
  CHECK(retried.body == created.body);
  CHECK(retried.etag == created.etag);

  json changed = config;
  changed["headers"] = {{"X-Frame-Options", "SAMEORIGIN"}};
  changed["rate_limit"] = nullptr;
  Answer updated = send(api, "PUT", path, changed.dump(), "", ifMatch(created.etag));
  REQUIRE(updated.status == 200);
  CHECK(updated.body == changed);
  checkReadEquals(api, path, updated);
  checkProblem(api.call("PUT", path, config.dump(), "", ifMatch(created.etag)), 412, "If-Match");
  checkReadEquals(api, path, updated);

  Answer imported = send(api, "GET", path);
  CHECK(imported.body == changed);

  checkProblem(api.call("DELETE", path, "", "", ifMatch(created.etag)), 412, "If-Match");
  checkReadEquals(api, path, updated);
  Answer deleted = send(api, "DELETE", path, "", "", ifMatch(updated.etag));
  CHECK(deleted.status == 204);
  checkReadEquals(api, path, defaults);
  Answer deleted_again = send(api, "DELETE", path, "", "", ifMatch(defaults.etag));
  CHECK(deleted_again.status == 204);
  checkReadEquals(api, path, defaults);
}

TEST_CASE("tenant-cluster assignment lifecycle: PUT, read, retried PUT, import, DELETE") {
  ApiServer api;
  Answer cluster = send(api, "POST", "/api/v1/edge-clusters", R"({"name":"edge-a"})");
  REQUIRE(cluster.status == 201);
  Answer tenant = send(api, "POST", "/api/v1/tenants", R"({"slug":"acme","name":"Acme"})");
  REQUIRE(tenant.status == 201);
  const std::string list = "/api/v1/tenants/" + idOf(tenant) + "/clusters";
  const std::string path = list + "/" + idOf(cluster);
  checkProblem(api.call("GET", path), 404, "");

  Answer created = send(api, "PUT", path, "{}");
  REQUIRE(created.status == 200);
  const json expected = {
      {"tenant_id", tenant.body["id"]}, {"cluster_id", cluster.body["id"]}, {"cluster", "edge-a"}};
  CHECK(created.body == expected);
  checkReadEquals(api, path, created);
  CHECK(itemCount(api, list) == 1);

  Answer retried = send(api, "PUT", path, "", "", ifMatch(created.etag));
  CHECK(retried.status == 200);
  CHECK(retried.body == created.body);
  CHECK(retried.etag == created.etag);
  CHECK(itemCount(api, list) == 1);
  checkReadEquals(api, path, created);

  Answer imported = send(api, "GET", path);
  CHECK(imported.body == expected);
  checkProblem(api.call("DELETE", path, "", "", ifMatch("\"0123456789abcdef0123456789abcdef\"")),
               412, "If-Match");
  checkReadEquals(api, path, created);
  checkDeleteGone(api, path, created.etag);
  CHECK(itemCount(api, list) == 0);
}

}  // namespace
}  // namespace vantus::testing
