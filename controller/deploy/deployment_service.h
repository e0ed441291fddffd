#pragma once
// The deployment pipeline of DESIGN §1 for one tenant: render -> pre-check (`nginx -t` on
// each changed cluster's whole tree) -> one signed commit -> the next signed release of each
// changed cluster -> one store transaction recording the deployment, its releases and the
// audit row. Deployments are serialised (one at a time per process; across processes the
// commit's compare-and-swap on HEAD and the unique release version refuse a race). A
// failure before the commit changes nothing anywhere; the commit is the point of no return,
// and reconcile() finishes a deployment whose process died after it.
// Thread-safe.
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/deploy/change_plan.h"
#include "controller/deploy/precheck.h"
#include "controller/deploy/release_publisher.h"
#include "controller/history/config_history.h"
#include "controller/render/renderer.h"
#include "controller/store/store.h"

namespace vantus::controller {

struct DeploymentOutcome {
  Deployment deployment;
  std::vector<Release> releases;  // one per changed cluster
};

struct DeploymentPreview {
  std::string head;                   // the commit compared against ("" before the first)
  std::vector<std::string> clusters;  // clusters that would change
  std::string diff;                   // unified diff, "" when deploying changes nothing
};

class DeploymentService {
 public:
  using Clock = std::function<std::int64_t()>;  // unix seconds

  DeploymentService(Store& store, ConfigHistory& history, const Renderer& renderer,
                    Precheck& precheck, ReleasePublisher& publisher, Clock clock);

  // kFailedPrecondition when the tenant is on no cluster or nothing would change, or with
  // nginx's message when the pre-check refuses the result.
  Result<DeploymentOutcome> deploy(const Actor& actor, Id tenant_id, std::string_view message);
  Result<DeploymentPreview> preview(Id tenant_id);
  // Restores the tenant's drafts to what `deployment_id` deployed and deploys them, as a new
  // commit and new release versions. kNotFound when the deployment is not the tenant's.
  Result<DeploymentOutcome> rollback(const Actor& actor, Id tenant_id, Id deployment_id,
                                     std::string_view message);

  Result<Deployment> deployment(Id id) const;
  Result<std::vector<Release>> releasesOf(Id deployment_id) const;
  Result<std::vector<Deployment>> deployments(Id tenant_id, Id before_id, std::size_t limit) const;
  // The tenant's files between two of its deployments (`against_id` = older side).
  Result<std::string> diff(Id deployment_id, Id against_id) const;

  // Brings every cluster's release up to HEAD (after a crash between commit and release)
  // and builds missing bundles. Returns how many releases it signed.
  Result<std::size_t> reconcile();
  // Builds bundles of the latest releases that have none yet.
  Result<std::size_t> materializePending();
  // Re-signs latest releases expiring within `window_seconds`; their bundles are rebuilt.
  Result<std::size_t> renewExpiring(std::int64_t window_seconds);

 private:
  struct Target;
  Result<DeploymentOutcome> deployLocked(const Actor& actor, const Target& target);
  Result<void> precheckCluster(std::string_view head, const ClusterChanges& cluster);
  Result<std::size_t> materializeLocked();

  Store& store_;
  ConfigHistory& history_;
  const Renderer& renderer_;
  Precheck& precheck_;
  ReleasePublisher& publisher_;
  Clock clock_;
  std::mutex deploy_mutex_;
};

}  // namespace vantus::controller
