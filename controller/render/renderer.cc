#include "controller/render/renderer.h"

#include <fmt/format.h>

#include <system_error>

#include "common/crypto/hash.h"
#include "controller/render/ctemplate.h"
#include "controller/render/nginx_modifiers.h"
#include "controller/render/tenant_dictionary.h"

namespace vantus::controller {

namespace {

constexpr const char* kClusterTemplate = "nginx.conf.tpl";
constexpr const char* kTenantTemplate = "tenant.conf.tpl";
// Drops the template's own line breaks around section markers; blank lines in the output
// come from {{BI_NEWLINE}}.
constexpr ctemplate::Strip kStrip = ctemplate::STRIP_BLANK_LINES;

}  // namespace

Renderer::Renderer(std::unique_ptr<ctemplate::TemplateCache> cache) : cache_(std::move(cache)) {}

Renderer::~Renderer() = default;

Result<std::unique_ptr<Renderer>> Renderer::create(std::filesystem::path template_dir) {
  registerNginxModifiers();
  std::error_code error;
  std::filesystem::path root = std::filesystem::absolute(template_dir, error);
  if (error) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("template dir {}: {}", template_dir.string(), error.message()));
  }
  auto cache = std::make_unique<ctemplate::TemplateCache>();
  cache->SetTemplateRootDirectory(root.string());
  for (const char* name : {kClusterTemplate, kTenantTemplate}) {
    std::filesystem::path path = root / name;
    if (!std::filesystem::is_regular_file(path, error)) {
      return fail(ErrorCode::kNotFound, fmt::format("template {} is missing", path.string()));
    }
    if (!cache->LoadTemplate(name, kStrip)) {
      return fail(ErrorCode::kFailedPrecondition,
                  fmt::format("template {} does not parse", path.string()));
    }
  }
  // A frozen cache never touches the disk again and expands without a write lock.
  cache->Freeze();
  return std::unique_ptr<Renderer>(new Renderer(std::move(cache)));
}

Result<std::string> Renderer::expand(const char* template_name,
                                     const ctemplate::TemplateDictionary& dictionary) const {
  std::string out;
  if (!cache_->ExpandNoLoad(template_name, kStrip, &dictionary, nullptr, &out)) {
    return fail(ErrorCode::kInternal, fmt::format("expanding {} failed", template_name));
  }
  return out;
}

Result<std::string> Renderer::renderTenant(const TenantConfig& config) const {
  if (config.tenant.status == TenantStatus::kArchived) {
    return std::string();
  }
  ctemplate::TemplateDictionary dictionary("tenant");
  VANTUS_TRY_VOID(fillTenantDictionary(config, dictionary));
  return expand(kTenantTemplate, dictionary);
}

Result<std::string> Renderer::renderClusterConfig(const EdgeCluster& cluster) const {
  ctemplate::TemplateDictionary dictionary("cluster");
  dictionary.SetValue("CLUSTER",
                      ctemplate::TemplateString(cluster.name.data(), cluster.name.size()));
  return expand(kClusterTemplate, dictionary);
}

std::vector<std::string> renderWarnings(const TenantConfig& config) {
  std::vector<std::string> warnings;
  if (config.tenant.status != TenantStatus::kActive || config.domains.empty()) {
    return warnings;
  }
  if (config.pools.empty()) {
    warnings.push_back(
        "the tenant has domains but no upstream pool: its sites will answer 502 until a pool "
        "is added");
  } else if (config.pools.size() > 1) {
    std::string others;
    for (std::size_t i = 1; i < config.pools.size(); ++i) {
      others += fmt::format("{}\"{}\"", i == 1 ? "" : ", ", config.pools[i].name);
    }
    warnings.push_back(fmt::format(
        "location / proxies to pool \"{}\" (the first created); {} {} defined but not routed",
        config.pools.front().name, others, config.pools.size() == 2 ? "is" : "are"));
  }
  return warnings;
}

std::string Renderer::tenantConfigPath(std::string_view slug) {
  return fmt::format("tenants/{}/{}.conf", crypto::sha256Hex(slug).substr(0, 2), slug);
}

}  // namespace vantus::controller
