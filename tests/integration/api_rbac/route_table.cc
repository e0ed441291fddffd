#include "tests/integration/api_rbac/route_table.h"

#include <memory>

#include "tests/integration/api_rbac/route_builders.h"

namespace vantus::testing::rbac {

using nlohmann::json;

// Helpers (route_builders.h).

std::string tenantPath(const Row& row) { return "/api/v1/tenants/" + World::str(row.tenant); }

Build fixed(std::string path, std::string body) {
  return [path = std::move(path), body = std::move(body)](World&, const Row&) {
    return Request{path, body};
  };
}

Build underTenant(std::function<std::string(World&, const Row&)> suffix, std::string body) {
  return [suffix = std::move(suffix), body = std::move(body)](World& world, const Row& row) {
    return Request{tenantPath(row) + suffix(world, row), body};
  };
}

bool holdsId(const json& list, const std::string& key, Id id) {
  if (!list.contains("items") || !list["items"].is_array()) {
    return false;
  }
  for (const json& item : list["items"]) {
    if (item.contains(key) && item[key] == id) {
      return true;
    }
  }
  return false;
}

Check holdsMineNotTheirs(const std::string& key, Id World::*mine, Id World::*theirs) {
  return [key, mine, theirs](World& world, const Row&, const json& list) -> std::string {
    if (!holdsId(list, key, world.*mine)) {
      return "the list lacks the tenant's own item " + World::str(world.*mine);
    }
    if (holdsId(list, key, world.*theirs)) {
      return "the list shows tenant B's item " + World::str(world.*theirs);
    }
    return "";
  };
}

std::string ownBearer(World& world, const Row& row) {
  return world.token(row.who, row.kind, "", row.tenant);
}

Id freshOwnToken(World& world, const Row& row) {
  std::optional<Id> binding;
  if (row.kind == TokenKind::kBoundOwn) {
    binding = row.tenant;
  }
  if (row.kind == TokenKind::kBoundOther) {
    binding = world.tenant_b;
  }
  return world.tokenId(world.api().token(World::emailOf(row.who), kEveryScope, binding));
}

// The rows of tenants, members, users and the edge fleet.

std::vector<RouteCase> tenantRoutes() {
  return {
      {.method = "POST",
       .pattern = "/api/v1/tenants",
       .scope = "tenants:write",
       .reach = Reach::kPlatform,
       .success = 201,
       .build =
           [](World& world, const Row&) {
             const std::string slug = world.unique("new");
             return Request{"/api/v1/tenants", json{{"slug", slug}, {"name", slug}}.dump()};
           }},
      {.method = "GET",
       .pattern = "/api/v1/tenants",
       .scope = "tenants:read",
       .reach = Reach::kFiltered,
       .build = fixed("/api/v1/tenants?limit=500"),
       .check = [](World& world, const Row& row, const json& list) -> std::string {
         const bool sees_a = verdictFor(row.who, row.kind, "tenants:read", Reach::kTenant, true,
                                        false) == Verdict::kAllowed;
         const bool sees_b = verdictFor(row.who, row.kind, "tenants:read", Reach::kTenant, false,
                                        false) == Verdict::kAllowed;
         if (holdsId(list, "id", world.tenant_a) != sees_a) {
           return sees_a ? "tenant A is missing" : "tenant A is listed";
         }
         if (holdsId(list, "id", world.tenant_b) != sees_b) {
           return sees_b ? "tenant B is missing" : "tenant B is listed";
         }
         return "";
       }},
      {.method = "GET",
       .pattern = R"(/api/v1/tenants/(\d+))",
       .scope = "tenants:read",
       .build = underTenant([](World&, const Row&) { return ""; })},
      {.method = "PATCH",
       .pattern = R"(/api/v1/tenants/(\d+))",
       .scope = "tenants:write",
       .build = underTenant([](World&, const Row&) { return ""; }, R"({"name":"Tenant A"})")},
      {.method = "DELETE",
       .pattern = R"(/api/v1/tenants/(\d+))",
       .scope = "tenants:write",
       .success = 204,
       .own = Own::kFresh,
       .owner_only = true,
       .build = underTenant([](World&, const Row&) { return ""; })},
  };
}

std::vector<RouteCase> memberRoutes() {
  auto put_role = [](std::string role) {
    // A tenant's owner or admin adds a member by id and email (user ids are not theirs to browse).
    return [role](World& world, const Row& row) {
      const std::string email = world.unique("user") + "@rbac.example";
      const Id user = world.api().addUser(email);
      return Request{tenantPath(row) + "/members/" + World::str(user),
                     json{{"role", role}, {"email", email}}.dump()};
    };
  };
  auto member_with_role = [](controller::TenantRole role) {
    return [role](World& world, const Row& row) {
      const Id user = world.freshUser();
      world.api().addMember(user, row.tenant, role);
      return Request{tenantPath(row) + "/members/" + World::str(user), ""};
    };
  };
  return {
      {.method = "GET",
       .pattern = R"(/api/v1/tenants/(\d+)/members)",
       .scope = "tenants:read",
       .build = underTenant([](World&, const Row&) { return "/members"; }),
       .check = [](World& world, const Row&, const json& list) -> std::string {
         if (!holdsId(list, "user_id", world.userId(Who::kViewer))) {
           return "the viewer is missing";
         }
         if (holdsId(list, "user_id", world.b_owner)) {
           return "B's owner is listed";
         }
         return "";
       }},
      {.method = "GET",
       .pattern = R"(/api/v1/tenants/(\d+)/members/(\d+))",
       .scope = "tenants:read",
       .build = underTenant([](World& world, const Row&) {
         return "/members/" + World::str(world.userId(Who::kViewer));
       })},
      {.method = "PUT",
       .pattern = R"(/api/v1/tenants/(\d+)/members/(\d+))",
       .note = "new viewer",
       .scope = "tenants:write",
       .success = 201,
       .build = put_role("viewer")},
      {.method = "PUT",
       .pattern = R"(/api/v1/tenants/(\d+)/members/(\d+))",
       .note = "new owner",
       .scope = "tenants:write",
       .success = 201,
       .owner_only = true,
       .build = put_role("owner")},
      {.method = "PUT",
       .pattern = R"(/api/v1/tenants/(\d+)/members/(\d+))",
       .note = "owner -> viewer",
       .scope = "tenants:write",
       .owner_only = true,
       .build =
           [](World& world, const Row& row) {
             const Id user = world.freshUser();
             world.api().addMember(user, row.tenant, controller::TenantRole::kOwner);
             return Request{tenantPath(row) + "/members/" + World::str(user),
                            R"({"role":"viewer"})"};
           }},
      {.method = "DELETE",
       .pattern = R"(/api/v1/tenants/(\d+)/members/(\d+))",
       .note = "a viewer",
       .scope = "tenants:write",
       .success = 204,
       .build = member_with_role(controller::TenantRole::kViewer)},
      {.method = "DELETE",
       .pattern = R"(/api/v1/tenants/(\d+)/members/(\d+))",
       .note = "an owner",
       .scope = "tenants:write",
       .success = 204,
       .owner_only = true,
       .build = member_with_role(controller::TenantRole::kOwner)},
  };
}

std::vector<RouteCase> userRoutes() {
  return {
      {.method = "GET",
       .pattern = "/api/v1/users",
       .scope = "users:admin",
       .reach = Reach::kPlatform,
       .build = fixed("/api/v1/users")},
      {.method = "POST",
       .pattern = "/api/v1/users",
       .scope = "users:admin",
       .reach = Reach::kPlatform,
       .success = 201,
       .build =
           [](World& world, const Row&) {
             return Request{"/api/v1/users",
                            json{{"email", world.unique("new") + "@rbac.example"}}.dump()};
           }},
      {.method = "GET",
       .pattern = R"(/api/v1/users/(\d+))",
       .scope = "users:admin",
       .reach = Reach::kPlatform,
       .build =
           [](World& world, const Row&) {
             return Request{"/api/v1/users/" + World::str(world.userId(Who::kViewer)), ""};
           }},
      {.method = "PATCH",
       .pattern = R"(/api/v1/users/(\d+))",
       .scope = "users:admin",
       .reach = Reach::kPlatform,
       .build =
           [](World& world, const Row&) {
             return Request{"/api/v1/users/" + World::str(world.freshUser()),
                            R"({"disabled":true})"};
           }},
      {.method = "DELETE",
       .pattern = R"(/api/v1/users/(\d+))",
       .scope = "users:admin",
       .reach = Reach::kPlatform,
       .success = 204,
       .build =
           [](World& world, const Row&) {
             return Request{"/api/v1/users/" + World::str(world.freshUser()), ""};
           }},
  };
}

std::vector<RouteCase> edgeRoutes() {
  auto cluster = [](World& world) {
    return "/api/v1/edge-clusters/" + World::str(world.cluster_main);
  };
  return {
      {.method = "POST",
       .pattern = "/api/v1/edge-clusters",
       .scope = "edges:write",
       .reach = Reach::kPlatform,
       .success = 201,
       .build =
           [](World& world, const Row&) {
             return Request{"/api/v1/edge-clusters", json{{"name", world.unique("edge")}}.dump()};
           }},
      {.method = "GET",
       .pattern = "/api/v1/edge-clusters",
       .scope = "edges:read",
       .reach = Reach::kPlatform,
       .build = fixed("/api/v1/edge-clusters")},
      {.method = "GET",
       .pattern = R"(/api/v1/edge-clusters/(\d+))",
       .scope = "edges:read",
       .reach = Reach::kPlatform,
       .build =
           [cluster](World& world, const Row&) {
             return Request{cluster(world), ""};
           }},
      {.method = "DELETE",
       .pattern = R"(/api/v1/edge-clusters/(\d+))",
       .scope = "edges:write",
       .reach = Reach::kPlatform,
       .success = 204,
       .build =
           [](World& world, const Row&) {
             return Request{"/api/v1/edge-clusters/" + World::str(world.freshCluster()), ""};
           }},
      {.method = "GET",
       .pattern = R"(/api/v1/edge-clusters/(\d+)/nodes)",
       .scope = "edges:read",
       .reach = Reach::kPlatform,
       .build =
           [cluster](World& world, const Row&) {
             return Request{cluster(world) + "/nodes", ""};
           }},
      {.method = "GET",
       .pattern = R"(/api/v1/edge-clusters/(\d+)/nodes/(\d+))",
       .scope = "edges:read",
       .reach = Reach::kPlatform,
       .build =
           [cluster](World& world, const Row&) {
             return Request{cluster(world) + "/nodes/" + World::str(world.node_main), ""};
           }},
      {.method = "PATCH",
       .pattern = R"(/api/v1/edge-clusters/(\d+)/nodes/(\d+))",
       .scope = "edges:write",
       .reach = Reach::kPlatform,
       .build =
           [cluster](World& world, const Row&) {
             return Request{cluster(world) + "/nodes/" + World::str(world.node_main),
                            R"({"drained":false})"};
           }},
      {.method = "DELETE",
       .pattern = R"(/api/v1/edge-clusters/(\d+)/nodes/(\d+))",
       .scope = "edges:write",
       .reach = Reach::kPlatform,
       .success = 204,
       .build =
           [cluster](World& world, const Row&) {
             return Request{cluster(world) + "/nodes/" + World::str(world.freshNode()), ""};
           }},
      {.method = "POST",
       .pattern = R"(/api/v1/edge-clusters/(\d+)/enrollment-tokens)",
       .scope = "edges:write",
       .reach = Reach::kPlatform,
       .success = 201,
       .build =
           [cluster](World& world, const Row&) {
             return Request{cluster(world) + "/enrollment-tokens", R"({"ttl_seconds":600})"};
           }},
  };
}

std::vector<RouteCase> everyRoute() {
  std::vector<RouteCase> all;
  for (auto group : {tenantRoutes, memberRoutes, userRoutes, edgeRoutes, configRoutes,
                     deploymentRoutes, selfAndAuditRoutes}) {
    for (RouteCase& route : group()) {
      all.push_back(std::move(route));
    }
  }
  return all;
}

}  // namespace vantus::testing::rbac
