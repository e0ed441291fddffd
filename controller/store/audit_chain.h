#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// The audit log's hash chain. Each row's hash is the HMAC-SHA-256 (hex) under the chain key
// (AuditChainKey, kept outside the database) of its canonical JSON: an object with sorted keys
// holding every audit_log column except `hash` (id, time, actor_kind, actor_id, actor_name,
// actor_email, source_address, user_agent, tenant_id, action, target, before_json,
// after_json as JSON values, prev_hash), dumped compactly with invalid UTF-8 replaced.
// prev_hash is the previous row's hash, "" for the first row. Rows before the key's
// `keyed_from` (written before the chain had a key) and rows of a store opened without a key
// use plain SHA-256.
//
// Editing, inserting, reordering or deleting a row breaks the chain at that row (or the next
// one), and without the key no hash can be recomputed to hide it. Cutting rows off the end
// is visible only against a checkpoint (controller/service/audit_checkpoints.h). A
// before/after column damaged into invalid JSON reads back as a JSON string of its text.
#include <optional>
#include <string>

#include "common/core/result.h"
#include "controller/store/store.h"

namespace vantus::controller {

std::string auditCanonicalJson(const AuditEntry& entry);
// What audit_log.hash holds for `entry`.
std::string auditEntryHash(const AuditEntry& entry,
                           const std::optional<AuditChainKey>& key = std::nullopt);
// `entry` with every credential-shaped string (log::redactCredentialsIn) in its actor,
// action, target and before/after values redacted: appendAudit stores and hashes this.
AuditEntry withoutCredentials(const AuditEntry& entry);

// What a walk over the chain found. `broken_row` is the oldest row that fails, with why.
struct AuditChainReport {
  Id rows = 0;      // rows read
  Id last_row = 0;  // the newest row's id (0: the log is empty)
  std::string last_hash;
  std::optional<Id> broken_row;
  std::string broken_reason;
};

// Reads the rows from `checkpoint`'s row on (every row without one; `whole_log` reads every
// row in any case) on one read snapshot, newest to oldest, a page at a time, and checks that
// each row matches its hash, links to the row before it, that ids run from 1 without a gap,
// and that the checkpoint's row is still there with the hash it was anchored with.
Result<AuditChainReport> verifyAuditChain(const Store& store,
                                          const std::optional<AuditChainKey>& key,
                                          const std::optional<AuditCheckpoint>& checkpoint,
                                          bool whole_log);

}  // namespace vantus::controller
