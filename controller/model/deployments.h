#pragma once
// Deployments (one signed commit each) and the per-cluster releases they published.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "controller/model/actor.h"
#include "controller/model/types.h"

namespace vantus::controller {

enum class DeploymentKind { kDeploy, kRollback };
enum class DeploymentStatus { kCommitted, kReleased, kFailed };

struct Deployment {
  Id id = 0;  // allocated by the caller with nextDeploymentId() (it goes into the commit)
  Id tenant_id = 0;
  DeploymentKind kind = DeploymentKind::kDeploy;
  std::optional<Id> rollback_of;  // for kRollback: the deployment restored
  DeploymentStatus status = DeploymentStatus::kCommitted;
  std::string status_detail;
  std::string actor_name;
  std::string message;
  std::string commit_id;    // 40 hex
  nlohmann::json snapshot;  // the tenant's model as deployed (TenantConfig as JSON)
  std::string created_at;
};

// A deployment id reserved before its commit (schema/migrations/0007): what the deployment's
// record and audit row will need if the process dies before it records them.
struct DeploymentReservation {
  Id id = 0;  // set by reserveDeployment()
  Id tenant_id = 0;
  DeploymentKind kind = DeploymentKind::kDeploy;
  std::optional<Id> rollback_of;
  std::string base_commit;  // the head the commit goes on ("" before the first)
  Actor actor;
  std::string message;
  nlohmann::json snapshot;  // the tenant's model being deployed
  std::string created_at;
};

struct Release {
  Id id = 0;
  Id cluster_id = 0;
  std::string cluster{};      // its name, when read back
  std::uint64_t version = 0;  // monotonic per cluster, 1, 2, ...
  std::optional<Id> deployment_id;
  std::string commit_id;
  std::string digest;           // sha256 hex of the bundle bytes
  std::string envelope_json;    // DSSE envelope
  std::int64_t created_at = 0;  // unix seconds
  std::int64_t expires_at = 0;  // unix seconds
  std::int64_t signed_at = 0;   // unix seconds of the latest (re-)signature
};

std::string_view deploymentKindName(DeploymentKind kind);        // "deploy", "rollback"
std::string_view deploymentStatusName(DeploymentStatus status);  // "committed", ...

}  // namespace vantus::controller
