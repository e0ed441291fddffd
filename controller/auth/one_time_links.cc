#include "controller/auth/one_time_links.h"

#include "common/crypto/hash.h"
#include "controller/store/store.h"

namespace vantus::controller {

namespace {
constexpr std::size_t kTokenBytes = 32;
}  // namespace

std::string oneTimeLinkHash(std::string_view token) { return crypto::sha256Hex(token); }

Result<IssuedLink> insertOneTimeLink(Transaction& tx, Id user_id, LinkPurpose purpose,
                                     std::optional<Id> tenant_id, std::int64_t now,
                                     std::int64_t valid_seconds) {
  VANTUS_TRY(std::string token, crypto::randomToken(kTokenBytes));
  PasswordReset link;
  link.user_id = user_id;
  link.token_hash = oneTimeLinkHash(token);
  link.created_at = now;
  link.expires_at = now + valid_seconds;
  link.purpose = purpose;
  link.tenant_id = tenant_id;
  VANTUS_TRY(PasswordReset created, tx.insertPasswordReset(link));
  return IssuedLink{std::move(created), std::move(token)};
}

}  // namespace vantus::controller
