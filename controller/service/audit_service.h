#pragma once
// Reading and verifying the hash-chained audit log (controller/store/audit_chain.h). Reading
// needs "audit:read": on a tenant for its rows, on the platform for all of them; verifying
// the chain is a platform admin's. Thread-safe.
#include <cstddef>
#include <optional>
#include <vector>

#include "common/core/result.h"
#include "controller/auth/caller.h"
#include "controller/model/audit_records.h"
#include "controller/model/deployments.h"
#include "controller/model/fleet_records.h"
#include "controller/model/people.h"
#include "controller/service/page.h"

namespace vantus::controller {

class Store;
class Transaction;

class AuditService {
 public:
  explicit AuditService(const Store& store) : store_(store) {}

  // Newest first, ids below `before_id` (0 = from the newest). Times in the filter are
  // RFC 3339 UTC (kInvalidInput naming "since" or "until" otherwise).
  Result<Page<AuditEntry>> entries(const Caller& caller, const AuditFilter& filter, Id before_id,
                                   std::size_t limit) const;
  // The id of the oldest row that does not match its hash or its predecessor; nullopt when
  // the whole chain verifies.
  Result<std::optional<Id>> firstBrokenLink(const Caller& caller) const;

 private:
  const Store& store_;
};

}  // namespace vantus::controller
