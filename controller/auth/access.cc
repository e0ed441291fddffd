#include "controller/auth/access.h"

#include <fmt/format.h>

#include <algorithm>

namespace vantus::controller {

bool roleAllows(TenantRole role, std::string_view scope) {
  switch (role) {
    case TenantRole::kOwner:
    case TenantRole::kAdmin:
      return scope == "tenants:read" || scope == "tenants:write" || scope == "config:read" ||
             scope == "config:write" || scope == "deploy" || scope == "edges:read" ||
             scope == "audit:read";
    case TenantRole::kOperator:
      return scope == "tenants:read" || scope == "config:read" || scope == "config:write" ||
             scope == "deploy" || scope == "edges:read";
    case TenantRole::kViewer:
      return scope == "tenants:read" || scope == "config:read" || scope == "edges:read";
  }
  return false;
}

Result<void> authorize(const Principal& principal, std::string_view scope,
                       std::optional<Id> tenant_id) {
  VANTUS_TRY_VOID(authorizedRole(principal, scope, tenant_id));
  return ok();
}

Result<std::optional<TenantRole>> authorizedRole(const Principal& principal, std::string_view scope,
                                                 std::optional<Id> tenant_id) {
  const ApiToken& token = principal.token;
  const bool bound_elsewhere = token.tenant_id && (!tenant_id || *token.tenant_id != *tenant_id);
  if (tenant_id && bound_elsewhere) {
    return fail(ErrorCode::kNotFound, fmt::format("tenant {} not found", *tenant_id));
  }
  std::optional<TenantRole> role;
  if (tenant_id && !principal.user.is_platform_admin) {
    for (const Membership& membership : principal.memberships) {
      if (membership.tenant_id == *tenant_id) {
        role = membership.role;
      }
    }
    if (!role) {
      return fail(ErrorCode::kNotFound, fmt::format("tenant {} not found", *tenant_id));
    }
  }
  if (std::find(token.scopes.begin(), token.scopes.end(), scope) == token.scopes.end()) {
    return fail(ErrorCode::kPermissionDenied,
                fmt::format("this token lacks the \"{}\" scope", scope));
  }
  if (principal.user.is_platform_admin && !bound_elsewhere) {
    return std::optional<TenantRole>();
  }
  if (!tenant_id) {
    return fail(ErrorCode::kPermissionDenied,
                fmt::format("\"{}\" on the platform needs a platform admin's token that is not "
                            "bound to a tenant",
                            scope));
  }
  if (!roleAllows(*role, scope)) {
    return fail(ErrorCode::kPermissionDenied,
                fmt::format("role {} does not allow \"{}\"", tenantRoleName(*role), scope));
  }
  return role;
}

}  // namespace vantus::controller
