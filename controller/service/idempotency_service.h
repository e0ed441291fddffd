#pragma once
// Where the REST door keeps the first answer to a POST with an Idempotency-Key (per token,
// for `kKeepSeconds`). The write itself claims the key in its own transaction
// (controller/auth/caller.h); this stores the answer that follows. Thread-safe.
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/core/result.h"
#include "controller/model/idempotent_response.h"
#include "controller/model/types.h"

namespace vantus::controller {

class Store;

class IdempotencyService {
 public:
  static constexpr std::int64_t kKeepSeconds = 24 * 3600;

  explicit IdempotencyService(Store& store) : store_(store) {}

  Result<std::optional<IdempotentResponse>> find(Id token_id, std::string_view key) const;
  // Keeps the first answer (over the claim its write made); forgets answers past their age.
  Result<void> save(Id token_id, std::string_view key, const IdempotentResponse& response);

 private:
  Store& store_;
};

}  // namespace vantus::controller
