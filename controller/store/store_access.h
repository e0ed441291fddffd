#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// Helpers every service uses on the store: a read or write returning a value, and the audit
// row a write appends inside its own transaction (so a change and its audit entry land
// together or not at all). Thread-safe as the store is.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/core/result.h"
#include "controller/store/store.h"

namespace vantus::controller {

// Appends the audit row of a write inside its transaction.
Result<void> appendAuditRow(Transaction& tx, const Actor& actor, std::optional<Id> tenant_id,
                            std::string action, std::string target, nlohmann::json before,
                            nlohmann::json after);

// The store's read() returning a value.
template <typename T, typename Work>
Result<T> readValue(const Store& store, Work work) {
  std::optional<T> value;
  VANTUS_TRY_VOID(store.read([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(T found, work(tx));
    value = std::move(found);
    return ok();
  }));
  return std::move(*value);
}

// The store's write() returning a value.
template <typename T, typename Work>
Result<T> writeValue(Store& store, Work work) {
  std::optional<T> value;
  VANTUS_TRY_VOID(store.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(T made, work(tx));
    value = std::move(made);
    return ok();
  }));
  return std::move(*value);
}

}  // namespace vantus::controller
