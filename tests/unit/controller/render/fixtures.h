#pragma once
// Representative tenants shared by the golden, nginx syntax and speed tests. Every host
// resolves offline (IP literals, "localhost") because `nginx -t` resolves upstreams.
#include <string>
#include <string_view>

#include "controller/model/types.h"
#include "controller/render/renderer.h"

namespace vantus::controller::testing {

std::string templateDir();   // <source>/templates/nginx
Renderer& sharedRenderer();  // created once from templateDir(); REQUIREs success

EdgeCluster cluster(std::string name);
Domain domain(std::string name);
Domain tlsDomain(std::string name, bool force_https, bool hsts, std::string min_tls = "TLSv1.2");
UpstreamPool pool(std::string name, std::vector<UpstreamTarget> targets);

TenantConfig minimalTenant();     // one domain, one pool, default policy
TenantConfig multiPoolTenant();   // wildcard + several domains, two pools, weights, IPv6
TenantConfig fullPolicyTenant();  // every policy knob set
TenantConfig tlsTenant();         // TLS groups, force_https, HSTS, https upstream
TenantConfig suspendedTenant();   // SUSPENDED with a TLS domain

// Compares `actual` with tests/golden/render/<name>. With VANTUS_UPDATE_GOLDEN=1 rewrites
// the golden file instead; on a mismatch writes the actual text under the build dir.
void checkGolden(std::string_view name, const std::string& actual);

}  // namespace vantus::controller::testing
