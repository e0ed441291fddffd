#pragma once
// Maps one tenant onto the sections and variables of templates/nginx/tenant.conf.tpl.
// Internal to controller/render; Renderer::renderTenant() documents the resulting config.
#include "common/core/result.h"
#include "controller/model/types.h"

namespace ctemplate {
class TemplateDictionary;
}  // namespace ctemplate

namespace vantus::controller {

// Fills `dictionary` for a tenant that is not archived. Fails with kInvalidInput (field
// "pools[i].targets") when a pool has no target or only backup targets.
Result<void> fillTenantDictionary(const TenantConfig& config,
                                  ctemplate::TemplateDictionary& dictionary);

}  // namespace vantus::controller
