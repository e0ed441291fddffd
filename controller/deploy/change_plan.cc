#include "controller/deploy/change_plan.h"

#include <algorithm>
#include <optional>

#include "controller/render/rate_zones.h"

namespace vantus::controller {

std::string clusterPrefix(std::string_view cluster_name) {
  return "clusters/" + std::string(cluster_name) + "/";
}

namespace {

Result<std::optional<std::string>> fileAtHead(const ConfigHistory& history, std::string_view head,
                                              const std::string& path) {
  if (head.empty()) {
    return std::optional<std::string>();
  }
  return history.readFile(head, path);
}

struct ClusterPlanner {
  const Renderer& renderer;
  const ConfigHistory& history;
  std::string_view head;
  ClusterChanges out;

  Result<void> want(const std::string& relative_path, std::optional<std::string> desired) {
    const std::string path = clusterPrefix(out.cluster.name) + relative_path;
    VANTUS_TRY(std::optional<std::string> current, fileAtHead(history, head, path));
    if (current != desired) {
      out.changes.push_back(FileChange{path, std::move(desired)});
    }
    return ok();
  }

  Result<void> sharedFiles(const EdgePolicy& policy) {
    VANTUS_TRY(std::string main_conf, renderer.renderClusterConfig(out.cluster));
    VANTUS_TRY_VOID(want("nginx.conf", std::move(main_conf)));
    const std::string zones_path = clusterPrefix(out.cluster.name) + std::string(kRateZonesPath);
    VANTUS_TRY(std::optional<std::string> zones, fileAtHead(history, head, zones_path));
    // Classes only accumulate: an unused zone costs nothing, and removing one would need
    // every other tenant of the cluster re-read.
    std::set<int> classes = parseRateZones(zones.value_or(""));
    if (auto rps = rateClass(policy)) {
      classes.insert(*rps);
    }
    return want(std::string(kRateZonesPath), renderRateZones(classes));
  }
};

}  // namespace

Result<ChangePlan> planTenantChanges(const Renderer& renderer, const ConfigHistory& history,
                                     std::string_view head, const TenantConfig& config,
                                     const std::vector<EdgeCluster>& assigned,
                                     const std::vector<EdgeCluster>& all_clusters) {
  const std::string tenant_path = Renderer::tenantConfigPath(config.tenant.slug);
  VANTUS_TRY(std::string rendered, renderer.renderTenant(config));
  ChangePlan plan;
  for (const EdgeCluster& cluster : all_clusters) {
    const bool is_assigned = std::any_of(assigned.begin(), assigned.end(),
                                         [&](const EdgeCluster& c) { return c.id == cluster.id; });
    ClusterPlanner planner{renderer, history, head, ClusterChanges{cluster, {}}};
    if (is_assigned) {
      VANTUS_TRY_VOID(planner.want(
          tenant_path, rendered.empty() ? std::nullopt : std::optional<std::string>(rendered)));
      if (!planner.out.changes.empty()) {
        VANTUS_TRY_VOID(planner.sharedFiles(config.policy));
      }
    } else {
      VANTUS_TRY_VOID(planner.want(tenant_path, std::nullopt));
    }
    if (!planner.out.changes.empty()) {
      plan.clusters.push_back(std::move(planner.out));
    }
  }
  return plan;
}

}  // namespace vantus::controller
