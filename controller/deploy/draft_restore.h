#pragma once
// A rollback puts the tenant's drafts back to a past deployment's snapshot, in place and by
// name: what survives keeps its id (API clients and Terraform hold ids), only what the
// snapshot lacks goes and only what is missing comes back, with a new id. Runs inside the
// caller's store transaction.
#include <string_view>

#include "common/core/result.h"
#include "controller/model/types.h"
#include "controller/store/store.h"

namespace vantus::controller {

// Whether restoreDrafts() would apply, without writing: kAlreadyExists naming `field` when a
// domain of the snapshot now belongs to another tenant (which one is not told), kNotFound
// for a tenant that is gone.
Result<void> checkDraftRestore(Transaction& tx, Id tenant_id, const TenantConfig& config,
                               std::string_view field);

// Replaces the tenant's drafts (name, status, domains, pools, policy) by `config`'s.
Result<void> restoreDrafts(Transaction& tx, Id tenant_id, const TenantConfig& config);

}  // namespace vantus::controller
