#include "tests/unit/controller/deploy/precheck_fixture.h"

#include <doctest/doctest.h>

#include <memory>
#include <set>

#include "controller/render/rate_zones.h"
#include "controller/render/renderer.h"

namespace vantus::controller::testing {

namespace {

const Renderer& renderer() {
  static std::unique_ptr<Renderer> shared = [] {
    auto created = Renderer::create(std::string(VANTUS_SOURCE_DIR) + "/templates/nginx");
    REQUIRE_MESSAGE(created.has_value(), (created ? "" : created.error().describe()));
    return std::move(created).value();
  }();
  return *shared;
}

Domain domain(std::string name, bool tls) {
  Domain result;
  result.name = std::move(name);
  result.tls_enabled = tls;
  result.force_https = tls;
  return result;
}

}  // namespace

TenantConfig plainTenant(std::string slug, std::string upstream_host) {
  TenantConfig config;
  config.tenant.slug = slug;
  config.tenant.name = slug;
  config.domains = {domain(slug + ".example.com", false)};
  UpstreamPool pool;
  pool.name = "web";
  pool.targets = {{.host = std::move(upstream_host), .port = 8080, .weight = 1, .backup = false}};
  config.pools = {pool};
  config.policy.rate_limit = RateLimit{.requests_per_second = 20, .burst = 10};
  return config;
}

TenantConfig tlsTenant(std::string slug) {
  TenantConfig config = plainTenant(slug);
  config.domains = {domain(slug + ".example.com", true),
                    domain("*." + slug + ".example.net", true)};
  return config;
}

std::vector<ClusterFile> renderTree(const std::string& cluster,
                                    const std::vector<TenantConfig>& tenants) {
  EdgeCluster edge;
  edge.id = 1;
  edge.name = cluster;
  auto main_conf = renderer().renderClusterConfig(edge);
  REQUIRE(main_conf);
  std::vector<ClusterFile> files = {{"nginx.conf", *main_conf}};
  std::set<int> classes;
  for (const TenantConfig& tenant : tenants) {
    auto rendered = renderer().renderTenant(tenant);
    REQUIRE_MESSAGE(rendered.has_value(), tenant.tenant.slug);
    files.push_back({Renderer::tenantConfigPath(tenant.tenant.slug), *rendered});
    if (auto rps = rateClass(tenant.policy)) {
      classes.insert(*rps);
    }
  }
  files.push_back({std::string(kRateZonesPath), renderRateZones(classes)});
  return files;
}

std::string tenantPath(const std::string& slug) { return Renderer::tenantConfigPath(slug); }

}  // namespace vantus::controller::testing
