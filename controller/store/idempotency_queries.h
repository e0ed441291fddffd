#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// Idempotency keys of POST requests. Part of Transaction (transaction.h).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/model/idempotent_response.h"
#include "controller/model/types.h"

namespace vantus::controller {

class IdempotencyQueries {
 public:
  // --- idempotency keys ---
  virtual Result<std::optional<IdempotentResponse>> idempotentResponse(Id token_id,
                                                                       std::string_view key) = 0;
  // Records, inside the transaction of the write a POST's key protects, that the write
  // happened and what it made (`target`, an audit target); a second claim is ignored.
  virtual Result<void> claimIdempotencyKey(Id token_id, std::string_view key,
                                           std::string_view request_hash,
                                           std::string_view target) = 0;
  // Keeps the first answer (replacing a claim; a concurrent duplicate answer is ignored) and
  // forgets answers older than `keep_seconds`.
  virtual Result<void> saveIdempotentResponse(Id token_id, std::string_view key,
                                              const IdempotentResponse& response,
                                              std::int64_t keep_seconds) = 0;

  // Forgets the unanswered claims of `target`: the write they name was never made.
  virtual Result<void> releaseIdempotencyClaims(std::string_view target) = 0;

 protected:
  ~IdempotencyQueries() = default;
};

}  // namespace vantus::controller
