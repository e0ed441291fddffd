#include "controller/store/store_access.h"

namespace vantus::controller {

Result<void> appendAuditRow(Transaction& tx, const Actor& actor, std::optional<Id> tenant_id,
                            std::string action, std::string target, nlohmann::json before,
                            nlohmann::json after) {
  AuditEntry entry;
  entry.actor = actor;
  entry.tenant_id = tenant_id;
  entry.action = std::move(action);
  entry.target = std::move(target);
  entry.before = std::move(before);
  entry.after = std::move(after);
  VANTUS_TRY_VOID(tx.appendAudit(entry));
  return ok();
}

}  // namespace vantus::controller
