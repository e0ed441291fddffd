#pragma once
// Users, their tenant memberships and their API tokens, as stored.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "controller/model/types.h"

namespace vantus::controller {

struct User {
  Id id = 0;
  std::string email;          // lowercased
  std::string password_hash;  // argon2id encoded string; "" = password login disabled
  bool is_platform_admin = false;
  bool disabled = false;
  std::string created_at;
};

struct Membership {
  Id user_id = 0;
  Id tenant_id = 0;
  TenantRole role = TenantRole::kViewer;
  std::string email{};       // the user's, when read back
  std::string created_at{};  // when read back
  bool has_password = true;  // when read back: false for an invited user who has not set one
};

struct ApiToken {
  Id id = 0;
  Id user_id = 0;
  std::string name;
  std::string prefix;       // public part of the token, unique
  std::string secret_hash;  // sha256 hex of the secret part
  std::vector<std::string> scopes;
  std::optional<Id> tenant_id;             // bound to one tenant
  std::optional<std::int64_t> expires_at;  // unix seconds
  bool revoked = false;
  std::string created_at;
  std::string last_used_at;
  std::string last_used_address;
};

}  // namespace vantus::controller
