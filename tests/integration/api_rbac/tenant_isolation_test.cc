// Tenant isolation: with tenant A's tokens nothing of tenant B can be seen, guessed or touched.
// B's real ids in A's paths and A's ids under B's path answer 404, the same as ids that do
// not exist; lists never hold B's items; nothing of B changes.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>

#include "tests/integration/api_rbac/rbac_world.h"

namespace vantus::testing::rbac {
namespace {

using nlohmann::json;

constexpr Id kMissing = 987654;

struct Probe {
  std::string method;
  std::string path;
  std::string body;
  std::string missing_path;    // the same request naming an id that does not exist ("" = none)
  std::string missing_body{};  // its body, when not `body`
};

// The problem's detail with every number as "#", so B's id and a missing id compare equal.
std::string shapeOf(const std::string& body) {
  json problem = json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string detail = problem.is_object() ? problem.value("detail", std::string()) : body;
  std::string out;
  for (char c : detail) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (out.empty() || out.back() != '#') {
        out += '#';
      }
    } else {
      out += c;
    }
  }
  return out;
}

void expectHidden(World& world, const std::string& bearer, const std::string& who,
                  const Probe& probe) {
  auto result = world.api().call(probe.method, probe.path, probe.body, bearer);
  INFO(who, ": ", probe.method, " ", probe.path, " ", probe.body);
  REQUIRE(result);
  INFO("answer: ", result->status, " ", result->body);
  CHECK(result->status == 404);
  if (!probe.missing_path.empty()) {
    auto missing =
        world.api().call(probe.method, probe.missing_path,
                         probe.missing_body.empty() ? probe.body : probe.missing_body, bearer);
    REQUIRE(missing);
    INFO("with a missing id: ", missing->status, " ", missing->body);
    CHECK(missing->status == result->status);
    CHECK(shapeOf(missing->body) == shapeOf(result->body));
  }
}

bool listHolds(const json& list, const std::string& key, Id id) {
  for (const json& item : list["items"]) {
    if (item.contains(key) && item[key] == id) {
      return true;
    }
  }
  return false;
}

json listAs(World& world, const std::string& bearer, const std::string& path) {
  auto result = world.api().call("GET", path, "", bearer);
  INFO("GET ", path);
  REQUIRE(result);
  REQUIRE(result->status == 200);
  json list = json::parse(result->body);
  REQUIRE(list["items"].is_array());
  return list;
}

TEST_CASE("tenant A's tokens cannot see, guess or touch anything of tenant B") {
  World world;
  const std::string a = "/api/v1/tenants/" + World::str(world.tenant_a);
  const std::string b = "/api/v1/tenants/" + World::str(world.tenant_b);
  const std::string missing_tenant = "/api/v1/tenants/" + World::str(kMissing);
  const std::string id_b_domain = World::str(world.domain_b);
  const std::string id_b_pool = World::str(world.pool_b);
  const std::string id_b_deploy = World::str(world.deploy_b1);
  const std::string missing = World::str(kMissing);
  const std::string b_token_id = World::str(world.tokenId(world.b_owner_token));

  const std::vector<Probe> b_ids_in_a_paths = {
      {"GET", b, "", missing_tenant},
      {"PATCH", b, R"({"name":"mine"})", missing_tenant},
      {"DELETE", b, "", missing_tenant},
      {"GET", b + "/domains", "", missing_tenant + "/domains"},
      {"GET", a + "/domains/" + id_b_domain, "", a + "/domains/" + missing},
      {"PATCH", a + "/domains/" + id_b_domain, R"({"force_https":false})",
       a + "/domains/" + missing},
      {"DELETE", a + "/domains/" + id_b_domain, "", a + "/domains/" + missing},
      {"GET", a + "/upstream-pools/" + id_b_pool, "", a + "/upstream-pools/" + missing},
      {"PUT", a + "/upstream-pools/" + id_b_pool,
       R"({"name":"web","targets":[{"host":"127.0.0.1","port":9000}]})",
       a + "/upstream-pools/" + missing},
      {"DELETE", a + "/upstream-pools/" + id_b_pool, "", a + "/upstream-pools/" + missing},
      {"GET", a + "/clusters/" + World::str(world.cluster_b_only), "", a + "/clusters/" + missing},
      {"DELETE", a + "/clusters/" + World::str(world.cluster_b_only), "",
       a + "/clusters/" + missing},
      {"GET", a + "/members/" + World::str(world.b_owner), "", a + "/members/" + missing},
      {"DELETE", a + "/members/" + World::str(world.b_owner), "", a + "/members/" + missing},
      {"GET", "/api/v1/deployments/" + id_b_deploy, "", "/api/v1/deployments/" + missing},
      {"GET", "/api/v1/deployments/" + id_b_deploy + "/nodes", "",
       "/api/v1/deployments/" + missing + "/nodes"},
      {"GET", "/api/v1/deployments/" + id_b_deploy + "/diff?against=" + World::str(world.deploy_a1),
       "", "/api/v1/deployments/" + missing + "/diff?against=" + World::str(world.deploy_a1)},
      // A's deployment diffed against B's would print B's configuration.
      {"GET", "/api/v1/deployments/" + World::str(world.deploy_a2) + "/diff?against=" + id_b_deploy,
       "", "/api/v1/deployments/" + World::str(world.deploy_a2) + "/diff?against=" + missing},
      {"POST", a + "/rollback", json{{"deployment_id", world.deploy_b1}}.dump(), a + "/rollback",
       json{{"deployment_id", kMissing}}.dump()},
      {"POST", "/api/v1/deployments", json{{"tenant_id", world.tenant_b}}.dump(),
       "/api/v1/deployments", json{{"tenant_id", kMissing}}.dump()},
      // A token bound to B would let A's user act as if B were theirs, and write to B's log.
      {"POST", "/api/v1/tokens",
       json{{"name", "into-b"}, {"scopes", {"tenants:read"}}, {"tenant_id", world.tenant_b}}.dump(),
       "/api/v1/tokens",
       json{{"name", "into-b"}, {"scopes", {"tenants:read"}}, {"tenant_id", kMissing}}.dump()},
      {"GET", "/api/v1/tokens/" + b_token_id, "", "/api/v1/tokens/" + missing},
      {"PATCH", "/api/v1/tokens/" + b_token_id, R"({"name":"mine"})", "/api/v1/tokens/" + missing},
      {"DELETE", "/api/v1/tokens/" + b_token_id, "", "/api/v1/tokens/" + missing},
      {"GET", "/api/v1/audit?tenant_id=" + World::str(world.tenant_b), "",
       "/api/v1/audit?tenant_id=" + missing},
  };
  const std::vector<Probe> a_ids_in_b_paths = {
      {"GET", b + "/domains/" + World::str(world.domain_a), "", ""},
      {"DELETE", b + "/domains/" + World::str(world.domain_a), "", ""},
      {"GET", b + "/upstream-pools/" + World::str(world.pool_a), "", ""},
      {"DELETE", b + "/upstream-pools/" + World::str(world.pool_a), "", ""},
      {"POST", b + "/rollback", json{{"deployment_id", world.deploy_a1}}.dump(), ""},
      {"GET", b + "/members/" + World::str(world.userId(Who::kOwner)), "", ""},
  };
  const std::vector<std::pair<std::string, std::string>> a_tokens = {
      {"A's owner (unbound)", world.token(Who::kOwner, TokenKind::kAllScopes, "", 0)},
      {"A's owner (bound to A)",
       world.token(Who::kOwner, TokenKind::kBoundOwn, "", world.tenant_a)},
      {"platform admin (bound to A)",
       world.token(Who::kPlatformAdmin, TokenKind::kBoundOwn, "", world.tenant_a)},
  };
  for (const auto& [who, bearer] : a_tokens) {
    for (const Probe& probe : b_ids_in_a_paths) {
      expectHidden(world, bearer, who, probe);
    }
    for (const Probe& probe : a_ids_in_b_paths) {
      expectHidden(world, bearer, who, probe);
    }
  }

  {  // Even a platform admin finds no id of one tenant under another's path.
    const std::string root = world.token(Who::kPlatformAdmin, TokenKind::kAllScopes, "", 0);
    for (const Probe& probe : {
             Probe{"GET", a + "/domains/" + id_b_domain, "", ""},
             Probe{"GET", b + "/domains/" + World::str(world.domain_a), "", ""},
             Probe{"GET", a + "/upstream-pools/" + id_b_pool, "", ""},
             Probe{"GET", a + "/clusters/" + World::str(world.cluster_b_only), "", ""},
             Probe{"POST", a + "/rollback", json{{"deployment_id", world.deploy_b1}}.dump(), ""},
         }) {
      expectHidden(world, root, "platform admin", probe);
    }
  }

  {  // Lists show A's items and never B's.
    for (const auto& [who, bearer] : a_tokens) {
      INFO(who);
      json tenants = listAs(world, bearer, "/api/v1/tenants?limit=500");
      CHECK(listHolds(tenants, "id", world.tenant_a));
      CHECK_FALSE(listHolds(tenants, "id", world.tenant_b));
      json domains = listAs(world, bearer, a + "/domains");
      CHECK(listHolds(domains, "id", world.domain_a));
      CHECK_FALSE(listHolds(domains, "id", world.domain_b));
      json pools = listAs(world, bearer, a + "/upstream-pools");
      CHECK(listHolds(pools, "id", world.pool_a));
      CHECK_FALSE(listHolds(pools, "id", world.pool_b));
      json deployments = listAs(world, bearer, a + "/deployments?limit=500");
      CHECK(listHolds(deployments, "id", world.deploy_a1));
      CHECK_FALSE(listHolds(deployments, "id", world.deploy_b1));
      for (const json& item : deployments["items"]) {
        CHECK(item["tenant_id"] == world.tenant_a);
      }
      json clusters = listAs(world, bearer, a + "/clusters");
      CHECK(listHolds(clusters, "cluster_id", world.cluster_main));
      CHECK_FALSE(listHolds(clusters, "cluster_id", world.cluster_b_only));
      json members = listAs(world, bearer, a + "/members");
      CHECK(listHolds(members, "user_id", world.userId(Who::kViewer)));
      CHECK_FALSE(listHolds(members, "user_id", world.b_owner));
      json tokens = listAs(world, bearer, "/api/v1/tokens");
      CHECK_FALSE(listHolds(tokens, "id", world.tokenId(world.b_owner_token)));
      json audit =
          listAs(world, bearer, "/api/v1/audit?limit=500&tenant_id=" + World::str(world.tenant_a));
      CHECK_FALSE(audit["items"].empty());
      for (const json& item : audit["items"]) {
        CHECK(item["tenant_id"] == world.tenant_a);
      }
      // The platform-wide audit log is the platform's.
      auto platform = world.api().call("GET", "/api/v1/audit", "", bearer);
      REQUIRE(platform);
      CHECK(platform->status == 403);
    }
  }

  // Whatever A's tokens tried, B is as it was.
  const std::string root = world.api().adminToken();
  CHECK(world.api().call("GET", b + "/domains/" + id_b_domain, "", root)->status == 200);
  CHECK(world.api().call("GET", b + "/upstream-pools/" + id_b_pool, "", root)->status == 200);
  CHECK(world.api().call("GET", b, "", root)->status == 200);
  CHECK(world.api().call("GET", b + "/members/" + World::str(world.b_owner), "", root)->status ==
        200);
  CHECK(world.api().call("GET", "/api/v1/tenants", "", world.b_owner_token)->status == 200);
  json b_deployments = world.asAdmin("GET", b + "/deployments");
  CHECK(b_deployments["items"].size() == 1);
  // ... and B's audit log holds nothing A's users did.
  json b_audit =
      world.asAdmin("GET", "/api/v1/audit?limit=500&tenant_id=" + World::str(world.tenant_b));
  for (const json& row : b_audit["items"]) {
    INFO("B's audit row: ", row.dump());
    const bool done_by_a_user = row["actor"].dump().find("@rbac.example") != std::string::npos;
    CHECK_FALSE(done_by_a_user);
  }
}

}  // namespace
}  // namespace vantus::testing::rbac
