#pragma once
// Rendered cluster trees for the pre-check tests, made with the real renderer and templates.
// Every upstream host resolves offline unless a test asks otherwise.
#include <string>
#include <vector>

#include "controller/deploy/precheck.h"
#include "controller/model/types.h"

namespace vantus::controller::testing {

TenantConfig plainTenant(std::string slug, std::string upstream_host = "10.0.0.10");
TenantConfig tlsTenant(std::string slug);

// nginx.conf, snippets/rate-zones.conf and each tenant's file, as DeploymentService passes
// them to Precheck::check().
std::vector<ClusterFile> renderTree(const std::string& cluster,
                                    const std::vector<TenantConfig>& tenants);

// The tree's file for `slug` (tenants/<shard>/<slug>.conf).
std::string tenantPath(const std::string& slug);

}  // namespace vantus::controller::testing
