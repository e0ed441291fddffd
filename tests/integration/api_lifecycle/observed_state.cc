#include "tests/integration/api_lifecycle/observed_state.h"

#include <doctest/doctest.h>

#include "tests/integration/api_lifecycle/lifecycle_client.h"
#include "tests/support/temp_dir.h"

namespace vantus::testing {

using nlohmann::json;

namespace {

constexpr int kMaxAuditPages = 100;

std::size_t auditRows(ApiServer& api) {
  std::size_t rows = 0;
  std::string cursor;
  for (int page = 0; page < kMaxAuditPages; ++page) {
    Answer answer = send(api, "GET", "/api/v1/audit?limit=500" + cursor);
    REQUIRE(answer.status == 200);
    rows += answer.body["items"].size();
    if (answer.body["next_cursor"].is_null()) {
      return rows;
    }
    cursor = "&cursor=" + answer.body["next_cursor"].get<std::string>();
  }
  FAIL("the audit log did not end within ", kMaxAuditPages, " pages");
  return rows;
}

std::string repositoryHead(ApiServer& api) {
  CommandResult head = runCommand("git -C '" + api.app().layout().repository.string() +
                                  "' rev-parse --verify -q HEAD");
  return std::to_string(head.exit_code) + " " + head.output;
}

// POSTs `body` to `path` and answers the new resource's id.
controller::Id createdId(ApiServer& api, const std::string& path, const std::string& body) {
  Answer created = send(api, "POST", path, body);
  INFO("POST ", path, " ", body);
  REQUIRE(created.status == 201);
  return created.body["id"].get<controller::Id>();
}

DeployedTenant deployTenant(ApiServer& api, const std::string& slug, controller::Id cluster) {
  DeployedTenant tenant;
  tenant.id = createdId(api, "/api/v1/tenants", json{{"slug", slug}, {"name", slug}}.dump());
  tenant.path = "/api/v1/tenants/" + std::to_string(tenant.id);
  tenant.domain =
      createdId(api, tenant.path + "/domains", json{{"name", "www." + slug + ".example"}}.dump());
  tenant.pool = createdId(api, tenant.path + "/upstream-pools",
                          R"({"name":"web","targets":[{"host":"127.0.0.1","port":9000}]})");
  REQUIRE(
      api.call("PUT", tenant.path + "/edge-policy", R"({"headers":{"X-Tenant":"one"}})")->status ==
      200);
  auto assigned = api.call("PUT", tenant.path + "/clusters/" + std::to_string(cluster), "{}");
  REQUIRE(assigned);
  REQUIRE(assigned->status / 100 == 2);
  Answer deployed = send(api, "POST", "/api/v1/deployments",
                         json{{"tenant_id", tenant.id}, {"message", "first"}}.dump());
  REQUIRE(deployed.status == 201);
  tenant.deployment = deployed.body["id"].get<controller::Id>();
  return tenant;
}

void watchTenant(std::vector<std::string>& watched, const DeployedTenant& tenant) {
  for (const char* child : {"", "/domains", "/upstream-pools", "/edge-policy", "/clusters",
                            "/members", "/deployments?limit=1"}) {
    watched.push_back(tenant.path + child);
  }
  watched.push_back("/api/v1/deployments/" + std::to_string(tenant.deployment));
}

}  // namespace

ObservedState observe(ApiServer& api, const std::vector<std::string>& paths) {
  ObservedState state;
  state.paths = paths;
  for (const std::string& path : paths) {
    auto answer = api.call("GET", path);
    REQUIRE(answer);
    state.answers.push_back(std::to_string(answer->status) + " " + answer->body);
  }
  state.audit_rows = auditRows(api);
  state.head = repositoryHead(api);
  return state;
}

void checkUnchanged(ApiServer& api, const ObservedState& before) {
  ObservedState after = observe(api, before.paths);
  for (std::size_t i = 0; i < before.paths.size(); ++i) {
    INFO("GET ", before.paths[i]);
    CHECK(after.answers[i] == before.answers[i]);
  }
  CHECK(after.audit_rows == before.audit_rows);
  CHECK(after.head == before.head);
}

void checkRefused(ApiServer& api, const ObservedState& before, const std::string& method,
                  const std::string& path, const std::string& body, int status,
                  const std::string& field, const std::string& bearer, httplib::Headers headers) {
  INFO(method, " ", path, " ", body.substr(0, 200));
  checkProblem(api.call(method, path, body, bearer, std::move(headers)), status, field);
  checkUnchanged(api, before);
}

DeployedWorld deployWorld(ApiServer& api) {
  DeployedWorld world;
  world.cluster = createdId(api, "/api/v1/edge-clusters", R"({"name":"edge-a"})");
  world.a = deployTenant(api, "alpha", world.cluster);
  world.b = deployTenant(api, "beta", world.cluster);
  world.watched = {"/api/v1/tenants?limit=500", "/api/v1/edge-clusters", "/api/v1/users?limit=500"};
  watchTenant(world.watched, world.a);
  watchTenant(world.watched, world.b);
  return world;
}

}  // namespace vantus::testing
