#pragma once
// Renders nginx configuration from the validated model with ctemplate. Layout of a
// cluster's release dir (run as `nginx -c <release>/nginx.conf`):
//   nginx.conf                    renderClusterConfig()
//   snippets/rate-zones.conf      renderRateZones() (rate_zones.h)
//   tenants/<shard>/<slug>.conf   renderTenant(), at tenantConfigPath(slug)
//   local/...                     node-local, never rendered here (common/nginx/local_conf.h)
// Thread-compatible: after create() every method is const and may run on many threads.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/model/types.h"
#include "controller/render/rate_zones.h"

namespace ctemplate {
class TemplateCache;
class TemplateDictionary;
}  // namespace ctemplate

namespace vantus::controller {

class Renderer {
 public:
  // Loads nginx.conf.tpl and tenant.conf.tpl from `template_dir` into a cache owned by the
  // renderer. A missing or unparsable template is an error here, never at render time.
  static Result<std::unique_ptr<Renderer>> create(std::filesystem::path template_dir);

  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  // The tenant's file. An ARCHIVED tenant renders to "" (the caller deletes its file); a
  // SUSPENDED one answers 503 on all its domains; a tenant without domains renders only
  // its header comment. Fails with kInvalidInput when a pool has no target or only backup
  // targets (nginx would reject the whole cluster's config).
  //   Servers: plain HTTP proxying for domains without force_https, plain HTTP 301 to
  //   https for force_https domains, and one TLS server per (min TLS version, HSTS) group
  //   of TLS domains; empty groups are omitted. nginx negotiates the TLS version before SNI
  //   picks a server, so TLSv1.2 is the cluster-wide floor and a TLSv1.3 group answers 426
  //   to requests made over an older protocol. proxy_pass goes to the first pool (the one
  //   created first); other pools are defined but not routed.
  Result<std::string> renderTenant(const TenantConfig& config) const;

  // The cluster's nginx.conf: node-local includes, log format, shared proxy settings,
  // catch-all servers, the loopback status server and `include tenants/*/*.conf`.
  Result<std::string> renderClusterConfig(const EdgeCluster& cluster) const;

  // "tenants/<first two hex digits of sha256(slug)>/<slug>.conf": sharded so that git
  // trees stay small at 10k tenants.
  static std::string tenantConfigPath(std::string_view slug);

 private:
  explicit Renderer(std::unique_ptr<ctemplate::TemplateCache> cache);
  Result<std::string> expand(const char* template_name,
                             const ctemplate::TemplateDictionary& dictionary) const;

  std::unique_ptr<ctemplate::TemplateCache> cache_;
};

// What renderTenant will make of `config` that its author may not expect, in words for
// people: domains without a pool answer 502; of several pools only the first is routed.
std::vector<std::string> renderWarnings(const TenantConfig& config);

}  // namespace vantus::controller
