#include "controller/render/tenant_dictionary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/render/ctemplate.h"
#include "controller/render/rate_zones.h"

namespace vantus::controller {

namespace {

enum class ServerKind { kProxy, kRedirect, kMaintenance };

struct ServerPlan {
  ServerKind kind = ServerKind::kProxy;
  bool tls = false;
  bool tls13_only = false;
  bool hsts = false;
  std::vector<const Domain*> domains;
};

// Plain HTTP servers first (proxying, then redirecting), then one TLS server per
// (min TLS version, HSTS) group in the order the groups first appear.
std::vector<ServerPlan> planServers(const TenantConfig& config) {
  bool suspended = config.tenant.status == TenantStatus::kSuspended;
  ServerKind content = suspended ? ServerKind::kMaintenance : ServerKind::kProxy;
  ServerPlan plain{.kind = content, .domains = {}};
  ServerPlan redirect{.kind = ServerKind::kRedirect, .domains = {}};
  std::vector<ServerPlan> tls_groups;
  for (const Domain& domain : config.domains) {
    bool redirects = domain.tls_enabled && domain.force_https && !suspended;
    (redirects ? redirect : plain).domains.push_back(&domain);
    if (!domain.tls_enabled) {
      continue;
    }
    bool tls13 = domain.min_tls_version == "TLSv1.3";
    auto group = std::find_if(tls_groups.begin(), tls_groups.end(), [&](const ServerPlan& plan) {
      return plan.tls13_only == tls13 && plan.hsts == domain.hsts;
    });
    if (group == tls_groups.end()) {
      tls_groups.push_back(ServerPlan{
          .kind = content, .tls = true, .tls13_only = tls13, .hsts = domain.hsts, .domains = {}});
      group = std::prev(tls_groups.end());
    }
    group->domains.push_back(&domain);
  }
  std::vector<ServerPlan> plans;
  for (ServerPlan* plan : {&plain, &redirect}) {
    if (!plan->domains.empty()) {
      plans.push_back(std::move(*plan));
    }
  }
  std::move(tls_groups.begin(), tls_groups.end(), std::back_inserter(plans));
  return plans;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// A custom header replaces the built-in one of the same name instead of doubling it.
bool hasCustomHeader(const EdgePolicy& policy, std::string_view name) {
  return std::any_of(
      policy.headers.begin(), policy.headers.end(),
      [name](const ResponseHeader& header) { return equalsIgnoreCase(header.name, name); });
}

ctemplate::TemplateString str(const std::string& value) {
  return ctemplate::TemplateString(value.data(), value.size());
}

std::string targetAddress(const UpstreamTarget& target) {
  bool ipv6 = target.host.find(':') != std::string::npos;
  return ipv6 ? fmt::format("[{}]:{}", target.host, target.port)
              : fmt::format("{}:{}", target.host, target.port);
}

Result<void> checkPools(const std::vector<UpstreamPool>& pools) {
  for (size_t i = 0; i < pools.size(); ++i) {
    const UpstreamPool& pool = pools[i];
    std::string field = fmt::format("pools[{}].targets", i);
    if (pool.targets.empty()) {
      return fail(ErrorCode::kInvalidInput, fmt::format("pool {:?} has no target", pool.name),
                  field);
    }
    if (std::all_of(pool.targets.begin(), pool.targets.end(),
                    [](const UpstreamTarget& target) { return target.backup; })) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("pool {:?} has only backup targets", pool.name), field);
    }
  }
  return ok();
}

void fillUpstreams(const TenantConfig& config, ctemplate::TemplateDictionary& dictionary) {
  for (const UpstreamPool& pool : config.pools) {
    auto* upstream = dictionary.AddSectionDictionary("UPSTREAM");
    upstream->SetValue("UPSTREAM_NAME",
                       str(fmt::format("t_{}__{}", config.tenant.slug, pool.name)));
    for (const UpstreamTarget& target : pool.targets) {
      auto* server = upstream->AddSectionDictionary("TARGET");
      server->SetValue("ADDRESS", str(targetAddress(target)));
      server->SetIntValue("WEIGHT", target.weight);
      if (target.backup) {
        server->ShowSection("BACKUP");
      }
    }
  }
  if (config.pools.empty()) {
    dictionary.ShowSection("NO_UPSTREAM");
    return;
  }
  const UpstreamPool& first = config.pools.front();
  auto* pass = dictionary.AddSectionDictionary("PASS");
  pass->SetValue("SCHEME", first.protocol == UpstreamProtocol::kHttps ? "https" : "http");
  pass->SetValue("PASS_UPSTREAM", str(fmt::format("t_{}__{}", config.tenant.slug, first.name)));
}

// An exact-match `if` per origin: a per-tenant `map` would cost nginx ~0.5 ms of hash
// setup each, which is seconds of `nginx -t` at 10k tenants.
void fillCors(const TenantConfig& config, ctemplate::TemplateDictionary& dictionary) {
  const std::vector<std::string>& origins = config.policy.cors_origins;
  if (origins.empty()) {
    return;
  }
  if (std::find(origins.begin(), origins.end(), "*") != origins.end()) {
    dictionary.ShowSection("CORS_ANY");
    return;
  }
  dictionary.ShowSection("CORS_MATCH");
  for (size_t i = 0; i < origins.size(); ++i) {
    if (std::find(origins.begin(), origins.begin() + static_cast<std::ptrdiff_t>(i), origins[i]) ==
        origins.begin() + static_cast<std::ptrdiff_t>(i)) {
      dictionary.AddSectionDictionary("CORS_ORIGIN")->SetValue("ORIGIN", str(origins[i]));
    }
  }
}

void fillPolicy(const EdgePolicy& policy, ctemplate::TemplateDictionary& dictionary) {
  dictionary.SetValue("MAX_BODY", str(std::to_string(policy.max_body_bytes)));
  for (const std::string& cidr : policy.ip_allowlist) {
    dictionary.AddSectionDictionary("ALLOW")->SetValue("CIDR", str(cidr));
  }
  if (!policy.ip_allowlist.empty()) {
    dictionary.ShowSection("DENY_OTHERS");
  }
  if (std::optional<int> rps = rateClass(policy)) {
    auto* limit = dictionary.AddSectionDictionary("RATE_LIMIT");
    limit->SetIntValue("RPS", *rps);
    // nginx rejects "burst=0"; without a burst, nodelay means nothing.
    if (policy.rate_limit->burst > 0) {
      limit->AddSectionDictionary("BURST")->SetIntValue("BURST_SIZE", policy.rate_limit->burst);
    }
  }
  dictionary.ShowSection(policy.compression ? "COMPRESSION" : "NO_COMPRESSION");
  if (policy.security_headers) {
    if (!hasCustomHeader(policy, "X-Content-Type-Options")) {
      dictionary.ShowSection("NOSNIFF");
    }
    if (!hasCustomHeader(policy, "X-Frame-Options")) {
      dictionary.ShowSection("FRAME_OPTIONS");
    }
    if (!hasCustomHeader(policy, "Referrer-Policy")) {
      dictionary.ShowSection("REFERRER_POLICY");
    }
  }
  for (const ResponseHeader& header : policy.headers) {
    auto* entry = dictionary.AddSectionDictionary("HEADER");
    entry->SetValue("HEADER_NAME", str(header.name));
    entry->SetValue("HEADER_VALUE", str(header.value));
  }
  if (policy.cache_ttl_s > 0) {
    dictionary.AddSectionDictionary("CACHE")->SetIntValue("CACHE_TTL", policy.cache_ttl_s);
  }
}

void fillServer(const ServerPlan& plan, bool hsts_allowed,
                ctemplate::TemplateDictionary& dictionary) {
  auto* server = dictionary.AddSectionDictionary("SERVER");
  server->ShowSection(plan.tls ? "TLS" : "PLAIN");
  for (const Domain* domain : plan.domains) {
    server->AddSectionDictionary("DOMAIN")->SetValue("DOMAIN_NAME", str(domain->name));
  }
  if (plan.tls13_only) {
    server->ShowSection("TLS13_ONLY");
  }
  if (plan.tls && plan.hsts && hsts_allowed) {
    server->ShowSection("HSTS");
  }
  switch (plan.kind) {
    case ServerKind::kProxy:
      server->ShowSection("PROXY");
      break;
    case ServerKind::kRedirect:
      server->ShowSection("REDIRECT");
      break;
    case ServerKind::kMaintenance:
      server->ShowSection("MAINTENANCE");
      break;
  }
}

}  // namespace

Result<void> fillTenantDictionary(const TenantConfig& config,
                                  ctemplate::TemplateDictionary& dictionary) {
  VANTUS_TRY_VOID(checkPools(config.pools));
  dictionary.SetValue("SLUG", str(config.tenant.slug));
  std::vector<ServerPlan> plans = planServers(config);
  bool proxies = std::any_of(plans.begin(), plans.end(), [](const ServerPlan& plan) {
    return plan.kind == ServerKind::kProxy;
  });
  if (proxies) {
    fillUpstreams(config, dictionary);
    fillCors(config, dictionary);
    fillPolicy(config.policy, dictionary);
  }
  bool hsts_allowed = !hasCustomHeader(config.policy, "Strict-Transport-Security");
  for (const ServerPlan& plan : plans) {
    fillServer(plan, hsts_allowed, dictionary);
  }
  return ok();
}

}  // namespace vantus::controller
