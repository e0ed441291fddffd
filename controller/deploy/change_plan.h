#pragma once
// What deploying one tenant changes in the config repository: its file in every cluster it
// is assigned to (rendered now), its removal from clusters it left, and a cluster's shared
// files (nginx.conf, the rate-zone snippet) when they differ from HEAD. Only clusters with a
// change appear, so a deployment never rewrites another tenant's file. Reads HEAD through
// ConfigHistory; renders with Renderer. Any thread.
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/history/config_history.h"
#include "controller/model/types.h"
#include "controller/render/renderer.h"

namespace vantus::controller {

struct ClusterChanges {
  EdgeCluster cluster;
  std::vector<FileChange> changes;  // repository paths, "clusters/<name>/..."
};

struct ChangePlan {
  std::vector<ClusterChanges> clusters;
  bool empty() const { return clusters.empty(); }
};

// "clusters/<name>/".
std::string clusterPrefix(std::string_view cluster_name);

// `head` is the current commit ("" before the first). `all_clusters` lists every cluster
// so that files left behind in unassigned ones are found.
Result<ChangePlan> planTenantChanges(const Renderer& renderer, const ConfigHistory& history,
                                     std::string_view head, const TenantConfig& config,
                                     const std::vector<EdgeCluster>& assigned,
                                     const std::vector<EdgeCluster>& all_clusters);

}  // namespace vantus::controller
