#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// The audit log's hash chain. Each row's hash is the SHA-256 (hex) of its canonical JSON:
// an object with sorted keys holding every audit_log column except `hash` (id, time,
// actor_kind, actor_id, actor_name, actor_email, source_address, user_agent, tenant_id,
// action, target, before_json, after_json as JSON values, prev_hash), dumped compactly with
// invalid UTF-8 replaced. prev_hash is the previous row's hash, "" for the first row.
//
// Editing, inserting or deleting a row breaks the chain at that row (or the next one);
// cutting rows off the end is only visible against an external copy of the last hash. A
// before/after column damaged into invalid JSON reads back as a JSON string of its text.
#include <optional>
#include <string>

#include "common/core/result.h"
#include "controller/store/store.h"

namespace vantus::controller {

std::string auditCanonicalJson(const AuditEntry& entry);
// What audit_log.hash holds for `entry`.
std::string auditEntryHash(const AuditEntry& entry);

// The id of the oldest row whose hash does not match its content or whose prev_hash does not
// match the hash of the row before it; nullopt when the whole chain verifies (or is empty).
// Reads the log on one read snapshot, newest to oldest, a page at a time.
Result<std::optional<Id>> firstBrokenAuditLink(const Store& store);

}  // namespace vantus::controller
