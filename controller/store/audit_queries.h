#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// The hash-chained audit log. Part of Transaction (transaction.h).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/model/audit_records.h"

namespace vantus::controller {

class AuditQueries {
 public:
  // --- audit log (hash-chained) ---
  virtual Result<AuditEntry> appendAudit(const AuditEntry& entry) = 0;  // sets id, time, hashes
  // Newest first, ids below `before_id` (0 = from the newest), the rows `filter` matches.
  virtual Result<std::vector<AuditEntry>> auditEntries(const AuditFilter& filter, Id before_id,
                                                       std::size_t limit) = 0;
  Result<std::vector<AuditEntry>> auditEntries(std::optional<Id> tenant_id, Id before_id,
                                               std::size_t limit) {
    return auditEntries(AuditFilter{.tenant_id = tenant_id}, before_id, limit);
  }

 protected:
  ~AuditQueries() = default;
};

}  // namespace vantus::controller
