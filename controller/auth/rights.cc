#include "controller/auth/rights.h"

#include "controller/auth/access.h"

namespace vantus::controller {

bool mayUse(const Principal& principal, std::string_view scope, std::optional<Id> tenant_id) {
  return authorize(principal, scope, tenant_id).has_value();
}

}  // namespace vantus::controller
