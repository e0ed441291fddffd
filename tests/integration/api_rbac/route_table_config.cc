// The rows of configuration, deployments, the caller's own tokens and the audit log.
#include <memory>

#include "tests/integration/api_rbac/route_builders.h"

namespace vantus::testing::rbac {

using nlohmann::json;

std::vector<RouteCase> configRoutes() {
  return {
      {.method = "POST",
       .pattern = R"(/api/v1/tenants/(\d+)/domains)",
       .scope = "config:write",
       .success = 201,
       .build =
           [](World& world, const Row& row) {
             return Request{tenantPath(row) + "/domains",
                            json{{"name", world.unique("new") + ".rbac.example"}}.dump()};
           }},
      {.method = "GET",
       .pattern = R"(/api/v1/tenants/(\d+)/domains)",
       .scope = "config:read",
       .build = underTenant([](World&, const Row&) { return "/domains"; }),
       .check = holdsMineNotTheirs("id", &World::domain_a, &World::domain_b)},
      {.method = "GET",
       .pattern = R"(/api/v1/tenants/(\d+)/domains/(\d+))",
       .scope = "config:read",
       .build = underTenant(
           [](World& world, const Row&) { return "/domains/" + World::str(world.domain_a); })},
      {.method = "PATCH",
       .pattern = R"(/api/v1/tenants/(\d+)/domains/(\d+))",
       .scope = "config:write",
       .build = underTenant(
           [](World& world, const Row&) { return "/domains/" + World::str(world.domain_a); },
           R"({"force_https":false})")},
      {.method = "DELETE",
       .pattern = R"(/api/v1/tenants/(\d+)/domains/(\d+))",
       .scope = "config:write",
       .success = 204,
       .build = underTenant([](World& world, const Row& row) {
         return "/domains/" + World::str(world.freshDomain(row.tenant));
       })},
      {.method = "POST",
       .pattern = R"(/api/v1/tenants/(\d+)/upstream-pools)",
       .scope = "config:write",
       .success = 201,
       .build =
           [](World& world, const Row& row) {
             return Request{tenantPath(row) + "/upstream-pools",
                            json{{"name", world.unique("pool")},
                                 {"targets", {{{"host", "127.0.0.1"}, {"port", 9001}}}}}
                                .dump()};
           }},
      {.method = "GET",
       .pattern = R"(/api/v1/tenants/(\d+)/upstream-pools)",
       .scope = "config:read",
       .build = underTenant([](World&, const Row&) { return "/upstream-pools"; }),
       .check = holdsMineNotTheirs("id", &World::pool_a, &World::pool_b)},
      {.method = "GET",
       .pattern = R"(/api/v1/tenants/(\d+)/upstream-pools/(\d+))",
       .scope = "config:read",
       .build = underTenant(
           [](World& world, const Row&) { return "/upstream-pools/" + World::str(world.pool_a); })},
      {.method = "PUT",
       .pattern = R"(/api/v1/tenants/(\d+)/upstream-pools/(\d+))",
       .scope = "config:write",
       .build = underTenant(
           [](World& world, const Row&) { return "/upstream-pools/" + World::str(world.pool_a); },
           R"({"name":"web","targets":[{"host":"127.0.0.1","port":9000}]})")},
      {.method = "DELETE",
       .pattern = R"(/api/v1/tenants/(\d+)/upstream-pools/(\d+))",
       .scope = "config:write",
       .success = 204,
       .build = underTenant([](World& world, const Row& row) {
         return "/upstream-pools/" + World::str(world.freshPool(row.tenant));
       })},
      {.method = "GET",
       .pattern = R"(/api/v1/tenants/(\d+)/edge-policy)",
       .scope = "config:read",
       .build = underTenant([](World&, const Row&) { return "/edge-policy"; })},
      {.method = "PUT",
       .pattern = R"(/api/v1/tenants/(\d+)/edge-policy)",
       .scope = "config:write",
       .build = underTenant([](World&, const Row&) { return "/edge-policy"; },
                            R"({"headers":{"X-Rbac":"put"}})")},
      {.method = "DELETE",
       .pattern = R"(/api/v1/tenants/(\d+)/edge-policy)",
       .scope = "config:write",
       .success = 204,
       .build = underTenant([](World&, const Row&) { return "/edge-policy"; })},
      {.method = "GET",
       .pattern = R"(/api/v1/tenants/(\d+)/clusters)",
       .scope = "config:read",
       .build = underTenant([](World&, const Row&) { return "/clusters"; }),
       .check = [](World& world, const Row&, const json& list) -> std::string {
         if (!holdsId(list, "cluster_id", world.cluster_main)) {
           return "edge-main is missing";
         }
         if (holdsId(list, "cluster_id", world.cluster_b_only)) {
           return "B's cluster is listed";
         }
         return "";
       }},
      {.method = "GET",
       .pattern = R"(/api/v1/tenants/(\d+)/clusters/(\d+))",
       .scope = "config:read",
       .build = underTenant(
           [](World& world, const Row&) { return "/clusters/" + World::str(world.cluster_main); })},
      {.method = "PUT",
       .pattern = R"(/api/v1/tenants/(\d+)/clusters/(\d+))",
       .scope = "config:write",
       .build = underTenant(
           [](World& world, const Row&) { return "/clusters/" + World::str(world.cluster_main); },
           "{}")},
      [] {
        // A fresh cluster assigned for the row; unassigned again when the row was refused, so
        // later deployments of A do not release to a pile of empty clusters.
        auto cluster = std::make_shared<Id>(0);
        return RouteCase{
            .method = "DELETE",
            .pattern = R"(/api/v1/tenants/(\d+)/clusters/(\d+))",
            .scope = "config:write",
            .success = 204,
            .build =
                [cluster](World& world, const Row& row) {
                  *cluster = world.freshCluster();
                  const std::string path = tenantPath(row) + "/clusters/" + World::str(*cluster);
                  world.asAdmin("PUT", path, "{}");
                  return Request{path, ""};
                },
            .after =
                [cluster](World& world, const Row& row, const httplib::Result& result) {
                  if (!result || result->status != 204) {
                    world.asAdmin("DELETE", tenantPath(row) + "/clusters/" + World::str(*cluster));
                  }
                }};
      }(),
      {.method = "GET",
       .pattern = R"(/api/v1/tenants/(\d+)/preview)",
       .scope = "config:read",
       .build = underTenant([](World&, const Row&) { return "/preview"; })},
  };
}

std::vector<RouteCase> deploymentRoutes() {
  auto deployment = [](World& world) {
    return "/api/v1/deployments/" + World::str(world.deploy_a2);
  };
  return {
      {.method = "POST",
       .pattern = "/api/v1/deployments",
       .scope = "deploy",
       .success = 201,
       .build =
           [](World& world, const Row& row) {
             world.changeDrafts(row.tenant);
             return Request{"/api/v1/deployments", json{{"tenant_id", row.tenant}}.dump()};
           }},
      {.method = "GET",
       .pattern = R"(/api/v1/deployments/(\d+))",
       .scope = "config:read",
       .build =
           [deployment](World& world, const Row&) {
             return Request{deployment(world), ""};
           }},
      {.method = "GET",
       .pattern = R"(/api/v1/deployments/(\d+)/diff)",
       .scope = "config:read",
       .build =
           [deployment](World& world, const Row&) {
             return Request{deployment(world) + "/diff?against=" + World::str(world.deploy_a1), ""};
           }},
      {.method = "GET",
       .pattern = R"(/api/v1/deployments/(\d+)/nodes)",
       .scope = "config:read",
       .build =
           [deployment](World& world, const Row&) {
             return Request{deployment(world) + "/nodes", ""};
           }},
      {.method = "GET",
       .pattern = R"(/api/v1/tenants/(\d+)/deployments)",
       .scope = "config:read",
       .build = underTenant([](World&, const Row&) { return "/deployments?limit=500"; }),
       .check = holdsMineNotTheirs("id", &World::deploy_a1, &World::deploy_b1)},
      {.method = "POST",
       .pattern = R"(/api/v1/tenants/(\d+)/rollback)",
       .scope = "deploy",
       .success = 201,
       .own = Own::kR,
       .build =
           [](World& world, const Row& row) {
             return Request{tenantPath(row) + "/rollback",
                            json{{"deployment_id", world.rollback_target}}.dump()};
           },
       .after =
           [](World& world, const Row&, const httplib::Result& result) {
             // What R deploys now is the target's content: the next rollback goes to the other.
             if (result && result->status == 201) {
               world.rollback_target =
                   world.rollback_target == world.deploy_r1 ? world.deploy_r2 : world.deploy_r1;
             }
           }},
  };
}

std::vector<RouteCase> selfAndAuditRoutes() {
  return {
      {.method = "POST",
       .pattern = "/api/v1/tokens",
       .reach = Reach::kSelf,
       .success = 201,
       .build = fixed("/api/v1/tokens", R"({"name":"made","scopes":["tenants:read"]})")},
      {.method = "GET",
       .pattern = "/api/v1/tokens",
       .reach = Reach::kSelf,
       .build = fixed("/api/v1/tokens")},
      {.method = "GET",
       .pattern = R"(/api/v1/tokens/(\d+))",
       .note = "the caller's own",
       .reach = Reach::kSelf,
       .build =
           [](World& world, const Row& row) {
             return Request{"/api/v1/tokens/" + World::str(world.tokenId(ownBearer(world, row))),
                            ""};
           }},
      {.method = "PATCH",
       .pattern = R"(/api/v1/tokens/(\d+))",
       .note = "the caller's own",
       .reach = Reach::kSelf,
       .build =
           [](World& world, const Row& row) {
             return Request{"/api/v1/tokens/" + World::str(world.tokenId(ownBearer(world, row))),
                            R"({"name":"renamed"})"};
           }},
      {.method = "DELETE",
       .pattern = R"(/api/v1/tokens/(\d+))",
       .note = "another of the caller's",
       .reach = Reach::kSelf,
       .success = 204,
       .build =
           [](World& world, const Row& row) {
             return Request{"/api/v1/tokens/" + World::str(freshOwnToken(world, row)), ""};
           }},
      {.method = "GET",
       .pattern = "/api/v1/audit",
       .note = "platform",
       .scope = "audit:read",
       .reach = Reach::kPlatform,
       .build = fixed("/api/v1/audit")},
      {.method = "GET",
       .pattern = "/api/v1/audit",
       .note = "?tenant_id=own",
       .scope = "audit:read",
       .build =
           [](World&, const Row& row) {
             return Request{"/api/v1/audit?limit=500&tenant_id=" + World::str(row.tenant), ""};
           },
       .check = [](World&, const Row& row, const json& list) -> std::string {
         for (const json& item : list.value("items", json::array())) {
           if (item["tenant_id"] != row.tenant) {
             return "a row of another tenant: " + item.dump();
           }
         }
         return "";
       }},
  };
}

}  // namespace vantus::testing::rbac
