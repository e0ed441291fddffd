// Edge clusters (nothing to update: create, read, import, delete) and edge nodes (enrolled
// by the fleet service, then read, renamed, drained and deleted through the API).
#include <doctest/doctest.h>

#include "common/crypto/ed25519.h"
#include "tests/integration/api_lifecycle/lifecycle_client.h"

namespace vantus::testing {
namespace {

using nlohmann::json;

controller::Enrolled enrolNode(ApiServer& api, const std::string& cluster_id,
                               const std::string& name) {
  Answer token = send(api, "POST", "/api/v1/edge-clusters/" + cluster_id + "/enrollment-tokens",
                      R"({"ttl_seconds":600})");
  REQUIRE(token.status == 201);
  auto key = crypto::Ed25519PrivateKey::generate();
  REQUIRE(key);
  auto enrolled = api.app().fleet().enroll(token.body["token"].get<std::string>(), name,
                                           key->publicKey().pem(), controller::Actor{});
  REQUIRE(enrolled);
  return *enrolled;
}

TEST_CASE("edge cluster lifecycle: create, read, import, delete, retried create") {
  ApiServer api;
  const std::string list = "/api/v1/edge-clusters";
  const std::string body = R"({"name":"edge-a"})";
  Answer created = send(api, "POST", list, body, "", idempotencyKey("cluster-edge-a"));
  REQUIRE(created.status == 201);
  CHECK(created.body["name"] == "edge-a");
  CHECK(created.body["created_at"].is_string());
  const std::string path = list + "/" + idOf(created);
  checkCreateRetry(api, list, body, "cluster-edge-a", created, R"({"name":"edge-b"})", list);
  checkReadEquals(api, path, created);
  checkImport(api, path, {{"name", "edge-a"}});
  checkProblem(api.call("DELETE", path, "", "", ifMatch("\"0123456789abcdef0123456789abcdef\"")),
               412, "If-Match");
  checkReadEquals(api, path, created);
  checkDeleteGone(api, path, created.etag);
  CHECK(itemCount(api, list) == 0);
}

TEST_CASE("edge cluster with an assigned tenant or an enrolled node is not deleted") {
  ApiServer api;
  Answer cluster = send(api, "POST", "/api/v1/edge-clusters", R"({"name":"edge-a"})");
  REQUIRE(cluster.status == 201);
  const std::string path = "/api/v1/edge-clusters/" + idOf(cluster);
  Answer tenant = send(api, "POST", "/api/v1/tenants", R"({"slug":"acme","name":"Acme"})");
  const std::string assignment = "/api/v1/tenants/" + idOf(tenant) + "/clusters/" + idOf(cluster);
  REQUIRE(api.call("PUT", assignment, "{}")->status / 100 == 2);
  checkProblem(api.call("DELETE", path), 409, "");
  checkReadEquals(api, path, cluster);

  REQUIRE(api.call("DELETE", assignment)->status == 204);
  enrolNode(api, idOf(cluster), "n1");
  checkProblem(api.call("DELETE", path), 409, "");
  checkReadEquals(api, path, cluster);
}

TEST_CASE("edge node lifecycle: enrol, read, rename, drain, delete ends its credential") {
  ApiServer api;
  Answer cluster = send(api, "POST", "/api/v1/edge-clusters", R"({"name":"edge-a"})");
  REQUIRE(cluster.status == 201);
  const std::string nodes = "/api/v1/edge-clusters/" + idOf(cluster) + "/nodes";
  controller::Enrolled enrolled = enrolNode(api, idOf(cluster), "n1");
  enrolNode(api, idOf(cluster), "n2");
  const std::string path = nodes + "/" + std::to_string(enrolled.node.id);

  Answer read = send(api, "GET", path);
  REQUIRE(read.status == 200);
  CHECK(read.body["id"] == enrolled.node.id);
  CHECK(read.body["name"] == "n1");
  CHECK(read.body["cluster"] == "edge-a");
  CHECK(read.body["drained"] == false);
  CHECK(read.body["liveness"] == "pending");
  checkReadEquals(api, path, read);

  Answer renamed = send(api, "PATCH", path, R"({"name":"n1-east"})", "", ifMatch(read.etag));
  REQUIRE(renamed.status == 200);
  CHECK(renamed.body["id"] == read.body["id"]);
  CHECK(renamed.body["name"] == "n1-east");
  CHECK(renamed.body["drained"] == false);
  checkReadEquals(api, path, renamed);
  checkProblem(api.call("PATCH", path, R"({"name":"n2"})", "", ifMatch(renamed.etag)), 409, "name");
  checkProblem(api.call("PATCH", path, R"({"drained":true})", "", ifMatch(read.etag)), 412,
               "If-Match");
  checkReadEquals(api, path, renamed);

  Answer drained = send(api, "PATCH", path, R"({"drained":true})", "", ifMatch(renamed.etag));
  REQUIRE(drained.status == 200);
  CHECK(drained.body["drained"] == true);
  CHECK(drained.body["name"] == "n1-east");
  checkReadEquals(api, path, drained);

  checkImport(api, path, {{"name", "n1-east"}, {"drained", true}, {"cluster", "edge-a"}});
  REQUIRE(api.app().fleet().authenticate(enrolled.credential));
  checkDeleteGone(api, path, drained.etag);
  CHECK_FALSE(api.app().fleet().authenticate(enrolled.credential));
  CHECK(itemCount(api, nodes) == 1);
}

}  // namespace
}  // namespace vantus::testing
