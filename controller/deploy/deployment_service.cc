#include "controller/deploy/deployment_service.h"

#include <fmt/format.h>

#include <map>

#include "common/log/log.h"
#include "controller/deploy/change_plan.h"
#include "controller/history/text_diff.h"
#include "controller/store/store_access.h"
#include "controller/service/tenant_snapshot.h"

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

// Another tenant's deployment answers exactly as a missing one: its id must not tell.
Result<Deployment> deploymentOfTenant(Transaction& tx, Id id, Id tenant_id,
                                      std::string_view field) {
  Result<Deployment> found = tx.deployment(id);
  if ((found && found->tenant_id == tenant_id) ||
      (!found && found.error().code != ErrorCode::kNotFound)) {
    return found;
  }
  return fail(ErrorCode::kNotFound, fmt::format("deployment {} not found", id), std::string(field));
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

template <typename Item>
const Item* findByName(const std::vector<Item>& items, const std::string& name) {
  for (const Item& item : items) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

// Replaces the tenant's drafts (name, status, domains, pools, policy) by `config`'s.
Result<void> restoreDrafts(Transaction& tx, Id tenant_id, const TenantConfig& config) {
  VANTUS_TRY(Tenant tenant, tx.tenant(tenant_id));
  tenant.name = config.tenant.name;
  tenant.status = config.tenant.status;
  VANTUS_TRY_VOID(tx.updateTenant(tenant));
  // By name, so that what survives keeps its id (API clients and Terraform hold ids); only
  // what the snapshot lacks goes and only what is missing comes back, with a new id.
  VANTUS_TRY(std::vector<Domain> domains, tx.domainsOfTenant(tenant_id));
  for (const Domain& domain : domains) {
    if (!findByName(config.domains, domain.name)) {
      VANTUS_TRY_VOID(tx.deleteDomain(domain.id));
    }
  }
  for (Domain domain : config.domains) {
    domain.tenant_id = tenant_id;
    if (const Domain* kept = findByName(domains, domain.name)) {
      domain.id = kept->id;
      VANTUS_TRY_VOID(tx.updateDomain(domain));
    } else {
      VANTUS_TRY_VOID(tx.insertDomain(domain));
    }
  }
  VANTUS_TRY(std::vector<UpstreamPool> pools, tx.poolsOfTenant(tenant_id));
  for (const UpstreamPool& pool : pools) {
    if (!findByName(config.pools, pool.name)) {
      VANTUS_TRY_VOID(tx.deletePool(pool.id));
    }
  }
  for (UpstreamPool pool : config.pools) {
    pool.tenant_id = tenant_id;
    if (const UpstreamPool* kept = findByName(pools, pool.name)) {
      pool.id = kept->id;
      VANTUS_TRY_VOID(tx.updatePool(pool));
    } else {
      VANTUS_TRY_VOID(tx.insertPool(pool));
    }
  }
  EdgePolicy policy = config.policy;
  policy.tenant_id = tenant_id;
  VANTUS_TRY_VOID(tx.putPolicy(policy));
  return ok();
}

nlohmann::json releasesJson(const std::vector<Release>& releases,
                            const std::vector<ClusterChanges>& clusters) {
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < releases.size(); ++i) {
    out.push_back({{"cluster", clusters[i].cluster.name}, {"version", releases[i].version}});
  }
  return out;
}

}  // namespace

DeploymentService::DeploymentService(Store& store, ConfigHistory& history, const Renderer& renderer,
                                     Precheck& precheck, ReleasePublisher& publisher, Clock clock)
    : store_(store),
      history_(history),
      renderer_(renderer),
      precheck_(precheck),
      publisher_(publisher),
      clock_(std::move(clock)) {}

Result<DeploymentOutcome> DeploymentService::deploy(const Actor& actor, Id tenant_id,
                                                    std::string_view message) {
  std::lock_guard lock(deploy_mutex_);
  Target target;
  target.message = std::string(message);
  VANTUS_TRY_VOID(store_.read([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(target.config, tx.tenantConfig(tenant_id));
    VANTUS_TRY(target.assigned, tx.clustersOfTenant(tenant_id));
    VANTUS_TRY(target.all_clusters, tx.listClusters());
    return ok();
  }));
  return deployLocked(actor, target);
}

Result<DeploymentOutcome> DeploymentService::rollback(const Actor& actor, Id tenant_id,
                                                      Id deployment_id, std::string_view message) {
  std::lock_guard lock(deploy_mutex_);
  Target target;
  target.kind = DeploymentKind::kRollback;
  target.rollback_of = deployment_id;
  target.message = std::string(message);
  Deployment past;
  VANTUS_TRY_VOID(store_.read([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(past, deploymentOfTenant(tx, deployment_id, tenant_id, "deployment_id"));
    VANTUS_TRY(Tenant tenant, tx.tenant(tenant_id));
    VANTUS_TRY(target.config, parseTenantSnapshot(past.snapshot));
    target.config.tenant.id = tenant.id;
    target.config.tenant.slug = tenant.slug;
    target.config.policy.tenant_id = tenant.id;
    VANTUS_TRY(target.assigned, tx.clustersOfTenant(tenant_id));
    VANTUS_TRY(target.all_clusters, tx.listClusters());
    return ok();
  }));
  // A dry run of the draft restore finds a conflict (e.g. a domain another tenant took
  // since) before anything is committed.
  constexpr std::string_view kDryRun = "dry run of a draft restore";
  Result<void> dry_run = store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY_VOID(restoreDrafts(tx, tenant_id, target.config));
    return fail(ErrorCode::kInternal, std::string(kDryRun));
  });
  if (dry_run.error().message != kDryRun) {
    return fail(dry_run.error());
  }
  if (target.message.empty()) {
    target.message = fmt::format("roll back to deployment {}", deployment_id);
  }
  return deployLocked(actor, target);
}

Result<void> DeploymentService::precheckCluster(std::string_view head,
                                                const ClusterChanges& cluster) {
  if (!precheck_.active()) {
    return ok();
  }
  const std::string prefix = clusterPrefix(cluster.cluster.name);
  std::map<std::string, std::string> tree;
  if (!head.empty()) {
    VANTUS_TRY(std::vector<TreeFile> files, history_.listTree(head, prefix));
    for (TreeFile& file : files) {
      tree.emplace(std::move(file.path), std::move(file.content));
    }
  }
  for (const FileChange& change : cluster.changes) {
    std::string path = change.path.substr(prefix.size());
    if (change.content) {
      tree[path] = *change.content;
    } else {
      tree.erase(path);
    }
  }
  std::vector<ClusterFile> files;
  files.reserve(tree.size());
  for (auto& [path, content] : tree) {
    files.push_back(ClusterFile{path, std::move(content)});
  }
  return precheck_.check(cluster.cluster.name, files);
}

Result<DeploymentOutcome> DeploymentService::deployLocked(const Actor& actor,
                                                          const Target& target) {
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
  for (const ClusterChanges& cluster : plan.clusters) {
    VANTUS_TRY_VOID(precheckCluster(head, cluster));
  }

  VANTUS_TRY(Id deployment_id,
             readValue<Id>(store_, [](Transaction& tx) { return tx.nextDeploymentId(); }));
  const std::int64_t now = clock_();
  CommitRequest request;
  for (const ClusterChanges& cluster : plan.clusters) {
    request.changes.insert(request.changes.end(), cluster.changes.begin(), cluster.changes.end());
  }
  request.author_name = authorName(actor);
  request.author_email = authorEmail(actor);
  request.message = target.kind == DeploymentKind::kRollback
                        ? fmt::format("Roll back {} to deployment {}\n\n{}", tenant.slug,
                                      *target.rollback_of, target.message)
                        : fmt::format("Deploy {}\n\n{}", tenant.slug,
                                      target.message.empty() ? "No message." : target.message);
  request.trailers = {{"Vantus-Deployment", std::to_string(deployment_id)},
                      {"Vantus-Tenant", tenant.slug},
                      {"Vantus-Actor", fmt::format("{}:{}", actor.kind, authorName(actor))}};
  request.time = now;
  request.expected_head = head;
  VANTUS_TRY(std::string commit, history_.commit(request));

  // Past the commit: what follows must not be lost. A failure here is finished by
  // reconcile() on the next start.
  DeploymentOutcome outcome;
  Result<void> recorded = store_.write([&](Transaction& tx) -> Result<void> {
    if (target.kind == DeploymentKind::kRollback) {
      VANTUS_TRY_VOID(restoreDrafts(tx, tenant.id, target.config));
    }
    Deployment deployment;
    deployment.id = deployment_id;
    deployment.tenant_id = tenant.id;
    deployment.kind = target.kind;
    deployment.rollback_of = target.rollback_of;
    deployment.status = DeploymentStatus::kReleased;
    deployment.actor_name = authorName(actor);
    deployment.message = target.message;
    deployment.commit_id = commit;
    deployment.snapshot = tenantSnapshot(target.config);
    VANTUS_TRY(outcome.deployment, tx.insertDeployment(deployment));
    outcome.releases.clear();
    for (const ClusterChanges& cluster : plan.clusters) {
      VANTUS_TRY(std::optional<Release> latest, tx.latestRelease(cluster.cluster.id));
      VANTUS_TRY(Release release,
                 publisher_.prepare(cluster.cluster, latest, commit, &cluster.changes, now));
      release.deployment_id = deployment_id;
      VANTUS_TRY(Release stored, tx.insertRelease(release));
      outcome.releases.push_back(std::move(stored));
    }
    return appendAuditRow(
        tx, actor, tenant.id,
        target.kind == DeploymentKind::kRollback ? "deployment.rollback" : "deployment.create",
        fmt::format("deployment:{}", deployment_id), nullptr,
        {{"commit", commit},
         {"message", target.message},
         {"releases", releasesJson(outcome.releases, plan.clusters)}});
  });
  if (!recorded) {
    log::error("deployment.record_failed", {{"deployment", deployment_id},
                                            {"commit", commit},
                                            {"error", recorded.error().describe()}});
    return fail(recorded.error());
  }
  log::info("deployment.released", {{"deployment", deployment_id},
                                    {"tenant", tenant.slug},
                                    {"commit", commit},
                                    {"releases", releasesJson(outcome.releases, plan.clusters)}});
  return outcome;
}

Result<DeploymentPreview> DeploymentService::preview(Id tenant_id) {
  TenantConfig config;
  std::vector<EdgeCluster> assigned;
  std::vector<EdgeCluster> all_clusters;
  VANTUS_TRY_VOID(store_.read([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(config, tx.tenantConfig(tenant_id));
    VANTUS_TRY(assigned, tx.clustersOfTenant(tenant_id));
    VANTUS_TRY(all_clusters, tx.listClusters());
    return ok();
  }));
  DeploymentPreview preview;
  VANTUS_TRY(preview.head, history_.head());
  VANTUS_TRY(ChangePlan plan,
             planTenantChanges(renderer_, history_, preview.head, config, assigned, all_clusters));
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

Result<Deployment> DeploymentService::deployment(Id id) const {
  return readValue<Deployment>(store_, [&](Transaction& tx) { return tx.deployment(id); });
}

Result<std::vector<Release>> DeploymentService::releasesOf(Id deployment_id) const {
  return readValue<std::vector<Release>>(
      store_, [&](Transaction& tx) { return tx.releasesOfDeployment(deployment_id); });
}

Result<std::vector<Deployment>> DeploymentService::deployments(Id tenant_id, Id before_id,
                                                               std::size_t limit) const {
  return readValue<std::vector<Deployment>>(
      store_, [&](Transaction& tx) -> Result<std::vector<Deployment>> {
        VANTUS_TRY_VOID(tx.tenant(tenant_id));
        return tx.deploymentsOfTenant(tenant_id, before_id, limit);
      });
}

Result<std::string> DeploymentService::diff(Id deployment_id, Id against_id) const {
  Deployment newer;
  Deployment older;
  Tenant tenant;
  std::vector<EdgeCluster> clusters;
  VANTUS_TRY_VOID(store_.read([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(newer, tx.deployment(deployment_id));
    VANTUS_TRY(older, deploymentOfTenant(tx, against_id, newer.tenant_id, "against"));
    VANTUS_TRY(tenant, tx.tenant(newer.tenant_id));
    VANTUS_TRY(clusters, tx.listClusters());
    return ok();
  }));
  std::string text;
  for (const EdgeCluster& cluster : clusters) {
    const std::string path = clusterPrefix(cluster.name) + Renderer::tenantConfigPath(tenant.slug);
    VANTUS_TRY(std::string patch, history_.diff(older.commit_id, newer.commit_id, path));
    text += patch;
  }
  return text;
}

}  // namespace vantus::controller
