#include "tests/unit/controller/render/fixtures.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vantus::controller::testing {

std::string templateDir() { return std::string(VANTUS_SOURCE_DIR) + "/templates/nginx"; }

Renderer& sharedRenderer() {
  static std::unique_ptr<Renderer> renderer = [] {
    auto created = Renderer::create(templateDir());
    REQUIRE_MESSAGE(created.has_value(), (created ? "" : created.error().describe()));
    return std::move(created).value();
  }();
  return *renderer;
}

EdgeCluster cluster(std::string name) {
  EdgeCluster result;
  result.id = 1;
  result.name = std::move(name);
  return result;
}

Domain domain(std::string name) {
  Domain result;
  result.name = std::move(name);
  return result;
}

Domain tlsDomain(std::string name, bool force_https, bool hsts, std::string min_tls) {
  Domain result = domain(std::move(name));
  result.tls_enabled = true;
  result.force_https = force_https;
  result.hsts = hsts;
  result.min_tls_version = std::move(min_tls);
  return result;
}

UpstreamPool pool(std::string name, std::vector<UpstreamTarget> targets) {
  UpstreamPool result;
  result.name = std::move(name);
  result.targets = std::move(targets);
  return result;
}

namespace {
TenantConfig tenant(std::string slug) {
  TenantConfig config;
  config.tenant.slug = std::move(slug);
  config.tenant.name = "Some \"Name\" never rendered";
  return config;
}
}  // namespace

TenantConfig minimalTenant() {
  TenantConfig config = tenant("minimal");
  config.domains = {domain("minimal.example.com")};
  config.pools = {pool("web", {{.host = "10.0.0.10", .port = 8080, .weight = 1, .backup = false}})};
  return config;
}

TenantConfig multiPoolTenant() {
  TenantConfig config = tenant("shop-eu");
  config.domains = {domain("shop.example.com"), domain("*.shop.example.com"),
                    domain("shop.example.net")};
  config.pools = {
      pool("primary", {{.host = "10.1.0.1", .port = 80, .weight = 5, .backup = false},
                       {.host = "10.1.0.2", .port = 80, .weight = 3, .backup = false},
                       {.host = "2001:db8::10", .port = 8080, .weight = 1, .backup = true}}),
      pool("canary", {{.host = "localhost", .port = 9000, .weight = 1, .backup = false}}),
  };
  return config;
}

TenantConfig fullPolicyTenant() {
  TenantConfig config = tenant("fullpolicy");
  config.domains = {domain("api.fullpolicy.example")};
  config.pools = {
      pool("api", {{.host = "192.168.10.5", .port = 3000, .weight = 2, .backup = false}})};
  EdgePolicy& policy = config.policy;
  policy.headers = {{.name = "X-Served-By", .value = "vantus edge"},
                    {.name = "x-frame-options", .value = "DENY"},
                    {.name = "Cache-Tag", .value = "api; v=2"}};
  policy.rate_limit = RateLimit{.requests_per_second = 50, .burst = 100};
  policy.ip_allowlist = {"10.0.0.0/8", "192.168.1.7/32", "2001:db8::/32"};
  policy.cors_origins = {"https://app.example.com", "https://admin.example.com:8443",
                         "https://app.example.com"};
  policy.cache_ttl_s = 300;
  policy.compression = false;
  policy.max_body_bytes = 1048576;
  return config;
}

TenantConfig tlsTenant() {
  TenantConfig config = tenant("secure");
  config.domains = {
      tlsDomain("secure.example.com", /*force_https=*/true, /*hsts=*/true, "TLSv1.3"),
      tlsDomain("www.secure.example.com", /*force_https=*/true, /*hsts=*/true, "TLSv1.3"),
      tlsDomain("legacy.secure.example.com", /*force_https=*/false, /*hsts=*/false),
      domain("plain.secure.example.com"),
  };
  UpstreamPool backend =
      pool("backend", {{.host = "127.0.0.1", .port = 8443, .weight = 1, .backup = false}});
  backend.protocol = UpstreamProtocol::kHttps;
  config.pools = {backend};
  config.policy.rate_limit = RateLimit{.requests_per_second = 1000, .burst = 0};
  return config;
}

TenantConfig suspendedTenant() {
  TenantConfig config = tenant("paused");
  config.tenant.status = TenantStatus::kSuspended;
  config.domains = {domain("paused.example.com"),
                    tlsDomain("www.paused.example.com", /*force_https=*/true, /*hsts=*/true)};
  config.pools = {pool("web", {{.host = "10.9.0.1", .port = 80, .weight = 1, .backup = false}})};
  config.policy.ip_allowlist = {"10.0.0.0/8"};
  return config;
}

void checkGolden(std::string_view name, const std::string& actual) {
  std::filesystem::path golden =
      std::filesystem::path(VANTUS_SOURCE_DIR) / "tests/golden/render" / name;
  const char* update = std::getenv("VANTUS_UPDATE_GOLDEN");
  if (update != nullptr && std::string_view(update) == "1") {
    std::ofstream(golden, std::ios::binary) << actual;
    MESSAGE("rewrote " << golden.string());
    return;
  }
  std::ifstream in(golden, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), golden.string() << " is missing; run with VANTUS_UPDATE_GOLDEN=1");
  std::stringstream expected;
  expected << in.rdbuf();
  if (expected.str() == actual) {
    return;
  }
  std::filesystem::path actual_path =
      std::filesystem::path(VANTUS_BINARY_DIR) / "golden-actual/render" / name;
  std::filesystem::create_directories(actual_path.parent_path());
  std::ofstream(actual_path, std::ios::binary) << actual;
  FAIL_CHECK(name << " differs from its golden file; actual output in " << actual_path.string()
                  << " (VANTUS_UPDATE_GOLDEN=1 accepts it)");
}

}  // namespace vantus::controller::testing
