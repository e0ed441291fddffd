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
  std::string prev_hash;  // hex sha256 of the previous row ("" for the first)
  std::string hash;       // hex sha256 over prev_hash and this row's canonical content
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
