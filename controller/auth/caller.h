#pragma once
// What every service operation is given: the acting principal (whose rights the service
// checks with access.h), the actor its audit rows and commits name, and, for a retried POST,
// the Idempotency-Key its write claims in the same transaction. Built by a door per request
// (REST, UI) or once per command (CLI: the local operator). Plain data; copy freely.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/core/result.h"
#include "controller/auth/principal.h"
#include "controller/model/actor.h"
#include "controller/model/types.h"

namespace vantus::controller {

class Transaction;

struct IdempotencyClaim {
  Id token_id = 0;
  std::string key;
  std::string request_hash;
};

struct Caller {
  Principal principal;
  Actor actor;
  std::optional<IdempotencyClaim> idempotency{};
};

// The operator at the controller's terminal (the CLI): a platform admin holding every scope,
// bound to no tenant, acting as `actor` (kind "cli").
Caller localOperator(Actor actor);

// Appends the write's audit row and, when the caller retries with an Idempotency-Key, claims
// the key for `target` in the same transaction: a crash after the commit cannot make a retry
// write again.
Result<void> recordWrite(Transaction& tx, const Caller& caller, std::optional<Id> tenant_id,
                         std::string action, std::string target, nlohmann::json before,
                         nlohmann::json after);

// Claims the caller's Idempotency-Key (if any) for `target` inside `tx`.
Result<void> claimIdempotency(Transaction& tx, const Caller& caller, std::string_view target);

}  // namespace vantus::controller
