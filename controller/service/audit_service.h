#pragma once
// Reading, verifying and anchoring the hash-chained audit log (controller/store/audit_chain.h,
// controller/service/audit_anchor.h). Reading needs "audit:read": on a tenant for its rows,
// on the platform for all of them; verifying the chain is a platform admin's. Thread-safe.
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "common/core/time.h"
#include "common/crypto/ed25519.h"
#include "controller/auth/caller.h"
#include "controller/model/audit_records.h"
#include "controller/model/deployments.h"
#include "controller/model/fleet_records.h"
#include "controller/model/people.h"
#include "controller/service/page.h"

namespace vantus::controller {

class Store;
class Transaction;

// What keys the chain and where its checkpoints go; the store was opened with the same key.
struct AuditAnchoring {
  AuditChainKey key;
  const crypto::Ed25519PrivateKey& signing_key;
  std::filesystem::path checkpoint_file;
  UnixClock clock = systemUnixSeconds;
};

// What `audit verify` found. `broken_row` is the oldest row that fails (or the first row
// missing), with why; rows after the checkpoint's are not anchored yet: their hashes and links
// are checked, but whether rows were cut off after them cannot be proven.
struct AuditVerification {
  Id rows = 0;
  Id last_row = 0;
  std::optional<AuditCheckpoint> checkpoint;  // the last anchored row; nullopt: none yet
  std::optional<Id> broken_row;
  std::string broken_reason;
};

class AuditService {
 public:
  AuditService(const Store& store, AuditAnchoring anchoring)
      : store_(store), anchoring_(std::move(anchoring)) {}

  // Newest first, ids below `before_id` (0 = from the newest). Times in the filter are
  // RFC 3339 UTC (kInvalidInput naming "since" or "until" otherwise).
  Result<Page<AuditEntry>> entries(const Caller& caller, const AuditFilter& filter, Id before_id,
                                   std::size_t limit) const;
  // Every row against its hash, its predecessor and the checkpoint.
  Result<AuditVerification> verify(const Caller& caller) const;
  // verify()'s broken_row: nullopt when the whole chain verifies.
  Result<std::optional<Id>> firstBrokenLink(const Caller& caller) const;
  // The controller's own duty, no caller: when rows came after the last checkpoint and they
  // verify, signs a checkpoint at the newest row, saves it and logs it ("audit.checkpoint").
  // nullopt when there was nothing new; kVerificationFailed (and no checkpoint) when the rows
  // since the last one do not verify.
  Result<std::optional<AuditCheckpoint>> anchor();

 private:
  // The checkpoint file's checkpoint; kVerificationFailed when its signature does not verify.
  Result<std::optional<AuditCheckpoint>> signedCheckpoint() const;

  const Store& store_;
  const AuditAnchoring anchoring_;
  std::mutex anchor_mutex_;  // one checkpoint written at a time
};

}  // namespace vantus::controller
