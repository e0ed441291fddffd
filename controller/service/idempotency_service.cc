#include "controller/service/idempotency_service.h"

#include "controller/store/store.h"
#include "controller/store/store_access.h"

namespace vantus::controller {

Result<std::optional<IdempotentResponse>> IdempotencyService::find(Id token_id,
                                                                   std::string_view key) const {
  return readValue<std::optional<IdempotentResponse>>(
      store_, [&](Transaction& tx) { return tx.idempotentResponse(token_id, key); });
}

Result<void> IdempotencyService::save(Id token_id, std::string_view key,
                                      const IdempotentResponse& response) {
  return store_.write([&](Transaction& tx) {
    return tx.saveIdempotentResponse(token_id, key, response, kKeepSeconds);
  });
}

}  // namespace vantus::controller
