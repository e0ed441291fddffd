#include "controller/model/types.h"

namespace vantus::controller {

std::string_view tenantStatusName(TenantStatus status) {
  switch (status) {
    case TenantStatus::kActive:
      return "active";
    case TenantStatus::kSuspended:
      return "suspended";
    case TenantStatus::kArchived:
      return "archived";
  }
  return "active";
}

std::string_view upstreamProtocolName(UpstreamProtocol protocol) {
  return protocol == UpstreamProtocol::kHttps ? "https" : "http";
}

std::string_view tenantRoleName(TenantRole role) {
  switch (role) {
    case TenantRole::kOwner:
      return "owner";
    case TenantRole::kAdmin:
      return "admin";
    case TenantRole::kOperator:
      return "operator";
    case TenantRole::kViewer:
      return "viewer";
  }
  return "viewer";
}

}  // namespace vantus::controller
