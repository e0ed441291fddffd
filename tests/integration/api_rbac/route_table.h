#pragma once
// Every /api/v1 route as one row: the scope it needs, whether it acts on a tenant or on the
// platform, its success status and how to build a concrete request for a principal. The
// expected answer of each (route, principal, token) is derived from the documented matrix
// (docs/rbac.md and the routes/RBAC plan), never from controller/auth.
#include <httplib.h>

#include <functional>
#include <string>
#include <vector>

#include "tests/integration/api_rbac/rbac_world.h"

namespace vantus::testing::rbac {

// The tenant a kTenant row acts on: A, a tenant made for the row (destructive rows), or R
// (rollbacks rewrite drafts, so they stay away from A).
enum class Own { kA, kFresh, kR };

struct Row {
  Who who;
  TokenKind kind;
  Id tenant;  // the row's own tenant
};

struct Request {
  std::string path;  // with the query, if any
  std::string body;
};

struct RouteCase {
  std::string method{};
  std::string pattern{};  // as the server registers it, e.g. R"(/api/v1/tenants/(\d+))"
  std::string note{};     // tells two rows of one route apart ("" for most)
  std::string scope{};    // "" for kSelf
  Reach reach = Reach::kTenant;
  int success = 200;
  Own own = Own::kA;
  bool owner_only = false;  // an owner or a platform admin only (tenant admins get 403)
  // The request for one row; may make fresh resources first.
  std::function<Request(World&, const Row&)> build{};
  // More checks on an answer with the success status: "" when fine, else what is wrong.
  std::function<std::string(World&, const Row&, const nlohmann::json&)> check{};
  // Runs after the call, whatever it answered.
  std::function<void(World&, const Row&, const httplib::Result&)> after{};

  std::string label() const;
};

std::vector<RouteCase> everyRoute();

// "/api/v1/tenants/{}/domains/{}": every regex group or OpenAPI "{param}" as "{}".
std::string normalizedPattern(std::string_view pattern);

// The status the row must answer.
int expectedStatus(const RouteCase& route, Who who, TokenKind kind);

}  // namespace vantus::testing::rbac
