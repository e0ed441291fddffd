// Keeping releases in step with the repository: reconcile after a crash, bundles built off
// the deployment's path, and renewal before expiry.
#include <fmt/format.h>

#include "common/log/log.h"
#include "controller/deploy/change_plan.h"
#include "controller/deploy/deployment_service.h"
#include "controller/store/store_access.h"

namespace vantus::controller {

Result<std::size_t> DeploymentService::reconcile() {
  std::lock_guard lock(deploy_mutex_);
  VANTUS_TRY(std::string head, history_.head());
  std::size_t signed_count = 0;
  if (!head.empty()) {
    VANTUS_TRY(std::vector<EdgeCluster> clusters,
               readValue<std::vector<EdgeCluster>>(
                   store_, [](Transaction& tx) { return tx.listClusters(); }));
    for (const EdgeCluster& cluster : clusters) {
      const std::string prefix = clusterPrefix(cluster.name);
      VANTUS_TRY(std::optional<Release> latest,
                 readValue<std::optional<Release>>(
                     store_, [&](Transaction& tx) { return tx.latestRelease(cluster.id); }));
      bool behind = false;
      if (latest) {
        VANTUS_TRY(std::string changed, history_.diff(latest->commit_id, head, prefix));
        behind = !changed.empty();
      } else {
        VANTUS_TRY(std::vector<std::string> paths, history_.listPaths(head, prefix));
        behind = !paths.empty();
      }
      if (!behind) {
        continue;
      }
      VANTUS_TRY(Release release, publisher_.prepare(cluster, latest, head, nullptr, clock_()));
      VANTUS_TRY_VOID(store_.write([&](Transaction& tx) -> Result<void> {
        VANTUS_TRY_VOID(tx.insertRelease(release));
        return appendAuditRow(
            tx, Actor{}, std::nullopt, "release.reconcile",
            fmt::format("edge_cluster:{}", cluster.id), nullptr,
            {{"cluster", cluster.name}, {"version", release.version}, {"commit", head}});
      }));
      log::warn("release.reconciled",
                {{"cluster", cluster.name}, {"version", release.version}, {"commit", head}});
      ++signed_count;
    }
  }
  VANTUS_TRY_VOID(materializeLocked());
  return signed_count;
}

Result<std::size_t> DeploymentService::materializeLocked() {
  VANTUS_TRY(std::vector<EdgeCluster> clusters,
             readValue<std::vector<EdgeCluster>>(
                 store_, [](Transaction& tx) { return tx.listClusters(); }));
  std::size_t built = 0;
  for (const EdgeCluster& cluster : clusters) {
    VANTUS_TRY(std::optional<Release> latest,
               readValue<std::optional<Release>>(
                   store_, [&](Transaction& tx) { return tx.latestRelease(cluster.id); }));
    if (!latest || !latest->digest.empty()) {
      continue;
    }
    if (latest->envelope_json.empty()) {
      VANTUS_TRY(latest, publisher_.signPrepared(cluster, std::move(*latest)));
    }
    VANTUS_TRY(latest->digest, publisher_.materialize(cluster, *latest));
    VANTUS_TRY_VOID(
        store_.write([&](Transaction& tx) { return tx.updateReleaseSignature(*latest); }));
    ++built;
  }
  return built;
}

Result<std::size_t> DeploymentService::materializePending() {
  std::lock_guard lock(deploy_mutex_);
  return materializeLocked();
}

Result<std::size_t> DeploymentService::renewExpiring(std::int64_t window_seconds) {
  std::lock_guard lock(deploy_mutex_);
  const std::int64_t now = clock_();
  VANTUS_TRY(std::vector<Release> expiring,
             readValue<std::vector<Release>>(store_, [&](Transaction& tx) {
               return tx.latestReleasesExpiringBefore(now + window_seconds);
             }));
  for (const Release& latest : expiring) {
    VANTUS_TRY(EdgeCluster cluster, readValue<EdgeCluster>(store_, [&](Transaction& tx) {
                 return tx.cluster(latest.cluster_id);
               }));
    VANTUS_TRY(Release renewed, publisher_.renew(cluster, latest, now));
    VANTUS_TRY(renewed.digest, publisher_.materialize(cluster, renewed));
    VANTUS_TRY_VOID(store_.write([&](Transaction& tx) -> Result<void> {
      VANTUS_TRY_VOID(tx.updateReleaseSignature(renewed));
      return appendAuditRow(tx, Actor{}, std::nullopt, "release.renew",
                            fmt::format("edge_cluster:{}", cluster.id), nullptr,
                            {{"cluster", cluster.name},
                             {"version", renewed.version},
                             {"expires_at", renewed.expires_at}});
    }));
    log::info("release.renewed", {{"cluster", cluster.name},
                                  {"version", renewed.version},
                                  {"expires_at", renewed.expires_at}});
  }
  return expiring.size();
}

}  // namespace vantus::controller
