#include "controller/store/audit_chain.h"

#include <algorithm>

#include "common/crypto/hash.h"
#include "controller/store/store_support.h"

namespace vantus::controller {

namespace {

constexpr std::size_t kPageSize = 500;

}  // namespace

std::string auditCanonicalJson(const AuditEntry& entry) {
  // nlohmann::json objects are std::map based: keys come out sorted.
  nlohmann::json row = {
      {"id", entry.id},
      {"time", entry.time},
      {"actor_kind", entry.actor.kind},
      {"actor_id", entry.actor.id},
      {"actor_name", entry.actor.name},
      {"actor_email", entry.actor.email},
      {"source_address", entry.actor.source_address},
      {"user_agent", entry.actor.user_agent},
      {"tenant_id", entry.tenant_id ? nlohmann::json(*entry.tenant_id) : nlohmann::json()},
      {"action", entry.action},
      {"target", entry.target},
      {"before_json", entry.before},
      {"after_json", entry.after},
      {"prev_hash", entry.prev_hash},
  };
  return store_support::jsonText(row);
}

std::string auditEntryHash(const AuditEntry& entry) {
  return crypto::sha256Hex(auditCanonicalJson(entry));
}

Result<std::optional<Id>> firstBrokenAuditLink(const Store& store) {
  std::optional<Id> broken;
  auto mark = [&broken](Id id) { broken = broken ? std::min(*broken, id) : id; };
  VANTUS_TRY_VOID(store.read([&](Transaction& tx) -> Result<void> {
    Id before_id = 0;
    std::optional<AuditEntry> newer;  // the row after the current one in the chain
    while (true) {
      VANTUS_TRY(std::vector<AuditEntry> page, tx.auditEntries(std::nullopt, before_id, kPageSize));
      for (AuditEntry& entry : page) {
        if (newer && newer->prev_hash != entry.hash) {
          mark(newer->id);
        }
        if (auditEntryHash(entry) != entry.hash) {
          mark(entry.id);
        }
        newer = std::move(entry);
      }
      if (page.size() < kPageSize) {
        break;
      }
      before_id = newer->id;
    }
    if (newer && !newer->prev_hash.empty()) {
      mark(newer->id);  // the oldest row must start the chain
    }
    return ok();
  }));
  return broken;
}

}  // namespace vantus::controller
