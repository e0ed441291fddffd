#include "controller/service/audit_service.h"

#include <fmt/format.h>

#include "common/core/time.h"
#include "controller/auth/access.h"
#include "controller/store/audit_chain.h"
#include "controller/store/store_access.h"

namespace vantus::controller {

Result<Page<AuditEntry>> AuditService::entries(const Caller& caller, const AuditFilter& filter,
                                               Id before_id, std::size_t limit) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "audit:read", filter.tenant_id));
  for (auto [name, value] :
       {std::pair{"since", &filter.since}, std::pair{"until", &filter.until}}) {
    if (!value->empty() && !parseRfc3339Utc(*value)) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("{} must be an RFC 3339 UTC time such as 2026-11-26T09:30:00Z", name),
                  name);
    }
  }
  Page<AuditEntry> page;
  if (limit == 0) {
    return page;
  }
  // One more than asked tells whether a next page exists.
  VANTUS_TRY(page.items, readValue<std::vector<AuditEntry>>(store_, [&](Transaction& tx) {
               return tx.auditEntries(filter, before_id, limit + 1);
             }));
  if (page.items.size() > limit) {
    page.items.resize(limit);
    page.next = page.items.back().id;
  }
  return page;
}

Result<std::optional<Id>> AuditService::firstBrokenLink(const Caller& caller) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "audit:read", std::nullopt));
  return firstBrokenAuditLink(store_);
}

}  // namespace vantus::controller
