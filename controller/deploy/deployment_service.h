#pragma once
// The deployment pipeline of DESIGN §1 for one tenant: authorise the caller -> render ->
// pre-check (`nginx -t` on each changed cluster's tree) -> reserve the deployment id -> one
// signed commit -> record the deployment, the next release of each changed cluster and the
// audit row. Signing those releases and building their bundles follow off the deployment's
// path (PublishingLoop, woken through the release listener).
//
// Crash safety: every step ends durable. The reservation (SQLite) names the id, the base
// commit, the actor, the message and the snapshot, and claims the caller's Idempotency-Key
// for "deployment:<id>", before anything reaches git. A reservation left behind by a process
// that died is finished on the next deployment or reconcile(): recorded as the deployment it
// was when the repository has its commit ("Vantus-Deployment: <id>"), recorded as failed (and
// its key released, so that a retry deploys) when not. Ids are never handed out twice.
// Deployments are serialised in the process (a mutex) and across processes on one state dir
// (DeploymentServiceOptions::lock); the commit's compare-and-swap on HEAD backs both.
//
// Every operation a person or client triggers takes the Caller and authorises it here
// (controller/auth/access.h): deploy and rollback need "deploy" on the tenant, reading needs
// "config:read" on the deployment's tenant; a deployment of a tenant the caller cannot see
// is kNotFound exactly like a missing one. Thread-safe.
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/auth/caller.h"
#include "controller/deploy/change_plan.h"
#include "controller/deploy/file_lock.h"
#include "controller/deploy/precheck.h"
#include "controller/deploy/release_publisher.h"
#include "controller/history/config_history.h"
#include "controller/model/deployments.h"
#include "controller/model/people.h"
#include "controller/render/renderer.h"

namespace vantus::controller {

class Store;
class Transaction;

struct DeploymentOutcome {
  Deployment deployment;
  std::vector<Release> releases;  // one per changed cluster
};

struct DeploymentPreview {
  std::string head;                   // the commit compared against ("" before the first)
  std::vector<std::string> clusters;  // clusters that would change
  std::string diff;                   // unified diff, "" when deploying changes nothing
  // What the config will do that its author may not expect (502 without a pool, …).
  std::vector<std::string> warnings;
};

struct DeploymentServiceOptions {
  // Held around every deployment and reconcile; nullptr when one process owns the state dir.
  // Must outlive the service.
  FileLock* lock = nullptr;
  // A fault point of controller/deploy/fault_point.h ("" = none).
  std::string crash_at{};
};

class DeploymentService {
 public:
  using Clock = std::function<std::int64_t()>;  // unix seconds

  DeploymentService(Store& store, ConfigHistory& history, const Renderer& renderer,
                    Precheck& precheck, ReleasePublisher& publisher, Clock clock,
                    DeploymentServiceOptions options = {});

  // Called (on the deploying thread) after a deployment or rollback recorded releases whose
  // signatures and bundles are due. Set once, before the first deployment.
  void setReleaseListener(std::function<void()> listener);

  // kFailedPrecondition when the tenant is on no cluster or nothing would change, or with
  // nginx's message when the pre-check refuses the result.
  Result<DeploymentOutcome> deploy(const Caller& caller, Id tenant_id, std::string_view message);
  Result<DeploymentPreview> preview(const Caller& caller, Id tenant_id);
  // Runs the pre-check on what deploying the drafts now would publish, writing nothing:
  // nullopt when nginx accepts it (or nothing would change), else nginx's words. Waits for a
  // deployment in progress.
  Result<std::optional<std::string>> precheckDrafts(const Caller& caller, Id tenant_id);
  // Restores the tenant's drafts to what `deployment_id` deployed and deploys them, as a new
  // commit and new release versions. kNotFound (field deployment_id) when the deployment is
  // not the tenant's; kFailedPrecondition when it failed; kAlreadyExists (field
  // deployment_id) when a domain it had now belongs to another tenant. Nothing is written
  // when the restore would not apply.
  Result<DeploymentOutcome> rollback(const Caller& caller, Id tenant_id, Id deployment_id,
                                     std::string_view message);

  Result<Deployment> deployment(const Caller& caller, Id id) const;
  Result<std::vector<Release>> releasesOf(const Caller& caller, Id deployment_id) const;
  Result<std::vector<Deployment>> deployments(const Caller& caller, Id tenant_id, Id before_id,
                                              std::size_t limit) const;
  // The tenant's files between two of its deployments (`against_id` = older side).
  Result<std::string> diff(const Caller& caller, Id deployment_id, Id against_id) const;

  // At start: finishes the reservations of processes that died (see above), signs the next
  // release of every cluster whose subtree at HEAD differs from its latest release (a commit
  // no deployment recorded), and builds missing bundles. Returns how many deployments and
  // releases it recorded.
  Result<std::size_t> reconcile();
  // Signs the latest releases that have no envelope yet and builds the bundles missing.
  // Returns how many bundles it built.
  Result<std::size_t> materializePending();
  // Re-signs latest releases expiring within `window_seconds`; their bundles are rebuilt.
  Result<std::size_t> renewExpiring(std::int64_t window_seconds);

 private:
  struct Target;
  // One cluster a deployment changes: its changes (nullptr: read from the commit) and its
  // tree id before them (for the pre-check's sandbox).
  struct ClusterStep {
    EdgeCluster cluster;
    const std::vector<FileChange>* changes = nullptr;
    std::string base_tree;
  };
  Result<Target> draftsOf(Id tenant_id) const;  // the tenant's drafts and clusters, now
  Result<DeploymentOutcome> deployLocked(const Caller& caller, const Target& target);
  Result<std::vector<ClusterStep>> precheckPlan(std::string_view head, const ChangePlan& plan);
  Result<DeploymentOutcome> record(const DeploymentReservation& reservation,
                                   const std::string& commit,
                                   const std::vector<ClusterStep>& clusters, const Caller* caller);
  Result<void> recordFailure(const DeploymentReservation& reservation, const Actor& actor,
                             std::string_view reason);
  Result<std::size_t> finishInterrupted();
  Result<std::optional<std::string>> commitOf(const DeploymentReservation& reservation,
                                              std::string_view head);
  Result<std::size_t> releaseUnrecordedCommits();
  Result<std::size_t> materializeLocked();
  Result<Deployment> visible(const Caller& caller, Id id) const;
  void notifyReleased();
  Result<FileLock::Held> lockProcesses();

  Store& store_;
  ConfigHistory& history_;
  const Renderer& renderer_;
  Precheck& precheck_;
  ReleasePublisher& publisher_;
  Clock clock_;
  DeploymentServiceOptions options_;
  std::function<void()> release_listener_;
  std::mutex deploy_mutex_;
};

}  // namespace vantus::controller
