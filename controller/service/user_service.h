#pragma once
// Users (managed by platform admins) and tenant memberships (user × role). Every write is one
// store transaction carrying its audit row. Two rules hold here, whoever calls: the platform
// keeps at least one enabled platform admin, and only a tenant's owner or a platform admin
// grants, changes or removes the owner role. A change of what a user may do (platform admin,
// disabled, a tenant role granted, changed or removed) ends that user's web sessions in the
// same transaction: the next sign-in gets a new session id. Thread-safe: the store serialises
// writes.
#include <optional>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/auth/caller.h"
#include "controller/model/audit_records.h"
#include "controller/model/deployments.h"
#include "controller/model/fleet_records.h"
#include "controller/model/people.h"
#include "controller/service/page.h"

namespace vantus::controller {

class Store;
class Transaction;

struct UserUpdate {
  std::optional<bool> platform_admin;
  std::optional<bool> disabled;
};

struct PutMemberResult {
  Membership membership;
  bool created = false;
};

class UserService {
 public:
  explicit UserService(Store& store) : store_(store) {}

  // "users:admin" on the platform.
  Result<User> createUser(const Caller& caller, std::string_view email, bool platform_admin);
  Result<User> user(const Caller& caller, Id id) const;
  Result<Page<User>> users(const Caller& caller, Id after_id, std::size_t limit) const;
  Result<User> updateUser(const Caller& caller, Id id, const UserUpdate& update);
  // Its API tokens and memberships go with it.
  Result<void> deleteUser(const Caller& caller, Id id);

  // "tenants:read" on the tenant.
  Result<std::vector<Membership>> members(const Caller& caller, Id tenant_id) const;
  Result<Membership> member(const Caller& caller, Id tenant_id, Id user_id) const;
  // "tenants:write" on the tenant. A tenant's owner or admin adding a member must also name
  // the user's `email`: user ids are not theirs to browse, so a wrong email and an unknown id
  // answer alike.
  Result<PutMemberResult> putMember(const Caller& caller, Id tenant_id, Id user_id, TenantRole role,
                                    const std::optional<std::string>& email = std::nullopt);
  Result<void> removeMember(const Caller& caller, Id tenant_id, Id user_id);

 private:
  Store& store_;
};

}  // namespace vantus::controller
