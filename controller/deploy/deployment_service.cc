#include "controller/deploy/deployment_service.h"

#include <fmt/format.h>

#include "common/log/log.h"
#include "controller/auth/access.h"
#include "controller/deploy/change_plan.h"
#include "controller/deploy/draft_restore.h"
#include "controller/deploy/fault_point.h"
#include "controller/deploy/tenant_snapshot.h"
#include "controller/history/commit_message.h"
#include "controller/history/text_diff.h"
#include "controller/store/store_access.h"

namespace vantus::controller {

struct DeploymentService::Target {
  TenantConfig config;  // what to deploy, with the tenant's current id
  std::vector<EdgeCluster> assigned;
  std::vector<EdgeCluster> all_clusters;
  DeploymentKind kind = DeploymentKind::kDeploy;
  std::optional<Id> rollback_of;
  std::string message;
};

namespace {

std::string deploymentTarget(Id id) { return fmt::format("deployment:{}", id); }

Unexpected deploymentNotFound(Id id, std::string_view field = {}) {
  return fail(ErrorCode::kNotFound, fmt::format("deployment {} not found", id), std::string(field));
}

// Another tenant's deployment answers exactly as a missing one: its id must not tell.
Result<Deployment> deploymentOfTenant(Transaction& tx, Id id, Id tenant_id,
                                      std::string_view field) {
  Result<Deployment> found = tx.deployment(id);
  if ((found && found->tenant_id == tenant_id) ||
      (!found && found.error().code != ErrorCode::kNotFound)) {
    return found;
  }
  return deploymentNotFound(id, field);
}

// A failed deployment made no commit: there is nothing to restore or compare.
Result<void> requireCommitted(const Deployment& deployment, std::string_view field) {
  if (deployment.status == DeploymentStatus::kFailed || deployment.commit_id.empty()) {
    return fail(ErrorCode::kFailedPrecondition,
                fmt::format("deployment {} failed and deployed nothing", deployment.id),
                std::string(field));
  }
  return ok();
}

std::string authorEmail(const Actor& actor) {
  if (!actor.email.empty()) {
    return actor.email;
  }
  return fmt::format("{}@vantus.local", actor.kind.empty() ? "system" : actor.kind);
}

std::string authorName(const Actor& actor) {
  return actor.name.empty() ? (actor.kind.empty() ? "system" : actor.kind) : actor.name;
}

}  // namespace

DeploymentService::DeploymentService(Store& store, ConfigHistory& history, const Renderer& renderer,
                                     Precheck& precheck, ReleasePublisher& publisher, Clock clock,
                                     DeploymentServiceOptions options)
    : store_(store),
      history_(history),
      renderer_(renderer),
      precheck_(precheck),
      publisher_(publisher),
      clock_(std::move(clock)),
      options_(std::move(options)) {}

void DeploymentService::setReleaseListener(std::function<void()> listener) {
  release_listener_ = std::move(listener);
}

Result<FileLock::Held> DeploymentService::lockProcesses() {
  if (options_.lock == nullptr) {
    return FileLock::Held();
  }
  return options_.lock->acquire();
}

void DeploymentService::notifyReleased() {
  if (release_listener_) {
    release_listener_();
  }
}

Result<DeploymentService::Target> DeploymentService::draftsOf(Id tenant_id) const {
  Target target;
  VANTUS_TRY_VOID(store_.read([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(target.config, tx.tenantConfig(tenant_id));
    VANTUS_TRY(target.assigned, tx.clustersOfTenant(tenant_id));
    VANTUS_TRY(target.all_clusters, tx.listClusters());
    return ok();
  }));
  return target;
}

Result<DeploymentOutcome> DeploymentService::deploy(const Caller& caller, Id tenant_id,
                                                    std::string_view message) {
  VANTUS_TRY_VOID(authorize(caller.principal, "deploy", tenant_id));
  std::lock_guard lock(deploy_mutex_);
  VANTUS_TRY(FileLock::Held held, lockProcesses());
  VANTUS_TRY(Target target, draftsOf(tenant_id));
  target.message = std::string(message);
  return deployLocked(caller, target);
}

Result<DeploymentOutcome> DeploymentService::rollback(const Caller& caller, Id tenant_id,
                                                      Id deployment_id, std::string_view message) {
  VANTUS_TRY_VOID(authorize(caller.principal, "deploy", tenant_id));
  std::lock_guard lock(deploy_mutex_);
  VANTUS_TRY(FileLock::Held held, lockProcesses());
  Target target;
  target.kind = DeploymentKind::kRollback;
  target.rollback_of = deployment_id;
  target.message = std::string(message);
  VANTUS_TRY_VOID(store_.read([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(Deployment past, deploymentOfTenant(tx, deployment_id, tenant_id, "deployment_id"));
    VANTUS_TRY_VOID(requireCommitted(past, "deployment_id"));
    VANTUS_TRY(Tenant tenant, tx.tenant(tenant_id));
    VANTUS_TRY(target.config, parseTenantSnapshot(past.snapshot));
    target.config.tenant.id = tenant.id;
    target.config.tenant.slug = tenant.slug;
    target.config.policy.tenant_id = tenant.id;
    VANTUS_TRY(target.assigned, tx.clustersOfTenant(tenant_id));
    VANTUS_TRY(target.all_clusters, tx.listClusters());
    // Validate only: the restore itself is written with the deployment's record.
    return checkDraftRestore(tx, tenant_id, target.config, "deployment_id");
  }));
  if (target.message.empty()) {
    target.message = fmt::format("roll back to deployment {}", deployment_id);
  }
  return deployLocked(caller, target);
}

Result<std::vector<DeploymentService::ClusterStep>> DeploymentService::precheckPlan(
    std::string_view head, const ChangePlan& plan) {
  std::vector<ClusterStep> steps;
  for (const ClusterChanges& cluster : plan.clusters) {
    ClusterStep step{cluster.cluster, &cluster.changes, ""};
    if (!precheck_.active()) {
      steps.push_back(std::move(step));
      continue;
    }
    const std::string prefix = clusterPrefix(cluster.cluster.name);
    VANTUS_TRY(step.base_tree, history_.treeId(head, prefix));
    std::vector<ClusterFileChange> changes;
    changes.reserve(cluster.changes.size());
    for (const FileChange& change : cluster.changes) {
      changes.push_back(ClusterFileChange{change.path.substr(prefix.size()), change.content});
    }
    // The whole tree is read only when the pre-check's sandbox does not hold this one.
    auto load = [&]() -> Result<std::vector<ClusterFile>> {
      std::vector<ClusterFile> files;
      if (head.empty()) {
        return files;
      }
      VANTUS_TRY(std::vector<TreeFile> tree, history_.listTree(head, prefix));
      files.reserve(tree.size());
      for (TreeFile& file : tree) {
        files.push_back(ClusterFile{std::move(file.path), std::move(file.content)});
      }
      return files;
    };
    VANTUS_TRY_VOID(precheck_.checkChanges(cluster.cluster.name, step.base_tree, changes, load));
    steps.push_back(std::move(step));
  }
  return steps;
}

Result<DeploymentOutcome> DeploymentService::deployLocked(const Caller& caller,
                                                          const Target& target) {
  // Under both locks, a reservation still in the store belongs to a process that is gone.
  VANTUS_TRY_VOID(finishInterrupted());
  const Tenant& tenant = target.config.tenant;
  VANTUS_TRY(std::string head, history_.head());
  VANTUS_TRY(ChangePlan plan, planTenantChanges(renderer_, history_, head, target.config,
                                                target.assigned, target.all_clusters));
  if (plan.empty()) {
    if (target.assigned.empty()) {
      return fail(ErrorCode::kFailedPrecondition,
                  fmt::format("tenant \"{}\" is not assigned to any edge cluster: assign it to "
                              "one, then deploy",
                              tenant.slug));
    }
    return fail(ErrorCode::kFailedPrecondition,
                fmt::format("nothing to deploy: tenant \"{}\" renders exactly what is deployed",
                            tenant.slug));
  }
  VANTUS_TRY(std::vector<ClusterStep> steps, precheckPlan(head, plan));

  DeploymentReservation reservation;
  reservation.tenant_id = tenant.id;
  reservation.kind = target.kind;
  reservation.rollback_of = target.rollback_of;
  reservation.base_commit = head;
  reservation.actor = caller.actor;
  reservation.message = target.message;
  reservation.snapshot = tenantSnapshot(target.config);
  VANTUS_TRY(reservation.id, writeValue<Id>(store_, [&](Transaction& tx) -> Result<Id> {
               VANTUS_TRY(Id id, tx.reserveDeployment(reservation));
               VANTUS_TRY_VOID(claimIdempotency(tx, caller, deploymentTarget(id)));
               return id;
             }));
  faultPoint(options_.crash_at, "reserved");

  CommitRequest request;
  for (const ClusterChanges& cluster : plan.clusters) {
    request.changes.insert(request.changes.end(), cluster.changes.begin(), cluster.changes.end());
  }
  request.author_name = authorName(caller.actor);
  request.author_email = authorEmail(caller.actor);
  const std::string said = quoteUserText(target.message);
  request.message =
      target.kind == DeploymentKind::kRollback
          ? fmt::format("Roll back {} to deployment {}\n\n{}", tenant.slug, *target.rollback_of,
                        said)
          : fmt::format("Deploy {}\n\n{}", tenant.slug, said.empty() ? "No message." : said);
  request.trailers = {
      {"Vantus-Deployment", std::to_string(reservation.id)},
      {"Vantus-Tenant", tenant.slug},
      {"Vantus-Actor", fmt::format("{}:{}", caller.actor.kind, authorName(caller.actor))}};
  request.time = clock_();
  request.expected_head = head;
  Result<std::string> commit = history_.commit(request);
  if (!commit) {
    // The branch did not move (ConfigHistory's contract): the reservation failed for good.
    if (Result<void> failed = recordFailure(reservation, caller.actor, commit.error().describe());
        !failed) {
      log::error("deployment.failure_not_recorded",
                 {{"deployment", reservation.id}, {"error", failed.error().describe()}});
    }
    return fail(commit.error());
  }
  faultPoint(options_.crash_at, "committed");
  for (const ClusterStep& step : steps) {
    if (!precheck_.active()) {
      break;
    }
    if (auto tree = history_.treeId(*commit, clusterPrefix(step.cluster.name))) {
      precheck_.committed(step.cluster.name, step.base_tree, *tree);
    }
  }

  // Past the commit: a failure from here on is finished from the reservation by the next
  // deployment or reconcile().
  Result<DeploymentOutcome> outcome = record(reservation, *commit, steps, &caller);
  if (!outcome) {
    log::error("deployment.record_failed", {{"deployment", reservation.id},
                                            {"commit", *commit},
                                            {"error", outcome.error().describe()}});
    return outcome;
  }
  faultPoint(options_.crash_at, "recorded");
  notifyReleased();
  return outcome;
}

Result<DeploymentOutcome> DeploymentService::record(const DeploymentReservation& reservation,
                                                    const std::string& commit,
                                                    const std::vector<ClusterStep>& clusters,
                                                    const Caller* caller) {
  const bool rollback = reservation.kind == DeploymentKind::kRollback;
  std::optional<TenantConfig> restore;
  if (rollback) {
    VANTUS_TRY(restore, parseTenantSnapshot(reservation.snapshot));
  }
  const std::int64_t now = clock_();
  const std::string target = deploymentTarget(reservation.id);
  DeploymentOutcome outcome;
  std::optional<Error> restore_error;
  auto write = [&](Transaction& tx) -> Result<void> {
    std::string detail;
    if (restore_error) {
      detail = fmt::format("the drafts were not restored: {}", restore_error->describe());
    } else if (restore) {
      if (Result<void> restored = restoreDrafts(tx, reservation.tenant_id, *restore); !restored) {
        restore_error = restored.error();
        return restored;
      }
    }
    Deployment deployment;
    deployment.id = reservation.id;
    deployment.tenant_id = reservation.tenant_id;
    deployment.kind = reservation.kind;
    deployment.rollback_of = reservation.rollback_of;
    deployment.status = DeploymentStatus::kReleased;
    deployment.status_detail = detail;
    deployment.actor_name = authorName(reservation.actor);
    deployment.message = reservation.message;
    deployment.commit_id = commit;
    deployment.snapshot = reservation.snapshot;
    VANTUS_TRY(outcome.deployment, tx.insertDeployment(deployment));
    outcome.releases.clear();
    nlohmann::json released = nlohmann::json::array();
    for (const ClusterStep& step : clusters) {
      VANTUS_TRY(std::optional<Release> latest, tx.latestRelease(step.cluster.id));
      VANTUS_TRY(Release release,
                 publisher_.prepare(step.cluster, latest, commit, step.changes, now));
      release.deployment_id = reservation.id;
      VANTUS_TRY(Release stored, tx.insertRelease(release));
      released.push_back({{"cluster", step.cluster.name}, {"version", stored.version}});
      outcome.releases.push_back(std::move(stored));
    }
    VANTUS_TRY_VOID(tx.deleteDeploymentReservation(reservation.id));
    nlohmann::json after = {
        {"commit", commit}, {"message", reservation.message}, {"releases", std::move(released)}};
    if (!detail.empty()) {
      after["status_detail"] = detail;
    }
    const std::string action = rollback ? "deployment.rollback" : "deployment.create";
    if (caller != nullptr) {
      return recordWrite(tx, *caller, reservation.tenant_id, action, target, nullptr,
                         std::move(after));
    }
    after["finished_by"] = "reconcile";
    return appendAuditRow(tx, reservation.actor, reservation.tenant_id, action, target, nullptr,
                          std::move(after));
  };
  Result<void> recorded = store_.write(write);
  if (!recorded && restore_error) {
    // The commit is made: a draft written since the check must not lose the deployment.
    log::warn("deployment.drafts_not_restored",
              {{"deployment", reservation.id}, {"error", restore_error->describe()}});
    recorded = store_.write(write);
  }
  VANTUS_TRY_VOID(recorded);
  log::info("deployment.released", {{"deployment", reservation.id},
                                    {"tenant", reservation.tenant_id},
                                    {"commit", commit},
                                    {"releases", outcome.releases.size()}});
  return outcome;
}

Result<void> DeploymentService::recordFailure(const DeploymentReservation& reservation,
                                              const Actor& actor, std::string_view reason) {
  const std::string target = deploymentTarget(reservation.id);
  VANTUS_TRY_VOID(store_.write([&](Transaction& tx) -> Result<void> {
    Deployment deployment;
    deployment.id = reservation.id;
    deployment.tenant_id = reservation.tenant_id;
    deployment.kind = reservation.kind;
    deployment.rollback_of = reservation.rollback_of;
    deployment.status = DeploymentStatus::kFailed;
    deployment.status_detail = std::string(reason);
    deployment.actor_name = authorName(reservation.actor);
    deployment.message = reservation.message;
    deployment.snapshot = reservation.snapshot;
    VANTUS_TRY_VOID(tx.insertDeployment(deployment));
    VANTUS_TRY_VOID(tx.deleteDeploymentReservation(reservation.id));
    // Nothing was deployed: a retry with the same Idempotency-Key must deploy, not answer this.
    VANTUS_TRY_VOID(tx.releaseIdempotencyClaims(target));
    return appendAuditRow(tx, actor, reservation.tenant_id, "deployment.fail", target, nullptr,
                          {{"reason", reason},
                           {"kind", deploymentKindName(reservation.kind)},
                           {"requested_by", authorName(reservation.actor)},
                           {"message", reservation.message}});
  }));
  log::warn("deployment.failed", {{"deployment", reservation.id}, {"reason", reason}});
  return ok();
}

Result<DeploymentPreview> DeploymentService::preview(const Caller& caller, Id tenant_id) {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:read", tenant_id));
  VANTUS_TRY(Target drafts, draftsOf(tenant_id));
  DeploymentPreview preview;
  preview.warnings = renderWarnings(drafts.config);
  VANTUS_TRY(preview.head, history_.head());
  VANTUS_TRY(ChangePlan plan, planTenantChanges(renderer_, history_, preview.head, drafts.config,
                                                drafts.assigned, drafts.all_clusters));
  for (const ClusterChanges& cluster : plan.clusters) {
    preview.clusters.push_back(cluster.cluster.name);
    for (const FileChange& change : cluster.changes) {
      std::optional<std::string> before;
      if (!preview.head.empty()) {
        VANTUS_TRY(before, history_.readFile(preview.head, change.path));
      }
      VANTUS_TRY(std::string patch, unifiedDiff(change.path, before, change.content));
      preview.diff += patch;
    }
  }
  return preview;
}

Result<std::optional<std::string>> DeploymentService::precheckDrafts(const Caller& caller,
                                                                     Id tenant_id) {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:read", tenant_id));
  std::lock_guard lock(deploy_mutex_);
  VANTUS_TRY(FileLock::Held held, lockProcesses());
  VANTUS_TRY(Target target, draftsOf(tenant_id));
  VANTUS_TRY(std::string head, history_.head());
  VANTUS_TRY(ChangePlan plan, planTenantChanges(renderer_, history_, head, target.config,
                                                target.assigned, target.all_clusters));
  Result<std::vector<ClusterStep>> checked = precheckPlan(head, plan);
  if (!checked && checked.error().code == ErrorCode::kFailedPrecondition) {
    return std::optional<std::string>(checked.error().message);
  }
  VANTUS_TRY_VOID(checked);
  return std::optional<std::string>();
}

Result<Deployment> DeploymentService::visible(const Caller& caller, Id id) const {
  Result<Deployment> found =
      readValue<Deployment>(store_, [&](Transaction& tx) { return tx.deployment(id); });
  if (!found) {
    if (found.error().code == ErrorCode::kNotFound) {
      return deploymentNotFound(id);
    }
    return found;
  }
  // A deployment of a tenant the caller cannot see does not exist for it; a visible tenant
  // with too little right is kPermissionDenied as anywhere else.
  if (Result<void> allowed = authorize(caller.principal, "config:read", found->tenant_id);
      !allowed) {
    if (allowed.error().code == ErrorCode::kNotFound) {
      return deploymentNotFound(id);
    }
    return fail(allowed.error());
  }
  return found;
}

Result<Deployment> DeploymentService::deployment(const Caller& caller, Id id) const {
  return visible(caller, id);
}

Result<std::vector<Release>> DeploymentService::releasesOf(const Caller& caller,
                                                           Id deployment_id) const {
  VANTUS_TRY_VOID(visible(caller, deployment_id));
  return readValue<std::vector<Release>>(
      store_, [&](Transaction& tx) { return tx.releasesOfDeployment(deployment_id); });
}

Result<std::vector<Deployment>> DeploymentService::deployments(const Caller& caller, Id tenant_id,
                                                               Id before_id,
                                                               std::size_t limit) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "config:read", tenant_id));
  return readValue<std::vector<Deployment>>(
      store_, [&](Transaction& tx) -> Result<std::vector<Deployment>> {
        VANTUS_TRY_VOID(tx.tenant(tenant_id));
        return tx.deploymentsOfTenant(tenant_id, before_id, limit);
      });
}

Result<std::string> DeploymentService::diff(const Caller& caller, Id deployment_id,
                                            Id against_id) const {
  VANTUS_TRY(Deployment newer, visible(caller, deployment_id));
  VANTUS_TRY_VOID(requireCommitted(newer, ""));
  Deployment older;
  Tenant tenant;
  std::vector<EdgeCluster> clusters;
  VANTUS_TRY_VOID(store_.read([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(older, deploymentOfTenant(tx, against_id, newer.tenant_id, "against"));
    VANTUS_TRY(tenant, tx.tenant(newer.tenant_id));
    VANTUS_TRY(clusters, tx.listClusters());
    return ok();
  }));
  VANTUS_TRY_VOID(requireCommitted(older, "against"));
  std::string text;
  for (const EdgeCluster& cluster : clusters) {
    const std::string path = clusterPrefix(cluster.name) + Renderer::tenantConfigPath(tenant.slug);
    VANTUS_TRY(std::string patch, history_.diff(older.commit_id, newer.commit_id, path));
    text += patch;
  }
  return text;
}

}  // namespace vantus::controller
