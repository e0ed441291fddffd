#pragma once
// Users (managed by platform admins) and tenant memberships (user × role). Every write is one
// store transaction carrying its audit row. Two rules hold here, whoever calls: the platform
// keeps at least one enabled platform admin, and only a tenant's owner or a platform admin
// grants, changes or removes the owner role. Thread-safe: the store serialises writes.
#include <optional>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/store/store.h"

namespace vantus::controller {

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

  Result<User> createUser(const Actor& actor, std::string_view email, bool platform_admin);
  Result<User> user(Id id) const;
  Result<std::vector<User>> users(Id after_id, std::size_t limit) const;
  Result<User> updateUser(const Actor& actor, Id id, const UserUpdate& update);
  // Its API tokens and memberships go with it.
  Result<void> deleteUser(const Actor& actor, Id id);

  Result<std::vector<Membership>> members(Id tenant_id) const;
  Result<Membership> member(Id tenant_id, Id user_id) const;
  // `acting_role` is the caller's role on the tenant; nullopt for a platform admin. A tenant's
  // owner or admin adding a member must also name the user's `email`: user ids are not theirs
  // to browse, so a wrong email and an unknown id answer alike.
  Result<PutMemberResult> putMember(const Actor& actor, std::optional<TenantRole> acting_role,
                                    Id tenant_id, Id user_id, TenantRole role,
                                    const std::optional<std::string>& email = std::nullopt);
  Result<void> removeMember(const Actor& actor, std::optional<TenantRole> acting_role, Id tenant_id,
                            Id user_id);

 private:
  Store& store_;
};

}  // namespace vantus::controller
