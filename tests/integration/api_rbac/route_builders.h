#pragma once
// Helpers the route table's rows are built from. Internal to the RBAC suite.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/integration/api_rbac/route_table.h"

namespace vantus::testing::rbac {

using Build = std::function<Request(World&, const Row&)>;
using Check = std::function<std::string(World&, const Row&, const nlohmann::json&)>;

// "/api/v1/tenants/<the row's own tenant>".
std::string tenantPath(const Row& row);
// The same request for every row.
Build fixed(std::string path, std::string body = "");
// Under the row's own tenant: "/api/v1/tenants/<own><suffix>".
Build underTenant(std::function<std::string(World&, const Row&)> suffix, std::string body = "");
// Whether the list's "items" hold one whose `key` is `id`.
bool holdsId(const nlohmann::json& list, const std::string& key, Id id);
// The list holds `mine` and never `theirs` (an id of tenant B's).
Check holdsMineNotTheirs(const std::string& key, Id World::*mine, Id World::*theirs);
// The token of the row, as the runner mints it for a kSelf route.
std::string ownBearer(World& world, const Row& row);
// Another token of the row's user, bound like the row's token.
Id freshOwnToken(World& world, const Row& row);

// The rows, by area (route_table.cc, route_table_config.cc).
std::vector<RouteCase> tenantRoutes();
std::vector<RouteCase> memberRoutes();
std::vector<RouteCase> userRoutes();
std::vector<RouteCase> edgeRoutes();
std::vector<RouteCase> configRoutes();
std::vector<RouteCase> deploymentRoutes();
std::vector<RouteCase> selfAndAuditRoutes();

}  // namespace vantus::testing::rbac
