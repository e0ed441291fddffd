#include "controller/auth/caller.h"

#include "controller/auth/api_tokens.h"
#include "controller/store/store.h"
#include "controller/store/store_access.h"

namespace vantus::controller {

Caller localOperator(Actor actor) {
  Caller caller;
  caller.principal.user.email = actor.email;
  caller.principal.user.is_platform_admin = true;
  caller.principal.token.name = "local operator";
  caller.principal.token.scopes = allScopes();
  caller.actor = std::move(actor);
  return caller;
}

Result<void> claimIdempotency(Transaction& tx, const Caller& caller, std::string_view target) {
  if (!caller.idempotency) {
    return ok();
  }
  const IdempotencyClaim& claim = *caller.idempotency;
  return tx.claimIdempotencyKey(claim.token_id, claim.key, claim.request_hash, target);
}

Result<void> recordWrite(Transaction& tx, const Caller& caller, std::optional<Id> tenant_id,
                         std::string action, std::string target, nlohmann::json before,
                         nlohmann::json after) {
  VANTUS_TRY_VOID(claimIdempotency(tx, caller, target));
  return appendAuditRow(tx, caller.actor, tenant_id, std::move(action), std::move(target),
                        std::move(before), std::move(after));
}

}  // namespace vantus::controller
