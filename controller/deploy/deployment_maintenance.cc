// Keeping the store in step with the repository: deployments a crash interrupted, commits no
// deployment recorded, signatures and bundles built off the deployment's path, and renewal
// before expiry.
#include <fmt/format.h>

#include "common/log/log.h"
#include "controller/deploy/change_plan.h"
#include "controller/deploy/deployment_service.h"
#include "controller/store/store_access.h"

namespace vantus::controller {

namespace {

// How far back from HEAD an interrupted deployment's commit is looked for. Deployments are
// serialised across processes and finish interrupted ones first, so it is HEAD or absent;
// the walk also stops at the reservation's base commit.
constexpr std::size_t kMaxCommitsWalked = 1000;

Actor reconcileActor() {
  Actor actor;
  actor.kind = "system";
  actor.id = "reconcile";
  actor.name = "reconcile";
  return actor;
}

}  // namespace

Result<std::size_t> DeploymentService::reconcile() {
  std::lock_guard lock(deploy_mutex_);
  VANTUS_TRY(FileLock::Held held, lockProcesses());
  VANTUS_TRY(std::size_t finished, finishInterrupted());
  VANTUS_TRY(std::size_t released, releaseUnrecordedCommits());
  VANTUS_TRY_VOID(materializeLocked());
  return finished + released;
}

Result<std::optional<std::string>> DeploymentService::commitOf(
    const DeploymentReservation& reservation, std::string_view head) {
  if (head.empty() || head == reservation.base_commit) {
    return std::optional<std::string>();
  }
  VANTUS_TRY(std::vector<CommitInfo> commits, history_.log("", kMaxCommitsWalked, head));
  const std::string wanted = std::to_string(reservation.id);
  for (const CommitInfo& info : commits) {
    if (info.id == reservation.base_commit) {
      break;
    }
    for (const Trailer& trailer : info.trailers) {
      if (trailer.key == "Vantus-Deployment" && trailer.value == wanted) {
        return std::optional<std::string>(info.id);
      }
    }
  }
  return std::optional<std::string>();
}

Result<std::size_t> DeploymentService::finishInterrupted() {
  VANTUS_TRY(std::vector<DeploymentReservation> reservations,
             readValue<std::vector<DeploymentReservation>>(
                 store_, [](Transaction& tx) { return tx.deploymentReservations(); }));
  if (reservations.empty()) {
    return std::size_t{0};
  }
  VANTUS_TRY(std::string head, history_.head());
  VANTUS_TRY(std::vector<EdgeCluster> clusters,
             readValue<std::vector<EdgeCluster>>(
                 store_, [](Transaction& tx) { return tx.listClusters(); }));
  std::size_t recorded = 0;
  for (const DeploymentReservation& reservation : reservations) {
    VANTUS_TRY(std::optional<std::string> commit, commitOf(reservation, head));
    if (!commit) {
      VANTUS_TRY_VOID(recordFailure(reservation, reconcileActor(),
                                    "the controller stopped before the deployment's commit"));
      continue;
    }
    // A commit below HEAD was deployed over by a process that did not finish it first; the
    // clusters it changed are released at HEAD by releaseUnrecordedCommits().
    std::vector<ClusterStep> steps;
    if (*commit == head) {
      for (const EdgeCluster& cluster : clusters) {
        const std::string prefix = clusterPrefix(cluster.name);
        VANTUS_TRY(std::string before, history_.treeId(reservation.base_commit, prefix));
        VANTUS_TRY(std::string after, history_.treeId(*commit, prefix));
        if (before != after) {
          steps.push_back(ClusterStep{cluster, nullptr, before});
        }
      }
    }
    VANTUS_TRY_VOID(record(reservation, *commit, steps, nullptr));
    log::warn("deployment.finished_after_crash",
              {{"deployment", reservation.id}, {"commit", *commit}});
    ++recorded;
  }
  if (recorded > 0) {
    notifyReleased();
  }
  return recorded;
}

Result<std::size_t> DeploymentService::releaseUnrecordedCommits() {
  VANTUS_TRY(std::string head, history_.head());
  if (head.empty()) {
    return std::size_t{0};
  }
  VANTUS_TRY(std::vector<EdgeCluster> clusters,
             readValue<std::vector<EdgeCluster>>(
                 store_, [](Transaction& tx) { return tx.listClusters(); }));
  std::size_t signed_count = 0;
  for (const EdgeCluster& cluster : clusters) {
    const std::string prefix = clusterPrefix(cluster.name);
    VANTUS_TRY(std::optional<Release> latest,
               readValue<std::optional<Release>>(
                   store_, [&](Transaction& tx) { return tx.latestRelease(cluster.id); }));
    VANTUS_TRY(std::string at_head, history_.treeId(head, prefix));
    std::string released;
    if (latest) {
      VANTUS_TRY(released, history_.treeId(latest->commit_id, prefix));
    }
    if (at_head == released) {
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
