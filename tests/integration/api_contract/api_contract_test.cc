// Every operation of schema/openapi.yaml against the real controller, each with a success and
// its typical errors. Every answer is checked against the spec by
// tools/api-lint/check-responses.mjs (Ajv, JSON Schema 2020-12), so a server answer that drifts
// from the spec fails here, and so does an operation of the spec that no step calls.
#include <doctest/doctest.h>

#include <algorithm>
#include <ctime>
#include <iterator>

#include "common/crypto/ed25519.h"
#include "common/release/node_report.h"
#include "tests/integration/api_contract/contract_client.h"
#include "tests/support/api/side_server.h"

// Each step names only the parts of a request it sets; GCC 12 would warn about the rest.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace vantus::testing {
namespace {

using controller::Id;
using nlohmann::json;

const std::string kMissing = "999999";
const httplib::Headers kStale{{"If-Match", "\"00000000000000000000000000000000\""}};

std::string idOf(const Answer& answer) {
  return answer.body.is_object() ? std::to_string(answer.body.value("id", Id{0})) : "0";
}
json itemsOf(const Answer& answer) {
  return answer.body.is_object() ? answer.body.value("items", json::array()) : json::array();
}
std::string textOf(const Answer& answer, const std::string& key) {
  return answer.body.is_object() ? answer.body.value(key, "") : "";
}
httplib::Headers ifMatch(const std::string& etag) { return {{"If-Match", etag}}; }
Id toId(const std::string& text) { return std::stoll(text); }

crypto::Ed25519PrivateKey newKey() {
  auto key = crypto::Ed25519PrivateKey::generate();
  REQUIRE(key);
  return std::move(*key);
}

// Ids the steps hand on to later steps.
struct World {
  std::string tenant;
  std::string user;
  std::string admin_user;
  std::string cluster;
  std::string node;
  std::string node_credential;
  std::string deployment;
};

void healthAndSpec(ContractClient& c) {
  c.call("GET", "/healthz", 200, {.bearer = "-"});
  c.call("GET", "/readyz", 200, {.bearer = "-"});
  Answer spec = c.call("GET", "/api/v1/openapi.yaml", 200, {.bearer = "-"});
  CHECK(spec.text.starts_with("openapi: 3.1"));
}

void tenants(ContractClient& c, World& w) {
  const std::string list = "/api/v1/tenants";
  w.tenant = idOf(c.call("POST", list, 201, {.body = R"({"slug":"acme","name":"Acme"})"}));
  const httplib::Headers key{{"Idempotency-Key", "create-gone"}};
  const std::string gone_body = R"({"slug":"gone","name":"Gone"})";
  const std::string gone = idOf(c.call("POST", list, 201, {.body = gone_body, .headers = key}));
  c.call("POST", list, 201, {.body = gone_body, .headers = key});  // replayed
  c.call("POST", list, 422, {.body = R"({"slug":"other","name":"O"})", .headers = key});
  c.call("POST", list, 400, {.body = R"({"slug":"b","name":"B","x":1})"});
  c.call("POST", list, 409, {.body = R"({"slug":"acme","name":"Again"})"});
  c.call("GET", list, 401, {.bearer = "vt_000000000000_" + std::string(43, 'a')});
  CHECK(c.call("GET", list, 200, {.query = "?limit=1"}).body["next_cursor"].is_string());
  c.call("GET", list, 400, {.query = "?cursor=abc"});

  const std::string one = "/api/v1/tenants/{tenantId}";
  const std::map<std::string, std::string> acme{{"tenantId", w.tenant}};
  Answer read = c.call("GET", one, 200, {.params = acme});
  c.call("GET", one, 404, {.params = {{"tenantId", kMissing}}});
  c.call("PATCH", one, 400, {.params = acme, .body = R"({"slug":"new"})"});
  c.call("PATCH", one, 412, {.params = acme, .body = R"({"name":"Acme Corp"})", .headers = kStale});
  c.call("PATCH", one, 200,
         {.params = acme, .body = R"({"name":"Acme Corp"})", .headers = ifMatch(read.etag)});
  c.call("DELETE", one, 412, {.params = {{"tenantId", gone}}, .headers = kStale});
  c.call("DELETE", one, 204, {.params = {{"tenantId", gone}}});
  c.call("DELETE", one, 404, {.params = {{"tenantId", gone}}});
}

void users(ContractClient& c, World& w) {
  const std::string list = "/api/v1/users";
  Answer created = c.call("POST", list, 201, {.body = R"({"email":"Ops@Acme.Example"})"});
  CHECK(created.body["email"] == "ops@acme.example");
  w.user = idOf(created);
  c.call("POST", list, 409, {.body = R"({"email":"ops@acme.example"})"});
  c.call("POST", list, 400, {.body = R"({"email":"x@acme.example","x":1})"});
  c.call("POST", list, 400, {.body = R"({"email":"not an address"})"});
  const Answer listed = c.call("GET", list, 200, {.query = "?limit=500"});
  for (const json& user : itemsOf(listed)) {
    if (user["email"] == ApiServer::kAdminEmail) {
      w.admin_user = std::to_string(user["id"].get<Id>());
    }
  }
  REQUIRE_FALSE(w.admin_user.empty());
  c.call("GET", list, 200, {.query = "?limit=1"});
  c.call("GET", list, 400, {.query = "?limit=0"});

  const std::string one = "/api/v1/users/{userId}";
  const std::map<std::string, std::string> ops{{"userId", w.user}};
  Answer read = c.call("GET", one, 200, {.params = ops});
  c.call("GET", one, 404, {.params = {{"userId", kMissing}}});
  c.call("PATCH", one, 400, {.params = ops, .body = R"({"email":"x@acme.example"})"});
  c.call("PATCH", one, 412, {.params = ops, .body = R"({"disabled":true})", .headers = kStale});
  Answer disabled =
      c.call("PATCH", one, 200,
             {.params = ops, .body = R"({"disabled":true})", .headers = ifMatch(read.etag)});
  CHECK(disabled.body["disabled"] == true);
  c.call("PATCH", one, 200, {.params = ops, .body = R"({"disabled":false})"});
  // The only enabled platform admin stays one.
  const std::map<std::string, std::string> admin{{"userId", w.admin_user}};
  c.call("PATCH", one, 409, {.params = admin, .body = R"({"platform_admin":false})"});
  c.call("DELETE", one, 409, {.params = admin});

  const std::string temp =
      idOf(c.call("POST", list, 201, {.body = R"({"email":"t@acme.example"})"}));
  c.call("DELETE", one, 412, {.params = {{"userId", temp}}, .headers = kStale});
  c.call("DELETE", one, 204, {.params = {{"userId", temp}}});
  c.call("DELETE", one, 404, {.params = {{"userId", temp}}});
}

void members(ContractClient& c, World& w, ApiServer& api) {
  const std::string list = "/api/v1/tenants/{tenantId}/members";
  const std::string one = "/api/v1/tenants/{tenantId}/members/{userId}";
  const std::map<std::string, std::string> ops{{"tenantId", w.tenant}, {"userId", w.user}};
  c.call("PUT", one, 201, {.params = ops, .body = R"({"role":"operator"})"});
  Answer read = c.call("GET", one, 200, {.params = ops});
  c.call("PUT", one, 412, {.params = ops, .body = R"({"role":"viewer"})", .headers = kStale});
  Answer changed =
      c.call("PUT", one, 200,
             {.params = ops, .body = R"({"role":"viewer"})", .headers = ifMatch(read.etag)});
  CHECK(changed.body["role"] == "viewer");
  c.call("PUT", one, 400, {.params = ops, .body = R"({"role":"boss"})"});
  c.call("PUT", one, 400, {.params = ops, .body = R"({"role":"viewer","x":1})"});
  c.call(
      "PUT", one, 404,
      {.params = {{"tenantId", w.tenant}, {"userId", kMissing}}, .body = R"({"role":"viewer"})"});
  c.call("GET", list, 200, {.params = {{"tenantId", w.tenant}}});
  c.call("GET", list, 404, {.params = {{"tenantId", kMissing}}});
  const Id outsider = api.addUser("outsider@acme.example");
  c.call("GET", one, 404,
         {.params = {{"tenantId", w.tenant}, {"userId", std::to_string(outsider)}}});

  // A tenant admin manages every role but owner, and may not delete the tenant.
  const Id lead = api.addUser("lead@acme.example");
  api.addMember(lead, toId(w.tenant), controller::TenantRole::kAdmin);
  const std::string lead_token =
      api.token("lead@acme.example", {"tenants:read", "tenants:write"}, toId(w.tenant));
  c.call("PUT", one, 403, {.params = ops, .body = R"({"role":"owner"})", .bearer = lead_token});
  c.call("PUT", one, 200, {.params = ops, .body = R"({"role":"operator"})", .bearer = lead_token});
  c.call("DELETE", "/api/v1/tenants/{tenantId}", 403,
         {.params = {{"tenantId", w.tenant}}, .bearer = lead_token});

  c.call("DELETE", one, 412, {.params = ops, .headers = kStale});
  c.call("DELETE", one, 204, {.params = ops});
  c.call("DELETE", one, 404, {.params = ops});
}

void domains(ContractClient& c, World& w) {
  const std::string list = "/api/v1/tenants/{tenantId}/domains";
  const std::map<std::string, std::string> acme{{"tenantId", w.tenant}};
  const std::string www =
      idOf(c.call("POST", list, 201,
                  {.params = acme, .body = R"({"name":"www.acme.example","is_primary":true})"}));
  const std::string old =
      idOf(c.call("POST", list, 201, {.params = acme, .body = R"({"name":"old.acme.example"})"}));
  c.call("POST", list, 400, {.params = acme, .body = R"({"name":"x.acme.example","x":1})"});
  c.call("POST", list, 409, {.params = acme, .body = R"({"name":"www.acme.example"})"});
  c.call("GET", list, 200, {.params = acme});
  c.call("GET", list, 404, {.params = {{"tenantId", kMissing}}});

  const std::string one = "/api/v1/tenants/{tenantId}/domains/{domainId}";
  const std::map<std::string, std::string> domain{{"tenantId", w.tenant}, {"domainId", www}};
  Answer read = c.call("GET", one, 200, {.params = domain});
  c.call("GET", one, 404, {.params = {{"tenantId", w.tenant}, {"domainId", kMissing}}});
  c.call("PATCH", one, 400, {.params = domain, .body = R"({"name":"new.acme.example"})"});
  c.call("PATCH", one, 412, {.params = domain, .body = R"({"hsts":false})", .headers = kStale});
  Answer patched =
      c.call("PATCH", one, 200,
             {.params = domain, .body = R"({"tls_enabled":true})", .headers = ifMatch(read.etag)});
  CHECK(patched.body["tls_enabled"] == true);
  const std::map<std::string, std::string> gone{{"tenantId", w.tenant}, {"domainId", old}};
  c.call("DELETE", one, 412, {.params = gone, .headers = kStale});
  c.call("DELETE", one, 204, {.params = gone});
  c.call("DELETE", one, 404, {.params = gone});
}

void pools(ContractClient& c, World& w) {
  const std::string list = "/api/v1/tenants/{tenantId}/upstream-pools";
  const std::map<std::string, std::string> acme{{"tenantId", w.tenant}};
  const std::string web_body = R"({"name":"web","targets":[{"host":"127.0.0.1","port":9000}]})";
  const std::string web = idOf(c.call("POST", list, 201, {.params = acme, .body = web_body}));
  const std::string spare =
      idOf(c.call("POST", list, 201,
                  {.params = acme,
                   .body = R"({"name":"spare","targets":[{"host":"127.0.0.1","port":9001}]})"}));
  c.call("POST", list, 400, {.params = acme, .body = R"({"name":"x","targets":[],"x":1})"});
  c.call("POST", list, 409, {.params = acme, .body = web_body});
  c.call("GET", list, 200, {.params = acme});
  c.call("GET", list, 404, {.params = {{"tenantId", kMissing}}});

  const std::string one = "/api/v1/tenants/{tenantId}/upstream-pools/{poolId}";
  const std::map<std::string, std::string> pool{{"tenantId", w.tenant}, {"poolId", web}};
  Answer read = c.call("GET", one, 200, {.params = pool});
  c.call("GET", one, 404, {.params = {{"tenantId", w.tenant}, {"poolId", kMissing}}});
  const std::string heavier =
      R"({"name":"web","targets":[{"host":"127.0.0.1","port":9000,"weight":5}]})";
  c.call("PUT", one, 412, {.params = pool, .body = heavier, .headers = kStale});
  c.call("PUT", one, 400, {.params = pool, .body = R"({"name":"web","targets":[],"x":1})"});
  c.call("PUT", one, 200, {.params = pool, .body = heavier, .headers = ifMatch(read.etag)});
  const std::map<std::string, std::string> gone{{"tenantId", w.tenant}, {"poolId", spare}};
  c.call("DELETE", one, 412, {.params = gone, .headers = kStale});
  c.call("DELETE", one, 204, {.params = gone});
  c.call("DELETE", one, 404, {.params = gone});
}

void edgePolicy(ContractClient& c, World& w) {
  const std::string path = "/api/v1/tenants/{tenantId}/edge-policy";
  const std::map<std::string, std::string> acme{{"tenantId", w.tenant}};
  Answer read = c.call("GET", path, 200, {.params = acme});
  c.call("GET", path, 404, {.params = {{"tenantId", kMissing}}});
  const std::string one = R"({"headers":{"X-A":"one"},"rate_limit":{"rps":50,"burst":100}})";
  c.call("PUT", path, 400, {.params = acme, .body = R"({"x":1})"});
  c.call("PUT", path, 412, {.params = acme, .body = one, .headers = kStale});
  c.call("PUT", path, 200, {.params = acme, .body = one, .headers = ifMatch(read.etag)});
  c.call("DELETE", path, 412, {.params = acme, .headers = kStale});
  c.call("DELETE", path, 204, {.params = acme});
  c.call("DELETE", path, 404, {.params = {{"tenantId", kMissing}}});
  Answer reset = c.call("GET", path, 200, {.params = acme});
  CHECK(reset.body == read.body);
  c.call("PUT", path, 200, {.params = acme, .body = one});
}

void clusters(ContractClient& c, World& w) {
  const std::string list = "/api/v1/edge-clusters";
  w.cluster = idOf(c.call("POST", list, 201, {.body = R"({"name":"edge-a"})"}));
  const std::string spare = idOf(c.call("POST", list, 201, {.body = R"({"name":"spare"})"}));
  c.call("POST", list, 400, {.body = R"({"name":"edge-x","x":1})"});
  c.call("POST", list, 409, {.body = R"({"name":"edge-a"})"});
  c.call("GET", list, 200);

  const std::string one = "/api/v1/edge-clusters/{clusterId}";
  c.call("GET", one, 200, {.params = {{"clusterId", w.cluster}}});
  c.call("GET", one, 404, {.params = {{"clusterId", kMissing}}});
  c.call("DELETE", one, 412, {.params = {{"clusterId", spare}}, .headers = kStale});
  c.call("DELETE", one, 204, {.params = {{"clusterId", spare}}});
  c.call("DELETE", one, 404, {.params = {{"clusterId", spare}}});
}

// Enrols n1 over HTTP (its key is `key`) and n2 through the fleet service; returns n2's
// credential.
std::string enrolNodes(ContractClient& c, World& w, ApiServer& api,
                       const crypto::Ed25519PrivateKey& key) {
  const std::string tokens = "/api/v1/edge-clusters/{clusterId}/enrollment-tokens";
  const std::map<std::string, std::string> cluster{{"clusterId", w.cluster}};
  const std::string token = textOf(
      c.call("POST", tokens, 201, {.params = cluster, .body = R"({"ttl_seconds":600})"}), "token");
  c.call("POST", tokens, 400, {.params = cluster, .body = R"({"x":1})"});
  c.call("POST", tokens, 404, {.params = {{"clusterId", kMissing}}, .body = "{}"});

  c.call("GET", "/agent/v1/signing-keys", 200, {.bearer = "-"});
  json enrol = {{"token", token}, {"name", "n1"}, {"public_key", key.publicKey().pem()}};
  c.call("POST", "/agent/v1/enroll", 400, {.body = json{{"x", 1}}.dump(), .bearer = "-"});
  w.node_credential = textOf(
      c.call("POST", "/agent/v1/enroll", 201, {.body = enrol.dump(), .bearer = "-"}), "credential");
  enrol["name"] = "n1b";
  c.call("POST", "/agent/v1/enroll", 401, {.body = enrol.dump(), .bearer = "-"});  // spent

  const std::string second =
      textOf(c.call("POST", tokens, 201, {.params = cluster, .body = "{}"}), "token");
  auto n2 = api.app().fleet().enroll(second, "n2", newKey().publicKey().pem(), controller::Actor{});
  REQUIRE(n2);
  return n2->credential;
}

void nodes(ContractClient& c, World& w, const std::string& n2_credential) {
  const std::string list = "/api/v1/edge-clusters/{clusterId}/nodes";
  std::string n2;
  const Answer listed = c.call("GET", list, 200, {.params = {{"clusterId", w.cluster}}});
  for (const json& node : itemsOf(listed)) {
    (node["name"] == "n1" ? w.node : n2) = std::to_string(node["id"].get<Id>());
  }
  REQUIRE_FALSE(w.node.empty());
  REQUIRE_FALSE(n2.empty());
  c.call("GET", list, 404, {.params = {{"clusterId", kMissing}}});

  const std::string one = "/api/v1/edge-clusters/{clusterId}/nodes/{nodeId}";
  const std::map<std::string, std::string> n1{{"clusterId", w.cluster}, {"nodeId", w.node}};
  Answer read = c.call("GET", one, 200, {.params = n1});
  c.call("GET", one, 404, {.params = {{"clusterId", w.cluster}, {"nodeId", kMissing}}});
  c.call("PATCH", one, 400, {.params = n1, .body = R"({"x":1})"});
  c.call("PATCH", one, 409, {.params = n1, .body = R"({"name":"n2"})"});
  c.call("PATCH", one, 412, {.params = n1, .body = R"({"drained":true})", .headers = kStale});
  Answer drained =
      c.call("PATCH", one, 200,
             {.params = n1, .body = R"({"drained":true})", .headers = ifMatch(read.etag)});
  CHECK(drained.body["drained"] == true);
  c.call("PATCH", one, 200, {.params = n1, .body = R"({"drained":false})"});

  const std::map<std::string, std::string> gone{{"clusterId", w.cluster}, {"nodeId", n2}};
  c.call("DELETE", one, 412, {.params = gone, .headers = kStale});
  c.call("DELETE", one, 204, {.params = gone});
  c.call("DELETE", one, 404, {.params = gone});
  c.call("GET", "/agent/v1/desired", 401, {.bearer = n2_credential});
}

void assignments(ContractClient& c, World& w) {
  const std::string list = "/api/v1/tenants/{tenantId}/clusters";
  const std::string one = "/api/v1/tenants/{tenantId}/clusters/{clusterId}";
  const std::map<std::string, std::string> edge_a{{"tenantId", w.tenant}, {"clusterId", w.cluster}};
  c.call("PUT", one, 200, {.params = edge_a, .body = "{}"});
  Answer read = c.call("GET", one, 200, {.params = edge_a});
  c.call("PUT", one, 200, {.params = edge_a, .body = "{}", .headers = ifMatch(read.etag)});
  c.call("PUT", one, 412, {.params = edge_a, .body = "{}", .headers = kStale});
  c.call("PUT", one, 400, {.params = edge_a, .body = R"({"x":1})"});
  c.call("PUT", one, 404,
         {.params = {{"tenantId", w.tenant}, {"clusterId", kMissing}}, .body = "{}"});
  c.call("GET", list, 200, {.params = {{"tenantId", w.tenant}}});
  c.call("GET", list, 404, {.params = {{"tenantId", kMissing}}});

  const std::string edge_b =
      idOf(c.call("POST", "/api/v1/edge-clusters", 201, {.body = R"({"name":"edge-b"})"}));
  const std::map<std::string, std::string> b{{"tenantId", w.tenant}, {"clusterId", edge_b}};
  c.call("GET", one, 404, {.params = b});
  c.call("PUT", one, 200, {.params = b, .body = "{}"});
  c.call("DELETE", one, 412, {.params = b, .headers = kStale});
  c.call("DELETE", one, 204, {.params = b});
  c.call("DELETE", one, 404, {.params = b});

  // Nothing assigned or enrolled may lose its cluster or tenant.
  c.call("DELETE", "/api/v1/tenants/{tenantId}", 409, {.params = {{"tenantId", w.tenant}}});
  c.call("DELETE", "/api/v1/edge-clusters/{clusterId}", 409,
         {.params = {{"clusterId", w.cluster}}});
}

void deployments(ContractClient& c, World& w, SideServer& side) {
  const std::string create = "/api/v1/deployments";
  const std::string body = R"({"tenant_id":)" + w.tenant + "}";
  const std::map<std::string, std::string> acme{{"tenantId", w.tenant}};
  const std::string first = idOf(c.call("POST", create, 201, {.body = body}));
  c.call("POST", create, 409, {.body = body});  // nothing changed
  c.call("POST", create, 400, {.body = R"({"tenant_id":)" + w.tenant + R"(,"x":1})"});
  c.call("POST", create, 404, {.body = R"({"tenant_id":)" + kMissing + "}"});
  c.call("PUT", "/api/v1/tenants/{tenantId}/edge-policy", 200,
         {.params = acme, .body = R"({"headers":{"X-A":"two"}})"});
  const Answer preview = c.call("GET", "/api/v1/tenants/{tenantId}/preview", 200, {.params = acme});
  CHECK(textOf(preview, "diff").find("two") != std::string::npos);
  c.call("GET", "/api/v1/tenants/{tenantId}/preview", 404, {.params = {{"tenantId", kMissing}}});
  w.deployment = idOf(c.call("POST", create, 201, {.body = body}));

  const std::map<std::string, std::string> second{{"deploymentId", w.deployment}};
  const std::map<std::string, std::string> missing{{"deploymentId", kMissing}};
  c.call("GET", "/api/v1/deployments/{deploymentId}", 200, {.params = second});
  c.call("GET", "/api/v1/deployments/{deploymentId}", 404, {.params = missing});
  const std::string diff = "/api/v1/deployments/{deploymentId}/diff";
  CHECK(
      c.call("GET", diff, 200, {.params = second, .query = "?against=" + first}).text.find("two") !=
      std::string::npos);
  c.call("GET", diff, 400, {.params = second});
  c.call("GET", diff, 404, {.params = missing, .query = "?against=" + first});
  c.call("GET", "/api/v1/deployments/{deploymentId}/nodes", 200, {.params = second});
  c.call("GET", "/api/v1/deployments/{deploymentId}/nodes", 404, {.params = missing});
  const std::string history = "/api/v1/tenants/{tenantId}/deployments";
  c.call("GET", history, 200, {.params = acme, .query = "?limit=1"});
  c.call("GET", history, 400, {.params = acme, .query = "?cursor=x"});
  c.call("GET", history, 404, {.params = {{"tenantId", kMissing}}});

  const std::string rollback = "/api/v1/tenants/{tenantId}/rollback";
  c.call("POST", rollback, 400, {.params = acme, .body = R"({"deployment_id":1,"x":1})"});
  c.call("POST", rollback, 404, {.params = acme, .body = R"({"deployment_id":)" + kMissing + "}"});
  w.deployment = idOf(c.call("POST", rollback, 201,
                             {.params = acme, .body = R"({"deployment_id":)" + first + "}"}));
  side.publish();
}

void agentReports(ContractClient& c, World& w, const crypto::Ed25519PrivateKey& key) {
  const std::string desired = "/agent/v1/desired";
  Answer pointer = c.call("GET", desired, 200, {.bearer = w.node_credential});
  const std::string digest = textOf(pointer, "digest");
  const auto version =
      pointer.body.is_object() ? pointer.body.value("version", std::uint64_t{0}) : 0;
  c.call("GET", desired, 304,
         {.bearer = w.node_credential, .headers = {{"If-None-Match", "\"" + digest + "\""}}});
  c.call("GET", desired, 401, {.bearer = "vn_unknown"});

  const std::string bundle = "/agent/v1/bundles/{digest}";
  c.call("GET", bundle, 200, {.params = {{"digest", digest}}, .bearer = w.node_credential});
  c.call("GET", bundle, 404,
         {.params = {{"digest", std::string(64, '0')}}, .bearer = w.node_credential});
  c.call("GET", bundle, 401, {.params = {{"digest", digest}}, .bearer = "vn_unknown"});

  const std::int64_t now = std::time(nullptr);
  const release::Receipt receipt{.node = "n1",
                                 .cluster = "edge-a",
                                 .version = version,
                                 .digest = digest,
                                 .result = release::ApplyResult::kApplied,
                                 .serving_version = version,
                                 .timings_ms = {{"test", 12}},
                                 .at = now};
  const std::string receipts = "/agent/v1/receipts";
  c.call("POST", receipts, 202,
         {.body = release::signReceipt(receipt, key), .bearer = w.node_credential});
  c.call("POST", receipts, 422,
         {.body = release::signReceipt(receipt, newKey()), .bearer = w.node_credential});
  c.call("POST", receipts, 400, {.body = "{not json", .bearer = w.node_credential});
  c.call("POST", receipts, 401, {.body = release::signReceipt(receipt, key), .bearer = "-"});

  const release::Heartbeat heartbeat{.node = "n1",
                                     .cluster = "edge-a",
                                     .version = version,
                                     .digest = digest,
                                     .nginx_version = "nginx/1.22.1",
                                     .last_result = "applied",
                                     .at = now};
  const std::string beats = "/agent/v1/heartbeat";
  c.call("POST", beats, 202,
         {.body = release::signHeartbeat(heartbeat, key), .bearer = w.node_credential});
  c.call("POST", beats, 422,
         {.body = release::signHeartbeat(heartbeat, newKey()), .bearer = w.node_credential});
  Answer node = c.call("GET", "/api/v1/edge-clusters/{clusterId}/nodes/{nodeId}", 200,
                       {.params = {{"clusterId", w.cluster}, {"nodeId", w.node}}});
  CHECK(node.body["liveness"] == "online");
}

void tokens(ContractClient& c) {
  const std::string list = "/api/v1/tokens";
  const std::string id =
      idOf(c.call("POST", list, 201,
                  {.body = R"({"name":"ci","scopes":["tenants:read"],"expires_in_days":30})"}));
  c.call("POST", list, 400, {.body = R"({"name":"x","scopes":["tenants:read"],"x":1})"});
  c.call("GET", list, 200);

  const std::string one = "/api/v1/tokens/{tokenId}";
  const std::map<std::string, std::string> token{{"tokenId", id}};
  Answer read = c.call("GET", one, 200, {.params = token});
  c.call("GET", one, 404, {.params = {{"tokenId", kMissing}}});
  c.call("PATCH", one, 400, {.params = token, .body = R"({"scopes":["deploy"]})"});
  c.call("PATCH", one, 412, {.params = token, .body = R"({"name":"ci-2"})", .headers = kStale});
  Answer renamed =
      c.call("PATCH", one, 200,
             {.params = token, .body = R"({"name":"ci-2"})", .headers = ifMatch(read.etag)});
  CHECK(renamed.body["name"] == "ci-2");
  c.call("DELETE", one, 204, {.params = token});
  c.call("GET", one, 404, {.params = token});
  c.call("DELETE", one, 404, {.params = token});
}

void audit(ContractClient& c, World& w) {
  c.call("GET", "/api/v1/audit", 200, {.query = "?limit=50"});
  c.call("GET", "/api/v1/audit", 200, {.query = "?tenant_id=" + w.tenant + "&limit=2"});
  c.call("GET", "/api/v1/audit", 400, {.query = "?cursor=x"});
}

std::string listOf(const std::set<std::string>& operations) {
  std::string text;
  for (const std::string& operation : operations) {
    text += "\n  " + operation;
  }
  return text;
}

TEST_CASE("every operation of the spec answers as the spec says") {
  ApiServer api;
  SideServer side(api.app());
  ContractClient c(api, side.port());
  World w;
  const crypto::Ed25519PrivateKey n1_key = newKey();

  healthAndSpec(c);
  tenants(c, w);
  users(c, w);
  members(c, w, api);
  domains(c, w);
  pools(c, w);
  edgePolicy(c, w);
  clusters(c, w);
  const std::string n2_credential = enrolNodes(c, w, api, n1_key);
  nodes(c, w, n2_credential);
  assignments(c, w);
  deployments(c, w, side);
  agentReports(c, w, n1_key);
  tokens(c);
  audit(c, w);

  TempDir dir;
  const std::string jsonl = dir / "responses.jsonl";
  c.writeJsonl(jsonl);
  CommandResult checked = checkResponses(jsonl);
  CHECK_MESSAGE(checked.exit_code == 0, checked.output);

  // A route added to the spec (or called here) without the other fails.
  const std::set<std::string> spec = specOperations();
  std::set<std::string> not_called;
  std::set<std::string> not_in_spec;
  std::ranges::set_difference(spec, c.exercised(), std::inserter(not_called, not_called.end()));
  std::ranges::set_difference(c.exercised(), spec, std::inserter(not_in_spec, not_in_spec.end()));
  CHECK_MESSAGE(not_called.empty(), "operations of the spec no step calls:" << listOf(not_called));
  CHECK_MESSAGE(not_in_spec.empty(),
                "operations called but not in the spec:" << listOf(not_in_spec));
}

}  // namespace
}  // namespace vantus::testing
