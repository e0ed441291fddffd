#pragma once
// One-time links, the password links and the invitations: the URL carries a 256-bit random
// token, the store only its SHA-256, and the first use spends it. Shared by SessionService
// (password links) and UserService (invitations).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/core/result.h"
#include "controller/model/session_record.h"

namespace vantus::controller {

class Transaction;

struct IssuedLink {
  PasswordReset record;
  std::string token;  // exists only here and in the URL made from it
};

// Inside the caller's write transaction.
Result<IssuedLink> insertOneTimeLink(Transaction& tx, Id user_id, LinkPurpose purpose,
                                     std::optional<Id> tenant_id, std::int64_t now,
                                     std::int64_t valid_seconds);

std::string oneTimeLinkHash(std::string_view token);

}  // namespace vantus::controller
