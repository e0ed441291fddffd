#pragma once
// Rows of the hash-chained audit log and the filters that select them.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "controller/model/actor.h"
#include "controller/model/types.h"

namespace vantus::controller {

struct AuditEntry {
  Id id = 0;
  std::string time;  // RFC 3339 UTC; set by appendAudit
  Actor actor;
  std::optional<Id> tenant_id;
  std::string action;     // "tenant.create", "domain.delete", "deployment.create", ...
  std::string target;     // "tenant:12", "domain:7", ...
  nlohmann::json before;  // null when created; never holds secrets
  nlohmann::json after;   // null when deleted
  std::string prev_hash;  // the previous row's hash ("" for the first)
  std::string hash;       // hex HMAC-SHA-256 (or SHA-256 before the key) of the canonical row
};

// The secret that keys the audit chain (kept outside the database) and the first row it
// keys: rows before `keyed_from` were written unkeyed, by a version without the key.
struct AuditChainKey {
  std::string secret;  // raw bytes
  Id keyed_from = 1;
};

// A signed statement that row `row` of the audit log had hash `hash` at `time`.
struct AuditCheckpoint {
  Id row = 0;
  std::string hash;
  std::string time;       // RFC 3339 UTC
  std::string signature;  // base64 Ed25519 over auditCheckpointMessage()
};

// Which audit rows to list; empty members match everything.
struct AuditFilter {
  std::optional<Id> tenant_id{};
  std::string actor{};   // the actor's email or name
  std::string action{};  // exact ("tenant.create") or a family ending in "." ("tenant.")
  std::string since{};   // RFC 3339 UTC, inclusive
  std::string until{};   // RFC 3339 UTC, exclusive
};

}  // namespace vantus::controller
