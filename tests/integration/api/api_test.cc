// The REST API on a real server over loopback: authentication, strict bodies,
// problem+json, ETags, tenant isolation and the deploy/diff/rollback flow.
#include <doctest/doctest.h>
#include <httplib.h>

#include <ctime>

#include "common/core/time.h"
#include "tests/support/api/api_server.h"
#include "tests/support/api/side_server.h"

namespace vantus::controller {
namespace {

using nlohmann::json;

using ApiFixture = vantus::testing::ApiServer;
using vantus::testing::bodyOf;
using vantus::testing::checkProblem;

TEST_CASE("requests without a valid token are refused") {
  ApiFixture api;
  checkProblem(api.call("GET", "/api/v1/tenants", "", "vt_000000000000_" + std::string(43, 'a')),
               401, "");
}

TEST_CASE("tenants: create, read with ETag, strict bodies, If-Match, delete") {
  ApiFixture api;
  auto created = api.call("POST", "/api/v1/tenants", R"({"slug":"acme","name":"Acme"})");
  REQUIRE(created);
  CHECK(created->status == 201);
  json tenant = json::parse(created->body);
  CHECK(tenant["slug"] == "acme");
  CHECK(tenant["status"] == "active");
  const std::string id = std::to_string(tenant["id"].get<Id>());

  auto read = api.call("GET", "/api/v1/tenants/" + id);
  REQUIRE(read);
  CHECK(read->status == 200);
  CHECK(json::parse(read->body) == tenant);
  const std::string etag = read->get_header_value("ETag");
  CHECK(etag == created->get_header_value("ETag"));

  checkProblem(api.call("POST", "/api/v1/tenants", R"({"slug":"b","name":"B","x":1})"), 400, "x");
  checkProblem(api.call("POST", "/api/v1/tenants", R"({"slug":"a;b","name":"B"})"), 400, "slug");
  checkProblem(api.call("POST", "/api/v1/tenants", R"({"slug":)"), 400, "body");
  checkProblem(api.call("POST", "/api/v1/tenants", R"({"slug":"acme","name":"Again"})"), 409,
               "slug");
  checkProblem(api.call("PATCH", "/api/v1/tenants/" + id, R"({"name":"New"})", "",
                        {{"If-Match", "\"stale\""}}),
               412, "If-Match");
  auto patched =
      api.call("PATCH", "/api/v1/tenants/" + id, R"({"name":"New"})", "", {{"If-Match", etag}});
  REQUIRE(patched);
  CHECK(patched->status == 200);
  CHECK(json::parse(patched->body)["name"] == "New");

  auto deleted = api.call("DELETE", "/api/v1/tenants/" + id);
  REQUIRE(deleted);
  CHECK(deleted->status == 204);
  checkProblem(api.call("GET", "/api/v1/tenants/" + id), 404, "");
  checkProblem(api.call("DELETE", "/api/v1/tenants/" + id), 404, "");
}

TEST_CASE("a tenant-bound token sees its tenant only and nothing beyond its scopes") {
  ApiFixture api;
  Id a = bodyOf(api.call("POST", "/api/v1/tenants", R"({"slug":"a","name":"A"})"))["id"];
  Id b = bodyOf(api.call("POST", "/api/v1/tenants", R"({"slug":"b","name":"B"})"))["id"];
  const std::string reader = api.token("admin@example.com", {"tenants:read"}, a);
  auto own = api.call("GET", "/api/v1/tenants/" + std::to_string(a), "", reader);
  REQUIRE(own);
  CHECK(own->status == 200);
  checkProblem(api.call("GET", "/api/v1/tenants/" + std::to_string(b), "", reader), 404, "");
  checkProblem(api.call("POST", "/api/v1/tenants/" + std::to_string(b) + "/domains",
                        R"({"name":"b.example"})", reader),
               404, "");
  checkProblem(api.call("POST", "/api/v1/tenants/" + std::to_string(a) + "/domains",
                        R"({"name":"a.example"})", reader),
               403, "");
  json list = bodyOf(api.call("GET", "/api/v1/tenants", "", reader));
  REQUIRE(list["items"].size() == 1);
  CHECK(list["items"][0]["id"] == a);
}

TEST_CASE("deploy, diff and roll back through the API") {
  ApiFixture api;
  Id cluster = bodyOf(api.call("POST", "/api/v1/edge-clusters", R"({"name":"edge-a"})"))["id"];
  Id tenant = bodyOf(api.call("POST", "/api/v1/tenants", R"({"slug":"acme","name":"Acme"})"))["id"];
  const std::string base = "/api/v1/tenants/" + std::to_string(tenant);
  json domain = bodyOf(api.call("POST", base + "/domains", R"({"name":"WWW.Acme.Example"})"));
  CHECK(domain["name"] == "www.acme.example");
  json pool = bodyOf(api.call("POST", base + "/upstream-pools",
                              R"({"name":"web","targets":[{"host":"127.0.0.1","port":9000}]})"));
  CHECK(pool["targets"][0]["weight"] == 1);
  auto assigned = api.call("PUT", base + "/clusters/" + std::to_string(cluster), "{}");
  REQUIRE(assigned);
  CHECK(assigned->status == 200);
  REQUIRE(api.call("PUT", base + "/edge-policy", R"({"headers":{"X-A":"one"}})")->status == 200);

  const std::string deploy_body = R"({"tenant_id":)" + std::to_string(tenant) + "}";
  auto first = api.call("POST", "/api/v1/deployments", deploy_body);
  REQUIRE(first);
  REQUIRE(first->status == 201);
  json one = json::parse(first->body);
  CHECK(one["releases"][0]["cluster"] == "edge-a");
  CHECK(one["releases"][0]["version"] == 1);
  CHECK(one["commit"].get<std::string>().size() == 40);

  REQUIRE(api.call("PUT", base + "/edge-policy", R"({"headers":{"X-A":"two"}})")->status == 200);
  json preview = bodyOf(api.call("GET", base + "/preview"));
  CHECK(preview["diff"].get<std::string>().find("\"two\"") != std::string::npos);
  json two = bodyOf(api.call("POST", "/api/v1/deployments", deploy_body));
  auto diff = api.call("GET", "/api/v1/deployments/" + std::to_string(two["id"].get<Id>()) +
                                  "/diff?against=" + std::to_string(one["id"].get<Id>()));
  REQUIRE(diff);
  CHECK(diff->status == 200);
  CHECK(diff->body.find("-    add_header \"X-A\" \"one\" always;") != std::string::npos);
  CHECK(diff->body.find("+    add_header \"X-A\" \"two\" always;") != std::string::npos);
  checkProblem(api.call("GET", "/api/v1/deployments/" + std::to_string(two["id"].get<Id>()) +
                                   "/diff?against=first"),
               400, "against");

  auto rolled = api.call("POST", base + "/rollback",
                         R"({"deployment_id":)" + std::to_string(one["id"].get<Id>()) + "}");
  REQUIRE(rolled);
  CHECK(rolled->status == 201);
  json three = json::parse(rolled->body);
  CHECK(three["kind"] == "rollback");
  CHECK(three["releases"][0]["version"] == 3);
  json policy = bodyOf(api.call("GET", base + "/edge-policy"));
  CHECK(policy["headers"]["X-A"] == "one");
  // What the rollback kept keeps its id: a Terraform state stays valid.
  CHECK(bodyOf(
            api.call("GET", base + "/domains/" + std::to_string(domain["id"].get<Id>())))["name"] ==
        "www.acme.example");
  CHECK(bodyOf(api.call("GET", base + "/upstream-pools/" +
                                   std::to_string(pool["id"].get<Id>())))["name"] == "web");
  json history = bodyOf(api.call("GET", base + "/deployments"));
  CHECK(history["items"].size() == 3);

  checkProblem(api.call("POST", "/api/v1/deployments", deploy_body), 409, "");
}

TEST_CASE("edge nodes through the API: enrolment token, node list, per-node deployment state") {
  ApiFixture api;
  Id cluster = bodyOf(api.call("POST", "/api/v1/edge-clusters", R"({"name":"edge-a"})"))["id"];
  const std::string nodes = "/api/v1/edge-clusters/" + std::to_string(cluster) + "/nodes";
  CHECK(bodyOf(api.call("GET", nodes))["items"].empty());

  auto made =
      api.call("POST", "/api/v1/edge-clusters/" + std::to_string(cluster) + "/enrollment-tokens",
               R"({"ttl_seconds":600})");
  REQUIRE(made);
  REQUIRE(made->status == 201);
  CHECK(made->get_header_value("Cache-Control") == "no-store");
  json token = json::parse(made->body);
  CHECK(token["token"].get<std::string>().starts_with("ve_"));
  checkProblem(
      api.call("POST", "/api/v1/edge-clusters/" + std::to_string(cluster) + "/enrollment-tokens",
               R"({"ttl_seconds":5})"),
      400, "ttl_seconds");
  checkProblem(api.call("POST", "/api/v1/edge-clusters/999/enrollment-tokens", "{}"), 404, "");

  auto key = crypto::Ed25519PrivateKey::generate();
  REQUIRE(key);
  auto enrolled = api.app().fleet().enroll(token["token"].get<std::string>(), "n1",
                                           key->publicKey().pem(), Actor{});
  REQUIRE(enrolled);
  json listed = bodyOf(api.call("GET", nodes));
  REQUIRE(listed["items"].size() == 1);
  CHECK(listed["items"][0]["name"] == "n1");
  CHECK(listed["items"][0]["liveness"] == "pending");
  CHECK(listed["items"][0]["last_seen_at"].is_null());

  Id tenant = bodyOf(api.call("POST", "/api/v1/tenants", R"({"slug":"acme","name":"Acme"})"))["id"];
  const std::string base = "/api/v1/tenants/" + std::to_string(tenant);
  bodyOf(api.call("POST", base + "/domains", R"({"name":"www.acme.example"})"));
  bodyOf(api.call("POST", base + "/upstream-pools",
                  R"({"name":"web","targets":[{"host":"127.0.0.1","port":9000}]})"));
  REQUIRE(api.call("PUT", base + "/clusters/" + std::to_string(cluster), "{}")->status == 200);
  json deployed = bodyOf(
      api.call("POST", "/api/v1/deployments", R"({"tenant_id":)" + std::to_string(tenant) + "}"));
  json states = bodyOf(api.call(
      "GET", "/api/v1/deployments/" + std::to_string(deployed["id"].get<Id>()) + "/nodes"));
  REQUIRE(states["items"].size() == 1);
  CHECK(states["items"][0]["node"] == "n1");
  CHECK(states["items"][0]["state"] == "pending");
  CHECK(states["items"][0]["version"] == 1);
}

TEST_CASE("rate limits: failed authentications and writes get 429 with Retry-After") {
  ApiFixture api;
  api.services().limits.auth_failures = RateRule{6, 3};
  api.services().limits.writes = RateRule{60, 2};
  for (int i = 0; i < 3; ++i) {
    checkProblem(api.call("GET", "/api/v1/tenants", "", "vt_000000000000_wrong"), 401, "");
  }
  auto blocked = api.call("GET", "/api/v1/tenants", "", "vt_000000000000_wrong");
  checkProblem(blocked, 429, "");
  CHECK(std::stoi(blocked->get_header_value("Retry-After")) >= 1);
  // The address is blocked even for a good token until the bucket refills.
  checkProblem(api.call("GET", "/api/v1/tenants"), 429, "");
  api.services().limits.auth_failures = RateRule{0, 0};

  CHECK(api.call("POST", "/api/v1/tenants", R"({"slug":"one","name":"One"})")->status == 201);
  CHECK(api.call("POST", "/api/v1/tenants", R"({"slug":"two","name":"Two"})")->status == 201);
  auto third = api.call("POST", "/api/v1/tenants", R"({"slug":"three","name":"Three"})");
  checkProblem(third, 429, "");
  CHECK(third->get_header_value("Retry-After") == "1");
  CHECK(bodyOf(api.call("GET", "/api/v1/tenants"))["items"].size() == 2);  // reads still pass
}

TEST_CASE("Idempotency-Key: a retry replays the first answer, another body is 422") {
  ApiFixture api;
  const httplib::Headers key{{"Idempotency-Key", "create-acme-1"}};
  auto first = api.call("POST", "/api/v1/tenants", R"({"slug":"acme","name":"Acme"})", "", key);
  REQUIRE(first);
  REQUIRE(first->status == 201);
  auto again = api.call("POST", "/api/v1/tenants", R"({"slug":"acme","name":"Acme"})", "", key);
  REQUIRE(again);
  CHECK(again->status == 201);
  CHECK(again->body == first->body);
  CHECK(again->get_header_value("Idempotent-Replayed") == "true");
  CHECK(bodyOf(api.call("GET", "/api/v1/tenants"))["items"].size() == 1);

  checkProblem(api.call("POST", "/api/v1/tenants", R"({"slug":"other","name":"Other"})", "", key),
               422, "Idempotency-Key");
  checkProblem(api.call("POST", "/api/v1/tenants", R"({"slug":"x","name":"X"})", "",
                        {{"Idempotency-Key", std::string(300, 'k')}}),
               400, "Idempotency-Key");
  // Without the header every POST is a new request.
  checkProblem(api.call("POST", "/api/v1/tenants", R"({"slug":"acme","name":"Acme"})"), 409, "");
  CHECK(bodyOf(api.call("GET", "/api/v1/tenants"))["items"].size() == 1);
}

TEST_CASE("tokens: create shows the secret once, list hides it, revoke ends it; audit lists rows") {
  ApiFixture api;
  auto made = api.call("POST", "/api/v1/tokens",
                       R"({"name":"ci","scopes":["tenants:read"],"expires_in_days":30})");
  REQUIRE(made);
  REQUIRE(made->status == 201);
  CHECK(made->get_header_value("Cache-Control") == "no-store");
  json token = json::parse(made->body);
  const std::string secret = token["token"];
  CHECK(secret.starts_with("vt_" + token["prefix"].get<std::string>() + "_"));
  CHECK(api.call("GET", "/api/v1/tenants", "", secret)->status == 200);
  // The new token holds only what it was given.
  checkProblem(api.call("POST", "/api/v1/tenants", R"({"slug":"a","name":"A"})", secret), 403, "");

  json listed = bodyOf(api.call("GET", "/api/v1/tokens"));
  CHECK(listed.dump().find(secret.substr(20)) == std::string::npos);
  bool seen = false;
  for (const json& item : listed["items"]) {
    seen = seen || item["id"] == token["id"];
  }
  CHECK(seen);

  // A token cannot mint a scope it does not hold.
  checkProblem(api.call("POST", "/api/v1/tokens", R"({"name":"up","scopes":["deploy"]})", secret),
               403, "scopes");
  checkProblem(api.call("POST", "/api/v1/tokens", R"({"name":"x","scopes":["nope"]})"), 400,
               "scopes");

  const std::string path = "/api/v1/tokens/" + std::to_string(token["id"].get<Id>());
  auto revoked = api.call("DELETE", path);
  REQUIRE(revoked);
  CHECK(revoked->status == 204);
  checkProblem(api.call("GET", "/api/v1/tenants", "", secret), 401, "");
  checkProblem(api.call("DELETE", path), 404, "");

  json audit = bodyOf(api.call("GET", "/api/v1/audit?limit=2"));
  REQUIRE(audit["items"].size() == 2);
  CHECK(audit["items"][0]["action"] == "api_token.revoke");
  CHECK(audit["items"][1]["action"] == "api_token.create");
  CHECK(audit["items"][0]["prev_hash"] == audit["items"][1]["hash"]);
  CHECK(audit.dump().find(secret.substr(20)) == std::string::npos);
  REQUIRE(audit["next_cursor"].is_string());
  json older = bodyOf(
      api.call("GET", "/api/v1/audit?limit=2&cursor=" + audit["next_cursor"].get<std::string>()));
  CHECK(older["items"][0]["id"].get<Id>() < audit["items"][1]["id"].get<Id>());
}

TEST_CASE("a tenant's owner adds members by id and email; ids alone reveal nobody") {
  ApiFixture api;
  Id tenant = bodyOf(api.call("POST", "/api/v1/tenants", R"({"slug":"acme","name":"Acme"})"))["id"];
  const Id owner = api.addUser("owner@example.com");
  api.addMember(owner, tenant, TenantRole::kOwner);
  const Id stranger = api.addUser("stranger@example.com");
  const std::string token = api.token("owner@example.com", {"tenants:read", "tenants:write"});
  const std::string members = "/api/v1/tenants/" + std::to_string(tenant) + "/members/";

  auto unknown = api.call("PUT", members + "987654", R"({"role":"viewer"})", token);
  auto without_email =
      api.call("PUT", members + std::to_string(stranger), R"({"role":"viewer"})", token);
  auto wrong_email = api.call("PUT", members + std::to_string(stranger),
                              R"({"role":"viewer","email":"someone@example.com"})", token);
  checkProblem(unknown, 404, "user_id");
  checkProblem(without_email, 404, "user_id");
  checkProblem(wrong_email, 404, "user_id");
  CHECK(json::parse(without_email->body)["detail"].get<std::string>().find("stranger") ==
        std::string::npos);
  checkProblem(
      api.call("PUT", members + std::to_string(stranger),
               R"({"role":"viewer","email":"Stranger@Example.com"})", token, {{"If-Match", "*"}}),
      412, "If-Match");

  auto added = api.call("PUT", members + std::to_string(stranger),
                        R"({"role":"viewer","email":"Stranger@Example.com"})", token);
  REQUIRE(added);
  CHECK(added->status == 201);
  CHECK(json::parse(added->body)["email"] == "stranger@example.com");
  auto changed = api.call("PUT", members + std::to_string(stranger), R"({"role":"operator"})",
                          token, {{"If-Match", added->get_header_value("ETag")}});
  REQUIRE(changed);
  CHECK(changed->status == 200);
  CHECK(json::parse(changed->body)["role"] == "operator");
}

TEST_CASE("a token bound to a tenant sees and touches only that tenant's tokens") {
  ApiFixture api;
  Id a = bodyOf(api.call("POST", "/api/v1/tenants", R"({"slug":"a","name":"A"})"))["id"];
  const std::string bound = api.token(ApiFixture::kAdminEmail, {"tenants:read"}, a);
  json listed = bodyOf(api.call("GET", "/api/v1/tokens", "", bound));
  REQUIRE(listed["items"].size() == 1);
  CHECK(listed["items"][0]["tenant_id"] == a);
  json all = bodyOf(api.call("GET", "/api/v1/tokens"));
  Id unbound_id = 0;
  for (const json& token : all["items"]) {
    if (token["tenant_id"].is_null()) {
      unbound_id = token["id"];
    }
  }
  REQUIRE(unbound_id > 0);
  const std::string unbound_path = "/api/v1/tokens/" + std::to_string(unbound_id);
  checkProblem(api.call("GET", unbound_path, "", bound), 404, "");
  checkProblem(api.call("DELETE", unbound_path, "", bound), 404, "");
  CHECK(api.call("GET", unbound_path)->status == 200);
}

TEST_CASE("audit filters: tenant, actor, action or action family, time range") {
  ApiFixture api;
  Id a = bodyOf(api.call("POST", "/api/v1/tenants", R"({"slug":"a","name":"A"})"))["id"];
  bodyOf(api.call("POST", "/api/v1/tenants", R"({"slug":"b","name":"B"})"));
  bodyOf(api.call("POST", "/api/v1/tenants/" + std::to_string(a) + "/domains",
                  R"({"name":"www.a.example"})"));
  api.addUser("other@example.com");
  const std::string other = api.token("other@example.com", {"tenants:read"});
  REQUIRE(
      bodyOf(api.call("POST", "/api/v1/tokens", R"({"name":"x","scopes":["tenants:read"]})", other))
          .contains("token"));

  auto actions = [&](const std::string& query) {
    json page = bodyOf(api.call("GET", "/api/v1/audit?" + query));
    std::vector<std::string> found;
    for (const json& row : page["items"]) {
      found.push_back(row["action"]);
    }
    return found;
  };
  CHECK(actions("action=tenant.create") ==
        std::vector<std::string>{"tenant.create", "tenant.create"});
  CHECK(actions("tenant_id=" + std::to_string(a) + "&action=domain.") ==
        std::vector<std::string>{"domain.create"});
  CHECK(actions("actor=other@example.com") == std::vector<std::string>{"api_token.create"});
  CHECK(actions("action=tenant.create&until=2000-01-01T00:00:00Z").empty());
  CHECK(actions("action=tenant.create&since=2000-01-01T00:00:00Z").size() == 2);
  checkProblem(api.call("GET", "/api/v1/audit?since=yesterday"), 400, "since");
  checkProblem(api.call("GET", "/api/v1/audit?until=2026-11-26"), 400, "until");
}

TEST_CASE("a drained node is offered no new release until it is undrained") {
  ApiFixture api;
  vantus::testing::SideServer agent_api(api.app());
  Id cluster = bodyOf(api.call("POST", "/api/v1/edge-clusters", R"({"name":"edge-a"})"))["id"];
  Id tenant = bodyOf(api.call("POST", "/api/v1/tenants", R"({"slug":"acme","name":"Acme"})"))["id"];
  const std::string base = "/api/v1/tenants/" + std::to_string(tenant);
  bodyOf(api.call("POST", base + "/domains", R"({"name":"www.acme.example"})"));
  bodyOf(api.call("POST", base + "/upstream-pools",
                  R"({"name":"web","targets":[{"host":"127.0.0.1","port":9000}]})"));
  REQUIRE(api.call("PUT", base + "/clusters/" + std::to_string(cluster), "{}")->status == 200);
  const std::string deploy = R"({"tenant_id":)" + std::to_string(tenant) + "}";
  REQUIRE(api.call("POST", "/api/v1/deployments", deploy)->status == 201);
  agent_api.publish();

  json token = bodyOf(api.call(
      "POST", "/api/v1/edge-clusters/" + std::to_string(cluster) + "/enrollment-tokens", "{}"));
  auto key = crypto::Ed25519PrivateKey::generate();
  REQUIRE(key);
  auto enrolled = api.app().fleet().enroll(token["token"].get<std::string>(), "n1",
                                           key->publicKey().pem(), Actor{});
  REQUIRE(enrolled);
  httplib::Client agent("127.0.0.1", agent_api.port());
  auto desired = [&](const std::string& known) {
    httplib::Headers headers{{"Authorization", "Bearer " + enrolled->credential}};
    if (!known.empty()) {
      headers.emplace("If-None-Match", "\"" + known + "\"");
    }
    return agent.Get("/agent/v1/desired?wait=1", headers);
  };
  auto first = desired("");
  REQUIRE(first);
  REQUIRE(first->status == 200);
  const std::string applied = json::parse(first->body)["digest"];
  // RFC 3339 like every other timestamp of the API, and in the future.
  const json expires_at = json::parse(first->body)["expires_at"];
  REQUIRE(expires_at.is_string());
  auto expiry = parseRfc3339Utc(expires_at.get<std::string>());
  REQUIRE(expiry);
  CHECK(*expiry > static_cast<std::int64_t>(std::time(nullptr)));

  const std::string node = "/api/v1/edge-clusters/" + std::to_string(cluster) + "/nodes/" +
                           std::to_string(enrolled->node.id);
  json drained = bodyOf(api.call("PATCH", node, R"({"drained":true})"));
  CHECK(drained["drained"] == true);
  REQUIRE(api.call("PUT", base + "/edge-policy", R"({"headers":{"X-A":"two"}})")->status == 200);
  json second = bodyOf(api.call("POST", "/api/v1/deployments", deploy));
  agent_api.publish();
  auto held = desired(applied);
  REQUIRE(held);
  CHECK(held->status == 304);
  json states = bodyOf(
      api.call("GET", "/api/v1/deployments/" + std::to_string(second["id"].get<Id>()) + "/nodes"));
  REQUIRE(states["items"].size() == 1);
  CHECK(states["items"][0]["state"] == "drained");

  CHECK(bodyOf(api.call("PATCH", node, R"({"drained":false})"))["drained"] == false);
  auto released = desired(applied);
  REQUIRE(released);
  CHECK(released->status == 200);
  CHECK(json::parse(released->body)["digest"] != applied);
}

}  // namespace
}  // namespace vantus::controller
