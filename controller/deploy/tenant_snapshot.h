#pragma once
// The tenant's model as it was deployed, kept with each deployment so a rollback restores
// exactly those drafts. Uses the JSON shapes of controller/model/parse_json.h. Pure.
#include <nlohmann/json.hpp>

#include "common/core/result.h"
#include "controller/model/types.h"

namespace vantus::controller {

// {"tenant":{slug,name,status},"domains":[…],"pools":[…],"policy":{…}}
nlohmann::json tenantSnapshot(const TenantConfig& config);

// Parses a snapshot back; ids and timestamps are not part of it and stay 0 / "".
Result<TenantConfig> parseTenantSnapshot(const nlohmann::json& snapshot);

}  // namespace vantus::controller
