#pragma once
// Role-based access (DESIGN §9, matrix in docs/rbac.md): a request may use `scope` on a tenant
// when its token carries the scope, a tenant-bound token names that tenant, and the owner is a
// platform admin or holds a tenant role that allows the scope. A tenant the principal may not
// see is kNotFound (never kPermissionDenied, which would confirm it exists); a visible tenant
// with too little right is kPermissionDenied. Pure given the memberships; thread-safe.
#include <optional>
#include <string_view>

#include "common/core/result.h"
#include "controller/auth/api_tokens.h"
#include "controller/store/store.h"

namespace vantus::controller {

// Whether `role` allows `scope` on its tenant.
bool roleAllows(TenantRole role, std::string_view scope);

// `tenant_id` nullopt = a platform-wide action (edge clusters, users, creating tenants):
// platform admins only, and never through a tenant-bound token.
// The principal's memberships are those read when it authenticated (per request).
Result<void> authorize(const Principal& principal, std::string_view scope,
                       std::optional<Id> tenant_id);
// As authorize(), naming the tenant role the principal acts with (nullopt: a platform admin,
// or a platform-wide action).
Result<std::optional<TenantRole>> authorizedRole(const Principal& principal, std::string_view scope,
                                                 std::optional<Id> tenant_id);

}  // namespace vantus::controller
