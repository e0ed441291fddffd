// Runs the real `nginx -t` over a rendered cluster tree plus node-local files. nginx -t
// parses, loads certificates and resolves upstreams but binds nothing.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "common/nginx/local_conf.h"
#include "controller/render/renderer.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/controller/render/fixtures.h"

namespace vantus::controller {
namespace {

namespace fs = std::filesystem;
constexpr const char* kNginx = "/usr/sbin/nginx";

void writeText(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

std::string repeat(char c, size_t count) { return std::string(count, c); }

// The longest names the model allows: 253-character domains, 63-character slugs, origins
// with a port. They exercise nginx's server name, map and variable hash sizes.
TenantConfig longNamesTenant(int index) {
  TenantConfig config = testing::minimalTenant();
  std::string suffix = std::to_string(index);
  config.tenant.slug = repeat('s', 63 - suffix.size()) + suffix;
  std::string name = repeat('a', 63) + "." + repeat('b', 63) + "." + repeat('c', 63) + "." +
                     suffix + "." + repeat('d', 60 - suffix.size());
  config.domains = {testing::domain(name), testing::domain("*." + suffix + ".wild.example")};
  config.policy.cors_origins = {"https://" + name + ":65535", "https://app" + suffix + ".example"};
  config.policy.rate_limit = RateLimit{.requests_per_second = 1 + index % 7, .burst = 5};
  return config;
}

struct Tree {
  vantus::testing::TempDir root;
  fs::path release = root.path() / "release";
  fs::path runtime = root.path() / "run";
};

void writeCluster(Tree& tree, const std::vector<TenantConfig>& tenants) {
  const Renderer& renderer = testing::sharedRenderer();
  fs::create_directories(tree.runtime);
  auto main_conf = renderer.renderClusterConfig(testing::cluster("syntax-test"));
  REQUIRE(main_conf);
  writeText(tree.release / "nginx.conf", *main_conf);
  std::set<int> classes;
  std::vector<std::string> tls_slugs;
  for (const TenantConfig& tenant : tenants) {
    auto rendered = renderer.renderTenant(tenant);
    REQUIRE_MESSAGE(rendered.has_value(), tenant.tenant.slug);
    writeText(tree.release / Renderer::tenantConfigPath(tenant.tenant.slug), *rendered);
    if (auto rps = rateClass(tenant.policy)) {
      classes.insert(*rps);
    }
    if (rendered->find("ssl_certificate") != std::string::npos) {
      tls_slugs.push_back(tenant.tenant.slug);
    }
  }
  writeText(tree.release / kRateZonesPath, renderRateZones(classes));
  if (tls_slugs.empty()) {
    return;
  }
  fs::path tls = tree.release / "local/tls";
  fs::create_directories(tls);
  auto made = vantus::testing::runCommand(
      "openssl req -x509 -newkey ed25519 -nodes -days 2 -subj /CN=vantus-test -keyout " +
      (tls / "test.key").string() + " -out " + (tls / "test.crt").string());
  REQUIRE_MESSAGE(made.exit_code == 0, made.output);
  for (const std::string& slug : tls_slugs) {
    fs::copy_file(tls / "test.crt", tls / (slug + ".crt"));
    fs::copy_file(tls / "test.key", tls / (slug + ".key"));
  }
}

vantus::testing::CommandResult nginxTest(const Tree& tree) {
  std::string prefix = tree.root.path().string();
  return vantus::testing::runCommand(std::string(kNginx) + " -t -q -p " + prefix + " -e " + prefix +
                                     "/error.log -c " + (tree.release / "nginx.conf").string());
}

nginx::NginxLocalSettings localSettings(const Tree& tree) {
  nginx::NginxLocalSettings settings;
  settings.runtime_dir = tree.runtime.string();
  settings.http_listen = {"127.0.0.1:18080", "[::1]:18080"};
  settings.https_listen = {"127.0.0.1:18443"};
  settings.status_listen = "127.0.0.1:18081";
  settings.release_version = 7;
  return settings;
}

TEST_CASE("nginx -t accepts the rendered cluster tree") {
  if (!fs::exists(kNginx)) {
    MESSAGE("skipped: " << kNginx << " is absent");
    return;
  }
  Tree tree;
  TenantConfig no_pools = testing::minimalTenant();
  no_pools.tenant.slug = "no-pools";
  no_pools.domains = {testing::domain("no-pools.example.com")};
  no_pools.pools.clear();
  TenantConfig any_origin = testing::minimalTenant();
  any_origin.tenant.slug = "any-origin";
  any_origin.domains = {testing::tlsDomain("any-origin.example.com", false, true, "TLSv1.3")};
  any_origin.policy.cors_origins = {"*"};
  std::vector<TenantConfig> tenants = {testing::minimalTenant(),
                                       testing::multiPoolTenant(),
                                       testing::fullPolicyTenant(),
                                       testing::tlsTenant(),
                                       testing::suspendedTenant(),
                                       no_pools,
                                       any_origin};
  // Enough long server names to need the raised server_names_hash settings.
  for (int i = 0; i < 1100; ++i) {
    tenants.push_back(longNamesTenant(i));
  }
  writeCluster(tree, tenants);
  REQUIRE(nginx::writeLocalFiles(tree.release, localSettings(tree)));

  auto result = nginxTest(tree);
  CHECK_MESSAGE(result.exit_code == 0, result.output);
}

TEST_CASE("nginx -t accepts TLS tenants on a node without HTTPS addresses") {
  if (!fs::exists(kNginx)) {
    MESSAGE("skipped: " << kNginx << " is absent");
    return;
  }
  Tree tree;
  writeCluster(tree, {testing::tlsTenant(), testing::minimalTenant()});
  nginx::NginxLocalSettings settings = localSettings(tree);
  settings.https_listen.clear();
  REQUIRE(nginx::writeLocalFiles(tree.release, settings));

  auto result = nginxTest(tree);
  CHECK_MESSAGE(result.exit_code == 0, result.output);
}

TEST_CASE("nginx -t rejects the tree when a node-local file is missing") {
  if (!fs::exists(kNginx)) {
    MESSAGE("skipped: " << kNginx << " is absent");
    return;
  }
  Tree tree;
  writeCluster(tree, {testing::minimalTenant()});
  REQUIRE(nginx::writeLocalFiles(tree.release, localSettings(tree)));
  fs::remove(tree.release / "local/listen-http.conf");

  auto result = nginxTest(tree);
  CHECK(result.exit_code != 0);
  CHECK(result.output.find("listen-http.conf") != std::string::npos);
}

}  // namespace
}  // namespace vantus::controller
