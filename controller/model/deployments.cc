#include "controller/model/deployments.h"

namespace vantus::controller {

std::string_view deploymentKindName(DeploymentKind kind) {
  return kind == DeploymentKind::kRollback ? "rollback" : "deploy";
}

std::string_view deploymentStatusName(DeploymentStatus status) {
  switch (status) {
    case DeploymentStatus::kCommitted:
      return "committed";
    case DeploymentStatus::kReleased:
      return "released";
    case DeploymentStatus::kFailed:
      return "failed";
  }
  return "failed";
}

}  // namespace vantus::controller
