#pragma once
// A web UI session as stored: the SHA-256 of its id, never the id itself.
#include <cstdint>
#include <optional>
#include <string>

#include "controller/model/types.h"

namespace vantus::controller {

struct SessionRecord {
  Id id = 0;
  Id user_id = 0;
  std::string id_hash;            // sha256 hex of the id the browser holds
  std::int64_t created_at = 0;    // unix seconds
  std::int64_t last_seen_at = 0;  // unix seconds
  std::string address;
  std::string user_agent;
};

enum class LinkPurpose {
  kPasswordReset,  // sets a new password
  kInvitation,     // sets an invited user's first password, then lands on `tenant_id`
};

// A one-time password link as stored: the SHA-256 of its token, never the token.
struct PasswordReset {
  Id id = 0;
  Id user_id = 0;
  std::string token_hash;
  std::int64_t created_at = 0;  // unix seconds
  std::int64_t expires_at = 0;  // unix seconds
  bool used = false;
  LinkPurpose purpose = LinkPurpose::kPasswordReset;
  std::optional<Id> tenant_id{};  // an invitation's tenant, while it exists
};

}  // namespace vantus::controller
