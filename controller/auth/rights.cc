#include "controller/auth/rights.h"

#include "controller/auth/access.h"

namespace vantus::controller {

bool mayUse(const Principal& principal, std::string_view scope, std::optional<Id> tenant_id) {
  return authorize(principal, scope, tenant_id).has_value();
}

std::optional<TenantRole> roleOn(const Principal& principal, Id tenant_id) {
  for (const Membership& membership : principal.memberships) {
    if (membership.tenant_id == tenant_id) {
      return membership.role;
    }
  }
  return std::nullopt;
}

}  // namespace vantus::controller
