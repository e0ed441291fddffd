#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// Deployments and releases. Part of Transaction (transaction.h).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/model/deployments.h"

namespace vantus::controller {

class DeploymentQueries {
 public:
  // --- deployments ---
  virtual Result<Id> nextDeploymentId() = 0;                                      // max(id) + 1
  virtual Result<Deployment> insertDeployment(const Deployment& deployment) = 0;  // keeps id
  virtual Result<Deployment> deployment(Id id) = 0;
  virtual Result<void> setDeploymentStatus(Id id, DeploymentStatus status,
                                           std::string_view detail) = 0;
  // Newest first, ids below `before_id` (0 = from the newest).
  virtual Result<std::vector<Deployment>> deploymentsOfTenant(Id tenant_id, Id before_id,
                                                              std::size_t limit) = 0;
  virtual Result<std::optional<Deployment>> lastDeployment() = 0;
  // --- releases ---
  virtual Result<Release> insertRelease(const Release& release) = 0;  // (cluster, version) unique
  virtual Result<std::optional<Release>> latestRelease(Id cluster_id) = 0;
  virtual Result<std::vector<Release>> releasesOfDeployment(Id deployment_id) = 0;
  // Latest release of each cluster whose expires_at < `time`.
  virtual Result<std::vector<Release>> latestReleasesExpiringBefore(std::int64_t time) = 0;
  // Re-signature of the same version: new envelope, digest, expires_at and signed_at.
  virtual Result<void> updateReleaseSignature(const Release& release) = 0;

  // Latest release with a built bundle (digest set) of every cluster that has one.
  virtual Result<std::vector<Release>> latestBuiltReleases() = 0;

  // Reserves the next deployment id (past every deployment and reservation) for `reservation`.
  virtual Result<Id> reserveDeployment(const DeploymentReservation& reservation) = 0;
  virtual Result<std::vector<DeploymentReservation>> deploymentReservations() = 0;  // by id
  virtual Result<void> deleteDeploymentReservation(Id id) = 0;  // kNotFound if none

 protected:
  ~DeploymentQueries() = default;
};

}  // namespace vantus::controller
