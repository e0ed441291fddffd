// The documented access rules, written out independently of controller/auth so the table
// tests the server against the documents rather than against itself.
#include <string_view>

#include "tests/integration/api_rbac/route_table.h"

namespace vantus::testing::rbac {

namespace {

// docs/rbac.md as amended by the routes/RBAC plan (operators hold config:write).
bool documentedRoleAllows(Who who, std::string_view scope) {
  switch (who) {
    case Who::kOwner:
    case Who::kAdmin:
      return scope == "tenants:read" || scope == "tenants:write" || scope == "config:read" ||
             scope == "config:write" || scope == "deploy" || scope == "edges:read" ||
             scope == "audit:read";
    case Who::kOperator:
      return scope == "tenants:read" || scope == "config:read" || scope == "config:write" ||
             scope == "deploy" || scope == "edges:read";
    case Who::kViewer:
      return scope == "tenants:read" || scope == "config:read" || scope == "edges:read";
    case Who::kPlatformAdmin:
    case Who::kOutsider:
      return false;
  }
  return false;
}

}  // namespace

Verdict verdictFor(Who who, TokenKind kind, const std::string& scope, Reach reach,
                   bool on_own_tenant, bool owner_only) {
  const bool holds_scope = kind != TokenKind::kAllButNeeded;
  if (reach == Reach::kSelf) {
    return Verdict::kAllowed;
  }
  if (reach == Reach::kPlatform) {
    // A platform admin's token that is not bound to a tenant, holding the scope.
    const bool unbound = kind == TokenKind::kAllScopes || kind == TokenKind::kAllButNeeded;
    return who == Who::kPlatformAdmin && unbound && holds_scope ? Verdict::kAllowed
                                                                : Verdict::kForbidden;
  }
  // A tenant the caller may not see is 404: the token is bound to another tenant, or the user
  // is neither a platform admin nor a member (the principals are members of their own tenant
  // only, never of B).
  const bool bound_elsewhere = (kind == TokenKind::kBoundOwn && !on_own_tenant) ||
                               (kind == TokenKind::kBoundOther && on_own_tenant);
  if (bound_elsewhere) {
    return Verdict::kNotFound;
  }
  const bool member = on_own_tenant && who != Who::kPlatformAdmin && who != Who::kOutsider;
  if (who != Who::kPlatformAdmin && !member) {
    return Verdict::kNotFound;
  }
  if (!holds_scope) {
    return Verdict::kForbidden;
  }
  if (who == Who::kPlatformAdmin) {
    return Verdict::kAllowed;
  }
  if (!documentedRoleAllows(who, scope)) {
    return Verdict::kForbidden;
  }
  if (owner_only && who != Who::kOwner) {
    return Verdict::kForbidden;
  }
  return Verdict::kAllowed;
}

int expectedStatus(const RouteCase& route, Who who, TokenKind kind) {
  if (route.reach == Reach::kFiltered) {
    return route.success;  // the list answers; what it holds is the row's check
  }
  switch (
      verdictFor(who, kind, route.scope, route.reach, /*on_own_tenant=*/true, route.owner_only)) {
    case Verdict::kAllowed:
      return route.success;
    case Verdict::kForbidden:
      return 403;
    case Verdict::kNotFound:
      return 404;
  }
  return 0;
}

std::string normalizedPattern(std::string_view pattern) {
  std::string out;
  int depth = 0;
  for (char c : pattern) {
    if (c == '(' || c == '{') {
      if (depth++ == 0) {
        out += "{}";
      }
    } else if (c == ')' || c == '}') {
      --depth;
    } else if (depth == 0) {
      out += c;
    }
  }
  return out;
}

std::string RouteCase::label() const {
  std::string path = normalizedPattern(pattern);
  constexpr std::string_view kPrefix = "/api/v1";
  if (path.starts_with(kPrefix)) {
    path.erase(0, kPrefix.size());
  }
  return method + " " + path + (note.empty() ? "" : " [" + note + "]");
}

}  // namespace vantus::testing::rbac
