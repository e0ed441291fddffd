#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// Users, memberships and API tokens. Part of Transaction (transaction.h).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/model/people.h"

namespace vantus::controller {

class PeopleQueries {
 public:
  // --- users and memberships ---
  virtual Result<User> insertUser(const User& user) = 0;
  virtual Result<User> user(Id id) = 0;
  virtual Result<User> userByEmail(std::string_view email) = 0;
  virtual Result<std::size_t> countUsers() = 0;
  virtual Result<std::vector<User>> listUsers(Id after_id, std::size_t limit) = 0;  // by id
  virtual Result<User> updateUser(const User& user) = 0;  // is_platform_admin, disabled
  virtual Result<void> setPasswordHash(Id user_id, std::string_view password_hash) = 0;
  virtual Result<void> deleteUser(Id id) = 0;  // with its tokens and memberships
  virtual Result<std::size_t> countActivePlatformAdmins() = 0;
  virtual Result<void> putMembership(const Membership& membership) = 0;  // insert or update
  virtual Result<std::vector<Membership>> membershipsOfUser(Id user_id) = 0;
  virtual Result<std::vector<Membership>> membershipsOfTenant(Id tenant_id) = 0;  // by user id
  virtual Result<void> deleteMembership(Id user_id, Id tenant_id) = 0;  // kNotFound if none
  // --- API tokens ---
  virtual Result<ApiToken> insertApiToken(const ApiToken& token) = 0;  // sets id, created_at
  virtual Result<ApiToken> apiTokenByPrefix(std::string_view prefix) = 0;
  virtual Result<std::vector<ApiToken>> apiTokensOfUser(Id user_id) = 0;  // by id
  virtual Result<void> revokeApiToken(Id id) = 0;
  virtual Result<void> renameApiToken(Id id, std::string_view name) = 0;
  virtual Result<void> touchApiToken(Id id, std::string_view address) = 0;  // last used: now

 protected:
  ~PeopleQueries() = default;
};

}  // namespace vantus::controller
