#pragma once
// Whether a principal may use a scope, for a door that shows only the controls its user can
// use (DESIGN §9: RBAC mirrored in the UI). The rule is access.h's authorize(); the services
// still decide on every call, so a control shown by mistake is refused, never obeyed.
// Includes no store header: doors may use it. Pure; thread-safe.
#include <optional>
#include <string_view>

#include "controller/auth/principal.h"
#include "controller/model/types.h"

namespace vantus::controller {

bool mayUse(const Principal& principal, std::string_view scope, std::optional<Id> tenant_id);
// The principal's role on the tenant (nullopt: none, or a platform admin acting as such).
std::optional<TenantRole> roleOn(const Principal& principal, Id tenant_id);

}  // namespace vantus::controller
