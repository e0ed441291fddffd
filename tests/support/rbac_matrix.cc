#include "tests/support/rbac_matrix.h"

namespace vantus::testing::rbac {

namespace {

// docs/rbac.md as amended by the routes/RBAC plan (operators hold config:write).
bool documentedRoleAllows(Who who, std::string_view scope) {
  switch (who) {
    case Who::kOwner:
    case Who::kAdmin:
      return scope == "tenants:read" || scope == "tenants:write" || scope == "config:read" ||
             scope == "config:write" || scope == "deploy" || scope == "edges:read" ||
             scope == "audit:read";
    case Who::kOperator:
      return scope == "tenants:read" || scope == "config:read" || scope == "config:write" ||
             scope == "deploy" || scope == "edges:read";
    case Who::kViewer:
      return scope == "tenants:read" || scope == "config:read" || scope == "edges:read";
    case Who::kPlatformAdmin:
    case Who::kOutsider:
      return false;
  }
  return false;
}

}  // namespace

Verdict verdictFor(Who who, TokenKind kind, const std::string& scope, Reach reach,
                   bool on_own_tenant, bool owner_only) {
  const bool holds_scope = kind != TokenKind::kAllButNeeded;
  if (reach == Reach::kSelf) {
    return Verdict::kAllowed;
  }
  if (reach == Reach::kPlatform) {
    // A platform admin's token that is not bound to a tenant, holding the scope.
    const bool unbound = kind == TokenKind::kAllScopes || kind == TokenKind::kAllButNeeded;
    return who == Who::kPlatformAdmin && unbound && holds_scope ? Verdict::kAllowed
                                                                : Verdict::kForbidden;
  }
  // A tenant the caller may not see is 404: the token is bound to another tenant, or the user
  // is neither a platform admin nor a member (the principals are members of their own tenant
  // only, never of B).
  const bool bound_elsewhere = (kind == TokenKind::kBoundOwn && !on_own_tenant) ||
                               (kind == TokenKind::kBoundOther && on_own_tenant);
  if (bound_elsewhere) {
    return Verdict::kNotFound;
  }
  const bool member = on_own_tenant && who != Who::kPlatformAdmin && who != Who::kOutsider;
  if (who != Who::kPlatformAdmin && !member) {
    return Verdict::kNotFound;
  }
  if (!holds_scope) {
    return Verdict::kForbidden;
  }
  if (who == Who::kPlatformAdmin) {
    return Verdict::kAllowed;
  }
  if (!documentedRoleAllows(who, scope)) {
    return Verdict::kForbidden;
  }
  if (owner_only && who != Who::kOwner) {
    return Verdict::kForbidden;
  }
  return Verdict::kAllowed;
}

std::string_view nameOf(Who who) {
  switch (who) {
    case Who::kPlatformAdmin:
      return "platform-admin";
    case Who::kOwner:
      return "owner";
    case Who::kAdmin:
      return "admin";
    case Who::kOperator:
      return "operator";
    case Who::kViewer:
      return "viewer";
    case Who::kOutsider:
      return "no-member";
  }
  return "?";
}

std::string_view nameOf(TokenKind kind) {
  switch (kind) {
    case TokenKind::kAllScopes:
      return "all";
    case TokenKind::kAllButNeeded:
      return "all-but-needed";
    case TokenKind::kBoundOwn:
      return "bound-own";
    case TokenKind::kBoundOther:
      return "bound-B";
  }
  return "?";
}

}  // namespace vantus::testing::rbac
